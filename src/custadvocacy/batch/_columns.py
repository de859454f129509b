"""A portfolio as columns: :class:`PortfolioColumns` and its three :class:`Table` s.

The intake (``_intake``) turns a caller's columns or objects into this canonical form;
everything after it (impacts, forecasts, scores, actions) reads only this. Arrays are
read-only views (the caller's own arrays when their dtype already fitted), so nothing
here can change the caller's data, and nothing downstream can change these.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._errors import Problem, ValidationError
from custadvocacy._optional import pandas
from custadvocacy._portfolio import Portfolio
from custadvocacy.batch._errors import RowProblem

__all__ = ["CANONICAL", "PortfolioColumns", "Table"]

Array = npt.NDArray[Any]

# The stored columns of each table and the dtype kind each must have ("id" columns
# are integers or text). Optional ones hold NaN, MISSING_MOMENT or -1 for none.
_CANONICAL: Final = {
    "customers": {
        "row": "i", "id": "id", "id_rank": "i", "segment": "i", "currency": "i",
        "annual_value": "f", "annual_value_currency": "i", "customer_since": "i",
        "renewal_at": "i", "daily_revenue": "f", "daily_revenue_currency": "i",
        "gross_margin": "f", "buffer_days": "f", "staff_hourly_cost": "f",
        "staff_hourly_cost_currency": "i", "staff_count": "f", "nps": "f", "csat": "f",
        "open_tickets": "f", "usage_trend": "f",
    },
    "orders": {
        "row": "i", "id": "id", "id_rank": "i", "customer": "i", "placed_at": "i",
        "promised_at": "i", "value": "f", "currency": "i", "criticality": "f",
        "delivered_at": "i", "eta": "i", "lane": "i",
    },
    "incidents": {
        "row": "i", "id": "id", "id_rank": "i", "customer": "i", "order": "i", "kind": "i",
        "opened_at": "i", "severity": "i", "noticed_by": "i", "resolved_at": "i",
        "affected_share": "f", "amount": "f", "amount_currency": "i", "effort_hours": "f",
    },
}  # fmt: skip
CANONICAL: Final = MappingProxyType({k: MappingProxyType(v) for k, v in _CANONICAL.items()})
"""Each table's stored columns and their dtype kinds (``"id"``: integers or text)."""


def _read_only(array: Array) -> Array:
    view = array.view()
    view.flags.writeable = False
    return view


def _read_only_all(arrays: tuple[Array, ...]) -> tuple[Array, ...]:
    return tuple(_read_only(array) for array in arrays)


@attrs.frozen(eq=False, repr=False)
class Table(Mapping[str, Array]):
    """One table of a :class:`PortfolioColumns`: named, read-only columns of equal length.

    A read-only mapping ``name -> numpy array`` (every array of shape ``(rows,)``):
    :meth:`to_pandas` shows it as a DataFrame. (``pandas.DataFrame(table)`` does not: pandas
    reads a mapping that is not a ``dict`` as a list of its keys, one column of the names;
    ``pandas.DataFrame(dict(table))`` does.)

    Attributes:
        name: ``"customers"``, ``"orders"`` or ``"incidents"``.
        names: The column names, in storage order.
        arrays: The columns, read-only.

    Example:
        >>> from custadvocacy.batch import columns_from_objects
        >>> from custadvocacy.examples import example_portfolio
        >>> table = columns_from_objects(example_portfolio()).orders
        >>> table.rows, table["value"][:2]
        (12, array([640000.,  85000.]))

    .. versionadded:: 0.1.0
    """

    name: str
    names: tuple[str, ...]
    arrays: tuple[Array, ...] = attrs.field(converter=_read_only_all)

    @property
    def rows(self) -> int:
        """The number of rows.

        Example:
            >>> Table("t", ("a",), (np.zeros(3),)).rows
            3
        """
        return int(self.arrays[0].shape[0]) if self.arrays else 0

    def __getitem__(self, key: str) -> Array:
        try:
            return self.arrays[self.names.index(key)]
        except ValueError:
            raise ValidationError(
                [Problem(f"{self.name}.{key}", key, f"one of the columns {', '.join(self.names)}")]
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __eq__(self, other: object) -> bool:
        # Arrays have no single truth value: two tables are equal only when the same.
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def to_pandas(self) -> Any:
        """The table as a ``pandas.DataFrame`` of its own, writable copy of the columns.

        Raises:
            ImportError: pandas is not installed (the library never needs it otherwise).

        Example:
            >>> frame = Table("t", ("a", "b"), (np.arange(3), np.ones(3))).to_pandas()
            >>> frame.shape, list(frame.columns)  # doctest: +SKIP
            ((3, 2), ['a', 'b'])
        """
        return pandas("Table.to_pandas()").DataFrame(dict(self), copy=True)

    def __repr__(self) -> str:
        return f"Table({self.name!r}, rows={self.rows}, columns={len(self.names)})"


# A stored kind: the numpy dtype kinds it allows, and how a message names them.
_STORED_KINDS: Final = MappingProxyType(
    {
        "id": ("iuU", "ids (whole numbers or text)"),
        "i": ("iu", "whole numbers"),
        "f": ("f", "floats"),
    }
)


def _check_table(name: str, table: object, problems: list[Problem]) -> None:
    if not isinstance(table, Table):
        problems.append(Problem(name, table, "a Table"))
        return
    rows = table.rows
    for column, kind in CANONICAL[name].items():
        if column not in table.names:
            problems.append(Problem(f"{name}.{column}", None, "a stored column of that name"))
            continue
        array = table[column]
        allowed, what = _STORED_KINDS[kind]
        if array.ndim != 1 or array.shape[0] != rows or array.dtype.kind not in allowed:
            found = f"{array.dtype} of shape {array.shape}"
            problems.append(Problem(f"{name}.{column}", found, f"a 1-d column of {rows} {what}"))


def _grouped(owner: Array, rank: Array, groups: int) -> tuple[Array, Array]:
    """Rows sorted by (owner, rank), and the offsets of each owner's rows."""
    order = np.lexsort((rank, owner))
    offsets = np.zeros(groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=groups), out=offsets[1:])
    return order, offsets


def _row_problem(
    table: Table, column: str, target: str, bound: int, *, allow_none: bool
) -> Problem | None:
    """The first row of ``table[column]`` that is no row number of ``target``, as a problem.

    Example:
        >>> table = Table(name="orders", names=("customer",), arrays=(np.array([0, 3, 5]),))
        >>> print(_row_problem(table, "customer", "customers", 3, allow_none=False))
        orders.customer[1]: expected a row of customers (0 to 2), got 3
    """
    values = table[column]
    low = -1 if allow_none else 0
    if not values.size or (values.min() >= low and values.max() < bound):
        return None  # the usual case, in two passes over the column
    bad = np.flatnonzero((values < low) | (values >= bound))
    expected = f"a row of {target} (0 to {bound - 1})" if bound else f"no row: {target} is empty"
    if allow_none:
        expected += ", or -1 for none"
    row = int(bad[0])
    return Problem(f"{table.name}.{column}[{row}]", int(values[row]), expected)


@attrs.frozen(kw_only=True, eq=False, repr=False)
class PortfolioColumns:
    """A portfolio as columns: customers, orders and incidents as named numpy arrays.

    Built by :func:`~custadvocacy.batch.columns_from_mapping` (any mapping of
    array-likes, e.g. a pandas DataFrame, or a pyarrow Table) or
    :func:`~custadvocacy.batch.columns_from_objects` (domain objects); read by
    :func:`~custadvocacy.batch.assess_batch`. ``docs/batch.md`` lists every stored
    column with its dtype: ids as given with an ``int64`` text-order rank, references
    as ``int64`` row numbers, moments as ``int64`` microseconds since 1970 UTC,
    categories and currencies as small integer codes, amounts and numbers as
    ``float64``. ``row`` holds each row's position in the caller's input.

    Attributes:
        customers: The customers table (one row per customer).
        orders: The orders table (``customer`` is the row of its customer).
        incidents: The incidents table (``customer`` and ``order``, ``-1`` for none,
            are rows).
        currencies: The currency codes the ``*currency`` columns index.
        lanes: The lane keys the orders' ``lane`` column indexes.
        dropped: The rows left out with ``on_invalid="drop"``, each with its reason.
        source: The portfolio the columns were built from, when built from objects
            (converting back to objects then returns the very objects).

    Raises:
        ValidationError: A table lacks a stored column or has one of the wrong dtype
            or length, or a reference is not a row of its table.

    Example:
        >>> from custadvocacy.batch import columns_from_objects
        >>> from custadvocacy.examples import example_portfolio
        >>> columns = columns_from_objects(example_portfolio())
        >>> columns
        PortfolioColumns(customers=12, orders=12, incidents=10, currencies=('CZK', 'EUR', 'GBP'), dropped=0)
        >>> columns.customer_ids[:3]
        array(['C01', 'C02', 'C03'], dtype='<U3')

    .. versionadded:: 0.1.0
    """

    customers: Table
    orders: Table
    incidents: Table
    currencies: tuple[str, ...]
    lanes: tuple[str, ...] = ()
    dropped: tuple[RowProblem, ...] = ()
    source: Portfolio | None = None
    _order_rows: Array = attrs.field(init=False)
    _order_offsets: Array = attrs.field(init=False)
    _incident_rows: Array = attrs.field(init=False)
    _incident_offsets: Array = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name in ("customers", "orders", "incidents"):
            _check_table(name, getattr(self, name), problems)
        if problems:
            raise ValidationError(problems)
        n = self.customers.rows
        m = self.orders.rows
        for table, column, target, bound, allow_none in (
            (self.orders, "customer", "customers", n, False),
            (self.incidents, "customer", "customers", n, False),
            (self.incidents, "order", "orders", m, True),
        ):
            problem = _row_problem(table, column, target, bound, allow_none=allow_none)
            if problem is not None:
                problems.append(problem)
        if not problems and self.incidents.rows:
            order = self.incidents["order"]
            customer = self.incidents["customer"]
            linked = np.flatnonzero(order >= 0)
            wrong = linked[self.orders["customer"][order[linked]] != customer[linked]]
            if wrong.size:
                i = int(wrong[0])
                expected = f"a row of the incident's own customer's orders (customer {customer[i]})"
                problems.append(Problem(f"incidents.order[{i}]", int(order[i]), expected))
        if problems:
            raise ValidationError(problems)
        order_rows, order_offsets = _grouped(self.orders["customer"], self.orders["id_rank"], n)
        incident_rows, incident_offsets = _grouped(
            self.incidents["customer"], self.incidents["id_rank"], n
        )
        object.__setattr__(self, "_order_rows", _read_only(order_rows))
        object.__setattr__(self, "_order_offsets", _read_only(order_offsets))
        object.__setattr__(self, "_incident_rows", _read_only(incident_rows))
        object.__setattr__(self, "_incident_offsets", _read_only(incident_offsets))

    @property
    def customer_ids(self) -> Array:
        """The customers' ids, shape ``(customers,)`` (integers or text, as given).

        Example:
            >>> from custadvocacy.batch import columns_from_objects
            >>> from custadvocacy.examples import example_portfolio
            >>> columns_from_objects(example_portfolio()).customer_ids.shape
            (12,)
        """
        return self.customers["id"]

    def layout(self) -> tuple[Array, Array, Array, Array]:
        """Order rows and incident rows grouped by customer, in id order, with offsets.

        Returns ``(order_rows, order_offsets, incident_rows, incident_offsets)``: the
        orders of customer ``c`` are ``order_rows[order_offsets[c]:order_offsets[c+1]]``
        sorted by id as text (the object path's order), and likewise for incidents.

        Example:
            >>> from custadvocacy.batch import columns_from_objects
            >>> from custadvocacy.examples import example_portfolio
            >>> rows, offsets, _, _ = columns_from_objects(example_portfolio()).layout()
            >>> rows[offsets[9]:offsets[10]]  # Rhein Auto Parts' two orders
            array([8, 9])
        """
        return self._order_rows, self._order_offsets, self._incident_rows, self._incident_offsets

    def nbytes(self) -> int:
        """Bytes held by the stored columns (the input's size, for memory figures).

        Example:
            >>> from custadvocacy.batch import columns_from_objects
            >>> from custadvocacy.examples import example_portfolio
            >>> columns_from_objects(example_portfolio()).nbytes() > 0
            True
        """
        return sum(
            int(array.nbytes)
            for table in (self.customers, self.orders, self.incidents)
            for array in table.arrays
        )

    def __repr__(self) -> str:
        return (
            f"PortfolioColumns(customers={self.customers.rows}, orders={self.orders.rows}, "
            f"incidents={self.incidents.rows}, currencies={self.currencies}, "
            f"dropped={len(self.dropped)})"
        )
