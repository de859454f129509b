"""The policy's steps over a chunk, and :func:`choose_chunk`, which runs them in order."""

from __future__ import annotations

import numpy as np

from custadvocacy.batch._actions._candidates import (
    _Candidates,
    _Catalog,
    _Exposures,
)
from custadvocacy.batch._actions._model import (
    BoolArray,
    ChunkActions,
    IntArray,
    minor_units,
)
from custadvocacy.batch._actions._order import _by_customer, _first_per_customer, _packed
from custadvocacy.batch._actions._state import _State
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._forecast import ChunkForecasts
from custadvocacy.batch._impact import ChunkImpacts

__all__ = ["choose_chunk"]


def _proactive_step(state: _State) -> None:
    ex, cands, catalog = state.ex, state.cands, state.catalog
    critical = np.flatnonzero(ex.critical)
    if critical.size == 0:
        return
    # The j-th critical exposure of each customer, for j = 0, 1, ...
    starts = np.searchsorted(ex.customer[critical], ex.customer[critical], side="left")
    ordinal = np.arange(critical.shape[0]) - starts
    proactive = catalog.proactive[cands.action] & cands.single
    exposure_of = cands.link_exposure[cands.start]
    for j in range(int(ordinal.max()) + 1):
        targets = critical[ordinal == j]
        target_of = np.full(state.chunk.n, -1, dtype=np.int64)
        target_of[ex.customer[targets]] = targets
        options = np.flatnonzero(
            proactive & (exposure_of == target_of[cands.customer]) & ~cands.chosen
        )
        options = options[state.fits(options)]
        options = options[state.picks[cands.customer[options]] < state.max_actions]
        relief = minor_units(state.marginal(options), state.scale, up=False)
        best = _first_per_customer(
            cands.customer[options], (-relief, cands.cost_units[options], cands.stable[options])
        )
        state.apply(options[best])


def _escalation_step(state: _State, repeat: BoolArray) -> None:
    cands, catalog = state.cands, state.catalog
    escalations = [k for k, a in enumerate(catalog.actions) if a.escalation]
    for k in escalations:
        options = np.flatnonzero((cands.action == k) & repeat[cands.customer] & ~cands.chosen)
        options = options[state.picks[cands.customer[options]] < state.max_actions]
        state.apply(options[state.fits(options)])


class _Open:
    """The candidates the greedy step may still take, with their figures as parallel arrays.

    Gathered once from :class:`_Candidates` and :class:`_State`, then cut down together
    (:meth:`keep`) round after round. Each has one link (see :func:`_greedy_step`).
    """

    def __init__(self, state: _State, live: IntArray) -> None:
        cands = state.cands
        first = cands.start[live]
        self.candidate = live
        self.customer = cands.customer[live]
        self.cost = cands.cost_units[live]
        self.stable = cands.stable[live]
        self.weight = state.catalog.weight[cands.action[live]]
        self.cell = state.link_cell[first]  # where what is left of its pools is summed
        self.share = state.link_share[first]
        self.credit = cands.credit[first]
        self.gmask = state.link_gmask[first]
        self.exposure = cands.link_exposure[first]

    def keep(self, rows: IntArray) -> None:
        """Keep only ``rows`` of every array."""
        for name, value in list(vars(self).items()):
            setattr(self, name, value[rows])


def _greedy_step(state: _State) -> None:
    """Pick, round after round, each customer's candidate relieving the most (time weighted).

    A candidate that no longer fits, relieves less than a minor unit or was just taken
    is dropped from :class:`_Open` for the next rounds.
    """
    scale = state.scale
    # An escalation the escalation step left did not fit its customer's limits then, and
    # spending only grows: it never will (the object path's greedy passes over it too).
    live = np.flatnonzero(~state.cands.chosen & state.cands.single)
    if live.size == 0:
        return
    open_ = _Open(state, live)
    taken = np.zeros(0, dtype=np.int64)
    remaining = state.remaining.reshape(-1)
    while True:
        total = remaining[open_.cell]
        # share_relief, as the object path computes it
        relief = np.minimum(total, open_.share * total + open_.credit)
        np.maximum(relief, 0.0, out=relief)
        if state.any_groups:
            relief[(state.ex.groups[open_.exposure] & open_.gmask) != 0] = 0.0
        keep = open_.cost <= state.room()[open_.customer]
        keep &= relief * scale >= 1.0
        keep[taken] = False
        rows = np.flatnonzero(keep)
        if rows.size == 0:
            return
        open_.keep(rows)
        relief = relief[rows]
        key = -np.trunc(relief * open_.weight * scale).astype(np.int64)
        taken = _first_per_customer(open_.customer, (key, open_.cost, open_.stable))
        # Each pick acts (its relief is at least a minor unit, so not blocked): its
        # figures are those just computed.
        state.apply_singles(
            open_.candidate[taken],
            exposure=open_.exposure[taken],
            total=remaining[open_.cell[taken]],
            relief=relief[taken],
            gmask=open_.gmask[taken],
        )


def _fallback_step(state: _State) -> None:
    chunk, cands, ex = state.chunk, state.cands, state.ex
    threshold = chunk.setup.context.to_float(chunk.setup.customer_first.loss_threshold)
    empty = (state.picks == 0) & (ex.total_loss > threshold)
    # Escalations left out, as in _greedy_step: none that is left fits.
    options = np.flatnonzero(empty[cands.customer] & ~cands.chosen & cands.single)
    options = options[state.fits(options)]
    relief = minor_units(state.marginal(options), state.scale, up=False)
    best = _first_per_customer(
        cands.customer[options], (cands.cost_units[options], -relief, cands.stable[options])
    )
    state.apply(options[best])


def _repeat(chunk: Chunk) -> BoolArray:
    settings = chunk.setup.settings
    start = chunk.setup.as_of_seconds - settings.repeat_window_days * 86_400.0
    recent = chunk.seen & (chunk.opened.astype(np.float64) / 1e6 >= start)
    count = np.bincount(chunk.incident_customer[recent], minlength=chunk.n)
    return count >= settings.repeat_count


def choose_chunk(chunk: Chunk, impacts: ChunkImpacts, forecasts: ChunkForecasts) -> ChunkActions:
    """Run the customer-first policy for every customer of ``chunk``; the actions, ranked."""
    catalog = _Catalog(chunk)
    exposures = _Exposures(chunk, impacts, forecasts)
    repeat = _repeat(chunk)
    candidates = _Candidates(chunk, catalog, exposures, repeat)
    state = _State(chunk, catalog, exposures, candidates)
    _proactive_step(state)
    _escalation_step(state, repeat)
    _greedy_step(state)
    _fallback_step(state)
    picked, relief = state.picked()
    customer = candidates.customer[picked]
    cost = candidates.cost_units[picked]
    # Ranked by relief, then the cheaper, then the candidate key (by_relief).
    stable = candidates.stable[picked]
    by_relief = _packed(-relief, cost)  # one sort fewer when (relief, cost) fit in 62 bits
    keys = (stable, cost, -relief) if by_relief is None else (stable, by_relief)
    return state.actions(picked, relief, _by_customer(customer, keys, chunk.n))
