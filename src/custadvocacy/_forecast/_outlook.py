"""What a lead-time model returns, and the protocol a host's own model follows.

Delays are measured in days relative to the promise: ``delay = delivered_at -
promised_at`` (negative = early). ``docs/forecasting.md`` derives every formula.
"""

from __future__ import annotations

import enum
from typing import Final, Protocol, runtime_checkable

import attrs

from custadvocacy._checks import MAX_TEXT_LENGTH, Checks
from custadvocacy._context import Context
from custadvocacy._domain import Order

__all__ = ["MAX_DELAY_DAYS", "DelayOutlook", "ForecastBasis", "LeadTimeModel"]

MAX_DELAY_DAYS: Final = 3_650.0
"""Largest delay (either way) a history or outlook holds, in days."""


class ForecastBasis(enum.StrEnum):
    """What a delay outlook was based on.

    Example:
        >>> ForecastBasis("eta") is ForecastBasis.ETA
        True

    .. versionadded:: 0.1.0
    """

    ETA = "eta"
    """The carrier's or supplier's ETA (it dominates whenever it is current)."""
    LANE = "lane"
    """The delivered history of the order's own lane (at least the minimum observations)."""
    POOLED = "pooled"
    """The delivered history of all lanes pooled (the lane had too little)."""
    PRIOR = "prior"
    """No usable history: the documented prior (:class:`DelayPrior`)."""
    HOST = "host"
    """A host-written model (anything other than the built-in)."""


@attrs.frozen(kw_only=True)
class DelayOutlook:
    """How late an open order is likely to be: what a :class:`LeadTimeModel` returns.

    Days late are *conditional on the order being late*: "if it is late, by how much".

    Attributes:
        probability_late: Probability the order is delivered after its promise, given
            that it has not been delivered by ``as_of`` (0-1; 1 once the promise passed).
        expected_days_late: Expected days past the promise, given that it is late (>= 0).
        days_late_low: P10 of the days late, given late (``<= expected_days_late``).
        days_late_high: P90 of the days late, given late (``>= expected_days_late``).
        basis: What the outlook was based on.
        observations: Delivered orders behind it (0 for the ETA or the prior alone).
        note: The numbers used, in words.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> DelayOutlook(
        ...     probability_late=0.1, expected_days_late=2.0, days_late_low=0.2,
        ...     days_late_high=4.6, basis=ForecastBasis.PRIOR,
        ... ).probability_late
        0.1

    .. versionadded:: 0.1.0
    """

    probability_late: float
    expected_days_late: float
    days_late_low: float
    days_late_high: float
    basis: ForecastBasis
    observations: int = 0
    note: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.share("probability_late", self.probability_late)
        for name in ("days_late_low", "expected_days_late", "days_late_high"):
            c.number(name, getattr(self, name), high=MAX_DELAY_DAYS, what=" days")
        if not c.problems and not (
            self.days_late_low <= self.expected_days_late <= self.days_late_high
        ):
            c.fail(
                "expected_days_late",
                self.expected_days_late,
                f"a value between days_late_low ({self.days_late_low!r}) "
                f"and days_late_high ({self.days_late_high!r})",
            )
        c.member("basis", self.basis, ForecastBasis)
        c.number("observations", self.observations, integer=True)
        c.text("note", self.note, max_length=MAX_TEXT_LENGTH, blank=True)
        c.done()
        for name in ("probability_late", "expected_days_late", "days_late_low", "days_late_high"):
            object.__setattr__(self, name, float(getattr(self, name)))


@runtime_checkable
class LeadTimeModel(Protocol):
    """What a lead-time model is: anything with this ``outlook`` method.

    ``outlook`` is called for open orders only (``order.delivered_at is None``). It
    must be pure (the moment is ``context.as_of``), deterministic, and must not mutate
    the order. A host may plug in its own (a carrier's own prediction service wrapped
    in a frozen value, a survival model...); :class:`EmpiricalLeadTimeModel` is the
    built-in.

    Example:
        >>> from custadvocacy import EmpiricalLeadTimeModel
        >>> isinstance(EmpiricalLeadTimeModel(), LeadTimeModel)
        True

    .. versionadded:: 0.1.0
    """

    def outlook(self, order: Order, context: Context) -> DelayOutlook:
        """Return how late ``order`` is likely to be, as seen at ``context.as_of``.

        Example:
            >>> from custadvocacy import EmpiricalLeadTimeModel
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> model: LeadTimeModel = EmpiricalLeadTimeModel()
            >>> order = example_portfolio().orders[1]  # O-1002, open, no ETA
            >>> model.outlook(order, example_context()).basis.value
            'prior'
        """
        ...
