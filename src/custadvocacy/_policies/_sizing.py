"""How big an action is: relief and cost kernels, each written once over floats and arrays.

The policies call these with Python floats; a later batch path calls the very same
functions with float64 columns of shape ``(n,)`` (one row per candidate action) and
gets columns back. Every kernel is elementwise and broadcasts; a float in gives a
float out. Amounts are in one currency (the reporting currency); shares are 0-1;
``docs/policies.md`` ("How an action is sized") states every formula with its source.
"""

from __future__ import annotations

import bisect
import typing
from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "action_cost",
    "clv_multiplier",
    "credit_amount",
    "delay_ratio",
    "downtime_share",
    "share_relief",
    "tier_share",
    "time_weight",
]

FloatArray = npt.NDArray[np.float64]
Num = TypeVar("Num", float, FloatArray)
"""A Python float or a float64 array: every kernel accepts and returns either."""

HOURS_PER_MONTH = 720.0
"""Hours in the 30-day month an outage's downtime share is measured against (SLA style)."""


def delay_ratio(days_late: Num, lead_time_days: Num) -> Num:
    """Return the delay relative to the commitment: ``days_late / max(lead_time, 1 day)``.

    The generic form of statutory delay-compensation schemes (compensation = price x
    tier(delay / committed duration)). A lead time under one day counts as one day, so
    a same-day promise does not divide by zero.

    Args:
        days_late: Days past the promise (>= 0; float or array).
        lead_time_days: Days from the order to the promise (>= 0).

    Returns:
        The ratio, >= 0, the broadcast shape of the inputs.

    Example:
        >>> delay_ratio(6.0, 20.0), delay_ratio(2.0, 0.0)
        (0.3, 2.0)
    """
    if isinstance(days_late, float):  # the object path: plain floats, no numpy overhead
        return max(days_late, 0.0) / max(lead_time_days, 1.0)
    return np.maximum(days_late, 0.0) / np.maximum(lead_time_days, 1.0)


def downtime_share(hours_down: Num, affected_share: Num) -> Num:
    """Return the share of a 30-day month the service was down: ``hours x affected / 720``.

    Cloud SLA credits are step functions of monthly uptime; this is one minus that
    uptime, with a partial outage counting its affected share.

    Example:
        >>> round(downtime_share(7.0, 0.6), 6)
        0.005833
    """
    if isinstance(hours_down, float):
        return max(hours_down, 0.0) * affected_share / HOURS_PER_MONTH
    return np.maximum(hours_down, 0.0) * affected_share / HOURS_PER_MONTH


def tier_share(metric: Num, thresholds: Sequence[float], shares: Sequence[float]) -> Num:
    """Return the share of the tier ``metric`` falls in (a step function; 0 below the first).

    Tier ``k`` applies from ``thresholds[k]`` inclusive up to the next threshold
    exclusive. ``thresholds`` are strictly increasing, ``shares`` non-decreasing, so
    the result is non-decreasing in ``metric``.

    Args:
        metric: The shortfall measure (delay ratio, downtime share, severity; float or array).
        thresholds: Lower bounds of the tiers, strictly increasing.
        shares: The share of each tier.

    Example:
        >>> tier_share(0.3, (0.1, 0.25, 0.5), (0.1, 0.25, 0.5))
        0.25
        >>> tier_share(np.array([0.05, 0.25, 2.0]), (0.1, 0.25, 0.5), (0.1, 0.25, 0.5))
        array([0.  , 0.25, 0.5 ])
    """
    if isinstance(metric, float):
        # The object path: a bisect instead of numpy, same step function.
        position = bisect.bisect_right(thresholds, metric)
        return float(shares[position - 1]) if position else 0.0
    table = np.concatenate(([0.0], np.asarray(shares, dtype=np.float64)))
    index = np.searchsorted(np.asarray(thresholds, dtype=np.float64), metric, side="right")
    return typing.cast("FloatArray", table[index])


def credit_amount(price: Num, share: Num, cap: float) -> Num:
    """Return the credit ``price x min(share, cap)``: a tiered share of the price, capped.

    Like liquidated damages (``min(rate x price x periods, cap x price)``) and statutory
    delay compensation; the cap is at most 1.5 (loyalty peaks near 150 % of the price
    paid and falls beyond, Haesevoets et al. 2017).

    Example:
        >>> credit_amount(25600.0, 0.25, 1.0), credit_amount(100.0, 2.0, 1.5)
        (6400.0, 150.0)
    """
    if isinstance(price, float):
        return max(price, 0.0) * min(share, cap)
    return np.maximum(price, 0.0) * np.minimum(share, cap)


def action_cost(  # noqa: PLR0917 - the cost formula's terms, in the order it adds them
    fixed: Num,
    share_of_order: Num,
    affected_value: Num,
    share_of_annual_value: Num,
    annual_value: Num,
    credit: Num,
) -> Num:
    """Return the vendor's cost: ``fixed + s_o x affected + s_a x annual + credit``.

    Args:
        fixed: Fixed cost of doing it (>= 0).
        share_of_order: Share of the affected goods' value it costs (0-1).
        affected_value: Value of the goods affected (order value x affected share).
        share_of_annual_value: Share of the customer's annual value it costs (0-1).
        annual_value: The customer's annual value.
        credit: Money credited or refunded to the customer (>= 0).

    Example:
        >>> action_cost(150.0, 0.01, 50000.0, 0.0, 392000.0, 0.0)
        650.0
    """
    return fixed + share_of_order * affected_value + share_of_annual_value * annual_value + credit


def share_relief(remaining: Num, share: Num, credit: Num) -> Num:
    """Return the relief of one action on one loss: ``min(remaining, share x remaining + credit)``.

    A non-monetary remedy (time for time lost) relieves ``share`` of what is left of
    the loss; a credit relieves money lost one for one. Both together never relieve
    more than what is left, so actions applied one after another relieve at most the
    whole loss.

    Args:
        remaining: Loss not yet relieved by the actions before (>= 0).
        share: Share of it the remedy relieves (0-1).
        credit: Money credited against it (>= 0).

    Example:
        >>> share_relief(1000.0, 0.25, 0.0), share_relief(1000.0, 0.0, 1500.0)
        (250.0, 1000.0)
    """
    if isinstance(remaining, float):
        # max(0.0, min(remaining, relief)) written out: what the two builtins return
        # (the first argument unless the second is strictly smaller / larger).
        relief = share * remaining + credit
        capped = relief if relief < remaining else remaining  # noqa: FURB136 - no min() call
        return capped if capped > 0.0 else 0.0  # noqa: FURB136 - no max() call
    return np.maximum(np.minimum(remaining, share * remaining + credit), 0.0)


def time_weight(days_to_relief: Num, half_life_days: float) -> Num:
    """Return ``2 ** (-days / half_life)``: how much a relief that comes later counts now.

    Immediate relief is preferred to delayed relief (Roschk & Gelbrich 2014): a policy
    ranks a relief arriving ``days_to_relief`` days from now at this weight.

    Example:
        >>> time_weight(0.0, 30.0), time_weight(30.0, 30.0)
        (1.0, 0.5)
    """
    if isinstance(days_to_relief, float):
        # numpy's exp2 on the scalar too: a power is not bit-identical across libraries,
        # and the batch path must rank exactly as the object path does.
        return float(np.exp2(-max(days_to_relief, 0.0) / half_life_days))
    return np.exp2(-np.maximum(days_to_relief, 0.0) / half_life_days)


def clv_multiplier(retention: Num, discount_rate: Num) -> Num:
    """Return ``(1 + i) / (1 + i - r) ** 2``: value at risk per point of retention per margin.

    The derivative of ``CLV = m r / (1 + i - r)`` with respect to ``r`` (Gupta &
    Lehmann): a drop ``dr`` in retention puts ``dr x m x`` this at risk.

    Example:
        >>> round(clv_multiplier(0.8, 0.1), 4)
        12.2222
    """
    return (1.0 + discount_rate) / (1.0 + discount_rate - retention) ** 2
