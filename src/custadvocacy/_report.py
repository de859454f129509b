"""Plain-text reports of a portfolio (the demo prints these; nothing here prints)."""

from __future__ import annotations

from custadvocacy._context import Context
from custadvocacy._portfolio import Portfolio

__all__ = ["portfolio_summary"]


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
        open_orders = [o for o in orders if o.is_open]
        late = sum(1 for o in open_orders if o.days_late(as_of) > 0)
        open_incidents = sum(1 for i in incidents if i.is_open(as_of))
        value = str(customer.annual_value)
        lines.append(
            f"{customer.id:<4} {customer.name:<{width}}  {customer.segment.value:<10}  "
            f"{value:>16}  orders {len(orders)} (open {len(open_orders)}, late {late})  "
            f"incidents {len(incidents)} (open {open_incidents})"
        )
    return "\n".join(lines)
