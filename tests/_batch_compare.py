"""What the batch-equivalence tests share: one customer's actions, batch against object.

Not a test module (no ``test_`` prefix); the test files import it as ``_batch_compare``
(pytest's ``pythonpath`` setting in pyproject.toml puts ``tests/`` on the path).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from custadvocacy import Assessment, Portfolio
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy.batch import BatchResult

__all__ = ["action_mismatches", "batch_actions", "object_actions"]


def batch_actions(result: BatchResult, row: int, portfolio: Portfolio) -> list[tuple[Any, ...]]:
    """The batch result's actions of customer ``row``, as comparable tuples.

    Code, relief and cost in minor units, approval, rank, and the ids of the incident
    and order the action answers (``""``: none, as for an action answering several).
    """
    actions = result.actions
    incident_ids = [x.id for x in portfolio.incidents]
    order_ids = [x.id for x in portfolio.orders]
    out = []
    for j in np.flatnonzero(actions["customer"] == row):
        incident = int(actions["incident"][j])
        order = int(actions["order"][j])
        out.append((
            result.action_codes[int(actions["action"][j])],
            int(actions["relief"][j]),
            int(actions["cost"][j]),
            bool(actions["needs_approval"][j]),
            int(actions["rank"][j]),
            incident_ids[incident] if incident >= 0 else "",
            order_ids[order] if order >= 0 else "",
        ))  # fmt: skip
    return out


def object_actions(expected: Assessment, scale: int, portfolio: Portfolio) -> list[tuple[Any, ...]]:
    """The object path's actions of one assessment, as :func:`batch_actions` gives them.

    An action answering one exposure links it: an incident (with the incident's order,
    if any, as the object path lists it) or a forecast's order; one answering several
    links none.
    """
    order_of = {x.id: x.order_id or "" for x in portfolio.incidents}
    out = []
    for a in expected.recommendation.actions:
        incident = order = ""
        if len(a.incident_ids) == 1:
            own = order_of[a.incident_ids[0]]
            if a.order_ids == ((own,) if own else ()):
                incident, order = a.incident_ids[0], own
        elif not a.incident_ids and len(a.order_ids) == 1:
            order = a.order_ids[0]
        out.append((
            a.code, int(a.relief.amount * scale), int(a.cost.amount * scale), a.needs_approval,
            a.rank, incident, order,
        ))  # fmt: skip
    return out


def action_mismatches(
    result: BatchResult, expected: Assessment, row: int, portfolio: Portfolio
) -> list[Any]:
    """``[]`` when customer ``row``'s batch actions equal the object path's, else the two."""
    scale = 10 ** MINOR_UNITS[result.currency]
    got = batch_actions(result, row, portfolio)
    want = object_actions(expected, scale, portfolio)
    return [] if got == want else [(expected.customer_id, "actions", got, want)]
