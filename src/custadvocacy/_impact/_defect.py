"""Built-in estimator for defective goods: the wait for replacement, plus rework.

Formulas in :mod:`custadvocacy._impact._formulas`; figures and sources in
``docs/impact.md``.
"""

from __future__ import annotations

from typing import Final

import attrs

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._impact._common import check_references, impact, incident_days, item
from custadvocacy._impact._defaults import (
    DEFAULT_PROFILE_DEFAULTS,
    DEFAULT_SPREAD,
    PerSegment,
    ProfileDefaults,
    Spread,
)
from custadvocacy._impact._delivery import HOURS_PER_DAY, check_common, criticality, moment
from custadvocacy._impact._formulas import defect_loss
from custadvocacy._impact._inputs import Quantity, Resolver, parameter
from custadvocacy._impact._model import EstimatorCapabilities, Impact, LossCategory

__all__ = ["DefectEstimator"]

REWORK_HOURS: Final = PerSegment(small=8.0, mid_market=24.0, enterprise=60.0)

_DEFECT_CAPABILITIES: Final = EstimatorCapabilities(
    kinds=frozenset({IncidentKind.DEFECT}), batch=False
)


@attrs.frozen(kw_only=True)
class DefectEstimator:
    """The customer's loss from defective goods: the wait for replacement, plus rework.

    Items (``docs/impact.md``, "Defect"):

    - **lost margin while waiting** = max(0, days waiting - buffer days) x daily
      revenue x gross margin x criticality x defective share;
    - **idle staff while waiting** = the same days x hours a day x staff x hourly
      cost x criticality x defective share;
    - **rework** = rework hours x hourly cost (zero when the defective share is zero).

    The wait runs from the incident's opening to its resolution (the replacement),
    or to ``as_of`` while open (then ``ongoing``). The defective share is
    ``incident.affected_share``; rework hours are ``incident.effort_hours``, or the
    segment's default x the defective share.

    Attributes:
        defaults: Figures by segment for what the profile lacks.
        spread: How wide a supplied or a default figure makes the range.
        hours_per_day: Operating hours per day (idle staff), (0, 24].
        rework_hours: Default rework hours by segment for a wholly defective order,
            when the incident records no ``effort_hours``.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> moravia, o7001, inc701 = p.customers[6], p.orders[7], p.incidents[4]
        >>> impact = DefectEstimator().estimate(inc701, moravia, o7001, example_context())
        >>> impact.ongoing, f"EUR {impact.expected:,.0f}", len(impact.defaults_used)
        (True, 'EUR 13,453', 4)

    .. versionadded:: 0.1.0
    """

    defaults: ProfileDefaults = DEFAULT_PROFILE_DEFAULTS
    spread: Spread = DEFAULT_SPREAD
    hours_per_day: float = HOURS_PER_DAY
    rework_hours: PerSegment = REWORK_HOURS
    _hours_per_day: Quantity = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        check_common(c, self.defaults, self.spread, self.hours_per_day)
        c.instance("rework_hours", self.rework_hours, PerSegment, "a PerSegment")
        c.done()
        hours_per_day = parameter(
            "defect.hours_per_day", self.hours_per_day, HOURS_PER_DAY, "hours/day"
        )
        object.__setattr__(self, "_hours_per_day", hours_per_day)

    @property
    def name(self) -> str:
        """``"defect"``.

        Example:
            >>> DefectEstimator().name
            'defect'
        """
        return "defect"

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """Defects; no batch method yet.

        Example:
            >>> DefectEstimator().capabilities.deterministic
            True
        """
        return _DEFECT_CAPABILITIES

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Return the customer's loss from the defect ``incident`` (see the class).

        Raises:
            ValidationError: The incident, customer and order do not belong together.
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> p = example_portfolio()
            >>> moravia, o7001, inc701 = p.customers[6], p.orders[7], p.incidents[4]
            >>> impact = DefectEstimator().estimate(inc701, moravia, o7001, example_context())
            >>> [i.category.value for i in impact.items]
            ['replacement_delay', 'idle_staff', 'staff_effort']
        """
        check_references(incident, customer, order)
        r = Resolver(customer, context, self.defaults, self.spread)
        d = r.segment_defaults
        profile = customer.profile
        cur = r.currency
        as_of = context.as_of
        state = "resolved" if not incident.is_open(as_of) else "open at as_of"
        wait = r.fact(
            "incident.days_open",
            incident_days(incident, as_of),
            "days",
            f"incident {incident.id}: opened {moment(incident.opened_at)}, {state}",
        )
        share = r.fact(
            "incident.affected_share", incident.affected_share, "share", f"incident {incident.id}"
        )
        crit = criticality(r, order)
        buffer = r.number(
            "customer.profile.buffer_days", profile.buffer_days, d.buffer_days, "days",
            "customer profile",
        )  # fmt: skip
        revenue = r.money(
            "customer.profile.daily_revenue", profile.daily_revenue, d.daily_revenue, "day",
            "customer profile",
        )  # fmt: skip
        margin = r.number(
            "customer.profile.gross_margin", profile.gross_margin, d.gross_margin, "share",
            "customer profile", cap=1.0,
        )  # fmt: skip
        staff = r.number(
            "customer.profile.staff_count", profile.staff_count, d.staff_count, "staff",
            "customer profile",
        )  # fmt: skip
        wage = r.money(
            "customer.profile.staff_hourly_cost", profile.staff_hourly_cost,
            d.staff_hourly_cost, "hour", "customer profile",
        )  # fmt: skip
        per_order = self.rework_hours.for_segment(customer.segment)
        rework = r.hours(
            "incident.effort_hours",
            incident.effort_hours,
            per_order * share.mid,
            f"incident {incident.id}",
            f"{per_order:g} h of rework for a wholly defective order in segment"
            f" '{r.segment}' x the defective share",
        )
        hpd = self._hours_per_day
        low = defect_loss(
            wait_days=wait.low, buffer_days=buffer.high, daily_revenue=revenue.low,
            gross_margin=margin.low, criticality=crit.low, share=share.low,
            staff_count=staff.low, hours_per_day=hpd.low, hourly_cost=wage.low,
            rework_hours=rework.low,
        )  # fmt: skip
        mid = defect_loss(
            wait_days=wait.mid, buffer_days=buffer.mid, daily_revenue=revenue.mid,
            gross_margin=margin.mid, criticality=crit.mid, share=share.mid,
            staff_count=staff.mid, hours_per_day=hpd.mid, hourly_cost=wage.mid,
            rework_hours=rework.mid,
        )  # fmt: skip
        high = defect_loss(
            wait_days=wait.high, buffer_days=buffer.low, daily_revenue=revenue.high,
            gross_margin=margin.high, criticality=crit.high, share=share.high,
            staff_count=staff.high, hours_per_day=hpd.high, hourly_cost=wage.high,
            rework_hours=rework.high,
        )  # fmt: skip
        lost = max(0.0, wait.mid - buffer.mid)
        days = f"{lost:.2f} operating days lost ({wait.mid:.2f} waiting - {buffer.mid:.2f} buffer)"
        weight = f"criticality {crit.mid:.2f} x defective share {share.mid:.2f}"
        items = (
            item(
                "Lost margin while waiting for replacement",
                LossCategory.REPLACEMENT_DELAY,
                (low[0], mid[0], high[0]),
                f"{days} x {revenue.mid:,.2f} {cur}/day x margin {margin.mid:.2f}"
                f" x {weight} = {mid[0]:,.2f} {cur}",
                wait, buffer, revenue, margin, crit, share,
            ),
            item(
                "Idle staff while waiting for replacement",
                LossCategory.IDLE_STAFF,
                (low[1], mid[1], high[1]),
                f"{days} x {hpd.mid:g} h/day x {staff.mid:g} staff"
                f" x {wage.mid:,.2f} {cur}/h x {weight} = {mid[1]:,.2f} {cur}",
                wait, buffer, hpd, staff, wage, crit, share,
            ),
            item(
                "Rework",
                LossCategory.STAFF_EFFORT,
                (low[2], mid[2], high[2]),
                f"{rework.mid:.1f} h x {wage.mid:,.2f} {cur}/h = {mid[2]:,.2f} {cur}",
                rework, wage, share,
            ),
        )  # fmt: skip
        return impact(incident, self.name, cur, items, ongoing=incident.is_open(as_of))
