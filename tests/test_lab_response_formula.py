"""ServiceRecoveryResponse computes the formula its docstring states, term by term.

The lab's other tests check the research shapes (bounds, monotonicity, the compensation
peak); the mutation run showed they let a flipped sign in the health tilt, a wrong
compensation shape or a lost cap through. Here a plain scalar transcription of the
documented formula (steps 1 to 5 of the class docstring) is compared with the
vectorised model on a grid that reaches every branch, for the defaults and for
parameters that make each term bite.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import HealthSignals, ValidationError
from custadvocacy.batch import columns_from_objects
from custadvocacy.examples import example_portfolio
from custadvocacy.lab import ResponseInputs, ServiceRecoveryResponse
from custadvocacy.lab._outcome import _health
from custadvocacy.lab._response import check_probabilities


def documented(
    m: ServiceRecoveryResponse,
    *,
    loss: float,
    relief: float,
    compensation: float,
    value: float,
    failures: int,
    health: float,
    proactive: bool,
) -> float:
    """The class docstring's steps, one scalar at a time."""
    # 1. Harm left, and its intensity (any loss left is a full one when the value is 0).
    u = max(loss - relief, 0.0)
    full = m.harm_scale * value
    intensity = -math.expm1(-u / full) if full > 0 else (1.0 if u > 0 else 0.0)
    # 2. Switching intent, tilted by health, at most 1.
    p_k = 0.0 if failures <= 0 else m.switch_after_one if failures == 1 else m.switch_after_several
    tilt = 1.0 + m.health_weight * (1.0 - 2.0 * health)
    q = min(m.b2b_damping * p_k * intensity * tilt, 1.0)
    # 3. Recovery: the gesture's size against the loss, its shape, faded after two failures.
    x = min(compensation / (m.compensation_peak * loss), 1e6) if loss > 0 else 0.0
    g = x * (2.0 - x) if x <= 1.0 else 1.0 - (1.0 - 1.0 / x) / 2.0
    fade = m.second_failure_recovery if failures >= 2 else 1.0
    q *= 1.0 - m.recovery_effect * g * fade
    # 4. Early notice.
    if proactive:
        q *= 1.0 - m.notice_effect
    # 5. Stay.
    return m.base_retention * (1.0 - q)


_LOSSES = (0.0, 0.5, 100.0, 5_000.0, 1e9)
_GRID = list(
    itertools.product(
        _LOSSES,
        (0.0, 40.0, 4_000.0),  # relief: none, some, more than a small loss
        (0.0, 0.5, 1.0, 1.5, 4.0, 1e12),  # compensation, as a multiple of the loss
        (0.0, 10.0, 50_000.0),  # value: none, tiny (harm_scale x value below 1), typical
        (0, 1, 2, 3),
        (0.0, 0.5, 1.0),
        (False, True),
    )
)

MODELS = {
    "defaults": ServiceRecoveryResponse(),
    # Each term bites: the intent reaches its cap of 1, health tilts it fully, the gesture
    # and the notice remove much of it, a second failure keeps a quarter of the recovery.
    "strong": ServiceRecoveryResponse(
        base_retention=1.0,
        switch_after_one=0.7,
        switch_after_several=1.0,
        b2b_damping=1.0,
        harm_scale=0.5,
        health_weight=1.0,
        recovery_effect=0.9,
        compensation_peak=0.8,
        second_failure_recovery=0.25,
        notice_effect=0.6,
    ),
}


def _inputs(rows: list[tuple[float, float, float, float, int, float, bool]]) -> ResponseInputs:
    loss, relief, multiple, value, failures, health, proactive = zip(*rows, strict=True)
    loss_a = np.array(loss)
    compensation = np.where(np.array(multiple) >= 1e12, 1e12, loss_a * np.array(multiple))
    return ResponseInputs(
        loss=loss_a,
        relief=np.array(relief),
        compensation=compensation,
        scale=np.array(value),
        failures=np.array(failures, dtype=np.int64),
        health=np.array(health),
        proactive=np.array(proactive, dtype=np.bool_),
    )


@pytest.mark.parametrize("model", MODELS.values(), ids=MODELS.keys())
def test_the_model_is_the_documented_formula_on_every_branch(
    model: ServiceRecoveryResponse,
) -> None:
    inputs = _inputs(_GRID)
    got = model.stay_probability(inputs)
    want = [
        documented(
            model,
            loss=float(inputs.loss[i]),
            relief=float(inputs.relief[i]),
            compensation=float(inputs.compensation[i]),
            value=float(inputs.scale[i]),
            failures=int(inputs.failures[i]),
            health=float(inputs.health[i]),
            proactive=bool(inputs.proactive[i]),
        )
        for i in range(len(_GRID))
    ]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    # The grid reaches customers untouched and customers hit hard.
    assert got.max() == model.base_retention
    assert got.min() <= 0.64 * model.base_retention


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1e7),
            st.floats(0, 1e7),
            st.floats(0, 5),
            st.floats(0, 1e7),
            st.integers(0, 5),
            st.floats(0, 1),
            st.booleans(),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_any_inputs_follow_the_documented_formula(
    rows: list[tuple[float, float, float, float, int, float, bool]],
) -> None:
    model = MODELS["strong"]
    inputs = _inputs(rows)
    got = model.stay_probability(inputs)
    for i, row in enumerate(rows):
        want = documented(
            model,
            loss=row[0],
            relief=row[1],
            compensation=float(inputs.compensation[i]),
            value=row[3],
            failures=row[4],
            health=row[5],
            proactive=row[6],
        )
        assert got[i] == pytest.approx(want, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ["harm_scale", "compensation_peak"])
def test_a_scale_parameter_is_checked_at_both_ends(name: str) -> None:
    for accepted in (1e-9, 1.0, 1e6):
        assert getattr(ServiceRecoveryResponse(**{name: accepted}), name) == accepted
    for refused in (0.0, 0.5e-9, 1_000_000.5, 1e7):
        with pytest.raises(ValidationError) as info:
            ServiceRecoveryResponse(**{name: refused})
        assert [(p.path, p.value) for p in info.value.problems] == [(name, refused)]


_GOOD = {
    "loss": [100.0, 0.0],
    "relief": [50.0, 0.0],
    "compensation": [10.0, 0.0],
    "scale": [5_000.0, 5_000.0],
    "failures": [1, 0],
    "health": [0.5, 1.0],
    "proactive": [True, False],
}


def _input_problems(**changes: object) -> list[tuple[str, object, str]]:
    with pytest.raises(ValidationError) as info:
        ResponseInputs(**{**_GOOD, **changes})  # type: ignore[arg-type]
    return [(p.path, p.value, p.expected) for p in info.value.problems]


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"relief": [1.0]}, [("relief", (1,), "a 1-d array of 2 values, as loss has")]),
        ({"health": [[0.5, 0.5]]}, [("health", (1, 2), "a 1-d array of 2 values, as loss has")]),
        ({"loss": 5.0}, [("loss", (), "a 1-d array")]),
        ({"loss": [[1.0], [2.0, 3.0]]}, [("loss", "ValueError", "a 1-d array of numbers")]),
        ({"compensation": ["a", "b"]}, [("compensation", "<U1", "numbers (not booleans or text)")]),
        ({"scale": [True, False]}, [("scale", "bool", "numbers (not booleans or text)")]),
        ({"loss": [1.0, float("inf")]}, [("loss[1]", float("inf"), "a finite number >= 0")]),
        ({"relief": [0.0, -1.0]}, [("relief[1]", -1.0, "a finite number >= 0")]),
        ({"health": [0.5, 1.5]}, [("health[1]", 1.5, "a number from 0 to 1")]),
        ({"health": [-0.1, 0.5]}, [("health[0]", -0.1, "a number from 0 to 1")]),
        ({"failures": [1.5, 0]}, [("failures[0]", 1.5, "a whole number from 0 to 1,000,000,000")]),
        ({"failures": [0, 2e9]}, [("failures[1]", 2e9, "a whole number from 0 to 1,000,000,000")]),
        (
            {"failures": [0, 10**9 + 1]},
            [("failures[1]", 10**9 + 1, "a whole number from 0 to 1,000,000,000")],
        ),
        ({"proactive": [0.5, 0.0]}, [("proactive[0]", 0.5, "true or false (or 1 and 0)")]),
        ({"proactive": [0, 2]}, [("proactive[1]", 2, "true or false (or 1 and 0)")]),
        ({"proactive": ["yes", "no"]}, [("proactive", "<U3", "booleans")]),
        # Lists numpy can only hold as objects: the first cell that is no number is named.
        ({"loss": [1.0, None]}, [("loss[1]", None, "a finite number >= 0")]),
        ({"relief": [Decimal(1), "x"]}, [("relief[1]", "x", "a finite number >= 0")]),
        ({"scale": [None, True]}, [("scale[0]", None, "a finite number >= 0")]),
        ({"compensation": [Decimal(1), True]}, [("compensation[1]", True, "a finite number >= 0")]),
        ({"proactive": [True, None]}, [("proactive[1]", None, "true or false (or 1 and 0)")]),
        (
            {"health": [Decimal("0.5"), Decimal("1.5")]},
            [("health[1]", Decimal("1.5"), "a number from 0 to 1")],
        ),
        (
            {"failures": [1, 10**400]},
            [("failures[1]", 10**400, "a whole number from 0 to 1,000,000,000")],
        ),
        (
            {"loss": [[1.0, 2.0]], "relief": [1.0, 2.0, 3.0], "health": [[1.0]]},
            [("loss", (1, 2), "a 1-d array"), ("health", (1, 1), "a 1-d array")],
        ),
    ],
)
def test_each_bad_input_array_is_named_exactly(
    changes: dict[str, object], problems: list[tuple[str, object, str]]
) -> None:
    assert _input_problems(**changes) == problems


def test_a_billion_failures_is_the_most_a_count_may_be() -> None:
    inputs = ResponseInputs(**{**_GOOD, "failures": [0, 10**9]})  # type: ignore[arg-type]
    assert inputs.failures.tolist() == [0, 10**9]


def test_decimals_and_numbers_mixed_with_them_are_read_as_floats() -> None:
    inputs = ResponseInputs(
        **{  # type: ignore[arg-type]
            **_GOOD,
            "loss": [Decimal("100.50"), 0],
            "failures": [Decimal(2), 0.0],
            "proactive": [np.True_, Decimal(0)],  # numpy's booleans are no numbers.Real
        }
    )
    assert inputs.loss.tolist() == [100.5, 0.0]
    assert str(inputs.loss.dtype) == "float64"
    assert inputs.failures.tolist() == [2, 0]
    assert inputs.proactive.tolist() == [True, False]


def test_good_inputs_are_kept_in_their_dtypes() -> None:
    inputs = ResponseInputs(**{**_GOOD, "failures": [1.0, 0.0], "proactive": [1, 0]})  # type: ignore[arg-type]
    dtypes = [str(getattr(inputs, name).dtype) for name in ("loss", "failures", "proactive")]
    assert dtypes == ["float64", "int64", "bool"]
    assert inputs.failures.tolist() == [1, 0]
    assert inputs.proactive.tolist() == [True, False]
    assert str(inputs.health.dtype) == "float64"
    assert inputs.customers == 2


class _Named:
    def __init__(self, name: object) -> None:
        self.name = name


def test_probabilities_are_floats_and_a_model_without_a_text_name_is_named_by_type() -> None:
    checked = check_probabilities(_Named("mine"), [1, 0], 2)
    assert str(checked.dtype) == "float64"
    assert checked.tolist() == [1.0, 0.0]
    for name in (5, "", None):
        with pytest.raises(ValidationError) as info:
            check_probabilities(_Named(name), [2.0], 1)
        assert info.value.paths == ("_Named.stay_probability[0]",)
    with pytest.raises(ValidationError) as text:
        check_probabilities(_Named("mine"), ["a", "b"], 2)
    assert [(p.path, p.value) for p in text.value.problems] == [("mine.stay_probability", None)]


@pytest.mark.parametrize(
    ("signals", "health"),
    [
        (HealthSignals(nps=10), 1.0),
        (HealthSignals(nps=5, csat=1.0), 0.5),  # NPS first, when answered
        (HealthSignals(nps=0, usage_trend=0.1), 0.1),
        (HealthSignals(csat=5.0), 1.0),
        (HealthSignals(csat=3.0, usage_trend=-0.2), 0.3),
        (HealthSignals(csat=2.0), 0.25),
        (HealthSignals(), 0.7),  # nothing known: the default
        (HealthSignals(usage_trend=0.1), 0.8),
        (HealthSignals(nps=9, usage_trend=0.5), 1.0),  # held to 0-1
        (HealthSignals(csat=1.0, usage_trend=-0.5), 0.0),
    ],
)
def test_a_customers_health_is_read_from_their_signals_as_documented(
    signals: HealthSignals, health: float
) -> None:
    # docs/lab.md: NPS / 10 if answered, else (CSAT - 1) / 4, else 0.7; plus the usage
    # trend; held to 0-1.
    portfolio = example_portfolio()
    customers = (attrs.evolve(portfolio.customers[0], health=signals), *portfolio.customers[1:])
    columns = columns_from_objects(attrs.evolve(portfolio, customers=customers))
    assert _health(columns)[0] == pytest.approx(health, abs=1e-12)


def test_a_loss_too_small_to_scale_gives_no_nan() -> None:
    # Found by review: compensation_peak * loss underflowed to 0 for a subnormal loss,
    # and 0 / 0 made the stay NaN. A gesture against it is past the peak; none is nothing.
    model = ServiceRecoveryResponse(compensation_peak=0.4, harm_scale=1e-9)
    inputs = _inputs([(5e-324, 0.0, 0.0, 1e-300, 1, 0.5, False)])
    stays = {}
    for compensation in (0.0, 5.0, 0.5, 1e-320):
        given = attrs.evolve(inputs, compensation=np.array([compensation]))
        stay = model.stay_probability(given)
        assert np.isfinite(stay).all()
        assert 0.0 <= stay[0] <= model.base_retention
        stays[compensation] = stay[0]
    # Any gesture at all is past the peak there, a cent's as much as five units'.
    assert stays[0.5] == stays[5.0] == stays[1e-320] > stays[0.0]
    # A long double beyond float64 is refused, not read as a finite number then cast to inf.
    huge = np.array([1e400, 1.0], dtype=np.longdouble)
    assert _input_problems(loss=huge) == [("loss[0]", math.inf, "a finite number >= 0")]
