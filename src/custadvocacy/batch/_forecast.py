"""Forecasts on columns: every open order of a chunk, as :func:`~custadvocacy.forecast_orders`.

The outlook comes from the lead-time model's own kernels
(:func:`~custadvocacy._forecast._leadtime.eta_outlook_values` for a current ETA,
:func:`~custadvocacy._forecast._leadtime.history_outlook_values` for the lane's, the
pooled or the prior's history), called on columns. The loss if late is the
late-delivery estimator's kernel at the hypothetical delivery ``d`` days after the
promise, ``d`` rounded to the microsecond as ``timedelta(days=d)`` rounds it.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from custadvocacy._forecast import EmpiricalLeadTimeModel, ForecastBasis, LaneHistory
from custadvocacy._forecast._at_risk import LATENESS
from custadvocacy._forecast._leadtime import (
    eta_outlook_values,
    history_outlook_values,
    history_statistics,
)
from custadvocacy._impact._delivery import LateDeliveryEstimator
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._impact import ChunkImpacts, Subset, delivery_items
from custadvocacy.batch._schema import MISSING_MOMENT
from custadvocacy.batch._setup import KINDS, timedelta_us

__all__ = ["BASES", "ChunkForecasts", "forecast_chunk"]

FloatArray = npt.NDArray[np.float64]
LATENESS_CODES: Final = np.array(sorted(KINDS.index(kind) for kind in LATENESS), dtype=np.int64)
"""The kind codes of :data:`~custadvocacy._forecast._at_risk.LATENESS`."""
IntArray = npt.NDArray[np.int64]

BASES: Final = tuple(ForecastBasis)
"""Forecast bases in code order (the ``forecast_basis`` result column's codes)."""
_BASIS: Final = {basis: code for code, basis in enumerate(BASES)}
_DAY_US: Final = 86_400_000_000.0


class ChunkForecasts:
    """The forecasts of a chunk's orders (in its order order).

    ``is_open`` marks the orders forecast: open at ``as_of`` and placed by then. The
    others (delivered, or placed after ``as_of``) hold zeros.
    """

    __slots__ = (
        "already_late",
        "basis",
        "expected_days",
        "expected_loss",
        "high",
        "high_days",
        "is_open",
        "low",
        "low_days",
        "observations",
        "probability",
        "risk",
    )

    def __init__(self, count: int) -> None:
        self.is_open = np.zeros(count, dtype=bool)
        self.probability = np.zeros(count)
        self.expected_days = np.zeros(count)
        self.low_days = np.zeros(count)
        self.high_days = np.zeros(count)
        self.expected_loss = np.zeros(count)
        self.low = np.zeros(count)
        self.high = np.zeros(count)
        self.risk = np.zeros(count)
        self.already_late = np.zeros(count, dtype=bool)
        self.basis = np.full(count, -1, dtype=np.int8)
        self.observations = np.zeros(count, dtype=np.int64)


def _histories(
    model: EmpiricalLeadTimeModel, lanes: tuple[str, ...]
) -> tuple[list[LaneHistory | None], list[ForecastBasis]]:
    """The history (and basis) of each lane code, the last entry for orders without one."""
    histories: list[LaneHistory | None] = []
    bases: list[ForecastBasis] = []
    for lane in (*lanes, None):
        history, basis = model.history_for(lane)
        histories.append(history)
        bases.append(basis)
    return histories, bases


def _outlooks(
    chunk: Chunk, rows: IntArray, out: ChunkForecasts
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Probability late and the days late (expected, P10, P90) of the open orders ``rows``."""
    setup = chunk.setup
    model = setup.model
    as_of = setup.as_of_us
    promised = chunk.promised[rows]
    eta = chunk.eta[rows]
    elapsed = (as_of - promised).astype(np.float64) / _DAY_US
    current = (eta != MISSING_MOMENT) & (eta >= as_of)
    p = np.zeros(rows.shape[0])
    expected = np.zeros(rows.shape[0])
    low = np.zeros(rows.shape[0])
    high = np.zeros(rows.shape[0])
    if current.any():
        at = np.flatnonzero(current)
        mean = (eta[at] - promised[at]).astype(np.float64) / _DAY_US
        horizon = (eta[at] - as_of).astype(np.float64) / _DAY_US
        p[at], expected[at], low[at], high[at], _ = eta_outlook_values(
            mean, horizon, elapsed[at], model.eta_spread_days, model.eta_spread_share
        )
        out.basis[rows[at]] = _BASIS[ForecastBasis.ETA]
    histories, bases = _histories(model, setup.columns.lanes)
    lane = chunk.lane[rows].astype(np.int64)
    which = np.where(lane < 0, len(histories) - 1, lane)
    for code in np.unique(which[~current]):
        at = np.flatnonzero(~current & (which == code))
        history = histories[int(code)]
        cut: FloatArray = np.maximum(elapsed[at], 0.0)
        stats: tuple[Any, Any, Any]
        if history is None:
            count, stats = 0.0, (0.0, 0.0, 0.0)
        else:
            delays = np.asarray(history.delays, dtype=np.float64)
            count, stats = float(history.count), history_statistics(delays, cut, elapsed[at])
        p[at], expected[at], low[at], high[at] = history_outlook_values(
            elapsed[at], count, stats[0], stats[1], stats[2], model.prior
        )
        out.basis[rows[at]] = _BASIS[bases[int(code)]]
        out.observations[rows[at]] = 0 if history is None else history.count
    return p, expected, low, high


def forecast_chunk(chunk: Chunk) -> ChunkForecasts:
    """Forecast every open order of ``chunk`` placed by ``as_of`` (others are zeros).

    Delivered orders are history; orders placed after ``as_of`` do not exist yet in a
    replay.
    """
    setup = chunk.setup
    out = ChunkForecasts(chunk.order_rows.shape[0])
    placed = chunk.placed <= setup.as_of_us
    open_rows = np.flatnonzero((chunk.delivered == MISSING_MOMENT) & placed)
    out.is_open[open_rows] = True
    if open_rows.size == 0:
        return out
    probability, expected, low, high = _outlooks(chunk, open_rows, out)
    already = setup.as_of_us > chunk.promised[open_rows]
    probability = np.where(already, 1.0, probability)
    estimator = setup.late_estimator
    # Unreachable, so neither covered nor mutated: prepare() refuses another estimator.
    if not isinstance(estimator, LateDeliveryEstimator):  # pragma: no cover, no mutate block
        raise TypeError("the late-delivery estimator must be the built-in one")
    # The hypothetical incident records no effort and hits the whole order.
    subset = Subset(
        chunk,
        open_rows,
        chunk.order_customer[open_rows],
        chunk.criticality[open_rows],
        estimator,
        np.full(open_rows.shape[0], np.nan),
    )
    days = [timedelta_us(d).astype(np.float64) / _DAY_US for d in (low, expected, high)]
    items = delivery_items(
        subset,
        estimator,
        days[0],
        days[1],
        days[2],
        np.ones(open_rows.shape[0]),
        chunk.order_value[open_rows],
    )
    at_low = np.zeros(open_rows.shape[0])
    central = np.zeros(open_rows.shape[0])
    at_high = np.zeros(open_rows.shape[0])
    for _, (lo, mid, hi) in items:
        at_low = at_low + lo
        central = central + mid
        at_high = at_high + hi
    out.probability[open_rows] = probability
    out.expected_days[open_rows] = expected
    out.low_days[open_rows] = low
    out.high_days[open_rows] = high
    out.expected_loss[open_rows] = central
    out.low[open_rows] = np.minimum(at_low, central)
    out.high[open_rows] = np.maximum(at_high, central)
    out.risk[open_rows] = probability * central
    out.already_late[open_rows] = already
    return out


def risk_beyond_incidents(
    chunk: Chunk, impacts: ChunkImpacts, forecasts: ChunkForecasts
) -> FloatArray:
    """Each order's forecast risk less its seen lateness incidents' loss, never below zero.

    The columnar :func:`~custadvocacy._forecast._at_risk.risk_beyond_incidents`: the part
    of an order's risk its incidents' impacts do not count already (what a policy may
    still avoid, and what a customer's ``risk`` adds up).
    """
    linked = chunk.seen & chunk.has_order & impacts.estimated & np.isin(chunk.kind, LATENESS_CODES)
    counted = np.bincount(
        chunk.incident_order_local[linked],
        weights=impacts.expected[linked],
        minlength=forecasts.risk.shape[0],
    )
    return np.maximum(forecasts.risk - counted, 0.0)
