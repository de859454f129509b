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
                # One candidate per customer, linking all of its matching incidents.
                first = np.unique(ex.customer[chosen], return_inverse=True)[1].reshape(-1)
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
        combined = ex.customer[link_exposure] * (sequence + 1) + np.concatenate(keys)
        order = np.argsort(combined, kind="stable")  # exposure order kept within a candidate
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

    What is left of each exposure, each candidate's relief now, each customer's
    spending and picks.

    A candidate's relief only changes when an action acts on one of its exposures, so
    after each step only the columns of the exposures just acted on are recomputed, in
    dense ``[action, exposure]`` layouts (see :meth:`_layout`).
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
        self._layout(catalog, ex, cands)

    def _layout(self, catalog: _Catalog, ex: _Exposures, cands: _Candidates) -> None:
        """Dense ``[action, exposure]`` layouts, and every candidate's relief at the start.

        An (action, exposure) pair has at most one link (an escalation links each
        incident of its customer once), so each link's credit and relief sit in fixed
        cells, and acting on some exposures recomputes their columns, without searching
        for the links they touch. One flat buffer holds the cells, then the relief of
        each candidate of several links; ``at`` is where each candidate's relief is in
        it (a single-link candidate's is its cell's).
        """
        count, exposures = len(catalog.actions), ex.customer.shape[0]
        self.credit = np.zeros((count, exposures))
        self.credit[cands.link_action, cands.link_exposure] = cands.credit
        self.share = catalog.share[:, None]
        self.bit = catalog.group_bit[:, None]
        self.any_groups = bool((catalog.group_bit >= 0).any())
        # The candidates of several links (escalations), their links, and where each starts.
        several = np.flatnonzero(~cands.single)
        lengths = cands.stop[several] - cands.start[several]
        offsets = np.cumsum(lengths) - lengths
        self.several = several
        links = np.repeat(cands.start[several] - offsets, lengths) + np.arange(int(lengths.sum()))
        self.several_cells = (cands.link_action[links], cands.link_exposure[links])
        self.several_offsets = offsets
        self.in_several = np.zeros(exposures, dtype=bool)
        self.in_several[self.several_cells[1]] = True
        size = count * exposures
        self.flat = np.zeros(size + several.shape[0])
        self.cells = self.flat[:size].reshape(count, exposures)
        self.several_relief = self.flat[size:]
        first = cands.link_exposure[cands.start]
        self.at = cands.action * exposures + first
        self.at[several] = size + np.arange(several.shape[0])
        # What is left of each exposure's pools, pool-major (``[pool, exposure]``): a pool
        # of some exposures is one contiguous gather. ``ex.left`` stays the start.
        self.left = np.ascontiguousarray(ex.left.T)
        self.remaining = self._per_action(self.left)  # [pool set, exposure]
        self.cells[...] = share_relief(self.remaining[self.action_set], self.share, self.credit)
        self._refresh_several()

    def _per_action(self, by_pool: FloatArray) -> FloatArray:
        """What is left of some exposures (``[pool, exposure]``) per pool set, summed one by one.

        Each sum is a pass over contiguous memory; ``action_set`` maps an action to its
        pool set.
        """
        out = np.zeros((len(self.pool_sets), by_pool.shape[1]))
        for k, pools in enumerate(self.pool_sets):
            column = out[k]
            for pool in pools:  # in pool order: the object path's sum
                column += by_pool[pool]
        return out

    def _blocked(self, links: IntArray) -> BoolArray:
        """Whether an alternative of the link's group already acted on its exposure."""
        bit = self.link_bit[links]
        groups = self.ex.groups[self.cands.link_exposure[links]]
        return np.asarray((bit >= 0) & ((groups >> np.maximum(bit, 0)) & 1).astype(bool))

    def _refresh_several(self) -> None:
        """Recompute the relief of the candidates of several links (summed in link order)."""
        if self.several.size:
            # An escalation links a customer's few incidents: summed one after another.
            self.several_relief[...] = np.add.reduceat(
                self.cells[self.several_cells], self.several_offsets
            )

    def _refresh(self, exposure: IntArray) -> None:
        """Recompute the cells of the (distinct) ``exposure`` just acted on, and their candidates."""
        remaining = self._per_action(self.left[:, exposure])
        self.remaining[:, exposure] = remaining
        now = share_relief(remaining[self.action_set], self.share, self.credit[:, exposure])
        grouped = np.flatnonzero(self.ex.groups[exposure]) if self.any_groups else exposure[:0]
        if grouped.size:  # only an exposure some grouped action acted on can block others
            groups = self.ex.groups[exposure[grouped]][None, :]
            blocked = (self.bit >= 0) & (((groups >> np.maximum(self.bit, 0)) & 1) == 1)
            part = now[:, grouped]
            part[blocked] = 0.0
            now[:, grouped] = part
        self.cells[:, exposure] = now
        if self.in_several[exposure].any():  # else no escalation's sum has changed
            self._refresh_several()

    @property
    def relief(self) -> FloatArray:
        """Each candidate's relief now (a fresh array)."""
        return np.asarray(self.flat[self.at], dtype=np.float64)

    def marginal(self, candidates: IntArray) -> FloatArray:
        """The relief each of ``candidates`` would add now."""
        return np.asarray(self.flat[self.at[candidates]], dtype=np.float64)

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
        lengths = cands.stop[candidates] - cands.start[candidates]
        if bool(cands.single[candidates].all()):
            links = cands.start[candidates]
            owner = np.arange(candidates.shape[0])
        else:
            offsets = np.cumsum(lengths) - lengths
            links = np.repeat(cands.start[candidates] - offsets, lengths) + np.arange(lengths.sum())
            owner = np.repeat(np.arange(candidates.shape[0]), lengths)
        exposure = cands.link_exposure[links]  # distinct: one customer, one action each
        action = cands.link_action[links]
        act = ~self._blocked(links)
        total = self.remaining[self.action_set[action], exposure]
        relief = np.where(
            act, share_relief(total, self.link_share[links], cands.credit[links]), 0.0
        )
        bit = self.link_bit[links]
        grouped = act & (bit >= 0)
        ex.groups[exposure[grouped]] |= np.left_shift(1, bit[grouped])
        positive = act & (total > 0.0)
        keep = np.maximum(0.0, 1.0 - relief / np.where(positive, total, 1.0))
        mask = self.catalog.mask[action]
        for pool in range(_POOLS):  # each pool the actions relieve, where something is left
            rows = np.flatnonzero(mask[:, pool] & positive)
            if rows.size:
                self.left[pool, exposure[rows]] *= keep[rows]
        settled = minor_units(relief, self.scale, up=False)
        settled = np.minimum(settled, ex.loss_units[exposure] - ex.relieved[exposure])
        settled = np.where(act, np.maximum(settled, 0), 0)
        ex.relieved[exposure] += settled
        units = np.bincount(owner, weights=settled, minlength=candidates.shape[0]).astype(np.int64)
        customer = cands.customer[candidates]
        self.spent[customer] += cands.cost_units[candidates]
        self.picks[customer] += 1
        cands.chosen[candidates] = True
        self.picked_candidate.append(candidates)
        self.picked_relief.append(units)
        # Only the cells of the exposures just acted on can have changed.
        self._refresh(exposure)


def _by_customer(customer: IntArray, keys: tuple[IntArray, ...], customers: int) -> IntArray:
    """``np.lexsort((*keys, customer))``, the customer pass a radix sort when codes are small.

    Example:
        >>> _by_customer(np.array([1, 0, 1]), (np.array([5, 7, 3]),), 2)
        array([1, 2, 0])
    """
    if customers > np.iinfo(np.int16).max:
        return np.asarray(np.lexsort((*keys, customer)), dtype=np.int64)
    order = np.lexsort(keys) if keys else np.arange(customer.shape[0])
    # A stable sort of 16-bit codes is a radix sort: linear, and keys' order kept.
    by = np.argsort(customer[order].astype(np.int16), kind="stable")
    return np.asarray(order[by], dtype=np.int64)


def _first_per_customer(customer: IntArray, keys: tuple[IntArray, ...]) -> IntArray:
    """Positions of the lexicographically smallest row of each customer (rows grouped)."""
    if customer.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.concatenate([[True], customer[1:] != customer[:-1]])
    starts = np.flatnonzero(change)
    segment = np.cumsum(change) - 1
    alive = np.ones(customer.shape[0], dtype=bool)
    for number, key in enumerate(keys):
        masked = key if number == 0 else np.where(alive, key, _NONE)
        best = np.minimum.reduceat(masked, starts)
        alive &= masked == best[segment]
        if np.count_nonzero(alive) == starts.shape[0]:
            break  # one row left in every customer: no tie to break further
    first = np.minimum.reduceat(np.where(alive, np.arange(customer.shape[0]), _NONE), starts)
    return first.astype(np.int64)


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


def _greedy_step(state: _State) -> None:
    cands, catalog = state.cands, state.catalog
    scale = state.scale
    live = np.flatnonzero(~cands.chosen)
    # The live candidates' fixed figures, gathered once and compacted with them.
    customer = cands.customer[live]
    cost = cands.cost_units[live]
    stable = cands.stable[live]
    weight = catalog.weight[cands.action[live]]
    while live.size:
        limit = state.limit[customer]
        keep = (state.picks[customer] < state.max_actions) & (
            (limit == _NONE) | (state.spent[customer] + cost <= limit)
        )
        relief = state.marginal(live)
        keep &= relief * scale >= 1.0
        live, customer, cost, stable, weight = (
            live[keep],
            customer[keep],
            cost[keep],
            stable[keep],
            weight[keep],
        )
        if live.size == 0:
            return
        relief = relief[keep]
        key = -np.trunc(relief * weight * scale).astype(np.int64)
        best = _first_per_customer(customer, (key, cost, stable))
        state.apply(live[best])
        left = np.ones(live.shape[0], dtype=bool)
        left[best] = False  # just chosen: every other one is still unchosen
        live, customer, cost, stable, weight = (
            live[left],
            customer[left],
            cost[left],
            stable[left],
            weight[left],
        )


def _fallback_step(state: _State) -> None:
    chunk, cands, ex = state.chunk, state.cands, state.ex
    threshold = chunk.setup.context.to_float(chunk.setup.customer_first.loss_threshold)
    empty = (state.picks == 0) & (ex.total_loss > threshold)
    options = np.flatnonzero(empty[cands.customer] & ~cands.chosen)
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
    order = _by_customer(customer, (candidates.stable[picked], cost, -relief), chunk.n)
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
