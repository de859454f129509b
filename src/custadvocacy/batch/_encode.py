"""Reading one column of a caller's batch: encodings in, canonical arrays out, bad rows noted.

Each reader takes a 1-d column as the intake's ``column_array`` made it of whatever
array-like the caller gave (a list, a numpy array, a pandas or pyarrow column turned into
numpy by ``numpy.asarray``; a scalar as one row), reads it without a conversion copy
when its dtype already fits (the intake copies such a column once, at the end), and
records a :class:`RowProblem` for every bad row: nothing is coerced silently. Object
arrays (mixed Python values) are read element by element, the slow path; typed arrays
are read with vector operations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from custadvocacy._checks import MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_YEAR, MIN_YEAR, number_text
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy.batch._errors import ColumnKind, RowProblem
from custadvocacy.batch._schema import CATEGORIES, MISSING_MOMENT, ColumnSpec

__all__ = [
    "MAX_MOMENT_US",
    "MIN_MOMENT_US",
    "Collector",
    "all_text",
    "categories",
    "currencies",
    "ids",
    "is_integer",
    "is_missing",
    "labels",
    "moment_us",
    "moments",
    "numbers",
    "text_rank",
    "texts",
]

Array = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)
# A moment's year is checked in its own time zone on the object path; here in UTC, so
# the bounds give a day either side for the offsets that move a moment across a year.
MIN_MOMENT_US: Final = (datetime(MIN_YEAR, 1, 1, tzinfo=UTC) - _EPOCH) // _US - 86_400_000_000
MAX_MOMENT_US: Final = (datetime(MAX_YEAR + 1, 1, 1, tzinfo=UTC) - _EPOCH) // _US + 86_400_000_000
_MOMENT_EXPECTED: Final = f"a moment between the years {MIN_YEAR} and {MAX_YEAR}"
_UNITS: Final = frozenset({"D", "h", "m", "s", "ms", "us", "ns"})
_MISSING_NAMES: Final = frozenset({"NAType", "NaTType"})
_POWERS: Final = np.array([10**k for k in range(1, 20)], dtype=np.uint64)


class Collector:
    """The bad rows (and bad columns) found while reading one input, in the order found."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: list[RowProblem] = []

    def column(self, table: str, column: str, value: object, expected: str) -> None:
        """Note a problem with a whole column."""
        self.rows.append(
            RowProblem(table=table, row=None, column=column, value=value, expected=expected)
        )

    def cells(
        self, table: str, column: str, mask: npt.NDArray[np.bool_], values: Array, expected: str
    ) -> None:
        """Note every row where ``mask`` is set, showing ``values[row]``."""
        for row in np.flatnonzero(mask):
            self.rows.append(
                RowProblem(
                    table=table,
                    row=int(row),
                    column=column,
                    value=_shown(values[row]),
                    expected=expected,
                )
            )


def _shown(value: object) -> object:
    """A numpy scalar as the plain Python value a message shows; a datetime64 as it is.

    ``item()`` of a datetime64 is an int for nanoseconds and a naive datetime otherwise:
    neither reads as the moment the caller gave (``np.datetime64('2026-10-31T09:00')``).
    """
    if isinstance(value, np.generic) and not isinstance(value, np.datetime64):
        return value.item()
    return value


def is_missing(value: object) -> bool:
    """Whether an element of an object column stands for "none".

    ``None``, a float NaN, an empty string, and pandas' ``NA`` and ``NaT`` (recognised
    by type name: the library never imports pandas).
    """
    if value is None or (isinstance(value, str) and value == ""):
        return True
    if isinstance(value, float | np.floating) and math.isnan(value):
        return True
    return type(value).__name__ in _MISSING_NAMES


def is_integer(value: object) -> bool:
    """Whether an element of an object column is an integer, Python's or numpy's.

    Not a bool, nor a ``timedelta64``, which numpy counts among its integers.

    Example:
        >>> is_integer(np.int8(3)), is_integer(True), is_integer(np.timedelta64(3, "D"))
        (True, False, False)
    """
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.timedelta64)


# -- moments ------------------------------------------------------------------------


def moment_us(value: datetime) -> int:
    """Microseconds from 1970-01-01 UTC to the aware ``value``.

    Example:
        >>> moment_us(datetime(1970, 1, 2, tzinfo=UTC))
        86400000000
    """
    return (value - _EPOCH) // _US


def _moments_of_objects(
    values: Array, spec: ColumnSpec, found: Collector
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    out = np.full(values.shape[0], MISSING_MOMENT, dtype=np.int64)
    naive = np.zeros(values.shape[0], dtype=bool)
    other = np.zeros(values.shape[0], dtype=bool)
    for row, value in enumerate(values):
        if is_missing(value):
            continue
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                naive[row] = True
            else:
                out[row] = moment_us(value)
        elif isinstance(value, np.datetime64) and np.datetime_data(value.dtype)[0] in _UNITS:
            out[row] = int(value.astype("datetime64[us]").astype(np.int64))
        else:
            other[row] = True
    found.cells(
        spec.table,
        spec.name,
        naive,
        values,
        "a timezone-aware datetime (a naive one says nothing of its time zone)",
    )
    found.cells(
        spec.table,
        spec.name,
        other,
        values,
        "a timezone-aware datetime or a datetime64 with a unit",
    )
    return out, naive | other


def _moments_of_datetime64(values: Array, spec: ColumnSpec, found: Collector) -> IntArray | None:
    unit = np.datetime_data(values.dtype)[0]
    if unit not in _UNITS:
        found.column(
            spec.table,
            spec.name,
            str(values.dtype),
            "datetime64 with a unit from days to nanoseconds (read as UTC)",
        )
        return None
    if unit == "us":
        return values.view(np.int64)  # no copy: the stored encoding already
    if unit != "ns":
        return values.astype("datetime64[us]").view(np.int64)
    nanos = values.view(np.int64)
    missing = nanos == MISSING_MOMENT
    found.cells(
        spec.table,
        spec.name,
        (nanos % 1000 != 0) & ~missing,
        values,
        "a moment on a whole microsecond (the resolution of the object path's datetimes)",
    )
    return np.where(missing, MISSING_MOMENT, nanos // 1000)


_MOMENT_WORDS: Final = "datetime64 with an explicit unit (read as UTC) or timezone-aware datetimes"


def _why_not(kind: str) -> str:
    """Why a column of numpy ``kind`` is not read as moments, and what to do instead."""
    if kind in "US":
        # ISO text may carry its offset, but reading it cell by cell would be slow, and
        # text without one says nothing of the zone: the caller converts it once.
        return (
            "; text is not read as moments: convert it first, e.g. "
            "pandas.to_datetime(column, utc=True)"
        )
    if kind == "b":
        return "; booleans are no moments"
    return "; numbers say nothing of the unit or the time zone"


def all_text(values: Array) -> str | None:
    """The first text of an object column whose every cell is text or missing, else None.

    Such a column (a pandas column read from a CSV) is one problem with the whole column,
    whatever kind it stands for, not a bad row per cell.

    Example:
        >>> all_text(np.array(["", "12.5", None], dtype=object))
        '12.5'
        >>> all_text(np.array([1, "2"], dtype=object)) is None  # a number among them
        True
    """
    first = None
    for value in values:
        if isinstance(value, str) and value:
            first = value if first is None else first
        elif not is_missing(value):
            return None
    return first


def moments(values: object, spec: ColumnSpec, found: Collector) -> IntArray | None:
    """Read a moment column into ``int64`` microseconds since the epoch (UTC).

    Returns ``None`` (and notes the column) when the encoding is not a moment's.
    """
    array = np.asarray(values)
    kind = array.dtype.kind
    bad = np.zeros(array.shape[0], dtype=bool)
    if kind == "M":
        result = _moments_of_datetime64(array, spec, found)
    elif kind == "O":
        example = all_text(array)
        if example is not None:  # pandas' text column (a CSV's dates): one problem, not each cell
            shown = ColumnKind.of(array.dtype, example=example)
            found.column(spec.table, spec.name, shown, _MOMENT_WORDS + _why_not("U"))
            return None
        result, bad = _moments_of_objects(array, spec, found)
    else:
        found.column(spec.table, spec.name, str(array.dtype), _MOMENT_WORDS + _why_not(kind))
        return None
    if result is None:
        return None
    missing = result == MISSING_MOMENT
    if spec.required:
        found.cells(
            spec.table, spec.name, missing & ~bad, array, "a moment (the column is required)"
        )
    found.cells(
        spec.table,
        spec.name,
        ~missing & ((result < MIN_MOMENT_US) | (result > MAX_MOMENT_US)),
        array,
        _MOMENT_EXPECTED,
    )
    return result


# -- numbers ------------------------------------------------------------------------


def _number_words(spec: ColumnSpec) -> str:
    kind = "a whole number" if spec.encoding == "whole" else "a number"
    if spec.encoding == "amount":
        kind = "an amount"
    return f"{kind} from {number_text(spec.low)} to {number_text(spec.high)}"


def _numbers_of_objects(
    values: Array, spec: ColumnSpec, found: Collector
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """The numbers of an object column (NaN where none or bad) and the bad rows, noted."""
    out = np.full(values.shape[0], np.nan)
    bad = np.zeros(values.shape[0], dtype=bool)
    for row, value in enumerate(values):
        if is_missing(value):
            continue
        if not (is_integer(value) or isinstance(value, float | Decimal | np.floating)) or (
            isinstance(value, Decimal) and value.is_nan()  # float() of a signalling one raises
        ):
            bad[row] = True
            continue
        try:
            out[row] = float(value)
        except OverflowError:  # an int beyond any float: out of every range
            bad[row] = True
    found.cells(spec.table, spec.name, bad, values, _number_words(spec))
    return out, bad


def numbers(values: object, spec: ColumnSpec, found: Collector) -> FloatArray | None:
    """Read a number column into ``float64`` (NaN: none), noting every bad row."""
    array = np.asarray(values)
    kind = array.dtype.kind
    bad = np.zeros(array.shape[0], dtype=bool)  # noted already: reported once, not as none
    if kind == "f" or kind in "iu":
        floats: FloatArray = array.astype(np.float64, copy=False)
    elif kind == "O":
        floats, bad = _numbers_of_objects(array, spec, found)
    else:
        found.column(spec.table, spec.name, str(array.dtype), "numbers (not booleans or text)")
        return None
    missing = np.isnan(floats)
    if spec.required or spec.default is not None:
        # A column with a default has no "none" in the object model: NaN is no value.
        required = f"{_number_words(spec)} (required)"
        found.cells(spec.table, spec.name, missing & ~bad, array, required)
    with np.errstate(invalid="ignore"):
        out_of_range = ~missing & ~((floats >= spec.low) & (floats <= spec.high))
        if spec.encoding == "whole":
            out_of_range |= ~missing & (np.floor(floats) != floats)
    found.cells(spec.table, spec.name, out_of_range, array, _number_words(spec))
    return floats


# -- categories, currencies, labels, text -------------------------------------------------


def _codes_of_text(
    array: Array, known: Sequence[str]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Codes of text values (-1 for none), the missing mask and the unknown mask."""
    lookup = {value: code for code, value in enumerate(known)}
    if array.dtype.kind == "O":
        codes = np.full(array.shape[0], -1, dtype=np.int64)
        missing = np.zeros(array.shape[0], dtype=bool)
        unknown = np.zeros(array.shape[0], dtype=bool)
        for row, value in enumerate(array):
            if is_missing(value):
                missing[row] = True
            elif isinstance(value, str) and value in lookup:
                codes[row] = lookup[value]
            else:
                unknown[row] = True
        return codes, missing, unknown
    # The few distinct values (hashed, no sort of the column), each row's by binary search.
    uniques = np.unique(array)
    table = np.array([lookup.get(str(u), -1) for u in uniques], dtype=np.int64)
    codes = table[np.searchsorted(uniques, array)] if uniques.size else np.zeros(0, np.int64)
    missing = array == ""
    return codes, missing, (codes < 0) & ~missing


def categories(values: object, spec: ColumnSpec, found: Collector) -> npt.NDArray[np.int8] | None:
    """Read a category column into ``int8`` codes (``-1``: none)."""
    known = CATEGORIES[spec.name]
    array = np.asarray(values)
    kind = array.dtype.kind
    words = f"one of {', '.join(repr(k) for k in known)} (or its code 0-{len(known) - 1})"
    if kind in "iu":
        codes = array.astype(np.int64, copy=False)
        missing = codes == -1
        unknown = ~missing & ((codes < 0) | (codes >= len(known)))
    elif kind in "UO":
        codes, missing, unknown = _codes_of_text(array, known)
    else:
        found.column(spec.table, spec.name, str(array.dtype), words)
        return None
    if spec.required or spec.default is not None:
        # A required category must be there; a defaulted one is only "none" when absent.
        found.cells(spec.table, spec.name, missing, array, words)
    found.cells(spec.table, spec.name, unknown, array, words)
    return codes.astype(np.int8)


_CURRENCY_CODES: Final = tuple(MINOR_UNITS)
_CURRENCY_TEXT: Final = np.array(_CURRENCY_CODES, dtype=str)


def currencies(values: object, spec: ColumnSpec, found: Collector) -> Array | None:
    """Read a currency column: each row's code as text (``""``: none or refused).

    The text is built from the codes, not from the caller's cells: ``str()`` of a refused
    cell can raise (an integer of more than 4,300 digits).
    """
    array = np.asarray(values)
    if array.dtype.kind not in "UO":
        found.column(spec.table, spec.name, str(array.dtype), "ISO 4217 codes as text")
        return None
    codes, missing, unknown = _codes_of_text(array, _CURRENCY_CODES)
    found.cells(spec.table, spec.name, unknown, array, "an ISO 4217 code such as 'EUR'")
    if spec.required:
        found.cells(spec.table, spec.name, missing, array, "an ISO 4217 code (required)")
    return np.where(codes >= 0, _CURRENCY_TEXT[codes], "")


def labels(values: object, spec: ColumnSpec, found: Collector) -> tuple[Array, tuple[str, ...]]:
    """Read a label column into ``int32`` codes into the returned labels (``-1``: none)."""
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind in "iu":
        text = array.astype(str)
        missing = array < 0
    elif kind == "U":
        text = array
        missing = array == ""
    elif kind == "O":
        # Each cell as a column of its kind reads it: a negative integer is none, as in an
        # integer column; a bool is no key, as a bool column is not.
        missing = np.array([is_missing(v) or (is_integer(v) and v < 0) for v in array], dtype=bool)
        bad = np.array(
            [
                not m and not (isinstance(v, str) or is_integer(v))
                for v, m in zip(array, missing, strict=True)
            ],
            dtype=bool,
        )
        found.cells(spec.table, spec.name, bad, array, "a lane key (text or an integer)")
        text = np.array(
            ["" if m or b else _key_text(v) for v, m, b in zip(array, missing, bad, strict=True)],
            dtype=str,
        )
        missing |= bad
    else:
        found.column(spec.table, spec.name, str(array.dtype), "lane keys (text or integers)")
        return np.full(array.shape[0], -1, dtype=np.int32), ()
    text = text.astype(str, copy=False)
    if text.dtype.itemsize // 4 > MAX_ID_LENGTH:  # no text this wide: nothing is too long
        found.cells(
            spec.table,
            spec.name,
            ~missing & (np.char.str_len(text) > MAX_ID_LENGTH),
            array,
            f"a lane key of at most {MAX_ID_LENGTH} characters",
        )
    # The few distinct lanes (hashed, no sort of the column), then each row's code by a
    # binary search among them: the codes np.unique(..., return_inverse=True) gives.
    uniques = np.unique(text[~missing])
    names = tuple(str(u) for u in uniques)
    position = np.searchsorted(uniques, text) if uniques.size else np.zeros(text.shape[0])
    return np.where(missing, -1, position).astype(np.int32), names


_LONGEST_INTEGER_KEY: Final = 10**MAX_ID_LENGTH  # the first integer of too many digits


def _key_text(key: str | int | np.integer[Any]) -> str:
    """A lane key's text; for an integer of more digits than a key may have, a text too long.

    ``str`` raises ValueError for an integer past 4,300 digits; the length check that
    follows then refuses the row, naming the caller's value.
    """
    if isinstance(key, str):
        return key
    if key >= _LONGEST_INTEGER_KEY:
        return "0" * (MAX_ID_LENGTH + 1)
    return str(key)


def texts(values: object, spec: ColumnSpec, found: Collector) -> Array:
    """Read a text column (names), noting blank or over-long values."""
    array = np.asarray(values)
    if array.dtype.kind not in "UO":
        found.column(spec.table, spec.name, str(array.dtype), "text")
        return array
    bad = np.array(
        [not isinstance(v, str) or not v.strip() or len(v) > MAX_NAME_LENGTH for v in array],
        dtype=bool,
    )
    found.cells(
        spec.table,
        spec.name,
        bad,
        array,
        f"a non-empty text of at most {MAX_NAME_LENGTH} characters",
    )
    return array


# -- ids ----------------------------------------------------------------------------------

_INT64_HIGH: Final = int(np.iinfo(np.int64).max)
_ID_WORDS: Final = (
    f"an id: an integer >= 0 or a non-empty text of at most {MAX_ID_LENGTH} characters"
)


def _ids_of_objects(
    array: Array, *, optional: bool
) -> tuple[Array, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """An object column of ids: text ids if any value is text, else integer ids.

    Returns the ids (text, or ``int64`` with -1 where none), the rows with none (in an
    optional reference: ``None``, NaN, an empty text, -1, pandas' ``NA``), and the bad
    rows: in a text column every other value; in an integer column every value that is
    not an integer from 0 to the int64 maximum (a bool, a float, a negative or huge int).
    """
    values = list(array)
    integer = [is_integer(v) for v in values]
    missing = np.array(
        [
            optional and (is_missing(v) or (i and int(v) == -1))
            for v, i in zip(values, integer, strict=True)
        ],
        dtype=bool,
    )
    text = np.array([isinstance(v, str) for v in values], dtype=bool) & ~missing
    if text.any() or missing.all():  # text ids, or no id at all: a text column
        out: Array = np.array(["" if not t else v for v, t in zip(values, text, strict=True)])
        return out.astype(str), missing, ~missing & ~text
    # An int beyond int64 is no id an int64 column can hold: a bad row, not an overflow.
    good = np.array(
        [
            i and not m and 0 <= int(v) <= _INT64_HIGH
            for v, i, m in zip(values, integer, missing, strict=True)
        ],
        dtype=bool,
    )
    out = np.array([int(v) if g else -1 for v, g in zip(values, good, strict=True)], np.int64)
    return out, missing, ~missing & ~good


def ids(
    values: object, spec: ColumnSpec, found: Collector
) -> tuple[Array, npt.NDArray[np.bool_]] | None:
    """Read an id or reference column: ``int64`` or text, and the mask of rows with none.

    A reference may be none (an incident without an order): ``-1``, NaN, ``None`` or
    an empty text. An id may not.
    """
    optional = not spec.required
    array = np.asarray(values)
    kind = array.dtype.kind
    bad = np.zeros(array.shape[0], dtype=bool)
    if kind in "iu":
        out: Array = array.astype(np.int64, copy=False)
        missing = (out == -1) if optional else np.zeros(out.shape[0], dtype=bool)
        bad = ~missing & (out < 0)
    elif kind == "f":  # a pandas column of integer ids, NaN where one is missing
        nan = np.isnan(array)
        missing = nan if optional else np.zeros(array.shape[0], dtype=bool)
        with np.errstate(invalid="ignore"):
            bad = ~nan & ((array < 0) | (np.floor(array) != array) | (array >= 2.0**63))
        bad |= nan & ~missing  # a required one: that row is bad, not the whole column
        out = np.where(nan | bad, -1, array).astype(np.int64)
    elif kind == "U":
        out = array
        missing = (array == "") if optional else np.zeros(array.shape[0], dtype=bool)
    elif kind == "O":
        out, missing, bad = _ids_of_objects(array, optional=optional)
    else:
        found.column(spec.table, spec.name, str(array.dtype), "ids: integers >= 0 or text")
        return None
    if out.dtype.kind == "U":
        stripped_empty = np.char.str_len(np.char.strip(out)) == 0
        bad |= ~missing & (stripped_empty | (np.char.str_len(out) > MAX_ID_LENGTH))
    found.cells(spec.table, spec.name, bad, array, _ID_WORDS)
    return out, missing | bad


def text_rank(values: Array) -> IntArray:
    """Rank of each id in the order the object path sorts ids: as text (``"10" < "9"``).

    Integers are ranked by their decimal text without building it: left-aligned to 19
    digits, shorter first on a tie (a prefix sorts first).

    Example:
        >>> text_rank(np.array([9, 10, 1, 100]))
        array([3, 1, 0, 2])
        >>> text_rank(np.array(["b", "a"]))
        array([1, 0])
    """
    if values.dtype.kind == "U":
        order = np.argsort(values, kind="stable")
    else:
        unsigned = np.maximum(values, 0).astype(np.uint64)
        digits = np.searchsorted(_POWERS, unsigned, side="right") + 1
        if values.size and int(unsigned.max()) < _POWERS[17]:
            # Ids below 10**18 (every practical one): left-aligned to 18 digits, times 18,
            # plus the digit count - 1, stays below 2**64: one key, one sort.
            aligned = unsigned * (_POWERS[17] // _POWERS[digits - 1])
            order = np.argsort(
                aligned * np.uint64(18) + (digits - 1).astype(np.uint64), kind="stable"
            )
        else:
            aligned = unsigned * (_POWERS[-1] // _POWERS[digits - 1])  # < 10**19: no overflow
            order = np.lexsort((digits, aligned))
    rank = np.empty(values.shape[0], dtype=np.int64)
    rank[order] = np.arange(values.shape[0], dtype=np.int64)
    return rank
