"""What open orders may still cost a customer beyond the loss their incidents already count.

A forecast's risk (probability late x loss if late) of an order that already has a late or
partial delivery incident overlaps that incident's impact: a late delivery still on the
road is heading for its forecast loss, of which the days late so far are the impact. Added
to the impacts, the whole forecast would count those days twice. So an order's risk
*beyond its incidents* is the part above the expected loss of its lateness incidents seen by
``as_of``, never below zero. An incident of another kind on the order (a billing error, a
defect) is a loss of its own, beside the delay: it takes nothing off.

One figure per order, used wherever a forecast's loss meets an incident's: the
assessment's ``risk``, the scorer's harm and forecast factors, what a policy may still
avoid; the batch path has the columnar twin (``batch/_forecast.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from custadvocacy._domain import Incident, IncidentKind
from custadvocacy._forecast._forecast import Forecast
from custadvocacy._impact._model import Impact

__all__ = ["LATENESS", "risk_beyond_incidents"]

LATENESS: Final = frozenset({IncidentKind.LATE_DELIVERY, IncidentKind.PARTIAL_DELIVERY})
"""The incident kinds whose impact prices what a forecast of the order prices: lateness."""


def risk_beyond_incidents(
    forecasts: Sequence[Forecast],
    incidents: Sequence[Incident],
    impacts: Sequence[Impact],
    as_of: datetime,
) -> list[tuple[Forecast, float]]:
    """Each forecast with its risk beyond the expected loss of its order's lateness incidents.

    Args:
        forecasts: Forecasts of open orders.
        incidents: The customer's incidents; only late and partial deliveries opened by
            ``as_of`` count (:data:`LATENESS`).
        impacts: The incidents' impacts, in the forecasts' currency (one not estimated
            counts nothing).
        as_of: The moment of the assessment.

    Returns:
        ``(forecast, risk)`` per forecast, in their order; ``risk`` is
        ``max(0, forecast.risk - the expected loss of its order's lateness incidents)``.

    Example:
        >>> from custadvocacy import assess
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> a = assess(*example_portfolio().for_customer("C10"), context=example_context())
        >>> [(f.order_id, round(f.risk), round(risk)) for f, risk in
        ...  risk_beyond_incidents(a.forecasts, a.incidents, a.impacts, a.as_of)]
        [('O-10002', 566522, 370391)]
    """
    order_of = {
        i.id: i.order_id
        for i in incidents
        if i.order_id is not None and i.kind in LATENESS and i.opened_at <= as_of
    }
    counted: dict[str, list[float]] = {}
    for impact in impacts:
        order_id = order_of.get(impact.incident_id)
        if order_id is not None and impact.estimated:
            counted.setdefault(order_id, []).append(impact.expected)
    return [(f, max(0.0, f.risk - math.fsum(counted.get(f.order_id, ())))) for f in forecasts]
