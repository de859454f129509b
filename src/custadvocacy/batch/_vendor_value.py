"""Action choice on columns: :class:`~custadvocacy.policies.VendorValuePolicy` for every customer.

The object path's steps, in lockstep over a chunk's customers:

1. a proactive action for each critical order forecast late (as every built-in), each
   valued for the vendor as it is taken;
2. greedily, the candidate with the most net value (retention won back x the CLV
   derivative - cost) that fits the cost limit, while one is worth more than it costs.

Each pick wins back ``kept x effect`` of the retention at risk (``kept`` the share not
yet won back), so its value is settled in minor units as it is taken. Actions are
ranked by net value (then the candidate key).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from custadvocacy._policies import VendorValuePolicy
from custadvocacy._policies._sizing import clv_multiplier
from custadvocacy.batch._actions._model import ChunkActions, minor_units
from custadvocacy.batch._actions._order import _first_per_customer
from custadvocacy.batch._actions._steps import _proactive_step, _repeat
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._forecast import ChunkForecasts
from custadvocacy.batch._impact import ChunkImpacts
from custadvocacy.batch._picks import Lockstep, segment_fsum

__all__ = ["choose_vendor_value"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class _Value:
    """Each customer's retention value at risk, the share still at risk, each pick's value."""

    def __init__(self, run: Lockstep, score: FloatArray, policy: VendorValuePolicy) -> None:
        chunk, cands, ex, catalog = run.chunk, run.cands, run.ex, run.catalog
        at_risk = policy.max_retention_drop * score / 100.0
        margin = policy.margin_share * chunk.annual
        self.whole = at_risk * margin * clv_multiplier(policy.retention, policy.discount_rate)
        total = segment_fsum(ex.customer, ex.loss, chunk.n)
        effect = np.array([a.relationship_effect for a in catalog.actions])[cands.action]
        own = total[cands.customer]
        plain = catalog.escalation[cands.action] | (own <= 0.0)
        # The loss of the candidate's first exposure: a non-escalation candidate answers
        # exactly one; an escalation (all the customer's matching incidents, one or more)
        # is plain, its full effect, so the value is unused there.
        covered = 0.0 + ex.loss[cands.link_exposure[cands.start]]
        self.effect = np.where(plain, effect, effect * covered / np.where(plain, 1.0, own))
        self.kept = np.ones(chunk.n)
        self.scale = chunk.setup.scale
        self.customer = cands.customer
        # Per candidate, its value when taken (minor units); read for the picks only.
        self.taken_value = np.zeros(cands.customer.shape[0], dtype=np.int64)

    def win_back(self, candidates: IntArray) -> IntArray:
        """What each candidate would win back now, in minor units (rounded down)."""
        customer = self.customer[candidates]
        won = self.kept[customer] * self.effect[candidates]
        return minor_units(won * self.whole[customer], self.scale, up=False)

    def took(self, candidates: IntArray) -> None:
        """Record the value of ``candidates`` (at most one per customer) just taken."""
        self.taken_value[candidates] = self.win_back(candidates)
        customer = self.customer[candidates]
        self.kept[customer] -= self.kept[customer] * self.effect[candidates]


def choose_vendor_value(
    chunk: Chunk,
    impacts: ChunkImpacts,
    forecasts: ChunkForecasts,
    score: FloatArray,
    policy: VendorValuePolicy,
) -> ChunkActions:
    """Run ``policy`` for every customer of ``chunk`` (advocacy ``score``); the actions, ranked."""
    run = Lockstep(chunk, impacts, forecasts, _repeat(chunk))
    state, cands = run.state, run.cands
    value = _Value(run, score, policy)
    _proactive_step(state)
    for taken in state.picked_candidate:
        value.took(taken)
    live = np.flatnonzero(~cands.chosen)
    while live.size:
        live = live[state.picks[cands.customer[live]] < state.max_actions]
        live = live[state.fits(live)]
        net = value.win_back(live) - cands.cost_units[live]
        profitable = net > 0
        live, net = live[profitable], net[profitable]
        if live.size == 0:
            break
        customer = cands.customer[live]
        best = _first_per_customer(customer, (-net, cands.cost_units[live], cands.stable[live]))
        picks = live[best]
        state.apply(picks)
        value.took(picks)
        live = live[~cands.chosen[live]]
    picked, relief = run.picked()
    cost = cands.cost_units[picked]
    net_value = value.taken_value[picked] - cost
    order = np.lexsort((cands.stable[picked], -net_value, cands.customer[picked]))
    return run.actions(picked, relief, order)
