"""What the built-in lead-time model knows: the prior, and delivered histories per lane."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._checks import MAX_ID_LENGTH, Checks
from custadvocacy._forecast._outlook import MAX_DELAY_DAYS

__all__ = ["MAX_POINTS", "DelayPrior", "LaneHistory", "prior_excess", "prior_survival"]

MAX_POINTS: Final = 201
"""A history keeps at most this many delay values (quantiles when there are more)."""

F = TypeVar("F", float, npt.NDArray[np.float64])
"""A float (the object path) or a float64 column (the batch path)."""


def prior_survival(x: F, late_share: float, mean_days_late: float, window: float) -> F:
    """Return the prior's survival ``S(x)`` (see :class:`DelayPrior`), over floats or columns.

    Example:
        >>> prior_survival(np.array([-4.0, -1.5, 0.0]), 0.1, 2.0, 3.0)
        array([1.  , 0.55, 0.1 ])
    """
    q = late_share
    if isinstance(x, float):
        if x >= 0:
            return q * math.exp(-x / mean_days_late)
        if x >= -window:
            return q + (1.0 - q) * (-x / window)
        return 1.0
    # Both branches are evaluated everywhere (finite for every x), then chosen.
    late = q * np.exp(-np.maximum(x, 0.0) / mean_days_late)
    early = q + (1.0 - q) * (-x / window)
    return np.where(x >= 0, late, np.where(x >= -window, early, 1.0))


def prior_excess(c: F, late_share: float, mean_days_late: float) -> F:
    """Return the prior's ``E[max(D - c, 0)] = q * m * exp(-max(c, 0) / m)``, over floats or columns.

    Example:
        >>> prior_excess(0.0, 0.1, 2.0), prior_excess(np.array([0.0]), 0.1, 2.0)
        (0.2, array([0.2]))
    """
    m = mean_days_late
    if isinstance(c, float):
        return late_share * m * math.exp(-max(c, 0.0) / m)
    return late_share * m * np.exp(-np.maximum(c, 0.0) / m)


@attrs.frozen(kw_only=True)
class DelayPrior:
    """The delay distribution assumed where there is too little history (a weak default).

    Relative to the promise: with probability ``1 - late_share`` the order comes on
    time, its arrival spread evenly over the ``early_window_days`` before the promise;
    with probability ``late_share`` it is late by an exponential number of days with
    mean ``mean_days_late``. Its survival function (probability of arriving after
    ``x`` days relative to the promise) is::

        S(x) = 1                                     x < -W
        S(x) = q + (1 - q) * (-x / W)                -W <= x < 0
        S(x) = q * exp(-x / m)                       x >= 0

    ``weight`` is how many delivered orders the prior counts as when blended with a
    history. The defaults (10 % late, 2 days late on average) are the order of
    published on-time-in-full rates of 85-95 %; a weak source, to be replaced by the
    host's history.

    Attributes:
        late_share: ``q``, the share of orders late (strictly between 0 and 1).
        mean_days_late: ``m``, mean days late of a late order (> 0).
        early_window_days: ``W``, days before the promise on-time orders arrive in (> 0).
        weight: Pseudo-observations the prior counts as beside a history (> 0).

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> prior = DelayPrior()
        >>> prior.survival(-1.5), round(prior.survival(2.0), 4)
        (0.55, 0.0368)

    .. versionadded:: 0.1.0
    """

    late_share: float = 0.1
    mean_days_late: float = 2.0
    early_window_days: float = 3.0
    weight: float = 5.0

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.number("late_share", self.late_share, low=1e-6, high=1 - 1e-6, what=" (a share)")
        c.number("mean_days_late", self.mean_days_late, low=1e-3, high=MAX_DELAY_DAYS)
        c.number("early_window_days", self.early_window_days, low=1e-3, high=MAX_DELAY_DAYS)
        c.number("weight", self.weight, low=1e-6, high=1e9)
        c.done()
        for name in ("late_share", "mean_days_late", "early_window_days", "weight"):
            object.__setattr__(self, name, float(getattr(self, name)))

    def survival(self, x: float) -> float:
        """Return ``S(x)``: the probability of arriving more than ``x`` days after the promise.

        Example:
            >>> DelayPrior().survival(0.0)
            0.1
        """
        return prior_survival(
            float(x), self.late_share, self.mean_days_late, self.early_window_days
        )

    def excess(self, c: float) -> float:
        """Return ``E[max(D - c, 0)]`` for ``c >= 0``: ``q * m * exp(-c / m)``.

        Example:
            >>> DelayPrior().excess(0.0)
            0.2
        """
        return prior_excess(float(c), self.late_share, self.mean_days_late)


def _delay_days(given: list[object]) -> npt.NDArray[np.float64]:
    """``given`` as float64 days; a ValidationError naming each delay that is not one.

    numpy reads text (``"1.5"``) and bools as numbers, and raises its own errors on the
    rest: each delay is checked by hand only when the array is not plain numbers in range.
    """
    try:
        array = np.asarray(given)
    except (TypeError, ValueError):  # ragged nesting
        array = np.zeros((0, 0))
    plain = array.ndim == 1 and array.dtype.kind in "iuf"
    if not (plain and bool(np.all(np.abs(array) <= MAX_DELAY_DAYS))):
        c = Checks()
        for i, d in enumerate(given):
            c.number(f"delays[{i}]", _plain(d), low=-MAX_DELAY_DAYS, high=MAX_DELAY_DAYS)
        c.done()
    return np.asarray(given, dtype=np.float64)


def _plain(value: object) -> object:
    """``value`` as a Python number if it is one of numpy's integers or floats; else as given."""
    if isinstance(value, np.timedelta64):
        return value  # one of numpy's integers at run time, but no number of days
    if isinstance(value, np.integer | np.floating):
        return value.item()
    return value


@attrs.frozen(kw_only=True, repr=False)
class LaneHistory:
    """The delivered history of one lane (or of all lanes pooled), compressed.

    Attributes:
        lane: The lane key (:attr:`Order.lane`); ``None`` for the pooled history.
        count: Delivered orders observed (>= the number of ``delays``).
        delays: Delays in days (delivered - promised; negative = early), sorted
            ascending, each standing for ``count / len(delays)`` orders. Up to
            ``MAX_POINTS`` (201) raw delays are kept as they are; more are replaced by
            that many quantiles at levels ``(i + 0.5) / MAX_POINTS``.

    Raises:
        ValidationError: A field is not acceptable.

    Example:
        >>> LaneHistory(lane="DE-CZ road", count=3, delays=(-1.0, 0.0, 6.0))
        LaneHistory('DE-CZ road', count=3, points=3)

    .. versionadded:: 0.1.0
    """

    lane: str | None
    count: int
    delays: tuple[float, ...]

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.optional_text("lane", self.lane, max_length=MAX_ID_LENGTH)
        c.number("count", self.count, integer=True)
        delays: object = self.delays
        if not isinstance(delays, tuple) or len(delays) > MAX_POINTS:
            c.fail("delays", delays, f"a tuple of at most {MAX_POINTS} numbers")
        else:
            for i, d in enumerate(delays):
                c.number(f"delays[{i}]", d, low=-MAX_DELAY_DAYS, high=MAX_DELAY_DAYS)
            if not c.problems:
                if list(delays) != sorted(delays):
                    c.fail("delays", delays, "delays sorted ascending")
                if self.count < len(delays):
                    c.fail("count", self.count, f"at least len(delays) ({len(delays)})")
                if (self.count == 0) != (len(delays) == 0):
                    c.fail("count", self.count, "0 exactly when delays is empty")
        c.done()
        object.__setattr__(self, "delays", tuple(float(d) for d in self.delays))

    @classmethod
    def from_delays(cls, lane: str | None, delays: Iterable[float]) -> LaneHistory:
        """Return the history of ``delays`` (days), compressed to at most 201 values.

        Example:
            >>> history = LaneHistory.from_delays(None, range(1000))
            >>> history.count, len(history.delays), round(history.delays[0], 2)
            (1000, 201, 2.49)
        """
        values = np.sort(_delay_days(list(delays)))
        count = int(values.size)
        if count > MAX_POINTS:
            levels = (np.arange(MAX_POINTS) + 0.5) / MAX_POINTS
            values = np.quantile(values, levels)
        return cls(lane=lane, count=count, delays=tuple(float(v) for v in values))

    def __repr__(self) -> str:
        return f"LaneHistory({self.lane!r}, count={self.count}, points={len(self.delays)})"
