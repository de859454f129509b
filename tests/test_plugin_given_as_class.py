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
from custadvocacy.lab import compare
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


ENTRIES: dict[str, Callable[..., object]] = {
    "assess": _assess,
    "assess_portfolio": _assess_portfolio,
    "assess_batch": _assess_batch,
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
    with pytest.raises(ca.ConfigurationError) as info:
        ENTRIES[entry](**{role: cls})
    assert _class_message(role, cls) in str(info.value)


def test_an_estimator_class_is_refused_when_it_is_registered() -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        ca.default_estimators().with_estimator(BillingErrorEstimator)  # type: ignore[arg-type]
    assert _class_message("estimator", BillingErrorEstimator) in str(info.value)
    with pytest.raises(ca.ConfigurationError) as info:
        ca.EstimatorSet(estimators={ca.IncidentKind.BILLING_ERROR: BillingErrorEstimator})  # type: ignore[dict-item]
    assert _class_message("estimator", BillingErrorEstimator) in str(info.value)


def test_run_policy_and_the_lab_name_a_policy_class() -> None:
    impacts = ca.estimate_impacts(CUSTOMER, ORDERS, INCIDENTS, CONTEXT)
    forecasts = ca.forecast_orders(CUSTOMER, ORDERS, CONTEXT)
    score = ca.AdvocacyScorer().score(CUSTOMER, ORDERS, INCIDENTS, impacts, forecasts, CONTEXT)
    catalog = ca.default_catalog()
    with pytest.raises(ca.ConfigurationError) as info:
        run_policy(
            PlaybookPolicy,  # type: ignore[arg-type]
            CUSTOMER,
            ORDERS,
            INCIDENTS,
            impacts,
            forecasts,
            score,
            catalog,
            CONTEXT,
        )
    assert _class_message("policy", PlaybookPolicy) in str(info.value)
    with pytest.raises(ca.ConfigurationError) as info:
        compare([PlaybookPolicy], PORTFOLIO, context=CONTEXT, replications=2)  # type: ignore[list-item]
    assert _class_message("policy", PlaybookPolicy) in str(info.value)


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
