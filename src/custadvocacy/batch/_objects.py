"""Back to objects: the customers of a subset of rows, with their orders and incidents.

Used to turn any subset of a batch result into :class:`~custadvocacy.Assessment`
objects. Columns built from objects give back the very objects; columns built from a
mapping are rebuilt as domain objects (text ids; amounts as ``Money`` from the float,
``Decimal(repr(x))``, which converts back to exactly ``x``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from custadvocacy._domain import (
    Customer,
    HealthSignals,
    Incident,
    IncidentKind,
    NoticedBy,
    OperatingProfile,
    Order,
    Segment,
    Severity,
)
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._money import Money
from custadvocacy.batch._columns import PortfolioColumns
from custadvocacy.batch._schema import MISSING_MOMENT

__all__ = ["Group", "groups_of"]

Group = tuple[Customer, tuple[Order, ...], tuple[Incident, ...]]
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(us: Any) -> datetime | None:
    value = int(us)
    return None if value == MISSING_MOMENT else _EPOCH + timedelta(microseconds=value)


def _money(amount: Any, currency: str) -> Money | None:
    value = float(amount)
    return None if np.isnan(value) else Money(value, currency)


def _number(value: Any) -> float | None:
    number = float(value)
    return None if np.isnan(number) else number


def _whole(value: Any) -> int | None:
    number = float(value)
    return None if np.isnan(number) else int(number)


def _customer(columns: PortfolioColumns, row: int, as_of: datetime) -> Customer:
    c = columns.customers
    cur = columns.currencies
    segment = tuple(Segment)[int(c["segment"][row])]
    name = str(c["name"][row]) if "name" in c.names else str(c["id"][row])
    since = _moment(c["customer_since"][row])
    return Customer(
        id=str(c["id"][row]),
        name=name,
        segment=segment,
        customer_since=as_of if since is None else since,
        currency=cur[int(c["currency"][row])],
        annual_value=Money(
            float(c["annual_value"][row]), cur[int(c["annual_value_currency"][row])]
        ),
        renewal_at=_moment(c["renewal_at"][row]),
        profile=OperatingProfile(
            daily_revenue=_money(
                c["daily_revenue"][row], cur[int(c["daily_revenue_currency"][row])]
            ),
            gross_margin=_number(c["gross_margin"][row]),
            buffer_days=_number(c["buffer_days"][row]),
            staff_hourly_cost=_money(
                c["staff_hourly_cost"][row], cur[int(c["staff_hourly_cost_currency"][row])]
            ),
            staff_count=_whole(c["staff_count"][row]),
        ),
        health=HealthSignals(
            nps=_whole(c["nps"][row]),
            csat=_number(c["csat"][row]),
            open_tickets=_whole(c["open_tickets"][row]),
            usage_trend=_number(c["usage_trend"][row]),
        ),
    )


def _order(columns: PortfolioColumns, row: int) -> Order:
    o = columns.orders
    lane = int(o["lane"][row])
    placed = _moment(o["placed_at"][row])
    promised = _moment(o["promised_at"][row])
    # Unreachable, so neither covered nor mutated: the intake refuses a missing moment.
    if placed is None or promised is None:  # pragma: no cover, no mutate block - intake
        raise ValidationError([Problem(f"orders.placed_at[{row}]", None, "a moment")])
    return Order(
        id=str(o["id"][row]),
        customer_id=str(columns.customers["id"][int(o["customer"][row])]),
        placed_at=placed,
        promised_at=promised,
        value=Money(float(o["value"][row]), columns.currencies[int(o["currency"][row])]),
        criticality=_number(o["criticality"][row]),
        delivered_at=_moment(o["delivered_at"][row]),
        eta=_moment(o["eta"][row]),
        lane=None if lane < 0 else columns.lanes[lane],
    )


def _incident(columns: PortfolioColumns, row: int) -> Incident:
    i = columns.incidents
    order = int(i["order"][row])
    noticed = int(i["noticed_by"][row])
    opened = _moment(i["opened_at"][row])
    # Unreachable, so neither covered nor mutated: the intake refuses a missing moment.
    if opened is None:  # pragma: no cover, no mutate block - intake
        raise ValidationError([Problem(f"incidents.opened_at[{row}]", None, "a moment")])
    return Incident(
        id=str(i["id"][row]),
        customer_id=str(columns.customers["id"][int(i["customer"][row])]),
        kind=tuple(IncidentKind)[int(i["kind"][row])],
        opened_at=opened,
        severity=tuple(Severity)[int(i["severity"][row])],
        noticed_by=None if noticed < 0 else tuple(NoticedBy)[noticed],
        order_id=None if order < 0 else str(columns.orders["id"][order]),
        resolved_at=_moment(i["resolved_at"][row]),
        affected_share=float(i["affected_share"][row]),
        amount=_money(i["amount"][row], columns.currencies[int(i["amount_currency"][row])]),
        effort_hours=_number(i["effort_hours"][row]),
    )


def groups_of(columns: PortfolioColumns, rows: Sequence[int], as_of: datetime) -> list[Group]:
    """Each customer row of ``rows`` with its orders and incidents, as domain objects."""
    order_rows, order_offsets, incident_rows, incident_offsets = columns.layout()
    source = columns.source
    out: list[Group] = []
    for row in rows:
        orders = order_rows[order_offsets[row] : order_offsets[row + 1]]
        incidents = incident_rows[incident_offsets[row] : incident_offsets[row + 1]]
        if source is not None:
            # The very objects: the stored 'row' is each object's place in the portfolio.
            at: npt.NDArray[np.int64] = columns.customers["row"]
            customer = source.customers[int(at[row])]
            out.append(
                (
                    customer,
                    tuple(source.orders[int(columns.orders["row"][j])] for j in orders),
                    tuple(source.incidents[int(columns.incidents["row"][j])] for j in incidents),
                )
            )
            continue
        out.append(
            (
                _customer(columns, row, as_of),
                tuple(_order(columns, int(j)) for j in orders),
                tuple(_incident(columns, int(j)) for j in incidents),
            )
        )
    return out
