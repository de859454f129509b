"""The daily revenue a score weighs a loss against: the profile's, else the segment default.

An impact estimator prices a customer's lost days at the segment's default daily revenue
when the profile has none; the scorer must weigh that loss against the same figure, or
the brief states two daily revenues for one customer (and lost days count as more or
fewer days than they are).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScorer,
    Assessment,
    Context,
    Customer,
    ExchangeRates,
    Incident,
    IncidentKind,
    MissingRateError,
    Money,
    OperatingProfile,
    Order,
    Portfolio,
    ScorerConfig,
    Segment,
    ValidationError,
    assess,
    assess_portfolio,
)
from custadvocacy.batch import assess_batch, columns_from_objects
from custadvocacy.estimators import ProfileDefaults
from custadvocacy.testing.strategies import contexts, portfolios

AS_OF = datetime(2026, 11, 20, 9, tzinfo=UTC)
REVENUE_ASSUMPTION = "customer.profile.daily_revenue"
_QUOTED = re.compile(r"\(([\d,]+\.\d\d) (\w+)/day, (assumed: [^)]*|from the profile)\)")


def _quoted_revenue(detail: str) -> tuple[str, str] | None:
    """The daily revenue a harm detail quotes, as its text and where it came from."""
    match = _QUOTED.search(detail)
    return None if match is None else (f"{match[1]} {match[2]}", match[3])


def _harm_detail(assessment: Assessment) -> str:
    return next(c.detail for c in assessment.score.contributions if c.factor == "harm")


@given(data=st.data())
def test_a_loss_is_weighed_against_the_daily_revenue_its_impact_was_priced_at(
    data: st.DataObject,
) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, min_size=1, late_only=True))
    for assessment in assess_portfolio(portfolio, context=context).assessments:
        quoted = _quoted_revenue(_harm_detail(assessment))
        priced = {
            f"{a.value:,.2f} {context.currency}"
            for impact in assessment.impacts
            for a in impact.assumptions
            if a.name == REVENUE_ASSUMPTION
        }
        if quoted is None:  # no loss to weigh: no revenue quoted
            continue
        assert priced <= {quoted[0]}
        lacking = assessment.customer.profile.daily_revenue is None
        assert quoted[1].startswith("assumed") == lacking


def _customer(cid: str, currency: str = "EUR", revenue: Money | None = None) -> Customer:
    return Customer(
        id=cid,
        name=f"Customer {cid}",
        segment=Segment.SMALL,
        customer_since=datetime(2020, 1, 1, tzinfo=UTC),
        currency=currency,
        annual_value=Money("36000", currency),
        profile=OperatingProfile(daily_revenue=revenue),
    )


def _late(customer: Customer) -> tuple[Order, Incident]:
    order = Order(
        id=f"O-{customer.id}",
        customer_id=customer.id,
        placed_at=AS_OF - timedelta(days=20),
        promised_at=AS_OF - timedelta(days=6),
        value=Money("5000", customer.currency),
        delivered_at=AS_OF - timedelta(days=2),
    )
    incident = Incident(
        id=f"I-{customer.id}",
        customer_id=customer.id,
        kind=IncidentKind.LATE_DELIVERY,
        opened_at=AS_OF - timedelta(days=5),
        order_id=order.id,
    )
    return order, incident


def _with_small_revenue(amount: str) -> ProfileDefaults:
    defaults = ProfileDefaults()
    return attrs.evolve(
        defaults, small=attrs.evolve(defaults.small, daily_revenue=Money(amount, "EUR"))
    )


def test_the_scorer_assumes_the_segment_default_of_its_config_in_both_paths() -> None:
    context = Context(as_of=AS_OF, currency="EUR")
    customer = _customer("C1")
    order, incident = _late(customer)
    portfolio = Portfolio(customers=(customer,), orders=(order,), incidents=(incident,))
    for amount, quoted in (("8000", "8,000.00 EUR"), ("4000", "4,000.00 EUR")):
        scorer = AdvocacyScorer(config=ScorerConfig(profile_defaults=_with_small_revenue(amount)))
        detail = _harm_detail(assess(customer, [order], [incident], context=context, scorer=scorer))
        assert _quoted_revenue(detail) == (quoted, "assumed: the default for segment 'small'")
        result = assess_batch(columns_from_objects(portfolio), context=context, scorer=scorer)
        assert result.customers["daily_revenue"].tolist() == [float(amount)]


def test_a_customer_s_own_daily_revenue_wins_over_the_default() -> None:
    context = Context(as_of=AS_OF, currency="EUR")
    customer = _customer("C1", revenue=Money("2500", "EUR"))
    order, incident = _late(customer)
    detail = _harm_detail(assess(customer, [order], [incident], context=context))
    assert _quoted_revenue(detail) == ("2,500.00 EUR", "from the profile")


def test_the_default_needs_a_rate_for_its_currency_only_where_a_customer_lacks_revenue() -> None:
    # Reporting in GBP with no EUR rate: the EUR default cannot be converted.
    context = Context(as_of=AS_OF, currency="GBP", rates=ExchangeRates({}))
    scorer = AdvocacyScorer(config=ScorerConfig(value_scale=Money("250000", "GBP")))
    known = _customer("C1", "GBP", revenue=Money("900", "GBP"))
    assert scorer.score(known, (), (), (), (), context).customer_id == "C1"
    with pytest.raises(MissingRateError, match="EUR"):
        scorer.score(_customer("C2", "GBP"), (), (), (), (), context)


def test_profile_defaults_must_be_profile_defaults() -> None:
    with pytest.raises(ValidationError) as info:
        ScorerConfig(profile_defaults=None)  # type: ignore[arg-type]
    assert info.value.paths == ("profile_defaults",)
    assert "expected a ProfileDefaults, got None" in str(info.value)
