"""Numbers in error messages are written exactly: a reader can act on the bound they read."""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import Problem
from custadvocacy._checks import Checks, number_text
from custadvocacy.policies import CreditBasis, CreditSchedule, CreditTier, PolicyConfigError


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (1e15, "1e+15"),
        (4e18, "4e+18"),
        (0.25, "0.25"),
        (-3.0, "-3"),
        (123456789.0, "123456789"),  # :g would say 1.23457e+08
        (0.123456789, "0.123456789"),  # :g would say 0.123457
        (1e-7, "1e-07"),
        (10**6, "1e+06"),
        (2**63 - 1, "9223372036854775807"),  # an int bound: every digit
        (-(10**400), "-1" + "0" * 400),
        (2.0**60, "1.152921504606847e+18"),  # :g would say 1.15292e+18
    ],
)
def test_numbers_are_short_where_exact_and_exact_always(value: float, text: str) -> None:
    assert number_text(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_the_text_reads_back_as_the_same_number(value: float) -> None:
    assert float(number_text(value)) == value


@given(st.integers())
def test_an_int_reads_back_as_the_same_int(value: int) -> None:
    text = number_text(value)
    assert (float(text) if "e" in text else int(text)) == value


def test_non_finite_numbers_read_as_python_writes_them() -> None:
    assert number_text(math.inf) == "inf"
    assert number_text(-math.inf) == "-inf"
    assert number_text(math.nan) == "nan"


def test_a_bound_that_is_not_round_is_written_in_full() -> None:
    c = Checks()
    c.number("x", 200_000_000, low=0.5, high=123_456_789.0)
    assert c.problems == [Problem("x", 200_000_000, "a number from 0.5 to 123456789")]


def test_a_bound_of_the_largest_float_reads_as_finite() -> None:
    c = Checks()
    c.number("x", -1.0, high=sys.float_info.max)
    c.number("y", math.inf, low=-sys.float_info.max, high=sys.float_info.max)
    c.number("z", 1.5, low=2.0, high=sys.float_info.max, integer=True, what=" (days)")
    assert c.problems == [
        Problem("x", -1.0, "a finite number >= 0"),
        Problem("y", math.inf, "a finite number"),
        Problem("z", 1.5, "a finite whole number >= 2 (days)"),
    ]


def test_a_tier_threshold_is_quoted_exactly() -> None:
    tiers = (
        CreditTier(at_least=0.123456789, share=0.5),
        CreditTier(at_least=0.1234567, share=0.25),
    )
    with pytest.raises(PolicyConfigError) as raised:
        CreditSchedule(basis=CreditBasis.DELAY_RATIO, tiers=tiers)
    assert (
        Problem(
            "tiers[1].at_least", 0.1234567, "a threshold above the previous tier's (0.123456789)"
        )
        in raised.value.problems
    )
    assert (
        Problem("tiers[1].share", 0.25, "a share not below the previous tier's (0.5)")
        in raised.value.problems
    )
