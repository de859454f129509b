"""Reading a caller's tables: each column through ``numpy.asarray``, by its encoding.

A mapping or DataFrame is read by ``keys`` and ``[]``, a pyarrow-like table by
``column_names`` and ``column``; a column numpy would coerce (a bool among numbers) is read
cell by cell. Problems are noted in the reader's :class:`Collector`, nothing raised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Protocol

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._checks import counted
from custadvocacy._convert._unknown import Ignore, ignored
from custadvocacy._errors import REQUIRED_COLUMN, Problem
from custadvocacy.batch._encode import (
    Collector,
    all_text,
    categories,
    currencies,
    ids,
    labels,
    moments,
    numbers,
    texts,
)
from custadvocacy.batch._errors import ColumnKind, RowProblem
from custadvocacy.batch._schema import MISSING_MOMENT, SCHEMA, TABLES, ColumnSpec

# Microseconds in a pandas datetime unit coarser than one, and the most a moment may hold.
_PER_MICROSECOND: Final = {"s": 1_000_000, "ms": 1_000, "us": 1}
_MAX_US: Final = np.iinfo(np.int64).max

Array = npt.NDArray[Any]
BoolArray = npt.NDArray[np.bool_]

_SPECS: Final = {t: tuple(s for s in SCHEMA if s.table == t) for t in TABLES}

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
        # Each table's ids in stable sort order, found once by the duplicate check, and
        # the rows whose id another row has too.
        self.id_order: dict[str, npt.NDArray[np.intp]] = {}
        self.id_repeat: dict[str, BoolArray] = {}

    def read(self, table: str, source: object, ignore: Ignore) -> None:
        """Read ``table``'s columns from ``source`` by encoding (``None``: an empty table).

        ``source`` is ``None`` or a table of columns (``_column_access`` finds them).
        """
        access = None if source is None else _column_access(source)
        if access is not None and not access[0] and table in _MAY_BE_EMPTY:
            access = None  # {} or a DataFrame without columns: no rows, as None
        given: dict[str, Array] = {}
        unread: set[str] = set()
        as_given: dict[str, Any] = {}
        if access is not None:
            given, unread, as_given = _columns_of(table, *access, ignore, self.found)
        length = table_length(table, given, self.found)
        self.given.extend(given.values())
        self.lengths[table] = length
        for spec in _SPECS[table]:
            raw = given.get(spec.name)
            if raw is None:
                if spec.required and access is not None and spec.name not in unread:
                    self.found.column(table, spec.name, None, REQUIRED_COLUMN)
                self.values[table][spec.name] = None
                continue
            read = _read_column(spec, raw, self.found, as_given.get(spec.name))
            self.values[table][spec.name] = read


def _columns_of(
    table: str, names: list[str], column: Callable[[str], Any], ignore: Ignore, found: Collector
) -> tuple[dict[str, Array], set[str], dict[str, Any]]:
    """The known columns as arrays, the names not readable, the converted ones as given.

    The third: the caller's own values of a column converted on the way (a timezone-aware
    pandas column), shown in its messages. A name given twice (a pyarrow Table or a
    DataFrame may hold two ``id`` columns) is not read: which of the two is meant is not
    for the intake to guess.
    """
    known = {s.name for s in _SPECS[table]}
    moments_named = {s.name for s in _SPECS[table] if s.encoding == "moment"}
    counts = Counter(names)
    out: dict[str, Array] = {}
    unread: set[str] = set()
    as_given: dict[str, Any] = {}
    for name in counts:  # each name once, in the order given
        if name not in known:
            if not ignored(name, ignore):
                expected = (
                    f"one of the columns {', '.join(sorted(known))} (a column of your own: "
                    f"unknown={{{name!r}}} ignores it)"
                )
                found.column(table, name, name, expected)
            continue
        if counts[name] > 1:
            found.column(table, name, f"{counts[name]} columns", "one column of that name")
            unread.add(name)
            continue
        values = column(name)
        given = getattr(values, "array", None)  # positional: a Timestamp in its zone, NaT
        aware = _aware_pandas_moments(values) if name in moments_named else None
        if aware is not None and given is not None:
            out[name] = aware
            as_given[name] = given
            continue
        array = column_array(table, name, values, found)
        if array is None:
            unread.add(name)
        else:
            out[name] = array
    return out, unread, as_given


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


def _aware_pandas_moments(values: object) -> Array | None:
    """A pandas column of timezone-aware moments as ``datetime64[us]`` in UTC.

    numpy makes such a column an object array of Timestamps, read one at a time (7 us
    each: half a minute for a warehouse extract). Read at once, it gives what the cells
    give: each moment floored to its microsecond (as a ``datetime`` holds it), NaT missing.
    ``None`` for anything else, for a moment too far out for microseconds and for a
    column pandas cannot convert: the cells decide.
    """
    dtype: Any = getattr(values, "dtype", None)
    # pandas' own DatetimeTZDtype, or a pyarrow timestamp with a zone (read_parquet's
    # pyarrow backend); a DatetimeIndex or anything else is read cell by cell.
    zone = getattr(dtype, "tz", None) or getattr(getattr(dtype, "pyarrow_dtype", None), "tz", None)
    if zone is None or not hasattr(values, "dt"):
        return None
    series: Any = values
    try:
        naive = np.asarray(series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy())
    except Exception:  # noqa: BLE001 - a host's look-alike: read its cells as any other's
        return None
    if naive.dtype.kind != "M" or naive.ndim != 1:
        return None
    unit = np.datetime_data(naive.dtype)[0]
    missing = np.isnat(naive)
    counts = naive.view(np.int64)
    if unit == "ns":
        micros = counts // 1000
    elif unit in _PER_MICROSECOND:
        per = _PER_MICROSECOND[unit]
        if np.any((np.abs(counts) > _MAX_US // per) & ~missing):
            return None
        micros = counts * per
    else:
        return None
    return np.where(missing, MISSING_MOMENT, micros).view("datetime64[us]")


def _kinds_merged(values: object, array: Array) -> bool:
    """Whether numpy made a list of several kinds of value into one kind of column.

    A bool among numbers becomes 1.0 (or 0), a number or a NaN among texts becomes
    ``'5'`` or ``'nan'``: read cell by cell instead, each of those is a bad row, named.
    (A text among moments stays one: numpy makes that list an object column.)
    """
    if not isinstance(values, list | tuple) or array.ndim != 1:
        return False
    kind = array.dtype.kind
    if kind == "U":
        return not all(isinstance(v, str) for v in values)
    if kind in "iufc":
        return any(isinstance(v, bool | np.bool_) for v in values)
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


def _read_column(spec: ColumnSpec, raw: Array, found: Collector, as_given: Any = None) -> Any:
    """``raw`` read by its encoding; a message shows ``as_given[row]`` when given.

    ``as_given``: the caller's values where ``raw`` is a conversion of them (the moments
    of a timezone-aware pandas column in UTC): a message shows what the caller gave.
    """
    if raw.ndim != 1:
        return None
    first = len(found.rows)
    if spec.encoding in _NUMBER_ENCODINGS and raw.dtype.kind == "O":
        read = _numbers_of_python_values(raw, spec, found)
    else:
        read = _READERS[spec.encoding](raw, spec, found)
    if as_given is not None:
        found.rows[first:] = [
            p if p.row is None else attrs.evolve(p, value=as_given[p.row])
            for p in found.rows[first:]
        ]
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
    example = all_text(raw)
    if example is not None:
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
