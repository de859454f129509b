"""Impacts on columns: every incident of a chunk, estimated with the object path's kernels.

For each incident kind the chunk holds, the incidents of that kind are estimated
together: their inputs are resolved as :class:`~custadvocacy._impact._inputs.Resolver`
resolves them (the host's figure with the supplied spread, or the segment's default
with the default spread, through :func:`~custadvocacy._impact._formulas.spread_range`),
and the estimator's kernel (``delivery_loss``, ``defect_loss``...) runs three times,
at the loss-lowering, central and loss-raising quantiles of every input, exactly as
the estimator object calls it with floats. The totals add the items in the same order.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from custadvocacy._errors import ConfigurationError
from custadvocacy._impact._defaults import PerSegment, ProfileDefaults
from custadvocacy._impact._defect import DefectEstimator
from custadvocacy._impact._delivery import LateDeliveryEstimator, PartialDeliveryEstimator
from custadvocacy._impact._formulas import (
    billing_error_loss,
    defect_loss,
    delivery_loss,
    service_outage_loss,
    spread_range,
    support_failure_loss,
)
from custadvocacy._impact._model import LossCategory
from custadvocacy._impact._services import (
    BillingErrorEstimator,
    ServiceOutageEstimator,
    SupportFailureEstimator,
)
from custadvocacy.batch._chunk import Chunk
from custadvocacy.batch._schema import MISSING_MOMENT
from custadvocacy.batch._setup import KINDS, Setup

__all__ = ["CATEGORIES", "ChunkImpacts", "Profile", "Subset", "delivery_items", "estimate_chunk"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Range = tuple[FloatArray, FloatArray, FloatArray]

CATEGORIES: Final = tuple(LossCategory)
"""Loss categories in column order of :attr:`ChunkImpacts.categories`."""
_CAT: Final = {category: i for i, category in enumerate(CATEGORIES)}
_DAY_US: Final = 86_400_000_000.0


class ChunkImpacts:
    """The impacts of a chunk's incidents (in the chunk's incident order)."""

    __slots__ = ("categories", "estimated", "expected", "high", "low", "ongoing")

    def __init__(self, count: int) -> None:
        self.expected = np.zeros(count)
        self.low = np.zeros(count)
        self.high = np.zeros(count)
        self.estimated = np.zeros(count, dtype=bool)
        self.ongoing = np.zeros(count, dtype=bool)
        # Each incident's central estimate per loss category (what policies relieve).
        self.categories = np.zeros((count, len(CATEGORIES)))


class Profile:
    """A customer's figures for one estimator: the host's, else the segment's defaults."""

    def __init__(
        self,
        setup: Setup,
        defaults: ProfileDefaults,
        supplied_k: float,
        default_k: float,
        segment: IntArray,
    ) -> None:
        self.setup = setup
        self.defaults = defaults
        self.ks = supplied_k
        self.kd = default_k
        self.segment = segment

    def _per_segment(self, attribute: str) -> FloatArray:
        d = self.defaults
        values = [float(getattr(s, attribute)) for s in (d.small, d.mid_market, d.enterprise)]
        return np.array(values, dtype=np.float64)[self.segment]

    def money(self, supplied: FloatArray, attribute: str) -> Range:
        """A money input (already converted; NaN: not supplied) and its range."""
        known = ~np.isnan(supplied)
        default = self.setup.segment_money(self.defaults, attribute)[self.segment]
        value = np.where(known, supplied, default)
        self.setup.require_rate(value[~known], self.defaults, attribute)
        return spread_range(value, np.where(known, self.ks, self.kd))

    def number(self, supplied: FloatArray, attribute: str, *, cap: float | None = None) -> Range:
        """A number input (NaN: not supplied) and its range; ``cap`` bounds the P90."""
        known = ~np.isnan(supplied)
        value = np.where(known, supplied, self._per_segment(attribute))
        return spread_range(value, np.where(known, self.ks, self.kd), cap)

    def hours(self, recorded: FloatArray, default: FloatArray) -> Range:
        """Hours the host recorded (a fact: no spread), else ``default`` with the default spread."""
        known = ~np.isnan(recorded)
        value = np.where(known, recorded, default)
        return spread_range(value, np.where(known, 1.0, self.kd))


def per_segment(values: PerSegment, segment: IntArray) -> FloatArray:
    """A :class:`PerSegment` figure for each row's segment."""
    table = np.array([values.small, values.mid_market, values.enterprise], dtype=np.float64)
    return table[segment]


class Subset:
    """Incidents (or orders) of a chunk that one estimator prices, with their inputs."""

    def __init__(  # noqa: PLR0917 - who they are and the incident fields they bring
        self,
        chunk: Chunk,
        rows: IntArray,
        customer: IntArray,
        criticality: FloatArray,
        estimator: Any,
        effort: FloatArray,
    ) -> None:
        self.rows = rows
        self.segment = chunk.segment[customer]
        k_supplied, k_default = estimator.spread.factors
        self.profile = Profile(chunk.setup, estimator.defaults, k_supplied, k_default, self.segment)
        self.revenue = self.profile.money(chunk.revenue[customer], "daily_revenue")
        self.margin = self.profile.number(chunk.margin[customer], "gross_margin", cap=1.0)
        self.buffer = self.profile.number(chunk.buffer[customer], "buffer_days")
        self.staff = self.profile.number(chunk.staff[customer], "staff_count")
        self.wage = self.profile.money(chunk.wage[customer], "staff_hourly_cost")
        self.criticality = self.profile.number(criticality, "criticality", cap=1.0)
        self.effort = effort

    @classmethod
    def of_incidents(cls, chunk: Chunk, rows: IntArray, estimator: Any) -> Subset:
        """The chunk's incidents at ``rows``, priced by ``estimator``."""
        subset = cls(
            chunk,
            rows,
            chunk.incident_customer[rows],
            chunk.order_field(chunk.criticality, np.nan)[rows],
            estimator,
            chunk.effort[rows],
        )
        subset.share = chunk.share[rows]
        subset.open = chunk.incident_open[rows]
        subset.has_order = chunk.has_order[rows]
        return subset

    share: FloatArray
    open: BoolArray
    has_order: BoolArray


def _incident_days(chunk: Chunk, rows: IntArray) -> FloatArray:
    return chunk.hours_open()[rows] / 24.0


def _delivery(
    chunk: Chunk, s: Subset, estimator: LateDeliveryEstimator | PartialDeliveryEstimator
) -> tuple[list[tuple[LossCategory, Range]], BoolArray]:
    setup = chunk.setup
    as_of = setup.as_of_us
    rows = s.rows
    partial = isinstance(estimator, PartialDeliveryEstimator)
    promised = chunk.order_field(chunk.promised, 0)[rows]
    if partial:
        resolved = chunk.resolved[rows]
        done = (resolved != MISSING_MOMENT) & (resolved <= as_of)
        end = np.where(done, resolved, as_of)
        ongoing = s.open
    else:
        delivered = chunk.order_field(chunk.delivered, MISSING_MOMENT)[rows]
        arrived = (delivered != MISSING_MOMENT) & (delivered <= as_of)
        end = np.where(arrived, delivered, as_of)
    with_order = np.maximum(0.0, (end - promised).astype(np.float64) / _DAY_US)
    days = np.where(s.has_order, with_order, _incident_days(chunk, rows))
    if not partial:
        ongoing = np.where(s.has_order, (~arrived & (days > 0.0)) | s.open, s.open)
    share = s.share if partial else np.ones(rows.shape[0])
    value = chunk.order_field(chunk.order_value, 0.0)[rows]
    items = delivery_items(s, estimator, days, days, days, share, value)
    return items, ongoing


def delivery_items(  # noqa: PLR0917 - the late-delivery kernel's varying inputs
    s: Subset,
    estimator: LateDeliveryEstimator | PartialDeliveryEstimator,
    days_low: FloatArray,
    days_mid: FloatArray,
    days_high: FloatArray,
    share: FloatArray,
    value: FloatArray,
) -> list[tuple[LossCategory, Range]]:
    """The three delivery items at the loss-lowering, central and loss-raising inputs.

    The days late are a measured fact (one value for all three) for an incident; a
    forecast prices three different hypothetical delays, one per quantile.
    """
    # Each estimate's default handling hours follow its own days late (its late.mid).
    per_day = estimator.handling_hours_per_day_late
    handling = (
        s.profile.hours(s.effort, per_day * days_low)[0],
        s.profile.hours(s.effort, per_day * days_mid)[1],
        s.profile.hours(s.effort, per_day * days_high)[2],
    )
    hpd = float(estimator.hours_per_day)
    rate = float(estimator.expediting_rate)
    revenue, margin, buffer, staff, wage, crit = (
        s.revenue, s.margin, s.buffer, s.staff, s.wage, s.criticality,
    )  # fmt: skip
    low = delivery_loss(
        days_late=days_low, buffer_days=buffer[2], daily_revenue=revenue[0],
        gross_margin=margin[0], criticality=crit[0], share=share, staff_count=staff[0],
        hours_per_day=hpd, hourly_cost=wage[0], handling_hours=handling[0], order_value=value,
        expediting_rate=rate,
    )  # fmt: skip
    mid = delivery_loss(
        days_late=days_mid, buffer_days=buffer[1], daily_revenue=revenue[1],
        gross_margin=margin[1], criticality=crit[1], share=share, staff_count=staff[1],
        hours_per_day=hpd, hourly_cost=wage[1], handling_hours=handling[1], order_value=value,
        expediting_rate=rate,
    )  # fmt: skip
    high = delivery_loss(
        days_late=days_high, buffer_days=buffer[0], daily_revenue=revenue[2],
        gross_margin=margin[2], criticality=crit[2], share=share, staff_count=staff[2],
        hours_per_day=hpd, hourly_cost=wage[2], handling_hours=handling[2], order_value=value,
        expediting_rate=rate,
    )  # fmt: skip
    return [
        (LossCategory.LOST_MARGIN, (low[0], mid[0], high[0])),
        (LossCategory.IDLE_STAFF, (low[1], mid[1], high[1])),
        (LossCategory.EXPEDITING, (low[2], mid[2], high[2])),
    ]


def _defect(
    chunk: Chunk, s: Subset, estimator: DefectEstimator
) -> tuple[list[tuple[LossCategory, Range]], BoolArray]:
    wait = _incident_days(chunk, s.rows)
    share = s.share
    rework = s.profile.hours(s.effort, per_segment(estimator.rework_hours, s.segment) * share)
    hpd = float(estimator.hours_per_day)
    revenue, margin, buffer, staff, wage, crit = (
        s.revenue, s.margin, s.buffer, s.staff, s.wage, s.criticality,
    )  # fmt: skip
    low = defect_loss(
        wait_days=wait, buffer_days=buffer[2], daily_revenue=revenue[0], gross_margin=margin[0],
        criticality=crit[0], share=share, staff_count=staff[0], hours_per_day=hpd,
        hourly_cost=wage[0], rework_hours=rework[0],
    )  # fmt: skip
    mid = defect_loss(
        wait_days=wait, buffer_days=buffer[1], daily_revenue=revenue[1], gross_margin=margin[1],
        criticality=crit[1], share=share, staff_count=staff[1], hours_per_day=hpd,
        hourly_cost=wage[1], rework_hours=rework[1],
    )  # fmt: skip
    high = defect_loss(
        wait_days=wait, buffer_days=buffer[0], daily_revenue=revenue[2], gross_margin=margin[2],
        criticality=crit[2], share=share, staff_count=staff[2], hours_per_day=hpd,
        hourly_cost=wage[2], rework_hours=rework[2],
    )  # fmt: skip
    items = [
        (LossCategory.REPLACEMENT_DELAY, (low[0], mid[0], high[0])),
        (LossCategory.IDLE_STAFF, (low[1], mid[1], high[1])),
        (LossCategory.STAFF_EFFORT, (low[2], mid[2], high[2])),
    ]
    return items, s.open


def _outage(
    chunk: Chunk, s: Subset, estimator: ServiceOutageEstimator
) -> tuple[list[tuple[LossCategory, Range]], BoolArray]:
    down = chunk.hours_open()[s.rows]
    share = s.share
    recovery = s.profile.hours(s.effort, estimator.recovery_hours_per_hour_down * down * share)
    hpd = float(estimator.hours_per_day)
    t, b = estimator.full_rate_hours, estimator.decay_exponent
    revenue, margin, staff, wage = s.revenue, s.margin, s.staff, s.wage
    low = service_outage_loss(
        hours_down=down, share=share, daily_revenue=revenue[0], gross_margin=margin[0],
        staff_count=staff[0], hourly_cost=wage[0], hours_per_day=hpd, full_rate_hours=t,
        decay_exponent=b, recovery_hours=recovery[0],
    )  # fmt: skip
    mid = service_outage_loss(
        hours_down=down, share=share, daily_revenue=revenue[1], gross_margin=margin[1],
        staff_count=staff[1], hourly_cost=wage[1], hours_per_day=hpd, full_rate_hours=t,
        decay_exponent=b, recovery_hours=recovery[1],
    )  # fmt: skip
    high = service_outage_loss(
        hours_down=down, share=share, daily_revenue=revenue[2], gross_margin=margin[2],
        staff_count=staff[2], hourly_cost=wage[2], hours_per_day=hpd, full_rate_hours=t,
        decay_exponent=b, recovery_hours=recovery[2],
    )  # fmt: skip
    items = [
        (LossCategory.LOST_MARGIN, (low[0], mid[0], high[0])),
        (LossCategory.IDLE_STAFF, (low[1], mid[1], high[1])),
        (LossCategory.STAFF_EFFORT, (low[2], mid[2], high[2])),
    ]
    return items, s.open


def _billing(
    chunk: Chunk, s: Subset, estimator: BillingErrorEstimator
) -> tuple[list[tuple[LossCategory, Range]], BoolArray]:
    hours = s.profile.hours(s.effort, per_segment(estimator.staff_hours, s.segment))
    amount = chunk.amount[s.rows]
    amount = np.where(np.isnan(amount), 0.0, amount)
    days = _incident_days(chunk, s.rows)
    rate = float(estimator.annual_cost_of_capital)
    wage = s.wage
    low = billing_error_loss(
        staff_hours=hours[0], hourly_cost=wage[0], amount=amount, days_tied=days, annual_rate=rate
    )
    mid = billing_error_loss(
        staff_hours=hours[1], hourly_cost=wage[1], amount=amount, days_tied=days, annual_rate=rate
    )
    high = billing_error_loss(
        staff_hours=hours[2], hourly_cost=wage[2], amount=amount, days_tied=days, annual_rate=rate
    )
    items = [
        (LossCategory.STAFF_EFFORT, (low[0], mid[0], high[0])),
        (LossCategory.CASH_TIED_UP, (low[1], mid[1], high[1])),
    ]
    return items, s.open


def _support(
    chunk: Chunk, s: Subset, estimator: SupportFailureEstimator
) -> tuple[list[tuple[LossCategory, Range]], BoolArray]:
    hours = s.profile.hours(s.effort, per_segment(estimator.staff_hours, s.segment))
    days = _incident_days(chunk, s.rows)
    target = float(estimator.target_days)
    waiting = np.full(days.shape[0], float(estimator.waiting_hours_per_day))
    wage = s.wage
    share = s.share
    low = support_failure_loss(
        staff_hours=hours[0], hourly_cost=wage[0], days_open=days, target_days=target,
        waiting_hours_per_day=waiting, share=share,
    )  # fmt: skip
    mid = support_failure_loss(
        staff_hours=hours[1], hourly_cost=wage[1], days_open=days, target_days=target,
        waiting_hours_per_day=waiting, share=share,
    )  # fmt: skip
    high = support_failure_loss(
        staff_hours=hours[2], hourly_cost=wage[2], days_open=days, target_days=target,
        waiting_hours_per_day=waiting, share=share,
    )  # fmt: skip
    items = [
        (LossCategory.STAFF_EFFORT, (low[0], mid[0], high[0])),
        (LossCategory.IDLE_STAFF, (low[1], mid[1], high[1])),
    ]
    return items, s.open


_ESTIMATE: Final[dict[type, Any]] = {
    LateDeliveryEstimator: _delivery,
    PartialDeliveryEstimator: _delivery,
    DefectEstimator: _defect,
    ServiceOutageEstimator: _outage,
    BillingErrorEstimator: _billing,
    SupportFailureEstimator: _support,
}


def estimate_chunk(chunk: Chunk) -> ChunkImpacts:
    """Estimate every incident of ``chunk`` (in its incident order).

    Raises:
        ConfigurationError: An incident's kind has no estimator and the set says
            ``on_missing="raise"``.
        MissingRateError: A default used has no rate into the reporting currency.
    """
    setup = chunk.setup
    out = ChunkImpacts(chunk.kind.shape[0])
    out.ongoing[:] = chunk.incident_open
    for code, kind in enumerate(KINDS):
        rows = np.flatnonzero(chunk.kind == code)
        if rows.size == 0:
            continue
        estimator = setup.estimators.for_kind(kind)
        if estimator is None:
            if setup.estimators.on_missing == "raise":
                first = int(setup.columns.incidents["row"][chunk.incident_rows[rows[0]]])
                raise ConfigurationError(
                    f"no estimator for incident kind {kind.value!r} (incidents row {first}); "
                    "add one with EstimatorSet.with_estimator(...) or use "
                    "on_missing='not_estimated'"
                )
            continue  # not estimated: zero totals, estimated=False, never a silent zero loss
        subset = Subset.of_incidents(chunk, rows, estimator)
        items, ongoing = _ESTIMATE[type(estimator)](chunk, subset, estimator)
        _store(out, rows, items, ongoing)
    return out


def _store(
    out: ChunkImpacts,
    rows: IntArray,
    items: list[tuple[LossCategory, Range]],
    ongoing: BoolArray,
) -> None:
    # Totals as Impact.from_items adds them: item by item, from zero.
    expected = np.zeros(rows.shape[0])
    low = np.zeros(rows.shape[0])
    high = np.zeros(rows.shape[0])
    categories = out.categories
    for category, (lo, mid, hi) in items:
        expected = expected + mid
        low = low + lo
        high = high + hi
        categories[rows, _CAT[category]] += mid
    out.expected[rows] = expected
    out.low[rows] = low
    out.high[rows] = high
    out.estimated[rows] = True
    out.ongoing[rows] = ongoing
