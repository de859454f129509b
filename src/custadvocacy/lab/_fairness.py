"""Fairness checks a decision maker asks for: who was left out, and equal relief for equal harm.

Two questions, answered from an :class:`~custadvocacy.lab.Outcome`:

- *Who with a real loss got nothing?* Customers whose estimated loss is above a
  threshold and who got no action (how many, how much loss, the largest cases' ids).
- *Does a small customer get the same treatment for the same harm?* Relief per unit
  of loss, segment by segment, and the ratio of the lowest to the highest (1 = equal).
  When many customers are hit by the same failure they compare what each got
  (Albrecht et al. 2018), so a large gap deserves a look.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np

from custadvocacy._checks import Checks
from custadvocacy._domain import Segment
from custadvocacy.lab._outcome import Outcome

__all__ = ["Fairness", "SegmentFairness", "check_fairness"]

_SEGMENTS: Final = tuple(s.value for s in Segment)
_LISTED: Final = 20


@attrs.frozen(kw_only=True)
class SegmentFairness:
    """Relief for harm in one segment.

    Attributes:
        segment: ``"small"``, ``"mid_market"`` or ``"enterprise"``.
        customers: Customers in the segment.
        harmed: Those with an estimated loss above zero.
        loss: Their total estimated loss (reporting currency).
        relieved: What the actions relieve of it.
        relief_per_loss: ``relieved / loss`` (0 when there is no loss), 0-1.
        unserved: Customers with a loss above the threshold who got no action.

    Example:
        >>> SegmentFairness(segment="small", customers=10, harmed=2, loss=1000.0,
        ...                 relieved=400.0, relief_per_loss=0.4, unserved=0).relief_per_loss
        0.4

    .. versionadded:: 0.1.0
    """

    segment: str
    customers: int
    harmed: int
    loss: float
    relieved: float
    relief_per_loss: float
    unserved: int


@attrs.frozen(kw_only=True)
class Fairness:
    """The fairness checks of one policy's outcome.

    Attributes:
        threshold: The loss above which a customer should get some action (reporting
            currency).
        unserved: Customers with a loss above ``threshold`` and no action.
        unserved_loss: Their total loss.
        unserved_ids: Up to 20 of them, largest loss first (ids as text).
        segments: Relief per unit of loss, per segment (small, mid-market, enterprise).
        parity: Lowest over highest ``relief_per_loss`` among segments with a loss
            (1 = every segment gets the same relief for the same harm; 1 as well when
            fewer than two segments have a loss).

    Example:
        >>> from custadvocacy import CustomerFirstPolicy
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> from custadvocacy.lab import outcome
        >>> fair = check_fairness(outcome(CustomerFirstPolicy(), example_portfolio(),
        ...                               context=example_context()), threshold=1000.0)
        >>> fair.unserved, [s.segment for s in fair.segments]
        (0, ['small', 'mid_market', 'enterprise'])

    .. versionadded:: 0.1.0
    """

    threshold: float
    unserved: int
    unserved_loss: float
    unserved_ids: tuple[str, ...]
    segments: tuple[SegmentFairness, ...]
    parity: float


def check_fairness(result: Outcome, *, threshold: float = 1000.0) -> Fairness:
    """Who with a loss above ``threshold`` got no action, and relief per loss by segment.

    Args:
        result: A policy's :class:`~custadvocacy.lab.Outcome`.
        threshold: Loss (reporting currency, >= 0) above which a customer should get
            some action. Default 1,000.

    Returns:
        The :class:`Fairness` checks.

    Raises:
        ValidationError: ``result`` is not an Outcome or ``threshold`` is not a number >= 0.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> from custadvocacy.lab import outcome
        >>> fair = check_fairness(outcome(None, example_portfolio(),
        ...                               context=example_context()), threshold=1000.0)
        >>> fair.unserved, fair.unserved_ids[:2]
        (7, ('C10', 'C05'))

    .. versionadded:: 0.1.0
    """
    c = Checks()
    c.instance("result", result, Outcome, "an Outcome")
    c.number("threshold", threshold, high=1e15)
    c.done()
    limit = float(threshold)
    left_out = (result.loss > limit) & (result.actions == 0)
    rows = np.flatnonzero(left_out)
    largest = rows[np.argsort(-result.loss[rows], kind="stable")[:_LISTED]]
    segments = []
    for code, name in enumerate(_SEGMENTS):
        mine = result.segment == code
        loss = float(result.loss[mine].sum())
        relieved = float(result.relief[mine].sum())
        segments.append(
            SegmentFairness(
                segment=name,
                customers=int(mine.sum()),
                harmed=int((mine & (result.loss > 0)).sum()),
                loss=loss,
                relieved=relieved,
                relief_per_loss=min(1.0, relieved / loss) if loss > 0 else 0.0,
                unserved=int((mine & left_out).sum()),
            )
        )
    shares = [s.relief_per_loss for s in segments if s.loss > 0]
    top = max(shares, default=0.0)
    parity = min(shares) / top if len(shares) >= 2 and top > 0 else 1.0
    return Fairness(
        threshold=limit,
        unserved=int(rows.size),
        unserved_loss=float(result.loss[rows].sum()),
        unserved_ids=tuple(str(i) for i in result.ids[largest].tolist()),
        segments=tuple(segments),
        parity=parity,
    )
