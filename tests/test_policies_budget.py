"""The portfolio budget: limits never exceeded, exact where small, the gap stated honestly."""

from __future__ import annotations

import itertools
import json
import random
from decimal import Decimal
from typing import Any

import attrs
import pytest
from _budget_cases import eur, recommendation
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScorer,
    BudgetAllocation,
    ConfigurationError,
    CustomerFirstPolicy,
    Money,
    Recommendation,
    RecommendedAction,
    ValidationError,
    allocate_budget,
    assess_portfolio,
    default_catalog,
    estimate_impacts,
    forecast_orders,
    from_dict,
    to_dict,
)
from custadvocacy._policies import _budget
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import BudgetItem, PolicyConfigError, PolicySettings

pairs = st.tuples(st.integers(0, 50_000), st.integers(0, 50_000))


@st.composite
def portfolios(draw: st.DrawFn, *, max_actions: int = 4) -> list[Recommendation]:
    count = draw(st.integers(0, 4))
    return [
        recommendation(f"C{i}", draw(st.lists(pairs, max_size=max_actions))) for i in range(count)
    ]


limits = st.none() | st.integers(0, 100_000).map(eur)


def spent_by_customer(allocation: BudgetAllocation) -> dict[str, Decimal]:
    spent: dict[str, Decimal] = {}
    for item in allocation.funded:
        spent[item.customer_id] = spent.get(item.customer_id, Decimal(0)) + item.action.cost.amount
    return spent


def brute_force(
    recs: list[Recommendation],
    budget: Money,
    per_customer: Money | None,
    per_action: Money | None,
) -> Decimal:
    items = [
        (r.customer_id, a)
        for r in recs
        for a in r.actions
        if per_action is None or a.cost <= per_action
    ]
    best = Decimal(0)
    for size in range(len(items) + 1):
        for subset in itertools.combinations(items, size):
            cost = sum((a.cost.amount for _, a in subset), Decimal(0))
            if cost > budget.amount:
                continue
            if per_customer is not None:
                by: dict[str, Decimal] = {}
                for cid, a in subset:
                    by[cid] = by.get(cid, Decimal(0)) + a.cost.amount
                if any(v > per_customer.amount for v in by.values()):
                    continue
            best = max(best, sum((a.relief.amount for _, a in subset), Decimal(0)))
    return best


@given(
    portfolios(max_actions=6), st.integers(0, 200_000).map(eur), limits, limits, st.integers(0, 40)
)
def test_never_over_the_budget_or_a_limit(
    recs: list[Recommendation],
    budget: Money,
    per_customer: Money | None,
    per_action: Money | None,
    exact_limit: int,
) -> None:
    allocation = allocate_budget(
        recs,
        budget,
        per_customer_limit=per_customer,
        per_action_limit=per_action,
        exact_limit=exact_limit,
    )
    assert allocation.spent <= budget
    assert allocation.spent == sum((i.action.cost for i in allocation.funded), eur(0))
    assert allocation.relief == sum((i.action.relief for i in allocation.funded), eur(0))
    if per_customer is not None:
        assert all(v <= per_customer.amount for v in spent_by_customer(allocation).values())
    if per_action is not None:
        assert all(i.action.cost <= per_action for i in allocation.funded)
    every = sorted((r.customer_id, a.rank) for r in recs for a in r.actions)
    both = allocation.funded + allocation.unfunded
    assert sorted((i.customer_id, i.action.rank) for i in both) == every
    assert allocation.relief <= allocation.upper_bound
    assert allocation.gap == allocation.upper_bound - allocation.relief


@given(portfolios(max_actions=3), st.integers(0, 100_000).map(eur), limits, limits)
def test_exact_where_small_and_greedy_within_the_bound(
    recs: list[Recommendation], budget: Money, per_customer: Money | None, per_action: Money | None
) -> None:
    optimum = brute_force(recs, budget, per_customer, per_action)
    exact = allocate_budget(
        recs, budget, per_customer_limit=per_customer, per_action_limit=per_action
    )
    greedy = allocate_budget(
        recs, budget, per_customer_limit=per_customer, per_action_limit=per_action, exact_limit=0
    )
    assert exact.optimal
    assert exact.relief.amount == optimum
    assert greedy.relief.amount <= optimum <= greedy.upper_bound.amount
    assert exact.upper_bound == greedy.upper_bound


@given(portfolios(max_actions=5), st.integers(0, 100_000).map(eur), limits, st.randoms())
def test_order_of_the_recommendations_changes_nothing(
    recs: list[Recommendation], budget: Money, per_customer: Money | None, rnd: random.Random
) -> None:
    shuffled = list(recs)
    rnd.shuffle(shuffled)
    first = allocate_budget(recs, budget, per_customer_limit=per_customer)
    assert allocate_budget(shuffled, budget, per_customer_limit=per_customer) == first
    assert allocate_budget(recs, budget, per_customer_limit=per_customer) == first


def test_free_actions_come_first_and_useless_ones_are_explained() -> None:
    recs = [recommendation("C1", [(500, 0), (0, 300), (1000, 100)])]
    allocation = allocate_budget(recs, eur(1000), per_action_limit=eur(400))
    assert [i.action.rank for i in allocation.funded] == [1, 3]
    assert allocation.unfunded[0].reason == "relieves no measured loss"


def test_limits_and_budget_explain_what_is_left_out() -> None:
    recs = [recommendation("C1", [(5000, 3000), (4000, 100)]), recommendation("C2", [(900, 800)])]
    allocation = allocate_budget(
        recs, eur(500), per_customer_limit=eur(2000), per_action_limit=eur(2500)
    )
    reasons = {(i.customer_id, i.action.rank): i.reason for i in allocation.unfunded}
    assert reasons[("C1", 1)] == "costs more than the per-action limit 25.00 EUR"
    assert reasons[("C2", 1)] == "left out: the budget or the customer's limit is spent"
    per_customer = allocate_budget(recs, eur(100_000), per_customer_limit=eur(2000))
    left = {(i.customer_id, i.action.rank): i.reason for i in per_customer.unfunded}
    assert left[("C1", 1)] == "costs more than the per-customer limit 20.00 EUR"
    assert per_customer.for_customer("C2")[0].action.rank == 1


def test_greedy_states_its_gap_to_the_bound() -> None:
    # Relief per cost favours the small item; the exact optimum takes the big one.
    recs = [recommendation("C1", [(1000, 1000), (600, 500)])]
    greedy = allocate_budget(recs, eur(1000), exact_limit=0)
    exact = allocate_budget(recs, eur(1000))
    assert greedy.method == "greedy"
    assert not greedy.optimal
    assert greedy.relief == eur(600)
    assert exact.relief == eur(1000)
    assert greedy.upper_bound == eur(1100)  # 600, plus half of the other: 500
    assert greedy.gap == eur(500)
    assert greedy.reasons[0].startswith("greedy by relief per unit of cost over 2 candidate")
    assert exact.reasons[0].startswith("exact: branch and bound over 2 candidate actions")


def test_the_search_settles_for_the_best_found_when_it_runs_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_budget, "_NODE_LIMIT", 3)
    recs = [recommendation("C1", [(1000, 1000), (600, 500), (300, 400), (200, 100)])]
    allocation = allocate_budget(recs, eur(1000))
    assert allocation.method == "greedy"
    assert "the exact search stopped after 3 nodes" in allocation.reasons[0]


def test_the_example_portfolio_under_one_budget() -> None:
    ctx = example_context()
    catalog = default_catalog()
    unlimited = CustomerFirstPolicy(settings=PolicySettings(cost_limit_share=None))
    recs = []
    for customer, orders, incidents in example_portfolio().groups():
        impacts = estimate_impacts(customer, orders, incidents, ctx)
        forecasts = forecast_orders(customer, orders, ctx)
        score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
        recs.append(
            unlimited.recommend(
                customer, orders, incidents, impacts, forecasts, score, catalog, ctx
            )
        )
    allocation = allocate_budget(
        recs, Money("30000", "EUR"), per_customer_limit=Money("15000", "EUR")
    )
    assert allocation.optimal
    assert allocation.spent <= Money("30000", "EUR")
    funded = {(i.customer_id, i.action.code) for i in allocation.funded}
    assert ("C05", "alternative_source") in funded  # 67k relief for 6.2k
    assert ("C05", "early_notice") in funded
    data = json.loads(json.dumps(to_dict(allocation)))
    assert from_dict(BudgetAllocation, data) == allocation
    assert repr(allocation).startswith("BudgetAllocation(budget=30,000.00 EUR, spent=")


def test_arguments_are_checked_together() -> None:
    good = recommendation("C1", [(10, 1)])
    gbp = Recommendation(
        customer_id="C2",
        policy="p",
        currency="GBP",
        actions=(),
        total_relief=Money("0", "GBP"),
        total_cost=Money("0", "GBP"),
    )
    with pytest.raises(PolicyConfigError) as info:
        allocate_budget(
            [good, good, gbp, "x"],  # type: ignore[list-item]
            eur(-100),
            per_customer_limit=Money("1", "GBP"),
            per_action_limit=5,  # type: ignore[arg-type]
            exact_limit=41,
        )
    assert isinstance(info.value, ConfigurationError)
    assert isinstance(info.value, ValidationError)
    assert info.value.paths == (
        "budget.amount",
        "per_customer_limit.currency",
        "per_action_limit",
        "exact_limit",
        "recommendations[1].customer_id",
        "recommendations[2].currency",
        "recommendations[3]",
    )
    with pytest.raises(PolicyConfigError) as whole:
        allocate_budget("C1", 100)  # type: ignore[arg-type]
    assert whole.value.paths == ("budget", "recommendations")


def test_budget_items_and_allocations_validate() -> None:
    with pytest.raises(ValidationError) as info:
        BudgetItem(customer_id="", action="x", reason=1)  # type: ignore[arg-type]
    assert info.value.paths == ("customer_id", "action", "reason")
    with pytest.raises(ValidationError) as bad:
        BudgetAllocation(
            currency="EUR",
            budget=eur(0),
            spent=eur(0),
            relief=eur(0),
            funded=[],  # type: ignore[arg-type]
            unfunded=(),
            method="magic",
            upper_bound=eur(0),
            gap=eur(0),
        )
    assert bad.value.paths == ("funded", "method")


def _budget_problems(*args: Any, **options: Any) -> list[tuple[str, object, str]]:
    with pytest.raises(PolicyConfigError) as info:
        allocate_budget(*args, **options)
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_allocate_budget_names_every_bad_argument() -> None:
    result = assess_portfolio(example_portfolio(), context=example_context())
    recs = [a.recommendation for a in result.assessments]
    eur = Money(100, "EUR")
    assert _budget_problems("x", eur) == [("recommendations", "x", "a sequence of Recommendation")]
    assert _budget_problems(recs, 5) == [("budget", 5, "a Money")]
    assert _budget_problems(recs[:2], Money(100, "CZK")) == [
        ("recommendations[0].currency", "EUR", "'CZK' (the budget's)"),
        ("recommendations[1].currency", "EUR", "'CZK' (the budget's)"),
    ]
    assert _budget_problems(
        recs, eur, per_customer_limit=Money(1, "GBP"), per_action_limit=5, exact_limit=-1
    ) == [
        ("per_customer_limit.currency", "GBP", "'EUR' (the budget's currency)"),
        ("per_action_limit", 5, "a Money"),
        ("exact_limit", -1, "a whole number from 0 to 40"),
    ]
    for bad in (41, True):
        assert _budget_problems(recs, eur, exact_limit=bad) == [
            ("exact_limit", bad, "a whole number from 0 to 40")
        ]
    assert allocate_budget(recs, eur, exact_limit=40).budget == eur
    assert _budget_problems([recs[0], "y"], eur) == [
        ("recommendations[1]", "y", "a Recommendation")
    ]
    assert _budget_problems([recs[0], recs[0]], eur) == [
        ("recommendations[1].customer_id", recs[0].customer_id, "one recommendation per customer")
    ]


def _allocation() -> BudgetAllocation:
    result = assess_portfolio(example_portfolio(), context=example_context())
    return allocate_budget([a.recommendation for a in result.assessments], Money(20_000, "EUR"))


def _allocation_problems(**fields: Any) -> list[tuple[str, object, str]]:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(_allocation(), **fields)
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_a_stored_allocation_whose_figures_disagree_is_refused() -> None:
    good = _allocation()
    assert (good.spent, good.relief) == (Money("19994.33", "EUR"), Money("106111.70", "EUR"))
    assert from_dict(BudgetAllocation, json.loads(json.dumps(to_dict(good)))) == good
    assert _allocation_problems(spent=Money(30_000, "EUR")) == [
        ("spent", Money(30_000, "EUR"), "the funded actions' cost (19,994.33 EUR)"),
        ("spent", Money(30_000, "EUR"), "at most the budget (20,000.00 EUR)"),
    ]
    assert _allocation_problems(relief=Money(1, "EUR")) == [
        ("relief", Money(1, "EUR"), "the funded actions' relief (106,111.70 EUR)"),
        ("gap", good.gap, f"upper_bound - relief ({good.upper_bound - Money(1, 'EUR')})"),
    ]
    assert _allocation_problems(upper_bound=Money(1, "EUR")) == [
        ("upper_bound", Money(1, "EUR"), "at least the relief (106,111.70 EUR)")
    ]
    assert _allocation_problems(gap=Money(1, "EUR")) == [
        ("gap", Money(1, "EUR"), f"upper_bound - relief ({good.gap})")
    ]
    assert _allocation_problems(budget=Money(1, "GBP")) == [
        ("budget.currency", "GBP", "'EUR' (the allocation's)")
    ]
    assert _allocation_problems(budget=Money("19994.32", "EUR")) == [
        ("spent", good.spent, "at most the budget (19,994.32 EUR)")
    ]
    assert attrs.evolve(good, budget=good.spent).budget == good.spent  # spent to the cent
    assert _allocation_problems(unfunded=(good.funded[0], "x")) == [
        ("unfunded[1]", "x", "a BudgetItem")
    ]


# Exact problems and boundaries the mutation run of 2026-12-06 found unpinned.


def _stored_problems(build: Any) -> list[tuple[str, object, str]]:
    with pytest.raises(ValidationError) as info:
        build()
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_a_stored_allocation_names_each_bad_field_exactly() -> None:
    good = _allocation()
    funded = list(good.funded)
    bad: dict[str, Any] = {
        "currency": "eur",
        "budget": 5,
        "spent": "x",
        "relief": None,
        "upper_bound": 1,
        "funded": funded,
        "unfunded": None,
        "method": "magic",
    }
    assert _stored_problems(lambda: attrs.evolve(good, **bad)) == [
        ("currency", "eur", "an ISO 4217 code such as 'EUR'"),
        ("budget", 5, "a Money"),
        ("spent", "x", "a Money"),
        ("relief", None, "a Money"),
        ("upper_bound", 1, "a Money"),
        ("funded", funded, "a tuple of BudgetItem"),
        ("unfunded", None, "a tuple of BudgetItem"),
        ("method", "magic", "'exact' or 'greedy'"),
    ]
    item = good.funded[0]
    gbp = attrs.evolve(
        item.action,
        cost=Money("1", "GBP"),
        relief=Money("1", "GBP"),
        net_value=Money("0", "GBP"),
    )
    moved = (attrs.evolve(item, action=gbp), *good.funded[1:])
    assert _stored_problems(lambda: attrs.evolve(good, funded=moved)) == [
        ("funded[0].action.cost.currency", "GBP", "'EUR'")
    ]


def test_a_budget_item_names_each_bad_field_exactly() -> None:
    action = _allocation().funded[0].action
    assert _stored_problems(lambda: BudgetItem(customer_id="", action="x", reason=1)) == [  # type: ignore[arg-type]
        ("customer_id", "", "a non-empty string"),
        ("action", "x", "a RecommendedAction"),
        ("reason", 1, "a string"),
    ]
    long_id, long_reason = "C" * 201, "r" * 2001
    assert _stored_problems(
        lambda: BudgetItem(customer_id=long_id, action=action, reason=long_reason)
    ) == [
        ("customer_id", long_id, "a string of at most 200 characters"),
        ("reason", long_reason, "a string of at most 2000 characters"),
    ]
    assert BudgetItem(customer_id="C" * 200, action=action, reason="r" * 2000).reason == "r" * 2000


def test_every_bad_recommendation_is_listed_not_only_the_first() -> None:
    rec = recommendation("C2", [(1, 1)])
    assert _budget_problems(["y", rec, Money(1, "GBP")], eur(100)) == [
        ("recommendations[0]", "y", "a Recommendation"),
        ("recommendations[2]", Money(1, "GBP"), "a Recommendation"),
    ]


def test_limits_hold_to_the_cent_and_amounts_between_cents_round_down() -> None:
    recs = [recommendation("C1", [(500, 100)]), recommendation("C2", [(0, 1), (7, 0)])]

    def funded(budget: Money, **limits: Any) -> list[tuple[str, int]]:
        allocation = allocate_budget(recs, budget, **limits)
        return sorted((i.customer_id, i.action.rank) for i in allocation.funded)

    assert funded(eur(1_000)) == [("C1", 1), ("C2", 2)]  # a cost without relief: never
    unfunded = allocate_budget(recs, eur(1_000)).unfunded
    assert [(i.customer_id, i.reason) for i in unfunded] == [("C2", "relieves no measured loss")]
    # A limit met exactly allows the action; 0.9 of a cent below it does not.
    for name in ("per_action_limit", "per_customer_limit"):
        assert funded(eur(1_000), **{name: eur(100)}) == [("C1", 1), ("C2", 2)]
        assert funded(eur(1_000), **{name: Money("0.999", "EUR")}) == [("C2", 2)]
    assert funded(Money("1.009", "EUR")) == [("C1", 1), ("C2", 2)]
    assert funded(Money("0.999", "EUR")) == [("C2", 2)]


@pytest.mark.parametrize("exact_limit", [0, 20], ids=["greedy", "exact"])
def test_a_customers_actions_share_their_limit(exact_limit: int) -> None:
    recs = [recommendation("C", [(10_000, 6_000), (9_000, 6_000)])]
    allocation = allocate_budget(
        recs, eur(100_000), per_customer_limit=eur(10_000), exact_limit=exact_limit
    )
    assert [(i.customer_id, i.action.rank) for i in allocation.funded] == [("C", 1)]
    assert allocation.spent == eur(6_000)


def test_of_two_equal_reliefs_the_cheaper_is_funded() -> None:
    recs = [recommendation("A", [(10_000, 8_000)]), recommendation("B", [(10_000, 5_000)])]
    allocation = allocate_budget(recs, eur(8_000))
    assert [i.customer_id for i in allocation.funded] == ["B"]
    assert allocation.spent == eur(5_000)


def test_exactly_exact_limit_candidates_are_solved_exactly() -> None:
    recs = [recommendation("A", [(10_000, 8_000)]), recommendation("B", [(9_000, 5_000)])]
    assert allocate_budget(recs, eur(8_000), exact_limit=2).optimal
    assert not allocate_budget(recs, eur(8_000), exact_limit=1).optimal


@pytest.mark.parametrize("exact_limit", [0, 20], ids=["greedy", "exact"])
def test_the_upper_bound_counts_what_a_customer_has_used_of_their_limit(exact_limit: int) -> None:
    # The fractional bound: C's first two actions in full (120 of the 150 limit), 30 of the
    # third's 60 (half its relief, 40), and D's action: 100 + 90 + 40 + 30.
    recs = [
        recommendation("C", [(10_000, 6_000), (9_000, 6_000), (8_000, 6_000)]),
        recommendation("D", [(3_000, 3_000)]),
    ]
    allocation = allocate_budget(
        recs, eur(100_000), per_customer_limit=eur(15_000), exact_limit=exact_limit
    )
    assert allocation.upper_bound == eur(26_000)
    assert allocation.relief == eur(22_000)
    assert allocation.optimal is (exact_limit > 0)


@pytest.mark.parametrize(
    ("recs", "budget", "funded", "spent"),
    [
        # Relief 5 either way: B's action alone (5 cents) or both of A's (6 cents).
        (
            [recommendation("A", [(3, 2), (2, 4)]), recommendation("B", [(5, 5)])],
            6,
            [("B", 1)],
            5,
        ),
        # The greedy start (A's and B's, 9 EUR) against B's and C's two (10 EUR): both relieve 9.
        (
            [
                recommendation("A", [(400, 500)]),
                recommendation("B", [(500, 400)]),
                recommendation("C", [(300, 300), (100, 300)]),
            ],
            1_000,
            [("A", 1), ("B", 1)],
            900,
        ),
        # The search improves on the greedy start twice with the same relief (20 cents):
        # the second, cheaper find (10 cents, not 11) must replace the first.
        (
            [
                recommendation("A", [(9, 6), (9, 3), (8, 3)]),
                recommendation("B", [(2, 1), (3, 5), (9, 6)]),
            ],
            11,
            [("A", 1), ("A", 2), ("B", 1)],
            10,
        ),
    ],
    ids=["cheaper-than-greedy", "greedy-start-is-cheapest", "second-find-is-cheaper"],
)
def test_of_equal_reliefs_the_exact_search_funds_the_cheapest(
    recs: list[Recommendation], budget: int, funded: list[tuple[str, int]], spent: int
) -> None:
    allocation = allocate_budget(recs, eur(budget))
    assert allocation.optimal
    assert sorted((i.customer_id, i.action.rank) for i in allocation.funded) == funded
    assert allocation.spent == eur(spent)


def test_the_exact_search_funds_actions_that_meet_a_customers_limit_together() -> None:
    # 1 + 4 of C's actions meet the 5 EUR limit exactly and relieve the most (5 EUR).
    recs = [recommendation("C", [(300, 100), (200, 400), (100, 100)])]
    allocation = allocate_budget(recs, eur(900), per_customer_limit=eur(500))
    assert [i.action.rank for i in allocation.funded] == [1, 2]
    assert allocation.relief == eur(500)


def _action(relief: str, cost: str) -> RecommendedAction:
    return RecommendedAction(
        code="act",
        label="Action",
        proactive=False,
        incident_ids=("I1",),
        order_ids=(),
        relief=Money(relief, "EUR"),
        cost=Money(cost, "EUR"),
        net_value=Money(relief, "EUR") - Money(cost, "EUR"),
        needs_approval=False,
    )


def test_amounts_between_cents_count_reliefs_down_and_costs_up() -> None:
    def allocate(relief: str, cost: str, budget: Money) -> BudgetAllocation:
        rec = Recommendation(
            customer_id="C",
            policy="test",
            currency="EUR",
            actions=(_action(relief, cost),),
            total_relief=Money(relief, "EUR"),
            total_cost=Money(cost, "EUR"),
        )
        return allocate_budget([rec], budget)

    # 0.9 of a cent relieved counts as nothing (not 1 cent), so a cent's cost buys nothing.
    nothing = allocate("0.009", "0.01", eur(100))
    assert [i.reason for i in nothing.unfunded] == ["relieves no measured loss"]
    # 0.1 of a cent to pay counts as a cent (not as free): a budget of 0 cannot fund it.
    tenth = allocate("1.00", "0.001", eur(0))
    assert [i.reason for i in tenth.unfunded] == [
        "left out: the budget or the customer's limit is spent"
    ]
    funded = allocate("1.00", "0.001", eur(1))
    assert funded.spent == eur(1)
    # Stored and read back, its figures agree with its actions the same way.
    assert from_dict(BudgetAllocation, to_dict(funded)) == funded


def test_a_search_stopped_at_exactly_the_exact_limit_says_it_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_budget, "_NODE_LIMIT", 3)
    recs = [recommendation("C1", [(1000, 1000), (600, 500), (300, 400), (200, 100)])]
    allocation = allocate_budget(recs, eur(1000), exact_limit=4)
    assert allocation.reasons[0] == (
        "greedy by relief per unit of cost over 4 candidate actions (the exact search "
        "stopped after 3 nodes; the best found is kept)"
    )


def test_a_budget_item_may_give_an_empty_reason() -> None:
    action = _action("1.00", "0.00")
    assert BudgetItem(customer_id="C", action=action, reason="").reason == ""
