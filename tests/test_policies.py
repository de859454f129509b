"""The built-in policies on the example portfolio, the result types, and host policies."""

from __future__ import annotations

import json
import pickle
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import attrs
import pytest

from custadvocacy import (
    AdvocacyScore,
    AdvocacyScorer,
    ConfigurationError,
    Context,
    Customer,
    CustomerFirstPolicy,
    ExchangeRates,
    Forecast,
    Impact,
    Incident,
    IncidentKind,
    LossCategory,
    Money,
    Order,
    PlaybookPolicy,
    PlaybookRule,
    Recommendation,
    RecommendationPolicy,
    RecommendedAction,
    Severity,
    ValidationError,
    VendorValuePolicy,
    assess,
    default_catalog,
    estimate_impacts,
    forecast_orders,
    from_dict,
    to_dict,
)
from custadvocacy._policies._common import cents_down, cents_up, money_from_cents
from custadvocacy._scoring import Band
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import (
    DEFAULT_RULES,
    Action,
    ActionCatalog,
    CreditBasis,
    CreditSchedule,
    CreditTier,
    PolicyConfigError,
    PolicySettings,
    RuleTarget,
    run_policy,
)

CTX = example_context()
CATALOG = default_catalog()
PORTFOLIO = example_portfolio()


def inputs(customer_id: str, context: Context = CTX) -> tuple[Any, ...]:
    customer, orders, incidents = PORTFOLIO.for_customer(customer_id)
    impacts = estimate_impacts(customer, orders, incidents, context)
    forecasts = forecast_orders(customer, orders, context)
    score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, context)
    return customer, orders, incidents, impacts, forecasts, score, CATALOG, context


def recommend(policy: RecommendationPolicy, customer_id: str) -> Recommendation:
    return run_policy(policy, *inputs(customer_id))


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


# ----------------------------------------------------------------------- customer first


def test_kovar_gets_the_tiered_credit_and_the_fees_back() -> None:
    rec = recommend(CustomerFirstPolicy(), "C01")
    assert rec.codes == ("service_credit_delivery", "refund_delivery_fees")
    credit, fees = rec.actions
    # 6.0 days late on a 20.1-day lead time = 0.30 of the commitment -> 25 % tier
    assert credit.cost == eur("6400.00")
    assert credit.relief == eur("6400.00")
    assert credit.needs_approval  # above the 5,000 EUR threshold
    assert credit.incident_ids == ("INC-101",)
    assert credit.order_ids == ("O-1001",)
    assert "0.30 of the commitment" in credit.reasons[1]
    assert fees.cost == eur("768.00")  # 3 % of 640,000 CZK at 25 CZK/EUR
    assert not fees.needs_approval
    assert rec.cost_limit == eur("9600.00")  # 10 % of 2,400,000 CZK
    assert rec.total_cost <= rec.cost_limit
    assert any("O-1002: 10% likely late" in r for r in rec.reasons)


def test_vltava_gets_a_proactive_action_before_the_promise() -> None:
    rec = recommend(CustomerFirstPolicy(), "C05")
    order = PORTFOLIO.for_customer("C05")[1][0]
    assert CTX.as_of < order.promised_at
    assert rec.codes == ("alternative_source", "early_notice")
    assert all(a.proactive and a.order_ids == ("O-5001",) for a in rec.actions)
    assert rec.actions[0].reasons[0].startswith("O-5001 is critical (criticality 0.90)")
    assert rec.actions[0].needs_approval
    assert rec.needs_approval
    assert rec.approvals == (rec.actions[0],)


def test_every_critical_order_without_a_proactive_option_is_noted() -> None:
    customer, orders, incidents = PORTFOLIO.for_customer("C05")
    orders = (*orders, attrs.evolve(orders[0], id="O-5002"))  # two critical orders
    impacts = estimate_impacts(customer, orders, incidents, CTX)
    forecasts = forecast_orders(customer, orders, CTX)
    score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, CTX)
    catalog = CATALOG.without(*(a.code for a in CATALOG.actions if a.proactive))
    rec = CustomerFirstPolicy().recommend(
        customer, orders, incidents, impacts, forecasts, score, catalog, CTX
    )
    noted = [r.split()[0] for r in rec.reasons if "but no proactive action fits" in r]
    assert noted == ["O-5001", "O-5002"]


def test_a_hosts_proactive_credit_on_a_forecast_is_sized_at_no_shortfall() -> None:
    # Nothing has fallen short before the promise: the credit is its lowest tier's.
    schedule = CreditSchedule(
        basis=CreditBasis.DELAY_RATIO, tiers=(CreditTier(at_least=0.0, share=0.05),)
    )
    action = attrs.evolve(
        CATALOG.get("early_notice"), code="early_credit", credit=schedule, relief_share=0.0
    )
    args = list(inputs("C05"))
    args[6] = attrs.evolve(CATALOG, actions=(*CATALOG.actions, action))
    rec = CustomerFirstPolicy().recommend(*args)
    (credit,) = (a for a in rec.actions if a.code == "early_credit")
    assert credit.cost == credit.relief == eur("2500.00")  # 5 % of the 50,000 EUR order
    assert credit.reasons[1] == (
        "O-5001 (forecast): shortfall 0.00 -> 5% of the order value 50,000.00 EUR (tiered, "
        "cap 100%) = credit 2,500.00 EUR; the same rule for everyone hit by such an incident"
    )


def test_vltava_without_alternative_sources_still_gets_one() -> None:
    catalog = CATALOG.without("alternative_source", "expedite", "split_shipment")
    args = list(inputs("C05"))
    args[6] = catalog
    rec = CustomerFirstPolicy().recommend(*args)
    assert rec.codes == ("early_notice",)


def test_rhein_repeat_failure_escalates() -> None:
    rec = recommend(CustomerFirstPolicy(), "C10")
    escalations = {"dedicated_advocate", "executive_call", "root_cause_report"}
    assert escalations <= set(rec.codes)
    for action in rec.actions:
        if action.code in escalations:
            assert action.incident_ids == ("INC-1001", "INC-1002")
            assert action.reasons[0].startswith("repeat failure: 2 incidents")
    assert rec.actions[0].code == "alternative_source"
    assert rec.actions[0].order_ids == ("O-10002",)
    assert len(rec.actions) == 8
    assert [a.relief for a in rec.actions] == sorted((a.relief for a in rec.actions), reverse=True)


def test_a_single_failure_does_not_escalate() -> None:
    for customer_id in ("C01", "C03", "C07"):
        rec = recommend(CustomerFirstPolicy(), customer_id)
        assert not {"dedicated_advocate", "executive_call"} & set(rec.codes)


def test_moravia_defect_gets_a_replacement() -> None:
    rec = recommend(CustomerFirstPolicy(), "C07")
    assert rec.codes[0] == "replacement"
    assert rec.actions[0].cost == eur("2520.00")  # 70 % of half of 180,000 CZK


def test_lindenhof_outage_gets_the_sla_credit() -> None:
    rec = recommend(CustomerFirstPolicy(), "C03")
    assert rec.codes[0] == "service_credit_outage"
    # 7 h x 60 % / 720 h = 0.58 % of the month -> the 10 % tier of 185,000 / 12
    assert rec.actions[0].cost == eur("1541.67")
    assert rec.actions[0].relief == eur("1541.67")
    assert "0.58% of a 30-day month" in rec.actions[0].reasons[1]


def test_customers_without_loss_get_nothing_and_a_reason() -> None:
    for customer_id in ("C04", "C09"):
        rec = recommend(CustomerFirstPolicy(), customer_id)
        assert rec.actions == ()
        assert rec.reasons[0] == "no estimated loss to relieve"
        assert rec.total_cost == eur("0.00")


def test_the_floor_lets_a_small_customer_be_helped() -> None:
    rec = recommend(CustomerFirstPolicy(), "C11")  # 210,000 CZK a year: 10 % is 840 EUR
    assert rec.cost_limit == eur("840.00")
    tight = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=eur("100"))
    )
    rec = recommend(tight, "C11")
    assert rec.cost_limit == eur("100.00")
    assert rec.total_cost <= eur("100.00")


def test_the_policy_note_states_the_cost_limit_or_that_there_is_none() -> None:
    limited = recommend(CustomerFirstPolicy(), "C07")
    assert limited.reasons[-1] == (
        "cost limit 4,400.00 EUR = the larger of 10% of the annual value 44,000.00 EUR and "
        "the floor 500.00 EUR; recommended 2,593.33 EUR"
    )
    unlimited = recommend(
        CustomerFirstPolicy(settings=PolicySettings(cost_limit_share=None)), "C07"
    )
    assert unlimited.cost_limit is None
    assert unlimited.reasons[-1] == "no cost limit; recommended 2,593.33 EUR"


def test_an_action_costing_exactly_what_the_limit_leaves_fits() -> None:
    # C07's first pick, the replacement, costs 2,520.00 EUR: a limit of exactly that
    # takes it (and the free named contact), and leaves the goodwill gesture out.
    tight = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=eur("2520.00"))
    )
    rec = recommend(tight, "C07")
    assert rec.codes == ("replacement", "named_contact")
    assert rec.total_cost == eur("2520.00")
    assert any("left out for the cost limit: goodwill_gesture" in r for r in rec.reasons)


def test_an_escalation_relieves_what_is_left_on_each_of_its_incidents() -> None:
    # A host's escalation relieving lost margin answers both of C10's repeated late
    # deliveries: its relief is half of what is left on each, summed.
    war_room = Action(
        code="war_room",
        label="War room",
        kinds=(IncidentKind.LATE_DELIVERY,),
        escalation=True,
        relief_share=0.5,
        relieves=(LossCategory.LOST_MARGIN,),
        fixed_cost=eur("100"),
        cost_share_of_order=0.001,
    )
    catalog = ActionCatalog(actions=(war_room,))
    customer, orders, incidents = PORTFOLIO.for_customer("C10")
    rec = assess(customer, orders, incidents, context=CTX, catalog=catalog).recommendation
    (action,) = rec.actions
    assert action.incident_ids == ("INC-1001", "INC-1002")
    # 100 EUR, and 0.1 % of both late orders' value (212,000 and 187,000 EUR)
    assert action.cost == eur("499.00")
    margins = [
        sum(x.expected for x in impact.items if x.category is LossCategory.LOST_MARGIN)
        for impact in assess(customer, orders, incidents, context=CTX).impacts
    ]
    assert len(margins) == 2
    assert min(margins) > 0
    assert float(action.relief.amount) == pytest.approx(0.5 * sum(margins), abs=0.01)
    # Left out for the cost limit, it is noted with what it would relieve: the same.
    tight = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=eur("450"))
    )
    left = assess(customer, orders, incidents, context=CTX, catalog=catalog, policy=tight)
    rec = left.recommendation
    assert rec.actions == ()
    note = f"left out for the cost limit: war_room for INC-1001, INC-1002 (cost 499.00 EUR, would relieve {action.relief})"
    assert note in rec.reasons


def test_a_delay_credit_for_an_incident_without_an_order_says_so() -> None:
    credit = CATALOG.get("service_credit_delivery")
    assert credit.credit is not None
    flat = attrs.evolve(credit.credit, tiers=(CreditTier(at_least=0.0, share=0.05),))
    catalog = ActionCatalog(actions=(attrs.evolve(credit, credit=flat),))
    customer, orders, incidents = PORTFOLIO.for_customer("C01")
    incidents = tuple(attrs.evolve(i, order_id=None) for i in incidents)
    rec = assess(customer, orders, incidents, context=CTX, catalog=catalog).recommendation
    assert (
        rec.actions[0]
        .reasons[1]
        .startswith("INC-101: no order to measure the delay against -> 5% of a month")
    )


def test_a_critical_order_after_an_incident_still_gets_its_proactive_action() -> None:
    # C01's late delivery comes first among its exposures; its open O-1002, made
    # critical and likely late by the settings, must still be answered before its promise.
    customer, orders, incidents = PORTFOLIO.for_customer("C01")
    orders = tuple(attrs.evolve(o, criticality=0.95) if o.id == "O-1002" else o for o in orders)
    policy = CustomerFirstPolicy(settings=PolicySettings(late_probability=0.05))
    rec = assess(customer, orders, incidents, context=CTX, policy=policy).recommendation
    proactive = [a for a in rec.actions if a.order_ids == ("O-1002",)]
    assert proactive
    assert proactive[0].reasons[0].startswith("O-1002 is critical (criticality 0.95)")


_HALF_AT_HALF = (CreditTier(at_least=0.5, share=0.5),)


@pytest.mark.parametrize(
    ("customer_id", "action", "relief", "cost"),
    [
        # A downtime credit on a late delivery: no downtime, so no credit.
        (
            "C01",
            Action(
                code="uptime_credit",
                label="Uptime credit",
                kinds=(IncidentKind.LATE_DELIVERY,),
                credit=CreditSchedule(basis=CreditBasis.DOWNTIME_SHARE, tiers=_HALF_AT_HALF),
                relieves=(LossCategory.LOST_MARGIN,),
            ),
            "0.00",
            "0.00",
        ),
        # A proactive credit on a forecast: nothing has fallen short yet.
        (
            "C05",
            Action(
                code="advance_credit",
                label="Advance credit",
                proactive=True,
                kinds=(IncidentKind.LATE_DELIVERY,),
                credit=CreditSchedule(basis=CreditBasis.DELAY_RATIO, tiers=_HALF_AT_HALF),
                relieves=(LossCategory.LOST_MARGIN,),
            ),
            "0.00",
            "0.00",
        ),
        # 1 % of C07's 1,100,000 CZK a year, at 25 CZK to the euro.
        (
            "C07",
            Action(
                code="account_review",
                label="Account review",
                kinds=(IncidentKind.DEFECT,),
                cost_share_of_annual_value=0.01,
                relief_share=0.5,
                relieves=(LossCategory.STAFF_EFFORT,),
            ),
            "312.00",
            "440.00",
        ),
    ],
)
def test_a_hosts_action_is_sized_on_one_exposure(
    customer_id: str, action: Action, relief: str, cost: str
) -> None:
    catalog = ActionCatalog(actions=(action,))
    rec = assess(*PORTFOLIO.for_customer(customer_id), context=CTX, catalog=catalog)
    (picked,) = rec.recommendation.actions
    assert (picked.code, picked.relief, picked.cost) == (action.code, eur(relief), eur(cost))


def test_a_stale_forecast_of_a_delivered_order_is_passed_over_not_the_rest() -> None:
    # A host's forecasts from before O-1001 arrived: its forecast is history now, and
    # O-1002's (after it) is still read.
    args = list(inputs("C01"))
    customer, orders = args[0], args[1]
    earlier = tuple(attrs.evolve(o, delivered_at=None) if o.id == "O-1001" else o for o in orders)
    args[4] = forecast_orders(customer, earlier, CTX)
    assert [f.order_id for f in args[4]] == ["O-1001", "O-1002"]
    rec = run_policy(CustomerFirstPolicy(), *args)
    assert rec.reasons[0] == "O-1002: 10% likely late (below 50%): watched, no action"


def test_an_incident_without_an_impact_is_noted_and_the_next_one_sized() -> None:
    args = list(inputs("C10"))
    args[3] = tuple(i for i in args[3] if i.incident_id == "INC-1002")
    rec = run_policy(CustomerFirstPolicy(), *args)
    assert rec.reasons[0] == "INC-1001: no impact estimate given, so nothing is sized for it"
    assert ("INC-1002",) in [a.incident_ids for a in rec.actions]


def test_an_order_exactly_as_critical_as_the_setting_is_critical() -> None:
    policy = CustomerFirstPolicy(settings=PolicySettings(critical_share=0.9))
    rec = recommend(policy, "C05")  # O-5001's criticality is 0.9
    assert rec.actions[0].reasons[0].startswith("O-5001 is critical (criticality 0.90)")


def test_a_zero_limit_still_answers_a_harmed_customer() -> None:
    zero = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=eur("0"))
    )
    rec = recommend(zero, "C01")  # 44,956 EUR lost; only free actions fit
    assert rec.total_cost == eur("0.00")
    assert rec.codes == ("named_contact",)
    assert "never left without a response" in rec.reasons[0]
    assert any("left out for the cost limit: service_credit_delivery" in r for r in rec.reasons)


def test_no_free_action_means_an_explained_empty_answer() -> None:
    zero = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=eur("0"))
    )
    args = list(inputs("C01"))
    args[6] = CATALOG.without("named_contact")
    rec = zero.recommend(*args)
    assert rec.actions == ()
    assert "no action of the catalog applies and fits the cost limit" in rec.reasons[0]


def test_a_small_loss_below_the_threshold_may_get_nothing() -> None:
    zero = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=eur("0"))
    )
    args = list(inputs("C11"))  # 60 EUR lost, all of it expediting
    args[6] = CATALOG.without("named_contact", "goodwill_gesture")
    rec = zero.recommend(*args)
    assert rec.actions == ()
    assert rec.reasons[0].startswith("nothing relieves the estimated loss of 60.00 EUR")


@pytest.mark.parametrize(
    ("threshold", "first_reason"),
    [
        ("60.00", "nothing relieves the estimated loss of 60.00 EUR"),  # at it: not above
        ("59.99", "the estimated loss of 60.00 EUR is above 59.99 EUR, but no action"),
    ],
)
def test_the_loss_threshold_is_exclusive(threshold: str, first_reason: str) -> None:
    policy = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=eur("0")),
        loss_threshold=eur(threshold),
    )
    args = list(inputs("C11"))  # exactly 60.00 EUR lost
    args[6] = CATALOG.without("named_contact", "goodwill_gesture")
    rec = policy.recommend(*args)
    assert rec.actions == ()
    assert rec.reasons[0].startswith(first_reason)


def test_max_actions_bounds_the_list() -> None:
    rec = recommend(CustomerFirstPolicy(settings=PolicySettings(max_actions=2)), "C10")
    assert len(rec.actions) == 2


def test_immediate_relief_is_preferred() -> None:
    # Two otherwise equal remedies: the one that arrives sooner ranks first.
    slow = attrs.evolve(CATALOG.get("named_contact"), code="slow_contact", days_to_relief=60.0)
    args = list(inputs("C02"))
    args[6] = ActionCatalog(actions=(slow, CATALOG.get("named_contact")))
    rec = CustomerFirstPolicy(settings=PolicySettings(max_actions=1)).recommend(*args)
    assert rec.codes == ("named_contact",)


def test_every_example_customer_passes_the_checks_under_every_policy() -> None:
    for policy in (CustomerFirstPolicy(), PlaybookPolicy(), VendorValuePolicy()):
        for customer in PORTFOLIO.customers:
            rec = recommend(policy, customer.id)
            assert rec.policy == policy.name


def test_reporting_in_another_currency_converts_the_catalog() -> None:
    gbp = Context(
        as_of=CTX.as_of,
        currency="GBP",
        rates=ExchangeRates({("EUR", "GBP"): "0.86", ("GBP", "CZK"): "29.07"}),
    )
    rec = run_policy(CustomerFirstPolicy(), *inputs("C01", gbp))
    assert rec.currency == "GBP"
    assert rec.cost_limit == Money("8255.93", "GBP")  # 10 % of 2,400,000 CZK at 29.07
    assert all(a.cost.currency == "GBP" for a in rec.actions)


# ----------------------------------------------------------------------- playbook


def test_playbook_reports_the_rules_that_fired() -> None:
    rec = recommend(PlaybookPolicy(), "C10")
    assert rec.reasons[:3] == (
        "rule 'order forecast late' fired for O-10002 (forecast)",
        "rule 'delivery failed' fired for INC-1001, INC-1002",
        "rule 'repeat failure' fired for INC-1001, INC-1002",
    )
    assert rec.codes[:2] == ("early_notice", "expedite")
    assert all(any(r.startswith("playbook rule '") for r in a.reasons) for a in rec.actions)


def test_playbook_keeps_rule_order_and_limits() -> None:
    rec = recommend(PlaybookPolicy(settings=PolicySettings(max_actions=3)), "C10")
    assert len(rec.actions) == 3
    assert any("left out" in r for r in rec.reasons)


def test_playbook_first_match_handles_each_incident_once() -> None:
    rules = (
        PlaybookRule(name="late", kinds=(IncidentKind.LATE_DELIVERY,), actions=("named_contact",)),
        PlaybookRule(name="any", actions=("goodwill_gesture",)),
    )
    both = recommend(PlaybookPolicy(rules=rules), "C01")
    first = recommend(PlaybookPolicy(rules=rules, first_match=True), "C01")
    assert both.codes == ("named_contact", "goodwill_gesture")
    assert first.codes == ("named_contact",)


def test_playbook_matches_severity_and_band() -> None:
    rules = (
        PlaybookRule(name="severe", min_severity=Severity.HIGH, actions=("named_contact",)),
        PlaybookRule(name="critical band", bands=(Band.CRITICAL,), actions=("goodwill_gesture",)),
        PlaybookRule(
            name="forecast severe",
            target=RuleTarget.FORECAST,
            min_severity=Severity.LOW,
            actions=("expedite",),
        ),
    )
    high = recommend(PlaybookPolicy(rules=rules), "C01")  # INC-101 is high, band high
    low = recommend(PlaybookPolicy(rules=rules), "C12")  # INC-1201 is low
    assert high.codes == ("named_contact",)
    assert low.codes == ()
    assert low.reasons[0] == "no rule fired"


def test_playbook_says_when_an_action_does_not_apply() -> None:
    rules = (
        PlaybookRule(name="wrong", kinds=(IncidentKind.BILLING_ERROR,), actions=("expedite",)),
    )
    rec = recommend(PlaybookPolicy(rules=rules), "C02")
    assert rec.codes == ()
    assert "rule 'wrong': expedite does not apply to INC-201" in rec.reasons


@pytest.mark.parametrize(("window", "repeats"), [(70.0, True), (69.99, False)])
def test_the_repeat_window_includes_an_incident_opened_at_its_start(
    window: float, repeats: bool
) -> None:
    first = next(i for i in PORTFOLIO.incidents if i.id == "INC-1001")
    context = attrs.evolve(CTX, as_of=first.opened_at + timedelta(days=70))
    policy = CustomerFirstPolicy(settings=PolicySettings(repeat_window_days=window))
    rec = run_policy(policy, *inputs("C10", context))
    assert ("executive_call" in rec.codes) is repeats


def test_a_repeat_rule_takes_what_an_earlier_rule_left_of_its_group() -> None:
    # C10 has two late deliveries; made the first the severe one, the first rule credits
    # it. The repeat rule then answers both: it skips the one already credited and still
    # credits the second.
    customer, orders, incidents = PORTFOLIO.for_customer("C10")
    first, second = incidents
    incidents = (
        attrs.evolve(first, severity=Severity.HIGH),
        attrs.evolve(second, severity=Severity.MEDIUM),
    )
    impacts = estimate_impacts(customer, orders, incidents, CTX)
    forecasts = forecast_orders(customer, orders, CTX)
    score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, CTX)
    credit = ("service_credit_delivery",)
    rules = (
        PlaybookRule(
            name="severe",
            actions=credit,
            kinds=(IncidentKind.LATE_DELIVERY,),
            min_severity=Severity.HIGH,
        ),
        PlaybookRule(name="again", target=RuleTarget.REPEAT, actions=credit),
    )
    rec = run_policy(
        PlaybookPolicy(rules=rules),
        customer, orders, incidents, impacts, forecasts, score, CATALOG, CTX,
    )  # fmt: skip
    assert [(a.code, a.incident_ids, a.reasons[0]) for a in rec.actions] == [
        ("service_credit_delivery", (first.id,), "playbook rule 'severe'"),
        ("service_credit_delivery", (second.id,), "playbook rule 'again'"),
    ]


def test_playbook_escalation_rules_need_a_repeat() -> None:
    rules = (
        PlaybookRule(name="repeat", target=RuleTarget.REPEAT, actions=("executive_call",)),
        PlaybookRule(
            name="repeat in band",
            target=RuleTarget.REPEAT,
            bands=(Band.STABLE,),
            actions=("root_cause_report",),
        ),
    )
    assert recommend(PlaybookPolicy(rules=rules), "C01").codes == ()
    assert recommend(PlaybookPolicy(rules=rules), "C10").codes == ("executive_call",)


def test_a_policy_lacking_both_name_and_recommend_is_told_both() -> None:
    class Nothing:
        def __repr__(self) -> str:
            return "Nothing()"

    with pytest.raises(ConfigurationError) as info:
        recommend(Nothing(), "C01")  # type: ignore[arg-type]
    assert str(info.value) == (
        "policy Nothing() cannot be used: it lacks a non-empty string 'name'; a "
        "recommend(customer, orders, incidents, impacts, forecasts, score, catalog, "
        "context) method"
    )


def test_playbook_with_an_unknown_action_names_the_rule() -> None:
    rules = (PlaybookRule(name="x", actions=("teleport",)),)
    with pytest.raises(ConfigurationError) as info:
        recommend(PlaybookPolicy(rules=rules), "C01")
    assert "rules[0].actions[0]" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [("kinds", (IncidentKind.DEFECT,)), ("min_severity", Severity.HIGH)],
)
def test_a_repeat_rule_refuses_conditions_it_would_ignore(field: str, value: Any) -> None:
    with pytest.raises(PolicyConfigError) as info:
        PlaybookRule(
            name="again", target=RuleTarget.REPEAT, actions=("executive_call",), **{field: value}
        )
    assert info.value.paths == (field,)
    assert "'again'" in str(info.value)
    assert "repeat" in str(info.value)


def test_playbook_validates_its_rules() -> None:
    with pytest.raises(PolicyConfigError) as info:
        PlaybookPolicy(
            rules=(DEFAULT_RULES[0], DEFAULT_RULES[0], "x"),  # type: ignore[arg-type]
            first_match="yes",  # type: ignore[arg-type]
        )
    assert info.value.paths == ("rules[1].name", "rules[2]", "first_match")
    with pytest.raises(PolicyConfigError) as bad:
        PlaybookRule(
            name="",
            actions=(),
            target="always",  # type: ignore[arg-type]
            kinds=("x",),  # type: ignore[arg-type]
            min_severity="worst",  # type: ignore[arg-type]
            bands=(Band.HIGH, Band.HIGH),
        )
    assert bad.value.paths == ("name", "actions", "target", "kinds[0]", "min_severity", "bands[1]")
    with pytest.raises(PolicyConfigError) as codes:
        PlaybookRule(name="r", actions=("Not a code",))
    assert codes.value.paths == ("actions[0]",)
    with pytest.raises(PolicyConfigError):
        PlaybookPolicy(rules=list(DEFAULT_RULES))  # type: ignore[arg-type]


# ----------------------------------------------------------------------- vendor value


def test_vendor_value_ranks_by_net_value_and_reports_relief() -> None:
    rec = recommend(VendorValuePolicy(), "C01")
    nets = [a.net_value for a in rec.actions]
    assert nets == sorted(nets, reverse=True)
    assert all(a.net_value > eur("0") for a in rec.actions)
    assert rec.reasons[0].startswith("retention at risk 13.1% = 30% x score 43.75/100")
    assert rec.actions[0].code == "service_credit_delivery"
    assert rec.actions[0].relief == eur("6400.00")


def test_vendor_value_with_no_margin_recommends_only_what_is_required() -> None:
    stingy = VendorValuePolicy(margin_share=0.0)
    assert recommend(stingy, "C01").codes == ()
    assert "no action is worth more" in recommend(stingy, "C01").reasons[1]
    # ... but a critical order forecast late still gets a proactive action
    assert recommend(stingy, "C05").codes == ("alternative_source",)


def test_vendor_value_validates_its_parameters() -> None:
    with pytest.raises(PolicyConfigError) as info:
        VendorValuePolicy(
            settings=None,  # type: ignore[arg-type]
            margin_share=2,
            retention=1.0,
            discount_rate=-0.1,
            max_retention_drop=float("inf"),
        )
    assert info.value.paths == (
        "settings",
        "margin_share",
        "retention",
        "discount_rate",
        "max_retention_drop",
    )


# ----------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    "policy",
    [
        CustomerFirstPolicy(
            settings=PolicySettings(cost_limit_share=None, max_actions=3),
            loss_threshold=eur("10"),
        ),
        PlaybookPolicy(first_match=True),
        VendorValuePolicy(retention=0.7),
    ],
    ids=lambda p: p.name,
)
def test_policies_round_trip_and_pickle(policy: RecommendationPolicy) -> None:
    data = json.loads(json.dumps(to_dict(policy)))
    assert from_dict(type(policy), data) == policy
    assert pickle.loads(pickle.dumps(policy)) == policy  # noqa: S301 - our own bytes


def test_customer_first_names_the_bad_field() -> None:
    with pytest.raises(ConfigurationError) as info:
        CustomerFirstPolicy(
            settings="tight",  # type: ignore[arg-type]
            loss_threshold=eur("-1"),
            relief_half_life_days=0,
        )
    assert isinstance(info.value, ValidationError)
    assert str(info.value) == (
        "3 problems:\n"
        "  settings: expected a PolicySettings, got 'tight'\n"
        "  loss_threshold.amount: expected a non-negative amount, got Decimal('-1')\n"
        "  relief_half_life_days: expected a number from 1e-09 to 3650, got 0"
    )
    CustomerFirstPolicy(relief_half_life_days=3650)  # ten years is the longest
    with pytest.raises(ConfigurationError, match="relief_half_life_days: expected a number"):
        CustomerFirstPolicy(relief_half_life_days=3650.5)


def test_from_dict_of_a_policy_lists_every_problem_with_its_path() -> None:
    data = to_dict(CustomerFirstPolicy())
    data["settings"]["max_actions"] = 0
    data["settings"]["late_probability"] = 2
    data["loss_threshold"]["currency"] = "XYZ"
    with pytest.raises(ValidationError) as info:
        from_dict(CustomerFirstPolicy, data)
    assert set(info.value.paths) == {
        "settings.max_actions",
        "settings.late_probability",
        "loss_threshold.currency",
    }
    fine = to_dict(CustomerFirstPolicy())
    fine["relief_half_life_days"] = -3
    with pytest.raises(ValidationError) as outer:
        from_dict(CustomerFirstPolicy, fine)
    assert outer.value.paths == ("relief_half_life_days",)


def test_settings_validation() -> None:
    with pytest.raises(PolicyConfigError) as info:
        PolicySettings(
            cost_limit_share=11,
            cost_limit_floor=5,  # type: ignore[arg-type]
            max_actions=0,
            late_probability=-0.1,
            critical_share=1.1,
            repeat_count=1,
            repeat_window_days=0,
        )
    assert info.value.paths == (
        "cost_limit_share",
        "cost_limit_floor",
        "max_actions",
        "late_probability",
        "critical_share",
        "repeat_count",
        "repeat_window_days",
    )


# ----------------------------------------------------------------------- results


def _action(**changes: Any) -> RecommendedAction:
    fields: dict[str, Any] = {
        "code": "named_contact",
        "label": "Named contact",
        "proactive": False,
        "incident_ids": ("INC-1",),
        "order_ids": (),
        "relief": eur("10.00"),
        "cost": eur("0.00"),
        "net_value": eur("10.00"),
        "needs_approval": False,
        "reasons": ("why",),
        "rank": 1,
    }
    fields.update(changes)
    return RecommendedAction(**fields)


def test_recommended_action_reports_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        _action(
            code="Bad code",
            label=" ",
            proactive=None,
            incident_ids=("",),
            order_ids="O-1",
            relief=eur("-1"),
            cost=Money("1", "GBP"),
            net_value=3,
            needs_approval="no",
            reasons=("",),
            rank=0,
        )
    assert info.value.paths == (
        "code",
        "label",
        "proactive",
        "incident_ids[0]",
        "order_ids",
        "relief.amount",
        "cost.currency",
        "net_value",
        "needs_approval",
        "reasons[0]",
        "rank",
    )


def test_recommended_action_accepts_codes_the_fast_check_does_not() -> None:
    # "9lives" starts with a digit: valid, through the full check.
    assert _action(code="9lives").code == "9lives"


def test_recommendation_checks_totals_ranks_and_limit() -> None:
    first, second = _action(), _action(rank=3, cost=eur("5.00"))
    with pytest.raises(ValidationError) as info:
        Recommendation(
            customer_id="C1",
            policy="mine",
            currency="EUR",
            actions=(first, second),
            total_relief=eur("1.00"),
            total_cost=eur("5.00"),
            cost_limit=eur("4.00"),
        )
    assert info.value.paths == ("actions[1].rank", "total_relief", "total_cost")
    with pytest.raises(ValidationError) as other:
        Recommendation(
            customer_id="",
            policy="mine",
            currency="GBP",
            actions=[first],  # type: ignore[arg-type]
            total_relief=eur("0"),
            total_cost=eur("0"),
            reasons=("",),
        )
    assert other.value.paths == (
        "customer_id",
        "actions",
        "total_relief.currency",
        "total_cost.currency",
        "reasons[0]",
    )
    with pytest.raises(ValidationError) as mixed:
        Recommendation(
            customer_id="C1",
            policy="mine",
            currency="GBP",
            actions=(first, "x"),  # type: ignore[arg-type]
            total_relief=Money("10", "GBP"),
            total_cost=Money("0", "GBP"),
        )
    assert mixed.value.paths == ("actions[0].relief.currency", "actions[1]")
    with pytest.raises(ValidationError) as unshown:  # repr() of the currency would raise
        Recommendation(
            customer_id="C1",
            policy="mine",
            currency=10**5000,  # type: ignore[arg-type]
            actions=(first,),
            total_relief=eur("1.00"),
            total_cost=eur("0"),
        )
    assert unshown.value.paths == ("currency",)


def test_recommendation_problems_word_for_word() -> None:
    first, wrong_rank = _action(), _action(rank=3)
    with pytest.raises(ValidationError) as info:
        Recommendation(
            customer_id="C1",
            policy="mine",
            currency="EUR",
            actions=["x", first],  # type: ignore[arg-type]
            total_relief=eur("0"),
            total_cost=eur("0"),
            cost_limit=Money("4", "GBP"),
        )
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("actions", ["x", first], "a tuple of at most 1,000 RecommendedAction"),
        ("cost_limit.currency", "GBP", "'EUR' (the same currency)"),
    ]
    with pytest.raises(ValidationError) as each:  # after a wrong entry, the next are checked
        Recommendation(
            customer_id="C1",
            policy="mine",
            currency="EUR",
            actions=("x", wrong_rank),  # type: ignore[arg-type]
            total_relief=eur("0"),
            total_cost=eur("0"),
        )
    assert each.value.paths == ("actions[0]", "actions[1].rank")


def test_recommendation_round_trips_and_reads_well() -> None:
    rec = recommend(CustomerFirstPolicy(), "C10")
    assert from_dict(Recommendation, json.loads(json.dumps(to_dict(rec)))) == rec
    assert pickle.loads(pickle.dumps(rec)) == rec  # noqa: S301 - our own bytes
    assert repr(rec).startswith(
        "Recommendation('C10', 'customer_first', actions=[alternative_source, "
        "service_credit_delivery, service_credit_delivery, early_notice, "
        "refund_delivery_fees, +3], relief="
    )
    assert repr(rec).endswith(", needs approval)")
    assert repr(rec.actions[0]).startswith(
        "RecommendedAction(#1 'alternative_source', proactive, orders=O-10002, needs approval"
    )
    assert "incidents=INC-1001" in repr(rec.actions[1])


# ----------------------------------------------------------------------- host policies


@attrs.frozen
class CheapestFirst:
    """A host's policy in twenty lines: the cheapest applicable action per incident."""

    name: str = "cheapest_first"

    def recommend(  # noqa: PLR0917 - the protocol's signature; it ignores most of it
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        score: AdvocacyScore,
        catalog: ActionCatalog,
        context: Context,
    ) -> Recommendation:
        del orders, impacts, forecasts, score  # this simple policy does not need them
        zero = Money.zero(context.currency)
        actions: list[RecommendedAction] = []
        for incident in sorted(incidents, key=lambda i: i.id):
            found = catalog.for_kind(incident.kind)
            if found:
                actions.append(
                    RecommendedAction(
                        code=found[-1].code,
                        label=found[-1].label,
                        proactive=found[-1].proactive,
                        incident_ids=(incident.id,),
                        order_ids=(),
                        relief=zero,
                        cost=zero,
                        net_value=zero,
                        needs_approval=False,
                        rank=len(actions) + 1,
                    )
                )
        return Recommendation(
            customer_id=customer.id,
            policy=self.name,
            currency=context.currency,
            actions=tuple(actions),
            total_relief=zero,
            total_cost=zero,
        )


def test_a_host_policy_runs_through_the_checks() -> None:
    policy = CheapestFirst()
    assert isinstance(policy, RecommendationPolicy)
    rec = recommend(policy, "C10")
    assert rec.codes == ("root_cause_report", "root_cause_report")


@attrs.frozen
class Broken:
    """A deliberately broken host policy, in several ways (``mode``)."""

    name: str = "broken"
    mode: str = "everything"

    def recommend(self, *args: Any) -> Any:
        customer, _, incidents, _, _, _, _, context = args
        if self.mode == "not a recommendation":
            return {"actions": []}
        currency = "GBP" if self.mode == "everything" else context.currency
        relief = Money("99999999.00" if self.mode == "relief" else "1.00", currency)
        zero = Money("0.00", currency)
        action = RecommendedAction(
            code="teleport" if self.mode == "everything" else "expedite",
            label="Teleport the goods",
            proactive=True,
            incident_ids=("INC-999",) if self.mode == "everything" else (incidents[0].id,),
            order_ids=("O-999",) if self.mode != "relief" else (),
            relief=relief,
            cost=zero,
            net_value=zero,
            needs_approval=False,
        )
        return Recommendation(
            customer_id="someone else" if self.mode == "everything" else customer.id,
            policy=self.name,
            currency=currency,
            actions=(action,),
            total_relief=relief,
            total_cost=zero,
        )


def test_a_broken_host_policy_fails_with_every_broken_rule() -> None:
    with pytest.raises(ConfigurationError) as info:
        recommend(Broken(), "C02")
    assert str(info.value).splitlines() == [
        "policy 'broken' returned a recommendation for customer 'C02' that breaks the rules:",
        "  customer_id is 'someone else', not 'C02'",
        "  currency is 'GBP', not 'EUR'",
        "  actions[0] ('teleport') is not in the catalog",
    ]


@attrs.frozen
class TwoWrongActions:
    """An action not in the catalog, then one naming an order not given: both reported."""

    name: str = "two_wrong"

    def recommend(self, *args: Any) -> Any:
        customer, _, incidents, _, _, _, _, context = args
        zero = Money("0.00", context.currency)
        actions = tuple(
            RecommendedAction(
                code=code,
                label="Do it",
                proactive=False,
                incident_ids=(incidents[0].id,),
                order_ids=orders,
                relief=zero,
                cost=zero,
                net_value=zero,
                needs_approval=False,
                rank=rank,
            )
            for rank, (code, orders) in enumerate(
                (("teleport", ()), ("goodwill_gesture", ("O-9",))), 1
            )
        )
        return Recommendation(
            customer_id=customer.id,
            policy=self.name,
            currency=context.currency,
            actions=actions,
            total_relief=zero,
            total_cost=zero,
        )


def test_a_host_policy_is_told_of_every_wrong_action_not_only_the_first() -> None:
    with pytest.raises(ConfigurationError) as info:
        recommend(TwoWrongActions(), "C02")
    assert str(info.value).splitlines()[1:] == [
        "  actions[0] ('teleport') is not in the catalog",
        "  actions[1] ('goodwill_gesture') names 'O-9', which is not a given order",
    ]


def test_a_host_policy_must_answer_the_incident_kind_and_given_ids() -> None:
    with pytest.raises(ConfigurationError) as info:
        recommend(Broken(mode="wrong kind"), "C02")  # expedite for a billing error
    message = str(info.value)
    assert "does not apply to 'INC-201' (billing_error)" in message
    assert "names 'O-999', which is not a given order" in message


def test_a_host_policy_cannot_relieve_more_than_the_loss() -> None:
    relief_only = Broken(mode="relief")
    args = list(inputs("C06"))  # a partial delivery: expedite applies
    with pytest.raises(ConfigurationError, match="exceeds the estimated loss"):
        run_policy(relief_only, *args)
    with pytest.raises(ConfigurationError) as info:
        recommend(Broken(mode="not a recommendation"), "C02")
    assert str(info.value) == (
        "policy 'broken' returned a recommendation for customer 'C02' that breaks the rules:\n"
        "  expected a Recommendation, got {'actions': []}"
    )


def test_an_unusable_policy_is_named() -> None:
    class NoName:
        def recommend(self, *args: Any) -> None:
            del args

    with pytest.raises(ConfigurationError, match="lacks a non-empty string 'name'"):
        recommend(NoName(), "C01")  # type: ignore[arg-type]


def test_names_of_unknown_incidents_and_order_only_recovery_are_caught() -> None:
    @attrs.frozen
    class Sloppy:
        name: str = "sloppy"

        def recommend(self, *args: Any) -> Recommendation:
            customer, orders, _, _, _, _, _, context = args
            zero = Money.zero(context.currency)
            action = RecommendedAction(
                code="goodwill_gesture",
                label="Gift",
                proactive=False,
                incident_ids=("INC-404",),
                order_ids=(orders[0].id,),
                relief=zero,
                cost=zero,
                net_value=zero,
                needs_approval=False,
            )
            orphan = attrs.evolve(action, incident_ids=(), rank=2)
            return Recommendation(
                customer_id=customer.id,
                policy=self.name,
                currency=context.currency,
                actions=(action, orphan),
                total_relief=zero,
                total_cost=zero,
            )

    with pytest.raises(ConfigurationError) as info:
        recommend(Sloppy(), "C01")
    message = str(info.value)
    assert "names 'INC-404', which is not a given incident" in message
    assert (
        "  actions[1] ('goodwill_gesture') names no incident, and only proactive late-delivery"
        " actions may answer a forecast"
    ) in message.splitlines()


# ----------------------------------------------------------------------- inputs


def test_recommend_rejects_inputs_of_another_customer() -> None:
    args = list(inputs("C01"))
    other = PORTFOLIO.for_customer("C02")
    args[2] = other[2]
    with pytest.raises(ValidationError) as info:
        CustomerFirstPolicy().recommend(*args)
    assert info.value.paths == ("incidents[0].customer_id",)


def test_recommend_rejects_a_foreign_score_and_a_bad_catalog() -> None:
    args = list(inputs("C01"))
    args[5] = inputs("C02")[5]
    args[6] = ("early_notice",)
    with pytest.raises(ValidationError) as info:
        CustomerFirstPolicy().recommend(*args)
    assert str(info.value).splitlines()[1:] == [
        "  score.customer_id: expected 'C01', got 'C02'",
        "  catalog: expected an ActionCatalog, got ('early_notice',)",
    ]
    args[5] = 42
    with pytest.raises(ValidationError) as again:
        PlaybookPolicy().recommend(*args)
    assert str(again.value).splitlines()[1:] == [
        "  score: expected an AdvocacyScore, got 42",
        "  catalog: expected an ActionCatalog, got ('early_notice',)",
    ]


def test_incidents_in_the_future_and_unestimated_ones_are_noted() -> None:
    customer, orders, incidents = PORTFOLIO.for_customer("C01")
    later = attrs.evolve(
        incidents[0], id="INC-later", opened_at=CTX.as_of + timedelta(days=1), resolved_at=None
    )
    other = Incident(
        id="INC-other", customer_id="C01", kind=IncidentKind.OTHER, opened_at=CTX.as_of
    )
    unpriced = Incident(
        id="INC-unpriced", customer_id="C01", kind=IncidentKind.DEFECT, opened_at=CTX.as_of
    )
    everything = (*incidents, later, other, unpriced)
    impacts = estimate_impacts(customer, orders, (*incidents, later, other), CTX)
    forecasts = forecast_orders(customer, orders, CTX)
    score = AdvocacyScorer().score(customer, orders, everything, impacts, forecasts, CTX)
    rec = CustomerFirstPolicy().recommend(
        customer, orders, everything, impacts, forecasts, score, CATALOG, CTX
    )
    assert all("INC-later" not in a.incident_ids for a in rec.actions)
    assert any(r.startswith("INC-other: not estimated") for r in rec.reasons)
    assert any(r.startswith("INC-unpriced: no impact estimate given") for r in rec.reasons)


def test_forecasts_of_delivered_orders_are_history() -> None:
    customer, orders, incidents = PORTFOLIO.for_customer("C05")
    forecasts = forecast_orders(customer, orders, CTX)
    delivered = tuple(attrs.evolve(o, delivered_at=CTX.as_of, eta=None) for o in orders)
    impacts = estimate_impacts(customer, delivered, incidents, CTX)
    score = AdvocacyScorer().score(customer, delivered, incidents, impacts, (), CTX)
    rec = CustomerFirstPolicy().recommend(
        customer, delivered, incidents, impacts, forecasts, score, CATALOG, CTX
    )
    assert rec.actions == ()


def test_an_order_without_criticality_is_not_critical() -> None:
    customer, orders, incidents = PORTFOLIO.for_customer("C05")
    unknown = tuple(attrs.evolve(o, criticality=None) for o in orders)
    impacts = estimate_impacts(customer, unknown, incidents, CTX)
    forecasts = forecast_orders(customer, unknown, CTX)
    score = AdvocacyScorer().score(customer, unknown, incidents, impacts, forecasts, CTX)
    rec = CustomerFirstPolicy().recommend(
        customer, unknown, incidents, impacts, forecasts, score, CATALOG, CTX
    )
    assert rec.actions  # still acted on: likely late and worth relieving
    assert not any(r.startswith("O-5001 is critical") for a in rec.actions for r in a.reasons)


def test_a_required_proactive_action_that_cannot_be_had_is_reported() -> None:
    args = list(inputs("C05"))
    args[6] = ActionCatalog(actions=tuple(a for a in CATALOG if not a.proactive))
    rec = CustomerFirstPolicy().recommend(*args)
    assert rec.actions == ()
    assert any(r.endswith("was required, but no proactive action fits") for r in rec.reasons)


def test_results_check_their_reasons_and_cost_total() -> None:
    with pytest.raises(ValidationError) as info:
        _action(reasons=["a list"])
    assert info.value.paths == ("reasons",)
    with pytest.raises(ValidationError) as total:
        Recommendation(
            customer_id="C1",
            policy="mine",
            currency="EUR",
            actions=(_action(),),
            total_relief=eur("10.00"),
            total_cost=eur("1.00"),
            reasons="why",  # type: ignore[arg-type]
        )
    assert total.value.paths == ("reasons", "total_cost")


def test_money_from_cents_is_exact_at_any_size() -> None:
    assert money_from_cents(12345, "EUR") == Money("123.45", "EUR")
    assert money_from_cents(12345, "JPY") == Money("12345", "JPY")
    big = money_from_cents(10**19, "EUR")
    assert big == Money("100000000000000000", "EUR")
    with pytest.raises(ValidationError):
        money_from_cents(1, "XXX")


def test_float_noise_is_a_millionth_of_a_millionth_of_a_unit_and_no_more() -> None:
    # Within 1e-12 of a whole unit (of the amount, past one unit) is noise, read as that
    # unit; the tolerance's very edge is noise too; beyond it, a part of a unit counts.
    assert (cents_up(1e-12, 1), cents_down(-1e-12, 1)) == (0, 0)  # exactly the tolerance
    assert (cents_up(1.5e-12, 1), cents_down(-1.5e-12, 1)) == (1, -1)  # past it
    assert (cents_up(0.07, 100), cents_down(0.29, 100)) == (7, 29)  # binary noise only


KIND_CHOICES = (
    "one of 'late_delivery', 'partial_delivery', 'defect', 'service_outage', "
    "'billing_error', 'support_failure', 'other'"
)


def _rule_problems(**fields: Any) -> list[tuple[str, object, str]]:
    with pytest.raises(PolicyConfigError) as info:
        PlaybookRule(**{"name": "r", "actions": ("early_notice",), **fields})
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_a_playbook_rule_names_every_bad_field() -> None:
    assert _rule_problems(
        name="", actions=(), target="x", kinds=("x",), min_severity="huge", bands=(5,)
    ) == [
        ("name", "", "a non-empty string"),
        ("actions", (), "a tuple of 1 to 50 action codes"),
        ("target", "x", "one of 'incident', 'forecast', 'repeat'"),
        ("kinds[0]", "x", KIND_CHOICES),
        ("min_severity", "huge", "one of 'low', 'medium', 'high', 'critical'"),
        ("bands[0]", 5, "one of 'stable', 'watch', 'elevated', 'high', 'critical'"),
    ]
    codes = tuple(f"a{i}" for i in range(51))
    assert PlaybookRule(name="r", actions=codes[:50]).actions == codes[:50]
    assert _rule_problems(actions=codes) == [("actions", codes, "a tuple of 1 to 50 action codes")]
    assert _rule_problems(kinds=[IncidentKind.DEFECT]) == [
        ("kinds", [IncidentKind.DEFECT], "a tuple of IncidentKind")
    ]


def test_a_repeat_rule_refuses_the_conditions_it_would_ignore() -> None:
    assert _rule_problems(
        target=RuleTarget.REPEAT, kinds=(IncidentKind.DEFECT,), min_severity=Severity.HIGH
    ) == [
        (
            "kinds",
            (IncidentKind.DEFECT,),
            "empty for the repeat rule 'r' (it answers all incidents)",
        ),
        ("min_severity", Severity.HIGH, "None for the repeat rule 'r' (it answers all incidents)"),
    ]
    assert PlaybookRule(name="r", actions=("x",), target=RuleTarget.REPEAT).kinds == ()


def test_a_playbook_names_each_bad_field_exactly() -> None:
    rule = PlaybookPolicy().rules[0]
    wrong: Any = {"rules": ("x", rule, rule, 5), "settings": "s", "first_match": "yes"}
    with pytest.raises(ValidationError) as info:
        PlaybookPolicy(**wrong)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("rules[0]", "x", "a PlaybookRule"),
        ("rules[2].name", rule.name, "a name no other rule has"),
        ("rules[3]", 5, "a PlaybookRule"),
        ("settings", "s", "a PolicySettings"),
        ("first_match", "yes", "True or False"),
    ]
    many = tuple(attrs.evolve(rule, name=f"rule {i}") for i in range(1_000))
    assert len(PlaybookPolicy(rules=many).rules) == 1_000
    for rules in ((*many, attrs.evolve(rule, name="one more")), list(many[:1])):
        with pytest.raises(ValidationError) as refused:
            PlaybookPolicy(rules=rules)  # type: ignore[arg-type]
        assert [(p.path, p.value, p.expected) for p in refused.value.problems] == [
            ("rules", rules, "a tuple of at most 1,000 PlaybookRule")
        ]


def test_a_playbook_notes_each_candidate_the_limits_leave_out() -> None:
    customer, orders, incidents = PORTFOLIO.for_customer("C10")
    third = attrs.evolve(incidents[1], id="INC-1003")  # a third failure of the repeat
    rule = PlaybookRule(name="r", target=RuleTarget.REPEAT, actions=("refund_delivery_fees",))
    policy = PlaybookPolicy(rules=(rule,), settings=PolicySettings(max_actions=1))
    rec = assess(customer, orders, (*incidents, third), context=CTX, policy=policy).recommendation
    assert rec.codes == ("refund_delivery_fees",)
    left_out = (
        "rule 'r': refund_delivery_fees for INC-1001, INC-1002, INC-1003 left out: it does "
        "not fit the cost limit or the number of actions"
    )
    assert rec.reasons.count(left_out) == 2  # one per candidate left out


def test_the_cost_limits_note_shows_the_floor_as_the_limit_rounds_it() -> None:
    # 123.45 CZK at 0.04 is 4.938 EUR: the limit is 4.93 (rounded down), and the note
    # must not show a floor of 4.94 above a limit that is "the larger of" it.
    floor = Money("123.45", "CZK")
    tight = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=floor)
    )
    rec = recommend(tight, "C07")
    assert rec.cost_limit == eur("4.93")
    assert rec.reasons[-1] == (
        "cost limit 4.93 EUR = the larger of 0% of the annual value 44,000.00 EUR and the floor "
        "4.93 EUR (123.45 CZK); recommended 0.00 EUR"
    )
