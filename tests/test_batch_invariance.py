"""Batch results do not depend on row order, partitioning or chunking; runs are repeatable."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custadvocacy import Money
from custadvocacy.batch import (
    BatchResult,
    PortfolioTables,
    allocate_actions,
    assess_batch,
    assess_partition,
    columns_from_mapping,
    synthetic_mapping,
)
from custadvocacy.batch._results import TableName
from custadvocacy.examples import example_context
from custadvocacy.lab import SyntheticConfig

_CUSTOMER_COLUMNS = ("score", "band", "expected_loss", "loss_high", "risk", "relief", "cost")


def _by_id(result: BatchResult) -> dict[Any, tuple[Any, ...]]:
    """Each customer's results (and its actions, in rank order), keyed by id."""
    actions = result.actions
    out = {}
    for row, customer_id in enumerate(result.customers["id"].tolist()):
        mine = np.flatnonzero(actions["customer"] == row)
        listed = tuple(
            (int(actions["action"][j]), int(actions["relief"][j]), int(actions["cost"][j]))
            for j in mine
        )
        out[customer_id] = (
            *(float(result.customers[c][row]) for c in _CUSTOMER_COLUMNS),
            listed,
        )
    return out


def _shuffle(columns: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    order = rng.permutation(next(iter(columns.values())).shape[0])
    return {k: v[order] for k, v in columns.items()}


def _shuffled(tables: PortfolioTables, seed: int) -> PortfolioTables:
    rng = np.random.default_rng(seed)
    return {
        "customers": _shuffle(tables["customers"], rng),
        "orders": _shuffle(tables["orders"], rng),
        "incidents": _shuffle(tables["incidents"], rng),
    }


def _part(tables: PortfolioTables, keep: Any) -> PortfolioTables:
    """The customers ``keep`` selects, with their orders and incidents."""
    chosen = tables["customers"]["id"][keep]
    orders = np.isin(tables["orders"]["customer_id"], chosen)
    incidents = np.isin(tables["incidents"]["customer_id"], chosen)
    return {
        "customers": {k: v[keep] for k, v in tables["customers"].items()},
        "orders": {k: v[orders] for k, v in tables["orders"].items()},
        "incidents": {k: v[incidents] for k, v in tables["incidents"].items()},
    }


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(1, 200))
def test_row_order_changes_nothing(seed: int, customers: int) -> None:
    context = example_context()
    tables = synthetic_mapping(customers, seed=seed)
    first = assess_batch(columns_from_mapping(**tables), context=context)
    second = assess_batch(columns_from_mapping(**_shuffled(tables, seed)), context=context)
    assert _by_id(first) == _by_id(second)


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_partitions_give_the_whole_run_results(seed: int, parts: int) -> None:
    context = example_context()
    tables = synthetic_mapping(120, seed=seed)
    whole = _by_id(assess_batch(columns_from_mapping(**tables), context=context))
    label = np.random.default_rng(seed).integers(0, parts, 120)
    pieces: dict[Any, tuple[Any, ...]] = {}
    for part in range(parts):
        piece = _part(tables, label == part)
        pieces.update(_by_id(assess_batch(columns_from_mapping(**piece), context=context)))
    assert pieces == whole


def test_the_budget_is_the_same_from_partitions() -> None:
    context = example_context()
    tables = synthetic_mapping(400, seed=5)
    budget = Money("250000", "EUR")
    limit = Money("20000", "EUR")
    whole = assess_batch(
        columns_from_mapping(**tables), context=context, budget=budget, per_customer_limit=limit
    )
    label = np.arange(400) % 3
    gathered: dict[str, list[Any]] = {}
    for part in range(3):
        actions = assess_partition(**_part(tables, label == part), context=context, table="actions")
        for name, values in actions.items():
            gathered.setdefault(name, []).append(values)
    joined = {name: np.concatenate(values) for name, values in gathered.items()}
    allocation = allocate_actions(joined, budget, per_customer_limit=limit)
    assert whole.budget is not None
    assert (allocation.spent, allocation.relief, allocation.upper_bound) == (
        whole.budget.spent,
        whole.budget.relief,
        whole.budget.upper_bound,
    )
    funded_whole = {
        (int(whole.customers["id"][whole.actions["customer"][j]]), int(whole.actions["rank"][j]))
        for j in np.flatnonzero(whole.actions["funded"])
    }
    funded_parts = {
        (int(joined["customer_id"][j]), int(joined["rank"][j]))
        for j in np.flatnonzero(allocation.funded)
    }
    assert funded_parts == funded_whole


@pytest.mark.parametrize("chunk_size", [1, 7, 10_000])
def test_chunking_changes_nothing(chunk_size: int) -> None:
    context = example_context()
    columns = columns_from_mapping(**synthetic_mapping(60, seed=2))
    reference = assess_batch(columns, context=context)
    other = assess_batch(columns, context=context, chunk_size=chunk_size)
    tables: tuple[TableName, ...] = ("customers", "orders", "incidents", "actions")
    for table in tables:
        mine, theirs = reference.table(table), other.table(table)
        for name in mine.names:
            np.testing.assert_array_equal(mine[name], theirs[name])


def test_the_same_input_gives_the_same_arrays() -> None:
    context = example_context()
    first = assess_batch(columns_from_mapping(**synthetic_mapping(80, seed=9)), context=context)
    second = assess_batch(columns_from_mapping(**synthetic_mapping(80, seed=9)), context=context)
    tables: tuple[TableName, ...] = ("customers", "orders", "incidents", "actions")
    for table in tables:
        mine, theirs = first.table(table), second.table(table)
        for name in mine.names:
            np.testing.assert_array_equal(mine[name], theirs[name])


def test_assessing_changes_neither_the_columns_nor_the_callers_arrays() -> None:
    tables = synthetic_mapping(50, seed=4)
    names = ("customers", "orders", "incidents")
    before = {t: {k: v.copy() for k, v in tables[t].items()} for t in names}  # type: ignore[literal-required]
    columns = columns_from_mapping(**tables)
    assess_batch(columns, context=example_context(), budget=Money("1000", "EUR"))
    for table in names:
        for name, values in tables[table].items():  # type: ignore[literal-required]
            np.testing.assert_array_equal(values, before[table][name])


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 2**63 - 1),
    st.integers(0, 6),
    st.one_of(st.none(), st.floats(0.0, 3.0)),
)
def test_the_synthetic_generator_draws_any_small_portfolio(
    seed: int, customers: int, orders_per_customer: float | None
) -> None:
    # One generator for the lab and the batch path; tiny portfolios (customers with
    # incidents and no orders) once raised IndexError.
    config = None
    if orders_per_customer is not None:
        config = SyntheticConfig(orders_per_customer=orders_per_customer, incident_rate=2.5)
    tables = synthetic_mapping(customers, seed=seed, config=config)
    again = synthetic_mapping(customers, seed=np.random.default_rng(seed), config=config)
    for name in ("customers", "orders", "incidents"):
        assert tables[name].keys() == again[name].keys()
        for column in tables[name]:
            np.testing.assert_array_equal(tables[name][column], again[name][column])
    columns = columns_from_mapping(**tables)
    assert (columns.customers.rows, columns.dropped) == (customers, ())
    incidents = tables["incidents"]
    linked = incidents["order_id"] >= 0
    owners = tables["orders"]["customer_id"][incidents["order_id"][linked]]
    np.testing.assert_array_equal(owners, incidents["customer_id"][linked])
    assert assess_batch(columns, context=example_context()).customers.rows == customers
