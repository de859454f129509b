"""Ids and references across the tables: duplicates, lookups and each reference's row.

A reference is resolved to a row number (``-1``: none) by a binary search in the target
table's ids, sorted once by the duplicate check.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from custadvocacy.batch._encode import (
    Collector,
)
from custadvocacy.batch._intake._read import Array, BoolArray, _Reader


def _duplicates(
    table: str, values: Array, missing: BoolArray, found: Collector
) -> tuple[BoolArray, npt.NDArray[np.intp]]:
    """Every row whose id another row has too, and the ids' stable sort order (for lookups).

    The first of them as well: which row the orders and incidents naming the id belong to
    cannot be told, so keeping one (without them) would understate its customer.
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    repeat = np.zeros(values.shape[0], dtype=bool)
    if values.shape[0] > 1:
        same = ordered[1:] == ordered[:-1]
        repeat[order[1:]] = same
        repeat[order[:-1]] |= same
    found.cells(table, "id", repeat & ~missing, values, f"an id not used by another {table[:-1]}")
    return repeat, order


def _lookup(
    targets: Array, references: Array, order: npt.NDArray[np.intp]
) -> npt.NDArray[np.int64]:
    """Row of ``targets`` holding each reference (the first such row), ``-1`` for none.

    ``order`` is ``targets``' stable sort order, found once by the duplicate check.
    """
    if targets.shape[0] == 0 or (targets.dtype.kind == "U") != (references.dtype.kind == "U"):
        return np.full(references.shape[0], -1, dtype=np.int64)
    ordered = targets[order]
    position = np.searchsorted(ordered, references, side="left")
    clipped = np.minimum(position, ordered.shape[0] - 1)
    hit = (position < ordered.shape[0]) & (ordered[clipped] == references)
    return np.where(hit, order[clipped], -1).astype(np.int64)


def _reference(
    reader: _Reader, table: str, name: str, targets: Array | None, target_table: str
) -> npt.NDArray[np.int64]:
    """Resolve ``table.name`` into rows of ``target_table`` (``-1``: none), noting misses."""
    length = reader.lengths[table]
    packed = reader.values[table][name]
    if packed is None:
        return np.full(length, -1, dtype=np.int64)
    values, missing = packed[0], packed[1]
    expected = f"the id of a given {target_table[:-1]}"
    if targets is None:  # the target table was not given: no id is found in it
        rows = np.full(length, -1, dtype=np.int64)
    else:
        rows = _lookup(targets, values, reader.id_order[target_table])
        if targets.size and _id_kind(targets) != _id_kind(values):
            # 1 is not "1": every reference misses, for a reason the ids do not show.
            expected += (
                f"; {target_table}.id holds {_id_kind(targets)} and {table}.{name} holds "
                f"{_id_kind(values)}: convert one to the other's kind"
            )
    reader.found.cells(table, name, (rows < 0) & ~missing, values, expected)
    repeat = reader.id_repeat.get(target_table)
    if targets is not None and repeat is not None and repeat.any():
        # An id two rows have: which of them is meant cannot be told (both are dropped).
        ambiguous = (rows >= 0) & ~missing & np.isin(values, targets[repeat])
        one = f"the id of one {target_table[:-1]} (more than one {target_table[:-1]} has this id)"
        reader.found.cells(table, name, ambiguous, values, one)
        rows = np.where(ambiguous, -1, rows)
    return np.where(missing, -1, rows)


def _id_kind(ids: Array) -> str:
    """What an id column as read holds: text, or whole numbers (``int64``)."""
    return "text" if ids.dtype.kind == "U" else "whole numbers"


def _same_customer(
    reader: _Reader,
    incident_order: npt.NDArray[np.int64],
    incident_customer: npt.NDArray[np.int64],
    order_customer: npt.NDArray[np.int64],
    order_ids: Array | None,
) -> None:
    if order_ids is None or incident_order.size == 0 or order_customer.size == 0:
        return
    owner = _gather(order_customer, incident_order, fill=-1)
    packed = reader.values["incidents"]["order_id"]
    if packed is None:
        return
    reader.found.cells(
        "incidents",
        "order_id",
        (incident_order >= 0)
        & (incident_customer >= 0)
        & (owner >= 0)
        & (owner != incident_customer),
        packed[0],
        "an order of the incident's own customer",
    )


def _gather(values: Array, index: npt.NDArray[np.int64], *, fill: Any) -> Array:
    """``values[index]`` where ``index >= 0``, ``fill`` elsewhere (and for an empty table)."""
    if values.size == 0:
        return np.full(index.shape[0], fill, dtype=values.dtype)
    return np.where(index >= 0, values[np.maximum(index, 0)], fill)
