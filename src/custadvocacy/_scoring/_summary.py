"""A portfolio's scores in one view: counts per band, the ranking, and the proactivity rate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from custadvocacy._checks import MAX_ID_LENGTH, Checks
from custadvocacy._domain import Incident, NoticedBy
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._scoring._model import AdvocacyScore, Band

__all__ = ["BandCount", "ScoreSummary", "summarize"]


@attrs.frozen(kw_only=True)
class BandCount:
    """How many customers are in one band.

    Attributes:
        band: The band.
        count: Customers in it (>= 0).

    Example:
        >>> BandCount(band=Band.HIGH, count=2)
        BandCount(band=<Band.HIGH: 'high'>, count=2)

    .. versionadded:: 0.1.0
    """

    band: Band
    count: int

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.member("band", self.band, Band)
        c.number("count", self.count, integer=True)
        c.done()


@attrs.frozen(kw_only=True, repr=False)
class ScoreSummary:
    """A portfolio's advocacy scores at a glance, beside how proactive the vendor was.

    Attributes:
        customers: Customers scored.
        band_counts: One :class:`BandCount` per band, stable to critical (zeros included).
        ranked: Customer ids by score, highest (most urgent) first; ties by id.
        mean_value: Mean score, ``None`` when nothing was scored.
        incidents: Incidents counted for the proactivity rate.
        vendor_first: Of those, noticed by the vendor first (proactive).
        customer_first: Of those, noticed by the customer first (reactive).
        unknown_noticed: Of those, with ``noticed_by`` unknown: left out of the rate.
        proactivity_rate: ``vendor_first / (vendor_first + customer_first)``, the share of
            incidents the vendor noticed first; ``None`` when no incident says who did.

    Raises:
        ValidationError: A field is not acceptable or the counts do not add up.

    Example:
        >>> from custadvocacy.examples import example_portfolio
        >>> summary = summarize((), example_portfolio().incidents)
        >>> summary.vendor_first, summary.customer_first, summary.proactivity_rate
        (4, 6, 0.4)

    .. versionadded:: 0.1.0
    """

    customers: int
    band_counts: tuple[BandCount, ...]
    ranked: tuple[str, ...]
    mean_value: float | None
    incidents: int
    vendor_first: int
    customer_first: int
    unknown_noticed: int
    proactivity_rate: float | None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        for name in ("customers", "incidents", "vendor_first", "customer_first", "unknown_noticed"):
            c.number(name, getattr(self, name), integer=True)
        c.optional_number("mean_value", self.mean_value, high=100.0)
        c.optional_share("proactivity_rate", self.proactivity_rate)
        counts: object = self.band_counts
        bands = tuple(getattr(b, "band", None) for b in counts) if isinstance(counts, tuple) else ()
        if bands != tuple(Band):
            c.fail("band_counts", self.band_counts, "one BandCount per band, stable to critical")
        ranked: object = self.ranked
        if not isinstance(ranked, tuple):
            c.fail("ranked", ranked, "a tuple of customer ids")
        else:
            for i, cid in enumerate(ranked):
                c.text(f"ranked[{i}]", cid, max_length=MAX_ID_LENGTH)
        if not c.problems:
            if sum(b.count for b in self.band_counts) != self.customers:
                c.fail("band_counts", self.band_counts, f"counts adding up to {self.customers}")
            if len(self.ranked) != self.customers:
                c.fail("ranked", self.ranked, f"{self.customers} customer ids")
            parts = self.vendor_first + self.customer_first + self.unknown_noticed
            if parts != self.incidents:
                c.fail("incidents", self.incidents, f"vendor + customer + unknown ({parts})")
        c.done()

    def count(self, band: Band) -> int:
        """Return how many customers are in ``band``.

        Example:
            >>> summarize((), ()).count(Band.CRITICAL)
            0
        """
        return next(b.count for b in self.band_counts if b.band is band)

    def __repr__(self) -> str:
        bands = ", ".join(f"{b.band.value}={b.count}" for b in self.band_counts)
        rate = "n/a" if self.proactivity_rate is None else f"{self.proactivity_rate:.0%}"
        return (
            f"ScoreSummary(customers={self.customers}, {bands}, proactivity={rate} "
            f"of {self.vendor_first + self.customer_first} known)"
        )


def summarize(
    scores: Sequence[AdvocacyScore],
    incidents: Sequence[Incident],
    *,
    since: datetime | None = None,
) -> ScoreSummary:
    """Summarise a portfolio's scores and the proactivity rate of its incidents.

    The proactivity rate is the share of incidents the vendor noticed first
    (``noticed_by == "vendor"``) among those where it is known; incidents with
    ``noticed_by`` unknown are counted apart in ``unknown_noticed``, not in the rate.
    The result does not depend on the order of the inputs.

    Args:
        scores: One score per customer (distinct customer ids).
        incidents: The incidents to measure proactivity on.
        since: If given, only incidents opened at or after it count.

    Returns:
        The summary.

    Raises:
        ValidationError: An item is of the wrong type, or two scores share a customer
            (every problem listed).

    Example:
        >>> from custadvocacy import AdvocacyScorer, forecast_orders
        >>> from custadvocacy import estimate_impacts
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> portfolio, ctx = example_portfolio(), example_context()
        >>> scores = [
        ...     AdvocacyScorer().score(
        ...         c, o, i, estimate_impacts(c, o, i, ctx), forecast_orders(c, o, ctx), ctx
        ...     )
        ...     for c, o, i in portfolio.groups()
        ... ]
        >>> summary = summarize(scores, portfolio.incidents)
        >>> summary.ranked[:2], summary.proactivity_rate
        (('C07', 'C01'), 0.4)

    .. versionadded:: 0.1.0
    """
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(scores):
        score: object = item
        if not isinstance(score, AdvocacyScore):
            problems.append(Problem(f"scores[{i}]", score, "an AdvocacyScore"))
        elif score.customer_id in seen:
            problems.append(
                Problem(f"scores[{i}].customer_id", score.customer_id, "one score per customer")
            )
        else:
            seen.add(score.customer_id)
    for i, entry in enumerate(incidents):
        incident: object = entry
        if not isinstance(incident, Incident):
            problems.append(Problem(f"incidents[{i}]", incident, "an Incident"))
    if problems:
        raise ValidationError(problems)
    counted = [i for i in incidents if since is None or i.opened_at >= since]
    vendor = sum(1 for i in counted if i.noticed_by is NoticedBy.VENDOR)
    customer = sum(1 for i in counted if i.noticed_by is NoticedBy.CUSTOMER)
    known = vendor + customer
    ranked = sorted(scores, key=lambda s: (-s.value, s.customer_id))
    values = sorted(s.value for s in scores)
    return ScoreSummary(
        customers=len(ranked),
        band_counts=tuple(
            BandCount(band=band, count=sum(1 for s in ranked if s.band is band)) for band in Band
        ),
        ranked=tuple(s.customer_id for s in ranked),
        mean_value=min(100.0, sum(values) / len(values)) if values else None,
        incidents=len(counted),
        vendor_first=vendor,
        customer_first=customer,
        unknown_noticed=len(counted) - known,
        proactivity_rate=vendor / known if known else None,
    )
