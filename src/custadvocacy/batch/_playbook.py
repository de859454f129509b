"""Action choice on columns: :class:`~custadvocacy.policies.PlaybookPolicy` for every customer.

The object path's steps, in lockstep over a chunk's customers (each step takes at most
one action per customer, the one the object path takes at that point):

1. a proactive action for each critical order forecast late (as every built-in);
2. for each rule in order, for each of its targets (a customer's j-th matching
   exposure, or all their incidents for a repeated failure), each of the rule's
   actions in order: taken when it applies to the target, is not taken already, and
   fits the cost limit and ``max_actions``.

Actions are ranked in the order they were taken.
"""

from __future__ import annotations

import itertools
from typing import Final

import numpy as np
import numpy.typing as npt

from custadvocacy._policies import PlaybookPolicy
from custadvocacy._policies._playbook import PlaybookRule, RuleTarget
from custadvocacy._scoring import Band
from custadvocacy.batch._actions._model import ChunkActions
from custadvocacy.batch._actions._steps import _proactive_step, _repeat
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._forecast import ChunkForecasts
from custadvocacy.batch._impact import ChunkImpacts
from custadvocacy.batch._picks import Lockstep, by_customer_position
from custadvocacy.batch._setup import KINDS

__all__ = ["choose_playbook"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_BANDS: Final = tuple(Band)
_NO_CANDIDATE: Final = -1


class _SortedRows:
    """Candidates found by row (an exposure or a customer): binary search over sorted rows."""

    def __init__(self, rows: IntArray, candidates: IntArray) -> None:
        self.rows = rows  # ascending, unique
        self.candidates = candidates

    def find(self, rows: IntArray) -> IntArray:
        """The candidate of each of ``rows``, ``-1`` where there is none."""
        if self.rows.size == 0:
            return np.full(rows.shape[0], _NO_CANDIDATE, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.rows, rows), self.rows.size - 1)
        return np.where(self.rows[at] == rows, self.candidates[at], _NO_CANDIDATE)


def _per_action(
    action: IntArray, rows: IntArray, candidates: IntArray, count: int
) -> list[_SortedRows]:
    """For each of ``count`` actions, its candidates by row (one per row and action)."""
    order = np.lexsort((rows, action))
    action, rows, candidates = action[order], rows[order], candidates[order]
    bounds = np.searchsorted(action, np.arange(count + 1))
    return [
        _SortedRows(rows[start:stop], candidates[start:stop])
        for start, stop in itertools.pairwise(bounds.tolist())
    ]


class _CandidateIndex:
    """A chunk's candidates by what they answer.

    A single candidate by (exposure, action), an escalation by (customer, action): per
    action, the rows of its candidates sorted and searched, so memory grows with the
    candidates, not with exposures x catalog actions.
    """

    def __init__(self, run: Lockstep) -> None:
        cands, catalog = run.cands, run.catalog
        count = len(catalog.actions)
        escalation = catalog.escalation[cands.action]
        single = np.flatnonzero(cands.single & ~escalation)
        exposure = cands.link_exposure[cands.start[single]]
        self._single = _per_action(cands.action[single], exposure, single, count)
        escalations = np.flatnonzero(escalation)
        customer = cands.customer[escalations]
        self._escalation = _per_action(cands.action[escalations], customer, escalations, count)

    def single(self, exposures: IntArray, action: int) -> IntArray:
        """The candidate of ``action`` for each of ``exposures`` (``-1``: none)."""
        return self._single[action].find(exposures)

    def escalation(self, customers: IntArray, action: int) -> IntArray:
        """The escalation ``action`` of each of ``customers`` (``-1``: none)."""
        return self._escalation[action].find(customers)


def _in_bands(rule: PlaybookRule, band: npt.NDArray[np.int8]) -> BoolArray:
    """Per entry of ``band`` (band codes), whether ``rule`` fires in it (no bands: any)."""
    if not rule.bands:
        return np.ones(band.shape[0], dtype=bool)
    return np.isin(band, [_BANDS.index(b) for b in rule.bands])


def _severity_rank(run: Lockstep) -> FloatArray:
    """Per exposure, its incident's severity rank; 0 (below any) for a forecast.

    Computed per exposure, so a chunk with forecasts only (no incident) needs none.
    """
    ex = run.ex
    rank = np.zeros(ex.customer.shape[0], dtype=np.float64)
    incident = ~ex.is_forecast
    rank[incident] = run.chunk.severity_rank[ex.incident[incident]]
    return rank


class _Playbook:
    """One chunk's run of the rules: the lookups they share and the targets handled."""

    def __init__(self, run: Lockstep, policy: PlaybookPolicy, band: npt.NDArray[np.int8]) -> None:
        self.run = run
        self.index = _CandidateIndex(run)
        self.code = {a.code: k for k, a in enumerate(run.catalog.actions)}
        self.band = band
        self.severity = _severity_rank(run)
        self.repeat = _repeat(run.chunk)
        self.handled = np.zeros(run.ex.customer.shape[0], dtype=bool)
        self.first_match = policy.first_match

    def apply(self, rule: PlaybookRule) -> None:
        """Take the actions ``rule`` calls for, for every customer of the chunk."""
        if rule.target is RuleTarget.REPEAT:
            self._repeat_rule(rule)
        else:
            self._target_rule(rule)

    def _matches(self, rule: PlaybookRule) -> BoolArray:
        """Per exposure, whether the rule fires for it (its target aside)."""
        ex = self.run.ex
        fires: BoolArray = _in_bands(rule, self.band)[ex.customer]
        if rule.kinds:
            fires &= np.isin(ex.kind, [KINDS.index(k) for k in rule.kinds])
        if rule.min_severity is not None:
            fires &= ~ex.is_forecast & (self.severity >= rule.min_severity.rank)
        return fires

    def _repeat_rule(self, rule: PlaybookRule) -> None:
        run, ex = self.run, self.run.ex
        active = self.repeat & _in_bands(rule, self.band)
        incidents = np.flatnonzero(~ex.is_forecast & active[ex.customer])
        if self.first_match:
            self.handled[incidents] = True
        ordinal = by_customer_position(ex.customer[incidents])
        customers = np.unique(ex.customer[incidents])
        for code in rule.actions:
            k = self.code[code]
            if run.catalog.escalation[k]:
                run.take(self.index.escalation(customers, k))
                continue
            for j in range(int(ordinal.max()) + 1 if ordinal.size else 0):
                run.take(self.index.single(incidents[ordinal == j], k))

    def _target_rule(self, rule: PlaybookRule) -> None:
        run, ex = self.run, self.run.ex
        want_forecast = rule.target is RuleTarget.FORECAST
        targets = np.flatnonzero(
            (ex.is_forecast == want_forecast) & ~self.handled & self._matches(rule)
        )
        if targets.size == 0:
            return
        if self.first_match:
            self.handled[targets] = True
        ordinal = by_customer_position(ex.customer[targets])
        for j in range(int(ordinal.max()) + 1):
            group = targets[ordinal == j]
            for code in rule.actions:
                k = self.code[code]
                if run.catalog.escalation[k]:
                    run.take(self.index.escalation(ex.customer[group], k))
                else:
                    run.take(self.index.single(group, k))


def choose_playbook(
    chunk: Chunk,
    impacts: ChunkImpacts,
    forecasts: ChunkForecasts,
    band: npt.NDArray[np.int8],
    policy: PlaybookPolicy,
) -> ChunkActions:
    """Run ``policy`` for every customer of ``chunk`` (scores in ``band``); the actions, ranked.

    ``policy.check(catalog)`` must have passed (every rule's codes are in the catalog).
    """
    run = Lockstep(chunk, impacts, forecasts, np.ones(chunk.n, dtype=bool))
    playbook = _Playbook(run, policy, band)
    _proactive_step(run.state)
    for rule in policy.rules:
        playbook.apply(rule)
    picked, relief = run.picked()
    # Ranked in the order taken: grouped by customer, step order kept within each.
    order = np.argsort(run.cands.customer[picked], kind="stable")
    return run.actions(picked, relief, order)
