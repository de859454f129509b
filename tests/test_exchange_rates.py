"""ExchangeRates refuses a table that contradicts itself.

A pair from a currency to itself must have rate 1; when both directions of a pair are
given, each must be the other's inverse to within ``INVERSE_RATE_TOLERANCE`` (1 %).
Either mistake used to be accepted and give silently wrong conversions.
"""

from __future__ import annotations

import contextlib
import copy
import decimal
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import Context, ExchangeRates, Money, Problem, ValidationError, from_dict
from custadvocacy._money import INVERSE_RATE_TOLERANCE

AS_OF: Final = datetime(2026, 11, 20, tzinfo=UTC)

SELF_EXPECTED: Final = "exactly 1 (the rate of a currency to itself)"


def _refusal(table: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        ExchangeRates(table)
    return info.value


def test_the_tolerance_is_one_percent() -> None:
    assert Decimal("0.01") == INVERSE_RATE_TOLERANCE


# ------------------------------------------------------------- a currency to itself


@pytest.mark.parametrize("rate", ["2", "0.5", "1.0000001", 0.999, Decimal("1e9")])
def test_a_currency_to_itself_at_a_rate_other_than_one_is_refused(rate: object) -> None:
    err = _refusal({("EUR", "EUR"): rate})
    assert err.problems == (Problem("rates[('EUR', 'EUR')]", rate, SELF_EXPECTED),)


def test_the_refusal_of_a_currency_to_itself_reads_in_full() -> None:
    assert str(_refusal({("EUR", "EUR"): "2"})) == (
        "1 problem:\n"
        "  rates[('EUR', 'EUR')]: expected exactly 1 (the rate of a currency to itself), got '2'"
    )


@pytest.mark.parametrize("rate", ["abc", "0", "-1", None, "1e30"])
def test_a_currency_to_itself_that_is_no_rate_at_all_expects_one(rate: object) -> None:
    err = _refusal({("CZK", "CZK"): rate})
    assert err.problems == (Problem("rates[('CZK', 'CZK')]", rate, SELF_EXPECTED),)


@pytest.mark.parametrize("one", ["1", 1, 1.0, Decimal("1.000"), " 1.00 "])
def test_a_currency_to_itself_at_exactly_one_is_accepted_and_kept(one: object) -> None:
    rates = ExchangeRates({("EUR", "EUR"): one, ("EUR", "CZK"): "25"})
    assert rates.rates[("EUR", "EUR")] == 1
    assert rates.rate("EUR", "EUR") == 1
    assert rates.rate("EUR", "CZK") == 25
    assert rates.convert(Money("3", "EUR"), "EUR") == Money("3", "EUR")
    assert rates.currencies() == frozenset({"EUR", "CZK"})


# ------------------------------------------------------------- both directions of a pair


def test_the_reported_table_is_refused_naming_both_directions() -> None:
    # EUR->CZK 25 makes CZK->EUR 0.04; a table saying 0.5 converted 100 CZK to 50 EUR.
    table = {("EUR", "CZK"): "25", ("CZK", "EUR"): "0.5"}
    err = _refusal(table)
    expected = "a rate that agrees with the CZK->EUR rate 0.5 to within 1% (1/0.5 = 2, 1/25 = 0.04)"
    assert err.problems == (Problem("rates[('EUR', 'CZK')]", "25", expected),)
    assert str(err) == (
        "1 problem:\n"
        "  rates[('EUR', 'CZK')]: expected a rate that agrees with the CZK->EUR rate 0.5"
        " to within 1% (1/0.5 = 2, 1/25 = 0.04), got '25'"
    )


def test_the_implied_inverses_are_shown_to_six_significant_digits() -> None:
    err = _refusal({("EUR", "GBP"): 0.86, ("GBP", "EUR"): Decimal("1.3")})
    assert str(err) == (
        "1 problem:\n"
        "  rates[('GBP', 'EUR')]: expected a rate that agrees with the EUR->GBP rate 0.86"
        " to within 1% (1/0.86 = 1.16279, 1/1.3 = 0.769231), got Decimal('1.3')"
    )


def test_rates_at_the_limits_show_their_inverses_without_an_exponent() -> None:
    at_limits = ExchangeRates({("EUR", "IDR"): "1e9", ("IDR", "EUR"): "1e-9"})
    assert at_limits.rate("IDR", "EUR") == Decimal("1e-9")
    err = _refusal({("EUR", "IDR"): "1e9", ("IDR", "EUR"): "2e-9"})
    assert str(err) == (
        "1 problem:\n"
        "  rates[('IDR', 'EUR')]: expected a rate that agrees with the EUR->IDR rate 1000000000"
        " to within 1% (1/1000000000 = 0.000000001, 1/0.000000002 = 500000000), got '2e-9'"
    )


@pytest.mark.parametrize("inverse", ["0.0396", "0.0404", "0.04", "0.039600", Decimal("0.0401")])
def test_both_directions_within_the_tolerance_are_accepted(inverse: object) -> None:
    # 25 * 0.0396 = 0.99 and 25 * 0.0404 = 1.01: the limits are inclusive.
    rates = ExchangeRates({("EUR", "CZK"): "25", ("CZK", "EUR"): inverse})
    assert rates.rate("CZK", "EUR") == Decimal(str(inverse))


@pytest.mark.parametrize("inverse", ["0.03959", "0.04041", "0.025", "1", "25"])
def test_both_directions_past_the_tolerance_are_refused(inverse: str) -> None:
    err = _refusal({("EUR", "CZK"): "25", ("CZK", "EUR"): inverse})
    assert err.paths == ("rates[('EUR', 'CZK')]",)
    assert err.problems[0].value == "25"
    assert f"CZK->EUR rate {inverse} to within 1%" in err.problems[0].expected


def test_each_direction_converts_at_its_own_quoted_rate() -> None:
    # A feed's two sides of a spread: 1 EUR buys 24.9 CZK, 25.1 CZK buy 1 EUR.
    rates = ExchangeRates({("EUR", "CZK"): "24.9", ("CZK", "EUR"): 1 / Decimal("25.1")})
    assert rates.convert(Money("100", "EUR"), "CZK") == Money("2490.0", "CZK")
    assert rates.convert(Money("251", "CZK"), "EUR").rounded() == Money("10.00", "EUR")
    in_eur = Context(as_of=AS_OF, currency="EUR", rates=rates)
    in_czk = Context(as_of=AS_OF, currency="CZK", rates=rates)
    assert in_eur.convert(Money("251", "CZK")) == rates.convert(Money("251", "CZK"), "EUR")
    assert in_czk.convert(Money("100", "EUR")) == Money("2490.0", "CZK")
    assert in_czk.factor("EUR") == pytest.approx(24.9)
    assert in_eur.factor("CZK") == pytest.approx(1 / 25.1)


def test_a_direction_that_is_itself_bad_is_reported_alone() -> None:
    # No comparison against a rate that was refused: one problem, the real one.
    err = _refusal({("EUR", "CZK"): "25", ("CZK", "EUR"): "0"})
    assert err.problems == (
        Problem("rates[('CZK', 'EUR')]", "0", "a rate from 0.000000001 to 1,000,000,000"),
    )


def test_every_problem_of_a_table_is_listed_at_once() -> None:
    table = {
        ("EUR", "CZK"): "25",
        ("CZK", "EUR"): "0.5",
        ("GBP", "GBP"): "2",
        ("EUR", "GBP"): "0.86",
        ("GBP", "EUR"): "1.16",  # agrees: 0.86 * 1.16 = 0.9976
        ("USD", "JPY"): "150",
        ("JPY", "USD"): "150",
        ("EUR", "XXX"): "1",
        ("EUR", "CHF"): "-1",
    }
    err = _refusal(table)
    assert str(err) == (
        "5 problems:\n"
        "  rates[('EUR', 'CHF')]: expected a rate from 0.000000001 to 1,000,000,000, got '-1'\n"
        "  rates[('EUR', 'CZK')]: expected a rate that agrees with the CZK->EUR rate 0.5"
        " to within 1% (1/0.5 = 2, 1/25 = 0.04), got '25'\n"
        "  rates[('EUR', 'XXX')]: expected a pair of ISO 4217 codes such as ('EUR', 'CZK'),"
        " got ('EUR', 'XXX')\n"
        "  rates[('GBP', 'GBP')]: expected exactly 1 (the rate of a currency to itself), got '2'\n"
        "  rates[('USD', 'JPY')]: expected a rate that agrees with the JPY->USD rate 150"
        " to within 1% (1/150 = 0.00666667, 1/150 = 0.00666667), got '150'"
    )


def test_the_callers_table_is_left_as_it_was() -> None:
    for table in (
        {("EUR", "CZK"): "25", ("CZK", "EUR"): "0.0401", ("EUR", "EUR"): 1},
        {("EUR", "CZK"): "25", ("CZK", "EUR"): "0.5", ("EUR", "EUR"): 2},
    ):
        before = copy.deepcopy(table)
        with contextlib.suppress(ValidationError):
            ExchangeRates(table)
        assert table == before
        assert list(table) == list(before)


# ------------------------------------------------------------- payloads, through from_dict


def test_a_payload_goes_through_the_same_check_with_its_own_keys() -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(ExchangeRates, {"EUR/CZK": "25", "CZK/EUR": "0.5", "EUR/EUR": "2"})
    assert str(info.value) == (
        "2 problems:\n"
        "  ['EUR/CZK']: expected a rate that agrees with the CZK->EUR rate 0.5"
        " to within 1% (1/0.5 = 2, 1/25 = 0.04), got '25'\n"
        "  ['EUR/EUR']: expected exactly 1 (the rate of a currency to itself), got '2'"
    )


def test_a_context_payload_names_the_rates_inside_it() -> None:
    payload = {
        "as_of": "2026-11-20T00:00:00+00:00",
        "currency": "EUR",
        "rates": {"EUR/CZK": "25", "CZK/EUR": "0.5", "EUR/EUR": "2"},
    }
    with pytest.raises(ValidationError) as info:
        from_dict(Context, payload)
    assert info.value.paths == ("rates['EUR/CZK']", "rates['EUR/EUR']")
    assert "CZK->EUR rate 0.5 to within 1%" in info.value.problems[0].expected


def test_an_agreeing_payload_reads_back_and_round_trips() -> None:
    payload = {"EUR/CZK": "24.9", "CZK/EUR": "0.0398", "EUR/EUR": "1"}
    rates = from_dict(ExchangeRates, payload)
    assert rates == ExchangeRates(
        {("EUR", "CZK"): "24.9", ("CZK", "EUR"): "0.0398", ("EUR", "EUR"): "1"}
    )
    assert payload == {"EUR/CZK": "24.9", "CZK/EUR": "0.0398", "EUR/EUR": "1"}


# ------------------------------------------------------------------------- properties

CODES: Final = ("EUR", "CZK", "GBP", "JPY", "USD", "BHD")
_PAIRS: Final = st.lists(
    st.sampled_from([(a, b) for i, a in enumerate(CODES) for b in CODES[i + 1 :]]),
    unique=True,
    max_size=6,
)
_RATES: Final = st.decimals(min_value=Decimal("0.001"), max_value=1000, places=3)
_SHAPES: Final = st.sampled_from(("forward", "backward", "both"))
# Factors the product of a pair's two rates may have, with a margin of 1e-4 either side of
# the limits (the inverse is rounded to 40 digits, far inside that margin).
_AGREEING: Final = st.decimals(min_value=Decimal("0.9901"), max_value=Decimal("1.0099"), places=4)
_DISAGREEING: Final = st.decimals(
    min_value=Decimal("0.001"), max_value=Decimal("0.9899"), places=4
) | st.decimals(min_value=Decimal("1.0101"), max_value=1000, places=4)
_SELF: Final = st.lists(st.sampled_from(CODES), unique=True, max_size=2)
_ONES: Final = st.sampled_from(("1", 1, 1.0, Decimal("1.000")))
_EXACT: Final = decimal.Context(prec=40)

Table = dict[tuple[str, str], Any]


@st.composite
def consistent_tables(draw: st.DrawFn) -> Table:
    """Rates in one direction, the other, or both agreeing; perhaps a currency to itself at 1."""
    table: Table = {}
    for a, b in draw(_PAIRS):
        rate = draw(_RATES)
        shape = draw(_SHAPES)
        if shape in {"forward", "both"}:
            table[(a, b)] = rate
        if shape == "backward":
            table[(b, a)] = rate
        if shape == "both":
            table[(b, a)] = _EXACT.divide(draw(_AGREEING), rate)
    for code in draw(_SELF):
        table[(code, code)] = draw(_ONES)
    return table


@given(consistent_tables())
def test_a_table_of_consistent_rates_is_accepted_as_quoted(table: Table) -> None:
    before = copy.deepcopy(table)
    rates = ExchangeRates(table)
    assert table == before
    for (base, quote), rate in table.items():
        assert rates.rate(base, quote) == Decimal(str(rate))  # each direction as quoted


@given(consistent_tables(), st.data())
def test_a_table_with_inverses_past_the_tolerance_is_refused_naming_each(
    table: Table, data: st.DataObject
) -> None:
    candidates = sorted({(min(key), max(key)) for key in table if key[0] != key[1]})
    broken = [("CZK", "EUR")]  # a table of no pairs: break one the table lacks
    if candidates:
        broken = data.draw(st.lists(st.sampled_from(candidates), min_size=1, unique=True))
    for a, b in broken:
        rate = data.draw(_RATES)
        table[(a, b)] = rate
        table[(b, a)] = _EXACT.divide(data.draw(_DISAGREEING), rate)
    err = _refusal(table)
    # Each pair is reported once, at its later key (b, a): the keys are read in order.
    reported = sorted((b, a) for a, b in broken)
    assert err.paths == tuple(f"rates[{key!r}]" for key in reported)
    for key, problem in zip(reported, err.problems, strict=True):
        assert problem.value == table[key]
        assert problem.expected.startswith(f"a rate that agrees with the {key[1]}->{key[0]} rate ")
        assert " to within 1% (1/" in problem.expected
