"""Portfolio and check_references: cross-object consistency, grouping, lookups."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Context,
    Customer,
    Incident,
    Order,
    Portfolio,
    ValidationError,
    check_references,
)
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.testing.strategies import contexts, portfolios

EXAMPLE = example_portfolio()
CUSTOMERS = {c.id: c for c in EXAMPLE.customers}
ORDERS = {o.id: o for o in EXAMPLE.orders}
INCIDENTS = {i.id: i for i in EXAMPLE.incidents}


def test_the_example_portfolio_is_consistent() -> None:
    check_references(EXAMPLE.customers, EXAMPLE.orders, EXAMPLE.incidents)
    assert (
        Portfolio(
            customers=list(EXAMPLE.customers),
            orders=iter(EXAMPLE.orders),
            incidents=EXAMPLE.incidents,
        )
        == EXAMPLE
    )


def test_an_empty_portfolio_is_valid() -> None:
    empty = Portfolio()
    assert (empty.customers, empty.orders, empty.incidents) == ((), (), ())
    assert list(empty.groups()) == []


@pytest.mark.parametrize(
    ("customers", "orders", "incidents", "paths"),
    [
        # an order of a customer not given
        (["C02"], ["O-1001"], [], ["orders[0].customer_id"]),
        # an incident of a customer not given
        (["C01"], [], ["INC-301"], ["incidents[0].customer_id"]),
        # an incident naming an order not given
        (["C01"], [], ["INC-101"], ["incidents[0].order_id"]),
        # duplicates in every list
        (
            ["C01", "C01"],
            ["O-1001", "O-1001"],
            ["INC-101", "INC-101"],
            ["customers[1].id", "orders[1].id", "incidents[1].id"],
        ),
    ],
)
def test_broken_references_are_reported_with_paths(
    customers: list[str], orders: list[str], incidents: list[str], paths: list[str]
) -> None:
    args = (
        [CUSTOMERS[c] for c in customers],
        [ORDERS[o] for o in orders],
        [INCIDENTS[i] for i in incidents],
    )
    with pytest.raises(ValidationError) as direct:
        check_references(*args)
    assert list(direct.value.paths) == paths
    with pytest.raises(ValidationError) as built:
        Portfolio(customers=args[0], orders=args[1], incidents=args[2])
    assert list(built.value.paths) == paths


def test_an_incident_must_name_an_order_of_its_own_customer() -> None:
    stray = attrs.evolve(INCIDENTS["INC-201"], order_id="O-1001")  # C02 naming C01's order
    with pytest.raises(
        ValidationError, match="an order of customer 'C02' \\(it belongs to 'C01'\\)"
    ):
        check_references(EXAMPLE.customers, EXAMPLE.orders, [stray])


@given(
    portfolios(min_size=1),
    st.sampled_from(["orders", "incidents"]),
    st.data(),
)
def test_a_reference_to_a_missing_customer_is_always_caught(
    portfolio: Portfolio, which: str, data: st.DataObject
) -> None:
    items: tuple[Order | Incident, ...] = getattr(portfolio, which)
    if not items:
        return
    index = data.draw(st.integers(0, len(items) - 1))
    orphan = attrs.evolve(items[index], customer_id="no-such-customer")
    changed = {**_lists(portfolio), which: [*items[:index], orphan, *items[index + 1 :]]}
    with pytest.raises(ValidationError) as info:
        check_references(changed["customers"], changed["orders"], changed["incidents"])
    assert f"{which}[{index}].customer_id" in info.value.paths


def _lists(portfolio: Portfolio) -> dict[str, list[Any]]:
    return {
        "customers": list(portfolio.customers),
        "orders": list(portfolio.orders),
        "incidents": list(portfolio.incidents),
    }


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ({"customers": [EXAMPLE.orders[0]]}, ["customers[0]"]),
        ({"orders": ["O-1"]}, ["orders[0]"]),
        ({"incidents": [None, INCIDENTS["INC-101"]]}, ["incidents[0]"]),
        ({"customers": None}, ["customers"]),
        ({"orders": 5}, ["orders"]),
        ({"incidents": "INC-101"}, ["incidents"]),
        ({"customers": {"C01": CUSTOMERS["C01"]}}, ["customers"]),
        ({"customers": 1, "orders": 2, "incidents": [3]}, ["customers", "orders", "incidents[0]"]),
    ],
)
def test_a_portfolio_of_the_wrong_things_is_a_validation_error(
    changes: dict[str, Any], paths: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        Portfolio(**changes)
    assert list(info.value.paths) == paths


@given(portfolios(max_size=3))
def test_groups_partition_the_orders_and_incidents(portfolio: Portfolio) -> None:
    groups = list(portfolio.groups())
    assert [c for c, _, _ in groups] == list(portfolio.customers)
    grouped_orders = [o for _, orders, _ in groups for o in orders]
    grouped_incidents = [i for _, _, incidents in groups for i in incidents]
    assert sorted(o.id for o in grouped_orders) == sorted(o.id for o in portfolio.orders)
    assert sorted(i.id for i in grouped_incidents) == sorted(i.id for i in portfolio.incidents)
    for customer, orders, incidents in groups:
        assert all(o.customer_id == customer.id for o in orders)
        assert all(i.customer_id == customer.id for i in incidents)
        assert portfolio.for_customer(customer.id) == (customer, orders, incidents)
        assert portfolio.customer(customer.id) is customer


@given(contexts(), st.data())
def test_generated_portfolios_only_use_currencies_the_context_converts(
    context: Context, data: st.DataObject
) -> None:
    portfolio = data.draw(portfolios(context=context))
    for customer in portfolio.customers:
        assert context.convert(customer.annual_value).currency == context.currency
    for order in portfolio.orders:
        assert order.placed_at <= context.as_of
        assert context.convert(order.value).currency == context.currency


def test_a_missing_customer_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        EXAMPLE.customer("C404")
    assert info.value.paths == ("customer_id",)
    with pytest.raises(ValueError, match="C404"):
        EXAMPLE.for_customer("C404")


def test_for_customer_follows_the_stories() -> None:
    kovar, orders, incidents = EXAMPLE.for_customer("C01")
    assert isinstance(kovar, Customer)
    assert [o.id for o in orders] == ["O-1001", "O-1002"]
    assert [i.id for i in incidents] == ["INC-101"]
    late = orders[0]
    assert late.delivered_at is not None
    assert late.delivered_at - late.promised_at == timedelta(days=6)
    _, nothing, none = EXAMPLE.for_customer("C09")
    assert (nothing, none) == ((), ())
    assert example_context().as_of > late.delivered_at
