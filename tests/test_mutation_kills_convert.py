"""Exact from_dict behaviour for fixed-length tuples, optional fields and unsupported types.

No domain class of the foundation has a ``tuple[X, Y]`` field, so the property tests
never reached that converter; mutation testing showed it. These pin every problem's
path, value and expectation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

import custadvocacy as ca
from custadvocacy import ConfigurationError, Problem, ValidationError
from custadvocacy._checks import Checks


@attrs.frozen(kw_only=True)
class Pair:
    pair: tuple[int, str]
    maybe: int | None = None


@attrs.frozen(kw_only=True)
class Holder:
    inner: tuple[Pair, ...]


@attrs.frozen
class WithSet:
    values: set[int]


def _problems(cls: type, payload: object) -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        ca.from_dict(cls, payload)
    return list(info.value.problems)


def test_a_fixed_tuple_and_an_optional_convert() -> None:
    assert ca.from_dict(Pair, {"pair": [1, "a"], "maybe": 3}) == Pair(pair=(1, "a"), maybe=3)
    assert ca.from_dict(Pair, {"pair": (2, "b"), "maybe": None}) == Pair(pair=(2, "b"))
    assert ca.from_dict(Pair, {"pair": [2, "b"]}).maybe is None
    assert ca.to_dict(Pair(pair=(1, "a"), maybe=0)) == {"pair": [1, "a"], "maybe": 0}


@pytest.mark.parametrize("value", [[1], [1, "a", "b"], "ab", {"a": 1}, None, 5])
def test_a_fixed_tuple_of_the_wrong_shape_is_one_problem(value: object) -> None:
    assert _problems(Pair, {"pair": value}) == [Problem("pair", value, "a list of exactly 2 items")]


def test_every_bad_member_of_a_fixed_tuple_is_reported_with_its_index() -> None:
    assert _problems(Pair, {"pair": [True, 2]}) == [
        Problem("pair[0]", value=True, expected="a whole number"),
        Problem("pair[1]", 2, "a string"),
    ]
    assert _problems(Pair, {"pair": [1, 2]}) == [Problem("pair[1]", 2, "a string")]


def test_fixed_tuples_nested_in_lists_keep_the_full_path() -> None:
    payload = {"inner": [{"pair": [1, "a"]}, {"pair": [1, 2], "maybe": "x"}]}
    assert _problems(Holder, payload) == [
        Problem("inner[1].pair[1]", 2, "a string"),
        Problem("inner[1].maybe", "x", "a whole number"),
    ]


def test_an_optional_field_checks_a_value_that_is_not_none() -> None:
    assert _problems(Pair, {"pair": [1, "a"], "maybe": "x"}) == [
        Problem("maybe", "x", "a whole number")
    ]


@pytest.mark.parametrize(
    ("cls", "shown"),
    [
        (set, "<class 'set'>"),
        (WithSet, "set[int]"),
        # Not classes at all: unhashable (a TypeError from the cache before) or unshowable
        (["Customer"], "['Customer']"),
        (Decimal("sNaN"), "Decimal('sNaN')"),
        pytest.param(10**5000, "<int that cannot be shown>", id="huge-int"),
    ],
)
def test_an_unsupported_type_is_a_configuration_error(cls: Any, shown: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        ca.from_dict(cls, {"values": [1]})
    assert str(info.value) == (
        f"from_dict() cannot build {shown}: pass a value class of custadvocacy "
        "(an attrs class whose fields are plain data, Money, datetimes, enums...)"
    )


@attrs.frozen(kw_only=True)
class Flags:
    on: bool
    ratio: Decimal


def test_a_bad_unknown_is_named_even_when_its_repr_would_raise() -> None:
    with pytest.raises(ConfigurationError) as info:
        ca.from_dict(Flags, {}, unknown=10**5000)  # type: ignore[arg-type]
    assert str(info.value) == (
        "unknown must be 'reject', 'ignore' or a set of the names to ignore, e.g. "
        "{'crm_owner'}, not <int that cannot be shown>"
    )
    with pytest.raises(ConfigurationError) as info:
        ca.default_estimators(on_missing=10**5000)  # type: ignore[arg-type]
    assert "on_missing must be 'not_estimated' or 'raise', not <int that cannot be shown>" in str(
        info.value
    )


def test_a_bool_field_takes_only_true_or_false() -> None:
    assert ca.from_dict(Flags, {"on": True, "ratio": "0.5"}) == Flags(on=True, ratio=Decimal("0.5"))
    assert _problems(Flags, {"on": "yes", "ratio": "x"}) == [
        Problem("on", "yes", "true or false"),
        Problem("ratio", "x", "a decimal number as a string, e.g. '12.50'"),
    ]


RATES_EXPECTED = "an object mapping 'BASE/QUOTE' to a rate, e.g. {'EUR/CZK': '25.2'}"
KEY_EXPECTED = "a key of the form 'BASE/QUOTE'"


def test_rates_that_are_not_an_object_are_one_problem() -> None:
    assert _problems(ca.ExchangeRates, "x") == [Problem("", "x", RATES_EXPECTED)]


def test_every_bad_rate_key_is_reported_and_the_good_ones_kept_checking() -> None:
    payload = {"EURCZK": "25", "EUR/GBP": "0.86", "A/B/C": "1", 1: "2", "EUR/USD": "x"}
    assert _problems(ca.ExchangeRates, payload) == [
        Problem("['EURCZK']", "EURCZK", KEY_EXPECTED),
        Problem("['A/B/C']", "A/B/C", KEY_EXPECTED),
        Problem("[1]", 1, KEY_EXPECTED),
    ]


def test_checks_record_the_value_found() -> None:
    checks = Checks()
    checks.fail("field", 5, "a small number")
    assert checks.problems == [Problem("field", 5, "a small number")]


class Name(str):
    __slots__ = ()


class Amount(Decimal):
    __slots__ = ()


@attrs.frozen(kw_only=True)
class Loose:
    name: str
    amount: Decimal
    count: int | None


def test_subclasses_of_plain_types_take_the_slow_path_to_the_same_form() -> None:
    # Exact types have a fast path; a subclass must reach the same plain form without it.
    plain = ca.to_dict(Loose(name=Name("x"), amount=Amount("1.50"), count=None))
    assert plain == {"name": "x", "amount": "1.50", "count": None}
    assert type(plain["amount"]) is str


class Euro(ca.Money):
    __slots__ = ()


class Moment(datetime):
    __slots__ = ()


@attrs.frozen
class Anything:
    value: object


def test_subclasses_of_money_and_datetime_take_the_slow_path_to_the_same_form() -> None:
    assert ca.to_dict(Anything(Euro("1.5", "EUR"))) == {
        "value": {"amount": "1.5", "currency": "EUR"}
    }
    moment = Moment(2026, 1, 1, tzinfo=UTC)
    assert ca.to_dict(Anything(moment)) == {"value": "2026-01-01T00:00:00+00:00"}


def test_a_value_without_a_plain_form_is_a_problem_with_its_path() -> None:
    with pytest.raises(ValidationError) as info:
        ca.to_dict(Anything({1, 2}))
    assert list(info.value.problems) == [
        Problem(
            "value",
            {1, 2},
            "a value with a plain-data form (a value class of custadvocacy, Money, Decimal, "
            "datetime, enum, str, int, float, bool, None, list or dict)",
        )
    ]
