"""The issue's properties for every built-in policy, on generated customers.

Deterministic; never over the cost limit; relief never above the estimated loss (per
incident and in total); every action answers the kinds of the incidents it names;
permuting the inputs changes nothing; inputs are not mutated; a customer who lost more
than the threshold never gets an empty customer-first recommendation; a critical order
forecast late gets a proactive action before its promise.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScore,
    AdvocacyScorer,
    Customer,
    CustomerFirstPolicy,
    Forecast,
    Impact,
    Incident,
    IncidentKind,
    Money,
    Order,
    PlaybookPolicy,
    Recommendation,
    RecommendationPolicy,
    VendorValuePolicy,
    default_catalog,
    estimate_impacts,
    forecast_orders,
)
from custadvocacy._forecast._at_risk import risk_beyond_incidents
from custadvocacy._policies._common import cents_down
from custadvocacy._policies._engine import Candidate, Workspace
from custadvocacy._policies._sizing import share_relief
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import PolicySettings, run_policy
from custadvocacy.testing.strategies import portfolios

CTX = example_context()
AS_OF = CTX.as_of
CATALOG = default_catalog()
SCORER = AdvocacyScorer()


class Case:
    """One customer with everything a policy needs, computed by the library."""

    def __init__(
        self, customer: Customer, orders: Sequence[Order], incidents: Sequence[Incident]
    ) -> None:
        self.customer = customer
        self.orders = tuple(orders)
        self.incidents = tuple(incidents)
        self.impacts = estimate_impacts(customer, self.orders, self.incidents, CTX)
        self.forecasts = forecast_orders(customer, self.orders, CTX)
        self.score = SCORER.score(
            customer, self.orders, self.incidents, self.impacts, self.forecasts, CTX
        )

    def args(self) -> tuple[Any, ...]:
        return (
            self.customer,
            self.orders,
            self.incidents,
            self.impacts,
            self.forecasts,
            self.score,
            CATALOG,
            CTX,
        )

    def __repr__(self) -> str:
        return f"Case({self.customer!r}, {self.orders!r}, {self.incidents!r})"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    portfolio = draw(portfolios(context=CTX, min_size=1, max_size=1, max_orders=5, max_incidents=4))
    customer, orders, incidents = next(iter(portfolio.groups()))
    if draw(st.booleans()):
        # A critical order the carrier now expects after its promise, still ahead.
        promise = AS_OF + timedelta(days=draw(st.integers(1, 20)))
        critical = Order(
            id="O-critical",
            customer_id=customer.id,
            placed_at=AS_OF - timedelta(days=draw(st.integers(1, 30))),
            promised_at=promise,
            value=Money(draw(st.integers(0, 2_000_000)), customer.currency),
            criticality=draw(st.floats(0.7, 1.0)),
            eta=promise + timedelta(days=draw(st.integers(1, 10))),
        )
        assume(all(o.id != critical.id for o in orders))
        orders = (*orders, critical)
    return Case(customer, orders, incidents)


@st.composite
def settings(draw: st.DrawFn) -> PolicySettings:
    return PolicySettings(
        cost_limit_share=draw(st.none() | st.floats(0.0, 0.5)),
        cost_limit_floor=Money(draw(st.integers(0, 2_000)), "EUR"),
        max_actions=draw(st.integers(6, 12)),
        late_probability=draw(st.floats(0.05, 0.95)),
        critical_share=draw(st.floats(0.3, 0.7)),
        repeat_count=draw(st.integers(2, 4)),
        repeat_window_days=draw(st.floats(30, 365)),
    )


@st.composite
def policies(draw: st.DrawFn) -> RecommendationPolicy:
    chosen = draw(settings())
    kind = draw(st.sampled_from(["customer_first", "playbook", "vendor_value"]))
    if kind == "customer_first":
        return CustomerFirstPolicy(
            settings=chosen,
            loss_threshold=Money(draw(st.integers(0, 1_000)), "EUR"),
            relief_half_life_days=draw(st.floats(1, 90)),
        )
    if kind == "playbook":
        return PlaybookPolicy(settings=chosen, first_match=draw(st.booleans()))
    return VendorValuePolicy(
        settings=chosen,
        margin_share=draw(st.floats(0, 1)),
        retention=draw(st.floats(0, 0.95)),
        max_retention_drop=draw(st.floats(0, 1)),
    )


def settings_of(policy: RecommendationPolicy) -> PolicySettings:
    found = getattr(policy, "settings", None)
    assert isinstance(found, PolicySettings)
    return found


def units(money: Money) -> int:
    return int(money.amount * 100)


def loss_units(amount: float) -> Decimal:
    return Decimal(repr(amount)) * 100


def expected_limit(case: Case, chosen: PolicySettings) -> Money | None:
    if chosen.cost_limit_share is None:
        return None
    by_share = chosen.cost_limit_share * CTX.to_float(case.customer.annual_value)
    floor = CTX.to_float(chosen.cost_limit_floor)
    cents = math.floor(max(by_share, floor) * 100 + 1e-6)
    return Money(Decimal(cents) / 100, "EUR")


# ----------------------------------------------------------------------- the invariants


@given(cases(), policies())
def test_recommendations_keep_every_rule(case: Case, policy: RecommendationPolicy) -> None:
    rec = run_policy(policy, *case.args())  # checks catalog, kinds, ids, total relief
    chosen = settings_of(policy)
    assert rec.customer_id == case.customer.id
    assert rec.currency == CTX.currency
    assert rec.policy == policy.name
    assert len(rec.actions) <= chosen.max_actions
    assert [a.rank for a in rec.actions] == list(range(1, len(rec.actions) + 1))
    limit = expected_limit(case, chosen)
    assert rec.cost_limit == limit
    if limit is not None:
        assert rec.total_cost <= limit
    assert rec.total_relief == sum((a.relief for a in rec.actions), Money("0.00", "EUR"))
    assert rec.total_cost == sum((a.cost for a in rec.actions), Money("0.00", "EUR"))
    kinds = {i.id: i.kind for i in case.incidents}
    for action in rec.actions:
        known = CATALOG.get(action.code)
        assert all(kinds[i] in known.kinds for i in action.incident_ids)
        assert action.proactive == known.proactive
        if not action.incident_ids:
            assert known.proactive
            assert IncidentKind.LATE_DELIVERY in known.kinds
        assert action.relief == action.relief.rounded()
        assert action.cost == action.cost.rounded()
    assert rec.needs_approval == any(a.needs_approval for a in rec.actions)


@given(cases(), policies())
def test_relief_never_exceeds_the_estimated_loss(case: Case, policy: RecommendationPolicy) -> None:
    rec = policy.recommend(*case.args())
    seen = {i.id for i in case.incidents if i.opened_at <= AS_OF}
    incurred = {x.incident_id: x.expected for x in case.impacts if x.incident_id in seen}
    per_incident: dict[str, Decimal] = {}
    for action in rec.actions:
        if len(action.incident_ids) == 1 and not (
            action.proactive and action.order_ids and _has_forecast(case, action.order_ids)
        ):
            key = action.incident_ids[0]
            per_incident[key] = per_incident.get(key, Decimal(0)) + action.relief.amount * 100
    for incident_id, relieved in per_incident.items():
        # The loss in whole cents as the policy reads it: float noise (5.3999999999999995
        # for 5.40) is no cent less.
        assert relieved <= cents_down(incurred[incident_id], 100), incident_id
    # A late order's forecast counts only beyond its late deliveries' impacts.
    beyond = risk_beyond_incidents(case.forecasts, case.incidents, case.impacts, AS_OF)
    total = math.fsum(incurred.values()) + math.fsum(r for _, r in beyond)
    assert rec.total_relief.amount * 100 <= loss_units(total) + 1


def _has_forecast(case: Case, order_ids: tuple[str, ...]) -> bool:
    return any(f.order_id in order_ids for f in case.forecasts)


@given(cases(), policies())
def test_recommend_is_deterministic(case: Case, policy: RecommendationPolicy) -> None:
    assert policy.recommend(*case.args()) == policy.recommend(*case.args())


@given(cases(), policies(), st.randoms(use_true_random=False))
def test_permuting_the_inputs_changes_nothing(
    case: Case, policy: RecommendationPolicy, rnd: random.Random
) -> None:
    args = list(case.args())
    shuffled = list(args)
    for index in (1, 2, 3, 4):
        items = list(args[index])
        rnd.shuffle(items)
        shuffled[index] = items
    assert policy.recommend(*shuffled) == policy.recommend(*args)


@given(cases(), policies())
def test_inputs_are_not_mutated(case: Case, policy: RecommendationPolicy) -> None:
    orders, incidents = list(case.orders), list(case.incidents)
    impacts, forecasts = list(case.impacts), list(case.forecasts)
    before = (list(orders), list(incidents), list(impacts), list(forecasts), case.score)
    policy.recommend(case.customer, orders, incidents, impacts, forecasts, case.score, CATALOG, CTX)
    assert (orders, incidents, impacts, forecasts, case.score) == before


@given(cases(), settings(), st.integers(0, 2_000))
def test_a_harmed_customer_never_gets_nothing(
    case: Case, chosen: PolicySettings, threshold: int
) -> None:
    policy = CustomerFirstPolicy(settings=chosen, loss_threshold=Money(threshold, "EUR"))
    rec = policy.recommend(*case.args())
    seen = {i.id for i in case.incidents if i.opened_at <= AS_OF}
    incurred = math.fsum(x.expected for x in case.impacts if x.incident_id in seen and x.estimated)
    if incurred > threshold:
        assert rec.actions, rec.reasons


@given(cases(), policies())
def test_a_critical_order_forecast_late_gets_a_proactive_action_before_its_promise(
    case: Case, policy: RecommendationPolicy
) -> None:
    chosen = settings_of(policy)
    rec = policy.recommend(*case.args())
    by_id = {o.id: o for o in case.orders}
    for forecast in case.forecasts:
        order = by_id[forecast.order_id]
        if (
            order.is_open
            and not forecast.already_late
            and forecast.probability_late >= chosen.late_probability
            and (order.criticality or 0.0) >= chosen.critical_share
        ):
            assert any(a.proactive and order.id in a.order_ids for a in rec.actions), (
                order.id,
                rec,
            )
            assert order.promised_at > AS_OF


def test_the_strategy_reaches_the_guarantees() -> None:
    # The properties above are only as good as the cases they see: make sure some
    # generated cases have a critical order forecast late and a loss above a threshold.
    found = {"critical": False, "harmed": False}

    @given(cases())
    def look(case: Case) -> None:
        found["critical"] |= any(
            f.order_id == "O-critical" and f.probability_late > 0.5 for f in case.forecasts
        )
        found["harmed"] |= sum(x.expected for x in case.impacts) > 2_000

    look()
    assert found == {"critical": True, "harmed": True}


# ----------------------------------------------------------------------- same rule, same credit


@pytest.mark.parametrize("annual", ["1000", "5000000"])
def test_same_incident_same_credit_whoever_the_customer(annual: str) -> None:
    # Albrecht et al. 2018: everyone hit by one incident is treated by the same rule.
    portfolio = example_portfolio()
    customer, orders, incidents = portfolio.for_customer("C01")
    rich = Customer(
        id=customer.id,
        name=customer.name,
        segment=customer.segment,
        customer_since=customer.customer_since,
        currency=customer.currency,
        annual_value=Money(annual, "EUR"),
        profile=customer.profile,
    )
    base = Case(customer, orders, incidents)
    other = Case(rich, orders, incidents)
    unlimited = CustomerFirstPolicy(settings=PolicySettings(cost_limit_share=None))
    first = unlimited.recommend(*base.args()).actions
    second = unlimited.recommend(*other.args()).actions
    credit = {a.code: a.cost for a in first if a.code.startswith("service_credit")}
    assert credit
    assert credit == {a.code: a.cost for a in second if a.code.startswith("service_credit")}


def _all_policies() -> list[RecommendationPolicy]:
    return [CustomerFirstPolicy(), PlaybookPolicy(), VendorValuePolicy()]


@pytest.mark.parametrize("policy", _all_policies(), ids=lambda p: p.name)
def test_every_builtin_is_a_recommendation_policy(policy: RecommendationPolicy) -> None:
    assert isinstance(policy, RecommendationPolicy)
    case = Case(*_example("C10"))
    rec = run_policy(policy, *case.args())
    assert isinstance(rec, Recommendation)
    assert isinstance(case.score, AdvocacyScore)
    assert all(isinstance(x, Impact) for x in case.impacts)
    assert all(isinstance(x, Forecast) for x in case.forecasts)


def _example(customer_id: str) -> tuple[Customer, tuple[Order, ...], tuple[Incident, ...]]:
    return example_portfolio().for_customer(customer_id)


@given(cases(), settings(), st.booleans())
def test_the_workspace_fast_paths_size_and_weigh_as_the_general_ones(
    case: Case, chosen: PolicySettings, escalate: bool
) -> None:
    # candidates() sizes single-exposure candidates without candidate() and applies(),
    # and marginal() weighs them without the zip: the same candidates, the same bits.
    ws = Workspace(
        case.customer,
        case.orders,
        case.incidents,
        case.impacts,
        case.forecasts,
        case.score,
        CATALOG,
        CTX,
        chosen,
    )
    found = ws.candidates(escalate=escalate)
    singles = [c for c in found if not c.action.escalation]
    expected = [
        (action, (exposure,))
        for action in CATALOG.actions
        if not action.escalation
        for exposure in ws.exposures
        if ws.applies(action, exposure)
    ]
    assert [(c.action, c.exposures) for c in singles] == expected
    for c in singles:
        general = ws.candidate(c.action, c.exposures)
        assert repr((c.amounts, c.cost, c.cost_units, c.slots, c.key)) == repr(
            (general.amounts, general.cost, general.cost_units, general.slots, general.key)
        )
    for c in found:  # each weighed, then applied: groups taken, pools drawn down
        group = c.action.group
        reference = 0.0
        for exposure, slots, credit in zip(c.exposures, c.slots, c.amounts, strict=True):
            if group is None or group not in exposure.groups:
                reference += share_relief(exposure.remaining(slots), c.action.relief_share, credit)
        assert repr(ws.marginal(c)) == repr(reference)
        applied = _apply_by_helpers(c, ws.scale)
        units = ws.apply(c)
        assert (units, [(e.relieved_units, repr(e.left)) for e in c.exposures]) == applied


def _apply_by_helpers(c: Candidate, scale: int) -> tuple[int, list[tuple[int, str]]]:
    """What Workspace.apply() does to copies of ``c``'s exposures, by the helpers."""
    group = c.action.group
    units = 0
    after = []
    for exposure, slots, credit in zip(c.exposures, c.slots, c.amounts, strict=True):
        twin = copy.copy(exposure)
        twin.left = list(exposure.left)
        relieved = exposure.relieved_units
        if group is None or group not in exposure.groups:
            relief = share_relief(twin.remaining(slots), c.action.relief_share, credit)
            twin.reduce(slots, relief)
            settled = max(min(cents_down(relief, scale), twin.loss_units - relieved), 0)
            relieved += settled
            units += settled
        after.append((relieved, repr(twin.left)))
    return units, after
