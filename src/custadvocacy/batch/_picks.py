"""What the columnar playbook and vendor-value policies share with the customer-first one.

The three built-in policies work on the same exposures and candidates
(:mod:`custadvocacy.batch._actions`): this module builds them for a chunk, with or
without the escalations, and turns the picks of a lockstep run into the chunk's
ranked :class:`~custadvocacy.batch._actions.ChunkActions` in the order a policy ranks
them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custadvocacy.batch._actions._candidates import _Candidates, _Catalog, _Exposures
from custadvocacy.batch._actions._model import ChunkActions
from custadvocacy.batch._actions._state import _State
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._forecast import ChunkForecasts
from custadvocacy.batch._impact import ChunkImpacts

__all__ = ["Lockstep", "by_customer_position", "segment_fsum"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Lockstep:
    """A chunk's catalog, exposures, candidates and running state, ready to pick.

    ``escalate`` says, per customer, whether the escalations of the catalog are
    candidates (the object path's ``Workspace.candidates(escalate=...)``).
    """

    def __init__(
        self,
        chunk: Chunk,
        impacts: ChunkImpacts,
        forecasts: ChunkForecasts,
        escalate: BoolArray,
    ) -> None:
        self.chunk = chunk
        self.catalog = _Catalog(chunk)
        self.ex = _Exposures(chunk, impacts, forecasts)
        self.cands = _Candidates(chunk, self.catalog, self.ex, escalate)
        self.state = _State(chunk, self.catalog, self.ex, self.cands)

    def take(self, candidates: IntArray) -> None:
        """Apply those of ``candidates`` (at most one per customer, ``-1``: none) that may be.

        A candidate is taken when it is not taken already, its customer has fewer than
        ``max_actions`` actions and it fits the customer's cost limit.
        """
        state, cands = self.state, self.cands
        options = candidates[candidates >= 0]
        options = options[~cands.chosen[options]]
        options = options[state.picks[cands.customer[options]] < state.max_actions]
        options = options[state.fits(options)]
        state.apply(options)

    def picked(self) -> tuple[IntArray, IntArray]:
        """The picks so far in the order taken, and the minor units each relieved."""
        return self.state.picked()

    def actions(self, picked: IntArray, relief: IntArray, order: IntArray) -> ChunkActions:
        """The chunk's actions: ``picked`` (with their ``relief``) ranked by ``order``.

        ``order`` is a permutation of ``picked`` that groups it by customer (ascending)
        and puts each customer's actions in rank order.
        """
        return self.state.actions(picked, relief, order)


def by_customer_position(customer: IntArray) -> IntArray:
    """Each row's place among its customer's rows (rows grouped by customer).

    Example:
        >>> by_customer_position(np.array([0, 0, 2, 2, 2]))
        array([0, 1, 0, 1, 2])
    """
    starts = np.searchsorted(customer, customer, side="left")
    return np.asarray(np.arange(customer.shape[0]) - starts, dtype=np.int64)


def segment_fsum(customer: IntArray, values: FloatArray, groups: int) -> FloatArray:
    """Per customer, the sum of its rows, compensated like :func:`math.fsum` (rows grouped).

    Neumaier's summation over each customer's rows in order: the correctly rounded sum
    but in pathological cases.

    Example:
        >>> segment_fsum(np.array([0, 0, 0, 2]), np.array([1e16, 1.0, -1e16, 4.0]), 3)
        array([1., 0., 4.])
    """
    total = np.zeros(groups)
    compensation = np.zeros(groups)
    if customer.size == 0:
        return total
    position = by_customer_position(customer)
    for p in range(int(position.max()) + 1):
        at = position == p
        who = customer[at]
        x = values[at]
        before = total[who]
        t = before + x
        bigger = np.abs(before) >= np.abs(x)
        compensation[who] += np.where(bigger, (before - t) + x, (x - t) + before)
        total[who] = t
    return np.asarray(total + compensation, dtype=np.float64)
