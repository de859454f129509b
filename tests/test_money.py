"""Money and ExchangeRates: arithmetic laws, currency safety, rounding, hostile amounts."""

from __future__ import annotations

import copy
import decimal
import math
import operator
import pickle
import struct
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    CurrencyMismatchError,
    ExchangeRates,
    MissingRateError,
    Money,
    ValidationError,
)
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._money import MAX_AMOUNT, MAX_RATE, MIN_RATE, to_decimal
from custadvocacy.testing.strategies import currencies, exchange_rates, money

CODES = st.sampled_from(("EUR", "CZK", "GBP", "JPY", "BHD", "CLF"))


@st.composite
def same_currency(draw: st.DrawFn, n: int, places: int | None = None) -> list[Money]:
    code = draw(CODES)
    strategy = money(
        currencies=st.just(code), min_value=-1_000_000, max_value=1_000_000, places=places
    )
    return [draw(strategy) for _ in range(n)]


@st.composite
def two_currencies(draw: st.DrawFn) -> tuple[Money, Money]:
    a = draw(money(currencies=CODES))
    b = draw(money(currencies=CODES.filter(lambda c: c != a.currency)))
    return a, b


factors = st.one_of(
    st.integers(-1000, 1000),
    st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
)


# ------------------------------------------------------------------ construction


@pytest.mark.parametrize(
    ("given_amount", "expected"),
    [
        ("12.50", Decimal("12.50")),
        (" 7 ", Decimal(7)),
        (12, Decimal(12)),
        (Decimal("0.001"), Decimal("0.001")),
        (0.1, Decimal("0.1")),
        (1e-7, Decimal("1E-7")),
        (-2.5, Decimal("-2.5")),
    ],
)
def test_amount_is_taken_exactly(given_amount: object, expected: Decimal) -> None:
    m = Money(given_amount, "EUR")
    assert m.amount == expected
    assert str(m.amount) == str(expected)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_a_float_goes_through_its_shortest_repr(value: float) -> None:
    assert Money(value, "EUR").amount == Decimal(repr(value))
    assert float(Money(value, "EUR").amount) == value


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_numpys_float64_is_taken_as_the_float_it_is(value: float) -> None:
    # np.float64 is a float whose repr is "np.float64(0.1)": Decimal() of that raised
    # InvalidOperation, in Money and in from_dict, for any amount a notebook passed on.
    assert Money(np.float64(value), "EUR") == Money(value, "EUR")


@given(st.integers(-(10**15), 10**15), st.sampled_from([np.int64, np.int32, np.uint64]))
def test_numpys_integers_are_taken_exactly(value: int, kind: type[np.integer[Any]]) -> None:
    # A cell of an int64 DataFrame column is np.int64, not int: refused before 0.2.
    if kind is np.uint64:
        value = abs(value)
    elif kind is np.int32:
        value = value % 2**31
    amount = kind(value)
    assert Money(amount, "EUR") == Money(value, "EUR")
    assert Money(7, "EUR") * amount == Money(7 * value, "EUR")


@given(st.floats(width=32, allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_numpys_smaller_floats_are_taken_by_their_own_shortest_repr(value: float) -> None:
    # float(np.float32(0.1)) is 0.10000000149011612; the float32 itself prints as 0.1.
    amount = np.float32(value)
    assert Money(amount, "EUR").amount == Decimal(str(amount))
    assert Money(np.float32(0.1), "EUR").amount == Decimal("0.1")
    assert Money(10, "EUR") * np.float32(0.25) == Money("2.50", "EUR")
    assert Money(10, "EUR") / np.float16(4) == Money("2.50", "EUR")


@pytest.mark.parametrize(
    "bad",
    [
        math.nan,
        math.inf,
        -math.inf,
        "nan",
        "NaN",
        "sNaN",
        "-Infinity",
        "inf",
        Decimal("NaN"),
        Decimal("Infinity"),
        True,
        False,
        None,
        "12,50",
        "",
        "x" * 101,
        [1],
        "1e19",
        MAX_AMOUNT + 1,
        -MAX_AMOUNT - 1,
        10**19,
        np.float64("nan"),
        np.float64(1e308),
        np.float32("nan"),
        np.float16("-inf"),
        np.True_,
        np.timedelta64(3, "D"),
        np.int64(10**18 + 1),
        np.datetime64("2026-01-01"),
        Decimal("sNaN"),
    ],
)
def test_bad_amounts_are_rejected_with_the_amount_path(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        Money(bad, "EUR")
    assert info.value.paths == ("amount",)


def _nan_with_payload(payload: int) -> float:
    value: float = struct.unpack("<d", struct.pack("<Q", 0x7FF8_0000_0000_0000 | payload))[0]
    return value


non_finite = st.sampled_from([math.inf, -math.inf, math.nan, -math.nan]) | st.integers(
    0, 2**51 - 1
).map(_nan_with_payload)


@given(non_finite)
def test_non_finite_floats_are_always_rejected(value: float) -> None:
    with pytest.raises(ValidationError) as info:
        Money(value, "EUR")
    assert info.value.paths == ("amount",)


@pytest.mark.parametrize("bad", ["eur", "EURO", "XXX", "XAU", "", None, 978])
def test_bad_currencies_are_rejected_with_the_currency_path(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        Money("1", bad)
    assert info.value.paths == ("currency",)


def test_the_magnitude_limit_is_inclusive() -> None:
    assert Money(MAX_AMOUNT, "EUR").amount == MAX_AMOUNT
    assert Money(-MAX_AMOUNT, "EUR").amount == -MAX_AMOUNT


def test_to_decimal_rejects_with_the_given_expectation() -> None:
    with pytest.raises(ValidationError, match="a positive weight"):
        to_decimal(object(), what="a positive weight")


def test_zero_and_minor_units() -> None:
    assert Money.zero("JPY") == Money(0, "JPY")
    assert Money.zero("EUR").is_zero()
    assert not Money("0.01", "EUR").is_zero()
    assert not Money.zero("EUR")
    assert Money("0.01", "EUR")
    assert {code: Money(1, code).minor_unit for code in ("EUR", "CZK", "JPY", "BHD", "CLF")} == {
        "EUR": 2,
        "CZK": 2,
        "JPY": 0,
        "BHD": 3,
        "CLF": 4,
    }


# -------------------------------------------------------------- arithmetic laws


@given(same_currency(3))
def test_addition_is_associative(ms: list[Money]) -> None:
    a, b, c = ms
    assert (a + b) + c == a + (b + c)


@given(same_currency(2))
def test_addition_is_commutative(ms: list[Money]) -> None:
    a, b = ms
    assert a + b == b + a


@given(money(min_value=-1_000_000))
def test_zero_is_the_identity_and_negation_the_inverse(m: Money) -> None:
    zero = Money.zero(m.currency)
    assert m + zero == m == zero + m
    assert m + 0 == m == 0 + m
    assert m - m == zero
    assert m + (-m) == zero
    negated = -m
    assert -negated == m
    assert +m == m
    assert abs(m) == abs(-m)
    assert abs(m).amount >= 0


@given(same_currency(2), factors)
def test_multiplication_distributes_over_addition(ms: list[Money], k: int | Decimal) -> None:
    a, b = ms
    assert (a + b) * k == a * k + b * k
    assert k * a == a * k


@given(same_currency(2))
def test_subtraction_undoes_addition(ms: list[Money]) -> None:
    a, b = ms
    assert (a + b) - b == a


@given(money(min_value=-1_000_000), st.integers(1, 1000))
def test_division_undoes_multiplication_by_an_integer(m: Money, k: int) -> None:
    assert (m * k) / k == m


@given(same_currency(5))
def test_sum_equals_repeated_addition(ms: list[Money]) -> None:
    total = ms[0]
    for m in ms[1:]:
        total += m
    assert sum(ms) == total
    assert sum(ms, Money.zero(ms[0].currency)) == total


@given(same_currency(2))
def test_order_matches_the_amounts(ms: list[Money]) -> None:
    a, b = ms
    assert (a < b) == (a.amount < b.amount)
    assert (a <= b) == (a.amount <= b.amount)
    assert (a > b) == (a.amount > b.amount)
    assert (a >= b) == (a.amount >= b.amount)
    assert (a == b) == (a.amount == b.amount)


@given(money())
def test_equal_amounts_with_other_exponents_are_equal_and_hash_alike(m: Money) -> None:
    widened = Money(m.amount.quantize(Decimal("0.000001")), m.currency)
    assert widened == m
    assert hash(widened) == hash(m)


def test_the_host_decimal_context_does_not_change_results() -> None:
    third = Money(10, "EUR") / 3
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_UP
        ctx.traps[decimal.Inexact] = True
        assert Money(10, "EUR") / 3 == third
        assert Money("1.005", "EUR").rounded() == Money("1.00", "EUR")


# --------------------------------------------------------------------- currency


OPERATORS: list[Callable[[Money, Money], object]] = [
    operator.add,
    operator.sub,
    operator.lt,
    operator.le,
    operator.gt,
    operator.ge,
    lambda a, b: sum([a, b]),
]


@given(two_currencies(), st.sampled_from(OPERATORS))
def test_mixing_currencies_always_raises(
    pair: tuple[Money, Money], op: Callable[..., object]
) -> None:
    a, b = pair
    with pytest.raises(CurrencyMismatchError, match=f"{a.currency} and {b.currency}"):
        op(a, b)


@given(two_currencies())
def test_equality_across_currencies_is_false_not_an_error(pair: tuple[Money, Money]) -> None:
    a, b = pair
    assert a != b
    assert a != a.amount


def test_currency_mismatch_is_a_value_error_that_says_how_to_fix_it() -> None:
    with pytest.raises(ValueError, match=r"convert one first with ExchangeRates\.convert"):
        Money(1, "EUR") - Money(1, "CZK")


@pytest.mark.parametrize(
    "op",
    [
        lambda m: m + 1,
        lambda m: m + 0.0,
        lambda m: m - 0,
        lambda m: m * m,
        lambda m: m / m,
        lambda m: m * "2",
        lambda m: m < 1,
        lambda m: m <= 1,
        lambda m: m > 1,
        lambda m: m >= 1,
        lambda m: m + True,
    ],
)
def test_money_does_not_mix_with_plain_numbers(op: Callable[[Money], object]) -> None:
    with pytest.raises(TypeError):
        op(Money(1, "EUR"))


@pytest.mark.parametrize("divisor", [0, 0.0, Decimal(0), Decimal("-0")])
def test_division_by_zero_is_a_validation_error(divisor: object) -> None:
    with pytest.raises(ValidationError, match="non-zero"):
        Money(1, "EUR") / divisor


@pytest.mark.parametrize("factor", [math.nan, math.inf, Decimal("NaN"), True])
def test_non_finite_factors_are_rejected(factor: object) -> None:
    with pytest.raises((ValidationError, TypeError)):
        Money(1, "EUR") * factor


@pytest.mark.parametrize(
    "op",
    [
        lambda: Money(MAX_AMOUNT, "EUR") + Money(1, "EUR"),
        lambda: Money(MAX_AMOUNT, "EUR") * 2,
        lambda: Money(1, "EUR") * Decimal("1e9999999"),
        lambda: Money(1, "EUR") / Decimal("1e-9999999"),
        lambda: Money(-MAX_AMOUNT, "EUR") - Money(1, "EUR"),
    ],
)
def test_results_past_the_limit_are_validation_errors_not_decimal_signals(
    op: Callable[[], Money],
) -> None:
    with pytest.raises(ValidationError) as info:
        op()
    assert info.value.paths == ("amount",)


# --------------------------------------------------------------------- rounding


@given(same_currency(1, places=6), st.sampled_from(["ROUND_HALF_EVEN", "ROUND_HALF_UP"]))
def test_rounding_is_idempotent_and_within_half_a_minor_unit(ms: list[Money], mode: str) -> None:
    (m,) = ms
    r = m.rounded(mode)  # type: ignore[arg-type]
    assert r.rounded(mode) == r  # type: ignore[arg-type]
    assert r.currency == m.currency
    assert -r.amount.as_tuple().exponent == MINOR_UNITS[m.currency]  # type: ignore[operator]
    assert abs(r.amount - m.amount) <= Decimal(1).scaleb(-m.minor_unit) / 2


@given(money(min_value=-1_000_000))
def test_amounts_in_minor_units_are_unchanged_by_rounding(m: Money) -> None:
    assert m.rounded() == m


@pytest.mark.parametrize(
    ("amount", "code", "mode", "expected"),
    [
        ("2.345", "EUR", "ROUND_HALF_EVEN", "2.34"),
        ("2.355", "EUR", "ROUND_HALF_EVEN", "2.36"),
        ("2.345", "EUR", "ROUND_HALF_UP", "2.35"),
        ("-2.345", "EUR", "ROUND_HALF_UP", "-2.35"),
        ("2.341", "EUR", "ROUND_CEILING", "2.35"),
        ("2.349", "EUR", "ROUND_FLOOR", "2.34"),
        ("1234.5", "JPY", "ROUND_HALF_EVEN", "1234"),
        ("1235.5", "JPY", "ROUND_HALF_EVEN", "1236"),
        ("1.0005", "BHD", "ROUND_HALF_UP", "1.001"),
        ("1e-999999", "EUR", "ROUND_HALF_EVEN", "0.00"),
        ("999999999999999999.999", "BHD", "ROUND_HALF_EVEN", "999999999999999999.999"),
    ],
)
def test_rounding_examples(amount: str, code: str, mode: str, expected: str) -> None:
    result = Money(amount, code).rounded(mode)  # type: ignore[arg-type]
    assert str(result.amount) == expected


def test_an_unknown_rounding_mode_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="ROUND_HALF_EVEN") as info:
        Money(1, "EUR").rounded("HALF_UP")  # type: ignore[arg-type]
    assert info.value.paths == ("rounding",)


# ------------------------------------------------------------------------- text


def test_text_forms() -> None:
    m = Money("1234.5", "GBP")
    assert repr(m) == "Money('1234.5', 'GBP')"
    assert str(m) == "1,234.50 GBP"
    assert f"{m}" == "1,234.50 GBP"
    assert f"{m:.1f}" == "1234.5 GBP"
    assert str(Money("-0.005", "EUR")) == "-0.00 EUR"
    assert str(Money(5, "JPY")) == "5 JPY"


# ----------------------------------------------------------- immutability, pickle


@given(money(min_value=-1_000_000))
def test_money_is_immutable_and_picklable(m: Money) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.amount = Decimal(1)  # type: ignore[misc]
    clone = pickle.loads(pickle.dumps(m))  # noqa: S301 - our own object, round trip
    assert clone == m
    assert repr(clone) == repr(m)
    assert copy.deepcopy(m) == m


# ---------------------------------------------------------------- exchange rates


def test_rates_convert_and_derive_the_inverse() -> None:
    rates = ExchangeRates({("EUR", "CZK"): "25", ("GBP", "EUR"): 1.25})
    assert rates.rate("EUR", "CZK") == Decimal(25)
    assert rates.rate("CZK", "EUR") == Decimal("0.04")
    assert rates.rate("EUR", "GBP") == Decimal("0.8")
    assert rates.rate("JPY", "JPY") == Decimal(1)
    assert rates.convert(Money("2", "GBP"), "EUR") == Money("2.5", "EUR")
    assert rates.convert(Money("2", "EUR"), "EUR") == Money("2", "EUR")
    assert rates.currencies() == frozenset({"EUR", "CZK", "GBP"})


def test_a_missing_pair_raises_missing_rate_error_naming_it() -> None:
    rates = ExchangeRates({("EUR", "CZK"): "25"})
    with pytest.raises(MissingRateError, match=r"CZK->GBP \(nor GBP->CZK\)") as info:
        rates.convert(Money(1, "CZK"), "GBP")
    assert isinstance(info.value, LookupError)
    assert (info.value.base, info.value.quote) == ("CZK", "GBP")
    # no chaining through a third currency
    with pytest.raises(MissingRateError):
        rates.rate("CZK", "GBP")


def test_converting_into_an_unknown_currency_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        ExchangeRates({("EUR", "CZK"): "25"}).convert(Money(1, "EUR"), "EURO")
    assert info.value.paths == ("currency",)


@given(exchange_rates(), money(min_value=-1_000_000), st.integers(-1000, 1000))
def test_conversion_scales_exactly(rates: ExchangeRates, m: Money, k: int) -> None:
    for target in sorted(rates.currencies()):
        try:
            converted = rates.convert(m, target)
        except MissingRateError:
            continue
        assert converted.currency == target
        if (m.currency, target) in rates.rates or m.currency == target:
            # a given rate has few digits: scaling commutes exactly with converting
            assert rates.convert(m * k, target) == converted * k
        else:
            # a derived (inverse) rate has 40 digits: equal to the 38th
            error = abs(rates.convert(m * k, target).amount - (converted * k).amount)
            assert error <= abs(converted.amount * k) * Decimal("1e-37")
        back = rates.convert(converted, m.currency)
        assert abs(back.amount - m.amount) <= abs(m.amount) * Decimal("1e-30")


@given(exchange_rates())
def test_every_rate_is_in_bounds_and_its_inverse_matches(rates: ExchangeRates) -> None:
    for (base, quote), rate in rates.rates.items():
        assert MIN_RATE <= rate <= MAX_RATE
        assert abs(rates.rate(quote, base) * rate - 1) < Decimal("1e-25")


@pytest.mark.parametrize(
    ("table", "paths"),
    [
        ({("EUR", "CZK"): 0}, ["rates[('EUR', 'CZK')]"]),
        ({("EUR", "CZK"): "-25"}, ["rates[('EUR', 'CZK')]"]),
        ({("EUR", "CZK"): math.nan}, ["rates[('EUR', 'CZK')]"]),
        ({("EUR", "CZK"): math.inf}, ["rates[('EUR', 'CZK')]"]),
        ({("EUR", "CZK"): "1e999999"}, ["rates[('EUR', 'CZK')]"]),
        ({("EUR", "CZK"): "1e-10"}, ["rates[('EUR', 'CZK')]"]),
        ({("EUR", "XXX"): 1}, ["rates[('EUR', 'XXX')]"]),
        ({"EUR/CZK": 1}, ["rates['EUR/CZK']"]),
        ({("EUR",): 1}, ["rates[('EUR',)]"]),
        (
            {("EUR", "CZK"): "x", ("EUR", "GBP"): None, ("EUR", "JPY"): 160},
            ["rates[('EUR', 'CZK')]", "rates[('EUR', 'GBP')]"],
        ),
        ([("EUR", "CZK")], ["rates"]),
    ],
)
def test_bad_rates_are_all_reported(table: object, paths: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        ExchangeRates(table)  # type: ignore[arg-type] # bad on purpose
    assert sorted(info.value.paths) == sorted(paths)


def test_rate_bounds_are_inclusive() -> None:
    rates = ExchangeRates({("EUR", "CZK"): MAX_RATE, ("EUR", "GBP"): MIN_RATE})
    assert rates.rate("CZK", "EUR") == 1 / MAX_RATE
    assert rates.rate("GBP", "EUR") == MAX_RATE


def test_a_conversion_past_the_amount_limit_is_a_validation_error() -> None:
    rates = ExchangeRates({("EUR", "CZK"): MAX_RATE})
    with pytest.raises(ValidationError):
        rates.convert(Money(MAX_AMOUNT, "EUR"), "CZK")


def test_rates_are_a_copy_the_caller_cannot_change() -> None:
    table = {("EUR", "CZK"): Decimal(25)}
    rates = ExchangeRates(table)
    table[("EUR", "CZK")] = Decimal(1)
    assert rates.rate("EUR", "CZK") == 25
    with pytest.raises(TypeError):
        rates.rates[("EUR", "GBP")] = Decimal(1)  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        rates.rates = {}  # type: ignore[misc]


@given(exchange_rates())
def test_rates_are_values_picklable_hashable_with_a_readable_repr(rates: ExchangeRates) -> None:
    clone = pickle.loads(pickle.dumps(rates))  # noqa: S301 - our own object, round trip
    assert clone == rates
    assert hash(clone) == hash(rates)
    assert repr(clone) == repr(rates)
    assert repr(rates).startswith("ExchangeRates({")
    assert ExchangeRates(dict(reversed(list(rates.rates.items())))) == rates


def test_rates_equal_whatever_the_insertion_order_or_number_type() -> None:
    a = ExchangeRates({("EUR", "CZK"): "25.0", ("EUR", "GBP"): 0.86})
    b = ExchangeRates({("EUR", "GBP"): Decimal("0.86"), ("EUR", "CZK"): 25})
    assert a == b
    assert hash(a) == hash(b)
    assert repr(a) == "ExchangeRates({('EUR', 'CZK'): '25.0', ('EUR', 'GBP'): '0.86'})"
    assert ExchangeRates() == ExchangeRates({})


@given(currencies())
def test_rate_of_a_currency_to_itself_is_one_even_without_a_table(code: str) -> None:
    assert ExchangeRates().rate(code, code) == 1
    assert ExchangeRates().convert(Money(3, code), code) == Money(3, code)


def test_the_payload_form_of_rates_is_refused_by_mypy_too() -> None:
    # A payload keys rates "EUR/CZK"; ExchangeRates takes ("EUR", "CZK") pairs. mypy
    # --strict (warn_unused_ignores) fails on this ignore if the type lets it through.
    with pytest.raises(ValidationError) as info:
        ExchangeRates({"EUR/CZK": "25"})  # type: ignore[dict-item]
    assert info.value.paths == ("rates['EUR/CZK']",)
