"""Per-customer ordering of rows: a lexsort by customer, and each customer's first row."""

from __future__ import annotations

import numpy as np

from custadvocacy.batch._actions._model import (
    _NONE,
    IntArray,
)


def _by_customer(customer: IntArray, keys: tuple[IntArray, ...], customers: int) -> IntArray:
    """``np.lexsort((*keys, customer))``, the customer pass a radix sort when codes are small.

    Example:
        >>> _by_customer(np.array([1, 0, 1]), (np.array([5, 7, 3]),), 2)
        array([1, 2, 0])
    """
    if customers > np.iinfo(np.int16).max:
        return np.asarray(np.lexsort((*keys, customer)), dtype=np.int64)
    # A stable sort of 16-bit codes is a radix sort: linear, and keys' order kept.
    if not keys:
        return np.asarray(np.argsort(customer.astype(np.int16), kind="stable"), dtype=np.int64)
    order = np.lexsort(keys)
    by = np.argsort(customer[order].astype(np.int16), kind="stable")
    return np.asarray(order[by], dtype=np.int64)


def _packed(major: IntArray, minor: IntArray) -> IntArray | None:
    """One key ordering as ``(major, minor)`` lexicographically, when both fit in 62 bits.

    Example:
        >>> _packed(np.array([2, 1, 1]), np.array([0, 9, 3]))
        array([10,  9,  3])
    """
    if major.size == 0:
        return None
    low_major, low_minor = int(major.min()), int(minor.min())
    span = int(minor.max()) - low_minor + 1
    if (int(major.max()) - low_major + 1) * span >= 1 << 62:
        return None
    return np.asarray((major - low_major) * span + (minor - low_minor), dtype=np.int64)


def _first_per_customer(customer: IntArray, keys: tuple[IntArray, ...]) -> IntArray:
    """Positions of the lexicographically smallest row of each customer (rows grouped).

    Ties on the first key are broken on the next keys among the tied rows only (then
    by position). ``keys`` holds one key at least.

    Example:
        >>> _first_per_customer(np.array([0, 0, 0, 3]), (np.array([2, 1, 1, 5]), np.array([0, 9, 4, 0])))
        array([2, 3])
    """
    if customer.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.empty(customer.shape[0], dtype=bool)
    change[0] = True
    np.not_equal(customer[1:], customer[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    lengths = np.diff(starts, append=customer.shape[0])  # spread per row by repeating
    key = keys[0]
    alive = key == np.repeat(np.minimum.reduceat(key, starts), lengths)
    first = np.minimum.reduceat(np.where(alive, np.arange(customer.shape[0]), _NONE), starts)
    if len(keys) > 1:
        tied = np.add.reduceat(alive.astype(np.int64), starts) > 1
        if tied.any():  # the rows still alive in those customers: the next keys decide
            rows = np.flatnonzero(alive & np.repeat(tied, lengths))
            rest = _first_per_customer(customer[rows], tuple(k[rows] for k in keys[1:]))
            first[tied] = rows[rest]
    return np.asarray(first, dtype=np.int64)
