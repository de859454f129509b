"""Actions, credit schedules and the catalog: validation, round trips, the default catalog."""

from __future__ import annotations

import json
import pickle

import attrs
import numpy as np
import pytest
from _drawing import maybe
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Action,
    ActionCatalog,
    ConfigurationError,
    IncidentKind,
    LossCategory,
    Money,
    ValidationError,
    default_catalog,
    from_dict,
    to_dict,
)
from custadvocacy._policies import _sizing
from custadvocacy.policies import (
    MAX_CREDIT_CAP,
    CreditBasis,
    CreditSchedule,
    CreditTier,
    PolicyConfigError,
    PriceBasis,
)

# ----------------------------------------------------------------------- strategies

codes = st.text(alphabet="abcz09_.-", max_size=8).map(lambda tail: "a" + tail)
labels = st.sampled_from(["Call the customer", "Credit note", "Expedite", "Ünïcode ✓"])
shares = st.floats(min_value=0.0, max_value=1.0)
small_money = st.decimals(min_value=0, max_value=100_000, places=2).map(lambda d: Money(d, "EUR"))


@st.composite
def credit_schedules(draw: st.DrawFn) -> CreditSchedule:
    thresholds = sorted(
        draw(st.sets(st.floats(min_value=0.0, max_value=5.0), min_size=1, max_size=3))
    )
    tier_shares = sorted(
        draw(
            st.lists(
                st.floats(min_value=0.0, max_value=MAX_CREDIT_CAP),
                min_size=len(thresholds),
                max_size=len(thresholds),
            )
        )
    )
    return CreditSchedule(
        basis=draw(st.sampled_from(CreditBasis)),
        tiers=tuple(
            CreditTier(at_least=t, share=s) for t, s in zip(thresholds, tier_shares, strict=True)
        ),
        price=draw(st.sampled_from(PriceBasis)),
        cap=draw(st.floats(min_value=0.01, max_value=MAX_CREDIT_CAP)),
    )


@st.composite
def actions(draw: st.DrawFn, *, code: str | None = None) -> Action:
    escalation = draw(st.booleans())
    credit = maybe(draw, credit_schedules())
    relief_share = draw(shares)
    relieves = tuple(draw(st.sets(st.sampled_from(LossCategory), max_size=3)))
    if not relieves and (relief_share > 0 or credit is not None):
        relieves = (LossCategory.LOST_MARGIN,)
    return Action(
        code=code or draw(codes),
        label=draw(labels),
        kinds=tuple(draw(st.sets(st.sampled_from(IncidentKind), min_size=1))),
        proactive=not escalation and draw(st.booleans()),
        fixed_cost=maybe(draw, small_money),
        cost_share_of_order=draw(shares),
        cost_share_of_annual_value=draw(shares),
        relief_share=relief_share,
        relieves=relieves,
        credit=credit,
        relationship_effect=draw(shares),
        approval_threshold=maybe(draw, small_money),
        escalation=escalation,
        group=maybe(draw, codes),
        days_to_relief=draw(st.floats(min_value=0, max_value=60)),
        only_while_open=draw(st.booleans()),
        rationale=draw(st.sampled_from(["", "Why: money for money lost."])),
    )


@st.composite
def catalogs(draw: st.DrawFn) -> ActionCatalog:
    names = draw(st.lists(codes, unique=True, max_size=3))
    return ActionCatalog(actions=tuple(draw(actions(code=name)) for name in names))


# ----------------------------------------------------------------------- round trips


@given(catalogs())
def test_catalog_round_trips_through_json(catalog: ActionCatalog) -> None:
    data = json.loads(json.dumps(to_dict(catalog)))
    again = from_dict(ActionCatalog, data)
    assert again == catalog
    assert again.codes == catalog.codes


@given(catalogs())
def test_catalog_pickles_and_keeps_its_lookup(catalog: ActionCatalog) -> None:
    again = pickle.loads(pickle.dumps(catalog))  # noqa: S301 - our own bytes
    assert again == catalog
    for code in catalog.codes:
        assert again.get(code) == catalog.get(code)


def test_default_catalog_round_trips_and_is_fresh() -> None:
    catalog = default_catalog()
    assert from_dict(ActionCatalog, json.loads(json.dumps(to_dict(catalog)))) == catalog
    assert default_catalog() == catalog
    assert default_catalog() is not catalog


# ----------------------------------------------------------------------- the default catalog


def test_default_catalog_has_the_issue_actions() -> None:
    catalog = default_catalog()
    proactive = {a.code for a in catalog if a.proactive}
    escalations = {a.code for a in catalog if a.escalation}
    assert proactive == {"early_notice", "split_shipment", "expedite", "alternative_source"}
    assert escalations == {"dedicated_advocate", "executive_call", "root_cause_report"}
    for code in ("replacement", "refund_delivery_fees", "goodwill_gesture"):
        assert code in catalog
    credited = [a for a in catalog if a.credit is not None]
    assert {a.credit.basis for a in credited if a.credit} >= {
        CreditBasis.DELAY_RATIO,
        CreditBasis.DOWNTIME_SHARE,
    }


def test_default_catalog_has_a_free_action_for_every_kind() -> None:
    # The customer-first guarantee rests on it: something always fits the cost limit.
    catalog = default_catalog()
    for kind in IncidentKind:
        free = [
            a
            for a in catalog.for_kind(kind)
            if not a.proactive
            and not a.escalation
            and a.fixed_cost is None
            and a.credit is None
            and a.cost_share_of_order == 0
            and a.cost_share_of_annual_value == 0
        ]
        assert free, kind


def test_default_catalog_credits_are_capped_at_the_price_or_below() -> None:
    for action in default_catalog():
        if action.credit is not None:
            assert action.credit.cap <= 1.0
            assert all(t.share <= MAX_CREDIT_CAP for t in action.credit.tiers)


def test_default_catalog_documents_every_action() -> None:
    for action in default_catalog():
        assert len(action.rationale) > 40, action.code


def test_proactive_default_actions_answer_late_and_partial_deliveries() -> None:
    for action in default_catalog():
        if action.proactive:
            assert set(action.kinds) == {
                IncidentKind.LATE_DELIVERY,
                IncidentKind.PARTIAL_DELIVERY,
            }


# ----------------------------------------------------------------------- catalog API


def test_get_unknown_code_names_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match="expected the code of an action") as info:
        default_catalog().get("teleport")
    assert isinstance(info.value, ValidationError)
    known = ", ".join(default_catalog().codes)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("code", "teleport", f"the code of an action in the catalog ({known})")
    ]
    assert known.startswith("early_notice, split_shipment, ")
    with pytest.raises(ConfigurationError) as empty:
        ActionCatalog(actions=()).get("expedite")
    assert isinstance(empty.value, ValidationError)
    assert empty.value.problems[0].expected == "the code of an action in the catalog (none)"


def test_with_action_replaces_in_place_and_appends() -> None:
    catalog = default_catalog()
    cheaper = attrs.evolve(catalog.get("expedite"), cost_share_of_order=0.03)
    changed = catalog.with_action(cheaper)
    assert changed.codes == catalog.codes
    assert changed.get("expedite").cost_share_of_order == 0.03
    assert catalog.get("expedite").cost_share_of_order == 0.06  # unchanged
    extra = Action(code="call_back", label="Call back", kinds=(IncidentKind.OTHER,))
    assert changed.with_action(extra).codes[-1] == "call_back"


def test_without_removes_and_rejects_unknown_codes() -> None:
    catalog = default_catalog()
    smaller = catalog.without("expedite", "split_shipment")
    assert len(smaller) == len(catalog) - 2
    assert "expedite" not in smaller
    with pytest.raises(ConfigurationError):
        catalog.without("nope")


def test_for_kind_keeps_catalog_order() -> None:
    catalog = default_catalog()
    for kind in IncidentKind:
        found = catalog.for_kind(kind)
        assert [a.code for a in found] == [a.code for a in catalog if kind in a.kinds]
        assert all(a.applies_to(kind) for a in found)


def test_catalog_rejects_duplicate_codes_and_non_actions() -> None:
    a = Action(code="a", label="A", kinds=(IncidentKind.OTHER,))
    with pytest.raises(PolicyConfigError) as info:
        ActionCatalog(actions=(a, "b", a))  # type: ignore[arg-type]
    assert info.value.paths == ("actions[1]", "actions[2].code")
    with pytest.raises(PolicyConfigError):
        ActionCatalog(actions=[a])  # type: ignore[arg-type]


def test_a_kind_or_category_listed_twice_is_named_with_its_article() -> None:
    with pytest.raises(PolicyConfigError) as info:
        Action(
            code="a",
            label="A",
            kinds=(IncidentKind.OTHER, IncidentKind.OTHER),
            relieves=(LossCategory.LOST_MARGIN, LossCategory.LOST_MARGIN),
            relief_share=0.5,
        )
    assert [(p.path, p.expected) for p in info.value.problems] == [
        ("kinds[1]", "an IncidentKind not listed before"),
        ("relieves[1]", "a LossCategory not listed before"),
    ]


def test_from_dict_reports_catalog_problems_with_paths() -> None:
    data = to_dict(default_catalog())
    data["actions"][0]["relief_share"] = 1.5
    data["actions"][2]["code"] = data["actions"][1]["code"]
    data["actions"][6]["credit"]["tiers"][1]["at_least"] = 0.0
    with pytest.raises(ValidationError) as info:
        from_dict(ActionCatalog, data)
    assert set(info.value.paths) == {
        "actions[0].relief_share",
        "actions[6].credit.tiers[1].at_least",
    }
    # duplicate codes are a catalog-level rule, checked once every action is valid
    data["actions"][0]["relief_share"] = 0.5
    data["actions"][6]["credit"]["tiers"][1]["at_least"] = 0.25
    with pytest.raises(ValidationError) as dup:
        from_dict(ActionCatalog, data)
    assert dup.value.paths == ("actions[2].code",)


def test_repr_is_readable() -> None:
    catalog = default_catalog()
    assert repr(catalog).startswith("ActionCatalog(13 actions: early_notice, ")
    assert repr(catalog.get("dedicated_advocate")) == (
        "Action('dedicated_advocate', recovery, escalation, kinds=late_delivery|partial_delivery"
        "|defect|service_outage|billing_error|support_failure|other, relief_share=0.5)"
    )
    assert "credit=delay_ratio" in repr(catalog.get("service_credit_delivery"))


# ----------------------------------------------------------------------- Action validation


def test_action_reports_every_problem_at_once() -> None:
    with pytest.raises(PolicyConfigError) as info:
        Action(
            code="Bad Code",
            label="",
            kinds=(),
            proactive="yes",  # type: ignore[arg-type]
            fixed_cost=Money("-1", "EUR"),
            cost_share_of_order=2.0,
            cost_share_of_annual_value=-0.1,
            relief_share=float("nan"),
            relieves=(LossCategory.OTHER, LossCategory.OTHER),
            credit="lots",  # type: ignore[arg-type]
            relationship_effect=1.1,
            approval_threshold=5,  # type: ignore[arg-type]
            escalation=None,  # type: ignore[arg-type]
            group="",
            days_to_relief=-1,
            only_while_open=1,  # type: ignore[arg-type]
            rationale=3,  # type: ignore[arg-type]
        )
    assert info.value.paths == (
        "code",
        "label",
        "kinds",
        "proactive",
        "fixed_cost.amount",
        "cost_share_of_order",
        "cost_share_of_annual_value",
        "relief_share",
        "relieves[1]",
        "credit",
        "relationship_effect",
        "approval_threshold",
        "escalation",
        "group",
        "days_to_relief",
        "only_while_open",
        "rationale",
    )
    assert isinstance(info.value, ConfigurationError)
    expected = {p.path: p.expected for p in info.value.problems}
    for flag in ("proactive", "escalation", "only_while_open"):
        assert expected[flag] == "True or False", flag
    assert expected["credit"] == "a CreditSchedule or None"
    assert expected["days_to_relief"] == "a number from 0 to 3650 days"
    with pytest.raises(PolicyConfigError) as late:  # ten years is the longest
        Action(code="a", label="A", kinds=(IncidentKind.OTHER,), days_to_relief=3650.5)
    assert late.value.paths == ("days_to_relief",)


def test_action_with_relief_must_say_what_it_relieves() -> None:
    with pytest.raises(PolicyConfigError, match="relieves: expected the loss categories"):
        Action(code="a", label="A", kinds=(IncidentKind.OTHER,), relief_share=0.5)


def test_escalations_are_not_proactive() -> None:
    with pytest.raises(PolicyConfigError, match="escalation: expected False"):
        Action(code="a", label="A", kinds=(IncidentKind.OTHER,), proactive=True, escalation=True)


def test_action_kinds_must_be_incident_kinds() -> None:
    with pytest.raises(PolicyConfigError) as info:
        Action(code="a", label="A", kinds=("late",))  # type: ignore[arg-type]
    assert info.value.paths == ("kinds[0]",)


# ----------------------------------------------------------------------- credits


def test_tiers_must_be_ordered() -> None:
    with pytest.raises(PolicyConfigError) as info:
        CreditSchedule(
            basis=CreditBasis.DELAY_RATIO,
            tiers=(
                CreditTier(at_least=0.5, share=0.5),
                CreditTier(at_least=0.5, share=0.25),
            ),
        )
    assert info.value.paths == ("tiers[1].at_least", "tiers[1].share")


def test_credit_schedule_rejects_bad_fields() -> None:
    with pytest.raises(PolicyConfigError) as info:
        CreditSchedule(basis="x", tiers=(), price="y", cap=2.0)  # type: ignore[arg-type]
    assert info.value.paths == ("basis", "price", "cap", "tiers")
    with pytest.raises(PolicyConfigError) as again:
        CreditSchedule(basis=CreditBasis.SEVERITY, tiers=(1,))  # type: ignore[arg-type]
    assert again.value.paths == ("tiers[0]",)


def test_tier_rejects_a_share_above_the_cap_limit() -> None:
    with pytest.raises(PolicyConfigError) as info:
        CreditTier(at_least=-1, share=1.6)
    assert info.value.paths == ("at_least", "share")


@given(credit_schedules(), st.floats(0, 10), st.floats(0, 10), st.floats(0, 1e7))
def test_credit_is_monotone_and_capped(
    schedule: CreditSchedule, a: float, b: float, price: float
) -> None:
    low, high = sorted((a, b))
    assert schedule.share(low) <= schedule.share(high)
    assert 0 <= schedule.amount(price, high) <= schedule.cap * price * (1 + 1e-12)
    assert schedule.share(high) <= schedule.cap


@given(credit_schedules())
def test_credit_is_zero_below_the_first_tier(schedule: CreditSchedule) -> None:
    first = schedule.tiers[0].at_least
    if first > 0:
        assert schedule.share(first / 2) == 0.0
    assert schedule.share(first) == min(schedule.tiers[0].share, schedule.cap)


# ----------------------------------------------------------------------- sizing kernels

values = st.floats(min_value=0.0, max_value=1e9)


@given(st.lists(st.tuples(values, values, shares, values), min_size=1, max_size=20))
def test_kernels_give_the_same_numbers_on_floats_and_arrays(
    rows: list[tuple[float, float, float, float]],
) -> None:
    a, b, s, c = (np.array(col, dtype=np.float64) for col in zip(*rows, strict=True))
    thresholds, tier_shares = (0.1, 0.25, 0.5), (0.1, 0.3, 0.6)
    checks = [
        (_sizing.delay_ratio, (a, b)),
        (_sizing.downtime_share, (a, s)),
        (_sizing.share_relief, (a, s, c)),
        (_sizing.action_cost, (a, s, b, s, c, a)),
        (_sizing.clv_multiplier, (s * 0.9, s)),
    ]
    for kernel, columns in checks:
        batch = kernel(*columns)  # type: ignore[operator]
        for i in range(len(rows)):
            one = kernel(*(float(col[i]) for col in columns))  # type: ignore[operator]
            assert isinstance(one, float)
            np.testing.assert_allclose(one, batch[i], rtol=1e-12)
    tiers = _sizing.tier_share(s * 1.0, thresholds, tier_shares)
    amounts = _sizing.credit_amount(a, s, 0.5)
    weights = _sizing.time_weight(s * 60.0, 30.0)
    for i in range(len(rows)):
        assert _sizing.tier_share(float(s[i]), thresholds, tier_shares) == tiers[i]
        assert _sizing.credit_amount(float(a[i]), float(s[i]), 0.5) == amounts[i]
        np.testing.assert_allclose(_sizing.time_weight(float(s[i]) * 60.0, 30.0), weights[i])


@given(values, shares, values)
def test_share_relief_never_exceeds_what_is_left(
    remaining: float, share: float, credit: float
) -> None:
    relief = _sizing.share_relief(remaining, share, credit)
    assert 0.0 <= relief <= remaining
    assert relief >= min(remaining, credit)


def test_kernels_on_documented_values() -> None:
    assert _sizing.delay_ratio(6.0, 20.0) == 0.3
    assert _sizing.delay_ratio(3.0, 0.25) == 3.0  # a lead time under a day counts as one
    assert _sizing.tier_share(0.1, (0.1, 0.25), (0.1, 0.25)) == 0.1  # lower bound inclusive
    assert _sizing.tier_share(0.0999, (0.1, 0.25), (0.1, 0.25)) == 0.0
    assert _sizing.time_weight(60.0, 30.0) == 0.25
    assert round(_sizing.clv_multiplier(0.8, 0.1) * 0.3, 2) == 3.67


def test_an_actions_repr_says_whether_it_prevents_or_repairs() -> None:
    catalog = default_catalog()
    assert repr(catalog.get("early_notice")) == (
        "Action('early_notice', proactive, kinds=late_delivery|partial_delivery, relief_share=0.15)"
    )
    assert repr(catalog.get("executive_call")).startswith(
        "Action('executive_call', recovery, escalation, kinds=late_delivery|"
    )
