"""A configuration amount with no rate into the reporting currency names where it is.

A scorer's ``value_scale`` or a catalog action's ``fixed_cost`` in a currency the context
has no rate for raised ``MissingRateError: no exchange rate USD->EUR``, with nothing
saying that the dollars came from the configuration: the records, which every path of
a ValidationError names, were all in euros.
"""

from __future__ import annotations

import pickle
from typing import Any, NamedTuple

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
    assert error.where == ("scorer.config.value_scale",)
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


class _DollarScorer:
    """A host scorer that converts into dollars for a report of its own."""

    def score(self, customer: ca.Customer, *args: Any) -> ca.AdvocacyScore:
        context: ca.Context = args[-1]
        context.rates.convert(customer.annual_value, "USD")  # no EUR->USD: raises
        return ca.AdvocacyScorer().score(customer, *args)


class _HostScorer(NamedTuple):
    """A host scorer holding an amount of its own (a class not of the library)."""

    floor: ca.Money

    def score(self, customer: ca.Customer, *args: Any) -> ca.AdvocacyScore:
        context: ca.Context = args[-1]
        context.convert(self.floor)  # USD into EUR: raises
        return ca.AdvocacyScorer().score(customer, *args)


@pytest.mark.parametrize(
    "scorer", [_DollarScorer(), _HostScorer(ca.Money("5", "USD"))], ids=["into USD", "host amount"]
)
def test_a_host_plugins_conversion_names_nothing(scorer: ca.Scorer) -> None:
    # Into another currency than the reporting one, or an amount of a host's own class:
    # the library's settings (in EUR, all converting) must not be blamed.
    with pytest.raises(ca.MissingRateError) as info:
        ca.assess(CUSTOMER, ORDERS, INCIDENTS, context=CONTEXT, scorer=scorer)
    assert info.value.where == ()
    assert "is the currency of" not in str(info.value)


def test_the_built_in_defaults_in_another_currency_are_named_once_each() -> None:
    # Every default is in EUR; a context in dollars without a EUR rate names them, each
    # shared value once (the estimators share one set of defaults).
    usd = attrs.evolve(
        CONTEXT,
        currency="USD",
        rates=ca.ExchangeRates({("USD", "CZK"): "23", ("USD", "GBP"): "0.8"}),
    )
    czk = next(c for c in PORTFOLIO.customers if c.currency == "CZK")
    with pytest.raises(ca.MissingRateError) as info:
        ca.assess(*PORTFOLIO.for_customer(czk.id), context=usd)
    where = info.value.where
    assert (info.value.base, info.value.quote) == ("EUR", "USD")
    assert len(where) == len(set(where))
    assert "estimators['late_delivery'].defaults.small.daily_revenue" in where
    assert not any(p.startswith("estimators['defect'].defaults.") for p in where)
