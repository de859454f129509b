"""A seeded synthetic portfolio: customers, orders and incidents with documented distributions.

Every draw comes from one :class:`numpy.random.Generator` built from the seed the caller
passes, in a fixed order, so the same seed and settings give the same portfolio, row for
row. The columns go straight into :func:`~custadvocacy.batch.columns_from_mapping` (the
batch path, up to millions of customers); :func:`synthetic_portfolio` turns a small one
into domain objects for the object path.

The generator is the batch path's (:mod:`custadvocacy.batch._synthetic`): its docstring
and ``docs/lab.md`` list the distributions, which :class:`SyntheticConfig` sets.
:func:`custadvocacy.batch.synthetic_mapping` gives the raw tables (with
``config=SyntheticConfig()``, those :func:`synthetic_columns` reads).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import numpy as np

from custadvocacy._checks import Checks, plain_int
from custadvocacy._portfolio import Portfolio
from custadvocacy.batch import PortfolioColumns, columns_from_mapping
from custadvocacy.batch._objects import groups_of
from custadvocacy.batch._synthetic import MAX_CUSTOMERS, SyntheticConfig, draw_tables

__all__ = [
    "MAX_CUSTOMERS",
    "SyntheticConfig",
    "synthetic_columns",
    "synthetic_portfolio",
]

MAX_OBJECT_CUSTOMERS: Final = 100_000
"""Most customers :func:`synthetic_portfolio` builds as objects (use the columns beyond)."""


def synthetic_columns(
    customers: int,
    *,
    seed: int | np.random.Generator,
    as_of: datetime,
    config: SyntheticConfig | None = None,
) -> PortfolioColumns:
    """Draw a synthetic portfolio as :class:`~custadvocacy.batch.PortfolioColumns`.

    The tables of :func:`custadvocacy.batch.synthetic_mapping` with ``config`` (default:
    ``SyntheticConfig()``) read by :func:`~custadvocacy.batch.columns_from_mapping`
    (every row checked as the domain classes check an object).

    Args:
        customers: How many customers (0 to 20,000,000).
        seed: An integer seed (>= 0) or a :class:`numpy.random.Generator`.
        as_of: The moment the portfolio is observed (timezone-aware).
        config: The distributions' settings (default: :class:`SyntheticConfig`).

    Returns:
        The columns, ready for :func:`~custadvocacy.batch.assess_batch` or
        :func:`~custadvocacy.lab.evaluate`.

    Raises:
        ValidationError: An argument is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context
        >>> synthetic_columns(1000, seed=7, as_of=example_context().as_of)
        PortfolioColumns(customers=1000, orders=..., incidents=..., currencies=('CZK', 'EUR', 'GBP'), dropped=0)

    .. versionadded:: 0.1.0
    """
    cust, orders, incidents = draw_tables(customers, seed=seed, as_of=as_of, config=config)
    return columns_from_mapping(cust, orders, incidents)


def synthetic_portfolio(
    customers: int,
    *,
    seed: int | np.random.Generator,
    as_of: datetime,
    config: SyntheticConfig | None = None,
) -> Portfolio:
    """Draw a small synthetic portfolio as domain objects (the object path's input).

    The same draws as :func:`synthetic_columns` (same seed, same customers), rebuilt
    as :class:`~custadvocacy.Customer`, :class:`~custadvocacy.Order` and
    :class:`~custadvocacy.Incident` objects with text ids.

    Args:
        customers: How many customers (0 to 100,000; use the columns beyond).
        seed: An integer seed (>= 0) or a :class:`numpy.random.Generator`.
        as_of: The moment the portfolio is observed (timezone-aware).
        config: The distributions' settings (default: :class:`SyntheticConfig`).

    Raises:
        ValidationError: An argument is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context
        >>> portfolio = synthetic_portfolio(20, seed=7, as_of=example_context().as_of)
        >>> len(portfolio.customers), portfolio.customers[0].segment
        (20, <Segment.SMALL: 'small'>)

    .. versionadded:: 0.1.0
    """
    c = Checks()
    c.number("customers", plain_int(customers), high=MAX_OBJECT_CUSTOMERS, integer=True)
    c.done()
    columns = synthetic_columns(customers, seed=seed, as_of=as_of, config=config)
    groups = groups_of(columns, range(columns.customers.rows), as_of)
    return Portfolio(
        customers=tuple(g[0] for g in groups),
        orders=tuple(o for g in groups for o in g[1]),
        incidents=tuple(i for g in groups for i in g[2]),
    )
