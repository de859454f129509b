"""The catalog, the exposures (incidents and forecast orders) and the candidates of a chunk."""

from __future__ import annotations

import numpy as np

from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._policies._actions import Action, PriceBasis
from custadvocacy._policies._engine import LATE_CATEGORIES
from custadvocacy._policies._sizing import (
    action_cost,
    credit_amount,
    delay_ratio,
    downtime_share,
    tier_share,
    time_weight,
)
from custadvocacy.batch._actions._model import (
    _BASES,
    _DAY_US,
    _LATE,
    _LATE_POOL,
    _NONE,
    _OUTAGE,
    _PARTIAL,
    _POOLS,
    BoolArray,
    FloatArray,
    IntArray,
    minor_units,
)
from custadvocacy.batch._actions._order import _by_customer
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._forecast import ChunkForecasts, risk_beyond_incidents
from custadvocacy.batch._impact import CATEGORIES, ChunkImpacts
from custadvocacy.batch._schema import MISSING_MOMENT
from custadvocacy.batch._setup import KINDS


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
        self.left = np.zeros((fc.shape[0], _POOLS))
        self.left[:, _LATE_POOL] = risk_beyond_incidents(chunk, impacts, forecasts)[fc]
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
