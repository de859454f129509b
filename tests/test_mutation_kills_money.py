"""Exact behaviour of Money the property tests leave loose (found by mutation testing).

Each test pins an error's path, value and expectation, or a branch that returns
``NotImplemented``, so a mutant that changes them is caught.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from decimal import Decimal

import pytest

from custadvocacy import CurrencyMismatchError, Money, Problem, ValidationError

EUR = Money("10", "EUR")
CZK = Money("10", "CZK")


def _problems(call: Callable[[], object]) -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        call()
    return list(info.value.problems)


def test_dividing_by_zero_names_the_divisor() -> None:
    assert _problems(lambda: EUR / 0) == [Problem("divisor", 0, "a non-zero number to divide by")]
    assert _problems(lambda: EUR / Decimal("0.000")) == [
        Problem("divisor", Decimal("0.000"), "a non-zero number to divide by")
    ]


def test_dividing_by_a_non_finite_number_says_what_is_expected() -> None:
    assert _problems(lambda: EUR / math.inf) == [
        Problem("divisor", math.inf, "a finite non-zero number to divide by")
    ]


@pytest.mark.parametrize("divisor", ["2", None, [2], CZK])
def test_dividing_by_anything_but_a_number_is_a_type_error(divisor: object) -> None:
    with pytest.raises(TypeError):
        EUR / divisor


def test_dividing_by_a_number_scales_the_amount() -> None:
    assert [EUR / 4, EUR / 0.5, EUR / Decimal(-2)] == [
        Money("2.5", "EUR"),
        Money("20", "EUR"),
        Money("-5", "EUR"),
    ]


@pytest.mark.parametrize(
    ("compare", "verb"),
    [
        (operator.lt, "compare"),
        (operator.le, "compare"),
        (operator.gt, "compare"),
        (operator.ge, "compare"),
        (operator.add, "add"),
        (operator.sub, "subtract"),
    ],
)
def test_combining_currencies_names_both_and_the_fix(
    compare: Callable[[Money, Money], object], verb: str
) -> None:
    with pytest.raises(CurrencyMismatchError) as info:
        compare(EUR, CZK)
    assert str(info.value) == (
        f"cannot {verb} EUR and CZK amounts; convert one first with ExchangeRates.convert()"
    )


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_comparing_with_a_number_is_a_type_error(compare: Callable[[object, object], bool]) -> None:
    with pytest.raises(TypeError):
        compare(EUR, 10)


def test_comparisons_of_one_currency() -> None:
    small, big = Money("1", "EUR"), Money("2", "EUR")
    assert (small < big, small <= big, small > big, small >= big) == (True, True, False, False)
    assert (big < small, big <= small, big > small, big >= small) == (False, False, True, True)
    same = Money("1.00", "EUR")
    assert (small < same, small <= same, small > same, small >= same) == (False, True, False, True)


def test_an_unknown_rounding_mode_lists_the_known_ones() -> None:
    problems = _problems(lambda: EUR.rounded("ROUND_SOMEHOW"))  # type: ignore[arg-type]
    assert len(problems) == 1
    assert (problems[0].path, problems[0].value) == ("rounding", "ROUND_SOMEHOW")
    assert problems[0].expected.startswith("one of ROUND_05UP, ROUND_CEILING, ROUND_DOWN, ")


def test_multiplying_by_a_non_finite_number_says_what_is_expected() -> None:
    assert _problems(lambda: EUR * math.inf) == [
        Problem("factor", math.inf, "a finite number to multiply by")
    ]
    assert str(_problems(lambda: 2.5 * EUR / math.nan)[0]) == (
        "divisor: expected a finite non-zero number to divide by, got nan"
    )


def test_a_format_spec_applies_to_the_amount() -> None:
    assert f"{Money('1234.5', 'EUR'):,.2f}" == "1,234.50 EUR"
    assert f"{Money('1234.5', 'EUR')}" == "1,234.50 EUR"


def test_an_overflowing_operation_shows_both_operands() -> None:
    assert _problems(lambda: Money("1e18", "EUR") * Decimal("1e999999")) == [
        Problem(
            "amount",
            "1E+18, 1E+999999",
            "operands whose result has magnitude at most 1,000,000,000,000,000,000",
        )
    ]
