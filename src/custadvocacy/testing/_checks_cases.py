"""The inputs the conformance checks feed plug-ins: drawn from the public strategies.

An :class:`IncidentCase` is what an estimator gets (one incident with its customer,
order and context); a :class:`CustomerCase` is what a scorer or a policy gets (one
customer with their orders and incidents, and the impacts, forecasts and score the
built-ins derive from them). Both come from consistent portfolios drawn in a drawn
context, so every reference resolves and every currency converts, and both know the
lines that rebuild them for a failure report.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._forecast import Forecast, forecast_orders
from custadvocacy._forecast._at_risk import LATENESS
from custadvocacy._impact._compose import estimate_impacts
from custadvocacy._impact._model import Impact
from custadvocacy._policies import ActionCatalog
from custadvocacy._scoring import AdvocacyScore, AdvocacyScorer
from custadvocacy.testing import _generate
from custadvocacy.testing._checks_common import imports, shown
from custadvocacy.testing.strategies import contexts, portfolios

_SCORER = AdvocacyScorer()


@attrs.frozen(kw_only=True)
class IncidentCase:
    """One incident to estimate, with the customer it hit, its order and the context."""

    incident: Incident
    customer: Customer
    order: Order | None
    context: Context

    NAMES = ("incident", "customer", "order", "context")

    @property
    def args(self) -> tuple[Incident, Customer, Order | None, Context]:
        """The arguments of ``estimate``, in order."""
        return (self.incident, self.customer, self.order, self.context)

    def lines(self, *, context: Context | None = None) -> list[str]:
        """Lines that rebuild the case (with another ``context``, if given)."""
        return [
            imports("Context", "Customer", "Incident", "Order"),
            shown("incident", self.incident),
            shown("customer", self.customer),
            shown("order", self.order),
            shown("context", self.context if context is None else context),
        ]


def _order_of(orders: Sequence[Order], incident: Incident) -> Order | None:
    return next((o for o in orders if o.id == incident.order_id), None)


def _kinds(kinds: frozenset[IncidentKind]) -> tuple[IncidentKind, ...]:
    return tuple(k for k in IncidentKind if k in kinds)


@st.composite
def _incident_cases(draw: DrawFn, kinds: tuple[IncidentKind, ...]) -> IncidentCase:
    context = draw(contexts())
    portfolio = draw(
        portfolios(
            context=context,
            incident_kinds=kinds,
            min_size=1,
            max_size=1,
            max_orders=2,
            max_incidents=2,
        )
    )
    assume(portfolio.incidents)
    incident = draw(st.sampled_from(portfolio.incidents))
    return IncidentCase(
        incident=incident,
        customer=portfolio.customer(incident.customer_id),
        order=_order_of(portfolio.orders, incident),
        context=context,
    )


def incident_cases(kinds: frozenset[IncidentKind]) -> SearchStrategy[IncidentCase]:
    """Incidents of ``kinds`` (a non-empty set) with their customer, order and context."""
    return _incident_cases(_kinds(kinds))


@attrs.frozen(kw_only=True)
class IncidentBatch:
    """Several incidents (of several customers) to estimate at once, in one context."""

    cases: tuple[IncidentCase, ...]
    context: Context

    def columns(
        self, rows: Sequence[int] | None = None
    ) -> tuple[list[Incident], list[Customer], list[Order | None]]:
        """The aligned incidents, customers and orders of ``rows`` (default: all, in order)."""
        chosen = [self.cases[i] for i in (range(len(self.cases)) if rows is None else rows)]
        return (
            [c.incident for c in chosen],
            [c.customer for c in chosen],
            [c.order for c in chosen],
        )

    def lines(self) -> list[str]:
        """Lines that rebuild the batch."""
        incidents, customers, orders = self.columns()
        return [
            imports("Context", "Customer", "Incident", "Order"),
            shown("incidents", incidents),
            shown("customers", customers),
            shown("orders", orders),
            shown("context", self.context),
        ]


@st.composite
def _incident_batches(draw: DrawFn, kinds: tuple[IncidentKind, ...]) -> IncidentBatch:
    context = draw(contexts())
    portfolio = draw(
        portfolios(
            context=context,
            incident_kinds=kinds,
            min_size=1,
            max_size=2,
            max_orders=2,
            max_incidents=2,
        )
    )
    assume(portfolio.incidents)
    cases = tuple(
        IncidentCase(
            incident=incident,
            customer=portfolio.customer(incident.customer_id),
            order=_order_of(portfolio.orders, incident),
            context=context,
        )
        for incident in portfolio.incidents
    )
    return IncidentBatch(cases=cases, context=context)


def incident_batches(kinds: frozenset[IncidentKind]) -> SearchStrategy[IncidentBatch]:
    """One to four incidents of ``kinds`` of up to two customers, in one context."""
    return _incident_batches(_kinds(kinds))


@attrs.frozen(kw_only=True)
class CustomerCase:
    """One customer with their orders and incidents, in a context."""

    customer: Customer
    orders: tuple[Order, ...]
    incidents: tuple[Incident, ...]
    context: Context

    def lines(self, *, context: Context | None = None) -> list[str]:
        """Lines that rebuild the raw inputs (with another ``context``, if given)."""
        return [
            # Every name the lines after these may use (a catalog, reordered impacts and
            # forecasts): a report's input must run as pasted.
            imports(
                "ActionCatalog",
                "AdvocacyScorer",
                "Context",
                "Customer",
                "Forecast",
                "Impact",
                "Incident",
                "Order",
                "default_catalog",
                "estimate_impacts",
                "forecast_orders",
            ),
            shown("customer", self.customer),
            shown("orders", self.orders),
            shown("incidents", self.incidents),
            shown("context", self.context if context is None else context),
        ]

    def derived(self, context: Context | None = None) -> Derived:
        """The impacts, forecasts and score the built-ins give (in ``context``, if given)."""
        ctx = self.context if context is None else context
        impacts = estimate_impacts(self.customer, self.orders, self.incidents, ctx)
        forecasts = forecast_orders(self.customer, self.orders, ctx)
        score = _SCORER.score(self.customer, self.orders, self.incidents, impacts, forecasts, ctx)
        return Derived(impacts=impacts, forecasts=forecasts, score=score)


@attrs.frozen(kw_only=True)
class Derived:
    """What the built-ins derive from a customer case: the inputs a policy also needs."""

    impacts: tuple[Impact, ...]
    forecasts: tuple[Forecast, ...]
    score: AdvocacyScore

    LINES = (
        "impacts = estimate_impacts(customer, orders, incidents, context)",
        "forecasts = forecast_orders(customer, orders, context)",
        "score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, context)",
    )


@st.composite
def customer_cases(draw: DrawFn) -> CustomerCase:
    """A customer of a drawn portfolio, with up to two orders and two incidents.

    Half the portfolios are drawn for the library's hardest case: open late orders with
    late or partial deliveries on them, where an order's forecast and its incidents' impacts
    overlap (a plug-in counting the loss twice breaks a rule there). About a quarter of the
    cases hold it (the others of that half draw no order or no incident); drawn plainly, a
    late delivery on an open order comes up in about one case in twenty.
    """
    context = draw(contexts())
    plain = portfolios(context=context, min_size=1, max_size=1, max_orders=2, max_incidents=2)
    late = _generate.portfolios(
        context=context,
        incident_kinds=_kinds(LATENESS),
        late_only=True,
        on_orders=True,
        open_orders=True,
        min_size=1,
        max_size=1,
        max_orders=2,
        max_incidents=2,
    )
    portfolio = draw(st.one_of(plain, late))
    customer, orders, incidents = portfolio.for_customer(portfolio.customers[0].id)
    return CustomerCase(customer=customer, orders=orders, incidents=incidents, context=context)


def catalog_line(catalog: ActionCatalog, *, default: bool) -> str:
    """The line that rebuilds the catalog a policy was checked with."""
    if default:
        return "catalog = default_catalog()"
    return shown("catalog", catalog)
