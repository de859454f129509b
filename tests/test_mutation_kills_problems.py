"""Every problem ``from_dict``, ``ExchangeRates`` and ``ValidationError`` report, pinned exactly.

The mutation run of 2026-12-06 (docs/mutation-log.md) showed survivors that replaced a
problem's value or expectation (``Problem(path, None, ...)``, ``"XXa numberXX"``), moved
a size limit by one (``>`` to ``>=``) or stopped checking a payload half way. Each test
here pins the whole ``Problem`` (path, value found, expectation) or the exact boundary.
The limits are patched down where the real one would cost a 10-million item list.
"""

from __future__ import annotations

import enum
import math
import sys
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

import attrs
import numpy as np
import pytest

import custadvocacy as ca
import custadvocacy._convert._from_dict as from_dict_module
import custadvocacy._convert._parsers as parsers_module
from custadvocacy import Problem, ValidationError
from custadvocacy._errors import _MAX_VALUE_REPR, short_repr

DATETIME_EXPECTED = "an ISO 8601 datetime with a UTC offset, e.g. '2026-11-23T09:00:00+01:00'"


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen(kw_only=True)
class Inner:
    count: int


@attrs.frozen(kw_only=True)
class Record:
    name: str = ""
    ratio: float = 0.0
    count: int = 0
    at: datetime | None = None
    price: ca.Money | None = None
    colour: Colour = Colour.RED
    items: tuple[int, ...] = ()
    inner: Inner | None = None
    pairs: tuple[tuple[Inner, int], ...] = ()


def _problems(payload: object, *, unknown: Literal["reject", "ignore"] = "reject") -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        ca.from_dict(Record, payload, unknown=unknown)
    return list(info.value.problems)


# --------------------------------------------------------------------- scalar fields


@pytest.mark.parametrize("value", ["1.5", None, True, [1.0]])
def test_a_float_field_names_the_value_and_wants_a_number(value: object) -> None:
    assert _problems({"ratio": value}) == [Problem("ratio", value, "a number")]


def test_a_float_field_accepts_any_finite_float_and_refuses_the_rest() -> None:
    # The classes bound their own fields: an impact's amounts grow with Money (to 1e18)
    # and must read back as written, so from_dict refuses only what no float can hold.
    largest = sys.float_info.max
    assert ca.from_dict(Record, {"ratio": largest}).ratio == largest
    assert ca.from_dict(Record, {"ratio": int(largest)}).ratio == largest
    assert ca.from_dict(Record, {"ratio": Decimal("-1e308")}).ratio == -1e308
    finite = f"a finite number of magnitude at most {largest!r}"
    not_nan = "a number, not NaN (for a value not known: null, where the field may be null)"
    for value, expected in (
        (10**400, finite),
        (float("inf"), finite),
        (-math.inf, finite),
        (1e999, finite),
        (Decimal("-Infinity"), finite),
        (float("nan"), not_nan),
        (np.float64("nan"), not_nan),
        (Decimal("NaN"), not_nan),
        (Decimal("sNaN"), not_nan),
    ):
        [problem] = _problems({"ratio": value})
        assert (problem.path, problem.expected) == ("ratio", expected)
        assert problem.value is value


def test_an_int_field_accepts_its_limit_and_refuses_past_it() -> None:
    assert ca.from_dict(Record, {"count": -(10**15)}).count == -(10**15)
    assert _problems({"count": 10**15 + 1}) == [
        Problem("count", 10**15 + 1, "a whole number of magnitude at most 1e+15")
    ]


def test_a_string_field_accepts_its_limit_and_refuses_past_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parsers_module, "MAX_STRING_LENGTH", 5)
    assert ca.from_dict(Record, {"name": "abcde"}).name == "abcde"
    assert _problems({"name": "abcdef"}) == [
        Problem("name", "abcdef", "a string of at most 5 characters")
    ]


def test_a_list_field_accepts_its_limit_and_refuses_past_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(from_dict_module, "MAX_ITEMS", 3)
    assert ca.from_dict(Record, {"items": [1, 2, 3]}).items == (1, 2, 3)
    assert _problems({"items": [1, 2, 3, 4]}) == [Problem("items", "<4 items>", "at most 3 items")]


@pytest.mark.parametrize("value", ["1,2", 5, {"a": 1}])
def test_a_list_field_names_what_it_found(value: object) -> None:
    assert _problems({"items": value}) == [Problem("items", value, "a list")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20260101, DATETIME_EXPECTED),
        ("x" * 65, DATETIME_EXPECTED),
        ("not a date", DATETIME_EXPECTED),
        ("2026-11-23T09:00:00", DATETIME_EXPECTED + " (this one has no offset)"),
    ],
)
def test_a_datetime_field_names_the_text_and_what_is_expected(value: object, expected: str) -> None:
    assert _problems({"at": value}) == [Problem("at", value, expected)]


def test_a_datetime_text_of_exactly_the_limit_is_read() -> None:
    # Fractional seconds may have any number of digits: 64 characters, still a datetime.
    text = "2026-11-23T09:00:00." + "1" * 38 + "+01:00"
    assert len(text) == 64
    at = ca.from_dict(Record, {"at": text}).at
    assert at is not None
    assert at.microsecond == 111_111
    longer = "2026-11-23T09:00:00." + "1" * 39 + "+01:00"
    assert _problems({"at": longer}) == [
        Problem("at", longer, DATETIME_EXPECTED + " (at most 64 characters)")
    ]


def test_a_datetime_field_takes_an_offset() -> None:
    at = ca.from_dict(Record, {"at": "2026-11-23T09:00:00+00:00"}).at
    assert at == datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.parametrize("value", ["green", 3, None, ["red"]])
def test_an_enum_field_lists_the_allowed_values(value: object) -> None:
    assert _problems({"colour": value}) == [Problem("colour", value, "one of 'red', 'blue'")]


# ----------------------------------------------------------------------- money fields


@pytest.mark.parametrize("value", ["12 EUR", 12, ["12", "EUR"]])
def test_money_that_is_not_an_object_is_one_problem(value: object) -> None:
    assert _problems({"price": value}) == [
        Problem("price", value, "an object with 'amount' (a string) and 'currency'")
    ]


def test_money_reports_an_unknown_key_with_the_key_as_value() -> None:
    assert _problems({"price": {"amount": "1", "currency": "EUR", "tax": 1}}) == [
        Problem("price.tax", "tax", "no such field (Money has: amount, currency)")
    ]
    price = ca.from_dict(
        Record, {"price": {"amount": "1", "currency": "EUR", "tax": 1}}, unknown="ignore"
    ).price
    assert price == ca.Money("1", "EUR")


def test_money_missing_its_amount_still_checks_its_currency() -> None:
    problems = _problems({"price": {"currency": "ZZZ"}})
    assert problems[0] == Problem("price.amount", None, "a value (the field is required)")
    assert [p.path for p in problems] == ["price.amount", "price.currency"]
    assert problems[1].value == "ZZZ"


def test_money_missing_both_names_both() -> None:
    assert _problems({"price": {}}) == [
        Problem("price.amount", None, "a value (the field is required)"),
        Problem("price.currency", None, "a value (the field is required)"),
    ]


# ----------------------------------------------------------------- objects and nesting


def test_a_nested_object_that_is_not_a_mapping_is_named_with_its_value() -> None:
    assert _problems({"inner": [1]}) == [Problem("inner", [1], "an object (mapping) for Inner")]


def test_an_unknown_key_is_reported_with_the_key_as_value() -> None:
    assert _problems({"inner": {"count": 1, "size": 2}}) == [
        Problem("inner.size", "size", "no such field (Inner has: count)")
    ]


def test_a_missing_required_field_keeps_the_full_path() -> None:
    assert _problems({"inner": {}}) == [
        Problem("inner.count", None, "a value (the field is required)")
    ]


def test_ignoring_unknown_keys_reaches_optional_and_tuple_members() -> None:
    payload = {
        "inner": {"count": 1, "size": 2},
        "pairs": [[{"count": 2, "size": 3}, 4]],
        "price": {"amount": "1", "currency": "EUR", "tax": 0},
    }
    record = ca.from_dict(Record, payload, unknown="ignore")
    assert record.inner == Inner(count=1)
    assert record.pairs == ((Inner(count=2), 4),)
    assert [p.path for p in _problems(payload)] == [
        "price.tax",
        "inner.size",
        "pairs[0][0].size",
    ]


# ------------------------------------------------------------------------ exchange rates


def test_rates_that_are_not_a_mapping_name_the_value() -> None:
    with pytest.raises(ValidationError) as info:
        ca.ExchangeRates([("EUR", "CZK", "25")])  # type: ignore[arg-type] # bad on purpose
    assert info.value.problems == (
        Problem("rates", [("EUR", "CZK", "25")], "a mapping (base, quote) -> rate"),
    )


def test_rate_keys_of_mixed_types_are_all_reported() -> None:
    # The keys are sorted by repr for a stable order; plain sorting would raise TypeError.
    with pytest.raises(ValidationError) as info:
        ca.ExchangeRates({5: "1", ("EUR", "CZK"): "25", "EUR/GBP": "0.8"})  # type: ignore[dict-item]
    expected = "a pair of ISO 4217 codes such as ('EUR', 'CZK')"
    assert info.value.problems == (
        Problem("rates['EUR/GBP']", "EUR/GBP", expected),
        Problem("rates[5]", 5, expected),
    )


RATE_EXPECTED = "a rate from 0.000000001 to 1,000,000,000"


def test_every_bad_rate_is_reported_with_its_value() -> None:
    with pytest.raises(ValidationError) as info:
        ca.ExchangeRates({("EUR", "CZK"): "abc", ("EUR", "GBP"): "0", ("EUR", "USD"): "1e30"})
    assert info.value.problems == (
        Problem("rates[('EUR', 'CZK')]", "abc", RATE_EXPECTED),
        Problem("rates[('EUR', 'GBP')]", "0", RATE_EXPECTED),
        Problem("rates[('EUR', 'USD')]", "1e30", RATE_EXPECTED),
    )


def test_rates_at_their_limits_are_kept() -> None:
    rates = ca.ExchangeRates({("EUR", "CZK"): "1e9", ("EUR", "GBP"): "1e-9"})
    assert rates.rates[("EUR", "CZK")] == Decimal("1e9")
    assert rates.rates[("EUR", "GBP")] == Decimal("1e-9")


# ------------------------------------------------------------------------------ errors


def test_one_problem_is_singular_and_more_are_plural() -> None:
    one = ValidationError([Problem("a", 1, "x")])
    assert str(one) == "1 problem:\n  a: expected x, got 1"
    two = ValidationError([Problem("a", 1, "x"), Problem("b", 2, "y")])
    assert str(two).splitlines()[0] == "2 problems:"


def test_a_value_shown_at_exactly_the_limit_is_not_shortened() -> None:
    text = "x" * (_MAX_VALUE_REPR - 2)  # its repr has the two quotes: exactly the limit
    assert short_repr(text) == repr(text)
    longer = text + "x"
    assert short_repr(longer) == repr(longer)[: _MAX_VALUE_REPR - 3] + "..."


def test_equal_money_hashes_by_amount_and_currency() -> None:
    one, two = ca.Money("1", "EUR"), ca.Money("2", "EUR")
    assert hash(one) == hash((one.amount, one.currency))
    assert hash(one) != hash(two)
