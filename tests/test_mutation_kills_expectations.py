"""What a caller is told, word for word, where the mutation run's sample showed it untested.

The random sample of the mutation run (``mutation/run.py --sample``, docs/mutation-log.md)
held survivors that changed the "expected ..." of an error (``"an exchangerates"``,
``None``), an order of lines, or an argument passed on, while the tests only asked that
*an* error be raised. Each test here pins the whole message or the exact boundary.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

import custadvocacy as ca
from custadvocacy import ValidationError
from custadvocacy._impact._common import check_references
from custadvocacy._impact._text import _value
from custadvocacy._policies._model import built_recommendation
from custadvocacy.batch import (
    assess_batch,
    columns_from_mapping,
    columns_from_objects,
    synthetic_mapping,
)
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import CreditTier
from custadvocacy.testing import conformance
from custadvocacy.testing._checks_common import _short

CTX = example_context()
PORTFOLIO = example_portfolio()


def _message(make: object) -> str:
    assert callable(make)
    with pytest.raises(ValidationError) as info:
        make()
    return str(info.value)


def _wrong(value: object) -> Any:
    """A value of the wrong type, passed on as a caller who ignores the annotations would."""
    return value


def _one(problem: str) -> str:
    return f"1 problem:\n  {problem}"


def test_a_context_names_rates_that_are_not_exchange_rates() -> None:
    assert _message(lambda: attrs.evolve(CTX, rates=_wrong("x"))) == _one(
        "rates: expected an ExchangeRates, got 'x'"
    )


def test_forecast_orders_names_an_entry_that_is_not_an_order() -> None:
    customer, orders, _ = PORTFOLIO.for_customer("C01")
    assert _message(lambda: ca.forecast_orders(customer, [*orders, _wrong("x")], CTX)) == _one(
        f"orders[{len(orders)}]: expected an Order, got 'x'"
    )


def test_an_estimate_for_another_customer_names_the_incidents_customer() -> None:
    incident = next(i for i in PORTFOLIO.incidents if i.customer_id == "C01")
    other = next(c for c in PORTFOLIO.customers if c.id == "C02")
    assert _message(lambda: check_references(incident, other, None)) == _one(
        "customer.id: expected the incident's customer ('C01'), got 'C02'"
    )


@pytest.mark.parametrize(
    ("resolved_at", "state"),
    [
        (None, "still missing at as_of 2026-11-20"),
        (datetime(2026, 11, 12, 10, tzinfo=UTC), "resolved 2026-11-12"),
        # Resolved after as_of: not resolved yet as seen at as_of.
        (datetime(2026, 11, 25, 10, tzinfo=UTC), "still missing at as_of 2026-11-20"),
    ],
)
def test_a_partial_deliverys_lateness_says_whether_the_part_arrived(
    resolved_at: datetime | None, state: str
) -> None:
    incident = attrs.evolve(
        next(i for i in PORTFOLIO.incidents if i.id == "INC-601"), resolved_at=resolved_at
    )
    customer, orders, _ = PORTFOLIO.for_customer(incident.customer_id)
    order = next(o for o in orders if o.id == incident.order_id)
    estimator = ca.default_estimators().for_kind(ca.IncidentKind.PARTIAL_DELIVERY)
    assert estimator is not None
    impact = estimator.estimate(incident, customer, order, CTX)
    (days_late,) = (a for a in impact.assumptions if a.name == "order.days_late")
    assert days_late.source == f"order O-6001: promised 2026-11-09, {state}"


def test_an_assumption_may_have_a_one_letter_name() -> None:
    assumption = ca.Assumption(name="k", value=1.0, unit="", source="s", is_default=True)
    assert assumption.name == "k"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (3.0, "", "3"),  # no unit: no trailing space
        (2.5, "", "2.50"),
        (1200.0, "days", "1,200 days"),
        (0.25, "share", "0.25"),
        (12.5, "EUR/day", "12.50 EUR/day"),
    ],
)
def test_an_assumptions_value_is_shown_with_its_unit(value: float, unit: str, shown: str) -> None:
    assumption = ca.Assumption(name="n", value=value, unit=unit, source="s", is_default=False)
    assert _value(assumption) == shown


def test_a_credit_tier_says_its_share_is_of_the_price() -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        CreditTier(at_least=0.1, share=2.0)
    assert str(info.value) == _one(
        "share: expected a number from 0 to 1.5 (a share of the price), got 2.0"
    )


def test_a_portfolio_names_duplicate_ids_and_unknown_customers() -> None:
    customer, order = PORTFOLIO.customers[0], PORTFOLIO.orders[0]
    assert _message(lambda: ca.Portfolio(customers=(customer, customer))) == _one(
        "customers[1].id: expected an id not used by another customer, got 'C01'"
    )
    assert _message(lambda: ca.Portfolio(customers=(customer,), orders=(order, order))) == _one(
        "orders[1].id: expected an id not used by another order, got 'O-1001'"
    )
    stray = attrs.evolve(order, customer_id="nobody")
    assert _message(lambda: ca.Portfolio(customers=(customer,), orders=(stray,))) == _one(
        "orders[0].customer_id: expected the id of a given customer, got 'nobody'"
    )
    lost = attrs.evolve(PORTFOLIO.incidents[0], customer_id="nobody", order_id=None)
    assert _message(lambda: ca.Portfolio(customers=(customer,), incidents=(lost,))) == _one(
        "incidents[0].customer_id: expected the id of a given customer, got 'nobody'"
    )


def test_a_built_recommendation_over_its_limit_is_checked_not_trusted() -> None:
    # A well-formed policy id does not let the other conditions of the fast path go.
    eur = ca.Money("5.00", "EUR")
    with pytest.raises(ValidationError, match="total_cost"):
        built_recommendation(
            customer_id="C01",
            policy="mine",
            currency="EUR",
            actions=(),
            total_relief=ca.Money("0.00", "EUR"),
            total_cost=eur,
            reasons=(),
            cost_limit=ca.Money("1.00", "EUR"),
        )


def test_a_scores_forecasts_are_listed_by_order_id() -> None:
    customer, orders, incidents = PORTFOLIO.for_customer("C01")
    (first,) = ca.forecast_orders(customer, orders, CTX)
    second = attrs.evolve(first, order_id="O-0001")
    score = ca.AdvocacyScorer().score(
        customer,
        orders,
        incidents,
        ca.estimate_impacts(customer, orders, incidents, CTX),
        (first,),
        CTX,
    )
    lines = ca.format_score(score, forecasts=[first, second]).splitlines()
    forecast_lines = [line for line in lines if line.lstrip().startswith("forecast ")]
    assert [line.split()[1] for line in forecast_lines] == ["O-0001:", f"{first.order_id}:"]


def test_the_policy_checks_name_a_bad_catalog_and_cost_limit() -> None:
    policy = ca.CustomerFirstPolicy()
    assert _message(lambda: list(conformance.policy_checks(policy, catalog=_wrong("x")))) == _one(
        "catalog: expected an ActionCatalog, got 'x'"
    )
    assert _message(lambda: list(conformance.policy_checks(policy, cost_limit=_wrong(5)))) == _one(
        "cost_limit: expected None or a function (customer, context) -> Money | None, got 5"
    )


@pytest.mark.parametrize(("length", "shortened"), [(200, False), (201, True)])
def test_a_conformance_report_shortens_a_value_past_200_characters(
    length: int, shortened: bool
) -> None:
    text = "x" * (length - 2)  # its repr has the two quotes
    shown = _short(text)
    assert shown == (repr(text)[:197] + "..." if shortened else repr(text))
    assert len(shown) == 200


def test_the_column_intake_names_a_non_portfolio_and_a_mapping_of_tables() -> None:
    assert _message(lambda: columns_from_objects(_wrong("x"))) == _one(
        "portfolio: expected a Portfolio, got 'x'"
    )
    tables = synthetic_mapping(2)
    assert _message(lambda: columns_from_mapping(_wrong(tables))) == _one(
        "customers: expected the customers' columns; this is a mapping of the three tables, "
        "pass it as columns_from_mapping(**tables), got ['customers', 'incidents', 'orders']"
    )


def test_scalars_are_a_table_of_one_row() -> None:
    one = {"id": "C1", "segment": "small", "currency": "EUR", "annual_value": 120000.0}
    columns = columns_from_mapping(one)
    assert columns.customers.rows == 1
    assert columns.customers["annual_value"].tolist() == [120000.0]


def test_an_order_without_a_lane_has_no_lane_code() -> None:
    columns = columns_from_objects(PORTFOLIO)
    lane_of = {o.id: o.lane for o in PORTFOLIO.orders}
    assert columns.lanes == ("DE-CZ road", "NL-DE road", "UK parcel")
    for order_id, code in zip(columns.orders["id"], columns.orders["lane"], strict=True):
        lane = lane_of[str(order_id)]
        assert (lane is None and code == -1) or columns.lanes[code] == lane


def test_a_score_refuses_another_customers_forecast_by_name() -> None:
    assessment = ca.assess(*PORTFOLIO.for_customer("C01"), context=CTX)
    others = ca.assess(*PORTFOLIO.for_customer("C05"), context=CTX).forecasts
    assert _message(lambda: ca.format_score(assessment.score, forecasts=others)) == _one(
        "forecasts[0].customer_id: expected 'C01', got 'C05'"
    )


def test_counts_in_a_summary_stop_at_a_trillion() -> None:
    too_many = 10**12 + 1
    assert _message(lambda: ca.BandCount(band=ca.Band.STABLE, count=too_many)) == _one(
        f"count: expected a whole number from 0 to 1e+12, got {too_many}"
    )
    summary = ca.summarize([ca.assess(*PORTFOLIO.for_customer("C01"), context=CTX).score], [])
    assert _message(
        lambda: attrs.evolve(summary, incidents=too_many, unknown_noticed=too_many)
    ) == (
        "2 problems:\n"
        f"  incidents: expected a whole number from 0 to 1e+12, got {too_many}\n"
        f"  unknown_noticed: expected a whole number from 0 to 1e+12, got {too_many}"
    )
    at_most = attrs.evolve(summary, incidents=10**12, unknown_noticed=10**12)
    assert at_most.incidents == 10**12


def test_batch_records_hold_plain_python_values() -> None:
    result = assess_batch(columns_from_objects(PORTFOLIO), context=CTX)
    kinds = {type(value) for record in result.to_records() for value in record.values()}
    assert kinds <= {int, float, str, type(None)}


def test_an_assessment_names_parts_in_another_currency_or_of_no_incident() -> None:
    assessment = ca.assess(*PORTFOLIO.for_customer("C01"), context=CTX)
    forecast = attrs.evolve(assessment.forecasts[0], currency="GBP")
    assert _message(lambda: attrs.evolve(assessment, forecasts=(forecast,))) == _one(
        "forecasts[0].currency: expected 'EUR' (the reporting currency), got 'GBP'"
    )
    pounds = ca.Recommendation(
        customer_id="C01",
        policy="mine",
        currency="GBP",
        actions=(),
        total_relief=ca.Money(0, "GBP"),
        total_cost=ca.Money(0, "GBP"),
    )
    assert _message(lambda: attrs.evolve(assessment, recommendation=pounds)) == _one(
        "recommendation.currency: expected 'EUR' (the reporting currency), got 'GBP'"
    )
    stray = attrs.evolve(assessment.impacts[0], incident_id="NOPE")
    assert _message(lambda: attrs.evolve(assessment, impacts=(stray,))) == _one(
        "impacts[0].incident_id: expected the id of an incident, got 'NOPE'"
    )


def test_an_item_of_the_wrong_type_is_named_with_its_article() -> None:
    # "a Order", "a Incident" and "a Impact" read wrong; the article follows the class name.
    customer, _, _ = PORTFOLIO.for_customer("C01")
    assert _message(
        lambda: ca.Portfolio(customers=PORTFOLIO.customers, orders=(_wrong("x"),))
    ) == _one("orders[0]: expected an Order, got 'x'")
    assert _message(
        lambda: ca.AdvocacyScorer().score(
            customer, [_wrong("o")], [_wrong("x")], [_wrong("y")], [], CTX
        )
    ) == (
        "3 problems:\n"
        "  orders[0]: expected an Order, got 'o'\n"
        "  incidents[0]: expected an Incident, got 'x'\n"
        "  impacts[0]: expected an Impact, got 'y'"
    )


def test_format_score_names_a_forecast_of_another_customer_with_both_ids() -> None:
    ranked = ca.assess_portfolio(PORTFOLIO, context=CTX)
    mine, other = [a for a in ranked.assessments if a.forecasts][:2]
    assert _message(lambda: ca.format_score(mine.score, forecasts=other.forecasts)) == _one(
        f"forecasts[0].customer_id: expected {mine.customer.id!r}, got {other.customer.id!r}"
    )
