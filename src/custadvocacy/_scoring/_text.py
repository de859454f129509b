"""Plain-text views of scores and forecasts, for the demo, logs and a CRM's notes field."""

from __future__ import annotations

from collections.abc import Sequence

from custadvocacy._checks import Checks
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._forecast import Forecast
from custadvocacy._scoring._model import AdvocacyScore
from custadvocacy._scoring._summary import ScoreSummary

__all__ = ["format_forecast", "format_score", "format_summary"]


def format_forecast(forecast: Forecast) -> str:
    """Return one line for a forecast: probability, days late, loss if late, basis.

    Example:
        >>> from custadvocacy import forecast_orders
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> customer, orders, _ = example_portfolio().for_customer("C05")
        >>> print(format_forecast(forecast_orders(customer, orders, example_context())[0]))
        O-5001: 98% likely late, by 5.1 days if late (P10-P90 2.2-8.0); loss if late EUR 85,289 (P10-P90 14,386-249,178); risk EUR 83,975 [eta]

    .. versionadded:: 0.1.0
    """
    state = (
        "already late" if forecast.already_late else f"{forecast.probability_late:.0%} likely late"
    )
    cur = forecast.currency
    return (
        f"{forecast.order_id}: {state}, by {forecast.expected_days_late:.1f} days if late "
        f"(P10-P90 {forecast.days_late_low:.1f}-{forecast.days_late_high:.1f}); "
        f"loss if late {cur} {forecast.expected_loss:,.0f} "
        f"(P10-P90 {forecast.low:,.0f}-{forecast.high:,.0f}); "
        f"risk {cur} {forecast.risk:,.0f} [{forecast.basis.value}]"
    )


def format_score(
    score: AdvocacyScore,
    *,
    name: str = "",
    forecasts: Sequence[Forecast] = (),
    top: int = 3,
) -> str:
    """Return a short block for one customer: score, band, top contributions, drivers, forecasts.

    Args:
        score: The customer's score.
        name: A display name to show beside the id (optional).
        forecasts: The customer's forecasts, one line each (optional).
        top: How many contributions to list on the first line (>= 1).

    Returns:
        Text lines: ``id name  value band  factor points, ...``, then the drivers
        (indented), then ``forecast:`` lines.

    Raises:
        ValidationError: ``top`` is below 1, or a forecast is of another customer.

    Example:
        >>> from custadvocacy import AdvocacyScorer, estimate_impacts, forecast_orders
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ctx = example_context()
        >>> customer, orders, incidents = example_portfolio().for_customer("C01")
        >>> forecasts = forecast_orders(customer, orders, ctx)
        >>> score = AdvocacyScorer().score(
        ...     customer, orders, incidents, estimate_impacts(customer, orders, incidents, ctx),
        ...     forecasts, ctx,
        ... )
        >>> print(format_score(score, name=customer.name, forecasts=forecasts))
        C01 Kovar Precision Machining  43.75 high  harm 32.50, reactive 4.98, health 3.72
            Customer harm (32.50 pts): weighted loss 40,128.43 EUR = 2.64 days of their revenue ...
            Customer told us first (4.98 pts): 1 incident(s) the customer noticed before we did ...
            Health signals (3.72 pts): NPS 6, CSAT 3, 2 open ticket(s), usage -5%: mean badness 0.37
            forecast O-1002: 10% likely late, by 2.0 days if late (P10-P90 0.2-4.6); loss if late EUR 52 ...

    .. versionadded:: 0.1.0
    """
    c = Checks()
    c.count("top", top, low=1)
    c.done()
    for i, forecast in enumerate(forecasts):
        if forecast.customer_id != score.customer_id:
            raise ValidationError(
                [
                    Problem(
                        f"forecasts[{i}].customer_id", forecast.customer_id, repr(score.customer_id)
                    )
                ]
            )
    parts = ", ".join(f"{c.factor} {c.points:.2f}" for c in score.top(top)) or "nothing"
    title = f"{score.customer_id} {name}".rstrip()
    lines = [f"{title}  {score.value:.2f} {score.band.value}  {parts}"]
    lines.extend(f"    {driver}" for driver in score.drivers)
    lines.extend(
        f"    forecast {format_forecast(f)}" for f in sorted(forecasts, key=lambda f: f.order_id)
    )
    return "\n".join(lines)


def format_summary(summary: ScoreSummary) -> str:
    """Return the summary in two lines: customers per band, and the proactivity rate.

    Example:
        >>> from custadvocacy import summarize
        >>> from custadvocacy.examples import example_portfolio
        >>> print(format_summary(summarize((), example_portfolio().incidents)))
        0 customers: stable 0, watch 0, elevated 0, high 0, critical 0
        Proactivity: the vendor noticed 4 of 10 incidents first (40%); 0 with no record of who noticed

    .. versionadded:: 0.1.0
    """
    bands = ", ".join(f"{b.band.value} {b.count}" for b in summary.band_counts)
    known = summary.vendor_first + summary.customer_first
    rate = "n/a" if summary.proactivity_rate is None else f"{summary.proactivity_rate:.0%}"
    return (
        f"{summary.customers} customers: {bands}\n"
        f"Proactivity: the vendor noticed {summary.vendor_first} of {known} incidents first "
        f"({rate}); {summary.unknown_noticed} with no record of who noticed"
    )
