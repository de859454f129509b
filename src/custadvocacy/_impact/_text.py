"""Plain text of an impact: the itemised loss, its range and its assumptions."""

from __future__ import annotations

from custadvocacy._impact._model import Assumption, Impact

__all__ = ["format_impact"]

_LABEL_WIDTH = 42


def _amount(value: float) -> str:
    return f"{value:,.0f}"


def _value(assumption: Assumption) -> str:
    value = assumption.value
    unit = assumption.unit
    if unit[:3].isalpha() and unit[:3].isupper():  # a currency, possibly per day or hour
        return f"{value:,.2f} {unit}"
    if unit == "share":
        return f"{value:.2f}"
    shown = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return f"{shown} {unit}" if unit else shown


def format_impact(impact: Impact) -> str:
    """Return ``impact`` as plain text: headline, items with range and basis, assumptions.

    Amounts are in the impact's currency, rounded to whole units; each item's range is
    its P10-P90; assumptions marked ``*`` are documented defaults, not the customer's
    own figures.

    Example:
        >>> from custadvocacy import default_estimators
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> impact = default_estimators().estimate(
        ...     p.incidents[1], p.customers[1], p.orders[2], example_context()
        ... )
        >>> print(format_impact(impact))
        INC-201 (billing error), customer C02: EUR 283 expected, P10-P90 EUR 252 - 320
          Staff time sorting it out                  EUR 265  (P10-P90 233 - 301)
              6.0 h x 44.19 EUR/h = 265.12 EUR
          Cash tied up                               EUR 18  (P10-P90 18 - 18)
              3,720.93 EUR x 10.0% a year x 17.96 days / 365 = 18.31 EUR
          Inputs and assumptions (* = default, not the customer's own figure):
              incident.effort_hours = 6 hours  [incident INC-201]
              customer.profile.staff_hourly_cost = 44.19 EUR/hour  [customer profile: 38.00 GBP at 1.16279 EUR/GBP]
              incident.amount = 3,720.93 EUR  [incident INC-201: 3,200.00 GBP]
            * billing_error.annual_cost_of_capital = 0.10 per year  [estimator parameter, built-in value (docs/impact.md, Defaults)]
              incident.days_open = 17.96 days  [incident INC-201: opened 2026-11-02, open at as_of]
        Still open at as_of: counted up to as_of, and still growing.

    .. versionadded:: 0.1.0
    """
    kind = impact.kind.value.replace("_", " ")
    head = f"{impact.incident_id} ({kind}), customer {impact.customer_id}"
    cur = impact.currency
    if not impact.estimated:
        return f"{head}: not estimated ({impact.reason})"
    lines = [
        (
            f"{head}: {cur} {_amount(impact.expected)} expected, "
            f"P10-P90 {cur} {_amount(impact.low)} - {_amount(impact.high)}"
        )
    ]
    for item in impact.items:
        lines.append(
            f"  {item.label:<{_LABEL_WIDTH}} {cur} {_amount(item.expected)}  "
            f"(P10-P90 {_amount(item.low)} - {_amount(item.high)})"
        )
        if item.basis:
            lines.append(f"      {item.basis}")
    assumptions = impact.assumptions
    if assumptions:
        lines.append("  Inputs and assumptions (* = default, not the customer's own figure):")
        lines.extend(
            f"    {'*' if a.is_default else ' '} {a.name} = {_value(a)}  [{a.source}]"
            for a in assumptions
        )
    if impact.ongoing:
        lines.append("  Still open at as_of: counted up to as_of, and still growing.")
    return "\n".join(lines)
