"""What every conformance check shares: the Check value, running a rule, and its report.

A check is a small function ``body(check)`` bound to a plug-in in a :class:`Check`.
Most bodies hand :func:`run_given` a strategy of inputs and a test of one input; the
test calls the plug-in through :func:`call` (so an exception becomes a failure of *this*
rule) and raises through :func:`fail`, whose message names the rule, shows the input as
lines that rebuild it, and says how to read it. Hypothesis shrinks the input before the
last, reported, failure, so the input shown is the simplest one it found.
"""

from __future__ import annotations

import copy
import math
import pickle
import typing
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Final, NoReturn, TypeVar

import attrs
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky

from custadvocacy._context import Context
from custadvocacy._convert import to_dict
from custadvocacy._errors import ValidationError, short_repr
from custadvocacy._money import _CONTEXT as DECIMAL
from custadvocacy._money import MAX_RATE, MIN_RATE, ExchangeRates
from custadvocacy.testing._generate import convertible

T = TypeVar("T")

DEFAULT_MAX_EXAMPLES: Final = 30
"""Generated inputs each check tries by default: enough to find most broken rules in seconds."""

REL_TOLERANCE: Final = 1e-9
"""Relative tolerance of amounts that must match (float sums may differ in the last bits)."""

ABS_TOLERANCE: Final = 1e-9
"""Absolute tolerance, in units of the currency, for amounts near zero: a float near zero
(subnormal ones above all) keeps too few digits for a relative comparison."""

# A plug-in under test may be slow or draw big portfolios; none of that is its bug.
_HEALTH: Final = (
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
)
# No explain phase: it reruns the failing example many times to explain it, which
# costs seconds per plug-in and says nothing the report does not.
_PHASES: Final = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)

# Reporting currencies a re-expressed context may use: the first that no input and no
# rate of the original context mentions is taken.
_SPARE_CURRENCIES: Final = ("CHF", "SEK", "NOK", "DKK", "PLN", "HUF", "CAD", "AUD", "NZD", "SGD")

_MAX_FOUND: Final = 2_000
_MAX_NAME: Final = 60

READING: Final = (
    "The input is the simplest one Hypothesis found that breaks the rule (it shrinks toward "
    "zero amounts, zero-length durations, UTC, absent optional fields and small portfolios). "
    "Paste the lines into a Python session to rebuild it, call the plug-in on it, fix the "
    "plug-in, and rerun the check."
)


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Check:
    """One named conformance rule bound to a plug-in: call it to run it.

    A check returns ``None`` when the plug-in keeps the rule and raises
    ``AssertionError`` when it does not; the message names the rule, shows the
    (shrunk) input that breaks it as lines that rebuild it, and says how to read it.
    Build them with :func:`~custadvocacy.testing.conformance.estimator_checks`,
    :func:`~custadvocacy.testing.conformance.scorer_checks` or
    :func:`~custadvocacy.testing.conformance.policy_checks`.

    Attributes:
        name: The rule's short name, e.g. ``"non_negative_loss"`` (the pytest id).
        rule: The rule in words.
        role: What the plug-in is checked as: ``"estimator"``, ``"scorer"`` or ``"policy"``.
        plugin: The plug-in under test.
        max_examples: How many generated inputs the check tries (>= 1).

    Example:
        >>> from custadvocacy.estimators import DefectEstimator
        >>> from custadvocacy.testing.conformance import estimator_checks
        >>> name, check = next(iter(estimator_checks(DefectEstimator())))
        >>> check
        Check('estimator_interface', estimator DefectEstimator(...))
        >>> check()  # passes: returns None

    .. versionadded:: 0.1.0
    """

    name: str
    rule: str
    role: str
    plugin: object
    max_examples: int
    _body: Callable[[Check], None]

    def __call__(self) -> None:
        """Run the check: ``None`` when the rule holds, ``AssertionError`` when it does not."""
        self._body(self)

    def __repr__(self) -> str:
        return f"Check({self.name!r}, {self.role} {named(self.plugin)})"


def named(plugin: object) -> str:
    """The plug-in as a report names it: its repr, or ``TypeName(...)`` when that is long."""
    if isinstance(plugin, type):  # a class given where an instance belongs, a usual slip
        return f"<class {plugin.__name__}>"
    if type(plugin).__repr__ is object.__repr__:  # its address changes from run to run
        return f"<{type(plugin).__name__} object>"
    text = short_repr(plugin)
    if len(text) <= _MAX_NAME:
        return text
    if text.startswith("<"):  # a long repr in angle brackets: keep it one
        return f"<{type(plugin).__name__} object>"
    return f"{type(plugin).__name__}(...)"


# ------------------------------------------------------------------------ running


def run_given(check: Check, strategy: st.SearchStrategy[T], test: Callable[[T], None]) -> None:
    """Run ``test`` on ``check.max_examples`` inputs drawn from ``strategy``.

    Settings not set here (``derandomize``, the example database...) come from the
    Hypothesis profile loaded in the caller's test suite.
    """

    def body(case: T) -> None:
        test(case)

    # Hypothesis names the falsifying example after the function: name it after the rule.
    body.__name__ = body.__qualname__ = check.name
    # Its example database (and derandomize's seed) is keyed by the function's source,
    # the same for every check: add the rule and the plug-in's class, as Hypothesis's
    # own stateful tests do, so a saved failure replays where it belongs (an attribute
    # Hypothesis reads if it is there; harmless if a later version does not).
    plugin = type(check.plugin)
    key = f"{check.role}:{check.name}:{plugin.__module__}.{plugin.__qualname__}"
    setattr(body, "_hypothesis_internal_add_digest", key.encode())  # noqa: B010
    runner = settings(
        max_examples=check.max_examples,
        deadline=None,
        report_multiple_bugs=False,
        suppress_health_check=_HEALTH,
        phases=_PHASES,
    )(given(strategy)(body))
    try:
        runner()
    except Flaky as exc:
        # The plug-in failed on an input, then passed on the same input: report the
        # failure itself, and that it did not repeat.
        raise AssertionError(
            f"{_first_message(exc)}\n\nNote: it failed on this input once and then passed on "
            "the same input, so the plug-in's results change from call to call (see rule "
            "'deterministic')."
        ) from exc


def _first_message(exc: BaseException) -> str:
    """The message of the first AssertionError in ``exc`` (an exception group), or its text."""
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if isinstance(current, AssertionError):
            return str(current)
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
    return f"custadvocacy conformance: the check failed inconsistently: {exc}"


def call(
    check: Check, inputs: Sequence[str], what: str, function: Callable[[], T], *, hint: str = ""
) -> T:
    """Return ``function()``; an exception it raises fails ``check``, naming ``what`` was called."""
    try:
        return function()
    except Exception as exc:  # noqa: BLE001 - whatever a plug-in raises on valid input is a failure
        fail(
            check,
            f"{what} raised {described(exc)}",
            inputs,
            hint=hint or raised_hint(exc),
        )


def same_again(
    check: Check,
    inputs: Sequence[str],
    what: str,
    again: Callable[[], object],
    first: object,
    *,
    hint: str,
    path: str = "result",
) -> None:
    """Fail ``check`` when ``again()``, the call that gave ``first`` repeated, differs from it.

    A rule that compares calls on two inputs (the unpickled copy, the reordered lists,
    another currency) can blame a difference on what it changed only when the plug-in
    repeats itself on the same input; call this before failing for that reason, with the
    hint of rule 'deterministic'.
    """
    second = call(check, inputs, f"a second {what}", again)
    if second != first:
        found = (
            "a second call on the same input gives another result ("
            + difference(first, second, path)
            + "), so this rule cannot tell what else changes it: see rule 'deterministic'"
        )
        fail(check, found, inputs, hint=hint)


def described(exc: BaseException) -> str:
    """``exc`` as ``Type: message``, or its type alone when it has no message."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def raised_hint(exc: Exception) -> str:
    """The hint for a plug-in that raised ``exc`` on a generated (so valid) input."""
    if isinstance(exc, ValidationError):
        return (
            "The plug-in built a result the library rejects (its problems are listed above, "
            "each with the field and the value it had); every generated input is valid, so "
            "the plug-in must accept it."
        )
    return "Every generated input is valid, so the plug-in must accept it without raising."


# The attribute of a failure's AssertionError holding what was found, for a report of
# several rules to show a finding they share once. An attribute, not a subclass: the
# traceback a user reads names a plain AssertionError, as the docs say.
_FOUND: Final = "_custadvocacy_found"


def found_by(exc: AssertionError) -> str:
    """What the failure ``exc`` of a rule found, or ``""`` when :func:`fail` did not raise it."""
    found = getattr(exc, _FOUND, "")
    return found if isinstance(found, str) else ""


def fail(check: Check, found: str, inputs: Sequence[str], *, hint: str) -> NoReturn:
    """Raise the ``AssertionError`` of ``check``: the rule, what was found, the input.

    ``hint`` is required: every failure says how to read it (the usual cause and fix).
    """
    shown_found = found if len(found) <= _MAX_FOUND else found[: _MAX_FOUND - 3] + "..."
    lines = [
        f"custadvocacy conformance: {check.role} {named(check.plugin)} breaks rule '{check.name}'.",
        f"Rule: {check.rule}",
        f"Found: {shown_found}",
    ]
    if inputs:
        lines.append("Input:")
        lines.extend(f"    {line}" for line in inputs)
    reading = f"{hint} {READING}" if inputs else hint
    lines.append(f"How to read this: {reading}")
    error = AssertionError("\n".join(lines))
    setattr(error, _FOUND, found)  # whole: two findings alike in their first 2,000 differ
    raise error


# ---------------------------------------------------------------------- showing


def shown(name: str, value: object) -> str:
    """A line that rebuilds ``value`` with ``from_dict``, e.g. ``order = from_dict(Order, {...})``."""
    if value is None:
        return f"{name} = None"
    if isinstance(value, list | tuple):
        present = [item for item in value if item is not None]
        if not present:
            return f"{name} = {[None] * len(value)!r}"
        build = f"from_dict({type(present[0]).__name__}, item)"
        if len(present) < len(value):
            build = f"None if item is None else {build}"
        return f"{name} = [{build} for item in {to_dict(list(value))!r}]"
    return f"{name} = from_dict({type(value).__name__}, {to_dict(value)!r})"


def imports(*names: str) -> str:
    """The line importing ``names`` (and ``from_dict``) from custadvocacy, for shown inputs."""
    return f"from custadvocacy import {', '.join(sorted({*names, 'from_dict'}))}"


# ---------------------------------------------------------------- comparing


def close(a: float, b: float, scale: float = 0.0) -> bool:
    """Whether ``a`` and ``b`` agree within :data:`REL_TOLERANCE` of the larger (or ``scale``).

    Amounts within :data:`ABS_TOLERANCE` of each other agree too.
    """
    if not (math.isfinite(a) and math.isfinite(b)):
        return a == b
    return abs(a - b) <= REL_TOLERANCE * max(abs(a), abs(b), abs(scale)) + ABS_TOLERANCE


def difference(before: object, after: object, path: str) -> str:
    """Where ``after`` differs from ``before``, e.g. ``incident.summary: '' -> 'seen'``."""
    if type(before) is type(after) and attrs.has(type(before)):
        for field in attrs.fields(typing.cast("type[attrs.AttrsInstance]", type(before))):
            if field.eq and getattr(before, field.name) != getattr(after, field.name):
                return difference(
                    getattr(before, field.name), getattr(after, field.name), f"{path}.{field.name}"
                )
    if isinstance(before, list | tuple) and isinstance(after, list | tuple):
        if len(before) != len(after):
            return f"{path}: {len(before)} items -> {len(after)} items"
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            if b != a:
                return difference(b, a, f"{path}[{i}]")
    return f"{path}: {_short(before)} -> {_short(after)}"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def snapshot(values: Iterable[T]) -> list[T]:
    """Deep copies of ``values``, to compare with after a call."""
    return [copy.deepcopy(value) for value in values]


def changed(names: Sequence[str], before: Sequence[object], after: Sequence[object]) -> list[str]:
    """Each argument that no longer equals its snapshot, with where it changed."""
    return [
        difference(b, a, name)
        for name, b, a in zip(names, before, after, strict=True)
        if b != a or type(b) is not type(a)
    ]


def reordered(data: st.DataObject, items: Sequence[T], label: str) -> list[T]:
    """A drawn reordering of ``items`` that moves something (the reversal if the draw does not)."""
    order = data.draw(st.permutations(range(len(items))), label=f"{label} order")
    if order == sorted(order):
        order.reverse()
    return [items[i] for i in order]


def part_of(data: st.DataObject, count: int) -> list[int]:
    """Drawn row numbers of a proper subset of ``count`` rows (all of one row), in order."""
    chosen = sorted(data.draw(st.sets(st.integers(0, count - 1), min_size=1), label="subset"))
    return chosen[1:] if len(chosen) == count > 1 else chosen


def round_trip(value: T) -> T:
    """``value`` pickled and unpickled."""
    restored: T = pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes, just made
    return restored


# ------------------------------------------------------------------ currency

FACTORS: Final = st.sampled_from((Decimal(25), Decimal("0.04"), Decimal("1.37"), Decimal(1000)))
"""Rates of re-expression (never 1, so a plug-in that ignores currency is caught)."""


def reexpressed(context: Context, factor: Decimal, used: Iterable[str]) -> Context:
    """``context`` reporting in a fresh currency worth ``1 / factor`` of its own.

    Every currency ``context`` converts converts into the new one at its rate times
    ``factor``, so every amount a plug-in reports should be ``factor`` times larger.
    Rejects the example (Hypothesis draws another) when a rate would leave the range
    :class:`~custadvocacy.ExchangeRates` accepts.
    """
    taken = set(used) | context.rates.currencies() | {context.currency}
    target = next(code for code in _SPARE_CURRENCIES if code not in taken)
    table: dict[tuple[str, str], Decimal] = {}
    for code in convertible(context):
        rate = DECIMAL.multiply(context.rates.rate(code, context.currency), factor)
        if not MIN_RATE <= rate <= MAX_RATE:
            reject()
        table[(code, target)] = rate
    return Context(as_of=context.as_of, currency=target, rates=ExchangeRates(table))


def currencies_of(values: Iterable[object]) -> set[str]:
    """Every currency code named anywhere in ``values`` (through their plain-data form)."""
    found: set[str] = set()
    pending: list[Any] = [to_dict(value) for value in values if value is not None]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            code = item.get("currency")
            if isinstance(code, str):
                found.add(code)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found
