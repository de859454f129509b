"""Bugs the fuzzers found that are not fixed yet, as strict xfails.

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
from custadvocacy.examples import example_context


@pytest.mark.xfail(
    strict=True,
    raises=ValueError,
    reason="batch intake: a ragged list column reaches np.asarray and raises numpy's "
    "ValueError ('inhomogeneous shape') instead of a BatchValidationError",
)
def test_a_ragged_list_column_is_a_validation_error() -> None:
    mapping = synthetic_mapping(2, seed=1)
    rows = len(mapping["customers"]["id"])
    customers: dict[str, object] = dict(mapping["customers"])
    customers["nps"] = [[1, 2]] + [None] * (rows - 1)
    with pytest.raises(ca.ValidationError) as info:
        columns_from_mapping(customers, mapping["orders"], mapping["incidents"])
    assert "customers.nps" in str(info.value)


@pytest.mark.xfail(
    strict=True,
    raises=IndexError,
    reason="synthetic_mapping: a tiny portfolio that draws incidents but no orders indexes "
    "an empty array of order dates (batch/_synthetic.py, _incidents)",
)
def test_synthetic_mapping_of_one_customer_works_for_any_seed() -> None:
    tables = synthetic_mapping(1, seed=5)
    assert len(tables["customers"]["id"]) == 1


@pytest.mark.xfail(
    strict=True,
    reason="batch intake: float columns are kept as views of the caller's arrays, so "
    "changing an array after columns_from_mapping changes later results",
)
def test_the_batch_columns_do_not_alias_the_callers_arrays() -> None:
    mapping = synthetic_mapping(40, seed=7)
    columns = columns_from_mapping(mapping["customers"], mapping["orders"], mapping["incidents"])
    context = example_context()
    scores = assess_batch(columns, context=context).customers["score"].copy()
    for array in mapping["customers"].values():
        if array.dtype.kind == "f":
            array[:] = 1e6
    assert np.array_equal(assess_batch(columns, context=context).customers["score"], scores)
