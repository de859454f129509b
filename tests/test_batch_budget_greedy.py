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
