"""Every check of the score's classes, pinned by its exact message (path, value, expectation).

The mutation run of 2026-12-06 (docs/mutation-log.md) left 107 survivors in
``_scoring/_model.py``: no test built a ``Contribution``, ``AdvocacyScore``,
``ScoreWeights`` or ``ScorerConfig`` with a bad field directly, so an expectation's words,
a bound (``high=100.0`` to ``101.0``) or a fast path's test (``type(drivers) is not tuple``)
could change unnoticed. Each row changes one field of a valid object to one probe value
and gives the whole ``ValidationError`` text that must come out (or ``ok``). The fast
paths accept only what the full checks would: the rows probe both sides of each of their
bounds, and a value of the wrong type that a laxer fast path would let through.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from _evolved import evolved_outcome

from custadvocacy import AdvocacyScore, Band, Contribution, Money, ScorerConfig, ScoreWeights
from custadvocacy._scoring._model import FACTORS

C = Contribution(factor="harm", points=30.0, detail="d")
H = Contribution(factor="health", points=12.5)
BASE: dict[str, object] = {
    "Contribution": C,
    "AdvocacyScore": AdvocacyScore(
        customer_id="C1",
        as_of=datetime(2026, 11, 20, tzinfo=UTC),
        value=42.5,
        band=Band.HIGH,
        contributions=(C, H),
        drivers=("harm: late",),
    ),
    "ScoreWeights": ScoreWeights(),
    "ScorerConfig": ScorerConfig(),
}
# What the probe labels may name.
NAMES = {"C": C, "H": H, "UTC": UTC, "datetime": datetime, "Money": Money}


ROWS: list[tuple[str, str, str, str]] = [
    ("Contribution", "factor", "[1]", "1 problem:\n  factor: expected a string, got [1]"),
    ("Contribution", "factor", '""', "1 problem:\n  factor: expected a non-empty string, got ''"),
    (
        "Contribution",
        "factor",
        '"  "',
        "1 problem:\n  factor: expected a non-empty string, got '  '",
    ),
    ("Contribution", "factor", '"x"*100', "ok"),
    (
        "Contribution",
        "factor",
        '"x"*101',
        "1 problem:\n  factor: expected a string of at most 100 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "Contribution",
        "points",
        "[1]",
        "1 problem:\n  points: expected a number from 0 to 100, got [1]",
    ),
    (
        "Contribution",
        "points",
        "-0.5",
        "1 problem:\n  points: expected a number from 0 to 100, got -0.5",
    ),
    ("Contribution", "points", "0.0", "ok"),
    ("Contribution", "points", "100.0", "ok"),
    (
        "Contribution",
        "points",
        "100.5",
        "1 problem:\n  points: expected a number from 0 to 100, got 100.5",
    ),
    ("Contribution", "points", "7", "ok"),
    (
        "Contribution",
        "points",
        "float('nan')",
        "1 problem:\n  points: expected a number from 0 to 100, got nan",
    ),
    (
        "Contribution",
        "points",
        "True",
        "1 problem:\n  points: expected a number from 0 to 100, got True",
    ),
    ("Contribution", "detail", "[1]", "1 problem:\n  detail: expected a string, got [1]"),
    ("Contribution", "detail", '""', "ok"),
    ("Contribution", "detail", '"x"*10_000', "ok"),
    (
        "Contribution",
        "detail",
        '"x"*10_001',
        "1 problem:\n  detail: expected a string of at most 10000 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "AdvocacyScore",
        "customer_id",
        "[1]",
        "1 problem:\n  customer_id: expected a string, got [1]",
    ),
    (
        "AdvocacyScore",
        "customer_id",
        'b"C1"',
        "1 problem:\n  customer_id: expected a string, got b'C1'",
    ),
    (
        "AdvocacyScore",
        "customer_id",
        '""',
        "1 problem:\n  customer_id: expected a non-empty string, got ''",
    ),
    (
        "AdvocacyScore",
        "customer_id",
        '"  "',
        "1 problem:\n  customer_id: expected a non-empty string, got '  '",
    ),
    ("AdvocacyScore", "customer_id", '"x"*200', "ok"),
    (
        "AdvocacyScore",
        "customer_id",
        '"x"*201',
        "1 problem:\n  customer_id: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "AdvocacyScore",
        "as_of",
        "[1]",
        "1 problem:\n  as_of: expected a timezone-aware datetime, got [1]",
    ),
    (
        "AdvocacyScore",
        "as_of",
        "datetime(2026, 11, 20)",
        "1 problem:\n  as_of: expected a timezone-aware datetime (with tzinfo or a UTC offset), got datetime 2026-11-20T00:00:00 (no UTC offset)",
    ),
    (
        "AdvocacyScore",
        "as_of",
        "datetime(1899, 12, 31, tzinfo=UTC)",
        "1 problem:\n  as_of: expected a datetime between the years 1900 and 2200, got datetime 1899-12-31T00:00:00+00:00",
    ),
    (
        "AdvocacyScore",
        "as_of",
        "datetime(2201, 1, 1, tzinfo=UTC)",
        "1 problem:\n  as_of: expected a datetime between the years 1900 and 2200, got datetime 2201-01-01T00:00:00+00:00",
    ),
    (
        "AdvocacyScore",
        "value",
        "float('nan')",
        "1 problem:\n  value: expected a number from 0 to 100, got nan",
    ),
    (
        "AdvocacyScore",
        "value",
        "True",
        "1 problem:\n  value: expected a number from 0 to 100, got True",
    ),
    (
        "AdvocacyScore",
        "value",
        "[1]",
        "1 problem:\n  value: expected a number from 0 to 100, got [1]",
    ),
    (
        "AdvocacyScore",
        "value",
        "40.0",
        "1 problem:\n  value: expected the sum of the contributions' points (42.5), got 40.0",
    ),
    (
        "AdvocacyScore",
        "band",
        '"high"',
        "1 problem:\n  band: expected a Band (here Band.HIGH), not its value as a plain string, got 'high'",
    ),
    (
        "AdvocacyScore",
        "band",
        "[1]",
        "1 problem:\n  band: expected one of 'stable', 'watch', 'elevated', 'high', 'critical', got [1]",
    ),
    (
        "AdvocacyScore",
        "contributions",
        "[C]",
        "1 problem:\n  contributions: expected a tuple of Contributions, got [Contribution('harm', 30.0, 'd')]",
    ),
    (
        "AdvocacyScore",
        "contributions",
        "(C, [1])",
        "1 problem:\n  contributions[1]: expected a Contribution, got [1]",
    ),
    (
        "AdvocacyScore",
        "contributions",
        "[C, H]",
        "1 problem:\n  contributions: expected a tuple of Contributions, got [Contribution('harm', 30.0, 'd'), Contribution('health', 12.5, '')]",
    ),
    (
        "AdvocacyScore",
        "drivers",
        '["a"]',
        "1 problem:\n  drivers: expected a tuple of at most 20 strings, got ['a']",
    ),
    (
        "AdvocacyScore",
        "drivers",
        '("",)',
        "1 problem:\n  drivers[0]: expected a non-empty string, got ''",
    ),
    (
        "AdvocacyScore",
        "drivers",
        '("  ",)',
        "1 problem:\n  drivers[0]: expected a non-empty string, got '  '",
    ),
    ("AdvocacyScore", "drivers", "([1],)", "1 problem:\n  drivers[0]: expected a string, got [1]"),
    (
        "AdvocacyScore",
        "drivers",
        '("x"*10_001,)',
        "1 problem:\n  drivers[0]: expected a string of at most 10000 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    ("AdvocacyScore", "drivers", '("d",)*20', "ok"),
    (
        "AdvocacyScore",
        "drivers",
        '("d",)*21',
        "1 problem:\n  drivers: expected a tuple of at most 20 strings, got ('d', 'd', 'd', 'd', 'd', 'd', ...)",
    ),
    (
        "ScoreWeights",
        "harm",
        "[1]",
        "1 problem:\n  harm: expected a number from 0 to 1e+06 (a relative weight), got [1]",
    ),
    (
        "ScoreWeights",
        "harm",
        "-0.5",
        "1 problem:\n  harm: expected a number from 0 to 1e+06 (a relative weight), got -0.5",
    ),
    ("ScoreWeights", "harm", "0", "ok"),
    ("ScoreWeights", "harm", "1e6", "ok"),
    (
        "ScoreWeights",
        "harm",
        "1e6 * (1 + 1e-15)",
        "1 problem:\n  harm: expected a number from 0 to 1e+06 (a relative weight), got 1000000.0000000012",
    ),
    (
        "ScoreWeights",
        "harm",
        "float('inf')",
        "1 problem:\n  harm: expected a number from 0 to 1e+06 (a relative weight), got inf",
    ),
    (
        "ScoreWeights",
        "harm",
        "True",
        "1 problem:\n  harm: expected a number from 0 to 1e+06 (a relative weight), got True",
    ),
    ("ScorerConfig", "weights", "[1]", "1 problem:\n  weights: expected a ScoreWeights, got [1]"),
    (
        "ScorerConfig",
        "harm_scale_days",
        "0",
        "1 problem:\n  harm_scale_days: expected a number from 1e-09 to 1e+06, got 0",
    ),
    ("ScorerConfig", "harm_scale_days", "1e-9", "ok"),
    ("ScorerConfig", "harm_scale_days", "1e6", "ok"),
    (
        "ScorerConfig",
        "harm_scale_days",
        "1e6 * (1 + 1e-15)",
        "1 problem:\n  harm_scale_days: expected a number from 1e-09 to 1e+06, got 1000000.0000000012",
    ),
    (
        "ScorerConfig",
        "harm_scale_days",
        "[1]",
        "1 problem:\n  harm_scale_days: expected a number from 1e-09 to 1e+06, got [1]",
    ),
    ("ScorerConfig", "value_scale", "[1]", "1 problem:\n  value_scale: expected a Money, got [1]"),
    (
        "ScorerConfig",
        "value_scale",
        "Money('0', 'EUR')",
        "1 problem:\n  value_scale.amount: expected an amount above zero, got Decimal('0')",
    ),
    (
        "ScorerConfig",
        "value_scale",
        "Money('-1', 'EUR')",
        "1 problem:\n  value_scale.amount: expected an amount above zero, got Decimal('-1')",
    ),
    ("ScorerConfig", "value_scale", "Money('0.01', 'EUR')", "ok"),
    ("ScorerConfig", "band_thresholds", "(10.0, 25.0, 40.0, 100.0)", "ok"),
    (
        "ScorerConfig",
        "band_thresholds",
        "(10.0, 25.0, 40.0, 100.5)",
        "1 problem:\n  band_thresholds: expected four strictly increasing numbers in (0, 100], got (10.0, 25.0, 40.0, 100.5)",
    ),
    (
        "ScorerConfig",
        "band_thresholds",
        "(0.0, 25.0, 40.0, 60.0)",
        "1 problem:\n  band_thresholds: expected four strictly increasing numbers in (0, 100], got (0.0, 25.0, 40.0, 60.0)",
    ),
    (
        "ScorerConfig",
        "band_thresholds",
        "(10.0, 25.0, 25.0, 60.0)",
        "1 problem:\n  band_thresholds: expected four strictly increasing numbers in (0, 100], got (10.0, 25.0, 25.0, 60.0)",
    ),
    ("ScorerConfig", "band_thresholds", "(10, 25, 40, 60)", "ok"),
    (
        "ScorerConfig",
        "band_thresholds",
        "(10.0, 25.0, True, 60.0)",
        "1 problem:\n  band_thresholds: expected four strictly increasing numbers in (0, 100], got (10.0, 25.0, True, 60.0)",
    ),
    (
        "ScorerConfig",
        "band_thresholds",
        "[10.0, 25.0, 40.0, 60.0]",
        "1 problem:\n  band_thresholds: expected four strictly increasing numbers in (0, 100], got [10.0, 25.0, 40.0, 60.0]",
    ),
    (
        "ScorerConfig",
        "band_thresholds",
        "(10.0, 25.0, 40.0)",
        "1 problem:\n  band_thresholds: expected four strictly increasing numbers in (0, 100], got (10.0, 25.0, 40.0)",
    ),
    (
        "ScorerConfig",
        "band_thresholds",
        "(10.0, '25', 40.0, 60.0)",
        "1 problem:\n  band_thresholds: expected four strictly increasing numbers in (0, 100], got (10.0, '25', 40.0, 60.0)",
    ),
    (
        "ScorerConfig",
        "max_drivers",
        "0",
        "1 problem:\n  max_drivers: expected a whole number from 1 to 20, got 0",
    ),
    ("ScorerConfig", "max_drivers", "1", "ok"),
    ("ScorerConfig", "max_drivers", "20", "ok"),
    (
        "ScorerConfig",
        "max_drivers",
        "21",
        "1 problem:\n  max_drivers: expected a whole number from 1 to 20, got 21",
    ),
    (
        "ScorerConfig",
        "max_drivers",
        "2.5",
        "1 problem:\n  max_drivers: expected a whole number from 1 to 20, got 2.5",
    ),
    (
        "ScorerConfig",
        "max_drivers",
        "2.0",
        (
            "1 problem:\n  max_drivers: expected a whole number from 1 to 20, as an int "
            "(2.0 is a float), got 2.0"
        ),
    ),
    (
        "ScorerConfig",
        "max_drivers",
        "True",
        "1 problem:\n  max_drivers: expected a whole number from 1 to 20, got True",
    ),
]


@pytest.mark.parametrize(("cls", "field", "label", "expected"), ROWS)
def test_each_field_check_says_exactly_what_was_wrong(
    cls: str, field: str, label: str, expected: str
) -> None:
    probe = eval(label, NAMES)  # noqa: S307 - the labels above, our own literals
    assert evolved_outcome(BASE[cls], **{field: probe}) == expected


def test_a_score_above_100_is_refused_even_when_its_points_add_up() -> None:
    halves = (Contribution(factor="a", points=50.25), Contribution(factor="b", points=50.25))
    assert evolved_outcome(BASE["AdvocacyScore"], value=100.5, contributions=halves) == (
        "1 problem:\n  value: expected a number from 0 to 100, got 100.5"
    )
    full = (Contribution(factor="a", points=50.0), Contribution(factor="b", points=50.0))
    assert evolved_outcome(BASE["AdvocacyScore"], value=100.0, contributions=full) == "ok"


def test_a_sum_is_shown_to_the_tolerance_not_with_float_noise() -> None:
    noisy = (Contribution(factor="a", points=0.1), Contribution(factor="b", points=0.2))
    assert sum(c.points for c in noisy) == 0.30000000000000004
    assert evolved_outcome(BASE["AdvocacyScore"], value=40.0, contributions=noisy) == (
        "1 problem:\n  value: expected the sum of the contributions' points (0.3), got 40.0"
    )


def test_whole_numbers_are_stored_as_floats() -> None:
    assert type(Contribution(factor="a", points=7).points) is float
    score = AdvocacyScore(
        customer_id="C1",
        as_of=datetime(2026, 1, 1, tzinfo=UTC),
        value=42,
        band=Band.HIGH,
        contributions=(Contribution(factor="harm", points=42.0),),
    )
    assert type(score.value) is float
    config = ScorerConfig(harm_scale_days=2, band_thresholds=(10, 25, 40, 60))
    assert type(config.harm_scale_days) is float
    assert all(type(t) is float for t in config.band_thresholds)
    assert all(type(getattr(ScoreWeights(harm=1), name)) is float for name in FACTORS)


def test_all_weights_zero_is_refused_at_harm() -> None:
    assert evolved_outcome(BASE["ScoreWeights"], **dict.fromkeys(FACTORS, 0.0)) == (
        "1 problem:\n  harm: expected at least one weight above zero (all 7 are 0), got 0.0"
    )


def test_points_of_a_missing_factor_is_the_float_zero_and_top_lists_three() -> None:
    parts = tuple(Contribution(factor=f, points=float(i + 1)) for i, f in enumerate("abcd"))
    score = AdvocacyScore(
        customer_id="C1",
        as_of=datetime(2026, 1, 1, tzinfo=UTC),
        value=10.0,
        band=Band.WATCH,
        contributions=parts,
    )
    assert repr(score.points("missing")) == "0.0"
    assert [item.factor for item in score.top()] == ["d", "c", "b"]


def _score(value: float, points: tuple[float, ...] = (), **change: object) -> AdvocacyScore:
    parts = tuple(Contribution(factor=f"f{i}", points=p) for i, p in enumerate(points))
    fields: dict[str, object] = {
        "customer_id": "C1",
        "as_of": datetime(2026, 1, 1, tzinfo=UTC),
        "value": value,
        "band": Band.STABLE,
        "contributions": parts,
    }
    return AdvocacyScore(**(fields | change))  # type: ignore[arg-type]


def test_the_full_checks_take_20_drivers_and_a_sum_off_by_exactly_the_tolerance() -> None:
    # A whole-number value skips the fast path: these reach the full checks' bounds.
    assert _score(1, (1.0,), drivers=("d",) * 20).drivers == ("d",) * 20
    assert _score(0, (1e-9,)).value == 0.0


VALID_AT_THE_EDGES: list[Contribution | AdvocacyScore] = [
    Contribution(factor="x" * 100, points=0.0, detail="x" * 10_000),
    Contribution(factor="h", points=100.0),
    Contribution(factor=" h ", points=0.5, detail=""),
    _score(0.0),
    _score(100.0, (50.0, 50.0)),
    _score(0.5, (0.5,)),
    _score(42.5, (30.0, 12.5)),
    _score(0.0, (1e-9,)),
    _score(0.0, customer_id="x" * 200),
    _score(0.0, customer_id="x"),
    _score(0.0, customer_id=" x "),
    _score(0.0, as_of=datetime(1900, 1, 1, tzinfo=UTC)),
    _score(0.0, as_of=datetime(2200, 12, 31, tzinfo=UTC)),
    _score(0.0, drivers=("d",) * 20),
    _score(0.0, drivers=("x" * 10_000, "d", " d ")),
]


@pytest.mark.parametrize("valid", VALID_AT_THE_EDGES, ids=lambda v: repr(v)[:50])
def test_every_valid_object_takes_the_fast_path(valid: Contribution | AdvocacyScore) -> None:
    # The fast paths are what keeps building the built-in scorer's results cheap
    # (docs/performance.md); a valid object must never fall through to the full checks.
    assert valid._fast_valid()
