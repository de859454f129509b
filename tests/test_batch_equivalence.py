"""The batch path computes the object path's numbers: impacts, forecasts, scores, actions, budget.

Hypothesis draws portfolios, contexts and plug-in configurations; every customer is
assessed by :func:`custadvocacy.assess` and the whole portfolio by
:func:`custadvocacy.batch.assess_batch`, and every number must agree within 1e-9
relative (the minor units of actions and the budget exactly).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest
from _batch_compare import action_mismatches
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScorer,
    Context,
    EmpiricalLeadTimeModel,
    IncidentKind,
    Money,
    Portfolio,
    ScorerConfig,
    ScoreWeights,
    assess,
    default_estimators,
)
from custadvocacy._scoring import FACTORS
from custadvocacy.batch import BatchResult, assess_batch, columns_from_mapping, columns_from_objects
from custadvocacy.batch import _budget as batch_budget
from custadvocacy.batch._objects import groups_of
from custadvocacy.batch._synthetic import synthetic_mapping
from custadvocacy.estimators import LateDeliveryEstimator, Spread
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import (
    CustomerFirstPolicy,
    PolicySettings,
    Recommendation,
    RecommendedAction,
    allocate_budget,
)
from custadvocacy.testing.strategies import contexts, portfolios

_SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _mismatches(portfolio: Portfolio, context: Context, **plugins: Any) -> list[Any]:
    """Every number where batch and object path disagree (empty when they agree)."""
    result = assess_batch(columns_from_objects(portfolio), context=context, **plugins)
    return _compare(result, portfolio, context, plugins)


def _impact_mismatches(result: BatchResult, impacts: Any, row_of: dict[str, int]) -> list[Any]:
    bad: list[Any] = []
    for impact in impacts:
        i = row_of[impact.incident_id]
        bad.extend(
            (impact.incident_id, name)
            for name in ("expected", "low", "high")
            if not _close(getattr(impact, name), float(result.incidents[name][i]))
        )
        bad.extend(
            (impact.incident_id, name)
            for name in ("estimated", "ongoing")
            if getattr(impact, name) != bool(result.incidents[name][i])
        )
    return bad


_FORECAST = (
    "probability_late", "expected_days_late", "days_late_low", "days_late_high",
    "expected_loss", "low", "high", "risk",
)  # fmt: skip


def _forecast_mismatches(
    result: BatchResult, forecasts: Any, orders: Any, row_of: dict[str, int]
) -> list[Any]:
    bad: list[Any] = []
    for forecast in forecasts:
        o = row_of[forecast.order_id]
        bad.extend(
            (forecast.order_id, name)
            for name in _FORECAST
            if not _close(getattr(forecast, name), float(result.orders[name][o]))
        )
        if result.BASES[int(result.orders["basis"][o])] != forecast.basis.value:
            bad.append((forecast.order_id, "basis"))
    forecast_rows = {row_of[f.order_id] for f in forecasts}
    bad.extend(
        (order.id, "forecast")
        for order in orders
        if (row_of[order.id] in forecast_rows) != bool(result.orders["forecast"][row_of[order.id]])
    )
    return bad


def _customer_mismatches(result: BatchResult, expected: Any, row: int) -> list[Any]:
    """The customer's totals: loss, risk beyond its incidents (each counted once)."""
    customers = result.customers
    figures = (
        ("expected_loss", expected.expected_loss),
        ("loss_low", expected.loss_range[0]),
        ("loss_high", expected.loss_range[1]),
        ("risk", expected.risk),
    )
    return [
        (expected.customer_id, name)
        for name, value in figures
        if not _close(value, float(customers[name][row]))
    ]


def _score_mismatches(result: BatchResult, expected: Any, row: int) -> list[Any]:
    bad: list[Any] = []
    if not _close(expected.value, float(result.customers["score"][row])):
        bad.append((expected.customer_id, "score"))
    if expected.band.rank != int(result.customers["band"][row]):
        bad.append((expected.customer_id, "band"))
    bad.extend(
        (expected.customer_id, factor)
        for factor in FACTORS
        if not _close(expected.score.points(factor), result.customers[f"points_{factor}"][row])
    )
    return bad


def _compare(
    result: BatchResult, portfolio: Portfolio, context: Context, plugins: dict[str, Any]
) -> list[Any]:
    bad: list[Any] = []
    incident_row = {x.id: i for i, x in enumerate(portfolio.incidents)}
    order_row = {x.id: i for i, x in enumerate(portfolio.orders)}
    for row, (customer, orders, incidents) in enumerate(portfolio.groups()):
        expected = assess(customer, orders, incidents, context=context, **plugins)
        bad += _impact_mismatches(result, expected.impacts, incident_row)
        bad += _forecast_mismatches(result, expected.forecasts, orders, order_row)
        bad += _score_mismatches(result, expected, row)
        bad += _customer_mismatches(result, expected, row)
        bad += action_mismatches(result, expected, row, portfolio)
    return bad


def test_the_example_portfolio_agrees_number_for_number() -> None:
    assert _mismatches(example_portfolio(), example_context()) == []


def test_a_late_delivery_on_a_customers_first_order_weighs_its_forecast_as_on_objects() -> None:
    # Rhein's open late order alone: the batch chunk's order 0, whose open late delivery
    # takes the risk beyond it into harm (an index 0 the example portfolio never has).
    context = example_context()
    customer, orders, incidents = example_portfolio().for_customer("C10")
    late = next(
        i for i in incidents if i.kind is IncidentKind.LATE_DELIVERY and i.is_open(context.as_of)
    )
    alone = Portfolio(
        customers=[customer],
        orders=[o for o in orders if o.id == late.order_id],
        incidents=[i for i in incidents if i.order_id == late.order_id],
    )
    assert _mismatches(alone, context) == []
    harm = assess_batch(columns_from_objects(alone), context=context).customers["points_harm"]
    assert harm[0] > 0


def test_an_order_without_a_lane_is_forecast_from_the_pool_as_on_objects() -> None:
    context = example_context()
    portfolio = example_portfolio()
    o1002 = next(o for o in portfolio.orders if o.id == "O-1002")
    laneless = attrs.evolve(o1002, id="O-1003", lane=None)  # open, no ETA, no lane
    portfolio = attrs.evolve(portfolio, orders=(*portfolio.orders, laneless))
    model = EmpiricalLeadTimeModel.fit(portfolio.orders, as_of=context.as_of, min_observations=1)
    assert model.histories  # lanes of their own
    assert model.pooled is not None  # and a pool
    assert _mismatches(portfolio, context, lead_time_model=model) == []


def test_an_incident_opened_after_as_of_counts_for_nothing_in_both_paths() -> None:
    # A replay's later incident is in the portfolio but not yet seen: it adds nothing to
    # any factor (not one of the customer's repeated incidents either).
    context = example_context()
    portfolio = example_portfolio()
    inc = next(i for i in portfolio.incidents if i.id == "INC-1001")
    later = attrs.evolve(
        inc, id="INC-1009", opened_at=context.as_of + timedelta(days=2), resolved_at=None
    )
    portfolio = attrs.evolve(portfolio, incidents=(*portfolio.incidents, later))
    assert _mismatches(portfolio, context) == []
    # Its row says nothing is known of it yet, as the object path gives it no impact.
    result = assess_batch(columns_from_objects(portfolio), context=context)
    row = result.incidents["id"].tolist().index("INC-1009")
    estimated, expected = result.incidents["estimated"][row], result.incidents["expected"][row]
    assert (bool(estimated), float(expected)) == (False, 0.0)


@pytest.mark.parametrize("days_before", [0, 15, 50])
def test_a_replay_earlier_than_some_orders_agrees_in_both_paths(days_before: int) -> None:
    # Orders placed after as_of do not exist yet: neither path forecasts them.
    context = example_context()
    replay = attrs.evolve(context, as_of=context.as_of - timedelta(days=days_before))
    portfolio = example_portfolio()
    later = [o.id for o in portfolio.orders if o.placed_at > replay.as_of]
    assert bool(later) == (days_before > 0)
    result = assess_batch(columns_from_objects(portfolio), context=replay)
    ids, forecast = result.orders["id"].tolist(), result.orders["forecast"].tolist()
    assert not any(flag for order_id, flag in zip(ids, forecast, strict=True) if order_id in later)
    assert _mismatches(portfolio, replay) == []


@_SLOW
@given(st.data())
def test_batch_equals_object_path(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, max_size=6, max_orders=4, max_incidents=4))
    assert _mismatches(portfolio, context) == []


def _plugins(data: st.DataObject, portfolio: Portfolio) -> dict[str, Any]:
    plugins: dict[str, Any] = {}
    if data.draw(st.booleans(), label="fitted model"):
        plugins["lead_time_model"] = EmpiricalLeadTimeModel.fit(
            portfolio.orders, min_observations=data.draw(st.integers(1, 3))
        )
    if data.draw(st.booleans(), label="policy"):
        plugins["policy"] = CustomerFirstPolicy(
            settings=PolicySettings(
                cost_limit_share=data.draw(st.sampled_from([None, 0.0, 0.5])),
                max_actions=data.draw(st.integers(1, 4)),
                late_probability=data.draw(st.floats(0, 1)),
                critical_share=data.draw(st.floats(0, 1)),
            ),
            relief_half_life_days=data.draw(st.floats(0.5, 100)),
        )
    if data.draw(st.booleans(), label="scorer"):
        plugins["scorer"] = AdvocacyScorer(
            config=ScorerConfig(
                harm_scale_days=data.draw(st.floats(0.1, 10)),
                weights=ScoreWeights(relationship=data.draw(st.floats(0, 1))),
            )
        )
    if data.draw(st.booleans(), label="estimators"):
        late = LateDeliveryEstimator(
            spread=Spread(default=data.draw(st.floats(0, 2))),
            expediting_rate=data.draw(st.floats(0, 1)),
        )
        plugins["estimators"] = (
            default_estimators().without(IncidentKind.DEFECT).with_estimator(late)
        )
    return plugins


@_SLOW
@given(st.data())
def test_batch_equals_object_path_with_any_configuration(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, max_size=5, max_orders=4, max_incidents=4))
    assert _mismatches(portfolio, context, **_plugins(data, portfolio)) == []


@_SLOW
@given(st.data())
def test_budget_equals_allocate_budget(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, max_size=6, max_orders=3, max_incidents=3))
    policy = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=data.draw(st.sampled_from([None, 0.1])))
    )

    def money() -> Money:
        return Money(data.draw(st.integers(0, 10**7)), context.currency).rounded()

    budget = money()
    per_customer = data.draw(st.sampled_from([None, money()]))
    per_action = data.draw(st.sampled_from([None, money()]))
    exact_limit = data.draw(st.sampled_from([0, 24]))
    recommendations = [
        assess(c, o, i, context=context, policy=policy).recommendation
        for c, o, i in portfolio.groups()
    ]
    want = allocate_budget(
        recommendations,
        budget,
        per_customer_limit=per_customer,
        per_action_limit=per_action,
        exact_limit=exact_limit,
    )
    result = assess_batch(
        columns_from_objects(portfolio),
        context=context,
        policy=policy,
        budget=budget,
        per_customer_limit=per_customer,
        per_action_limit=per_action,
        exact_limit=exact_limit,
    )
    got = result.budget
    assert got is not None
    actions = result.actions
    funded = sorted(
        (
            str(result.customers["id"][actions["customer"][j]]),
            result.action_codes[actions["action"][j]],
        )
        for j in np.flatnonzero(actions["funded"])
    )
    assert funded == sorted((item.customer_id, item.action.code) for item in want.funded)
    assert (got.spent, got.relief, got.method, got.upper_bound, got.gap) == (
        want.spent,
        want.relief,
        want.method,
        want.upper_bound,
        want.gap,
    )


def _recommendations(
    customers: list[int], reliefs: list[int], costs: list[int]
) -> list[Recommendation]:
    by_customer: dict[int, list[RecommendedAction]] = {}
    for customer, relief, cost in zip(customers, reliefs, costs, strict=True):
        actions = by_customer.setdefault(customer, [])
        actions.append(
            RecommendedAction(
                code="named_contact",
                label="Named contact",
                proactive=False,
                incident_ids=("I",),
                order_ids=(),
                relief=Money(Decimal(relief).scaleb(-2), "EUR"),
                cost=Money(Decimal(cost).scaleb(-2), "EUR"),
                net_value=Money(Decimal(relief - cost).scaleb(-2), "EUR"),
                needs_approval=False,
                rank=len(actions) + 1,
            )
        )
    return [
        Recommendation(
            customer_id=f"C{customer}",
            policy="customer_first",
            currency="EUR",
            actions=tuple(actions),
            total_relief=sum((a.relief for a in actions), Money("0.00", "EUR")),
            total_cost=sum((a.cost for a in actions), Money("0.00", "EUR")),
        )
        for customer, actions in sorted(by_customer.items())
    ]


@_SLOW
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 5_000), st.integers(0, 3_000)),
        min_size=1,
        max_size=120,
    ),
    st.integers(0, 200_000),
    st.sampled_from([None, 0, 1_500, 4_000]),
)
# Always run, whatever the profile draws: customers whose actions together exceed the
# per-customer limit, several deep, interleaved with other customers', and a limit met to
# the cent (the mutation profile's 20 draws rarely reach these; a limit check with < for
# <= survived them).
@example(
    rows=[(1, 900, 1_400), (1, 800, 1_300), (1, 700, 1_200), (1, 100, 100),
          (2, 850, 2_000), (2, 600, 1_000), (2, 50, 900), (3, 400, 3_000)],
    budget=200_000,
    cap=4_000,
)  # fmt: skip
@example(
    rows=[(1, 900, 1_400), (1, 800, 1_300), (1, 700, 1_200), (2, 850, 2_000),
          (2, 600, 1_000), (3, 400, 3_000), (3, 390, 100)],
    budget=5_000,
    cap=1_500,
)  # fmt: skip
@example(
    rows=[(1, 2_000, 1_000), (1, 1_500, 500), (1, 1, 1), (2, 850, 1_500), (2, 10, 1)],
    budget=200_000,
    cap=1_500,
)  # fmt: skip  # a customer's limit met exactly, then one cent over
@example(rows=[(4, 10, 0), (4, 5, 0), (5, 7, 1)], budget=0, cap=0)
def test_greedy_at_scale_equals_the_object_greedy(
    rows: list[tuple[int, int, int]], budget: int, cap: int | None
) -> None:
    # A tiny edge makes the selection (not the small-set sort) find where the budget ends.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_budget, "_EDGE", 3)
        rows.sort(key=lambda r: r[0])  # the actions of a customer come together
        customers = [r[0] for r in rows]
        recommendations = _recommendations(customers, [r[1] for r in rows], [r[2] for r in rows])
        limit = None if cap is None else Money(Decimal(cap).scaleb(-2), "EUR")
        money = Money(Decimal(budget).scaleb(-2), "EUR")
        want = allocate_budget(recommendations, money, per_customer_limit=limit, exact_limit=0)
        label = np.array(customers, dtype=np.int64)
        texts = sorted({f"C{c}" for c in customers})  # ties go by the id as text
        rank_of = {int(t[1:]): k for k, t in enumerate(texts)}
        got = batch_budget.allocate_columns(
            customer=label,
            customer_rank=np.array([rank_of[c] for c in customers], dtype=np.int64),
            relief=np.array([r[1] for r in rows], dtype=np.int64),
            cost=np.array([r[2] for r in rows], dtype=np.int64),
            rank=np.array(
                [sum(1 for q in customers[: i + 1] if q == c) for i, c in enumerate(customers)],
                dtype=np.int64,
            ),
            budget=money,
            currency="EUR",
            per_customer_limit=limit,
            exact_limit=0,
        )
    assert (got.spent, got.relief, got.method) == (want.spent, want.relief, want.method)
    assert abs(got.upper_bound.amount - want.upper_bound.amount) <= Decimal("0.01")


@pytest.mark.parametrize("seed", [3, 11])
def test_a_synthetic_portfolio_agrees_with_its_assessments(seed: int) -> None:
    context = example_context()
    columns = columns_from_mapping(**synthetic_mapping(300, seed=seed))
    groups = groups_of(columns, range(300), context.as_of)
    model = EmpiricalLeadTimeModel.fit(
        [o for g in groups for o in g[1]], as_of=context.as_of, min_observations=20
    )
    result = assess_batch(columns, context=context, lead_time_model=model)
    portfolio = Portfolio(
        customers=[g[0] for g in groups],
        orders=[o for g in groups for o in g[1]],
        incidents=[i for g in groups for i in g[2]],
    )
    # The rebuilt objects come in the columns' layout; compare through them.
    rebuilt = assess_batch(columns_from_objects(portfolio), context=context, lead_time_model=model)
    assert _compare(rebuilt, portfolio, context, {"lead_time_model": model}) == []
    np.testing.assert_allclose(
        np.sort(result.customers["score"]), np.sort(rebuilt.customers["score"]), rtol=1e-9
    )
    assert {int(b) for b in result.orders["basis"][result.orders["forecast"]]} >= {0, 1}


def _with(portfolio: Portfolio, **changes: dict[str, Any]) -> Portfolio:
    """``portfolio`` with the fields of the orders and incidents named changed."""
    orders = tuple(attrs.evolve(o, **changes.get(o.id, {})) for o in portfolio.orders)
    incidents = tuple(attrs.evolve(i, **changes.get(i.id, {})) for i in portfolio.incidents)
    return attrs.evolve(portfolio, orders=orders, incidents=incidents)


@pytest.mark.parametrize(
    "changes",
    [
        # O-1001 delivered and INC-101 resolved exactly at as_of: arrived, done, over.
        {"O-1001": {"delivered_at": "as_of"}, "INC-101": {"resolved_at": "as_of"}},
        # O-1001 not delivered, promised 12 hours before as_of, INC-101 closed: the late
        # order keeps the incident ongoing, however little late it is.
        {
            "O-1001": {"delivered_at": None, "promised_at": "as_of-12h"},
            "INC-101": {"resolved_at": "as_of-1h"},
        },
        # Open orders promised, or expected (ETA), exactly at as_of: not late yet.
        {"O-1002": {"promised_at": "as_of"}},
        {"O-5001": {"eta": "as_of"}},
    ],
)
def test_moments_at_as_of_and_late_by_less_than_a_day_agree(changes: dict[str, Any]) -> None:
    context = example_context()
    moments = {
        "as_of": context.as_of,
        "as_of-1h": context.as_of - timedelta(hours=1),
        "as_of-12h": context.as_of - timedelta(hours=12),
    }
    resolved = {
        key: {
            field: moments.get(value, value) if isinstance(value, str) else value
            for field, value in fields.items()
        }
        for key, fields in changes.items()
    }
    portfolio = _with(example_portfolio(), **resolved)
    assert _mismatches(portfolio, context) == []
