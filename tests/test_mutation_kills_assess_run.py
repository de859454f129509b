"""assess_portfolio's own problems and the limits it passes to the budget, exactly.

Found through the mutation run: the problems' values and wording, and either limit left
out of the allocation, could change unnoticed; so could the plug-in named in the error
when a plug-in returns something else.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import attrs
import pytest

from custadvocacy import (
    AdvocacyScore,
    AdvocacyScorer,
    ConfigurationError,
    Money,
    PortfolioAssessment,
    ValidationError,
    assess,
    assess_portfolio,
)
from custadvocacy.examples import example_context, example_portfolio

CONTEXT = example_context()
PORTFOLIO = example_portfolio()
BUDGET = Money(100_000, "EUR")


def test_every_bad_argument_is_named_with_its_value() -> None:
    customer_limit, action_limit = Money(1, "EUR"), Money(2, "EUR")
    with pytest.raises(ValidationError) as info:
        assess_portfolio(
            "p",  # type: ignore[arg-type]
            context="c",  # type: ignore[arg-type]
            per_customer_limit=customer_limit,
            per_action_limit=action_limit,
        )
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("portfolio", "p", "a Portfolio"),
        ("context", "c", "a Context"),
        ("per_customer_limit", customer_limit, "None unless a budget is given"),
        ("per_action_limit", action_limit, "None unless a budget is given"),
    ]


def _cost_by_customer(ranked: PortfolioAssessment) -> dict[str, Decimal]:
    assert ranked.allocation is not None
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for item in ranked.allocation.funded:
        spent[item.customer_id] += item.action.cost.amount
    return spent


def test_the_per_customer_limit_reaches_the_allocation() -> None:
    free = _cost_by_customer(assess_portfolio(PORTFOLIO, context=CONTEXT, budget=BUDGET))
    assert max(free.values()) > 500
    limited = assess_portfolio(
        PORTFOLIO, context=CONTEXT, budget=BUDGET, per_customer_limit=Money(500, "EUR")
    )
    assert 0 < max(_cost_by_customer(limited).values()) <= 500


def test_the_per_action_limit_reaches_the_allocation() -> None:
    limited = assess_portfolio(
        PORTFOLIO, context=CONTEXT, budget=BUDGET, per_action_limit=Money(400, "EUR")
    )
    assert limited.allocation is not None
    assert limited.allocation.funded
    assert max(i.action.cost.amount for i in limited.allocation.funded) <= 400
    reasons = {i.reason for i in limited.allocation.unfunded}
    assert "costs more than the per-action limit 400.00 EUR" in reasons


class _WrongScorer:
    """A scorer that scores somebody else."""

    def score(self, *args: Any, **kwargs: Any) -> AdvocacyScore:
        real = AdvocacyScorer().score(*args, **kwargs)
        return attrs.evolve(real, customer_id="someone else")

    def __repr__(self) -> str:
        return "WrongScorer()"


def test_a_plugin_returning_another_customers_result_is_named_in_the_error() -> None:
    customer, orders, incidents = PORTFOLIO.for_customer("C01")
    with pytest.raises(ConfigurationError) as info:
        assess(customer, orders, incidents, context=CONTEXT, scorer=_WrongScorer())
    assert str(info.value).startswith("scorer WrongScorer() returned AdvocacyScore(")
    assert str(info.value).endswith("; expected an AdvocacyScore of customer 'C01'")
