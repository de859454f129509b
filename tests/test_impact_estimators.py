"""Properties of every built-in impact estimator (hypothesis), and the worked examples."""

from __future__ import annotations

import copy
import functools
import math
import pickle
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from _drawing import maybe
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Context,
    Customer,
    ExchangeRates,
    Impact,
    ImpactEstimator,
    Incident,
    IncidentKind,
    MissingRateError,
    Money,
    OperatingProfile,
    Order,
    Segment,
    ValidationError,
    from_dict,
    to_dict,
)
from custadvocacy._impact._delivery import customer_figures, late_delivery_quantiles
from custadvocacy.estimators import (
    BillingErrorEstimator,
    DefectEstimator,
    LateDeliveryEstimator,
    PartialDeliveryEstimator,
    PerSegment,
    ProfileDefaults,
    ServiceOutageEstimator,
    SupportFailureEstimator,
)
from custadvocacy.examples import example_context, example_portfolio

AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RATES = ExchangeRates({("EUR", "CZK"): "25", ("EUR", "GBP"): "0.86"})
CONTEXT = Context(as_of=AS_OF, currency="EUR", rates=RATES)
DAY = timedelta(days=1)

ESTIMATORS: dict[IncidentKind, ImpactEstimator] = {
    IncidentKind.LATE_DELIVERY: LateDeliveryEstimator(),
    IncidentKind.PARTIAL_DELIVERY: PartialDeliveryEstimator(),
    IncidentKind.DEFECT: DefectEstimator(),
    IncidentKind.SERVICE_OUTAGE: ServiceOutageEstimator(),
    IncidentKind.BILLING_ERROR: BillingErrorEstimator(),
    IncidentKind.SUPPORT_FAILURE: SupportFailureEstimator(),
}
KINDS = list(ESTIMATORS)
ORDER_KINDS = [IncidentKind.LATE_DELIVERY, IncidentKind.PARTIAL_DELIVERY, IncidentKind.DEFECT]
SHARE_KINDS = [IncidentKind.PARTIAL_DELIVERY, IncidentKind.DEFECT, IncidentKind.SERVICE_OUTAGE]
REVENUE_KINDS = [*ORDER_KINDS, IncidentKind.SERVICE_OUTAGE]

# -- strategies (small and local: the public ones live in custadvocacy.testing) ---------

currencies = st.sampled_from(["EUR", "CZK", "GBP"])
shares = st.floats(min_value=0.0, max_value=1.0)
days = st.floats(min_value=0.0, max_value=60.0)


# The builders below are cached: the same arguments give the same strategy object, which
# Hypothesis validates once rather than at every draw (tests/_drawing.py says why).
@functools.cache
def moneys(currency: str, max_value: int) -> st.SearchStrategy[Money]:
    return st.integers(min_value=0, max_value=max_value).map(lambda n: Money(n, currency))


@functools.cache
@st.composite
def profiles(draw: st.DrawFn, currency: str) -> OperatingProfile:
    return OperatingProfile(
        daily_revenue=maybe(draw, moneys(currency, 10_000_000)),
        gross_margin=maybe(draw, shares),
        buffer_days=maybe(draw, st.floats(min_value=0.0, max_value=30.0)),
        staff_hourly_cost=maybe(draw, moneys(currency, 5_000)),
        staff_count=maybe(draw, st.integers(min_value=0, max_value=5_000)),
    )


@functools.cache
@st.composite
def customers(draw: st.DrawFn, currency: str | None = None) -> Customer:
    cur = draw(currencies) if currency is None else currency
    return Customer(
        id="C1",
        name="Customer",
        segment=draw(st.sampled_from(list(Segment))),
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency=cur,
        annual_value=Money(100_000, cur),
        profile=draw(profiles(cur)),
    )


@functools.cache
@st.composite
def orders(draw: st.DrawFn, currency: str) -> Order:
    placed = AS_OF - 90 * DAY
    promised = placed + draw(st.floats(min_value=0.0, max_value=80.0)) * DAY
    delivered_offset = maybe(draw, st.floats(min_value=-5.0, max_value=30.0))
    delivered = None if delivered_offset is None else max(placed, promised + delivered_offset * DAY)
    return Order(
        id="O1",
        customer_id="C1",
        placed_at=placed,
        promised_at=promised,
        value=draw(moneys(currency, 5_000_000)),
        criticality=maybe(draw, shares),
        delivered_at=delivered,
    )


@functools.cache
@st.composite
def cases(
    draw: st.DrawFn, kind: IncidentKind, currency: str | None = None, *, with_order: bool = False
) -> tuple[Incident, Customer, Order | None]:
    """An incident of ``kind`` with its customer and (maybe, or surely) order, consistent."""
    customer = draw(customers(currency))
    cur = customer.currency
    order = None
    if kind in ORDER_KINDS:
        order = draw(orders(cur)) if with_order else maybe(draw, orders(cur))
    opened = AS_OF - draw(days) * DAY
    resolved_after = maybe(draw, days)
    incident = Incident(
        id="I1",
        customer_id="C1",
        kind=kind,
        opened_at=opened,
        order_id=None if order is None else order.id,
        resolved_at=None if resolved_after is None else opened + resolved_after * DAY,
        affected_share=draw(shares),
        amount=maybe(draw, moneys(cur, 1_000_000)),
        effort_hours=maybe(draw, st.floats(min_value=0.0, max_value=500.0)),
    )
    return incident, customer, order


def any_case() -> st.SearchStrategy[tuple[Incident, Customer, Order | None]]:
    return st.sampled_from(KINDS).flatmap(cases)


def estimate(case: tuple[Incident, Customer, Order | None], context: Context = CONTEXT) -> Impact:
    incident, customer, order = case
    return ESTIMATORS[incident.kind].estimate(incident, customer, order, context)


def amounts(impact: Impact) -> list[float]:
    numbers = [impact.expected, impact.low, impact.high]
    for item in impact.items:
        numbers += [item.expected, item.low, item.high]
    return numbers


def assert_not_less(bigger: Impact, smaller: Impact) -> None:
    """Every total and item amount of ``bigger`` is >= the one of ``smaller``."""
    tolerance = 1e-9
    for big, small in zip(amounts(bigger), amounts(smaller), strict=True):
        assert big >= small - tolerance * max(1.0, abs(small)), (big, small)


# -- invariants of every estimate -----------------------------------------------------------


@given(any_case())
def test_never_negative_and_ordered(case: tuple[Incident, Customer, Order | None]) -> None:
    impact = estimate(case)
    assert impact.estimated
    assert impact.currency == "EUR"
    assert 0.0 <= impact.low <= impact.expected <= impact.high
    for item in impact.items:
        assert 0.0 <= item.low <= item.expected <= item.high
        assert all(math.isfinite(x) for x in (item.low, item.expected, item.high))
    assert math.isclose(impact.expected, math.fsum(i.expected for i in impact.items), abs_tol=1e-6)
    assert math.isclose(impact.high, math.fsum(i.high for i in impact.items), abs_tol=1e-6)


@given(any_case())
def test_deterministic(case: tuple[Incident, Customer, Order | None]) -> None:
    assert estimate(case) == estimate(case)


@given(any_case())
def test_inputs_not_mutated(case: tuple[Incident, Customer, Order | None]) -> None:
    before = copy.deepcopy(case)
    context_before = copy.deepcopy(CONTEXT)
    estimate(case)
    assert case == before
    assert context_before == CONTEXT


@given(any_case())
def test_defaults_are_named_and_supplied_figures_are_not(
    case: tuple[Incident, Customer, Order | None],
) -> None:
    incident, customer, _ = case
    impact = estimate(case)
    names = {a.name: a for a in impact.assumptions}
    for field in ("daily_revenue", "gross_margin", "buffer_days", "staff_hourly_cost"):
        assumption = names.get(f"customer.profile.{field}")
        if assumption is not None:
            supplied = getattr(customer.profile, field) is not None
            assert assumption.is_default is not supplied
    recorded = names.get("incident.effort_hours")
    if recorded is not None:
        assert recorded.is_default is (incident.effort_hours is None)
    assert set(impact.defaults_used) <= set(impact.assumptions)


@given(any_case())
def test_impact_round_trips_through_dicts_and_pickle(
    case: tuple[Incident, Customer, Order | None],
) -> None:
    impact = estimate(case)
    assert from_dict(Impact, to_dict(impact)) == impact
    assert pickle.loads(pickle.dumps(impact)) == impact  # noqa: S301 - our own bytes


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_converting_through_a_rate_scales_every_amount_by_that_rate(
    kind: IncidentKind, data: st.DataObject
) -> None:
    # Everything (the customer's figures and the defaults) is in EUR; report in GBP.
    case = data.draw(cases(kind, currency="EUR"))
    rate = data.draw(st.decimals(min_value="0.01", max_value="100", places=4))
    in_gbp = Context(as_of=AS_OF, currency="GBP", rates=ExchangeRates({("EUR", "GBP"): rate}))
    base, converted = estimate(case), estimate(case, in_gbp)
    factor = float(rate)
    for eur, gbp in zip(amounts(base), amounts(converted), strict=True):
        assert math.isclose(gbp, eur * factor, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_missing_rate_names_the_pair(kind: IncidentKind, data: st.DataObject) -> None:
    case = data.draw(cases(kind, currency="CZK"))
    in_usd = Context(as_of=AS_OF, currency="USD", rates=RATES)
    # Every estimator needs the staff hourly cost: CZK from the profile or EUR by default.
    with pytest.raises(MissingRateError, match=r"->USD"):
        estimate(case, in_usd)


# -- zero loss ---------------------------------------------------------------------------


@given(data=st.data())
def test_on_time_delivery_loses_nothing(data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(IncidentKind.LATE_DELIVERY, with_order=True))
    assert order is not None
    early = data.draw(st.floats(min_value=0.0, max_value=5.0))
    on_time = attrs.evolve(
        order, delivered_at=max(order.placed_at, order.promised_at - early * DAY)
    )
    impact = estimate((incident, customer, on_time))
    assert impact.high == 0.0
    assert not impact.ongoing or incident.is_open(AS_OF)


@pytest.mark.parametrize("kind", SHARE_KINDS)
@given(data=st.data())
def test_zero_affected_share_loses_nothing(kind: IncidentKind, data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(kind))
    impact = estimate((attrs.evolve(incident, affected_share=0.0), customer, order))
    assert impact.high == 0.0


@given(data=st.data())
def test_a_delay_inside_the_buffer_loses_no_operating_days(data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(IncidentKind.LATE_DELIVERY, with_order=True))
    assert order is not None
    order = attrs.evolve(order, delivered_at=order.promised_at + data.draw(days) * DAY)
    # The lateness as the datetimes give it (whole microseconds), then a buffer above it.
    buffer = order.days_late(AS_OF) + data.draw(st.floats(min_value=0.0, max_value=10.0))
    customer = attrs.evolve(customer, profile=attrs.evolve(customer.profile, buffer_days=buffer))
    impact = estimate((incident, customer, order))
    margin, idle, _ = impact.items
    assert margin.expected == idle.expected == 0.0
    assert margin.low == idle.low == 0.0


# -- monotonicity ------------------------------------------------------------------------


@given(data=st.data())
def test_non_decreasing_in_days_late(data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(IncidentKind.LATE_DELIVERY, with_order=True))
    assert order is not None
    first, extra = data.draw(days), data.draw(days)
    earlier = attrs.evolve(order, delivered_at=order.promised_at + first * DAY)
    later = attrs.evolve(order, delivered_at=order.promised_at + (first + extra) * DAY)
    # Recorded effort keeps the handling hours fixed (the default grows with lateness too).
    assert_not_less(estimate((incident, customer, later)), estimate((incident, customer, earlier)))


@pytest.mark.parametrize("kind", ORDER_KINDS)
@given(data=st.data())
def test_non_decreasing_in_criticality(kind: IncidentKind, data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(kind, with_order=True))
    assert order is not None
    low, high = sorted((data.draw(shares), data.draw(shares)))
    assert_not_less(
        estimate((incident, customer, attrs.evolve(order, criticality=high))),
        estimate((incident, customer, attrs.evolve(order, criticality=low))),
    )


@pytest.mark.parametrize("kind", REVENUE_KINDS)
@given(data=st.data())
def test_non_decreasing_in_daily_revenue(kind: IncidentKind, data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(kind))
    low, high = sorted((data.draw(st.integers(0, 10**7)), data.draw(st.integers(0, 10**7))))

    def with_revenue(amount: int) -> Customer:
        revenue = Money(amount, customer.currency)
        return attrs.evolve(customer, profile=attrs.evolve(customer.profile, daily_revenue=revenue))

    assert_not_less(
        estimate((incident, with_revenue(high), order)),
        estimate((incident, with_revenue(low), order)),
    )


@given(data=st.data())
def test_non_decreasing_in_hours_down(data: st.DataObject) -> None:
    incident, customer, _ = data.draw(cases(IncidentKind.SERVICE_OUTAGE))
    shorter, extra = data.draw(days), data.draw(days)
    opened = AS_OF - 70 * DAY
    short = attrs.evolve(incident, opened_at=opened, resolved_at=opened + shorter * DAY)
    long = attrs.evolve(incident, opened_at=opened, resolved_at=opened + (shorter + extra) * DAY)
    assert_not_less(estimate((long, customer, None)), estimate((short, customer, None)))


@pytest.mark.parametrize("kind", [*SHARE_KINDS, IncidentKind.SUPPORT_FAILURE])
@given(data=st.data())
def test_non_decreasing_in_affected_share(kind: IncidentKind, data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(kind))
    low, high = sorted((data.draw(shares), data.draw(shares)))
    # Recorded effort keeps default hours (which scale with the share) out of the way.
    incident = attrs.evolve(incident, effort_hours=data.draw(st.floats(0.0, 100.0)))
    assert_not_less(
        estimate((attrs.evolve(incident, affected_share=high), customer, order)),
        estimate((attrs.evolve(incident, affected_share=low), customer, order)),
    )


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_non_decreasing_in_staff_hours(kind: IncidentKind, data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(kind))
    low, high = sorted((data.draw(st.floats(0.0, 500.0)), data.draw(st.floats(0.0, 500.0))))
    assert_not_less(
        estimate((attrs.evolve(incident, effort_hours=high), customer, order)),
        estimate((attrs.evolve(incident, effort_hours=low), customer, order)),
    )


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_a_missing_figure_widens_the_range(kind: IncidentKind, data: st.DataObject) -> None:
    incident, customer, order = data.draw(cases(kind))
    wage = Money(data.draw(st.integers(1, 500)), customer.currency)
    known = attrs.evolve(customer, profile=attrs.evolve(customer.profile, staff_hourly_cost=wage))
    unknown = attrs.evolve(customer, profile=attrs.evolve(customer.profile, staff_hourly_cost=None))
    # Same central value: the default equals the supplied figure (in EUR).
    wage_eur = Money(Decimal(str(CONTEXT.to_float(wage))), "EUR")
    segment = customer.segment.value
    defaults = ProfileDefaults(
        **{
            s.value: attrs.evolve(
                getattr(ProfileDefaults(), s.value),
                staff_hourly_cost=wage_eur if s.value == segment else Money(30, "EUR"),
            )
            for s in Segment
        }
    )
    estimator = attrs.evolve(ESTIMATORS[kind], defaults=defaults)  # type: ignore[misc]
    supplied = estimator.estimate(incident, known, order, CONTEXT)
    defaulted = estimator.estimate(incident, unknown, order, CONTEXT)
    assert math.isclose(defaulted.expected, supplied.expected, rel_tol=1e-9, abs_tol=1e-9)
    assert defaulted.high >= supplied.high - 1e-9
    assert defaulted.low <= supplied.low + 1e-9


# -- references between the records --------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_records_that_do_not_belong_together_are_rejected(kind: IncidentKind) -> None:
    p = example_portfolio()
    incident = attrs.evolve(p.incidents[0], kind=kind)
    with pytest.raises(ValidationError) as info:
        ESTIMATORS[kind].estimate(incident, p.customers[1], p.orders[1], example_context())
    assert info.value.paths == ("customer.id", "order.id", "order.customer_id")


def test_an_order_the_incident_does_not_name_is_rejected() -> None:
    p = example_portfolio()
    with pytest.raises(ValidationError) as info:
        LateDeliveryEstimator().estimate(p.incidents[0], p.customers[0], p.orders[1], CONTEXT)
    assert info.value.paths == ("order.id",)


# -- without an order ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ORDER_KINDS)
def test_without_an_order_the_open_period_stands_in(kind: IncidentKind) -> None:
    p = example_portfolio()
    customer = p.customers[0]
    incident = Incident(
        id="I9",
        customer_id=customer.id,
        kind=kind,
        opened_at=AS_OF - 5 * DAY,
        affected_share=1.0,
    )
    impact = ESTIMATORS[kind].estimate(incident, customer, None, CONTEXT)
    days_used = next(a for a in impact.assumptions if a.unit == "days" and "days" in a.name)
    assert days_used.value == pytest.approx(5.0)
    criticality = next(a for a in impact.assumptions if a.name == "order.criticality")
    assert criticality.is_default
    assert impact.ongoing
    assert impact.expected > 0


# -- the estimators as values ------------------------------------------------------------------


@pytest.mark.parametrize("estimator", list(ESTIMATORS.values()), ids=lambda e: e.name)
def test_estimators_are_values(estimator: ImpactEstimator) -> None:
    assert isinstance(estimator, ImpactEstimator)
    assert from_dict(type(estimator), to_dict(estimator)) == estimator
    assert pickle.loads(pickle.dumps(estimator)) == estimator  # noqa: S301 - our own bytes
    assert estimator.capabilities.kinds == {
        next(k for k, e in ESTIMATORS.items() if e is estimator)
    }
    assert repr(estimator).startswith(type(estimator).__name__ + "(")


@pytest.mark.parametrize(
    ("factory", "bad", "paths"),
    [
        (LateDeliveryEstimator, {"hours_per_day": 0.0}, ["hours_per_day"]),
        (LateDeliveryEstimator, {"expediting_rate": 2.0, "spread": 1}, ["spread", "expediting_rate"]),
        (PartialDeliveryEstimator, {"handling_hours_per_day_late": -1.0}, ["handling_hours_per_day_late"]),
        (DefectEstimator, {"rework_hours": 3.0, "defaults": None}, ["defaults", "rework_hours"]),
        (ServiceOutageEstimator, {"decay_exponent": 1.5}, ["decay_exponent"]),
        (ServiceOutageEstimator, {"full_rate_hours": 0.0}, ["full_rate_hours"]),
        (BillingErrorEstimator, {"annual_cost_of_capital": -0.1}, ["annual_cost_of_capital"]),
        (BillingErrorEstimator, {"staff_hours": {}}, ["staff_hours"]),
        (SupportFailureEstimator, {"target_days": math.nan}, ["target_days"]),
        (SupportFailureEstimator, {"waiting_hours_per_day": 25.0}, ["waiting_hours_per_day"]),
    ],
)  # fmt: skip
def test_bad_parameters_are_reported_with_their_names(
    factory: Callable[..., object], bad: dict[str, Any], paths: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        factory(**bad)
    assert list(info.value.paths) == paths


@pytest.mark.parametrize(
    ("factory", "bad", "message"),
    [
        (SupportFailureEstimator, {"target_days": 3650.5},
         "target_days: expected a number from 0 to 3650 days, got 3650.5"),
        (SupportFailureEstimator, {"waiting_hours_per_day": 24.5},
         "waiting_hours_per_day: expected a number from 0 to 24 hours, got 24.5"),
        (ServiceOutageEstimator, {"hours_per_day": 0.005},
         "hours_per_day: expected a number from 0.01 to 24 hours, got 0.005"),
        (ServiceOutageEstimator, {"hours_per_day": 24.5},
         "hours_per_day: expected a number from 0.01 to 24 hours, got 24.5"),
        (ServiceOutageEstimator, {"full_rate_hours": 0.005},
         "full_rate_hours: expected a number from 0.01 to 1e+06, got 0.005"),
        (ServiceOutageEstimator, {"full_rate_hours": 1e6 + 1},
         "full_rate_hours: expected a number from 0.01 to 1e+06, got 1000001.0"),
        (ServiceOutageEstimator, {"decay_exponent": 0.005},
         "decay_exponent: expected a number from 0.01 to 1, got 0.005"),
        (ServiceOutageEstimator, {"recovery_hours_per_hour_down": 100.5},
         "recovery_hours_per_hour_down: expected a number from 0 to 100, got 100.5"),
        (LateDeliveryEstimator, {"hours_per_day": 24.5},
         "hours_per_day: expected a number from 0 to 24 hours, got 24.5"),
        (PartialDeliveryEstimator, {"handling_hours_per_day_late": 24.5},
         "handling_hours_per_day_late: expected a number from 0 to 24, got 24.5"),
        (ServiceOutageEstimator, {"defaults": None},
         "defaults: expected a ProfileDefaults, got None"),
        (LateDeliveryEstimator, {"defaults": None},
         "defaults: expected a ProfileDefaults, got None"),
    ],
)  # fmt: skip
def test_estimator_bounds_read_in_full(
    factory: Callable[..., object], bad: dict[str, float | None], message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        factory(**bad)
    assert str(info.value) == f"1 problem:\n  {message}"


def test_estimator_bounds_are_inclusive() -> None:
    low = ServiceOutageEstimator(hours_per_day=0.01, full_rate_hours=0.01, decay_exponent=0.01)
    high = ServiceOutageEstimator(
        hours_per_day=24.0,
        full_rate_hours=1e6,
        decay_exponent=1.0,
        recovery_hours_per_hour_down=100.0,
    )
    assert (low.hours_per_day, high.full_rate_hours, high.recovery_hours_per_hour_down) == (
        0.01,
        1e6,
        100.0,
    )
    support = SupportFailureEstimator(target_days=3650.0, waiting_hours_per_day=24.0)
    assert (support.target_days, support.waiting_hours_per_day) == (3650.0, 24.0)
    assert LateDeliveryEstimator(hours_per_day=24.0).hours_per_day == 24.0
    partial = PartialDeliveryEstimator(handling_hours_per_day_late=24.0)
    assert partial.handling_hours_per_day_late == 24.0


def test_a_host_setting_is_not_marked_as_default() -> None:
    p = example_portfolio()
    estimator = LateDeliveryEstimator(expediting_rate=0.05)
    impact = estimator.estimate(p.incidents[0], p.customers[0], p.orders[0], CONTEXT)
    rate = next(a for a in impact.assumptions if a.name == "late_delivery.expediting_rate")
    assert (rate.value, rate.is_default) == (0.05, False)
    assert rate.source == "estimator parameter set by the host"


def test_segment_defaults_are_used_per_segment() -> None:
    hours = PerSegment(small=1.0, mid_market=2.0, enterprise=3.0)
    estimator = SupportFailureEstimator(staff_hours=hours)
    p = example_portfolio()
    for customer, expected in (
        (p.customers[10], 1.0),
        (p.customers[11], 2.0),
        (p.customers[3], 3.0),
    ):
        incident = Incident(
            id="I", customer_id=customer.id, kind=IncidentKind.SUPPORT_FAILURE, opened_at=AS_OF
        )
        impact = estimator.estimate(incident, customer, None, CONTEXT)
        effort = next(a for a in impact.assumptions if a.name == "incident.effort_hours")
        assert (effort.value, effort.is_default) == (expected, True)


# -- worked examples (docs/impact.md) ---------------------------------------------------------


def test_kovar_six_days_late_with_a_two_day_buffer() -> None:
    p = example_portfolio()
    impact = LateDeliveryEstimator().estimate(
        p.incidents[0], p.customers[0], p.orders[0], example_context()
    )
    margin, idle, handling = impact.items
    # 4 days x CZK 380,000 (EUR 15,200) x 0.40 x 1.0; 4 x 8 h x 24 x CZK 650 (EUR 26).
    assert margin.expected == pytest.approx(24_320.0)
    assert idle.expected == pytest.approx(19_968.0)
    assert handling.expected == pytest.approx(6 * 26.0 + 0.02 * 25_600.0)
    assert 40_000 < impact.expected < 50_000
    assert impact.low < 30_000
    assert impact.high > 60_000
    assert not impact.ongoing
    assert [a.name for a in impact.defaults_used] == [
        "late_delivery.hours_per_day",
        "incident.effort_hours",
        "late_delivery.expediting_rate",
    ]


def test_an_open_late_order_counts_up_to_as_of_and_is_ongoing() -> None:
    p = example_portfolio()
    rhein, order = p.customers[9], p.orders[9]
    impact = LateDeliveryEstimator().estimate(p.incidents[7], rhein, order, CONTEXT)
    later = Context(as_of=AS_OF + DAY, currency="EUR", rates=RATES)
    tomorrow = LateDeliveryEstimator().estimate(p.incidents[7], rhein, order, later)
    assert impact.ongoing
    assert tomorrow.ongoing
    assert tomorrow.expected > impact.expected
    delivered = attrs.evolve(order, delivered_at=AS_OF - DAY)
    resolved = attrs.evolve(p.incidents[7], resolved_at=AS_OF - DAY)
    assert not LateDeliveryEstimator().estimate(resolved, rhein, delivered, CONTEXT).ongoing


def test_a_delivery_after_as_of_counts_only_up_to_as_of() -> None:
    p = example_portfolio()
    order = attrs.evolve(p.orders[0], delivered_at=AS_OF + 10 * DAY)
    impact = LateDeliveryEstimator().estimate(p.incidents[0], p.customers[0], order, CONTEXT)
    days_late = next(a for a in impact.assumptions if a.name == "order.days_late")
    assert days_late.value == pytest.approx((AS_OF - p.orders[0].promised_at) / DAY)
    assert impact.ongoing


def test_billing_error_without_an_amount_says_so() -> None:
    p = example_portfolio()
    incident = attrs.evolve(p.incidents[1], amount=None)
    impact = BillingErrorEstimator().estimate(incident, p.customers[1], p.orders[2], CONTEXT)
    amount = next(a for a in impact.assumptions if a.name == "incident.amount")
    assert amount.value == 0.0
    assert "not counted" in amount.source
    assert impact.items[1].expected == 0.0


def test_a_forecasts_totals_resolve_the_customers_figures_when_not_given() -> None:
    customer, orders, _ = example_portfolio().for_customer("C01")  # CZK, priced in EUR
    order = next(o for o in orders if o.is_open)
    deliveries = (
        order.promised_at + DAY,
        order.promised_at + 3 * DAY,
        order.promised_at + 9 * DAY,
    )
    estimator = LateDeliveryEstimator()
    given = customer_figures(estimator, customer, CONTEXT)
    totals = late_delivery_quantiles(estimator, customer, order, CONTEXT, deliveries)
    assert totals == late_delivery_quantiles(estimator, customer, order, CONTEXT, deliveries, given)
    assert 0 < totals[0] < totals[1] < totals[2]


def _defect_of_moravia(**profile: Any) -> tuple[Customer, Order, Incident]:
    customer, orders, incidents = example_portfolio().for_customer("C07")
    incident = next(i for i in incidents if i.id == "INC-701")
    order = next(o for o in orders if o.id == incident.order_id)
    return (
        attrs.evolve(customer, profile=attrs.evolve(customer.profile, **profile)),
        order,
        incident,
    )


def test_a_defect_names_the_customers_own_figures_and_a_wait_within_the_buffer() -> None:
    customer, order, incident = _defect_of_moravia(
        buffer_days=20.0, daily_revenue=Money("9000", "CZK"), gross_margin=0.5
    )
    resolved = attrs.evolve(incident, resolved_at=incident.opened_at + 3 * DAY)
    impact = DefectEstimator().estimate(resolved, customer, order, CONTEXT)
    sources = {a.name: a.source for a in impact.assumptions}
    assert sources["incident.days_open"] == "incident INC-701: opened 2026-11-09, resolved"
    for name in ("buffer_days", "gross_margin", "staff_count"):
        assert sources[f"customer.profile.{name}"] == "customer profile"
    for name in ("daily_revenue", "staff_hourly_cost"):
        assert sources[f"customer.profile.{name}"].startswith("customer profile: ")
    # Three days' wait inside a 20-day buffer: no operating day lost, and the basis says so.
    lost_margin = impact.items[0]
    assert lost_margin.expected == 0.0
    assert lost_margin.basis.startswith("0.00 operating days lost (3.00 waiting - 20.00 buffer)")


def test_a_defects_margin_range_stops_at_the_whole_revenue() -> None:
    # A margin's P90 is capped at 1: past 0.9 the high loss no longer grows with it.
    def high(margin: float) -> float:
        customer, order, incident = _defect_of_moravia(
            buffer_days=1.0, daily_revenue=Money("9000", "CZK"), gross_margin=margin
        )
        return DefectEstimator().estimate(incident, customer, order, CONTEXT).items[0].high

    assert high(0.5) < high(0.8) < high(0.95) == high(1.0)


def test_a_bad_hours_per_day_is_named_with_its_bound() -> None:
    with pytest.raises(ValidationError) as info:
        LateDeliveryEstimator(hours_per_day=0.0)
    assert str(info.value) == (
        "1 problem:\n  hours_per_day: expected a positive number of hours (at most 24), got 0.0"
    )


def test_an_undelivered_order_at_its_promise_is_not_late_yet() -> None:
    # Not arrived, but zero days past the promise, and the incident closed: not ongoing.
    p = example_portfolio()
    incident = next(i for i in p.incidents if i.kind is IncidentKind.LATE_DELIVERY)
    order = next(o for o in p.orders if o.id == incident.order_id)
    customer = p.customer(incident.customer_id)
    due = attrs.evolve(order, promised_at=AS_OF, delivered_at=None, eta=None)
    closed = attrs.evolve(incident, opened_at=due.placed_at, resolved_at=due.placed_at)
    impact = LateDeliveryEstimator().estimate(closed, customer, due, CONTEXT)
    assert not impact.ongoing
    assert impact.expected == 0.0


def test_a_partial_delivery_resolved_at_as_of_counts_as_resolved() -> None:
    p = example_portfolio()
    incident = next(i for i in p.incidents if i.kind is IncidentKind.PARTIAL_DELIVERY)
    order = next(o for o in p.orders if o.id == incident.order_id)
    customer = p.customer(incident.customer_id)
    resolved = attrs.evolve(incident, resolved_at=AS_OF)
    impact = PartialDeliveryEstimator().estimate(resolved, customer, order, CONTEXT)
    late = next(a for a in impact.assumptions if a.name == "order.days_late")
    assert late.source.endswith(f"resolved {AS_OF:%Y-%m-%d}")
    assert not impact.ongoing
