"""Helpers the built-in estimators share: reference checks, durations, line items."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from custadvocacy._checks import Checks
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._impact._inputs import Quantity
from custadvocacy._impact._model import Impact, LossCategory, LossItem, item_totals
from custadvocacy._trusted import builder

__all__ = [
    "ESTIMATOR_FIELD_HIGH",
    "check_references",
    "days_until",
    "impact",
    "incident_days",
    "item",
]

ESTIMATOR_FIELD_HIGH: Final = 1_000_000.0
"""Upper bound of an estimator's numeric parameters (hours, days, rates)."""

_DAY: Final = timedelta(days=1)

# The built-ins make their items and impacts from the formula kernels' floats (finite,
# 0 <= P10 <= expected <= P90 by the kernels' monotonicity) and their own texts: valid
# by construction, so they skip the checks (tests/test_trusted.py re-validates them).
_new_item: Final = builder(LossItem)
_new_impact: Final = builder(Impact)


def check_references(incident: Incident, customer: Customer, order: Order | None) -> None:
    """Raise :class:`ValidationError` unless incident, customer and order belong together."""
    if incident.customer_id == customer.id and (
        order is None or (order.id == incident.order_id and order.customer_id == customer.id)
    ):
        return
    c = Checks()
    if incident.customer_id != customer.id:
        c.fail("customer.id", customer.id, f"the incident's customer ({incident.customer_id!r})")
    if order is not None:
        if order.id != incident.order_id:
            c.fail("order.id", order.id, f"the order the incident names ({incident.order_id!r})")
        if order.customer_id != customer.id:
            c.fail("order.customer_id", order.customer_id, f"the customer ({customer.id!r})")
    c.done()


def days_until(start: datetime, end: datetime) -> float:
    """Days from ``start`` to ``end``, >= 0."""
    days = (end - start) / _DAY
    return max(0.0, days)


def incident_days(incident: Incident, as_of: datetime) -> float:
    """Days the incident has been open: to its resolution, or to ``as_of`` (>= 0)."""
    return incident.hours_open(as_of) / 24.0


def item(
    label: str,
    category: LossCategory,
    amounts: tuple[float, float, float],
    basis: str,
    *inputs: Quantity,
) -> LossItem:
    """Return a line item from (low, expected, high) and the inputs it used."""
    low, expected, high = amounts
    return _new_item(
        label=label,
        category=category,
        expected=expected,
        low=low,
        high=high,
        basis=basis,
        assumptions=tuple([q[3] for q in inputs]),
    )


def impact(
    incident: Incident, estimator: str, currency: str, items: tuple[LossItem, ...], *, ongoing: bool
) -> Impact:
    """Return the impact of ``incident`` made of ``items``: :meth:`Impact.from_items`, trusted.

    The totals are summed in the items' order, as :meth:`Impact.from_items` sums them.
    """
    expected, low, high = item_totals(items)
    return _new_impact(
        incident_id=incident.id,
        customer_id=incident.customer_id,
        kind=incident.kind,
        estimator=estimator,
        currency=currency,
        items=items,
        expected=expected,
        low=low,
        high=high,
        ongoing=ongoing,
    )
