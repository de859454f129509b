"""A pytest plugin: trace only each property's first examples for coverage.

Branch coverage roughly doubles the time a property takes (its tracer reports every line
the library runs), and a property's later examples reach the lines its first ones did: in
the CI profile, 250 of each property's 300 examples would add minutes and no coverage.
:class:`SampledCoverage` wraps a Hypothesis test's inner function so that coverage stops
before the example after the first ``traced`` and starts again when the test ends;
:func:`pytest_runtest_call` does that for every property while coverage is on. Coverage
counts each property's first :data:`COVERED_EXAMPLES` examples, as many as the dev profile
runs. tests/conftest.py imports the hook; ``-p _sampled_coverage`` loads it elsewhere.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator
from typing import Protocol

import coverage
import pytest

COVERED_EXAMPLES = 50


class Tracer(Protocol):
    """What is needed of a ``coverage.Coverage``: stopping and starting."""

    def stop(self) -> None: ...

    def start(self) -> None: ...


class SampledCoverage:
    """Count a property's examples; past ``traced`` of them, stop coverage until :meth:`end`.

    ``current`` is ``coverage.Coverage.current``. Under pytest-xdist a worker holds two
    started instances (pytest-cov starts two in each worker), and stopping the newer one resumes the older, so every started one is stopped and all of
    them are started again, oldest first, at the end.

    >>> class Stack:
    ...     def __init__(self) -> None:
    ...         self.started: list[Tracer] = []
    ...         self.calls: list[str] = []
    ...     def current(self) -> Tracer | None:
    ...         return self.started[-1] if self.started else None
    >>> class Fake:
    ...     def __init__(self, stack: Stack, name: str) -> None:
    ...         self.stack, self.name = stack, name
    ...     def stop(self) -> None:
    ...         self.stack.started.remove(self)
    ...         self.stack.calls.append(f"stop {self.name}")
    ...     def start(self) -> None:
    ...         self.stack.started.append(self)
    ...         self.stack.calls.append(f"start {self.name}")
    >>> stack = Stack()
    >>> stack.started = [Fake(stack, "outer"), Fake(stack, "inner")]
    >>> sampled = SampledCoverage(stack.current, traced=2)
    >>> example = sampled.wrap(lambda x: x + 1)
    >>> [example(x) for x in range(4)]
    [1, 2, 3, 4]
    >>> sampled.end()
    >>> stack.calls
    ['stop inner', 'stop outer', 'start outer', 'start inner']
    """

    def __init__(self, current: Callable[[], Tracer | None], *, traced: int) -> None:
        self._current = current
        self._traced = traced
        self._examples = 0
        self._stopped: list[Tracer] = []

    def wrap(self, test: Callable[..., object]) -> Callable[..., object]:
        """``test``, counting its calls and stopping coverage before the one past ``traced``."""

        @functools.wraps(test)
        def counted(*args: object, **kwargs: object) -> object:
            self._examples += 1
            if self._examples == self._traced + 1:
                while (tracer := self._current()) is not None:
                    tracer.stop()
                    self._stopped.append(tracer)
            return test(*args, **kwargs)

        return counted

    def end(self) -> None:
        """Start again, oldest first, what this property stopped."""
        while self._stopped:
            self._stopped.pop().start()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Run a property with coverage on for its first :data:`COVERED_EXAMPLES` examples."""
    handle = getattr(getattr(item, "obj", None), "hypothesis", None)
    if handle is None or coverage.Coverage.current() is None:
        return (yield)
    test = handle.inner_test
    sampled = SampledCoverage(coverage.Coverage.current, traced=COVERED_EXAMPLES)
    handle.inner_test = sampled.wrap(test)
    try:
        return (yield)
    finally:
        handle.inner_test = test
        sampled.end()
