"""A PortfolioAssessment's own checks, problem by problem, and its notebook table.

Found through the mutation run: the problems' paths, values and wording, the check that
goes on past a wrong entry, the ranking checks and the table's "n/a" and escaped names
could all change unnoticed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from custadvocacy import (
    Context,
    ExchangeRates,
    Portfolio,
    ValidationError,
    assess_portfolio,
)
from custadvocacy.examples import example_context, example_portfolio

CONTEXT = example_context()
RANKED = assess_portfolio(example_portfolio(), context=CONTEXT)


def _problems(**changes: Any) -> list[tuple[str, object, str]]:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(RANKED, **changes)
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_every_bad_field_is_named_with_its_value_and_what_was_expected() -> None:
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    entries = [RANKED.assessments[0]]
    assert _problems(
        as_of=naive, currency="xx", summary="s", allocation=5, assessments=entries
    ) == [
        ("as_of", naive, "a timezone-aware datetime (with tzinfo or a UTC offset)"),
        ("currency", "xx", "an ISO 4217 code such as 'EUR'"),
        ("summary", "s", "a ScoreSummary"),
        ("allocation", 5, "a BudgetAllocation"),
        ("assessments", entries, "a tuple of Assessment"),
    ]


def test_each_entry_of_another_kind_moment_or_currency_is_named() -> None:
    later = assess_portfolio(
        example_portfolio(), context=attrs.evolve(CONTEXT, as_of=CONTEXT.as_of + timedelta(days=1))
    )
    rates = ExchangeRates({("EUR", "CZK"): "25.00", ("GBP", "CZK"): "29.00"})
    in_czk = assess_portfolio(
        example_portfolio(), context=Context(as_of=CONTEXT.as_of, currency="CZK", rates=rates)
    )
    entries = ("not one", later.assessments[1], "nor this", in_czk.assessments[3])
    assert _problems(assessments=entries) == [
        ("assessments[0]", "not one", "an Assessment"),
        (
            "assessments[1].as_of",
            later.as_of,
            f"the portfolio's as_of ({CONTEXT.as_of.isoformat()})",
        ),
        ("assessments[2]", "nor this", "an Assessment"),
        ("assessments[3].currency", "CZK", "'EUR'"),
    ]


def test_assessments_out_of_the_summarys_order_are_refused_with_their_ids() -> None:
    first, second = RANKED.assessments[:2]
    ids = (second.customer.id, first.customer.id)
    assert _problems(assessments=(second, first)) == [
        (
            "assessments",
            ids,
            "assessments ranked as summary.ranked (score highest first, ties by customer id)",
        )
    ]


def test_more_assessments_than_the_summary_counts_are_refused() -> None:
    top = RANKED.assessments[0].customer.id
    full = example_portfolio()
    alone = Portfolio(
        customers=[c for c in full.customers if c.id == top],
        orders=[o for o in full.orders if o.customer_id == top],
        incidents=[i for i in full.incidents if i.customer_id == top],
    )
    summary = assess_portfolio(alone, context=CONTEXT).summary
    ids = tuple(a.customer.id for a in RANKED.assessments[:2])
    assert _problems(summary=summary, assessments=RANKED.assessments[:2]) == [
        (
            "assessments",
            ids,
            "assessments ranked as summary.ranked (score highest first, ties by customer id)",
        ),
        ("assessments", ids, "at most summary.customers (1) items"),
    ]


def test_the_notebook_table_says_na_without_incidents_and_escapes_bars_in_names() -> None:
    assert "proactivity 40%" in RANKED._repr_markdown_()
    no_rate = attrs.evolve(RANKED.summary, proactivity_rate=None)
    first = RANKED.assessments[0]
    barred = attrs.evolve(first, customer=attrs.evolve(first.customer, name="A|B"))
    table = attrs.evolve(RANKED, summary=no_rate, assessments=(barred,))._repr_markdown_()
    assert "proactivity n/a" in table
    assert f"| 1 | {first.customer.id} A\\|B |" in table
