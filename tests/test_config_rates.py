"""A configuration amount with no rate into the reporting currency names where it is.

A scorer's ``value_scale`` or a catalog action's ``fixed_cost`` in a currency the context
has no rate for raised ``MissingRateError: no exchange rate USD->EUR``, with nothing
saying that the dollars came from the configuration: the records, which every path of
a ValidationError names, were all in euros.
"""

from __future__ import annotations

import pickle

import attrs
import pytest

import custadvocacy as ca
from custadvocacy.batch import assess_batch, columns_from_objects
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import CustomerFirstPolicy, PolicySettings

CONTEXT = example_context()  # EUR, with rates to CZK and GBP only
PORTFOLIO = example_portfolio()
CUSTOMER, ORDERS, INCIDENTS = PORTFOLIO.for_customer("C01")
USD_SCALE = ca.AdvocacyScorer(
    config=attrs.evolve(ca.ScorerConfig(), value_scale=ca.Money("250000", "USD"))
)


def _usd_catalog() -> tuple[ca.ActionCatalog, int]:
    catalog = ca.default_catalog()
    index, action = next((i, a) for i, a in enumerate(catalog.actions) if a.fixed_cost)
    cheap = attrs.evolve(action, fixed_cost=ca.Money("100", "USD"))
    return catalog.with_action(cheap), index


def test_assess_names_the_scorer_setting_in_the_missing_currency() -> None:
    with pytest.raises(ca.MissingRateError) as info:
        ca.assess(CUSTOMER, ORDERS, INCIDENTS, context=CONTEXT, scorer=USD_SCALE)
    error = info.value
    assert (error.base, error.quote) == ("USD", "EUR")
    assert str(error).startswith("no exchange rate USD->EUR (nor EUR->USD) in the context's")
    assert str(error).endswith("; USD is the currency of scorer.config.value_scale")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)  # noqa: S301 - our own bytes


def test_assess_portfolio_and_the_batch_path_name_a_catalog_amount() -> None:
    catalog, index = _usd_catalog()
    where = f"; USD is the currency of catalog.actions[{index}].fixed_cost"
    with pytest.raises(ca.MissingRateError) as info:
        ca.assess_portfolio(PORTFOLIO, context=CONTEXT, catalog=catalog)
    assert str(info.value).endswith(where)
    with pytest.raises(ca.MissingRateError) as info:
        assess_batch(columns_from_objects(PORTFOLIO), context=CONTEXT, catalog=catalog)
    assert str(info.value).endswith(where)


def test_every_configuration_in_the_currency_is_named() -> None:
    catalog, index = _usd_catalog()
    with pytest.raises(ca.MissingRateError) as info:
        ca.assess(CUSTOMER, ORDERS, INCIDENTS, context=CONTEXT, scorer=USD_SCALE, catalog=catalog)
    assert str(info.value).endswith(
        f"; USD is the currency of scorer.config.value_scale, catalog.actions[{index}].fixed_cost"
    )


def test_the_batch_path_checks_the_configuration_before_any_row() -> None:
    with pytest.raises(ca.MissingRateError) as info:
        assess_batch(columns_from_objects(PORTFOLIO), context=CONTEXT, scorer=USD_SCALE)
    assert str(info.value).endswith("; USD is the currency of scorer.config.value_scale")


def test_a_policy_setting_in_the_currency_is_named() -> None:
    settings = PolicySettings(cost_limit_floor=ca.Money("1", "USD"))
    policy = CustomerFirstPolicy(settings=settings)
    with pytest.raises(ca.MissingRateError) as info:
        ca.assess(CUSTOMER, ORDERS, INCIDENTS, context=CONTEXT, policy=policy)
    assert str(info.value).endswith("; USD is the currency of policy.settings.cost_limit_floor")


def test_a_rate_missing_for_a_record_keeps_its_own_message() -> None:
    # A record's currency is a ValidationError with its path, found before anything runs.
    no_gbp = attrs.evolve(CONTEXT, rates=ca.ExchangeRates({("EUR", "CZK"): "25"}))
    gbp_customer = next(c for c in PORTFOLIO.customers if c.currency == "GBP")
    customer, orders, incidents = PORTFOLIO.for_customer(gbp_customer.id)
    with pytest.raises(ca.ValidationError):
        ca.assess(customer, orders, incidents, context=no_gbp)
