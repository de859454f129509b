"""Progress of long lab runs: a plain callback, and an adapter for tqdm-like bars.

The lab reports progress by calling ``progress(event)`` with a :class:`ProgressEvent`
(which stage, how many steps of it are done, of how many). Nothing is printed by the
library; :func:`tqdm_progress` turns any object with ``update(n)`` (and optionally
``total``, ``refresh()`` and ``set_description(text)``), such as a ``tqdm`` bar, into
such a callback, so tqdm is never imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol

import attrs

from custadvocacy._checks import MAX_TEXT_LENGTH, Checks

__all__ = ["ProgressBar", "ProgressCallback", "ProgressEvent", "tqdm_progress"]

STAGES: Final = ("assess", "replicate")
"""The stages a lab run reports, in the order it runs them."""
MAX_STEPS: Final = 10**12
"""The most steps a stage may count (far beyond any run's)."""


@attrs.frozen(kw_only=True)
class ProgressEvent:
    """One step of a lab run.

    Attributes:
        policy: The name of the policy being evaluated.
        stage: ``"assess"`` (actions chosen: batch or object path) or ``"replicate"``
            (the response model's seeded replications).
        done: Steps of this stage done so far (>= 0).
        total: Steps of this stage in all (>= ``done``).

    Example:
        >>> ProgressEvent(policy="customer_first", stage="replicate", done=3, total=20)
        ProgressEvent(policy='customer_first', stage='replicate', done=3, total=20)

    .. versionadded:: 0.1.0
    """

    policy: str
    stage: str
    done: int
    total: int

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("policy", self.policy, max_length=MAX_TEXT_LENGTH)
        if self.stage not in STAGES:
            c.fail("stage", self.stage, " or ".join(repr(s) for s in STAGES))
        before = len(c.problems)
        c.number("total", self.total, high=MAX_STEPS, integer=True)
        if len(c.problems) == before:  # done's bound is total: only once total is a count
            c.number("done", self.done, high=self.total, integer=True)
        c.done()


ProgressCallback = Callable[[ProgressEvent], None]
"""What the lab calls after each step: ``callback(event)``; its return value is ignored."""


class ProgressBar(Protocol):
    """The part of a ``tqdm`` bar :func:`tqdm_progress` uses (``update``).

    Example:
        >>> class Bar:
        ...     def update(self, n: int = 1) -> None:
        ...         print("+", n)
        >>> isinstance(Bar(), object)
        True

    .. versionadded:: 0.1.0
    """

    def update(self, n: int = 1) -> object:  # pragma: no mutate (a protocol: no code runs)
        """Advance the bar by ``n`` steps."""
        ...  # pragma: no cover - a protocol


def tqdm_progress(bar: ProgressBar) -> ProgressCallback:
    """Return a callback that drives ``bar`` (a ``tqdm`` bar or anything with ``update``).

    The bar counts every step of every stage of every policy: the callback grows
    ``bar.total`` (when the bar has one) as stages announce their totals, advances it by
    the steps done since the last event of that stage, and describes it as
    ``"<policy>: <stage>"`` when the bar has ``set_description``.

    Args:
        bar: E.g. ``tqdm.tqdm(total=0)``; any object with an ``update(n)`` method.

    Returns:
        A callback for the ``progress`` argument of :func:`~custadvocacy.lab.evaluate`
        and :func:`~custadvocacy.lab.compare`.

    Example:
        >>> class Bar:
        ...     total = 0
        ...     def update(self, n: int = 1) -> None:
        ...         print(f"+{n} of {self.total}")
        >>> callback = tqdm_progress(Bar())
        >>> callback(ProgressEvent(policy="p", stage="replicate", done=1, total=2))
        +1 of 2
        >>> callback(ProgressEvent(policy="p", stage="replicate", done=2, total=2))
        +1 of 2

    .. versionadded:: 0.1.0
    """
    seen: dict[tuple[str, str], int] = {}

    def callback(event: ProgressEvent) -> None:
        key = (event.policy, event.stage)
        if key not in seen:
            seen[key] = 0
            total = getattr(bar, "total", None)
            if isinstance(total, int | float) and not isinstance(total, bool):
                # tqdm exposes total as a writable attribute; refresh() redraws it.
                bar.total = int(total) + event.total  # type: ignore[attr-defined]
                refresh = getattr(bar, "refresh", None)
                if callable(refresh):
                    refresh()
        describe = getattr(bar, "set_description", None)
        if callable(describe):
            describe(f"{event.policy}: {event.stage}")
        step = event.done - seen[key]
        seen[key] = event.done
        if step > 0:
            bar.update(step)

    return callback
