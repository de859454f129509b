"""The built-in lead-time model: how late an open order is likely to be, before its promise.

A :class:`LeadTimeModel` turns an open order and a :class:`~custadvocacy.Context` into a
:class:`DelayOutlook`: the probability the order arrives after its promise and, if it
does, by how many days. The built-in :class:`EmpiricalLeadTimeModel` is fitted with
numpy from the host's own delivered orders; the carrier's ETA, when given, dominates.

Delays are measured in days relative to the promise: ``delay = delivered_at -
promised_at`` (negative = early). ``docs/forecasting.md`` derives every formula.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from statistics import NormalDist
from typing import Any, Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._domain import Order, days_between
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._forecast._history import DelayPrior, LaneHistory, prior_excess, prior_survival
from custadvocacy._forecast._outlook import MAX_DELAY_DAYS, DelayOutlook, ForecastBasis
from custadvocacy._trusted import builder

__all__ = [
    "MIN_OBSERVATIONS",
    "EmpiricalLeadTimeModel",
    "eta_outlook_values",
    "history_outlook_values",
    "history_statistics",
]

F = TypeVar("F", float, npt.NDArray[np.float64])
"""A float (the object path) or a float64 column (the batch path)."""

MIN_OBSERVATIONS: Final = 20
"""Delivered orders a lane needs before its own history is used (else the pooled one)."""

_NO_HISTORY: Final = LaneHistory(lane=None, count=0, delays=())
_DEFAULT_PRIOR: Final = DelayPrior()
_LOW_Q: Final = 0.1
_HIGH_Q: Final = 0.9
_EXP_LOW: Final = -math.log(1.0 - _LOW_Q)  # P10 of an exponential with mean 1
_EXP_HIGH: Final = -math.log(1.0 - _HIGH_Q)  # P90 of an exponential with mean 1
_STD_NORMAL: Final = NormalDist()
_SQRT2: Final = math.sqrt(2.0)
_MILLS_SWITCH: Final = 8.0  # above this, the normal hazard uses its asymptotic series
_TAIL_FLOOR: Final = 1e-6  # below this tail mass, quantiles use the exponential form

# The outlook's numbers are ordered and bounded by _ordered() and its probability is a
# ratio of survivals in [0, 1]: valid by construction, so the model skips the checks
# (tests/test_trusted.py re-validates the outlooks it makes).
_new_outlook: Final = builder(DelayOutlook)


def _normal_sf(z: float) -> float:
    """Standard normal survival ``P(Z > z)``, accurate in the far tail."""
    return 0.5 * math.erfc(z / _SQRT2)


def _normal_hazard(z: float) -> float:
    """``pdf(z) / sf(z)`` (the inverse Mills ratio), stable for large ``z``."""
    if z > _MILLS_SWITCH:
        return z + 1.0 / z - 2.0 / z**3
    return _STD_NORMAL.pdf(z) / _normal_sf(z)


def _exponential_range(c: F, excess: F) -> tuple[F, F]:
    """P10 and P90 of ``c + X`` with ``X`` exponential of mean ``excess``."""
    return c + excess * _EXP_LOW, c + excess * _EXP_HIGH


# numpy has no erfc and no normal quantile: on columns these three run element by
# element, only for the open orders with a current ETA; every other step is vectorised.
_SF_EACH: Final = np.frompyfunc(_normal_sf, 1, 1)
_HAZARD_EACH: Final = np.frompyfunc(_normal_hazard, 1, 1)
_INV_CDF_EACH: Final = np.frompyfunc(_STD_NORMAL.inv_cdf, 1, 1)


def _each(function: Any, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(function(x), dtype=np.float64).reshape(np.shape(x))


def _ordered(cut: F, expected: F, low: F, high: F) -> tuple[F, F, F]:
    """Clamp to ``cut <= low <= expected <= high <= MAX_DELAY_DAYS`` (float round-off)."""
    if isinstance(cut, float):
        expected = min(max(expected, cut), MAX_DELAY_DAYS)
        low = min(max(low, cut), expected)
        high = min(max(high, expected), MAX_DELAY_DAYS)
        return expected, low, high
    expected = np.minimum(np.maximum(expected, cut), MAX_DELAY_DAYS)
    low = np.minimum(np.maximum(low, cut), expected)
    high = np.minimum(np.maximum(high, expected), MAX_DELAY_DAYS)
    return expected, low, high


def eta_outlook_values(
    mean: F, horizon: F, elapsed: F, spread_days: float, spread_share: float
) -> tuple[F, F, F, F, F]:
    """The ETA outlook's numbers, over floats or columns (see :class:`EmpiricalLeadTimeModel`).

    Args:
        mean: Days from the promise to the ETA (the delay's mean).
        horizon: Days from ``as_of`` to the ETA (>= 0: the ETA is current).
        elapsed: Days from the promise to ``as_of`` (negative before the promise).
        spread_days: Standard deviation of the delay around a same-day ETA (days).
        spread_share: Extra standard deviation per day of ``horizon``.

    Returns:
        ``(probability_late, expected_days_late, days_late_low, days_late_high, sigma)``.

    Example:
        >>> p, expected, low, high, sigma = eta_outlook_values(9.0, 9.0, 0.0, 0.5, 0.2)
        >>> p, round(expected, 2), sigma
        (1.0, 9.0, 2.3)
        >>> eta_outlook_values(np.array([9.0]), np.array([9.0]), np.array([0.0]), 0.5, 0.2)[3]
        array([11.9...])
    """
    sigma = spread_days + spread_share * horizon
    if isinstance(mean, float):
        cut = max(elapsed, 0.0)
        z_cut = (cut - mean) / sigma
        z_now = (elapsed - mean) / sigma  # <= 0: the ETA is not before as_of
        tail = _normal_sf(z_cut)
        probability = 1.0 if elapsed >= 0 else min(1.0, tail / _normal_sf(z_now))
        expected = mean + sigma * _normal_hazard(z_cut)
        if tail > _TAIL_FLOOR:
            low = mean + sigma * _STD_NORMAL.inv_cdf(1.0 - (1.0 - _LOW_Q) * tail)
            high = mean + sigma * _STD_NORMAL.inv_cdf(1.0 - (1.0 - _HIGH_Q) * tail)
        else:
            low, high = _exponential_range(cut, expected - cut)
        expected, low, high = _ordered(cut, expected, low, high)
        return probability, expected, low, high, sigma
    cuts = np.maximum(elapsed, 0.0)
    z_cuts = (cuts - mean) / sigma
    z_nows = (elapsed - mean) / sigma
    tails = _each(_SF_EACH, z_cuts)
    ratio = np.minimum(1.0, tails / _each(_SF_EACH, z_nows))
    probabilities = np.where(elapsed >= 0, 1.0, ratio)
    expecteds = mean + sigma * _each(_HAZARD_EACH, z_cuts)
    wide = tails > _TAIL_FLOOR
    # The quantiles where the tail is wide enough; the exponential form elsewhere.
    level = np.where(wide, tails, 0.5)
    lows_n = mean + sigma * _each(_INV_CDF_EACH, 1.0 - (1.0 - _LOW_Q) * level)
    highs_n = mean + sigma * _each(_INV_CDF_EACH, 1.0 - (1.0 - _HIGH_Q) * level)
    lows_e, highs_e = _exponential_range(cuts, expecteds - cuts)
    lows = np.where(wide, lows_n, lows_e)
    highs = np.where(wide, highs_n, highs_e)
    expecteds, lows, highs = _ordered(cuts, expecteds, lows, highs)
    return probabilities, expecteds, lows, highs, sigma


def history_statistics(delays: npt.NDArray[np.float64], cut: F, elapsed: F) -> tuple[F, F, F]:
    """A history's ``(S_h(cut), S_h(elapsed), E_h[max(D - cut, 0)])``, for floats or columns.

    Args:
        delays: The history's delays, shape ``(k,)`` (days).
        cut: ``max(elapsed, 0)`` per order (float or shape ``(n,)``).
        elapsed: Days from the promise to ``as_of`` per order.

    Example:
        >>> history_statistics(np.array([-1.0, 0.0, 6.0]), 0.0, -0.5)
        (0.3333333333333333, 0.6666666666666666, 2.0)
    """
    if isinstance(cut, float):
        return (
            float(np.mean(delays > cut)),
            float(np.mean(delays > elapsed)),
            float(np.mean(np.maximum(delays - cut, 0.0))),
        )
    cuts = np.asarray(cut)[:, None]
    return (
        np.mean(delays > cuts, axis=1),
        np.mean(delays > np.asarray(elapsed)[:, None], axis=1),
        np.mean(np.maximum(delays - cuts, 0.0), axis=1),
    )


def history_outlook_values(  # noqa: PLR0917 - the blend's inputs, in the formula's order
    elapsed: F,
    count: F | float,
    s_cut_h: F | float,
    s_now_h: F | float,
    excess_h: F | float,
    prior: DelayPrior,
) -> tuple[F, F, F, F]:
    """The history outlook's numbers, over floats or columns (see :class:`EmpiricalLeadTimeModel`).

    The history's statistics (:func:`history_statistics`, zeros with ``count = 0``
    when there is no history) are blended with the prior's.

    Returns:
        ``(probability_late, expected_days_late, days_late_low, days_late_high)``.

    Example:
        >>> history_outlook_values(-4.0, 0.0, 0.0, 0.0, 0.0, DelayPrior())
        (0.1, 2.0, 0.21..., 4.60...)
    """
    a = prior.weight
    q, m, w = prior.late_share, prior.mean_days_late, prior.early_window_days
    if isinstance(elapsed, float):
        cut = max(elapsed, 0.0)
        s_cut = count * s_cut_h + a * prior_survival(cut, q, m, w)
        s_now = count * s_now_h + a * prior_survival(elapsed, q, m, w)
        excess_mass = count * excess_h + a * prior_excess(cut, q, m)
        probability = 1.0 if elapsed >= 0 else min(1.0, s_cut / s_now)
        # The prior's exponential tail keeps s_cut > 0 unless exp underflows (years late).
        excess = excess_mass / s_cut if s_cut > 0 else m
        low, high = _exponential_range(cut, excess)
        expected, low, high = _ordered(cut, cut + excess, low, high)
        return probability, expected, low, high
    cuts = np.maximum(elapsed, 0.0)
    s_cuts = count * s_cut_h + a * prior_survival(cuts, q, m, w)
    s_nows = count * s_now_h + a * prior_survival(elapsed, q, m, w)
    masses = count * excess_h + a * prior_excess(cuts, q, m)
    positive = s_cuts > 0
    ratio = np.minimum(1.0, s_cuts / np.where(s_nows > 0, s_nows, 1.0))
    probabilities = np.where(elapsed >= 0, 1.0, ratio)
    excesses = np.where(positive, masses / np.where(positive, s_cuts, 1.0), m)
    lows, highs = _exponential_range(cuts, excesses)
    expecteds, lows, highs = _ordered(cuts, cuts + excesses, lows, highs)
    return probabilities, expecteds, lows, highs


def _check_history(c: Checks, name: str, value: object) -> None:
    c.instance(name, value, LaneHistory, "a LaneHistory")


@attrs.frozen(kw_only=True, repr=False)
class EmpiricalLeadTimeModel:
    """The built-in lead-time model: the host's delivered history, or the carrier's ETA.

    **With a current ETA** (``order.eta`` not before ``as_of``) the ETA dominates: the
    delay ``D`` is taken as normal with mean ``eta - promised`` and standard deviation
    ``eta_spread_days + eta_spread_share * (eta - as_of)`` days (the spread shrinks as
    the ETA nears), conditioned on ``D > e`` where ``e = as_of - promised`` (the order
    has not arrived yet). An ETA already passed without delivery is stale and ignored.

    **Otherwise** the history decides: the order's lane if it has at least
    ``min_observations`` delivered orders, else all lanes pooled if those have, else
    the :class:`DelayPrior` alone. The history's empirical survival ``S_h`` is blended
    with the prior's, ``S = (n * S_h + a * S_prior) / (n + a)`` (``n`` orders, prior
    weight ``a``), so a thin tail never gives 0 or 1 by accident. Then, with
    ``c = max(e, 0)``::

        probability_late   = S(c) / S(e)          (1 once the promise has passed)
        expected_days_late = c + E[max(D - c, 0)] / S(c)

    and the P10/P90 of the days late take the excess over ``c`` as exponential with
    that mean. ``docs/forecasting.md`` has the derivation and a worked example.

    The model is a frozen value: :meth:`fit` builds it, :func:`~custadvocacy.to_dict`
    and :func:`~custadvocacy.from_dict` save and load it as JSON.

    Attributes:
        histories: One per lane with delivered orders, sorted by lane.
        pooled: All delivered orders of every lane (and of none) together.
        min_observations: Delivered orders a lane (or the pool) needs to be used (>= 1;
            default 20).
        prior: The delay distribution assumed without enough history.
        eta_spread_days: Standard deviation (days) of the delay around a same-day ETA (> 0).
        eta_spread_share: Extra standard deviation per day between ``as_of`` and the ETA (>= 0).

    Raises:
        ValidationError: A field is not acceptable, or two histories share a lane.

    Example:
        >>> from datetime import datetime, timezone
        >>> from custadvocacy import Context, Money, Order
        >>> utc = timezone.utc
        >>> order = Order(
        ...     id="O1", customer_id="C1", value=Money("5000", "EUR"),
        ...     placed_at=datetime(2026, 11, 1, tzinfo=utc),
        ...     promised_at=datetime(2026, 11, 24, tzinfo=utc),
        ...     eta=datetime(2026, 11, 29, tzinfo=utc),
        ... )
        >>> ctx = Context(as_of=datetime(2026, 11, 20, tzinfo=utc), currency="EUR")
        >>> outlook = EmpiricalLeadTimeModel().outlook(order, ctx)
        >>> outlook.basis.value, round(outlook.probability_late, 3)
        ('eta', 0.985)

    .. versionadded:: 0.1.0
    """

    histories: tuple[LaneHistory, ...] = ()
    pooled: LaneHistory = _NO_HISTORY
    min_observations: int = MIN_OBSERVATIONS
    prior: DelayPrior = _DEFAULT_PRIOR
    eta_spread_days: float = 0.5
    eta_spread_share: float = 0.2

    def __attrs_post_init__(self) -> None:
        c = Checks()
        histories: object = self.histories
        if not isinstance(histories, tuple):
            c.fail("histories", histories, "a tuple of LaneHistory")
        else:
            seen: set[str | None] = set()
            for i, history in enumerate(histories):
                _check_history(c, f"histories[{i}]", history)
                if isinstance(history, LaneHistory):
                    if history.lane is None or history.lane in seen:
                        c.fail(f"histories[{i}].lane", history.lane, "a lane named once")
                    seen.add(history.lane)
        _check_history(c, "pooled", self.pooled)
        c.number("min_observations", self.min_observations, low=1, high=1e9, integer=True)
        c.instance("prior", self.prior, DelayPrior, "a DelayPrior")
        c.number("eta_spread_days", self.eta_spread_days, low=1e-3, high=MAX_DELAY_DAYS)
        c.number("eta_spread_share", self.eta_spread_share, high=100.0)
        c.done()
        ordered = tuple(sorted(self.histories, key=lambda h: h.lane or ""))
        object.__setattr__(self, "histories", ordered)
        object.__setattr__(self, "eta_spread_days", float(self.eta_spread_days))
        object.__setattr__(self, "eta_spread_share", float(self.eta_spread_share))

    @classmethod
    def fit(
        cls,
        orders: Sequence[Order],
        *,
        as_of: datetime | None = None,
        min_observations: int = MIN_OBSERVATIONS,
        prior: DelayPrior | None = None,
        eta_spread_days: float = 0.5,
        eta_spread_share: float = 0.2,
    ) -> EmpiricalLeadTimeModel:
        """Fit the model on the delivered orders among ``orders`` (open ones are skipped).

        Each delivered order gives one delay, ``delivered_at - promised_at`` in days;
        orders are grouped by :attr:`Order.lane` (orders without a lane count in the
        pooled history only). The result does not depend on the order of ``orders``.

        Args:
            orders: The host's orders (any mix of open and delivered).
            as_of: If given, only orders delivered at or before it are used (so a
                replay does not see the future).
            min_observations: See the class attributes.
            prior: The prior (default ``DelayPrior()``).
            eta_spread_days: See the class attributes.
            eta_spread_share: See the class attributes.

        Returns:
            The fitted model.

        Raises:
            ValidationError: An item is not an Order, a delay is beyond
                ``MAX_DELAY_DAYS`` (3,650 days), or a setting is not acceptable.

        Example:
            >>> from custadvocacy.examples import example_portfolio
            >>> model = EmpiricalLeadTimeModel.fit(example_portfolio().orders)
            >>> model.pooled.count, [(h.lane, h.count) for h in model.histories]
            (8, [('DE-CZ road', 1), ('NL-DE road', 2), ('UK parcel', 2)])
        """
        problems: list[Problem] = []
        by_lane: dict[str, list[float]] = {}
        pooled: list[float] = []
        for i, item in enumerate(orders):
            order: object = item
            if not isinstance(order, Order):
                problems.append(Problem(f"orders[{i}]", order, "an Order"))
                continue
            delivered = order.delivered_at
            if delivered is None or (as_of is not None and delivered > as_of):
                continue
            delay = days_between(order.promised_at, delivered)
            if abs(delay) > MAX_DELAY_DAYS:
                problems.append(
                    Problem(
                        f"orders[{i}].delivered_at",
                        delivered,
                        f"a delivery within {MAX_DELAY_DAYS:g} days of promised_at",
                    )
                )
                continue
            pooled.append(delay)
            if order.lane is not None:
                by_lane.setdefault(order.lane, []).append(delay)
        if problems:
            raise ValidationError(problems)
        return cls(
            histories=tuple(
                LaneHistory.from_delays(lane, d) for lane, d in sorted(by_lane.items())
            ),
            pooled=LaneHistory.from_delays(None, pooled),
            min_observations=min_observations,
            prior=prior if prior is not None else DelayPrior(),
            eta_spread_days=eta_spread_days,
            eta_spread_share=eta_spread_share,
        )

    def history_for(self, lane: str | None) -> tuple[LaneHistory | None, ForecastBasis]:
        """Return the history an order on ``lane`` is forecast from, and its basis.

        The lane's own with at least ``min_observations`` orders, else the pooled one
        with at least that many, else ``(None, ForecastBasis.PRIOR)``.

        Example:
            >>> EmpiricalLeadTimeModel().history_for("DE-CZ road")
            (None, <ForecastBasis.PRIOR: 'prior'>)
        """
        for history in self.histories:
            if history.lane == lane and history.count >= self.min_observations:
                return history, ForecastBasis.LANE
        if self.pooled.count >= self.min_observations:
            return self.pooled, ForecastBasis.POOLED
        return None, ForecastBasis.PRIOR

    def outlook(self, order: Order, context: Context) -> DelayOutlook:
        """Return how late the open ``order`` is likely to be at ``context.as_of``.

        Args:
            order: An open order (``delivered_at is None``).
            context: Supplies ``as_of``.

        Returns:
            The outlook; days late are conditional on the order being late.

        Raises:
            ValidationError: ``order`` is not an open Order.

        Example:
            >>> from datetime import datetime, timezone
            >>> from custadvocacy import Context, Money, Order
            >>> utc = timezone.utc
            >>> order = Order(
            ...     id="O1", customer_id="C1", value=Money("5000", "EUR"),
            ...     placed_at=datetime(2026, 11, 1, tzinfo=utc),
            ...     promised_at=datetime(2026, 11, 24, tzinfo=utc),
            ... )
            >>> ctx = Context(as_of=datetime(2026, 11, 20, tzinfo=utc), currency="EUR")
            >>> outlook = EmpiricalLeadTimeModel().outlook(order, ctx)
            >>> outlook.basis.value, outlook.probability_late, outlook.expected_days_late
            ('prior', 0.1, 2.0)
        """
        given: object = order
        if not isinstance(given, Order) or given.delivered_at is not None:
            raise ValidationError([Problem("order", given, "an open Order (no delivered_at)")])
        elapsed = days_between(order.promised_at, context.as_of)
        eta = order.eta
        if eta is not None and eta >= context.as_of:
            return self._eta_outlook(order.promised_at, eta, context.as_of, elapsed)
        stale = " (its ETA passed without delivery: ignored)" if eta is not None else ""
        return self._history_outlook(order.lane, elapsed, stale)

    # -- the two ways -------------------------------------------------------------

    def _eta_outlook(
        self, promised: datetime, eta: datetime, as_of: datetime, elapsed: float
    ) -> DelayOutlook:
        mean = days_between(promised, eta)
        horizon = days_between(as_of, eta)
        probability, expected, low, high, sigma = eta_outlook_values(
            mean, horizon, elapsed, self.eta_spread_days, self.eta_spread_share
        )
        note = (
            f"carrier ETA {mean:+.1f} days from the promise, spread {sigma:.2f} days "
            f"({horizon:.1f} days ahead)"
        )
        return _new_outlook(
            probability_late=probability,
            expected_days_late=expected,
            days_late_low=low,
            days_late_high=high,
            basis=ForecastBasis.ETA,
            note=note,
        )

    def _history_outlook(self, lane: str | None, elapsed: float, stale: str) -> DelayOutlook:
        history, basis = self.history_for(lane)
        prior = self.prior
        a = prior.weight
        if history is None:
            n = 0.0  # pragma: no mutate (it multiplies statistics that are all 0.0 here)
            s_cut_h = s_now_h = excess_h = 0.0
        else:
            delays = np.asarray(history.delays, dtype=np.float64)
            n = float(history.count)
            s_cut_h, s_now_h, excess_h = history_statistics(delays, max(elapsed, 0.0), elapsed)
        probability, expected, low, high = history_outlook_values(
            elapsed, n, s_cut_h, s_now_h, excess_h, prior
        )
        if history is None:
            source = (
                f"prior ({prior.late_share:.0%} late, {prior.mean_days_late:g} days on average)"
            )
        else:
            where = f"lane {lane!r}" if basis is ForecastBasis.LANE else "all lanes pooled"
            source = f"{where}, n={history.count}, blended with the prior (weight {a:g})"
        return _new_outlook(
            probability_late=probability,
            expected_days_late=expected,
            days_late_low=low,
            days_late_high=high,
            basis=basis,
            observations=0 if history is None else history.count,
            note=source + stale,
        )

    def __repr__(self) -> str:
        lanes = ", ".join(f"{h.lane}={h.count}" for h in self.histories)
        return (
            f"EmpiricalLeadTimeModel(pooled={self.pooled.count}, lanes=[{lanes}], "
            f"min_observations={self.min_observations})"
        )
