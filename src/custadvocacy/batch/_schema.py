"""The columns of a portfolio on the batch path: names, encodings, ranges, defaults.

One :class:`ColumnSpec` per column, in :data:`SCHEMA`; ``docs/batch.md`` renders the
same table. The intake (:func:`~custadvocacy.batch.columns_from_mapping`) reads a
caller's columns by these names and checks every row against these rules, which are
the domain classes' own (``Customer``, ``Order``, ``Incident``): a row the object path
would refuse is refused here too, with the row number and the column.

Encodings a caller may hand in, and what they become inside
:class:`~custadvocacy.batch.PortfolioColumns`:

- **id / reference**: non-negative integers or non-empty strings (at most 200
  characters); stored as given, with an ``int64`` rank in text order beside them
  (``"10" < "9"``, as the object path sorts ids). A reference becomes the ``int64``
  row number of the row it names (``-1``: none).
- **moment**: ``numpy.datetime64`` with an explicit unit (``s``, ``ms``, ``us`` or
  ``ns``; read as UTC) or timezone-aware ``datetime`` objects; stored as ``int64``
  microseconds since 1970-01-01 UTC, :data:`MISSING_MOMENT` for none. Integers,
  floats, strings and naive datetimes are refused (they say nothing of the unit or the
  time zone).
- **amount / number / whole**: numbers (``float64`` needs no conversion, only the one
  copy every column gets, so later writes by the caller cannot reach it); stored as
  ``float64``, NaN for none in an optional column. NaN in a required column, an
  infinity, a value out of range or a fraction in a whole-number column is a bad row.
- **category**: the enum's values as text (``"late_delivery"``) or its codes
  (``int``, the position in the enum); stored as ``int8`` codes, ``-1`` for none.
- **currency**: ISO 4217 codes as text; stored as ``int16`` positions in
  ``PortfolioColumns.currencies``.
- **label**: lane keys, text or integers; stored as ``int32`` positions in
  ``PortfolioColumns.lanes`` (``-1``: none). An empty text, a missing marker or a negative
  integer is none; a bool is no key.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import attrs

from custadvocacy._checks import MAX_ID_LENGTH, MAX_QUANTITY
from custadvocacy._domain import IncidentKind, NoticedBy, Segment, Severity
from custadvocacy._money import MAX_AMOUNT

__all__ = [
    "CATEGORIES",
    "ENCODINGS",
    "MISSING_MOMENT",
    "SCHEMA",
    "TABLES",
    "ColumnSpec",
    "spec",
]

MISSING_MOMENT: Final = -(2**63)
"""The ``int64`` a stored moment holds for "none" (numpy's NaT)."""

TABLES: Final = ("customers", "orders", "incidents")
"""The three tables of a portfolio, in the order they are checked and reported."""

ENCODINGS: Final = (
    "id",
    "reference",
    "moment",
    "amount",
    "number",
    "whole",
    "category",
    "currency",
    "label",
    "text",
)
"""The kinds of column (see the module docstring for what each accepts)."""

CATEGORIES: Final = MappingProxyType(
    {
        "segment": tuple(m.value for m in Segment),
        "kind": tuple(m.value for m in IncidentKind),
        "severity": tuple(m.value for m in Severity),
        "noticed_by": tuple(m.value for m in NoticedBy),
    }
)
"""Category columns and their values; a value's code is its position here."""

_AMOUNT_HIGH: Final = float(MAX_AMOUNT)


@attrs.frozen(kw_only=True)
class ColumnSpec:
    """One column of the batch schema: what it holds, how it is encoded, what is allowed.

    Attributes:
        table: ``"customers"``, ``"orders"`` or ``"incidents"``.
        name: The column's name, as a caller's mapping (or DataFrame) names it.
        encoding: One of :data:`ENCODINGS` (``"moment"``, ``"amount"``...).
        required: Whether every row must have a value (an optional column may be
            left out entirely: every row then has none, or ``default``).
        low: Smallest value allowed (numbers).
        high: Largest value allowed (numbers).
        default: The value a row gets when the column is left out (``None``: none).
        refers_to: For a reference, the table whose ``id`` it names.
        description: What the column means, with its unit.

    Example:
        >>> spec("incidents", "affected_share")
        ColumnSpec(table='incidents', name='affected_share', encoding='number', required=False, low=0.0, high=1.0, default=1.0, refers_to=None, description=...)

    .. versionadded:: 0.1.0
    """

    table: str
    name: str
    encoding: str
    required: bool
    low: float = 0.0
    high: float = MAX_QUANTITY
    default: float | str | None = None
    refers_to: str | None = None
    description: str = ""


_REQ: Final = "required"
_OPT: Final = "optional"


# Runs only while this module is imported, to build SCHEMA: mutmut activates a mutant
# per test, after the import, so no test can ever see one of its mutants.
# tests/test_golden_outputs.py pins the SCHEMA it builds, every field of every column.
def _c(  # noqa: PLR0917 - one row of the schema table
    table: str,
    name: str,
    encoding: str,
    need: str,
    description: str,
    low: float = 0.0,
    high: float = MAX_QUANTITY,
    default: float | str | None = None,
    refers_to: str | None = None,
) -> ColumnSpec:  # pragma: no mutate block
    return ColumnSpec(
        table=table,
        name=name,
        encoding=encoding,
        required=need == _REQ,
        low=low,
        high=high,
        default=default,
        refers_to=refers_to,
        description=description,
    )


_C, _O, _I = TABLES

SCHEMA: Final = (
    # -- customers ------------------------------------------------------------------
    _c(_C, "id", "id", _REQ, f"the customer's id (unique; text of at most {MAX_ID_LENGTH} characters, or an integer >= 0)"),
    _c(_C, "name", "text", _OPT, "display name; only the Assessment objects rebuilt for a subset show it (default: the id)"),
    _c(_C, "segment", "category", _REQ, "size class: small, mid_market or enterprise (codes 0-2)"),
    _c(_C, "currency", "currency", _REQ, "the account's ISO 4217 currency; the default currency of the customer's amounts"),
    _c(_C, "annual_value", "amount", _REQ, "what the customer is worth to the vendor per year (>= 0)", high=_AMOUNT_HIGH),
    _c(_C, "annual_value_currency", "currency", _OPT, "currency of annual_value (default: currency)"),
    _c(_C, "customer_since", "moment", _OPT, "when the relationship began; used by no formula (rebuilt objects get as_of when it is missing)"),
    _c(_C, "renewal_at", "moment", _OPT, "when the contract renews"),
    _c(_C, "daily_revenue", "amount", _OPT, "revenue per operating day that depends on the vendor (>= 0)", high=_AMOUNT_HIGH),
    _c(_C, "daily_revenue_currency", "currency", _OPT, "currency of daily_revenue (default: currency)"),
    _c(_C, "gross_margin", "number", _OPT, "share of that revenue that is gross margin (0-1)", high=1.0),
    _c(_C, "buffer_days", "number", _OPT, "days of stock or slack before a delay stops operations (0-3650)", high=3650.0),
    _c(_C, "staff_hourly_cost", "amount", _OPT, "fully loaded hourly staff cost (>= 0)", high=_AMOUNT_HIGH),
    _c(_C, "staff_hourly_cost_currency", "currency", _OPT, "currency of staff_hourly_cost (default: currency)"),
    _c(_C, "staff_count", "whole", _OPT, "staff whose work depends on the vendor (0-10,000,000)", high=10_000_000.0),
    _c(_C, "nps", "whole", _OPT, "latest NPS answer (0-10)", high=10.0),
    _c(_C, "csat", "number", _OPT, "latest satisfaction rating (1-5)", low=1.0, high=5.0),
    _c(_C, "open_tickets", "whole", _OPT, "support tickets open now (0-1,000,000)", high=1_000_000.0),
    _c(_C, "usage_trend", "number", _OPT, "relative change in usage, -0.2 for a 20 % drop (-1 to 10)", low=-1.0, high=10.0),
    # -- orders ---------------------------------------------------------------------
    _c(_O, "id", "id", _REQ, "the order's id (unique)"),
    _c(_O, "customer_id", "reference", _REQ, "the id of the customer it belongs to", refers_to=_C),
    _c(_O, "placed_at", "moment", _REQ, "when it was placed"),
    _c(_O, "promised_at", "moment", _REQ, "the delivery date promised (not before placed_at)"),
    _c(_O, "value", "amount", _REQ, "the order's value (>= 0)", high=_AMOUNT_HIGH),
    _c(_O, "currency", "currency", _REQ, "currency of value"),
    _c(_O, "criticality", "number", _OPT, "share of the customer's operations that depend on it (0-1)", high=1.0),
    _c(_O, "delivered_at", "moment", _OPT, "when it was delivered (not before placed_at); none while open"),
    _c(_O, "eta", "moment", _OPT, "the carrier's latest arrival estimate (not before placed_at)"),
    _c(_O, "lane", "label", _OPT, "route, supplier or carrier key the lead-time model groups history by"),
    # -- incidents ------------------------------------------------------------------
    _c(_I, "id", "id", _REQ, "the incident's id (unique)"),
    _c(_I, "customer_id", "reference", _REQ, "the id of the customer it hit", refers_to=_C),
    _c(_I, "kind", "category", _REQ, "what went wrong: late_delivery, partial_delivery, defect, service_outage, billing_error, support_failure or other (codes 0-6)"),
    _c(_I, "opened_at", "moment", _REQ, "when it began"),
    _c(_I, "severity", "category", _OPT, "low, medium, high or critical (codes 0-3)", default="medium"),
    _c(_I, "noticed_by", "category", _OPT, "vendor or customer (codes 0-1); none when unknown"),
    _c(_I, "order_id", "reference", _OPT, "the id of the order it concerns, an order of the same customer", refers_to=_O),
    _c(_I, "resolved_at", "moment", _OPT, "when it was resolved (not before opened_at); none while open"),
    _c(_I, "affected_share", "number", _OPT, "share of the operations (or of the order) it affected (0-1)", high=1.0, default=1.0),
    _c(_I, "amount", "amount", _OPT, "money at issue (a wrongly billed sum, >= 0)", high=_AMOUNT_HIGH),
    _c(_I, "amount_currency", "currency", _OPT, "currency of amount (default: the customer's currency)"),
    _c(_I, "effort_hours", "number", _OPT, "hours the customer's staff spent on it (0-1,000,000)", high=1_000_000.0),
)  # fmt: skip
"""Every column of the batch schema, table by table (see :class:`ColumnSpec`)."""

_BY_NAME: Final = MappingProxyType({(s.table, s.name): s for s in SCHEMA})


def spec(table: str, name: str) -> ColumnSpec:
    """Return the :class:`ColumnSpec` of column ``name`` of ``table``.

    Raises:
        KeyError: No such column (a programming error inside the library).

    Example:
        >>> spec("orders", "value").encoding
        'amount'
    """
    return _BY_NAME[(table, name)]
