"""Plain-text reports of a portfolio and its assessment (the demo prints these; nothing here prints)."""

from __future__ import annotations

from typing import Final

from custadvocacy._assess import Assessment, PortfolioAssessment
from custadvocacy._checks import counted
from custadvocacy._context import Context
from custadvocacy._forecast import Forecast
from custadvocacy._impact._text import format_impact
from custadvocacy._money import Money
from custadvocacy._portfolio import Portfolio
from custadvocacy._scoring import Band

__all__ = ["assessment_report", "portfolio_report", "portfolio_summary"]

_RULE: Final = "=" * 100
_CONTRIBUTIONS: Final = 3


def portfolio_summary(portfolio: Portfolio, context: Context) -> str:
    """Return a readable overview of ``portfolio`` as of ``context.as_of``.

    One line per customer: segment, annual value, open orders (and how many are past
    their promise), incidents open and resolved.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> print(portfolio_summary(example_portfolio(), example_context()))
        Portfolio as of 2026-11-20 09:00 UTC, reporting in EUR: 12 customers, 12 orders, 10 incidents
        <BLANKLINE>
        C01  Kovar Precision Machining  small       2,400,000.00 CZK  orders 2 (open 1, late 0)  incidents 1 (open 0)
        ...
    """
    as_of = context.as_of
    header = (
        f"Portfolio as of {as_of:%Y-%m-%d %H:%M %Z}, reporting in {context.currency}: "
        f"{len(portfolio.customers)} customers, {len(portfolio.orders)} orders, "
        f"{len(portfolio.incidents)} incidents"
    )
    lines = [header, ""]
    width = max((len(c.name) for c in portfolio.customers), default=0)
    for customer, orders, incidents in portfolio.groups():
        # Open as of as_of: what was placed or opened after it did not exist yet.
        open_orders = [o for o in orders if o.is_open and o.placed_at <= as_of]
        late = sum(1 for o in open_orders if o.days_late(as_of) > 0)
        open_incidents = sum(1 for i in incidents if i.opened_at <= as_of and i.is_open(as_of))
        value = str(customer.annual_value)
        lines.append(
            f"{customer.id:<4} {customer.name:<{width}}  {customer.segment.value:<10}  "
            f"{value:>16}  orders {len(orders)} (open {len(open_orders)}, late {late})  "
            f"incidents {len(incidents)} (open {open_incidents})"
        )
    return "\n".join(lines)


_ID_WIDTH: Final = 5  # the narrowest id column: ids such as "C07" line up as before


def _ranking(result: PortfolioAssessment) -> list[str]:
    cur = result.currency
    # Each column as wide as its heading and its longest value: nothing shifts.
    width = max((len(a.customer.name) for a in result.assessments), default=0)
    width = max(width, len("customer"))
    ids = max((len(a.customer.id) for a in result.assessments), default=0)
    ids = max(ids, _ID_WIDTH)
    head = (
        f"{'#':>3}  {'id':<{ids}} {'customer':<{width}}  {'score':>6}  {'band':<8}  "
        f"{'customer loss ' + cur + ' (P10-P90)':<36}  {'at risk':>9}  actions"
    )
    lines = [head, "-" * len(head)]
    for rank, a in enumerate(result.assessments, start=1):
        low, high = a.loss_range
        loss = f"{a.expected_loss:,.0f} ({low:,.0f}-{high:,.0f})"
        approval = ", approval" if a.needs_approval else ""
        lines.append(
            f"{rank:>3}  {a.customer.id:<{ids}} {a.customer.name:<{width}}  {a.value:>6.2f}  "
            f"{a.band.value:<8}  {loss:<36}  {a.risk:>9,.0f}  "
            f"{len(a.recommendation.actions)}{approval}"
        )
    return lines


def _forecast_text(forecast: Forecast) -> str:
    state = "already late" if forecast.already_late else f"due {forecast.promised_at:%Y-%m-%d}"
    return (
        f"{forecast.order_id} ({state}): {forecast.probability_late:.0%} likely late by "
        f"{forecast.expected_days_late:.1f} days ({forecast.basis.value}); loss if late "
        f"{forecast.currency} {forecast.expected_loss:,.0f} "
        f"(P10-P90 {forecast.low:,.0f}-{forecast.high:,.0f}); risk {forecast.risk:,.0f}"
    )


def _money(money: Money) -> str:
    return f"{money.currency} {money.rounded().amount:,.{money.minor_unit}f}"


def assessment_report(assessment: Assessment) -> str:
    """Return one assessment in detail: contributions, forecasts, itemised loss, actions.

    For an analyst or the demo; the account manager reads the :meth:`~Assessment.brief`.

    Example:
        >>> from custadvocacy import assess
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> result = assess(*example_portfolio().for_customer("C05"), context=example_context())
        >>> print(assessment_report(result))
        C05 Vltava Foods: score ... (...)
          Top contributions: forecast ...
          Forecasts of open orders:
            O-5001 (due 2026-11-24): 98% likely late by 5.1 days (eta); loss if late EUR ...
        ...
    """
    a = assessment
    lines = [f"{a.customer.id} {a.customer.name}: score {a.value:.2f} ({a.band.value})"]
    top = a.score.top(_CONTRIBUTIONS)
    if top:
        lines.append("  Top contributions: " + ", ".join(f"{c.factor} {c.points:.2f}" for c in top))
    if a.forecasts:
        lines.append("  Forecasts of open orders:")
        lines.extend(f"    {_forecast_text(f)}" for f in a.forecasts)
    if a.impacts:
        lines.append("  Customer loss per incident:")
        for impact in a.impacts:
            lines.extend(f"    {line}" for line in format_impact(impact).splitlines())
    rec = a.recommendation
    if rec.actions:
        lines.append(f"  Recommended actions ({rec.policy}):")
        for action in rec.actions:
            approval = ", needs approval" if action.needs_approval else ""
            lines.append(
                f"    {action.rank}. {action.label} [{action.code}]: relief "
                f"{_money(action.relief)}, cost {_money(action.cost)}{approval}"
            )
    else:
        reasons = "; ".join(rec.reasons) or "no action applies"
        lines.append(f"  Recommended actions ({rec.policy}): none ({reasons})")
    return "\n".join(lines)


def portfolio_report(result: PortfolioAssessment, *, briefs: int = 3) -> str:
    """Return the ranked portfolio, each customer needing attention in detail, then briefs.

    Customers in the ``stable`` band with no incident and no open order at risk are
    listed in the ranking only.

    Args:
        result: The portfolio assessment.
        briefs: How many of the most urgent customers' briefs to append (>= 0).

    Example:
        >>> from custadvocacy import assess_portfolio
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ranked = assess_portfolio(example_portfolio(), context=example_context())
        >>> print(portfolio_report(ranked, briefs=1))
        Advocacy assessment as of 2026-11-20 09:00 UTC, reporting in EUR: 12 customers
        ...
          1  C07   Moravia Print ...
        ...
    """
    summary = result.summary
    rate = summary.proactivity_rate
    bands = ", ".join(f"{b.band.value} {b.count}" for b in summary.band_counts)
    noticed = summary.vendor_first + summary.customer_first
    proactivity = (
        "no incident with a record of who noticed it"
        if rate is None
        else f"{rate:.0%} of incidents noticed by us first ({summary.vendor_first} of {noticed})"
    )
    lines = [
        (
            f"Advocacy assessment as of {result.as_of:%Y-%m-%d %H:%M %Z}, reporting in "
            f"{result.currency}: {counted(summary.customers, 'customer')}"
        ),
        f"Bands: {bands}. Proactivity: {proactivity}.",
        "",
        *_ranking(result),
    ]
    detailed = [
        a
        for a in result.assessments
        if a.band is not Band.STABLE or a.impacts or a.recommendation.actions
    ]
    if detailed:
        lines.extend(("", _RULE, "Details, most urgent first", _RULE))
        for a in detailed:
            lines.extend(("", assessment_report(a)))
    chosen = result.briefs(briefs)
    if chosen:
        heading = (
            "Brief of the most urgent customer"
            if len(chosen) == 1
            else f"Briefs of the {len(chosen)} most urgent customers"
        )
        lines.extend(("", _RULE, heading, _RULE))
        for brief in chosen:
            lines.extend(("", brief.text()))
    return "\n".join(lines)
