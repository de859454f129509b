"""A seeded synthetic portfolio of any size, as columns: for the lab, demos, tests, benchmarks.

One generator serves the batch path and the policy lab: :func:`synthetic_mapping` (the
tables as ``columns_from_mapping(**tables)`` takes them) and
:func:`custadvocacy.lab.synthetic_columns` / :func:`~custadvocacy.lab.synthetic_portfolio`
all draw with :func:`draw_tables`. Every
draw comes from one :class:`numpy.random.Generator` built from the seed the caller
passes, in a fixed order, so the same seed and settings give the same portfolio, row
for row.

The distributions (``docs/lab.md`` has the table), all amounts drawn in EUR and scaled
into each customer's currency by :attr:`SyntheticConfig.currency_units`:

- **segment**: small / mid-market / enterprise with shares ``segment_shares``
  (default 70 / 25 / 5 %, the usual long tail of a B2B book);
- **annual value** (EUR): log-normal per segment, medians 20,000 / 200,000 / 2,000,000,
  log-sd 0.8 / 0.7 / 0.6;
- **currency**: ``currencies`` with ``currency_shares`` (default EUR 70 %, GBP 15 %,
  CZK 15 %);
- **operating profile** (present for ``profile_share`` of customers, default 85 %):
  daily revenue that depends on the vendor = annual value x log-normal(median 4,
  log-sd 0.5) / 250 operating days; gross margin Beta(4, 6) (mean 40 %); buffer days
  Gamma(2, 1.5) (mean 3 days); staff hourly cost 45 EUR x log-normal(0, 0.2); staff
  whose work depends on the vendor 1 + Poisson(3 / 15 / 80);
- **health**: NPS (60 % answered) from a skewed 0-10 distribution, CSAT (50 % answered)
  normal(3.9, 0.8) clipped to 1-5, open tickets Poisson(0.5 / 1 / 3), usage trend
  normal(0, 0.1) clipped to -1..10;
- **orders**: 1 + Poisson(0.5 / 2 / 5) per customer (or Poisson(``orders_per_customer``),
  so that a customer may have none), value = annual value / 12 x
  log-normal(0, 0.6), placed 0-45 days before ``as_of``, lead time Gamma(4, lead/4)
  with a mean of ``lead_time_days`` (default 10); late with probability ``late_share``
  (default 15 %) by 0.5 + Exponential(``mean_days_late``, default 4) days, else up to a
  day early; delivered when that moment is before ``as_of``, else open (a carrier ETA
  known for 60 % of open orders, the true arrival +- normal(0, 1) days); criticality
  Beta(0.7, 2.5) (about 3 % at or above 0.7, the default critical share); a lane drawn
  uniformly from ``lanes`` when given (drawn last, so the other columns do not change);
- **incidents**: each order delivered more than half a day late raises a late-delivery
  incident with probability 80 %; besides, Poisson(``incident_rate`` x 1 / 1.5 / 2.5)
  incidents per customer over the last 90 days with the kind mix ``kind_shares``
  (defect 25 %, service outage 30 %, billing error 20 %, support failure 15 %, partial
  delivery 5 %, other 5 %; defects and partial deliveries name one of the customer's
  orders), severity low / medium / high / critical 30 / 40 / 20 / 10 %, noticed by the
  vendor 40 %, resolved 60 % after Exponential(2) days when that is before ``as_of``,
  affected share Beta(2, 3), customer effort Gamma(2, 2) hours, billing errors with an
  amount of 5-50 % of a month's value.

These are plausible shapes, not measurements of any real book: a host that has its own
portfolio should evaluate policies on it (or fit these settings to it).
"""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any, Final, TypedDict

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._checks import Checks, plain_int
from custadvocacy._domain import IncidentKind, Segment
from custadvocacy._examples import EXAMPLE_AS_OF

__all__ = [
    "MAX_CUSTOMERS",
    "PortfolioTables",
    "SyntheticConfig",
    "draw_tables",
    "synthetic_mapping",
]

Array = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_CUSTOMERS: Final = 20_000_000
"""Most customers one call generates (about 10 GB of columns)."""

_DAY_US: Final = 86_400_000_000
_SEGMENTS: Final = tuple(s.value for s in Segment)
_MEDIAN_VALUE: Final = (20_000.0, 200_000.0, 2_000_000.0)
_VALUE_SIGMA: Final = (0.8, 0.7, 0.6)
_EXTRA_ORDERS: Final = (0.5, 2.0, 5.0)
_STAFF: Final = (3.0, 15.0, 80.0)
_TICKETS: Final = (0.5, 1.0, 3.0)
_INCIDENT_MULT: Final = (1.0, 1.5, 2.5)
_NPS_P: Final = (0.02, 0.02, 0.03, 0.04, 0.05, 0.08, 0.10, 0.16, 0.20, 0.16, 0.14)
_SEVERITY_P: Final = (0.3, 0.4, 0.2, 0.1)
_OTHER_KINDS: Final = (
    IncidentKind.DEFECT,
    IncidentKind.SERVICE_OUTAGE,
    IncidentKind.BILLING_ERROR,
    IncidentKind.SUPPORT_FAILURE,
    IncidentKind.PARTIAL_DELIVERY,
    IncidentKind.OTHER,
)
_NEEDS_ORDER: Final = frozenset({IncidentKind.DEFECT, IncidentKind.PARTIAL_DELIVERY})
_WINDOW_DAYS: Final = 90.0


_LANES: Final = ("DE-CZ road", "NL-DE road", "UK parcel", "CN-NL sea", "PL-DE rail")
_MAX_LANES: Final = 1_000
_MAX_LANE_LENGTH: Final = 100


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


def _shares(c: Checks, name: str, value: object, count: int) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != count
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not all(0.0 <= float(v) <= 1.0 for v in value)
        or abs(sum(float(v) for v in value) - 1.0) > 1e-9
    ):
        c.fail(name, value, f"a tuple of {count} shares (0-1) adding up to 1")


@attrs.frozen(kw_only=True)
class SyntheticConfig:
    """The knobs of the synthetic portfolio (module docstring: every distribution).

    Attributes:
        segment_shares: Shares of small, mid-market and enterprise customers (sum 1).
        currencies: The customers' currencies (ISO 4217; the context needs their rates).
        currency_shares: Share of customers in each currency (sum 1).
        currency_units: Units of each currency per EUR, to scale the EUR draws (> 0).
        profile_share: Share of customers with an operating profile (0-1).
        lead_time_days: Mean lead time of an order, in days (> 0).
        late_share: Share of orders that arrive late (0-1).
        mean_days_late: Mean lateness of a late order beyond half a day, in days (> 0).
        incident_rate: Mean incidents (other than late deliveries) per small customer
            over the last 90 days (0-20; mid-market x 1.5, enterprise x 2.5).
        kind_shares: Mix of those incidents: defect, service outage, billing error,
            support failure, partial delivery, other (sum 1).
        orders_per_customer: ``None`` (default): 1 + Poisson(0.5 / 2 / 5) orders per
            customer by segment; a number (0-100): Poisson with that mean, so a
            customer may have none.
        lanes: Lane keys to put the orders on, uniformly (at most 1,000; empty, the
            default: no ``lane`` column).

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> SyntheticConfig(late_share=0.3).late_share
        0.3
        >>> SyntheticConfig(segment_shares=(0.5, 0.5, 0.5))
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 1 problem:
          segment_shares: expected a tuple of 3 shares (0-1) adding up to 1, got (0.5, 0.5, 0.5)

    .. versionadded:: 0.1.0
    """

    segment_shares: tuple[float, ...] = (0.70, 0.25, 0.05)
    currencies: tuple[str, ...] = ("EUR", "GBP", "CZK")
    currency_shares: tuple[float, ...] = (0.70, 0.15, 0.15)
    currency_units: tuple[float, ...] = (1.0, 0.86, 25.0)
    profile_share: float = 0.85
    lead_time_days: float = 10.0
    late_share: float = 0.15
    mean_days_late: float = 4.0
    incident_rate: float = 0.35
    kind_shares: tuple[float, ...] = (0.25, 0.30, 0.20, 0.15, 0.05, 0.05)
    orders_per_customer: float | None = None
    lanes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        c = Checks()
        _shares(c, "segment_shares", self.segment_shares, len(_SEGMENTS))
        currencies: object = self.currencies
        if not isinstance(currencies, tuple) or not currencies:
            c.fail("currencies", currencies, "a non-empty tuple of ISO 4217 codes")
        else:
            for i, code in enumerate(currencies):
                c.currency(f"currencies[{i}]", code)
            n = len(currencies)
            _shares(c, "currency_shares", self.currency_shares, n)
            units: object = self.currency_units
            if not isinstance(units, tuple) or len(units) != n:
                c.fail("currency_units", units, f"a tuple of {n} numbers > 0")
            else:
                for i, unit in enumerate(units):
                    c.number(f"currency_units[{i}]", unit, low=1e-6, high=1e6)
        c.share("profile_share", self.profile_share)
        c.number("lead_time_days", self.lead_time_days, low=0.01, high=365.0, what=" days")
        c.share("late_share", self.late_share)
        c.number("mean_days_late", self.mean_days_late, low=0.01, high=365.0, what=" days")
        c.number("incident_rate", self.incident_rate, high=20.0)
        _shares(c, "kind_shares", self.kind_shares, len(_OTHER_KINDS))
        if self.orders_per_customer is not None:
            c.number("orders_per_customer", self.orders_per_customer, high=100.0)
        lanes: object = self.lanes
        if not isinstance(lanes, tuple) or len(lanes) > _MAX_LANES:
            c.fail("lanes", lanes, f"a tuple of at most {_MAX_LANES:,} lane keys")
        else:
            for i, lane in enumerate(lanes):
                c.text(f"lanes[{i}]", lane, max_length=_MAX_LANE_LENGTH)
        c.done()


_BATCH_MIX: Final = SyntheticConfig(orders_per_customer=2.0, incident_rate=2.5, lanes=_LANES)
""":func:`synthetic_mapping`'s default: about 3 incidents per customer (2.5 x 1.2 by segment)."""


def _check_call(customers: object, seed: object, as_of: object, config: object) -> None:
    c = Checks()
    c.number("customers", customers, high=MAX_CUSTOMERS, integer=True)
    if not isinstance(seed, np.random.Generator):
        c.number("seed", seed, high=2**63 - 1, integer=True)
    c.moment("as_of", as_of)
    c.instance("config", config, SyntheticConfig, "a SyntheticConfig")
    c.done()


def _moments(us: IntArray) -> Array:
    return us.astype("datetime64[us]")


def _pick_rows(
    rng: np.random.Generator, count: IntArray, offsets: IntArray, rows: IntArray
) -> IntArray:
    """One random row among each owner's ``count`` rows starting at ``offsets`` (-1: none)."""
    k = count[rows]
    at = offsets[rows] + np.floor(rng.random(rows.size) * np.maximum(k, 1)).astype(np.int64)
    return np.where(k > 0, at, -1)


def draw_tables(  # noqa: PLR0915 - one draw per documented distribution
    customers: int,
    *,
    seed: int | np.random.Generator,
    as_of: datetime,
    config: SyntheticConfig | None = None,
) -> tuple[dict[str, Array], dict[str, Array], dict[str, Array]]:
    """Draw a synthetic portfolio as three dicts of columns (customers, orders, incidents).

    The columns are named and encoded as :data:`~custadvocacy.batch.SCHEMA` says
    (integer ids, ``datetime64[us]`` moments, category values as text codes), so
    ``columns_from_mapping(*draw_tables(...))`` reads them, and a pandas
    ``DataFrame`` of each dict shows them. Same seed and settings, same columns.

    Args:
        customers: How many customers (0 to 20,000,000).
        seed: An integer seed (>= 0) or a :class:`numpy.random.Generator` (drawn from).
        as_of: The moment the portfolio is observed (timezone-aware).
        config: The distributions' settings (default: :class:`SyntheticConfig`).

    Returns:
        ``(customers, orders, incidents)``, each a dict of 1-d arrays of equal length.

    Raises:
        ValidationError: An argument is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context
        >>> cust, orders, incidents = draw_tables(1000, seed=7, as_of=example_context().as_of)
        >>> cust["id"].shape, sorted(set(cust["segment"].tolist()))
        ((1000,), ['enterprise', 'mid_market', 'small'])

    .. versionadded:: 0.1.0
    """
    # A notebook's loop hands numpy's integers (`for seed in np.arange(5)`): the same.
    customers = typing.cast("int", plain_int(customers))
    seed = typing.cast("int | np.random.Generator", plain_int(seed))
    _check_call(customers, seed, as_of, SyntheticConfig() if config is None else config)
    cfg = SyntheticConfig() if config is None else config
    rng = np.random.default_rng(seed)  # a Generator is returned as it is
    n = int(customers)
    now = round(as_of.timestamp() * 1e6)
    day = float(_DAY_US)

    # -- customers -------------------------------------------------------------------
    segment = rng.choice(len(_SEGMENTS), size=n, p=np.asarray(cfg.segment_shares))
    currency = rng.choice(len(cfg.currencies), size=n, p=np.asarray(cfg.currency_shares))
    unit = np.asarray(cfg.currency_units, dtype=np.float64)[currency]
    median = np.asarray(_MEDIAN_VALUE)[segment]
    sigma = np.asarray(_VALUE_SIGMA)[segment]
    annual_eur = median * np.exp(sigma * rng.standard_normal(n))
    has_profile = rng.random(n) < cfg.profile_share
    nan = np.full(n, np.nan)
    daily = annual_eur * np.exp(np.log(4.0) + 0.5 * rng.standard_normal(n)) / 250.0
    margin = rng.beta(4.0, 6.0, n)
    buffer_days = rng.gamma(2.0, 1.5, n)
    hourly = 45.0 * np.exp(0.2 * rng.standard_normal(n))
    staff = 1.0 + rng.poisson(np.asarray(_STAFF)[segment]).astype(np.float64)
    nps = rng.choice(11, size=n, p=np.asarray(_NPS_P)).astype(np.float64)
    csat = np.clip(rng.normal(3.9, 0.8, n), 1.0, 5.0)
    tickets = rng.poisson(np.asarray(_TICKETS)[segment]).astype(np.float64)
    trend = np.clip(rng.normal(0.0, 0.1, n), -1.0, 10.0)
    since = now - (rng.uniform(30.0, 3650.0, n) * day).astype(np.int64)
    renewal = now + (rng.uniform(1.0, 365.0, n) * day).astype(np.int64)
    nps_known = rng.random(n) < 0.6
    csat_known = rng.random(n) < 0.5
    cust: dict[str, Array] = {
        "id": np.arange(n, dtype=np.int64),
        "segment": np.asarray(_SEGMENTS)[segment],
        "currency": np.asarray(cfg.currencies)[currency],
        "annual_value": np.round(annual_eur * unit, 2),
        "customer_since": _moments(since),
        "renewal_at": _moments(renewal),
        "daily_revenue": np.where(has_profile, np.round(daily * unit, 2), nan),
        "gross_margin": np.where(has_profile, margin, nan),
        "buffer_days": np.where(has_profile, buffer_days, nan),
        "staff_hourly_cost": np.where(has_profile, np.round(hourly * unit, 2), nan),
        "staff_count": np.where(has_profile, staff, nan),
        "nps": np.where(nps_known, nps, nan),
        "csat": np.where(csat_known, csat, nan),
        "open_tickets": tickets,
        "usage_trend": trend,
    }

    # -- orders ----------------------------------------------------------------------
    if cfg.orders_per_customer is None:
        per_customer = 1 + rng.poisson(np.asarray(_EXTRA_ORDERS)[segment])
    else:
        per_customer = rng.poisson(cfg.orders_per_customer, n)
    owner = np.repeat(np.arange(n, dtype=np.int64), per_customer)
    m = owner.size
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_customer, out=offsets[1:])
    placed = now - (rng.uniform(0.0, 45.0, m) * day).astype(np.int64)
    lead = rng.gamma(4.0, cfg.lead_time_days / 4.0, m)
    promised = placed + (lead * day).astype(np.int64)
    late = rng.random(m) < cfg.late_share
    lateness = np.where(
        late, 0.5 + rng.exponential(cfg.mean_days_late, m), -rng.uniform(0.0, 1.0, m)
    )
    arrival = np.maximum(promised + (lateness * day).astype(np.int64), placed + _DAY_US // 10)
    delivered = arrival <= now
    eta_known = ~delivered & (rng.random(m) < 0.6)
    eta = np.maximum(arrival + (rng.normal(0.0, 1.0, m) * day).astype(np.int64), placed)
    missing = np.datetime64("NaT")
    order_value = annual_eur[owner] / 12.0 * np.exp(0.6 * rng.standard_normal(m))
    orders: dict[str, Array] = {
        "id": np.arange(m, dtype=np.int64),
        "customer_id": owner,
        "placed_at": _moments(placed),
        "promised_at": _moments(promised),
        "value": np.round(order_value * unit[owner], 2),
        "currency": cust["currency"][owner],
        "criticality": rng.beta(0.7, 2.5, m),
        "delivered_at": np.where(delivered, _moments(arrival), missing),
        "eta": np.where(eta_known, _moments(eta), missing),
    }

    # -- incidents: late deliveries, then the other kinds ------------------------------
    late_rows = np.flatnonzero(delivered & (arrival - promised > _DAY_US // 2))
    late_rows = late_rows[rng.random(late_rows.size) < 0.8]
    other_count = rng.poisson(cfg.incident_rate * np.asarray(_INCIDENT_MULT)[segment])
    other_owner = np.repeat(np.arange(n, dtype=np.int64), other_count)
    kinds = np.asarray([k.value for k in _OTHER_KINDS])
    kind_code = rng.choice(len(_OTHER_KINDS), size=other_owner.size, p=np.asarray(cfg.kind_shares))
    needs = np.isin(kind_code, [i for i, k in enumerate(_OTHER_KINDS) if k in _NEEDS_ORDER])
    other_order = np.where(needs, _pick_rows(rng, per_customer, offsets, other_owner), -1)
    other_opened = now - (rng.uniform(0.0, _WINDOW_DAYS, other_owner.size) * day).astype(np.int64)
    # A late delivery is opened when the promise is missed (half a day after it).
    late_opened = promised[late_rows] + _DAY_US // 2
    k_total = late_rows.size + other_owner.size
    inc_owner = np.concatenate([owner[late_rows], other_owner])
    inc_order = np.concatenate([late_rows, other_order])
    opened = np.concatenate([late_opened, other_opened])
    kind = np.concatenate(
        [np.full(late_rows.size, IncidentKind.LATE_DELIVERY.value), kinds[kind_code]]
    )
    severity_values = np.asarray(["low", "medium", "high", "critical"])
    severity = severity_values[rng.choice(4, size=k_total, p=np.asarray(_SEVERITY_P))]
    noticed = np.where(rng.random(k_total) < 0.4, "vendor", "customer")
    resolve_at = opened + (rng.exponential(2.0, k_total) * day).astype(np.int64)
    resolved = (rng.random(k_total) < 0.6) & (resolve_at <= now)
    is_billing = kind == IncidentKind.BILLING_ERROR.value
    amount = annual_eur[inc_owner] / 12.0 * rng.uniform(0.05, 0.5, k_total)
    incidents: dict[str, Array] = {
        "id": np.arange(k_total, dtype=np.int64),
        "customer_id": inc_owner,
        "kind": kind,
        "opened_at": _moments(opened),
        "severity": severity,
        "noticed_by": noticed,
        "order_id": inc_order,
        "resolved_at": np.where(resolved, _moments(resolve_at), missing),
        "affected_share": rng.beta(2.0, 3.0, k_total),
        "amount": np.where(is_billing, np.round(amount * unit[inc_owner], 2), np.nan),
        "effort_hours": rng.gamma(2.0, 2.0, k_total),
    }
    if cfg.lanes:  # drawn last: the other columns are those of a draw without lanes
        orders["lane"] = np.asarray(cfg.lanes)[rng.integers(0, len(cfg.lanes), m)]
    return cust, orders, incidents


def synthetic_mapping(
    customers: int,
    *,
    seed: int | np.random.Generator = 0,
    as_of: datetime = EXAMPLE_AS_OF,
    config: SyntheticConfig | None = None,
) -> PortfolioTables:
    """Draw a synthetic portfolio as the three tables' columns (numpy arrays).

    Integer ids, moments as ``datetime64[us]``, categories as text codes: the encodings
    :func:`~custadvocacy.batch.columns_from_mapping` reads, and a pandas ``DataFrame``
    of each table shows them. Amounts suit the example context (EUR reporting, CZK and
    GBP accounts). Without a ``config``, the batch mix: Poisson(2) orders per customer
    (so some have none), about 3 incidents per customer besides the late deliveries
    (``incident_rate=2.5``), every order on one of five lanes (so a fitted lead-time
    model has lane history). With one, its settings as they are:
    ``config=SyntheticConfig()`` draws the lab's portfolio, the one
    :func:`~custadvocacy.lab.synthetic_columns` reads. Same seed and settings, same
    portfolio, row for row.

    Args:
        customers: How many customers (0 to 20,000,000).
        seed: A seed (>= 0) or a numpy ``Generator``: the same one gives the same portfolio.
        as_of: The moment the portfolio is drawn around (the example's by default).
        config: The distributions' settings (:class:`~custadvocacy.lab.SyntheticConfig`;
            default: the batch mix above).

    Returns:
        ``{"customers": {...}, "orders": {...}, "incidents": {...}}``, each a mapping of
        column name to array.

    Raises:
        ValidationError: An argument is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.batch import columns_from_mapping
        >>> tables = synthetic_mapping(1_000, seed=7)
        >>> columns_from_mapping(**tables)
        PortfolioColumns(customers=1000, orders=..., incidents=..., currencies=('CZK', 'EUR', 'GBP'), dropped=0)
        >>> sorted(set(tables["orders"]["lane"].tolist()))[:2]
        ['CN-NL sea', 'DE-CZ road']

    .. versionadded:: 0.1.0
    """
    cust, orders, incidents = draw_tables(
        customers, seed=seed, as_of=as_of, config=_BATCH_MIX if config is None else config
    )
    return {"customers": cust, "orders": orders, "incidents": incidents}
