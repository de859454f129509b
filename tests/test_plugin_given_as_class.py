"""A plug-in passed as its class (``scorer=AdvocacyScorer``): one clear message everywhere.

A class has the methods of its instances (as plain functions), so a check for
``score(...)`` or ``recommend(...)`` let it through and the first call failed with a
bare ``TypeError`` about a missing argument, far from the slip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import custadvocacy as ca
from custadvocacy.batch import assess_batch, columns_from_objects
from custadvocacy.estimators import BillingErrorEstimator
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.lab import LabPolicy, ServiceRecoveryResponse, compare
from custadvocacy.policies import PlaybookPolicy, run_policy
from custadvocacy.testing import conformance

CONTEXT = example_context()
PORTFOLIO = example_portfolio()
CUSTOMER, ORDERS, INCIDENTS = PORTFOLIO.for_customer("C01")


def _class_message(role: str, cls: type) -> str:
    name = cls.__name__
    return f"{role} is the class {name}, not an instance of it: pass {name}()"


def _assess(**plugins: Any) -> object:
    return ca.assess(CUSTOMER, ORDERS, INCIDENTS, context=CONTEXT, **plugins)


def _assess_portfolio(**plugins: Any) -> object:
    return ca.assess_portfolio(PORTFOLIO, context=CONTEXT, **plugins)


def _assess_batch(**plugins: Any) -> object:
    return assess_batch(columns_from_objects(PORTFOLIO), context=CONTEXT, **plugins)


ENTRIES: dict[str, tuple[Callable[..., object], str]] = {
    "assess": (_assess, "cannot assess"),
    "assess_portfolio": (_assess_portfolio, "cannot assess"),
    "assess_batch": (_assess_batch, "cannot assess the batch"),
}
PLUGINS = {
    "scorer": ca.AdvocacyScorer,
    "policy": PlaybookPolicy,
    "lead_time_model": ca.EmpiricalLeadTimeModel,
}


@pytest.mark.parametrize("entry", list(ENTRIES))
@pytest.mark.parametrize("role", list(PLUGINS))
def test_a_class_given_for_a_plugin_is_named_as_a_class(entry: str, role: str) -> None:
    cls = PLUGINS[role]
    call, heading = ENTRIES[entry]
    with pytest.raises(ca.ConfigurationError) as info:
        call(**{role: cls})
    assert str(info.value) == f"{heading}:\n  {_class_message(role, cls)}"


@pytest.mark.parametrize("entry", list(ENTRIES))
def test_the_catalog_class_is_told_where_a_catalog_comes_from(entry: str) -> None:
    call, heading = ENTRIES[entry]
    with pytest.raises(ca.ConfigurationError) as info:
        call(catalog=ca.ActionCatalog)
    assert str(info.value) == (
        f"{heading}:\n  catalog must be an ActionCatalog, not the class ActionCatalog: pass "
        "default_catalog() or a catalog built from it"
    )


class _StaticScorer:
    @staticmethod
    def score(*args: Any) -> ca.AdvocacyScore:
        return ca.AdvocacyScorer().score(*args)


class _ClassScorer:
    @classmethod
    def score(cls, *args: Any) -> ca.AdvocacyScore:
        return ca.AdvocacyScorer().score(*args)


class _ScoringMeta(type):
    def score(cls, *args: Any) -> ca.AdvocacyScore:
        return ca.AdvocacyScorer().score(*args)


class _MetaScorer(metaclass=_ScoringMeta):
    pass


@pytest.mark.parametrize("cls", [_StaticScorer, _ClassScorer, _MetaScorer])
def test_a_class_whose_method_needs_no_instance_is_still_a_plugin(cls: type) -> None:
    # A plug-in is anything with the method: a class whose score() is a static or class
    # method, or comes from its metaclass, scores as it is and must not be refused.
    expected = _assess()
    assert _assess(scorer=cls) == expected


def test_a_protocol_is_not_told_to_be_instantiated() -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        _assess(scorer=ca.Scorer, policy=ca.RecommendationPolicy)
    assert str(info.value) == (
        "cannot assess:\n"
        "  scorer is the protocol Scorer, not a plug-in: pass an instance of a class that "
        "implements it\n"
        "  policy is the protocol RecommendationPolicy, not a plug-in: pass an instance of a "
        "class that implements it"
    )


def test_an_estimator_class_is_refused_when_it_is_registered() -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        ca.default_estimators().with_estimator(BillingErrorEstimator)  # type: ignore[arg-type]
    assert str(info.value) == _class_message("estimator", BillingErrorEstimator)
    with pytest.raises(ca.ConfigurationError) as info:
        ca.EstimatorSet(estimators={ca.IncidentKind.BILLING_ERROR: BillingErrorEstimator})  # type: ignore[dict-item]
    assert str(info.value) == (
        "cannot build the EstimatorSet:\n  the estimator registered for 'billing_error' is "
        "the class BillingErrorEstimator, not an instance of it: pass BillingErrorEstimator()"
    )


@pytest.mark.parametrize("given", [BillingErrorEstimator, BillingErrorEstimator(), 3])
def test_an_estimator_set_built_from_one_estimator_is_told_how(given: object) -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        ca.EstimatorSet(estimators=given)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(
        "cannot build the EstimatorSet:\n  estimators must be a mapping {kind: estimator} or "
        "(kind, estimator) pairs, not "
    )
    alone = "; for one estimator, EstimatorSet.of(estimator)"
    assert message.endswith(alone) is (given != 3)


@pytest.mark.parametrize(
    ("given", "advice"),
    [
        (
            BillingErrorEstimator,
            (
                "the class BillingErrorEstimator: add it to a set, "
                "default_estimators().with_estimator(BillingErrorEstimator())"
            ),
        ),
        (
            ca.EstimatorSet,
            "the class EstimatorSet: pass default_estimators() or a set built from it",
        ),
        ({"late": 1}, "{'late': 1}"),
    ],
)
def test_estimators_of_another_kind_are_told_what_to_pass(given: object, advice: str) -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        _assess(estimators=given)
    assert str(info.value) == f"cannot assess:\n  estimators must be an EstimatorSet, not {advice}"


def test_one_estimator_given_as_the_estimators_is_told_to_join_a_set() -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        _assess(estimators=BillingErrorEstimator())
    assert str(info.value).endswith(
        ": add it to a set, default_estimators().with_estimator(estimator)"
    )


def _policy_inputs() -> tuple[Any, ...]:
    impacts = ca.estimate_impacts(CUSTOMER, ORDERS, INCIDENTS, CONTEXT)
    forecasts = ca.forecast_orders(CUSTOMER, ORDERS, CONTEXT)
    score = ca.AdvocacyScorer().score(CUSTOMER, ORDERS, INCIDENTS, impacts, forecasts, CONTEXT)
    return CUSTOMER, ORDERS, INCIDENTS, impacts, forecasts, score, ca.default_catalog(), CONTEXT


def test_run_policy_names_a_policy_class() -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        run_policy(PlaybookPolicy, *_policy_inputs())  # type: ignore[arg-type]
    assert str(info.value) == _class_message("policy", PlaybookPolicy)


def test_the_lab_names_a_policy_or_response_class() -> None:
    # The lab checks its arguments as values (ValidationError, each with its path).
    with pytest.raises(ca.ValidationError) as info:
        compare([PlaybookPolicy], PORTFOLIO, context=CONTEXT, replications=2)  # type: ignore[list-item]
    assert f"policies[0]: expected a policy; {_class_message('policy', PlaybookPolicy)}" in str(
        info.value
    )
    with pytest.raises(ca.ValidationError) as info:
        LabPolicy(name="playbook", policy=PlaybookPolicy)  # type: ignore[arg-type]
    assert (
        f"policy: expected None or a recommendation policy; "
        f"{_class_message('policy', PlaybookPolicy)}" in str(info.value)
    )
    with pytest.raises(ca.ValidationError) as info:
        compare(
            [None],
            PORTFOLIO,
            context=CONTEXT,
            replications=2,
            response=ServiceRecoveryResponse,  # type: ignore[arg-type]
        )
    assert (
        "response: expected None or a response model; "
        f"{_class_message('response', ServiceRecoveryResponse)}" in str(info.value)
    )


@pytest.mark.parametrize(
    ("check", "cls", "rule"),
    [
        (conformance.check_estimator, BillingErrorEstimator, "estimator_interface"),
        (conformance.check_scorer, ca.AdvocacyScorer, "scorer_interface"),
        (conformance.check_policy, PlaybookPolicy, "policy_interface"),
    ],
)
def test_the_conformance_kit_reports_a_class_once_under_the_interface_rule(
    check: Callable[..., None], cls: type, rule: str
) -> None:
    with pytest.raises(AssertionError) as info:
        check(cls, max_examples=1)
    message = str(info.value)
    assert message.startswith(
        f"custadvocacy conformance: {rule.removesuffix('_interface')} <class {cls.__name__}> "
        f"breaks rule '{rule}'."
    )
    assert f"Found: it cannot be run: it is the class {cls.__name__}, not an instance" in message
    assert "conformance rules broken" not in message  # the interface rule alone


def test_forecast_orders_and_estimate_impacts_check_their_plugins() -> None:
    # They took any object and failed inside it: a bare AttributeError or TypeError.
    with pytest.raises(ca.ConfigurationError) as info:
        ca.forecast_orders(
            CUSTOMER,
            ORDERS,
            CONTEXT,
            model=ca.EmpiricalLeadTimeModel,  # type: ignore[arg-type]
            estimators="default",  # type: ignore[arg-type]
        )
    assert str(info.value) == (
        "cannot forecast the orders:\n"
        "  estimators must be an EstimatorSet, not 'default'\n"
        f"  {_class_message('model', ca.EmpiricalLeadTimeModel)}"
    )
    with pytest.raises(ca.ConfigurationError) as info:
        ca.forecast_orders(CUSTOMER, ORDERS, CONTEXT, model=object())  # type: ignore[arg-type]
    assert "  model <object object at " in str(info.value)
    assert str(info.value).endswith("> has no outlook(...) method")
    with pytest.raises(ca.ConfigurationError) as info:
        ca.estimate_impacts(CUSTOMER, ORDERS, INCIDENTS, CONTEXT, ca.EstimatorSet)  # type: ignore[arg-type]
    assert str(info.value) == (
        "cannot estimate the impacts:\n"
        "  estimators must be an EstimatorSet, not the class EstimatorSet: pass "
        "default_estimators() or a set built from it"
    )
