"""Every problem the result models report, pinned exactly: Impact, DelayOutlook, capabilities.

The full mutation run of 2026-12-06 (docs/mutation-log.md) found survivors in these
checks (``Impact._check_consistency`` 21, ``DelayOutlook.__attrs_post_init__`` 16,
``_check_items`` 9, ``_check_kinds`` 7, the estimator defaults' checks 24): a plug-in author meets them when an estimator or
lead-time model returns something inconsistent, so each ``Problem`` (path, value found,
expectation) and each boundary is pinned here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from custadvocacy import (
    DelayOutlook,
    ForecastBasis,
    IncidentKind,
    Money,
    ValidationError,
    default_estimators,
)
from custadvocacy._impact._defaults import PerSegment, Spread
from custadvocacy._impact._model import EstimatorCapabilities, Impact, LossCategory, LossItem
from custadvocacy.estimators import ProfileDefaults
from custadvocacy.examples import example_context, example_portfolio

Found = list[tuple[str, object, str]]


def problems(build: Callable[[], object]) -> Found:
    with pytest.raises(ValidationError) as info:
        build()
    return [(p.path, p.value, p.expected) for p in info.value.problems]


ITEM = LossItem(
    label="Staff time", category=LossCategory.STAFF_EFFORT, expected=200.0, low=150.0, high=300.0
)
INCIDENT = example_portfolio().incidents[1]
ESTIMATED = Impact.from_items(
    incident=INCIDENT, estimator="mine", currency="EUR", items=(ITEM, ITEM), ongoing=False
)
NOT_ESTIMATED = Impact.not_estimated(INCIDENT, example_context(), reason="no estimator")


def test_an_estimated_impacts_totals_are_its_items_sums() -> None:
    assert (ESTIMATED.expected, ESTIMATED.low, ESTIMATED.high) == (400.0, 300.0, 600.0)
    assert problems(lambda: attrs.evolve(ESTIMATED, expected=401.0)) == [
        ("expected", 401.0, "the sum of the items' expected (400.0)")
    ]
    assert problems(lambda: attrs.evolve(ESTIMATED, low=299.0, high=601.0)) == [
        ("low", 299.0, "the sum of the items' low (300.0)"),
        ("high", 601.0, "the sum of the items' high (600.0)"),
    ]
    assert problems(lambda: attrs.evolve(ESTIMATED, reason="because")) == [
        ("reason", "because", "an empty reason in an estimated result")
    ]


@pytest.mark.parametrize(
    ("change", "accepted"),
    [
        # relative to the total (1e-9 x 400), or absolute below a total of 1
        (400.0 * 0.99e-9, True),
        (400.0 * 1.01e-9, False),
        (-400.0 * 1.01e-9, False),
    ],
)
def test_the_totals_tolerance_is_a_billionth_of_the_total(change: float, accepted: bool) -> None:
    def build() -> Impact:
        return attrs.evolve(ESTIMATED, expected=400.0 + change)

    if accepted:
        assert build().expected == 400.0 + change
    else:
        assert [p[0] for p in problems(build)] == ["expected"]


def test_the_tolerance_is_absolute_below_a_total_of_one() -> None:
    small = LossItem(
        label="Fee", category=LossCategory.EXPEDITING, expected=0.25, low=0.2, high=0.3
    )
    impact = Impact.from_items(
        incident=INCIDENT, estimator="mine", currency="EUR", items=(small,), ongoing=False
    )
    assert attrs.evolve(impact, expected=0.25 + 0.99e-9).expected == 0.25 + 0.99e-9
    assert [p[0] for p in problems(lambda: attrs.evolve(impact, expected=0.25 + 1.01e-9))] == [
        "expected"
    ]


def test_a_not_estimated_impact_has_no_items_zero_totals_and_a_reason() -> None:
    assert NOT_ESTIMATED.items == ()
    assert NOT_ESTIMATED.reason == "no estimator"
    assert problems(lambda: attrs.evolve(NOT_ESTIMATED, items=(ITEM,))) == [
        ("items", (ITEM,), "no items in a 'not estimated' result")
    ]
    assert problems(lambda: attrs.evolve(NOT_ESTIMATED, high=5.0)) == [
        ("high", 5.0, "zero totals in a 'not estimated' result")
    ]
    assert problems(lambda: attrs.evolve(NOT_ESTIMATED, reason="  ")) == [
        ("reason", "  ", "the reason the incident was not estimated")
    ]


def test_an_impacts_items_are_a_tuple_of_line_items() -> None:
    as_list: Any = [ITEM, ITEM]
    assert problems(lambda: attrs.evolve(ESTIMATED, items=as_list)) == [
        ("items", [ITEM, ITEM], "a tuple of LossItem")
    ]
    mixed: Any = (ITEM, "x", ITEM, 4)
    assert problems(lambda: attrs.evolve(ESTIMATED, items=mixed)) == [
        ("items[1]", "x", "a LossItem"),
        ("items[3]", 4, "a LossItem"),
    ]


def test_estimator_capabilities_name_every_bad_field() -> None:
    kinds = frozenset({IncidentKind.DEFECT})
    assert EstimatorCapabilities(kinds=kinds, batch=False).deterministic is True
    one_of = (
        "one of 'late_delivery', 'partial_delivery', 'defect', 'service_outage', "
        "'billing_error', 'support_failure', 'other'"
    )
    assert problems(lambda: EstimatorCapabilities(kinds=frozenset(), batch=False)) == [
        ("kinds", frozenset(), "a non-empty frozenset of IncidentKind")
    ]
    assert problems(
        lambda: EstimatorCapabilities(kinds={IncidentKind.DEFECT}, batch=1, deterministic="y")  # type: ignore[arg-type]
    ) == [
        ("kinds", {IncidentKind.DEFECT}, "a non-empty frozenset of IncidentKind"),
        ("batch", 1, "True or False"),
        ("deterministic", "y", "True or False"),
    ]
    mixed: frozenset[Any] = frozenset({IncidentKind.DEFECT, "x", 3})
    assert problems(lambda: EstimatorCapabilities(kinds=mixed, batch=False)) == [
        ("kinds", "x", one_of),  # every bad member, in a stable order (by repr)
        ("kinds", 3, one_of),
    ]


GOOD_OUTLOOK: dict[str, Any] = {
    "probability_late": 0.4,
    "expected_days_late": 2,
    "days_late_low": 1,
    "days_late_high": 3,
    "basis": ForecastBasis.PRIOR,
    "observations": 0,
    "note": "",
}


def test_a_delay_outlook_keeps_floats_and_names_every_bad_field() -> None:
    outlook = DelayOutlook(**GOOD_OUTLOOK)
    figures = (
        outlook.probability_late,
        outlook.expected_days_late,
        outlook.days_late_low,
        outlook.days_late_high,
    )
    assert figures == (0.4, 2.0, 1.0, 3.0)
    assert all(type(value) is float for value in figures)
    bad = GOOD_OUTLOOK | {
        "probability_late": 1.5,
        "days_late_low": -1,
        "expected_days_late": 1e9,
        "days_late_high": "x",
        "basis": "prior?",
        "observations": 1.5,
        "note": 5,
    }
    days = "a number from 0 to 3650 days"
    assert problems(lambda: DelayOutlook(**bad)) == [
        ("probability_late", 1.5, "a number from 0 to 1 (a share)"),
        ("days_late_low", -1, days),
        ("expected_days_late", 1e9, days),
        ("days_late_high", "x", days),
        ("basis", "prior?", "one of 'eta', 'lane', 'pooled', 'prior', 'host'"),
        ("observations", 1.5, "a whole number from 0 to 1e+12"),
        ("note", 5, "a string"),
    ]


@pytest.mark.parametrize(
    ("low", "expected", "high", "accepted"),
    [
        (1.0, 2.0, 3.0, True),
        (1.0, 1.0, 1.0, True),  # the bounds themselves
        (1.0, 1.0, 3.0, True),
        (1.0, 3.0, 3.0, True),
        (1.0, 0.5, 3.0, False),
        (1.0, 5.0, 3.0, False),
    ],
)
def test_a_delay_outlooks_expectation_lies_within_its_range(
    low: float, expected: float, high: float, accepted: bool
) -> None:
    fields = GOOD_OUTLOOK | {
        "days_late_low": low,
        "expected_days_late": expected,
        "days_late_high": high,
    }
    if accepted:
        assert DelayOutlook(**fields).expected_days_late == expected
    else:
        assert problems(lambda: DelayOutlook(**fields)) == [
            (
                "expected_days_late",
                expected,
                f"a value between days_late_low ({low!r}) and days_late_high ({high!r})",
            )
        ]


def test_the_range_check_waits_for_the_figures_to_be_numbers() -> None:
    # A bad figure is reported once, not again as out of range.
    assert problems(lambda: DelayOutlook(**GOOD_OUTLOOK | {"days_late_low": "a"})) == [
        ("days_late_low", "a", "a number from 0 to 3650 days")
    ]


def test_segment_defaults_name_every_bad_field() -> None:
    small = ProfileDefaults().small
    not_money: Any = 5
    assert problems(
        lambda: attrs.evolve(
            small,
            daily_revenue=not_money,
            gross_margin=1.5,
            buffer_days=3651,
            staff_hourly_cost=Money("-1", "EUR"),
            staff_count=-1,
            criticality=2,
        )
    ) == [
        ("daily_revenue", 5, "a Money"),
        ("gross_margin", 1.5, "a number from 0 to 1 (a share)"),
        ("buffer_days", 3651, "a number from 0 to 3650 days"),
        ("staff_hourly_cost.amount", Decimal(-1), "a non-negative amount"),
        ("staff_count", -1, "a number from 0 to 1e+07"),
        ("criticality", 2, "a number from 0 to 1 (a share)"),
    ]
    edges = attrs.evolve(small, buffer_days=3650, staff_count=10_000_000, criticality=1.0)
    assert (edges.buffer_days, edges.staff_count) == (3650, 10_000_000)


def test_profile_defaults_per_segment_and_spreads_name_every_bad_field() -> None:
    assert problems(lambda: ProfileDefaults(small=1, mid_market="x", enterprise=None)) == [  # type: ignore[arg-type]
        ("small", 1, "a SegmentDefaults"),
        ("mid_market", "x", "a SegmentDefaults"),
        ("enterprise", None, "a SegmentDefaults"),
    ]
    assert problems(lambda: PerSegment(small=-1, mid_market="x", enterprise=1e12 + 1)) == [  # type: ignore[arg-type]
        ("small", -1, "a number from 0 to 1e+12"),
        ("mid_market", "x", "a number from 0 to 1e+12"),
        ("enterprise", 1e12 + 1, "a number from 0 to 1e+12"),
    ]
    log_sd = "a number from 0 to 2 (log-scale sd)"
    assert problems(lambda: Spread(supplied=-0.1, default=2.01)) == [
        ("supplied", -0.1, log_sd),
        ("default", 2.01, log_sd),
    ]
    supplied, default = Spread(supplied=2.0, default=0.0).factors
    assert supplied == pytest.approx(math.exp(1.2815515655446004 * 2.0))
    assert default == 1.0


LINE: dict[str, Any] = {
    "label": "Staff time",
    "category": LossCategory.STAFF_EFFORT,
    "expected": 200.0,
    "low": 150.0,
    "high": 300.0,
}


def test_a_line_items_range_is_ordered_and_finite() -> None:
    assert LossItem(**LINE | {"low": 200.0, "high": 200.0}).low == 200.0  # equal bounds
    assert problems(lambda: LossItem(**LINE | {"low": 250.0})) == [
        ("low", 250.0, "a lower bound not above expected (200.0)")
    ]
    assert problems(lambda: LossItem(**LINE | {"high": 150.0})) == [
        ("high", 150.0, "an upper bound not below expected (200.0)")
    ]
    anything = "a finite number >= 0"
    assert problems(
        lambda: LossItem(**LINE | {"low": -1.0, "expected": -0.5, "high": float("inf")})
    ) == [("expected", -0.5, anything), ("low", -1.0, anything), ("high", math.inf, anything)]


def test_a_line_items_assumptions_are_a_tuple_of_assumptions() -> None:
    as_list: Any = ["x"]
    assert problems(lambda: LossItem(**LINE | {"assumptions": as_list})) == [
        ("assumptions", ["x"], "a tuple of Assumption")
    ]
    mixed: Any = ("x", 3)
    assert problems(lambda: LossItem(**LINE | {"assumptions": mixed})) == [
        ("assumptions[0]", "x", "an Assumption"),
        ("assumptions[1]", 3, "an Assumption"),
    ]


def _defaults_fields() -> list[tuple[object, str, str]]:
    """Each built-in estimator's fields that hold per-segment defaults or a spread."""
    found: list[tuple[object, str, str]] = []
    for _, estimator in default_estimators().estimators:
        for field in attrs.fields(type(estimator)):  # type: ignore[arg-type]
            value = getattr(estimator, field.name)
            if isinstance(value, PerSegment | Spread):
                found.append((estimator, field.name, type(value).__name__))
    return found


DEFAULTS_FIELDS = _defaults_fields()


@pytest.mark.parametrize(
    ("estimator", "field", "kind"),
    DEFAULTS_FIELDS,
    ids=[f"{type(e).__name__}.{name}" for e, name, _ in DEFAULTS_FIELDS],
)
def test_an_estimators_defaults_field_names_the_class_it_needs(
    estimator: object, field: str, kind: str
) -> None:
    assert problems(lambda: attrs.evolve(estimator, **{field: 5})) == [  # type: ignore[misc]
        (field, 5, f"a {kind}")
    ]


def test_every_built_in_estimator_with_defaults_is_covered() -> None:
    assert len(DEFAULTS_FIELDS) == 9  # a spread each, hours per segment for three
