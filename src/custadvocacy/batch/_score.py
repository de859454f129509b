"""Advocacy scores on columns: the built-in scorer's seven factors for every customer of a chunk.

Each factor's share comes from the scorer's own kernels
(:mod:`custadvocacy._scoring._formulas`) on columns; the per-customer sums run over the
incidents in id order, as the object path adds them. The points are
``100 * weight share * factor share``, rounded to hundredths by the largest remainder
(vectorised over the seven factors), so they add up to the score exactly as
:func:`~custadvocacy._scoring._scorer.largest_remainder_cents` makes them.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from custadvocacy._scoring import FACTORS
from custadvocacy._scoring._formulas import (
    csat_badness,
    decay_weight,
    harm_share,
    mean_of_present,
    nps_badness,
    renewal_urgency,
    repetition_share,
    saturation,
    tickets_badness,
    usage_badness,
)
from custadvocacy.batch._chunk import Chunk, segment_sum
from custadvocacy.batch._forecast import LATENESS_CODES, ChunkForecasts, risk_beyond_incidents
from custadvocacy.batch._impact import ChunkImpacts
from custadvocacy.batch._schema import CATEGORIES, MISSING_MOMENT

__all__ = ["ChunkScores", "largest_remainder", "score_chunk"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_DAY_US: Final = 86_400_000_000.0
_CUSTOMER: Final = CATEGORIES["noticed_by"].index("customer")


class ChunkScores:
    """The scores of a chunk's customers: value, band and each factor's points."""

    __slots__ = ("band", "points", "revenue", "shares", "value")

    def __init__(self, value: FloatArray, band: npt.NDArray[np.int8], points: FloatArray,
                 shares: FloatArray, revenue: FloatArray) -> None:  # fmt: skip
        self.value = value
        self.band = band
        self.points = points  # (n, 7) hundredths of points, as floats
        self.shares = shares  # (n, 7) each factor's share in [0, 1]
        self.revenue = revenue  # daily revenue the harm is measured against


def _neumaier(columns: FloatArray) -> FloatArray:
    """Row sums of ``(n, k)``, compensated: :func:`math.fsum`'s correctly rounded sum.

    Neumaier's summation: exact but in pathological cases.
    """
    total = np.zeros(columns.shape[0])
    compensation = np.zeros(columns.shape[0])
    for k in range(columns.shape[1]):
        x = columns[:, k]
        t = total + x
        bigger = np.abs(total) >= np.abs(x)
        compensation += np.where(bigger, (total - t) + x, (x - t) + total)
        total = t
    return total + compensation


def largest_remainder(raw: FloatArray) -> npt.NDArray[np.int64]:
    """Round ``(n, k)`` non-negative points to hundredths that add up to each row's rounded sum.

    The columnar :func:`~custadvocacy._scoring._scorer.largest_remainder_cents`: floors,
    then one hundredth each to the largest remainders (ties to the earlier column).

    Example:
        >>> largest_remainder(np.array([[33.333, 33.333, 33.334]]))
        array([[3333, 3333, 3334]])
    """
    scaled = np.maximum(raw, 0.0) * 100.0
    floors = np.floor(scaled)
    target = np.round(_neumaier(scaled))
    missing = np.maximum(0.0, target - floors.sum(axis=1))
    order = np.argsort(-(scaled - floors), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(raw.shape[1])[None, :], axis=1)
    return np.asarray(floors + (rank < missing[:, None]), dtype=np.int64)


def _heading(chunk: Chunk, impacts: ChunkImpacts, forecasts: ChunkForecasts) -> IntArray:
    """Per incident, the order whose risk beyond its incidents harm weighs there, else -1.

    The object path's rule: the first (by id) open, seen, estimated late or partial
    delivery on an order still on the road takes its order's rest, once per order.
    """
    live = chunk.order_field(forecasts.is_open, fill=False).astype(bool)
    candidate = (
        live
        & chunk.seen
        & chunk.incident_open
        & impacts.estimated
        & np.isin(chunk.kind, LATENESS_CODES)
    )
    heading = np.full(chunk.kind.shape[0], -1, dtype=np.int64)
    rows = np.flatnonzero(candidate)
    # Incidents come by customer, by id within: the first row of an order is its first by id.
    _, first = np.unique(chunk.incident_order_local[rows], return_index=True)
    heading[rows[first]] = chunk.incident_order_local[rows[first]]
    return heading


def _factor_harm(chunk: Chunk, impacts: ChunkImpacts, beyond: FloatArray, heading: IntArray,
                 revenue: FloatArray) -> FloatArray:  # fmt: skip
    config = chunk.setup.scorer.config
    as_of = chunk.setup.as_of_us
    counted = chunk.seen & impacts.estimated
    # An open late delivery on an order still on the road weighs what it is heading for.
    rest = np.zeros(heading.shape[0])
    rest[heading >= 0] = beyond[heading[heading >= 0]]
    loss = impacts.expected + rest
    age = (as_of - chunk.resolved).astype(np.float64) / _DAY_US
    decayed = decay_weight(np.where(chunk.incident_open, 0.0, age), config.resolved_half_life_days)
    weight = np.where(chunk.incident_open, 1.0, decayed)
    total = segment_sum(chunk.incident_customer, np.where(counted, loss * weight, 0.0), chunk.n)
    return harm_share(total, revenue, config.harm_scale_days)


def _factor_unresolved(chunk: Chunk) -> FloatArray:
    config = chunk.setup.scorer.config
    open_seen = chunk.seen & chunk.incident_open
    load = chunk.severity_rank / 4.0 * chunk.hours_open() / 24.0
    total = segment_sum(chunk.incident_customer, np.where(open_seen, load, 0.0), chunk.n)
    return saturation(total, config.unresolved_scale_days)


def _recency(chunk: Chunk) -> FloatArray:
    config = chunk.setup.scorer.config
    age = (chunk.setup.as_of_us - chunk.opened).astype(np.float64) / _DAY_US
    return decay_weight(age, config.repetition_half_life_days)


def _factor_repetition(chunk: Chunk, recency: FloatArray) -> FloatArray:
    config = chunk.setup.scorer.config
    count = segment_sum(chunk.incident_customer, np.where(chunk.seen, recency, 0.0), chunk.n)
    return repetition_share(count, config.repetition_midpoint)


def _factor_reactive(chunk: Chunk, recency: FloatArray) -> FloatArray:
    config = chunk.setup.scorer.config
    reported = chunk.seen & (chunk.noticed_by == _CUSTOMER)
    load = chunk.severity_rank / 4.0 * recency
    total = segment_sum(chunk.incident_customer, np.where(reported, load, 0.0), chunk.n)
    return saturation(total, config.reactive_scale)


def _factor_forecast(chunk: Chunk, forecasts: ChunkForecasts, beyond: FloatArray,
                     heading: IntArray, revenue: FloatArray) -> FloatArray:  # fmt: skip
    config = chunk.setup.scorer.config
    # An order harm weighs is not weighed again; a delivered one is history.
    taken = np.zeros(chunk.order_rows.shape[0], dtype=bool)
    taken[heading[heading >= 0]] = True
    counted = forecasts.is_open & ~taken
    risk = segment_sum(chunk.order_customer, np.where(counted, beyond, 0.0), chunk.n)
    return harm_share(risk, revenue, config.harm_scale_days)


def _factor_health(chunk: Chunk) -> FloatArray:
    config = chunk.setup.scorer.config
    nps, csat, tickets, usage = (chunk.health[:, k] for k in range(4))
    badness = np.stack(
        [
            nps_badness(nps),
            csat_badness(csat),
            tickets_badness(tickets, config.ticket_scale),
            usage_badness(usage, config.usage_full_drop),
        ],
        axis=1,
    )
    # A missing signal (NaN) stays NaN through every kernel, and is skipped.
    badness[np.isnan(chunk.health)] = np.nan
    return mean_of_present(badness)


def _factor_relationship(chunk: Chunk) -> FloatArray:
    setup = chunk.setup
    config = setup.scorer.config
    scale = setup.context.to_float(config.value_scale)
    value_part = saturation(chunk.annual, scale)
    has_renewal = chunk.renewal != MISSING_MOMENT
    days = (chunk.renewal - setup.as_of_us).astype(np.float64) / _DAY_US
    urgency = np.where(has_renewal, renewal_urgency(days, config.renewal_window_days), 0.0)
    return 0.5 * value_part + 0.5 * urgency


def _daily_revenue(chunk: Chunk) -> FloatArray:
    """Each customer's daily revenue, converted, or their segment's default (as the scorer)."""
    setup = chunk.setup
    defaults = setup.scorer.config.profile_defaults
    lacking = np.isnan(chunk.revenue)
    if not lacking.any():
        return chunk.revenue
    assumed = setup.segment_money(defaults, "daily_revenue")[chunk.segment]
    setup.require_rate(assumed[lacking], defaults, "daily_revenue")
    return np.where(lacking, assumed, chunk.revenue)


def score_chunk(chunk: Chunk, impacts: ChunkImpacts, forecasts: ChunkForecasts) -> ChunkScores:
    """Score every customer of ``chunk`` with the setup's :class:`~custadvocacy.AdvocacyScorer`."""
    setup = chunk.setup
    scorer = setup.scorer
    config = scorer.config
    revenue = _daily_revenue(chunk)
    recency = _recency(chunk)
    beyond = risk_beyond_incidents(chunk, impacts, forecasts)
    heading = _heading(chunk, impacts, forecasts)
    shares = np.stack(
        [
            _factor_harm(chunk, impacts, beyond, heading, revenue),
            _factor_unresolved(chunk),
            _factor_repetition(chunk, recency),
            _factor_reactive(chunk, recency),
            _factor_forecast(chunk, forecasts, beyond, heading, revenue),
            _factor_health(chunk),
            _factor_relationship(chunk),
        ],
        axis=1,
    )
    weights = np.array([config.weights.share(name) for name in FACTORS])
    raw = 100.0 * weights[None, :] * shares
    cents = largest_remainder(raw)
    value = cents.sum(axis=1) / 100.0
    thresholds = np.asarray(config.band_thresholds)
    band = np.searchsorted(thresholds, value, side="right").astype(np.int8)
    return ChunkScores(value, band, cents / 100.0, shares, revenue)
