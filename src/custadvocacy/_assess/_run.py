"""``assess()``: the one call a CRM makes; ``assess_portfolio()`` for many customers.

The pipeline for one customer: check the inputs as a whole (types, references, an
exchange rate for every currency), estimate each incident's impact, forecast the open
orders, score, recommend. Inputs are sorted by id first, so the order a host passes
them in changes nothing. Every default plug-in is built once, at import: a frozen value
reused by every call costs nothing per call.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from typing import Any, Final

from custadvocacy._assess._config_rates import PLUGIN_NAMES, rates_named
from custadvocacy._assess._model import Assessment, PortfolioAssessment
from custadvocacy._checks import article
from custadvocacy._context import Context, rate_wanted
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._errors import (
    ConfigurationError,
    Problem,
    ValidationError,
    short_repr,
)
from custadvocacy._forecast import LeadTimeModel, forecast_orders
from custadvocacy._impact._compose import EstimatorSet, default_estimators, estimator_set_problems
from custadvocacy._money import Money
from custadvocacy._plugins import method_problems
from custadvocacy._policies import (
    ActionCatalog,
    BudgetAllocation,
    CustomerFirstPolicy,
    RecommendationPolicy,
    allocate_budget,
    default_catalog,
    run_policy,
)
from custadvocacy._policies._budget import DEFAULT_EXACT_LIMIT, check_budget_options
from custadvocacy._policies._catalog import catalog_problems
from custadvocacy._portfolio import Portfolio, check_references
from custadvocacy._scoring import AdvocacyScore, AdvocacyScorer, Scorer, summarize
from custadvocacy._trusted import builder

__all__ = ["assess", "assess_portfolio"]

_DEFAULT_ESTIMATORS: Final = default_estimators()
_DEFAULT_SCORER: Final = AdvocacyScorer()
_DEFAULT_POLICY: Final = CustomerFirstPolicy()
_DEFAULT_CATALOG: Final = default_catalog()
_new_assessment: Final = builder(Assessment)


class _Plugins:
    """The plug-ins of one call, defaults filled in and checked once."""

    __slots__ = ("catalog", "estimators", "lead_time_model", "policy", "scorer")

    def __init__(
        self,
        estimators: EstimatorSet | None,
        scorer: Scorer | None,
        policy: RecommendationPolicy | None,
        catalog: ActionCatalog | None,
        lead_time_model: LeadTimeModel | None,
    ) -> None:
        self.estimators = _DEFAULT_ESTIMATORS if estimators is None else estimators
        self.scorer = _DEFAULT_SCORER if scorer is None else scorer
        self.policy = _DEFAULT_POLICY if policy is None else policy
        self.catalog = _DEFAULT_CATALOG if catalog is None else catalog
        self.lead_time_model = lead_time_model
        self._check()

    def _check(self) -> None:
        messages = estimator_set_problems(self.estimators)
        messages += method_problems("scorer", self.scorer, "score")
        messages += method_problems("policy", self.policy, "recommend")
        messages += catalog_problems(self.catalog)
        if self.lead_time_model is not None:
            messages += method_problems("lead_time_model", self.lead_time_model, "outlook")
        if messages:
            raise ConfigurationError("cannot assess:\n  " + "\n  ".join(messages))

    def by_name(self) -> dict[str, object]:
        """The plug-ins by the names of the arguments that gave them, in their order."""
        return {name: getattr(self, name) for name in PLUGIN_NAMES}


def _listed(name: str, items: object, cls: type, problems: list[Problem]) -> tuple[object, ...]:
    """``items`` as a tuple, with a problem for each item that is not a ``cls``."""
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        problems.append(Problem(name, items, f"a sequence of {cls.__name__}"))
        return ()
    listed = tuple(items)
    problems.extend(
        Problem(f"{name}[{i}]", item, article(cls.__name__))
        for i, item in enumerate(listed)
        if not isinstance(item, cls)
    )
    return listed


def _rated_currencies(context: Context) -> frozenset[str]:
    """The currencies with a rate into the reporting one (either direction), and itself."""
    reporting = context.currency
    rated = {reporting}
    for base, quote in context.rates.rates:
        if base == reporting:
            rated.add(quote)
        elif quote == reporting:
            rated.add(base)
    return frozenset(rated)


def _rate_problems(
    context: Context,
    customers: Iterable[tuple[str, Customer]],
    orders: Iterable[tuple[int, Order]],
    incidents: Iterable[tuple[int, Incident]],
) -> list[Problem]:
    """A problem for every amount whose currency has no rate into the reporting one.

    ``customers`` come with their path, ``orders`` and ``incidents`` with the index
    their paths name. Other paths are only written for the problems found: the common
    case, every rate known, writes none.
    """
    rated = _rated_currencies(context)
    found: list[tuple[str, str]] = []
    for path, customer in customers:
        profile = customer.profile
        for name, money in (
            ("annual_value", customer.annual_value),
            ("profile.daily_revenue", profile.daily_revenue),
            ("profile.staff_hourly_cost", profile.staff_hourly_cost),
        ):
            if money is not None and money.currency not in rated:
                found.append((f"{path}.{name}.currency", money.currency))
        if customer.currency not in rated:
            found.append((f"{path}.currency", customer.currency))
    found.extend(
        (f"orders[{i}].value.currency", order.value.currency)
        for i, order in orders
        if order.value.currency not in rated
    )
    for i, incident in incidents:
        amount = incident.amount
        if amount is not None and amount.currency not in rated:
            found.append((f"incidents[{i}].amount.currency", amount.currency))
    return [Problem(path, cur, rate_wanted(context.currency, cur)) for path, cur in found]


def _checked_inputs(
    customer: object, orders: object, incidents: object, context: object
) -> tuple[Customer, tuple[Order, ...], tuple[Incident, ...], Context]:
    """Check everything ``assess`` is given, as a whole; raise one error listing every problem."""
    problems: list[Problem] = []
    if not isinstance(customer, Customer):
        problems.append(Problem("customer", customer, "a Customer"))
    if not isinstance(context, Context):
        problems.append(Problem("context", context, "a Context"))
    order_list = _listed("orders", orders, Order, problems)
    incident_list = _listed("incidents", incidents, Incident, problems)
    if problems:
        raise ValidationError(problems)
    # Every item was checked to be of its class just above.
    valid_customer = typing.cast("Customer", customer)
    valid_context = typing.cast("Context", context)
    valid_orders = typing.cast("tuple[Order, ...]", order_list)
    valid_incidents = typing.cast("tuple[Incident, ...]", incident_list)
    try:
        check_references((valid_customer,), valid_orders, valid_incidents)
    except ValidationError as exc:
        problems.extend(exc.problems)
    problems.extend(
        _rate_problems(
            valid_context,
            (("customer", valid_customer),),
            enumerate(valid_orders),
            enumerate(valid_incidents),
        )
    )
    if problems:
        raise ValidationError(problems)
    return valid_customer, valid_orders, valid_incidents, valid_context


def _by_id(item: Order | Incident) -> str:
    return item.id


def _seen(incidents: Iterable[Incident], context: Context) -> tuple[Incident, ...]:
    """The incidents opened by ``as_of``, sorted by id: a replay does not see the future."""
    as_of = context.as_of
    return tuple(sorted((i for i in incidents if i.opened_at <= as_of), key=_by_id))


def _run(
    customer: Customer,
    orders: tuple[Order, ...],
    incidents: tuple[Incident, ...],
    context: Context,
    plugins: _Plugins,
) -> Assessment:
    """Assess inputs already checked; ``orders`` and ``incidents`` sorted by id.

    The records' rates were checked: a missing one is for an amount of a plug-in's
    configuration, which :class:`rates_named` names.
    """
    with rates_named(plugins.by_name, context.currency):
        estimators = plugins.estimators
        by_id = {order.id: order for order in orders}
        impacts = tuple(
            estimators.estimate(
                incident,
                customer,
                None if incident.order_id is None else by_id[incident.order_id],
                context,
            )
            for incident in incidents
        )
        forecasts = forecast_orders(
            customer, orders, context, model=plugins.lead_time_model, estimators=estimators
        )
        # The inputs were checked as a whole (_checked_inputs), EstimatorSet.estimate
        # checked each impact's incident, customer, kind and currency, and the forecasts are
        # our own: what the built-in scorer and policy would check again holds. A subclass
        # of EstimatorSet may estimate otherwise, so its impacts are checked here; a host's
        # scorer or policy gets the inputs through its own checks.
        cid = customer.id
        checked = type(estimators) is EstimatorSet or all(
            impact.customer_id == cid for impact in impacts
        )
        scorer = plugins.scorer
        if checked and type(scorer) is AdvocacyScorer:
            score = scorer._checked_score(  # noqa: SLF001 - our own scorer's unchecked entry
                customer, orders, incidents, impacts, forecasts, context
            )
            built_in_score = True
        else:
            score = scorer.score(customer, orders, incidents, impacts, forecasts, context)
            _check_result(score, AdvocacyScore, "scorer", scorer, cid)
            built_in_score = False
        policy = plugins.policy
        if checked and type(policy) is CustomerFirstPolicy:
            # Our own policy's result is valid by construction (tests/test_trusted.py and the
            # policy properties hold it to run_policy's rules): not checked a second time.
            recommendation = policy._recommend(  # noqa: SLF001 - our own policy, inputs checked
                customer,
                orders,
                incidents,
                impacts,
                forecasts,
                score,
                plugins.catalog,
                context,
                checked=True,
            )
            trusted = built_in_score
        else:
            trusted = False
            recommendation = run_policy(
                policy,
                customer,
                orders,
                incidents,
                impacts,
                forecasts,
                score,
                plugins.catalog,
                context,
            )
        # With our own scorer and policy, every cross-object rule of an Assessment holds by
        # the checks above: it is built without running them again.
        make = _new_assessment if trusted else Assessment
        return make(
            customer=customer,
            as_of=context.as_of,
            currency=context.currency,
            rates=context.rates,
            orders=orders,
            incidents=incidents,
            impacts=impacts,
            forecasts=forecasts,
            score=score,
            recommendation=recommendation,
        )


def _check_result(result: Any, cls: type[Any], role: str, plugin: object, customer_id: str) -> None:
    # Every result class has a customer_id: only a result of the exact class is asked for it.
    if type(result) is not cls or result.customer_id != customer_id:
        raise ConfigurationError(
            f"{role} {short_repr(plugin)} returned {short_repr(result)}; expected "
            f"{article(cls.__name__)} of customer "
            f"{customer_id!r}"
        )


def assess(
    customer: Customer,
    orders: Sequence[Order],
    incidents: Sequence[Incident],
    *,
    context: Context,
    estimators: EstimatorSet | None = None,
    scorer: Scorer | None = None,
    policy: RecommendationPolicy | None = None,
    catalog: ActionCatalog | None = None,
    lead_time_model: LeadTimeModel | None = None,
) -> Assessment:
    """Assess one customer: their loss, the early warnings, the score, what to do.

    The one call a CRM makes, e.g. in a webhook when a shipment's status changes. It
    checks the inputs as a whole first (every order and incident belongs to
    ``customer``, ids are unique, every incident's order is among ``orders``, every
    amount's currency has a rate into the reporting one) and raises one error listing
    every problem; then it estimates each incident's impact, forecasts the open
    orders, scores, and asks the policy for actions. The order of ``orders`` and
    ``incidents`` does not matter (they are sorted by id); nothing given is changed.
    Incidents opened after ``context.as_of`` are left out (a replay does not see the
    future), as the scorer does.

    Args:
        customer: The customer to assess.
        orders: Their open and recent orders (every order an incident names must be here).
        incidents: Their open and recent incidents.
        context: ``as_of`` (the library never reads the clock), the reporting currency
            and the exchange rates.
        estimators: Which impact estimator handles which incident kind (default:
            :func:`~custadvocacy.default_estimators`).
        scorer: The scorer (default: :class:`~custadvocacy.AdvocacyScorer` with the
            default :class:`~custadvocacy.ScorerConfig`).
        policy: The recommendation policy (default:
            :class:`~custadvocacy.policies.CustomerFirstPolicy`).
        catalog: The actions the policy chooses from (default:
            :func:`~custadvocacy.policies.default_catalog`).
        lead_time_model: The model behind the forecasts (default: the built-in delay
            prior; fit an :class:`~custadvocacy.EmpiricalLeadTimeModel` on your
            delivered orders for better ones).

    Returns:
        The assessment: inputs, impacts, forecasts, score and recommendation.

    Raises:
        ValidationError: An input is of the wrong type, a reference is broken, or a
            currency has no rate (every problem listed, with its path).
        ConfigurationError: A plug-in cannot be used, or returned something unusable.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> customer, orders, incidents = example_portfolio().for_customer("C01")
        >>> result = assess(customer, orders, incidents, context=example_context())
        >>> result.value, result.band.value, round(result.expected_loss)
        (43.75, 'high', 44956)
        >>> print(result.brief().in_their_terms[0])
        Your line stood still for about 4 days because our delivery O-1001 was 6 days late; that cost you roughly CZK 720,000-1.5 million.

    .. versionadded:: 0.1.0
    """
    plugins = _Plugins(estimators, scorer, policy, catalog, lead_time_model)
    valid_customer, valid_orders, valid_incidents, valid_context = _checked_inputs(
        customer, orders, incidents, context
    )
    return _run(
        valid_customer,
        tuple(sorted(valid_orders, key=_by_id)),
        _seen(valid_incidents, valid_context),
        valid_context,
        plugins,
    )


def assess_portfolio(
    portfolio: Portfolio,
    *,
    context: Context,
    estimators: EstimatorSet | None = None,
    scorer: Scorer | None = None,
    policy: RecommendationPolicy | None = None,
    catalog: ActionCatalog | None = None,
    lead_time_model: LeadTimeModel | None = None,
    budget: Money | None = None,
    per_customer_limit: Money | None = None,
    per_action_limit: Money | None = None,
) -> PortfolioAssessment:
    """Assess every customer of ``portfolio`` and rank them by score, most urgent first.

    Each customer is assessed exactly as :func:`assess` would (same plug-ins, same
    numbers); ties in score are broken by customer id. The summary counts the bands and
    gives the proactivity rate of the portfolio's incidents (the share the vendor
    noticed before the customer did).

    With a ``budget``, the recommended actions of all customers compete for it
    (:func:`~custadvocacy.policies.allocate_budget`: the most customer loss relieved
    within the budget and the limits, exactly when the candidates are few, greedily by
    relief per cost otherwise, with the gap to the bound stated) and the result holds
    the :class:`~custadvocacy.policies.BudgetAllocation`. Each customer's candidates are
    what ``policy`` recommends; give it a generous cost limit (e.g.
    ``CustomerFirstPolicy(settings=PolicySettings(cost_limit_share=None))``) to let the
    budget decide.

    Args:
        portfolio: Customers with their orders and incidents (references already checked).
        context: ``as_of``, the reporting currency and the rates.
        estimators: As for :func:`assess`.
        scorer: As for :func:`assess`.
        policy: As for :func:`assess`.
        catalog: As for :func:`assess`.
        lead_time_model: As for :func:`assess`.
        budget: One budget for the whole portfolio (Money in the reporting currency);
            ``None`` (default) allocates nothing.
        per_customer_limit: With a budget: most any one customer's funded actions cost.
        per_action_limit: With a budget: most any one funded action costs.

    Returns:
        The ranked assessments with the portfolio's :class:`~custadvocacy.ScoreSummary`
        (and the :class:`~custadvocacy.policies.BudgetAllocation` with a budget).

    Raises:
        ValidationError: ``portfolio`` or ``context`` is of the wrong type, an
            amount's currency has no rate into the reporting one (every problem listed,
            with paths such as ``orders[3].value.currency``), or a limit is given
            without a budget.
        ConfigurationError: A plug-in cannot be used, or the budget or a limit is not
            acceptable (see :func:`~custadvocacy.policies.allocate_budget`).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ranked = assess_portfolio(example_portfolio(), context=example_context())
        >>> [(a.customer_id, a.band.value) for a in ranked.top(3)]
        [('C07', 'high'), ('C01', 'high'), ('C10', 'high')]
        >>> ranked.summary.proactivity_rate
        0.4

    .. versionadded:: 0.1.0
    """
    plugins = _Plugins(estimators, scorer, policy, catalog, lead_time_model)
    problems: list[Problem] = []
    given: tuple[object, object] = (portfolio, context)
    if not isinstance(given[0], Portfolio):
        problems.append(Problem("portfolio", portfolio, "a Portfolio"))
    if not isinstance(given[1], Context):
        problems.append(Problem("context", context, "a Context"))
    if budget is None:
        problems.extend(
            Problem(name, limit, "None unless a budget is given")
            for name, limit in (
                ("per_customer_limit", per_customer_limit),
                ("per_action_limit", per_action_limit),
            )
            if limit is not None
        )
    if problems:
        raise ValidationError(problems)
    if budget is not None:  # before the work: its currency is the reporting one's
        limits = (per_customer_limit, per_action_limit)
        check_budget_options(budget, limits, DEFAULT_EXACT_LIMIT, context.currency)
    problems = _rate_problems(
        context,
        ((f"customers[{i}]", c) for i, c in enumerate(portfolio.customers)),
        enumerate(portfolio.orders),
        enumerate(portfolio.incidents),
    )
    if problems:
        raise ValidationError(problems)
    groups = list(portfolio.groups())
    assessments = [
        _run(
            customer,
            tuple(sorted(orders, key=_by_id)),
            _seen(incidents, context),
            context,
            plugins,
        )
        for customer, orders, incidents in groups
    ]
    assessments.sort(key=lambda a: (-a.score.value, a.customer.id))
    summary = summarize([a.score for a in assessments], portfolio.incidents)
    allocation: BudgetAllocation | None = None
    if budget is not None:
        allocation = allocate_budget(
            [a.recommendation for a in assessments],
            budget,
            per_customer_limit=per_customer_limit,
            per_action_limit=per_action_limit,
        )
    return PortfolioAssessment(
        as_of=context.as_of,
        currency=context.currency,
        assessments=tuple(assessments),
        summary=summary,
        allocation=allocation,
    )
