"""custadvocacy.testing.conformance: every built-in keeps every rule; the API's own contract.

The broken plug-ins that must fail are in test_conformance_broken.py; the pytest plugin
and the three-line usage in a project of its own in test_conformance_plugin.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from custadvocacy import (
    AdvocacyScorer,
    ConfigurationError,
    Context,
    EstimatorCapabilities,
    IncidentKind,
    Money,
    ValidationError,
)
from custadvocacy.estimators import (
    BillingErrorEstimator,
    DefectEstimator,
    LateDeliveryEstimator,
    PartialDeliveryEstimator,
    ServiceOutageEstimator,
    SupportFailureEstimator,
)
from custadvocacy.policies import (
    CustomerFirstPolicy,
    PlaybookPolicy,
    PolicySettings,
    VendorValuePolicy,
    default_catalog,
)
from custadvocacy.testing import conformance
from custadvocacy.testing.conformance import Check

# The kit's default budget is for a plug-in author's suite; ours runs it over ten
# built-ins, so a smaller one keeps the suite quick (the properties of each built-in
# have their own, larger, tests).
BUDGET = 15

ESTIMATORS = (
    LateDeliveryEstimator(),
    PartialDeliveryEstimator(),
    DefectEstimator(),
    ServiceOutageEstimator(),
    BillingErrorEstimator(),
    SupportFailureEstimator(),
)
POLICIES = (
    CustomerFirstPolicy(),
    PlaybookPolicy(),
    VendorValuePolicy(),
    CustomerFirstPolicy(settings=PolicySettings(cost_limit_share=None, max_actions=2)),
)


def _ids(pairs: list[tuple[str, Check]], owner: str) -> list[str]:
    return [f"{owner}-{name}" for name, _ in pairs]


ESTIMATOR_CHECKS = [
    pair
    for estimator in ESTIMATORS
    for pair in conformance.estimator_checks(estimator, max_examples=BUDGET)
]
SCORER_CHECKS = list(conformance.scorer_checks(AdvocacyScorer(), max_examples=BUDGET))
POLICY_CHECKS = [
    pair for policy in POLICIES for pair in conformance.policy_checks(policy, max_examples=BUDGET)
]


@pytest.mark.parametrize(
    ("name", "check"),
    ESTIMATOR_CHECKS,
    ids=[f"{c.plugin.name}-{n}" for n, c in ESTIMATOR_CHECKS],  # type: ignore[attr-defined]
)
def test_every_built_in_estimator_keeps_every_rule(name: str, check: Check) -> None:
    assert check.name == name
    assert check.role == "estimator"
    check()


@pytest.mark.parametrize(("name", "check"), SCORER_CHECKS, ids=[n for n, _ in SCORER_CHECKS])
def test_the_default_scorer_keeps_every_rule(name: str, check: Check) -> None:
    assert (check.name, check.role) == (name, "scorer")
    check()


@pytest.mark.parametrize(
    ("name", "check"),
    POLICY_CHECKS,
    ids=[f"{i // 10}-{c.plugin.name}-{n}" for i, (n, c) in enumerate(POLICY_CHECKS)],  # type: ignore[attr-defined]
)
def test_every_built_in_policy_keeps_every_rule(name: str, check: Check) -> None:
    assert (check.name, check.role) == (name, "policy")
    check()


def test_a_policy_checked_with_its_own_catalog_and_cost_limit() -> None:
    catalog = default_catalog()
    limit = Money("0", "EUR")
    policy = CustomerFirstPolicy(
        settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=limit)
    )
    checks = dict(
        conformance.policy_checks(
            policy,
            max_examples=BUDGET,
            catalog=catalog,
            cost_limit=lambda _customer, _context: limit,
        )
    )
    checks["within_cost_limits"]()
    checks["applicable_actions"]()


def test_check_estimator_runs_every_rule_and_returns_none() -> None:
    conformance.check_estimator(DefectEstimator(), max_examples=3)  # raises if a rule breaks


def test_check_scorer_and_check_policy_return_none_for_built_ins() -> None:
    conformance.check_scorer(AdvocacyScorer(), max_examples=3)  # raises if a rule breaks
    conformance.check_policy(PlaybookPolicy(), max_examples=3)


# --------------------------------------------------------------- which checks


def test_the_estimator_checks_are_named_in_order() -> None:
    names = [name for name, _ in conformance.estimator_checks(LateDeliveryEstimator())]
    assert names == [
        "estimator_interface",
        "returns_impact",
        "non_negative_loss",
        "deterministic",
        "does_not_mutate_inputs",
        "picklable",
        "respects_currency",
    ]


def test_the_scorer_and_policy_checks_are_named_in_order() -> None:
    assert [name for name, _ in conformance.scorer_checks(AdvocacyScorer())] == [
        "scorer_interface",
        "returns_score",
        "score_bounded",
        "deterministic",
        "does_not_mutate_inputs",
        "picklable",
        "order_invariant",
        "respects_currency",
    ]
    assert [name for name, _ in conformance.policy_checks(CustomerFirstPolicy())] == [
        "policy_interface",
        "returns_recommendation",
        "within_cost_limits",
        "applicable_actions",
        "relief_bounded",
        "deterministic",
        "does_not_mutate_inputs",
        "picklable",
        "order_invariant",
        "respects_currency",
    ]


def test_every_check_states_its_rule_and_budget() -> None:
    for name, check in ESTIMATOR_CHECKS + SCORER_CHECKS + POLICY_CHECKS:
        assert check.name == name
        assert check.rule.endswith(".")
        assert check.max_examples == BUDGET
        assert repr(check).startswith(f"Check({name!r}, {check.role} ")


def test_the_default_budget_is_modest_and_applies() -> None:
    (_, check), *_ = conformance.estimator_checks(DefectEstimator())
    assert check.max_examples == conformance.DEFAULT_MAX_EXAMPLES == 30


# ------------------------------------------------------------ parametrize


def test_parametrize_checks_makes_one_test_per_rule() -> None:
    mark = conformance.parametrize_checks(DefectEstimator(), max_examples=7)
    assert mark.args[0] == "check"
    values = mark.args[1]
    assert [c.name for c in values] == mark.kwargs["ids"]
    assert all(c.max_examples == 7 and c.role == "estimator" for c in values)


def test_parametrize_checks_reads_the_role_from_the_members() -> None:
    scorer_ids = conformance.parametrize_checks(AdvocacyScorer()).kwargs["ids"]
    assert scorer_ids[0] == "scorer_interface"
    policy_ids = conformance.parametrize_checks(CustomerFirstPolicy()).kwargs["ids"]
    assert policy_ids[0] == "policy_interface"


class _Both:
    """A scorer and a policy in one object: both roles' checks, ids prefixed by role."""

    name = "both"

    def score(self, *args: object) -> None:
        raise NotImplementedError

    def recommend(self, *args: object) -> None:
        raise NotImplementedError


def test_parametrize_checks_of_a_plugin_with_two_roles_prefixes_the_ids() -> None:
    ids = conformance.parametrize_checks(_Both()).kwargs["ids"]
    assert "scorer-deterministic" in ids
    assert "policy-within_cost_limits" in ids
    assert len(ids) == len(set(ids)) == 18


def test_parametrize_checks_of_something_else_says_what_a_plugin_needs() -> None:
    with pytest.raises(ConfigurationError, match=r"an estimator \(with estimate\)"):
        conformance.parametrize_checks(object())


class _All(_Both):
    """An estimator too: all three roles, in the order estimator, scorer, policy."""

    capabilities = EstimatorCapabilities(kinds=frozenset({IncidentKind.DEFECT}), batch=False)

    def estimate(self, *args: object) -> None:
        raise NotImplementedError


def test_three_roles_prefix_each_id_with_its_role_in_order() -> None:
    ids = conformance.parametrize_checks(_All(), max_examples=2).kwargs["ids"]
    roles = [i.partition("-")[0] for i in ids]
    assert roles == sorted(roles, key=["estimator", "scorer", "policy"].index)
    assert {"estimator-returns_impact", "scorer-score_bounded", "policy-picklable"} <= set(ids)


def test_each_check_of_parametrize_checks_holds_the_plugin_it_was_given() -> None:
    for plugin in (DefectEstimator(), AdvocacyScorer(), CustomerFirstPolicy(), _All()):
        mark = conformance.parametrize_checks(plugin, max_examples=2)
        assert all(check.plugin is plugin for check in mark.args[1])


class _StopError(Exception):
    """Raised by a spy once it has seen the options it was given."""


@pytest.mark.parametrize(
    ("runner", "maker", "options"),
    [
        ("check_estimator", "estimator_checks", {"max_examples": 3}),
        ("check_scorer", "scorer_checks", {"max_examples": 3, "tolerance": 0.5}),
        ("check_policy", "policy_checks",
         {"max_examples": 3, "catalog": default_catalog(), "cost_limit": lambda *_: None}),
    ],
)  # fmt: skip
def test_each_check_function_passes_its_options_on(
    runner: str, maker: str, options: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[object, dict[str, object]]] = []

    def spy(plugin: object, **given: object) -> list[object]:
        seen.append((plugin, given))
        raise _StopError

    monkeypatch.setattr(conformance, maker, spy)
    plugin = object()
    with pytest.raises(_StopError):
        getattr(conformance, runner)(plugin, **options)
    [(given_plugin, given)] = seen
    assert given_plugin is plugin
    assert given.keys() == options.keys()
    assert all(given[name] is value for name, value in options.items())


def test_a_catalog_given_to_check_policy_must_be_an_action_catalog() -> None:
    with pytest.raises(ValidationError) as info:
        conformance.check_policy(CustomerFirstPolicy(), catalog="default")  # type: ignore[arg-type]
    assert str(info.value) == "1 problem:\n  catalog: expected an ActionCatalog, got 'default'"


# ------------------------------------------------------------ options


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "30", 100_001])
def test_a_bad_budget_is_a_validation_error_naming_it(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        list(conformance.estimator_checks(DefectEstimator(), max_examples=bad))  # type: ignore[arg-type]
    assert info.value.paths == ("max_examples",)


def test_bad_options_are_reported_together() -> None:
    with pytest.raises(ValidationError) as info:
        conformance.parametrize_checks(
            CustomerFirstPolicy(),
            max_examples=0,
            tolerance=-1,
            catalog="default",  # type: ignore[arg-type]
            cost_limit=5,  # type: ignore[arg-type]
        )
    assert info.value.paths == ("max_examples", "tolerance", "catalog", "cost_limit")


def test_scorer_tolerance_is_validated() -> None:
    with pytest.raises(ValidationError, match="tolerance"):
        list(conformance.scorer_checks(AdvocacyScorer(), tolerance=float("nan")))


def test_the_kit_without_hypothesis_says_how_to_get_it() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "for name in ('conformance', 'pytest_plugin'):\n"
        "    try:\n"
        "        __import__('custadvocacy.testing.' + name)\n"
        "    except ImportError as exc:\n"
        "        print(name, exc)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own fixed code in our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["conformance", "pytest_plugin"]
    assert all('pip install "custadvocacy[testing]"' in line for line in lines)


# ------------------------------------------------------------ parametrize passes everything on


def _pairs(checks: object) -> list[tuple[str, str, str, int]]:
    return [(c.name, c.rule, c.role, c.max_examples) for _, c in checks]  # type: ignore[attr-defined]


def test_parametrize_checks_holds_exactly_the_checks_of_each_role_with_its_options() -> None:
    estimator = DefectEstimator()
    mark = conformance.parametrize_checks(estimator, max_examples=3)
    assert _pairs(zip(mark.kwargs["ids"], mark.args[1], strict=True)) == _pairs(
        conformance.estimator_checks(estimator, max_examples=3)
    )
    scorer = AdvocacyScorer()
    mark = conformance.parametrize_checks(scorer, max_examples=4, tolerance=0.25)
    expected = _pairs(conformance.scorer_checks(scorer, max_examples=4, tolerance=0.25))
    assert _pairs(zip(mark.kwargs["ids"], mark.args[1], strict=True)) == expected
    assert any("within 0.25 points" in rule for _, rule, _, _ in expected)
    policy = CustomerFirstPolicy()
    mark = conformance.parametrize_checks(policy, max_examples=2)
    assert _pairs(zip(mark.kwargs["ids"], mark.args[1], strict=True)) == _pairs(
        conformance.policy_checks(policy, max_examples=2)
    )


def test_two_roles_run_the_scorers_checks_then_the_policys_each_id_prefixed() -> None:
    both = _Both()
    mark = conformance.parametrize_checks(both, max_examples=2)
    scorer = [f"scorer-{name}" for name, _ in conformance.scorer_checks(both, max_examples=2)]
    policy = [f"policy-{name}" for name, _ in conformance.policy_checks(both, max_examples=2)]
    assert mark.kwargs["ids"] == scorer + policy
    assert [c.role for c in mark.args[1]] == ["scorer"] * len(scorer) + ["policy"] * len(policy)


def test_a_cost_limit_given_to_parametrize_checks_is_the_one_checked() -> None:
    def nothing_allowed(_customer: object, context: Context) -> Money:
        return Money(0, context.currency)

    mark = conformance.parametrize_checks(
        CustomerFirstPolicy(), max_examples=25, cost_limit=nothing_allowed
    )
    [within] = [c for c in mark.args[1] if c.name == "within_cost_limits"]
    with pytest.raises(AssertionError, match="within_cost_limits"):
        within()


def test_parametrize_checks_of_something_else_names_it_in_full() -> None:
    with pytest.raises(ConfigurationError) as info:
        conformance.parametrize_checks(42)
    assert str(info.value) == (
        "parametrize_checks() needs an estimator (with estimate), a scorer (with score) or a "
        "policy (with recommend); 42 has none of these methods"
    )
