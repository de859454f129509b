"""assess() and assess_portfolio(): the properties the issue asks for, on generated customers."""

from __future__ import annotations

import json
import math
import pickle
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

import attrs
from _drawing import draw_money, maybe
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Assessment,
    Context,
    Customer,
    ExchangeRates,
    HealthSignals,
    Incident,
    IncidentKind,
    Money,
    NoticedBy,
    OperatingProfile,
    Order,
    Portfolio,
    PortfolioAssessment,
    Segment,
    Severity,
    assess,
    assess_portfolio,
    from_dict,
    to_dict,
)
from custadvocacy.policies import default_catalog

AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CONTEXT = Context(
    as_of=AS_OF,
    currency="EUR",
    rates=ExchangeRates({("EUR", "CZK"): "25", ("EUR", "GBP"): "0.86"}),
)
CATALOG = default_catalog()
DAY = timedelta(days=1)
_T = TypeVar("_T", Order, Incident)

currencies = st.sampled_from(["EUR", "CZK", "GBP"])


@st.composite
def profiles(draw: st.DrawFn, currency: str) -> OperatingProfile:
    revenue = maybe(draw, st.integers(0, 500_000))
    hourly = maybe(draw, st.integers(0, 2_000))
    return OperatingProfile(
        daily_revenue=None if revenue is None else Money(revenue, currency),
        gross_margin=maybe(draw, st.floats(0, 1)),
        buffer_days=maybe(draw, st.floats(0, 10)),
        staff_hourly_cost=None if hourly is None else Money(hourly, currency),
        staff_count=maybe(draw, st.integers(0, 500)),
    )


@st.composite
def customers(draw: st.DrawFn, cid: str = "C1") -> Customer:
    currency = draw(currencies)
    renewal = maybe(draw, st.integers(-30, 400))
    return Customer(
        id=cid,
        name=draw(st.sampled_from(["Acme", "Kovar <b>&</b> Sons", "A*B_C `x`"])),
        segment=draw(st.sampled_from(Segment)),
        customer_since=AS_OF - 2_000 * DAY,
        currency=currency,
        annual_value=draw_money(draw, currency, 1_000, 10_000_000),
        renewal_at=None if renewal is None else AS_OF + renewal * DAY,
        profile=draw(profiles(currency)),
        health=HealthSignals(
            nps=maybe(draw, st.integers(0, 10)),
            open_tickets=maybe(draw, st.integers(0, 20)),
        ),
    )


@st.composite
def orders_of(draw: st.DrawFn, customer: Customer, index: int) -> Order:
    placed = AS_OF - draw(st.integers(1, 120)) * DAY
    promised = placed + draw(st.integers(0, 60)) * DAY
    delivered_after = maybe(draw, st.integers(0, 90))
    delivered = None if delivered_after is None else placed + delivered_after * DAY
    if delivered is not None and delivered > AS_OF:
        delivered = None
    eta = None
    if delivered is None:
        eta_after = maybe(draw, st.integers(-3, 15))
        eta = None if eta_after is None else max(placed, promised + eta_after * DAY)
    return Order(
        id=f"O{index}",
        customer_id=customer.id,
        placed_at=placed,
        promised_at=promised,
        value=draw_money(draw, draw(currencies), 0, 1_000_000),
        criticality=maybe(draw, st.floats(0, 1)),
        delivered_at=delivered,
        eta=eta,
        lane=maybe(draw, st.sampled_from(["road", "sea"])),
    )


@st.composite
def incidents_of(
    draw: st.DrawFn, customer: Customer, orders: tuple[Order, ...], index: int
) -> Incident:
    hour = timedelta(hours=1)
    opened = AS_OF - draw(st.integers(0, 200 * 24)) * hour
    resolved_after = maybe(draw, st.integers(1, 24 * 30))
    order_ids = tuple(o.id for o in orders)
    amount = maybe(draw, st.integers(0, 100_000))
    return Incident(
        id=f"I{index}",
        customer_id=customer.id,
        kind=draw(st.sampled_from(IncidentKind)),
        opened_at=opened,
        severity=draw(st.sampled_from(Severity)),
        noticed_by=maybe(draw, st.sampled_from(NoticedBy)),
        order_id=maybe(draw, st.sampled_from(order_ids)) if order_ids else None,
        resolved_at=None if resolved_after is None else opened + resolved_after * hour,
        affected_share=draw(st.floats(0, 1)),
        amount=None if amount is None else Money(amount, draw(currencies)),
        effort_hours=maybe(draw, st.floats(0, 200)),
        summary=draw(st.sampled_from(["", "Late again.", "<script>alert(1)</script> *x*"])),
    )


@st.composite
def cases(
    draw: st.DrawFn, cid: str = "C1", max_orders: int = 5, max_incidents: int = 4
) -> tuple[Customer, tuple[Order, ...], tuple[Incident, ...]]:
    customer = draw(customers(cid))
    n_orders = draw(st.integers(0, max_orders))
    orders = tuple(draw(orders_of(customer, i)) for i in range(n_orders))
    n_incidents = draw(st.integers(0, max_incidents))
    incidents = tuple(draw(incidents_of(customer, orders, i)) for i in range(n_incidents))
    # ids unique per portfolio: prefix them with the customer's id
    return (
        customer,
        tuple(_renamed(o, f"{cid}-{o.id}") for o in orders),
        tuple(
            _renamed(
                i, f"{cid}-{i.id}", order_id=None if i.order_id is None else f"{cid}-{i.order_id}"
            )
            for i in incidents
        ),
    )


def _renamed(item: _T, new_id: str, **changes: str | None) -> _T:
    return attrs.evolve(item, id=new_id, **changes)  # type: ignore[arg-type]


def _estimated_ceiling(result: Assessment) -> Money:
    total = math.fsum(x.expected for x in result.impacts) + math.fsum(
        f.risk for f in result.forecasts
    )
    return Money(Decimal(math.ceil(total * 100)) / 100, result.currency)


# ------------------------------------------------------------------- properties


@given(cases())
def test_deterministic_and_plain_data_round_trip(
    case: tuple[Customer, tuple[Order, ...], tuple[Incident, ...]],
) -> None:
    customer, orders, incidents = case
    first = assess(customer, orders, incidents, context=CONTEXT)
    assert assess(customer, orders, incidents, context=CONTEXT) == first
    plain = json.loads(json.dumps(to_dict(first), allow_nan=False))
    assert from_dict(Assessment, plain) == first
    assert pickle.loads(pickle.dumps(first)) == first  # noqa: S301 - our own bytes


@given(cases(), st.randoms(use_true_random=False))
def test_permuting_the_inputs_changes_nothing(
    case: tuple[Customer, tuple[Order, ...], tuple[Incident, ...]], rng: random.Random
) -> None:
    customer, orders, incidents = case
    shuffled_orders = list(orders)
    shuffled_incidents = list(incidents)
    rng.shuffle(shuffled_orders)
    rng.shuffle(shuffled_incidents)
    assert assess(customer, shuffled_orders, shuffled_incidents, context=CONTEXT) == assess(
        customer, orders, incidents, context=CONTEXT
    )


@given(cases())
def test_the_callers_lists_are_not_changed(
    case: tuple[Customer, tuple[Order, ...], tuple[Incident, ...]],
) -> None:
    customer, orders, incidents = case
    order_list, incident_list = list(reversed(orders)), list(reversed(incidents))
    before = (list(order_list), list(incident_list))
    assess(customer, order_list, incident_list, context=CONTEXT)
    assert (order_list, incident_list) == before
    assert all(a is b for a, b in zip(order_list, before[0], strict=True))


@given(cases())
def test_recommendation_respects_limits_loss_and_kinds(
    case: tuple[Customer, tuple[Order, ...], tuple[Incident, ...]],
) -> None:
    customer, orders, incidents = case
    result = assess(customer, orders, incidents, context=CONTEXT)
    rec = result.recommendation
    assert rec.total_relief <= _estimated_ceiling(result)
    if rec.cost_limit is not None:
        assert rec.total_cost <= rec.cost_limit
    kinds = {i.id: i.kind for i in result.incidents}
    for action in rec.actions:
        applies = CATALOG.get(action.code).kinds
        assert all(kinds[i] in applies for i in action.incident_ids)
        assert set(action.order_ids) <= {o.id for o in result.orders}
    assert [a.rank for a in rec.actions] == list(range(1, len(rec.actions) + 1))


@given(cases())
def test_the_brief_names_every_default_assumption_used(
    case: tuple[Customer, tuple[Order, ...], tuple[Incident, ...]],
) -> None:
    customer, orders, incidents = case
    result = assess(customer, orders, incidents, context=CONTEXT)
    brief = result.brief()
    text = brief.text()
    for assumption in result.defaults_used:
        assert assumption.name in text
    if customer.profile.daily_revenue is None:
        assert "customer.profile.daily_revenue" in text
    # every rendering works and escapes what it must
    html = brief.html()
    assert "<script>" not in html
    assert "<b>" not in html
    assert brief.markdown().startswith("### ")
    assert result._repr_markdown_()
    assert "<script>" not in result._repr_html_()


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=4, unique=True), st.data())
def test_portfolio_is_ranked_and_each_customer_as_alone(
    numbers: list[int], data: st.DataObject
) -> None:
    drawn = [data.draw(cases(f"C{n}", max_orders=3, max_incidents=2)) for n in numbers]
    portfolio = Portfolio(
        customers=[c for c, _, _ in drawn],
        orders=[o for _, orders, _ in drawn for o in orders],
        incidents=[i for _, _, incidents in drawn for i in incidents],
    )
    result = assess_portfolio(portfolio, context=CONTEXT)
    keys = [(-a.value, a.customer_id) for a in result]
    assert keys == sorted(keys)
    assert len(result) == len(numbers)
    for customer, orders, incidents in drawn:
        assert result.get(customer.id) == assess(customer, orders, incidents, context=CONTEXT)
    reversed_portfolio = Portfolio(
        customers=portfolio.customers[::-1],
        orders=portfolio.orders[::-1],
        incidents=portfolio.incidents[::-1],
    )
    assert assess_portfolio(reversed_portfolio, context=CONTEXT) == result
    assert from_dict(PortfolioAssessment, to_dict(result)) == result
