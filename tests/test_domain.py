"""Domain objects: validation at construction (every problem, with its path), immutability,
pickling, and the derived quantities (days late, hours open)."""

from __future__ import annotations

import copy
import math
import pickle
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import custadvocacy._convert as convert_module
from custadvocacy import (
    Context,
    Customer,
    ExchangeRates,
    HealthSignals,
    Incident,
    IncidentKind,
    MissingRateError,
    Money,
    NoticedBy,
    OperatingProfile,
    Order,
    Portfolio,
    Segment,
    Severity,
    ValidationError,
)
from custadvocacy._checks import (
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    Checks,
)
from custadvocacy._convert._datetimes import _MAX_DATETIME_LENGTH
from custadvocacy._convert._parsers import _MAX_WHOLE
from custadvocacy._domain import days_between
from custadvocacy._money import MAX_AMOUNT, MAX_RATE, MIN_RATE
from custadvocacy.examples import example_context
from custadvocacy.testing.strategies import (
    contexts,
    customers,
    exchange_rates,
    health_signals,
    incidents,
    moments,
    operating_profiles,
    orders,
    portfolios,
)

AS_OF = datetime(2026, 11, 20, 9, tzinfo=UTC)
T0 = datetime(2026, 10, 1, tzinfo=UTC)
EUR = Money("1000", "EUR")


def customer_kwargs(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "C1",
        "name": "Acme",
        "segment": Segment.SMALL,
        "customer_since": T0,
        "currency": "EUR",
        "annual_value": EUR,
    }
    return base | changes


def order_kwargs(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "O1",
        "customer_id": "C1",
        "placed_at": T0,
        "promised_at": T0 + timedelta(days=10),
        "value": EUR,
    }
    return base | changes


def incident_kwargs(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "I1",
        "customer_id": "C1",
        "kind": IncidentKind.DEFECT,
        "opened_at": T0,
    }
    return base | changes


BUILDERS: dict[str, tuple[type, Any]] = {
    "Customer": (Customer, customer_kwargs),
    "Order": (Order, order_kwargs),
    "Incident": (Incident, incident_kwargs),
    "OperatingProfile": (OperatingProfile, lambda **c: c),
    "HealthSignals": (HealthSignals, lambda **c: c),
    "Context": (Context, lambda **c: {"as_of": AS_OF, "currency": "EUR"} | c),
}


def build(cls_name: str, **changes: Any) -> Any:
    cls, kwargs = BUILDERS[cls_name]
    return cls(**kwargs(**changes))


# ---------------------------------------------------------------- valid objects


def test_the_minimal_objects_are_valid_and_take_documented_defaults() -> None:
    customer = build("Customer")
    assert customer.renewal_at is None
    assert customer.profile == OperatingProfile()
    assert customer.health == HealthSignals()
    order = build("Order")
    assert (order.criticality, order.delivered_at, order.eta, order.lane) == (None,) * 4
    assert order.is_open
    incident = build("Incident")
    assert incident.severity is Severity.MEDIUM
    assert incident.affected_share == 1.0
    assert (incident.noticed_by, incident.order_id, incident.summary) == (None, None, "")
    assert build("Context").rates == ExchangeRates()


ANY_OBJECT = st.one_of(
    customers(),
    orders(),
    incidents(),
    operating_profiles(),
    health_signals(),
    contexts(),
    exchange_rates(),
    portfolios(max_size=2, max_orders=2, max_incidents=1),
)


@given(ANY_OBJECT)
def test_objects_are_immutable(obj: Any) -> None:
    field = attrs.fields(type(obj))[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(obj, field.name, getattr(obj, field.name))
    with pytest.raises((attrs.exceptions.FrozenInstanceError, AttributeError)):
        obj.not_a_field = 1


@given(ANY_OBJECT)
def test_objects_pickle_and_copy_to_equal_objects(obj: Any) -> None:
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        clone = pickle.loads(pickle.dumps(obj, protocol=protocol))  # noqa: S301 - own object
        assert clone == obj
        assert hash(clone) == hash(obj)
    assert copy.deepcopy(obj) == obj


@given(ANY_OBJECT)
def test_reprs_are_readable(obj: Any) -> None:
    text = repr(obj)
    assert text.startswith(type(obj).__name__ + "(")
    assert "object at 0x" not in text


def test_slots_keep_objects_small() -> None:
    for cls in (Customer, Order, Incident, OperatingProfile, HealthSignals, Context, Money):
        assert "__slots__" in vars(cls), cls


# --------------------------------------------------------------- bad fields


NAIVE = datetime(2026, 11, 20, 9)  # noqa: DTZ001 - the point: a naive datetime


@pytest.mark.parametrize(
    ("cls_name", "changes", "path"),
    [
        ("Customer", {"id": ""}, "id"),
        ("Customer", {"id": "   "}, "id"),
        ("Customer", {"id": "x" * (MAX_ID_LENGTH + 1)}, "id"),
        ("Customer", {"id": 7}, "id"),
        ("Customer", {"name": ""}, "name"),
        ("Customer", {"name": "n" * (MAX_NAME_LENGTH + 1)}, "name"),
        ("Customer", {"segment": "small"}, "segment"),
        ("Customer", {"customer_since": NAIVE}, "customer_since"),
        ("Customer", {"customer_since": "2026-01-01T00:00:00+00:00"}, "customer_since"),
        ("Customer", {"customer_since": datetime(1899, 12, 31, tzinfo=UTC)}, "customer_since"),
        ("Customer", {"renewal_at": datetime(2201, 1, 1, tzinfo=UTC)}, "renewal_at"),
        ("Customer", {"renewal_at": NAIVE}, "renewal_at"),
        ("Customer", {"currency": "XXX"}, "currency"),
        ("Customer", {"annual_value": Money("-1", "EUR")}, "annual_value.amount"),
        ("Customer", {"annual_value": 1000}, "annual_value"),
        ("Customer", {"profile": None}, "profile"),
        ("Customer", {"health": {}}, "health"),
        ("Order", {"customer_id": ""}, "customer_id"),
        ("Order", {"placed_at": NAIVE}, "placed_at"),
        ("Order", {"promised_at": T0 - timedelta(seconds=1)}, "promised_at"),
        ("Order", {"delivered_at": T0 - timedelta(days=1)}, "delivered_at"),
        ("Order", {"eta": T0 - timedelta(days=1)}, "eta"),
        ("Order", {"value": Money("-0.01", "EUR")}, "value.amount"),
        ("Order", {"criticality": 1.5}, "criticality"),
        ("Order", {"criticality": -0.1}, "criticality"),
        ("Order", {"criticality": math.nan}, "criticality"),
        ("Order", {"criticality": True}, "criticality"),
        ("Order", {"lane": ""}, "lane"),
        ("Incident", {"kind": "defect"}, "kind"),
        ("Incident", {"severity": 3}, "severity"),
        ("Incident", {"noticed_by": "vendor"}, "noticed_by"),
        ("Incident", {"order_id": " "}, "order_id"),
        ("Incident", {"resolved_at": T0 - timedelta(minutes=1)}, "resolved_at"),
        ("Incident", {"affected_share": 1.01}, "affected_share"),
        ("Incident", {"affected_share": None}, "affected_share"),
        ("Incident", {"amount": Money("-5", "GBP")}, "amount.amount"),
        ("Incident", {"effort_hours": -1.0}, "effort_hours"),
        ("Incident", {"effort_hours": math.inf}, "effort_hours"),
        ("Incident", {"summary": "s" * (MAX_TEXT_LENGTH + 1)}, "summary"),
        ("Incident", {"summary": None}, "summary"),
        ("OperatingProfile", {"daily_revenue": Money("-1", "EUR")}, "daily_revenue.amount"),
        ("OperatingProfile", {"gross_margin": 2.0}, "gross_margin"),
        ("OperatingProfile", {"buffer_days": -1}, "buffer_days"),
        ("OperatingProfile", {"buffer_days": 3651}, "buffer_days"),
        ("OperatingProfile", {"staff_hourly_cost": "50"}, "staff_hourly_cost"),
        ("OperatingProfile", {"staff_count": 2.5}, "staff_count"),
        ("OperatingProfile", {"staff_count": -1}, "staff_count"),
        ("HealthSignals", {"nps": 11}, "nps"),
        ("HealthSignals", {"nps": 7.5}, "nps"),
        ("HealthSignals", {"csat": 0.5}, "csat"),
        ("HealthSignals", {"open_tickets": -2}, "open_tickets"),
        ("HealthSignals", {"usage_trend": -1.5}, "usage_trend"),
        # An int beyond float's range: math.isfinite raised OverflowError on it.
        ("HealthSignals", {"open_tickets": 10**400}, "open_tickets"),
        ("OperatingProfile", {"gross_margin": 10**5000}, "gross_margin"),
        ("Order", {"criticality": -(10**400)}, "criticality"),
        ("Incident", {"effort_hours": 10**400}, "effort_hours"),
        ("Context", {"as_of": NAIVE}, "as_of"),
        ("Context", {"currency": "eur"}, "currency"),
        ("Context", {"rates": {("EUR", "CZK"): 25}}, "rates"),
    ],
)
def test_a_bad_field_is_rejected_with_its_path(
    cls_name: str, changes: dict[str, Any], path: str
) -> None:
    with pytest.raises(ValidationError) as info:
        build(cls_name, **changes)
    assert info.value.paths == (path,)
    assert isinstance(info.value, ValueError)


NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
SHARE_FIELDS = [
    ("Order", "criticality"),
    ("Incident", "affected_share"),
    ("OperatingProfile", "gross_margin"),
]
NUMBER_FIELDS = [
    *SHARE_FIELDS,
    ("OperatingProfile", "buffer_days"),
    ("HealthSignals", "csat"),
    ("HealthSignals", "usage_trend"),
    ("Incident", "effort_hours"),
]


@given(st.sampled_from(NUMBER_FIELDS), NON_FINITE)
def test_nan_and_infinities_are_always_rejected(field: tuple[str, str], value: float) -> None:
    cls_name, name = field
    with pytest.raises(ValidationError) as info:
        build(cls_name, **{name: value})
    assert info.value.paths == (name,)


@given(
    st.sampled_from(SHARE_FIELDS),
    st.floats(allow_nan=False).filter(lambda x: not 0 <= x <= 1),
)
def test_shares_outside_zero_to_one_are_always_rejected(
    field: tuple[str, str], value: float
) -> None:
    cls_name, name = field
    with pytest.raises(ValidationError, match="from 0 to 1") as info:
        build(cls_name, **{name: value})
    assert info.value.paths == (name,)


@given(st.sampled_from(SHARE_FIELDS), st.floats(0, 1))
def test_shares_inside_zero_to_one_are_accepted(field: tuple[str, str], value: float) -> None:
    cls_name, name = field
    assert getattr(build(cls_name, **{name: value}), name) == value


MONEY_FIELDS = [
    ("Customer", "annual_value"),
    ("Order", "value"),
    ("Incident", "amount"),
    ("OperatingProfile", "daily_revenue"),
    ("OperatingProfile", "staff_hourly_cost"),
]


@given(st.sampled_from(MONEY_FIELDS), st.decimals(max_value="-0.001", min_value="-1e17", places=3))
def test_negative_money_is_always_rejected_at_its_amount(
    field: tuple[str, str], amount: Any
) -> None:
    cls_name, name = field
    with pytest.raises(ValidationError) as info:
        build(cls_name, **{name: Money(amount, "EUR")})
    assert info.value.paths == (f"{name}.amount",)


MOMENT_FIELDS = [
    ("Customer", "customer_since"),
    ("Customer", "renewal_at"),
    ("Order", "placed_at"),
    ("Order", "promised_at"),
    ("Order", "delivered_at"),
    ("Order", "eta"),
    ("Incident", "opened_at"),
    ("Incident", "resolved_at"),
    ("Context", "as_of"),
]


@given(
    st.sampled_from(MOMENT_FIELDS),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)),  # noqa: DTZ001
)
def test_naive_datetimes_are_always_rejected(field: tuple[str, str], moment: datetime) -> None:
    cls_name, name = field
    with pytest.raises(ValidationError, match="timezone-aware") as info:
        build(cls_name, **{name: moment})
    assert name in info.value.paths


@given(
    st.sampled_from(MOMENT_FIELDS),
    st.datetimes(timezones=st.just(UTC)).filter(lambda d: not 1900 <= d.year <= 2200),
)
def test_datetimes_outside_1900_to_2200_are_always_rejected(
    field: tuple[str, str], moment: datetime
) -> None:
    cls_name, name = field
    with pytest.raises(ValidationError, match="between the years 1900 and 2200") as info:
        build(cls_name, **{name: moment})
    assert name in info.value.paths


def test_three_independent_problems_are_reported_together() -> None:
    with pytest.raises(ValidationError) as info:
        Order(
            id="",
            customer_id="C1",
            placed_at=NAIVE,
            promised_at=T0,
            value=Money("-5", "EUR"),
            criticality=1.5,
        )
    assert info.value.paths == ("id", "placed_at", "value.amount", "criticality")
    assert str(info.value).startswith("4 problems:")


@given(
    st.sets(
        st.sampled_from(
            [
                ("id", ""),
                ("name", " "),
                ("currency", "EURO"),
                ("annual_value", Money(-1, "EUR")),
                ("customer_since", NAIVE),
                ("segment", None),
            ]
        ),
        min_size=1,
    )
)
def test_every_problem_is_reported_whatever_the_combination(
    bad: set[tuple[str, Any]],
) -> None:
    changes = dict(bad)
    with pytest.raises(ValidationError) as info:
        build("Customer", **changes)
    reported = {p.split(".")[0] for p in info.value.paths}
    assert reported == set(changes)


def test_ordering_rules_skip_fields_that_are_already_wrong() -> None:
    # promised_at is naive: one problem for it, not a second "before placed_at" one
    with pytest.raises(ValidationError) as info:
        build("Order", promised_at=NAIVE)
    assert info.value.paths == ("promised_at",)


def test_moments_compare_as_instants_across_offsets() -> None:
    plus_two = timezone(timedelta(hours=2))
    # 01:00+02:00 is 23:00 UTC the day before: not before a 22:30 UTC placement
    placed = datetime(2026, 10, 1, 22, 30, tzinfo=UTC)
    order = build("Order", placed_at=placed, promised_at=datetime(2026, 10, 2, 1, tzinfo=plus_two))
    assert order.promised_at == datetime(2026, 10, 1, 23, tzinfo=UTC)


def test_checks_collects_instance_failures() -> None:
    checks = Checks()
    checks.instance("profile", 1, OperatingProfile, "an OperatingProfile")
    checks.optional_member("noticed_by", None, NoticedBy)
    checks.optional_text("lane", None, max_length=5)
    with pytest.raises(ValidationError) as info:
        checks.done()
    assert info.value.paths == ("profile",)


# --------------------------------------------------------------- derived values


@given(orders(as_of=AS_OF), moments(min_value=AS_OF, max_value=AS_OF + timedelta(days=400)))
def test_days_late_is_never_negative_and_grows_with_as_of_while_open(
    order: Order, later: datetime
) -> None:
    now = order.days_late(AS_OF)
    assert now >= 0
    if order.is_open:
        assert order.days_late(later) >= now
    else:
        assert order.days_late(later) == now


@given(orders(as_of=AS_OF, late_only=True))
def test_late_orders_are_late(order: Order) -> None:
    assert order.days_late(AS_OF) > 0


def test_days_late_examples() -> None:
    due = T0 + timedelta(days=10)
    assert build("Order").days_late(due - timedelta(days=1)) == 0.0
    assert build("Order").days_late(due + timedelta(hours=36)) == 1.5
    delivered = build("Order", delivered_at=due + timedelta(days=6))
    assert delivered.days_late(due + timedelta(days=100)) == 6.0
    assert not delivered.is_open
    assert days_between(due, T0) == -10.0


@given(incidents(as_of=AS_OF), moments(min_value=AS_OF, max_value=AS_OF + timedelta(days=400)))
def test_hours_open_is_never_negative_and_stops_at_resolution(
    incident: Incident, later: datetime
) -> None:
    now = incident.hours_open(AS_OF)
    assert now >= 0
    assert incident.hours_open(later) >= now
    if incident.resolved_at is not None:
        assert incident.hours_open(later) == now
        assert not incident.is_open(later)
    else:
        assert incident.is_open(later)


def test_an_incident_resolved_after_as_of_is_open_at_as_of() -> None:
    incident = build("Incident", resolved_at=T0 + timedelta(hours=5))
    assert incident.is_open(T0 + timedelta(hours=2))
    assert incident.hours_open(T0 + timedelta(hours=2)) == 2.0
    assert not incident.is_open(T0 + timedelta(hours=5))
    assert incident.hours_open(T0 - timedelta(hours=1)) == 0.0


def test_enums_have_their_documented_values() -> None:
    assert [s.value for s in Segment] == ["small", "mid_market", "enterprise"]
    assert [k.value for k in IncidentKind] == [
        "late_delivery",
        "partial_delivery",
        "defect",
        "service_outage",
        "billing_error",
        "support_failure",
        "other",
    ]
    assert [s.rank for s in Severity] == [1, 2, 3, 4]
    assert [n.value for n in NoticedBy] == ["vendor", "customer"]


# ---------------------------------------------------------------------- context


@given(contexts())
def test_a_context_converts_every_currency_it_has_a_rate_for(context: Context) -> None:
    for code in sorted(context.rates.currencies()):
        converted = context.convert(Money(100, code))
        assert converted.currency == context.currency
        assert context.to_float(Money(100, code)) == pytest.approx(float(converted.amount))
        assert context.factor(code) == pytest.approx(
            float(context.rates.rate(code, context.currency))
        )


def test_the_context_is_equal_by_value() -> None:
    a = Context(as_of=AS_OF, currency="EUR", rates=ExchangeRates({("EUR", "CZK"): 25}))
    b = Context(
        as_of=AS_OF.astimezone(timezone(timedelta(hours=1))),
        currency="EUR",
        rates=ExchangeRates({("EUR", "CZK"): "25"}),
    )
    assert a == b
    assert hash(a) == hash(b)


def test_a_portfolio_is_part_of_the_model() -> None:
    assert Portfolio().customers == ()


# ------------------------------------------------------------- docs/domain.md is true

DOMAIN_PAGE = (Path(__file__).resolve().parents[1] / "docs" / "domain.md").read_text(
    encoding="utf-8"
)


def _section(title: str) -> str:
    start = DOMAIN_PAGE.index(f"\n## {title}\n")
    end = DOMAIN_PAGE.find("\n## ", start + 1)
    return DOMAIN_PAGE[start : end if end != -1 else None]


@pytest.mark.parametrize(
    "cls",
    [
        Money,
        ExchangeRates,
        Context,
        Customer,
        OperatingProfile,
        HealthSignals,
        Order,
        Incident,
        Portfolio,
    ],
    ids=lambda cls: cls.__name__,
)
def test_the_domain_page_lists_every_field_of_every_class(cls: type) -> None:
    rows = re.findall(r"^\| `(\w+)` \|", _section(f"`{cls.__name__}`"), flags=re.MULTILINE)
    assert rows == [f.name for f in attrs.fields(cls) if f.init]


def test_the_domain_page_lists_every_enum_value() -> None:
    section = _section("Enumerations")
    for enum_type in (Segment, IncidentKind, Severity, NoticedBy):
        assert f"`{enum_type.__name__}`" in section
        for member in enum_type:
            assert f'`"{member.value}"`' in section, member


def test_the_domain_page_states_the_limits_of_the_code() -> None:
    section = _section("Payload limits")
    expected = [
        f"at most {convert_module.MAX_ITEMS:,} items",
        f"at most {convert_module.MAX_STRING_LENGTH:,} characters",
        f"at most {MAX_ID_LENGTH} characters",
        f"at most {MAX_NAME_LENGTH} characters",
        f"at most {MAX_TEXT_LENGTH:,} characters",
        f"magnitude at most {MAX_AMOUNT:,f}",
        f"from {MIN_RATE:f} to {MAX_RATE:,f}",
        f"magnitude at most {_MAX_WHOLE:g}",
        "any finite float",
        f"years from {MIN_YEAR} to {MAX_YEAR}",
        f"at most {_MAX_DATETIME_LENGTH} characters",
    ]
    missing = [text for text in expected if text not in section]
    assert not missing


def test_a_context_converts_only_through_a_direct_pair() -> None:
    context = Context(
        as_of=AS_OF,
        currency="EUR",
        rates=ExchangeRates({("EUR", "CZK"): "25", ("GBP", "CZK"): "29"}),
    )
    assert context.factor("EUR") == 1.0
    assert context.factor("CZK") == 0.04
    assert context.to_float(Money("50", "CZK")) == 2.0
    assert context.to_float(Money("2.5", "EUR")) == 2.5
    with pytest.raises(MissingRateError, match="GBP->EUR"):
        context.factor("GBP")
    with pytest.raises(MissingRateError, match="GBP->EUR"):
        context.convert(Money(1, "GBP"))
    clone = pickle.loads(pickle.dumps(context))  # noqa: S301 - own object
    assert clone == context
    assert clone.factor("CZK") == 0.04


@given(
    amount=st.decimals(min_value=0, max_value=10**12, places=2),
    code=st.sampled_from(["CZK", "GBP", "EUR"]),
)
def test_to_float_is_the_float_amount_times_the_float_rate(amount: Decimal, code: str) -> None:
    # The batch path converts columns as float amount x float rate; the object path must
    # give the same bits, or a half-cent credit settles differently on the two paths
    # (13,792.68 GBP at EUR/GBP 0.86: 16038.000000000002, not 16038.0).
    context = example_context()
    assert context.to_float(Money(amount, code)) == float(amount) * context.factor(code)
