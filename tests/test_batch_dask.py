"""The batch path under Dask: a cluster of two worker processes gives the one-process result.

Skipped, with the reason, only when the ``dask`` extra is not installed
(``pip install "custadvocacy[dask]"``).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import numpy as np
import pytest

from custadvocacy import Money
from custadvocacy.batch import (
    PortfolioTables,
    allocate_actions,
    assess_batch,
    assess_partition,
    columns_from_mapping,
    synthetic_mapping,
)
from custadvocacy.examples import example_context

_NEEDED = ("dask", "distributed", "pandas")
_MISSING = [name for name in _NEEDED if importlib.util.find_spec(name) is None]

pytestmark = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"the dask extra is not installed (no {', '.join(_MISSING)}); "
    'install it with: pip install "custadvocacy[dask]"',
)


def _frames(tables: PortfolioTables) -> tuple[Any, Any, Any]:
    # The optional extra, imported once it is known to be there (untyped: Any).
    pd: Any = importlib.import_module("pandas")

    customers = pd.DataFrame(tables["customers"])
    orders = pd.DataFrame(tables["orders"])
    incidents = pd.DataFrame(tables["incidents"])
    # Partition every table by customer id: the index holds it.
    customers.index = customers["id"].to_numpy()
    orders.index = orders["customer_id"].to_numpy()
    incidents.index = incidents["customer_id"].to_numpy()
    return customers, orders.sort_index(kind="stable"), incidents.sort_index(kind="stable")


def test_a_local_cluster_of_two_processes_gives_the_single_process_result() -> None:
    dd: Any = importlib.import_module("dask.dataframe")
    distributed: Any = importlib.import_module("distributed")

    context = example_context()
    tables = synthetic_mapping(300, seed=12)
    customers, orders, incidents = _frames(tables)
    budget = Money("150000", "EUR")
    single = assess_batch(columns_from_mapping(**tables), context=context, budget=budget)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        parts_c = dd.from_pandas(customers, npartitions=4, sort=True)
        divisions = parts_c.divisions
        parts_o = dd.from_pandas(orders, npartitions=1, sort=True).repartition(divisions=divisions)
        parts_i = dd.from_pandas(incidents, npartitions=1, sort=True).repartition(
            divisions=divisions
        )
        assert parts_c.npartitions == 4
        meta = assess_partition(
            customers.iloc[:0], orders.iloc[:0], incidents.iloc[:0], context=context
        )
        scored = dd.map_partitions(
            assess_partition, parts_c, parts_o, parts_i, context=context, meta=meta
        ).compute()
        meta_actions = assess_partition(
            customers.iloc[:0],
            orders.iloc[:0],
            incidents.iloc[:0],
            context=context,
            table="actions",
        )
        actions = dd.map_partitions(
            assess_partition,
            parts_c,
            parts_o,
            parts_i,
            context=context,
            table="actions",
            meta=meta_actions,
        ).compute()
    # Customers come back in id order, the single run's order (ids 0..299).
    np.testing.assert_array_equal(scored["customer_id"].to_numpy(), single.customers["id"])
    for name in ("score", "expected_loss", "loss_low", "loss_high", "risk", "relief", "cost"):
        np.testing.assert_array_equal(scored[name].to_numpy(), single.customers[name])
    allocation = allocate_actions(
        {name: actions[name].to_numpy() for name in actions.columns}, budget
    )
    assert single.budget is not None
    assert (allocation.spent, allocation.relief, allocation.upper_bound) == (
        single.budget.spent,
        single.budget.relief,
        single.budget.upper_bound,
    )
    assert int(allocation.funded.sum()) == int(single.actions["funded"].sum())
