"""The brief: a short text for decision makers that states the damage in the customer's terms.

A :class:`Brief` is data (a headline and a few sections of lines) with two renderings,
plain text and Markdown, plus the notebook hooks. :func:`compose_brief` writes one from
anything shaped like an :class:`~custadvocacy.Assessment` (the :class:`BriefSource`
protocol), so this module does not depend on the assessment module above it.
"""

from __future__ import annotations

import html
import math
import typing
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final, Protocol

import attrs

from custadvocacy._checks import MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, Checks
from custadvocacy._domain import Customer, Incident, IncidentKind, NoticedBy, Order
from custadvocacy._errors import MissingRateError, ValidationError
from custadvocacy._forecast import Forecast, ForecastBasis
from custadvocacy._forecast._at_risk import risk_beyond_incidents
from custadvocacy._impact._model import Assumption, Impact
from custadvocacy._impact._text import _value as assumption_value
from custadvocacy._listing import listing
from custadvocacy._money import ExchangeRates, Money
from custadvocacy._policies import Recommendation, RecommendedAction
from custadvocacy._scoring import AdvocacyScore, Band

__all__ = ["Brief", "BriefSource", "compose_brief"]

_MAX_LINES: Final = 200

SECTION_TITLES: Final = (
    ("in_their_terms", "In the customer's terms"),
    ("happened", "What happened"),
    ("cost", "What it cost the customer"),
    ("why_now", "Why now"),
    ("defaults", "Assumptions that were defaults, not the customer's own figures"),
    ("recommended", "What we recommend"),
    ("approval", "Needs approval"),
)
"""The sections of a brief, in order: (field name, heading)."""

_BAND_MEANING: Final = {
    Band.STABLE: "nothing calls for an advocate now",
    Band.WATCH: "something to keep an eye on",
    Band.ELEVATED: "an advocate should look at the account this week",
    Band.HIGH: "an advocate should act now",
    Band.CRITICAL: "the customer is being hurt badly and needs someone on their side today",
}

_KIND_TEXT: Final = {
    IncidentKind.LATE_DELIVERY: "late delivery",
    IncidentKind.PARTIAL_DELIVERY: "partial delivery",
    IncidentKind.DEFECT: "defective goods",
    IncidentKind.SERVICE_OUTAGE: "service outage",
    IncidentKind.BILLING_ERROR: "billing error",
    IncidentKind.SUPPORT_FAILURE: "support failure",
    IncidentKind.OTHER: "incident",
}

_FORECAST_BASIS_TEXT: Final = {
    ForecastBasis.ETA: "the carrier's ETA",
    ForecastBasis.LANE: "the lane's delivery history",
    ForecastBasis.POOLED: "the delivery history of all lanes",
    ForecastBasis.PRIOR: "the built-in delay prior, for want of delivery history",
    ForecastBasis.HOST: "the host's own lead-time model",
}

_QUOTED_INCIDENTS: Final = 3
_SHOWN_INCIDENTS: Final = 10
_MAX_SUMMARY: Final = 300
_MAX_LINE: Final = 2_000
_SHOWN_FORECASTS: Final = 5
_SHOWN_REASONS: Final = 3
_LINE_STOPS: Final = 0.9  # an order this critical stops the customer's line when it is late
_NEGLIGIBLE: Final = 0.005  # a loss category below this share of the total is not named
_AT_RISK: Final = 0.2  # probability late from which an open order is worth a sentence
_LIKELY: Final = 0.5  # probability late from which the customer is warned in their terms
# An order still open this long past its promise is more likely a record never closed
# (delivered, cancelled) than a delivery on its way: its figures grow with every day.
_STALE_DAYS: Final = 90


class BriefSource(Protocol):
    """What :func:`compose_brief` reads: the parts of an assessment.

    :class:`~custadvocacy.Assessment` has all of them (structurally: nothing inherits).
    """

    @property
    def customer(self) -> Customer:
        """The customer assessed."""
        ...

    @property
    def as_of(self) -> datetime:
        """The moment of the assessment."""
        ...

    @property
    def currency(self) -> str:
        """The reporting currency."""
        ...

    @property
    def rates(self) -> ExchangeRates:
        """Exchange rates, to show amounts in the customer's currency too."""
        ...

    @property
    def orders(self) -> tuple[Order, ...]:
        """The customer's orders."""
        ...

    @property
    def incidents(self) -> tuple[Incident, ...]:
        """The customer's incidents."""
        ...

    @property
    def impacts(self) -> tuple[Impact, ...]:
        """One impact per incident, in the reporting currency."""
        ...

    @property
    def forecasts(self) -> tuple[Forecast, ...]:
        """Forecasts of the open orders, in the reporting currency."""
        ...

    @property
    def score(self) -> AdvocacyScore:
        """The advocacy score."""
        ...

    @property
    def recommendation(self) -> Recommendation:
        """The recommended actions."""
        ...


def _check_lines(c: Checks, name: str, value: object) -> None:
    if not isinstance(value, tuple) or len(value) > _MAX_LINES:
        c.fail(name, value, f"a tuple of at most {_MAX_LINES} strings")
        return
    for i, line in enumerate(value):
        c.text(f"{name}[{i}]", line, max_length=MAX_TEXT_LENGTH)


@attrs.frozen(kw_only=True, repr=False)
class Brief:
    """A short text for decision makers: the damage in the customer's terms, and what to do.

    Written for the account manager who walks into a meeting with the customer: what
    happened, what it cost *the customer* (a range, in their currency and the reporting
    currency), which figures were defaults rather than the customer's own, what we
    recommend and why, and what needs a human's approval. Build one with
    :meth:`Assessment.brief() <custadvocacy.Assessment.brief>`; render it with
    :meth:`text` (also ``str()``) or :meth:`markdown`. In a notebook it renders itself.

    Attributes:
        customer_id: The customer.
        customer_name: Their display name.
        headline: One line: who, the score, the band and what the band asks for.
        in_their_terms: Sentences an account manager can say aloud, one per main incident.
        happened: What happened: incidents, and open orders at risk.
        cost: What it cost the customer, per incident and in total.
        why_now: The score's main drivers.
        defaults: Every default assumption used, with its value and source.
        recommended: The recommended actions, ranked, with relief, cost and reasons.
        approval: What needs a human's approval before it is done.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> brief = Brief(
        ...     customer_id="C1", customer_name="Acme", headline="Acme (C1): score 12.0/100",
        ...     cost=("INC-1: roughly EUR 4,500",),
        ... )
        >>> print(brief.text())
        Acme (C1): score 12.0/100
        <BLANKLINE>
        What it cost the customer
          - INC-1: roughly EUR 4,500

    .. versionadded:: 0.1.0
    """

    customer_id: str
    customer_name: str
    headline: str
    in_their_terms: tuple[str, ...] = ()
    happened: tuple[str, ...] = ()
    cost: tuple[str, ...] = ()
    why_now: tuple[str, ...] = ()
    defaults: tuple[str, ...] = ()
    recommended: tuple[str, ...] = ()
    approval: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.text("customer_name", self.customer_name, max_length=MAX_NAME_LENGTH)
        c.text("headline", self.headline, max_length=MAX_TEXT_LENGTH)
        for name, _ in SECTION_TITLES:
            _check_lines(c, name, getattr(self, name))
        c.done()

    def sections(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Return the non-empty sections as ``(heading, lines)`` pairs, in reading order.

        Example:
            >>> Brief(customer_id="C1", customer_name="Acme", headline="h",
            ...       approval=("nothing",)).sections()
            (('Needs approval', ('nothing',)),)
        """
        return tuple(
            (title, lines) for name, title in SECTION_TITLES if (lines := getattr(self, name))
        )

    def text(self) -> str:
        """Return the brief as plain text: the headline, then each section's lines as bullets.

        Example:
            >>> print(Brief(customer_id="C1", customer_name="Acme", headline="Acme: fine").text())
            Acme: fine
        """
        parts = [self.headline]
        for title, lines in self.sections():
            parts.append("")
            parts.append(title)
            parts.extend(f"  {_bullet(line)}" for line in lines)
        return "\n".join(parts)

    def markdown(self) -> str:
        r"""Return the brief as Markdown: a heading, then a bold title and bullets per section.

        Characters Markdown would read as markup (``*``, ``_``, backticks...) are escaped,
        so a customer's name or an incident summary shows as written.

        Example:
            >>> print(Brief(customer_id="C1", customer_name="A*B", headline="A*B: fine",
            ...             happened=("late",)).markdown())
            ### A\*B: fine
            <BLANKLINE>
            **What happened**
            <BLANKLINE>
            - late
        """
        parts = [f"### {_md(self.headline)}"]
        for title, lines in self.sections():
            parts.extend(("", f"**{_md(title)}**", ""))
            parts.extend(_bullet(_md(line)) for line in lines)
        return "\n".join(parts)

    def html(self) -> str:
        """Return the brief as an HTML fragment (every text HTML-escaped).

        Example:
            >>> Brief(customer_id="C1", customer_name="A&B", headline="<A&B>").html()
            '<div class="custadvocacy-brief"><h3>&lt;A&amp;B&gt;</h3></div>'
        """
        parts = ['<div class="custadvocacy-brief">', f"<h3>{html.escape(self.headline)}</h3>"]
        for title, lines in self.sections():
            parts.append(f"<h4>{html.escape(title)}</h4><ul>")
            parts.extend(f"<li>{html.escape(line)}</li>" for line in lines)
            parts.append("</ul>")
        parts.append("</div>")
        return "".join(parts)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{name}={len(getattr(self, name))}"
            for name, _ in SECTION_TITLES
            if getattr(self, name)
        )
        return f"Brief({self.customer_id!r}, {self.headline!r}{', ' if counts else ''}{counts})"


def _bullet(line: str) -> str:
    """A list item: numbered lines (``"1. ..."``) keep their number, others get a dash."""
    head, dot, _ = line.partition(". ")
    return line if dot and head.isdigit() else f"- {line}"


_MD_SPECIAL: Final = str.maketrans({ch: f"\\{ch}" for ch in "\\`*_[]<>#|~"})


def _md(text: str) -> str:
    """Escape what Markdown would read as markup (and raw HTML)."""
    return text.translate(_MD_SPECIAL)


# --------------------------------------------------------------------------- numbers


# Short scale, largest first; amounts go up to 1e18, read as "1,000,000 trillion".
_SCALES: Final = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _rough(value: float) -> str:
    """``value`` to two significant figures, as an account manager would say it.

    >>> [_rough(v) for v in (0.0, 0.42, 60.4, 283.0, 44956.0, 1123900.0, 25_400_000.0)]
    ['0', '0.42', '60', '280', '45,000', '1.1 million', '25 million']
    >>> [_rough(v) for v in (999_999_999.0, 3.14e9, 2.2e12, 1e18)]
    ['1 billion', '3.1 billion', '2.2 trillion', '1,000,000 trillion']
    """
    if value <= 0 or not math.isfinite(value):
        return "0"
    rounded = float(f"{value:.2g}")
    for scale, word in _SCALES:
        if rounded >= scale:
            count = rounded / scale
            shown = f"{count:,.0f}" if count >= 10 else f"{count:.1f}".rstrip("0").rstrip(".")
            return f"{shown} {word}"
    if rounded >= 1:
        return f"{rounded:,.0f}"
    return f"{rounded:.2g}"


def _days(value: float) -> str:
    whole = round(value)
    if abs(value - whole) < 0.05:
        return f"{whole} day" if whole == 1 else f"{whole} days"
    return f"{value:.1f} days"


def _hours(value: float) -> str:
    whole = round(value)
    if abs(value - whole) < 0.05:
        return f"{whole} hour" if whole == 1 else f"{whole} hours"
    return f"{value:.1f} hours"


def _money(money: Money) -> str:
    """``Money`` as ``"EUR 1,234.50"`` (code first, as the rest of the brief)."""
    shown = money.rounded().amount
    return f"{money.currency} {shown:,.{money.minor_unit}f}"


class _Converter:
    """Amounts in the reporting currency, also shown in the customer's (when a rate is known)."""

    __slots__ = ("factor", "local", "reporting")

    def __init__(self, rates: ExchangeRates, reporting: str, local: str) -> None:
        self.reporting = reporting
        self.local = local
        factor: float | None
        try:
            factor = float(rates.rate(reporting, local))
        except MissingRateError:
            factor = None
        self.factor = factor

    @property
    def both(self) -> bool:
        return self.local != self.reporting and self.factor is not None

    def range_text(self, expected: float, low: float, high: float) -> str:
        """``roughly CZK 1.1 million (P10-P90 ...), that is roughly EUR 45,000 (P10-P90 ...)``."""
        reporting = _range(self.reporting, expected, low, high)
        if not self.both or self.factor is None:
            return reporting
        f = self.factor
        return f"{_range(self.local, expected * f, low * f, high * f)}, that is {reporting}"

    def span(self, low: float, high: float) -> str:
        """The P10-P90 span in the customer's currency when known: ``CZK 720,000-1.5 million``."""
        if self.both and self.factor is not None:
            return f"{self.local} {_rough(low * self.factor)}-{_rough(high * self.factor)}"
        return f"{self.reporting} {_rough(low)}-{_rough(high)}"

    def money(self, money: Money) -> str:
        """``EUR 4,480.00 (CZK 112,000.00)`` for an amount a CRM acts on."""
        text = _money(money)
        if self.both and self.factor is not None and money.currency == self.reporting:
            # Shown for reading only: the amount acted on is the reporting-currency one.
            try:
                local = Money(money.amount, self.local) * self.factor
            except ValidationError:  # beyond what Money holds: show the reporting amount only
                return text
            text += f" ({_money(local)})"
        return text


def _range(currency: str, expected: float, low: float, high: float) -> str:
    return f"roughly {currency} {_rough(expected)} (P10-P90 {_rough(low)} to {_rough(high)})"


# -------------------------------------------------------------------------- sentences


def _assumption(impact: Impact, name: str) -> Assumption | None:
    for item in impact.items:
        for a in item.assumptions:
            if a.name == name:
                return a
    return None


def _late_sentence(incident: Incident, order: Order | None, impact: Impact, as_of: datetime) -> str:
    if order is None:
        days = incident.hours_open(as_of) / 24.0
        return f"our delivery was {_days(days)} late"
    days = order.days_late(as_of)
    still = " and is still on its way" if order.is_open else ""
    late = f"our delivery {order.id} was {_days(days)} late{still}"
    buffer = _assumption(impact, "customer.profile.buffer_days")
    if buffer is None:
        return late
    stood = days - buffer.value
    held = _days(buffer.value)
    if stood <= 0:
        if buffer.is_default:
            return (
                f"{late}; if you hold about {held} of stock (our assumption: we lack your "
                "figure), it absorbed most of it"
            )
        return f"{late}; your stock of about {held} absorbed most of it"
    critical = order.criticality is not None and order.criticality >= _LINE_STOPS
    what = "your line stood still" if critical else "your operations were held up"
    guessed = (
        f" (assuming you hold about {held} of stock; we lack your figure)"
        if buffer.is_default
        else ""
    )
    return f"{what} for about {_days(stood)}{guessed} because {late}"


def _incident_sentence(
    incident: Incident, order: Order | None, impact: Impact, as_of: datetime, conv: _Converter
) -> str:
    share = incident.affected_share
    kind = incident.kind
    order_text = f" (order {order.id})" if order is not None else ""
    if kind is IncidentKind.LATE_DELIVERY:
        what = _late_sentence(incident, order, impact, as_of)
    elif kind is IncidentKind.PARTIAL_DELIVERY:
        what = f"{share:.0%} of what you ordered{order_text} did not arrive"
    elif kind is IncidentKind.DEFECT:
        what = f"{share:.0%} of what we delivered{order_text} was defective"
    elif kind is IncidentKind.SERVICE_OUTAGE:
        what = (
            f"our service was down for {_hours(incident.hours_open(as_of))}, "
            f"hitting {share:.0%} of your operations"
        )
    elif kind is IncidentKind.BILLING_ERROR:
        amount = incident.amount
        what = (
            "we billed you wrongly" if amount is None else f"we billed you {_money(amount)} wrongly"
        )
        if incident.is_open(as_of):
            what += (
                f", and it is still not corrected after {_days(incident.hours_open(as_of) / 24)}"
            )
    elif kind is IncidentKind.SUPPORT_FAILURE:
        what = "your request was not resolved as it should have been"
        if incident.is_open(as_of):
            what += f" and is still open after {_days(incident.hours_open(as_of) / 24)}"
    else:
        # The full stop goes before the cut, so that a cut summary keeps its ellipsis.
        what = _clip(incident.summary.strip().rstrip("."), _MAX_SUMMARY)
        what = what or f"incident {incident.id} hit you"
    verb = "is costing" if impact.ongoing else "cost"
    return f"{_capital(what)}; that {verb} you roughly {conv.span(impact.low, impact.high)}."


def _clip(text: str, limit: int = _MAX_LINE) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis): a brief stays short."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _warning_sentence(forecast: Forecast, conv: _Converter, as_of: datetime) -> str:
    loss = conv.span(forecast.low, forecast.high)
    if forecast.already_late:
        return (
            f"Your order {forecast.order_id} is already past the date we promised and still on "
            f"its way; if it ends up about {_days(forecast.expected_days_late)} late, that will "
            f"cost you roughly {loss}."
        )
    due = forecast.promised_at.date().isoformat()
    left = _days(max(0.0, (forecast.promised_at - as_of) / timedelta(days=1)))
    return (
        f"Your order {forecast.order_id} is likely ({forecast.probability_late:.0%}) to arrive "
        f"about {_days(forecast.expected_days_late)} after the date we promised ({due}); that "
        f"would cost you roughly {loss}, and we have {left} to act."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _happened_line(incident: Incident, as_of: datetime) -> str:
    opened = incident.opened_at.date().isoformat()
    took = _days(incident.hours_open(as_of) / 24)
    if incident.is_open(as_of):
        status = f"still open after {took}"
    else:
        resolved = typing.cast("datetime", incident.resolved_at)  # not open: resolved by as_of
        status = f"resolved on {resolved.date().isoformat()} after {took}"
    noticed = {
        NoticedBy.CUSTOMER: "; the customer told us before we noticed",
        NoticedBy.VENDOR: "; we noticed it first",
        None: "",
    }[incident.noticed_by]
    about = f" (order {incident.order_id})" if incident.order_id else ""
    text = incident.summary.strip()
    summary = f" {_clip(text, _MAX_SUMMARY)}" if text else ""
    return (
        f"{incident.id}: {_KIND_TEXT[incident.kind]}{about}, {incident.severity.value} "
        f"severity, opened {opened}, {status}{noticed}.{summary}"
    )


def _stale(forecast: Forecast, as_of: datetime) -> bool:
    """Whether the order is open so long past its promise that its record is suspect."""
    return forecast.already_late and _long_past(forecast.promised_at, as_of)


def _stale_order(order: Order | None, as_of: datetime) -> bool:
    """:func:`_stale` of an order an incident names (open, long past its promise)."""
    return order is not None and order.is_open and _long_past(order.promised_at, as_of)


def _long_past(promised_at: datetime, as_of: datetime) -> bool:
    return as_of - promised_at > timedelta(days=_STALE_DAYS)


def _check_the_record(promised_at: datetime, as_of: datetime) -> str:
    past = (as_of - promised_at) // timedelta(days=1)
    return (
        f"still open {past:,} days after its promise: check that it was not delivered "
        "or cancelled before acting on this figure (it grows every day the order stays open)."
    )


def _forecast_line(forecast: Forecast, conv: _Converter, as_of: datetime) -> str:
    due = forecast.promised_at.date().isoformat()
    loss = conv.span(forecast.low, forecast.high)
    if forecast.already_late:
        line = (
            f"Open order {forecast.order_id} is past its promise ({due}) and not delivered; "
            f"expected {_days(forecast.expected_days_late)} late in all, which would cost the "
            f"customer roughly {loss}."
        )
        if _stale(forecast, as_of):
            line += " " + _capital(_check_the_record(forecast.promised_at, as_of))
        return line
    basis = _FORECAST_BASIS_TEXT[forecast.basis]
    if forecast.probability_late < _AT_RISK:
        return (
            f"Open order {forecast.order_id} (due {due}) looks on track: "
            f"{forecast.probability_late:.0%} likely to be late (from {basis})."
        )
    return (
        f"Open order {forecast.order_id} (due {due}) is {forecast.probability_late:.0%} likely "
        f"to arrive late, by about {_days(forecast.expected_days_late)} (from {basis}); if so it "
        f"would cost the customer roughly {loss}. Act before {due}."
    )


def _cost_line(impact: Impact, conv: _Converter) -> str:
    kind = _KIND_TEXT[impact.kind]
    if not impact.estimated:
        return (
            f"{impact.incident_id} ({kind}): not estimated ({impact.reason}); this is not a "
            "claim that nothing was lost."
        )
    text = f"{impact.incident_id} ({kind}): {conv.range_text(impact.expected, impact.low, impact.high)}"
    if impact.expected > 0:
        by_category: dict[str, float] = {}
        for item in impact.items:
            name = item.category.value.replace("_", " ")
            by_category[name] = by_category.get(name, 0.0) + item.expected
        ranked = sorted(by_category.items(), key=lambda pair: (-pair[1], pair[0]))
        parts = [
            f"{name} ({amount / impact.expected:.0%})"
            for name, amount in ranked[:2]
            if amount >= _NEGLIGIBLE * impact.expected
        ]
        text += "; mostly " + " and ".join(parts)
    if impact.ongoing:
        text += "; still open, so still growing"
    return text + "."


def _default_lines(source: BriefSource) -> list[str]:
    """Every default assumption once per (name, value), with the incidents that used it."""
    users: dict[tuple[str, str, str], list[str]] = {}
    for impact in sorted(source.impacts, key=lambda x: x.incident_id):
        for a in impact.defaults_used:
            key = (a.name, assumption_value(a), a.source)
            ids = users.setdefault(key, [])
            if impact.incident_id not in ids:
                ids.append(impact.incident_id)
    lines = [
        f"{name} = {value} [{where}]; used for {listing(ids)}"
        for (name, value, where), ids in users.items()
    ]
    if source.customer.profile.daily_revenue is None:
        lines.append(
            "customer.profile.daily_revenue is not on file: the score weighs the loss against "
            "the segment's default daily revenue (ScorerConfig.profile_defaults: the "
            "estimators' defaults unless changed)"
        )
    prior = [f.order_id for f in source.forecasts if f.basis is ForecastBasis.PRIOR]
    if prior:
        lines.append(
            f"forecast delay outlook from {_FORECAST_BASIS_TEXT[ForecastBasis.PRIOR]}; "
            f"used for {listing(prior)}"
        )
    return lines


def _action_line(
    action: RecommendedAction, conv: _Converter, orders: Mapping[str, Order], as_of: datetime
) -> str:
    about = listing((*action.incident_ids, *action.order_ids))
    timing = "proactive" if action.proactive else "recovery"
    scope = f" for {about}" if about else ""
    if action.proactive:
        due = [
            orders[o].promised_at
            for o in action.order_ids
            if o in orders and orders[o].is_open and orders[o].promised_at > as_of
        ]
        scope += f", before {min(due).date().isoformat()}" if due else ", now"
    approval = "; needs approval" if action.needs_approval else ""
    reasons = action.reasons[:_SHOWN_REASONS]
    why = f" Why: {'; '.join(reasons)}." if reasons else ""
    if action.relief == action.cost:
        worth = f"worth {conv.money(action.relief)} to the customer, at the same cost to us"
    elif action.relief.is_zero():
        worth = f"relieves no measured loss (it serves the relationship), costs us {conv.money(action.cost)}"
    else:
        worth = (
            f"relieves about {conv.money(action.relief)} of the customer's loss, costs us "
            f"{conv.money(action.cost)}"
        )
    return f"{action.rank}. {action.label} ({timing}{scope}): {worth}{approval}.{why}"


def _recommended_lines(
    recommendation: Recommendation, conv: _Converter, orders: Mapping[str, Order], as_of: datetime
) -> list[str]:
    if not recommendation.actions:
        reasons = listing(recommendation.reasons, _SHOWN_REASONS, "; ") or "no action applies"
        return [f"Nothing recommended by the {recommendation.policy} policy: {reasons}."]
    lines = [_action_line(action, conv, orders, as_of) for action in recommendation.actions]
    lines.append(
        f"In all: relieves about {conv.money(recommendation.total_relief)} for "
        f"{conv.money(recommendation.total_cost)} ({recommendation.policy} policy)."
    )
    lines.extend(f"Policy note: {reason}" for reason in recommendation.reasons)
    return lines


def _approval_lines(recommendation: Recommendation, conv: _Converter) -> list[str]:
    needed = [a for a in recommendation.actions if a.needs_approval]
    if not recommendation.actions:
        return ["Nothing: no action is recommended."]
    if not needed:
        return ["Nothing: every recommended action is within the account team's authority."]
    return [
        f"{a.label}: costs us {conv.money(a.cost)}, above its approval threshold; "
        "a human must sign off before it is offered."
        for a in needed
    ]


def compose_brief(source: BriefSource) -> Brief:
    """Write the brief of an assessment (anything shaped like one: :class:`BriefSource`).

    Amounts are rounded to two significant figures for reading aloud, in the customer's
    currency and the reporting currency; the precise figures stay in the assessment.

    Example:
        >>> from custadvocacy import assess
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> customer, orders, incidents = example_portfolio().for_customer("C01")
        >>> brief = compose_brief(assess(customer, orders, incidents, context=example_context()))
        >>> brief.in_their_terms[0]
        'Your line stood still for about 4 days because our delivery O-1001 was 6 days late; that cost you roughly CZK 720,000-1.5 million.'

    .. versionadded:: 0.1.0
    """
    customer = source.customer
    as_of = source.as_of
    conv = _Converter(source.rates, source.currency, customer.currency)
    orders = {o.id: o for o in source.orders}
    incidents = {i.id: i for i in source.incidents}
    score = source.score
    headline = (
        f"{customer.name} ({customer.id}), as of {as_of.date().isoformat()}: advocacy score "
        f"{score.value:.2f}/100, {score.band.value} -- {_BAND_MEANING[score.band]}."
    )
    impacts = sorted(source.impacts, key=lambda x: (-x.expected, x.incident_id))
    quoted = []
    for impact in impacts[:_QUOTED_INCIDENTS]:
        incident = incidents.get(impact.incident_id)
        if impact.estimated and impact.expected > 0 and incident is not None:
            order = None if incident.order_id is None else orders.get(incident.order_id)
            if not _stale_order(order, as_of):  # a suspect record: not put to the customer
                quoted.append(_incident_sentence(incident, order, impact, as_of, conv))
    covered = {i.order_id for i in source.incidents if i.order_id is not None}
    warned = sorted(
        (
            f
            for f in source.forecasts
            if f.order_id not in covered
            and (f.already_late or f.probability_late >= _LIKELY)
            and not _stale(f, as_of)  # not a figure to put to the customer
        ),
        key=lambda f: (-f.risk, f.order_id),
    )
    quoted.extend(_warning_sentence(f, conv, as_of) for f in warned[:_QUOTED_INCIDENTS])
    return Brief(
        customer_id=customer.id,
        customer_name=customer.name,
        headline=headline,
        in_their_terms=_lines(quoted),
        happened=_lines(_happened(source, conv)),
        cost=_lines(_cost(source, impacts, conv)),
        why_now=_lines(score.drivers),
        defaults=_lines(
            _default_lines(source)
            or ["None: every figure used is the customer's own or a measured fact."]
        ),
        recommended=_lines(_recommended_lines(source.recommendation, conv, orders, as_of)),
        approval=_lines(_approval_lines(source.recommendation, conv)),
    )


def _lines(lines: Sequence[str]) -> tuple[str, ...]:
    return tuple(_clip(line) for line in lines[:_MAX_LINES])


def _happened(source: BriefSource, conv: _Converter) -> list[str]:
    as_of = source.as_of
    # The most recent incidents first when there are many; listed oldest first.
    chosen = sorted(source.incidents, key=_by_time)[-_SHOWN_INCIDENTS:]
    lines = [_happened_line(i, as_of) for i in chosen]
    hidden = len(source.incidents) - len(chosen)
    if hidden:
        lines.insert(0, f"{hidden} earlier incident(s) not listed.")
    forecasts = sorted(source.forecasts, key=lambda f: (-f.risk, f.order_id))
    lines.extend(_forecast_line(f, conv, as_of) for f in forecasts[:_SHOWN_FORECASTS])
    if len(forecasts) > _SHOWN_FORECASTS:
        lines.append(f"{len(forecasts) - _SHOWN_FORECASTS} more open order(s) not listed.")
    return lines or ["No incidents and no open orders on file."]


def _cost(source: BriefSource, impacts: Sequence[Impact], conv: _Converter) -> list[str]:
    orders = {o.id: o for o in source.orders}
    stale: dict[str, datetime] = {}  # incident id -> its stale order's promise
    for incident in source.incidents:
        order = orders.get(incident.order_id or "")
        if order is not None and _stale_order(order, source.as_of):
            stale[incident.id] = order.promised_at
    lines = []
    for impact in impacts[:_SHOWN_INCIDENTS]:
        line = _cost_line(impact, conv)
        if impact.incident_id in stale:
            line += f" Its order is {_check_the_record(stale[impact.incident_id], source.as_of)}"
        lines.append(line)
    if len(impacts) > _SHOWN_INCIDENTS:
        lines.append(f"{len(impacts) - _SHOWN_INCIDENTS} smaller incident(s) not listed.")
    if len(impacts) > 1:
        total = math.fsum(x.expected for x in impacts)
        low = math.fsum(x.low for x in impacts)
        high = math.fsum(x.high for x in impacts)
        lines.append(f"In total: {conv.range_text(total, low, high)}.")
    beyond = risk_beyond_incidents(source.forecasts, source.incidents, impacts, source.as_of)
    if any(risk > 0 and (f.already_late or f.probability_late >= _AT_RISK) for f, risk in beyond):
        # An order with an incident is heading for its forecast loss, of which the
        # incident's cost above is a part: only the rest is at risk.
        rest = ", beyond the incidents above" if any(risk < f.risk for f, risk in beyond) else ""
        lines.append(
            f"At risk on open orders (probability late x loss if late{rest}): roughly "
            f"{source.currency} {_rough(math.fsum(risk for _, risk in beyond))}."
        )
    return lines


def _by_time(incident: Incident) -> tuple[datetime, str]:
    return incident.opened_at, incident.id
