"""columns_from_mapping: the intake of a host's columns (dicts of arrays, DataFrames...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeGuard

from custadvocacy._convert import Unknown
from custadvocacy._errors import Problem, ValidationError
from custadvocacy.batch._columns import PortfolioColumns
from custadvocacy.batch._intake._build import _build
from custadvocacy.batch._intake._read import ColumnSource
from custadvocacy.batch._schema import TABLES

__all__ = ["OnInvalid", "columns_from_mapping"]

OnInvalid = Literal["raise", "drop"]
"""What the intake does with bad rows: raise one error listing them, or drop them."""


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
            otherwise go unnoticed), ``"ignore"``, or a set of the column names to ignore
            (``{"crm_owner"}``: every other unknown column is still reported).
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
