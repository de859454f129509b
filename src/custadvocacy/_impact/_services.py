"""Built-in estimators for services: service outage, billing error, support failure.

Formulas in :mod:`custadvocacy._impact._formulas`; figures and sources in
``docs/impact.md``.
"""

from __future__ import annotations

from typing import Final

import attrs

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._impact._common import (
    ESTIMATOR_FIELD_HIGH,
    check_references,
    impact,
    incident_days,
    item,
)
from custadvocacy._impact._defaults import (
    DEFAULT_PROFILE_DEFAULTS,
    DEFAULT_SPREAD,
    PerSegment,
    ProfileDefaults,
    Spread,
)
from custadvocacy._impact._formulas import (
    billing_error_loss,
    effective_outage_hours,
    service_outage_loss,
    support_failure_loss,
)
from custadvocacy._impact._inputs import Quantity, Resolver, parameter
from custadvocacy._impact._model import EstimatorCapabilities, Impact, LossCategory

__all__ = ["BillingErrorEstimator", "ServiceOutageEstimator", "SupportFailureEstimator"]

HOURS_PER_DAY: Final = 8.0
FULL_RATE_HOURS: Final = 2.0
DECAY_EXPONENT: Final = 0.55
RECOVERY_HOURS_PER_HOUR_DOWN: Final = 0.5
BILLING_STAFF_HOURS: Final = PerSegment(small=3.0, mid_market=5.0, enterprise=8.0)
ANNUAL_COST_OF_CAPITAL: Final = 0.10
SUPPORT_STAFF_HOURS: Final = PerSegment(small=4.0, mid_market=8.0, enterprise=16.0)
TARGET_DAYS: Final = 2.0
WAITING_HOURS_PER_DAY: Final = 0.5

_OUTAGE_CAPABILITIES: Final = EstimatorCapabilities(
    kinds=frozenset({IncidentKind.SERVICE_OUTAGE}), batch=False
)
_BILLING_CAPABILITIES: Final = EstimatorCapabilities(
    kinds=frozenset({IncidentKind.BILLING_ERROR}), batch=False
)
_SUPPORT_CAPABILITIES: Final = EstimatorCapabilities(
    kinds=frozenset({IncidentKind.SUPPORT_FAILURE}), batch=False
)

_PROFILE = "customer profile"


def _check_base(c: Checks, defaults: object, spread: object) -> None:
    c.instance("defaults", defaults, ProfileDefaults, "a ProfileDefaults")
    c.instance("spread", spread, Spread, "a Spread")


def _state(incident: Incident, context: Context) -> str:
    opened = incident.opened_at.date().isoformat()
    if incident.is_open(context.as_of):
        return f"incident {incident.id}: opened {opened}, open at as_of"
    return f"incident {incident.id}: opened {opened}, resolved"


def _wage(r: Resolver, customer: Customer) -> Quantity:
    return r.money(
        "customer.profile.staff_hourly_cost",
        customer.profile.staff_hourly_cost,
        r.segment_defaults.staff_hourly_cost,
        "hour",
        _PROFILE,
    )


@attrs.frozen(kw_only=True)
class ServiceOutageEstimator:
    """The customer's loss from a service outage: hours down x cost at stake x affected share.

    Items (``docs/impact.md``, "Service outage"):

    - **lost margin** = effective hours x daily revenue / hours a day x gross margin
      x affected share;
    - **idle staff** = effective hours x staff x hourly cost x affected share;
    - **recovery effort** = recovery hours x hourly cost (zero for a zero share).

    Hours down run from the incident's opening to its resolution, or to ``as_of``
    while open (then ``ongoing``). The cost per hour falls as an outage lasts: the
    first ``full_rate_hours`` count in full, then cumulative cost grows as
    ``t * (h / t) ** decay_exponent``. Recovery hours are ``incident.effort_hours``,
    or ``recovery_hours_per_hour_down`` x hours down x affected share.

    Attributes:
        defaults: Figures by segment for what the profile lacks.
        spread: How wide a supplied or a default figure makes the range.
        hours_per_day: Operating hours per day (to turn daily revenue into hourly), (0, 24].
        full_rate_hours: Hours an outage costs at the full hourly rate (> 0).
        decay_exponent: Exponent of the cumulative cost beyond them, (0, 1].
        recovery_hours_per_hour_down: Staff hours of catching up per hour down, when
            the incident records no ``effort_hours``.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> clinic, inc301 = p.customers[2], p.incidents[2]
        >>> impact = ServiceOutageEstimator().estimate(inc301, clinic, None, example_context())
        >>> f"EUR {impact.expected:,.0f} (P10 {impact.low:,.0f}, P90 {impact.high:,.0f})"
        'EUR 11,140 (P10 8,585, P90 14,494)'

    .. versionadded:: 0.1.0
    """

    defaults: ProfileDefaults = DEFAULT_PROFILE_DEFAULTS
    spread: Spread = DEFAULT_SPREAD
    hours_per_day: float = HOURS_PER_DAY
    full_rate_hours: float = FULL_RATE_HOURS
    decay_exponent: float = DECAY_EXPONENT
    recovery_hours_per_hour_down: float = RECOVERY_HOURS_PER_HOUR_DOWN
    _hours_per_day: Quantity = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        _check_base(c, self.defaults, self.spread)
        c.number("hours_per_day", self.hours_per_day, low=0.01, high=24.0, what=" hours")
        c.number("full_rate_hours", self.full_rate_hours, low=0.01, high=ESTIMATOR_FIELD_HIGH)
        c.number("decay_exponent", self.decay_exponent, low=0.01, high=1.0)
        c.number("recovery_hours_per_hour_down", self.recovery_hours_per_hour_down, high=100.0)
        c.done()
        hours_per_day = parameter(
            "service_outage.hours_per_day", self.hours_per_day, HOURS_PER_DAY, "hours/day"
        )
        object.__setattr__(self, "_hours_per_day", hours_per_day)

    @property
    def name(self) -> str:
        """``"service_outage"``.

        Example:
            >>> ServiceOutageEstimator().name
            'service_outage'
        """
        return "service_outage"

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """Service outages; no batch method yet.

        Example:
            >>> ServiceOutageEstimator().capabilities.batch
            False
        """
        return _OUTAGE_CAPABILITIES

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Return the customer's loss from the outage ``incident`` (see the class).

        Raises:
            ValidationError: The incident, customer and order do not belong together.
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> p = example_portfolio()
            >>> clinic, inc301 = p.customers[2], p.incidents[2]
            >>> impact = ServiceOutageEstimator().estimate(inc301, clinic, None, example_context())
            >>> print(impact.items[0].basis)
            3.98 effective hours (7.00 h down: 2 h in full, then ^0.55) x 5,250.00 EUR/h revenue x margin 0.25 x affected share 0.60 = 3,137.03 EUR
        """
        check_references(incident, customer, order)
        r = Resolver(customer, context, self.defaults, self.spread)
        d = r.segment_defaults
        profile = customer.profile
        cur = r.currency
        down = r.fact(
            "incident.hours_down", incident.hours_open(context.as_of), "hours",
            _state(incident, context),
        )  # fmt: skip
        share = r.fact(
            "incident.affected_share", incident.affected_share, "share", f"incident {incident.id}"
        )
        revenue = r.money(
            "customer.profile.daily_revenue", profile.daily_revenue, d.daily_revenue, "day",
            _PROFILE,
        )  # fmt: skip
        margin = r.number(
            "customer.profile.gross_margin", profile.gross_margin, d.gross_margin, "share",
            _PROFILE, cap=1.0,
        )  # fmt: skip
        staff = r.number(
            "customer.profile.staff_count", profile.staff_count, d.staff_count, "staff", _PROFILE
        )
        wage = _wage(r, customer)
        per_hour = self.recovery_hours_per_hour_down
        recovery = r.hours(
            "incident.effort_hours",
            incident.effort_hours,
            per_hour * down.mid * share.mid,
            f"incident {incident.id}",
            f"{per_hour:g} h of catching up per hour down x the affected share",
        )
        hpd = self._hours_per_day
        t, b = self.full_rate_hours, self.decay_exponent
        low = service_outage_loss(
            hours_down=down.low, share=share.low, daily_revenue=revenue.low,
            gross_margin=margin.low, staff_count=staff.low, hourly_cost=wage.low,
            hours_per_day=hpd.low, full_rate_hours=t, decay_exponent=b,
            recovery_hours=recovery.low,
        )  # fmt: skip
        mid = service_outage_loss(
            hours_down=down.mid, share=share.mid, daily_revenue=revenue.mid,
            gross_margin=margin.mid, staff_count=staff.mid, hourly_cost=wage.mid,
            hours_per_day=hpd.mid, full_rate_hours=t, decay_exponent=b,
            recovery_hours=recovery.mid,
        )  # fmt: skip
        high = service_outage_loss(
            hours_down=down.high, share=share.high, daily_revenue=revenue.high,
            gross_margin=margin.high, staff_count=staff.high, hourly_cost=wage.high,
            hours_per_day=hpd.high, full_rate_hours=t, decay_exponent=b,
            recovery_hours=recovery.high,
        )  # fmt: skip
        eff = effective_outage_hours(down.mid, t, b)
        hours = f"{eff:.2f} effective hours ({down.mid:.2f} h down: {t:g} h in full, then ^{b:g})"
        items = (
            item(
                "Lost margin during the outage",
                LossCategory.LOST_MARGIN,
                (low[0], mid[0], high[0]),
                f"{hours} x {revenue.mid / hpd.mid:,.2f} {cur}/h revenue x margin"
                f" {margin.mid:.2f} x affected share {share.mid:.2f} = {mid[0]:,.2f} {cur}",
                down, share, revenue, hpd, margin,
            ),
            item(
                "Idle staff during the outage",
                LossCategory.IDLE_STAFF,
                (low[1], mid[1], high[1]),
                f"{hours} x {staff.mid:g} staff x {wage.mid:,.2f} {cur}/h x affected share"
                f" {share.mid:.2f} = {mid[1]:,.2f} {cur}",
                down, share, staff, wage,
            ),
            item(
                "Recovery effort",
                LossCategory.STAFF_EFFORT,
                (low[2], mid[2], high[2]),
                f"{recovery.mid:.1f} h x {wage.mid:,.2f} {cur}/h"
                f" = {mid[2]:,.2f} {cur}",
                recovery, wage, share,
            ),
        )  # fmt: skip
        return impact(incident, self.name, cur, items, ongoing=incident.is_open(context.as_of))


@attrs.frozen(kw_only=True)
class BillingErrorEstimator:
    """The customer's loss from a billing error: staff time to sort it out, cash tied up.

    Items (``docs/impact.md``, "Billing error"):

    - **staff time** = staff hours x hourly cost;
    - **cash tied up** = amount x annual cost of capital x days / 365.

    Staff hours are ``incident.effort_hours``, or the segment's default. The amount is
    ``incident.amount`` (converted into the reporting currency); without one, the
    cash item is zero and says so. The days run from the incident's opening to its
    resolution, or to ``as_of`` while open (then ``ongoing``).

    Attributes:
        defaults: Figures by segment for what the profile lacks.
        spread: How wide a supplied or a default figure makes the range.
        staff_hours: Default staff hours by segment, when none are recorded.
        annual_cost_of_capital: Yearly rate of the cash's cost (default 0.10: the EU
            statutory late-payment rate, ECB reference rate + 8 points), 0-1.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> brightside, o2001, inc201 = p.customers[1], p.orders[2], p.incidents[1]
        >>> impact = BillingErrorEstimator().estimate(inc201, brightside, o2001, example_context())
        >>> [f"{i.label}: {i.expected:,.2f}" for i in impact.items]
        ['Staff time sorting it out: 265.12', 'Cash tied up: 18.31']

    .. versionadded:: 0.1.0
    """

    defaults: ProfileDefaults = DEFAULT_PROFILE_DEFAULTS
    spread: Spread = DEFAULT_SPREAD
    staff_hours: PerSegment = BILLING_STAFF_HOURS
    annual_cost_of_capital: float = ANNUAL_COST_OF_CAPITAL
    _rate: Quantity = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        _check_base(c, self.defaults, self.spread)
        c.instance("staff_hours", self.staff_hours, PerSegment, "a PerSegment")
        c.share("annual_cost_of_capital", self.annual_cost_of_capital)
        c.done()
        rate = parameter(
            "billing_error.annual_cost_of_capital",
            self.annual_cost_of_capital,
            ANNUAL_COST_OF_CAPITAL,
            "per year",
        )
        object.__setattr__(self, "_rate", rate)

    @property
    def name(self) -> str:
        """``"billing_error"``.

        Example:
            >>> BillingErrorEstimator().name
            'billing_error'
        """
        return "billing_error"

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """Billing errors; no batch method yet.

        Example:
            >>> BillingErrorEstimator().capabilities.batch
            False
        """
        return _BILLING_CAPABILITIES

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Return the customer's loss from the billing error ``incident`` (see the class).

        Raises:
            ValidationError: The incident, customer and order do not belong together.
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> p = example_portfolio()
            >>> oakridge, inc1201 = p.customers[11], p.incidents[9]
            >>> impact = BillingErrorEstimator().estimate(inc1201, oakridge, None, example_context())
            >>> impact.ongoing, [a.name for a in impact.defaults_used]
            (False, ['customer.profile.staff_hourly_cost', 'billing_error.annual_cost_of_capital'])
        """
        check_references(incident, customer, order)
        r = Resolver(customer, context, self.defaults, self.spread)
        cur = r.currency
        default_hours = self.staff_hours.for_segment(customer.segment)
        hours = r.hours(
            "incident.effort_hours",
            incident.effort_hours,
            default_hours,
            f"incident {incident.id}",
            f"{default_hours:g} h for segment '{r.segment}'",
        )
        wage = _wage(r, customer)
        amount_money = incident.amount
        if amount_money is None:
            amount = r.fact(
                "incident.amount", 0.0, cur, "not recorded: the cash tied up is not counted"
            )
        else:
            amount = r.fact(
                "incident.amount",
                r.to_float(amount_money),
                cur,
                f"incident {incident.id}: {float(amount_money.amount):,.2f} {amount_money.currency}",
            )
        days = r.fact(
            "incident.days_open", incident_days(incident, context.as_of), "days",
            _state(incident, context),
        )  # fmt: skip
        rate = self._rate
        low = billing_error_loss(
            staff_hours=hours.low, hourly_cost=wage.low, amount=amount.low, days_tied=days.low,
            annual_rate=rate.low,
        )  # fmt: skip
        mid = billing_error_loss(
            staff_hours=hours.mid, hourly_cost=wage.mid, amount=amount.mid, days_tied=days.mid,
            annual_rate=rate.mid,
        )  # fmt: skip
        high = billing_error_loss(
            staff_hours=hours.high, hourly_cost=wage.high, amount=amount.high,
            days_tied=days.high, annual_rate=rate.high,
        )  # fmt: skip
        items = (
            item(
                "Staff time sorting it out",
                LossCategory.STAFF_EFFORT,
                (low[0], mid[0], high[0]),
                f"{hours.mid:.1f} h x {wage.mid:,.2f} {cur}/h = {mid[0]:,.2f} {cur}",
                hours, wage,
            ),
            item(
                "Cash tied up",
                LossCategory.CASH_TIED_UP,
                (low[1], mid[1], high[1]),
                f"{amount.mid:,.2f} {cur} x {rate.mid:.1%} a year x {days.mid:.2f} days"
                f" / 365 = {mid[1]:,.2f} {cur}",
                amount, rate, days,
            ),
        )  # fmt: skip
        return impact(incident, self.name, cur, items, ongoing=incident.is_open(context.as_of))


@attrs.frozen(kw_only=True)
class SupportFailureEstimator:
    """The customer's loss from a support failure: staff time lost repeating and waiting.

    Items (``docs/impact.md``, "Support failure"):

    - **repeating and chasing** = staff hours x hourly cost;
    - **working around the unsolved problem** = max(0, days open - target days) x
      hours lost per day waiting x affected share x hourly cost.

    Staff hours are ``incident.effort_hours``, or the segment's default. Days open run
    to the resolution, or to ``as_of`` while open (then ``ongoing``).

    Attributes:
        defaults: Figures by segment for what the profile lacks.
        spread: How wide a supplied or a default figure makes the range.
        staff_hours: Default staff hours by segment, when none are recorded.
        target_days: Days a support issue may take before waiting costs count (>= 0).
        waiting_hours_per_day: Staff hours lost per day of waiting beyond the target.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> alpenblick, inc801 = p.customers[7], p.incidents[5]
        >>> impact = SupportFailureEstimator().estimate(inc801, alpenblick, None, example_context())
        >>> impact.ongoing, f"EUR {impact.expected:,.0f}"
        (True, 'EUR 1,033')

    .. versionadded:: 0.1.0
    """

    defaults: ProfileDefaults = DEFAULT_PROFILE_DEFAULTS
    spread: Spread = DEFAULT_SPREAD
    staff_hours: PerSegment = SUPPORT_STAFF_HOURS
    target_days: float = TARGET_DAYS
    waiting_hours_per_day: float = WAITING_HOURS_PER_DAY
    _parameters: tuple[Quantity, Quantity] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        c = Checks()
        _check_base(c, self.defaults, self.spread)
        c.instance("staff_hours", self.staff_hours, PerSegment, "a PerSegment")
        c.number("target_days", self.target_days, high=3650.0, what=" days")
        c.number("waiting_hours_per_day", self.waiting_hours_per_day, high=24.0, what=" hours")
        c.done()
        parameters = (
            parameter("support_failure.target_days", self.target_days, TARGET_DAYS, "days"),
            parameter(
                "support_failure.waiting_hours_per_day",
                self.waiting_hours_per_day,
                WAITING_HOURS_PER_DAY,
                "hours/day",
            ),
        )
        object.__setattr__(self, "_parameters", parameters)

    @property
    def name(self) -> str:
        """``"support_failure"``.

        Example:
            >>> SupportFailureEstimator().name
            'support_failure'
        """
        return "support_failure"

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """Support failures; no batch method yet.

        Example:
            >>> SupportFailureEstimator().capabilities.batch
            False
        """
        return _SUPPORT_CAPABILITIES

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Return the customer's loss from the support failure ``incident`` (see the class).

        Raises:
            ValidationError: The incident, customer and order do not belong together.
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> p = example_portfolio()
            >>> alpenblick, inc801 = p.customers[7], p.incidents[5]
            >>> impact = SupportFailureEstimator().estimate(inc801, alpenblick, None, example_context())
            >>> print(impact.items[1].basis)
            15.04 days beyond the 2-day target x 0.5 h/day x affected share 1.00 x 48.00 EUR/h = 361.00 EUR
        """
        check_references(incident, customer, order)
        r = Resolver(customer, context, self.defaults, self.spread)
        cur = r.currency
        default_hours = self.staff_hours.for_segment(customer.segment)
        hours = r.hours(
            "incident.effort_hours",
            incident.effort_hours,
            default_hours,
            f"incident {incident.id}",
            f"{default_hours:g} h for segment '{r.segment}'",
        )
        wage = _wage(r, customer)
        days = r.fact(
            "incident.days_open", incident_days(incident, context.as_of), "days",
            _state(incident, context),
        )  # fmt: skip
        share = r.fact(
            "incident.affected_share", incident.affected_share, "share", f"incident {incident.id}"
        )
        target, waiting = self._parameters
        low = support_failure_loss(
            staff_hours=hours.low, hourly_cost=wage.low, days_open=days.low,
            target_days=target.low, waiting_hours_per_day=waiting.low, share=share.low,
        )  # fmt: skip
        mid = support_failure_loss(
            staff_hours=hours.mid, hourly_cost=wage.mid, days_open=days.mid,
            target_days=target.mid, waiting_hours_per_day=waiting.mid, share=share.mid,
        )  # fmt: skip
        high = support_failure_loss(
            staff_hours=hours.high, hourly_cost=wage.high, days_open=days.high,
            target_days=target.high, waiting_hours_per_day=waiting.high, share=share.high,
        )  # fmt: skip
        beyond = max(0.0, days.mid - target.mid)
        items = (
            item(
                "Staff time repeating and chasing",
                LossCategory.STAFF_EFFORT,
                (low[0], mid[0], high[0]),
                f"{hours.mid:.1f} h x {wage.mid:,.2f} {cur}/h = {mid[0]:,.2f} {cur}",
                hours, wage,
            ),
            item(
                "Working around the unsolved problem",
                LossCategory.IDLE_STAFF,
                (low[1], mid[1], high[1]),
                f"{beyond:.2f} days beyond the {target.mid:g}-day target x {waiting.mid:g} h/day"
                f" x affected share {share.mid:.2f} x {wage.mid:,.2f} {cur}/h"
                f" = {mid[1]:,.2f} {cur}",
                days, target, waiting, share, wage,
            ),
        )  # fmt: skip
        return impact(incident, self.name, cur, items, ongoing=incident.is_open(context.as_of))
