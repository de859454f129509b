"""What a recommendation is: the ranked actions, the policy protocol, and its checks.

A :class:`Recommendation` holds one customer's ranked :class:`RecommendedAction` s,
each with the customer loss it relieves and its cost to the vendor (Money in the
reporting currency, rounded to the minor unit), whether a human must approve it, and
the reasons (which rules fired, which numbers decided). A policy is anything with a
``name`` and a ``recommend(...)`` method (:class:`RecommendationPolicy`, a
:class:`typing.Protocol`): nobody inherits from us. :func:`run_policy` calls a policy
and checks what it returns, so a broken plug-in fails with a message naming it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, Protocol, runtime_checkable

import attrs

from custadvocacy._checks import MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH, Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._errors import ConfigurationError, short_repr
from custadvocacy._forecast import Forecast
from custadvocacy._forecast._at_risk import risk_beyond_incidents
from custadvocacy._impact._model import Impact
from custadvocacy._listing import listing
from custadvocacy._money import _CONTEXT as DECIMAL
from custadvocacy._money import Money
from custadvocacy._plugins import class_given
from custadvocacy._policies._actions import _CODE, ActionCatalog, _check_code
from custadvocacy._policies._common import (
    MAX_CODE_LENGTH,
    MAX_REASONS,
    cents_up,
    money_from_cents,
    money_text,
    scale_of,
)
from custadvocacy._scoring import AdvocacyScore
from custadvocacy._trusted import builder

__all__ = [
    "Recommendation",
    "RecommendationPolicy",
    "RecommendedAction",
    "built_action",
    "built_recommendation",
    "run_policy",
]

_MAX_ACTIONS: Final = 1_000
_MAX_IDS: Final = 10_000
_STR_TUPLE: Final = frozenset({str})


def _fast_texts(texts: object, most: int, longest: int) -> bool:
    # A cheap pre-check in C-level calls (no generator); the Checks give the messages.
    if type(texts) is not tuple or len(texts) > most:
        return False
    return not texts or (
        set(map(type, texts)) <= _STR_TUPLE
        and min(map(len, texts)) > 0
        and max(map(len, texts)) <= longest
        and not any(map(str.isspace, texts))
    )


def _check_ids(c: Checks, name: str, ids: object) -> None:
    if not isinstance(ids, tuple) or len(ids) > _MAX_IDS:
        c.fail(name, ids, f"a tuple of at most {_MAX_IDS:,} ids")
        return
    for i, item in enumerate(ids):
        c.text(f"{name}[{i}]", item, max_length=MAX_ID_LENGTH)


def _check_reasons(c: Checks, reasons: object) -> None:
    if not isinstance(reasons, tuple) or len(reasons) > MAX_REASONS:
        c.fail("reasons", reasons, f"a tuple of at most {MAX_REASONS} strings")
        return
    for i, text in enumerate(reasons):
        c.text(f"reasons[{i}]", text, max_length=MAX_TEXT_LENGTH)


def _check_amounts(c: Checks, currency: object, **amounts: object) -> None:
    """Every amount a Money in ``currency``; relief/cost-like ones (not net) non-negative."""
    for name, value in amounts.items():
        c.money(name, value, non_negative=not name.startswith("net"))
        if isinstance(value, Money) and isinstance(currency, str) and value.currency != currency:
            c.fail(f"{name}.currency", value.currency, f"{currency!r} (the same currency)")


@attrs.frozen(kw_only=True, repr=False)
class RecommendedAction:
    """One recommended action: what to do, for which incidents, what it relieves and costs.

    Amounts are Money in the reporting currency, rounded to its minor unit (costs
    rounded up, reliefs down, so neither is flattered).

    Attributes:
        code: The :class:`Action` code (what a CRM stores).
        label: What to do, for a reader.
        proactive: ``True`` when it acts before the customer feels the problem.
        incident_ids: The incidents it answers (may be empty for a forecast).
        order_ids: The orders it concerns.
        relief: Expected customer loss it relieves, on top of the actions ranked with
            it (Money >= 0). The reliefs of one recommendation add up to its
            ``total_relief`` and never exceed the estimated loss.
        cost: Its cost to the vendor (Money >= 0).
        net_value: The policy's value of the action minus its cost (may be negative):
            ``relief - cost`` for the customer-first and playbook policies, the
            retention value minus the cost for the vendor-value policy.
        needs_approval: Whether its cost is above the action's approval threshold.
        reasons: Which rules fired and which numbers decided, in words.
        rank: Its place in the recommendation, 1 = first.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy import Money
        >>> RecommendedAction(
        ...     code="early_notice", label="Early notice with a new date", proactive=True,
        ...     incident_ids=(), order_ids=("O-5001",), relief=Money("12596.25", "EUR"),
        ...     cost=Money("0.00", "EUR"), net_value=Money("12596.25", "EUR"),
        ...     needs_approval=False, reasons=("O-5001 is 98 % likely late",), rank=1,
        ... )
        RecommendedAction(#1 'early_notice', proactive, orders=O-5001, relief=12,596.25 EUR, cost=0.00 EUR)

    .. versionadded:: 0.1.0
    """

    code: str
    label: str
    proactive: bool
    incident_ids: tuple[str, ...]
    order_ids: tuple[str, ...]
    relief: Money
    cost: Money
    net_value: Money
    needs_approval: bool
    reasons: tuple[str, ...] = ()
    rank: int = 1

    def __attrs_post_init__(self) -> None:
        if self._fast_valid():
            return
        c = Checks()
        _check_code(c, "code", self.code)
        c.text("label", self.label, max_length=MAX_NAME_LENGTH)
        c.instance("proactive", self.proactive, bool, "True or False")
        _check_ids(c, "incident_ids", self.incident_ids)
        _check_ids(c, "order_ids", self.order_ids)
        relief: object = self.relief
        currency = relief.currency if isinstance(relief, Money) else None
        _check_amounts(c, currency, relief=self.relief, cost=self.cost, net_value=self.net_value)
        c.instance("needs_approval", self.needs_approval, bool, "True or False")
        _check_reasons(c, self.reasons)
        c.number("rank", self.rank, low=1, high=_MAX_ACTIONS, integer=True)
        c.done()

    def _fast_valid(self) -> bool:
        code: object = self.code
        label: object = self.label
        relief: object = self.relief
        cost: object = self.cost
        net: object = self.net_value
        rank: object = self.rank
        proactive: object = self.proactive
        approval: object = self.needs_approval
        return (
            type(code) is str
            and len(code) <= MAX_CODE_LENGTH
            and _CODE.fullmatch(code) is not None
            and type(label) is str
            and 0 < len(label) <= MAX_NAME_LENGTH
            and not label.isspace()
            and type(proactive) is bool
            and _fast_texts(self.incident_ids, _MAX_IDS, MAX_ID_LENGTH)
            and _fast_texts(self.order_ids, _MAX_IDS, MAX_ID_LENGTH)
            and type(relief) is Money
            and type(cost) is Money
            and type(net) is Money
            and relief.amount >= 0
            and cost.amount >= 0
            and relief.currency == cost.currency == net.currency
            and type(approval) is bool
            and _fast_texts(self.reasons, MAX_REASONS, MAX_TEXT_LENGTH)
            and type(rank) is int
            and 1 <= rank <= _MAX_ACTIONS
        )

    def __repr__(self) -> str:
        where = []
        if self.incident_ids:
            where.append(f"incidents={listing(self.incident_ids, sep=',')}")
        if self.order_ids:
            where.append(f"orders={listing(self.order_ids, sep=',')}")
        flags = ["proactive" if self.proactive else "recovery", *where]
        if self.needs_approval:
            flags.append("needs approval")
        return (
            f"RecommendedAction(#{self.rank} {self.code!r}, {', '.join(flags)}, "
            f"relief={self.relief}, cost={self.cost})"
        )


@attrs.frozen(kw_only=True, repr=False)
class Recommendation:
    """What a policy recommends for one customer: ranked actions, totals, and why.

    Attributes:
        customer_id: The customer.
        policy: The name of the policy that made it.
        currency: The reporting currency of every amount.
        actions: The recommended actions, ranked (``rank`` 1, 2, ... in order).
        total_relief: Sum of the actions' reliefs (Money).
        total_cost: Sum of the actions' costs (Money).
        reasons: Policy-level reasons: the limits that bound, what was left out and
            why, why nothing was recommended.
        cost_limit: The most the policy allowed this customer's actions to cost, if it
            set a limit (``total_cost`` never exceeds it).

    Raises:
        ValidationError: A field is not acceptable, the ranks are out of order, or the
            totals do not match the actions (every problem listed).

    Example:
        >>> from custadvocacy import Money
        >>> zero = Money("0.00", "EUR")
        >>> nothing = Recommendation(
        ...     customer_id="C09", policy="customer_first", currency="EUR", actions=(),
        ...     total_relief=zero, total_cost=zero, reasons=("no estimated loss",),
        ... )
        >>> nothing
        Recommendation('C09', 'customer_first', no actions, relief=0.00 EUR, cost=0.00 EUR)
        >>> nothing.needs_approval
        False

    .. versionadded:: 0.1.0
    """

    customer_id: str
    policy: str
    currency: str
    actions: tuple[RecommendedAction, ...]
    total_relief: Money
    total_cost: Money
    reasons: tuple[str, ...] = ()
    cost_limit: Money | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.text("policy", self.policy, max_length=MAX_ID_LENGTH)
        before = len(c.problems)
        c.currency("currency", self.currency)
        # The actions' currency is compared with a valid one only: repr of a bad one can
        # raise (an int past 4,300 digits does).
        known_currency = len(c.problems) == before
        summable = known_currency  # the totals can be checked against the actions
        given: object = self.actions
        actions: tuple[object, ...] = ()
        if not isinstance(given, tuple) or len(given) > _MAX_ACTIONS:
            c.fail("actions", given, f"a tuple of at most {_MAX_ACTIONS:,} RecommendedAction")
            summable = False
        else:
            actions = given
        amounts: dict[str, object] = {
            "total_relief": self.total_relief,
            "total_cost": self.total_cost,
        }
        if self.cost_limit is not None:
            amounts["cost_limit"] = self.cost_limit
        before = len(c.problems)
        _check_amounts(c, self.currency, **amounts)
        summable = summable and len(c.problems) == before
        _check_reasons(c, self.reasons)
        for i, action in enumerate(actions):
            if not isinstance(action, RecommendedAction):
                c.fail(f"actions[{i}]", action, "a RecommendedAction")
                summable = False
                continue
            if known_currency and action.relief.currency != self.currency:
                c.fail(f"actions[{i}].relief.currency", action.relief.currency, repr(self.currency))
                summable = False
            if action.rank != i + 1:
                c.fail(f"actions[{i}].rank", action.rank, f"{i + 1} (ranks count from 1 in order)")
        if summable:
            self._check_totals(c)
        c.done()

    def _check_totals(self, c: Checks) -> None:
        relief = cost = Decimal(0)
        for action in self.actions:  # exact sums, in Money's own decimal context
            relief = DECIMAL.add(relief, action.relief.amount)
            cost = DECIMAL.add(cost, action.cost.amount)
        if relief != self.total_relief.amount:
            c.fail("total_relief", self.total_relief, f"the sum of the actions' reliefs ({relief})")
        if cost != self.total_cost.amount:
            c.fail("total_cost", self.total_cost, f"the sum of the actions' costs ({cost})")
        if self.cost_limit is not None and self.total_cost > self.cost_limit:
            c.fail("total_cost", self.total_cost, f"at most the cost limit ({self.cost_limit})")

    @property
    def needs_approval(self) -> bool:
        """Whether any action needs a human's sign-off.

        Example:
            >>> from custadvocacy import Money
            >>> zero = Money("0", "EUR")
            >>> Recommendation(customer_id="C", policy="p", currency="EUR", actions=(),
            ...                total_relief=zero, total_cost=zero).needs_approval
            False
        """
        return any(a.needs_approval for a in self.actions)

    @property
    def approvals(self) -> tuple[RecommendedAction, ...]:
        """The actions that need a human's sign-off, in rank order.

        Example:
            >>> from custadvocacy import Money
            >>> zero = Money("0", "EUR")
            >>> Recommendation(customer_id="C", policy="p", currency="EUR", actions=(),
            ...                total_relief=zero, total_cost=zero).approvals
            ()
        """
        return tuple(a for a in self.actions if a.needs_approval)

    @property
    def codes(self) -> tuple[str, ...]:
        """The recommended action codes, in rank order (a code may repeat per incident).

        Example:
            >>> from custadvocacy import Money
            >>> zero = Money("0", "EUR")
            >>> Recommendation(customer_id="C", policy="p", currency="EUR", actions=(),
            ...                total_relief=zero, total_cost=zero).codes
            ()
        """
        return tuple(a.code for a in self.actions)

    def __repr__(self) -> str:
        shown = ", ".join(a.code for a in self.actions[:5])
        more = f", +{len(self.actions) - 5}" if len(self.actions) > 5 else ""
        what = f"actions=[{shown}{more}]" if self.actions else "no actions"
        flag = ", needs approval" if self.needs_approval else ""
        return (
            f"Recommendation({self.customer_id!r}, {self.policy!r}, {what}, "
            f"relief={self.total_relief}, cost={self.total_cost}{flag})"
        )


# The built-in policies assemble their results from a validated catalog, customer and
# context, amounts in whole minor units and texts they format: valid by construction,
# except for what grows with the inputs (how many reasons, how long, how many ids).
# Those are checked here, cheaply; anything outside them goes through the full checks,
# which then say what is wrong (tests/test_trusted.py re-validates the results).
_new_action: Final = builder(RecommendedAction)
_new_recommendation: Final = builder(Recommendation)


def built_action(
    *,
    code: str,
    label: str,
    proactive: bool,
    incident_ids: tuple[str, ...],
    order_ids: tuple[str, ...],
    relief: Money,
    cost: Money,
    net_value: Money,
    needs_approval: bool,
    reasons: tuple[str, ...],
    rank: int,
) -> RecommendedAction:
    """A :class:`RecommendedAction` a built-in policy assembled (checked only where needed)."""
    trusted = (
        len(incident_ids) <= _MAX_IDS
        and len(order_ids) <= _MAX_IDS
        and 1 <= rank <= _MAX_ACTIONS
        and relief.amount >= 0
        and cost.amount >= 0
        and _fast_texts(reasons, MAX_REASONS, MAX_TEXT_LENGTH)
    )
    return (_new_action if trusted else RecommendedAction)(
        code=code,
        label=label,
        proactive=proactive,
        incident_ids=incident_ids,
        order_ids=order_ids,
        relief=relief,
        cost=cost,
        net_value=net_value,
        needs_approval=needs_approval,
        reasons=reasons,
        rank=rank,
    )


def built_recommendation(
    *,
    customer_id: str,
    policy: str,
    currency: str,
    actions: tuple[RecommendedAction, ...],
    total_relief: Money,
    total_cost: Money,
    reasons: tuple[str, ...],
    cost_limit: Money | None,
) -> Recommendation:
    """A :class:`Recommendation` a built-in policy assembled from its ranked actions.

    The totals must be the sums of the actions' (the policies sum the same minor units).
    """
    trusted = (
        0 < len(policy) <= MAX_ID_LENGTH
        and not policy.isspace()
        and len(actions) <= _MAX_ACTIONS
        and (cost_limit is None or total_cost.amount <= cost_limit.amount)
        and _fast_texts(reasons, MAX_REASONS, MAX_TEXT_LENGTH)
    )
    return (_new_recommendation if trusted else Recommendation)(
        customer_id=customer_id,
        policy=policy,
        currency=currency,
        actions=actions,
        total_relief=total_relief,
        total_cost=total_cost,
        reasons=reasons,
        cost_limit=cost_limit,
    )


@runtime_checkable
class RecommendationPolicy(Protocol):
    """What a recommendation policy is: a ``name`` and ``recommend(...)`` (nothing to inherit).

    ``recommend`` must be pure (no I/O, no clock: the moment is ``context.as_of``),
    must not mutate its arguments, must give the same result for the same inputs in
    any order, and must return a :class:`Recommendation` of ``customer`` in
    ``context.currency`` whose actions come from ``catalog``, answer the kinds of the
    incidents they name, and relieve no more than the estimated loss.
    :func:`run_policy` checks the result.

    Example:
        >>> from custadvocacy.policies import CustomerFirstPolicy
        >>> isinstance(CustomerFirstPolicy(), RecommendationPolicy)
        True

    .. versionadded:: 0.1.0
    """

    @property
    def name(self) -> str:
        """Short identifier of the policy, stored in every :class:`Recommendation` it makes."""
        ...

    def recommend(  # noqa: PLR0917 - the protocol's positional signature, as assess() calls it
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        score: AdvocacyScore,
        catalog: ActionCatalog,
        context: Context,
    ) -> Recommendation:
        """Return the ranked actions for ``customer`` as of ``context.as_of``.

        Args:
            customer: The customer.
            orders: Their orders.
            incidents: Their incidents.
            impacts: The incidents' impacts, in ``context.currency``.
            forecasts: Forecasts of their open orders, in ``context.currency``.
            score: Their advocacy score.
            catalog: The actions the vendor offers.
            context: ``as_of``, the reporting currency and the rates.
        """
        ...


def _usable(policy: object) -> None:
    if given_class := class_given("policy", policy, "recommend"):
        raise ConfigurationError(given_class)
    missing = []
    name = getattr(policy, "name", None)
    if not isinstance(name, str) or not name.strip():
        missing.append("a non-empty string 'name'")
    if not callable(getattr(policy, "recommend", None)):
        missing.append(
            "a recommend(customer, orders, incidents, impacts, forecasts, score, catalog, "
            "context) method"
        )
    if missing:
        raise ConfigurationError(
            f"policy {short_repr(policy)} cannot be used: it lacks {'; '.join(missing)}"
        )


def run_policy(  # noqa: PLR0917 - the protocol's positional signature, plus the policy
    policy: RecommendationPolicy,
    customer: Customer,
    orders: Sequence[Order],
    incidents: Sequence[Incident],
    impacts: Sequence[Impact],
    forecasts: Sequence[Forecast],
    score: AdvocacyScore,
    catalog: ActionCatalog,
    context: Context,
) -> Recommendation:
    """Call ``policy.recommend(...)`` and check what it returns; the way to run a plug-in.

    Checked: the policy has a ``name`` and a ``recommend`` method; the result is a
    :class:`Recommendation` of this customer in the reporting currency; every action
    is in ``catalog``, names only given incidents and orders, and answers the kind of
    every incident it names (an action naming only orders must be proactive and answer
    ``late_delivery``); the total relief is not above the estimated loss (the impacts'
    expected losses plus the forecasts' risks).

    Raises:
        ConfigurationError: The policy cannot be used, or its result breaks a rule
            (the message names the policy and every broken rule).

    Example:
        >>> from custadvocacy import AdvocacyScorer, estimate_impacts, forecast_orders
        >>> from custadvocacy import default_catalog
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> from custadvocacy.policies import CustomerFirstPolicy
        >>> ctx = example_context()
        >>> customer, orders, incidents = example_portfolio().for_customer("C01")
        >>> impacts = estimate_impacts(customer, orders, incidents, ctx)
        >>> forecasts = forecast_orders(customer, orders, ctx)
        >>> score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
        >>> rec = run_policy(CustomerFirstPolicy(), customer, orders, incidents, impacts,
        ...                  forecasts, score, default_catalog(), ctx)
        >>> rec.codes[0]
        'service_credit_delivery'
        >>> class Broken:
        ...     name = "broken"
        >>> run_policy(Broken(), customer, orders, incidents, impacts, forecasts, score,
        ...            default_catalog(), ctx)
        Traceback (most recent call last):
        ...
        custadvocacy...ConfigurationError: policy <...Broken object at ...> cannot be used: it lacks a recommend(...) method

    .. versionadded:: 0.1.0
    """
    _usable(policy)
    result: object = policy.recommend(
        customer, orders, incidents, impacts, forecasts, score, catalog, context
    )
    messages = _result_problems(
        result,
        customer=customer,
        incidents=incidents,
        orders=orders,
        catalog=catalog,
        context=context,
    )
    if not messages and isinstance(result, Recommendation):
        messages = _relief_problems(result, incidents, impacts, forecasts, context)
    if messages:
        raise ConfigurationError(
            f"policy {policy.name!r} returned a recommendation for customer {customer.id!r} "
            "that breaks the rules:\n  " + "\n  ".join(messages)
        )
    return result  # type: ignore[return-value]


def _result_problems(
    result: object,
    *,
    customer: Customer,
    incidents: Sequence[Incident],
    orders: Sequence[Order],
    catalog: ActionCatalog,
    context: Context,
) -> list[str]:
    if not isinstance(result, Recommendation):
        return [f"expected a Recommendation, got {short_repr(result)}"]
    messages = []
    if result.customer_id != customer.id:
        messages.append(f"customer_id is {result.customer_id!r}, not {customer.id!r}")
    if result.currency != context.currency:
        messages.append(f"currency is {result.currency!r}, not {context.currency!r}")
    kinds = {i.id: i.kind for i in incidents}
    order_ids = {o.id for o in orders}
    for i, action in enumerate(result.actions):
        where = f"actions[{i}] ({action.code!r})"
        if action.code not in catalog:
            messages.append(f"{where} is not in the catalog")
            continue
        known = catalog.get(action.code)
        for incident_id in action.incident_ids:
            kind = kinds.get(incident_id)
            if kind is None:
                messages.append(f"{where} names {incident_id!r}, which is not a given incident")
            elif kind not in known.kinds:
                messages.append(f"{where} does not apply to {incident_id!r} ({kind.value})")
        messages.extend(
            f"{where} names {order_id!r}, which is not a given order"
            for order_id in action.order_ids
            if order_id not in order_ids
        )
        if not action.incident_ids and not (
            known.proactive and IncidentKind.LATE_DELIVERY in known.kinds
        ):
            messages.append(
                f"{where} names no incident, and only proactive late-delivery actions may "
                "answer a forecast"
            )
    return messages


def _relief_problems(
    result: Recommendation,
    incidents: Sequence[Incident],
    impacts: Sequence[Impact],
    forecasts: Sequence[Forecast],
    context: Context,
) -> list[str]:
    # A late order's forecast overlaps its late deliveries' impacts: counted once.
    beyond = risk_beyond_incidents(forecasts, incidents, impacts, context.as_of)
    estimated = math.fsum(i.expected for i in impacts) + math.fsum(r for _, r in beyond)
    ceiling = money_from_cents(cents_up(estimated, scale_of(context.currency)), context.currency)
    if result.total_relief > ceiling:
        return [
            (
                f"total relief {result.total_relief} exceeds the estimated loss "
                f"({money_text(estimated, context.currency)}: impacts plus the forecasts' "
                "risk beyond them)"
            )
        ]
    return []
