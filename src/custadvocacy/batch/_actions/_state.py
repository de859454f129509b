"""The state of one chunk's choice: what each customer has spent, picked and has left."""

from __future__ import annotations

import numpy as np

from custadvocacy._policies._sizing import (
    share_relief,
)
from custadvocacy.batch._actions._candidates import (
    _Candidates,
    _Catalog,
    _Exposures,
)
from custadvocacy.batch._actions._model import (
    _NONE,
    UNLINKED,
    BoolArray,
    ChunkActions,
    FloatArray,
    IntArray,
    minor_units,
)
from custadvocacy.batch._chunk import Chunk


class _State:
    """The lockstep's running figures: what is left, each candidate's relief, spending.

    What is left of each exposure per pool set, each customer's spending and picks. A
    candidate's relief is computed when asked for (:meth:`marginal`), from what is left
    of its exposures: only the steps of the customer-first policy ask, for the
    candidates still open, so nothing is recomputed ahead for candidates no step reads.
    """

    def __init__(self, chunk: Chunk, catalog: _Catalog, ex: _Exposures, cands: _Candidates) -> None:
        setup = chunk.setup
        settings = setup.settings
        self.chunk = chunk
        self.catalog = catalog
        self.ex = ex
        self.cands = cands
        self.scale = setup.scale
        self.max_actions = settings.max_actions
        if settings.cost_limit_share is None:
            self.limit = np.full(chunk.n, _NONE, dtype=np.int64)
        else:
            floor = setup.context.to_float(settings.cost_limit_floor)
            by_share = settings.cost_limit_share * chunk.annual
            self.limit = minor_units(np.maximum(by_share, floor), self.scale, up=False)
        self.spent = np.zeros(chunk.n, dtype=np.int64)
        self.picks = np.zeros(chunk.n, dtype=np.int64)
        self.picked_candidate: list[IntArray] = []
        self.picked_relief: list[IntArray] = []
        # Per link: the action's share and group bit.
        self.link_share = catalog.share[cands.link_action]
        self.link_bit = catalog.group_bit[cands.link_action]
        self.pools = [np.flatnonzero(catalog.mask[k]) for k in range(catalog.mask.shape[0])]
        # Actions relieving the same pools share one sum: one row per distinct pool set.
        distinct = sorted({tuple(int(p) for p in pools) for pools in self.pools})
        self.pool_sets = distinct
        self.action_set = np.array(
            [distinct.index(tuple(int(p) for p in pools)) for pools in self.pools], dtype=np.int64
        )
        self.any_groups = bool((catalog.group_bit >= 0).any())
        # Per link, its group as a mask of ``ex.groups`` (0: no group).
        self.link_gmask = np.where(
            self.link_bit >= 0, np.left_shift(1, np.maximum(self.link_bit, 0)), 0
        )
        # Whether an action relieves any pool: one that relieves none changes nothing left.
        self.relieves: BoolArray = np.asarray(catalog.mask.any(axis=1), dtype=bool)
        # What is left of each exposure's pools (``[exposure, pool]``, a copy of
        # ``ex.left``), and per pool set (``[exposure, pool set]``).
        self.left = ex.left.copy()
        self.remaining = self._per_action(self.left)
        # Per link, its cell in ``remaining`` (flattened): what is left of what it relieves.
        sets = len(self.pool_sets)
        self.link_cell = cands.link_exposure * sets + self.action_set[cands.link_action]

    def _per_action(self, left: FloatArray) -> FloatArray:
        """What is left of some exposures (``[exposure, pool]``) per pool set, summed one by one.

        ``action_set`` maps an action to its pool set.
        """
        out = np.zeros((left.shape[0], len(self.pool_sets)))
        for k, pools in enumerate(self.pool_sets):
            column = out[:, k]
            for pool in pools:  # in pool order: the object path's sum
                column += left[:, pool]
        return out

    def _blocked(self, links: IntArray) -> BoolArray:
        """Whether an alternative of the link's group already acted on its exposure."""
        groups = self.ex.groups[self.cands.link_exposure[links]]
        return np.asarray((groups & self.link_gmask[links]) != 0)

    def _link_relief(self, links: IntArray) -> FloatArray:
        """What each of ``links`` would relieve now (0 where its group has acted)."""
        total = self.remaining.reshape(-1)[self.link_cell[links]]
        relief = share_relief(total, self.link_share[links], self.cands.credit[links])
        if self.any_groups:
            relief[self._blocked(links)] = 0.0
        return np.asarray(relief, dtype=np.float64)

    def marginal(self, candidates: IntArray) -> FloatArray:
        """The relief each of ``candidates`` (each of one link) would add now.

        Only the escalation step takes a candidate of several links (an escalation), and
        it does not ask what one relieves: the steps after it leave escalations out.
        """
        return self._link_relief(self.cands.start[candidates])

    def room(self) -> IntArray:
        """Per customer, the most a further action may cost.

        ``_NONE``: no limit; the int64 minimum when the customer has its ``max_actions``.
        """
        room = np.where(self.limit == _NONE, _NONE, self.limit - self.spent)
        room[self.picks >= self.max_actions] = np.iinfo(np.int64).min
        return np.asarray(room, dtype=np.int64)

    def fits(self, candidates: IntArray) -> BoolArray:
        """Whether each candidate fits in what is left of its customer's cost limit."""
        customer = self.cands.customer[candidates]
        limit = self.limit[customer]
        unlimited = limit == _NONE
        fits = unlimited | (self.spent[customer] + self.cands.cost_units[candidates] <= limit)
        return np.asarray(fits, dtype=bool)

    def apply(self, candidates: IntArray) -> None:
        """Apply ``candidates`` (at most one per customer): relieve, settle, spend."""
        if candidates.size == 0:
            return
        cands, ex = self.cands, self.ex
        action = cands.action[candidates]
        if not (
            self.relieves[action].any() or (self.link_gmask[cands.start[candidates]] != 0).any()
        ):
            # Actions relieving no pool (an executive call): nothing is left to relieve
            # (their pool set's sum is empty), so each relieves 0, in no group.
            self._spend(candidates, np.zeros(candidates.shape[0], dtype=np.int64))
            return
        if bool(cands.single[candidates].all()):
            links = cands.start[candidates]
            owner = None
        else:
            lengths = cands.stop[candidates] - cands.start[candidates]
            offsets = np.cumsum(lengths) - lengths
            links = np.repeat(cands.start[candidates] - offsets, lengths) + np.arange(lengths.sum())
            owner = np.repeat(np.arange(candidates.shape[0]), lengths)
        exposure = cands.link_exposure[links]  # distinct: one customer, one action each
        total = self.remaining.reshape(-1)[self.link_cell[links]]
        relief = share_relief(total, self.link_share[links], cands.credit[links])
        if self.any_groups:
            gmask = self.link_gmask[links]
            act = (ex.groups[exposure] & gmask) == 0
            relief[~act] = 0.0
        else:
            gmask, act = None, None
        self._settle(
            candidates,
            owner=owner,
            exposure=exposure,
            action=cands.link_action[links],
            total=total,
            relief=relief,
            act=act,
            gmask=gmask,
        )

    def apply_singles(
        self,
        candidates: IntArray,
        *,
        exposure: IntArray,
        total: FloatArray,
        relief: FloatArray,
        gmask: IntArray,
    ) -> None:
        """:meth:`apply` for candidates of one link each whose figures the caller has.

        ``exposure``, ``total`` (what is left of the pools it relieves), ``relief`` and
        ``gmask`` per candidate, each acting (not blocked by its group).
        """
        self._settle(
            candidates,
            owner=None,
            exposure=exposure,
            action=self.cands.link_action[self.cands.start[candidates]],
            total=total,
            relief=relief,
            act=None,
            gmask=gmask if self.any_groups else None,
        )

    def _settle(
        self,
        candidates: IntArray,
        *,
        owner: IntArray | None,
        exposure: IntArray,
        action: IntArray,
        total: FloatArray,
        relief: FloatArray,
        act: BoolArray | None,
        gmask: IntArray | None,
    ) -> None:
        """Relieve, settle and spend for ``candidates`` whose links' figures are given.

        ``owner`` maps each link to its candidate (``None``: one link each, in order);
        ``act`` is whether each link acts (``None``: all do), its ``relief`` 0 where not;
        ``gmask`` its group mask (``None``: no group in the catalog).
        """
        ex = self.ex
        positive = total > 0.0
        if act is not None:
            positive &= act
        if gmask is not None:
            ex.groups[exposure] |= gmask if act is None else np.where(act, gmask, 0)
        keep = np.maximum(0.0, 1.0 - relief / np.where(positive, total, 1.0))
        # Only where something is left of a pool the action relieves, and the action takes
        # some of it, does anything left change (times 1.0 elsewhere: unchanged).
        rows = np.flatnonzero(positive & self.relieves[action] & (keep != 1.0))
        if rows.size:
            moved = exposure[rows]
            factor = np.where(self.catalog.mask[action[rows]], keep[rows, None], 1.0)
            now = self.left[moved] * factor
            self.left[moved] = now
            self.remaining[moved] = self._per_action(now)
        settled = minor_units(relief, self.scale, up=False)
        settled = np.minimum(settled, ex.loss_units[exposure] - ex.relieved[exposure])
        settled = (
            np.maximum(settled, 0) if act is None else np.where(act, np.maximum(settled, 0), 0)
        )
        ex.relieved[exposure] += settled
        if owner is None:
            units = settled
        else:
            units = np.bincount(owner, weights=settled, minlength=candidates.shape[0])
            units = units.astype(np.int64)
        self._spend(candidates, units)

    def _spend(self, candidates: IntArray, units: IntArray) -> None:
        """Record ``candidates`` taken, having relieved ``units`` (minor units) each."""
        cands = self.cands
        customer = cands.customer[candidates]
        self.spent[customer] += cands.cost_units[candidates]
        self.picks[customer] += 1
        cands.chosen[candidates] = True
        self.picked_candidate.append(candidates)
        self.picked_relief.append(units)

    def picked(self) -> tuple[IntArray, IntArray]:
        """The picks so far in the order taken, and the minor units each relieved."""
        if not self.picked_candidate:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(self.picked_candidate), np.concatenate(self.picked_relief)

    def actions(self, picked: IntArray, relief: IntArray, order: IntArray) -> ChunkActions:
        """The chunk's actions: ``picked`` (with their ``relief``) ranked by ``order``.

        ``order`` is a permutation of ``picked`` that groups it by customer (ascending)
        and puts each customer's actions in rank order.
        """
        cands, ex = self.cands, self.ex
        picked, relief = picked[order], relief[order]
        customer = cands.customer[picked]
        cost = cands.cost_units[picked]
        first = np.searchsorted(customer, customer, side="left")
        action = cands.action[picked]
        single = cands.single[picked]
        exposure = cands.link_exposure[cands.start[picked]]
        return ChunkActions(
            customer=customer,
            action=action,
            relief=relief,
            cost=cost,
            rank=np.arange(picked.shape[0]) - first + 1,
            needs_approval=cost > self.catalog.threshold[action],
            exposure_incident=np.where(single, ex.incident[exposure], UNLINKED),
            exposure_order=np.where(single, ex.order[exposure], UNLINKED),
        )
