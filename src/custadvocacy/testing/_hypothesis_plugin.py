"""Registers custadvocacy's strategies with Hypothesis, through its entry point.

``pyproject.toml`` names :func:`_hypothesis_setup_hook` under
``[project.entry-points.hypothesis]``; Hypothesis calls it when it is imported, so a
downstream ``st.from_type(Customer)`` (or ``st.builds`` of a class with a ``Customer``
field) draws valid customers without importing :mod:`custadvocacy.testing`.
"""

from __future__ import annotations

from hypothesis import strategies as st

from custadvocacy._context import Context
from custadvocacy._domain import Customer, HealthSignals, Incident, OperatingProfile, Order
from custadvocacy._money import ExchangeRates, Money
from custadvocacy._portfolio import Portfolio
from custadvocacy.testing import strategies as ours

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    """Register a strategy for every domain class with ``st.register_type_strategy``.

    Safe to call more than once (a later registration replaces an earlier one).

    Example:
        >>> from hypothesis import find, strategies as st
        >>> from custadvocacy import Customer
        >>> _hypothesis_setup_hook()
        >>> find(st.from_type(Customer), lambda c: True).annual_value.amount
        Decimal('0.00')
    """
    registrations: tuple[tuple[type, st.SearchStrategy[object]], ...] = (
        (Money, ours.money()),
        (ExchangeRates, ours.exchange_rates()),
        (Context, ours.contexts()),
        (OperatingProfile, ours.operating_profiles()),
        (HealthSignals, ours.health_signals()),
        (Customer, ours.customers()),
        (Order, ours.orders()),
        (Incident, ours.incidents()),
        (Portfolio, ours.portfolios()),
    )
    for cls, strategy in registrations:
        st.register_type_strategy(cls, strategy)
