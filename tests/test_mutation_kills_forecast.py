"""The delay prior and a lane's history, pinned exactly: formulas, problems and boundaries.

The mutation run of 2026-12-06 found survivors here: ``DelayPrior.survival`` with its
share or mean dropped (only its doctest, which mutation runs leave out, called it with
values to compare), every bound of the prior's fields, and the exact problems of
``LaneHistory``. A host fitting lead times meets these when its data is odd.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import attrs
import numpy as np
import pytest

from custadvocacy import EmpiricalLeadTimeModel, Forecast, ValidationError, assess_portfolio
from custadvocacy._forecast._history import MAX_POINTS, DelayPrior, LaneHistory
from custadvocacy.examples import example_context, example_portfolio

Found = list[tuple[str, object, str]]


def problems(build: Callable[[], object]) -> Found:
    with pytest.raises(ValidationError) as info:
        build()
    return [(p.path, p.value, p.expected) for p in info.value.problems]


PRIOR = DelayPrior(late_share=0.3, mean_days_late=4.0, early_window_days=6.0, weight=2.0)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (-7.0, 1.0),  # before the early window: not arrived yet, surely
        (-6.0, 1.0),
        (-3.0, 0.3 + 0.7 * 0.5),  # halfway through the window
        (-0.0, 0.3),
        (0.0, 0.3),
        (2.0, 0.3 * math.exp(-0.5)),
        (40.0, 0.3 * math.exp(-10.0)),
    ],
)
def test_the_priors_survival_is_its_documented_formula(x: float, expected: float) -> None:
    assert PRIOR.survival(x) == pytest.approx(expected, rel=1e-12)


def test_the_priors_excess_is_its_documented_formula() -> None:
    for c in (0.0, 1.0, 8.0):
        assert PRIOR.excess(c) == pytest.approx(0.3 * 4.0 * math.exp(-c / 4.0), rel=1e-12)
    assert isinstance(DelayPrior(late_share=1 / 4, mean_days_late=2).late_share, float)


@pytest.mark.parametrize(
    ("field", "low", "high", "expected"),
    [
        ("late_share", 1e-6, 1 - 1e-6, "a number from 1e-06 to 0.999999 (a share)"),
        ("mean_days_late", 1e-3, 3_650.0, "a number from 0.001 to 3650"),
        ("early_window_days", 1e-3, 3_650.0, "a number from 0.001 to 3650"),
        ("weight", 1e-6, 1e9, "a number from 1e-06 to 1e+09"),
    ],
)
def test_each_prior_field_is_held_to_its_range_at_both_ends(
    field: str, low: float, high: float, expected: str
) -> None:
    for accepted in (low, high):
        assert getattr(DelayPrior(**{field: accepted}), field) == accepted
    for refused in (low / 2, high * (1 + 1e-9), high + 1.0, -1.0):
        with pytest.raises(ValidationError) as info:
            DelayPrior(**{field: refused})
        assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
            (field, refused, expected)
        ]


def test_a_prior_lists_every_bad_field() -> None:
    found = problems(
        lambda: DelayPrior(late_share=1.0, mean_days_late=0, early_window_days=1e4, weight=0)
    )
    assert [path for path, _, _ in found] == [
        "late_share",
        "mean_days_late",
        "early_window_days",
        "weight",
    ]


def test_a_lane_history_names_each_problem_exactly() -> None:
    half: Any = 2.5
    assert problems(lambda: LaneHistory(lane=None, count=half, delays=(1.0, 2.0))) == [
        ("count", 2.5, "a whole number from 0 to 1e+12")
    ]
    assert problems(lambda: LaneHistory(lane=None, count=10**12 + 1, delays=(1.0,)))[0][:2] == (
        "count",
        10**12 + 1,
    )
    assert LaneHistory(lane=None, count=10**12, delays=(1.0,)).count == 10**12
    too_many = tuple(float(i) for i in range(MAX_POINTS + 1))
    assert problems(lambda: LaneHistory(lane=None, count=500, delays=too_many)) == [
        ("delays", too_many, f"a tuple of at most {MAX_POINTS} numbers")
    ]
    assert problems(lambda: LaneHistory(lane=None, count=1, delays=[1.0])) == [  # type: ignore[arg-type]
        ("delays", [1.0], f"a tuple of at most {MAX_POINTS} numbers")
    ]
    assert problems(lambda: LaneHistory(lane=None, count=2, delays=(1.0, 4_000.0))) == [
        ("delays[1]", 4_000.0, "a number from -3650 to 3650")
    ]
    assert problems(lambda: LaneHistory(lane=None, count=2, delays=(-4_000.0, 1.0))) == [
        ("delays[0]", -4_000.0, "a number from -3650 to 3650")
    ]
    assert problems(lambda: LaneHistory(lane=None, count=2, delays=(2.0, 1.0))) == [
        ("delays", (2.0, 1.0), "delays sorted ascending")
    ]
    assert problems(lambda: LaneHistory(lane=None, count=1, delays=(1.0, 2.0))) == [
        ("count", 1, "at least len(delays) (2)")
    ]
    assert problems(lambda: LaneHistory(lane=None, count=3, delays=())) == [
        ("count", 3, "0 exactly when delays is empty")
    ]
    assert LaneHistory(lane="L", count=0, delays=()).delays == ()
    assert LaneHistory(lane="L", count=9, delays=(1, 2)).delays == (1.0, 2.0)


def test_from_delays_keeps_up_to_max_points_as_they_are() -> None:
    exact = LaneHistory.from_delays("L", reversed(range(MAX_POINTS)))
    assert exact.delays == tuple(float(i) for i in range(MAX_POINTS))
    assert all(type(d) is float for d in exact.delays)
    more = LaneHistory.from_delays("L", range(MAX_POINTS + 1))
    assert (more.count, len(more.delays)) == (MAX_POINTS + 1, MAX_POINTS)
    assert more.delays != tuple(float(i) for i in range(MAX_POINTS))
    assert more.delays[0] == pytest.approx(0.5)  # the quantile at 0.5 / 201 of 0..201


def test_from_delays_names_each_delay_that_is_no_number_in_range() -> None:
    # numpy read "1.5" and True as numbers and raised its own ValueError on "x" before.
    bad: list[Any] = [2.0, "x", "1.5", True, math.nan, 3651, [1]]
    with pytest.raises(ValidationError) as info:
        LaneHistory.from_delays("L", [*bad, *range(MAX_POINTS)])  # past the compression
    assert info.value.paths == tuple(f"delays[{i}]" for i in range(1, len(bad)))
    assert {p.expected for p in info.value.problems} == {"a number from -3650 to 3650"}
    assert LaneHistory.from_delays("L", [-3650, 3650.0]).delays == (-3650.0, 3650.0)


def test_from_delays_takes_numpys_numbers_beside_a_bad_delay() -> None:
    # A DataFrame column's cells are numpy scalars; numpy reads them as plain numbers, and
    # so does the check that names the bad ones: only "x" is wrong here, not its neighbours.
    delays: list[Any] = [np.int64(2), np.float32(1.5), np.uint8(1), np.float64(0.5)]
    assert LaneHistory.from_delays("L", delays).delays == (0.5, 1.0, 1.5, 2.0)
    assert LaneHistory.from_delays("L", np.array([3, 1, 2])).delays == (1.0, 2.0, 3.0)
    bad: list[Any] = [*delays, "x", np.True_, np.timedelta64(1, "D")]
    with pytest.raises(ValidationError) as info:
        LaneHistory.from_delays("L", bad)
    assert info.value.paths == ("delays[4]", "delays[5]", "delays[6]")


def _forecast() -> Forecast:
    result = assess_portfolio(example_portfolio(), context=example_context())
    return next(f for a in result.assessments for f in a.forecasts)


def test_a_stored_forecast_names_every_bad_field_exactly() -> None:
    forecast = _forecast()
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point: a naive datetime is refused
    bad: dict[str, Any] = {
        "order_id": "",
        "customer_id": "C" * 300,
        "currency": "eur",
        "promised_at": naive,
        "probability_late": 1.5,
        "days_late_low": -1.0,
        "expected_days_late": 4000.0,
        "days_late_high": "x",
        "low": -1.0,
        "high": math.inf,
        "risk": True,
        "already_late": "yes",
        "basis": "nope",
        "observations": 2.5,
        "note": "n" * 10_001,
        "estimator": "e" * 201,
    }
    days = "a number from 0 to 3650 days"
    amount = "a finite number >= 0"
    assert problems(lambda: attrs.evolve(forecast, **bad)) == [
        ("order_id", "", "a non-empty string"),
        ("customer_id", "C" * 300, "a string of at most 200 characters"),
        ("currency", "eur", "an ISO 4217 code such as 'EUR'"),
        ("promised_at", naive, "a timezone-aware datetime (with tzinfo or a UTC offset)"),
        ("probability_late", 1.5, "a number from 0 to 1 (a share)"),
        ("days_late_low", -1.0, days),
        ("expected_days_late", 4000.0, days),
        ("days_late_high", "x", days),
        ("low", -1.0, amount),
        ("high", math.inf, amount),
        ("risk", True, amount),
        ("already_late", "yes", "True or False"),
        ("basis", "nope", "one of 'eta', 'lane', 'pooled', 'prior', 'host'"),
        ("observations", 2.5, "a whole number from 0 to 1e+12"),
        ("note", "n" * 10_001, "a string of at most 10000 characters"),
        ("estimator", "e" * 201, "a string of at most 200 characters"),
    ]


def test_a_stored_forecasts_counts_and_days_are_held_to_their_ends() -> None:
    forecast = _forecast()
    many = attrs.evolve(forecast, observations=10**12, note="")
    assert (many.observations, many.note) == (10**12, "")
    assert problems(lambda: attrs.evolve(forecast, observations=10**12 + 1)) == [
        ("observations", 10**12 + 1, "a whole number from 0 to 1e+12")
    ]
    assert problems(lambda: attrs.evolve(forecast, days_late_high=3650.5)) == [
        ("days_late_high", 3650.5, "a number from 0 to 3650 days")
    ]


def test_fit_passes_every_setting_on() -> None:
    orders = example_portfolio().orders
    prior = DelayPrior(late_share=0.2)
    model = EmpiricalLeadTimeModel.fit(
        orders, min_observations=7, prior=prior, eta_spread_days=2.0, eta_spread_share=0.5
    )
    assert (model.min_observations, model.prior) == (7, prior)
    assert (model.eta_spread_days, model.eta_spread_share) == (2.0, 0.5)
    assert EmpiricalLeadTimeModel.fit(orders).prior == DelayPrior()


def test_fit_names_every_bad_order_and_holds_delays_to_ten_years() -> None:
    delivered = next(o for o in example_portfolio().orders if o.delivered_at is not None)
    limit = delivered.promised_at + timedelta(days=3650)
    at_limit = attrs.evolve(delivered, delivered_at=limit)
    beyond = attrs.evolve(delivered, delivered_at=limit + timedelta(days=1))
    assert EmpiricalLeadTimeModel.fit([at_limit]).pooled.delays == (3650.0,)
    expected = "a delivery within 3650 days of promised_at"
    assert problems(lambda: EmpiricalLeadTimeModel.fit([beyond, "x", at_limit, beyond])) == [  # type: ignore[list-item]
        ("orders[0].delivered_at", beyond.delivered_at, expected),
        ("orders[1]", "x", "an Order"),
        ("orders[3].delivered_at", beyond.delivered_at, expected),
    ]
    # Delivered at as_of counts; after it, not yet.
    assert delivered.delivered_at is not None
    on_time = EmpiricalLeadTimeModel.fit([delivered], as_of=delivered.delivered_at)
    assert on_time.pooled.count == 1
    later = delivered.delivered_at - timedelta(microseconds=1)
    assert EmpiricalLeadTimeModel.fit([delivered], as_of=later).pooled.count == 0


def test_a_lead_time_models_problems_are_named_exactly() -> None:
    model = EmpiricalLeadTimeModel.fit(example_portfolio().orders)
    lane = model.histories[0]
    bad: dict[str, Any] = {
        "histories": (lane, "x", lane),
        "pooled": "p",
        "min_observations": 2.5,
        "prior": "prior",
        "eta_spread_days": 4000.0,
        "eta_spread_share": 100.5,
    }
    assert problems(lambda: attrs.evolve(model, **bad)) == [
        ("histories[1]", "x", "a LaneHistory"),
        ("histories[2].lane", lane.lane, "a lane named once"),
        ("pooled", "p", "a LaneHistory"),
        ("min_observations", 2.5, "a whole number from 1 to 1e+09"),
        ("prior", "prior", "a DelayPrior"),
        ("eta_spread_days", 4000.0, "a number from 0.001 to 3650"),
        ("eta_spread_share", 100.5, "a number from 0 to 100"),
    ]
    as_list: Any = [lane]
    assert problems(lambda: attrs.evolve(model, histories=as_list)) == [
        ("histories", [lane], "a tuple of LaneHistory")
    ]
    edges = attrs.evolve(model, min_observations=10**9, eta_spread_share=100.0)
    assert (edges.min_observations, edges.eta_spread_share) == (10**9, 100.0)
    reordered = attrs.evolve(model, histories=tuple(reversed(model.histories)))
    assert reordered.histories == model.histories  # kept sorted by lane
    assert [h.lane for h in model.histories] == sorted(h.lane or "" for h in model.histories)


def test_a_stored_forecasts_figures_must_agree() -> None:
    f = _forecast()  # P10 0.21, expected 2.0, P90 4.61 days; loss 2.54 / 52.0 / 14,210
    # The edges themselves agree.
    edges = attrs.evolve(
        f, days_late_low=2.0, days_late_high=2.0, low=52.0, high=52.0, risk=5.2 * (1 + 1e-10)
    )
    assert (edges.days_late_low, edges.high) == (2.0, 52.0)
    between = "a value between the days-late P10 and P90"
    assert problems(lambda: attrs.evolve(f, expected_days_late=4.7)) == [
        ("expected_days_late", 4.7, between)
    ]
    assert problems(lambda: attrs.evolve(f, expected_days_late=0.2)) == [
        ("expected_days_late", 0.2, between)
    ]
    low = repr(f.low)
    assert problems(lambda: attrs.evolve(f, expected_loss=2.5, risk=0.25)) == [
        ("expected_loss", 2.5, f"a value between low ({low}) and high")
    ]
    assert problems(lambda: attrs.evolve(f, expected_loss=14_211.0, risk=1_421.1)) == [
        ("expected_loss", 14_211.0, f"a value between low ({low}) and high")
    ]
    assert problems(lambda: attrs.evolve(f, risk=5.2 * (1 + 1e-8))) == [
        ("risk", 5.2 * (1 + 1e-8), "probability_late * expected_loss (5.2)")
    ]
    small = attrs.evolve(f, expected_loss=3.0, low=2.5, risk=0.3 + 0.9e-9)  # tolerance 1e-9 abs
    assert small.risk == pytest.approx(0.3)
    assert problems(lambda: attrs.evolve(f, expected_loss=3.0, low=2.5, risk=0.3 + 2e-9)) == [
        ("risk", 0.3 + 2e-9, f"probability_late * expected_loss ({0.1 * 3.0!r})")
    ]
    assert problems(lambda: attrs.evolve(f, already_late=True)) == [
        ("probability_late", 0.1, "1.0 for an order already late")
    ]
    late = attrs.evolve(f, already_late=True, probability_late=1.0, risk=52.0)
    assert late.already_late
