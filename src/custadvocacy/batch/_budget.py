"""The portfolio budget on columns: :func:`~custadvocacy.policies.allocate_budget`'s rules, at scale.

The candidates are every customer's recommended actions, their relief and cost in
whole minor units. The rules are the object path's: an action costing more than the
per-action (or per-customer) limit, or relieving nothing while costing something, is
left out; the rest are taken in order of relief per unit of cost (free ones first;
ties by relief, customer id as text, rank) while each fits in the budget and its
customer's limit. With at most ``exact_limit`` candidates the object path's own
branch and bound runs (proven optimal); otherwise the greedy order is found without
sorting the portfolio: a selection on relief per cost finds where the budget runs
out, and only the few candidates at that edge are sorted. The bound is the
linear-programming one (actions bought in fractions), the gap its distance to what
was funded.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import ClassVar, Final

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._money import Money
from custadvocacy._policies._budget import (
    DEFAULT_EXACT_LIMIT,
    _Solver,
    check_budget_options,
    exact_key,
    limits_in_units,
)
from custadvocacy._policies._common import money_from_cents, scale_of

__all__ = ["BatchBudget", "allocate_columns"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_EDGE: Final = 4096  # candidates sorted exactly at the edge of the budget
_SAMPLE: Final = 2048  # values sampled for a pivot
_MAX_EXACT: Final = 40
_LEFT_OUT: Final = ("funded", "over the per-action limit", "relieves nothing", "over the per-customer limit", "left out by the budget or the customer's limit")  # fmt: skip


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BatchBudget:
    """Which recommended actions one budget funds across a batch (arrays over the actions).

    The batch counterpart of :class:`~custadvocacy.policies.BudgetAllocation`; the same
    rules and the same choice (see :func:`~custadvocacy.batch.assess_batch`).

    Attributes:
        currency: The budget's currency (the reporting currency).
        budget: The budget.
        spent: Total cost of the funded actions (never above ``budget``).
        relief: Total customer loss the funded actions relieve.
        funded: Shape ``(actions,)``, bool: whether each recommended action is funded.
        reason: Shape ``(actions,)``, ``int8``: why (an index into :attr:`REASONS`).
        method: ``"exact"`` (branch and bound, proven optimal) or ``"greedy"``.
        upper_bound: The linear-programming bound: no allocation relieves more.
        gap: ``upper_bound - relief``.

    Example:
        >>> from custadvocacy import Money
        >>> from custadvocacy.batch import assess_batch, columns_from_objects
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> result = assess_batch(columns_from_objects(example_portfolio()),
        ...                       context=example_context(), budget=Money("5000", "EUR"))
        >>> result.budget
        BatchBudget(budget=5,000.00 EUR, spent=..., funded=..., exact, gap=...)

    .. versionadded:: 0.1.0
    """

    REASONS: ClassVar[tuple[str, ...]] = _LEFT_OUT
    """Why an action is funded or not: ``reason`` indexes this."""

    currency: str
    budget: Money
    spent: Money
    relief: Money
    funded: npt.NDArray[np.bool_]
    reason: npt.NDArray[np.int8]
    method: str
    upper_bound: Money
    gap: Money

    @property
    def optimal(self) -> bool:
        """Whether the allocation is proven optimal (solved exactly).

        Example:
            >>> from custadvocacy import Money
            >>> from custadvocacy.batch import assess_batch, columns_from_objects
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> assess_batch(columns_from_objects(example_portfolio()),
            ...              context=example_context(),
            ...              budget=Money("0", "EUR")).budget.optimal
            True
        """
        return self.method == "exact"

    def __repr__(self) -> str:
        return (
            f"BatchBudget(budget={self.budget}, spent={self.spent}, relief={self.relief}, "
            f"funded={int(self.funded.sum())}, {self.method}, gap={self.gap})"
        )


class _Edge:
    """A candidate of the exact solvers: relief and cost in minor units, and its customer."""

    __slots__ = ("cost", "customer", "relief")

    def __init__(self, customer: int, relief: int, cost: int) -> None:
        self.customer = str(customer)
        self.relief = relief
        self.cost = cost


def _median_estimate(values: npt.NDArray[np.float64]) -> float:
    """The median of an evenly strided sample of ``values``: a pivot splitting them near half.

    Any pivot gives the same result (it only decides which side is looked at next);
    a sample's median costs no pass over all the values, as ``np.partition`` does.
    """
    sample = values[:: max(1, values.shape[0] // _SAMPLE)]
    return float(np.partition(sample, sample.shape[0] // 2)[sample.shape[0] // 2])


class _Greedy:
    """The greedy by relief per cost, on arrays, with each customer's limit."""

    def __init__(
        self, *, customer: IntArray, order_key: IntArray, relief: IntArray, cost: IntArray,
        rank: IntArray, cap: int | None, groups: int,
    ) -> None:  # fmt: skip
        self.customer = customer
        self.order_key = order_key  # the customer's id rank (ties after relief)
        self.relief = relief
        self.cost = cost
        self.rank = rank
        self.cap = cap
        paid = cost > 0
        self.ratio = np.where(paid, relief / np.maximum(cost, 1), 0.0)
        # Relief per cost as a reduced fraction: equal ratios have equal (num, den).
        common = np.maximum(np.gcd(relief, cost), 1)
        self.num = relief // common
        self.den = np.where(paid, cost // common, 1)
        self.spent = np.zeros(groups, dtype=np.int64)

    def key(self, i: int) -> tuple[bool, Fraction, int, str | int, int]:
        return exact_key(
            int(self.relief[i]), int(self.cost[i]), int(self.order_key[i]), int(self.rank[i])
        )

    def sorted(self, items: IntArray) -> IntArray:
        """``items`` in exact key order (free first, then relief per cost as a fraction...)."""
        if items.size < 2:
            return items
        order = items[
            np.lexsort(
                (
                    self.rank[items],
                    self.order_key[items],
                    -self.relief[items],
                    -self.ratio[items],
                    self.cost[items] > 0,
                )
            )
        ]
        # Floats order distinct ratios correctly or call them equal: put the rare runs of
        # equal floats but different fractions in exact order. Which runs to sort exactly
        # only saves time (sorting one more by the exact key gives the same order), so the
        # mutants of that choice are equivalent; the order itself is pinned by a test with
        # two fractions that are one float (tests/test_batch_budget_greedy.py).
        ratio = self.ratio[order]
        same = ratio[1:] == ratio[:-1]
        # pragma: no mutate start
        differ = same & (
            (self.num[order][1:] != self.num[order][:-1])
            | (self.den[order][1:] != self.den[order][:-1])
        )
        # pragma: no mutate end
        if not differ.any():
            return order
        breaks = np.flatnonzero(np.concatenate([[True], ~same, [True]]))
        pieces = []
        for start, stop in itertools.pairwise(breaks.tolist()):
            piece = order[start:stop]
            if stop - start > 1 and differ[start : stop - 1].any():  # pragma: no mutate
                exact = sorted(piece.tolist(), key=self.key)
                piece = np.array(exact, dtype=np.int64)  # pragma: no mutate (int64 already)
            pieces.append(piece)
        return np.concatenate(pieces)

    def _feasible(self, items: IntArray, spent: IntArray) -> BoolArray:
        """Whether each item fits its customer's limit once the customer's better ones are in.

        Only the customers whose items together exceed what their limit leaves need
        their items in key order; every item of the others fits.
        """
        ok = np.ones(items.shape[0], dtype=bool)
        if self.cap is None or items.size == 0:
            return ok
        cap = self.cap
        customer = self.customer[items]
        total = np.bincount(customer, weights=self.cost[items], minlength=spent.shape[0])
        tight = np.flatnonzero((spent + total > cap)[customer])
        if tight.size == 0:
            return ok
        ordered = self.sorted(items[tight])
        where = {int(item): k for k, item in enumerate(items[tight].tolist())}
        at = tight[np.array([where[int(i)] for i in ordered.tolist()], dtype=np.int64)]
        who = customer[at]
        by_customer = np.argsort(who, kind="stable")  # key order kept within each
        grouped = who[by_customer]
        position = np.arange(grouped.shape[0]) - np.searchsorted(grouped, grouped, side="left")
        running = spent.copy()
        for j in range(int(position.max()) + 1):
            rows = at[by_customer[position == j]]
            whose = customer[rows]
            cost = self.cost[items[rows]]
            fits = running[whose] + cost <= cap
            ok[rows] = fits
            running[whose[fits]] += cost[fits]
        return ok

    def run(self, items: IntArray, left: int) -> tuple[IntArray, int]:
        """Take ``items`` in key order while each fits; return the taken and what is left.

        ``items`` are paid (cost > 0): a free item's ratio of 0 would count it as worse
        than any boundary, and it would be taken again in the next round.
        """
        taken: list[IntArray] = []
        while items.size and left > 0:
            items = items[self.cost[items] <= left]
            if items.size == 0:
                break
            chosen, boundary = self._prefix(items, left)
            taken.append(chosen)
            left -= int(self.cost[chosen].sum())
            np.add.at(self.spent, self.customer[chosen], self.cost[chosen])
            if boundary is None:
                break
            items = items[self._worse_than(items, boundary)]
        return (np.concatenate(taken) if taken else np.zeros(0, dtype=np.int64)), left

    def _prefix(self, items: IntArray, left: int) -> tuple[IntArray, int | None]:
        """What the greedy takes before the first item the budget cannot take, and that one.

        A selection on relief per cost keeps the better half while it fits, so only the
        items near the edge of the budget are ever sorted.
        """
        above: list[IntArray] = []
        used = 0
        spent = self.spent.copy()
        undecided = items
        while undecided.size > _EDGE:
            pivot = _median_estimate(self.ratio[undecided])
            better = undecided[self.ratio[undecided] > pivot]
            if better.size in {0, undecided.size}:
                break
            fitting = better[self._feasible(better, spent)]
            cost = int(self.cost[fitting].sum())
            if used + cost <= left:
                above.append(fitting)
                used += cost
                np.add.at(spent, self.customer[fitting], self.cost[fitting])
                undecided = undecided[self.ratio[undecided] <= pivot]
            else:
                undecided = better
        ordered = self.sorted(undecided)
        ok = np.ones(ordered.shape[0], dtype=bool)
        if self.cap is not None:
            # Walking the sorted edge: each customer's limit in key order.
            ok = self._feasible(ordered, spent)
        running = used + np.cumsum(np.where(ok, self.cost[ordered], 0))
        over = np.flatnonzero(ok & (running > left))
        taken = ordered[ok] if over.size == 0 else ordered[: over[0]][ok[: over[0]]]
        boundary = None if over.size == 0 else int(ordered[over[0]])
        return np.concatenate([*above, taken]), boundary

    def _worse_than(self, items: IntArray, boundary: int) -> BoolArray:
        """Whether each item comes after ``boundary`` in key order."""
        r = self.ratio[boundary]
        worse = self.ratio[items] < r
        tied = np.flatnonzero(self.ratio[items] == r)
        limit = self.key(boundary)
        for j in tied.tolist():
            worse[j] = self.key(int(items[j])) > limit
        return np.asarray(worse, dtype=bool)

    def bound(self, items: IntArray, budget: int) -> float:
        """The linear-programming bound over ``items`` (fractions allowed) within ``budget``."""
        if items.size == 0:
            return 0.0
        if self.cap is None:
            return self._bound_uncapped(items, budget)
        relief = self.relief[items].astype(np.float64)
        cost = self.cost[items]
        take = self._capped(items, self.cap)
        ordered = self.sorted(items)
        position = np.empty(int(items.max()) + 1, dtype=np.int64)
        position[ordered] = np.arange(ordered.shape[0])
        rank = position[items]
        order = np.argsort(rank)
        take_o, relief_o, cost_o = take[order], relief[order], cost[order]
        running = np.cumsum(take_o)
        cut = int(np.searchsorted(running, budget, side="right"))
        parts = list(relief_o[:cut] * take_o[:cut] / np.maximum(cost_o[:cut], 1))
        if cut < take_o.shape[0]:
            room = budget - (running[cut - 1] if cut else 0.0)
            parts.append(relief_o[cut] * room / cost_o[cut])
        return math.fsum(parts)

    def _bound_uncapped(self, items: IntArray, budget: int) -> float:
        """:meth:`bound` without a per-customer limit, sorting only the edge of the budget.

        Each item's term depends on the item alone and ``math.fsum`` is exact, so the
        terms of the items wholly within the budget may be summed in any order; the
        costs are whole minor units, so their running total is exact in any order too.
        Only the items around the cut need the key order. A free item's term is zero.
        """
        items = items[self.cost[items] > 0]
        above: list[IntArray] = []
        used = 0
        undecided = items
        while undecided.size > _EDGE:
            ratio = self.ratio[undecided]
            pivot = _median_estimate(ratio)
            better = ratio > pivot  # before every other item in key order
            count = int(np.count_nonzero(better))
            if count in {0, undecided.size}:
                break
            cost = int(self.cost[undecided[better]].sum())
            if used + cost <= budget:
                above.append(undecided[better])
                used += cost
                undecided = undecided[~better]
            else:
                undecided = undecided[better]
        ordered = self.sorted(undecided)
        cost_o = self.cost[ordered]
        running = float(used) + np.cumsum(cost_o.astype(np.float64))
        cut = int(np.searchsorted(running, budget, side="right"))
        whole = np.concatenate([*above, ordered[:cut]])
        take = self.cost[whole].astype(np.float64)
        parts = (self.relief[whole].astype(np.float64) * take / self.cost[whole]).tolist()
        if cut < ordered.shape[0]:
            room = budget - (running[cut - 1] if cut else float(used))
            parts.append(float(self.relief[ordered[cut]]) * room / cost_o[cut])
        return math.fsum(parts)

    def _capped(self, items: IntArray, cap: int) -> npt.NDArray[np.float64]:
        """Each item's cost that fits under its customer's ``cap``, items in key order."""
        ordered = self.sorted(items)
        by_customer = ordered[np.argsort(self.customer[ordered], kind="stable")]
        cost = self.cost[by_customer].astype(np.float64)
        customer = self.customer[by_customer]
        starts = np.searchsorted(customer, customer, side="left")
        cumulative = np.cumsum(cost)
        before = cumulative - cost - (cumulative - cost)[starts]
        take = np.clip(cap - before, 0.0, cost)
        out = np.zeros(items.shape[0])
        where = np.empty(int(items.max()) + 1, dtype=np.int64)
        where[items] = np.arange(items.shape[0])
        out[where[by_customer]] = take
        return out


def allocate_columns(
    *,
    customer: IntArray,
    customer_rank: IntArray,
    relief: IntArray,
    cost: IntArray,
    rank: IntArray,
    budget: Money,
    currency: str,
    per_customer_limit: Money | None = None,
    per_action_limit: Money | None = None,
    exact_limit: int = DEFAULT_EXACT_LIMIT,
) -> BatchBudget:
    """Spread ``budget`` over recommended actions given as arrays (one row per action).

    Args:
        customer: Shape ``(m,)``: each action's customer (any integer label).
        customer_rank: Shape ``(m,)``: that customer's id rank as text (ties).
        relief: Shape ``(m,)``: relief in minor units.
        cost: Shape ``(m,)``: cost in minor units.
        rank: Shape ``(m,)``: the action's rank in its customer's recommendation.
        budget: The budget (Money in ``currency``).
        currency: The reporting currency.
        per_customer_limit: Most one customer's funded actions may cost together.
        per_action_limit: Most one action may cost.
        exact_limit: Most candidates solved exactly (0-40); above it, greedy.

    Raises:
        PolicyConfigError: An argument is not acceptable (every problem listed).
    """
    check_budget_options(budget, (per_customer_limit, per_action_limit), exact_limit, currency)
    scale = scale_of(currency)
    budget_units, customer_cap, action_cap = limits_in_units(
        scale, budget, per_customer_limit, per_action_limit
    )
    m = customer.shape[0]
    reason = np.full(m, 4, dtype=np.int8)
    over_action = np.zeros(m, dtype=bool) if action_cap is None else cost > action_cap
    nothing = ~over_action & (relief == 0) & (cost > 0)
    over_customer = (
        np.zeros(m, dtype=bool)
        if customer_cap is None
        else ~over_action & ~nothing & (cost > customer_cap)
    )
    reason[over_action], reason[nothing], reason[over_customer] = 1, 2, 3
    candidates = np.flatnonzero(~(over_action | nothing | over_customer))
    # The length of the per-customer arrays (a longer one would change nothing).
    groups = int(customer.max()) + 1 if m else 0  # pragma: no mutate
    greedy = _Greedy(
        customer=customer, order_key=customer_rank, relief=relief, cost=cost, rank=rank,
        cap=customer_cap, groups=groups,
    )  # fmt: skip
    if candidates.size <= exact_limit:
        ordered = greedy.sorted(candidates)
        edges = [_Edge(int(customer[i]), int(relief[i]), int(cost[i])) for i in ordered.tolist()]
        solver = _Solver(edges, budget_units, customer_cap)  # type: ignore[arg-type]
        picked, proven = solver.exact(solver.greedy())
        funded_items = ordered[np.asarray(sorted(picked), dtype=np.int64)]
        method = "exact" if proven else "greedy"
        upper = max(int(solver.bound(budget_units, {})), int(relief[funded_items].sum()))
    else:
        free = candidates[cost[candidates] == 0]
        paid = candidates[cost[candidates] > 0]
        taken, _ = greedy.run(paid, budget_units)
        funded_items = np.concatenate([free, taken])
        method = "greedy"
        total_relief = int(relief[funded_items].sum())
        bound = float(relief[free].sum()) + greedy.bound(paid, budget_units)
        upper = max(math.floor(bound), total_relief)
    funded = np.zeros(m, dtype=bool)
    funded[funded_items] = True
    reason[funded] = 0
    spent = int(cost[funded].sum())
    total = int(relief[funded].sum())
    return BatchBudget(
        currency=currency,
        budget=budget,
        spent=money_from_cents(spent, currency),
        relief=money_from_cents(total, currency),
        funded=funded,
        reason=reason,
        method=method,
        upper_bound=money_from_cents(upper, currency),
        gap=money_from_cents(upper - total, currency),
    )
