"""custadvocacy.testing.strategies: valid and consistent by default, constrained on request,
shrinking to simple values, registered for st.from_type.

Each test builds its strategy while it runs (``data.draw(orders(...))``, a ``make``
function), not in a decorator: a decorator runs when the module is imported, and the
mutation run links a test only to the code that runs during the test, so the arguments
these factories check and pass on would be tested by nothing it knows of.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

from custadvocacy import (
    Context,
    Customer,
    ExchangeRates,
    HealthSignals,
    Incident,
    IncidentKind,
    Money,
    OperatingProfile,
    Order,
    Portfolio,
    Segment,
)
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy.examples import example_context
from custadvocacy.testing._hypothesis_plugin import _hypothesis_setup_hook
from custadvocacy.testing.strategies import (
    DEFAULT_CURRENCIES,
    contexts,
    currencies,
    customers,
    exchange_rates,
    health_signals,
    incidents,
    moments,
    money,
    operating_profiles,
    orders,
    portfolios,
)

AS_OF = datetime(2026, 11, 20, 9, tzinfo=UTC)
# find() without the explain phase: it re-runs a found example many times to explain
# it, which costs seconds for a portfolio and tells these tests nothing.
QUIET = settings(
    database=None, max_examples=200, derandomize=True, phases=[Phase.generate, Phase.shrink]
)


def minimal(strategy: st.SearchStrategy[Any], condition: Any = lambda _: True) -> Any:
    return find(strategy, condition, settings=QUIET)


# ------------------------------------------------------------------- scalars


@given(st.data())
def test_currencies_stay_within_the_codes(data: st.DataObject) -> None:
    code = data.draw(currencies(codes=["GBP", "JPY"]))
    assert code in {"GBP", "JPY"}


@given(st.data())
def test_default_currencies_are_real_codes(data: st.DataObject) -> None:
    code = data.draw(currencies())
    assert code in DEFAULT_CURRENCIES
    assert code in MINOR_UNITS


@given(st.data())
def test_money_stays_in_bounds_in_minor_units(data: st.DataObject) -> None:
    m = data.draw(money(min_value=-50, max_value="12.5"))
    assert Decimal(-50) <= m.amount <= Decimal("12.5")
    assert m.rounded() == m
    assert m.currency in DEFAULT_CURRENCIES


@given(st.data())
def test_money_places_can_be_set(data: st.DataObject) -> None:
    m = data.draw(money(currencies=currencies(codes=["EUR"]), places=5, max_value=1))
    assert m.currency == "EUR"
    assert -m.amount.as_tuple().exponent == 5  # type: ignore[operator]


@given(st.data())
def test_moments_are_aware_whole_seconds_within_bounds(data: st.DataObject) -> None:
    moment = data.draw(moments(min_value=AS_OF, max_value=AS_OF + timedelta(days=3)))
    assert moment.utcoffset() is not None
    assert AS_OF <= moment <= AS_OF + timedelta(days=3)
    assert moment.microsecond == 0


@given(st.data())
def test_moments_use_the_given_zones(data: st.DataObject) -> None:
    moment = data.draw(moments(timezones=st.just(timezone(timedelta(hours=-3)))))
    assert moment.utcoffset() == timedelta(hours=-3)


# -------------------------------------------------------------- domain objects


@given(st.data())
def test_a_profile_uses_one_currency(data: st.DataObject) -> None:
    profile = data.draw(operating_profiles(currencies=currencies(codes=["CZK"])))
    for amount in (profile.daily_revenue, profile.staff_hourly_cost):
        assert amount is None or amount.currency == "CZK"


@given(st.data())
def test_health_signals_are_in_range(data: st.DataObject) -> None:
    health = data.draw(health_signals())
    assert health.nps is None or 0 <= health.nps <= 10
    assert health.csat is None or 1 <= health.csat <= 5


@given(st.data())
def test_customers_are_consistent_with_their_currency_and_as_of(data: st.DataObject) -> None:
    customer = data.draw(
        customers(as_of=AS_OF, segments=st.just(Segment.ENTERPRISE), ids=st.just("C-7"))
    )
    assert customer.id == "C-7"
    assert customer.segment is Segment.ENTERPRISE
    assert customer.annual_value.currency == customer.currency
    for amount in (customer.profile.daily_revenue, customer.profile.staff_hourly_cost):
        assert amount is None or amount.currency == customer.currency
    assert customer.customer_since <= AS_OF
    assert customer.renewal_at is None or customer.renewal_at >= AS_OF
    assert customer.name.strip()


@given(st.data())
def test_orders_keep_their_timeline(data: st.DataObject) -> None:
    order = data.draw(
        orders(as_of=AS_OF, customer_ids=st.just("C1"), currencies=currencies(codes=["GBP"]))
    )
    assert order.customer_id == "C1"
    assert order.value.currency == "GBP"
    assert order.placed_at <= order.promised_at
    assert order.placed_at <= AS_OF
    if order.delivered_at is not None:
        assert order.placed_at <= order.delivered_at <= AS_OF
        assert order.eta is None
    if order.eta is not None:
        assert order.eta >= order.placed_at
        assert order.eta >= order.promised_at - timedelta(days=10)  # at most 10 days early


@given(st.data())
def test_open_late_orders_are_past_their_promise(data: st.DataObject) -> None:
    order = data.draw(orders(as_of=AS_OF, delivered=False, late_only=True))
    assert order.is_open
    assert order.promised_at < AS_OF
    assert order.days_late(AS_OF) > 0


@given(st.data())
def test_without_as_of_late_orders_were_delivered_late(data: st.DataObject) -> None:
    order = data.draw(orders(late_only=True))
    assert order.delivered_at is not None
    assert order.delivered_at > order.promised_at


@given(st.data())
def test_delivered_orders_only(data: st.DataObject) -> None:
    order = data.draw(orders(delivered=True))
    assert not order.is_open


@given(st.data())
def test_incidents_respect_kinds_and_as_of(data: st.DataObject) -> None:
    incident = data.draw(
        incidents(
            as_of=AS_OF,
            kinds=[IncidentKind.DEFECT, IncidentKind.OTHER],
            order_ids=st.just("O-9"),
            customer_ids=st.just("C-9"),
        )
    )
    assert incident.kind in {IncidentKind.DEFECT, IncidentKind.OTHER}
    assert (incident.order_id, incident.customer_id) == ("O-9", "C-9")
    assert AS_OF - timedelta(days=120) <= incident.opened_at <= AS_OF
    assert incident.resolved_at is None or incident.resolved_at <= AS_OF


@given(st.data())
def test_incident_kinds_may_be_given_by_value(data: st.DataObject) -> None:
    incident = data.draw(incidents(kinds=["billing_error"]))  # type: ignore[list-item]
    assert incident.kind is IncidentKind.BILLING_ERROR
    assert incident.order_id is None


# ------------------------------------------------------------- rates, context


@given(st.data())
def test_rates_cover_every_currency_from_the_base(data: st.DataObject) -> None:
    rates = data.draw(exchange_rates(base="GBP", currencies=["EUR", "GBP", "JPY"]))
    assert rates.currencies() == {"EUR", "GBP", "JPY"}
    assert rates.rate("EUR", "GBP") > 0
    assert rates.rate("GBP", "JPY") > 0


@given(st.data())
def test_default_rates_cover_the_default_currencies(data: st.DataObject) -> None:
    rates = data.draw(exchange_rates())
    assert rates.currencies() == set(DEFAULT_CURRENCIES)


@given(st.data())
def test_contexts_convert_each_of_their_currencies(data: st.DataObject) -> None:
    context = data.draw(contexts(as_of=AS_OF, currencies=["CZK", "EUR"]))
    assert context.as_of == AS_OF
    assert context.currency in {"CZK", "EUR"}
    for code in ("CZK", "EUR"):
        assert context.convert(Money(1, code)).currency == context.currency


# ------------------------------------------------------------------ portfolios


def _check_consistent(portfolio: Portfolio, as_of: datetime) -> None:
    owners = {o.id: o for o in portfolio.orders}
    currencies_by_customer = {c.id: c.currency for c in portfolio.customers}
    for order in portfolio.orders:
        assert order.value.currency == currencies_by_customer[order.customer_id]
        assert order.placed_at <= as_of
    for incident in portfolio.incidents:
        assert incident.opened_at <= as_of
        if incident.order_id is not None:
            order = owners[incident.order_id]
            assert order.customer_id == incident.customer_id
            assert incident.opened_at >= order.placed_at


@given(st.data())
def test_portfolios_are_consistent_with_their_context(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, max_size=3))
    _check_consistent(portfolio, context.as_of)
    for customer in portfolio.customers:
        context.convert(customer.annual_value)


@given(st.data())
def test_portfolio_sizes_are_respected(data: st.DataObject) -> None:
    portfolio = data.draw(portfolios(min_size=2, max_size=3, max_orders=1, max_incidents=1))
    assert 2 <= len(portfolio.customers) <= 3
    assert len(portfolio.orders) <= len(portfolio.customers)
    assert len(portfolio.incidents) <= len(portfolio.customers)


@given(st.data())
def test_portfolio_constraints_hold(data: st.DataObject) -> None:
    portfolio = data.draw(
        portfolios(
            context=example_context(),
            currencies=["CZK"],
            incident_kinds=[IncidentKind.LATE_DELIVERY],
            late_only=True,
            min_size=1,
        )
    )
    as_of = example_context().as_of
    _check_consistent(portfolio, as_of)
    assert {c.currency for c in portfolio.customers} == {"CZK"}
    assert all(o.days_late(as_of) > 0 for o in portfolio.orders)
    assert all(i.kind is IncidentKind.LATE_DELIVERY for i in portfolio.incidents)


@given(st.data())
def test_late_portfolios_without_context_are_delivered_late(data: st.DataObject) -> None:
    portfolio = data.draw(portfolios(late_only=True))
    for order in portfolio.orders:
        assert order.delivered_at is not None
        assert order.delivered_at > order.promised_at


def test_portfolios_link_incidents_to_orders_of_the_same_customer() -> None:
    linked = minimal(
        portfolios(incident_kinds=[IncidentKind.DEFECT], min_size=1, max_size=1),
        lambda p: any(i.order_id is not None for i in p.incidents),
    )
    incident = next(i for i in linked.incidents if i.order_id is not None)
    order = next(o for o in linked.orders if o.id == incident.order_id)
    assert order.customer_id == incident.customer_id


@pytest.mark.parametrize(
    ("make", "condition"),
    [
        (operating_profiles, lambda p: p.daily_revenue is not None),
        (operating_profiles, lambda p: p.buffer_days is not None),
        (operating_profiles, lambda p: p.staff_hourly_cost is not None),
        (operating_profiles, lambda p: p.staff_count is not None),
        (lambda: incidents(as_of=AS_OF), lambda i: i.resolved_at is None),
        (lambda: incidents(as_of=AS_OF), lambda i: i.resolved_at is not None),
        (lambda: incidents(kinds=[IncidentKind.BILLING_ERROR]), lambda i: i.amount is None),
        (lambda: incidents(kinds=[IncidentKind.BILLING_ERROR]), lambda i: i.amount is not None),
    ],
)
def test_every_optional_field_is_drawn_both_set_and_absent(
    make: Callable[[], st.SearchStrategy[Any]], condition: Callable[[Any], bool]
) -> None:
    assert condition(minimal(make(), condition))


# ------------------------------------------------------------------- shrinking


def test_examples_shrink_to_simple_values() -> None:
    assert minimal(money(currencies=currencies(codes=["EUR"]))) == Money("0.00", "EUR")
    assert minimal(money(min_value=5, currencies=currencies(codes=["JPY"]))) == Money(5, "JPY")
    assert minimal(moments()) == datetime(2000, 1, 1, tzinfo=UTC)
    assert minimal(operating_profiles()) == OperatingProfile()
    assert minimal(health_signals()) == HealthSignals()
    assert minimal(portfolios()) == Portfolio()
    assert minimal(exchange_rates(base="EUR", currencies=["EUR", "CZK"])) == ExchangeRates(
        {("EUR", "CZK"): 1}
    )
    customer = minimal(customers(as_of=AS_OF))
    assert customer.customer_since == AS_OF
    assert customer.renewal_at is None
    assert customer.annual_value.is_zero()
    assert customer.profile == OperatingProfile()
    order = minimal(orders(as_of=AS_OF))
    assert order.placed_at == order.promised_at == AS_OF
    assert order.is_open


def test_failures_shrink_to_the_smallest_cause() -> None:
    big = minimal(portfolios(max_size=2), lambda p: len(p.orders) >= 2)
    assert len(big.orders) == 2
    assert big.incidents == ()
    for order in big.orders:
        assert order.value.is_zero()
        assert order.is_open
        assert order.placed_at == order.promised_at == datetime(2000, 1, 1, tzinfo=UTC)
    for customer in big.customers:
        assert customer.profile == OperatingProfile()
        assert customer.annual_value.is_zero()


# ----------------------------------------------------------------------- reprs


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (money, "money()"),
        (lambda: currencies(codes=["CZK"]), "currencies(codes=('CZK',))"),
        (customers, "customers()"),
        (lambda: orders(late_only=True), "orders(late_only=True)"),
        (lambda: portfolios(max_size=2), "portfolios(max_size=2)"),
        (lambda: contexts(currencies=["EUR", "GBP"]), "contexts(currencies=('EUR', 'GBP'))"),
        (health_signals, "health_signals()"),
    ],
)
def test_reprs_read_like_the_call(make: Callable[[], st.SearchStrategy[Any]], text: str) -> None:
    assert repr(make()) == text


# ----------------------------------------------------------------- bad arguments

NAIVE = datetime(2026, 1, 1)  # noqa: DTZ001 - the point: a naive datetime is refused


def _any(value: object) -> Any:
    """A value of the wrong type, passed on as a caller who ignores the annotations would."""
    return value


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: currencies(codes=[]), "codes must name at least one currency"),
        (
            lambda: currencies(codes="EUR"),
            "codes must be a collection of codes, not the string 'EUR'",
        ),
        (
            lambda: currencies(codes=["EUR", "XXX"]),
            "codes holds codes that are not ISO 4217 currencies: ['XXX']",
        ),
        (
            lambda: money(currencies=_any("EUR")),
            "currencies must be a strategy (it varies), e.g. currencies(codes=[...]); got 'EUR'",
        ),
        (
            lambda: money(min_value=10, max_value=1),
            "need -1e18 <= min_value <= max_value <= 1e18, got 10, 1",
        ),
        (
            lambda: money(max_value="1e19"),
            "need -1e18 <= min_value <= max_value <= 1e18, got 0, '1e19'",
        ),
        (
            lambda: money(min_value="nan"),
            "need -1e18 <= min_value <= max_value <= 1e18, got 'nan', 1000000",
        ),
        (
            lambda: money(min_value="ten"),
            "min_value and max_value must be decimal numbers, got 'ten', 1000000",
        ),
        (lambda: money(places=11), "places must be None or a whole number from 0 to 10, got 11"),
        (
            lambda: money(places=True),
            "places must be None or a whole number from 0 to 10, got True",
        ),
        (
            lambda: moments(min_value=NAIVE),
            "min_value must be a timezone-aware datetime in the years 1901 to 2199 (so that, shown in any time zone, it stays within the years 1900-2200 the domain accepts), got datetime.datetime(2026, 1, 1, 0, 0)",
        ),
        (
            lambda: moments(min_value=datetime(1800, 1, 1, tzinfo=UTC)),
            "min_value must be a timezone-aware datetime in the years 1901 to 2199 (so that, shown in any time zone, it stays within the years 1900-2200 the domain accepts), got datetime.datetime(1800, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)",
        ),
        (
            lambda: moments(min_value=AS_OF, max_value=AS_OF - timedelta(1)),
            "min_value 2026-11-20T09:00:00+00:00 is after max_value 2026-11-19T09:00:00+00:00",
        ),
        (
            lambda: moments(timezones=_any(UTC)),
            "timezones must be a strategy (it varies), e.g. currencies(codes=[...]); got datetime.timezone.utc",
        ),
        (
            lambda: customers(as_of=NAIVE),
            "as_of must be a timezone-aware datetime, got datetime.datetime(2026, 1, 1, 0, 0)",
        ),
        (
            lambda: customers(as_of=datetime(1920, 1, 1, tzinfo=UTC)),
            "as_of must lie between the years 1950 and 2190 (histories reach 30 years back), got 1920-01-01T00:00:00+00:00",
        ),
        (
            lambda: customers(ids=_any("C1")),
            "ids must be a strategy (it varies), e.g. currencies(codes=[...]); got 'C1'",
        ),
        (
            lambda: orders(delivered=False, late_only=True),
            "open orders are late only relative to a moment: pass as_of= with late_only=True and delivered=False",
        ),
        (
            lambda: incidents(kinds=[]),
            "kinds must be a non-empty collection of IncidentKind values ['billing_error', 'defect', 'late_delivery', 'other', 'partial_delivery', 'service_outage', 'support_failure'], got []",
        ),
        (
            lambda: incidents(kinds=_any("defect")),
            "kinds must be a collection of IncidentKind, not 'defect'",
        ),
        (
            lambda: incidents(kinds=_any(["explosion"])),
            "kinds must be a non-empty collection of IncidentKind values ['billing_error', 'defect', 'late_delivery', 'other', 'partial_delivery', 'service_outage', 'support_failure'], got ['explosion']",
        ),
        (
            lambda: exchange_rates(base="XXX"),
            "base holds codes that are not ISO 4217 currencies: ['XXX']",
        ),
        (
            lambda: exchange_rates(base="EUR", currencies=["CZK", "GBP"]),
            "base 'EUR' must be one of the currencies ('CZK', 'GBP')",
        ),
        (
            lambda: contexts(as_of=_any("2026-01-01")),
            "as_of must be a timezone-aware datetime, got '2026-01-01'",
        ),
        (
            lambda: portfolios(context=_any("ctx")),
            "context must be a custadvocacy.Context, got 'ctx'",
        ),
        (
            lambda: portfolios(context=example_context(), currencies=["JPY"]),
            "the context has no rate into EUR for ['JPY']; add one or leave them out of currencies",
        ),
        (lambda: portfolios(min_size=3, max_size=2), "min_size 3 is larger than max_size 2"),
        (lambda: portfolios(max_size=-1), "max_size must be a whole number >= 0, got -1"),
        (
            lambda: portfolios(max_orders=_any(1.5)),
            "max_orders must be a whole number >= 0, got 1.5",
        ),
        (
            lambda: portfolios(max_incidents=True),
            "max_incidents must be a whole number >= 0, got True",
        ),
    ],
)
def test_bad_arguments_raise_invalid_argument_saying_what_is_wrong(make: Any, message: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        make()
    assert str(info.value) == message


def test_bounds_without_an_amount_fail_when_drawn() -> None:
    strategy = money(currencies=currencies(codes=["JPY"]), min_value="0.2", max_value="0.8")
    with pytest.raises(InvalidArgument, match="holds no amount with 0 decimals in JPY"):
        minimal(strategy)


# ------------------------------------------------------------ from_type registration


# Built with explicit types: this module's annotations are strings, which st.builds
# cannot resolve for a class defined in a test module.
_Case = attrs.make_class(
    "_Case",
    {
        "customer": attrs.field(type=Customer),
        "order": attrs.field(type=Order),
        "context": attrs.field(type=Context),
    },
    frozen=True,
)


def test_the_setup_hook_registers_every_domain_class() -> None:
    _hypothesis_setup_hook()
    _hypothesis_setup_hook()  # twice is harmless

    @given(
        st.from_type(Customer),
        st.from_type(Portfolio),
        st.from_type(Money),
        st.builds(_Case),
    )
    @settings(max_examples=25, database=None)
    def check(customer: Customer, portfolio: Portfolio, m: Money, case: Any) -> None:
        assert isinstance(customer, Customer)
        assert customer.annual_value.currency == customer.currency
        assert isinstance(portfolio, Portfolio)
        assert m.currency in DEFAULT_CURRENCIES
        assert case.order.placed_at <= case.order.promised_at

    check()
    for cls in (ExchangeRates, Context, OperatingProfile, HealthSignals, Incident, Order):
        assert isinstance(minimal(st.from_type(cls)), cls)


def test_the_entry_point_registers_strategies_without_importing_them(tmp_path: Path) -> None:
    # A distribution on the path that declares the hook, as pyproject.toml declares it
    # for the installed package: Hypothesis loads it when it is imported.
    dist = tmp_path / "entry_point_probe-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: entry-point-probe\nVersion: 0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[hypothesis]\nprobe = custadvocacy.testing._hypothesis_plugin:_hypothesis_setup_hook\n",
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from hypothesis import Phase, find, settings, strategies as st\n"
        "from custadvocacy import Customer\n"
        "quick = settings(database=None, phases=[Phase.generate])\n"
        "c = find(st.from_type(Customer), lambda c: c.profile.daily_revenue is not None,"
        " settings=quick)\n"
        "print(c.profile.daily_revenue.currency == c.annual_value.currency == c.currency)\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"
    # The control: with Hypothesis's plug-ins switched off, st.from_type(Customer) falls
    # back on the annotations and cannot build a valid customer.
    control = _run(code, HYPOTHESIS_NO_PLUGINS="1")
    assert control.returncode != 0 or control.stdout.strip() != "True"


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own fixed code in our own interpreter
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **env},
    )


YEARS = (
    "must be a timezone-aware datetime in the years 1901 to 2199 (so that, shown in any time "
    "zone, it stays within the years 1900-2200 the domain accepts)"
)


@pytest.mark.parametrize("name", ["min_value", "max_value"])
@pytest.mark.parametrize(
    "bound",
    [
        datetime(1900, 12, 31, 23, tzinfo=UTC),
        datetime(2200, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1),  # noqa: DTZ001 - the naive one under test
        "2026-01-01T00:00:00+00:00",
    ],
)
def test_moments_refuse_a_bound_outside_the_years_every_zone_accepts(
    name: str, bound: object
) -> None:
    with pytest.raises(InvalidArgument) as info:
        moments(**{name: bound}).example()  # type: ignore[arg-type]
    assert str(info.value) == f"{name} {YEARS}, got {bound!r}"


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (datetime(1901, 1, 1, tzinfo=UTC), datetime(1901, 1, 1, tzinfo=UTC)),  # one instant
        (datetime(2199, 12, 31, 23, tzinfo=UTC), datetime(2199, 12, 31, 23, 30, tzinfo=UTC)),
        (None, datetime(2001, 1, 1, tzinfo=timezone(timedelta(hours=-5)))),
    ],
)
def test_moments_accept_bounds_at_the_edges(low: datetime | None, high: datetime | None) -> None:
    @given(moments(min_value=low, max_value=high))
    @settings(max_examples=20)
    def drawn(moment: datetime) -> None:
        if low is not None:
            assert moment >= low
        if high is not None:
            assert moment <= high

    drawn()


def test_moments_refuse_bounds_the_wrong_way_round() -> None:
    low = datetime(2030, 1, 1, tzinfo=UTC)
    high = datetime(2029, 12, 31, 23, 59, 59, tzinfo=UTC)
    with pytest.raises(InvalidArgument) as info:
        moments(min_value=low, max_value=high).example()
    assert str(info.value) == (
        "min_value 2030-01-01T00:00:00+00:00 is after max_value 2029-12-31T23:59:59+00:00"
    )
    with pytest.raises(InvalidArgument) as info:
        moments(min_value=datetime(2041, 1, 1, tzinfo=UTC)).example()  # after the default max
    assert str(info.value).endswith("is after max_value 2040-01-01T00:00:00+00:00 (the default)")
    with pytest.raises(InvalidArgument, match="timezones must be a strategy"):
        moments(timezones=UTC).example()  # type: ignore[arg-type]


@given(st.data())
@settings(max_examples=30)
def test_every_given_strategy_is_the_one_drawn_from(data: st.DataObject) -> None:
    customer = data.draw(
        customers(
            ids=st.just("C-X"), currencies=st.just("JPY"), segments=st.just(Segment.ENTERPRISE)
        )
    )
    order = data.draw(
        orders(
            ids=st.just("O-X"), customer_ids=st.just("C-X"), currencies=st.just("JPY"), as_of=AS_OF
        )
    )
    incident = data.draw(
        incidents(
            ids=st.just("I-X"),
            customer_ids=st.just("C-X"),
            order_ids=st.just("O-X"),
            kinds=[IncidentKind.BILLING_ERROR],
            currencies=st.just("JPY"),
            as_of=AS_OF,
        )
    )
    assert (customer.id, customer.currency, customer.segment) == ("C-X", "JPY", Segment.ENTERPRISE)
    assert customer.annual_value.currency == "JPY"
    assert (order.id, order.customer_id, order.value.currency) == ("O-X", "C-X", "JPY")
    assert order.placed_at <= AS_OF
    assert (incident.id, incident.customer_id, incident.order_id) == ("I-X", "C-X", "O-X")
    assert incident.kind is IncidentKind.BILLING_ERROR
    assert incident.opened_at <= AS_OF
    if incident.amount is not None:
        assert incident.amount.currency == "JPY"


@given(st.data())
@settings(max_examples=30)
def test_delivered_is_passed_on_both_ways(data: st.DataObject) -> None:
    open_order = data.draw(orders(as_of=AS_OF, delivered=False))
    delivered = data.draw(orders(as_of=AS_OF, delivered=True))
    assert open_order.delivered_at is None
    assert delivered.delivered_at is not None
    assert delivered.delivered_at <= AS_OF


NOT_A_STRATEGY: Any = "x"  # a value where a strategy belongs (mypy would say so)
STRATEGY_ARGUMENT = "must be a strategy (it varies), e.g. currencies(codes=[...]); got 'x'"


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: customers(ids=NOT_A_STRATEGY), "ids"),
        (lambda: customers(currencies=NOT_A_STRATEGY), "currencies"),
        (lambda: customers(segments=NOT_A_STRATEGY), "segments"),
        (lambda: orders(ids=NOT_A_STRATEGY), "ids"),
        (lambda: orders(customer_ids=NOT_A_STRATEGY), "customer_ids"),
        (lambda: orders(currencies=NOT_A_STRATEGY), "currencies"),
        (lambda: incidents(ids=NOT_A_STRATEGY), "ids"),
        (lambda: incidents(customer_ids=NOT_A_STRATEGY), "customer_ids"),
        (lambda: incidents(order_ids=NOT_A_STRATEGY), "order_ids"),
        (lambda: incidents(currencies=NOT_A_STRATEGY), "currencies"),
    ],
)
def test_a_value_where_a_strategy_belongs_is_named(make: Any, name: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        make()
    assert str(info.value) == f"{name} {STRATEGY_ARGUMENT}"


def test_late_open_orders_need_a_moment_and_say_so() -> None:
    with pytest.raises(InvalidArgument) as info:
        orders(delivered=False, late_only=True)
    assert str(info.value) == (
        "open orders are late only relative to a moment: pass as_of= with late_only=True "
        "and delivered=False"
    )
    assert orders(delivered=None, late_only=True) is not None  # late deliveries: no moment
    assert orders(delivered=False, late_only=True, as_of=AS_OF) is not None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: exchange_rates(currencies=["ZZZ"]),
            "currencies holds codes that are not ISO 4217 currencies: ['ZZZ']",
        ),
        (
            lambda: exchange_rates(currencies=_any("EUR")),
            "currencies must be a collection of codes, not the string 'EUR'",
        ),
        (
            lambda: incidents(as_of=datetime(2026, 1, 1)),  # noqa: DTZ001 - naive on purpose
            "as_of must be a timezone-aware datetime, got datetime.datetime(2026, 1, 1, 0, 0)",
        ),
        (
            lambda: orders(as_of=datetime(2026, 1, 1)),  # noqa: DTZ001 - naive on purpose
            "as_of must be a timezone-aware datetime, got datetime.datetime(2026, 1, 1, 0, 0)",
        ),
        (
            lambda: operating_profiles(currencies=NOT_A_STRATEGY),
            f"currencies {STRATEGY_ARGUMENT}",
        ),
        (
            lambda: contexts(currencies=["EUR", "ZZZ"]),
            "currencies holds codes that are not ISO 4217 currencies: ['ZZZ']",
        ),
    ],
)
def test_more_bad_arguments_are_named(make: Any, message: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        make()
    assert str(info.value) == message


@pytest.mark.parametrize("amount", [-(10**18), 5, 10**18])
def test_money_bounds_may_meet_at_either_limit(amount: int) -> None:
    drawn = find(money(min_value=amount, max_value=amount), lambda _m: True)
    assert drawn.amount == amount


def test_an_open_orders_eta_is_at_most_ten_days_early() -> None:
    # A search for a counterexample (derandomized: the same 200 draws every run), which
    # tries the bounds of each drawn span more often than a property's few examples do.
    def too_early(order: Order) -> bool:
        return order.eta is not None and order.eta < order.promised_at - timedelta(days=10)

    with pytest.raises(NoSuchExample):
        find(orders(as_of=AS_OF, delivered=False), too_early, settings=QUIET)


@pytest.mark.parametrize(
    ("build", "flags", "message"),
    [
        (orders, {"late_only": "yes"}, "late_only must be True or False, got 'yes'"),
        (orders, {"late_only": None}, "late_only must be True or False, got None"),
        (orders, {"delivered": 1}, "delivered must be True, False or None, got 1"),
        (portfolios, {"late_only": "False"}, "late_only must be True or False, got 'False'"),
    ],
)
def test_a_flag_that_is_not_a_bool_is_refused_when_the_strategy_is_built(
    build: Any, flags: dict[str, Any], message: str
) -> None:
    # A truthy string would otherwise silently mean True (and "False" most of all).
    with pytest.raises(InvalidArgument) as info:
        build(**flags)
    assert str(info.value) == message
