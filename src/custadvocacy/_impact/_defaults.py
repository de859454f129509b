"""Documented defaults by segment, and how wide a range a default makes.

Where the customer's profile lacks a figure, an estimator takes it from here, widens
the range (:class:`Spread`) and names the assumption. Every figure and its source is
in ``docs/impact.md`` ("Defaults"); a host replaces any of them by building its own
:class:`ProfileDefaults` and passing it to an estimator.
"""

from __future__ import annotations

import math
from typing import Final

import attrs

from custadvocacy._checks import Checks
from custadvocacy._domain import Segment
from custadvocacy._impact._model import Z90
from custadvocacy._money import Money

__all__ = [
    "DEFAULT_PROFILE_DEFAULTS",
    "DEFAULT_SPREAD",
    "PerSegment",
    "ProfileDefaults",
    "SegmentDefaults",
    "Spread",
]

_MAX_LOG_SPREAD: Final = 2.0  # keeps P90 = median * exp(1.28 * sigma) below ~13x
_MAX_STAFF: Final = 10_000_000.0


@attrs.frozen(kw_only=True)
class SegmentDefaults:
    """The figures an estimator assumes for a customer of one segment when the profile lacks them.

    Attributes:
        daily_revenue: Revenue per operating day that depends on the vendor (Money, >= 0).
        gross_margin: Share of that revenue that is gross margin (0-1).
        buffer_days: Days of stock or slack before a delay stops operations (>= 0).
        staff_hourly_cost: Fully loaded hourly cost of the customer's staff (Money, >= 0).
        staff_count: Staff whose work depends on the vendor (>= 0).
        criticality: Share of operations that depend on an order whose criticality
            is unknown (0-1).

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> SegmentDefaults(
        ...     daily_revenue=Money("5000", "EUR"), gross_margin=0.3, buffer_days=1.0,
        ...     staff_hourly_cost=Money("28", "EUR"), staff_count=5.0, criticality=0.5,
        ... ).buffer_days
        1.0

    .. versionadded:: 0.1.0
    """

    daily_revenue: Money
    gross_margin: float
    buffer_days: float
    staff_hourly_cost: Money
    staff_count: float
    criticality: float

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.money("daily_revenue", self.daily_revenue)
        c.share("gross_margin", self.gross_margin)
        c.number("buffer_days", self.buffer_days, high=3650, what=" days")
        c.money("staff_hourly_cost", self.staff_hourly_cost)
        c.number("staff_count", self.staff_count, high=_MAX_STAFF)
        c.share("criticality", self.criticality)
        c.done()


SMALL_DEFAULTS: Final = SegmentDefaults(
    daily_revenue=Money("8000", "EUR"),
    gross_margin=0.30,
    buffer_days=2.0,
    staff_hourly_cost=Money("30", "EUR"),
    staff_count=8.0,
    criticality=0.5,
)
MID_MARKET_DEFAULTS: Final = SegmentDefaults(
    daily_revenue=Money("60000", "EUR"),
    gross_margin=0.30,
    buffer_days=3.0,
    staff_hourly_cost=Money("35", "EUR"),
    staff_count=40.0,
    criticality=0.5,
)
ENTERPRISE_DEFAULTS: Final = SegmentDefaults(
    daily_revenue=Money("400000", "EUR"),
    gross_margin=0.30,
    buffer_days=4.0,
    staff_hourly_cost=Money("40", "EUR"),
    staff_count=150.0,
    criticality=0.5,
)


@attrs.frozen(kw_only=True)
class ProfileDefaults:
    """The defaults for each :class:`~custadvocacy.Segment`; see ``docs/impact.md``.

    Attributes:
        small: Defaults for small customers.
        mid_market: Defaults for mid-market customers.
        enterprise: Defaults for enterprises.

    Raises:
        ValidationError: A field is not a :class:`SegmentDefaults`.

    Example:
        >>> from custadvocacy import Segment
        >>> ProfileDefaults().for_segment(Segment.SMALL).daily_revenue
        Money('8000', 'EUR')

    .. versionadded:: 0.1.0
    """

    small: SegmentDefaults = SMALL_DEFAULTS
    mid_market: SegmentDefaults = MID_MARKET_DEFAULTS
    enterprise: SegmentDefaults = ENTERPRISE_DEFAULTS

    def __attrs_post_init__(self) -> None:
        c = Checks()
        for name in ("small", "mid_market", "enterprise"):
            c.instance(name, getattr(self, name), SegmentDefaults, "a SegmentDefaults")
        c.done()

    def for_segment(self, segment: Segment) -> SegmentDefaults:
        """Return the defaults of ``segment``.

        Example:
            >>> from custadvocacy import Segment
            >>> ProfileDefaults().for_segment(Segment.ENTERPRISE).buffer_days
            4.0
        """
        if segment is Segment.SMALL:
            return self.small
        if segment is Segment.MID_MARKET:
            return self.mid_market
        return self.enterprise


DEFAULT_PROFILE_DEFAULTS: Final = ProfileDefaults()
"""The built-in defaults (``docs/impact.md``, "Defaults")."""


@attrs.frozen(kw_only=True)
class PerSegment:
    """One number per :class:`~custadvocacy.Segment` (e.g. default staff hours).

    Attributes:
        small: The value for small customers (>= 0).
        mid_market: The value for mid-market customers (>= 0).
        enterprise: The value for enterprises (>= 0).

    Raises:
        ValidationError: A value is negative or not a finite number.

    Example:
        >>> from custadvocacy import Segment
        >>> PerSegment(small=2.0, mid_market=4.0, enterprise=8.0).for_segment(Segment.SMALL)
        2.0

    .. versionadded:: 0.1.0
    """

    small: float
    mid_market: float
    enterprise: float

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.number("small", self.small)
        c.number("mid_market", self.mid_market)
        c.number("enterprise", self.enterprise)
        c.done()

    def for_segment(self, segment: Segment) -> float:
        """Return the value for ``segment``.

        Example:
            >>> from custadvocacy import Segment
            >>> PerSegment(small=1.0, mid_market=2.0, enterprise=3.0).for_segment(
            ...     Segment.ENTERPRISE
            ... )
            3.0
        """
        if segment is Segment.SMALL:
            return float(self.small)
        if segment is Segment.MID_MARKET:
            return float(self.mid_market)
        return float(self.enterprise)


@attrs.frozen(kw_only=True)
class Spread:
    """How uncertain an input is: the log-scale standard deviation of its lognormal.

    An input with central value ``m`` and spread ``sigma`` has P10
    ``m * exp(-1.2816 * sigma)`` and P90 ``m * exp(1.2816 * sigma)``; shares are capped
    at 1. Measured facts (days late, hours down, hours the host recorded, amounts)
    have no spread.

    Attributes:
        supplied: Spread of a figure the host supplied in the profile or order
            (default 0.1: P10-P90 within x/÷ 1.14; a profile is an average, a given day
            differs).
        default: Spread of a documented default standing in for a missing figure
            (default 0.5: x/÷ 1.90).

    Raises:
        ValidationError: A spread is negative, above 2, or not a finite number.

    Example:
        >>> Spread().default
        0.5

    .. versionadded:: 0.1.0
    """

    supplied: float = 0.1
    default: float = 0.5
    _factors: tuple[float, float] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.number("supplied", self.supplied, high=_MAX_LOG_SPREAD, what=" (log-scale sd)")
        c.number("default", self.default, high=_MAX_LOG_SPREAD, what=" (log-scale sd)")
        c.done()
        factors = (math.exp(Z90 * self.supplied), math.exp(Z90 * self.default))
        object.__setattr__(self, "_factors", factors)

    @property
    def factors(self) -> tuple[float, float]:
        """The P90/median ratios ``exp(1.2816 * sigma)`` of (supplied, default) figures.

        Example:
            >>> [round(f, 3) for f in Spread().factors]
            [1.137, 1.898]
        """
        return self._factors


DEFAULT_SPREAD: Final = Spread()
"""The built-in spreads: 0.1 for supplied figures, 0.5 for defaults."""
