"""The exception hierarchy: what each error is, what it carries, how it reads and pickles."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import custadvocacy._errors as errors_module
import custadvocacy.exceptions as exceptions_module
from custadvocacy import (
    AdvocacyError,
    ConfigurationError,
    CurrencyMismatchError,
    MissingRateError,
    Problem,
    ValidationError,
)
from custadvocacy._errors import REQUIRED_COLUMN, REQUIRED_FIELD, short_repr

HIERARCHY = [
    (ValidationError, ValueError),
    (CurrencyMismatchError, ValueError),
    (MissingRateError, LookupError),
    (ConfigurationError, ValueError),
]


@pytest.mark.parametrize(("error", "builtin"), HIERARCHY)
def test_every_error_is_an_advocacy_error_and_its_natural_builtin(
    error: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(error, AdvocacyError)
    assert issubclass(error, builtin)
    assert issubclass(AdvocacyError, Exception)
    assert not issubclass(AdvocacyError, ValueError)


def test_the_hierarchy_is_drawn_in_the_module_docstrings() -> None:
    for doc in (exceptions_module.__doc__, errors_module.__doc__):
        assert doc is not None
        for error, builtin in HIERARCHY:
            assert f"{error.__name__} ({builtin.__name__})" in doc


def test_the_public_exceptions_module_exports_the_hierarchy() -> None:
    assert set(exceptions_module.__all__) == {
        "AdvocacyError",
        "ConfigurationError",
        "CurrencyMismatchError",
        "MissingRateError",
        "Problem",
        "ValidationError",
    }


# ------------------------------------------------------------------------ Problem


def test_a_problem_reads_as_path_expectation_and_value() -> None:
    problem = Problem("orders[2].value.amount", "-5", "a non-negative amount")
    assert str(problem) == "orders[2].value.amount: expected a non-negative amount, got '-5'"
    assert str(Problem("", 3, "an object")) == "<payload>: expected an object, got 3"


def test_a_missing_key_or_column_reads_as_missing_not_as_a_none_sent() -> None:
    # A host that sent {"id": null} reads "got None"; one that left "id" out must not.
    assert str(Problem("id", None, REQUIRED_FIELD)) == "id: missing (the field is required)"
    assert str(Problem("customers.id", None, REQUIRED_COLUMN)) == (
        "customers.id: missing (the column is required)"
    )
    # The problem itself is as it was: what hosts serialise does not change.
    assert Problem("id", None, REQUIRED_FIELD).expected == "a value (the field is required)"
    assert str(Problem("id", "", REQUIRED_FIELD)) == (
        "id: expected a value (the field is required), got ''"
    )
    assert str(Problem("id", None, "a string")) == "id: expected a string, got None"


@pytest.mark.parametrize(
    ("path", "prefix", "expected"),
    [
        ("amount", "orders[0].value", "orders[0].value.amount"),
        ("[3]", "orders", "orders[3]"),
        ("", "orders[1]", "orders[1]"),
        ("id", "", "id"),
        ("['EUR/CZK']", "rates", "rates['EUR/CZK']"),
    ],
)
def test_paths_nest(path: str, prefix: str, expected: str) -> None:
    assert Problem(path, 1, "x").under(prefix).path == expected


def test_a_problem_is_a_frozen_value() -> None:
    problem = Problem("id", "", "a non-empty string")
    assert problem == Problem("id", "", "a non-empty string")
    assert pickle.loads(pickle.dumps(problem)) == problem  # noqa: S301 - own object
    assert "Problem(path='id'" in repr(problem)


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


class _BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("x" * 1000, "'" + "x" * 76 + "..."),
        (_nested(100_000), "[[[[...]]]]"),
        ({"a": {"b": {"c": {"d": 1}}}}, "{'a': {'b': {'c': {...}}}}"),
        (10**5000, "<int that cannot be shown>"),
        ([10**5000], "<list that cannot be shown>"),
        (_BrokenRepr(), "<_BrokenRepr that cannot be shown>"),
        (list(range(100)), "[0, 1, 2, 3, 4, 5, ...]"),
    ],
    ids=[
        "long-string",
        "deep-list",
        "deep-dict",
        "huge-int",
        "huge-int-in-list",
        "bad-repr",
        "long-list",
    ],
)
def test_hostile_values_are_shown_short_and_never_break_the_message(
    value: object, shown: str
) -> None:
    assert short_repr(value) == shown
    problem = Problem("name", value, "a string")
    assert str(problem).endswith(shown)
    assert shown in repr(problem)
    assert len(str(ValidationError([problem]))) < 200


class _BrokenZone(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:  # noqa: ARG002
        return timedelta(days=2)  # beyond a day: datetime refuses it (ValueError)

    def dst(self, dt: datetime | None) -> None:  # noqa: ARG002
        return None

    def tzname(self, dt: datetime | None) -> str:  # noqa: ARG002
        return "broken"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (
            datetime(2026, 10, 29, 9, 0, 30, tzinfo=timezone(timedelta(hours=2))),
            "datetime 2026-10-29T09:00:30+02:00",
        ),
        (datetime(2026, 11, 1, 0, 0, tzinfo=UTC), "datetime 2026-11-01T00:00:00+00:00"),
        (datetime(2026, 11, 1), "datetime 2026-11-01T00:00:00 (no UTC offset)"),  # noqa: DTZ001
        (datetime(1, 1, 1, 0, 0, 0, 1), "datetime 0001-01-01T00:00:00.000001 (no UTC offset)"),  # noqa: DTZ001
        (datetime(2026, 11, 1, tzinfo=_BrokenZone()), "<datetime that cannot be shown>"),
    ],
)
def test_a_moment_is_shown_in_iso_form_with_its_offset(value: datetime, shown: str) -> None:
    # Its repr ran past 80 characters and was cut inside the time zone, the very part a
    # message about "not before placed_at (2026-10-20T10:00:00+02:00)" is about.
    assert short_repr(value) == shown
    assert str(Problem("placed_at", value, "a moment")).endswith(f"got {shown}")


def test_pandas_missing_moment_is_shown_as_nat() -> None:
    # pandas' NaT is a datetime whose utcoffset() raises: it was "<NaTType that cannot
    # be shown>" in a bad row's message about a required moment.
    pd: Any = pytest.importorskip("pandas")
    assert short_repr(pd.NaT) == "NaT"


@given(st.recursive(st.none() | st.integers() | st.text(), st.lists, max_leaves=50))
def test_the_short_repr_is_bounded(value: object) -> None:
    assert len(short_repr(value)) <= 80


# ------------------------------------------------------------------ ValidationError


def test_a_validation_error_lists_every_problem() -> None:
    err = ValidationError(
        [Problem("id", "", "a non-empty string"), Problem("value.amount", "-1", "x >= 0")]
    )
    assert str(err).splitlines() == [
        "2 problems:",
        "  id: expected a non-empty string, got ''",
        "  value.amount: expected x >= 0, got '-1'",
    ]
    assert err.paths == ("id", "value.amount")
    assert err.under("orders[1]").paths == ("orders[1].id", "orders[1].value.amount")
    assert isinstance(err.under("x"), ValidationError)


def test_a_validation_error_round_trips_through_pickle() -> None:
    err = ValidationError([Problem("id", "", "a non-empty string")])
    clone = pickle.loads(pickle.dumps(err))  # noqa: S301 - own object
    assert type(clone) is ValidationError
    assert clone.problems == err.problems
    assert str(clone) == str(err)


# ----------------------------------------------------------------- MissingRateError


def test_a_missing_rate_names_the_pair_and_how_to_add_it() -> None:
    err = MissingRateError("CZK", "GBP")
    assert (err.base, err.quote) == ("CZK", "GBP")
    assert str(err).startswith("no exchange rate CZK->GBP (nor GBP->CZK)")
    assert "ExchangeRates({('CZK', 'GBP'): Decimal('...')})" in str(err)
    clone = pickle.loads(pickle.dumps(err))  # noqa: S301 - own object
    assert (clone.base, clone.quote, str(clone)) == ("CZK", "GBP", str(err))


@pytest.mark.parametrize(
    "error",
    [CurrencyMismatchError("cannot add EUR and GBP"), ConfigurationError("bad plug-in")],
)
def test_message_errors_pickle(error: AdvocacyError) -> None:
    clone = pickle.loads(pickle.dumps(error))  # noqa: S301 - own object
    assert type(clone) is type(error)
    assert str(clone) == str(error)
