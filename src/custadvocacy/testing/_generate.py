"""The composite strategies behind :mod:`custadvocacy.testing.strategies`.

They carry the public names (``customers``, ``orders``...) because Hypothesis shows a
composite strategy by its function's name: ``customers(currencies=...)`` reads better
in a failure report than a private name. The public functions check their arguments
and call these; the defaults are resolved here, so a repr lists only what the caller
set.

Every draw is built from integers, ``None``-or-value choices and ``sampled_from``
tuples whose first element is the simplest, so examples shrink toward zero-length
durations, zero amounts, UTC, absent optional fields and the first enum member.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Final, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from custadvocacy._context import Context
from custadvocacy._currencies import MINOR_UNITS
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
from custadvocacy._money import ExchangeRates, Money
from custadvocacy._portfolio import Portfolio

T = TypeVar("T")

DEFAULT_CURRENCIES: Final = ("EUR", "CZK", "GBP", "USD", "JPY", "BHD")
"""Currencies drawn when none are given: the example's three, and 0- and 3-decimal ones."""

DEFAULT_MAX_AMOUNT: Final = 1_000_000
"""Default upper bound of money(); one shared object, so a repr can leave it out."""

DEFAULT_MIN_MOMENT: Final = datetime(2000, 1, 1, tzinfo=UTC)
DEFAULT_MAX_MOMENT: Final = datetime(2040, 1, 1, tzinfo=UTC)

# UTC first (examples shrink to it), then offsets a CRM sees, including odd ones.
_OFFSETS: Final[tuple[tzinfo, ...]] = tuple(
    UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
    for minutes in (0, 60, 120, -300, 330, 345, 540, -210, 765)
)

_LANES: Final = ("DE-CZ road", "NL-DE road", "UK parcel", "CN-NL sea", "PL-DE rail")
_ID_ALPHABET: Final = string.ascii_uppercase + string.digits + "-_"
_ORDER_KINDS: Final = frozenset(
    {
        IncidentKind.LATE_DELIVERY,
        IncidentKind.PARTIAL_DELIVERY,
        IncidentKind.DEFECT,
        IncidentKind.BILLING_ERROR,
    }
)
"""Kinds of incident that usually concern one order (a portfolio links them to one)."""


_COIN: Final = st.booleans()
_SHARES: Final = st.floats(0, 1)
_IDS: Final = st.text(_ID_ALPHABET, min_size=1, max_size=12)
_NAME_STARTS: Final = st.characters(categories=("Lu", "Ll"))
_NAME_RESTS: Final = st.text(st.characters(categories=("L", "N")) | st.just(" "), max_size=23)
_SUMMARIES: Final = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=40)
_ZONES: Final = st.sampled_from(_OFFSETS)
_SEGMENTS: Final = st.sampled_from(Segment)
_SEVERITIES: Final = st.sampled_from(Severity)
_NOTICED: Final = st.sampled_from(NoticedBy)
_ALL_KINDS: Final = st.sampled_from(IncidentKind)
_LANE_NAMES: Final = st.sampled_from(_LANES)
# Rates: 1 first, so examples shrink to parity; then 0.0001 to 10,000 in steps of 0.0001.
_RATES: Final = st.just(Decimal(1)) | st.integers(1, 100_000_000).map(
    lambda n: Decimal(n).scaleb(-4)
)
_DEFAULT_CODES: Final = st.sampled_from(DEFAULT_CURRENCIES)
_BUFFER_DAYS: Final = st.floats(0, 60)
_STAFF: Final = st.integers(0, 5_000)
_NPS: Final = st.integers(0, 10)
_CSAT: Final = st.floats(1, 5)
_TICKETS: Final = st.integers(0, 100)
_TRENDS: Final = st.floats(-1, 2)
_EFFORT_HOURS: Final = st.floats(0, 200)


def _maybe(draw: DrawFn, strategy: SearchStrategy[T]) -> T | None:
    """``None`` (the simplest choice) or a drawn value."""
    return draw(strategy) if draw(_COIN) else None


def _span(draw: DrawFn, low: timedelta, high: timedelta) -> timedelta:
    """A duration in whole minutes from ``low`` to ``high``, shrinking toward zero."""
    minute = timedelta(minutes=1)
    low_minutes = math.ceil(low / minute)
    high_minutes = max(low_minutes, math.floor(high / minute))
    return timedelta(minutes=draw(st.integers(low_minutes, high_minutes)))


def _days(days: float) -> timedelta:
    return timedelta(days=days)


def _code(draw: DrawFn, currencies: SearchStrategy[str] | None) -> str:
    return draw(currencies if currencies is not None else _DEFAULT_CODES)


def _amount(
    draw: DrawFn,
    code: str,
    *,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str,
    places: int | None = None,
) -> Money:
    decimals = MINOR_UNITS.get(code, 2) if places is None else places
    scale = Decimal(10) ** decimals
    low = math.ceil(Decimal(min_value) * scale)
    high = math.floor(Decimal(max_value) * scale)
    if low > high:
        raise InvalidArgument(
            f"money(min_value={min_value!r}, max_value={max_value!r}) holds no amount "
            f"with {decimals} decimals in {code}; widen the bounds or set places="
        )
    units = draw(st.integers(low, high))
    return Money(Decimal(units).scaleb(-decimals), code)


def _anchor(draw: DrawFn, as_of: datetime | None) -> datetime:
    return as_of if as_of is not None else _moment(draw, None, None, None)


def _moment(
    draw: DrawFn,
    min_value: datetime | None,
    max_value: datetime | None,
    timezones: SearchStrategy[tzinfo] | None,
) -> datetime:
    low = min_value if min_value is not None else DEFAULT_MIN_MOMENT
    high = max_value if max_value is not None else DEFAULT_MAX_MOMENT
    seconds = draw(st.integers(0, math.floor((high - low).total_seconds())))
    zone = draw(timezones if timezones is not None else _ZONES)
    return (low + timedelta(seconds=seconds)).astimezone(zone)


def _id(draw: DrawFn, ids: SearchStrategy[str] | None) -> str:
    return draw(ids if ids is not None else _IDS)


# ------------------------------------------------------------------------ scalars


@st.composite
def currencies(draw: DrawFn, *, codes: Sequence[str] | None = None) -> str:
    """ISO 4217 codes from ``codes`` (default DEFAULT_CURRENCIES), shrinking to the first."""
    return draw(st.sampled_from(tuple(codes)) if codes else _DEFAULT_CODES)


@st.composite
def money(
    draw: DrawFn,
    *,
    currencies: SearchStrategy[str] | None = None,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = DEFAULT_MAX_AMOUNT,
    places: int | None = None,
) -> Money:
    """Money with ``places`` decimals (default the currency's minor unit) in the bounds."""
    code = _code(draw, currencies)
    return _amount(draw, code, min_value=min_value, max_value=max_value, places=places)


@st.composite
def moments(
    draw: DrawFn,
    *,
    min_value: datetime | None = None,
    max_value: datetime | None = None,
    timezones: SearchStrategy[tzinfo] | None = None,
) -> datetime:
    """Aware datetimes, whole seconds, shrinking to ``min_value`` in UTC."""
    return _moment(draw, min_value, max_value, timezones)


# ---------------------------------------------------------------- domain objects


def _profile(draw: DrawFn, code: str) -> OperatingProfile:
    revenue = _amount(draw, code, max_value=10_000_000) if draw(_COIN) else None
    margin = _maybe(draw, _SHARES)
    buffer = _maybe(draw, _BUFFER_DAYS)
    staff_cost = _amount(draw, code, max_value=500) if draw(_COIN) else None
    return OperatingProfile(
        daily_revenue=revenue,
        gross_margin=margin,
        buffer_days=buffer,
        staff_hourly_cost=staff_cost,
        staff_count=_maybe(draw, _STAFF),
    )


def _health(draw: DrawFn) -> HealthSignals:
    return HealthSignals(
        nps=_maybe(draw, _NPS),
        csat=_maybe(draw, _CSAT),
        open_tickets=_maybe(draw, _TICKETS),
        usage_trend=_maybe(draw, _TRENDS),
    )


@st.composite
def operating_profiles(
    draw: DrawFn, *, currencies: SearchStrategy[str] | None = None
) -> OperatingProfile:
    """Profiles with every field independently absent or set; money in one currency."""
    return _profile(draw, _code(draw, currencies))


@st.composite
def health_signals(draw: DrawFn) -> HealthSignals:
    """Signals with every field independently absent or set, within their ranges."""
    return _health(draw)


def _customer(
    draw: DrawFn,
    *,
    ids: SearchStrategy[str] | None,
    currencies: SearchStrategy[str] | None,
    segments: SearchStrategy[Segment] | None,
    anchor: datetime,
) -> Customer:
    code = _code(draw, currencies)
    since = anchor - _span(draw, timedelta(0), _days(365 * 30))
    renewal = anchor + _span(draw, timedelta(0), _days(3 * 365)) if draw(_COIN) else None
    return Customer(
        id=_id(draw, ids),
        name=draw(_NAME_STARTS) + draw(_NAME_RESTS),
        segment=draw(segments if segments is not None else _SEGMENTS),
        customer_since=since,
        currency=code,
        annual_value=_amount(draw, code, max_value=100_000_000),
        renewal_at=renewal,
        profile=_profile(draw, code),
        health=_health(draw),
    )


@st.composite
def customers(
    draw: DrawFn,
    *,
    ids: SearchStrategy[str] | None = None,
    currencies: SearchStrategy[str] | None = None,
    segments: SearchStrategy[Segment] | None = None,
    as_of: datetime | None = None,
) -> Customer:
    """Customers with a history before ``as_of`` and optional profile and signals."""
    return _customer(
        draw, ids=ids, currencies=currencies, segments=segments, anchor=_anchor(draw, as_of)
    )


def _order(
    draw: DrawFn,
    *,
    ids: SearchStrategy[str] | None,
    customer_ids: SearchStrategy[str] | None,
    code: str,
    anchor: datetime,
    delivered: bool,
    late_only: bool,
) -> Order:
    lead = _span(draw, timedelta(0), _days(60))
    eta = None
    done: datetime | None = None
    if delivered:
        done = anchor - _span(draw, timedelta(0), _days(300))
        low = timedelta(minutes=1) if late_only else -_days(30)
        promised = done - _span(draw, low, _days(30))
        placed = min(promised, done) - lead
    else:
        if late_only:
            promised = anchor - _span(draw, timedelta(minutes=1), _days(30))
        else:
            promised = anchor + _span(draw, -_days(30), _days(60))
        placed = min(promised, anchor) - lead
        if draw(_COIN):
            eta = promised + _span(draw, max(placed - promised, -_days(10)), _days(30))
    return Order(
        id=_id(draw, ids),
        customer_id=_id(draw, customer_ids),
        placed_at=placed,
        promised_at=promised,
        value=_amount(draw, code, max_value=10_000_000),
        criticality=_maybe(draw, _SHARES),
        delivered_at=done,
        eta=eta,
        lane=_maybe(draw, _LANE_NAMES),
    )


@st.composite
def orders(
    draw: DrawFn,
    *,
    ids: SearchStrategy[str] | None = None,
    customer_ids: SearchStrategy[str] | None = None,
    currencies: SearchStrategy[str] | None = None,
    as_of: datetime | None = None,
    delivered: bool | None = None,
    late_only: bool = False,
) -> Order:
    """Orders placed before ``as_of``; delivered ones delivered by then."""
    anchor = _anchor(draw, as_of)
    if delivered is None:
        # Without an as_of, "late" can only mean delivered late.
        delivered = True if late_only and as_of is None else draw(_COIN)
    return _order(
        draw,
        ids=ids,
        customer_ids=customer_ids,
        code=_code(draw, currencies),
        anchor=anchor,
        delivered=delivered,
        late_only=late_only,
    )


def _incident(
    draw: DrawFn,
    *,
    ids: SearchStrategy[str] | None,
    customer_ids: SearchStrategy[str] | None,
    order_id: str | None,
    kinds: SearchStrategy[IncidentKind],
    currencies: SearchStrategy[str] | None,
    anchor: datetime,
    not_before: datetime | None,
) -> Incident:
    earliest = anchor - _days(120) if not_before is None else min(not_before, anchor)
    opened = anchor - _span(draw, timedelta(0), anchor - earliest)
    resolved = opened + _span(draw, timedelta(0), anchor - opened) if draw(_COIN) else None
    amount = _amount(draw, _code(draw, currencies), max_value=100_000) if draw(_COIN) else None
    return Incident(
        id=_id(draw, ids),
        customer_id=_id(draw, customer_ids),
        kind=draw(kinds),
        opened_at=opened,
        severity=draw(_SEVERITIES),
        noticed_by=_maybe(draw, _NOTICED),
        order_id=order_id,
        resolved_at=resolved,
        affected_share=draw(_SHARES),
        amount=amount,
        effort_hours=_maybe(draw, _EFFORT_HOURS),
        summary=draw(_SUMMARIES),
    )


@st.composite
def incidents(
    draw: DrawFn,
    *,
    ids: SearchStrategy[str] | None = None,
    customer_ids: SearchStrategy[str] | None = None,
    order_ids: SearchStrategy[str | None] | None = None,
    kinds: Sequence[IncidentKind] | None = None,
    currencies: SearchStrategy[str] | None = None,
    as_of: datetime | None = None,
) -> Incident:
    """Incidents opened up to 120 days before ``as_of``, resolved by then if at all."""
    return _incident(
        draw,
        ids=ids,
        customer_ids=customer_ids,
        order_id=draw(order_ids) if order_ids is not None else None,
        kinds=st.sampled_from(tuple(kinds)) if kinds else _ALL_KINDS,
        currencies=currencies,
        anchor=_anchor(draw, as_of),
        not_before=None,
    )


# ---------------------------------------------------------------- rates, context


def _rates(draw: DrawFn, home: str, pool: Sequence[str]) -> ExchangeRates:
    table: dict[tuple[str, str], Decimal] = {}
    for code in pool:
        if code == home:
            continue
        pair = (code, home) if draw(_COIN) else (home, code)
        table[pair] = draw(_RATES)
    return ExchangeRates(table)


@st.composite
def exchange_rates(
    draw: DrawFn, *, base: str | None = None, currencies: Sequence[str] | None = None
) -> ExchangeRates:
    """A rate between ``base`` and every other code, some stored the other way round."""
    pool = tuple(currencies) if currencies else DEFAULT_CURRENCIES
    home = base if base is not None else draw(st.sampled_from(pool))
    return _rates(draw, home, pool)


@st.composite
def contexts(
    draw: DrawFn, *, currencies: Sequence[str] | None = None, as_of: datetime | None = None
) -> Context:
    """A context reporting in one of ``currencies`` with a rate to each of the others."""
    pool = tuple(currencies) if currencies else DEFAULT_CURRENCIES
    home = draw(st.sampled_from(pool))
    anchor = _anchor(draw, as_of)
    return Context(as_of=anchor, currency=home, rates=_rates(draw, home, pool))


def convertible(context: Context) -> tuple[str, ...]:
    """The codes ``context`` can convert into its reporting currency (its own first)."""
    home = context.currency
    others = {
        base if quote == home else quote
        for base, quote in context.rates.rates
        if home in (base, quote)
    }
    return (home, *sorted(others - {home}))


# ---------------------------------------------------------------------- portfolio

# "One more?" before each item, true 4 times in 5 and shrinking to "no more". The flag
# and its item are drawn inside one composite (one span, as st.lists does it), so the
# shrinker deletes a whole customer, order or incident by deleting that span.
_MORE: Final = st.integers(0, 4).map(bool)


@attrs.frozen(kw_only=True)
class _Plan:
    """What portfolios() was asked for, resolved."""

    as_of: datetime
    codes: SearchStrategy[str]
    kinds: SearchStrategy[IncidentKind]
    delivered: bool | None
    late_only: bool
    on_orders: bool
    max_orders: int
    max_incidents: int


@st.composite
def _next_order(draw: DrawFn, plan: _Plan, customer: Customer, order_id: str) -> Order | None:
    if not draw(_MORE):
        return None
    return _order(
        draw,
        ids=st.just(order_id),
        customer_ids=st.just(customer.id),
        code=customer.currency,
        anchor=plan.as_of,
        delivered=plan.delivered if plan.delivered is not None else draw(_COIN),
        late_only=plan.late_only,
    )


@st.composite
def _next_incident(
    draw: DrawFn, plan: _Plan, customer: Customer, orders: tuple[Order, ...], incident_id: str
) -> Incident | None:
    if not draw(_MORE):
        return None
    kind = draw(plan.kinds)
    target = None
    if kind in _ORDER_KINDS and orders and (plan.on_orders or draw(_COIN)):
        target = draw(st.sampled_from(orders))
    return _incident(
        draw,
        ids=st.just(incident_id),
        customer_ids=st.just(customer.id),
        order_id=target.id if target is not None else None,
        kinds=st.just(kind),
        currencies=st.just(customer.currency),
        anchor=plan.as_of,
        not_before=target.placed_at if target is not None else None,
    )


@st.composite
def _next_customer(
    draw: DrawFn,
    plan: _Plan,
    taken: frozenset[str],
    first_order: int,
    first_incident: int,
    *,
    required: bool,
) -> tuple[Customer, list[Order], list[Incident]] | None:
    if not required and not draw(_MORE):
        return None
    cid = draw(_IDS)
    suffix = 1
    while cid in taken:  # a collision is rare; a suffix keeps ids unique and valid
        cid, suffix = f"{cid}-{suffix}", suffix + 1
    customer = _customer(
        draw, ids=st.just(cid), currencies=plan.codes, segments=None, anchor=plan.as_of
    )
    mine: list[Order] = []
    while len(mine) < plan.max_orders:
        order = draw(_next_order(plan, customer, f"O{first_order + len(mine)}"))
        if order is None:
            break
        mine.append(order)
    troubles: list[Incident] = []
    while len(troubles) < plan.max_incidents:
        incident = draw(
            _next_incident(plan, customer, tuple(mine), f"I{first_incident + len(troubles)}")
        )
        if incident is None:
            break
        troubles.append(incident)
    return customer, mine, troubles


@st.composite
def portfolios(
    draw: DrawFn,
    *,
    context: Context | None = None,
    currencies: Sequence[str] | None = None,
    incident_kinds: Sequence[IncidentKind] | None = None,
    late_only: bool = False,
    on_orders: bool = False,
    open_orders: bool = False,
    min_size: int = 0,
    max_size: int = 4,
    max_orders: int = 3,
    max_incidents: int = 2,
) -> Portfolio:
    """A consistent portfolio: every reference resolves, every currency converts.

    ``on_orders``: an incident of a kind that can name an order names one of its
    customer's orders whenever there is one (else on the flip of a coin).
    ``open_orders``: no order is delivered yet (needs a ``context``).
    """
    if currencies:
        codes = st.sampled_from(tuple(currencies))
    else:
        codes = st.sampled_from(convertible(context)) if context is not None else _DEFAULT_CODES
    plan = _Plan(
        as_of=context.as_of if context is not None else _anchor(draw, None),
        codes=codes,
        kinds=st.sampled_from(tuple(incident_kinds)) if incident_kinds else _ALL_KINDS,
        # Without a context nobody knows the moment drawn here, so "late" must not
        # depend on it: only orders delivered late are late then.
        delivered=False if open_orders else True if late_only and context is None else None,
        late_only=late_only,
        on_orders=on_orders,
        max_orders=max_orders,
        max_incidents=max_incidents,
    )
    all_customers: list[Customer] = []
    all_orders: list[Order] = []
    all_incidents: list[Incident] = []
    while len(all_customers) < max_size:
        block = draw(
            _next_customer(
                plan,
                frozenset(c.id for c in all_customers),
                len(all_orders) + 1,
                len(all_incidents) + 1,
                required=len(all_customers) < min_size,
            )
        )
        if block is None:
            break
        customer, mine, troubles = block
        all_customers.append(customer)
        all_orders.extend(mine)
        all_incidents.extend(troubles)
    return Portfolio(customers=all_customers, orders=all_orders, incidents=all_incidents)
