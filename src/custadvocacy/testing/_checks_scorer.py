"""The rules a scorer keeps, one small named check per rule (``Scorer`` plug-ins).

The rules of the :class:`~custadvocacy.Scorer` protocol: ``score`` returns an
:class:`~custadvocacy.AdvocacyScore` of the customer at ``context.as_of``, in
``[0, 100]`` with contributions that add up to it, the same one every time and in any
order of the inputs, without touching them; the scorer survives a pickle round trip;
and a score is unitless, so the currency the money is expressed in does not move it.
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from hypothesis import strategies as st

from custadvocacy._context import Context
from custadvocacy._errors import ValidationError, short_repr
from custadvocacy._plugins import class_given
from custadvocacy._scoring._model import SUM_TOLERANCE, AdvocacyScore, Band
from custadvocacy.testing._checks_cases import CustomerCase, Derived, customer_cases
from custadvocacy.testing._checks_common import (
    FACTORS,
    Check,
    call,
    changed,
    currencies_of,
    described,
    difference,
    fail,
    raised_hint,
    reexpressed,
    reordered,
    round_trip,
    run_given,
    same_again,
    shown,
    snapshot,
)

ROLE: Final = "scorer"

_SCORE: Final = "scorer.score(customer, orders, incidents, impacts, forecasts, context)"
_NAMES: Final = ("customer", "orders", "incidents", "impacts", "forecasts", "context")

_INTERFACE_HINT: Final = (
    "A scorer is any object with score(customer, orders, incidents, impacts, forecasts, "
    "context) returning an AdvocacyScore; see docs/testing.md."
)
_RESULT_HINT: Final = (
    "Build the result with AdvocacyScore(customer_id=customer.id, as_of=context.as_of, "
    "value=..., band=..., contributions=...) for the customer and the context given."
)
_BOUNDED_HINT: Final = (
    "Scale each factor's points into its share of 100 and round them so that they add "
    "up exactly (the built-in uses the largest remainder method); AdvocacyScore rejects "
    "a value outside [0, 100] or contributions that do not add up to it."
)
_DETERMINISTIC_HINT: Final = (
    "Draw nothing at random, read no clock (the moment is context.as_of) and keep no state "
    "between calls."
)
_ORDER_HINT: Final = (
    "Sort the inputs by id before using them (the built-in does), and sum with "
    "math.fsum, so that the order a host passes them in changes nothing."
)


def _rules(tolerance: float) -> dict[str, str]:
    return {
        "scorer_interface": (
            "a scorer has a score(customer, orders, incidents, impacts, forecasts, context) method."
        ),
        "returns_score": (
            "score() returns an AdvocacyScore of the customer it was given, at context.as_of."
        ),
        "score_bounded": (
            "the score is finite and in [0, 100] (higher = needs an advocate more urgently), "
            "every contribution's points are in [0, 100], and the points add up to the value "
            f"(within {SUM_TOLERANCE:g})."
        ),
        "deterministic": "the same input gives the same AdvocacyScore, on every call.",
        "does_not_mutate_inputs": (
            "score() leaves the customer, the lists of orders, incidents, impacts and "
            "forecasts, and the context exactly as they were."
        ),
        "picklable": (
            "the scorer survives a pickle round trip and the copy gives the same score "
            "(Dask and multiprocessing pickle it)."
        ),
        "order_invariant": (
            "the order of the orders, incidents, impacts and forecasts changes nothing: the "
            f"same value, band, contributions and drivers (points within {SUM_TOLERANCE:g})."
        ),
        "respects_currency": (
            "a score is unitless: re-expressing the context in another currency at a rate "
            "(so that every amount scales by it) leaves the value and every contribution "
            f"unchanged, within {tolerance:g} points (rounding)."
        ),
    }


def _scorer(check: Check) -> Any:
    problem = class_given("it", check.plugin, "score")
    if not problem and not callable(getattr(check.plugin, "score", None)):
        problem = "it has no score(...) method"
    if problem:
        fail(
            check,
            f"it cannot be run: {problem} (rule 'scorer_interface')",
            (),
            hint=_INTERFACE_HINT,
        )
    return check.plugin


class _Inputs:
    """One call's arguments (lists, so a plug-in could mutate them) and the lines showing them."""

    __slots__ = ("args", "lines")

    def __init__(self, case: CustomerCase, context: Context | None = None) -> None:
        ctx = case.context if context is None else context
        derived = case.derived(ctx)
        self.args: list[Any] = [
            case.customer,
            list(case.orders),
            list(case.incidents),
            list(derived.impacts),
            list(derived.forecasts),
            ctx,
        ]
        self.lines = [*case.lines(context=context), *Derived.LINES]


def _score(check: Check, scorer: Any, inputs: _Inputs, *, what: str = _SCORE) -> Any:
    return call(check, inputs.lines, what, lambda: scorer.score(*inputs.args))


def _same_again(check: Check, scorer: Any, inputs: _Inputs, first: object) -> None:
    again = functools.partial(scorer.score, *inputs.args)
    same_again(check, inputs.lines, _SCORE, again, first, hint=_DETERMINISTIC_HINT, path="score")


# ---------------------------------------------------------------------- rules


def _interface(check: Check) -> None:
    _scorer(check)


def _returns_score(check: Check) -> None:
    scorer = _scorer(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case)
        result = _score(check, scorer, inputs)
        if not isinstance(result, AdvocacyScore):
            found = f"it returned {short_repr(result)}, not an AdvocacyScore"
            fail(check, found, inputs.lines, hint=_RESULT_HINT)
        problems = []
        if result.customer_id != case.customer.id:
            problems.append(f"its customer_id is {result.customer_id!r}, not {case.customer.id!r}")
        if result.as_of != case.context.as_of:
            problems.append(
                f"its as_of is {result.as_of.isoformat()}, not {case.context.as_of.isoformat()}"
            )
        if problems:
            fail(check, "; ".join(problems), inputs.lines, hint=_RESULT_HINT)

    run_given(check, customer_cases(), test)


def bounded_problems(result: object) -> list[str]:
    """Every way ``result``'s value and contributions break the bounds or do not add up."""
    value = getattr(result, "value", None)
    if not _in_range(value):
        return [f"the value is {value!r}, not a number in [0, 100]"]
    problems = []
    total = 0.0
    for i, item in enumerate(getattr(result, "contributions", ())):
        points = getattr(item, "points", None)
        if not _in_range(points):
            problems.append(f"contributions[{i}].points is {points!r}, not in [0, 100]")
        else:
            total += typing.cast("float", points)
    if not problems and abs(total - typing.cast("float", value)) > SUM_TOLERANCE:
        problems.append(f"the contributions add up to {total!r}, not to the value {value!r}")
    band = getattr(result, "band", None)
    if not isinstance(band, Band):
        problems.append(f"the band is {band!r}, not a Band")
    return problems


def _in_range(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= 100
    )


def _bounded(check: Check) -> None:
    scorer = _scorer(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case)
        try:
            result = scorer.score(*inputs.args)
        except ValidationError as exc:
            found = f"{_SCORE} could not build its result: {described(exc)}"
            fail(check, found, inputs.lines, hint=_BOUNDED_HINT)
        except Exception as exc:  # noqa: BLE001 - any error on valid input is a failure
            found = f"{_SCORE} raised {described(exc)}"
            fail(check, found, inputs.lines, hint=raised_hint(exc))
        problems = bounded_problems(result)
        if problems:
            fail(check, "; ".join(problems), inputs.lines, hint=_BOUNDED_HINT)

    run_given(check, customer_cases(), test)


def _deterministic(check: Check) -> None:
    scorer = _scorer(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case)
        first = _score(check, scorer, inputs)
        second = _score(check, scorer, inputs, what=f"a second {_SCORE}")
        if first != second:
            found = "two calls on the same input differ: " + difference(first, second, "score")
            fail(check, found, inputs.lines, hint=_DETERMINISTIC_HINT)

    run_given(check, customer_cases(), test)


def _does_not_mutate(check: Check) -> None:
    scorer = _scorer(check)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case)
        before = snapshot(inputs.args)
        _score(check, scorer, inputs)
        diffs = changed(_NAMES, before, inputs.args)
        if diffs:
            fail(
                check,
                "score() changed its input: " + "; ".join(diffs),
                inputs.lines,
                hint="The lines rebuild the input as it was before the call. Sort or filter "
                "into new lists (sorted(orders, key=...)) instead of changing the ones given.",
            )

    run_given(check, customer_cases(), test)


def _picklable(check: Check) -> None:
    scorer = _scorer(check)
    hint = (
        "Dask and multiprocessing pickle the scorer: keep no lambdas, open files or locks "
        "in its attributes, and define the class at module level."
    )
    try:
        clone = round_trip(scorer)
    except Exception as exc:  # noqa: BLE001 - whatever pickle raises is the finding
        fail(check, f"pickling the scorer raised {described(exc)}", (), hint=hint)

    def test(case: CustomerCase) -> None:
        inputs = _Inputs(case)
        result = _score(check, scorer, inputs)
        again = _score(check, clone, inputs, what=f"the unpickled copy's {_SCORE}")
        if result != again:
            _same_again(check, scorer, inputs, result)
            found = "the unpickled copy gives another score: " + difference(result, again, "score")
            fail(check, found, inputs.lines, hint=hint)

    run_given(check, customer_cases(), test)


def scores_differ(a: object, b: object, tolerance: float) -> str | None:
    """Where two scores differ beyond ``tolerance`` points; ``None`` when they agree."""
    if not (isinstance(a, AdvocacyScore) and isinstance(b, AdvocacyScore)):
        return None if a == b else f"{short_repr(a)} -> {short_repr(b)}"
    if abs(a.value - b.value) > tolerance + SUM_TOLERANCE:
        return f"value: {a.value!r} -> {b.value!r}"
    before = {c.factor: c.points for c in a.contributions}
    after = {c.factor: c.points for c in b.contributions}
    if before.keys() != after.keys():
        return f"factors: {sorted(before)} -> {sorted(after)}"
    for factor, points in before.items():
        if abs(points - after[factor]) > tolerance + SUM_TOLERANCE:
            return f"points of {factor!r}: {points!r} -> {after[factor]!r}"
    return None


def _order_invariant(check: Check) -> None:
    scorer = _scorer(check)

    def test(pair: tuple[CustomerCase, st.DataObject]) -> None:
        case, data = pair
        inputs = _Inputs(case)
        first = _score(check, scorer, inputs)
        moved = list(inputs.args)
        for i in range(1, 5):
            moved[i] = reordered(data, inputs.args[i], _NAMES[i])
        lines = [*inputs.lines, *(shown(f"{_NAMES[i]}_reordered", moved[i]) for i in range(1, 5))]
        second = call(check, lines, "score() on the reordered lists", lambda: scorer.score(*moved))
        where = scores_differ(first, second, 0.0)
        if (
            where is None
            and isinstance(first, AdvocacyScore)
            and isinstance(second, AdvocacyScore)
            and (first.band != second.band or first.drivers != second.drivers)
        ):
            where = difference(first, second, "score")
        if where is not None:
            _same_again(check, scorer, inputs, first)
            found = f"reordering the inputs changes the score: {where}"
            fail(check, found, lines, hint=_ORDER_HINT)

    run_given(check, st.tuples(customer_cases(), st.data()), test)


def _respects_currency(check: Check, tolerance: float) -> None:
    scorer = _scorer(check)

    def test(pair: tuple[CustomerCase, Decimal]) -> None:
        case, factor = pair
        other = reexpressed(
            case.context, factor, currencies_of((case.customer, *case.orders, *case.incidents))
        )
        inputs = _Inputs(case)
        moved = _Inputs(case, other)
        lines = [*inputs.lines, shown("other_context", other)]
        before = _score(check, scorer, inputs)
        after = call(check, lines, "score() in other_context", lambda: scorer.score(*moved.args))
        where = scores_differ(before, after, tolerance)
        if where is not None:
            _same_again(check, scorer, inputs, before)
            found = (
                f"other_context reports in {other.currency} at {factor} {other.currency} per "
                f"{case.context.currency} (impacts and forecasts estimated in it too), and "
                f"the score moves: {where}"
            )
            fail(
                check,
                found,
                lines,
                hint="Compare amounts only with amounts in the same currency (loss against "
                "revenue, value against a scale converted through the context); an amount "
                "compared with a bare number changes meaning with the currency.",
            )

    run_given(check, st.tuples(customer_cases(), FACTORS), test)


def checks(scorer: object, *, max_examples: int, tolerance: float) -> list[Check]:
    """The scorer checks, in order (see the module docstring)."""
    rules = _rules(tolerance)
    bodies: dict[str, Callable[[Check], None]] = {
        "scorer_interface": _interface,
        "returns_score": _returns_score,
        "score_bounded": _bounded,
        "deterministic": _deterministic,
        "does_not_mutate_inputs": _does_not_mutate,
        "picklable": _picklable,
        "order_invariant": _order_invariant,
        "respects_currency": functools.partial(_respects_currency, tolerance=tolerance),
    }
    return [
        Check(
            name=name,
            rule=rules[name],
            role=ROLE,
            plugin=scorer,
            max_examples=max_examples,
            body=body,
        )
        for name, body in bodies.items()
    ]
