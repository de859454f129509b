"""A seeded synthetic portfolio of any size, as columns: for demos, tests and benchmarks.

The example portfolio has a dozen customers; this draws millions with the same
shapes (three segments, three currencies, open and delivered orders with and without
a carrier ETA on five lanes, every incident kind, missing profile figures), so the
batch path can be shown and measured at scale. Same seed, same portfolio.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, TypedDict

import numpy as np
import numpy.typing as npt

from custadvocacy._checks import Checks
from custadvocacy._examples import EXAMPLE_AS_OF
from custadvocacy.batch._encode import moment_us

__all__ = ["PortfolioTables", "synthetic_mapping"]

Array = npt.NDArray[Any]

_DAY_US: Final = 86_400_000_000
_LANES: Final = ("DE-CZ road", "NL-DE road", "UK parcel", "CN-NL sea", "PL-DE rail")
_CURRENCIES: Final = ("EUR", "CZK", "GBP")
_SCALE: Final = np.array([1.0, 25.0, 0.86])  # about one EUR in each currency
_KINDS: Final = np.array([0.35, 0.1, 0.15, 0.15, 0.15, 0.1])  # kinds 0-5, "other" never
_MAX_CUSTOMERS: Final = 100_000_000


class PortfolioTables(TypedDict):
    """A portfolio's three tables as mappings of columns: ``columns_from_mapping(**tables)``.

    Example:
        >>> tables: PortfolioTables = {"customers": {"id": [1]}, "orders": {}, "incidents": {}}
        >>> sorted(tables)
        ['customers', 'incidents', 'orders']

    .. versionadded:: 0.1.0
    """

    customers: dict[str, Any]
    orders: dict[str, Any]
    incidents: dict[str, Any]


def _sometimes(rng: np.random.Generator, values: Array, share: float) -> Array:
    """``values`` with a ``1 - share`` of them missing (NaN)."""
    return np.where(rng.random(values.shape[0]) < share, values, np.nan)


def _moments(us: Array) -> Array:
    return us.astype("datetime64[us]")


def _customers(rng: np.random.Generator, n: int, as_of: int) -> tuple[dict[str, Array], Array]:
    segment = rng.choice(3, size=n, p=[0.6, 0.3, 0.1]).astype(np.int8)
    currency = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])
    size = np.array([1.0, 8.0, 60.0])[segment] * _SCALE[currency]
    renewal = as_of + (rng.uniform(-30, 400, n) * _DAY_US).astype(np.int64)
    table = {
        "id": np.arange(n, dtype=np.int64),
        "segment": segment,
        "currency": np.array(_CURRENCIES)[currency],
        "annual_value": np.round(size * rng.lognormal(11.0, 0.8, n), 2),
        "renewal_at": _moments(np.where(rng.random(n) < 0.5, renewal, np.iinfo(np.int64).min)),
        "daily_revenue": np.round(_sometimes(rng, size * rng.lognormal(9.0, 0.9, n), 0.6), 2),
        "gross_margin": np.round(_sometimes(rng, rng.uniform(0.1, 0.6, n), 0.5), 3),
        "buffer_days": np.round(_sometimes(rng, rng.uniform(0.0, 6.0, n), 0.5), 2),
        "staff_hourly_cost": np.round(
            _sometimes(rng, _SCALE[currency] * rng.uniform(20.0, 70.0, n), 0.6), 2
        ),
        "staff_count": _sometimes(rng, np.floor(size * rng.lognormal(2.5, 0.7, n)), 0.5),
        "nps": _sometimes(rng, rng.integers(0, 11, n).astype(np.float64), 0.6),
        "csat": np.round(_sometimes(rng, rng.uniform(1.0, 5.0, n), 0.5), 1),
        "open_tickets": _sometimes(rng, rng.poisson(1.5, n).astype(np.float64), 0.6),
        "usage_trend": np.round(_sometimes(rng, rng.normal(0.0, 0.15, n).clip(-1, 10), 0.4), 3),
    }
    return table, currency


def _orders(
    rng: np.random.Generator,
    customers: dict[str, Array],
    currency_code: Array,
    per_customer: float,
    as_of: int,
) -> dict[str, Array]:
    n = customers["id"].shape[0]
    counts = rng.poisson(per_customer, n)
    owner = np.repeat(np.arange(n), counts)
    m = owner.shape[0]
    placed = as_of - (rng.uniform(1.0, 90.0, m) * _DAY_US).astype(np.int64)
    promised = placed + (rng.uniform(2.0, 30.0, m) * _DAY_US).astype(np.int64)
    delay = (rng.normal(0.3, 2.0, m) * _DAY_US).astype(np.int64)
    delivered = np.maximum(promised + delay, placed)
    is_open = (delivered > as_of) | (rng.random(m) < 0.2)
    eta = np.maximum(as_of + (rng.uniform(0.0, 10.0, m) * _DAY_US).astype(np.int64), placed)
    missing = np.iinfo(np.int64).min
    currency = customers["currency"][owner]
    scale = _SCALE[currency_code[owner]]
    return {
        "id": np.arange(m, dtype=np.int64),
        "customer_id": owner.astype(np.int64),
        "placed_at": _moments(placed),
        "promised_at": _moments(promised),
        "value": np.round(scale * rng.lognormal(9.0, 1.0, m), 2),
        "currency": currency,
        "criticality": np.round(_sometimes(rng, rng.uniform(0.0, 1.0, m), 0.7), 2),
        "delivered_at": _moments(np.where(is_open, missing, delivered)),
        "eta": _moments(np.where(is_open & (rng.random(m) < 0.3), eta, missing)),
        "lane": np.array(_LANES)[rng.integers(0, len(_LANES), m)],
    }


def _incidents(
    rng: np.random.Generator,
    customers: dict[str, Array],
    orders: dict[str, Array],
    per_customer: float,
    as_of: int,
) -> dict[str, Array]:
    n = customers["id"].shape[0]
    counts = rng.poisson(per_customer, n)
    owner = np.repeat(np.arange(n), counts)
    k = owner.shape[0]
    kind = rng.choice(6, size=k, p=_KINDS).astype(np.int8)
    order_counts = np.bincount(orders["customer_id"], minlength=n)
    order_start = np.concatenate([[0], np.cumsum(order_counts)[:-1]])
    has = order_counts[owner] > 0
    pick = order_start[owner] + np.floor(rng.random(k) * np.maximum(order_counts[owner], 1))
    wants = (kind <= 2) | ((kind == 4) & (rng.random(k) < 0.5))  # deliveries, defects, bills
    order = np.where(has & wants, pick, -1).astype(np.int64)
    # One placeholder row, so an empty order table (a tiny portfolio) still indexes.
    placed = np.append(orders["placed_at"].astype(np.int64), as_of)
    earliest = np.where(order >= 0, placed[np.maximum(order, 0)], as_of - 150 * _DAY_US)
    opened = np.maximum(as_of - (rng.uniform(0.0, 120.0, k) * _DAY_US).astype(np.int64), earliest)
    resolved = opened + (rng.exponential(3.0, k) * _DAY_US).astype(np.int64)
    is_resolved = (rng.random(k) < 0.6) & (resolved <= as_of)
    amount_scale = np.where(kind == 4, 1.0, np.nan)
    return {
        "id": np.arange(k, dtype=np.int64),
        "customer_id": owner.astype(np.int64),
        "kind": kind,
        "opened_at": _moments(opened),
        "severity": rng.choice(4, size=k, p=[0.3, 0.4, 0.2, 0.1]).astype(np.int8),
        "noticed_by": rng.choice(np.array([-1, 0, 1], dtype=np.int8), size=k, p=[0.2, 0.4, 0.4]),
        "order_id": order,
        "resolved_at": _moments(np.where(is_resolved, resolved, np.iinfo(np.int64).min)),
        "affected_share": np.round(rng.uniform(0.05, 1.0, k), 2),
        "amount": np.round(amount_scale * rng.lognormal(7.0, 1.0, k), 2),
        "effort_hours": np.round(_sometimes(rng, rng.exponential(6.0, k), 0.4), 1),
    }


def synthetic_mapping(
    customers: int,
    *,
    seed: int | np.random.Generator = 0,
    orders_per_customer: float = 2.0,
    incidents_per_customer: float = 3.0,
    as_of: datetime = EXAMPLE_AS_OF,
) -> PortfolioTables:
    """Draw a synthetic portfolio as the three tables' columns (numpy arrays).

    Integer ids, moments as ``datetime64[us]``, categories as codes, currencies as
    text: the encodings :func:`~custadvocacy.batch.columns_from_mapping` keeps without
    a copy. Orders and incidents per customer are Poisson; an incident that concerns an
    order names one of its customer's orders. Amounts suit the example context (EUR
    reporting, CZK and GBP accounts).

    Args:
        customers: How many customers (0 to 100,000,000).
        seed: A seed or a numpy ``Generator``: the same one gives the same portfolio.
        orders_per_customer: Mean orders per customer (>= 0).
        incidents_per_customer: Mean incidents per customer (>= 0).
        as_of: The moment the portfolio is drawn around (the example's by default).

    Returns:
        ``{"customers": {...}, "orders": {...}, "incidents": {...}}``, each a mapping of
        column name to array.

    Raises:
        ValidationError: An argument is out of range.

    Example:
        >>> from custadvocacy.batch import columns_from_mapping
        >>> tables = synthetic_mapping(1_000, seed=7)
        >>> columns_from_mapping(**tables)
        PortfolioColumns(customers=1000, orders=..., incidents=..., currencies=('CZK', 'EUR', 'GBP'), dropped=0)

    .. versionadded:: 0.1.0
    """
    c = Checks()
    c.number("customers", customers, high=_MAX_CUSTOMERS, integer=True)
    c.number("orders_per_customer", orders_per_customer, high=100.0)
    c.number("incidents_per_customer", incidents_per_customer, high=100.0)
    c.moment("as_of", as_of)
    c.done()
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    now = moment_us(as_of)
    table_c, currency_code = _customers(rng, customers, now)
    table_o = _orders(rng, table_c, currency_code, orders_per_customer, now)
    table_i = _incidents(rng, table_c, table_o, incidents_per_customer, now)
    return {"customers": table_c, "orders": table_o, "incidents": table_i}
