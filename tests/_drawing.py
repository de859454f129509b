"""Drawing helpers for the test files' own composite strategies: cheap at every draw.

A strategy built inside a composite (``st.none() | x``, ``x.map(f)`` with a new lambda)
is a new object at every draw, and Hypothesis validates every new strategy before it
draws from it. That validation was a quarter to a half of some property tests' time
(``tests/test_impact_estimators.py`` ran in 57 s before, 21 s after). These helpers draw
through strategies that exist once (``st.integers``, ``st.floats`` and ``st.sampled_from``
with the same arguments return the same object), and shrink as the originals did: toward
``None`` first, then toward the strategy's own simplest value.

Not a test module (no ``test_`` prefix); the test files import it as ``_drawing``.
"""

from __future__ import annotations

from typing import Final, TypeVar

from hypothesis import strategies as st

from custadvocacy import Money

__all__ = ["draw_money", "maybe"]

T = TypeVar("T")

_COIN: Final = st.booleans()


def maybe(draw: st.DrawFn, strategy: st.SearchStrategy[T]) -> T | None:
    """``None`` (the simplest choice) or a value of ``strategy``, as ``st.none() | strategy``."""
    return draw(strategy) if draw(_COIN) else None


def draw_money(draw: st.DrawFn, currency: str, low: int, high: int) -> Money:
    """Whole units of ``currency`` from ``low`` to ``high``, shrinking toward ``low``."""
    return Money(draw(st.integers(low, high)), currency)
