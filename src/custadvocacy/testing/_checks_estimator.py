"""The rules an impact estimator keeps, one small named check per rule.

The rules of the :class:`~custadvocacy.ImpactEstimator` protocol: it declares what it
is; ``estimate`` returns an :class:`~custadvocacy.Impact` of the given incident in the
reporting currency, never a negative loss and never an inverted range, the same one
every time, without touching its inputs; it survives a pickle round trip; it converts
every amount through the context; and, when it declares ``capabilities.batch``, its
``estimate_batch`` equals a loop over ``estimate`` whatever the order or subset.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from custadvocacy._errors import ValidationError, short_repr
from custadvocacy._impact._compose import _plugin_problems
from custadvocacy._impact._model import EstimatorCapabilities, Impact
from custadvocacy._plugins import class_given
from custadvocacy.testing._checks_cases import (
    IncidentBatch,
    IncidentCase,
    incident_batches,
    incident_cases,
)
from custadvocacy.testing._checks_common import (
    ABS_TOLERANCE,
    FACTORS,
    REL_TOLERANCE,
    Check,
    call,
    changed,
    close,
    currencies_of,
    described,
    difference,
    fail,
    part_of,
    raised_hint,
    reexpressed,
    reordered,
    round_trip,
    run_given,
    same_again,
    shown,
    snapshot,
)

ROLE: Final = "estimator"

_ESTIMATE: Final = "estimate(incident, customer, order, context)"
_BATCH: Final = "estimate_batch(incidents, customers, orders, context)"
_AMOUNTS: Final = ("expected", "low", "high")
# The rules comparing the amounts of two calls, and what they say to a random estimator.
_COMPARING_AMOUNTS: Final = (
    "respects_currency",
    "batch_equals_loop",
    "batch_order_invariant",
    "batch_subset_invariant",
)
_RANDOM: Final = (
    " For an estimator declaring capabilities.deterministic False, whose two draws differ, "
    "only what no draw changes is compared: the incident, customer, kind, estimator, currency "
    "and state, not the amounts or the line items."
)

_RULES: Final = {
    "estimator_interface": (
        "an estimator has a non-empty string 'name', an EstimatorCapabilities in "
        "'capabilities' and an estimate(incident, customer, order, context) method."
    ),
    "returns_impact": (
        "estimate() returns an Impact of the incident it was given (same incident_id, "
        "customer_id and kind), in context.currency, whose 'estimator' is the estimator's name."
    ),
    "non_negative_loss": (
        "an estimate is never a negative loss: expected, low and high (of the total and of "
        "every item) are finite, >= 0 and low <= expected <= high."
    ),
    "deterministic": (
        "the same input gives the same Impact, on every call and for an equal copy of the "
        "input (capabilities.deterministic is True)."
    ),
    "does_not_mutate_inputs": (
        "estimate() leaves the incident, customer, order and context exactly as they were."
    ),
    "picklable": (
        "the estimator survives a pickle round trip, the copy gives the same Impact, and "
        "the Impact survives a pickle round trip (Dask and multiprocessing pickle both)."
    ),
    "respects_currency": (
        "every amount is converted into context.currency through the context: re-expressing "
        "the context in another currency at a rate scales every amount (totals and items) "
        f"by exactly that rate (within a relative {REL_TOLERANCE:g}, or {ABS_TOLERANCE:g} of a "
        "unit near zero)."
    ),
    "batch_equals_loop": (
        f"with capabilities.batch, {_BATCH} returns, for aligned sequences, the Impacts "
        "that estimate() gives one at a time, in the same order "
        f"(amounts within a relative {REL_TOLERANCE:g}, or {ABS_TOLERANCE:g} of a unit)."
    ),
    "batch_order_invariant": (
        "with capabilities.batch, the batch result of a reordered input is the batch result "
        "reordered the same way: no incident's estimate depends on its position."
    ),
    "batch_subset_invariant": (
        "with capabilities.batch, the batch result of any subset of the input is the same "
        "subset of the batch result: no incident's estimate depends on the others."
    ),
}

_INTERFACE_HINT: Final = (
    "Give the estimator these members (no base class needed): a 'name' string, a "
    "'capabilities' = EstimatorCapabilities(kinds=frozenset({...}), batch=False) and "
    "estimate(incident, customer, order, context) returning an Impact; see "
    "docs/testing.md."
)
_NEGATIVE_HINT: Final = (
    "LossItem and Impact reject a negative amount and low > expected or expected > high, "
    "so an estimator that computes one fails when it builds its result. Clamp what can "
    "go below zero (e.g. days late minus a buffer: max(0, ...)) and build each range "
    "from the same inputs at their P10 and P90."
)
_RESULT_HINT: Final = (
    "Build the result with Impact.from_items(incident=incident, estimator=self.name, "
    "currency=context.currency, items=..., ongoing=...)."
)
_BATCH_LOOP_HINT: Final = (
    "Compute each row with the formulas estimate() uses, in the same order of operations "
    "(a vectorised rewrite that sums or rounds otherwise drifts in the last digits), or "
    "call estimate() for each row."
)
_BATCH_LENGTH_HINT: Final = (
    "Return one Impact per incident given, in the order given (a list or a tuple as long "
    "as the columns)."
)
_BATCH_ORDER_HINT: Final = (
    "Return the results in the order of the incidents given: a batch path that sorts or "
    "groups its rows must put each result back at its row's position."
)
_BATCH_SUBSET_HINT: Final = (
    "Compute each row from its own incident, customer and order alone: a statistic of the "
    "whole batch (its size, a mean, a rank, a shared budget) must not enter a row's result."
)
_DETERMINISTIC_HINT: Final = (
    "Draw nothing at random, read no clock (the moment is context.as_of) and keep "
    "no state between calls (caches keyed by id() included); an estimator that must be "
    "random takes a seed as a parameter and declares "
    "EstimatorCapabilities(deterministic=False)."
)
_CURRENCY_HINT: Final = (
    "Convert every Money into the reporting currency through the context "
    "(context.to_float(money) or context.convert(money)) before using it: an amount "
    "used as it stands keeps its own currency's scale, and parameters in a fixed "
    "currency must be Money converted the same way."
)


def _estimator(check: Check) -> Any:
    """The plug-in, once its interface is known to be there (else the check fails)."""
    problem = class_given("it", check.plugin, "estimate")
    if not problem and (missing := _plugin_problems(check.plugin)):
        problem = f"it lacks {'; '.join(missing)}"
    if problem:
        fail(
            check,
            f"it cannot be run: {problem} (rule 'estimator_interface')",
            (),
            hint=_INTERFACE_HINT,
        )
    return check.plugin


def _kinds(estimator: Any) -> frozenset[Any]:
    capabilities: EstimatorCapabilities = estimator.capabilities
    return capabilities.kinds


def _estimate(check: Check, estimator: Any, case: IncidentCase, *, what: str = _ESTIMATE) -> Any:
    return call(check, case.lines(), what, lambda: estimator.estimate(*case.args))


# ---------------------------------------------------------------------- rules


def _same_again(
    check: Check, estimator: Any, args: tuple[Any, ...], lines: list[str], first: object
) -> None:
    again = functools.partial(estimator.estimate, *args)
    same_again(check, lines, _ESTIMATE, again, first, hint=_DETERMINISTIC_HINT)


def _interface(check: Check) -> None:
    _estimator(check)


def impact_problems(result: object, case: IncidentCase, name: str) -> list[str]:
    """How ``result`` is not the Impact of ``case``'s incident in its currency (empty if it is)."""
    if not isinstance(result, Impact):
        return [f"it returned {short_repr(result)}, not an Impact"]
    incident, context = case.incident, case.context
    expected = {
        "incident_id": incident.id,
        "customer_id": incident.customer_id,
        "kind": incident.kind,
        "currency": context.currency,
        "estimator": name,
    }
    return [
        f"its {field} is {getattr(result, field)!r}, not {value!r}"
        for field, value in expected.items()
        if getattr(result, field) != value
    ]


def _returns_impact(check: Check) -> None:
    estimator = _estimator(check)

    def test(case: IncidentCase) -> None:
        result = _estimate(check, estimator, case)
        problems = impact_problems(result, case, estimator.name)
        if problems:
            fail(
                check,
                "; ".join(problems),
                case.lines(),
                hint=_RESULT_HINT,
            )

    run_given(check, incident_cases(_kinds(estimator)), test)


def range_problems(result: object) -> list[str]:
    """Every negative, non-finite or out-of-order amount of ``result`` and its items."""
    rows: list[tuple[str, object]] = [("", result)]
    items = getattr(result, "items", ())
    if isinstance(items, tuple | list):
        rows.extend((f"items[{i}].", item) for i, item in enumerate(items))
    problems = []
    for prefix, row in rows:
        values = [getattr(row, name, None) for name in _AMOUNTS]
        numbers = [
            v
            for v in values
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        ]
        for name, value in zip(_AMOUNTS, values, strict=True):
            if value not in numbers:
                problems.append(f"{prefix}{name} is {value!r}, not a finite number")
            elif value < 0:
                problems.append(f"{prefix}{name} is {value!r}: a negative loss")
        if len(numbers) == 3 and not numbers[1] <= numbers[0] <= numbers[2]:
            expected, low, high = numbers
            problems.append(
                f"{prefix}low, expected, high are {low!r}, {expected!r}, {high!r}: "
                "not low <= expected <= high"
            )
    return problems


def _non_negative(check: Check) -> None:
    estimator = _estimator(check)

    def test(case: IncidentCase) -> None:
        try:
            result = estimator.estimate(*case.args)
        except ValidationError as exc:
            fail(
                check,
                f"{_ESTIMATE} could not build its result: {described(exc)}",
                case.lines(),
                hint=_NEGATIVE_HINT,
            )
        except Exception as exc:  # noqa: BLE001 - any error on valid input is a failure
            found = f"{_ESTIMATE} raised {described(exc)}"
            fail(check, found, case.lines(), hint=raised_hint(exc))
        problems = range_problems(result)
        if problems:
            fail(check, "; ".join(problems), case.lines(), hint=_NEGATIVE_HINT)

    run_given(check, incident_cases(_kinds(estimator)), test)


def _deterministic(check: Check) -> None:
    estimator = _estimator(check)

    def test(case: IncidentCase) -> None:
        first = _estimate(check, estimator, case)
        second = _estimate(check, estimator, case, what=f"a second {_ESTIMATE}")
        copied = IncidentCase(**{name: copy.deepcopy(getattr(case, name)) for name in case.NAMES})
        third = _estimate(check, estimator, copied, what=f"{_ESTIMATE} on an equal copy")
        if first != second:
            found = "two calls on the same input differ: " + difference(first, second, "result")
            fail(check, found, case.lines(), hint=_DETERMINISTIC_HINT)
        if first != third:
            found = "a call on an equal copy of the input differs: " + difference(
                first, third, "result"
            )
            fail(check, found, case.lines(), hint=_DETERMINISTIC_HINT)

    run_given(check, incident_cases(_kinds(estimator)), test)


def _does_not_mutate(check: Check) -> None:
    estimator = _estimator(check)

    def test(case: IncidentCase) -> None:
        original = copy.deepcopy(case)
        before = snapshot(case.args)
        _estimate(check, estimator, case)
        diffs = changed(case.NAMES, before, case.args)
        if diffs:
            fail(
                check,
                "estimate() changed its input: " + "; ".join(diffs),
                original.lines(),
                hint="The input shown is as it was before the call. Domain objects are "
                "frozen: build new values (attrs.evolve) instead of changing them.",
            )

    run_given(check, incident_cases(_kinds(estimator)), test)


_PICKLE_HINT: Final = (
    "Dask and multiprocessing send plug-ins and results to other processes by pickling "
    "them: keep no lambdas, open files, locks or generators in the estimator's "
    "attributes (a frozen attrs class of plain values pickles), and define the class at "
    "module level."
)


def _picklable(check: Check) -> None:
    estimator = _estimator(check)
    try:
        clone = round_trip(estimator)
    except Exception as exc:  # noqa: BLE001 - whatever pickle raises is the finding
        fail(
            check,
            f"pickling the estimator raised {described(exc)}",
            (),
            hint=_PICKLE_HINT,
        )
    deterministic = estimator.capabilities.deterministic

    def test(case: IncidentCase) -> None:
        result = _estimate(check, estimator, case)
        again = _estimate(check, clone, case, what=f"the unpickled copy's {_ESTIMATE}")
        if deterministic and result != again:
            _same_again(check, estimator, case.args, case.lines(), result)
            found = "the unpickled copy gives another result: " + difference(
                result, again, "result"
            )
            fail(check, found, case.lines(), hint=_PICKLE_HINT)
        try:
            restored = round_trip(result)
        except Exception as exc:  # noqa: BLE001 - whatever pickle raises is the finding
            found = f"pickling the Impact raised {described(exc)}"
            fail(check, found, case.lines(), hint=_PICKLE_HINT)
        if restored != result:
            found = "the Impact changes in a pickle round trip: " + difference(
                result, restored, "result"
            )
            fail(check, found, case.lines(), hint=_PICKLE_HINT)

    run_given(check, incident_cases(_kinds(estimator)), test)


def scaled_problems(
    before: Impact, after: Impact, factor: Decimal, *, amounts: bool = True
) -> list[str]:
    """Where ``after`` is not ``before`` times ``factor``: its line items, then each amount.

    With ``amounts=False`` (a random estimator's two draws) only what no draw changes is
    compared: the identity and the state (the currencies differ by design).
    """
    if not amounts:
        where = impacts_differ(attrs.evolve(before, currency=after.currency), after, amounts=False)
        return [] if where is None else [where]
    k = float(factor)
    scale = k * max(abs(before.high), abs(before.expected))
    rows: list[tuple[str, Any, Any]] = [("", before, after)]
    if [i.category for i in before.items] != [i.category for i in after.items]:
        was = [i.category.value for i in before.items]
        now = [i.category.value for i in after.items]
        return [f"the line items differ: {was} -> {now}"]
    rows.extend(
        (f"items[{i}].", a, b)
        for i, (a, b) in enumerate(zip(before.items, after.items, strict=True))
    )
    problems = []
    for prefix, a, b in rows:
        for name in _AMOUNTS:
            old, new = float(getattr(a, name)), float(getattr(b, name))
            if not close(old * k, new, scale):
                problems.append(
                    f"{prefix}{name} is {new!r} {after.currency}, not {old!r} {before.currency}"
                    f" x {factor} = {old * k!r}"
                )
    return problems


def _respects_currency(check: Check) -> None:
    estimator = _estimator(check)
    deterministic = estimator.capabilities.deterministic

    def test(pair: tuple[IncidentCase, Decimal]) -> None:
        case, factor = pair
        other = reexpressed(case.context, factor, currencies_of(case.args[:3]))
        lines = [*case.lines(), shown("other_context", other)]
        before = call(check, lines, _ESTIMATE, lambda: estimator.estimate(*case.args))
        after = call(
            check,
            lines,
            "estimate(incident, customer, order, other_context)",
            lambda: estimator.estimate(case.incident, case.customer, case.order, other),
        )
        if not (isinstance(before, Impact) and isinstance(after, Impact)):
            found = "the results are not Impacts (rule 'returns_impact')"
            fail(check, found, lines, hint=_RESULT_HINT)
        problems = scaled_problems(before, after, factor, amounts=deterministic)
        if after.currency != other.currency:
            problems.insert(0, f"its currency is {after.currency!r}, not {other.currency!r}")
        if problems:
            if deterministic:
                _same_again(check, estimator, case.args, lines, before)
            found = (
                f"other_context reports in {other.currency} at {factor} {other.currency} per "
                f"{case.context.currency}, but " + "; ".join(problems)
            )
            fail(check, found, lines, hint=_CURRENCY_HINT)

    run_given(check, st.tuples(incident_cases(_kinds(estimator)), FACTORS), test)


# ---------------------------------------------------------------------- batch


def _same_batch_again(
    check: Check, method: Callable[..., Any], batch: IncidentBatch, full: list[Any]
) -> None:
    """Fail as :func:`same_again` when the whole batch, run again, gives another result."""
    rows = list(range(len(batch.cases)))
    lines = [*batch.lines(), f"rows = {rows!r}"]
    what = f"{_BATCH} on rows {rows}"
    same_again(
        check,
        lines,
        what,
        lambda: list(method(*batch.columns(rows), batch.context)),
        full,
        hint=_DETERMINISTIC_HINT,
    )


def impacts_differ(a: object, b: object, *, amounts: bool = True) -> str | None:
    """Where two Impacts differ (amounts compared within the tolerance); ``None`` if they agree.

    With ``amounts=False`` (a random estimator's two draws) only what no draw changes is
    compared: the identity, currency and state, not the amounts, line items or reason.
    """
    if not (isinstance(a, Impact) and isinstance(b, Impact)):
        return None if a == b else f"{short_repr(a)} -> {short_repr(b)}"
    for name in ("incident_id", "customer_id", "kind", "estimator", "currency", "ongoing"):
        if getattr(a, name) != getattr(b, name):
            return f"{name}: {getattr(a, name)!r} -> {getattr(b, name)!r}"
    if not amounts:
        return None if a.estimated == b.estimated else f"estimated: {a.estimated} -> {b.estimated}"
    if a.estimated != b.estimated or a.reason != b.reason or len(a.items) != len(b.items):
        return f"{a!r} -> {b!r}"
    return _amounts_differ(a, b)


def _amounts_differ(a: Impact, b: Impact) -> str | None:
    """Where two Impacts of as many items differ in an amount or an item's label."""
    scale = max(abs(a.high), abs(b.high))
    rows: list[tuple[str, Any, Any]] = [("", a, b)]
    rows.extend(
        (f"items[{i}].", x, y) for i, (x, y) in enumerate(zip(a.items, b.items, strict=True))
    )
    for prefix, x, y in rows:
        for name in _AMOUNTS:
            if not close(getattr(x, name), getattr(y, name), scale):
                return f"{prefix}{name}: {getattr(x, name)!r} -> {getattr(y, name)!r}"
        if prefix and (x.label, x.category) != (y.label, y.category):
            return f"{prefix}label: {x.label!r} -> {y.label!r}"
    return None


def _batch_method(check: Check) -> Callable[..., Any]:
    method = getattr(_estimator(check), "estimate_batch", None)
    if not callable(method):
        fail(
            check,
            f"capabilities.batch is True, but it has no {_BATCH} method",
            (),
            hint="Add the method, or declare EstimatorCapabilities(batch=False).",
        )
    return method  # type: ignore[no-any-return]


def _run_batch(
    check: Check, method: Callable[..., Any], batch: IncidentBatch, rows: list[int]
) -> list[Any]:
    lines = [*batch.lines(), f"rows = {rows!r}"]
    what = f"{_BATCH} on rows {rows}"
    results = call(check, lines, what, lambda: list(method(*batch.columns(rows), batch.context)))
    if len(results) != len(rows):
        found = f"{what} returned {len(results)} results for {len(rows)} incidents"
        fail(check, found, lines, hint=_BATCH_LENGTH_HINT)
    return results


def _batch_equals_loop(check: Check) -> None:
    method = _batch_method(check)
    estimator = _estimator(check)
    deterministic = estimator.capabilities.deterministic

    def test(batch: IncidentBatch) -> None:
        rows = list(range(len(batch.cases)))
        results = _run_batch(check, method, batch, rows)
        for i, (case, result) in enumerate(zip(batch.cases, results, strict=True)):
            single = _estimate(check, estimator, case)
            where = impacts_differ(single, result, amounts=deterministic)
            if where is not None:
                if deterministic:
                    _same_again(check, estimator, case.args, case.lines(), single)
                found = f"result {i} of the batch differs from estimate() of incident {i}: {where}"
                fail(check, found, [*batch.lines(), f"rows = {rows!r}"], hint=_BATCH_LOOP_HINT)

    run_given(check, incident_batches(_kinds(estimator)), test)


def _batch_order_invariant(check: Check) -> None:
    method = _batch_method(check)
    deterministic = _estimator(check).capabilities.deterministic

    def test(pair: tuple[IncidentBatch, st.DataObject]) -> None:
        batch, data = pair
        everything = list(range(len(batch.cases)))
        order = reordered(data, everything, "rows")
        full = _run_batch(check, method, batch, everything)
        moved = _run_batch(check, method, batch, order)
        for j, i in enumerate(order):
            where = impacts_differ(full[i], moved[j], amounts=deterministic)
            if where is not None:
                if deterministic:
                    _same_batch_again(check, method, batch, full)
                moved_to = "left in place" if i == j else f"moved to position {j}"
                found = (
                    f"incident {i}, {moved_to} among reordered rows, gets another result: {where}"
                )
                lines = [*batch.lines(), f"rows = {order!r}"]
                fail(check, found, lines, hint=_BATCH_ORDER_HINT)

    run_given(check, st.tuples(incident_batches(_kinds(check.plugin)), st.data()), test)


def _batch_subset_invariant(check: Check) -> None:
    method = _batch_method(check)
    deterministic = _estimator(check).capabilities.deterministic

    def test(pair: tuple[IncidentBatch, st.DataObject]) -> None:
        batch, data = pair
        everything = list(range(len(batch.cases)))
        subset = part_of(data, len(everything))
        full = _run_batch(check, method, batch, everything)
        part = _run_batch(check, method, batch, subset)
        for j, i in enumerate(subset):
            where = impacts_differ(full[i], part[j], amounts=deterministic)
            if where is not None:
                if deterministic:
                    _same_batch_again(check, method, batch, full)
                found = f"incident {i} gets another result in the subset {subset}: {where}"
                lines = [*batch.lines(), f"rows = {subset!r}"]
                fail(check, found, lines, hint=_BATCH_SUBSET_HINT)

    run_given(check, st.tuples(incident_batches(_kinds(check.plugin)), st.data()), test)


_BODIES: Final[dict[str, Callable[[Check], None]]] = {
    "estimator_interface": _interface,
    "returns_impact": _returns_impact,
    "non_negative_loss": _non_negative,
    "deterministic": _deterministic,
    "does_not_mutate_inputs": _does_not_mutate,
    "picklable": _picklable,
    "respects_currency": _respects_currency,
    "batch_equals_loop": _batch_equals_loop,
    "batch_order_invariant": _batch_order_invariant,
    "batch_subset_invariant": _batch_subset_invariant,
}


def checks(estimator: object, *, max_examples: int) -> list[Check]:
    """The checks that apply to ``estimator``, in order (see the module docstring)."""
    capabilities = getattr(estimator, "capabilities", None)
    skipped = {"batch_equals_loop", "batch_order_invariant", "batch_subset_invariant"}
    if isinstance(capabilities, EstimatorCapabilities):
        if capabilities.batch:
            skipped.clear()
        if not capabilities.deterministic:
            skipped.add("deterministic")
    rules = dict(_RULES)
    if isinstance(capabilities, EstimatorCapabilities) and not capabilities.deterministic:
        for name in _COMPARING_AMOUNTS:
            rules[name] += _RANDOM
    make = functools.partial(Check, role=ROLE, plugin=estimator, max_examples=max_examples)
    return [
        make(name=name, rule=rules[name], body=body)
        for name, body in _BODIES.items()
        if name not in skipped
    ]
