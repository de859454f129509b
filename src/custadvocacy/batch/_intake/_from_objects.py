"""columns_from_objects: the intake of a Portfolio's objects, already valid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._money import Money
from custadvocacy._portfolio import Portfolio
from custadvocacy.batch._columns import PortfolioColumns
from custadvocacy.batch._encode import (
    moment_us,
)
from custadvocacy.batch._intake._build import _build
from custadvocacy.batch._intake._read import Array
from custadvocacy.batch._schema import CATEGORIES, MISSING_MOMENT

__all__ = ["columns_from_objects"]


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
