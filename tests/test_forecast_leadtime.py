"""Lead-time models: the empirical model, the prior, the ETA, fitting and saving."""

from __future__ import annotations

import json
import math
import pickle
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Context,
    DelayOutlook,
    DelayPrior,
    EmpiricalLeadTimeModel,
    ForecastBasis,
    LaneHistory,
    LeadTimeModel,
    Money,
    Order,
    ValidationError,
    from_dict,
    to_dict,
)
from custadvocacy._forecast._history import MAX_POINTS
from custadvocacy._forecast._leadtime import MIN_OBSERVATIONS, _normal_hazard
from custadvocacy._forecast._outlook import MAX_DELAY_DAYS

AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CONTEXT = Context(as_of=AS_OF, currency="EUR")
LANES = ("DE-CZ road", "UK parcel", "NL-DE road")


def open_order(
    *, promised_in_days: float, eta_in_days: float | None = None, lane: str | None = None
) -> Order:
    promised = AS_OF + timedelta(days=promised_in_days)
    return Order(
        id="O1",
        customer_id="C1",
        placed_at=min(promised, AS_OF) - timedelta(days=10),
        promised_at=promised,
        value=Money(1000, "EUR"),
        eta=None if eta_in_days is None else AS_OF + timedelta(days=eta_in_days),
        lane=lane,
    )


def delivered(index: int, delay_days: float, lane: str | None) -> Order:
    promised = AS_OF - timedelta(days=100 + index % 50)
    return Order(
        id=f"H{index}",
        customer_id="C1",
        placed_at=promised - timedelta(days=10),
        promised_at=promised,
        delivered_at=promised + timedelta(days=delay_days),
        value=Money(10, "EUR"),
        lane=lane,
    )


delays = st.floats(min_value=-5.0, max_value=9.0, allow_nan=False)
history_rows = st.lists(
    st.tuples(delays, st.none() | st.sampled_from(LANES)), min_size=0, max_size=60
)


def fitted(rows: Sequence[tuple[float, str | None]], **kwargs: object) -> EmpiricalLeadTimeModel:
    orders = [delivered(i, d, lane) for i, (d, lane) in enumerate(rows)]
    return EmpiricalLeadTimeModel.fit(orders, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- the prior


def test_without_history_the_prior_decides() -> None:
    outlook = EmpiricalLeadTimeModel().outlook(open_order(promised_in_days=10), CONTEXT)
    assert outlook.basis is ForecastBasis.PRIOR
    assert outlook.probability_late == pytest.approx(0.1)
    assert outlook.expected_days_late == pytest.approx(2.0)
    assert outlook.days_late_low == pytest.approx(2.0 * -math.log(0.9))
    assert outlook.days_late_high == pytest.approx(2.0 * math.log(10))
    assert outlook.observations == 0


def test_the_prior_probability_rises_inside_the_early_window() -> None:
    # S(-1.5) = 0.1 + 0.9 * 0.5 = 0.55, so P(late | not yet arrived) = 0.1 / 0.55
    outlook = EmpiricalLeadTimeModel().outlook(open_order(promised_in_days=1.5), CONTEXT)
    assert outlook.probability_late == pytest.approx(0.1 / 0.55)


def test_past_the_promise_an_order_is_late_for_certain_and_the_delay_grows() -> None:
    outlook = EmpiricalLeadTimeModel().outlook(open_order(promised_in_days=-3), CONTEXT)
    assert outlook.probability_late == 1.0
    # memoryless prior tail: already 3 days late, 2 more expected
    assert outlook.expected_days_late == pytest.approx(5.0)
    assert outlook.days_late_low >= 3.0


@given(first=st.floats(-30, -0.01), second=st.floats(-30, -0.01), rows=history_rows)
def test_the_probability_of_late_rises_as_the_promise_nears(
    first: float, second: float, rows: list[tuple[float, str | None]]
) -> None:
    model = fitted(rows, min_observations=5)
    earlier, later = sorted((first, second))
    order = open_order(promised_in_days=10, lane="DE-CZ road")
    at = [
        attrs.evolve(CONTEXT, as_of=order.promised_at + timedelta(days=e)) for e in (earlier, later)
    ]
    p_earlier, p_later = (model.outlook(order, ctx).probability_late for ctx in at)
    assert p_earlier <= p_later + 1e-12


@given(rows=history_rows, promised=st.floats(-40, 40), lane=st.none() | st.sampled_from(LANES))
def test_outlooks_are_well_formed(
    rows: list[tuple[float, str | None]], promised: float, lane: str | None
) -> None:
    model = fitted(rows, min_observations=3)
    outlook = model.outlook(open_order(promised_in_days=promised, lane=lane), CONTEXT)
    assert 0.0 <= outlook.probability_late <= 1.0
    assert 0.0 <= outlook.days_late_low <= outlook.expected_days_late <= outlook.days_late_high
    assert outlook.expected_days_late >= max(0.0, -promised) - 1e-9
    if promised < 0:
        assert outlook.probability_late == 1.0


# ------------------------------------------------------------------------- history


def test_a_lane_with_enough_history_uses_it_else_the_pool_else_the_prior() -> None:
    rows = [(4.0, "DE-CZ road")] * MIN_OBSERVATIONS + [(-1.0, "UK parcel")] * 5
    model = fitted(rows)
    order = open_order(promised_in_days=5, lane="DE-CZ road")
    lane = model.outlook(order, CONTEXT)
    assert lane.basis is ForecastBasis.LANE
    assert lane.observations == MIN_OBSERVATIONS
    assert "lane 'DE-CZ road', n=20" in lane.note
    # every order of the lane was 4 days late; the prior (weight 5) keeps a little doubt
    assert lane.probability_late == pytest.approx((20 * 1 + 5 * 0.1) / (20 + 5))
    pooled = model.outlook(attrs.evolve(order, lane="UK parcel"), CONTEXT)
    assert pooled.basis is ForecastBasis.POOLED
    assert pooled.observations == 25
    assert "all lanes pooled" in pooled.note
    thin = fitted(rows[-5:])
    assert thin.outlook(order, CONTEXT).basis is ForecastBasis.PRIOR


def test_blended_expected_days_late() -> None:
    model = fitted([(4.0, "L")] * 20)
    outlook = model.outlook(open_order(promised_in_days=5, lane="L"), CONTEXT)
    # E[max(D, 0)] = (20 * 4 + 5 * 0.1 * 2) / 25 ; S(0) = (20 + 5 * 0.1) / 25
    assert outlook.expected_days_late == pytest.approx((80 + 1) / 20.5)


def test_a_lane_that_is_never_late_keeps_a_small_probability_from_the_prior() -> None:
    model = fitted([(-2.5, "L")] * 200)
    outlook = model.outlook(open_order(promised_in_days=10, lane="L"), CONTEXT)
    assert 0 < outlook.probability_late < 0.01


@given(rows=history_rows)
def test_fitting_does_not_depend_on_the_order_of_the_orders(
    rows: list[tuple[float, str | None]],
) -> None:
    orders = [delivered(i, d, lane) for i, (d, lane) in enumerate(rows)]
    assert EmpiricalLeadTimeModel.fit(orders) == EmpiricalLeadTimeModel.fit(orders[::-1])


@given(rows=history_rows)
def test_the_fitted_model_round_trips_through_json_and_pickle(
    rows: list[tuple[float, str | None]],
) -> None:
    model = fitted(rows)
    assert from_dict(EmpiricalLeadTimeModel, json.loads(json.dumps(to_dict(model)))) == model
    assert pickle.loads(pickle.dumps(model)) == model  # noqa: S301 - our own bytes


def test_fit_skips_open_orders_and_deliveries_after_as_of() -> None:
    history = [delivered(i, 1.0, "L") for i in range(3)]
    late = attrs.evolve(history[0], id="LATE", delivered_at=AS_OF + timedelta(days=1))
    model = EmpiricalLeadTimeModel.fit(
        [*history, open_order(promised_in_days=3, lane="L"), late], as_of=AS_OF
    )
    assert model.pooled.count == 3
    assert EmpiricalLeadTimeModel.fit([*history, late]).pooled.count == 4


def test_fit_reports_every_bad_item() -> None:
    far = delivered(0, 1.0, None)
    far = attrs.evolve(far, delivered_at=far.promised_at + timedelta(days=MAX_DELAY_DAYS + 1))
    with pytest.raises(ValidationError) as caught:
        EmpiricalLeadTimeModel.fit(["x", far])  # type: ignore[list-item]
    assert caught.value.paths == ("orders[0]", "orders[1].delivered_at")


def test_long_histories_are_compressed_to_quantiles() -> None:
    model = fitted([(float(i % 7) - 2, "L") for i in range(1000)])
    (lane,) = model.histories
    assert lane.count == 1000
    assert len(lane.delays) == MAX_POINTS
    assert list(lane.delays) == sorted(lane.delays)
    assert repr(lane) == "LaneHistory('L', count=1000, points=201)"


def test_model_repr_and_protocol() -> None:
    model = fitted([(1.0, "L")] * 3)
    assert repr(model) == "EmpiricalLeadTimeModel(pooled=3, lanes=[L=3], min_observations=20)"
    assert isinstance(model, LeadTimeModel)


# ------------------------------------------------------------------------- the ETA


def test_a_current_eta_dominates_the_history() -> None:
    model = fitted([(-2.0, "L")] * 50)
    order = open_order(promised_in_days=4, eta_in_days=9, lane="L")
    outlook = model.outlook(order, CONTEXT)
    assert outlook.basis is ForecastBasis.ETA
    # delay ~ N(5, 0.5 + 0.2 * 9 = 2.3), cut at 0 and conditioned on D > -4
    assert outlook.probability_late == pytest.approx(0.985, abs=0.002)
    assert 5.0 < outlook.expected_days_late < 5.3
    assert outlook.days_late_low < outlook.expected_days_late < outlook.days_late_high
    assert "carrier ETA +5.0 days" in outlook.note


@given(promised=st.floats(0.1, 20), eta=st.floats(0, 30), later=st.floats(0.01, 10))
def test_a_later_eta_never_lowers_the_probability_of_late(
    promised: float, eta: float, later: float
) -> None:
    model = EmpiricalLeadTimeModel()
    sooner = model.outlook(open_order(promised_in_days=promised, eta_in_days=eta), CONTEXT)
    after = model.outlook(open_order(promised_in_days=promised, eta_in_days=eta + later), CONTEXT)
    assert after.probability_late >= sooner.probability_late - 1e-12


def test_an_eta_far_before_the_promise_leaves_a_negligible_probability() -> None:
    order = open_order(promised_in_days=40, eta_in_days=0.5)
    outlook = EmpiricalLeadTimeModel().outlook(order, CONTEXT)
    assert outlook.probability_late < 1e-12
    assert outlook.expected_days_late >= 0.0
    assert outlook.days_late_low <= outlook.expected_days_late <= outlook.days_late_high


def test_past_the_promise_with_a_current_eta() -> None:
    order = open_order(promised_in_days=-3, eta_in_days=3)
    outlook = EmpiricalLeadTimeModel().outlook(order, CONTEXT)
    assert outlook.basis is ForecastBasis.ETA
    assert outlook.probability_late == 1.0
    assert outlook.expected_days_late == pytest.approx(6.0, abs=0.02)


def test_a_stale_eta_is_ignored_and_said_so() -> None:
    order = open_order(promised_in_days=5, eta_in_days=-1)
    outlook = EmpiricalLeadTimeModel().outlook(order, CONTEXT)
    assert outlook.basis is ForecastBasis.PRIOR
    assert "ETA passed without delivery: ignored" in outlook.note


def test_years_late_orders_are_clamped_to_the_maximum_delay() -> None:
    order = open_order(promised_in_days=-(MAX_DELAY_DAYS + 100))
    outlook = EmpiricalLeadTimeModel().outlook(order, CONTEXT)
    assert outlook.expected_days_late == MAX_DELAY_DAYS
    assert outlook.days_late_high == MAX_DELAY_DAYS


def test_outlook_wants_an_open_order() -> None:
    with pytest.raises(ValidationError, match="an open Order"):
        EmpiricalLeadTimeModel().outlook(delivered(0, 1.0, None), CONTEXT)
    with pytest.raises(ValidationError, match="an open Order"):
        EmpiricalLeadTimeModel().outlook("O1", CONTEXT)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- validation


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        EmpiricalLeadTimeModel(
            histories=[],  # type: ignore[arg-type]
            pooled=None,  # type: ignore[arg-type]
            min_observations=0,
            prior="flat",  # type: ignore[arg-type]
            eta_spread_days=0.0,
            eta_spread_share=-1.0,
        )
    assert caught.value.paths == (
        "histories",
        "pooled",
        "min_observations",
        "prior",
        "eta_spread_days",
        "eta_spread_share",
    )
    twin = LaneHistory(lane="L", count=1, delays=(1.0,))
    with pytest.raises(ValidationError) as caught:
        EmpiricalLeadTimeModel(
            histories=(twin, twin, LaneHistory(lane=None, count=0, delays=()), "x")  # type: ignore[arg-type]
        )
    assert caught.value.paths == ("histories[1].lane", "histories[2].lane", "histories[3]")


def test_bad_histories_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        LaneHistory(lane="", count=-1, delays=[1.0])  # type: ignore[arg-type]
    assert caught.value.paths == ("lane", "count", "delays")
    with pytest.raises(ValidationError) as caught:
        LaneHistory(lane="L", count=1, delays=(2.0, math.nan))
    assert caught.value.paths == ("delays[1]",)
    with pytest.raises(ValidationError) as caught:
        LaneHistory(lane="L", count=1, delays=(2.0, 1.0))
    assert caught.value.paths == ("delays", "count")
    with pytest.raises(ValidationError) as caught:
        LaneHistory(lane="L", count=3, delays=())
    assert caught.value.paths == ("count",)


def test_bad_priors_and_outlooks_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        DelayPrior(late_share=1.0, mean_days_late=0.0, early_window_days=-1.0, weight=0.0)
    assert caught.value.paths == ("late_share", "mean_days_late", "early_window_days", "weight")
    with pytest.raises(ValidationError) as caught:
        DelayOutlook(
            probability_late=1.5,
            expected_days_late=1.0,
            days_late_low=2.0,
            days_late_high=3.0,
            basis="eta",  # type: ignore[arg-type]
            observations=-1,
            note=None,  # type: ignore[arg-type]
        )
    assert caught.value.paths == ("probability_late", "basis", "observations", "note")
    with pytest.raises(ValidationError) as caught:
        DelayOutlook(
            probability_late=0.5,
            expected_days_late=1.0,
            days_late_low=2.0,
            days_late_high=3.0,
            basis=ForecastBasis.HOST,
        )
    assert caught.value.paths == ("expected_days_late",)
    prior = DelayPrior(late_share=0.2, mean_days_late=1, early_window_days=2, weight=1)
    assert prior.survival(-5.0) == 1.0
    assert prior.excess(1.0) == pytest.approx(0.2 * math.exp(-1))


@pytest.mark.parametrize("z", [8.000001, 9.0, 12.0, 20.0, 30.0])
def test_the_normal_hazards_series_is_the_exact_ratio_past_the_switch(z: float) -> None:
    # pdf / sf from erfc (accurate this far out: erfc(30 / sqrt 2) ~ 5e-198); the series
    # z + 1/z - 2/z^3 is within 4e-5 of it from z = 8 (its next term is 10/z^5).
    exact = math.exp(-z * z / 2) / math.sqrt(2 * math.pi) / (0.5 * math.erfc(z / math.sqrt(2)))
    assert math.isclose(_normal_hazard(z), exact, rel_tol=4e-5)
