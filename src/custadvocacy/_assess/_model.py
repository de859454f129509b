"""What an assessment is: :class:`Assessment` for one customer, :class:`PortfolioAssessment`.

Both are frozen values made of already-validated parts. Their checks are the cheap,
cross-part ones (the parts belong to the same customer, moment and currency); the
parts validated themselves when they were built.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from custadvocacy._brief import Brief, compose_brief
from custadvocacy._checks import Checks, article
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._forecast import Forecast
from custadvocacy._forecast._at_risk import risk_beyond_incidents
from custadvocacy._impact._model import Assumption, Impact
from custadvocacy._money import ExchangeRates
from custadvocacy._policies import BudgetAllocation, Recommendation
from custadvocacy._scoring import AdvocacyScore, Band, ScoreSummary

__all__ = ["Assessment", "PortfolioAssessment"]

_TABLE_ROWS: Final = 50


def _check_items(c: Checks, name: str, items: object, cls: type[Any], customer_id: str) -> None:
    """``items`` is a tuple of ``cls`` whose ``customer_id`` is ``customer_id``."""
    if type(items) is not tuple:
        c.fail(name, items, f"a tuple of {cls.__name__}s")
        return
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            c.fail(f"{name}[{i}]", item, article(cls.__name__))
        elif item.customer_id != customer_id:
            c.fail(f"{name}[{i}].customer_id", item.customer_id, f"{customer_id!r} (the customer)")


def _check_currency_of(
    c: Checks, name: str, items: Sequence[Impact | Forecast], currency: str
) -> None:
    for i, item in enumerate(items):
        if item.currency != currency:
            c.fail(f"{name}[{i}].currency", item.currency, f"{currency!r} (the reporting currency)")


@attrs.frozen(kw_only=True, repr=False)
class Assessment:
    """Everything the library says about one customer at one moment, in one value.

    What :func:`~custadvocacy.assess` returns: the inputs it used (customer, orders,
    incidents, the moment, the reporting currency and rates) and what it made of them
    -- the customer's loss per incident (:class:`~custadvocacy.Impact`), the early
    warnings on open orders (:class:`~custadvocacy.Forecast`), how urgently the customer
    needs an advocate (:class:`~custadvocacy.AdvocacyScore`) and what to do about it
    (:class:`~custadvocacy.policies.Recommendation`). It converts to a plain dict with
    :func:`~custadvocacy.to_dict` and back with :func:`~custadvocacy.from_dict` (a CRM
    stores it on the account), writes its :meth:`brief`, and renders itself in a
    notebook.

    Attributes:
        customer: The customer assessed.
        as_of: The moment of the assessment (the context's ``as_of``).
        currency: The reporting currency of every float amount and Money in it.
        rates: The exchange rates used (the brief shows amounts in the customer's
            currency with them).
        orders: The customer's orders that were given, sorted by id.
        incidents: The customer's incidents opened by ``as_of``, sorted by id.
        impacts: One impact per incident, sorted by incident id.
        forecasts: One forecast per open order, sorted by order id.
        score: The advocacy score (0-100, higher = more urgent).
        recommendation: The ranked actions of the policy.

    Raises:
        ValidationError: A part is of the wrong type, belongs to another customer, or is
            in another currency or moment (every problem listed).

    Example:
        >>> from custadvocacy import assess, from_dict, to_dict
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> customer, orders, incidents = example_portfolio().for_customer("C01")
        >>> result = assess(customer, orders, incidents, context=example_context())
        >>> result
        Assessment('C01', score=43.75, high, loss=EUR 44,956 (P10-P90 28,675-61,517), ...)
        >>> from_dict(Assessment, to_dict(result)) == result
        True

    .. versionadded:: 0.1.0
    """

    customer: Customer
    as_of: datetime
    currency: str
    rates: ExchangeRates = attrs.field(factory=ExchangeRates)
    orders: tuple[Order, ...] = ()
    incidents: tuple[Incident, ...] = ()
    impacts: tuple[Impact, ...] = ()
    forecasts: tuple[Forecast, ...] = ()
    score: AdvocacyScore
    recommendation: Recommendation

    def __attrs_post_init__(self) -> None:
        c = Checks()
        customer: object = self.customer
        if not isinstance(customer, Customer):
            c.fail("customer", customer, "a Customer")
            c.done()
        cid = self.customer.id
        c.moment("as_of", self.as_of)
        as_of_valid = not c.problems  # else the score's as_of is not compared with it
        c.currency("currency", self.currency)
        c.instance("rates", self.rates, ExchangeRates, "an ExchangeRates")
        _check_items(c, "orders", self.orders, Order, cid)
        _check_items(c, "incidents", self.incidents, Incident, cid)
        _check_items(c, "impacts", self.impacts, Impact, cid)
        _check_items(c, "forecasts", self.forecasts, Forecast, cid)
        score: object = self.score
        if not isinstance(score, AdvocacyScore):
            c.fail("score", score, "an AdvocacyScore")
        elif score.customer_id != cid:
            c.fail("score.customer_id", score.customer_id, f"{cid!r} (the customer)")
        elif as_of_valid and score.as_of != self.as_of:
            c.fail("score.as_of", score.as_of, f"the assessment's as_of ({self.as_of.isoformat()})")
        recommendation: object = self.recommendation
        if not isinstance(recommendation, Recommendation):
            c.fail("recommendation", recommendation, "a Recommendation")
        elif recommendation.customer_id != cid:
            c.fail(
                "recommendation.customer_id",
                recommendation.customer_id,
                f"{cid!r} (the customer)",
            )
        if not c.problems:
            self._check_consistency(c)
        c.done()

    def _check_consistency(self, c: Checks) -> None:
        currency = self.currency
        _check_currency_of(c, "impacts", self.impacts, currency)
        _check_currency_of(c, "forecasts", self.forecasts, currency)
        if self.recommendation.currency != currency:
            c.fail(
                "recommendation.currency",
                self.recommendation.currency,
                f"{currency!r} (the reporting currency)",
            )
        incident_ids = {i.id for i in self.incidents}
        for i, impact in enumerate(self.impacts):
            if impact.incident_id not in incident_ids:
                c.fail(f"impacts[{i}].incident_id", impact.incident_id, "the id of an incident")

    # -- views ----------------------------------------------------------------------

    @property
    def customer_id(self) -> str:
        """The customer's id.

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> result.customer_id
            'C01'
        """
        return self.customer.id

    @property
    def context(self) -> Context:
        """The context of the assessment: ``as_of``, the reporting currency and the rates.

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> result.context.currency
            'EUR'
        """
        return Context(as_of=self.as_of, currency=self.currency, rates=self.rates)

    @property
    def value(self) -> float:
        """The advocacy score, 0-100 (higher = needs an advocate more urgently).

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> result.value
            43.75
        """
        return self.score.value

    @property
    def band(self) -> Band:
        """The band of the score.

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> result.band
            <Band.HIGH: 'high'>
        """
        return self.score.band

    @property
    def expected_loss(self) -> float:
        """Central estimate of the customer's loss over all incidents (reporting currency).

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> round(result.expected_loss)
            44956
        """
        return math.fsum(x.expected for x in self.impacts)

    @property
    def loss_range(self) -> tuple[float, float]:
        """P10 and P90 of the customer's loss over all incidents (the sums of the impacts').

        The sum of P10s is the P10 of the sum when the uncertainties move together (see
        ``docs/impact.md``); in the reporting currency.

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> [round(x) for x in result.loss_range]
            [28675, 61517]
        """
        return (
            math.fsum(x.low for x in self.impacts),
            math.fsum(x.high for x in self.impacts),
        )

    @property
    def risk(self) -> float:
        """What the open orders may still cost beyond the loss their incidents already count.

        Per open order, its forecast's risk (probability late x loss if late) less the
        expected loss of the order's incidents, never below zero; summed. An order late
        and still on the road, with an incident, is heading for its forecast loss, of
        which the incident's impact is the part already counted in :attr:`expected_loss`:
        ``expected_loss + risk`` counts each day late once.

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C05"), context=example_context())
            >>> result.risk == result.forecasts[0].risk > 0  # no incident on that order
            True
            >>> rhein = assess(*example_portfolio().for_customer("C10"), context=example_context())
            >>> round(rhein.forecasts[0].risk), round(rhein.risk)  # INC-1002 counts 196,131
            (566522, 370391)
        """
        beyond = risk_beyond_incidents(self.forecasts, self.incidents, self.impacts, self.as_of)
        return math.fsum(risk for _, risk in beyond)

    @property
    def defaults_used(self) -> tuple[Assumption, ...]:
        """Every default assumption the impacts used, each once, in the order first used.

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> [a.name for a in result.defaults_used]
            ['late_delivery.hours_per_day', 'incident.effort_hours', 'late_delivery.expediting_rate']
        """
        return tuple(dict.fromkeys(a for x in self.impacts for a in x.defaults_used))

    @property
    def needs_approval(self) -> bool:
        """Whether any recommended action needs a human's approval.

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> isinstance(result.needs_approval, bool)
            True
        """
        return any(a.needs_approval for a in self.recommendation.actions)

    def brief(self) -> Brief:
        """Return the brief for decision makers (plain text with ``str()``, or Markdown).

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> print(result.brief().headline)
            Kovar Precision Machining (C01), as of 2026-11-20: advocacy score 43.75/100, high -- an advocate should act now.
        """
        return compose_brief(self)

    def summary_line(self) -> str:
        """Return one line: id, name, score, band, loss and actions (for lists and logs).

        Example:
            >>> from custadvocacy import assess
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess(*example_portfolio().for_customer("C01"), context=example_context())
            >>> result.summary_line()
            'C01 Kovar Precision Machining: score 43.75 (high); customer loss EUR 44,956 (P10-P90 28,675-61,517); ...'
        """
        low, high = self.loss_range
        actions = len(self.recommendation.actions)
        approval = ", approval needed" if self.needs_approval else ""
        return (
            f"{self.customer.id} {self.customer.name}: score {self.value:.2f} "
            f"({self.band.value}); customer loss {self.currency} {self.expected_loss:,.0f} "
            f"(P10-P90 {low:,.0f}-{high:,.0f}); {actions} action(s){approval}"
        )

    def _repr_markdown_(self) -> str:
        low, high = self.loss_range
        rows = [
            "| score | band | customer loss (P10-P90) | at risk | actions | approval |",
            "|---:|---|---|---:|---:|---|",
            (
                f"| {self.value:.2f} | {self.band.value} | {self.currency} "
                f"{self.expected_loss:,.0f} ({low:,.0f}-{high:,.0f}) | {self.risk:,.0f} | "
                f"{len(self.recommendation.actions)} | "
                f"{'needed' if self.needs_approval else 'none'} |"
            ),
        ]
        return "\n".join(rows) + "\n\n" + self.brief().markdown()

    def _repr_html_(self) -> str:
        low, high = self.loss_range
        cells = (
            f"{self.value:.2f}",
            self.band.value,
            f"{self.currency} {self.expected_loss:,.0f} ({low:,.0f}-{high:,.0f})",
            f"{self.risk:,.0f}",
            str(len(self.recommendation.actions)),
            "needed" if self.needs_approval else "none",
        )
        head = "".join(
            f"<th>{h}</th>"
            for h in ("score", "band", "customer loss (P10-P90)", "at risk", "actions", "approval")
        )
        row = "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
        return f"<table><tr>{head}</tr><tr>{row}</tr></table>{self.brief().html()}"

    def __repr__(self) -> str:
        low, high = self.loss_range
        approval = ", approval needed" if self.needs_approval else ""
        return (
            f"Assessment({self.customer.id!r}, score={self.value!r}, {self.band.value}, "
            f"loss={self.currency} {self.expected_loss:,.0f} (P10-P90 {low:,.0f}-{high:,.0f}), "
            f"at_risk={self.currency} {self.risk:,.0f}, "
            f"actions={len(self.recommendation.actions)}{approval})"
        )


def _check_ranking(c: Checks, assessments: tuple[Assessment, ...], summary: ScoreSummary) -> None:
    ids = tuple(a.customer.id for a in assessments)
    if ids != summary.ranked[: len(ids)]:
        c.fail(
            "assessments",
            ids,
            "assessments ranked as summary.ranked (score highest first, ties by customer id)",
        )
    if len(ids) > summary.customers:
        c.fail("assessments", ids, f"at most summary.customers ({summary.customers}) items")


@attrs.frozen(kw_only=True, repr=False)
class PortfolioAssessment:
    """Many customers assessed at one moment, ranked by score (most urgent first).

    What :func:`~custadvocacy.assess_portfolio` returns. ``assessments`` may be the
    top of the ranking only (:meth:`top`); ``summary`` always describes every customer
    assessed. Converts to a plain dict and back, like every result.

    Attributes:
        as_of: The moment of the assessment.
        currency: The reporting currency.
        assessments: One per customer, ranked by score, highest first; ties by customer id.
        summary: Counts per band, the full ranking, the mean score and the proactivity
            rate of the incidents (:class:`~custadvocacy.ScoreSummary`).
        allocation: How one budget was spread over the customers' recommended actions,
            when :func:`~custadvocacy.assess_portfolio` was given a budget.

    Raises:
        ValidationError: An assessment is of another moment or currency, or the
            assessments are not ranked as ``summary.ranked`` (every problem listed).

    Example:
        >>> from custadvocacy import assess_portfolio
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ranked = assess_portfolio(example_portfolio(), context=example_context())
        >>> ranked
        PortfolioAssessment(12 customers as of 2026-11-20T09:00:00+00:00 in EUR, top: ...)
        >>> [a.customer_id for a in ranked.top(3)]
        ['C07', 'C01', 'C10']

    .. versionadded:: 0.1.0
    """

    as_of: datetime
    currency: str
    assessments: tuple[Assessment, ...]
    summary: ScoreSummary
    allocation: BudgetAllocation | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        # An invalid as_of or currency is not compared with the assessments' own: every
        # comparison would be noise about a problem already named.
        c.moment("as_of", self.as_of)
        as_of_valid = not c.problems
        named = len(c.problems)
        c.currency("currency", self.currency)
        currency_valid = len(c.problems) == named
        c.instance("summary", self.summary, ScoreSummary, "a ScoreSummary")
        if self.allocation is not None:
            c.instance("allocation", self.allocation, BudgetAllocation, "a BudgetAllocation")
        assessments: object = self.assessments
        if type(assessments) is not tuple:
            c.fail("assessments", assessments, "a tuple of Assessment")
        else:
            for i, entry in enumerate(self.assessments):
                item: object = entry
                if not isinstance(item, Assessment):
                    c.fail(f"assessments[{i}]", item, "an Assessment")
                    continue
                if as_of_valid and item.as_of != self.as_of:
                    c.fail(
                        f"assessments[{i}].as_of",
                        item.as_of,
                        f"the portfolio's as_of ({self.as_of.isoformat()})",
                    )
                if currency_valid and item.currency != self.currency:
                    c.fail(f"assessments[{i}].currency", item.currency, repr(self.currency))
        if not c.problems:
            _check_ranking(c, self.assessments, self.summary)
        c.done()

    def __len__(self) -> int:
        return len(self.assessments)

    def __iter__(self) -> Iterator[Assessment]:
        return iter(self.assessments)

    def top(self, n: int) -> PortfolioAssessment:
        """Return the same result with only the ``n`` most urgent assessments (summary kept).

        Example:
            >>> from custadvocacy import assess_portfolio
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> ranked = assess_portfolio(example_portfolio(), context=example_context())
            >>> len(ranked.top(2))
            2
        """
        c = Checks()
        c.count("n", n)
        c.done()
        return attrs.evolve(self, assessments=self.assessments[:n])

    def get(self, customer_id: str) -> Assessment:
        """Return the assessment of ``customer_id``.

        Raises:
            ValidationError: No assessment of that customer here (also a ``ValueError``).

        Example:
            >>> from custadvocacy import assess_portfolio
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> ranked = assess_portfolio(example_portfolio(), context=example_context())
            >>> ranked.get("C05").customer.name
            'Vltava Foods'
        """
        for assessment in self.assessments:
            if assessment.customer.id == customer_id:
                return assessment
        raise ValidationError(
            [Problem("customer_id", customer_id, "the id of an assessed customer")]
        )

    def briefs(self, n: int | None = None) -> tuple[Brief, ...]:
        """Return the briefs of the ``n`` most urgent customers (all when ``n`` is None).

        Example:
            >>> from custadvocacy import assess_portfolio
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> ranked = assess_portfolio(example_portfolio(), context=example_context())
            >>> [b.customer_id for b in ranked.briefs(2)]
            ['C07', 'C01']
        """
        chosen = self.assessments if n is None else self.assessments[: max(0, n)]
        return tuple(a.brief() for a in chosen)

    def _repr_markdown_(self) -> str:
        rate = self.summary.proactivity_rate
        shown_rate = "n/a" if rate is None else format(rate, ".0%")
        head = (
            f"**{self.summary.customers} customers as of {self.as_of.isoformat()}**, "
            f"reporting in {self.currency}; proactivity {shown_rate}"
        )
        lines = [
            head,
            "",
            "| # | customer | score | band | customer loss | at risk | actions |",
            "|---:|---|---:|---|---:|---:|---:|",
        ]
        for rank, a in enumerate(self.assessments[:_TABLE_ROWS], start=1):
            name = a.customer.name.replace("|", "\\|")
            lines.append(
                f"| {rank} | {a.customer.id} {name} | {a.value:.2f} | {a.band.value} | "
                f"{a.expected_loss:,.0f} | {a.risk:,.0f} | {len(a.recommendation.actions)} |"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{h}</th>"
            for h in ("#", "customer", "score", "band", "customer loss", "at risk", "actions")
        )
        rows = []
        for rank, a in enumerate(self.assessments[:_TABLE_ROWS], start=1):
            cells = (
                str(rank),
                f"{a.customer.id} {a.customer.name}",
                f"{a.value:.2f}",
                a.band.value,
                f"{a.expected_loss:,.0f}",
                f"{a.risk:,.0f}",
                str(len(a.recommendation.actions)),
            )
            rows.append("<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in cells) + "</tr>")
        return f"<table><tr>{head}</tr>{''.join(rows)}</table>"

    def __repr__(self) -> str:
        top = ", ".join(f"{a.customer.id}={a.value:g}" for a in self.assessments[:3])
        return (
            f"PortfolioAssessment({self.summary.customers} customers as of "
            f"{self.as_of.isoformat()} in {self.currency}, top: {top})"
        )
