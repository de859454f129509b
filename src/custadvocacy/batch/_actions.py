"""Action choice on columns: :class:`~custadvocacy.policies.CustomerFirstPolicy` for every customer.

The policy's four steps run in lockstep over all customers of a chunk: each step picks
at most one action per customer, the same one the object path's
:class:`~custadvocacy._policies._engine.Workspace` picks, with the same kernels
(``share_relief``, ``action_cost``, ``credit_amount``, ``tier_share``, ``delay_ratio``,
``downtime_share``, ``time_weight``) and the same settlement in minor units.

- *exposures*: each seen, estimated incident (its loss per category) and each open
  order forecast likely late (its avoidable risk), per customer in the object path's
  order (incidents by id, then orders by id);
- *candidates*: each catalog action applied to each exposure it applies to (an
  escalation once, over the customer's incidents), with its credit and cost;
- the steps: a proactive action for each critical order forecast late; escalations
  after a repeated failure; then greedily the action relieving the most (time
  weighted) that fits the cost limit; else, for a harmed customer, the cheapest one.

Ties break on the candidate's key (action code as text, then the exposure's place),
as the object path's ``Candidate.key`` does.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._domain import IncidentKind
from custadvocacy._policies._actions import Action, CreditBasis, PriceBasis
from custadvocacy._policies._common import UNIT_TOLERANCE
from custadvocacy._policies._engine import LATE_CATEGORIES
from custadvocacy._policies._sizing import (
    action_cost,
    credit_amount,
    delay_ratio,
    downtime_share,
    share_relief,
    tier_share,
    time_weight,
)
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._forecast import ChunkForecasts
from custadvocacy.batch._impact import CATEGORIES, ChunkImpacts
from custadvocacy.batch._schema import MISSING_MOMENT
from custadvocacy.batch._setup import KINDS

__all__ = ["ChunkActions", "choose_chunk", "minor_units"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_POOLS: Final = len(CATEGORIES) + 1  # one column per loss category, one for forecast risk
_LATE_POOL: Final = len(CATEGORIES)
_BASES: Final = (CreditBasis.DELAY_RATIO, CreditBasis.DOWNTIME_SHARE, CreditBasis.SEVERITY)
_NONE: Final = np.iinfo(np.int64).max
_DAY_US: Final = 86_400_000_000.0
_PARTIAL: Final = KINDS.index(IncidentKind.PARTIAL_DELIVERY)
_OUTAGE: Final = KINDS.index(IncidentKind.SERVICE_OUTAGE)
_LATE: Final = KINDS.index(IncidentKind.LATE_DELIVERY)


def minor_units(amount: FloatArray, scale: int, *, up: bool) -> IntArray:
    """Amounts in whole minor units, rounded up or down, float noise ignored.

    The columnar :func:`~custadvocacy._policies._common.cents_up` / ``cents_down``.

    Example:
        >>> minor_units(np.array([0.07, 0.071]), 100, up=True)
        array([7, 8])
    """
    exact = amount * scale
    nearest = np.round(exact)
    close = np.abs(exact - nearest) <= UNIT_TOLERANCE * np.maximum(1.0, np.abs(exact))
    rounded = np.ceil(exact) if up else np.floor(exact)
    return np.where(close, nearest, rounded).astype(np.int64)


class ChunkActions:
    """The recommended actions of a chunk's customers: one row per action, ranked."""

    __slots__ = (
        "action",
        "cost",
        "customer",
        "exposure_incident",
        "exposure_order",
        "needs_approval",
        "rank",
        "relief",
    )

    def __init__(self, **arrays: Any) -> None:
        self.customer: IntArray = arrays["customer"]
        self.action: IntArray = arrays["action"]
        self.relief: IntArray = arrays["relief"]
        self.cost: IntArray = arrays["cost"]
        self.rank: IntArray = arrays["rank"]
        self.needs_approval: BoolArray = arrays["needs_approval"]
        self.exposure_incident: IntArray = arrays["exposure_incident"]
        self.exposure_order: IntArray = arrays["exposure_order"]


class _Catalog:
    """The catalog's actions as arrays, with their fixed costs converted."""

    def __init__(self, chunk: Chunk) -> None:
        setup = chunk.setup
        context = setup.context
        policy = setup.customer_first
        actions: tuple[Action, ...] = setup.catalog.actions
        self.actions = actions
        count = len(actions)
        self.kinds = np.zeros((count, len(KINDS)), dtype=bool)
        self.mask = np.zeros((count, _POOLS), dtype=bool)
        groups = sorted({a.group for a in actions if a.group is not None})
        self.group_bit = np.full(count, -1, dtype=np.int64)
        self.fixed = np.zeros(count)
        self.threshold = np.full(count, _NONE, dtype=np.int64)
        codes = sorted(a.code for a in actions)
        self.code_rank = np.array([codes.index(a.code) for a in actions], dtype=np.int64)
        scale = 10 ** MINOR_UNITS[context.currency]
        for k, action in enumerate(actions):
            for kind in action.kinds:
                self.kinds[k, KINDS.index(kind)] = True
            for category in action.relieves:
                self.mask[k, CATEGORIES.index(category)] = True
            self.mask[k, _LATE_POOL] = not LATE_CATEGORIES.isdisjoint(action.relieves)
            if action.group is not None:
                self.group_bit[k] = groups.index(action.group)
            if action.fixed_cost is not None:
                self.fixed[k] = context.to_float(action.fixed_cost)
            if action.approval_threshold is not None:
                threshold = context.to_float(action.approval_threshold)
                self.threshold[k] = minor_units(np.array([threshold]), scale, up=False)[0]
        half_life = policy.relief_half_life_days
        self.share = np.array([a.relief_share for a in actions])
        self.weight = np.array([time_weight(a.days_to_relief, half_life) for a in actions])
        self.proactive = np.array([a.proactive for a in actions], dtype=bool)
        self.escalation = np.array([a.escalation for a in actions], dtype=bool)
        self.only_open = np.array([a.only_while_open for a in actions], dtype=bool)
        self.share_of_order = np.array([a.cost_share_of_order for a in actions])
        self.share_of_annual = np.array([a.cost_share_of_annual_value for a in actions])


class _Exposures:
    """A chunk's exposures (rows grouped by customer) and their running state."""

    def __init__(self, chunk: Chunk, impacts: ChunkImpacts, forecasts: ChunkForecasts) -> None:
        self.monthly = chunk.annual / 12.0
        incidents = _IncidentPart(chunk, impacts, self.monthly)
        forecast = _ForecastPart(chunk, impacts, forecasts, incidents)
        self._combine(chunk, incidents, forecast)

    def _combine(self, chunk: Chunk, i: _IncidentPart, f: _ForecastPart) -> None:
        """Incident exposures first, then forecast ones, grouped by customer (ids in order)."""
        count_i, count_f = i.rows.shape[0], f.rows.shape[0]
        customer = np.concatenate([i.customer, f.customer])
        is_forecast = np.concatenate([np.zeros(count_i, bool), np.ones(count_f, bool)])
        order = np.lexsort((is_forecast, customer))  # stable: id order kept within each part
        self.customer = customer[order]
        self.is_forecast = is_forecast[order]
        self.incident = np.concatenate([i.rows, np.full(count_f, -1)])[order]
        self.order = np.concatenate([i.order, f.rows])[order]
        self.kind = np.concatenate([i.kind, np.full(count_f, _LATE)])[order]
        self.is_open = np.concatenate([i.is_open, np.ones(count_f, bool)])[order]
        self.covered = np.concatenate([i.covered, np.zeros(count_f, bool)])[order]
        self.critical = np.concatenate([np.zeros(count_i, bool), f.critical])[order]
        self.price = np.concatenate([i.price, f.value])[order]
        self.affected = np.concatenate([i.affected, f.value])[order]
        self.shortfall = np.concatenate([i.shortfall, np.zeros((count_f, 3))])[order]
        self.left = np.concatenate([i.left, f.left])[order]
        self.loss = _row_sum(self.left)
        self.loss_units = minor_units(self.loss, chunk.setup.scale, up=False)
        self.relieved = np.zeros(self.customer.shape[0], dtype=np.int64)
        self.groups = np.zeros(self.customer.shape[0], dtype=np.int64)
        starts = np.searchsorted(self.customer, np.arange(chunk.n))
        self.position = np.arange(self.customer.shape[0]) - starts[self.customer]
        self.total_loss = np.bincount(self.customer, weights=self.loss, minlength=chunk.n)


class _IncidentPart:
    """The incident exposures: each seen, estimated incident, in id order."""

    def __init__(self, chunk: Chunk, impacts: ChunkImpacts, monthly: FloatArray) -> None:
        as_of = chunk.setup.as_of_us
        inc = np.flatnonzero(chunk.seen & impacts.estimated)
        cust_i = chunk.incident_customer[inc]
        has_order = chunk.has_order[inc]
        local = np.maximum(chunk.incident_order_local[inc], 0)
        share = chunk.share[inc]
        kind = chunk.kind[inc]
        value = chunk.order_value[local] if chunk.order_rows.size else np.zeros(inc.shape[0])
        price_i = np.where(has_order, value, monthly[cust_i])
        shortfall = np.zeros((inc.shape[0], 3))
        if chunk.order_rows.size:
            delivered = chunk.delivered[local]
            end = np.where(delivered == MISSING_MOMENT, as_of, delivered)
            days_late = np.maximum(0.0, (end - chunk.promised[local]).astype(np.float64) / _DAY_US)
            lead = (chunk.promised[local] - chunk.placed[local]).astype(np.float64) / _DAY_US
            delay = np.where(has_order, delay_ratio(days_late, lead), 0.0)
        else:
            delay = np.zeros(inc.shape[0])
        shortfall[:, 0] = np.where(kind == _PARTIAL, share, delay)
        hours = chunk.hours_open()[inc]
        shortfall[:, 1] = np.where(kind == _OUTAGE, downtime_share(hours, share), 0.0)
        shortfall[:, 2] = chunk.severity_rank[inc] / 4.0
        self.rows = inc
        self.customer = cust_i
        self.kind = kind
        self.local = local
        self.has_order = has_order
        self.order = np.where(has_order, local, -1)
        self.is_open = chunk.incident_open[inc]
        self.price = price_i
        self.affected = price_i * share
        self.shortfall = shortfall
        self.left = np.zeros((inc.shape[0], _POOLS))
        self.left[:, : len(CATEGORIES)] = np.maximum(impacts.categories[inc], 0.0)
        self.covered = np.zeros(inc.shape[0], dtype=bool)


class _ForecastPart:
    """The forecast exposures: each open order likely late, in id order."""

    def __init__(
        self, chunk: Chunk, impacts: ChunkImpacts, forecasts: ChunkForecasts, i: _IncidentPart
    ) -> None:
        settings = chunk.setup.settings
        likely = forecasts.is_open & (forecasts.probability >= settings.late_probability)
        fc = np.flatnonzero(likely)
        self.rows = fc
        self.customer = chunk.order_customer[fc]
        self.value = chunk.order_value[fc]
        incurred = np.zeros(chunk.order_rows.shape[0])
        linked = chunk.seen & chunk.has_order & impacts.estimated
        np.add.at(incurred, chunk.incident_order_local[linked], impacts.expected[linked])
        self.left = np.zeros((fc.shape[0], _POOLS))
        self.left[:, _LATE_POOL] = np.maximum(0.0, forecasts.risk[fc] - incurred[fc])
        criticality = chunk.criticality[fc]
        self.critical = (
            ~np.isnan(criticality)
            & (criticality >= settings.critical_share)
            & ~forecasts.already_late[fc]
        )
        # An incident on an order with a forecast leaves the proactive actions to it.
        forecast_order = np.zeros(chunk.order_rows.shape[0], dtype=bool)
        forecast_order[fc] = True
        if fc.size:
            i.covered = i.has_order & forecast_order[i.local]


def _row_sum(left: FloatArray) -> FloatArray:
    total = np.zeros(left.shape[0])
    for k in range(left.shape[1]):  # column by column: the object path's order
        total = total + left[:, k]
    return total


class _Candidates:
    """Every applicable (action, exposures) pair of a chunk, with its credits and cost.

    Links join a candidate to each exposure it acts on (one, or an escalation's
    several); candidates are grouped by customer in the object path's order (catalog
    order, then exposure order), and a candidate's links are contiguous.
    """

    def __init__(self, chunk: Chunk, catalog: _Catalog, ex: _Exposures, repeat: BoolArray) -> None:
        scale = chunk.setup.scale
        # Each list starts empty-but-typed: an empty catalog has no candidates at all.
        actions: list[IntArray] = [np.zeros(0, dtype=np.int64)]
        keys: list[IntArray] = [np.zeros(0, dtype=np.int64)]
        exposures: list[IntArray] = [np.zeros(0, dtype=np.int64)]
        credit_parts: list[FloatArray] = [np.zeros(0)]
        sequence = 0
        for k, action in enumerate(catalog.actions):
            fits_kind = catalog.kinds[k][ex.kind]
            if action.escalation:
                chosen = np.flatnonzero(fits_kind & ~ex.is_forecast & repeat[ex.customer])
                # One candidate per customer, linking all of its matching incidents (the
                # rows are grouped by customer: a customer's place among them counts changes).
                who = ex.customer[chosen]
                first = np.cumsum(np.concatenate([[0], who[1:] != who[:-1]]) if who.size else who)
                key = sequence + first
                sequence += int(first.max()) + 1 if first.size else 0
            else:
                if action.proactive:
                    applies = fits_kind & (ex.is_forecast | (ex.is_open & ~ex.covered))
                else:
                    applies = fits_kind & ~ex.is_forecast & (ex.is_open | ~catalog.only_open[k])
                chosen = np.flatnonzero(applies)
                key = sequence + np.arange(chosen.size)
                sequence += chosen.size
            actions.append(np.full(chosen.size, k, dtype=np.int64))
            keys.append(key.astype(np.int64))
            exposures.append(chosen.astype(np.int64))
            credit_parts.append(_credits(action, chosen, ex, scale))
        link_exposure = np.concatenate(exposures)
        link_customer = ex.customer[link_exposure]
        combined = link_customer * (sequence + 1) + np.concatenate(keys)
        # Within a customer the links are in key order already (catalog order, then
        # exposure order): a stable sort by customer alone sorts by ``combined``.
        order = _by_customer(link_customer, (), chunk.n)
        self.link_action = np.concatenate(actions)[order]
        self.link_exposure = link_exposure[order]
        self.credit = np.concatenate(credit_parts)[order]
        key = combined[order]
        new = np.concatenate([[True], key[1:] != key[:-1]]) if key.size else np.zeros(0, bool)
        self.start = np.flatnonzero(new).astype(np.int64)
        self.link_candidate = np.cumsum(new) - 1
        self.count = self.start.shape[0]
        self.stop = np.append(self.start[1:], key.shape[0]).astype(np.int64)
        self.single = (self.stop - self.start) == 1
        first = self.link_exposure[self.start]
        self.action = self.link_action[self.start]
        self.customer = ex.customer[first]
        self.stable = catalog.code_rank[self.action] * (1 << 32) + ex.position[first]
        a = self.action
        cost = action_cost(
            catalog.fixed[a],
            catalog.share_of_order[a],
            np.bincount(self.link_candidate, ex.affected[self.link_exposure], self.count),
            catalog.share_of_annual[a],
            chunk.annual[self.customer],
            np.bincount(self.link_candidate, self.credit, self.count),
        )
        self.cost_units = minor_units(cost, scale, up=True)
        self.chosen = np.zeros(self.count, dtype=bool)


def _credits(action: Action, chosen: IntArray, ex: _Exposures, scale: int) -> FloatArray:
    """The credit of ``action`` on each exposure of ``chosen`` (0 without a credit)."""
    schedule = action.credit
    if schedule is None or chosen.size == 0:
        return np.zeros(chosen.size)
    if schedule.price is PriceBasis.ORDER_VALUE:
        price = ex.price[chosen]
    else:
        price = ex.monthly[ex.customer[chosen]]
    thresholds = tuple(t.at_least for t in schedule.tiers)
    shares = tuple(t.share for t in schedule.tiers)
    shortfall = ex.shortfall[chosen, _BASES.index(schedule.basis)]
    amount = credit_amount(price, tier_share(shortfall, thresholds, shares), schedule.cap)
    # A credit is money the CRM issues: settled in minor units once.
    return np.asarray(np.round(amount * scale) / scale, dtype=np.float64)


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


def _by_customer(customer: IntArray, keys: tuple[IntArray, ...], customers: int) -> IntArray:
    """``np.lexsort((*keys, customer))``, the customer pass a radix sort when codes are small.

    Example:
        >>> _by_customer(np.array([1, 0, 1]), (np.array([5, 7, 3]),), 2)
        array([1, 2, 0])
    """
    if customers > np.iinfo(np.int16).max:
        return np.asarray(np.lexsort((*keys, customer)), dtype=np.int64)
    # A stable sort of 16-bit codes is a radix sort: linear, and keys' order kept.
    if not keys:
        return np.asarray(np.argsort(customer.astype(np.int16), kind="stable"), dtype=np.int64)
    order = np.lexsort(keys)
    by = np.argsort(customer[order].astype(np.int16), kind="stable")
    return np.asarray(order[by], dtype=np.int64)


def _packed(major: IntArray, minor: IntArray) -> IntArray | None:
    """One key ordering as ``(major, minor)`` lexicographically, when both fit in 62 bits.

    Example:
        >>> _packed(np.array([2, 1, 1]), np.array([0, 9, 3]))
        array([10,  9,  3])
    """
    if major.size == 0:
        return None
    low_major, low_minor = int(major.min()), int(minor.min())
    span = int(minor.max()) - low_minor + 1
    if (int(major.max()) - low_major + 1) * span >= 1 << 62:
        return None
    return np.asarray((major - low_major) * span + (minor - low_minor), dtype=np.int64)


def _first_per_customer(customer: IntArray, keys: tuple[IntArray, ...]) -> IntArray:
    """Positions of the lexicographically smallest row of each customer (rows grouped).

    Ties on the first key are broken on the next keys among the tied rows only (then
    by position). ``keys`` holds one key at least.

    Example:
        >>> _first_per_customer(np.array([0, 0, 0, 3]), (np.array([2, 1, 1, 5]), np.array([0, 9, 4, 0])))
        array([2, 3])
    """
    if customer.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.empty(customer.shape[0], dtype=bool)
    change[0] = True
    np.not_equal(customer[1:], customer[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    lengths = np.diff(starts, append=customer.shape[0])  # spread per row by repeating
    key = keys[0]
    alive = key == np.repeat(np.minimum.reduceat(key, starts), lengths)
    first = np.minimum.reduceat(np.where(alive, np.arange(customer.shape[0]), _NONE), starts)
    if len(keys) > 1:
        tied = np.add.reduceat(alive.astype(np.int64), starts) > 1
        if tied.any():  # the rows still alive in those customers: the next keys decide
            rows = np.flatnonzero(alive & np.repeat(tied, lengths))
            rest = _first_per_customer(customer[rows], tuple(k[rows] for k in keys[1:]))
            first[tied] = rows[rest]
    return np.asarray(first, dtype=np.int64)


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
    picked = (
        np.concatenate(state.picked_candidate) if state.picked_candidate else np.zeros(0, np.int64)
    )
    relief = np.concatenate(state.picked_relief) if state.picked_relief else np.zeros(0, np.int64)
    customer = candidates.customer[picked]
    cost = candidates.cost_units[picked]
    # Ranked by relief, then the cheaper, then the candidate key (by_relief).
    stable = candidates.stable[picked]
    by_relief = _packed(-relief, cost)  # one sort fewer when (relief, cost) fit in 62 bits
    keys = (stable, cost, -relief) if by_relief is None else (stable, by_relief)
    order = _by_customer(customer, keys, chunk.n)
    picked, relief, customer, cost = picked[order], relief[order], customer[order], cost[order]
    first = np.searchsorted(customer, customer, side="left")
    action = candidates.action[picked]
    single = candidates.single[picked]
    exposure = candidates.link_exposure[candidates.start[picked]]
    return ChunkActions(
        customer=customer,
        action=action,
        relief=relief,
        cost=cost,
        rank=np.arange(picked.shape[0]) - first + 1,
        needs_approval=cost > catalog.threshold[action],
        exposure_incident=np.where(single, exposures.incident[exposure], -1),
        exposure_order=np.where(single, exposures.order[exposure], -1),
    )
