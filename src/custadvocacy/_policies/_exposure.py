"""What the policies act on: exposures (losses to relieve), candidates and picks.

An :class:`Exposure` is one loss a policy can act on: an incident's estimated loss,
split by loss category, or the avoidable part of an open order's forecast risk. A
:class:`Candidate` is a catalog action applied to exposures, with its credits and its
cost; a :class:`Pick` a chosen candidate with its settled relief and reasons. The
shortfall helpers measure how far the vendor fell short of its commitment (what a
credit's tiers are read against) and say so in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from custadvocacy._context import Context
from custadvocacy._domain import Incident, IncidentKind, Order, days_between
from custadvocacy._forecast import Forecast
from custadvocacy._impact._model import LossCategory
from custadvocacy._policies._actions import Action, CreditBasis
from custadvocacy._policies._common import cents_down, cents_up
from custadvocacy._policies._sizing import delay_ratio, downtime_share

__all__ = [
    "LATE_CATEGORIES",
    "Candidate",
    "Exposure",
    "Pick",
    "delay_shortfall",
    "downtime_shortfall",
    "shortfall_text",
]

LATE_CATEGORIES: Final = frozenset(
    {LossCategory.LOST_MARGIN, LossCategory.IDLE_STAFF, LossCategory.EXPEDITING}
)
"""What a late delivery costs the customer (the late-delivery estimator's items): a
forecast's risk is relieved by actions that relieve any of these."""


class Exposure:
    """One loss a policy can act on: an incident's estimated loss or a forecast's risk.

    The loss is held in pools: ``categories[k]`` are the loss categories of pool ``k``
    and ``left[k]`` what is not yet relieved of it. An incident has one pool per loss
    category; a forecast one pool holding the late-delivery categories.
    """

    __slots__ = (
        "_slots",
        "affected_value",
        "categories",
        "covered",
        "critical_late",
        "forecast",
        "groups",
        "incident",
        "is_open",
        "key",
        "kind",
        "left",
        "loss",
        "loss_units",
        "name",
        "order",
        "price",
        "relieved_units",
        "shortfall",
    )

    def __init__(
        self,
        *,
        key: str,
        name: str,
        kind: IncidentKind,
        incident: Incident | None,
        order: Order | None,
        forecast: Forecast | None,
        pools: Sequence[tuple[frozenset[LossCategory], float]],
        is_open: bool,
        price: float,
        affected_value: float,
        shortfall: dict[CreditBasis, float],
        scale: int,
    ) -> None:
        self.key = key
        self.name = name
        self.kind = kind
        self.incident = incident
        self.order = order
        self.forecast = forecast
        self.categories = tuple(categories for categories, _ in pools)
        self.left = [amount for _, amount in pools]
        self.is_open = is_open
        self.price = price
        self.affected_value = affected_value
        self.shortfall = shortfall
        self.loss = math.fsum(self.left)
        self.loss_units = cents_down(self.loss, scale)
        self.relieved_units = 0
        self.groups: set[str] = set()
        self.covered = False
        self.critical_late = False  # pragma: no mutate (read only as a truth value)
        self._slots: dict[tuple[LossCategory, ...], tuple[int, ...]] = {}

    def slots(self, relieves: tuple[LossCategory, ...]) -> tuple[int, ...]:
        """The pools holding loss of the categories ``relieves``."""
        found = self._slots.get(relieves)
        if found is None:
            found = self._slots[relieves] = tuple(
                [
                    k
                    for k, categories in enumerate(self.categories)
                    if not categories.isdisjoint(relieves)
                ]
            )
        return found

    def remaining(self, slots: tuple[int, ...]) -> float:
        """The loss not yet relieved in the pools ``slots``."""
        left = self.left
        total = 0.0
        for k in slots:
            total += left[k]
        return total

    def reduce(self, slots: tuple[int, ...], relief: float) -> None:
        """Take ``relief`` off the pools ``slots``, each in proportion to what it holds."""
        total = self.remaining(slots)
        if total <= 0.0:
            return
        keep = max(0.0, 1.0 - relief / total)
        for k in slots:
            self.left[k] *= keep


class Candidate:
    """An action of the catalog applied to one exposure (an escalation: to several)."""

    __slots__ = ("action", "amounts", "cost", "cost_units", "exposures", "key", "slots")

    def __init__(
        self,
        action: Action,
        exposures: tuple[Exposure, ...],
        amounts: tuple[float, ...],
        cost: float,
        scale: int,
    ) -> None:
        self.action = action
        self.exposures = exposures
        self.amounts = amounts  # the credit on each exposure
        self.cost = cost
        self.cost_units = cents_up(cost, scale)
        relieves = action.relieves
        if len(exposures) == 1:  # the common case, without the generators
            only = exposures[0]
            self.slots: tuple[tuple[int, ...], ...] = (only.slots(relieves),)
            self.key: tuple[str, tuple[str, ...]] = (action.code, (only.key,))
        else:
            self.slots = tuple(e.slots(relieves) for e in exposures)
            self.key = (action.code, tuple(e.key for e in exposures))

    @property
    def incident_ids(self) -> tuple[str, ...]:
        """The incidents the candidate answers."""
        exposures = self.exposures
        if len(exposures) == 1:  # the common case, without the generator
            incident = exposures[0].incident
            return () if incident is None else (incident.id,)
        return tuple(e.incident.id for e in exposures if e.incident is not None)

    @property
    def order_ids(self) -> tuple[str, ...]:
        """The orders it concerns, each once, sorted."""
        exposures = self.exposures
        if len(exposures) == 1:
            order = exposures[0].order
            return () if order is None else (order.id,)
        return tuple(sorted({e.order.id for e in exposures if e.order is not None}))


class Pick:
    """A chosen candidate with its settled relief and the reasons that chose it."""

    __slots__ = ("candidate", "reasons", "relief_units", "value_units")

    def __init__(self, candidate: Candidate, relief_units: int, reasons: list[str]) -> None:
        self.candidate = candidate
        self.relief_units = relief_units
        self.reasons = reasons
        self.value_units = relief_units  # the policy's value; vendor value replaces it


def delay_shortfall(incident: Incident, order: Order | None, as_of: datetime) -> float:
    if incident.kind is IncidentKind.PARTIAL_DELIVERY:
        return incident.affected_share
    if order is None:
        return 0.0
    lead = days_between(order.placed_at, order.promised_at)
    return delay_ratio(order.days_late(as_of), lead)


def downtime_shortfall(incident: Incident, as_of: datetime) -> float:
    if incident.kind is not IncidentKind.SERVICE_OUTAGE:
        return 0.0
    return downtime_share(incident.hours_open(as_of), incident.affected_share)


def shortfall_text(basis: CreditBasis, exposure: Exposure, context: Context) -> str:
    incident = exposure.incident
    value = exposure.shortfall.get(basis, 0.0)
    if incident is None:  # a forecast: nothing has fallen short yet (a host's proactive credit)
        return f"shortfall {value:.2f}"
    if basis is CreditBasis.SEVERITY:
        return f"severity {incident.severity.value} ({value:.2f})"
    if basis is CreditBasis.DOWNTIME_SHARE:
        hours = incident.hours_open(context.as_of)
        return (
            f"{hours:.1f} h down x {incident.affected_share:.0%} affected = {value:.2%} of a "
            "30-day month"
        )
    if incident.kind is IncidentKind.PARTIAL_DELIVERY:
        return f"{value:.0%} of the order missing"
    order = exposure.order
    if order is None:
        return "no order to measure the delay against"
    days = order.days_late(context.as_of)
    lead = days_between(order.placed_at, order.promised_at)
    return f"{days:.1f} days late on a {lead:.1f}-day lead time ({value:.2f} of the commitment)"
