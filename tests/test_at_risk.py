"""What is at risk on open orders counts no loss twice: an order's incidents are taken out.

Rhein Auto Parts' order O-10002 is late and still on the road; its incident INC-1002
costs 196,131 EUR so far, and the order's forecast (566,522 EUR) is what the whole delay
is heading for, those days included. Loss plus risk must count them once: in the
assessment, its brief and reports, the batch path and the lab.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Assessment,
    Incident,
    IncidentKind,
    Money,
    Portfolio,
    assess,
    assess_portfolio,
)
from custadvocacy._forecast._at_risk import risk_beyond_incidents
from custadvocacy.batch import BatchResult, assess_batch, columns_from_objects
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.lab import evaluate
from custadvocacy.testing.strategies import contexts, portfolios

CONTEXT = example_context()
RHEIN = example_portfolio().for_customer("C10")


def test_an_order_with_an_incident_is_at_risk_only_beyond_the_incident() -> None:
    assessment = assess(*RHEIN, context=CONTEXT)
    [forecast] = assessment.forecasts
    [late] = [x for x in assessment.impacts if x.incident_id == "INC-1002"]
    assert math.isclose(assessment.risk, forecast.risk - late.expected)
    assert round(assessment.expected_loss + assessment.risk) == 781_332  # not 977,463
    brief = str(assessment.brief())
    assert (
        "At risk on open orders (probability late x loss if late, beyond the incidents "
        "above): roughly EUR 370,000." in brief
    )


def test_an_order_without_an_incident_is_at_risk_in_full_and_the_brief_says_nothing_more() -> None:
    assessment = assess(*example_portfolio().for_customer("C05"), context=CONTEXT)
    assert assessment.risk == assessment.forecasts[0].risk > 0
    assert "At risk on open orders (probability late x loss if late): roughly EUR" in (
        str(assessment.brief())
    )


def test_the_batch_path_and_the_lab_count_the_same_risk() -> None:
    customer, orders, incidents = RHEIN
    portfolio = Portfolio(customers=(customer,), orders=tuple(orders), incidents=tuple(incidents))
    assessment = assess(*RHEIN, context=CONTEXT)
    result = assess_batch(columns_from_objects(portfolio), context=CONTEXT)
    assert math.isclose(float(result.customers["risk"][0]), assessment.risk, rel_tol=1e-12)
    report = evaluate(None, portfolio, context=CONTEXT, replications=2, seed=1)
    expected = assessment.expected_loss + assessment.risk
    assert math.isclose(report.total.loss, expected, rel_tol=1e-12)


@given(data=st.data())
def test_each_order_is_at_risk_between_nothing_and_its_forecast(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, min_size=1, late_only=True))
    for assessment in assess_portfolio(portfolio, context=context).assessments:
        beyond = risk_beyond_incidents(
            assessment.forecasts, assessment.incidents, assessment.impacts, assessment.as_of
        )
        seen = {
            i.order_id
            for i in assessment.incidents
            if i.opened_at <= assessment.as_of and i.order_id is not None
        }
        for forecast, risk in beyond:
            assert 0.0 <= risk <= forecast.risk
            if forecast.order_id not in seen:
                assert risk == forecast.risk  # nothing of it is counted elsewhere
        assert math.isclose(
            assessment.risk, math.fsum(r for _, r in beyond), rel_tol=1e-12, abs_tol=1e-9
        )


def _weighted_loss(assessment: Assessment) -> float:
    detail = next(c.detail for c in assessment.score.contributions if c.factor == "harm")
    match = re.search(r"weighted loss ([\d,]+\.\d\d) EUR", detail)
    assert match is not None, detail
    return float(match[1].replace(",", ""))


def _with(customer_id: str, incident: Incident) -> tuple[Assessment, Assessment, BatchResult]:
    customer, orders, incidents = example_portfolio().for_customer(customer_id)
    base = assess(customer, orders, incidents, context=CONTEXT)
    more = assess(customer, orders, [*incidents, incident], context=CONTEXT)
    portfolio = Portfolio(
        customers=(customer,), orders=tuple(orders), incidents=(*incidents, incident)
    )
    return base, more, assess_batch(columns_from_objects(portfolio), context=CONTEXT)


def _agrees(assessment: Assessment, result: BatchResult) -> None:
    customers = result.customers
    assert math.isclose(float(customers["score"][0]), assessment.value, abs_tol=1e-9)
    assert math.isclose(float(customers["risk"][0]), assessment.risk, rel_tol=1e-12)
    for factor in ("harm", "forecast"):
        points = float(customers[f"points_{factor}"][0])
        assert math.isclose(points, assessment.score.points(factor), abs_tol=1e-9), factor


def test_another_kind_of_incident_on_a_late_order_adds_its_own_loss_only() -> None:
    # A support failure on Rhein's late order O-10002: its own loss, not the order's
    # forecast a second time (it used to be weighed as heading for 566,522 EUR too).
    support = Incident(
        id="INC-1003",
        customer_id="C10",
        kind=IncidentKind.SUPPORT_FAILURE,
        opened_at=CONTEXT.as_of - timedelta(days=1),
        order_id="O-10002",
        effort_hours=10.0,
    )
    base, more, batch = _with("C10", support)
    [extra] = [x for x in more.impacts if x.incident_id == "INC-1003"]
    assert math.isclose(_weighted_loss(more), _weighted_loss(base) + extra.expected, abs_tol=0.01)
    assert math.isclose(more.risk, base.risk)  # a support failure prices no lateness
    _agrees(more, batch)


def test_a_resolved_billing_error_on_an_open_order_leaves_its_forecast_weighed() -> None:
    # Vltava's O-5001 is 98 % likely late: a billing error on it (resolved) is a loss of its
    # own; the order's forecast still counts (it used to drop out of the score).
    billing = Incident(
        id="INC-501",
        customer_id="C05",
        kind=IncidentKind.BILLING_ERROR,
        opened_at=CONTEXT.as_of - timedelta(days=5),
        resolved_at=CONTEXT.as_of - timedelta(days=4),
        order_id="O-5001",
        amount=Money("20000", "CZK"),
    )
    base, more, batch = _with("C05", billing)
    assert more.score.points("forecast") == base.score.points("forecast") > 0
    assert more.risk == base.risk
    _agrees(more, batch)
