"""The advocacy score's factor formulas, each written once over floats and numpy arrays.

The object path (:class:`~custadvocacy.AdvocacyScorer`) calls these kernels with Python
floats, a later batch path with columns (numpy arrays of shape ``(n,)``); both get the
same numbers because there is only one formula. Every kernel is elementwise: arrays
broadcast, a float in gives a float out. A Python ``float`` takes a float path: the
arithmetic in Python (``+ - * /``, and comparisons that pick exactly what
``np.maximum``/``np.minimum`` pick), the transcendental step (``exp2``, ``expm1``) still
through numpy, so both paths give the same bits (``tests/test_scoring_formulas.py``
holds the float path to the array path). Anything else (an array, a ``numpy.float64``)
takes the numpy path.

Every kernel returns a *share* in ``[0, 1]`` (or a weight in ``[0, 1]``); the scorer
turns shares into points by ``points = 100 * weight * share``. ``docs/scoring.md``
explains each formula with a worked example.
"""

from __future__ import annotations

import typing
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "csat_badness",
    "decay_weight",
    "harm_share",
    "mean_of_present",
    "nps_badness",
    "renewal_urgency",
    "repetition_share",
    "saturation",
    "tickets_badness",
    "usage_badness",
]

FloatArray = npt.NDArray[np.float64]
Num = TypeVar("Num", float, FloatArray)
"""A Python float or a numpy float array: every kernel accepts and returns either."""


def _unit(x: Any) -> Any:
    """Clip to [0, 1] (two ufuncs: several times faster than np.clip on a scalar)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


# What np.maximum / np.minimum return for two floats (NaN propagates; a tie, such as
# -0.0 and 0.0, gives ``b``), written out so the float path picks the very value the
# numpy path picks.
def _fmax(a: float, b: float) -> float:
    return a if a > b or a != a else b  # noqa: PLR0124 - a != a is the NaN test


def _fmin(a: float, b: float) -> float:
    return a if a < b or a != a else b  # noqa: PLR0124 - a != a is the NaN test


def _funit(x: float) -> float:
    return _fmin(_fmax(x, 0.0), 1.0)


_exp2: Final = np.exp2
_expm1: Final = np.expm1


def decay_weight(age_days: Num, half_life_days: float) -> Num:
    """Return the weight ``2 ** (-age / half_life)`` of something ``age_days`` old.

    Ages below zero (a moment after ``as_of``) count as zero: weight 1. The weight
    halves every ``half_life_days``.

    Args:
        age_days: Age in days (float or array of any shape).
        half_life_days: Days for the weight to halve (> 0).

    Returns:
        Weights in ``(0, 1]`` (``0`` only once the age underflows), same shape as ``age_days``.

    Example:
        >>> float(decay_weight(30.0, 30.0)), float(decay_weight(-5.0, 30.0))
        (0.5, 1.0)
    """
    if type(age_days) is float:
        return float(_exp2(-_fmax(age_days, 0.0) / half_life_days))
    return typing.cast("Num", np.exp2(-np.maximum(age_days, 0.0) / half_life_days))


def saturation(x: Num, scale: float) -> Num:
    """Return ``1 - exp(-x / scale)``: 0 at 0, 63 % at ``x = scale``, approaching 1.

    Negative ``x`` counts as 0; ``x = inf`` gives exactly 1.

    Args:
        x: A non-negative load (float or array).
        scale: The load at which the share reaches 1 - 1/e (about 0.632); > 0.

    Returns:
        Shares in ``[0, 1]``, same shape as ``x``.

    Example:
        >>> round(float(saturation(2.0, 2.0)), 4)
        0.6321
    """
    if type(x) is float and scale != 0:  # a zero scale: numpy's inf/NaN below, not an error
        return -float(_expm1(-_fmax(x, 0.0) / scale))
    return typing.cast("Num", -np.expm1(-np.maximum(x, 0.0) / scale))


def harm_share(loss: Num, daily_revenue: Num, scale_days: float) -> Num:
    """Return the harm share of a loss *relative to the customer's scale*.

    ``x = loss / daily_revenue`` is the loss in days of the customer's revenue; the
    share is ``saturation(x, scale_days)``. The same loss weighs more for a small
    customer. A customer with zero revenue scale gets share 1 for any positive loss
    (and 0 for none) rather than a division by zero.

    Args:
        loss: Loss in the reporting currency (>= 0; float or array).
        daily_revenue: The customer's daily revenue in the same currency (>= 0).
        scale_days: Days of revenue lost at which the share reaches 63 % (> 0).

    Returns:
        Shares in ``[0, 1]``, the broadcast shape of ``loss`` and ``daily_revenue``.

    Example:
        >>> round(float(harm_share(1000.0, 1000.0, 1.0)), 4)  # one day of revenue
        0.6321
        >>> float(harm_share(5.0, 0.0, 1.0))
        1.0
    """
    if type(loss) is float and type(daily_revenue) is float:
        flost = _fmax(loss, 0.0)
        fdays = flost / _fmax(daily_revenue, (flost + 1.0) * 1e-300)
        return -float(_expm1(-fdays / scale_days))
    lost = np.maximum(loss, 0.0)
    # Dividing by at least (loss + 1) * 1e-300 caps the ratio near 1e300 days (share 1)
    # for a zero or vanishing revenue, instead of overflowing or dividing 0 by 0.
    days = np.divide(lost, np.maximum(daily_revenue, (lost + 1.0) * 1e-300))
    return typing.cast("Num", -np.expm1(-days / scale_days))


def repetition_share(weighted_count: Num, midpoint: float) -> Num:
    """Return ``c**2 / (c**2 + m**2)`` for a recency-weighted incident count ``c``.

    An S-shaped (Hill, exponent 2) curve: half at ``c = midpoint``. Below the midpoint
    it is convex, so a second failure adds more than the first did (the recovery
    paradox disappears after a second failure, Maxham & Netemeyer 2002); beyond it
    the share saturates towards 1.

    Args:
        weighted_count: Sum of the incidents' decay weights (>= 0; float or array).
        midpoint: The count at which the share is one half (> 0).

    Returns:
        Shares in ``[0, 1)``, same shape as ``weighted_count``.

    Example:
        >>> float(repetition_share(1.0, 2.0)), float(repetition_share(2.0, 2.0))
        (0.2, 0.5)
    """
    if type(weighted_count) is float:
        positive = _fmax(weighted_count, 0.0)
        square = positive * positive
        below = square + midpoint * midpoint
        if below > 0.0:  # else 0/0: numpy's NaN (and warning) below, not a ZeroDivisionError
            return square / below
    c2 = np.square(np.maximum(weighted_count, 0.0))
    return typing.cast("Num", np.divide(c2, c2 + midpoint * midpoint))


def nps_badness(nps: Num) -> Num:
    """Return ``1 - nps / 10``: 0 for a promoter's 10, 1 for a 0.

    Example:
        >>> float(nps_badness(6.0))
        0.4
    """
    if type(nps) is float:
        return _funit(1.0 - nps / 10.0)
    return typing.cast("Num", _unit(1.0 - np.divide(nps, 10.0)))


def csat_badness(csat: Num) -> Num:
    """Return ``(5 - csat) / 4``: 0 for a 5-star rating, 1 for a 1-star one.

    Example:
        >>> float(csat_badness(3.0))
        0.5
    """
    if type(csat) is float:
        return _funit((5.0 - csat) / 4.0)
    return typing.cast("Num", _unit(np.divide(np.subtract(5.0, csat), 4.0)))


def tickets_badness(open_tickets: Num, scale: float) -> Num:
    """Return ``saturation(open_tickets, scale)``: each open ticket adds a bit less.

    Example:
        >>> round(float(tickets_badness(3.0, 3.0)), 4)
        0.6321
    """
    return saturation(open_tickets, scale)


def usage_badness(usage_trend: Num, full_drop: float) -> Num:
    """Return ``clip(-trend / full_drop, 0, 1)``: growing usage is 0, a drop of ``full_drop`` is 1.

    Args:
        usage_trend: Relative change in usage (``-0.2`` is a 20 % drop).
        full_drop: The drop (a positive share) that counts as the worst, e.g. ``0.5``.

    Example:
        >>> float(usage_badness(-0.25, 0.5)), float(usage_badness(0.1, 0.5))
        (0.5, 0.0)
    """
    if type(usage_trend) is float:
        return _funit(-usage_trend / full_drop)
    return typing.cast("Num", _unit(np.negative(usage_trend) / full_drop))


def mean_of_present(badness: FloatArray) -> FloatArray:
    """Return the mean over the last axis of ``badness``, skipping NaN (missing signals).

    A missing signal is *skipped*, never read as zero: the mean renormalises over the
    signals present. Where none is present the result is 0 (no evidence, no points).

    Args:
        badness: Shape ``(..., k)``: ``k`` signals per row, NaN where missing.

    Returns:
        Shape ``(...)``: the mean of the present signals, 0 where none is present.

    Example:
        >>> mean_of_present(np.array([[0.4, np.nan, 0.2], [np.nan, np.nan, np.nan]]))
        array([0.3, 0. ])
    """
    present = ~np.isnan(badness)
    count = present.sum(axis=-1)
    total = np.where(present, badness, 0.0).sum(axis=-1)
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def renewal_urgency(days_to_renewal: Num, window_days: float) -> Num:
    """Return ``1 - days / window`` inside the renewal window, else 0.

    1 on the renewal day, falling linearly to 0 at ``window_days`` before it; 0 for a
    renewal further away or already past (NaN, "no renewal date", also gives 0).

    Args:
        days_to_renewal: Days from ``as_of`` to the renewal (float or array).
        window_days: How far ahead a renewal starts to count (> 0).

    Example:
        >>> float(renewal_urgency(45.0, 90.0)), float(renewal_urgency(-1.0, 90.0))
        (0.5, 0.0)
    """
    d = days_to_renewal
    if type(d) is float:
        return 1.0 - d / window_days if 0.0 <= d <= window_days else 0.0
    inside = np.logical_and(np.greater_equal(d, 0.0), np.less_equal(d, window_days))
    # [()] turns the 0-d array np.where makes of a float back into a scalar.
    return typing.cast("Num", np.where(inside, 1.0 - np.divide(d, window_days), 0.0)[()])
