"""The batch greedy's shortcuts for many candidates equal the plain greedy, exactly.

With more than ``_EDGE`` (4,096) candidates the batch budget never sorts them all: it
keeps the better half by relief per cost while that half fits (``_Greedy._prefix``,
``_Greedy._bound_uncapped``). The portfolios of the other tests have too few candidates
to reach that path (the mutation run showed it: every change to it went unnoticed), so
here it is compared with the textbook greedy and bound, item by item, on arrays with
many ties, free items and tight per-customer limits.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt
import pytest

from custadvocacy.batch._budget import _EDGE, _Greedy

IntArray = npt.NDArray[np.int64]
CUSTOMERS = 700


def _solver(seed: int, cap: int | None) -> _Greedy:
    rng = np.random.default_rng(seed)
    n = 3 * _EDGE + int(rng.integers(0, 100))
    customer = rng.integers(0, CUSTOMERS, n)
    return _Greedy(
        customer=customer,
        order_key=customer,  # customers ranked by their index, as ids would rank them
        relief=rng.integers(0, 60, n),  # small numbers: many equal ratios, some zero
        cost=rng.integers(0, 25, n),  # some free
        rank=rng.integers(1, 8, n),
        cap=cap,
        groups=CUSTOMERS,
    )


@functools.cache
def _key_order(seed: int) -> tuple[int, ...]:
    """Every item of ``_solver(seed, ...)`` sorted by its exact key, one by one."""
    greedy = _solver(seed, None)
    return tuple(sorted(range(greedy.cost.shape[0]), key=greedy.key))


def _plain_greedy(greedy: _Greedy, seed: int, budget: int) -> tuple[list[int], int]:
    taken, left = [], budget
    spent = [0] * CUSTOMERS
    for i in _key_order(seed):
        cost, who = int(greedy.cost[i]), int(greedy.customer[i])
        if cost == 0:  # the batch budget funds free actions before the greedy runs
            continue
        if cost <= left and (greedy.cap is None or spent[who] + cost <= greedy.cap):
            taken.append(i)
            left -= cost
            spent[who] += cost
    return taken, left


def _plain_bound(greedy: _Greedy, seed: int, budget: int) -> float:
    parts, used = [], 0
    for i in _key_order(seed):
        cost, relief = int(greedy.cost[i]), int(greedy.relief[i])
        if cost == 0:
            continue
        if used + cost > budget:
            parts.append(relief * (budget - used) / cost)
            break
        parts.append(float(relief))
        used += cost
    return math.fsum(parts)


@pytest.mark.parametrize("cap", [None, 30, 60])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_the_greedy_takes_what_the_plain_greedy_takes(
    seed: int, cap: int | None, share: float
) -> None:
    greedy = _solver(seed, cap)
    budget = int(greedy.cost.sum() * share)
    expected, left = _plain_greedy(greedy, seed, budget)
    taken, rest = greedy.run(np.flatnonzero(greedy.cost > 0), budget)
    assert sorted(taken.tolist()) == sorted(expected)  # each once
    assert rest == left
    spent = np.bincount(greedy.customer[taken], weights=greedy.cost[taken], minlength=CUSTOMERS)
    assert greedy.spent.tolist() == spent.astype(np.int64).tolist()


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("share", [0.1, 0.5, 0.9, 1.5])
def test_the_bound_is_the_plain_fractional_bound(seed: int, share: float) -> None:
    greedy = _solver(seed, None)
    budget = int(greedy.cost.sum() * share)
    items: IntArray = np.arange(greedy.cost.shape[0])
    assert math.isclose(
        greedy.bound(items, budget), _plain_bound(greedy, seed, budget), rel_tol=1e-12
    )


def _plain_capped_bound(
    greedy: _Greedy, seed: int, budget: int, among: frozenset[int] | None = None
) -> float:
    """The bound with a per-customer limit: each item counts with the cost its limit leaves.

    The part of an item's cost that fits under its customer's limit once the customer's
    items before it in key order are in whole (``_Greedy._capped``), then the fractional
    bound over those parts. Only the items ``among`` when given.
    """
    assert greedy.cap is not None
    parts, used = [], 0
    before = [0] * CUSTOMERS
    for i in _key_order(seed):
        if among is not None and i not in among:
            continue
        cost, relief, who = int(greedy.cost[i]), int(greedy.relief[i]), int(greedy.customer[i])
        take = min(cost, max(greedy.cap - before[who], 0))
        before[who] += cost
        if take == 0:
            continue
        if used + take > budget:
            parts.append(relief * (budget - used) / cost)
            break
        parts.append(relief * take / cost)
        used += take
    return math.fsum(parts)


@pytest.mark.parametrize("cap", [30, 60])
@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("share", [0.0, 0.1, 0.5, 0.9, 1.5])
def test_the_bound_under_a_customer_limit_is_the_plain_capped_bound(
    seed: int, cap: int, share: float
) -> None:
    greedy = _solver(seed, cap)
    budget = int(greedy.cost.sum() * share)
    items: IntArray = np.arange(greedy.cost.shape[0])
    expected = _plain_capped_bound(greedy, seed, budget)
    assert math.isclose(greedy.bound(items, budget), expected, rel_tol=1e-12)
    # Half of them, shuffled: the bound sorts what it is given and counts only that.
    subset: IntArray = np.random.default_rng(seed).permutation(items)[: items.size // 2]
    among = _plain_capped_bound(greedy, seed, budget, frozenset(subset.tolist()))
    assert math.isclose(greedy.bound(subset, budget), among, rel_tol=1e-12)


def test_ratios_equal_as_floats_are_put_in_their_exact_order() -> None:
    # 117669699 / 85319681 > 708412300 / 513653999, yet both are the same float
    # (their difference is below a float's resolution); relief alone, the next sort key,
    # would put the second first. Item 3 has item 2's figures for another customer (ties
    # by the customer's rank), items 4 and 5 equal ratios as fractions (2/1 and 4/2), item
    # 0 is free and item 6 alone at its ratio.
    relief = [5, 708_412_300, 117_669_699, 708_412_300, 2, 4, 1]
    cost = [0, 513_653_999, 85_319_681, 513_653_999, 1, 2, 3]
    assert relief[1] / cost[1] == relief[2] / cost[2]
    n = len(relief)
    greedy = _Greedy(
        customer=np.arange(n),
        order_key=np.array([0, 6, 1, 5, 2, 3, 4]),
        relief=np.array(relief),
        cost=np.array(cost),
        rank=np.ones(n, dtype=np.int64),
        cap=None,
        groups=n,
    )
    items: IntArray = np.arange(n)
    expected = sorted(range(n), key=greedy.key)
    assert expected == [0, 5, 4, 2, 3, 1, 6]
    assert greedy.sorted(items).tolist() == expected
    assert greedy.sorted(items[::-1].copy()).tolist() == expected


@pytest.mark.parametrize(
    ("relief", "cost"),
    [
        # (2^30 + 2) / 2^30 is larger than (2^30 + 3) / (2^30 + 1): one float, and the
        # smaller fraction has more relief. In lowest terms the first is (2^29 + 1) / 2^29,
        # which halving the second's terms (flooring) would give too.
        ((2**30 + 3, 2**30 + 2), (2**30 + 1, 2**30)),
        # 1 / (2^60 + 1) is larger than 2 / (2^61 + 6): one float, the same numerator in
        # lowest terms, and denominators one float apart (they must be compared as ints).
        ((2, 1), (2 * (2**60 + 3), 2**60 + 1)),
    ],
)
def test_equal_floats_are_told_apart_by_their_reduced_fractions(
    relief: tuple[int, int], cost: tuple[int, int]
) -> None:
    assert relief[0] / cost[0] == relief[1] / cost[1]
    assert relief[1] * cost[0] > relief[0] * cost[1]  # item 1 first, despite less relief
    greedy = _Greedy(
        customer=np.arange(2),
        order_key=np.arange(2),
        relief=np.array(relief),
        cost=np.array(cost),
        rank=np.ones(2, dtype=np.int64),
        cap=None,
        groups=2,
    )
    assert greedy.sorted(np.arange(2)).tolist() == [1, 0]


def test_a_last_single_candidate_is_held_to_its_customers_limit() -> None:
    # Customer 0 takes item 0 (5 of its limit of 10); item 1 (10) does not fit what the
    # budget leaves (7) and ends the first round; item 2, customer 0's second (6), is then
    # the only candidate left: it fits the budget but not its customer's limit (5 + 6).
    greedy = _Greedy(
        customer=np.array([0, 1, 0]),
        order_key=np.array([0, 1, 0]),
        relief=np.array([10, 9, 1]),
        cost=np.array([5, 10, 6]),
        rank=np.array([1, 1, 2]),
        cap=10,
        groups=2,
    )
    taken, left = greedy.run(np.arange(3), 12)
    assert taken.tolist() == [0]
    assert left == 7
    assert greedy.spent.tolist() == [5, 0]


def test_many_candidates_of_one_ratio_end_the_halving_at_once() -> None:
    # The halving keeps the candidates above an estimated median ratio. When every one has
    # the same ratio none is above it: the halving must stop and sort them (not go round
    # again with the same candidates), for the greedy and for the bound.
    rng = np.random.default_rng(7)
    n = 2 * _EDGE + 1
    customer = rng.integers(0, CUSTOMERS, n)
    cost = rng.integers(1, 25, n)
    greedy = _Greedy(
        customer=customer,
        order_key=customer,
        relief=2 * cost,
        cost=cost,
        rank=rng.integers(1, 8, n),
        cap=None,
        groups=CUSTOMERS,
    )
    budget = int(cost.sum()) // 2
    expected, left = [], budget
    for i in sorted(range(n), key=greedy.key):
        if cost[i] <= left:
            expected.append(i)
            left -= int(cost[i])
    items: IntArray = np.arange(n)
    assert greedy.bound(items, budget) == 2 * budget
    taken, rest = greedy.run(items, budget)
    assert sorted(taken.tolist()) == sorted(expected)
    assert rest == left
