"""Budget test cases in whole cents: the budget tests of both paths build them the same way."""

from __future__ import annotations

from decimal import Decimal

from custadvocacy import Money, Recommendation, RecommendedAction

__all__ = ["eur", "recommendation"]


def eur(cents: int) -> Money:
    return Money(Decimal(cents) / 100, "EUR")


def recommendation(customer_id: str, pairs: list[tuple[int, int]]) -> Recommendation:
    actions = tuple(
        RecommendedAction(
            code=f"act{rank}",
            label=f"Action {rank}",
            proactive=False,
            incident_ids=(f"{customer_id}-I{rank}",),
            order_ids=(),
            relief=eur(relief),
            cost=eur(cost),
            net_value=eur(relief - cost),
            needs_approval=False,
            rank=rank,
        )
        for rank, (relief, cost) in enumerate(pairs, start=1)
    )
    return Recommendation(
        customer_id=customer_id,
        policy="test",
        currency="EUR",
        actions=actions,
        total_relief=sum((a.relief for a in actions), eur(0)),
        total_cost=sum((a.cost for a in actions), eur(0)),
    )
