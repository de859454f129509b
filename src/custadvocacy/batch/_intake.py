"""Building :class:`PortfolioColumns`: from any mapping of array-likes, or from objects.

The whole input is checked before anything is computed: every bad row of every table
is found (a NaN where a number is required, a negative amount, an unknown currency, a
naive timestamp, a duplicate id, a reference to no row, an incident naming another
customer's order...) and either reported in one :class:`BatchValidationError`, or,
with ``on_invalid="drop"``, left out together with what depends on it (a dropped
customer's orders and incidents, a dropped order's incidents), each with its reason
in :attr:`PortfolioColumns.dropped`. pandas and pyarrow are never imported: a
DataFrame is read as a mapping of columns (``frame[name]``), a pyarrow Table by its
``column_names`` and ``column(name)``, each column through ``numpy.asarray``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal, Protocol, TypeGuard

import numpy as np
import numpy.typing as npt

from custadvocacy._checks import article
from custadvocacy._convert import Unknown
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._money import Money
from custadvocacy._portfolio import Portfolio
from custadvocacy.batch._columns import CANONICAL, PortfolioColumns, Table
from custadvocacy.batch._encode import (
    Collector,
    categories,
    currencies,
    ids,
    is_missing,
    labels,
    moment_us,
    moments,
    numbers,
    text_rank,
    texts,
)
from custadvocacy.batch._errors import BatchValidationError, ColumnKind, RowProblem, counted
from custadvocacy.batch._schema import CATEGORIES, MISSING_MOMENT, SCHEMA, TABLES, ColumnSpec

__all__ = ["ColumnSource", "OnInvalid", "columns_from_mapping", "columns_from_objects"]

Array = npt.NDArray[Any]
BoolArray = npt.NDArray[np.bool_]

OnInvalid = Literal["raise", "drop"]
"""What the intake does with bad rows: raise one error listing them, or drop them."""

_ON_INVALID: Final = ("raise", "drop")
_UNKNOWN: Final = ("reject", "ignore")
_SPECS: Final = {t: tuple(s for s in SCHEMA if s.table == t) for t in TABLES}
_COLUMN_ORDER: Final = {(s.table, s.name): i for i, s in enumerate(SCHEMA)}
_SEVERITY_MEDIUM: Final = CATEGORIES["severity"].index("medium")
# The tables a portfolio may lack: given as a mapping without a column ({}, an empty
# DataFrame), each is an empty table, as None is. Customers are the portfolio: {} for
# them is an extract that lost its columns, and each required one is named.
_MAY_BE_EMPTY: Final = frozenset({"orders", "incidents"})
_NUMBER_ENCODINGS: Final = frozenset({"amount", "number", "whole"})
_COLUMNS_WORDS: Final = (
    "a mapping of column name to column (a dict of lists or arrays, a pandas DataFrame, "
    "a pyarrow Table)"
)
_RECORDS_WORDS: Final = (
    "; a list of records is not columns: build them with "
    "{name: [row[name] for row in rows] for name in rows[0]}"
)


class ColumnSource(Protocol):
    """What a table's columns may come in: a mapping, or anything with ``keys`` and ``[]``.

    A ``dict`` of lists or arrays, a pandas DataFrame... Each column goes through
    ``numpy.asarray``. A pyarrow Table (or RecordBatch), which has no ``keys``, is read
    by its ``column_names`` and ``column(name)`` instead: pyarrow is never imported, so
    anything with those two is read so (its nulls arrive as NaN, ``None`` or NaT).
    """

    def keys(self) -> Iterable[Any]:
        """The column names."""
        ...

    def __getitem__(self, key: str, /) -> Any:
        """The column called ``key``."""
        ...


def _column_access(source: object) -> tuple[list[str], Callable[[str], Any]] | None:
    """The column names of ``source`` and how to get each, or ``None`` for no table.

    A mapping or DataFrame (``keys`` and ``[]``), else a pyarrow-like table
    (``column_names`` and ``column``).
    """
    if isinstance(source, type):  # the class dict, not a dict: its keys() takes self
        return None
    keys = getattr(source, "keys", None)
    getitem = getattr(source, "__getitem__", None)
    if callable(keys) and callable(getitem):
        return [str(name) for name in keys()], getitem
    names = getattr(source, "column_names", None)
    column = getattr(source, "column", None)
    if names is not None and not isinstance(names, str) and callable(column):
        return [str(name) for name in names], column
    return None


def _not_columns(table: str, source: object) -> Problem | None:
    """The problem with ``source`` as ``table``'s columns, or ``None`` when it is some."""
    if source is None or _column_access(source) is not None:
        return None
    records = isinstance(source, list | tuple) and bool(source) and isinstance(source[0], Mapping)
    return Problem(table, source, _COLUMNS_WORDS + (_RECORDS_WORDS if records else ""))


class _Reader:
    """The state of one intake: the problems found and the tables read so far."""

    def __init__(self) -> None:
        self.found = Collector()
        # Each column as read: an array, (values, missing) for ids and references,
        # (codes, names) for labels, or None when absent or unreadable.
        self.values: dict[str, dict[str, Any]] = {t: {} for t in TABLES}
        self.lengths: dict[str, int] = dict.fromkeys(TABLES, 0)
        # The caller's arrays as given: a column still sharing memory with one is
        # copied once at the end (see _owned), never converted twice.
        self.given: list[Array] = []
        # Each table's ids in stable sort order, found once by the duplicate check.
        self.id_order: dict[str, npt.NDArray[np.intp]] = {}

    def read(self, table: str, source: object, unknown: str) -> None:
        """Read ``table``'s columns from ``source`` by encoding (``None``: an empty table).

        ``source`` is ``None`` or a table of columns (``_column_access`` finds them).
        """
        access = None if source is None else _column_access(source)
        if access is not None and not access[0] and table in _MAY_BE_EMPTY:
            access = None  # {} or a DataFrame without columns: no rows, as None
        given: dict[str, Array] = {}
        unread: set[str] = set()
        if access is not None:
            given, unread = _columns_of(table, *access, unknown, self.found)
        length = table_length(table, given, self.found)
        self.given.extend(given.values())
        self.lengths[table] = length
        for spec in _SPECS[table]:
            raw = given.get(spec.name)
            if raw is None:
                if spec.required and access is not None and spec.name not in unread:
                    self.found.column(table, spec.name, None, "a column (it is required)")
                self.values[table][spec.name] = None
                continue
            self.values[table][spec.name] = _read_column(spec, raw, self.found)


def _columns_of(
    table: str, names: list[str], column: Callable[[str], Any], unknown: str, found: Collector
) -> tuple[dict[str, Array], set[str]]:
    """The known columns of ``table`` as arrays, and the names given but not readable.

    A name given twice (a pyarrow Table or a DataFrame may hold two ``id`` columns) is
    not read: which of the two is meant is not for the intake to guess.
    """
    known = {s.name for s in _SPECS[table]}
    counts = Counter(names)
    out: dict[str, Array] = {}
    unread: set[str] = set()
    for name in counts:  # each name once, in the order given
        if name not in known:
            if unknown == "reject":
                expected = f"one of the columns {', '.join(sorted(known))} (or unknown='ignore')"
                found.column(table, name, name, expected)
            continue
        if counts[name] > 1:
            found.column(table, name, f"{counts[name]} columns", "one column of that name")
            unread.add(name)
            continue
        array = column_array(table, name, column(name), found)
        if array is None:
            unread.add(name)
        else:
            out[name] = array
    return out, unread


def column_array(table: str, name: str, values: object, found: Collector) -> Array | None:
    """``values`` as an array (a scalar as one row), or ``None`` with the problem noted."""
    try:
        array = np.asarray(values)
    except (ValueError, TypeError) as error:  # ragged nesting: no array at all
        found.column(table, name, type(error).__name__, "a 1-d column of scalars")
        return None
    if array.shape == (0,) and array.dtype.kind == "f" and not isinstance(values, np.ndarray):
        # An empty list says nothing of its type (numpy makes it float64): no value in it
        # can be of the wrong kind, so it is read as an empty column of any kind.
        return np.zeros(0, dtype=object)
    if _kinds_merged(values, array):
        # Each cell as what it is, as in an object column: nothing is coerced silently.
        return np.asarray(values, dtype=object)
    return array.reshape(-1) if array.ndim == 0 else array


def _kinds_merged(values: object, array: Array) -> bool:
    """Whether numpy made a list of several kinds of value into one kind of column.

    A bool among numbers becomes 1.0 (or 0), a number or a NaN among texts becomes
    ``'5'`` or ``'nan'``, a text among moments is parsed as one: read cell by cell
    instead, each of those is a bad row, named.
    """
    if not isinstance(values, list | tuple) or array.ndim != 1:
        return False
    kind = array.dtype.kind
    if kind == "U":
        return not all(isinstance(v, str) for v in values)
    if kind in "iufc":
        return any(isinstance(v, bool | np.bool_) for v in values)
    if kind == "M":
        return any(isinstance(v, str) for v in values)
    return False


def table_length(
    table: str, given: Mapping[str, Array], found: Collector, *, key: str = "id"
) -> int:
    """The rows of a table (its ``key`` column's); each column of another shape is noted."""
    if not given:
        return 0
    keyed = key in given and given[key].ndim == 1  # else the longest column sets the rows
    length = int(given[key].shape[0]) if keyed else max(a.shape[0] for a in given.values())
    for name, array in given.items():
        if array.ndim != 1 or array.shape[0] != length:
            found.column(
                table,
                name,
                f"shape {array.shape}",
                f"a 1-d column of {counted(length, 'row')}, like {key!r}",
            )
    return length


_READERS: Final[dict[str, Any]] = {
    "moment": moments,
    "amount": numbers,
    "number": numbers,
    "whole": numbers,
    "category": categories,
    "currency": currencies,
    "label": labels,
    "id": ids,
    "reference": ids,
    "text": texts,
}


def _read_column(spec: ColumnSpec, raw: Array, found: Collector) -> Any:
    if raw.ndim != 1:
        return None
    first = len(found.rows)
    if spec.encoding in _NUMBER_ENCODINGS and raw.dtype.kind == "O":
        read = _numbers_of_python_values(raw, spec, found)
    else:
        read = _READERS[spec.encoding](raw, spec, found)
    if raw.dtype.kind in "USb":
        # The column was refused for its dtype: say what it holds, not only '<U9'.
        found.rows[first:] = [
            _with_kind(p, raw.dtype) if p.row is None and p.column == spec.name else p
            for p in found.rows[first:]
        ]
    return read


def _with_kind(problem: RowProblem, dtype: np.dtype[Any]) -> RowProblem:
    """``problem`` with its value, the dtype's name, shown as what the column holds."""
    if not (isinstance(problem.value, str) and problem.value == str(dtype)):
        return problem
    return RowProblem(
        table=problem.table,
        row=None,
        column=problem.column,
        value=ColumnKind.of(dtype),
        expected=problem.expected,
    )


def _numbers_of_python_values(raw: Array, spec: ColumnSpec, found: Collector) -> Any:
    """A number column of Python values (a pandas object column, a list of mixed kinds).

    A column whose every value is text (numbers read from a CSV as text) is one problem
    with the whole column, as a numpy text column is; otherwise each text or bool is a
    bad row saying so: ``'228176.24'`` is in range, the cause is that it is text.
    """
    text = np.fromiter((isinstance(v, str) and v != "" for v in raw), bool, raw.shape[0])
    if text.any() and all(t or is_missing(v) for v, t in zip(raw, text, strict=True)):
        example = str(raw[int(np.flatnonzero(text)[0])])
        found.column(
            spec.table,
            spec.name,
            ColumnKind.of(raw.dtype, example=example),
            "numbers (not booleans or text)",
        )
        return None
    first = len(found.rows)
    read = numbers(raw, spec, found)
    found.rows[first:] = [_not_a_number(p) for p in found.rows[first:]]
    return read


def _not_a_number(problem: RowProblem) -> RowProblem:
    """``problem``, saying that its cell is text or a bool when it is: no number at all."""
    value = problem.value
    if isinstance(value, bool):
        kind = "a boolean"
    elif isinstance(value, str) and value:  # "" is none: "(required)" says it all
        kind = "text"
    else:
        return problem
    return RowProblem(
        table=problem.table,
        row=problem.row,
        column=problem.column,
        value=value,
        expected=f"a number, not {kind} ({problem.expected})",
    )


# -- ids and references -------------------------------------------------------------------


def _duplicates(
    table: str, values: Array, missing: BoolArray, found: Collector
) -> tuple[BoolArray, npt.NDArray[np.intp]]:
    """The rows repeating an earlier id, and the ids' stable sort order (reused by lookups)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    repeat = np.zeros(values.shape[0], dtype=bool)
    if values.shape[0] > 1:
        repeat[order[1:]] = ordered[1:] == ordered[:-1]
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
    return np.where(missing, -1, rows)


def _id_kind(ids: Array) -> str:
    """What an id column as read holds: text, or whole numbers (``int64``)."""
    return "text" if ids.dtype.kind == "U" else "whole numbers"


# -- assembling ---------------------------------------------------------------------------


def _filled(values: Array | None, length: int, fill: float) -> Array:
    if values is None:
        return np.full(length, fill)
    return values


def _currency_codes(
    columns: Sequence[Array],
) -> tuple[tuple[str, ...], list[npt.NDArray[np.int16]]]:
    """The currencies the text ``columns`` name, sorted, and each column's codes (-1: none).

    The table is built from the columns themselves, so every text but ``""`` is in it and
    a binary search finds its position.
    """
    texts_seen = [np.unique(c) for c in columns if c.size]
    table = tuple(sorted({str(v) for u in texts_seen for v in u if v != ""}))
    lookup = np.array(table, dtype=str)
    codes = [
        np.where(column != "", np.searchsorted(lookup, column), -1).astype(np.int16)
        for column in columns
    ]
    return table, codes


def _order_checks(reader: _Reader, later: str, earlier: str, table: str) -> None:
    values = reader.values[table]
    late, early = values.get(later), values.get(earlier)
    if late is None or early is None:
        return
    present = (late != MISSING_MOMENT) & (early != MISSING_MOMENT)
    reader.found.cells(
        table,
        later,
        present & (late < early),
        late.astype("datetime64[us]"),
        f"a moment not before {earlier}",
    )


class _Assembled:
    """The canonical arrays of the three tables, before bad rows are dropped."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Array]] = {t: {} for t in TABLES}
        self.currencies: tuple[str, ...] = ()
        self.lanes: tuple[str, ...] = ()
        self.names: Array | None = None


def _ids_of(reader: _Reader, table: str) -> tuple[Array | None, BoolArray]:
    packed = reader.values[table]["id"]
    length = reader.lengths[table]
    if packed is None:
        return None, np.zeros(length, dtype=bool)
    values, missing = packed[0], packed[1]
    reader.id_order[table] = _duplicates(table, values, missing, reader.found)[1]
    return values, missing


def _assemble(reader: _Reader) -> _Assembled:
    out = _Assembled()
    c, o, i = (reader.values[t] for t in TABLES)
    nc, no, ni = (reader.lengths[t] for t in TABLES)
    customer_ids, _ = _ids_of(reader, "customers")
    order_ids, _ = _ids_of(reader, "orders")
    incident_ids, _ = _ids_of(reader, "incidents")
    order_customer = _reference(reader, "orders", "customer_id", customer_ids, "customers")
    incident_customer = _reference(reader, "incidents", "customer_id", customer_ids, "customers")
    incident_order = _reference(reader, "incidents", "order_id", order_ids, "orders")
    _same_customer(reader, incident_order, incident_customer, order_customer, order_ids)
    for later, earlier, table in (
        ("promised_at", "placed_at", "orders"),
        ("delivered_at", "placed_at", "orders"),
        ("eta", "placed_at", "orders"),
        ("resolved_at", "opened_at", "incidents"),
    ):
        _order_checks(reader, later, earlier, table)
    account = _text(c.get("currency"), nc)  # absent only with the table: no rows then
    currency_columns = [
        account,
        _or_default(c.get("annual_value_currency"), account),
        _or_default(c.get("daily_revenue_currency"), account),
        _or_default(c.get("staff_hourly_cost_currency"), account),
        _text(o.get("currency"), no),
        _or_default(
            i.get("amount_currency"),
            account[np.maximum(incident_customer, 0)] if nc else np.full(ni, "", dtype=str),
        ),
    ]
    out.currencies, codes = _currency_codes(currency_columns)
    lane = o.get("lane")
    lane_codes = np.full(no, -1, dtype=np.int32) if lane is None else lane[0]
    out.lanes = () if lane is None else tuple(lane[1])
    moment = MISSING_MOMENT
    out.tables["customers"] = {
        "id": _id_values(customer_ids, nc),
        "segment": _codes(c.get("segment"), nc, -1),
        "currency": codes[0],
        "annual_value": _filled(c.get("annual_value"), nc, np.nan),
        "annual_value_currency": codes[1],
        "customer_since": _moment(c.get("customer_since"), nc, moment),
        "renewal_at": _moment(c.get("renewal_at"), nc, moment),
        "daily_revenue": _filled(c.get("daily_revenue"), nc, np.nan),
        "daily_revenue_currency": codes[2],
        "gross_margin": _filled(c.get("gross_margin"), nc, np.nan),
        "buffer_days": _filled(c.get("buffer_days"), nc, np.nan),
        "staff_hourly_cost": _filled(c.get("staff_hourly_cost"), nc, np.nan),
        "staff_hourly_cost_currency": codes[3],
        "staff_count": _filled(c.get("staff_count"), nc, np.nan),
        "nps": _filled(c.get("nps"), nc, np.nan),
        "csat": _filled(c.get("csat"), nc, np.nan),
        "open_tickets": _filled(c.get("open_tickets"), nc, np.nan),
        "usage_trend": _filled(c.get("usage_trend"), nc, np.nan),
    }
    out.names = c.get("name")
    out.tables["orders"] = {
        "id": _id_values(order_ids, no),
        "customer": order_customer,
        "placed_at": _moment(o.get("placed_at"), no, moment),
        "promised_at": _moment(o.get("promised_at"), no, moment),
        "value": _filled(o.get("value"), no, np.nan),
        "currency": codes[4],
        "criticality": _filled(o.get("criticality"), no, np.nan),
        "delivered_at": _moment(o.get("delivered_at"), no, moment),
        "eta": _moment(o.get("eta"), no, moment),
        "lane": lane_codes,
    }
    out.tables["incidents"] = {
        "id": _id_values(incident_ids, ni),
        "customer": incident_customer,
        "order": incident_order,
        "kind": _codes(i.get("kind"), ni, -1),
        "opened_at": _moment(i.get("opened_at"), ni, moment),
        "severity": _codes(i.get("severity"), ni, _SEVERITY_MEDIUM),
        "noticed_by": _codes(i.get("noticed_by"), ni, -1),
        "resolved_at": _moment(i.get("resolved_at"), ni, moment),
        "affected_share": _filled(i.get("affected_share"), ni, 1.0),
        "amount": _filled(i.get("amount"), ni, np.nan),
        "amount_currency": codes[5],
        "effort_hours": _filled(i.get("effort_hours"), ni, np.nan),
    }
    return out


def _text(values: Array | None, length: int) -> Array:
    return np.full(length, "", dtype=str) if values is None else values.astype(str)


def _or_default(values: Array | None, default: Array) -> Array:
    if values is None:
        return default
    text = values.astype(str)
    return np.where(text == "", default, text)


def _id_values(values: Array | None, length: int) -> Array:
    return np.zeros(length, dtype=np.int64) if values is None else values


def _codes(values: Array | None, length: int, fill: int) -> Array:
    """An enum column's codes; an absent column or a missing cell (< 0) is ``fill``."""
    if values is None:
        return np.full(length, fill, dtype=np.int8)
    return np.where(values < 0, fill, values).astype(np.int8)


def _moment(values: Array | None, length: int, fill: int) -> Array:
    return np.full(length, fill, dtype=np.int64) if values is None else values


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


# -- dropping -----------------------------------------------------------------------------


def _gather(values: Array, index: npt.NDArray[np.int64], *, fill: Any) -> Array:
    """``values[index]`` where ``index >= 0``, ``fill`` elsewhere (and for an empty table)."""
    if values.size == 0:
        return np.full(index.shape[0], fill, dtype=values.dtype)
    return np.where(index >= 0, values[np.maximum(index, 0)], fill)


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


def _build(
    sources: Mapping[str, object],
    *,
    on_invalid: str,
    unknown: str,
    source: Portfolio | None = None,
    copy: bool = True,
) -> PortfolioColumns:
    problems = []
    if on_invalid not in _ON_INVALID:
        problems.append(Problem("on_invalid", on_invalid, "'raise' or 'drop'"))
    if unknown not in _UNKNOWN:
        problems.append(Problem("unknown", unknown, "'reject' or 'ignore'"))
    copy_given: object = copy  # typed bool, but a host may pass anything
    if not isinstance(copy_given, bool):
        problems.append(Problem("copy", copy_given, "True or False"))
    problems.extend(p for t in TABLES if (p := _not_columns(t, sources[t])) is not None)
    if problems:
        raise ValidationError(problems)
    reader = _Reader()
    for table in TABLES:
        reader.read(table, sources[table], unknown)
    if any(p.row is None for p in reader.found.rows):
        # A column that cannot be read at all: no row can be judged, nothing dropped.
        raise BatchValidationError(_sorted(reader.found.rows))
    assembled = _assemble(reader)
    if reader.found.rows and on_invalid == "raise":
        raise BatchValidationError(_sorted(reader.found.rows))
    bad = _cascade(reader.found, assembled, reader.lengths)
    keep = {t: ~bad[t] for t in TABLES}
    return PortfolioColumns(
        customers=(tables := _tables(assembled, keep, reader.given if copy else ()))["customers"],
        orders=tables["orders"],
        incidents=tables["incidents"],
        currencies=assembled.currencies,
        lanes=assembled.lanes,
        dropped=tuple(_sorted(reader.found.rows)),
        source=source,
    )


def _all_three_tables(source: object) -> TypeGuard[Mapping[str, object]]:
    """Whether ``source`` maps the three table names (and nothing else) to tables."""
    return isinstance(source, Mapping) and set(source) == set(TABLES)


def columns_from_mapping(
    customers: ColumnSource,
    orders: ColumnSource | None = None,
    incidents: ColumnSource | None = None,
    *,
    on_invalid: OnInvalid = "raise",
    unknown: Unknown = "reject",
    copy: bool = True,
) -> PortfolioColumns:
    """Build :class:`PortfolioColumns` from columns: dicts of arrays, DataFrames, anything mapped.

    Each table is a mapping from column name to an array-like of equal length (a
    ``dict``, a pandas DataFrame) or a pyarrow Table (anything with ``column_names``
    and ``column(name)``). Each column is read through ``numpy.asarray``; a
    ``float64``, ``int64`` or ``datetime64[us]`` column is copied once, with no
    conversion: later changes to the caller's arrays do not reach the columns
    (``copy=False`` shares it instead). A list is read cell by cell where numpy would
    make one kind of its values (a ``True`` among numbers is a bad row, not ``1.0``).
    The columns, their encodings and ranges are in
    :data:`~custadvocacy.batch.SCHEMA` and ``docs/batch.md``; references are ids
    (``orders["customer_id"]`` names a customer's ``id``), stored as row numbers.

    Every row is checked as the domain classes check an object. Bad rows are all
    reported in one :class:`~custadvocacy.batch.BatchValidationError` (paths like
    ``incidents.affected_share[17]``), or, with ``on_invalid="drop"``, left out with
    what depends on them, each with its reason in ``dropped``. A column that cannot
    be read at all (text where moments or numbers belong, a wrong length) is always
    an error.

    Args:
        customers: The customers' columns (``{}`` names each required column missing).
        orders: The orders' columns (``None`` or a mapping without columns, such as
            ``{}``: no orders).
        incidents: The incidents' columns (``None`` or ``{}``: no incidents).
        on_invalid: ``"raise"`` (default) or ``"drop"``.
        unknown: A column the schema does not know: ``"reject"`` (default: a typo would
            otherwise go unnoticed) or ``"ignore"``.
        copy: ``True`` (default): the columns own their memory. ``False``: a column whose
            dtype already fits is shared with the caller's array, not copied (half the
            memory for a large extract); the caller must then not change those arrays
            while the columns and their results are in use.

    Returns:
        The checked columns.

    Raises:
        BatchValidationError: Bad rows (with ``on_invalid="raise"``), or a column that
            cannot be read (every problem listed).
        ValidationError: ``on_invalid``, ``unknown`` or ``copy`` is not one of its
            values, or a table is not a mapping of columns (a list of records, say).

    Example:
        >>> import numpy as np
        >>> customers = {
        ...     "id": [1, 2], "segment": ["small", "enterprise"], "currency": ["EUR", "EUR"],
        ...     "annual_value": [120_000.0, 2_000_000.0],
        ... }
        >>> incidents = {
        ...     "id": [10, 11], "customer_id": [1, 2], "kind": ["service_outage", "defect"],
        ...     "opened_at": np.array(["2026-11-16T07:30", "2026-11-18T09:00"], "datetime64[s]"),
        ...     "affected_share": [0.6, 1.5],
        ... }
        >>> columns_from_mapping(customers, None, incidents)
        Traceback (most recent call last):
        ...
        custadvocacy.batch...BatchValidationError: 1 problem in 1 row:
          incidents.affected_share[1]: expected a number from 0 to 1, got 1.5
        >>> kept = columns_from_mapping(customers, None, incidents, on_invalid="drop")
        >>> kept.incidents.rows, [p.path for p in kept.dropped]
        (1, ['incidents.affected_share[1]'])

    .. versionadded:: 0.1.0
    """
    if orders is None and incidents is None and _all_three_tables(customers):
        # columns_from_mapping(tables) for columns_from_mapping(**tables): say so, rather
        # than report "customers", "orders" and "incidents" as unknown customer columns.
        expected = (
            "the customers' columns; this is a mapping of the three tables, "
            "pass it as columns_from_mapping(**tables)"
        )
        raise ValidationError([Problem("customers", sorted(customers), expected)])
    return _build(
        {"customers": customers, "orders": orders, "incidents": incidents},
        on_invalid=on_invalid,
        unknown=unknown,
        copy=copy,
    )


# -- from objects ---------------------------------------------------------------------------


def _money_amounts(values: Sequence[Money | None]) -> tuple[list[float], list[str]]:
    amounts = [np.nan if m is None else float(m.amount) for m in values]
    codes = ["" if m is None else m.currency for m in values]
    return amounts, codes


def _us(values: Iterable[Any]) -> Array:
    ints = [MISSING_MOMENT if v is None else moment_us(v) for v in values]
    return np.array(ints, dtype=np.int64).astype("datetime64[us]")


def _optional(values: Iterable[float | int | None]) -> Array:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _customer_source(customers: Sequence[Customer]) -> dict[str, Any]:
    annual, annual_cur = _money_amounts([c.annual_value for c in customers])
    revenue, revenue_cur = _money_amounts([c.profile.daily_revenue for c in customers])
    wage, wage_cur = _money_amounts([c.profile.staff_hourly_cost for c in customers])
    segments = CATEGORIES["segment"]
    return {
        "id": np.array([c.id for c in customers], dtype=str),
        "name": np.array([c.name for c in customers], dtype=object),
        "segment": np.array([segments.index(c.segment.value) for c in customers], dtype=np.int8),
        "currency": np.array([c.currency for c in customers], dtype=str),
        "annual_value": np.array(annual, dtype=np.float64),
        "annual_value_currency": np.array(annual_cur, dtype=str),
        "customer_since": _us(c.customer_since for c in customers),
        "renewal_at": _us(c.renewal_at for c in customers),
        "daily_revenue": np.array(revenue, dtype=np.float64),
        "daily_revenue_currency": np.array(revenue_cur, dtype=str),
        "gross_margin": _optional(c.profile.gross_margin for c in customers),
        "buffer_days": _optional(c.profile.buffer_days for c in customers),
        "staff_hourly_cost": np.array(wage, dtype=np.float64),
        "staff_hourly_cost_currency": np.array(wage_cur, dtype=str),
        "staff_count": _optional(c.profile.staff_count for c in customers),
        "nps": _optional(c.health.nps for c in customers),
        "csat": _optional(c.health.csat for c in customers),
        "open_tickets": _optional(c.health.open_tickets for c in customers),
        "usage_trend": _optional(c.health.usage_trend for c in customers),
    }


def _order_source(orders: Sequence[Order]) -> dict[str, Any]:
    values, value_cur = _money_amounts([o.value for o in orders])
    return {
        "id": np.array([o.id for o in orders], dtype=str),
        "customer_id": np.array([o.customer_id for o in orders], dtype=str),
        "placed_at": _us(o.placed_at for o in orders),
        "promised_at": _us(o.promised_at for o in orders),
        "value": np.array(values, dtype=np.float64),
        "currency": np.array(value_cur, dtype=str),
        "criticality": _optional(o.criticality for o in orders),
        "delivered_at": _us(o.delivered_at for o in orders),
        "eta": _us(o.eta for o in orders),
        "lane": np.array(["" if o.lane is None else o.lane for o in orders], dtype=str),
    }


def _incident_source(incidents: Sequence[Incident]) -> dict[str, Any]:
    amounts, amount_cur = _money_amounts([i.amount for i in incidents])
    kinds, severities, noticed = (CATEGORIES[n] for n in ("kind", "severity", "noticed_by"))
    return {
        "id": np.array([i.id for i in incidents], dtype=str),
        "customer_id": np.array([i.customer_id for i in incidents], dtype=str),
        "kind": np.array([kinds.index(i.kind.value) for i in incidents], dtype=np.int8),
        "opened_at": _us(i.opened_at for i in incidents),
        "severity": np.array(
            [severities.index(i.severity.value) for i in incidents], dtype=np.int8
        ),
        "noticed_by": np.array(
            [-1 if i.noticed_by is None else noticed.index(i.noticed_by.value) for i in incidents],
            dtype=np.int8,
        ),
        "order_id": np.array(
            ["" if i.order_id is None else i.order_id for i in incidents], dtype=str
        ),
        "resolved_at": _us(i.resolved_at for i in incidents),
        "affected_share": np.array([i.affected_share for i in incidents], dtype=np.float64),
        "amount": np.array(amounts, dtype=np.float64),
        "amount_currency": np.array(amount_cur, dtype=str),
        "effort_hours": _optional(i.effort_hours for i in incidents),
    }


def columns_from_objects(portfolio: Portfolio) -> PortfolioColumns:
    """Build :class:`PortfolioColumns` from a :class:`~custadvocacy.Portfolio`'s objects.

    The objects are already valid; the columns keep a reference to ``portfolio`` so
    that :meth:`BatchResult.to_assessments` gives back the very objects. Text ids are
    kept as text.

    Args:
        portfolio: Customers with their orders and incidents.

    Returns:
        The columns, one row per object, in the portfolio's order.

    Raises:
        ValidationError: ``portfolio`` is not a Portfolio.

    Example:
        >>> from custadvocacy.examples import example_portfolio
        >>> columns = columns_from_objects(example_portfolio())
        >>> columns.incidents["kind"][:3], columns.lanes
        (array([0, 4, 3], dtype=int8), ('DE-CZ road', 'NL-DE road', 'UK parcel'))

    .. versionadded:: 0.1.0
    """
    given: object = portfolio
    if not isinstance(given, Portfolio):
        raise ValidationError([Problem("portfolio", given, "a Portfolio")])
    sources = {
        "customers": _customer_source(portfolio.customers),
        "orders": _order_source(portfolio.orders),
        "incidents": _incident_source(portfolio.incidents),
    }
    return _build(sources, on_invalid="raise", unknown="reject", source=portfolio)
