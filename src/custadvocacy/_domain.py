"""The domain: customers, their orders and incidents, as frozen validated values."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import attrs

from custadvocacy._checks import (
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    Checks,
)
from custadvocacy._money import Money

__all__ = [
    "Customer",
    "HealthSignals",
    "Incident",
    "IncidentKind",
    "NoticedBy",
    "OperatingProfile",
    "Order",
    "Segment",
    "Severity",
]

_SECONDS_PER_HOUR = 3_600.0


def days_between(start: datetime, end: datetime) -> float:
    """Return ``end - start`` in days (negative when ``end`` is earlier)."""
    return (end - start) / timedelta(days=1)


class Segment(enum.StrEnum):
    """The size class of a customer's business; defaults are chosen per segment.

    Example:
        >>> Segment("mid_market")
        <Segment.MID_MARKET: 'mid_market'>

    .. versionadded:: 0.1.0
    """

    SMALL = "small"
    """Up to about 50 staff: a workshop, a practice, a single shop."""
    MID_MARKET = "mid_market"
    """About 50 to 1,000 staff."""
    ENTERPRISE = "enterprise"
    """Above about 1,000 staff, or several sites."""


class IncidentKind(enum.StrEnum):
    """What went wrong for the customer.

    Example:
        >>> IncidentKind.LATE_DELIVERY.value
        'late_delivery'

    .. versionadded:: 0.1.0
    """

    LATE_DELIVERY = "late_delivery"
    PARTIAL_DELIVERY = "partial_delivery"
    DEFECT = "defect"
    SERVICE_OUTAGE = "service_outage"
    BILLING_ERROR = "billing_error"
    SUPPORT_FAILURE = "support_failure"
    OTHER = "other"


class Severity(enum.StrEnum):
    """How badly the incident hits the customer, as the host's service desk rates it.

    ``rank`` orders them (1 = low ... 4 = critical).

    Example:
        >>> Severity.HIGH.rank > Severity.MEDIUM.rank
        True

    .. versionadded:: 0.1.0
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """1 for low up to 4 for critical.

        Example:
            >>> Severity.LOW.rank, Severity.CRITICAL.rank
            (1, 4)
        """
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


class NoticedBy(enum.StrEnum):
    """Who noticed the problem first: the vendor (proactive) or the customer (reactive).

    Example:
        >>> NoticedBy("vendor") is NoticedBy.VENDOR
        True

    .. versionadded:: 0.1.0
    """

    VENDOR = "vendor"
    CUSTOMER = "customer"


@attrs.frozen(kw_only=True)
class OperatingProfile:
    """What the customer's own business looks like, as far as the vendor knows it.

    Every field is optional: impact estimators fall back to documented defaults by
    segment for what is missing, widen their ranges and name the assumption.

    Attributes:
        daily_revenue: Revenue per operating day that depends on the vendor's goods
            or services (Money, >= 0).
        gross_margin: Share of that revenue that is gross margin, 0-1; lost revenue
            costs the customer this share of it.
        buffer_days: Days of stock or slack before a late delivery stops the
            customer's operations (>= 0).
        staff_hourly_cost: Fully loaded hourly cost of the customer's staff (Money, >= 0).
        staff_count: Staff whose work depends on the vendor (whole number, >= 0).

    Example:
        >>> OperatingProfile(daily_revenue=Money("8000", "EUR"), buffer_days=2)
        OperatingProfile(daily_revenue=Money('8000', 'EUR'), gross_margin=None, buffer_days=2, ...)

    .. versionadded:: 0.1.0
    """

    daily_revenue: Money | None = None
    gross_margin: float | None = None
    buffer_days: float | None = None
    staff_hourly_cost: Money | None = None
    staff_count: int | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.optional_money("daily_revenue", self.daily_revenue)
        c.optional_share("gross_margin", self.gross_margin)
        c.optional_number("buffer_days", self.buffer_days, high=3650, what=" days")
        c.optional_money("staff_hourly_cost", self.staff_hourly_cost)
        c.optional_number("staff_count", self.staff_count, integer=True, high=10_000_000)
        c.done()


@attrs.frozen(kw_only=True)
class HealthSignals:
    """The latest relationship signals the CRM has; each one optional.

    A missing signal is skipped by the scorer, never read as zero.

    Attributes:
        nps: Latest answer to "how likely are you to recommend us", 0-10.
        csat: Latest satisfaction rating, 1-5.
        open_tickets: Support tickets currently open (>= 0).
        usage_trend: Relative change in usage over the last period, e.g. ``-0.2``
            for a 20 % drop (from -1, usage gone, up to 10).

    Example:
        >>> HealthSignals(nps=4, open_tickets=3)
        HealthSignals(nps=4, csat=None, open_tickets=3, usage_trend=None)

    .. versionadded:: 0.1.0
    """

    nps: int | None = None
    csat: float | None = None
    open_tickets: int | None = None
    usage_trend: float | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.optional_number("nps", self.nps, high=10, integer=True)
        c.optional_number("csat", self.csat, low=1, high=5)
        c.optional_number("open_tickets", self.open_tickets, integer=True, high=1_000_000)
        c.optional_number("usage_trend", self.usage_trend, low=-1, high=10)
        c.done()


@attrs.frozen(kw_only=True)
class Customer:
    """A customer of the vendor: who they are, what they are worth, how they are doing.

    Attributes:
        id: The host's identifier (non-empty, at most 200 characters).
        name: Display name (non-empty, at most 500 characters).
        segment: Size class; defaults are chosen per :class:`Segment`.
        customer_since: When the relationship began (timezone-aware).
        currency: The account's ISO 4217 currency; briefs show the customer's loss in it.
        annual_value: What the customer is worth to the vendor per year (>= 0).
        renewal_at: When the contract renews, if it does (timezone-aware).
        profile: What the vendor knows of the customer's own business.
        health: The latest relationship signals.

    Example:
        >>> from datetime import datetime, timezone
        >>> acme = Customer(
        ...     id="C1", name="Acme Machining", segment=Segment.SMALL,
        ...     customer_since=datetime(2019, 3, 1, tzinfo=timezone.utc),
        ...     currency="EUR", annual_value=Money("120000", "EUR"),
        ... )
        >>> acme.name, acme.profile.buffer_days
        ('Acme Machining', None)

    .. versionadded:: 0.1.0
    """

    id: str
    name: str
    segment: Segment
    customer_since: datetime
    currency: str
    annual_value: Money
    renewal_at: datetime | None = None
    profile: OperatingProfile = attrs.field(factory=OperatingProfile)
    health: HealthSignals = attrs.field(factory=HealthSignals)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("id", self.id, max_length=MAX_ID_LENGTH)
        c.text("name", self.name, max_length=MAX_NAME_LENGTH)
        c.member("segment", self.segment, Segment)
        c.moment("customer_since", self.customer_since)
        c.currency("currency", self.currency)
        c.money("annual_value", self.annual_value)
        c.optional_moment("renewal_at", self.renewal_at)
        c.instance("profile", self.profile, OperatingProfile, "an OperatingProfile")
        c.instance("health", self.health, HealthSignals, "a HealthSignals")
        c.done()


@attrs.frozen(kw_only=True)
class Order:
    """An order the customer placed with the vendor.

    Attributes:
        id: The host's identifier.
        customer_id: The :attr:`Customer.id` it belongs to.
        placed_at: When it was placed.
        promised_at: The delivery date promised to the customer (not before ``placed_at``).
        value: The order's value (>= 0).
        criticality: Share of the customer's operations that depend on this order,
            0-1: ``1.0`` means their line stops without it, ``0.1`` a minor
            inconvenience. ``None`` (unknown) makes estimators use a documented default.
        delivered_at: When it was delivered; ``None`` while it is open.
        eta: The carrier's or supplier's latest estimate of arrival, for open orders.
        lane: Route, supplier or carrier key that forecasts group history by.

    Example:
        >>> from datetime import datetime, timezone
        >>> utc = timezone.utc
        >>> order = Order(
        ...     id="O1", customer_id="C1", value=Money("5000", "EUR"), criticality=1.0,
        ...     placed_at=datetime(2026, 10, 1, tzinfo=utc),
        ...     promised_at=datetime(2026, 10, 15, tzinfo=utc),
        ...     delivered_at=datetime(2026, 10, 21, tzinfo=utc),
        ... )
        >>> order.days_late(datetime(2026, 11, 1, tzinfo=utc))
        6.0

    .. versionadded:: 0.1.0
    """

    id: str
    customer_id: str
    placed_at: datetime
    promised_at: datetime
    value: Money
    criticality: float | None = None
    delivered_at: datetime | None = None
    eta: datetime | None = None
    lane: str | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("id", self.id, max_length=MAX_ID_LENGTH)
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.moment("placed_at", self.placed_at)
        c.moment("promised_at", self.promised_at)
        c.money("value", self.value)
        c.optional_share("criticality", self.criticality)
        c.optional_moment("delivered_at", self.delivered_at)
        c.optional_moment("eta", self.eta)
        c.optional_text("lane", self.lane, max_length=MAX_ID_LENGTH)
        c.not_before("promised_at", self.promised_at, "placed_at", self.placed_at)
        c.not_before("delivered_at", self.delivered_at, "placed_at", self.placed_at)
        c.not_before("eta", self.eta, "placed_at", self.placed_at)
        c.done()

    @property
    def is_open(self) -> bool:
        """Whether the order has not been delivered yet.

        Example:
            >>> from custadvocacy.examples import example_portfolio
            >>> [order.is_open for order in example_portfolio().orders[:2]]
            [False, True]
        """
        return self.delivered_at is None

    def days_late(self, as_of: datetime) -> float:
        """Days past the promise: at delivery, or up to ``as_of`` while open (>= 0).

        An open order's lateness grows with ``as_of``; one not yet due is 0.

        Args:
            as_of: The moment to count up to while the order is open (timezone-aware).

        Returns:
            Days late as a float (fractions of a day included), never negative.

        Example:
            >>> from custadvocacy.examples import example_portfolio, EXAMPLE_AS_OF
            >>> orders = {o.id: o for o in example_portfolio().orders}
            >>> orders["O-1001"].days_late(EXAMPLE_AS_OF)   # delivered six days late
            6.0
            >>> round(orders["O-10002"].days_late(EXAMPLE_AS_OF), 2)   # open, 3 days past
            3.04
            >>> orders["O-1002"].days_late(EXAMPLE_AS_OF)   # open, not yet due
            0.0
        """
        end = as_of if self.delivered_at is None else self.delivered_at
        return max(0.0, days_between(self.promised_at, end))


@attrs.frozen(kw_only=True)
class Incident:
    """Something that went wrong for the customer.

    Attributes:
        id: The host's identifier.
        customer_id: The :attr:`Customer.id` it hit.
        kind: What went wrong.
        opened_at: When it began (or was recorded).
        severity: How badly, as the host's service desk rates it.
        noticed_by: Who noticed first; ``None`` when the host does not know.
        order_id: The :attr:`Order.id` it concerns, if any.
        resolved_at: When it was resolved (not before ``opened_at``); ``None`` while open.
        affected_share: Share of the customer's operations (or of the order) it
            affected, 0-1.
        amount: Money at issue, where there is some (e.g. the wrongly billed sum).
        effort_hours: Hours the customer's staff spent on it (rework, chasing,
            repeating themselves), if known (>= 0).
        summary: Free text for the brief (at most 10,000 characters).

    Example:
        >>> from datetime import datetime, timezone
        >>> incident = Incident(
        ...     id="I1", customer_id="C1", kind=IncidentKind.SERVICE_OUTAGE,
        ...     opened_at=datetime(2026, 11, 2, 8, tzinfo=timezone.utc),
        ...     resolved_at=datetime(2026, 11, 2, 14, tzinfo=timezone.utc),
        ...     noticed_by=NoticedBy.CUSTOMER, affected_share=0.5,
        ... )
        >>> incident.hours_open(datetime(2026, 11, 3, tzinfo=timezone.utc))
        6.0

    .. versionadded:: 0.1.0
    """

    id: str
    customer_id: str
    kind: IncidentKind
    opened_at: datetime
    severity: Severity = Severity.MEDIUM
    noticed_by: NoticedBy | None = None
    order_id: str | None = None
    resolved_at: datetime | None = None
    affected_share: float = 1.0
    amount: Money | None = None
    effort_hours: float | None = None
    summary: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("id", self.id, max_length=MAX_ID_LENGTH)
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.member("kind", self.kind, IncidentKind)
        c.moment("opened_at", self.opened_at)
        c.member("severity", self.severity, Severity)
        c.optional_member("noticed_by", self.noticed_by, NoticedBy)
        c.optional_text("order_id", self.order_id, max_length=MAX_ID_LENGTH)
        c.optional_moment("resolved_at", self.resolved_at)
        c.share("affected_share", self.affected_share)
        c.optional_money("amount", self.amount)
        c.optional_number("effort_hours", self.effort_hours, high=1_000_000, what=" hours")
        c.text("summary", self.summary, max_length=MAX_TEXT_LENGTH, blank=True)
        c.not_before("resolved_at", self.resolved_at, "opened_at", self.opened_at)
        c.done()

    def is_open(self, as_of: datetime) -> bool:
        """Whether the incident is still unresolved at ``as_of``.

        An incident resolved after ``as_of`` counts as open at ``as_of`` (replays).

        Example:
            >>> from custadvocacy.examples import example_portfolio, EXAMPLE_AS_OF
            >>> [i.id for i in example_portfolio().incidents if i.is_open(EXAMPLE_AS_OF)]
            ['INC-201', 'INC-601', 'INC-701', 'INC-801', 'INC-1002']
        """
        return self.resolved_at is None or self.resolved_at > as_of

    def hours_open(self, as_of: datetime) -> float:
        """Hours from opening to resolution, or to ``as_of`` while open (>= 0).

        Example:
            >>> from custadvocacy.examples import example_portfolio, EXAMPLE_AS_OF
            >>> incidents = {i.id: i for i in example_portfolio().incidents}
            >>> incidents["INC-301"].hours_open(EXAMPLE_AS_OF)   # the clinic's outage
            7.0
            >>> incidents["INC-1002"].hours_open(EXAMPLE_AS_OF)  # still open
            73.0
        """
        resolved = self.resolved_at
        # `>=` would be equivalent: when resolved == as_of both branches give as_of.
        end = as_of if resolved is None or resolved > as_of else resolved  # pragma: no mutate
        return max(0.0, (end - self.opened_at).total_seconds() / _SECONDS_PER_HOUR)
