"""The impact records: validation, totals, conveniences, conversion."""

from __future__ import annotations

import math
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Assumption,
    EstimatorCapabilities,
    Impact,
    IncidentKind,
    LossCategory,
    LossItem,
    Money,
    ValidationError,
    from_dict,
    to_dict,
)
from custadvocacy.estimators import PerSegment, ProfileDefaults, SegmentDefaults, Spread
from custadvocacy.examples import example_context, example_portfolio


def assumption(**changes: Any) -> Assumption:
    fields: dict[str, Any] = {
        "name": "customer.profile.buffer_days",
        "value": 2.0,
        "unit": "days",
        "source": "customer profile",
        "is_default": False,
    }
    return Assumption(**(fields | changes))


def test_an_assumption_refuses_an_empty_name_and_a_flag_that_is_no_bool() -> None:
    with pytest.raises(ValidationError) as info:
        assumption(name="", is_default=1)
    assert str(info.value) == (
        "2 problems:\n  name: expected a non-empty string, got ''\n"
        "  is_default: expected True or False, got 1"
    )
    with pytest.raises(ValidationError, match="name: expected a non-empty string"):
        assumption(name="")  # all else fine: the fast path must not let it through


def test_an_assumption_takes_a_whole_number_below_zero_and_no_unit() -> None:
    # An int takes the slow path (its checks, then float): below zero and unitless as well.
    taken = assumption(value=-3, unit="")
    assert (taken.value, type(taken.value), taken.unit) == (-3.0, float, "")


def test_an_impacts_totals_may_differ_from_its_items_by_the_tolerance_and_no_more() -> None:
    # A billionth, relative to the larger of 1 and the items' sum: here a sum of 0.
    edge = impact(items=(), expected=1e-9, low=1e-9, high=1e-9)
    assert edge.expected == 1e-9
    with pytest.raises(ValidationError, match=r"expected: expected the sum of the items' expected"):
        impact(items=(), expected=2e-9, low=1e-9, high=2e-9)


def loss_item(**changes: Any) -> LossItem:
    fields: dict[str, Any] = {
        "label": "Idle staff",
        "category": LossCategory.IDLE_STAFF,
        "expected": 100.0,
        "low": 80.0,
        "high": 150.0,
        "basis": "2 h x EUR 50/h",
        "assumptions": (assumption(),),
    }
    return LossItem(**(fields | changes))


def impact(**changes: Any) -> Impact:
    fields: dict[str, Any] = {
        "incident_id": "I1",
        "customer_id": "C1",
        "kind": IncidentKind.DEFECT,
        "estimator": "mine",
        "currency": "EUR",
        "items": (loss_item(), loss_item()),
        "expected": 200.0,
        "low": 160.0,
        "high": 300.0,
        "ongoing": False,
    }
    return Impact(**(fields | changes))


# -- Assumption ------------------------------------------------------------------------------


def test_assumption_accepts_an_int_value_and_stores_a_float() -> None:
    a = assumption(value=3)
    assert a.value == 3.0
    assert type(a.value) is float


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"name": " "}, ["name"]),
        ({"name": "", "value": math.nan}, ["name", "value"]),
        ({"value": math.inf, "unit": 3}, ["value", "unit"]),
        ({"source": ""}, ["source"]),
        ({"is_default": "yes"}, ["is_default"]),
        ({"value": True}, ["value"]),
    ],
)
def test_assumption_reports_every_problem(changes: dict[str, Any], paths: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        assumption(**changes)
    assert list(info.value.paths) == paths


# -- LossItem ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"low": 120.0}, ["low"]),
        ({"high": 90.0}, ["high"]),
        ({"expected": -1.0, "low": -2.0}, ["expected", "low"]),
        ({"expected": math.nan}, ["expected"]),
        ({"label": "", "category": "idle"}, ["label", "category"]),
        ({"basis": None}, ["basis"]),
        ({"assumptions": [assumption()]}, ["assumptions"]),
        ({"assumptions": (assumption(), "x")}, ["assumptions[1]"]),
    ],
)
def test_loss_item_reports_every_problem(changes: dict[str, Any], paths: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        loss_item(**changes)
    assert list(info.value.paths) == paths


def test_loss_item_accepts_ints() -> None:
    item = loss_item(expected=1, low=0, high=2)
    assert (item.low, item.expected, item.high) == (0.0, 1.0, 2.0)
    assert all(type(x) is float for x in (item.low, item.expected, item.high))


@given(
    st.lists(st.floats(min_value=0.0, max_value=1e9), min_size=3, max_size=3).map(sorted),
)
def test_loss_item_takes_any_ordered_non_negative_range(bounds: list[float]) -> None:
    low, expected, high = bounds
    item = loss_item(low=low, expected=expected, high=high)
    assert item.low <= item.expected <= item.high


# -- Impact ----------------------------------------------------------------------------------------


def test_impact_totals_must_match_the_items() -> None:
    with pytest.raises(ValidationError) as info:
        impact(expected=201.0, high=301.0)
    assert list(info.value.paths) == ["expected", "high"]


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"incident_id": "", "customer_id": " "}, ["incident_id", "customer_id"]),
        ({"kind": "defect", "estimator": ""}, ["kind", "estimator"]),
        ({"currency": "XXX"}, ["currency"]),
        ({"currency": ["EUR"]}, ["currency"]),  # unhashable: `in MINOR_UNITS` raised
        ({"ongoing": 1, "estimated": None}, ["ongoing", "estimated"]),
        ({"items": [loss_item()]}, ["items"]),
        ({"items": (loss_item(), 3)}, ["items[1]"]),
        ({"reason": "why not"}, ["reason"]),
        ({"low": 250.0}, ["low"]),
    ],
)
def test_impact_reports_every_problem(changes: dict[str, Any], paths: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        impact(**changes)
    assert list(info.value.paths) == paths


def test_impact_accepts_int_totals() -> None:
    item = loss_item(expected=1.0, low=1.0, high=1.0)
    result = impact(items=(item,), expected=1, low=1, high=1)
    assert type(result.expected) is float


def test_not_estimated_is_explicit() -> None:
    p = example_portfolio()
    result = Impact.not_estimated(p.incidents[7], example_context(), reason="no estimator")
    assert (result.estimated, result.items, result.high, result.reason) == (
        False,
        (),
        0.0,
        "no estimator",
    )
    assert result.ongoing  # INC-1002 is still open
    assert repr(result) == "Impact('INC-1002', late_delivery, not estimated: 'no estimator')"
    assert result.estimator == "none"


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"reason": " "}, ["reason"]),
        ({"reason": "x", "items": (loss_item(),)}, ["items"]),
        ({"reason": "x", "items": (), "expected": 1.0, "low": 1.0, "high": 1.0}, ["high"]),
    ],
)
def test_not_estimated_must_be_empty_and_say_why(changes: dict[str, Any], paths: list[str]) -> None:
    base: dict[str, Any] = {
        "estimated": False,
        "items": (),
        "expected": 0.0,
        "low": 0.0,
        "high": 0.0,
    }
    with pytest.raises(ValidationError) as info:
        impact(**(base | changes))
    assert list(info.value.paths) == paths


def test_assumptions_are_deduplicated_and_defaults_listed() -> None:
    guess = assumption(name="order.criticality", is_default=True, source="default")
    first = loss_item(assumptions=(assumption(), guess))
    second = loss_item(assumptions=(guess, assumption()))
    result = impact(items=(first, second))
    assert result.assumptions == (assumption(), guess)
    assert result.defaults_used == (guess,)


def test_money_views_round_to_the_minor_unit() -> None:
    item = loss_item(expected=100.005, low=80.125, high=150.999)
    result = impact(items=(item,), expected=100.005, low=80.125, high=150.999, currency="EUR")
    assert result.expected_money() == Money("100.00", "EUR")
    assert result.low_money() == Money("80.12", "EUR")
    assert result.high_money() == Money("151.00", "EUR")
    assert impact(currency="JPY").expected_money() == Money("200", "JPY")


def test_reprs_are_short_and_readable() -> None:
    # Amounts to the cent, whatever float noise they carry.
    noisy = attrs.evolve(loss_item(), expected=100.00000000000001, high=150.104999)
    assert "expected=100.00, low=80.00, high=150.10," in repr(noisy)
    assert repr(impact(ongoing=True)) == (
        "Impact('I1', defect, expected=200.00, low=160.00, high=300.00, EUR, items=2, "
        "estimator='mine', ongoing)"
    )
    assert repr(loss_item()) == (
        "LossItem('Idle staff', idle_staff, expected=100.00, low=80.00, high=150.00, assumptions=1)"
    )


def test_records_round_trip_and_pickle() -> None:
    result = impact()
    assert from_dict(Impact, to_dict(result)) == result
    assert pickle.loads(pickle.dumps(result)) == result  # noqa: S301 - our own bytes
    assert to_dict(result)["items"][0]["category"] == "idle_staff"


def test_quantiles_are_p10_and_p90() -> None:
    assert (Impact.LOW_QUANTILE, Impact.HIGH_QUANTILE) == (0.1, 0.9)


# -- capabilities and configuration values ----------------------------------------------------------


def test_capabilities_are_validated() -> None:
    with pytest.raises(ValidationError) as info:
        EstimatorCapabilities(kinds=frozenset(), batch="no")  # type: ignore[arg-type]
    assert list(info.value.paths) == ["kinds", "batch"]
    with pytest.raises(ValidationError) as info:
        EstimatorCapabilities(kinds=frozenset({"defect"}), batch=False, deterministic=1)  # type: ignore[arg-type]
    assert list(info.value.paths) == ["kinds", "deterministic"]
    with pytest.raises(ValidationError):
        EstimatorCapabilities(kinds={IncidentKind.DEFECT}, batch=False)  # type: ignore[arg-type]


def test_defaults_and_spreads_are_validated_values() -> None:
    with pytest.raises(ValidationError) as info:
        SegmentDefaults(
            daily_revenue=Money(-1, "EUR"), gross_margin=2.0, buffer_days=-1.0,
            staff_hourly_cost=3, staff_count=-1.0, criticality=math.nan,  # type: ignore[arg-type]
        )  # fmt: skip
    assert list(info.value.paths) == [
        "daily_revenue.amount", "gross_margin", "buffer_days", "staff_hourly_cost",
        "staff_count", "criticality",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as info:
        ProfileDefaults(small=None)  # type: ignore[arg-type]
    assert list(info.value.paths) == ["small"]
    with pytest.raises(ValidationError) as info:
        PerSegment(small=-1.0, mid_market=math.inf, enterprise=1.0)
    assert list(info.value.paths) == ["small", "mid_market"]
    with pytest.raises(ValidationError) as info:
        Spread(supplied=-0.1, default=3.0)
    assert list(info.value.paths) == ["supplied", "default"]
    defaults = ProfileDefaults()
    assert from_dict(ProfileDefaults, to_dict(defaults)) == defaults
    assert from_dict(Spread, to_dict(Spread(default=0.7))) == Spread(default=0.7)
