"""The trusted path: results built without checks must be what validated construction gives.

The built-ins build their results (impacts, items, assumptions, outlooks, forecasts,
recommended actions, recommendations) with :func:`custadvocacy._trusted.builder`,
skipping the checks their inputs already passed. These properties re-validate every
object a built-in produces: rebuilding it through its class (``attrs.evolve``) must
not raise and must give an equal object with fields of the same types, and pass the
class's fast check where it has one (``_fast_valid``). They also pin
the fast paths to the slow ones they stand for: the forecasts' totals-only pricing to
full estimates, the context's precomputed rates to :class:`ExchangeRates`.
"""

from __future__ import annotations

import decimal
import inspect
import math
import pickle
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import custadvocacy._impact._model as impact_model
from custadvocacy import (
    AdvocacyScorer,
    Assessment,
    Assumption,
    ConfigurationError,
    Context,
    Customer,
    EmpiricalLeadTimeModel,
    EstimatorCapabilities,
    ExchangeRates,
    Impact,
    Incident,
    IncidentKind,
    LossCategory,
    LossItem,
    MissingRateError,
    Money,
    Order,
    Portfolio,
    ValidationError,
    assess,
    default_estimators,
    forecast_orders,
    from_dict,
    to_dict,
)
from custadvocacy._checks import MAX_ID_LENGTH
from custadvocacy._policies._common import (
    UNIT_TOLERANCE,
    cents_down,
    cents_up,
    money_from_cents,
)
from custadvocacy._policies._sizing import share_relief
from custadvocacy._trusted import builder
from custadvocacy.estimators import LateDeliveryEstimator
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import CustomerFirstPolicy, PlaybookPolicy, VendorValuePolicy
from custadvocacy.testing import strategies as cs

# -- helpers ----------------------------------------------------------------------------


def _attrs_objects(value: object) -> Iterator[Any]:
    """Every attrs instance inside ``value`` (itself, its fields, tuples of them)."""
    if isinstance(value, tuple):
        for item in value:
            yield from _attrs_objects(item)
    elif attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            yield from _attrs_objects(getattr(value, field.name))


def _revalidated(value: object) -> int:
    """Rebuild every attrs object in ``value`` through its checks; return how many."""
    count = 0
    for obj in _attrs_objects(value):
        rebuilt = attrs.evolve(obj)  # runs the converters and __attrs_post_init__
        assert rebuilt == obj, obj
        # A valid object is taken by its class's fast check, where it has one (a stricter
        # fast path would only cost time, so nothing else would notice).
        fast = getattr(obj, "_fast_valid", None)
        assert fast is None or fast(), obj
        for field in attrs.fields(type(obj)):
            if field.init:
                before, after = getattr(obj, field.name), getattr(rebuilt, field.name)
                assert type(before) is type(after), (obj, field.name)
        count += 1
    return count


def _groups(portfolio: Portfolio) -> list[tuple[Customer, tuple[Order, ...], tuple[Incident, ...]]]:
    return list(portfolio.groups())


def _orders_by_id(portfolio: Portfolio) -> dict[str, Order]:
    return {o.id: o for o in portfolio.orders}


portfolio_cases = st.data()


@st.composite
def cases(draw: st.DrawFn) -> tuple[Portfolio, Context]:
    context = draw(cs.contexts())
    portfolio = draw(
        cs.portfolios(context=context, min_size=1, max_size=2, max_orders=4, max_incidents=3)
    )
    return portfolio, context


class _Wrapped:
    """A host estimator that delegates to the built-in: forecasts take the full path."""

    name = "wrapped_late_delivery"
    capabilities = EstimatorCapabilities(kinds=frozenset({IncidentKind.LATE_DELIVERY}), batch=False)

    def __init__(self) -> None:
        self._inner = LateDeliveryEstimator()

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        return self._inner.estimate(incident, customer, order, context)


# -- the builder ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Point:
    x: float
    label: str = "p"
    tags: tuple[str, ...] = attrs.field(factory=tuple)
    _hidden: int = 0

    def __attrs_post_init__(self) -> None:
        if self.x < 0:
            raise ValidationError([])


_build_point = builder(_Point)


def test_a_built_object_equals_the_validated_one_and_fills_defaults() -> None:
    built = _build_point(x=1.5)
    assert built == _Point(x=1.5)
    assert (built.label, built.tags, built._hidden) == ("p", (), 0)
    assert _build_point(x=2.0, label="q", tags=("a",), hidden=3) == _Point(
        x=2.0, label="q", tags=("a",), hidden=3
    )


def test_a_built_object_skips_the_checks_and_stays_frozen() -> None:
    with pytest.raises(ValidationError):
        _Point(x=-1.0)
    built = _build_point(x=-1.0)  # our own code never passes such a value
    assert built.x == -1.0
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.x = 2.0  # type: ignore[misc]


def test_a_built_object_pickles_and_hashes_like_a_validated_one() -> None:
    built = _build_point(x=1.0, tags=("a", "b"))
    assert pickle.loads(pickle.dumps(built)) == built  # noqa: S301 - our own bytes
    assert hash(built) == hash(_Point(x=1.0, tags=("a", "b")))


def test_the_builder_requires_every_field_without_a_default() -> None:
    with pytest.raises(TypeError):
        _build_point(label="q")
    with pytest.raises(TypeError):
        _build_point(1.0)


def test_a_factory_default_shows_as_missing_in_the_signature() -> None:
    assert "tags=<missing>" in str(inspect.signature(_build_point))


def test_the_builder_refuses_what_it_cannot_build_faithfully() -> None:
    with pytest.raises(TypeError, match="slotted attrs class"):
        builder(dict)

    @attrs.define(slots=False)
    class Unslotted:
        x: int

    with pytest.raises(TypeError, match="slotted attrs class"):
        builder(Unslotted)
    with pytest.raises(TypeError, match="init=False or a converter"):
        builder(Money)  # converters check the amount and the currency
    with pytest.raises(TypeError, match="init=False or a converter"):
        builder(Context)  # its rate table is derived in __attrs_post_init__

    @attrs.define(frozen=True, slots=False)
    class Base:
        a: int = 0

    @attrs.frozen
    class SlottedOnTop(Base):
        b: int = 1

    with pytest.raises(TypeError) as info:
        builder(SlottedOnTop)
    assert str(info.value) == "builder() cannot build SlottedOnTop: field 'a' is not a slot"


def test_a_builder_says_what_it_builds() -> None:
    assert _build_point.__doc__ == "Build a _Point from valid keyword arguments, without checks."


# -- every result a built-in makes passes its own checks -------------------------------


@given(cases())
def test_every_result_of_assess_passes_the_checks(case: tuple[Portfolio, Context]) -> None:
    portfolio, context = case
    for customer, orders, incidents in _groups(portfolio):
        for policy in (None, PlaybookPolicy(), VendorValuePolicy()):
            result = assess(customer, orders, incidents, context=context, policy=policy)
            assert isinstance(result, Assessment)
            assert _revalidated(result) >= 1


@given(cases())
def test_every_estimate_passes_the_checks(case: tuple[Portfolio, Context]) -> None:
    portfolio, context = case
    estimators = default_estimators()
    customers = {c.id: c for c in portfolio.customers}
    orders = _orders_by_id(portfolio)
    for incident in portfolio.incidents:
        order = orders.get(incident.order_id) if incident.order_id is not None else None
        impact = estimators.estimate(incident, customers[incident.customer_id], order, context)
        _revalidated(impact)


@given(cases(), st.integers(min_value=0, max_value=2))
def test_every_forecast_and_outlook_passes_the_checks(
    case: tuple[Portfolio, Context], extra_days: int
) -> None:
    portfolio, context = case
    model = EmpiricalLeadTimeModel.fit(portfolio.orders, min_observations=1)
    later = attrs.evolve(context, as_of=context.as_of + timedelta(days=extra_days))
    for customer, orders, _ in _groups(portfolio):
        for frame in (context, later):
            _revalidated(forecast_orders(customer, orders, frame, model=model))
            for order in orders:
                if order.is_open:
                    _revalidated(model.outlook(order, frame))


# -- the fast paths give what the slow ones give ---------------------------------------


@given(cases())
def test_forecast_totals_equal_full_estimates(case: tuple[Portfolio, Context]) -> None:
    portfolio, context = case
    built_in = default_estimators()
    wrapped = built_in.with_estimator(_Wrapped(), kinds=[IncidentKind.LATE_DELIVERY])
    model = EmpiricalLeadTimeModel.fit(portfolio.orders, min_observations=1)
    for customer, orders, _ in _groups(portfolio):
        for lead_time in (None, model):
            fast = forecast_orders(customer, orders, context, model=lead_time, estimators=built_in)
            slow = forecast_orders(customer, orders, context, model=lead_time, estimators=wrapped)
            assert [attrs.evolve(f, estimator="x") for f in fast] == [
                attrs.evolve(f, estimator="x") for f in slow
            ]
            assert all(f.estimator == "late_delivery" for f in fast)


def test_forecast_totals_equal_full_estimates_on_the_example() -> None:
    portfolio, context = example_portfolio(), example_context()
    wrapped = default_estimators().with_estimator(_Wrapped(), kinds=[IncidentKind.LATE_DELIVERY])
    compared = 0
    for customer, orders, _ in _groups(portfolio):
        fast = forecast_orders(customer, orders, context)
        slow = forecast_orders(customer, orders, context, estimators=wrapped)
        for f, s in zip(fast, slow, strict=True):
            assert (f.expected_loss, f.low, f.high, f.risk) == (
                s.expected_loss,
                s.low,
                s.high,
                s.risk,
            )
            compared += 1
    assert compared >= 3


def test_a_forecast_past_the_last_year_is_refused_as_before() -> None:
    as_of = datetime(2200, 12, 30, tzinfo=UTC)  # a delivery days later falls in 2201
    context = Context(as_of=as_of, currency="EUR")
    customer = attrs.evolve(
        example_portfolio().customer("C09"), currency="EUR", annual_value=Money(1, "EUR")
    )
    order = Order(
        id="O-1",
        customer_id=customer.id,
        placed_at=as_of - timedelta(days=30),
        promised_at=as_of - timedelta(days=1),
        value=Money(100, "EUR"),
    )
    for estimators in (None, default_estimators().with_estimator(_Wrapped())):
        with pytest.raises(ValidationError, match="delivered_at"):
            forecast_orders(customer, [order], context, estimators=estimators)


@given(cs.contexts(), cs.currencies(), st.integers(min_value=-(10**12), max_value=10**12))
def test_the_context_converts_as_its_rates_do(context: Context, code: str, cents: int) -> None:
    money = Money(Decimal(cents).scaleb(-2), code)
    try:
        expected = context.rates.convert(money, context.currency)
    except MissingRateError:
        with pytest.raises(MissingRateError):
            context.convert(money)
        with pytest.raises(MissingRateError):
            context.factor(code)
        return
    assert context.convert(money) == expected
    assert context.to_float(money) == float(money.amount) * context.factor(code)
    assert context.factor(code) == float(context.rates.rate(code, context.currency))


def test_a_missing_rate_is_still_reported_by_the_context() -> None:
    context = example_context()
    with pytest.raises(MissingRateError, match="JPY->EUR"):
        context.factor("JPY")
    with pytest.raises(MissingRateError, match="JPY->EUR"):
        context.convert(Money(1, "JPY"))


def test_a_context_pickles_with_its_rates() -> None:
    context = Context(
        as_of=datetime(2026, 1, 1, tzinfo=UTC),
        currency="EUR",
        rates=ExchangeRates({("GBP", "EUR"): "1.2"}),
    )
    loaded = pickle.loads(pickle.dumps(context))  # noqa: S301 - our own bytes
    assert loaded == context
    assert loaded.factor("GBP") == context.factor("GBP") == 1.2
    assert loaded.convert(Money(10, "GBP")) == Money("12.0", "EUR")


# -- to_dict's per-class plan -----------------------------------------------------------


class _Text(str):
    __slots__ = ()


class _Moment(datetime):
    pass


class _Amount(Decimal):
    pass


def test_to_dict_writes_subclasses_of_plain_values_as_their_plain_form() -> None:
    # The exact-type table skips them; the isinstance chain behind it still knows them.
    moment = _Moment(2026, 1, 2, 3, tzinfo=UTC)
    data = {"text": _Text("x"), "when": moment, "amount": _Amount("1.50"), "items": [1, (2.5,)]}
    assert to_dict(data) == {
        "text": "x",
        "when": "2026-01-02T03:00:00+00:00",
        "amount": "1.50",
        "items": [1, [2.5]],
    }
    assert type(to_dict(data)["text"]) is _Text  # a str already: kept as it is


def test_to_dict_names_the_path_of_a_value_without_a_plain_form() -> None:
    with pytest.raises(ValidationError) as caught:
        to_dict({"rows": [{"cell": 1}, {"cell": object()}]})
    assert caught.value.problems[0].path == "rows[1].cell"
    with pytest.raises(ValidationError) as caught:
        to_dict((1, object()))
    assert caught.value.problems[0].path == "[1]"


@given(cases())
def test_to_dict_of_an_assessment_reads_back_to_an_equal_one(
    case: tuple[Portfolio, Context],
) -> None:
    portfolio, context = case
    for customer, orders, incidents in _groups(portfolio):
        result = assess(customer, orders, incidents, context=context)
        assert from_dict(Assessment, to_dict(result)) == result


@attrs.frozen(kw_only=True)
class _Labelled(_Point):
    note: str = ""


def test_the_builder_builds_a_subclass_with_its_inherited_fields() -> None:
    built = builder(_Labelled)(x=1.0, note="n")
    assert built == _Labelled(x=1.0, note="n")
    assert (built.x, built.label, built.note) == (1.0, "p", "n")


# -- assess() checks its inputs once ----------------------------------------------------


class _HostScorer:
    """A host scorer that delegates to the built-in: assess() takes the checked path."""

    def __init__(self) -> None:
        self._inner = AdvocacyScorer()

    def score(self, *args: Any) -> Any:
        return self._inner.score(*args)


class _HostPolicy:
    """A host policy that delegates to the built-in: its result goes through run_policy."""

    name = "customer_first"

    def __init__(self) -> None:
        self._inner = CustomerFirstPolicy()

    def recommend(self, *args: Any) -> Any:
        return self._inner.recommend(*args)


@given(cases())
def test_assess_with_the_built_ins_equals_the_checked_path(
    case: tuple[Portfolio, Context],
) -> None:
    # The built-in scorer and policy skip the checks assess() already made, and the
    # assessment is built trusted: the same result as through every check.
    portfolio, context = case
    for customer, orders, incidents in _groups(portfolio):
        fast = assess(customer, orders, incidents, context=context)
        slow = assess(
            customer, orders, incidents, context=context, scorer=_HostScorer(), policy=_HostPolicy()
        )
        assert to_dict(fast) == to_dict(slow)
        assert fast == slow


class _OtherCustomers:
    """A broken host estimator: its impact names another customer."""

    name = "other_customers"
    capabilities = EstimatorCapabilities(kinds=frozenset({IncidentKind.LATE_DELIVERY}), batch=False)

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        impact = LateDeliveryEstimator().estimate(incident, customer, order, context)
        return attrs.evolve(impact, customer_id="SOMEONE-ELSE")


def test_assess_still_refuses_an_impact_of_another_customer() -> None:
    customer, orders, incidents = example_portfolio().for_customer("C01")
    estimators = default_estimators().with_estimator(
        _OtherCustomers(), kinds=[IncidentKind.LATE_DELIVERY]
    )
    with pytest.raises(ConfigurationError, match=r"estimator 'other_customers'"):
        assess(customer, orders, incidents, context=example_context(), estimators=estimators)


# -- the policies' float helpers are the builtins they stand for -------------------------


def _reference_cents(amount: float, scale: int, *, up: bool) -> int:
    exact = amount * scale
    nearest = round(exact)
    if abs(exact - nearest) <= UNIT_TOLERANCE * max(abs(exact), 1.0):
        return nearest
    return math.ceil(exact) if up else math.floor(exact)


_AMOUNTS = st.one_of(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 100),
    st.sampled_from([0.0, -0.0, 0.005, 0.07, 0.29, -0.29, 1.0, -1.0, 0.01, -0.01]),
)


@given(_AMOUNTS, st.sampled_from([1, 100, 1000]))
# Float noise at the edges of the tolerance, always tried: just under a whole unit
# (|exact| < 1 uses the absolute tolerance), and 1.5e-12 from 2 and from 1 (inside the
# relative tolerance at 2, outside it at 1).
@example(0.9999999999999999, 1)
@example(-0.9999999999999999, 1)
@example(2 - 1.5e-12, 1)
@example(-(2 - 1.5e-12), 1)
@example(1 + 1.5e-12, 1)
@example(-(1 + 1.5e-12), 1)
def test_minor_units_round_as_the_reference_formula(amount: float, scale: int) -> None:
    assert cents_up(amount, scale) == _reference_cents(amount, scale, up=True)
    assert cents_down(amount, scale) == _reference_cents(amount, scale, up=False)


def test_money_from_minor_units_is_exact_whatever_the_hosts_precision() -> None:
    units = 10**18 + 12_345  # past the fast path's bound: through Money's converters
    with decimal.localcontext(prec=5):
        assert money_from_cents(units, "EUR").amount == Decimal("10000000000000123.45")
        assert money_from_cents(1_234_567, "EUR").amount == Decimal("12345.67")


_LOSSES = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(_LOSSES, st.floats(min_value=0.0, max_value=1.0), _LOSSES)
def test_share_relief_on_floats_is_min_and_max(
    remaining: float, share: float, credit: float
) -> None:
    fast = share_relief(remaining, share, credit)
    reference = max(0.0, min(remaining, share * remaining + credit))
    assert fast == reference
    assert math.copysign(1.0, fast) == math.copysign(1.0, reference)
    column = share_relief(np.array([remaining]), np.array([share]), np.array([credit]))
    assert float(column[0]) == fast


@attrs.frozen(kw_only=True)
class _Base:
    a: int


@attrs.frozen(kw_only=True)
class _Child(_Base):
    b: list[int] = attrs.field(factory=list)


def test_a_builder_sets_the_slots_a_base_class_declares_and_calls_each_factory_anew() -> None:
    build = builder(_Child)
    first, second = build(a=1), build(a=2, b=[7])
    assert (first.a, first.b, second.a, second.b) == (1, [], 2, [7])
    assert build(a=3).b is not first.b  # a new list per build, as attrs gives
    assert first == _Child(a=1)


def test_a_builder_is_named_and_documented_for_its_class() -> None:
    assert _build_point.__name__ == _build_point.__qualname__ == "build__Point"
    assert _build_point.__doc__ == "Build a _Point from valid keyword arguments, without checks."


def test_the_builders_refusals_name_the_class_and_the_field() -> None:
    with pytest.raises(TypeError) as info:
        builder(dict)
    assert str(info.value) == "builder() needs a slotted attrs class, not <class 'dict'>"

    @attrs.frozen
    class Derived:
        x: int
        y: int = attrs.field(init=False, default=0)

    with pytest.raises(TypeError) as info:
        builder(Derived)
    assert str(info.value) == (
        "builder() cannot build Derived: field 'y' has init=False or a converter"
    )


def test_the_builder_refuses_a_factory_taking_self() -> None:
    @attrs.frozen
    class TakesSelf:
        x: int
        y: int = attrs.field(default=attrs.Factory(lambda self: self.x, takes_self=True))

    with pytest.raises(TypeError) as info:
        builder(TakesSelf)
    assert str(info.value) == "builder() cannot build TakesSelf: 'y' takes self"


@attrs.frozen(kw_only=True)
class _Private:
    _x: int
    tags: list[int] | None = attrs.field(factory=list)


def test_the_builder_takes_attrs_argument_names_and_an_explicit_none() -> None:
    build = builder(_Private)
    built = build(x=1, tags=None)  # attrs's argument for _x is x; None is a value, not "missing"
    assert built == _Private(x=1, tags=None)
    assert build(x=2).tags == []


# -- a valid value never runs the full checks (the fast path is the point of it) ---------


def _no_full_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("the full checks ran for a valid value")

    monkeypatch.setattr(impact_model, "Checks", refuse)


@pytest.mark.parametrize("short", [True, False], ids=["shortest", "longest"])
def test_a_valid_line_item_and_assumption_take_the_fast_path(
    monkeypatch: pytest.MonkeyPatch, short: bool
) -> None:
    name, label, basis = ("k", "x", "") if short else ("k" * MAX_ID_LENGTH, "x" * 200, "b" * 2000)
    _no_full_checks(monkeypatch)
    assumption = Assumption(name=name, value=1.0, unit="", source="s", is_default=True)
    item = LossItem(
        label=label,
        category=LossCategory.OTHER,
        expected=1.0,
        low=0.5,
        high=2.0,
        basis=basis,
        assumptions=(assumption,),
    )
    assert (item.label, item.assumptions[0].name) == (label, name)
