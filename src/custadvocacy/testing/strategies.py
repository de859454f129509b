"""Hypothesis strategies for custadvocacy's domain: valid by default, shrinking to simple.

Every strategy draws objects that pass the library's validation, and the composite
ones are consistent: :func:`portfolios` gives orders that belong to its customers,
incidents that belong to the customer (and, where they name an order, to an order of
that customer), and currencies that the given (or default) context can convert.

House style, as in Hypothesis itself: plural nouns, keyword-only arguments, arguments
that *vary* take strategies (``currencies=currencies(codes=["CZK"])``) and arguments
that *constrain* take values (``late_only=True``, ``max_size=3``, ``as_of=...``).
Failing examples shrink toward zero amounts, zero-length durations, UTC, absent
optional fields, the first enum member and small portfolios.

Each domain class is also registered for ``st.from_type`` through Hypothesis's entry
point, so ``st.from_type(Customer)`` works without importing this module.

Example:
    >>> from hypothesis import given, settings
    >>> from custadvocacy.testing.strategies import contexts, portfolios
    >>> @given(contexts(), portfolios())
    ... @settings(max_examples=20)
    ... def test_every_amount_converts(context, portfolio):
    ...     for order in portfolio.orders:
    ...         assert context.convert(order.value).currency == context.currency
    >>> test_every_amount_converts()

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Final

from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from custadvocacy._checks import MAX_YEAR, MIN_YEAR
from custadvocacy._context import Context
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._domain import (
    Customer,
    HealthSignals,
    Incident,
    IncidentKind,
    OperatingProfile,
    Order,
    Segment,
)
from custadvocacy._money import MAX_AMOUNT, ExchangeRates, Money
from custadvocacy._portfolio import Portfolio
from custadvocacy.testing import _generate
from custadvocacy.testing._generate import DEFAULT_CURRENCIES

__all__ = [
    "DEFAULT_CURRENCIES",
    "contexts",
    "currencies",
    "customers",
    "exchange_rates",
    "health_signals",
    "incidents",
    "moments",
    "money",
    "operating_profiles",
    "orders",
    "portfolios",
]

_MIN_AS_OF_YEAR: Final = 1950
_MAX_AS_OF_YEAR: Final = 2190


# ------------------------------------------------------------- argument checks


def _codes(name: str, codes: Collection[str] | None) -> tuple[str, ...] | None:
    if codes is None:
        return None
    if isinstance(codes, str):
        raise InvalidArgument(f"{name} must be a collection of codes, not the string {codes!r}")
    values: tuple[object, ...] = tuple(codes)
    if not values:
        raise InvalidArgument(f"{name} must name at least one currency")
    unknown = [c for c in values if not isinstance(c, str) or c not in MINOR_UNITS]
    if unknown:
        raise InvalidArgument(f"{name} holds codes that are not ISO 4217 currencies: {unknown!r}")
    return tuple(dict.fromkeys(str(c) for c in values))


def _strategy(name: str, value: object) -> None:
    if value is not None and not isinstance(value, SearchStrategy):
        raise InvalidArgument(
            f"{name} must be a strategy (it varies), e.g. currencies(codes=[...]); got {value!r}"
        )


def _flag(name: str, value: object, *, optional: bool = False) -> None:
    # A truthy string ("yes", "False") would silently mean True.
    if not (isinstance(value, bool) or (optional and value is None)):
        allowed = "True, False or None" if optional else "True or False"
        raise InvalidArgument(f"{name} must be {allowed}, got {value!r}")


def _as_of(value: object) -> None:
    if value is None:
        return
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidArgument(f"as_of must be a timezone-aware datetime, got {value!r}")
    if not _MIN_AS_OF_YEAR <= value.year <= _MAX_AS_OF_YEAR:
        raise InvalidArgument(
            f"as_of must lie between the years {_MIN_AS_OF_YEAR} and {_MAX_AS_OF_YEAR} "
            f"(histories reach 30 years back), got {value.isoformat()}"
        )


def _size(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgument(f"{name} must be a whole number >= 0, got {value!r}")
    return value


def _kinds(value: Collection[IncidentKind | str] | None) -> tuple[IncidentKind, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise InvalidArgument(f"kinds must be a collection of IncidentKind, not {value!r}")
    allowed = {k.value for k in IncidentKind}
    bad = [k for k in value if k not in allowed]
    if bad or not value:
        raise InvalidArgument(
            f"kinds must be a non-empty collection of IncidentKind values {sorted(allowed)}, "
            f"got {list(value)!r}"
        )
    return tuple(dict.fromkeys(IncidentKind(k) for k in value))


# ------------------------------------------------------------------ strategies


def currencies(*, codes: Collection[str] | None = None) -> SearchStrategy[str]:
    """ISO 4217 currency codes, shrinking toward the first one.

    Args:
        codes: The codes to draw from, in the order to shrink by. Default:
            :data:`DEFAULT_CURRENCIES` (EUR, CZK, GBP, USD, JPY with 0 decimals and
            BHD with 3), which every default :func:`contexts` can convert.

    Example:
        >>> currencies(codes=["CZK", "EUR"])
        currencies(codes=('CZK', 'EUR'))

    .. versionadded:: 0.1.0
    """
    return _generate.currencies(codes=_codes("codes", codes))


def money(
    *,
    currencies: SearchStrategy[str] | None = None,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = _generate.DEFAULT_MAX_AMOUNT,
    places: int | None = None,
) -> SearchStrategy[Money]:
    """:class:`~custadvocacy.Money` amounts from ``min_value`` to ``max_value``.

    Amounts are whole multiples of the minor unit (so ``rounded()`` leaves them
    unchanged) unless ``places`` asks for more or fewer decimals; they shrink toward
    zero (or the bound nearest it).

    Args:
        currencies: Strategy for the currency (default :func:`currencies`).
        min_value: Smallest amount (a negative bound allows refunds and credits).
        max_value: Largest amount; both bounds within ``MAX_AMOUNT`` (1e18).
        places: Decimal places of the amounts (0-10); default the currency's minor unit.

    Example:
        >>> from hypothesis import find
        >>> find(money(currencies=currencies(codes=["JPY"]), min_value=100), lambda m: True)
        Money('100', 'JPY')

    .. versionadded:: 0.1.0
    """
    _strategy("currencies", currencies)
    try:
        low, high = Decimal(min_value), Decimal(max_value)
    except (ArithmeticError, TypeError, ValueError):
        raise InvalidArgument(
            f"min_value and max_value must be decimal numbers, got {min_value!r}, {max_value!r}"
        ) from None
    if not (low.is_finite() and high.is_finite() and -MAX_AMOUNT <= low <= high <= MAX_AMOUNT):
        raise InvalidArgument(
            f"need -1e18 <= min_value <= max_value <= 1e18, got {min_value!r}, {max_value!r}"
        )
    if places is not None and (isinstance(places, bool) or places not in range(11)):
        raise InvalidArgument(f"places must be None or a whole number from 0 to 10, got {places!r}")
    return _generate.money(
        currencies=currencies, min_value=min_value, max_value=max_value, places=places
    )


def moments(
    *,
    min_value: datetime | None = None,
    max_value: datetime | None = None,
    timezones: SearchStrategy[tzinfo] | None = None,
) -> SearchStrategy[datetime]:
    """Timezone-aware datetimes in whole seconds, shrinking toward ``min_value`` in UTC.

    Args:
        min_value: Earliest instant (aware; default 2000-01-01 UTC).
        max_value: Latest instant (aware; default 2040-01-01 UTC). Both in the years
            1901 to 2199, so that a moment shown in any time zone stays within the
            years 1900-2200 the domain accepts.
        timezones: Strategy for the zone the result is shown in (default: UTC and
            fixed offsets from -05:00 to +12:45, including +05:45).

    Example:
        >>> from datetime import datetime, timezone
        >>> from hypothesis import find
        >>> start = datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
        >>> find(moments(min_value=start), lambda m: True).isoformat()
        '2026-11-20T09:00:00+00:00'

    .. versionadded:: 0.1.0
    """
    _strategy("timezones", timezones)
    bounds: tuple[tuple[str, object], ...] = (("min_value", min_value), ("max_value", max_value))
    for name, bound in bounds:
        if bound is not None and (
            not isinstance(bound, datetime)
            or bound.utcoffset() is None
            or not MIN_YEAR < bound.year < MAX_YEAR
        ):
            raise InvalidArgument(
                f"{name} must be a timezone-aware datetime in the years {MIN_YEAR + 1} to "
                f"{MAX_YEAR - 1} (so that, shown in any time zone, it stays within the "
                f"years {MIN_YEAR}-{MAX_YEAR} the domain accepts), got {bound!r}"
            )
    low = min_value or _generate.DEFAULT_MIN_MOMENT
    high = max_value or _generate.DEFAULT_MAX_MOMENT
    if low > high:
        defaulted = " (the default)" if max_value is None else ""
        raise InvalidArgument(
            f"min_value {low.isoformat()} is after max_value {high.isoformat()}{defaulted}"
        )
    return _generate.moments(min_value=min_value, max_value=max_value, timezones=timezones)


def operating_profiles(
    *, currencies: SearchStrategy[str] | None = None
) -> SearchStrategy[OperatingProfile]:
    """:class:`~custadvocacy.OperatingProfile` values, each field independently absent.

    Args:
        currencies: Strategy for the one currency of the profile's money fields.

    Example:
        >>> from hypothesis import find
        >>> find(operating_profiles(), lambda p: True)
        OperatingProfile(daily_revenue=None, gross_margin=None, buffer_days=None, staff_hourly_cost=None, staff_count=None)

    .. versionadded:: 0.1.0
    """
    _strategy("currencies", currencies)
    return _generate.operating_profiles(currencies=currencies)


def health_signals() -> SearchStrategy[HealthSignals]:
    """:class:`~custadvocacy.HealthSignals` values, each signal independently absent.

    Example:
        >>> from hypothesis import find
        >>> find(health_signals(), lambda h: h.nps is not None)
        HealthSignals(nps=0, csat=None, open_tickets=None, usage_trend=None)

    .. versionadded:: 0.1.0
    """
    return _generate.health_signals()


def customers(
    *,
    ids: SearchStrategy[str] | None = None,
    currencies: SearchStrategy[str] | None = None,
    segments: SearchStrategy[Segment] | None = None,
    as_of: datetime | None = None,
) -> SearchStrategy[Customer]:
    """:class:`~custadvocacy.Customer` values with an optional profile and signals.

    The annual value and the profile's money are in the customer's currency.

    Args:
        ids: Strategy for the id (default: 1-12 characters of ``A-Z0-9-_``).
        currencies: Strategy for the account currency.
        segments: Strategy for the segment (default: any :class:`~custadvocacy.Segment`).
        as_of: The moment the customer is seen at (aware, years 1950-2190): the
            relationship began up to 30 years before it, a renewal comes after it.
            Default: a drawn moment.

    Example:
        >>> from hypothesis import given, settings
        >>> @given(customers(currencies=currencies(codes=["CZK"])))
        ... @settings(max_examples=20)
        ... def test_annual_value_in_account_currency(customer):
        ...     assert customer.annual_value.currency == customer.currency == "CZK"
        >>> test_annual_value_in_account_currency()

    .. versionadded:: 0.1.0
    """
    for name, value in (("ids", ids), ("currencies", currencies), ("segments", segments)):
        _strategy(name, value)
    _as_of(as_of)
    return _generate.customers(ids=ids, currencies=currencies, segments=segments, as_of=as_of)


def orders(
    *,
    ids: SearchStrategy[str] | None = None,
    customer_ids: SearchStrategy[str] | None = None,
    currencies: SearchStrategy[str] | None = None,
    as_of: datetime | None = None,
    delivered: bool | None = None,
    late_only: bool = False,
) -> SearchStrategy[Order]:
    """:class:`~custadvocacy.Order` values placed before ``as_of``.

    A delivered order was delivered by ``as_of``; an open one may carry a carrier ETA.

    Args:
        ids: Strategy for the order id.
        customer_ids: Strategy for the customer id it belongs to.
        currencies: Strategy for the currency of its value.
        as_of: The moment the order is seen at (aware, years 1950-2190). Default: a
            drawn moment.
        delivered: ``True`` for delivered orders only, ``False`` for open ones only,
            ``None`` (default) for both.
        late_only: Only late orders: delivered after the promise, or open and past
            the promise at ``as_of`` (which open late orders need).

    Raises:
        InvalidArgument: ``late_only`` with ``delivered=False`` but no ``as_of``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from hypothesis import given, settings
        >>> now = datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
        >>> @given(orders(as_of=now, late_only=True))
        ... @settings(max_examples=20)
        ... def test_late_orders_are_late(order):
        ...     assert order.days_late(now) > 0
        >>> test_late_orders_are_late()

    .. versionadded:: 0.1.0
    """
    for name, value in (("ids", ids), ("customer_ids", customer_ids), ("currencies", currencies)):
        _strategy(name, value)
    _as_of(as_of)
    _flag("delivered", delivered, optional=True)
    _flag("late_only", late_only)
    if late_only and delivered is False and as_of is None:
        raise InvalidArgument(
            "open orders are late only relative to a moment: pass as_of= with late_only=True "
            "and delivered=False"
        )
    return _generate.orders(
        ids=ids,
        customer_ids=customer_ids,
        currencies=currencies,
        as_of=as_of,
        delivered=delivered,
        late_only=late_only,
    )


def incidents(
    *,
    ids: SearchStrategy[str] | None = None,
    customer_ids: SearchStrategy[str] | None = None,
    order_ids: SearchStrategy[str | None] | None = None,
    kinds: Collection[IncidentKind] | None = None,
    currencies: SearchStrategy[str] | None = None,
    as_of: datetime | None = None,
) -> SearchStrategy[Incident]:
    """:class:`~custadvocacy.Incident` values opened up to 120 days before ``as_of``.

    A resolved incident was resolved by ``as_of``.

    Args:
        ids: Strategy for the incident id.
        customer_ids: Strategy for the customer id it hit.
        order_ids: Strategy for the order id it concerns (``None`` allowed); default:
            no order.
        kinds: The kinds to draw from (default: every :class:`~custadvocacy.IncidentKind`).
        currencies: Strategy for the currency of the money at issue.
        as_of: The moment the incident is seen at (aware, years 1950-2190).

    Example:
        >>> from hypothesis import find
        >>> from custadvocacy import IncidentKind
        >>> find(incidents(kinds=[IncidentKind.DEFECT]), lambda i: True).kind
        <IncidentKind.DEFECT: 'defect'>

    .. versionadded:: 0.1.0
    """
    for name, value in (
        ("ids", ids),
        ("customer_ids", customer_ids),
        ("order_ids", order_ids),
        ("currencies", currencies),
    ):
        _strategy(name, value)
    _as_of(as_of)
    return _generate.incidents(
        ids=ids,
        customer_ids=customer_ids,
        order_ids=order_ids,
        kinds=_kinds(kinds),
        currencies=currencies,
        as_of=as_of,
    )


def exchange_rates(
    *, base: str | None = None, currencies: Collection[str] | None = None
) -> SearchStrategy[ExchangeRates]:
    """:class:`~custadvocacy.ExchangeRates` with a rate between ``base`` and each other code.

    Some pairs are stored the other way round (quote to base), so code under test
    meets derived inverse rates too. Rates shrink toward 1.

    Args:
        base: The currency every rate involves (default: one drawn from ``currencies``).
        currencies: The codes to cover (default :data:`DEFAULT_CURRENCIES`).

    Example:
        >>> from hypothesis import find
        >>> find(exchange_rates(base="EUR", currencies=["EUR", "CZK"]), lambda r: True)
        ExchangeRates({('EUR', 'CZK'): '1'})

    .. versionadded:: 0.1.0
    """
    pool = _codes("currencies", currencies)
    if base is not None:
        _codes("base", [base])
        if base not in (pool or DEFAULT_CURRENCIES):
            raise InvalidArgument(f"base {base!r} must be one of the currencies {pool!r}")
    return _generate.exchange_rates(base=base, currencies=pool)


def contexts(
    *, currencies: Collection[str] | None = None, as_of: datetime | None = None
) -> SearchStrategy[Context]:
    """:class:`~custadvocacy.Context` values that can convert every one of ``currencies``.

    Args:
        currencies: The codes the context must convert; the reporting currency is
            drawn from them (default :data:`DEFAULT_CURRENCIES`).
        as_of: A fixed moment (aware, years 1950-2190); default a drawn one.

    Example:
        >>> from hypothesis import find
        >>> ctx = find(contexts(currencies=["GBP", "EUR"]), lambda c: True)
        >>> ctx.currency, ctx.rates.rate("EUR", "GBP")
        ('GBP', Decimal('1'))

    .. versionadded:: 0.1.0
    """
    _as_of(as_of)
    return _generate.contexts(currencies=_codes("currencies", currencies), as_of=as_of)


def portfolios(
    *,
    context: Context | None = None,
    currencies: Collection[str] | None = None,
    incident_kinds: Collection[IncidentKind] | None = None,
    late_only: bool = False,
    min_size: int = 0,
    max_size: int = 4,
    max_orders: int = 3,
    max_incidents: int = 2,
) -> SearchStrategy[Portfolio]:
    """Consistent :class:`~custadvocacy.Portfolio` values.

    Every order belongs to a customer of the portfolio and is in that customer's
    currency; every incident belongs to a customer and, when it names an order, to
    an order of that customer (opened after the order was placed). Everything
    happens before ``context.as_of``.

    Args:
        context: The context the portfolio will be assessed in: its ``as_of`` is the
            portfolio's present and its convertible currencies the default
            ``currencies``. Without one, a moment is drawn and the currencies default
            to :data:`DEFAULT_CURRENCIES` (which every default :func:`contexts` converts).
        currencies: Account currencies to draw from.
        incident_kinds: The incident kinds to draw from (default: all).
        late_only: Every order is late (without a context: delivered late).
        min_size: Fewest customers.
        max_size: Most customers.
        max_orders: Most orders per customer.
        max_incidents: Most incidents per customer.

    Raises:
        InvalidArgument: An argument is out of range, or ``currencies`` holds a code
            ``context`` cannot convert.

    Example:
        >>> from hypothesis import given, settings
        >>> from custadvocacy.examples import example_context
        >>> ctx = example_context()
        >>> @given(portfolios(context=ctx, late_only=True, min_size=1))
        ... @settings(max_examples=10)
        ... def test_orders_are_late_and_convert(portfolio):
        ...     for order in portfolio.orders:
        ...         assert order.days_late(ctx.as_of) > 0
        ...         ctx.convert(order.value)
        >>> test_orders_are_late_and_convert()

    .. versionadded:: 0.1.0
    """
    if context is not None and not isinstance(context, Context):
        raise InvalidArgument(f"context must be a custadvocacy.Context, got {context!r}")
    codes = _codes("currencies", currencies)
    if context is not None and codes is not None:
        can = set(_generate.convertible(context))
        missing = [c for c in codes if c not in can]
        if missing:
            raise InvalidArgument(
                f"the context has no rate into {context.currency} for {missing!r}; add one "
                "or leave them out of currencies"
            )
    low = _size("min_size", min_size)
    high = _size("max_size", max_size)
    if low > high:
        raise InvalidArgument(f"min_size {low} is larger than max_size {high}")
    _size("max_orders", max_orders)
    _size("max_incidents", max_incidents)
    _flag("late_only", late_only)
    return _generate.portfolios(
        context=context,
        currencies=codes,
        incident_kinds=_kinds(incident_kinds),
        late_only=late_only,
        min_size=min_size,
        max_size=max_size,
        max_orders=max_orders,
        max_incidents=max_incidents,
    )
