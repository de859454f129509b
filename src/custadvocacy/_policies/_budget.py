"""The portfolio budget: one budget spread over many customers' recommended actions.

The problem is a knapsack: choose actions to maximise the customer loss relieved
with their total cost within the budget, the cost per customer within a limit and
every action's cost within a limit. :func:`allocate_budget` solves it exactly by
branch and bound when there are few candidates, and greedily by relief per unit of
cost otherwise; either way it states the gap to the linear-programming bound (the
best relief if actions could be bought in fractions), which no allocation can beat.
All arithmetic is in whole minor units (exact integers).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

import attrs

from custadvocacy._checks import MAX_ID_LENGTH, Checks
from custadvocacy._money import Money
from custadvocacy._policies._common import (
    MAX_REASONS,
    PolicyConfigError,
    money_from_cents,
    scale_of,
)
from custadvocacy._policies._model import Recommendation, RecommendedAction

__all__ = ["BudgetAllocation", "BudgetItem", "allocate_budget"]

DEFAULT_EXACT_LIMIT: Final = 24
"""Most candidate actions :func:`allocate_budget` solves exactly by default."""

_MAX_EXACT: Final = 40
_NODE_LIMIT: Final = 200_000  # branch-and-bound nodes before settling for the best found

Method = Literal["exact", "greedy"]

# An amount between minor units is never counted in its favour: reliefs and limits are
# rounded down, costs up. The allocator and the allocation's own check use the same rule.
_DOWN: Final = "ROUND_FLOOR"
_UP: Final = "ROUND_CEILING"


@attrs.frozen(kw_only=True)
class BudgetItem:
    """One customer's recommended action in a budget allocation, and why it is in or out.

    Attributes:
        customer_id: The customer.
        action: The recommended action (its relief and cost are what the budget weighs).
        reason: Why it was funded or not, in words.

    Example:
        >>> from custadvocacy import Money
        >>> item = BudgetItem(customer_id="C01", action=RecommendedAction(
        ...     code="named_contact", label="Named contact", proactive=False,
        ...     incident_ids=("INC-101",), order_ids=(), relief=Money("10.00", "EUR"),
        ...     cost=Money("0.00", "EUR"), net_value=Money("10.00", "EUR"),
        ...     needs_approval=False), reason="costs nothing")
        >>> item.action.code
        'named_contact'

    .. versionadded:: 0.1.0
    """

    customer_id: str
    action: RecommendedAction
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.instance("action", self.action, RecommendedAction, "a RecommendedAction")
        c.text("reason", self.reason, max_length=2_000, blank=True)
        c.done()


@attrs.frozen(kw_only=True, repr=False)
class BudgetAllocation:
    """Which recommended actions one budget funds across a portfolio, and how close to optimal.

    Attributes:
        currency: The currency of every amount (the budget's).
        budget: The budget.
        spent: Total cost of the funded actions (never above ``budget``), each cost
            rounded up to the currency's minor unit (policies state whole minor units
            already; a cost between cents is not flattered).
        relief: Total customer loss the funded actions relieve, each relief rounded
            down to the minor unit.
        funded: The funded actions, best relief per cost first.
        unfunded: The actions left out, each with its reason.
        method: ``"exact"`` (branch and bound, proven optimal) or ``"greedy"`` (by
            relief per cost).
        upper_bound: The linear-programming bound: no allocation within the same
            limits relieves more.
        gap: ``upper_bound - relief`` (>= 0): how much a better allocation could at
            most add.
        reasons: How it was solved and what bound it.

    Raises:
        ValidationError: A field is not acceptable, or the figures disagree: an amount in
            another currency, ``spent`` or ``relief`` not the funded actions' total,
            ``spent`` above the budget, ``upper_bound`` below ``relief``, ``gap`` not
            their difference.

    Example:
        >>> from custadvocacy import Money
        >>> empty = allocate_budget([], Money("1000", "EUR"))
        >>> empty
        BudgetAllocation(budget=1,000.00 EUR, spent=0.00 EUR, relief=0.00 EUR, funded=0, unfunded=0, exact, gap=0.00 EUR)

    .. versionadded:: 0.1.0
    """

    currency: str
    budget: Money
    spent: Money
    relief: Money
    funded: tuple[BudgetItem, ...]
    unfunded: tuple[BudgetItem, ...]
    method: str
    upper_bound: Money
    gap: Money
    reasons: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.currency("currency", self.currency)
        for name in ("budget", "spent", "relief", "upper_bound", "gap"):
            c.money(name, getattr(self, name))
        c.instance("funded", self.funded, tuple, "a tuple of BudgetItem")
        c.instance("unfunded", self.unfunded, tuple, "a tuple of BudgetItem")
        if self.method not in ("exact", "greedy"):
            c.fail("method", self.method, "'exact' or 'greedy'")
        for name in ("funded", "unfunded"):
            items: object = getattr(self, name)
            if isinstance(items, tuple):
                for i, item in enumerate(items):
                    c.instance(f"{name}[{i}]", item, BudgetItem, "a BudgetItem")
        c.done()
        # A host may build one from stored data (from_dict): its figures must agree.
        c = Checks()
        self._check_currencies(c)
        if not c.problems:
            self._check_totals(c)
        c.done()

    def _check_currencies(self, c: Checks) -> None:
        currency = self.currency
        for name in ("budget", "spent", "relief", "upper_bound", "gap"):
            money: Money = getattr(self, name)
            if money.currency != currency:
                c.fail(f"{name}.currency", money.currency, f"{currency!r} (the allocation's)")
        for i, item in enumerate(self.funded):
            if item.action.cost.currency != currency:
                c.fail(
                    f"funded[{i}].action.cost.currency", item.action.cost.currency, repr(currency)
                )

    def _check_totals(self, c: Checks) -> None:
        zero = Money.zero(self.currency).rounded()
        # As allocate_budget counts them: costs rounded up, reliefs down (see _Item).
        cost = sum((item.action.cost.rounded(_UP) for item in self.funded), zero)
        relief = sum((item.action.relief.rounded(_DOWN) for item in self.funded), zero)
        if self.spent != cost:
            c.fail("spent", self.spent, f"the funded actions' cost ({cost})")
        if self.relief != relief:
            c.fail("relief", self.relief, f"the funded actions' relief ({relief})")
        if self.spent > self.budget:
            c.fail("spent", self.spent, f"at most the budget ({self.budget})")
        if self.upper_bound < self.relief:
            c.fail("upper_bound", self.upper_bound, f"at least the relief ({self.relief})")
        elif self.gap != self.upper_bound - self.relief:
            c.fail("gap", self.gap, f"upper_bound - relief ({self.upper_bound - self.relief})")

    @property
    def optimal(self) -> bool:
        """Whether the allocation is proven optimal (solved exactly).

        Example:
            >>> from custadvocacy import Money
            >>> allocate_budget([], Money("0", "EUR")).optimal
            True
        """
        return self.method == "exact"

    def for_customer(self, customer_id: str) -> tuple[BudgetItem, ...]:
        """Return the funded actions of ``customer_id``, in allocation order.

        Example:
            >>> from custadvocacy import Money
            >>> allocate_budget([], Money("0", "EUR")).for_customer("C01")
            ()
        """
        return tuple(item for item in self.funded if item.customer_id == customer_id)

    def __repr__(self) -> str:
        return (
            f"BudgetAllocation(budget={self.budget}, spent={self.spent}, relief={self.relief}, "
            f"funded={len(self.funded)}, unfunded={len(self.unfunded)}, {self.method}, "
            f"gap={self.gap})"
        )


class _Item:
    __slots__ = ("action", "cost", "customer", "relief")

    def __init__(self, customer: str, action: RecommendedAction, scale: int) -> None:
        self.customer = customer
        self.action = action
        self.relief = _units(action.relief.amount, scale, _DOWN)
        self.cost = _units(action.cost.amount, scale, _UP)

    def key(self) -> tuple[bool, Fraction, int, str | int, int]:
        return exact_key(self.relief, self.cost, self.customer, self.action.rank)


def exact_key(
    relief: int, cost: int, customer: str | int, rank: int
) -> tuple[bool, Fraction, int, str | int, int]:
    """The order both budget solvers (objects and batch) take candidates in.

    Free actions first (``False`` sorts before ``True``), then relief per cost as an exact
    fraction, best first; ties by relief, then the customer and the action's rank.
    """
    paid = cost > 0
    # Every free action has the same ratio, whichever: a mutant of it is equivalent.
    ratio = Fraction(relief, cost) if paid else Fraction(0)  # pragma: no mutate
    return (paid, -ratio, -relief, customer, rank)


def _units(amount: Decimal, scale: int, rounding: str) -> int:
    return int((amount * scale).to_integral_value(rounding=rounding))


def limits_in_units(
    scale: int, budget: Money, per_customer_limit: Money | None, per_action_limit: Money | None
) -> tuple[int, int | None, int | None]:
    """The budget and the limits (``None``: none) in whole minor units, rounded down.

    Rounded down, a limit is never exceeded. Both budget solvers, for objects and for the
    batch, read their limits so.
    """
    customer = (
        None if per_customer_limit is None else _units(per_customer_limit.amount, scale, _DOWN)
    )
    action = None if per_action_limit is None else _units(per_action_limit.amount, scale, _DOWN)
    return _units(budget.amount, scale, _DOWN), customer, action


def allocate_budget(
    recommendations: Sequence[Recommendation],
    budget: Money,
    *,
    per_customer_limit: Money | None = None,
    per_action_limit: Money | None = None,
    exact_limit: int = DEFAULT_EXACT_LIMIT,
) -> BudgetAllocation:
    """Spread ``budget`` over the recommended actions of many customers, relief first.

    Candidates are every action of ``recommendations`` (give each customer a generous
    candidate list, e.g. from :class:`CustomerFirstPolicy` with a high or no cost
    limit). An action that costs more than ``per_action_limit``, or relieves nothing
    while costing something, is left out with its reason. The rest are chosen to
    maximise the total relief with the total cost within ``budget`` and each
    customer's within ``per_customer_limit``:

    - exactly (branch and bound, proven optimal) when at most ``exact_limit`` remain;
    - otherwise greedily, by relief per unit of cost (free actions first; ties by
      relief, customer id, rank).

    Either way ``upper_bound`` is the linear-programming bound (actions bought in
    fractions, greedy by relief per cost, which is optimal for that relaxation) and
    ``gap = upper_bound - relief``. Reliefs are taken as the recommendations state
    them: within one customer they are marginal (each on top of the ones ranked before
    it), so funding only some of them relieves at least what is counted.

    Args:
        recommendations: One per customer (unique customer ids), all in the budget's
            currency. Their order does not matter.
        budget: The total to spend (Money >= 0).
        per_customer_limit: Most any one customer's funded actions may cost together.
        per_action_limit: Most any one action may cost.
        exact_limit: Most candidates solved exactly (0-40); above it, greedy.

    Returns:
        The allocation: funded and unfunded actions, totals, method and gap.

    Raises:
        PolicyConfigError: An argument is not acceptable (a ConfigurationError and
            ValidationError naming it; every problem listed).

    Example:
        >>> from custadvocacy import AdvocacyScorer, Money, default_catalog
        >>> from custadvocacy import estimate_impacts, forecast_orders
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> from custadvocacy.policies import CustomerFirstPolicy, PolicySettings
        >>> ctx, catalog = example_context(), default_catalog()
        >>> unlimited = CustomerFirstPolicy(settings=PolicySettings(cost_limit_share=None))
        >>> recs = []
        >>> for customer, orders, incidents in example_portfolio().groups():
        ...     impacts = estimate_impacts(customer, orders, incidents, ctx)
        ...     forecasts = forecast_orders(customer, orders, ctx)
        ...     score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
        ...     recs.append(unlimited.recommend(customer, orders, incidents, impacts,
        ...                                     forecasts, score, catalog, ctx))
        >>> allocation = allocate_budget(recs, Money("30000", "EUR"),
        ...                              per_customer_limit=Money("15000", "EUR"))
        >>> allocation
        BudgetAllocation(budget=30,000.00 EUR, spent=27,686.66 EUR, relief=113,376.54 EUR, funded=19, unfunded=6, exact, gap=0.00 EUR)
        >>> print(allocation.reasons[0])
        exact: branch and bound over ...

    .. versionadded:: 0.1.0
    """
    currency = _check_arguments(
        recommendations, budget, per_customer_limit, per_action_limit, exact_limit
    )
    scale = scale_of(currency)
    budget_units, customer_cap, action_cap = limits_in_units(
        scale, budget, per_customer_limit, per_action_limit
    )
    unfunded: list[tuple[_Item, str]] = []
    items: list[_Item] = []
    for rec in sorted(recommendations, key=lambda r: r.customer_id):
        for action in rec.actions:
            item = _Item(rec.customer_id, action, scale)
            if action_cap is not None and item.cost > action_cap:
                unfunded.append((item, f"costs more than the per-action limit {per_action_limit}"))
            elif item.relief == 0 and item.cost > 0:
                unfunded.append((item, "relieves no measured loss"))
            elif customer_cap is not None and item.cost > customer_cap:
                unfunded.append(
                    (item, f"costs more than the per-customer limit {per_customer_limit}")
                )
            else:
                items.append(item)
    items.sort(key=_Item.key)
    solver = _Solver(items, budget_units, customer_cap)
    chosen = solver.greedy()
    method: Method = "greedy"
    if len(items) <= exact_limit:
        chosen, proven = solver.exact(chosen)
        method = "exact" if proven else "greedy"
    bound = solver.bound(budget_units, {})
    picked = set(chosen)
    funded = [(items[i], "funded") for i in sorted(picked)]
    for i, item in enumerate(items):
        if i not in picked:
            unfunded.append((item, "left out: the budget or the customer's limit is spent"))
    relief = sum(items[i].relief for i in picked)
    spent = sum(items[i].cost for i in picked)
    upper = max(int(bound), relief)  # the floor of the bound, never below what was found
    reasons = [_method_text(method, len(items), exact_limit, solver.nodes)]
    reasons.append(
        f"relief {money_from_cents(relief, currency)} of an upper bound "
        f"{money_from_cents(upper, currency)} (gap {money_from_cents(upper - relief, currency)})"
    )
    return BudgetAllocation(
        currency=currency,
        budget=budget,
        spent=money_from_cents(spent, currency),
        relief=money_from_cents(relief, currency),
        funded=tuple(_item(item, why) for item, why in funded),
        unfunded=tuple(
            _item(item, why)
            for item, why in sorted(
                unfunded, key=lambda pair: (pair[0].customer, pair[0].action.rank)
            )
        ),
        method=method,
        upper_bound=money_from_cents(upper, currency),
        gap=money_from_cents(upper - relief, currency),
        reasons=tuple(reasons[:MAX_REASONS]),
    )


def _item(item: _Item, reason: str) -> BudgetItem:
    return BudgetItem(customer_id=item.customer, action=item.action, reason=reason)


def _method_text(method: Method, count: int, exact_limit: int, nodes: int) -> str:
    if method == "exact":
        return f"exact: branch and bound over {count} candidate actions ({nodes} nodes), optimal"
    if count <= exact_limit:
        return (
            f"greedy by relief per unit of cost over {count} candidate actions (the exact "
            f"search stopped after {nodes} nodes; the best found is kept)"
        )
    return (
        f"greedy by relief per unit of cost over {count} candidate actions (more than "
        f"{exact_limit} to solve exactly)"
    )


class _Solver:
    """Greedy, LP bound and branch and bound over items sorted by relief per cost."""

    def __init__(self, items: list[_Item], budget: int, customer_cap: int | None) -> None:
        self.items = items
        self.budget = budget
        self.cap = customer_cap
        self.nodes = 0

    def _room(self, spent: dict[str, int], customer: str, left: int) -> int:
        if self.cap is None:
            return left
        return min(left, self.cap - spent.get(customer, 0))

    def greedy(self) -> list[int]:
        left = self.budget
        spent: dict[str, int] = {}
        chosen = []
        for i, item in enumerate(self.items):
            if item.cost <= self._room(spent, item.customer, left):
                chosen.append(i)
                left -= item.cost
                spent[item.customer] = spent.get(item.customer, 0) + item.cost
        return chosen

    def bound(self, left: int, spent: dict[str, int], start: int = 0) -> Fraction:
        """The LP bound of the relief items ``start...`` can add within ``left``."""
        used = dict(spent)
        total = Fraction(0)
        for item in self.items[start:]:
            room = self._room(used, item.customer, left)
            if item.cost <= room:
                total += item.relief
                left -= item.cost
                used[item.customer] = used.get(item.customer, 0) + item.cost
            elif room > 0:  # pragma: no mutate (without room a part adds 0: a shortcut)
                total += Fraction(item.relief * room, item.cost)
                left -= room
                # The customer's limit or the budget is spent now; a later action of the
                # customer gets no room either way (free actions all come first).
                used[item.customer] = used.get(item.customer, 0) + room  # pragma: no mutate
        return total

    def exact(self, start: list[int]) -> tuple[list[int], bool]:
        """Branch and bound from the greedy solution; return the best and whether proven."""
        best = list(start)
        best_value = (
            sum(self.items[i].relief for i in best),
            -sum(self.items[i].cost for i in best),
        )
        stack: list[tuple[int, int, dict[str, int], tuple[int, ...], int, int]] = [
            (0, self.budget, {}, (), 0, 0)
        ]
        while stack:
            if self.nodes >= _NODE_LIMIT:
                return best, False
            index, left, spent, taken, relief, cost = stack.pop()
            self.nodes += 1
            if (relief, -cost) > best_value:
                best, best_value = list(taken), (relief, -cost)
            if index == len(self.items):
                continue
            if relief + self.bound(left, spent, index) < best_value[0]:
                continue
            item = self.items[index]
            stack.append((index + 1, left, spent, taken, relief, cost))  # without it
            if item.cost <= self._room(spent, item.customer, left):
                with_it = dict(spent)
                with_it[item.customer] = with_it.get(item.customer, 0) + item.cost
                stack.append(
                    (
                        index + 1,
                        left - item.cost,
                        with_it,
                        (*taken, index),
                        relief + item.relief,
                        cost + item.cost,
                    )
                )
        return best, True


def check_budget_options(
    budget: object, limits: tuple[object, object], exact_limit: object, currency: str
) -> None:
    """Raise :class:`PolicyConfigError` listing every bad budget argument (none: return).

    Checked before anything is assessed: the budget (Money in the reporting ``currency``),
    the two limits (``per_customer_limit``, ``per_action_limit``: None or Money in the
    budget's currency) and ``exact_limit``.

    Example:
        >>> check_budget_options(Money("100", "CZK"), (None, None), 24, "EUR")
        Traceback (most recent call last):
        ...
        custadvocacy...PolicyConfigError: 1 problem:
          budget.currency: expected 'EUR' (the reporting currency), got 'CZK'
    """
    c = Checks()
    _budget_problems(c, budget, limits, exact_limit, reporting=currency)
    if c.problems:
        raise PolicyConfigError(c.problems)


def _budget_problems(
    c: Checks,
    budget: object,
    limits: tuple[object, object],
    exact_limit: object,
    *,
    reporting: str = "",
) -> None:
    """Note the problems of a budget, its limits and ``exact_limit`` in ``c``.

    With ``reporting``, the budget must be in that currency (an allocation over
    assessments, whose actions are in it); the limits must be in the budget's.
    """
    c.money("budget", budget)
    currency = budget.currency if isinstance(budget, Money) else ""
    if reporting and currency and currency != reporting:
        c.fail("budget.currency", currency, f"{reporting!r} (the reporting currency)")
    # The limits go with the budget: in the reporting currency where the budget must be
    # (a wrong budget is the one problem then), else in the budget's own.
    expected = reporting or currency
    names = ("per_customer_limit", "per_action_limit")
    for name, limit in zip(names, limits, strict=True):  # pragma: no mutate (always 2 and 2)
        c.optional_money(name, limit)
        # No currency (a budget that is no Money gave none): nothing to compare with.
        if isinstance(limit, Money) and expected and limit.currency != expected:
            c.fail(f"{name}.currency", limit.currency, f"{expected!r} (the budget's currency)")
    c.number("exact_limit", exact_limit, high=_MAX_EXACT, integer=True)


def _check_arguments(
    recommendations: object,
    budget: object,
    per_customer_limit: object,
    per_action_limit: object,
    exact_limit: object,
) -> str:
    c = Checks()
    _budget_problems(c, budget, (per_customer_limit, per_action_limit), exact_limit)
    currency = budget.currency if isinstance(budget, Money) else ""
    if not isinstance(recommendations, Sequence) or isinstance(recommendations, str):
        c.fail("recommendations", recommendations, "a sequence of Recommendation")
    else:
        seen: set[str] = set()
        for i, rec in enumerate(recommendations):
            if not isinstance(rec, Recommendation):
                c.fail(f"recommendations[{i}]", rec, "a Recommendation")
                continue
            if currency and rec.currency != currency:
                c.fail(
                    f"recommendations[{i}].currency", rec.currency, f"{currency!r} (the budget's)"
                )
            if rec.customer_id in seen:
                c.fail(
                    f"recommendations[{i}].customer_id",
                    rec.customer_id,
                    "one recommendation per customer",
                )
            seen.add(rec.customer_id)
    if c.problems:
        raise PolicyConfigError(c.problems)
    return currency
