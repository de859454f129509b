"""The built-in advocacy scorer: seven factors, each a documented formula, adding up to 0-100.

``points(factor) = 100 * weight(factor) / sum(weights) * share(factor)`` with every share
in ``[0, 1]`` (the kernels of :mod:`custadvocacy._scoring._formulas`), so the sum lands
in ``[0, 100]`` without clipping. The points are rounded to hundredths by the largest
remainder method, so that they add up exactly to the rounded total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final, NamedTuple

import attrs

from custadvocacy._checks import article
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, NoticedBy, Order, days_between
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._forecast import Forecast
from custadvocacy._forecast._at_risk import LATENESS, risk_beyond_incidents
from custadvocacy._impact._model import Impact
from custadvocacy._listing import listing
from custadvocacy._scoring._formulas import (
    csat_badness,
    decay_weight,
    harm_share,
    nps_badness,
    renewal_urgency,
    repetition_share,
    saturation,
    tickets_badness,
    usage_badness,
)
from custadvocacy._scoring._model import (
    FACTORS,
    AdvocacyScore,
    ScorerConfig,
    built_contribution,
    built_score,
)

__all__ = ["AdvocacyScorer", "largest_remainder_cents", "severity_weight"]

_LABELS: Final = {
    "harm": "Customer harm",
    "unresolved": "Unresolved",
    "repetition": "Repeated failures",
    "reactive": "Customer told us first",
    "forecast": "Forecast risk",
    "health": "Health signals",
    "relationship": "Relationship",
}
_HOURS_PER_DAY: Final = 24.0
_CENTS: Final = 100


def severity_weight(incident: Incident) -> float:
    """Return ``severity.rank / 4``: 0.25 low, 0.5 medium, 0.75 high, 1 critical.

    Example:
        >>> from datetime import datetime, timezone
        >>> from custadvocacy import IncidentKind, Severity
        >>> severity_weight(Incident(
        ...     id="I", customer_id="C", kind=IncidentKind.DEFECT, severity=Severity.HIGH,
        ...     opened_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ... ))
        0.75
    """
    return incident.severity.rank / 4.0


def largest_remainder_cents(raw: Sequence[float]) -> tuple[int, ...]:
    """Round non-negative ``raw`` points to whole hundredths that add up to ``round(sum, 2)``.

    Each value is floored to hundredths; the hundredths still missing go, one each, to
    the values with the largest remainders (ties to the earlier value). Rounding each
    value on its own could make the parts miss the total by a few hundredths.

    Example:
        >>> largest_remainder_cents([33.333, 33.333, 33.334])
        (3333, 3333, 3334)
    """
    scaled = [max(value, 0.0) * _CENTS for value in raw]
    floors = [math.floor(value) for value in scaled]
    target = round(math.fsum(scaled))
    missing = max(0, target - sum(floors))
    order = sorted(range(len(scaled)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return tuple(floors)


class _Factor(NamedTuple):
    share: float
    detail: str


def _money_text(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


@attrs.frozen(kw_only=True)
class AdvocacyScorer:
    """The built-in :class:`~custadvocacy.Scorer`: seven documented factors adding up to 0-100.

    **Higher = the customer needs an advocate more urgently.** Each factor contributes
    ``100 * weight / sum(weights) * share`` points with its share in ``[0, 1]``:

    - ``harm``: customer loss from incidents (:attr:`Impact.expected`, open ones in
      full -- or the forecast risk of their order, if larger --, resolved ones
      decaying with ``resolved_half_life_days`` since resolution), in days of the
      customer's revenue, saturating at ``harm_scale_days``;
    - ``unresolved``: severity-weighted days open of the open incidents;
    - ``repetition``: recency-weighted incident count through an S-curve, so a second
      failure adds more than the first;
    - ``reactive``: severity- and recency-weighted incidents the customer noticed
      first (an incident they had to tell us about weighs more than one we flagged);
    - ``forecast``: summed forecast risk of open orders with no incident yet (an
      order with one is weighed in ``harm``), in days of revenue like ``harm``;
    - ``health``: mean badness of the health signals present (missing ones skipped);
    - ``relationship``: annual value and a renewal coming up (the business side; its
      weight alone can be set to 0).

    ``docs/scoring.md`` gives every formula with a worked example. Incidents opened
    after ``context.as_of`` are ignored (a replay does not see the future).

    Attributes:
        config: Weights, half-lives, scales and band thresholds.

    Example:
        >>> from custadvocacy import estimate_impacts, forecast_orders
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ctx = example_context()
        >>> customer, orders, incidents = example_portfolio().for_customer("C01")
        >>> impacts = estimate_impacts(customer, orders, incidents, ctx)
        >>> forecasts = forecast_orders(customer, orders, ctx)
        >>> score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
        >>> score
        AdvocacyScore('C01', 43.75, high, harm=32.5, reactive=4.98, health=3.72)
        >>> score.drivers[0]
        'Customer harm (32.50 pts): weighted loss 40,128.43 EUR = 2.64 days of their revenue ...'

    .. versionadded:: 0.1.0
    """

    config: ScorerConfig = attrs.field(factory=ScorerConfig)
    _shares: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        config: object = self.config
        if not isinstance(config, ScorerConfig):
            raise ValidationError([Problem("config", config, "a ScorerConfig")])
        # Each factor's maximum points / 100, computed once rather than per score.
        shares = tuple(config.weights.share(name) for name in FACTORS)
        object.__setattr__(self, "_shares", shares)

    def score(  # noqa: PLR0917 - the Scorer protocol's signature
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        context: Context,
    ) -> AdvocacyScore:
        """Return how urgently ``customer`` needs an advocate as of ``context.as_of``.

        The order of the input sequences does not matter: they are sorted by id first.

        Args:
            customer: The customer to score.
            orders: Their orders; forecasts of orders given here as delivered are stale
                and ignored.
            incidents: Their incidents; those opened after ``as_of`` are ignored.
            impacts: Impacts of those incidents, in ``context.currency`` (at most one
                per incident).
            forecasts: Forecasts of their open orders, in ``context.currency``.
            context: ``as_of``, the reporting currency and the rates.

        Returns:
            The score, its band, one contribution per factor and the main drivers.

        Raises:
            ValidationError: An item is of the wrong type, belongs to another customer,
                is in another currency, or an impact names no given incident (every
                problem listed).
            MissingRateError: No rate from the customer's currency into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> customer = example_portfolio().customer("C09")
            >>> score = AdvocacyScorer().score(customer, (), (), (), (), example_context())
            >>> score.value, score.band.value
            (0.76, 'stable')
        """
        _validate(customer, orders, incidents, impacts, forecasts, context)
        return self._checked_score(customer, orders, incidents, impacts, forecasts, context)

    def _checked_score(  # noqa: PLR0917 - score()'s inputs, in its order
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        context: Context,
    ) -> AdvocacyScore:
        """:meth:`score` of inputs already checked as a whole (``assess()`` checked them)."""
        as_of = context.as_of
        config = self.config
        seen = sorted((i for i in incidents if i.opened_at <= as_of), key=lambda i: i.id)
        by_id = {i.id: i for i in seen}
        relevant = sorted(
            (x for x in impacts if x.incident_id in by_id), key=lambda x: x.incident_id
        )
        revenue, revenue_source = self._daily_revenue(customer, context)
        delivered = {o.id for o in orders if not o.is_open}
        # A delivered order's forecast is stale: history now, not a forecast.
        live = sorted(
            (f for f in forecasts if f.order_id not in delivered), key=lambda f: f.order_id
        )
        # Each order's risk beyond what its late or partial deliveries' impacts count: one
        # figure, weighed once, in harm (an open one heading for it) or in forecast.
        beyond = {
            f.order_id: risk for f, risk in risk_beyond_incidents(live, seen, relevant, as_of)
        }
        harm, heading = self._harm(relevant, by_id, beyond, (revenue, revenue_source), context)
        # Each incident's recency weight, once: repetition and reactive both weigh by it.
        half_life = config.repetition_half_life_days
        recency = [float(decay_weight(days_between(i.opened_at, as_of), half_life)) for i in seen]
        factors = {
            "harm": harm,
            "unresolved": self._unresolved(seen, context),
            "repetition": self._repetition(seen, recency),
            "reactive": self._reactive(seen, recency),
            "forecast": self._forecast(live, beyond, heading, len(forecasts), revenue, context),
            "health": self._health(customer),
            "relationship": self._relationship(customer, context),
        }
        raw = [
            100.0 * share * factors[name].share
            for name, share in zip(FACTORS, self._shares, strict=True)
        ]
        cents = largest_remainder_cents(raw)
        contributions = tuple(
            built_contribution(factor=name, points=c / _CENTS, detail=factors[name].detail)
            for name, c in zip(FACTORS, cents, strict=True)
        )
        value = sum(cents) / _CENTS
        ranked = sorted(
            (item for item in contributions if item.points > 0), key=lambda item: -item.points
        )
        drivers = tuple(
            f"{_LABELS[item.factor]} ({item.points:.2f} pts): {item.detail}"
            for item in ranked[: config.max_drivers]
        )
        return built_score(customer.id, as_of, value, config.band(value), contributions, drivers)

    # -- scale --------------------------------------------------------------------

    def _daily_revenue(self, customer: Customer, context: Context) -> tuple[float, str]:
        known = customer.profile.daily_revenue
        if known is not None:
            return context.to_float(known), "from the profile"
        segment = customer.segment
        default = self.config.profile_defaults.for_segment(segment).daily_revenue
        return context.to_float(default), f"assumed: the default for segment {segment.value!r}"

    # -- factors ------------------------------------------------------------------

    def _harm(
        self,
        impacts: Sequence[Impact],
        incidents: dict[str, Incident],
        beyond: dict[str, float],
        revenue: tuple[float, str],
        context: Context,
    ) -> tuple[_Factor, frozenset[str]]:
        """The harm factor, and the orders whose risk beyond their incidents it weighs."""
        config = self.config
        as_of = context.as_of
        daily, source = revenue
        total = 0.0
        largest: tuple[float, str] = (0.0, "")
        skipped = 0
        heading: set[str] = set()
        for impact in impacts:
            if not impact.estimated:
                skipped += 1
                continue
            incident = incidents[impact.incident_id]
            loss, ahead = impact.expected, ""
            resolved = incident.resolved_at
            if incident.is_open(as_of) or resolved is None:
                weight, when = 1.0, "open"
                # An open late or partial delivery on an order still on the road weighs what
                # it is heading for: the rest of the order's forecast too, once per order.
                order_id = incident.order_id or ""
                if incident.kind in LATENESS and order_id in beyond and order_id not in heading:
                    heading.add(order_id)
                    if beyond[order_id] > 0:
                        loss += beyond[order_id]
                        ahead = f", heading for {_money_text(loss, context.currency)} (forecast)"
            else:
                age = days_between(resolved, as_of)
                weight = float(decay_weight(age, config.resolved_half_life_days))
                when = f"resolved {age:.1f} days ago, weight {weight:.2f}"
            weighted = loss * weight
            total += weighted
            if weighted > largest[0]:
                text = (
                    f"{impact.incident_id} ({impact.kind.value}, "
                    f"{_money_text(impact.expected, context.currency)}{ahead}, {when})"
                )
                largest = (weighted, text)
        share = float(harm_share(total, daily, config.harm_scale_days))
        if total <= 0:
            detail = "no estimated customer loss from open or recent incidents"
        else:
            days = total / daily if daily > 0 else math.inf
            detail = (
                f"weighted loss {_money_text(total, context.currency)} = {days:.2f} days of "
                f"their revenue ({_money_text(daily, context.currency)}/day, {source}); "
                f"largest: {largest[1]}"
            )
        if skipped:
            detail += f"; {skipped} incident(s) not estimated"
        return _Factor(share=share, detail=detail), frozenset(heading)

    def _unresolved(self, incidents: Sequence[Incident], context: Context) -> _Factor:
        as_of = context.as_of
        open_ones = [i for i in incidents if i.is_open(as_of)]
        load = math.fsum(
            severity_weight(i) * i.hours_open(as_of) / _HOURS_PER_DAY for i in open_ones
        )
        share = float(saturation(load, self.config.unresolved_scale_days))
        if not open_ones:
            return _Factor(share=share, detail="no open incidents")
        oldest = max(open_ones, key=lambda i: (i.hours_open(as_of), i.id))
        detail = (
            f"{len(open_ones)} open incident(s), severity-weighted {load:.1f} days open; "
            f"longest: {oldest.id} ({oldest.hours_open(as_of) / _HOURS_PER_DAY:.1f} days, "
            f"{oldest.severity.value})"
        )
        return _Factor(share=share, detail=detail)

    def _repetition(self, incidents: Sequence[Incident], recency: Sequence[float]) -> _Factor:
        config = self.config
        count = math.fsum(recency)
        share = float(repetition_share(count, config.repetition_midpoint))
        detail = (
            f"{len(incidents)} incident(s), recency-weighted count {count:.2f} "
            f"(half-life {config.repetition_half_life_days:g} days)"
        )
        return _Factor(share=share, detail=detail)

    def _reactive(self, incidents: Sequence[Incident], recency: Sequence[float]) -> _Factor:
        config = self.config
        reported = [i for i in incidents if i.noticed_by is NoticedBy.CUSTOMER]
        load = math.fsum(
            severity_weight(i) * weight
            for i, weight in zip(incidents, recency, strict=True)
            if i.noticed_by is NoticedBy.CUSTOMER
        )
        share = float(saturation(load, config.reactive_scale))
        if not reported:
            return _Factor(share=share, detail="no incident the customer had to report first")
        ids = listing([i.id for i in reported])
        detail = (
            f"{len(reported)} incident(s) the customer noticed before we did ({ids}); "
            f"weighted {load:.2f}"
        )
        return _Factor(share=share, detail=detail)

    def _forecast(  # noqa: PLR0917 - the figures worked out for harm, in its order
        self,
        live: Sequence[Forecast],
        beyond: dict[str, float],
        heading: frozenset[str],
        given: int,
        revenue: float,
        context: Context,
    ) -> _Factor:
        # An order harm weighs (an open late delivery heading for it) is not weighed again;
        # the others count their risk beyond their incidents. A delivered one is history.
        counted = [f for f in live if f.order_id not in heading]
        risk = math.fsum(beyond[f.order_id] for f in counted)
        share = float(harm_share(risk, revenue, self.config.harm_scale_days))
        if not counted:
            note = f" ({given} covered by an incident or delivered)" if given else ""
            return _Factor(share=share, detail="no open order at risk" + note)
        top = max(counted, key=lambda f: (beyond[f.order_id], f.order_id))
        detail = (
            f"risk {_money_text(risk, context.currency)} over {len(counted)} open order(s); "
            f"largest: {top.order_id} {top.probability_late:.0%} likely late by "
            f"{top.expected_days_late:.1f} days, loss if late "
            f"{_money_text(top.expected_loss, context.currency)} (basis {top.basis.value})"
        )
        return _Factor(share=share, detail=detail)

    def _health(self, customer: Customer) -> _Factor:
        config = self.config
        h = customer.health
        present: list[float] = []
        if h.nps is not None:
            present.append(float(nps_badness(float(h.nps))))
        if h.csat is not None:
            present.append(float(csat_badness(float(h.csat))))
        if h.open_tickets is not None:
            present.append(float(tickets_badness(float(h.open_tickets), config.ticket_scale)))
        if h.usage_trend is not None:
            present.append(float(usage_badness(float(h.usage_trend), config.usage_full_drop)))
        # The renormalised mean of mean_of_present (the batch kernel), for one row.
        share = math.fsum(present) / len(present) if present else 0.0
        parts = []
        if h.nps is not None:
            parts.append(f"NPS {h.nps}")
        if h.csat is not None:
            parts.append(f"CSAT {h.csat:g}")
        if h.open_tickets is not None:
            parts.append(f"{h.open_tickets} open ticket(s)")
        if h.usage_trend is not None:
            parts.append(f"usage {h.usage_trend:+.0%}")
        if not parts:
            return _Factor(share=share, detail="no health signals (nothing counted)")
        missing = 4 - len(parts)
        skipped = f"; {missing} missing, skipped" if missing else ""
        detail = f"{', '.join(parts)}: mean badness {share:.2f}{skipped}"
        return _Factor(share=share, detail=detail)

    def _relationship(self, customer: Customer, context: Context) -> _Factor:
        config = self.config
        value = context.to_float(customer.annual_value)
        scale = context.to_float(config.value_scale)
        value_part = float(saturation(value, scale))
        renewal = customer.renewal_at
        if renewal is None:
            urgency = 0.0
            when = "no renewal date"
        else:
            days = days_between(context.as_of, renewal)
            urgency = float(renewal_urgency(days, config.renewal_window_days))
            when = (
                f"renewal passed {-days:.0f} days ago"
                if days < 0
                else f"renewal in {days:.0f} days"
            )
        share = 0.5 * value_part + 0.5 * urgency
        detail = f"annual value {_money_text(value, context.currency)}; {when}"
        return _Factor(share=share, detail=detail)


def _validate(  # noqa: PLR0917 - the score() inputs, passed on as they came
    customer: Customer,
    orders: Sequence[Order],
    incidents: Sequence[Incident],
    impacts: Sequence[Impact],
    forecasts: Sequence[Forecast],
    context: Context,
) -> None:
    given: object = customer
    if not isinstance(given, Customer):
        raise ValidationError([Problem("customer", given, "a Customer")])
    frame: object = context
    if not isinstance(frame, Context):
        raise ValidationError([Problem("context", frame, "a Context")])
    problems: list[Problem] = []
    for name, items, cls in (
        ("orders", orders, Order),
        ("incidents", incidents, Incident),
        ("impacts", impacts, Impact),
        ("forecasts", forecasts, Forecast),
    ):
        problems.extend(_ownership(name, items, cls, customer.id))
    if problems:
        raise ValidationError(problems)
    incident_ids = {i.id for i in incidents}
    estimated: set[str] = set()
    currency = context.currency
    for i, impact in enumerate(impacts):
        if impact.currency != currency:
            problems.append(Problem(f"impacts[{i}].currency", impact.currency, repr(currency)))
        if impact.incident_id not in incident_ids:
            expected = "the id of a given incident"
            problems.append(Problem(f"impacts[{i}].incident_id", impact.incident_id, expected))
        elif impact.incident_id in estimated:
            expected = "one impact per incident"
            problems.append(Problem(f"impacts[{i}].incident_id", impact.incident_id, expected))
        estimated.add(impact.incident_id)
    problems.extend(
        Problem(f"forecasts[{i}].currency", f.currency, repr(currency))
        for i, f in enumerate(forecasts)
        if f.currency != currency
    )
    if problems:
        raise ValidationError(problems)


def _ownership(name: str, items: Sequence[object], cls: type, customer_id: str) -> list[Problem]:
    """Problems of items that are not ``cls`` instances of the customer ``customer_id``."""
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            problems.append(Problem(f"{name}[{i}]", item, article(cls.__name__)))
            continue
        owner = getattr(item, "customer_id", None)
        if owner != customer_id:
            problems.append(
                Problem(f"{name}[{i}].customer_id", owner, f"{customer_id!r} (the customer scored)")
            )
    return problems
