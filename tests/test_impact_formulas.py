"""The impact formulas: one function for floats and numpy columns, non-negative, monotone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy._impact import _formulas as f

non_negative = st.floats(min_value=0.0, max_value=1e6)
shares = st.floats(min_value=0.0, max_value=1.0)
signed = st.floats(min_value=-1e6, max_value=1e6)

# Each kernel with a strategy per argument (columns) and its fixed scalar parameters.
KERNELS: dict[str, tuple[Callable[..., Any], dict[str, st.SearchStrategy[float]], dict[str, float]]] = {
    "delivery_loss": (
        f.delivery_loss,
        {
            "days_late": non_negative, "buffer_days": non_negative, "daily_revenue": non_negative,
            "gross_margin": shares, "criticality": shares, "share": shares,
            "staff_count": non_negative, "hourly_cost": non_negative,
            "handling_hours": non_negative, "order_value": non_negative,
        },
        {"hours_per_day": 8.0, "expediting_rate": 0.02},
    ),
    "defect_loss": (
        f.defect_loss,
        {
            "wait_days": non_negative, "buffer_days": non_negative, "daily_revenue": non_negative,
            "gross_margin": shares, "criticality": shares, "share": shares,
            "staff_count": non_negative, "hourly_cost": non_negative, "rework_hours": non_negative,
        },
        {"hours_per_day": 8.0},
    ),
    "service_outage_loss": (
        f.service_outage_loss,
        {
            "hours_down": non_negative, "share": shares, "daily_revenue": non_negative,
            "gross_margin": shares, "staff_count": non_negative, "hourly_cost": non_negative,
            "recovery_hours": non_negative,
        },
        {"hours_per_day": 8.0, "full_rate_hours": 2.0, "decay_exponent": 0.55},
    ),
    "billing_error_loss": (
        f.billing_error_loss,
        {
            "staff_hours": non_negative, "hourly_cost": non_negative, "amount": non_negative,
            "days_tied": non_negative,
        },
        {"annual_rate": 0.1},
    ),
    "support_failure_loss": (
        f.support_failure_loss,
        {
            "staff_hours": non_negative, "hourly_cost": non_negative, "days_open": non_negative,
            "waiting_hours_per_day": non_negative, "share": shares,
        },
        {"target_days": 2.0},
    ),
}  # fmt: skip

# Arguments a result is non-increasing in (everything else: non-decreasing).
DECREASING = {"buffer_days", "target_days"}


def rows(args: dict[str, st.SearchStrategy[float]]) -> st.SearchStrategy[list[dict[str, float]]]:
    return st.lists(st.fixed_dictionaries(args), min_size=1, max_size=20)


@pytest.mark.parametrize("name", list(KERNELS))
@given(data=st.data())
def test_a_column_gives_what_each_row_gives(name: str, data: st.DataObject) -> None:
    kernel, args, params = KERNELS[name]
    table = data.draw(rows(args))
    columns = {k: np.array([row[k] for row in table], dtype=np.float64) for k in args}
    batch = kernel(**columns, **params)
    for i, row in enumerate(table):
        single = kernel(**row, **params)
        assert all(type(x) is float for x in single)
        for column, value in zip(batch, single, strict=True):
            assert column.shape == (len(table),)
            assert column[i] == pytest.approx(value, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", list(KERNELS))
@given(data=st.data())
def test_one_column_among_scalars_broadcasts(name: str, data: st.DataObject) -> None:
    # A host may pass one column with the rest scalars (a fixed buffer, say): the float
    # shortcut of a kernel must not take such a mix for all floats.
    kernel, args, params = KERNELS[name]
    row = data.draw(st.fixed_dictionaries(args))
    single = kernel(**row, **params)
    for arg in args:
        mixed = kernel(**{**row, arg: np.array([row[arg], row[arg]])}, **params)
        for column, value in zip(mixed, single, strict=True):
            assert np.broadcast_to(column, (2,)) == pytest.approx([value, value], rel=1e-12)


@pytest.mark.parametrize("name", list(KERNELS))
@given(data=st.data())
def test_never_negative_and_monotone_in_each_input(name: str, data: st.DataObject) -> None:
    kernel, args, params = KERNELS[name]
    row = data.draw(st.fixed_dictionaries(args))
    base = kernel(**row, **params)
    assert all(x >= 0.0 for x in base)
    for arg, strategy in args.items():
        other = data.draw(strategy)
        moved = kernel(**{**row, arg: other}, **params)
        up = other >= row[arg]
        if arg in DECREASING:
            up = not up
        for before, after in zip(base, moved, strict=True):
            if up:
                assert after >= before * (1 - 1e-12) - 1e-12, arg
            else:
                assert after <= before * (1 + 1e-12) + 1e-12, arg


@given(signed)
def test_positive_part_and_indicator(x: float) -> None:
    assert f.positive_part(x) == max(x, 0.0)
    assert f.indicator(x) == (1.0 if x > 0 else 0.0)
    column = np.array([x, -x])
    assert list(f.positive_part(column)) == [max(x, 0.0), max(-x, 0.0)]
    assert list(f.indicator(column)) == [float(x > 0), float(-x > 0)]


@given(
    non_negative,
    non_negative,
    st.floats(min_value=0.01, max_value=100.0),
    st.floats(min_value=0.05, max_value=1.0),
)
def test_effective_outage_hours_is_continuous_concave_and_below_the_hours(
    hours: float, more: float, full_rate: float, exponent: float
) -> None:
    effective = f.effective_outage_hours(hours, full_rate, exponent)
    longer = f.effective_outage_hours(hours + more, full_rate, exponent)
    assert 0.0 <= effective <= hours * (1 + 1e-12)
    assert longer >= effective * (1 - 1e-12)
    assert f.effective_outage_hours(full_rate, full_rate, exponent) == full_rate
    # Just past the full-rate hours the curve continues from there.
    assert f.effective_outage_hours(full_rate * (1 + 1e-9), full_rate, exponent) == pytest.approx(
        full_rate
    )


def test_exponent_one_counts_every_hour() -> None:
    hours = np.array([0.5, 2.0, 10.0, 100.0])
    assert np.allclose(f.effective_outage_hours(hours, 2.0, 1.0), hours)


def test_operating_days_lost_is_the_delay_beyond_the_buffer() -> None:
    assert f.operating_days_lost(6.0, 2.0) == 4.0
    assert f.operating_days_lost(2.0, 2.0) == 0.0
    assert list(f.operating_days_lost(np.array([1.0, 5.0]), 2.0)) == [0.0, 3.0]


def test_on_time_delivery_and_zero_share_give_zero() -> None:
    common = {
        "buffer_days": 1.0, "daily_revenue": 1e5, "gross_margin": 0.3, "criticality": 1.0,
        "staff_count": 10.0, "hours_per_day": 8.0, "hourly_cost": 40.0, "handling_hours": 5.0,
        "order_value": 1e4, "expediting_rate": 0.02,
    }  # fmt: skip
    assert f.delivery_loss(days_late=0.0, share=1.0, **common) == (0.0, 0.0, 0.0)
    assert f.delivery_loss(days_late=9.0, share=0.0, **common) == (0.0, 0.0, 0.0)


_DELIVERY_ARGS = (
    "days_late", "buffer_days", "daily_revenue", "gross_margin", "criticality", "share",
    "staff_count", "hours_per_day", "hourly_cost", "handling_hours", "order_value",
    "expediting_rate",
)  # fmt: skip


def _delivery_loss_by_helpers(a: dict[str, float]) -> tuple[float, float, float]:
    """delivery_loss() as the helpers compose it (its float path before it was written out)."""
    days_lost = f.operating_days_lost(a["days_late"], a["buffer_days"])
    weight = a["criticality"] * a["share"]
    margin = f.lost_margin(days_lost, a["daily_revenue"], a["gross_margin"], weight)
    idle = f.idle_staff_cost(
        days_lost, a["hours_per_day"], a["staff_count"], a["hourly_cost"], weight
    )
    expediting = a["expediting_rate"] * a["order_value"] * a["share"] * f.indicator(days_lost)
    handling = (f.staff_effort_cost(a["handling_hours"], a["hourly_cost"]) + expediting) * (
        f.indicator(a["days_late"]) * f.indicator(a["share"])
    )
    return margin, idle, handling


@given(
    st.fixed_dictionaries(
        {name: st.floats() | st.sampled_from([0.0, -0.0, 1.0, 5e-324]) for name in _DELIVERY_ARGS}
    )
)
def test_delivery_loss_on_floats_is_the_helpers_bit_for_bit(args: dict[str, float]) -> None:
    # Edge values included (signed zeros, NaN, infinities, subnormals): the written-out
    # float path must give the very bits the helpers give, and numpy scalars the same.
    expected = repr(_delivery_loss_by_helpers(args))
    assert repr(f.delivery_loss(**args)) == expected
    scalars = {k: np.float64(v) for k, v in args.items()}
    with np.errstate(all="ignore"):  # numpy warns of inf x 0 where floats stay silent
        from_scalars = f.delivery_loss(**scalars)
    assert repr(tuple(float(x) for x in from_scalars)) == expected
