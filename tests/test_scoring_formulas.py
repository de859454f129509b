"""The scoring kernels: bounds, monotonicity, and arrays equal to element-wise floats."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy._scoring._formulas import (
    csat_badness,
    decay_weight,
    harm_share,
    mean_of_present,
    nps_badness,
    renewal_urgency,
    repetition_share,
    saturation,
    tickets_badness,
    usage_badness,
)

reals = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
loads = st.floats(min_value=0.0, max_value=1e9, allow_nan=False)
scales = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False)
columns = st.lists(reals, min_size=1, max_size=20)

# (kernel taking one column and a positive parameter, name) pairs
UNARY: tuple[tuple[Callable[[float, float], float], str], ...] = (
    (decay_weight, "decay_weight"),
    (saturation, "saturation"),
    (repetition_share, "repetition_share"),
    (tickets_badness, "tickets_badness"),
    (usage_badness, "usage_badness"),
    (renewal_urgency, "renewal_urgency"),
)


@pytest.mark.parametrize(("kernel", "name"), UNARY, ids=[n for _, n in UNARY])
@given(values=columns, parameter=scales)
def test_kernel_on_an_array_equals_the_kernel_element_wise(
    kernel: Callable[[object, float], object], name: str, values: list[float], parameter: float
) -> None:
    column = np.asarray(values, dtype=np.float64)
    batch = np.asarray(kernel(column, parameter))
    one_by_one = np.array([float(kernel(v, parameter)) for v in values])  # type: ignore[arg-type]
    assert batch.shape == column.shape, name
    np.testing.assert_array_equal(batch, one_by_one)


@pytest.mark.parametrize(("kernel", "name"), UNARY, ids=[n for _, n in UNARY])
@given(value=reals, parameter=scales)
def test_kernel_shares_are_in_the_unit_interval(
    kernel: Callable[[float, float], float], name: str, value: float, parameter: float
) -> None:
    share = float(kernel(value, parameter))
    assert 0.0 <= share <= 1.0, name


@given(values=columns)
def test_signal_badness_on_arrays_equals_floats(values: list[float]) -> None:
    column = np.asarray(values, dtype=np.float64)
    for kernel in (nps_badness, csat_badness):
        batch = kernel(column)
        np.testing.assert_array_equal(batch, [float(kernel(v)) for v in values])
        assert np.all((batch >= 0) & (batch <= 1))


@given(losses=columns, revenues=st.lists(loads, min_size=1, max_size=20), scale=scales)
def test_harm_share_on_arrays_equals_floats(
    losses: list[float], revenues: list[float], scale: float
) -> None:
    n = min(len(losses), len(revenues))
    loss = np.abs(np.asarray(losses[:n]))
    revenue = np.asarray(revenues[:n])
    batch = harm_share(loss, revenue, scale)
    singles = [
        float(harm_share(float(a), float(b), scale)) for a, b in zip(loss, revenue, strict=True)
    ]
    np.testing.assert_array_equal(batch, singles)


@given(loss=loads, extra=loads, revenue=loads, scale=scales)
def test_harm_share_never_falls_when_the_loss_grows(
    loss: float, extra: float, revenue: float, scale: float
) -> None:
    assert harm_share(loss + extra, revenue, scale) >= harm_share(loss, revenue, scale)


@given(loss=st.floats(min_value=1.0, max_value=1e6), revenue=st.floats(1.0, 1e6), scale=scales)
def test_the_same_loss_weighs_more_for_a_smaller_customer(
    loss: float, revenue: float, scale: float
) -> None:
    assert harm_share(loss, revenue / 2, scale) >= harm_share(loss, revenue, scale)


def test_harm_share_for_a_customer_with_no_revenue_scale() -> None:
    assert float(harm_share(0.0, 0.0, 1.0)) == 0.0
    assert float(harm_share(10.0, 0.0, 1.0)) == 1.0


@given(age=loads, later=st.floats(min_value=0.0, max_value=1e4), half_life=scales)
def test_decay_weight_falls_with_age(age: float, later: float, half_life: float) -> None:
    assert decay_weight(age + later, half_life) <= decay_weight(age, half_life)


def test_decay_weight_halves_every_half_life() -> None:
    assert float(decay_weight(60.0, 30.0)) == 0.25
    assert float(decay_weight(-10.0, 30.0)) == 1.0


@given(count=st.floats(min_value=0.0, max_value=1e3), more=loads, midpoint=scales)
def test_repetition_share_grows_with_the_count(count: float, more: float, midpoint: float) -> None:
    assert repetition_share(count + more, midpoint) >= repetition_share(count, midpoint)


@given(midpoint=st.floats(min_value=1.5, max_value=100.0))
def test_a_second_failure_adds_more_than_the_first(midpoint: float) -> None:
    first = repetition_share(1.0, midpoint) - repetition_share(0.0, midpoint)
    second = repetition_share(2.0, midpoint) - repetition_share(1.0, midpoint)
    assert second > first


def test_saturation_at_its_scale_and_at_infinity() -> None:
    assert math.isclose(float(saturation(2.0, 2.0)), 1 - math.exp(-1))
    assert float(saturation(math.inf, 2.0)) == 1.0
    assert float(saturation(-3.0, 2.0)) == 0.0


@given(
    rows=st.lists(
        st.lists(
            st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0)), min_size=4, max_size=4
        ),
        min_size=1,
        max_size=10,
    )
)
def test_mean_of_present_skips_missing_signals(rows: list[list[float | None]]) -> None:
    table = np.array([[math.nan if v is None else v for v in row] for row in rows])
    means = mean_of_present(table)
    assert means.shape == (len(rows),)
    for row, mean in zip(rows, means, strict=True):
        present = [v for v in row if v is not None]
        expected = sum(present) / len(present) if present else 0.0
        assert math.isclose(float(mean), expected, abs_tol=1e-12)


def test_renewal_urgency_inside_and_outside_the_window() -> None:
    assert float(renewal_urgency(0.0, 90.0)) == 1.0
    assert float(renewal_urgency(90.0, 90.0)) == 0.0
    assert float(renewal_urgency(120.0, 90.0)) == 0.0
    assert float(renewal_urgency(-5.0, 90.0)) == 0.0
    assert float(renewal_urgency(math.nan, 90.0)) == 0.0
    np.testing.assert_array_equal(renewal_urgency(np.array([0.0, 45.0]), 90.0), [1.0, 0.5])


@given(days=st.floats(min_value=0.0, max_value=1e4), sooner=loads, window=scales)
def test_renewal_urgency_grows_as_the_renewal_nears(
    days: float, sooner: float, window: float
) -> None:
    closer = max(0.0, days - sooner)
    assert renewal_urgency(closer, window) >= renewal_urgency(days, window)


_EDGES = (0.0, -0.0, 1e-300, -1e-300, 0.5, 1.0, 5.0, 10.0, -1e308, 1e308, math.inf, -math.inf)
_ANY_FLOAT = st.one_of(st.sampled_from(_EDGES), st.floats(allow_nan=False), st.floats(-1e3, 1e3))


def _same_bits(fast: object, slow: object) -> bool:
    a, b = float(fast), float(slow)  # type: ignore[arg-type]
    return (math.isnan(a) and math.isnan(b)) or (
        a == b and math.copysign(1, a) == math.copysign(1, b)
    )


@pytest.mark.parametrize(("kernel", "name"), UNARY, ids=[n for _, n in UNARY])
@given(value=_ANY_FLOAT, parameter=scales)
def test_the_float_path_gives_the_numpy_paths_bits(
    kernel: Callable[[object, float], object], name: str, value: float, parameter: float
) -> None:
    # A Python float takes the float path, a numpy.float64 the numpy path: same bits.
    fast = kernel(value, parameter)
    with np.errstate(all="ignore"):
        slow = kernel(np.float64(value), parameter)
    assert type(fast) is float, name
    assert _same_bits(fast, slow), (name, value, parameter, fast, slow)


@given(value=_ANY_FLOAT)
def test_the_float_path_of_the_signal_badness_gives_the_numpy_paths_bits(value: float) -> None:
    for kernel in (nps_badness, csat_badness):
        fast = kernel(value)
        assert type(fast) is float
        assert _same_bits(fast, kernel(np.float64(value)))


@given(loss=_ANY_FLOAT, revenue=_ANY_FLOAT, scale=scales)
def test_the_float_path_of_harm_share_gives_the_numpy_paths_bits(
    loss: float, revenue: float, scale: float
) -> None:
    fast = harm_share(loss, revenue, scale)
    with np.errstate(all="ignore"):
        slow = harm_share(np.float64(loss), np.float64(revenue), scale)
    assert type(fast) is float
    assert _same_bits(fast, slow), (loss, revenue, scale, fast, slow)
