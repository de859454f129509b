"""Assembling the canonical arrays of the three tables from the columns as read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from custadvocacy.batch._intake._read import Array, BoolArray, _Reader
from custadvocacy.batch._intake._references import _duplicates, _reference, _same_customer
from custadvocacy.batch._schema import CATEGORIES, MISSING_MOMENT, TABLES

_SEVERITY_MEDIUM: Final = CATEGORIES["severity"].index("medium")


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
    reader.id_repeat[table], reader.id_order[table] = _duplicates(
        table, values, missing, reader.found
    )
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
