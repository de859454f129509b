"""Forecasts of open orders: probability late, loss if late, and what they rest on."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from _drawing import maybe
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    ConfigurationError,
    Context,
    Customer,
    DelayOutlook,
    EmpiricalLeadTimeModel,
    Forecast,
    ForecastBasis,
    IncidentKind,
    Money,
    OperatingProfile,
    Order,
    Segment,
    ValidationError,
    assess,
    default_estimators,
    forecast_orders,
    from_dict,
    to_dict,
)
from custadvocacy.examples import example_context, example_portfolio

AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CONTEXT = Context(as_of=AS_OF, currency="EUR")
CUSTOMER = Customer(
    id="C1",
    name="Machine shop",
    segment=Segment.SMALL,
    customer_since=datetime(2020, 1, 1, tzinfo=UTC),
    currency="EUR",
    annual_value=Money(100_000, "EUR"),
    profile=OperatingProfile(daily_revenue=Money(20_000, "EUR"), buffer_days=1, gross_margin=0.4),
)


@st.composite
def orders(draw: st.DrawFn, *, index: int) -> Order:
    promised = AS_OF + timedelta(hours=draw(st.integers(-20 * 24, 30 * 24)))
    is_open = draw(st.booleans())
    eta_hours = maybe(draw, st.integers(-5 * 24, 40 * 24))
    placed = promised - timedelta(days=draw(st.integers(1, 30)))
    return Order(
        id=f"O{index:02d}",
        customer_id="C1",
        placed_at=placed,
        promised_at=promised,
        value=Money(draw(st.integers(0, 500_000)), "EUR"),
        criticality=maybe(draw, st.floats(0, 1)),
        delivered_at=None
        if is_open
        else max(placed, promised + timedelta(hours=draw(st.integers(-48, 200)))),
        eta=None
        if eta_hours is None or not is_open
        else max(placed, promised + timedelta(hours=eta_hours)),
        lane=maybe(draw, st.sampled_from(("A", "B"))),
    )


order_lists = st.integers(0, 6).flatmap(
    lambda n: st.tuples(*(orders(index=i) for i in range(n))).map(list)
)


@given(given_orders=order_lists)
def test_only_open_orders_placed_by_as_of_are_forecast_sorted_by_id(
    given_orders: list[Order],
) -> None:
    forecasts = forecast_orders(CUSTOMER, given_orders, CONTEXT)
    expected = sorted(o.id for o in given_orders if o.is_open and o.placed_at <= AS_OF)
    assert [f.order_id for f in forecasts] == expected


def test_a_replay_does_not_forecast_an_order_placed_after_its_as_of() -> None:
    # C05's only order, O-5001, was placed on 2026-11-05: on 2026-10-01 it did not exist,
    # and an assessment then has nothing at risk and nothing to act on ahead.
    portfolio = example_portfolio()
    customer, c05_orders, incidents = portfolio.for_customer("C05")
    (order,) = c05_orders
    replay = attrs.evolve(example_context(), as_of=datetime(2026, 10, 1, tzinfo=UTC))
    assert order.placed_at > replay.as_of
    assert forecast_orders(customer, c05_orders, replay) == ()
    early = assess(customer, c05_orders, incidents, context=replay)
    assert (early.forecasts, early.recommendation.actions) == ((), ())
    assert early.score.points("forecast") == 0.0
    # At the moment it was placed it exists, and is forecast.
    placed = attrs.evolve(replay, as_of=order.placed_at)
    assert [f.order_id for f in forecast_orders(customer, c05_orders, placed)] == [order.id]


@given(given_orders=order_lists)
def test_forecasts_are_well_formed(given_orders: list[Order]) -> None:
    by_id = {o.id: o for o in given_orders}
    for f in forecasts_of(given_orders):
        assert 0.0 <= f.probability_late <= 1.0
        assert 0.0 <= f.low <= f.expected_loss <= f.high
        assert f.risk == pytest.approx(f.probability_late * f.expected_loss)
        assert f.currency == "EUR"
        assert f.already_late == (by_id[f.order_id].promised_at < AS_OF)
        if f.already_late:
            assert f.probability_late == 1.0
            assert f.note.startswith("promise passed")


def forecasts_of(given_orders: list[Order]) -> tuple[Forecast, ...]:
    return forecast_orders(CUSTOMER, given_orders, CONTEXT)


@given(given_orders=order_lists)
def test_forecasting_is_deterministic_order_free_and_does_not_mutate(
    given_orders: list[Order],
) -> None:
    before = [to_dict(o) for o in given_orders]
    first = forecasts_of(given_orders)
    assert forecasts_of(given_orders[::-1]) == first
    assert [to_dict(o) for o in given_orders] == before
    for f in first:
        assert pickle.loads(pickle.dumps(f)) == f  # noqa: S301 - our own bytes
        assert from_dict(Forecast, json.loads(json.dumps(to_dict(f)))) == f


def critical_order(*, eta_days_late: float) -> Order:
    promised = AS_OF + timedelta(days=4)
    return Order(
        id="O1",
        customer_id="C1",
        placed_at=AS_OF - timedelta(days=10),
        promised_at=promised,
        value=Money(30_000, "EUR"),
        criticality=1.0,
        eta=promised + timedelta(days=eta_days_late),
    )


@given(days=st.floats(0.0, 10.0), more=st.floats(0.5, 10.0))
def test_a_later_eta_never_lowers_the_risk(days: float, more: float) -> None:
    sooner = forecasts_of([critical_order(eta_days_late=days)])[0]
    later = forecasts_of([critical_order(eta_days_late=days + more)])[0]
    assert later.probability_late >= sooner.probability_late - 1e-12
    assert later.expected_loss >= sooner.expected_loss
    assert later.risk >= sooner.risk - 1e-9


def test_the_loss_if_late_is_the_late_delivery_estimators() -> None:
    (forecast,) = forecasts_of([critical_order(eta_days_late=5)])
    assert forecast.estimator == "late_delivery"
    assert forecast.basis is ForecastBasis.ETA
    assert forecast.expected_loss > 0
    assert forecast.low < forecast.expected_loss < forecast.high
    patient = attrs.evolve(CUSTOMER, profile=attrs.evolve(CUSTOMER.profile, buffer_days=30))
    (buffered,) = forecast_orders(patient, [critical_order(eta_days_late=5)], CONTEXT)
    assert buffered.expected_loss < forecast.expected_loss


def test_a_host_lead_time_model_is_used() -> None:
    @attrs.frozen
    class Pessimist:
        def outlook(self, order: Order, context: Context) -> DelayOutlook:  # noqa: ARG002
            return DelayOutlook(
                probability_late=0.7,
                expected_days_late=3.0,
                days_late_low=1.0,
                days_late_high=8.0,
                basis=ForecastBasis.HOST,
                note="carrier API",
            )

    (forecast,) = forecast_orders(
        CUSTOMER, [critical_order(eta_days_late=0)], CONTEXT, model=Pessimist()
    )
    assert forecast.probability_late == 0.7
    assert forecast.basis is ForecastBasis.HOST
    assert forecast.note == "carrier API"


def test_a_host_model_returning_something_else_is_reported() -> None:
    @attrs.frozen
    class Broken:
        def outlook(self, order: Order, context: Context) -> DelayOutlook:  # noqa: ARG002
            return 0.5  # type: ignore[return-value]

    with pytest.raises(ValidationError, match=r"model.outlook\('O1'\)"):
        forecast_orders(CUSTOMER, [critical_order(eta_days_late=0)], CONTEXT, model=Broken())


def test_a_fitted_model_is_used() -> None:
    history = [
        Order(
            id=f"H{i}",
            customer_id="C9",
            placed_at=AS_OF - timedelta(days=60),
            promised_at=AS_OF - timedelta(days=50),
            delivered_at=AS_OF - timedelta(days=47),
            value=Money(1, "EUR"),
            lane="A",
        )
        for i in range(25)
    ]
    order = attrs.evolve(critical_order(eta_days_late=0), eta=None, lane="A")
    model = EmpiricalLeadTimeModel.fit(history)
    (forecast,) = forecast_orders(CUSTOMER, [order], CONTEXT, model=model)
    assert forecast.basis is ForecastBasis.LANE
    assert forecast.observations == 25
    assert forecast.probability_late == pytest.approx((25 + 5 * 0.1) / (25 + 5))


def test_without_a_late_delivery_estimator_forecasting_refuses() -> None:
    estimators = default_estimators().without(IncidentKind.LATE_DELIVERY)
    with pytest.raises(ConfigurationError, match="late-delivery estimator"):
        forecast_orders(CUSTOMER, [], CONTEXT, estimators=estimators)


def test_orders_of_another_customer_are_reported() -> None:
    theirs = attrs.evolve(critical_order(eta_days_late=0), customer_id="C2")
    with pytest.raises(ValidationError) as caught:
        forecast_orders(CUSTOMER, ["x", theirs], CONTEXT)  # type: ignore[list-item]
    assert caught.value.paths == ("orders[0]", "orders[1].customer_id")


def forecast(**changes: object) -> Forecast:
    fields: dict[str, object] = {
        "order_id": "O1",
        "customer_id": "C1",
        "currency": "EUR",
        "promised_at": AS_OF,
        "probability_late": 0.5,
        "expected_days_late": 2.0,
        "days_late_low": 1.0,
        "days_late_high": 4.0,
        "expected_loss": 100.0,
        "low": 50.0,
        "high": 200.0,
        "risk": 50.0,
        "already_late": False,
        "basis": ForecastBasis.PRIOR,
    }
    fields.update(changes)
    return Forecast(**fields)  # type: ignore[arg-type]


def test_a_forecast_checks_its_fields_and_their_consistency() -> None:
    with pytest.raises(ValidationError) as caught:
        forecast(order_id="", currency="XXX", probability_late=2.0, low=-1.0, basis="eta")
    assert caught.value.paths == ("order_id", "currency", "probability_late", "low", "basis")
    with pytest.raises(ValidationError) as caught:
        forecast(days_late_low=3.0, low=150.0, risk=10.0)
    assert caught.value.paths == ("expected_days_late", "expected_loss", "risk")
    with pytest.raises(ValidationError) as caught:
        forecast(already_late=True)
    assert caught.value.paths == ("probability_late",)


def test_a_forecast_repr_says_what_matters() -> None:
    assert repr(forecast(probability_late=1.0, risk=100.0, already_late=True)) == (
        "Forecast('O1', p_late=1.000, days_late=2.0, expected_loss=100.00, risk=100.00, EUR, "
        "basis=prior, already late)"
    )
    assert isinstance(forecast(risk=50).risk, float)
