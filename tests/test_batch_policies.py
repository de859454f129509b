"""The batch path runs the playbook and vendor-value policies as the object path does.

Hypothesis draws portfolios, contexts and policy configurations (rules, targets,
bands, severities, first match, cost limits, CLV parameters); every customer's
recommended actions from :func:`custadvocacy.batch.assess_batch` must equal those of
:func:`custadvocacy.assess`: codes, relief and cost in minor units, approval, rank.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import numpy as np
import pytest
from _batch_compare import action_mismatches
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScorer,
    Band,
    ConfigurationError,
    Context,
    IncidentKind,
    LossCategory,
    Money,
    Portfolio,
    Severity,
    assess,
)
from custadvocacy.batch import assess_batch, columns_from_mapping, columns_from_objects
from custadvocacy.batch._actions._order import _by_customer, _first_per_customer, _packed
from custadvocacy.batch._objects import groups_of
from custadvocacy.batch._setup import BATCH_POLICIES, is_batch_policy, prepare
from custadvocacy.batch._synthetic import synthetic_mapping
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import (
    DEFAULT_RULES,
    Action,
    ActionCatalog,
    CustomerFirstPolicy,
    PlaybookPolicy,
    PlaybookRule,
    PolicyConfigError,
    PolicySettings,
    RuleTarget,
    VendorValuePolicy,
    default_catalog,
)
from custadvocacy.testing.strategies import contexts, portfolios

_SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_CODES = default_catalog().codes


def _mismatches(
    portfolio: Portfolio,
    context: Context,
    policy: Any,
    catalog: ActionCatalog | None = None,
    chunk_size: int | None = None,
) -> list[Any]:
    """Every customer whose batch actions differ from the object path's (empty: none).

    ``chunk_size`` ``None``: the whole portfolio in one chunk.
    """
    size = chunk_size or max(1, len(portfolio.customers))
    result = assess_batch(
        columns_from_objects(portfolio),
        context=context,
        policy=policy,
        catalog=catalog,
        chunk_size=size,
    )
    bad = []
    for row, (customer, orders, incidents) in enumerate(portfolio.groups()):
        expected = assess(
            customer, orders, incidents, context=context, policy=policy, catalog=catalog
        )
        bad += action_mismatches(result, expected, row, portfolio)
    return bad


def _settings(data: st.DataObject) -> PolicySettings:
    return PolicySettings(
        cost_limit_share=data.draw(st.sampled_from([None, 0.0, 0.02, 0.5])),
        max_actions=data.draw(st.integers(1, 6)),
        late_probability=data.draw(st.floats(0, 1)),
        critical_share=data.draw(st.floats(0, 1)),
        repeat_count=data.draw(st.integers(2, 4)),
    )


def _catalog(data: st.DataObject) -> ActionCatalog:
    """The default catalog, or one with some actions dropped."""
    dropped = data.draw(st.lists(st.sampled_from(_CODES), unique=True, max_size=6), label="drop")
    return default_catalog().without(*dropped) if dropped else default_catalog()


@st.composite
def _rules(draw: st.DrawFn, codes: tuple[str, ...]) -> PlaybookRule:
    target = draw(st.sampled_from(tuple(RuleTarget)))
    repeat = target is RuleTarget.REPEAT  # a repeat rule answers all incidents: no kinds
    return PlaybookRule(
        name=draw(st.text("abcdef", min_size=1, max_size=8)),
        actions=tuple(draw(st.lists(st.sampled_from(codes), min_size=1, max_size=4))),
        target=target,
        kinds=()
        if repeat
        else tuple(draw(st.lists(st.sampled_from(tuple(IncidentKind)), max_size=3, unique=True))),
        min_severity=None if repeat else draw(st.none() | st.sampled_from(tuple(Severity))),
        bands=tuple(draw(st.lists(st.sampled_from(tuple(Band)), max_size=3, unique=True))),
    )


def _playbook(data: st.DataObject, catalog: ActionCatalog) -> PlaybookPolicy:
    usable = [r for r in DEFAULT_RULES if all(code in catalog for code in r.actions)]
    defaults = (
        data.draw(st.lists(st.sampled_from(usable), unique=True, max_size=7)) if usable else []
    )
    drawn = data.draw(st.lists(_rules(catalog.codes), max_size=4, unique_by=lambda r: r.name))
    names = {r.name for r in defaults}
    rules = [*defaults, *(r for r in drawn if r.name not in names)]
    order = data.draw(st.permutations(rules))
    return PlaybookPolicy(
        rules=tuple(order), settings=_settings(data), first_match=data.draw(st.booleans())
    )


def _vendor_value(data: st.DataObject) -> VendorValuePolicy:
    return VendorValuePolicy(
        settings=_settings(data),
        margin_share=data.draw(st.floats(0, 1)),
        retention=data.draw(st.floats(0, 0.99)),
        discount_rate=data.draw(st.floats(0, 1)),
        max_retention_drop=data.draw(st.floats(0, 1)),
    )


_CHUNK_SIZES = st.sampled_from([1, 2, None])  # None: the whole portfolio in one chunk


@_SLOW
@given(st.data())
def test_batch_playbook_equals_object_path(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, max_size=5, max_orders=4, max_incidents=5))
    catalog = _catalog(data)
    policy = _playbook(data, catalog)
    size = data.draw(_CHUNK_SIZES, label="chunk_size")
    assert _mismatches(portfolio, context, policy, catalog, size) == []


@_SLOW
@given(st.data())
def test_batch_vendor_value_equals_object_path(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, max_size=5, max_orders=4, max_incidents=5))
    catalog = _catalog(data)
    policy = _vendor_value(data)
    size = data.draw(_CHUNK_SIZES, label="chunk_size")
    assert _mismatches(portfolio, context, policy, catalog, size) == []


def test_a_severity_rule_in_a_chunk_of_forecasts_only() -> None:
    """A chunk whose exposures are all forecasts (no incident) runs a min_severity rule."""
    policy = PlaybookPolicy(
        settings=PolicySettings(late_probability=0.0),
        rules=(PlaybookRule(name="sev", actions=("named_contact",), min_severity=Severity.LOW),),
    )
    portfolio = example_portfolio()
    assert _mismatches(portfolio, example_context(), policy, chunk_size=1) == []


@pytest.mark.parametrize(
    "policy",
    [
        PlaybookPolicy(),
        PlaybookPolicy(first_match=True),
        PlaybookPolicy(settings=PolicySettings(cost_limit_share=0.01, max_actions=2)),
        VendorValuePolicy(),
        VendorValuePolicy(margin_share=0.9, retention=0.95, max_retention_drop=1.0),
        VendorValuePolicy(settings=PolicySettings(cost_limit_share=None)),
    ],
    ids=repr,
)
def test_the_example_portfolio_agrees(policy: Any) -> None:
    assert _mismatches(example_portfolio(), example_context(), policy) == []


_CREDIT = ("service_credit_delivery",)
_LATE = (IncidentKind.LATE_DELIVERY,)


@pytest.mark.parametrize(
    "policy",
    [
        # Kinds and bands together: only C11 of the three late customers is stable.
        PlaybookPolicy(
            rules=(
                PlaybookRule(
                    name="k", actions=("named_contact",), kinds=_LATE, bands=(Band.STABLE,)
                ),
            ),
        ),
        # First match: the repeat rule handles C10's incidents; the incident rule, the rest.
        PlaybookPolicy(
            rules=(
                PlaybookRule(name="again", target=RuleTarget.REPEAT, actions=("named_contact",)),
                PlaybookRule(name="each", actions=("goodwill_gesture",)),
            ),
            first_match=True,
        ),
        # First match: the second rule matches the same incidents and must not fire.
        PlaybookPolicy(
            rules=(
                PlaybookRule(name="late", actions=_CREDIT, kinds=_LATE),
                PlaybookRule(name="any", actions=("goodwill_gesture",)),
            ),
            first_match=True,
        ),
        # One action for C10's two late deliveries: the repeat rule takes its first one.
        PlaybookPolicy(
            rules=(PlaybookRule(name="again", target=RuleTarget.REPEAT, actions=_CREDIT),),
            settings=PolicySettings(max_actions=1),
        ),
    ],
    ids=["kinds-and-bands", "first-match-repeat", "first-match-incident", "repeat-one-action"],
)
def test_hand_written_playbooks_agree(policy: PlaybookPolicy) -> None:
    assert _mismatches(example_portfolio(), example_context(), policy) == []


@pytest.mark.parametrize("policy", [PlaybookPolicy(), VendorValuePolicy()], ids=repr)
def test_a_synthetic_portfolio_agrees(policy: Any) -> None:
    context = example_context()
    columns = columns_from_mapping(**synthetic_mapping(300, seed=5))
    groups = groups_of(columns, range(300), context.as_of)
    portfolio = Portfolio(
        customers=[g[0] for g in groups],
        orders=[o for g in groups for o in g[1]],
        incidents=[i for g in groups for i in g[2]],
    )
    assert _mismatches(portfolio, context, policy) == []


def test_the_batch_result_keeps_the_policy_given() -> None:
    policy = VendorValuePolicy(margin_share=0.5)
    result = assess_batch(
        columns_from_objects(example_portfolio()), context=example_context(), policy=policy
    )
    assert result.plugins.policy is policy
    assert result.to_assessments([6])[0].recommendation.policy == "vendor_value"


def test_a_budget_funds_the_playbook_actions() -> None:
    result = assess_batch(
        columns_from_objects(example_portfolio()),
        context=example_context(),
        policy=PlaybookPolicy(),
        budget=Money("20000", "EUR"),
    )
    assert result.budget is not None
    assert result.budget.spent <= Money("20000", "EUR")


def test_a_hosts_own_policy_is_refused_with_a_clear_error() -> None:
    class Mine:
        name = "mine"

    with pytest.raises(
        ConfigurationError, match=r"PlaybookPolicy or VendorValuePolicy.*assess_portfolio"
    ):
        assess_batch(
            columns_from_objects(example_portfolio()),
            context=example_context(),
            policy=Mine(),  # type: ignore[arg-type]
        )


def test_the_refusal_names_the_given_policy_with_its_article() -> None:
    with pytest.raises(ConfigurationError) as info:
        assess_batch(
            columns_from_objects(example_portfolio()),
            context=example_context(),
            policy=AdvocacyScorer(),  # type: ignore[arg-type]
        )
    assert "and was given an AdvocacyScorer;" in str(info.value)


def test_a_subclass_of_a_built_in_policy_is_refused_by_its_type_name() -> None:
    class MyPlaybook(PlaybookPolicy):
        pass

    with pytest.raises(ConfigurationError) as info:
        assess_batch(
            columns_from_objects(example_portfolio()),
            context=example_context(),
            policy=MyPlaybook(),
        )
    message = str(info.value)
    assert "MyPlaybook" in message
    assert "..." not in message  # not a truncated repr
    assert "exactly" in message


def test_is_batch_policy_accepts_the_built_in_classes_exactly() -> None:
    class MyVendorValue(VendorValuePolicy):
        pass

    assert all(is_batch_policy(cls()) for cls in BATCH_POLICIES)
    assert not is_batch_policy(MyVendorValue())
    assert not is_batch_policy(None)


def test_the_setup_keeps_the_policy_given_and_its_settings() -> None:
    policy = PlaybookPolicy(settings=PolicySettings(max_actions=2))
    setup = prepare(
        columns_from_objects(example_portfolio()), example_context(), None, None, policy, None, None
    )
    assert setup.policy is policy
    assert setup.settings is policy.settings
    assert setup.customer_first.settings is policy.settings
    assert not hasattr(setup, "chosen")


def test_a_playbook_naming_an_unknown_action_is_refused() -> None:
    with pytest.raises(PolicyConfigError, match=r"rules\[0\]\.actions\[1\]"):
        assess_batch(
            columns_from_objects(example_portfolio()),
            context=example_context(),
            policy=PlaybookPolicy(),
            catalog=default_catalog().without("expedite"),
        )


@pytest.mark.parametrize(
    "policy", [PlaybookPolicy(first_match=True), VendorValuePolicy()], ids=repr
)
def test_chunk_size_changes_nothing(policy: Any) -> None:
    columns = columns_from_mapping(**synthetic_mapping(200, seed=8))
    context = example_context()
    whole = assess_batch(columns, context=context, policy=policy).actions
    for size in (1, 7, 64):
        parts = assess_batch(columns, context=context, policy=policy, chunk_size=size).actions
        for name in whole.names:
            np.testing.assert_array_equal(parts[name], whole[name], err_msg=name)


# ------------------------------------------------------------ the sort keys, by hand

_INT64 = st.integers(-(2**62), 2**62)


@given(pairs=st.lists(st.tuples(_INT64, _INT64), min_size=1, max_size=30), narrow=st.booleans())
@example(pairs=[(0, 2**62 - 1), (1, 2**62)], narrow=False)  # offsets near 2**62
@example(pairs=[(0, -(2**62)), (0, 2**62)], narrow=False)  # a minor span of 2**63 + 1
@example(pairs=[(0, 5), (1, -5)], narrow=False)  # a negative minor
@example(pairs=[(-5, 0), (-4, 2**62 + 10)], narrow=False)  # a negative major, a wide minor
@example(pairs=[(0, 3 * 2**60), (0, 5 * 2**60)], narrow=False)  # large minor offsets
def test_a_packed_key_orders_as_the_pair_or_is_refused(
    pairs: list[tuple[int, int]], narrow: bool
) -> None:
    # Wide ranges must be refused (None: the caller sorts on both keys), never overflow.
    if narrow:
        pairs = [(a % 1000, b % 1000) for a, b in pairs]
    major = np.array([a for a, _ in pairs], dtype=np.int64)
    minor = np.array([b for _, b in pairs], dtype=np.int64)
    key = _packed(major, minor)
    if narrow:
        assert key is not None
    if key is not None:
        assert np.argsort(key, kind="stable").tolist() == np.lexsort((minor, major)).tolist()


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2), st.integers(0, 2)),
        min_size=1,
        max_size=25,
    ),
    st.integers(1, 3),
)
def test_the_first_row_per_customer_is_the_smallest_by_its_keys_then_position(
    rows: list[tuple[int, int, int, int]], width: int
) -> None:
    rows = sorted(rows, key=lambda r: r[0])  # rows grouped by customer
    customer = np.array([r[0] for r in rows], dtype=np.int64)
    keys = tuple(np.array([r[1 + k] for r in rows], dtype=np.int64) for k in range(width))
    expected = [
        min((i for i, r in enumerate(rows) if r[0] == c), key=lambda i: (rows[i][1 : 1 + width], i))
        for c in sorted(set(customer.tolist()))
    ]
    assert _first_per_customer(customer, keys).tolist() == expected


@given(
    rows=st.lists(st.tuples(st.integers(0, 2**20), st.integers(-3, 3)), max_size=30),
    customers=st.sampled_from([2, 2**15 - 1, 2**15, 2**20 + 1]),
    with_key=st.booleans(),
)
def test_rows_sorted_by_customer_as_lexsort_sorts_them(
    rows: list[tuple[int, int]], customers: int, with_key: bool
) -> None:
    # Codes up to 2**15 - 1 take the 16-bit radix pass; more customers, np.lexsort.
    customer = np.array([c % customers for c, _ in rows], dtype=np.int64)
    keys = (np.array([k for _, k in rows], dtype=np.int64),) if with_key else ()
    expected = np.lexsort((*keys, customer)) if rows else np.zeros(0, np.int64)
    assert _by_customer(customer, keys, customers).tolist() == expected.tolist()


# ------------------------------------------------------------ customer-first, by hand


@pytest.mark.parametrize("code", ["goodwill_gesture", "service_credit_delivery", "named_contact"])
def test_a_customers_lone_candidate_is_taken_by_the_greedy_step(code: str) -> None:
    # One action in the catalog and one customer per chunk: most chunks hold a single
    # candidate, and with the fallback's loss threshold out of reach only the greedy
    # step can take it.
    catalog = ActionCatalog(actions=(default_catalog().get(code),))
    policy = CustomerFirstPolicy(loss_threshold=Money(10**9, "EUR"))
    portfolio, context = example_portfolio(), example_context()
    result = assess_batch(
        columns_from_objects(portfolio),
        context=context,
        policy=policy,
        catalog=catalog,
        chunk_size=1,
    )
    assert result.actions["customer"].size > 0
    assert _mismatches(portfolio, context, policy, catalog, chunk_size=1) == []


def _c10_escalates(opened: timedelta) -> tuple[bool, list[Any]]:
    """Whether C10's (object path) actions escalate, with INC-1001 opened ``opened``
    after ``as_of`` and a 60-day repeat window; and the batch path's mismatches."""
    portfolio, context = example_portfolio(), example_context()
    incidents = tuple(
        attrs.evolve(i, opened_at=context.as_of + opened, resolved_at=None)
        if i.id == "INC-1001"
        else i
        for i in portfolio.incidents
    )
    portfolio = attrs.evolve(portfolio, incidents=incidents)
    policy = CustomerFirstPolicy(settings=PolicySettings(repeat_window_days=60))
    c10 = next(g for g in portfolio.groups() if g[0].id == "C10")
    rec = assess(*c10, context=context, policy=policy).recommendation
    escalates = any(default_catalog().get(a.code).escalation for a in rec.actions)
    return escalates, _mismatches(portfolio, context, policy)


@pytest.mark.parametrize(
    ("opened", "repeats"),
    [
        (-timedelta(days=60), True),  # exactly the window's start: inside
        (-timedelta(days=60, seconds=1), False),  # a second before it
        (-timedelta(days=400), False),
        (timedelta(days=1), False),  # after as_of: not seen yet
    ],
)
def test_a_repeated_failure_is_counted_within_its_window_as_on_objects(
    opened: timedelta, repeats: bool
) -> None:
    escalates, mismatches = _c10_escalates(opened)
    assert escalates is repeats
    assert mismatches == []


def _o5001_forecast() -> tuple[float, float]:
    """O-5001's probability of being late and criticality, as the object path sees them."""
    portfolio, context = example_portfolio(), example_context()
    c05 = next(g for g in portfolio.groups() if g[0].id == "C05")
    forecast = next(f for f in assess(*c05, context=context).forecasts if f.order_id == "O-5001")
    order = next(o for o in portfolio.orders if o.id == "O-5001")
    assert order.criticality is not None
    return forecast.probability_late, order.criticality


@pytest.mark.parametrize("which", ["late_probability", "critical_share"])
def test_a_forecast_exactly_at_a_threshold_is_over_it_as_on_objects(which: str) -> None:
    # O-5001 is proactively answered when likely late and critical: "at least" both.
    probability, criticality = _o5001_forecast()
    if which == "late_probability":
        settings = PolicySettings(late_probability=probability)
    else:
        settings = PolicySettings(critical_share=criticality)
    policy = CustomerFirstPolicy(settings=settings)
    portfolio, context = example_portfolio(), example_context()
    c05 = next(g for g in portfolio.groups() if g[0].id == "C05")
    rec = assess(*c05, context=context, policy=policy).recommendation
    assert any("O-5001" in a.order_ids for a in rec.actions)
    assert _mismatches(portfolio, context, policy) == []


def test_an_action_answering_no_single_incident_or_order_names_minus_one() -> None:
    # -1 for none: a forecast's action names no incident, an outage's no order, an
    # escalation answering several incidents neither.
    portfolio, context = example_portfolio(), example_context()
    actions = assess_batch(columns_from_objects(portfolio), context=context).actions
    for name, rows in (("incident", len(portfolio.incidents)), ("order", len(portfolio.orders))):
        column = actions[name]
        assert ((column == -1) | ((column >= 0) & (column < rows))).all(), name
        assert (column == -1).any(), name


def _call_back_only(relieves: tuple[LossCategory, ...] = (), share: float = 0.0) -> ActionCatalog:
    """A catalog of one action answering any incident for 40 EUR, relieving ``relieves``."""
    call = Action(
        code="call_back",
        label="Call back",
        kinds=tuple(IncidentKind),
        fixed_cost=Money(40, "EUR"),
        relief_share=share,
        relieves=relieves,
    )
    return ActionCatalog(actions=(call,))


@pytest.mark.parametrize(("relieves", "share"), [((), 0.0), ((LossCategory.STAFF_EFFORT,), 0.5)])
def test_a_customer_past_the_loss_threshold_gets_an_action_relieving_nothing(
    relieves: tuple[LossCategory, ...], share: float
) -> None:
    # The fallback: a customer whose loss is over the threshold and who got nothing
    # else gets the cheapest applicable action, here one relieving nothing of its loss
    # (no category, or one the loss may not have).
    catalog = _call_back_only(relieves, share)
    policy = CustomerFirstPolicy(loss_threshold=Money(500, "EUR"))
    portfolio, context = example_portfolio(), example_context()
    actions = assess_batch(
        columns_from_objects(portfolio), context=context, policy=policy, catalog=catalog
    ).actions
    assert 0 < np.unique(actions["customer"]).size < len(portfolio.customers)
    assert _mismatches(portfolio, context, policy, catalog) == []


def _only(portfolio: Portfolio, *ids: str) -> Portfolio:
    """The customers ``ids`` of ``portfolio``, with their orders and incidents."""
    return Portfolio(
        customers=tuple(c for c in portfolio.customers if c.id in ids),
        orders=tuple(o for o in portfolio.orders if o.customer_id in ids),
        incidents=tuple(i for i in portfolio.incidents if i.customer_id in ids),
    )


def test_neighbouring_customers_candidates_stay_apart() -> None:
    # C03's outage gets the catalog's last candidate, C07's defect its first: their
    # candidate keys are as far apart as they can be, one customer apart.
    catalog = default_catalog()
    catalog = ActionCatalog(
        actions=(catalog.get("replacement"), catalog.get("service_credit_outage"))
    )
    portfolio = _only(example_portfolio(), "C03", "C07")
    policy = CustomerFirstPolicy(loss_threshold=Money(1, "EUR"))
    actions = assess_batch(
        columns_from_objects(portfolio), context=example_context(), policy=policy, catalog=catalog
    ).actions
    assert actions["customer"].tolist() == [0, 1]
    assert _mismatches(portfolio, example_context(), policy, catalog) == []


def test_actions_of_two_groups_do_not_block_each_other() -> None:
    # Alternatives exclude each other within their group only.
    catalog = default_catalog()
    notice = attrs.evolve(catalog.get("early_notice"), group="courtesy")
    catalog = ActionCatalog(actions=(notice, catalog.get("expedite")))
    portfolio, context = example_portfolio(), example_context()
    assert _mismatches(portfolio, context, CustomerFirstPolicy(), catalog) == []
    c06 = next(g for g in portfolio.groups() if g[0].id == "C06")
    rec = assess(*c06, context=context, catalog=catalog).recommendation
    per_incident = [a.code for a in rec.actions if a.incident_ids == ("INC-601",)]
    assert sorted(per_incident) == ["early_notice", "expedite"]


@pytest.mark.parametrize(("threshold", "answered"), [("60.00", False), ("59.99", True)])
def test_the_fallbacks_loss_threshold_is_exclusive_as_on_objects(
    threshold: str, answered: bool
) -> None:
    # C11 lost exactly 60.00 EUR, none of it relieved by the one action: the fallback
    # answers a loss above the threshold only.
    policy = CustomerFirstPolicy(loss_threshold=Money(threshold, "EUR"))
    portfolio, context, catalog = (
        _only(example_portfolio(), "C11"),
        example_context(),
        _call_back_only(),
    )
    rec = assess(*next(iter(portfolio.groups())), context=context, policy=policy, catalog=catalog)
    assert bool(rec.recommendation.actions) is answered
    assert _mismatches(portfolio, context, policy, catalog) == []
