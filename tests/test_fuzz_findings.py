"""Bugs the fuzzers found: strict xfails while open, regression tests once fixed.

Each test reproduces one crash in its smallest form. ``xfail(strict=True)``: the day
the bug is fixed the test passes, the run turns red, and the fix's author removes the
marker, moves the target from ``PENDING`` to ``TARGETS`` in ``fuzz/targets.py`` and its
saved inputs from ``fuzz/pending/`` to ``fuzz/regressions/``.
"""

from __future__ import annotations

import numpy as np
import pytest

import custadvocacy as ca
from custadvocacy.batch import assess_batch, columns_from_mapping, synthetic_mapping
from custadvocacy.examples import example_context, example_portfolio


def test_a_ragged_list_column_is_a_validation_error() -> None:
    # Fixed: a column numpy cannot make an array of is a grouped column problem.
    mapping = synthetic_mapping(2, seed=1)
    rows = len(mapping["customers"]["id"])
    customers: dict[str, object] = dict(mapping["customers"])
    customers["nps"] = [[1, 2]] + [None] * (rows - 1)
    with pytest.raises(ca.ValidationError) as info:
        columns_from_mapping(customers, mapping["orders"], mapping["incidents"])
    assert "customers.nps" in str(info.value)


def test_synthetic_mapping_of_one_customer_works_for_any_seed() -> None:
    # Fixed (batch/_synthetic.py): a tiny portfolio drawing incidents but no orders.
    tables = synthetic_mapping(1, seed=5)
    assert len(tables["customers"]["id"]) == 1


def test_the_batch_columns_do_not_alias_the_callers_arrays() -> None:
    # Fixed: a column read without a conversion copy is copied once at the end.
    mapping = synthetic_mapping(40, seed=7)
    columns = columns_from_mapping(mapping["customers"], mapping["orders"], mapping["incidents"])
    context = example_context()
    scores = assess_batch(columns, context=context).customers["score"].copy()
    for array in mapping["customers"].values():
        if array.dtype.kind == "f":
            array[:] = 1e6
    assert np.array_equal(assess_batch(columns, context=context).customers["score"], scores)
    for table in (columns.customers, columns.orders, columns.incidents):
        for name in table:
            for given in (*mapping["customers"].values(), *mapping["orders"].values()):
                assert not np.may_share_memory(table[name], given), name


def test_an_int_too_large_for_a_float_is_a_bad_row() -> None:
    # Found by fuzz/run.py (batch_columns): float(10**400) raised a bare OverflowError.
    mapping = synthetic_mapping(8, seed=2)
    rows = len(mapping["customers"]["id"])
    customers: dict[str, object] = dict(mapping["customers"])
    customers["nps"] = np.array([10**400] + [None] * (rows - 1), dtype=object)
    with pytest.raises(ca.ValidationError) as info:
        columns_from_mapping(customers, mapping["orders"], mapping["incidents"])
    assert "customers.nps[0]" in str(info.value)


def test_an_empty_catalog_recommends_nothing() -> None:
    # Fixed: assess_batch with ActionCatalog(actions=()) raised numpy's bare ValueError
    # ("need at least one array to concatenate"); the object path recommends nothing too.
    from custadvocacy.batch import columns_from_objects  # noqa: PLC0415
    from custadvocacy.examples import example_portfolio  # noqa: PLC0415
    from custadvocacy.policies import ActionCatalog  # noqa: PLC0415

    portfolio = example_portfolio()
    context = example_context()
    empty = ActionCatalog(actions=())
    result = assess_batch(columns_from_objects(portfolio), context=context, catalog=empty)
    assert result.actions["customer"].size == 0
    expected = ca.assess_portfolio(portfolio, context=context, catalog=empty).assessments
    batch = result.to_assessments(range(len(portfolio.customers)))
    by_id = {a.customer.id: a for a in expected}
    assert len(batch) == len(by_id)
    assert batch == tuple(by_id[a.customer.id] for a in batch)


def test_an_integer_id_beyond_int64_is_a_bad_row() -> None:
    # Found by fuzz/run.py (batch_columns): an object column of ints with one beyond
    # int64 raised numpy's bare OverflowError ("Python int too large to convert").
    mapping = synthetic_mapping(8, seed=2)
    customers: dict[str, object] = dict(mapping["customers"])
    ids = [int(i) for i in mapping["customers"]["id"]]
    customers["id"] = np.array([2**70, *ids[1:]], dtype=object)
    with pytest.raises(ca.ValidationError) as info:
        columns_from_mapping(customers, mapping["orders"], mapping["incidents"])
    assert "customers.id[0]" in str(info.value)


def test_a_numpy_timedelta_is_no_number_for_from_dict() -> None:
    # Found by the portfolio_payload target: numpy registers timedelta64 as an Integral,
    # and float() of one raised TypeError out of from_dict.
    span = np.timedelta64(5, "D")
    order = ca.to_dict(example_portfolio().orders[0])
    profile = ca.to_dict(example_portfolio().customers[0].profile)
    for cls, payload, field, expected in (
        (ca.Order, order, "criticality", "a number"),
        (ca.OperatingProfile, profile, "staff_count", "a whole number"),
    ):
        with pytest.raises(ca.ValidationError) as info:
            ca.from_dict(cls, {**payload, field: span})
        assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
            (field, span, expected)
        ]
