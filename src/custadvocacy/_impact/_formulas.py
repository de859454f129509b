"""Every impact formula, written once, over Python floats and numpy arrays alike.

The estimator objects call these with plain floats (fast: no numpy scalar overhead);
the batch path calls the very same functions with float64 columns of equal shape
``(n,)`` and gets columns back. A float in gives a float out. Parameters (rates,
hours per day...) may be floats or columns, except the outage curve's shape (floats).

Every function is non-negative for non-negative inputs and monotone in each input
(non-decreasing, except the buffer and the target days, which it is non-increasing
in). The range of an estimate relies on that: evaluating a formula at every input's
loss-lowering quantile gives the loss's quantile (see ``docs/impact.md``).

Units: days, hours, shares (0-1) and amounts per day or per hour in one currency;
a result is an amount in that currency.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "DAYS_PER_YEAR",
    "billing_error_loss",
    "cash_tied_up_cost",
    "defect_loss",
    "delivery_loss",
    "effective_outage_hours",
    "idle_staff_cost",
    "indicator",
    "lost_margin",
    "operating_days_lost",
    "positive_part",
    "service_outage_loss",
    "spread_range",
    "staff_effort_cost",
    "support_failure_loss",
]

Array = npt.NDArray[np.float64]
F = TypeVar("F", float, Array)
"""A float, or a float64 array (a column of the batch path)."""

DAYS_PER_YEAR = 365.0
"""Days a year of a cost of capital is spread over (simple interest, actual/365)."""


# -- building blocks ------------------------------------------------------------------


def positive_part(x: F) -> F:
    """Return ``max(x, 0)`` element-wise.

    Example:
        >>> positive_part(-2.5), positive_part(1.5)
        (0.0, 1.5)
        >>> positive_part(np.array([-1.0, 2.0]))
        array([0., 2.])
    """
    if isinstance(x, float):
        return max(0.0, x)
    return np.maximum(x, 0.0)


def indicator(x: F) -> F:
    """Return 1 where ``x > 0``, else 0, element-wise (as floats).

    Example:
        >>> indicator(0.0), indicator(0.25)
        (0.0, 1.0)
        >>> indicator(np.array([0.0, 3.0]))
        array([0., 1.])
    """
    if isinstance(x, float):
        return 1.0 if x > 0.0 else 0.0
    return (x > 0.0).astype(np.float64)


def spread_range(value: F, factor: F | float, cap: float | None = None) -> tuple[F, F, F]:
    """Return an input's P10, central value and P90: ``(value / k, value, value * k)``.

    ``factor`` is ``k``, the P90/median ratio of the input's lognormal (1 for a
    measured fact, which has no spread). With a ``cap`` (1 for a share) a P90 above it
    becomes the cap, or the value itself when that is larger: the range never lies
    below its central value. Every input of every estimate, on the object path and on
    the batch path, gets its range here.

    Args:
        value: The central value (float or column).
        factor: ``k >= 1`` (float or column of the same shape).
        cap: Upper bound of the P90 (``None``: none).

    Example:
        >>> spread_range(2.0, 2.0), spread_range(0.8, 1.5, cap=1.0)
        ((1.0, 2.0, 4.0), (0.5333333333333333, 0.8, 1.0))
        >>> spread_range(np.array([0.5, 1.0]), np.array([1.5, 1.0]), cap=1.0)[2]
        array([0.75, 1.  ])
    """
    high = value * factor
    if cap is not None:
        if isinstance(high, float):
            if high > cap:
                high = max(cap, value)
        else:
            high = np.where(high > cap, np.maximum(value, cap), high)
    return value / factor, value, high


def operating_days_lost(days_late: F, buffer_days: F | float) -> F:
    """Days the customer's operations stood still: the delay beyond their buffer, >= 0.

    Args:
        days_late: Days past the promise (>= 0).
        buffer_days: Days of stock or slack before the delay stops operations (>= 0).

    Example:
        >>> operating_days_lost(6.0, 2.0), operating_days_lost(1.5, 2.0)
        (4.0, 0.0)
    """
    return positive_part(days_late - buffer_days)


def lost_margin(days_lost: F, daily_revenue: F, gross_margin: F, weight: F) -> F:
    """Gross margin lost: days lost x daily revenue x margin x weight.

    Args:
        days_lost: Operating days lost (>= 0).
        daily_revenue: Revenue per operating day that depends on the vendor.
        gross_margin: Share of revenue that is margin (0-1).
        weight: Share of operations stopped, e.g. criticality x affected share (0-1).

    Example:
        >>> lost_margin(4.0, 15200.0, 0.4, 1.0)
        24320.0
    """
    return days_lost * daily_revenue * gross_margin * weight


def idle_staff_cost(
    days_lost: F, hours_per_day: F | float, staff_count: F, hourly_cost: F, weight: F
) -> F:
    """Wages paid for idle work: days x hours a day x staff x hourly cost x weight.

    Example:
        >>> idle_staff_cost(4.0, 8.0, 24.0, 26.0, 1.0)
        19968.0
    """
    return days_lost * hours_per_day * staff_count * hourly_cost * weight


def staff_effort_cost(hours: F, hourly_cost: F) -> F:
    """Staff hours spent on the incident x their hourly cost.

    Example:
        >>> staff_effort_cost(6.0, 44.0)
        264.0
    """
    return hours * hourly_cost


def cash_tied_up_cost(amount: F, days: F, annual_rate: F | float) -> F:
    """Cost of capital on ``amount`` held for ``days``: amount x rate x days / 365.

    Example:
        >>> round(cash_tied_up_cost(3720.0, 18.0, 0.08), 2)
        14.68
    """
    return amount * annual_rate * days / DAYS_PER_YEAR


def effective_outage_hours(hours_down: F, full_rate_hours: float, decay_exponent: float) -> F:
    """Outage hours weighted so that the cost per hour falls as an outage lasts.

    The first ``full_rate_hours`` count in full; beyond, the cumulative cost grows as
    ``t * (h / t) ** b`` (``0 < b <= 1``), the concave form the LBNL/DOE Interruption
    Cost Estimate data fit (``docs/impact.md``). Continuous and non-decreasing in
    ``hours_down``; ``b = 1`` counts every hour in full.

    Example:
        >>> effective_outage_hours(1.5, 2.0, 0.55)
        1.5
        >>> round(effective_outage_hours(7.0, 2.0, 0.55), 3)
        3.984
    """
    if isinstance(hours_down, float):
        if hours_down <= full_rate_hours:  # pragma: no mutate (at equality both give t)
            return hours_down
        return full_rate_hours * float((hours_down / full_rate_hours) ** decay_exponent)
    # Columns: the power is evaluated everywhere (cheap, finite for h >= 0, t > 0).
    decayed = full_rate_hours * (hours_down / full_rate_hours) ** decay_exponent
    return np.where(hours_down <= full_rate_hours, hours_down, decayed)


# -- one function per built-in estimator --------------------------------------------------


def delivery_loss(
    *,
    days_late: F,
    buffer_days: F,
    daily_revenue: F,
    gross_margin: F,
    criticality: F,
    share: F,
    staff_count: F,
    hours_per_day: F | float,
    hourly_cost: F,
    handling_hours: F,
    order_value: F,
    expediting_rate: F | float,
) -> tuple[F, F, F]:
    """Loss from a late (``share = 1``) or partial delivery: (margin, idle staff, handling).

    - lost margin = days lost x daily revenue x margin x criticality x share;
    - idle staff = days lost x hours a day x staff x hourly cost x criticality x share;
    - handling = hours x hourly cost, plus expediting rate x order value x share once
      the delay exceeds the buffer; zero for an on-time delivery or a zero share.

    Days lost are the days late beyond the buffer. All amounts per day or hour are in
    one currency; the results are in it too.

    Example:
        >>> delivery_loss(
        ...     days_late=6.0, buffer_days=2.0, daily_revenue=15200.0, gross_margin=0.4,
        ...     criticality=1.0, share=1.0, staff_count=24.0, hours_per_day=8.0,
        ...     hourly_cost=26.0, handling_hours=6.0, order_value=25600.0,
        ...     expediting_rate=0.02,
        ... )
        (24320.0, 19968.0, 668.0)
    """
    beyond = days_late - buffer_days
    if type(beyond) is float and type(days_late) is float and type(share) is float:
        # The helpers below written out for floats: the same operations in the same order,
        # and the float branches positive_part() and indicator() would take (the estimates
        # and forecasts call this three times each; tests/test_impact_formulas.py holds the
        # two paths to the same bits).
        lost = beyond if beyond > 0.0 else 0.0  # max(0.0, beyond)  # noqa: FURB136
        weight = criticality * share
        return (
            lost * daily_revenue * gross_margin * weight,
            lost * hours_per_day * staff_count * hourly_cost * weight,
            (
                handling_hours * hourly_cost
                + expediting_rate * order_value * share * (1.0 if lost > 0.0 else 0.0)
            )
            * ((1.0 if days_late > 0.0 else 0.0) * (1.0 if share > 0.0 else 0.0)),
        )
    days_lost = positive_part(beyond)  # operating_days_lost(days_late, buffer_days)
    weight = criticality * share
    margin = lost_margin(days_lost, daily_revenue, gross_margin, weight)
    idle = idle_staff_cost(days_lost, hours_per_day, staff_count, hourly_cost, weight)
    expediting = expediting_rate * order_value * share * indicator(days_lost)
    handling = (staff_effort_cost(handling_hours, hourly_cost) + expediting) * (
        indicator(days_late) * indicator(share)
    )
    return margin, idle, handling


def defect_loss(
    *,
    wait_days: F,
    buffer_days: F,
    daily_revenue: F,
    gross_margin: F,
    criticality: F,
    share: F,
    staff_count: F,
    hours_per_day: F | float,
    hourly_cost: F,
    rework_hours: F,
) -> tuple[F, F, F]:
    """Loss from defective goods: (margin while waiting, idle staff while waiting, rework).

    The wait for the replacement counts like a late delivery of the defective share;
    rework is hours x hourly cost; zero when the share is zero.

    Example:
        >>> defect_loss(
        ...     wait_days=5.0, buffer_days=1.0, daily_revenue=8000.0, gross_margin=0.35,
        ...     criticality=0.5, share=0.5, staff_count=8.0, hours_per_day=8.0,
        ...     hourly_cost=30.0, rework_hours=10.0,
        ... )
        (2800.0, 1920.0, 300.0)
    """
    days_lost = operating_days_lost(wait_days, buffer_days)
    weight = criticality * share
    margin = lost_margin(days_lost, daily_revenue, gross_margin, weight)
    idle = idle_staff_cost(days_lost, hours_per_day, staff_count, hourly_cost, weight)
    rework = staff_effort_cost(rework_hours, hourly_cost) * indicator(share)
    return margin, idle, rework


def service_outage_loss(
    *,
    hours_down: F,
    share: F,
    daily_revenue: F,
    gross_margin: F,
    staff_count: F,
    hourly_cost: F,
    hours_per_day: F | float,
    full_rate_hours: float,
    decay_exponent: float,
    recovery_hours: F,
) -> tuple[F, F, F]:
    """Loss from a service outage: (lost margin, idle staff, recovery effort).

    - lost margin = effective hours x (daily revenue / hours a day) x margin x share;
    - idle staff = effective hours x staff x hourly cost x share;
    - recovery = recovery hours x hourly cost (zero when the share is zero).

    Effective hours are :func:`effective_outage_hours` of the hours down.

    Example:
        >>> service_outage_loss(
        ...     hours_down=2.0, share=0.5, daily_revenue=8000.0, gross_margin=0.5,
        ...     staff_count=10.0, hourly_cost=30.0, hours_per_day=8.0,
        ...     full_rate_hours=2.0, decay_exponent=0.55, recovery_hours=1.0,
        ... )
        (500.0, 300.0, 30.0)
    """
    hours = effective_outage_hours(hours_down, full_rate_hours, decay_exponent)
    margin = hours * (daily_revenue / hours_per_day) * gross_margin * share
    idle = hours * staff_count * hourly_cost * share
    recovery = staff_effort_cost(recovery_hours, hourly_cost) * indicator(share)
    return margin, idle, recovery


def billing_error_loss(
    *, staff_hours: F, hourly_cost: F, amount: F, days_tied: F, annual_rate: F | float
) -> tuple[F, F]:
    """Loss from a billing error: (staff time sorting it out, cost of the cash tied up).

    Example:
        >>> billing_error_loss(
        ...     staff_hours=6.0, hourly_cost=44.0, amount=3650.0, days_tied=10.0,
        ...     annual_rate=0.08,
        ... )
        (264.0, 8.0)
    """
    effort = staff_effort_cost(staff_hours, hourly_cost)
    cash = cash_tied_up_cost(amount, days_tied, annual_rate)
    return effort, cash


def support_failure_loss(
    *,
    staff_hours: F,
    hourly_cost: F,
    days_open: F,
    target_days: F | float,
    waiting_hours_per_day: F,
    share: F,
) -> tuple[F, F]:
    """Loss from a support failure: (time lost repeating and chasing, time lost waiting).

    - repeating and chasing = staff hours x hourly cost;
    - waiting = days open beyond the target x hours lost per day waiting x share x
      hourly cost (working around the unsolved problem).

    Example:
        >>> support_failure_loss(
        ...     staff_hours=14.0, hourly_cost=48.0, days_open=11.0, target_days=1.0,
        ...     waiting_hours_per_day=0.5, share=1.0,
        ... )
        (672.0, 240.0)
    """
    effort = staff_effort_cost(staff_hours, hourly_cost)
    waiting_days = positive_part(days_open - target_days)
    waiting = waiting_days * waiting_hours_per_day * share * hourly_cost
    return effort, waiting
