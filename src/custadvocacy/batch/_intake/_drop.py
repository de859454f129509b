"""Dropping bad rows with what depends on them, and building the tables of the rows kept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import numpy as np

from custadvocacy._checks import article
from custadvocacy.batch._columns import CANONICAL, Table
from custadvocacy.batch._encode import (
    Collector,
    text_rank,
)
from custadvocacy.batch._errors import RowProblem
from custadvocacy.batch._intake._assemble import _Assembled
from custadvocacy.batch._intake._read import Array, BoolArray
from custadvocacy.batch._intake._references import _gather
from custadvocacy.batch._schema import SCHEMA, TABLES

_COLUMN_ORDER: Final = {(s.table, s.name): i for i, s in enumerate(SCHEMA)}


def _bad_rows(found: Collector, table: str, length: int) -> BoolArray:
    bad = np.zeros(length, dtype=bool)
    rows = [p.row for p in found.rows if p.table == table and p.row is not None]
    if rows:
        bad[np.asarray(rows, dtype=np.int64)] = True
    return bad


def _cascade(
    found: Collector, assembled: _Assembled, lengths: Mapping[str, int]
) -> dict[str, BoolArray]:
    """Every row to drop: the bad ones, and those whose customer or order is dropped."""
    bad = {t: _bad_rows(found, t, lengths[t]) for t in TABLES}
    tables = assembled.tables
    for table, column, target in (
        ("orders", "customer", "customers"),
        ("incidents", "customer", "customers"),
        ("incidents", "order", "orders"),
    ):
        rows = tables[table][column]
        lost = ~bad[table] & _gather(bad[target], rows, fill=False)
        if not lost.any():
            continue
        ids = tables[target]["id"]  # the value the caller gave is the id, not its row
        for row in np.flatnonzero(lost):
            dropped = int(rows[row])
            found.rows.append(
                RowProblem(
                    table=table,
                    row=int(row),
                    column=f"{column}_id",
                    value=ids[dropped].item(),
                    expected=(
                        f"the id of {article(target[:-1])} that is kept ({target} row "
                        f"{dropped} was dropped)"
                    ),
                )
            )
        bad[table] |= lost
    return bad


def _sorted(rows: Iterable[RowProblem]) -> list[RowProblem]:
    def key(p: RowProblem) -> tuple[int, int, int]:
        return (
            TABLES.index(p.table),
            -1 if p.row is None else p.row,
            _COLUMN_ORDER.get((p.table, p.column), len(_COLUMN_ORDER)),
        )

    return sorted(rows, key=key)


def _owned(array: Array, given: Sequence[Array]) -> Array:
    """``array``, or a copy of it when it still shares memory with a caller's array.

    A column whose dtype already fits is read without a conversion copy; this is its
    one copy, so that the caller changing its arrays later changes nothing here.
    """
    if any(np.may_share_memory(array, raw) for raw in given):
        return array.copy()
    return array


def _tables(
    assembled: _Assembled, keep: Mapping[str, BoolArray], given: Sequence[Array] = ()
) -> dict[str, Table]:
    tables = assembled.tables
    new_rows = {t: np.cumsum(keep[t]) - 1 for t in TABLES}
    result: dict[str, Table] = {}
    for table in TABLES:
        columns = tables[table]
        kept = keep[table]
        everything = bool(kept.all())
        stored: dict[str, Array] = {"row": np.flatnonzero(kept).astype(np.int64)}
        for name, values in columns.items():
            array = _owned(values, given) if everything else values[kept]
            if name == "customer":
                array = new_rows["customers"][array].astype(np.int64)
            elif name == "order":
                array = _gather(new_rows["orders"], array, fill=-1)
            stored[name] = array
        stored["id_rank"] = text_rank(stored["id"])
        if table == "customers" and assembled.names is not None:
            names_kept = assembled.names
            stored["name"] = _owned(names_kept, given) if everything else names_kept[kept]
        names = tuple(n for n in CANONICAL[table] if n in stored)
        extra = tuple(n for n in stored if n not in CANONICAL[table])
        result[table] = Table(
            name=table, names=names + extra, arrays=tuple(stored[n] for n in names + extra)
        )
    return result
