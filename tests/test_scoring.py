"""The advocacy score: the properties the issue asks for, on generated customers."""

from __future__ import annotations

import json
import math
import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import numpy as np
import pytest
from _drawing import maybe
from hypothesis import assume, example, given
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScore,
    AdvocacyScorer,
    Band,
    BandCount,
    Context,
    Contribution,
    Customer,
    ExchangeRates,
    Forecast,
    ForecastBasis,
    HealthSignals,
    Impact,
    Incident,
    IncidentKind,
    LossCategory,
    LossItem,
    Money,
    NoticedBy,
    OperatingProfile,
    Order,
    Scorer,
    ScorerConfig,
    ScoreWeights,
    Segment,
    Severity,
    ValidationError,
    forecast_orders,
    from_dict,
    to_dict,
)
from custadvocacy._scoring._formulas import mean_of_present
from custadvocacy._scoring._model import FACTORS, SUM_TOLERANCE
from custadvocacy._scoring._scorer import largest_remainder_cents
from custadvocacy.batch._score import largest_remainder as batch_largest_remainder
from custadvocacy.estimators import ProfileDefaults

AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CONTEXT = Context(
    as_of=AS_OF, currency="EUR", rates=ExchangeRates({("EUR", "CZK"): "25", ("EUR", "GBP"): "0.86"})
)
SCORER = AdvocacyScorer()

# ----------------------------------------------------------------------- strategies

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
moments = st.integers(min_value=-400 * 24, max_value=0).map(lambda h: AS_OF + timedelta(hours=h))


@st.composite
def health_signals(draw: st.DrawFn) -> HealthSignals:
    return HealthSignals(
        nps=maybe(draw, st.integers(0, 10)),
        csat=maybe(draw, st.floats(1, 5)),
        open_tickets=maybe(draw, st.integers(0, 50)),
        usage_trend=maybe(draw, st.floats(-1, 10)),
    )


@st.composite
def customers(draw: st.DrawFn, *, daily_revenue: bool | None = None) -> Customer:
    known = draw(st.booleans()) if daily_revenue is None else daily_revenue
    renewal_after = maybe(draw, st.integers(-100, 400))
    renewal = None if renewal_after is None else AS_OF + timedelta(days=renewal_after)
    return Customer(
        id="C1",
        name="Customer",
        segment=draw(st.sampled_from(Segment)),
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(draw(amounts), "EUR"),
        renewal_at=renewal,
        profile=OperatingProfile(
            daily_revenue=Money(draw(amounts), "EUR") if known else None, buffer_days=1.0
        ),
        health=draw(health_signals()),
    )


@st.composite
def incidents(draw: st.DrawFn, *, index: int) -> Incident:
    opened = draw(moments)
    resolved_after = maybe(draw, st.integers(0, 60 * 24))
    resolved = None if resolved_after is None else opened + timedelta(hours=resolved_after)
    return Incident(
        id=f"I{index:03d}",
        customer_id="C1",
        kind=draw(st.sampled_from(IncidentKind)),
        opened_at=opened,
        severity=draw(st.sampled_from(Severity)),
        noticed_by=maybe(draw, st.sampled_from(NoticedBy)),
        resolved_at=resolved,
    )


def impact_of(incident: Incident, loss: float) -> Impact:
    item = LossItem(
        label="Loss", category=LossCategory.OTHER, expected=loss, low=loss * 0.5, high=loss * 2
    )
    return Impact.from_items(
        incident=incident,
        estimator="test",
        currency="EUR",
        items=(item,),
        ongoing=incident.is_open(AS_OF),
    )


losses = st.floats(min_value=0.0, max_value=5_000_000.0)
History = tuple[list[Incident], list[Impact]]


@st.composite
def histories(draw: st.DrawFn) -> History:
    count = draw(st.integers(0, 6))
    found = [draw(incidents(index=i)) for i in range(count)]
    impacts = [impact_of(i, draw(losses)) for i in found if draw(st.booleans())]
    return found, impacts


def a_forecast(order_id: str, probability: float, loss: float) -> Forecast:
    return Forecast(
        order_id=order_id,
        customer_id="C1",
        currency="EUR",
        promised_at=AS_OF + timedelta(days=4),
        probability_late=probability,
        expected_days_late=3.0,
        days_late_low=1.0,
        days_late_high=6.0,
        expected_loss=loss,
        low=loss / 2,
        high=loss * 2,
        risk=probability * loss,
        already_late=False,
        basis=ForecastBasis.PRIOR,
    )


forecast_lists = st.lists(st.tuples(st.floats(0, 1), losses), max_size=3).map(
    lambda rows: [a_forecast(f"O{i}", p, loss) for i, (p, loss) in enumerate(rows)]
)


def score(
    customer: Customer,
    found: list[Incident] | tuple[Incident, ...] = (),
    impacts: list[Impact] | tuple[Impact, ...] = (),
    forecasts: list[Forecast] | tuple[Forecast, ...] = (),
    *,
    scorer: AdvocacyScorer = SCORER,
    context: Context = CONTEXT,
    orders: tuple[Order, ...] = (),
) -> AdvocacyScore:
    return scorer.score(customer, orders, found, impacts, forecasts, context)


# ----------------------------------------------------------------------- properties


@given(customer=customers(), history=histories(), forecasts=forecast_lists)
def test_the_score_is_bounded_and_its_band_matches(
    customer: Customer, history: History, forecasts: list[Forecast]
) -> None:
    result = score(customer, *history, forecasts)
    assert 0.0 <= result.value <= 100.0
    assert result.band is ScorerConfig().band(result.value)
    assert [c.factor for c in result.contributions] == list(FACTORS)


@given(customer=customers(), history=histories(), forecasts=forecast_lists)
def test_contributions_add_up_to_the_value(
    customer: Customer, history: History, forecasts: list[Forecast]
) -> None:
    result = score(customer, *history, forecasts)
    assert abs(sum(c.points for c in result.contributions) - result.value) <= SUM_TOLERANCE
    weights = ScoreWeights()
    for item in result.contributions:
        # points are hundredths, at most the factor's share of 100 (+ a rounding hundredth)
        assert math.isclose(item.points * 100, round(item.points * 100), abs_tol=1e-6)
        assert item.points <= 100 * weights.share(item.factor) + 0.01


@given(customer=customers(), history=histories(), forecasts=forecast_lists)
def test_the_order_of_the_inputs_does_not_matter(
    customer: Customer, history: History, forecasts: list[Forecast]
) -> None:
    found, impacts = history
    forward = score(customer, found, impacts, forecasts)
    backward = score(customer, found[::-1], impacts[::-1], forecasts[::-1])
    assert forward == backward
    assert forward.drivers == backward.drivers


@given(customer=customers(), history=histories(), forecasts=forecast_lists)
def test_same_inputs_same_score_and_the_score_pickles(
    customer: Customer, history: History, forecasts: list[Forecast]
) -> None:
    first = score(customer, *history, forecasts)
    assert score(customer, *history, forecasts) == first
    assert pickle.loads(pickle.dumps(first)) == first  # noqa: S301 - our own bytes
    assert from_dict(AdvocacyScore, json.loads(json.dumps(to_dict(first)))) == first


@given(customer=customers(), history=histories(), forecasts=forecast_lists)
def test_scoring_does_not_mutate_its_inputs(
    customer: Customer, history: History, forecasts: list[Forecast]
) -> None:
    found, impacts = history
    before = (to_dict(customer), [to_dict(i) for i in found], [to_dict(x) for x in impacts])
    score(customer, found, impacts, forecasts)
    after = (to_dict(customer), [to_dict(i) for i in found], [to_dict(x) for x in impacts])
    assert before == after


@given(
    customer=customers(),
    history=histories(),
    which=st.integers(0, 5),
    factor=st.floats(min_value=1.0, max_value=100.0),
)
def test_more_harm_never_lowers_the_score(
    customer: Customer, history: History, which: int, factor: float
) -> None:
    found, impacts = history
    assume(impacts)
    target = impacts[which % len(impacts)]
    incident = next(i for i in found if i.id == target.incident_id)
    worse = [impact_of(incident, x.expected * factor) if x is target else x for x in impacts]
    assert score(customer, found, worse).value >= score(customer, found, impacts).value


@given(customer=customers(), history=histories(), extra=incidents(index=999), loss=losses)
def test_another_incident_never_lowers_the_score(
    customer: Customer, history: History, extra: Incident, loss: float
) -> None:
    found, impacts = history
    more = score(customer, [*found, extra], [*impacts, impact_of(extra, loss)])
    assert more.value >= score(customer, found, impacts).value


@given(
    customer=customers(),
    loss=st.floats(min_value=1.0, max_value=5e6),
    days=st.integers(1, 300),
    later=st.integers(1, 300),
)
def test_a_resolved_incidents_weight_decays_with_time(
    customer: Customer, loss: float, days: int, later: int
) -> None:
    opened = AS_OF - timedelta(days=400)
    incident = Incident(
        id="I1",
        customer_id="C1",
        kind=IncidentKind.DEFECT,
        opened_at=opened,
        resolved_at=opened + timedelta(days=10),
    )
    impacts = [impact_of(incident, loss)]
    sooner = attrs.evolve(CONTEXT, as_of=opened + timedelta(days=10 + days))
    afterwards = attrs.evolve(CONTEXT, as_of=opened + timedelta(days=10 + days + later))
    near = score(customer, [incident], impacts, context=sooner).points("harm")
    far = score(customer, [incident], impacts, context=afterwards).points("harm")
    # Rounded points: largest-remainder rounding can hand harm the cent that repetition
    # (decaying too) lost (docs/scoring.md); the exact points decay.
    assert far <= near + 0.01 + 1e-9


@given(customer=customers(), signals=health_signals())
def test_missing_health_signals_never_raise_and_are_skipped(
    customer: Customer, signals: HealthSignals
) -> None:
    result = score(attrs.evolve(customer, health=signals))
    present = [
        v
        for v in (
            None if signals.nps is None else 1 - signals.nps / 10,
            None if signals.csat is None else (5 - signals.csat) / 4,
            None if signals.open_tickets is None else 1 - math.exp(-signals.open_tickets / 3),
            None if signals.usage_trend is None else min(1.0, max(0.0, -signals.usage_trend / 0.5)),
        )
        if v is not None
    ]
    expected = sum(present) / len(present) if present else 0.0
    assert math.isclose(result.points("health"), 10 * expected, abs_tol=0.011)
    # the batch kernel gives the same share for the same row
    row = np.array([[math.nan if v is None else v for v in (*present, None, None, None, None)][:4]])
    assert math.isclose(float(mean_of_present(row)[0]), expected, abs_tol=1e-12)


@given(customer=customers(), history=histories(), reactive=st.sampled_from(Severity))
def test_an_incident_the_customer_told_us_about_weighs_more(
    customer: Customer, history: History, reactive: Severity
) -> None:
    found, impacts = history
    base = Incident(
        id="I999",
        customer_id="C1",
        kind=IncidentKind.SUPPORT_FAILURE,
        opened_at=AS_OF - timedelta(days=3),
        severity=reactive,
    )
    told = score(customer, [*found, attrs.evolve(base, noticed_by=NoticedBy.CUSTOMER)], impacts)
    flagged = score(customer, [*found, attrs.evolve(base, noticed_by=NoticedBy.VENDOR)], impacts)
    assert told.value >= flagged.value
    assert told.points("reactive") >= flagged.points("reactive")
    if flagged.points("reactive") < 9.0:  # below saturation a reported incident shows
        assert told.points("reactive") > flagged.points("reactive")


@given(customer=customers(), forecasts=forecast_lists)
def test_forecast_risk_counts_and_more_risk_never_lowers_the_score(
    customer: Customer, forecasts: list[Forecast]
) -> None:
    assume(forecasts)
    without = score(customer)
    with_risk = score(customer, forecasts=forecasts)
    assert with_risk.value >= without.value
    worse = [a_forecast(f.order_id, 1.0, f.expected_loss * 2) for f in forecasts]
    assert score(customer, forecasts=worse).value >= with_risk.value


@given(
    daily=st.integers(1_000, 1_000_000),
    days_before=st.integers(1, 10),
    eta_after=st.integers(3, 15),
)
def test_a_forecast_of_a_late_critical_order_raises_the_score_before_the_promise(
    daily: int, days_before: int, eta_after: int
) -> None:
    customer = Customer(
        id="C1",
        name="Machine shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(daily * 5, "EUR"),
        profile=OperatingProfile(
            daily_revenue=Money(daily, "EUR"), buffer_days=1, gross_margin=0.4
        ),
    )
    promised = AS_OF + timedelta(days=days_before)
    order = Order(
        id="O1",
        customer_id="C1",
        placed_at=AS_OF - timedelta(days=20),
        promised_at=promised,
        value=Money(daily, "EUR"),
        criticality=1.0,
        eta=promised + timedelta(days=eta_after),
    )
    forecasts = forecast_orders(customer, [order], CONTEXT)
    assert forecasts[0].probability_late > 0.5  # the carrier expects it late
    assert not forecasts[0].already_late
    without = score(customer, orders=(order,))
    warned = score(customer, forecasts=forecasts, orders=(order,))
    assert warned.value > without.value
    assert warned.points("forecast") > 0


def test_an_open_incident_on_a_late_order_weighs_the_forecast_it_is_heading_for() -> None:
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(50_000, "EUR"),
        profile=OperatingProfile(daily_revenue=Money(10_000, "EUR")),
    )
    incident = Incident(
        id="I1",
        customer_id="C1",
        kind=IncidentKind.LATE_DELIVERY,
        opened_at=AS_OF - timedelta(days=1),
        order_id="O0",
    )
    impacts = [impact_of(incident, 1_000.0)]
    heading = [a_forecast("O0", 1.0, 20_000.0)]
    plain = score(customer, [incident], impacts)
    warned = score(customer, [incident], impacts, heading)
    assert warned.points("harm") > plain.points("harm")
    assert warned.points("forecast") == 0.0  # weighed once, in harm
    assert "heading for 20,000.00 EUR" in warned.contributions[0].detail


def test_a_forecast_of_an_order_delivered_since_is_stale_and_ignored() -> None:
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(50_000, "EUR"),
    )
    delivered = Order(
        id="O0",
        customer_id="C1",
        placed_at=AS_OF - timedelta(days=20),
        promised_at=AS_OF - timedelta(days=2),
        delivered_at=AS_OF - timedelta(days=1),
        value=Money(100, "EUR"),
    )
    stale = score(customer, forecasts=[a_forecast("O0", 1.0, 50_000.0)], orders=(delivered,))
    assert stale.points("forecast") == 0.0
    assert "covered by an incident or delivered" in stale.contributions[4].detail


@given(customer=customers(), history=histories(), forecasts=forecast_lists)
def test_relationship_weight_zero_gives_a_pure_customer_harm_view(
    customer: Customer, history: History, forecasts: list[Forecast]
) -> None:
    pure = AdvocacyScorer(config=ScorerConfig(weights=ScoreWeights(relationship=0.0)))
    result = score(customer, *history, forecasts, scorer=pure)
    assert result.points("relationship") == 0.0
    assert abs(sum(c.points for c in result.contributions) - result.value) <= SUM_TOLERANCE


def test_incidents_opened_after_as_of_are_ignored() -> None:
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(50_000, "EUR"),
    )
    future = Incident(
        id="I1",
        customer_id="C1",
        kind=IncidentKind.DEFECT,
        opened_at=AS_OF + timedelta(days=1),
        noticed_by=NoticedBy.CUSTOMER,
    )
    assert score(customer, [future], [impact_of(future, 1e6)]) == score(customer)


def test_a_customer_with_nothing_known_scores_zero_but_the_relationship() -> None:
    customer = Customer(
        id="C1",
        name="Quiet",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(0, "EUR"),
    )
    result = score(customer)
    assert result.value == 0.0
    assert result.band is Band.STABLE
    assert result.drivers == ()
    assert "no health signals" in result.contributions[5].detail
    assert "no renewal date" in result.contributions[6].detail


def test_not_estimated_impacts_are_named_and_renewals_past_and_near_described() -> None:
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(50_000, "EUR"),
        renewal_at=AS_OF - timedelta(days=3),
    )
    incident = Incident(
        id="I1", customer_id="C1", kind=IncidentKind.OTHER, opened_at=AS_OF - timedelta(days=2)
    )
    blank = Impact.not_estimated(incident, CONTEXT, reason="no estimator for kind 'other'")
    result = score(customer, [incident], [blank])
    assert result.points("harm") == 0.0
    assert "1 incident(s) not estimated" in result.contributions[0].detail
    assert "renewal passed 3 days ago" in result.contributions[6].detail
    soon = score(attrs.evolve(customer, renewal_at=AS_OF + timedelta(days=30)))
    assert soon.points("relationship") > result.points("relationship")


def test_a_zero_daily_revenue_makes_any_loss_weigh_fully() -> None:
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(0, "EUR"),
        profile=OperatingProfile(daily_revenue=Money(0, "EUR")),
    )
    incident = Incident(
        id="I1", customer_id="C1", kind=IncidentKind.DEFECT, opened_at=AS_OF - timedelta(days=2)
    )
    result = score(customer, [incident], [impact_of(incident, 10.0)])
    assert result.points("harm") == 35.0
    assert "inf days" in result.contributions[0].detail


def test_scores_in_another_currency_convert_the_customer_figures() -> None:
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="CZK",
        annual_value=Money(2_500_000, "CZK"),
        profile=OperatingProfile(daily_revenue=Money(250_000, "CZK")),
    )
    czk = attrs.evolve(CONTEXT, currency="CZK")
    eur = score(customer)
    assert score(customer, context=czk).value == eur.value


# ----------------------------------------------------------------------- validation


def test_inputs_of_another_customer_or_currency_are_reported_together() -> None:
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(1, "EUR"),
    )
    mine = Incident(id="I1", customer_id="C1", kind=IncidentKind.DEFECT, opened_at=AS_OF)
    theirs = attrs.evolve(mine, id="I2", customer_id="C2")
    gbp = attrs.evolve(impact_of(mine, 1.0), currency="GBP")
    orphan = impact_of(attrs.evolve(mine, id="I3"), 1.0)
    twice = impact_of(mine, 2.0)
    forecast = attrs.evolve(a_forecast("O1", 0.5, 1.0), currency="GBP")
    with pytest.raises(ValidationError) as caught:
        SCORER.score(customer, ["x"], [mine, theirs], [gbp, orphan, twice], [forecast], CONTEXT)  # type: ignore[list-item]
    assert caught.value.paths == ("orders[0]", "incidents[1].customer_id")
    with pytest.raises(ValidationError) as caught:
        SCORER.score(customer, [], [mine], [gbp, orphan, twice], [forecast], CONTEXT)
    assert caught.value.paths == (
        "impacts[0].currency",
        "impacts[1].incident_id",
        "impacts[2].incident_id",
        "forecasts[0].currency",
    )


def test_the_customer_context_and_config_are_checked() -> None:
    with pytest.raises(ValidationError, match="customer: expected a Customer"):
        SCORER.score("C1", [], [], [], [], CONTEXT)  # type: ignore[arg-type]
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(1, "EUR"),
    )
    with pytest.raises(ValidationError, match="context: expected a Context"):
        SCORER.score(customer, [], [], [], [], None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        AdvocacyScorer(config={})  # type: ignore[arg-type]
    assert str(info.value) == "1 problem:\n  config: expected a ScorerConfig, got {}"


def test_the_default_scorer_is_a_scorer() -> None:
    assert isinstance(SCORER, Scorer)


# ----------------------------------------------------------------------- the model


finite = st.floats(min_value=0.001, max_value=1000.0)


@st.composite
def configs(draw: st.DrawFn) -> ScorerConfig:
    values = {name: draw(st.floats(0.0, 5.0)) for name in FACTORS}
    values["harm"] = draw(st.floats(0.01, 5.0))  # at least one weight above zero
    weights = ScoreWeights(**values)
    cuts = sorted(draw(st.lists(st.floats(1.0, 100.0), min_size=4, max_size=4, unique=True)))
    return ScorerConfig(
        weights=weights,
        harm_scale_days=draw(finite),
        resolved_half_life_days=draw(finite),
        repetition_half_life_days=draw(finite),
        repetition_midpoint=draw(finite),
        unresolved_scale_days=draw(finite),
        reactive_scale=draw(finite),
        profile_defaults=ProfileDefaults(
            **{
                segment.value: attrs.evolve(
                    getattr(ProfileDefaults(), segment.value),
                    daily_revenue=Money(draw(st.decimals(0, 10_000_000, places=2)), "EUR"),
                )
                for segment in Segment
            }
        ),
        ticket_scale=draw(finite),
        usage_full_drop=draw(finite),
        value_scale=Money(draw(st.decimals(1, 10_000_000, places=2)), "EUR"),
        renewal_window_days=draw(finite),
        band_thresholds=(cuts[0], cuts[1], cuts[2], cuts[3]),
        max_drivers=draw(st.integers(1, 20)),
    )


@given(config=configs())
def test_the_config_round_trips_through_json(config: ScorerConfig) -> None:
    assert from_dict(ScorerConfig, json.loads(json.dumps(to_dict(config)))) == config
    assert pickle.loads(pickle.dumps(config)) == config  # noqa: S301 - our own bytes


@given(config=configs(), customer=customers(), history=histories(), forecasts=forecast_lists)
def test_any_valid_config_scores_within_bounds(
    config: ScorerConfig, customer: Customer, history: History, forecasts: list[Forecast]
) -> None:
    result = score(customer, *history, forecasts, scorer=AdvocacyScorer(config=config))
    assert 0.0 <= result.value <= 100.0
    assert result.band is config.band(result.value)
    assert len(result.drivers) <= config.max_drivers


def test_a_bad_config_names_every_field() -> None:
    with pytest.raises(ValidationError) as caught:
        ScorerConfig(
            weights="heavy",  # type: ignore[arg-type]
            harm_scale_days=0.0,
            renewal_window_days=math.nan,
            value_scale=Money(0, "EUR"),
            band_thresholds=(10.0, 20.0, 30.0),  # type: ignore[arg-type]
            max_drivers=0,
        )
    assert caught.value.paths == (
        "weights",
        "harm_scale_days",
        "renewal_window_days",
        "value_scale.amount",
        "band_thresholds",
        "max_drivers",
    )
    with pytest.raises(ValidationError, match="band_thresholds"):
        ScorerConfig(band_thresholds=(0.0, 20.0, 30.0, 40.0))
    with pytest.raises(ValidationError, match="band_thresholds"):
        ScorerConfig(band_thresholds=(10.0, 20.0, 30.0, "x"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="value_scale"):
        ScorerConfig(value_scale=5)  # type: ignore[arg-type]


def test_the_config_rejects_a_bad_payload_with_paths() -> None:
    payload = to_dict(ScorerConfig())
    payload["weights"]["harm"] = -1
    payload["band_thresholds"] = [50, 40, 30, 20]
    with pytest.raises(ValidationError) as caught:
        from_dict(ScorerConfig, payload)
    assert caught.value.paths == ("weights.harm", "band_thresholds")  # both at once
    payload["weights"]["harm"] = 1
    with pytest.raises(ValidationError) as caught:
        from_dict(ScorerConfig, payload)
    assert caught.value.paths == ("band_thresholds",)


def test_weights_must_not_all_be_zero_nor_negative() -> None:
    with pytest.raises(ValidationError, match="at least one weight above zero"):
        ScoreWeights(**dict.fromkeys(FACTORS, 0.0))
    with pytest.raises(ValidationError) as caught:
        ScoreWeights(harm=-1.0, health=math.inf)
    assert caught.value.paths == ("harm", "health")
    assert ScoreWeights(harm=1).harm == 1.0
    assert isinstance(ScoreWeights(harm=1).harm, float)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.0, Band.STABLE),
        (9.99, Band.STABLE),
        (10.0, Band.WATCH),
        (24.99, Band.WATCH),
        (25.0, Band.ELEVATED),
        (40.0, Band.HIGH),
        (59.99, Band.HIGH),
        (60.0, Band.CRITICAL),
        (100.0, Band.CRITICAL),
    ],
)
def test_band_bounds_are_lower_inclusive(value: float, band: Band) -> None:
    assert Band.from_value(value) is band
    assert ScorerConfig().band(value) is band


def test_a_band_takes_numpys_numbers_as_scores() -> None:
    assert Band.from_value(np.int64(50)) is Band.HIGH  # type: ignore[arg-type]
    assert Band.from_value(np.float32(9.5)) is Band.STABLE  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [math.nan, np.float64("nan"), -0.01, 100.01, math.inf, "40", True, np.True_, None]
)
def test_a_band_is_only_for_a_score(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Band.from_value(value)
    assert [(p.path, p.expected) for p in info.value.problems] == [
        ("value", "a score from 0 to 100")
    ]


@pytest.mark.parametrize("thresholds", [(10.0, 20.0), (40.0, 30.0, 50.0, 60.0), "1234", None])
def test_a_band_needs_four_increasing_thresholds(thresholds: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Band.from_value(50.0, thresholds)
    assert [(p.path, p.expected) for p in info.value.problems] == [
        ("thresholds", "four strictly increasing numbers in (0, 100]")
    ]


def test_band_ranks_follow_urgency() -> None:
    assert [b.rank for b in Band] == [0, 1, 2, 3, 4]


def test_a_score_whose_points_do_not_add_up_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        AdvocacyScore(
            customer_id="C1",
            as_of=AS_OF,
            value=10.0,
            band=Band.WATCH,
            contributions=(Contribution(factor="harm", points=9.0),),
        )
    assert caught.value.paths == ("value",)


def test_a_score_with_bad_fields_lists_them_all() -> None:
    with pytest.raises(ValidationError) as caught:
        AdvocacyScore(
            customer_id="",
            as_of=datetime(2026, 1, 1),  # noqa: DTZ001 - naive on purpose
            value=101.0,
            band="red",  # type: ignore[arg-type]
            contributions=[Contribution(factor="harm", points=1.0)],  # type: ignore[arg-type]
            drivers=("",),
        )
    assert caught.value.paths == (
        "customer_id",
        "as_of",
        "value",
        "band",
        "contributions",
        "drivers[0]",
    )
    with pytest.raises(ValidationError) as caught:
        AdvocacyScore(
            customer_id="C1",
            as_of=AS_OF,
            value=0.0,
            band=Band.STABLE,
            contributions=("harm",),  # type: ignore[arg-type]
            drivers=["x"],  # type: ignore[arg-type]
        )
    assert caught.value.paths == ("contributions[0]", "drivers")
    with pytest.raises(ValidationError) as caught:
        Contribution(factor="", points=-1.0, detail=None)  # type: ignore[arg-type]
    assert caught.value.paths == ("factor", "points", "detail")


def test_score_helpers_and_repr() -> None:
    result = AdvocacyScore(
        customer_id="C1",
        as_of=AS_OF,
        value=7,
        band=Band.STABLE,
        contributions=(
            Contribution(factor="harm", points=2.0),
            Contribution(factor="health", points=5),
            Contribution(factor="forecast", points=0.0),
        ),
    )
    assert isinstance(result.value, float)
    assert result.points("health") == 5.0
    assert [c.factor for c in result.top(1)] == ["health"]
    assert repr(result) == "AdvocacyScore('C1', 7.0, stable, health=5.0, harm=2.0)"


@given(raw=st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=1, max_size=10))
def test_largest_remainder_rounding_adds_up_to_the_rounded_total(raw: list[float]) -> None:
    cents = largest_remainder_cents(raw)
    assert sum(cents) == round(math.fsum(v * 100 for v in raw))
    for value, part in zip(raw, cents, strict=True):
        assert abs(part - value * 100) < 1.0 + 1e-9


@given(
    rows=st.lists(
        st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=6, max_size=6),
        min_size=1,
        max_size=5,
    )
)
@example(rows=[[0.125, 0.125, 0.125, 0.125, 0.0, 0.0]])  # four equal remainders: ties
def test_the_batch_rounding_is_the_object_paths_row_by_row(rows: list[list[float]]) -> None:
    # The batch path rounds a whole table at once, summing each row as math.fsum does.
    expected = [list(largest_remainder_cents(row)) for row in rows]
    assert batch_largest_remainder(np.array(rows)).tolist() == expected


def test_the_scorer_itself_pickles_and_round_trips() -> None:
    scorer = AdvocacyScorer(config=ScorerConfig(weights=ScoreWeights(relationship=0.0)))
    assert pickle.loads(pickle.dumps(scorer)) == scorer  # noqa: S301 - our own bytes
    again = from_dict(AdvocacyScorer, json.loads(json.dumps(to_dict(scorer))))
    assert again == scorer
    customer = Customer(
        id="C1",
        name="Shop",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency="EUR",
        annual_value=Money(50_000, "EUR"),
        renewal_at=AS_OF + timedelta(days=10),
    )
    assert score(customer, scorer=again) == score(customer, scorer=scorer)


def test_a_score_summary_names_each_bad_field_exactly() -> None:
    from custadvocacy import assess_portfolio  # noqa: PLC0415 - only this test needs it
    from custadvocacy.examples import example_context, example_portfolio  # noqa: PLC0415

    summary = assess_portfolio(example_portfolio(), context=example_context()).summary

    def problems(**changes: Any) -> list[tuple[str, object, str]]:
        with pytest.raises(ValidationError) as info:
            attrs.evolve(summary, **changes)
        return [(p.path, p.value, p.expected) for p in info.value.problems]

    whole = "a whole number from 0 to 1e+12"
    assert problems(
        customers=1.5, incidents=-1, vendor_first=True, customer_first=10**12 + 1,
        unknown_noticed="x", mean_value=101.0, proactivity_rate=2.0, band_counts=(),
        ranked=["a"],
    ) == [
        ("customers", 1.5, whole),
        ("incidents", -1, whole),
        ("vendor_first", True, whole),
        ("customer_first", 10**12 + 1, whole),
        ("unknown_noticed", "x", whole),
        ("mean_value", 101.0, "a number from 0 to 100"),
        ("proactivity_rate", 2.0, "a number from 0 to 1 (a share)"),
        ("band_counts", (), "one BandCount per band, stable to critical"),
        ("ranked", ["a"], "a tuple of customer ids"),
    ]  # fmt: skip
    assert problems(ranked=("C1", 5)) == [("ranked[1]", 5, "a string")]
    # Band counts that are not BandCounts at all: named, not an AttributeError.
    assert problems(band_counts=("x",) * 5) == [
        ("band_counts", ("x",) * 5, "one BandCount per band, stable to critical")
    ]
    assert problems(customers=13) == [
        ("band_counts", summary.band_counts, "counts adding up to 13"),
        ("ranked", summary.ranked, "13 customer ids"),
    ]
    assert problems(incidents=summary.incidents + 1) == [
        ("incidents", summary.incidents + 1, f"vendor + customer + unknown ({summary.incidents})")
    ]
    with pytest.raises(ValidationError) as info:
        BandCount(band="x", count=-1)  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("band", "x", "one of 'stable', 'watch', 'elevated', 'high', 'critical'"),
        ("count", -1, whole),
    ]


def test_summarize_names_each_bad_input_and_counts_incidents_from_since_on() -> None:
    from custadvocacy import assess_portfolio, summarize  # noqa: PLC0415 - only this test
    from custadvocacy.examples import example_context, example_portfolio  # noqa: PLC0415

    portfolio = example_portfolio()
    score = assess_portfolio(portfolio, context=example_context()).assessments[0].score
    with pytest.raises(ValidationError) as info:
        summarize(["x", score, score], ["y"])  # type: ignore[list-item]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("scores[0]", "x", "an AdvocacyScore"),
        ("scores[2].customer_id", score.customer_id, "one score per customer"),
        ("incidents[0]", "y", "an Incident"),
    ]
    incident = portfolio.incidents[0]
    assert summarize([score], [incident], since=incident.opened_at).incidents == 1  # at since
    later = incident.opened_at + timedelta(microseconds=1)
    assert summarize([score], [incident], since=later).incidents == 0


def test_the_scorers_input_problems_are_listed_word_for_word() -> None:
    from custadvocacy import estimate_impacts  # noqa: PLC0415
    from custadvocacy.examples import example_context, example_portfolio  # noqa: PLC0415

    portfolio, ctx = example_portfolio(), example_context()
    kovar, orders, incidents = portfolio.for_customer("C01")
    rhein, their_orders, _ = portfolio.for_customer("C10")
    impacts = estimate_impacts(kovar, orders, incidents, ctx)
    forecasts = forecast_orders(kovar, orders, ctx)
    in_czk = attrs.evolve(ctx, currency="CZK")
    impact_czk = estimate_impacts(kovar, orders, incidents, in_czk)[0]
    forecasts_czk = forecast_orders(kovar, orders, in_czk)
    scorer = AdvocacyScorer()

    def problems(*args: Any) -> str:
        with pytest.raises(ValidationError) as info:
            scorer.score(*args)
        return str(info.value)

    given: Any = 42
    assert problems(given, orders, incidents, impacts, forecasts, ctx) == (
        "1 problem:\n  customer: expected a Customer, got 42"
    )
    assert problems(kovar, orders, incidents, impacts, forecasts, None) == (
        "1 problem:\n  context: expected a Context, got None"
    )
    # Each item is checked, after one that is not even an order too.
    rhein_forecasts = forecast_orders(rhein, their_orders, ctx)
    assert problems(kovar, ["x", their_orders[0]], incidents, impacts, rhein_forecasts, ctx) == (
        "3 problems:\n  orders[0]: expected an Order, got 'x'\n"
        "  orders[1].customer_id: expected 'C01' (the customer scored), got 'C10'\n"
        "  forecasts[0].customer_id: expected 'C01' (the customer scored), got 'C10'"
    )
    assert problems(kovar, orders, incidents, (impact_czk, impacts[0]), forecasts_czk, ctx) == (
        "3 problems:\n  impacts[0].currency: expected 'EUR', got 'CZK'\n"
        "  impacts[1].incident_id: expected one impact per incident, got 'INC-101'\n"
        "  forecasts[0].currency: expected 'EUR', got 'CZK'"
    )
    assert problems(kovar, orders, (), impacts, forecasts, ctx) == (
        "1 problem:\n  impacts[0].incident_id: expected the id of a given incident, got 'INC-101'"
    )
