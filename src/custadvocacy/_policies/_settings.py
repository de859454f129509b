"""The limits and triggers every built-in policy shares, as one frozen value."""

from __future__ import annotations

from typing import Final

import attrs

from custadvocacy._checks import Checks
from custadvocacy._money import Money
from custadvocacy._policies._common import done

__all__ = ["PolicySettings"]

_MAX_ACTIONS: Final = 100
_DEFAULT_FLOOR: Final = Money("500", "EUR")


@attrs.frozen(kw_only=True)
class PolicySettings:
    """The vendor's limits and the triggers the built-in policies share.

    Attributes:
        cost_limit_share: The customer's actions may cost at most this share of their
            annual value, together (0-10; ``None``: no share limit). Default 0.10.
        cost_limit_floor: ... but never less than this (Money >= 0, converted into the
            reporting currency), so a small or new customer can still be helped.
            Default 500 EUR. With ``cost_limit_share=None`` there is no limit at all.
        max_actions: Most actions recommended to one customer (1-100). Default 8.
        late_probability: A forecast is acted on when the order is at least this likely
            to be late (0-1). Default 0.5.
        critical_share: An order is critical when its criticality is at least this
            (0-1); a critical order forecast late gets a proactive action before its
            promise. Default 0.7.
        repeat_count: A failure repeats when at least this many incidents were opened
            within ``repeat_window_days`` before ``as_of`` (2-1,000); escalations are
            used then (Maxham & Netemeyer 2002). Default 2.
        repeat_window_days: The window of ``repeat_count`` (> 0 days). Default 180.

    Raises:
        PolicyConfigError: A field is not acceptable (a ConfigurationError naming the
            field; every problem listed).

    Example:
        >>> PolicySettings(cost_limit_share=0.2).max_actions
        8
        >>> PolicySettings(cost_limit_share=-1, repeat_count=1)
        Traceback (most recent call last):
        ...
        custadvocacy...PolicyConfigError: 2 problems:
          cost_limit_share: expected a number from 0 to 10 (a share of the annual value), got -1
          repeat_count: expected a whole number from 2 to 1000, got 1

    .. versionadded:: 0.1.0
    """

    cost_limit_share: float | None = 0.10
    cost_limit_floor: Money = _DEFAULT_FLOOR
    max_actions: int = 8
    late_probability: float = 0.5
    critical_share: float = 0.7
    repeat_count: int = 2
    repeat_window_days: float = 180.0

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.optional_number(
            "cost_limit_share",
            self.cost_limit_share,
            high=10.0,
            what=" (a share of the annual value)",
        )
        c.money("cost_limit_floor", self.cost_limit_floor)
        c.number("max_actions", self.max_actions, low=1, high=_MAX_ACTIONS, integer=True)
        c.share("late_probability", self.late_probability)
        c.share("critical_share", self.critical_share)
        c.number("repeat_count", self.repeat_count, low=2, high=1000, integer=True)
        c.number("repeat_window_days", self.repeat_window_days, low=1e-9, high=3650, what=" days")
        done(c)
        for name in ("late_probability", "critical_share", "repeat_window_days"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.cost_limit_share is not None:
            object.__setattr__(self, "cost_limit_share", float(self.cost_limit_share))
