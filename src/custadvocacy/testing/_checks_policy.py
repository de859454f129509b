"""The rules a recommendation policy keeps, one small named check per rule.

The rules of the :class:`~custadvocacy.RecommendationPolicy` protocol: ``recommend``
returns a :class:`~custadvocacy.Recommendation` of the customer in the reporting
currency; it stays within its cost limits; it recommends only catalog actions that
answer the kinds of the incidents they name; it relieves no more than the estimated
loss; it gives the same result every time and in any order of the inputs, without
touching them; it survives a pickle round trip; and every amount is Money in the
reporting currency, rounded to its minor unit, as a CRM acts on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from hypothesis import strategies as st

from custadvocacy._context import Context
from custadvocacy._domain import Customer
from custadvocacy._errors import ConfigurationError, short_repr
from custadvocacy._money import _CONTEXT as DECIMAL
from custadvocacy._money import Money
from custadvocacy._plugins import class_given
from custadvocacy._policies import ActionCatalog, PolicySettings, Recommendation
from custadvocacy._policies._model import _relief_problems, _result_problems, _usable
from custadvocacy.testing._checks_cases import CustomerCase, Derived, catalog_line, customer_cases
from custadvocacy.testing._checks_common import (
    Check,
    call,
    changed,
    described,
    difference,
    fail,
    reordered,
    round_trip,
    run_given,
    same_again,
    shown,
    snapshot,
)

ROLE: Final = "policy"

CostLimit = Callable[[Customer, Context], Money | None]
"""What the most a customer's recommendation may cost is, by a policy's own rules."""

_RECOMMEND: Final = (
    "policy.recommend(customer, orders, incidents, impacts, forecasts, score, catalog, context)"
)
_NAMES: Final = (
    "customer",
    "orders",
    "incidents",
    "impacts",
    "forecasts",
    "score",
    "catalog",
    "context",
)
_RESULT_HINT: Final = (
    "Build the result with Recommendation(customer_id=customer.id, policy=self.name, "
    "currency=context.currency, actions=..., total_relief=..., total_cost=...) for the "
    "customer and the context given."
)

_DETERMINISTIC_HINT: Final = (
    "Draw nothing at random, read no clock (the moment is context.as_of), keep no state "
    "between calls, and break ties by a stable key (the built-ins: cost, then action code, "
    "then id)."
)

_RULES: Final = {
    "policy_interface": (
        "a policy has a non-empty string 'name' and a recommend(customer, orders, incidents, "
        "impacts, forecasts, score, catalog, context) method."
    ),
    "returns_recommendation": (
        "recommend() returns a Recommendation of the customer it was given, in "
        "context.currency, whose 'policy' is the policy's name."
    ),
    "within_cost_limits": (
        "the recommendation costs no more than its own cost_limit and than the limit the "
        "policy declares (the cost_limit given to the check, or the larger of "
        "settings.cost_limit_share x the annual value and settings.cost_limit_floor for a "
        "policy with PolicySettings, rounded up to the minor unit), and holds at most "
        "settings.max_actions actions."
    ),
    "applicable_actions": (
        "every action is in the catalog, names only given incidents and orders, and "
        "answers the kind of every incident it names (an action naming no incident must be "
        "a proactive late-delivery action, answering a forecast)."
    ),
    "relief_bounded": (
        "the total relief is not above the estimated loss (the impacts' expected losses "
        "plus the forecasts' risk beyond the late deliveries' impacts on their orders)."
    ),
    "deterministic": "the same input gives the same Recommendation, on every call.",
    "does_not_mutate_inputs": (
        "recommend() leaves every argument (the lists included) exactly as it was."
    ),
    "picklable": (
        "the policy survives a pickle round trip and the copy recommends the same "
        "(Dask and multiprocessing pickle it)."
    ),
    "order_invariant": (
        "the order of the orders, incidents, impacts and forecasts changes nothing: the "
        "same Recommendation."
    ),
    "respects_currency": (
        "every amount (reliefs, costs, net values, totals, the cost limit) is Money in "
        "context.currency rounded to its minor unit, as a CRM acts on it; the drawn contexts "
        "report in currencies of 0, 2 and 3 decimals."
    ),
}


class _Setup:
    """What every policy check needs besides the plug-in: the catalog and the cost limit."""

    __slots__ = ("catalog", "cost_limit", "default_catalog")

    def __init__(
        self, catalog: ActionCatalog, *, default: bool, cost_limit: CostLimit | None
    ) -> None:
        self.catalog = catalog
        self.default_catalog = default
        self.cost_limit = cost_limit


class _Inputs:
    """One call's arguments (lists, so a plug-in could mutate them) and the lines showing them."""

    __slots__ = ("args", "case", "lines")

    def __init__(self, case: CustomerCase, setup: _Setup) -> None:
        derived = case.derived()
        self.case = case
        self.args: list[Any] = [
            case.customer,
            list(case.orders),
            list(case.incidents),
            list(derived.impacts),
            list(derived.forecasts),
            derived.score,
            setup.catalog,
            case.context,
        ]
        self.lines = [
            *case.lines(),
            *Derived.LINES,
            catalog_line(setup.catalog, default=setup.default_catalog),
        ]


def _policy(check: Check) -> Any:
    problem = class_given("it", check.plugin, "recommend")
    if not problem:
        try:
            _usable(check.plugin)
        except ConfigurationError as exc:
            problem = str(exc)
    if problem:
        fail(
            check,
            f"it cannot be run: {problem} (rule 'policy_interface')",
            (),
            hint="A policy is any object with these members (no base class needed); "
            "see docs/testing.md.",
        )
    return check.plugin


def _recommend(check: Check, policy: Any, inputs: _Inputs, *, what: str = _RECOMMEND) -> Any:
    return call(check, inputs.lines, what, lambda: policy.recommend(*inputs.args))


def _recommendation(check: Check, policy: Any, inputs: _Inputs) -> Recommendation:
    result = _recommend(check, policy, inputs)
    if not isinstance(result, Recommendation):
        fail(
            check,
            f"it returned {short_repr(result)}, not a Recommendation (rule "
            "'returns_recommendation')",
            inputs.lines,
            hint=_RESULT_HINT,
        )
    return result


def _same_again(check: Check, policy: Any, inputs: _Inputs, first: object) -> None:
    again = functools.partial(policy.recommend, *inputs.args)
    same_again(check, inputs.lines, _RECOMMEND, again, first, hint=_DETERMINISTIC_HINT)


# ---------------------------------------------------------------------- rules


def _interface(check: Check, setup: _Setup) -> None:
    del setup
    _policy(check)


def _returns_recommendation(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        result = _recommendation(check, policy, inputs)
        expected = {
            "customer_id": case.customer.id,
            "currency": case.context.currency,
            "policy": policy.name,
        }
        problems = [
            f"its {name} is {getattr(result, name)!r}, not {value!r}"
            for name, value in expected.items()
            if getattr(result, name) != value
        ]
        if problems:
            fail(check, "; ".join(problems), inputs.lines, hint=_RESULT_HINT)

    run_given(check, customer_cases(), test)


def declared_limit(
    policy: object, customer: Customer, context: Context, cost_limit: CostLimit | None
) -> Money | None:
    """The most the policy says this customer's actions may cost, in the reporting currency."""
    if cost_limit is not None:
        given = cost_limit(customer, context)
        return None if given is None else context.convert(given)
    settings = getattr(policy, "settings", None)
    if not isinstance(settings, PolicySettings) or settings.cost_limit_share is None:
        return None
    annual = context.convert(customer.annual_value).amount
    by_share = DECIMAL.multiply(annual, Decimal(repr(settings.cost_limit_share)))
    floor = context.convert(settings.cost_limit_floor).amount
    return Money(max(by_share, floor), context.currency)


def limit_problems(result: Recommendation, limit: Money | None, settings: object) -> list[str]:
    """How ``result`` exceeds its own cost limit, ``limit`` or the settings' action count."""
    problems = []
    own = result.cost_limit
    if own is not None and result.total_cost > own:
        problems.append(f"total_cost {result.total_cost} is above its own cost_limit {own}")
    if limit is not None:
        # Rounded up: a policy computing the limit in floats may land on the next minor
        # unit below the exact limit's, never above its ceiling.
        ceiling = limit.rounded("ROUND_CEILING")
        if result.total_cost.currency == limit.currency and result.total_cost > ceiling:
            problems.append(f"total_cost {result.total_cost} is above the declared limit {ceiling}")
    if isinstance(settings, PolicySettings) and len(result.actions) > settings.max_actions:
        problems.append(
            f"{len(result.actions)} actions, above settings.max_actions = {settings.max_actions}"
        )
    return problems


def _within_cost_limits(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        result = _recommendation(check, policy, inputs)
        limit = call(
            check,
            inputs.lines,
            "the cost_limit given to the check",
            lambda: declared_limit(policy, case.customer, case.context, setup.cost_limit),
        )
        problems = limit_problems(result, limit, getattr(policy, "settings", None))
        if problems:
            fail(
                check,
                "; ".join(problems),
                inputs.lines,
                hint="Add an action only while the running total stays within the limit "
                "(the built-ins check each candidate's cost against what is left), and "
                "state the limit in Recommendation.cost_limit.",
            )

    run_given(check, customer_cases(), test)


def _applicable_actions(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        result = _recommendation(check, policy, inputs)
        messages = _result_problems(
            result,
            customer=case.customer,
            incidents=case.incidents,
            orders=case.orders,
            catalog=setup.catalog,
            context=case.context,
        )
        problems = [m for m in messages if m.startswith("actions[")]
        if problems:
            fail(
                check,
                "; ".join(problems),
                inputs.lines,
                hint="Choose, for each incident, only catalog actions whose 'kinds' list the "
                "incident's kind (catalog.get(code).kinds); proactive late-delivery "
                "actions alone may answer a forecast without naming an incident.",
            )

    run_given(check, customer_cases(), test)


def _relief_bounded(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        result = _recommendation(check, policy, inputs)
        problems = _relief_problems(
            result, inputs.args[2], inputs.args[3], inputs.args[4], case.context
        )
        if problems:
            fail(
                check,
                "; ".join(problems),
                inputs.lines,
                hint="Size each action's relief on what the actions before it left of the "
                "loss, never on the whole loss again; and count a late order's loss once: "
                "its late or partial deliveries' impacts are part of its forecast's risk, "
                "so add only the risk beyond them.",
            )

    run_given(check, customer_cases(), test)


def _deterministic(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        first = _recommend(check, policy, inputs)
        second = _recommend(check, policy, inputs, what=f"a second {_RECOMMEND}")
        if first != second:
            found = "two calls on the same input differ: " + difference(first, second, "result")
            fail(check, found, inputs.lines, hint=_DETERMINISTIC_HINT)

    run_given(check, customer_cases(), test)


def _does_not_mutate(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        before = snapshot(inputs.args)
        _recommend(check, policy, inputs)
        diffs = changed(_NAMES, before, inputs.args)
        if diffs:
            fail(
                check,
                "recommend() changed its input: " + "; ".join(diffs),
                inputs.lines,
                hint="The lines rebuild the input as it was before the call. Sort or filter "
                "into new lists instead of changing the ones given.",
            )

    run_given(check, customer_cases(), test)


def _picklable(check: Check, setup: _Setup) -> None:
    policy = _policy(check)
    hint = (
        "Dask and multiprocessing pickle the policy: keep no lambdas, open files or locks "
        "in its attributes, and define the class at module level."
    )
    try:
        clone = round_trip(policy)
    except Exception as exc:  # noqa: BLE001 - whatever pickle raises is the finding
        fail(check, f"pickling the policy raised {described(exc)}", (), hint=hint)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        result = _recommend(check, policy, inputs)
        again = _recommend(check, clone, inputs, what=f"the unpickled copy's {_RECOMMEND}")
        if result != again:
            _same_again(check, policy, inputs, result)
            found = "the unpickled copy recommends otherwise: " + difference(
                result, again, "result"
            )
            fail(check, found, inputs.lines, hint=hint)

    run_given(check, customer_cases(), test)


def _order_invariant(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(pair: tuple[CustomerCase, st.DataObject]) -> None:
        case, data = pair
        inputs = _Inputs(case, setup)
        first = _recommend(check, policy, inputs)
        moved = list(inputs.args)
        for i in range(1, 5):
            moved[i] = reordered(data, inputs.args[i], _NAMES[i])
        lines = [*inputs.lines, *(shown(f"{_NAMES[i]}_reordered", moved[i]) for i in range(1, 5))]
        second = call(
            check, lines, "recommend() on the reordered lists", lambda: policy.recommend(*moved)
        )
        if first != second:
            _same_again(check, policy, inputs, first)
            found = "reordering the inputs changes the recommendation: " + difference(
                first, second, "result"
            )
            fail(
                check,
                found,
                lines,
                hint="Sort the inputs by id before using them and break ties by a stable key.",
            )

    run_given(check, st.tuples(customer_cases(), st.data()), test)


def money_problems(result: Recommendation, currency: str) -> list[str]:
    """Every amount of ``result`` not in ``currency`` or not rounded to its minor unit."""
    amounts: list[tuple[str, Money | None]] = [
        ("total_relief", result.total_relief),
        ("total_cost", result.total_cost),
        ("cost_limit", result.cost_limit),
    ]
    for i, action in enumerate(result.actions):
        amounts.extend(
            (f"actions[{i}].{name}", getattr(action, name))
            for name in ("relief", "cost", "net_value")
        )
    problems = []
    for name, money in amounts:
        if money is None:
            continue
        if money.currency != currency:
            problems.append(f"{name} is {money!r}, not in {currency}")
        elif money.rounded() != money:
            problems.append(
                f"{name} is {money!r}, not rounded to {currency}'s {money.minor_unit} decimals"
            )
    return problems


def _respects_currency(check: Check, setup: _Setup) -> None:
    policy = _policy(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case, setup)
        result = _recommendation(check, policy, inputs)
        problems = money_problems(result, case.context.currency)
        if problems:
            fail(
                check,
                "; ".join(problems),
                inputs.lines,
                hint="Compute in the reporting currency (context.to_float, context.convert) "
                "and round what the CRM acts on: Money(amount, context.currency).rounded().",
            )

    run_given(check, customer_cases(), test)


_BODIES: Final[dict[str, Callable[[Check, _Setup], None]]] = {
    "policy_interface": _interface,
    "returns_recommendation": _returns_recommendation,
    "within_cost_limits": _within_cost_limits,
    "applicable_actions": _applicable_actions,
    "relief_bounded": _relief_bounded,
    "deterministic": _deterministic,
    "does_not_mutate_inputs": _does_not_mutate,
    "picklable": _picklable,
    "order_invariant": _order_invariant,
    "respects_currency": _respects_currency,
}


def checks(
    policy: object,
    *,
    max_examples: int,
    catalog: ActionCatalog,
    default_catalog: bool,
    cost_limit: CostLimit | None,
) -> list[Check]:
    """The policy checks, in order (see the module docstring)."""
    setup = _Setup(catalog, default=default_catalog, cost_limit=cost_limit)
    return [
        Check(
            name=name,
            rule=_RULES[name],
            role=ROLE,
            plugin=policy,
            max_examples=max_examples,
            body=_bound(body, setup),
        )
        for name, body in _BODIES.items()
    ]


def _bound(body: Callable[[Check, _Setup], None], setup: _Setup) -> Callable[[Check], None]:
    return lambda check: body(check, setup)
