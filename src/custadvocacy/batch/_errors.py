"""Bad rows of a batch: :class:`RowProblem` and the grouped :class:`BatchValidationError`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Self

import attrs
import numpy as np

from custadvocacy._checks import counted
from custadvocacy._errors import Problem, ValidationError, short_repr
from custadvocacy._listing import SHOWN, listing

__all__ = ["BatchValidationError", "ColumnKind", "RowProblem"]

_SHOWN: Final = 50  # lines of the message; every problem stays in .rows and .problems
# More problems than this of one column and one kind share a line: a whole column of text
# ids against whole-number ones is one line, not 50 of 400,000 alike.
_EACH: Final = 3
_HOLDS: Final = {"U": "text", "S": "bytes", "b": "booleans"}


class ColumnKind(str):
    """The value of a whole-column problem: the dtype's name, shown as what the column holds.

    A ``str`` equal to the numpy dtype's name (``'<U9'``), as the value of every column of
    the wrong kind is, for a program to compare; its repr, the one a message shows, says
    what that dtype holds: ``got '<U9'`` reads as a typo, ``got a column of text`` does not.

    Example:
        >>> kind = ColumnKind.of(np.dtype("<U9"))
        >>> kind == "<U9", kind
        (True, a column of text (numpy dtype <U9))
        >>> ColumnKind.of(np.dtype(object), example="228176.24")
        a column of text such as '228176.24' (numpy dtype object)

    .. versionadded:: 0.1.0
    """

    __slots__ = ("shown",)
    shown: str

    def __new__(cls, name: str, shown: str = "") -> Self:
        """A dtype's ``name``, shown as ``shown`` (the name itself when empty)."""
        kind = super().__new__(cls, name)
        kind.shown = shown or name
        return kind

    @classmethod
    def of(cls, dtype: np.dtype[Any], *, example: str | None = None) -> ColumnKind:
        """``dtype``'s name, shown as what it holds (text: the ``example`` cell, if given).

        Example:
            >>> ColumnKind.of(np.dtype(bool))
            a column of booleans (numpy dtype bool)
        """
        name = str(dtype)
        holds = "text" if example is not None else _HOLDS.get(dtype.kind, f"{name} values")
        such_as = "" if example is None else f" such as {short_repr(example)}"
        return cls(name, f"a column of {holds}{such_as} (numpy dtype {name})")

    def __repr__(self) -> str:
        return self.shown

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.shown))


@attrs.frozen(kw_only=True)
class RowProblem:
    """One bad cell of a batch: the table, the caller's row number, the column, why.

    Attributes:
        table: ``"customers"``, ``"orders"`` or ``"incidents"``.
        row: The row's position in the caller's input (0-based), or ``None`` for a
            problem with the whole column (a wrong encoding, a wrong length).
        column: The column's name.
        value: The value found there (shown shortened).
        expected: What would have been accepted, in words.

    Example:
        >>> problem = RowProblem(
        ...     table="incidents", row=17, column="affected_share", value=1.5,
        ...     expected="a number from 0 to 1",
        ... )
        >>> problem.path
        'incidents.affected_share[17]'
        >>> print(problem.as_problem())
        incidents.affected_share[17]: expected a number from 0 to 1, got 1.5

    .. versionadded:: 0.1.0
    """

    table: str
    row: int | None
    column: str
    value: Any = attrs.field(repr=short_repr)
    expected: str

    @property
    def path(self) -> str:
        """``table.column[row]`` (``table.column`` for a whole column).

        Example:
            >>> RowProblem(table="orders", row=None, column="eta", value="x",
            ...            expected="datetime64").path
            'orders.eta'
        """
        where = f"{self.table}.{self.column}"
        return where if self.row is None else f"{where}[{self.row}]"

    def as_problem(self) -> Problem:
        """Return it as a :class:`~custadvocacy.Problem` with :attr:`path`.

        Example:
            >>> RowProblem(table="orders", row=2, column="value", value=-1.0,
            ...            expected="an amount >= 0").as_problem().path
            'orders.value[2]'
        """
        return Problem(self.path, self.value, self.expected)


def _where(rows: tuple[RowProblem, ...]) -> str:
    """Where the problems are: ``"2 rows"``, ``"1 column"``, ``"2 rows and 1 column"``."""
    cells = {(r.table, r.row) for r in rows if r.row is not None}
    columns = {(r.table, r.column) for r in rows if r.row is None}
    parts = [counted(len(cells), "row")] if cells else []
    parts += [counted(len(columns), "column")] if columns else []
    return " and ".join(parts) or "no row"


def _lines(rows: tuple[RowProblem, ...], problems: tuple[Problem, ...]) -> tuple[list[str], int]:
    """The message's first ``_SHOWN`` lines, in the problems' order, and how many they show.

    A row's problem is a line of its own, unless more than ``_EACH`` problems share its
    table, column and expectation: they are one line, where the first of them is.
    """
    count: dict[tuple[str, str, str], int] = {}
    first: dict[tuple[str, str, str], list[int]] = {}  # each kind's first SHOWN + 1
    for number, row in enumerate(rows):
        if row.row is not None:
            kind = (row.table, row.column, row.expected)
            seen = count.get(kind, 0)
            count[kind] = seen + 1
            if seen <= SHOWN:
                first.setdefault(kind, []).append(number)
    lines: list[str] = []
    shown = 0
    for number, row in enumerate(rows):
        if len(lines) == _SHOWN:
            break
        kind = (row.table, row.column, row.expected)
        alike = count.get(kind, 1) if row.row is not None else 1
        if alike <= _EACH:
            lines.append(str(problems[number]))
            shown += 1
        elif first[kind][0] == number:
            members = [rows[k] for k in first[kind]]
            where = listing([str(r.row) for r in members], count=alike)
            got = listing([short_repr(r.value) for r in members], count=alike)
            lines.append(f"{row.table}.{row.column}[{where}]: expected {row.expected}, got {got}")
            shown += alike
    return lines, shown


class BatchValidationError(ValidationError):
    """Bad rows of a batch input: every one listed, with its table, row and column.

    A :class:`~custadvocacy.ValidationError` (so a ``ValueError``) whose ``problems``
    have paths such as ``incidents.affected_share[17]``; :attr:`rows` holds the same
    as :class:`RowProblem` values (row numbers as integers, for a program to act on).
    The message counts the problems and the rows (and whole columns) they are in, shows
    one line each, and counts the rest after 50 lines. More than three problems of one
    column and kind (the same expectation) share one line, where the first of them is:
    a column of text ids against whole-number ones reads as one line, not 50 alike.

    Example:
        >>> err = BatchValidationError([
        ...     RowProblem(table="orders", row=3, column="value", value=-5.0,
        ...                expected="an amount from 0 to 1e+18"),
        ... ])
        >>> print(err)
        1 problem in 1 row:
          orders.value[3]: expected an amount from 0 to 1e+18, got -5.0
        >>> isinstance(err, ValueError), err.rows[0].row
        (True, 3)
        >>> print(BatchValidationError([
        ...     RowProblem(table="orders", row=k, column="customer_id", value=str(k),
        ...                expected="the id of a given customer")
        ...     for k in range(4006)
        ... ]))
        4006 problems in 4006 rows:
          orders.customer_id[0, 1, 2, 3, 4 and 4001 more]: expected the id of a given customer, got '0', '1', '2', '3', '4' and 4001 more

    .. versionadded:: 0.1.0
    """

    rows: tuple[RowProblem, ...]

    def __init__(self, rows: Iterable[RowProblem]) -> None:
        self.rows = tuple(rows)
        self.problems = tuple(r.as_problem() for r in self.rows)
        count = len(self.rows)
        lines = [f"{counted(count, 'problem')} in {_where(self.rows)}:"]
        shown, covered = _lines(self.rows, self.problems)
        lines.extend(f"  {text}" for text in shown)
        left = count - covered
        if left:
            lines.append(f"  ... and {left} more (all of them in .rows)")
        # Skip ValidationError.__init__: it would print every one of a million rows.
        super(ValidationError, self).__init__("\n".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.rows,))

    def under(self, prefix: str) -> ValidationError:
        """Return a plain :class:`~custadvocacy.ValidationError` with every path under ``prefix``.

        Example:
            >>> err = BatchValidationError([RowProblem(
            ...     table="orders", row=0, column="value", value=-1, expected="x")])
            >>> err.under("portfolio").paths
            ('portfolio.orders.value[0]',)
        """
        return ValidationError(p.under(prefix) for p in self.problems)
