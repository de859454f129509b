"""The built-in example portfolio, as plain data and as objects.

A B2B distributor's dozen customers in CZK, EUR and GBP: a machine shop whose
critical order arrived six days late, a retailer with a billing error, a clinic with
a service outage, customers with nothing wrong... ``docs/examples.md`` tells each
customer's story. The demo, the docs and the tests use it.

Example:
    >>> from custadvocacy.examples import example_context, example_portfolio
    >>> len(example_portfolio().customers), example_context().currency
    (12, 'EUR')
"""

from custadvocacy._examples import (
    EXAMPLE_AS_OF,
    example_context,
    example_payload,
    example_portfolio,
)

__all__ = ["EXAMPLE_AS_OF", "example_context", "example_payload", "example_portfolio"]
