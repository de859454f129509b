"""What an impact estimate is: the result records and the estimator protocol.

An :class:`Impact` is what one incident cost (or is costing) the customer, in the
reporting currency of a :class:`~custadvocacy.Context`: line items (:class:`LossItem`),
each with its central estimate, its P10-P90 range, the formula with the numbers used,
and the inputs it rested on (:class:`Assumption`, flagged when the figure was a default).

An estimator is anything with ``name``, ``capabilities`` and ``estimate(...)``
(:class:`ImpactEstimator`, a :class:`typing.Protocol`): nobody inherits from us.
"""

from __future__ import annotations

import enum
import sys
from statistics import NormalDist
from typing import ClassVar, Final, Protocol, runtime_checkable

import attrs

from custadvocacy._checks import MAX_ID_LENGTH, MAX_TEXT_LENGTH, Checks
from custadvocacy._context import Context
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._money import Money

__all__ = [
    "Assumption",
    "EstimatorCapabilities",
    "Impact",
    "ImpactEstimator",
    "LossCategory",
    "LossItem",
]

MAX_LOSS: Final = sys.float_info.max
"""Largest amount an impact holds: any finite float (Money views still cap at 1e18)."""

_MAX_LABEL_LENGTH: Final = 200
_MAX_UNIT_LENGTH: Final = 50
_MAX_SOURCE_LENGTH: Final = 1_000
_MAX_BASIS_LENGTH: Final = 2_000
_TOTAL_TOLERANCE: Final = 1e-9  # relative; totals are float sums of the items

Z90: Final = NormalDist().inv_cdf(0.9)
"""The standard normal quantile at 0.9 (1.28155...): P90 = median * exp(Z90 * sigma)."""


class LossCategory(enum.StrEnum):
    """What kind of loss a line item is; policies match remedies to it.

    Example:
        >>> LossCategory("lost_margin") is LossCategory.LOST_MARGIN
        True

    .. versionadded:: 0.1.0
    """

    LOST_MARGIN = "lost_margin"
    """Gross margin on revenue the customer could not earn (operations stopped or slowed)."""
    IDLE_STAFF = "idle_staff"
    """Staff paid while their work stood still or waited."""
    STAFF_EFFORT = "staff_effort"
    """Staff hours spent on the incident: chasing, rework, sorting out, repeating."""
    EXPEDITING = "expediting"
    """Extra cost of working around the problem: premium freight, stop-gap purchases."""
    CASH_TIED_UP = "cash_tied_up"
    """Cost of capital on money wrongly held by the vendor."""
    REPLACEMENT_DELAY = "replacement_delay"
    """Margin lost while defective goods wait to be replaced."""
    OTHER = "other"
    """Anything else (host-written estimators)."""


def _fast_number(value: object) -> bool:
    # A cheap pre-check; Checks.number gives the full message when this fails.
    return type(value) is float and -MAX_LOSS <= value <= MAX_LOSS


@attrs.frozen(kw_only=True)
class Assumption:
    """One input an estimate rested on: its value, where it came from, and whether it was guessed.

    Attributes:
        name: The input it stands for, as a field path (``"customer.profile.buffer_days"``,
            ``"order.criticality"``, or a parameter such as ``"late_delivery.hours_per_day"``).
        value: The value used (money in the reporting currency; see ``unit``).
        unit: What ``value`` counts, e.g. ``"EUR/day"``, ``"days"``, ``"share"``.
        source: Where the figure comes from: the host's data, or the default and its
            reference in ``docs/impact.md``.
        is_default: ``True`` when the host did not supply the figure and a documented
            default stood in for it.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> a = Assumption(
        ...     name="customer.profile.buffer_days", value=2.0, unit="days",
        ...     source="default for segment 'small'", is_default=True,
        ... )
        >>> a.is_default, a.value
        (True, 2.0)

    .. versionadded:: 0.1.0
    """

    name: str
    value: float
    unit: str
    source: str
    is_default: bool

    def __attrs_post_init__(self) -> None:
        # Fast path first (an estimate makes many of these); Checks reports any problem.
        name: object = self.name
        value: object = self.value
        unit: object = self.unit
        source: object = self.source
        if (
            type(name) is str
            and 0 < len(name) <= MAX_ID_LENGTH
            and not name.isspace()
            and type(value) is float
            and -MAX_LOSS <= value <= MAX_LOSS
            and type(unit) is str
            and len(unit) <= _MAX_UNIT_LENGTH
            and type(source) is str
            and 0 < len(source) <= _MAX_SOURCE_LENGTH
            and not source.isspace()
            and type(self.is_default) is bool
        ):
            return
        c = Checks()
        c.text("name", self.name, max_length=MAX_ID_LENGTH)
        c.number("value", self.value, low=-MAX_LOSS, high=MAX_LOSS)
        c.text("unit", self.unit, max_length=_MAX_UNIT_LENGTH, blank=True)
        c.text("source", self.source, max_length=_MAX_SOURCE_LENGTH)
        c.instance("is_default", self.is_default, bool, "True or False")
        c.done()
        # Reaching here means only the fast check's stricter typing failed (an int value).
        object.__setattr__(self, "value", float(self.value))


def _check_range(c: Checks, expected: object, low: object, high: object) -> None:
    """Check 0 <= low <= expected <= high, all finite numbers."""
    c.number("expected", expected, high=MAX_LOSS)
    c.number("low", low, high=MAX_LOSS)
    c.number("high", high, high=MAX_LOSS)
    if not c.problems:
        lo, mid, hi = (float(v) for v in (low, expected, high))  # type: ignore[arg-type]
        if not lo <= mid:
            c.fail("low", low, f"a lower bound not above expected ({expected!r})")
        if not mid <= hi:
            c.fail("high", high, f"an upper bound not below expected ({expected!r})")


def _fast_range(expected: object, low: object, high: object) -> bool:
    return (
        _fast_number(expected)
        and _fast_number(low)
        and _fast_number(high)
        and 0.0 <= low <= expected <= high  # type: ignore[operator]
    )


@attrs.frozen(kw_only=True, repr=False)
class LossItem:
    """One line of an impact: a kind of loss, its central estimate and its P10-P90 range.

    Amounts are floats in the reporting currency of the estimate's context.

    Attributes:
        label: What the line is, for a reader (``"Lost margin: operating days lost"``).
        category: The kind of loss.
        expected: Central estimate (the formula at the central value of every input;
            see ``docs/impact.md``), >= 0.
        low: P10 of the loss, ``0 <= low <= expected``.
        high: P90 of the loss, ``high >= expected``.
        basis: The formula with the numbers used, readable by an account manager.
        assumptions: The inputs the line used, supplied and defaulted.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> item = LossItem(
        ...     label="Staff time", category=LossCategory.STAFF_EFFORT,
        ...     expected=300.0, low=250.0, high=380.0, basis="6 h x EUR 50/h",
        ... )
        >>> item
        LossItem('Staff time', staff_effort, expected=300.00, low=250.00, high=380.00, assumptions=0)

    .. versionadded:: 0.1.0
    """

    label: str
    category: LossCategory
    expected: float
    low: float
    high: float
    basis: str = ""
    assumptions: tuple[Assumption, ...] = ()

    def __attrs_post_init__(self) -> None:
        label: object = self.label
        basis: object = self.basis
        assumptions: object = self.assumptions
        if (
            type(label) is str
            and 0 < len(label) <= _MAX_LABEL_LENGTH
            and not label.isspace()
            and type(self.category) is LossCategory
            and _fast_range(self.expected, self.low, self.high)
            and type(basis) is str
            and len(basis) <= _MAX_BASIS_LENGTH
            and type(assumptions) is tuple
            and set(map(type, assumptions)) <= _ASSUMPTION_TYPE
        ):
            return
        c = Checks()
        c.text("label", self.label, max_length=_MAX_LABEL_LENGTH)
        c.member("category", self.category, LossCategory)
        _check_range(c, self.expected, self.low, self.high)
        c.text("basis", self.basis, max_length=_MAX_BASIS_LENGTH, blank=True)
        _check_assumptions(c, self.assumptions)
        c.done()
        for name in ("expected", "low", "high"):  # ints are fine; store floats
            object.__setattr__(self, name, float(getattr(self, name)))

    def __repr__(self) -> str:
        return (
            f"LossItem({self.label!r}, {self.category.value}, expected={self.expected:.2f}, "
            f"low={self.low:.2f}, high={self.high:.2f}, assumptions={len(self.assumptions)})"
        )


_ASSUMPTION_TYPE: Final = frozenset({Assumption})
_ITEM_TYPE: Final = frozenset({LossItem})


def _check_items(c: Checks, items: object) -> None:
    if not isinstance(items, tuple):
        c.fail("items", items, "a tuple of LossItem")
        return
    for i, item in enumerate(items):
        c.instance(f"items[{i}]", item, LossItem, "a LossItem")


def _check_assumptions(c: Checks, assumptions: object, name: str = "assumptions") -> None:
    if not isinstance(assumptions, tuple):
        c.fail(name, assumptions, "a tuple of Assumption")
        return
    for i, a in enumerate(assumptions):
        c.instance(f"{name}[{i}]", a, Assumption, "an Assumption")


@attrs.frozen(kw_only=True, repr=False)
class Impact:
    """What one incident cost (or is costing) the customer, itemised, with a P10-P90 range.

    Amounts are floats in ``currency`` (the context's reporting currency). ``low`` and
    ``high`` are the P10 and P90 of the loss (:attr:`LOW_QUANTILE`, :attr:`HIGH_QUANTILE`)
    and the totals are the sums of the items' ``expected``, ``low`` and ``high``: the
    quantiles of a sum when the items' uncertainties move together (see
    ``docs/impact.md``, "How the range is derived").

    Attributes:
        incident_id: The incident estimated.
        customer_id: The customer it hit.
        kind: The incident's kind.
        estimator: Name of the estimator that produced it (``"none"`` when not estimated).
        currency: The reporting currency of every amount.
        items: The line items.
        expected: Central estimate of the total loss, >= 0 (sum of the items').
        low: P10 of the total loss (sum of the items' ``low``).
        high: P90 of the total loss (sum of the items' ``high``).
        ongoing: ``True`` when the incident (or the late order) is still open at
            ``as_of``: the loss is counted up to ``as_of`` and still growing.
        estimated: ``False`` for the explicit "not estimated" result of an incident
            kind with no estimator (:meth:`not_estimated`): no items, zero totals and
            a ``reason``. Zero is then *not* a claim that nothing was lost.
        reason: Why the incident was not estimated (empty when it was).

    Raises:
        ValidationError: A field is not acceptable, the range is out of order, or the
            totals do not match the items (every problem listed).

    Example:
        >>> from custadvocacy import IncidentKind
        >>> item = LossItem(
        ...     label="Staff time", category=LossCategory.STAFF_EFFORT,
        ...     expected=300.0, low=250.0, high=380.0, basis="6 h x EUR 50/h",
        ... )
        >>> impact = Impact(
        ...     incident_id="I1", customer_id="C1", kind=IncidentKind.SUPPORT_FAILURE,
        ...     estimator="mine", currency="EUR", items=(item,),
        ...     expected=300.0, low=250.0, high=380.0, ongoing=False,
        ... )
        >>> impact
        Impact('I1', support_failure, expected=300.00, low=250.00, high=380.00, EUR, items=1, estimator='mine')
        >>> impact.expected_money()
        Money('300.00', 'EUR')

    .. versionadded:: 0.1.0
    """

    LOW_QUANTILE: ClassVar[float] = 0.1
    """The quantile ``low`` is (P10)."""
    HIGH_QUANTILE: ClassVar[float] = 0.9
    """The quantile ``high`` is (P90)."""

    incident_id: str
    customer_id: str
    kind: IncidentKind
    estimator: str
    currency: str
    items: tuple[LossItem, ...]
    expected: float
    low: float
    high: float
    ongoing: bool
    estimated: bool = True
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        if self._fast_valid():
            return
        c = Checks()
        c.text("incident_id", self.incident_id, max_length=MAX_ID_LENGTH)
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.member("kind", self.kind, IncidentKind)
        c.text("estimator", self.estimator, max_length=MAX_ID_LENGTH)
        c.currency("currency", self.currency)
        _check_range(c, self.expected, self.low, self.high)
        c.instance("ongoing", self.ongoing, bool, "True or False")
        c.instance("estimated", self.estimated, bool, "True or False")
        c.text("reason", self.reason, max_length=MAX_TEXT_LENGTH, blank=True)
        _check_items(c, self.items)
        if not c.problems:
            self._check_consistency(c)
        c.done()
        for name in ("expected", "low", "high"):
            object.__setattr__(self, name, float(getattr(self, name)))

    def _fast_valid(self) -> bool:
        incident_id: object = self.incident_id
        customer_id: object = self.customer_id
        estimator: object = self.estimator
        currency: object = self.currency
        reason: object = self.reason
        items: object = self.items
        ongoing: object = self.ongoing
        estimated: object = self.estimated
        if not (
            type(incident_id) is str
            and 0 < len(incident_id) <= MAX_ID_LENGTH
            and not incident_id.isspace()
            and type(customer_id) is str
            and 0 < len(customer_id) <= MAX_ID_LENGTH
            and not customer_id.isspace()
            and type(self.kind) is IncidentKind
            and type(estimator) is str
            and 0 < len(estimator) <= MAX_ID_LENGTH
            and not estimator.isspace()
            and type(currency) is str
            and currency in MINOR_UNITS
            and _fast_range(self.expected, self.low, self.high)
            and type(ongoing) is bool
            and type(estimated) is bool
            and type(reason) is str
            and len(reason) <= MAX_TEXT_LENGTH
            and type(items) is tuple
            and set(map(type, items)) <= _ITEM_TYPE
        ):
            return False
        if self.estimated:
            return not self.reason and _totals_match(self)
        return bool(self.reason.strip()) and not self.items and self.high == 0.0

    def _check_consistency(self, c: Checks) -> None:
        if not self.estimated:
            if self.items:
                c.fail("items", self.items, "no items in a 'not estimated' result")
            if self.high != 0:
                c.fail("high", self.high, "zero totals in a 'not estimated' result")
            if not self.reason.strip():
                c.fail("reason", self.reason, "the reason the incident was not estimated")
            return
        if self.reason:
            c.fail("reason", self.reason, "an empty reason in an estimated result")
        sums = item_totals(self.items)
        for name, total in zip(("expected", "low", "high"), sums, strict=True):
            value = float(getattr(self, name))
            if not _close(value, total):
                c.fail(name, value, f"the sum of the items' {name} ({total!r})")

    # -- convenience --------------------------------------------------------------

    @classmethod
    def from_items(
        cls,
        *,
        incident: Incident,
        estimator: str,
        currency: str,
        items: tuple[LossItem, ...],
        ongoing: bool,
    ) -> Impact:
        """Return the impact of ``incident`` made of ``items``, with the totals summed.

        Example:
            >>> from custadvocacy.examples import example_portfolio
            >>> incident = example_portfolio().incidents[1]
            >>> item = LossItem(
            ...     label="Staff time", category=LossCategory.STAFF_EFFORT,
            ...     expected=200.0, low=150.0, high=300.0,
            ... )
            >>> Impact.from_items(
            ...     incident=incident, estimator="mine", currency="EUR",
            ...     items=(item, item), ongoing=False,
            ... ).high
            600.0
        """
        expected, low, high = item_totals(items)
        return cls(
            incident_id=incident.id,
            customer_id=incident.customer_id,
            kind=incident.kind,
            estimator=estimator,
            currency=currency,
            items=items,
            expected=expected,
            low=low,
            high=high,
            ongoing=ongoing,
        )

    @classmethod
    def not_estimated(cls, incident: Incident, context: Context, *, reason: str) -> Impact:
        """Return the explicit "not estimated" result for ``incident``: no items, zero totals.

        Zero here means "no estimate", never "no loss": :attr:`estimated` is ``False``
        and :attr:`reason` says why.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> incident = example_portfolio().incidents[0]
            >>> result = Impact.not_estimated(
            ...     incident, example_context(), reason="no estimator for 'late_delivery'"
            ... )
            >>> result.estimated, result.expected, result.reason
            (False, 0.0, "no estimator for 'late_delivery'")
        """
        return cls(
            incident_id=incident.id,
            customer_id=incident.customer_id,
            kind=incident.kind,
            estimator="none",
            currency=context.currency,
            items=(),
            expected=0.0,
            low=0.0,
            high=0.0,
            ongoing=incident.is_open(context.as_of),
            estimated=False,
            reason=reason,
        )

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        """Every assumption of every item, each once, in the order first used.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> a = Assumption(name="x", value=1.0, unit="h", source="host", is_default=False)
            >>> item = LossItem(label="A", category=LossCategory.OTHER, expected=1.0,
            ...                 low=1.0, high=1.0, assumptions=(a,))
            >>> impact = Impact(incident_id="I", customer_id="C", kind=IncidentKind.OTHER,
            ...                 estimator="e", currency="EUR", items=(item, item),
            ...                 expected=2.0, low=2.0, high=2.0, ongoing=False)
            >>> len(impact.assumptions)
            1
        """
        return tuple(dict.fromkeys(a for item in self.items for a in item.assumptions))

    @property
    def defaults_used(self) -> tuple[Assumption, ...]:
        """The assumptions that were documented defaults (``is_default``), each once.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> impact = Impact(incident_id="I", customer_id="C", kind=IncidentKind.OTHER,
            ...                 estimator="e", currency="EUR", items=(), expected=0.0,
            ...                 low=0.0, high=0.0, ongoing=False)
            >>> impact.defaults_used
            ()
        """
        return tuple(a for a in self.assumptions if a.is_default)

    def expected_money(self) -> Money:
        """Return :attr:`expected` as Money, rounded to the currency's minor unit.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> Impact(incident_id="I", customer_id="C", kind=IncidentKind.OTHER,
            ...        estimator="e", currency="JPY", items=(), expected=0.0, low=0.0,
            ...        high=0.0, ongoing=False).expected_money()
            Money('0', 'JPY')
        """
        return Money(self.expected, self.currency).rounded()

    def low_money(self) -> Money:
        """Return :attr:`low` (P10) as Money, rounded to the currency's minor unit.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> Impact(incident_id="I", customer_id="C", kind=IncidentKind.OTHER,
            ...        estimator="e", currency="EUR", items=(), expected=0.0, low=0.0,
            ...        high=0.0, ongoing=False).low_money()
            Money('0.00', 'EUR')
        """
        return Money(self.low, self.currency).rounded()

    def high_money(self) -> Money:
        """Return :attr:`high` (P90) as Money, rounded to the currency's minor unit.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> Impact(incident_id="I", customer_id="C", kind=IncidentKind.OTHER,
            ...        estimator="e", currency="EUR", items=(), expected=0.0, low=0.0,
            ...        high=0.0, ongoing=False).high_money()
            Money('0.00', 'EUR')
        """
        return Money(self.high, self.currency).rounded()

    def __repr__(self) -> str:
        if not self.estimated:
            return (
                f"Impact({self.incident_id!r}, {self.kind.value}, not estimated: {self.reason!r})"
            )
        return (
            f"Impact({self.incident_id!r}, {self.kind.value}, expected={self.expected:.2f}, "
            f"low={self.low:.2f}, high={self.high:.2f}, {self.currency}, items={len(self.items)}, "
            f"estimator={self.estimator!r}{', ongoing' if self.ongoing else ''})"
        )


def item_totals(items: tuple[LossItem, ...]) -> tuple[float, float, float]:
    """The items' summed ``expected``, ``low`` and ``high``, added in the items' order."""
    expected = low = high = 0.0
    for item in items:
        expected += item.expected
        low += item.low
        high += item.high
    return expected, low, high


def _close(value: float, total: float) -> bool:
    return abs(value - total) <= _TOTAL_TOLERANCE * max(1.0, abs(total))


def _totals_match(impact: Impact) -> bool:
    expected, low, high = item_totals(impact.items)
    return (
        _close(impact.expected, expected) and _close(impact.low, low) and _close(impact.high, high)
    )


def _check_kinds(c: Checks, kinds: object) -> None:
    if not isinstance(kinds, frozenset) or not kinds:
        c.fail("kinds", kinds, "a non-empty frozenset of IncidentKind")
        return
    for kind in sorted(kinds, key=repr):
        c.member("kinds", kind, IncidentKind)


@attrs.frozen(kw_only=True)
class EstimatorCapabilities:
    """What an estimator supports, as data the library and the conformance kit read.

    Attributes:
        kinds: The incident kinds it can estimate (non-empty).
        batch: Whether it also offers the columnar batch path (an optional
            ``estimate_batch`` method; none of the 0.1 built-ins does yet).
        deterministic: Whether the same inputs always give the same result.

    Raises:
        ValidationError: A field is not acceptable.

    Example:
        >>> from custadvocacy import IncidentKind
        >>> caps = EstimatorCapabilities(
        ...     kinds=frozenset({IncidentKind.DEFECT}), batch=False
        ... )
        >>> IncidentKind.DEFECT in caps.kinds, caps.deterministic
        (True, True)

    .. versionadded:: 0.1.0
    """

    kinds: frozenset[IncidentKind]
    batch: bool
    deterministic: bool = True

    def __attrs_post_init__(self) -> None:
        c = Checks()
        _check_kinds(c, self.kinds)
        c.instance("batch", self.batch, bool, "True or False")
        c.instance("deterministic", self.deterministic, bool, "True or False")
        c.done()


@runtime_checkable
class ImpactEstimator(Protocol):
    """What an impact estimator is: a name, its capabilities and ``estimate``.

    Any object with these three members is an estimator, a plain class of the host's
    as much as a built-in; nothing to inherit. ``estimate`` must be pure: no I/O, no
    clock (the moment is ``context.as_of``), no mutation of its arguments, the same
    result for the same inputs, amounts in ``context.currency``.

    Example:
        >>> from custadvocacy.estimators import LateDeliveryEstimator
        >>> isinstance(LateDeliveryEstimator(), ImpactEstimator)
        True

    .. versionadded:: 0.1.0
    """

    @property
    def name(self) -> str:
        """Short identifier of the estimator, stored in every :class:`Impact` it makes."""
        ...

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """The incident kinds it handles and the paths it supports."""
        ...

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Return the customer's loss from ``incident``, in ``context.currency``.

        Args:
            incident: The incident to estimate.
            customer: The customer it hit (``incident.customer_id == customer.id``).
            order: The order ``incident.order_id`` names, or ``None``.
            context: ``as_of``, the reporting currency and the exchange rates.

        Returns:
            The itemised loss with its P10-P90 range and assumptions.

        Raises:
            MissingRateError: An amount's currency has no rate into the reporting one.
        """
        ...
