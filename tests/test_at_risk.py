"""What is at risk on open orders counts no loss twice: an order's incidents are taken out.

Rhein Auto Parts' order O-10002 is late and still on the road; its incident INC-1002
costs 196,131 EUR so far, and the order's forecast (566,522 EUR) is what the whole delay
is heading for, those days included. Loss plus risk must count them once: in the
assessment, its brief and reports, the batch path and the lab.
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import Portfolio, assess, assess_portfolio
from custadvocacy._forecast._at_risk import risk_beyond_incidents
from custadvocacy.batch import assess_batch, columns_from_objects
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
