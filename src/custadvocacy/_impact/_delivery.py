"""Built-in estimators for deliveries: late delivery, partial delivery.

Formulas in :mod:`custadvocacy._impact._formulas`; figures and sources in
``docs/impact.md``.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Final, NamedTuple

import attrs

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._impact._common import (
    check_references,
    days_until,
    impact,
    incident_days,
    item,
)
from custadvocacy._impact._defaults import (
    DEFAULT_PROFILE_DEFAULTS,
    DEFAULT_SPREAD,
    ProfileDefaults,
    Spread,
)
from custadvocacy._impact._formulas import delivery_loss
from custadvocacy._impact._inputs import Quantity, Resolver, fact, parameter
from custadvocacy._impact._model import EstimatorCapabilities, Impact, LossCategory

__all__ = [
    "CustomerFigures",
    "LateDeliveryEstimator",
    "PartialDeliveryEstimator",
    "customer_figures",
    "late_delivery_quantiles",
]

HOURS_PER_DAY: Final = 8.0
HANDLING_HOURS_PER_DAY_LATE: Final = 1.0
EXPEDITING_RATE: Final = 0.02

_WHOLE_ORDER: Final = fact(
    "incident.affected_share", 1.0, "share", "a late delivery: the whole order"
)

_PROFILE: Final = "customer profile"


_LATE_CAPABILITIES: Final = EstimatorCapabilities(
    kinds=frozenset({IncidentKind.LATE_DELIVERY}), batch=False
)
_PARTIAL_CAPABILITIES: Final = EstimatorCapabilities(
    kinds=frozenset({IncidentKind.PARTIAL_DELIVERY}), batch=False
)


def check_common(c: Checks, defaults: object, spread: object, hours_per_day: object) -> None:
    c.instance("defaults", defaults, ProfileDefaults, "a ProfileDefaults")
    c.instance("spread", spread, Spread, "a Spread")
    c.number("hours_per_day", hours_per_day, low=0.0, high=24.0, what=" hours")
    if hours_per_day == 0:
        c.fail("hours_per_day", hours_per_day, "a positive number of hours (at most 24)")


def moment(when: datetime) -> str:
    return when.date().isoformat()


class _DeliveryInputs:
    """What a delivery estimate knows about the order: lateness, criticality, value."""

    __slots__ = ("criticality", "late", "ongoing", "order_value")

    def __init__(
        self, late: Quantity, criticality: Quantity, order_value: Quantity, ongoing: bool
    ) -> None:
        self.late = late
        self.criticality = criticality
        self.order_value = order_value
        self.ongoing = ongoing


def criticality(r: Resolver, order: Order | None) -> Quantity:
    where = ("no order linked" if order is None else f"order {order.id}") if r.explain else ""
    return r.number(
        "order.criticality",
        None if order is None else order.criticality,
        r.segment_defaults.criticality,
        "share",
        where,
        cap=1.0,
        default_what=" (the order gives no criticality)",
    )


def _order_value(r: Resolver, order: Order | None) -> Quantity:
    if order is None:
        return r.fact("order.value", 0.0, r.currency, "no order linked: expediting not counted")
    value = order.value
    amount = float(value.amount)  # once, for the text and the conversion (as to_float does)
    source = f"order {order.id}: {amount:,.2f} {value.currency}" if r.explain else ""
    return r.fact("order.value", amount * r.factor(value.currency), r.currency, source)


def _late_inputs(
    incident: Incident, order: Order | None, r: Resolver, as_of: datetime
) -> _DeliveryInputs:
    """Lateness of a wholly late order: to delivery, or to ``as_of`` while undelivered."""
    if order is None:
        days = incident_days(incident, as_of)
        source = f"no order linked: incident {incident.id}'s open period stands in"
        ongoing = incident.is_open(as_of)
    else:
        delivered = order.delivered_at
        arrived = delivered is not None and delivered <= as_of
        end = delivered if arrived and delivered is not None else as_of
        days = days_until(order.promised_at, end)
        state = "delivered" if arrived else "undelivered at as_of"
        source = f"order {order.id}: promised {moment(order.promised_at)}, {state} {moment(end)}"
        ongoing = (not arrived and days > 0.0) or incident.is_open(as_of)
    return _DeliveryInputs(
        r.fact("order.days_late", days, "days", source),
        criticality(r, order),
        _order_value(r, order),
        ongoing,
    )


def _partial_inputs(
    incident: Incident, order: Order | None, r: Resolver, as_of: datetime
) -> _DeliveryInputs:
    """Lateness of the missing part: from the promise until the incident is resolved."""
    resolved = incident.resolved_at
    done = resolved is not None and resolved <= as_of
    end = resolved if done and resolved is not None else as_of
    state = "resolved" if done else "still missing at as_of"
    if order is None:
        days = incident_days(incident, as_of)
        source = f"no order linked: incident {incident.id}'s open period stands in"
    else:
        days = days_until(order.promised_at, end)
        source = f"order {order.id}: promised {moment(order.promised_at)}, {state} {moment(end)}"
    return _DeliveryInputs(
        r.fact("order.days_late", days, "days", source),
        criticality(r, order),
        _order_value(r, order),
        incident.is_open(as_of),
    )


class _Profile(NamedTuple):
    """The customer's figures a delivery estimate uses (the same for every incident)."""

    buffer: Quantity
    revenue: Quantity
    margin: Quantity
    staff: Quantity
    wage: Quantity


class _Inputs(NamedTuple):
    """Every input of a delivery estimate: lateness, the customer's figures, the parameters."""

    late: Quantity
    buffer: Quantity
    revenue: Quantity
    margin: Quantity
    crit: Quantity
    share: Quantity
    staff: Quantity
    hpd: Quantity
    wage: Quantity
    handling: Quantity
    value: Quantity
    rate: Quantity


# A NamedTuple's own __new__ takes its fields by keyword in Python (about 1 us for
# twelve); tuple.__new__ makes the same tuple from the values in field order.
_new_profile: Final = partial(tuple.__new__, _Profile)
_new_inputs: Final = partial(tuple.__new__, _Inputs)


def _profile_inputs(r: Resolver, customer: Customer) -> _Profile:
    d = r.segment_defaults
    profile = customer.profile
    return _new_profile((  # buffer, revenue, margin, staff, wage
        r.number(
            "customer.profile.buffer_days", profile.buffer_days, d.buffer_days, "days", _PROFILE
        ),
        r.money(
            "customer.profile.daily_revenue", profile.daily_revenue, d.daily_revenue, "day",
            _PROFILE,
        ),
        r.number(
            "customer.profile.gross_margin", profile.gross_margin, d.gross_margin, "share",
            _PROFILE, cap=1.0,
        ),
        r.number(
            "customer.profile.staff_count", profile.staff_count, d.staff_count, "staff", _PROFILE
        ),
        r.money(
            "customer.profile.staff_hourly_cost", profile.staff_hourly_cost, d.staff_hourly_cost,
            "hour", _PROFILE,
        ),
    ))  # fmt: skip


def _delivery_inputs(  # noqa: PLR0917 - the inputs an estimate has gathered, in order
    estimator: LateDeliveryEstimator | PartialDeliveryEstimator,
    r: Resolver,
    given: _DeliveryInputs,
    profile: _Profile,
    share: Quantity,
    effort_hours: float | None,
    where: str,
) -> _Inputs:
    """Every input of a delivery estimate (the same for a full and a totals-only one).

    ``effort_hours`` are the incident's recorded hours (``None``: the default per day
    late stands in); ``where`` names the incident in the assumptions.
    """
    per_day = estimator.handling_hours_per_day_late
    handling = r.hours(
        "incident.effort_hours",
        effort_hours,
        per_day * given.late.mid,
        where,
        f"{per_day:g} h of chasing and re-planning per day late" if r.explain else "",
    )
    hpd, rate = estimator._parameters  # noqa: SLF001 - this module's own classes
    buffer, revenue, margin, staff, wage = profile
    return _new_inputs((  # in _Inputs' field order
        given.late, buffer, revenue, margin, given.criticality, share, staff, hpd, wage,
        handling, given.order_value, rate,
    ))  # fmt: skip


# The items (margin, idle staff, handling) at every input's P10, central value and P90.
# The buffer lowers the loss: its P90 goes into the loss's P10 and vice versa.


def _at_low(i: _Inputs) -> tuple[float, float, float]:
    return delivery_loss(
        days_late=i.late.low, buffer_days=i.buffer.high, daily_revenue=i.revenue.low,
        gross_margin=i.margin.low, criticality=i.crit.low, share=i.share.low,
        staff_count=i.staff.low, hours_per_day=i.hpd.low, hourly_cost=i.wage.low,
        handling_hours=i.handling.low, order_value=i.value.low, expediting_rate=i.rate.low,
    )  # fmt: skip


def _at_mid(i: _Inputs) -> tuple[float, float, float]:
    return delivery_loss(
        days_late=i.late.mid, buffer_days=i.buffer.mid, daily_revenue=i.revenue.mid,
        gross_margin=i.margin.mid, criticality=i.crit.mid, share=i.share.mid,
        staff_count=i.staff.mid, hours_per_day=i.hpd.mid, hourly_cost=i.wage.mid,
        handling_hours=i.handling.mid, order_value=i.value.mid, expediting_rate=i.rate.mid,
    )  # fmt: skip


def _at_high(i: _Inputs) -> tuple[float, float, float]:
    return delivery_loss(
        days_late=i.late.high, buffer_days=i.buffer.low, daily_revenue=i.revenue.high,
        gross_margin=i.margin.high, criticality=i.crit.high, share=i.share.high,
        staff_count=i.staff.high, hours_per_day=i.hpd.high, hourly_cost=i.wage.high,
        handling_hours=i.handling.high, order_value=i.value.high, expediting_rate=i.rate.high,
    )  # fmt: skip


def _delivery_impact(
    estimator: LateDeliveryEstimator | PartialDeliveryEstimator,
    incident: Incident,
    customer: Customer,
    order: Order | None,
    context: Context,
    *,
    partial: bool,
) -> Impact:
    check_references(incident, customer, order)
    r = Resolver(customer, context, estimator.defaults, estimator.spread)
    given = (_partial_inputs if partial else _late_inputs)(incident, order, r, context.as_of)
    where = f"incident {incident.id}"
    share = (
        r.fact("incident.affected_share", incident.affected_share, "share", where)
        if partial
        else _WHOLE_ORDER
    )
    profile = _profile_inputs(r, customer)
    i = _delivery_inputs(estimator, r, given, profile, share, incident.effort_hours, where)
    low, mid, high = _at_low(i), _at_mid(i), _at_high(i)
    cur = r.currency
    late, buffer, crit, share, wage = i.late, i.buffer, i.crit, i.share, i.wage
    shared = (share,) if partial else ()
    lost = max(0.0, late.mid - buffer.mid)
    hourly = f"{wage.mid:,.2f} {cur}"
    days = f"{lost:.2f} operating days lost ({late.mid:.2f} late - {buffer.mid:.2f} buffer)"
    weight = f"criticality {crit.mid:.2f}" + (
        f" x missing share {share.mid:.2f}" if partial else ""
    )
    # Amounts formatted inline ("1,234.50 EUR"), one f-string per basis: no helper calls.
    items = (
        item(
            "Lost margin: operating days lost",
            LossCategory.LOST_MARGIN,
            (low[0], mid[0], high[0]),
            f"{days} x {i.revenue.mid:,.2f} {cur}/day x margin {i.margin.mid:.2f} x {weight}"
            f" = {mid[0]:,.2f} {cur}",
            late, buffer, i.revenue, i.margin, crit, *shared,
        ),
        item(
            "Idle staff",
            LossCategory.IDLE_STAFF,
            (low[1], mid[1], high[1]),
            f"{days} x {i.hpd.mid:g} h/day x {i.staff.mid:g} staff x {hourly}/h"
            f" x {weight} = {mid[1]:,.2f} {cur}",
            late, buffer, i.hpd, i.staff, wage, crit, *shared,
        ),
        item(
            "Extra handling and expediting",
            LossCategory.EXPEDITING,
            (low[2], mid[2], high[2]),
            f"{i.handling.mid:.1f} h x {hourly}/h + {i.rate.mid:.1%} of the order"
            f" value {i.value.mid * share.mid:,.2f} {cur} once the buffer is exceeded"
            f" = {mid[2]:,.2f} {cur}",
            late, buffer, i.handling, wage, i.rate, i.value, *shared,
        ),
    )  # fmt: skip
    return impact(incident, estimator.name, cur, items, ongoing=given.ongoing)


class CustomerFigures(NamedTuple):
    """A customer's figures resolved for totals-only pricing, shared by their orders."""

    resolver: Resolver
    profile: _Profile


def customer_figures(
    estimator: LateDeliveryEstimator, customer: Customer, context: Context
) -> CustomerFigures:
    """Resolve ``customer``'s figures once for :func:`late_delivery_quantiles` of their orders."""
    r = Resolver(customer, context, estimator.defaults, estimator.spread, explain=False)
    return CustomerFigures(r, _profile_inputs(r, customer))


def late_delivery_quantiles(  # noqa: PLR0917 - the pricing's inputs, in order
    estimator: LateDeliveryEstimator,
    customer: Customer,
    order: Order,
    context: Context,
    deliveries: tuple[datetime, datetime, datetime],
    figures: CustomerFigures | None = None,
) -> tuple[float, float, float]:
    """The P10, expected and P90 loss of ``order`` delivered late at each of ``deliveries``.

    For the forecasts, which price three hypothetical delays of an open order and need
    one total of each: the P10 total of the order delivered at ``deliveries[0]``, the
    expected total at ``deliveries[1]``, the P90 total at ``deliveries[2]``. Each is what
    ``estimator.estimate(incident, customer, delivered, context)`` totals for the order
    ``delivered`` at that moment (not before its promise), a late-delivery incident
    opened at the promise and resolved at delivery that records no effort hours, and a
    context assessing it at delivery: late from the promise to the delivery, the whole
    order affected, its criticality and value as given. Only the totals are computed,
    from the same inputs and kernels as :meth:`~LateDeliveryEstimator.estimate` and
    added in the items' order as :func:`item_totals` adds them: the very same floats,
    without the assumptions, texts and items that explain them (the test suite holds the
    two to each other). The customer's and the order's figures are resolved once; the
    customer's may come resolved already (``figures``, from :func:`customer_figures`
    with the same estimator, customer and context), for all of their orders.
    """
    r, profile = customer_figures(estimator, customer, context) if figures is None else figures
    crit, value = criticality(r, order), _order_value(r, order)
    totals = []
    for delivered, at in zip(deliveries, (_at_low, _at_mid, _at_high), strict=True):
        # As _late_inputs for an order delivered by as_of: late from promise to delivery.
        late = r.fact("order.days_late", days_until(order.promised_at, delivered), "days", "")
        given = _DeliveryInputs(late, crit, value, ongoing=False)
        items = at(_delivery_inputs(estimator, r, given, profile, _WHOLE_ORDER, None, ""))
        totals.append(0.0 + items[0] + items[1] + items[2])
    return totals[0], totals[1], totals[2]


def _check_delivery_fields(
    est: LateDeliveryEstimator | PartialDeliveryEstimator,
) -> None:
    c = Checks()
    check_common(c, est.defaults, est.spread, est.hours_per_day)
    c.number("handling_hours_per_day_late", est.handling_hours_per_day_late, high=24.0)
    c.share("expediting_rate", est.expediting_rate)
    c.done()
    # The parameters' assumptions are the same for every estimate: make them once.
    prefix = est.name
    parameters = (
        parameter(f"{prefix}.hours_per_day", est.hours_per_day, HOURS_PER_DAY, "hours/day"),
        parameter(f"{prefix}.expediting_rate", est.expediting_rate, EXPEDITING_RATE, "share"),
    )
    object.__setattr__(est, "_parameters", parameters)


@attrs.frozen(kw_only=True)
class LateDeliveryEstimator:
    """The customer's loss from a late delivery: operating days lost beyond their buffer.

    Items (``docs/impact.md``, "Late delivery"):

    - **lost margin** = max(0, days late - buffer days) x daily revenue x gross margin
      x criticality;
    - **idle staff** = the same days x hours a day x staff x hourly cost x criticality;
    - **extra handling and expediting** = handling hours x hourly cost, plus the
      expediting rate x the order value once the delay exceeds the buffer.

    Days late run to delivery, or to ``as_of`` while the order is undelivered (then
    the impact is ``ongoing``). Without a linked order the incident's open period
    stands in. Missing profile figures come from ``defaults`` and widen the range.

    Attributes:
        defaults: Figures by segment for what the profile lacks.
        spread: How wide a supplied or a default figure makes the range.
        hours_per_day: Operating hours per day (idle staff), (0, 24].
        handling_hours_per_day_late: Staff hours of chasing and re-planning per day
            late, when the incident records no ``effort_hours``.
        expediting_rate: Share of the order value the customer spends on premium
            freight or stop-gap supplies once the delay exceeds the buffer (0-1).

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> kovar, o1001, inc101 = p.customers[0], p.orders[0], p.incidents[0]
        >>> impact = LateDeliveryEstimator().estimate(inc101, kovar, o1001, example_context())
        >>> [f"{i.label}: {i.expected:,.0f}" for i in impact.items]
        ['Lost margin: operating days lost: 24,320', 'Idle staff: 19,968', 'Extra handling and expediting: 668']
        >>> f"EUR {impact.expected:,.0f} (P10 {impact.low:,.0f}, P90 {impact.high:,.0f})"
        'EUR 44,956 (P10 28,675, P90 61,517)'

    .. versionadded:: 0.1.0
    """

    defaults: ProfileDefaults = DEFAULT_PROFILE_DEFAULTS
    spread: Spread = DEFAULT_SPREAD
    hours_per_day: float = HOURS_PER_DAY
    handling_hours_per_day_late: float = HANDLING_HOURS_PER_DAY_LATE
    expediting_rate: float = EXPEDITING_RATE
    _parameters: tuple[Quantity, Quantity] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        _check_delivery_fields(self)

    @property
    def name(self) -> str:
        """``"late_delivery"``.

        Example:
            >>> LateDeliveryEstimator().name
            'late_delivery'
        """
        return "late_delivery"

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """Late deliveries; no batch method yet.

        Example:
            >>> sorted(LateDeliveryEstimator().capabilities.kinds)
            [<IncidentKind.LATE_DELIVERY: 'late_delivery'>]
        """
        return _LATE_CAPABILITIES

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Return the customer's loss from the late delivery ``incident`` (see the class).

        Raises:
            ValidationError: The incident, customer and order do not belong together.
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> p = example_portfolio()
            >>> rhein, o10002, inc1002 = p.customers[9], p.orders[9], p.incidents[7]
            >>> impact = LateDeliveryEstimator().estimate(inc1002, rhein, o10002, example_context())
            >>> impact.ongoing, round(impact.items[0].assumptions[0].value, 2)
            (True, 3.04)
        """
        return _delivery_impact(self, incident, customer, order, context, partial=False)


@attrs.frozen(kw_only=True)
class PartialDeliveryEstimator:
    """The customer's loss from a partial delivery: a late delivery of the missing share.

    The same items as :class:`LateDeliveryEstimator`, each scaled by the missing share
    (``incident.affected_share``). The missing part counts as late from the promise
    until the incident is resolved, or until ``as_of`` while it is still missing
    (then the impact is ``ongoing``).

    Attributes:
        defaults: Figures by segment for what the profile lacks.
        spread: How wide a supplied or a default figure makes the range.
        hours_per_day: Operating hours per day (idle staff), (0, 24].
        handling_hours_per_day_late: Staff hours of chasing and re-planning per day
            late, when the incident records no ``effort_hours``.
        expediting_rate: Share of the missing part's value spent on expediting once
            the delay exceeds the buffer (0-1).

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> harbour, o6001, inc601 = p.customers[5], p.orders[6], p.incidents[3]
        >>> impact = PartialDeliveryEstimator().estimate(inc601, harbour, o6001, example_context())
        >>> impact.ongoing, f"EUR {impact.expected:,.0f}"
        (True, 'EUR 10,023')

    .. versionadded:: 0.1.0
    """

    defaults: ProfileDefaults = DEFAULT_PROFILE_DEFAULTS
    spread: Spread = DEFAULT_SPREAD
    hours_per_day: float = HOURS_PER_DAY
    handling_hours_per_day_late: float = HANDLING_HOURS_PER_DAY_LATE
    expediting_rate: float = EXPEDITING_RATE
    _parameters: tuple[Quantity, Quantity] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        _check_delivery_fields(self)

    @property
    def name(self) -> str:
        """``"partial_delivery"``.

        Example:
            >>> PartialDeliveryEstimator().name
            'partial_delivery'
        """
        return "partial_delivery"

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """Partial deliveries; no batch method yet.

        Example:
            >>> PartialDeliveryEstimator().capabilities.batch
            False
        """
        return _PARTIAL_CAPABILITIES

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Return the customer's loss from the partial delivery ``incident`` (see the class).

        Raises:
            ValidationError: The incident, customer and order do not belong together.
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> p = example_portfolio()
            >>> harbour, o6001, inc601 = p.customers[5], p.orders[6], p.incidents[3]
            >>> impact = PartialDeliveryEstimator().estimate(inc601, harbour, o6001, example_context())
            >>> impact.items[0].assumptions[-1].value
            0.4
        """
        return _delivery_impact(self, incident, customer, order, context, partial=True)
