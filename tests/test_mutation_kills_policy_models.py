"""The policies' settings and recommended actions: every problem pinned word for word.

Found by the random sample of the mutation run of 2026-12-06 (``mutation/run.py
--sample``, docs/mutation-log.md): changes to these messages and to the settings' bounds
survived, since the policy tests only asked that a bad value be refused.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from _budget_cases import eur, recommendation
from _evolved import evolved_outcome

import custadvocacy as ca
from custadvocacy._checks import MAX_ID_LENGTH
from custadvocacy._policies._common import MAX_REASONS
from custadvocacy._policies._model import (
    _MAX_ACTIONS,
    _MAX_IDS,
    built_action,
    built_recommendation,
)
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import (
    ActionCatalog,
    CreditBasis,
    CreditSchedule,
    CreditTier,
    PlaybookRule,
    PolicyConfigError,
    PolicySettings,
    RuleTarget,
    default_catalog,
)

SETTINGS = PolicySettings()


def _as_raised(outcome: str) -> str:
    """``outcome`` (one problem's line, or "ok") as ``evolved_outcome`` gives it."""
    return outcome if outcome == "ok" else f"1 problem:\n  {outcome}"


SHARE = "expected a number from 0 to 1 (a share)"
OF_VALUE = "expected a number from 0 to 10 (a share of the annual value)"
WINDOW = "expected a number from 1e-09 to 3650 days"


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"cost_limit_share": -1.0}, f"cost_limit_share: {OF_VALUE}, got -1.0"),
        ({"cost_limit_share": None}, "ok"),
        ({"cost_limit_floor": ca.Money(-1, "EUR")},
         "cost_limit_floor.amount: expected a non-negative amount, got Decimal('-1')"),
        ({"max_actions": 0}, "max_actions: expected a whole number from 1 to 100, got 0"),
        ({"late_probability": 2.0}, f"late_probability: {SHARE}, got 2.0"),
        ({"critical_share": -0.5}, f"critical_share: {SHARE}, got -0.5"),
        ({"repeat_count": 1}, "repeat_count: expected a whole number from 2 to 1000, got 1"),
        ({"repeat_window_days": 0.0}, f"repeat_window_days: {WINDOW}, got 0.0"),
        ({"repeat_window_days": 3650.5}, f"repeat_window_days: {WINDOW}, got 3650.5"),
        ({"repeat_window_days": 0.5}, "ok"),  # under a day is a window too
        ({"repeat_window_days": 3650.0}, "ok"),
    ],
)  # fmt: skip
def test_policy_settings_name_each_bad_field_exactly(
    change: dict[str, object], outcome: str
) -> None:
    assert evolved_outcome(SETTINGS, **change) == _as_raised(outcome)


def _action() -> ca.RecommendedAction:
    result = ca.assess_portfolio(example_portfolio(), context=example_context())
    return next(a for a in result.assessments if a.recommendation.actions).recommendation.actions[0]


ACTION = _action()
AT_MOST = f"expected a tuple of at most {_MAX_IDS:,} ids"


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"proactive": 1}, "proactive: expected True or False, got 1"),
        ({"needs_approval": "no"}, "needs_approval: expected True or False, got 'no'"),
        ({"order_ids": ["O1"]}, f"order_ids: {AT_MOST}, got ['O1']"),
        ({"incident_ids": tuple(f"I{i}" for i in range(_MAX_IDS))}, "ok"),
        # The same through the full check (another field is bad: no fast path).
        ({"incident_ids": tuple(f"I{i}" for i in range(_MAX_IDS)), "proactive": 0},
         "proactive: expected True or False, got 0"),
        ({"incident_ids": tuple(f"I{i}" for i in range(_MAX_IDS + 1))},
         f"incident_ids: {AT_MOST}, got ('I0', 'I1', 'I2', 'I3', 'I4', 'I5', ...)"),
        ({"incident_ids": ("I1", "")},
         "incident_ids[1]: expected a non-empty string, got ''"),
        ({"cost": ca.Money(1, "USD")},
         "cost.currency: expected 'EUR' (the same currency), got 'USD'"),
        ({"net_value": ca.Money(-1, "USD")},
         "net_value.currency: expected 'EUR' (the same currency), got 'USD'"),
        ({"net_value": ca.Money(-1, "EUR")}, "ok"),  # a net value may be negative
        ({"relief": ca.Money(-1, "EUR")},
         "relief.amount: expected a non-negative amount, got Decimal('-1')"),
        ({"label": ""}, "label: expected a non-empty string, got ''"),
        ({"label": "x"}, "ok"),
        ({"rank": _MAX_ACTIONS}, "ok"),
    ],
)  # fmt: skip
def test_a_recommended_action_names_each_bad_field_exactly(
    change: dict[str, object], outcome: str
) -> None:
    assert evolved_outcome(ACTION, **change) == _as_raised(outcome)


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (5, "actions=[act1, act2, act3, act4, act5]"),
        (6, "actions=[act1, act2, act3, act4, act5, +1]"),
        (7, "actions=[act1, act2, act3, act4, act5, +2]"),
    ],
)
def test_a_recommendations_repr_shows_five_actions_and_counts_the_rest(
    count: int, shown: str
) -> None:
    rec = recommendation("C1", [(100, 10)] * count)
    assert repr(rec) == (
        f"Recommendation('C1', 'test', {shown}, relief={eur(100 * count)}, cost={eur(10 * count)})"
    )


REC = recommendation("C1", [(100, 10), (50, 5)])
FIRST, SECOND = REC.actions
IN_USD = attrs.evolve(
    FIRST,
    relief=ca.Money("1.00", "USD"),
    cost=ca.Money("0.10", "USD"),
    net_value=ca.Money("0.90", "USD"),
)


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"policy": ""}, "policy: expected a non-empty string, got ''"),
        ({"actions": (FIRST, "x")}, "actions[1]: expected a RecommendedAction, got 'x'"),
        # An action in another currency: its problem alone, the totals are not summed.
        ({"actions": (IN_USD,)}, "actions[0].relief.currency: expected 'EUR', got 'USD'"),
        ({"total_relief": eur(149)},
         "total_relief: expected the sum of the actions' reliefs (1.5), got Money('1.49', 'EUR')"),
        ({"total_cost": eur(16)},
         "total_cost: expected the sum of the actions' costs (0.15), got Money('0.16', 'EUR')"),
        ({"cost_limit": eur(14)},
         "total_cost: expected at most the cost limit (0.14 EUR), got Money('0.15', 'EUR')"),
        ({"cost_limit": eur(15)}, "ok"),  # the limit itself is within it
        ({"reasons": ("why",) * MAX_REASONS}, "ok"),
        # A total in another currency: its problem alone, not also "not the sum".
        ({"total_relief": ca.Money("1.50", "USD")},
         "total_relief.currency: expected 'EUR' (the same currency), got 'USD'"),
    ],
)  # fmt: skip
def test_a_recommendation_names_each_bad_field_exactly(
    change: dict[str, object], outcome: str
) -> None:
    assert evolved_outcome(REC, **change) == _as_raised(outcome)


def test_a_recommendation_lists_every_misranked_action() -> None:
    assert evolved_outcome(REC, actions=(SECOND, FIRST)) == (
        "2 problems:\n"
        "  actions[0].rank: expected 1 (ranks count from 1 in order), got 2\n"
        "  actions[1].rank: expected 2 (ranks count from 1 in order), got 1"
    )


def _any(value: object) -> Any:
    """A value of the wrong type, passed on as a caller who ignores the annotations would."""
    return value


def _config_message(make: Any) -> str:
    with pytest.raises(ca.ConfigurationError) as info:
        make()
    return str(info.value)


def test_the_vendor_value_policy_and_the_playbook_name_their_bad_settings() -> None:
    assert _config_message(lambda: ca.VendorValuePolicy(settings=_any("x"))) == _as_raised(
        "settings: expected a PolicySettings, got 'x'"
    )
    assert _config_message(lambda: ca.VendorValuePolicy(retention=1.5)) == _as_raised(
        "retention: expected a number from 0 to 0.99 (a yearly probability), got 1.5"
    )
    rule = PlaybookRule(name="r", target=RuleTarget.INCIDENT, actions=("nope",))
    playbook = ca.PlaybookPolicy(rules=(rule,))
    assert _config_message(lambda: playbook.check(ca.default_catalog())) == _as_raised(
        "rules[0].actions[0]: expected the code of an action in the catalog, got 'nope'"
    )


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("early_notice", ("Action('early_notice', proactive, kinds=late_delivery|partial_delivery, "
                          "relief_share=0.15)")),
        ("named_contact", None),
    ],
)  # fmt: skip
def test_an_action_reads_as_proactive_or_recovery(code: str, text: str | None) -> None:
    action = ca.default_catalog().get(code)
    shown = repr(action)
    if text is None:
        assert shown.startswith(f"Action({code!r}, recovery, ")
    else:
        assert shown == text


# ------------------------------------------------------ built_action: fast or checked

_ACTION_FIELDS: dict[str, Any] = {
    "code": "expedite",
    "label": "Expedite",
    "proactive": True,
    "incident_ids": ("INC-1",),
    "order_ids": ("O-1",),
    "relief": eur(1000),
    "cost": eur(500),
    "net_value": eur(500),
    "needs_approval": False,
    "reasons": ("why",),
    "rank": 1,
}


def test_a_built_action_equals_the_checked_one() -> None:
    assert built_action(**_ACTION_FIELDS) == ca.RecommendedAction(**_ACTION_FIELDS)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("incident_ids", tuple(f"INC-{k}" for k in range(_MAX_IDS + 1))),
        ("order_ids", tuple(f"O-{k}" for k in range(_MAX_IDS + 1))),
        ("rank", 0),
        ("rank", _MAX_ACTIONS + 1),
        ("relief", eur(-1)),
        ("cost", eur(-1)),
        ("reasons", ("r",) * (MAX_REASONS + 1)),
        ("reasons", ("r" * 10_001,)),
    ],
)
def test_a_built_action_past_any_fast_bound_is_checked_in_full(field: str, value: Any) -> None:
    # The built-in policies' fast path skips the checks only when every bound holds.
    with pytest.raises(ca.ValidationError) as info:
        built_action(**{**_ACTION_FIELDS, field: value})
    assert field in str(info.value)


_RECOMMENDATION_FIELDS: dict[str, Any] = {
    "customer_id": "C01",
    "policy": "customer_first",
    "currency": "EUR",
    "actions": (ca.RecommendedAction(**_ACTION_FIELDS),),
    "total_relief": eur(1000),
    "total_cost": eur(500),
    "reasons": ("why",),
    "cost_limit": eur(500),
}


def test_a_built_recommendation_equals_the_checked_one() -> None:
    built = built_recommendation(**_RECOMMENDATION_FIELDS)
    assert built == ca.Recommendation(**_RECOMMENDATION_FIELDS)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("policy", ""),
        ("policy", "   "),
        ("policy", "p" * (MAX_ID_LENGTH + 1)),
        ("reasons", ("r",) * (MAX_REASONS + 1)),
        ("cost_limit", eur(499)),  # the total cost is over it
    ],
)
def test_a_built_recommendation_past_any_fast_bound_is_checked_in_full(
    field: str, value: Any
) -> None:
    with pytest.raises(ca.ValidationError) as info:
        built_recommendation(**{**_RECOMMENDATION_FIELDS, field: value})
    assert ("total_cost" if field == "cost_limit" else field) in str(info.value)


# ------------------------------------------------- catalog, action and credit messages

_EXPEDITE = default_catalog().get("expedite")
_TIER = CreditTier(at_least=0.0, share=0.1)


def _tiers(count: int) -> tuple[CreditTier, ...]:
    return tuple(CreditTier(at_least=float(i), share=0.1) for i in range(count))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: ActionCatalog(actions=(_EXPEDITE,) * 1001),
            "actions: expected a tuple of at most 1,000 Action, got (Action('expedite', ",
        ),
        (
            lambda: ActionCatalog(actions=(_EXPEDITE, "x")),  # type: ignore[arg-type]
            "actions[1]: expected an Action, got 'x'",
        ),
        (
            lambda: ActionCatalog(actions=(_EXPEDITE, _EXPEDITE)),
            "actions[1].code: expected a code no other action has, got 'expedite'",
        ),
        (
            lambda: attrs.evolve(_EXPEDITE, code="a" * 101),
            (
                "code: expected a code of lower-case letters, digits, '_', '.' or '-' (at most "
                "100), got 'aaaa"
            ),
        ),
        (
            lambda: attrs.evolve(_EXPEDITE, kinds=()),
            "kinds: expected a non-empty tuple of IncidentKind, got ()",
        ),
        (
            lambda: attrs.evolve(_EXPEDITE, kinds=(ca.IncidentKind.DEFECT,) * 2),
            (
                "kinds[1]: expected an IncidentKind not listed before, got "
                "<IncidentKind.DEFECT: 'defect'>"
            ),
        ),
        (
            lambda: attrs.evolve(_EXPEDITE, escalation=True),
            "escalation: expected False for a proactive action, got True",
        ),
        (
            lambda: attrs.evolve(_EXPEDITE, relieves=None),  # type: ignore[arg-type]
            "relieves: expected a tuple of LossCategory, got None",
        ),
        (
            lambda: attrs.evolve(_EXPEDITE, relieves=()),
            (
                "relieves: expected the loss categories it relieves (it has a relief share or a "
                "credit), got ()"
            ),
        ),
        (
            lambda: CreditTier(at_least=1e6 + 1, share=0.1),
            "at_least: expected a number from 0 to 1e+06, got 1000001.0",
        ),
        (
            lambda: CreditSchedule(basis=CreditBasis.SEVERITY, tiers=_tiers(51)),
            "tiers: expected a tuple of 1 to 50 CreditTier, got (CreditTier(at_least=0.0, ",
        ),
        (
            lambda: CreditSchedule(basis=CreditBasis.SEVERITY, tiers=("x",)),  # type: ignore[arg-type]
            "tiers[0]: expected a CreditTier, got 'x'",
        ),
        (
            lambda: CreditSchedule(basis=CreditBasis.SEVERITY, tiers=(_TIER,), cap=0),
            "cap: expected a number from 1e-09 to 1.5 (a share of the price), got 0",
        ),
    ],
)
def test_catalog_action_and_credit_problems_read_in_full(build: Any, message: str) -> None:
    with pytest.raises(PolicyConfigError) as info:
        build()
    assert str(info.value).startswith(f"1 problem:\n  {message}")


def test_catalog_action_and_credit_bounds_are_inclusive() -> None:
    assert attrs.evolve(_EXPEDITE, code="a" * 100).code == "a" * 100
    assert CreditTier(at_least=1e6, share=0.1).at_least == 1e6
    assert len(CreditSchedule(basis=CreditBasis.SEVERITY, tiers=_tiers(50)).tiers) == 50
    assert (
        len(
            ActionCatalog(
                actions=tuple(attrs.evolve(_EXPEDITE, code=f"a{i}") for i in range(1000))
            ).actions
        )
        == 1000
    )
