"""Every check of :class:`~custadvocacy.Assessment`, pinned by its exact message.

The mutation run of 2026-12-06 left 59 survivors in ``_assess/_model.py``: nothing built
an ``Assessment`` from parts that do not fit together, so a check's path, expectation or
the currency and incident-id consistency checks could change unnoticed. Each row changes
one field of customer C01's assessment of the example portfolio (C10's parts stand for
another customer's) and gives the whole ``ValidationError`` text (or ``ok``).
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from _evolved import evolved_outcome

import custadvocacy as ca
from custadvocacy import assess
from custadvocacy.examples import example_context, example_portfolio

_PORTFOLIO = example_portfolio()
A = assess(*_PORTFOLIO.for_customer("C01"), context=example_context())
B = assess(*_PORTFOLIO.for_customer("C10"), context=example_context())
NAMES = {"A": A, "B": B, "attrs": attrs, "ca": ca, "timedelta": timedelta}

ROWS: list[tuple[str, str, str]] = [
    ("customer", "[1]", "1 problem:\n  customer: expected a Customer, got [1]"),
    ("as_of", "[1]", "1 problem:\n  as_of: expected a timezone-aware datetime, got [1]"),
    (
        "as_of",
        "A.as_of.replace(tzinfo=None)",
        "1 problem:\n  as_of: expected a timezone-aware datetime (with tzinfo or a UTC offset), got datetime 2026-11-20T09:00:00 (no UTC offset)",
    ),
    (
        "currency",
        "'ZZZ'",
        "1 problem:\n  currency: expected an ISO 4217 code such as 'EUR', got 'ZZZ'",
    ),
    ("rates", "[1]", "1 problem:\n  rates: expected an ExchangeRates, got [1]"),
    (
        "orders",
        "list(A.orders)",
        "1 problem:\n  orders: expected a tuple of Orders, got [Order(id='O-1001', customer_id='C01', ...s=3600))), eta=None, lane='DE-CZ ro...",
    ),
    ("orders", "([1],)", "1 problem:\n  orders[0]: expected an Order, got [1]"),
    (
        "orders",
        "B.orders[:1]",
        "1 problem:\n  orders[0].customer_id: expected 'C01' (the customer), got 'C10'",
    ),
    (
        "incidents",
        "list(A.incidents)",
        "1 problem:\n  incidents: expected a tuple of Incidents, got [Incident(id='INC-101', customer_id='C0...ound out when the truck did not com...",
    ),
    ("incidents", "([1],)", "1 problem:\n  incidents[0]: expected an Incident, got [1]"),
    (
        "incidents",
        "B.incidents[:1]",
        "1 problem:\n  incidents[0].customer_id: expected 'C01' (the customer), got 'C10'",
    ),
    ("impacts", "([1],)", "1 problem:\n  impacts[0]: expected an Impact, got [1]"),
    (
        "impacts",
        "B.impacts[:1]",
        "1 problem:\n  impacts[0].customer_id: expected 'C01' (the customer), got 'C10'",
    ),
    (
        "impacts",
        "(attrs.evolve(A.impacts[0], incident_id='nope'),)",
        "1 problem:\n  impacts[0].incident_id: expected the id of an incident, got 'nope'",
    ),
    (
        "impacts",
        "(attrs.evolve(A.impacts[0], currency='GBP'),)",
        "1 problem:\n  impacts[0].currency: expected 'EUR' (the reporting currency), got 'GBP'",
    ),
    ("forecasts", "([1],)", "1 problem:\n  forecasts[0]: expected a Forecast, got [1]"),
    (
        "forecasts",
        "B.forecasts[:1]",
        "1 problem:\n  forecasts[0].customer_id: expected 'C01' (the customer), got 'C10'",
    ),
    (
        "forecasts",
        "(attrs.evolve(A.forecasts[0], currency='GBP'),)",
        "1 problem:\n  forecasts[0].currency: expected 'EUR' (the reporting currency), got 'GBP'",
    ),
    ("score", "[1]", "1 problem:\n  score: expected an AdvocacyScore, got [1]"),
    (
        "score",
        "B.score",
        "1 problem:\n  score.customer_id: expected 'C01' (the customer), got 'C10'",
    ),
    (
        "score",
        "attrs.evolve(A.score, as_of=A.as_of - timedelta(days=1))",
        "1 problem:\n  score.as_of: expected the assessment's as_of (2026-11-20T09:00:00+00:00), got datetime 2026-11-19T09:00:00+00:00",
    ),
    ("recommendation", "[1]", "1 problem:\n  recommendation: expected a Recommendation, got [1]"),
    (
        "recommendation",
        "B.recommendation",
        "1 problem:\n  recommendation.customer_id: expected 'C01' (the customer), got 'C10'",
    ),
    ("recommendation", "attrs.evolve(B.recommendation, customer_id=A.customer_id)", "ok"),
    (
        "recommendation",
        "attrs.evolve(A.recommendation, currency='GBP', actions=(), total_cost=ca.Money('0','GBP'), total_relief=ca.Money('0','GBP'), cost_limit=ca.Money('0','GBP'))",
        "1 problem:\n  recommendation.currency: expected 'EUR' (the reporting currency), got 'GBP'",
    ),
]


@pytest.mark.parametrize(("field", "label", "expected"), ROWS)
def test_each_check_says_exactly_what_was_wrong(field: str, label: str, expected: str) -> None:
    probe = eval(label, NAMES)  # noqa: S307 - the labels above, our own literals
    assert evolved_outcome(A, **{field: probe}) == expected
