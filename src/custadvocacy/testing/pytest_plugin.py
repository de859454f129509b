"""An opt-in pytest plugin: fixtures with the example portfolio, its context and its assessment.

Never loaded by itself (it is not registered under ``pytest11``): a test suite opts
in with ``pytest -p custadvocacy.testing.pytest_plugin``, with
``addopts = ["-p", "custadvocacy.testing.pytest_plugin"]`` in its configuration, or
with ``pytest_plugins = ["custadvocacy.testing.pytest_plugin"]`` in its top-level
``conftest.py``. Each fixture builds a fresh value per test, so no test can change
another's.

Fixtures:

- ``example_portfolio``: the example :class:`~custadvocacy.Portfolio` (a dozen
  customers in CZK, EUR and GBP; ``docs/examples.md`` tells their stories).
- ``example_context``: its :class:`~custadvocacy.Context` (2026-11-20 09:00 UTC,
  reporting in EUR, EUR/CZK 25, EUR/GBP 0.86).
- ``advocacy_context``: a factory of contexts: the example's with any field changed,
  ``advocacy_context(currency="GBP")``.
- ``example_assessment``: the example portfolio assessed in the example context with
  the built-ins (a :class:`~custadvocacy.PortfolioAssessment`).

The fixtures are not in ``__all__``: pytest finds them in the loaded plugin, and a test
receives them by naming them as arguments, never by importing them.

Example:
    >>> from custadvocacy.testing import pytest_plugin
    >>> sorted(n for n in vars(pytest_plugin) if n.startswith(("example_", "advocacy_")))
    ['advocacy_context', 'example_assessment', 'example_context', 'example_portfolio']

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs
import pytest

from custadvocacy._assess import PortfolioAssessment, assess_portfolio
from custadvocacy._context import Context
from custadvocacy._convert import from_dict
from custadvocacy._errors import ValidationError
from custadvocacy._examples import example_context as _example_context
from custadvocacy._examples import example_portfolio as _example_portfolio
from custadvocacy._money import ExchangeRates
from custadvocacy._portfolio import Portfolio

__all__: list[str] = []

ContextFactory = Callable[..., Context]


@pytest.fixture
def example_portfolio() -> Portfolio:
    """The example portfolio: a B2B distributor's dozen customers with their orders and incidents.

    Example (in a test of a suite that loads the plugin)::

        def test_kovar_is_in_it(example_portfolio):
            assert example_portfolio.customer("C01").name == "Kovar Precision Machining"
    """
    return _example_portfolio()


@pytest.fixture
def example_context() -> Context:
    """The example's context: 2026-11-20 09:00 UTC, reporting in EUR, EUR/CZK 25, EUR/GBP 0.86.

    Example (in a test of a suite that loads the plugin)::

        def test_reports_in_euros(example_context):
            assert example_context.currency == "EUR"
    """
    return _example_context()


@pytest.fixture
def advocacy_context() -> ContextFactory:
    """A factory of contexts: the example's, with the fields given changed.

    Call it with any of ``as_of`` (an aware datetime), ``currency`` (ISO 4217) and
    ``rates`` (:class:`~custadvocacy.ExchangeRates`, or a mapping ``(base, quote) ->
    rate`` or ``"BASE/QUOTE" -> rate``, in place of the example's); the rest is the
    example's. A ``currency`` the example converts (CZK, GBP)
    without ``rates`` brings the example's rates re-expressed from it, through EUR, so
    that the example portfolio can be assessed in it (a context converts only through
    a direct pair). A bad value raises :class:`~custadvocacy.ValidationError` naming
    the field.

    Example (in a test of a suite that loads the plugin)::

        def test_a_week_later(advocacy_context):
            later = advocacy_context(as_of=datetime(2026, 11, 27, 9, tzinfo=timezone.utc))
            assert later.currency == "EUR"
    """

    def make(
        *,
        as_of: datetime | None = None,
        currency: str | None = None,
        rates: object = None,
    ) -> Context:
        base = _example_context()
        changes: dict[str, Any] = {}
        if as_of is not None:
            changes["as_of"] = as_of
        if currency is not None:
            changes["currency"] = currency
            if rates is None:
                rates = _from_currency(base, currency)
        if rates is not None:
            changes["rates"] = rates if isinstance(rates, ExchangeRates) else _rates(rates)
        return attrs.evolve(base, **changes)

    return make


def _rates(given: object) -> ExchangeRates:
    """Rates from a mapping keyed ``(base, quote)`` or ``"BASE/QUOTE"`` (the payload form)."""
    if isinstance(given, Mapping) and all(isinstance(k, str) for k in given):
        try:
            return from_dict(ExchangeRates, dict(given))
        except ValidationError as exc:
            raise exc.under("rates") from None
    return ExchangeRates(given)  # type: ignore[arg-type] # checked by ExchangeRates


def _from_currency(example: Context, currency: str) -> ExchangeRates | None:
    """The example's rates and their cross rates from ``currency`` (None: none to derive)."""
    rates = example.rates.rates
    home = example.currency
    if currency == home or (home, currency) not in rates:
        return None
    through = rates[(home, currency)]
    cross = {(currency, home): 1 / through}
    cross.update(
        {
            (currency, quote): rate / through
            for (base, quote), rate in rates.items()
            if base == home and quote != currency
        }
    )
    return ExchangeRates({**rates, **cross})


@pytest.fixture
def example_assessment(
    example_portfolio: Portfolio, example_context: Context
) -> PortfolioAssessment:
    """The example portfolio assessed in the example context with the built-in plug-ins.

    Example (in a test of a suite that loads the plugin)::

        def test_the_most_urgent_needs_an_advocate(example_assessment):
            assert example_assessment.assessments[0].score.value > 0
    """
    return assess_portfolio(example_portfolio, context=example_context)
