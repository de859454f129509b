"""The field checks every domain class uses (``custadvocacy._checks.Checks``), pinned exactly.

The mutation run of 2026-12-06 (docs/mutation-log.md) left survivors here that the domain
tests could not see: a problem's value or expectation replaced, an option of a check
dropped where every caller in the library passes the default, and ``not_before`` skipping
its comparison when any *other* field had a problem.
"""

from __future__ import annotations

import enum
import functools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from _payloads import NoOffset

import custadvocacy as ca
from custadvocacy import Problem
from custadvocacy._checks import MAX_YEAR, MIN_YEAR, Checks, article
from custadvocacy._money import to_decimal
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import BudgetItem


class Shade(enum.Enum):
    LIGHT = "light"
    DARK = "dark"


def _problems(check: str, *args: object, **kwargs: object) -> list[Problem]:
    checks = Checks()
    getattr(checks, check)(*args, **kwargs)
    return checks.problems


def test_text() -> None:
    assert _problems("text", "f", 5, max_length=3) == [Problem("f", 5, "a string")]
    assert _problems("text", "f", "  ", max_length=3) == [Problem("f", "  ", "a non-empty string")]
    assert _problems("text", "f", "abc", max_length=3) == []
    assert _problems("text", "f", "abcd", max_length=3) == [
        Problem("f", "abcd", "a string of at most 3 characters")
    ]
    assert _problems("text", "f", "", max_length=3, blank=True) == []
    assert _problems("text", "f", "  ", max_length=3, blank=False) == [
        Problem("f", "  ", "a non-empty string")
    ]
    assert _problems("text", "f", "abcd", max_length=3, blank=True) == [
        Problem("f", "abcd", "a string of at most 3 characters")
    ]


@functools.cache
def _blank_fields() -> list[tuple[object, str]]:
    """One valid object of each class with a text field that may be blank, and the field."""
    result = ca.assess_portfolio(example_portfolio(), context=example_context())
    found = next(
        a for a in result.assessments if a.forecasts and any(i.assumptions for i in a.impacts)
    )
    impact = next(i for i in found.impacts if i.items and i.assumptions)
    forecast = found.forecasts[0]
    outlook = ca.DelayOutlook(
        probability_late=0.1,
        expected_days_late=2.0,
        days_late_low=0.2,
        days_late_high=4.6,
        basis=ca.ForecastBasis.PRIOR,
        note="from the prior",
    )
    action = found.recommendation.actions[0]
    return [
        (found.incidents[0], "summary"),
        (impact, "reason"),
        (impact.items[0], "basis"),
        (impact.assumptions[0], "unit"),
        (forecast, "note"),
        (forecast, "estimator"),
        (outlook, "note"),
        (found.score.contributions[0], "detail"),
        (ca.default_catalog().actions[0], "rationale"),
        (BudgetItem(customer_id="C", action=action, reason="funded"), "reason"),
    ]


BLANK_FIELDS = (
    "Incident.summary",
    "Impact.reason",
    "LossItem.basis",
    "Assumption.unit",
    "Forecast.note",
    "Forecast.estimator",
    "DelayOutlook.note",
    "Contribution.detail",
    "Action.rationale",
    "BudgetItem.reason",
)


@pytest.mark.parametrize("index", range(len(BLANK_FIELDS)), ids=BLANK_FIELDS)
def test_every_field_that_may_be_blank_takes_an_empty_string(index: int) -> None:
    obj, field = _blank_fields()[index]
    assert f"{type(obj).__name__}.{field}" == BLANK_FIELDS[index]
    assert getattr(attrs.evolve(obj, **{field: ""}), field) == ""  # type: ignore[misc]


def test_number_names_its_kind_bounds_and_unit() -> None:
    assert _problems("number", "n", 1e13) == [Problem("n", 1e13, "a number from 0 to 1e+12")]
    assert _problems("number", "n", 1.5, high=10, integer=True) == [
        Problem("n", 1.5, "a whole number from 0 to 10")
    ]
    assert _problems("number", "n", "1", low=1, high=5) == [
        Problem("n", "1", "a number from 1 to 5")
    ]
    assert _problems("number", "n", 2.5, low=1, high=5) == []
    assert _problems("optional_number", "n", 11, high=10, what=" days") == [
        Problem("n", 11, "a number from 0 to 10 days")
    ]
    assert _problems("optional_number", "n", 11, high=10) == [
        Problem("n", 11, "a number from 0 to 10")
    ]
    assert _problems("optional_number", "n", None, high=10) == []


def test_money() -> None:
    assert _problems("money", "m", "1") == [Problem("m", "1", "a Money")]
    negative = ca.Money("-1", "EUR")
    assert _problems("money", "m", negative) == [
        Problem("m.amount", negative.amount, "a non-negative amount")
    ]
    assert _problems("money", "m", negative, non_negative=False) == []
    assert _problems("optional_money", "m", negative, non_negative=False) == []
    assert _problems("optional_money", "m", negative) == [
        Problem("m.amount", negative.amount, "a non-negative amount")
    ]


def test_currency_and_member() -> None:
    assert _problems("currency", "c", "ZZZ") == [
        Problem("c", "ZZZ", "an ISO 4217 code such as 'EUR'")
    ]
    assert _problems("member", "s", "grey", Shade) == [
        Problem("s", "grey", "one of 'light', 'dark'")
    ]
    assert _problems("member", "s", Shade.DARK, Shade) == []


def test_a_members_value_in_place_of_the_member_is_named_as_such() -> None:
    # "expected one of 'light', 'dark', got 'dark'" would read as a contradiction.
    assert _problems("member", "s", "dark", Shade) == [
        Problem("s", "dark", "a Shade (here Shade.DARK), not its value as a plain string")
    ]
    with pytest.raises(ca.ValidationError, match=r"band: expected a Band \(here Band.HIGH\)"):
        ca.AdvocacyScore(
            customer_id="C1",
            as_of=datetime(2026, 1, 1, tzinfo=UTC),
            value=0.0,
            band="high",  # type: ignore[arg-type]
        )


class Level(enum.StrEnum):
    HIGH = "high"


def test_a_member_of_another_enum_is_named_by_both_enums_with_the_right_article() -> None:
    # A StrEnum member is a str too: it is not "a plain string".
    assert _problems("member", "s", Level.HIGH, Shade) == [
        Problem("s", Level.HIGH, "a Shade, not a Level")
    ]
    assert _problems("member", "k", "defect", ca.IncidentKind) == [
        Problem(
            "k",
            "defect",
            "an IncidentKind (here IncidentKind.DEFECT), not its value as a plain string",
        )
    ]
    assert _problems("member", "k", 3, Shade) == [Problem("k", 3, "one of 'light', 'dark'")]


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("Impact", "an Impact"),
        ("amount", "an amount"),  # a lower-case vowel too
        ("Xylophone", "a Xylophone"),  # no other letter
    ],
)
def test_the_article_goes_by_the_first_letter_of_either_case(noun: str, expected: str) -> None:
    assert article(noun) == expected


def test_money_names_a_bad_currency_with_its_code() -> None:
    with pytest.raises(ca.ValidationError) as info:
        ca.Money("1", "ZZZ")
    assert info.value.problems == (Problem("currency", "ZZZ", "an ISO 4217 code such as 'EUR'"),)


def test_not_before_compares_even_when_another_field_has_a_problem() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    before = start - timedelta(hours=1)
    checks = Checks()
    checks.fail("other", 1, "something else")
    checks.not_before("end", before, "start", start)
    assert checks.problems == [
        Problem("other", 1, "something else"),
        Problem("end", before, "a moment not before start (2026-01-01T00:00:00+00:00)"),
    ]


def test_not_before_skips_a_field_that_already_has_a_problem() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    before = start - timedelta(hours=1)
    for name in ("end", "start"):
        checks = Checks()
        checks.fail(name, 1, "something else")
        checks.not_before("end", before, "start", start)
        assert checks.problems == [Problem(name, 1, "something else")]


def test_moment() -> None:
    assert _problems("moment", "t", "2026") == [Problem("t", "2026", "a timezone-aware datetime")]
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    no_offset = datetime(2026, 1, 1, tzinfo=NoOffset())
    expected = "a timezone-aware datetime (with tzinfo or a UTC offset)"
    assert _problems("moment", "t", naive) == [Problem("t", naive, expected)]
    assert _problems("moment", "t", no_offset) == [Problem("t", no_offset, expected)]
    first = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
    assert _problems("moment", "t", first) == []
    assert _problems("moment", "t", datetime(MAX_YEAR, 12, 31, tzinfo=UTC)) == []
    early = datetime(MIN_YEAR - 1, 12, 31, tzinfo=UTC)
    assert _problems("moment", "t", early) == [
        Problem("t", early, f"a datetime between the years {MIN_YEAR} and {MAX_YEAR}")
    ]


def test_to_decimal_names_the_value_and_what_is_expected() -> None:
    nan = float("nan")
    for value, expected in (
        ("abc", "a finite number"),
        (True, "a finite number"),
        (nan, "a finite number"),
        (Decimal("Infinity"), "a finite number"),
        ([1], "a finite number"),
        ("1" * 101, "a finite number (at most 100 characters)"),
    ):
        with pytest.raises(ca.ValidationError) as info:
            to_decimal(value)
        [problem] = info.value.problems
        assert (problem.path, problem.expected) == ("", expected)
        assert problem.value is value  # the very value passed (NaN is not equal to itself)
    assert to_decimal("1" * 100) == Decimal("1" * 100)
    with pytest.raises(ca.ValidationError) as info:
        ca.Money("1e19", "EUR")
    [problem] = info.value.problems
    assert (problem.path, problem.value) == ("amount", "1e19")
