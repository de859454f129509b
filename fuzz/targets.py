"""Fuzz targets: every input boundary of custadvocacy, driven by raw bytes.

Each target is a plain function ``target(data: bytes) -> None`` that turns the bytes
into a hostile input deterministically (so a saved input replays exactly, with or
without atheris), feeds it to the library and checks the invariant of every input
boundary:

    either a valid object/result, or one of our documented exceptions
    (``AdvocacyError`` subclasses, each with a path) -- never another exception type,
    a NaN or infinity in a result, or a change to the caller's input.

``fuzz/run.py`` drives these with atheris; ``tests/test_fuzz.py`` replays every
saved input in ``fuzz/regressions/`` and runs each target on a seeded stream of
random inputs, so the suite keeps every bug the fuzzers found fixed.
"""

from __future__ import annotations

import copy
import functools
import json
import math
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final

import attrs
import numpy as np

import custadvocacy as ca
from custadvocacy.examples import example_context, example_payload

Target = Callable[[bytes], None]


class FuzzInvariantError(AssertionError):
    """The library broke a promise on a fuzzed input."""


class Reader:
    """Deterministic choices from a byte string (zeros once it runs out)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            return 0
        value = self.data[self.pos]
        self.pos += 1
        return value

    def below(self, n: int) -> int:
        """A number in [0, n): two bytes, so larger ranges are reachable."""
        return ((self.byte() << 8) | self.byte()) % n if n > 1 else 0

    def pick(self, options: list[Any] | tuple[Any, ...]) -> Any:
        return options[self.below(len(options))]

    def raw_text(self, limit: int = 40) -> str:
        length = self.below(limit + 1)
        chunk = bytes(self.byte() for _ in range(length))
        return chunk.decode("utf-8", errors="surrogateescape")

    def value(self, depth: int = 0) -> Any:
        """A JSON-like value chosen to break things."""
        kind = self.below(12 if depth < 3 else 9)
        if kind == 0:
            return None
        if kind == 1:
            return bool(self.byte() & 1)
        if kind == 2:
            return self.pick(_HOSTILE_NUMBERS)
        if kind == 3:
            return (self.byte() - 128) * 10 ** self.below(30)
        if kind == 4:
            return self.pick(_HOSTILE_STRINGS)
        if kind == 5:
            return self.raw_text()
        if kind == 6:
            return self.pick(_HOSTILE_MOMENTS)
        if kind == 7:
            return f"{self.byte() - 128}.{self.byte()}e{self.below(40) - 20}"
        if kind == 8:
            return self.pick(_ENUM_AND_CODE_VALUES)
        if kind == 9:
            return [self.value(depth + 1) for _ in range(self.below(4))]
        if kind == 10:
            return {self.raw_text(8): self.value(depth + 1) for _ in range(self.below(4))}
        return _deep_nest(self.below(300))  # deeper would only test copy.deepcopy


_HOSTILE_NUMBERS: Final = (
    0, -1, 1, 0.5, -0.0, 1.5, 2**63, -(2**63), 10**400, 10**5000, 1e308, -1e308, 5e-324,
    math.nan, math.inf, -math.inf, 1e15, 1e16, 0.1, 3650, 3651, 10, 11, 1e12, 1e13,
    # What a notebook's dict or object column holds: Decimal's NaNs (a signalling one
    # raises on float() and on ==), numpy's scalars (float64 is a float whose repr is not
    # a number's; timedelta64 is one of numpy's integers; bool_ is no bool).
    Decimal("sNaN"), Decimal("-NaN"), np.float64(0.1), np.float64(-1e308), np.float32(1.5),
    np.float32("nan"), np.int64(7), np.int64(-1), np.uint64(2**64 - 1),
    np.timedelta64(5, "D"), np.True_,
)  # fmt: skip

_HOSTILE_STRINGS: Final = (
    "", " ", "x" * 100_001, "x" * 201, "NaN", "-nan", "sNaN", "Infinity", "-Infinity",
    "1e999999", "-1e999999", "1e18", "1000000000000000001", "1e-999999", "0E-1000000",
    "12.50", "-5", "0", "1_000", "٣", "EUR", "eur", "XXX", "ZZZ", "", "\x00", "\ud800",
    "late_delivery", "critical", "vendor", "small", "EUR/CZK", "EUR/", "/", "a/b/c",
)  # fmt: skip

_HOSTILE_MOMENTS: Final = (
    "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00",
    "2026-11-20T09:00:00+00:00", "2026-11-20T09:00:00", "2026-11-20", "2026-02-30T00:00:00Z",
    "1899-12-31T23:59:59+00:00", "2201-01-01T00:00:00+00:00", "2026-11-20T09:00:00+24:00",
    "2026-11-20T09:00:00.123456789+01:00", "2026-W47-5T09:00:00+00:00", "x" * 65,
)  # fmt: skip

_ENUM_AND_CODE_VALUES: Final = (
    "late_delivery", "partial_delivery", "defect", "service_outage", "billing_error",
    "support_failure", "other", "LATE_DELIVERY", "low", "medium", "high", "critical",
    "vendor", "customer", "small", "mid_market", "enterprise", "EUR", "CZK", "GBP", "JPY",
    "BHD", "USD",
)  # fmt: skip


def _deep_nest(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if len(prefix) > 8:
        return
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


def _mutate(payload: Any, reader: Reader, rounds: int) -> Any:
    """Apply up to ``rounds`` hostile edits (replace, delete, add, duplicate) to a copy."""
    for _ in range(rounds):
        paths = list(_paths(payload))
        path = reader.pick(paths)
        if not path:
            if reader.byte() & 7 == 0:
                payload = reader.value()
            continue
        parent = payload
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = reader.below(5)
        if action == 0 and isinstance(parent, dict):
            del parent[last]
        elif action == 1 and isinstance(parent, dict):
            parent[reader.pick(["colour", reader.raw_text(6), str(last) + "_x"])] = reader.value()
        elif action == 2 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[last] = reader.value()
    return payload


_OUR_ERRORS: Final = (ca.AdvocacyError,)


def _check_error(exc: BaseException) -> None:
    if not isinstance(exc, _OUR_ERRORS):
        raise FuzzInvariantError(f"raised {type(exc).__name__}, not an AdvocacyError: {exc!r}")
    if isinstance(exc, ca.ValidationError) and not exc.problems:
        raise FuzzInvariantError("ValidationError without problems")


def _check_finite(data: Any, where: str = "result") -> None:
    if isinstance(data, float) and not math.isfinite(data):
        raise FuzzInvariantError(f"{where} holds {data!r}")
    if isinstance(data, dict):
        for key, value in data.items():
            _check_finite(value, f"{where}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_finite(value, f"{where}[{index}]")


def _under_invariant(build: Callable[[], Any], given: Any, what: str) -> Any:
    """``build()`` under the invariant: its result, or None when it refused with our error.

    ``given`` (what the caller passed) must be unchanged either way; a result must be
    finite, have a repr and read back exactly through its dict form.
    """
    before = copy.deepcopy(given)
    try:
        result = build()
    except Exception as exc:  # noqa: BLE001 - the point is to classify every exception
        _check_error(exc)
        result = None
    if not _same(given, before):
        raise FuzzInvariantError(f"{what} changed what it was given")
    if result is not None:
        repr(result)
        plain = ca.to_dict(result)
        _check_finite(plain)
        again = ca.from_dict(type(result), json.loads(json.dumps(plain)))
        if again != result:
            raise FuzzInvariantError(f"round trip changed the object: {result!r} -> {again!r}")
    return result


def _build(cls: type, payload: Any, unknown: str) -> Any:
    """from_dict under the invariant; returns the object or None when rejected properly."""
    return _under_invariant(
        lambda: ca.from_dict(cls, payload, unknown=unknown),  # type: ignore[arg-type]
        payload,
        "from_dict",
    )


def _is_nan(value: Any) -> bool:
    if isinstance(value, Decimal):
        return value.is_nan()
    return isinstance(value, float | np.floating) and math.isnan(value)


def _same(a: Any, b: Any) -> bool:
    # NaN != NaN (and == on a signalling Decimal NaN raises), so compare NaN-aware;
    # lists/dicts structurally.
    if _is_nan(a) or _is_nan(b):
        return type(a) is type(b) and _is_nan(a) and _is_nan(b) and str(a) == str(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    # A type without an equality of its own (object()) cannot show a change: its copy
    # differs from it by identity alone.
    identity_only = type(a).__eq__ is object.__eq__  # type: ignore[comparison-overlap]
    return type(a) is type(b) and (a == b or identity_only)


# ----------------------------------------------------------------------------- targets


def portfolio_payload(data: bytes) -> None:
    """from_dict(Portfolio, ...) on the example payload with hostile edits."""
    reader = Reader(data)
    unknown = reader.pick(["reject", "ignore"])
    payload = _mutate(example_payload(), reader, 1 + reader.below(4))
    _build(ca.Portfolio, payload, unknown)


def _object_samples() -> list[tuple[type, Any]]:
    payload = example_payload()
    return [
        (ca.Customer, payload["customers"][0]),
        (ca.Customer, payload["customers"][10]),
        (ca.Order, payload["orders"][0]),
        (ca.Order, payload["orders"][5]),
        (ca.Incident, payload["incidents"][1]),
        (ca.OperatingProfile, payload["customers"][0]["profile"]),
        (ca.HealthSignals, payload["customers"][0]["health"]),
        (ca.Money, {"amount": "12.50", "currency": "EUR"}),
        (ca.Context, ca.to_dict(example_context())),
        (ca.ExchangeRates, {"EUR/CZK": "25", "EUR/GBP": "0.86"}),
    ]


def object_payload(data: bytes) -> None:
    """from_dict of each domain class on a hostile edit of a valid payload."""
    reader = Reader(data)
    cls, sample = reader.pick(_object_samples())
    payload = _mutate(copy.deepcopy(sample), reader, 1 + reader.below(3))
    _build(cls, payload, reader.pick(["reject", "ignore"]))


@functools.cache
def _field_samples() -> tuple[Any, ...]:
    """A valid object of each frozen class a host builds or reads, from the example."""
    portfolio: ca.Portfolio = ca.from_dict(ca.Portfolio, example_payload())
    context = example_context()
    result = ca.assess_portfolio(portfolio, context=context)
    assessment = max(result.assessments, key=lambda a: len(a.recommendation.actions))
    recommendation = assessment.recommendation
    impact = next(i for i in assessment.impacts if i.items)
    customer = portfolio.customers[0]
    return (
        customer, customer.profile, customer.health, portfolio.orders[0],
        portfolio.incidents[0], context, assessment.score, assessment.score.contributions[0],
        recommendation, recommendation.actions[0], impact, impact.items[0],
        ca.ScoreWeights(), ca.ScorerConfig(), ca.CustomerFirstPolicy(), ca.VendorValuePolicy(),
        ca.default_catalog().actions[0],
    )  # fmt: skip


def _odd_value(reader: Reader) -> Any:
    """A value of a type a field may not expect: moments, Money, enums, containers."""
    return reader.pick([
        datetime(2026, 11, 20, 9),  # noqa: DTZ001 - naive, on purpose
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59))),
        datetime(2026, 11, 20, 9, tzinfo=UTC), ca.Money("-1", "EUR"), ca.Money("1e18", "JPY"),
        ca.Money("0.001", "BHD"), ca.IncidentKind.DEFECT, ca.Severity.CRITICAL,
        ca.Segment.SMALL, (), ("x",), (None,), frozenset({"a"}), object(), b"EUR",
    ])  # fmt: skip


def object_fields(data: bytes) -> None:
    """The classes' own checks: fields of a valid object set to hostile values (evolve)."""
    reader = Reader(data)
    sample = reader.pick(_field_samples())
    fields = [f for f in attrs.fields(type(sample)) if f.init]
    changes = {}
    for _ in range(1 + reader.below(2)):
        field = reader.pick(fields)
        odd = reader.byte() & 1
        changes[field.alias] = _odd_value(reader) if odd else reader.value()
    _under_invariant(lambda: attrs.evolve(sample, **changes), changes, "a constructor")


def money(data: bytes) -> None:
    """Money construction and arithmetic from hostile numbers and codes."""
    reader = Reader(data)
    values = [
        reader.pick([*_HOSTILE_NUMBERS, *_HOSTILE_STRINGS[:16], Decimal("1e18"), True, None])
        for _ in range(3)
    ]
    codes = [reader.pick(["EUR", "EUR", "JPY", "BHD", "CLF", "eur", "XXX", 1]) for _ in range(2)]
    try:
        a = ca.Money(values[0], codes[0])
        b = ca.Money(values[1], codes[1])
        factor = values[2]
        results: list[Any] = [a.rounded(), -a, abs(a), str(a), repr(a), a == b, hash(a)]
        for op in (
            lambda: a + b,
            lambda: a - b,
            lambda: a < b,
            lambda: sum([a, b]),
            lambda: a * factor,
            lambda: a / factor,
            lambda: (a * factor).rounded("ROUND_HALF_UP"),
        ):
            try:
                results.append(op())
            except Exception as exc:  # noqa: BLE001 - classify every exception
                if isinstance(exc, TypeError) and not isinstance(factor, int | float | Decimal):
                    continue  # Money * "text" is a TypeError, as for any number type
                _check_error(exc)
    except Exception as exc:  # noqa: BLE001 - classify every exception
        _check_error(exc)
        return
    for result in results:
        if isinstance(result, ca.Money) and not result.amount.is_finite():
            raise FuzzInvariantError(f"non-finite Money {result!r}")


def json_text(data: bytes) -> None:
    """Raw bytes as the CLI's JSON input: parse, then build the portfolio."""
    text = data.decode("utf-8", errors="replace")
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        return  # not JSON: the CLI reports it before the library sees anything
    _build(ca.Portfolio, payload, "reject")


def cli_json(data: bytes) -> None:
    """The CLI's payload loader (``load_portfolio_json``) on raw bytes or edited JSON text."""
    from custadvocacy._assess import load_portfolio_json  # noqa: PLC0415 - keep start-up light

    reader = Reader(data)
    mode = reader.below(3)
    text: str | bytes
    if mode == 0:
        text = data[reader.pos :]  # raw bytes: not UTF-8, not JSON, BOMs, deep nesting
    else:
        payload = example_payload() | {"context": ca.to_dict(example_context())}
        payload = _mutate(payload, reader, 1 + reader.below(4))
        try:
            text = json.dumps(payload, allow_nan=True)  # NaN/Infinity reach the parser
        except (ValueError, TypeError, RecursionError):
            return  # json itself cannot write it (a Decimal): no such text can reach us
        if mode == 2 and text:
            cut = reader.below(len(text))
            text = text[:cut] + reader.raw_text(8) + text[cut:]
    unknown = reader.pick(["reject", "ignore"])
    before = copy.deepcopy(text)
    try:
        request = load_portfolio_json(text, unknown=unknown)
    except Exception as exc:  # noqa: BLE001 - the point is to classify every exception
        _check_error(exc)
        return
    if text != before:
        raise FuzzInvariantError("load_portfolio_json changed its input")
    _check_finite(ca.to_dict(request))


def _column(reader: Reader, length: int) -> Any:
    """A hostile column: numbers, text, None, NaN, datetimes, wrong length or shape."""
    kind = reader.below(9)
    if kind == 0:
        return [reader.value() for _ in range(length)]
    if kind == 1:
        return np.array([reader.pick(_HOSTILE_NUMBERS) for _ in range(length)], dtype=object)
    if kind == 2:
        return np.full(length, reader.pick([math.nan, math.inf, -1.0, 1e300, 0.0]))
    if kind == 3:
        return [None] * length
    if kind == 4:
        return np.array([reader.pick(_HOSTILE_MOMENTS)[:19] for _ in range(length)])
    if kind == 5:
        return np.zeros((length, 2))
    if kind == 6:
        return [reader.value() for _ in range(reader.below(length + 3))]
    if kind == 7:
        return np.array([reader.pick(_HOSTILE_STRINGS[:20]) for _ in range(length)])
    return reader.pick([3, "x", None, {"a": 1}, b"bytes"])


_TABLES: Final = ("customers", "orders", "incidents")


def batch_columns(data: bytes) -> None:
    """The batch path's column intake on hostile columns.

    ``columns_from_mapping``, then (when a byte is left that says so) ``allocate_actions``,
    which reads the actions tables gathered from partitions, then (when another byte says
    so) ``assess_partition``'s table of the rows it drops. Each later step comes after the
    earlier steps' bytes, so every input saved before it was added replays as it did.
    """

    from custadvocacy.batch import columns_from_mapping, synthetic_mapping  # noqa: PLC0415

    reader = Reader(data)
    size, seed = 1 + reader.below(4), reader.byte()
    tables = synthetic_mapping(size, seed=seed)
    mapping: dict[str, dict[str, Any]] = {name: dict(tables[name]) for name in _TABLES}
    ids = {name: columns["id"] for name, columns in mapping.items()}
    for _ in range(1 + reader.below(4)):
        table = reader.pick(sorted(mapping))
        name = reader.pick([*sorted(mapping[table]), "colour"])
        length = len(ids[table])  # the table's rows, whatever a column became
        if reader.byte() & 7 == 0:
            mapping[table].pop(name, None)
        else:
            mapping[table][name] = _column(reader, length)
    before = copy.deepcopy(mapping)
    on_invalid = reader.pick(["raise", "drop"])
    unknown = reader.pick(["reject", "ignore"])
    try:
        columns_from_mapping(
            mapping["customers"],
            mapping["orders"],
            mapping["incidents"],
            on_invalid=on_invalid,
            unknown=unknown,
        )
    except Exception as exc:  # noqa: BLE001 - the point is to classify every exception
        _check_error(exc)
    for table, columns in before.items():
        for name, column in columns.items():
            if not _same_column(mapping[table][name], column):
                raise FuzzInvariantError(f"columns_from_mapping changed {table}.{name}")
    if reader.byte() & 1:
        _batch_actions(reader)
    if reader.byte() & 1:
        _partition_dropped(mapping, before, unknown)


def _partition_dropped(
    mapping: dict[str, dict[str, Any]], before: dict[str, dict[str, Any]], unknown: str
) -> None:
    """``assess_partition(table="dropped")`` on the same hostile columns: a table of text."""
    from custadvocacy.batch import assess_partition  # noqa: PLC0415

    try:
        dropped = assess_partition(
            mapping["customers"],
            mapping["orders"],
            mapping["incidents"],
            context=example_context(),
            table="dropped",
            unknown=unknown,  # type: ignore[arg-type]
        )
    except Exception as exc:  # noqa: BLE001 - the point is to classify every exception
        _check_error(exc)
    else:
        lengths = {len(column) for column in dropped.values()}
        texts = ("table", "id", "column", "value", "expected")
        if len(lengths) != 1 or not all(isinstance(v, str) for n in texts for v in dropped[n]):
            raise FuzzInvariantError(f"a dropped table of uneven or non-text columns: {dropped}")
    for table, columns in before.items():
        for name, column in columns.items():
            if not _same_column(mapping[table][name], column):
                raise FuzzInvariantError(f"assess_partition changed {table}.{name}")


def _same_column(now: Any, column: Any) -> bool:
    """Whether a column is as it was (``column``: a deep copy taken before the call)."""
    if isinstance(column, np.ndarray) and column.dtype.kind == "O":
        # object arrays hold NaN, which array_equal cannot match with itself
        return isinstance(now, np.ndarray) and _same(now.tolist(), column.tolist())
    if isinstance(column, np.ndarray):
        return (
            isinstance(now, np.ndarray)
            and now.dtype == column.dtype
            and now.shape == column.shape
            and bool(np.array_equal(now, column, equal_nan=column.dtype.kind in "fmM"))
        )
    return _same(now, column)


@functools.cache
def _actions_table(size: int, seed: int) -> dict[str, Any]:
    from custadvocacy.batch import assess_partition, synthetic_mapping  # noqa: PLC0415

    tables = synthetic_mapping(size, seed=seed)
    return dict(assess_partition(**tables, context=example_context(), table="actions"))


def _batch_actions(reader: Reader) -> None:
    """``allocate_actions`` on an actions table with hostile columns and arguments."""
    from custadvocacy.batch import allocate_actions  # noqa: PLC0415

    actions = dict(_actions_table(1 + reader.below(4), reader.byte()))
    rows = len(actions["customer_id"])
    for _ in range(1 + reader.below(3)):
        name = reader.pick(["customer_id", "rank", "relief", "cost"])
        if reader.byte() & 7 == 0:
            actions.pop(name, None)
        else:
            actions[name] = _column(reader, rows)
    before = copy.deepcopy(actions)
    budget = reader.pick([ca.Money(1000, "EUR"), ca.Money(0, "EUR"), ca.Money("1e15", "EUR"), 5])
    limit = reader.pick([None, ca.Money("0.01", "EUR"), ca.Money(50, "EUR"), ca.Money(1, "GBP")])
    try:
        allocation = allocate_actions(
            actions, budget, per_customer_limit=limit, exact_limit=reader.pick([0, 24, 41])
        )
    except Exception as exc:  # noqa: BLE001 - the point is to classify every exception
        _check_error(exc)
    else:
        if allocation.spent > allocation.budget or allocation.funded.shape != (rows,):
            raise FuzzInvariantError(f"allocate_actions broke its budget: {allocation!r}")
    for name, column in before.items():
        if not _same_column(actions[name], column):
            raise FuzzInvariantError(f"allocate_actions changed actions.{name}")


@functools.cache  # built once, on first use: importing hypothesis is slow
def _portfolio_property() -> Target:
    """A Hypothesis property over generated portfolios, as a bytes target.

    Hypothesis decodes the bytes into a context and a portfolio (``fuzz_one_input``),
    so atheris explores valid portfolios the strategies can draw, and the property
    checks what every assessment promises: no change to the input, a finite result,
    the same result twice.
    """
    from hypothesis import HealthCheck, given, settings  # noqa: PLC0415
    from hypothesis import strategies as st  # noqa: PLC0415

    from custadvocacy.testing.strategies import contexts, portfolios  # noqa: PLC0415

    @st.composite
    def cases(draw: st.DrawFn) -> tuple[ca.Context, ca.Portfolio]:
        context = draw(contexts())
        return context, draw(portfolios(context=context, max_size=3))

    @settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cases())
    def assess_keeps_its_promises(case: tuple[ca.Context, ca.Portfolio]) -> None:
        context, portfolio = case
        before = copy.deepcopy(portfolio)
        result = ca.assess_portfolio(portfolio, context=context)
        if portfolio != before:
            raise FuzzInvariantError("assess_portfolio changed the portfolio")
        _check_finite(ca.to_dict(result))
        if ca.assess_portfolio(portfolio, context=context) != result:
            raise FuzzInvariantError("assess_portfolio gave two results for one input")

    fuzz_one: Target = assess_keeps_its_promises.hypothesis.fuzz_one_input  # type: ignore[attr-defined]
    return fuzz_one


def portfolio_property(data: bytes) -> None:
    """``assess_portfolio`` on portfolios Hypothesis decodes from the bytes."""
    _portfolio_property()(data)


TARGETS: Final[dict[str, Target]] = {
    "portfolio_payload": portfolio_payload,
    "object_payload": object_payload,
    "money": money,
    "json_text": json_text,
    "cli_json": cli_json,
    "portfolio_property": portfolio_property,
    "batch_columns": batch_columns,
    "object_fields": object_fields,
}
"""The targets whose every known crash is fixed: tests/test_fuzz.py replays them."""

PENDING: Final[dict[str, Target]] = {}
"""Targets with a known, not yet fixed crash (tests/test_fuzz_findings.py has it as a strict
xfail). ``fuzz/run.py`` runs them and saves their crashes to ``fuzz/pending/TARGET/``; once
fixed, a target moves to :data:`TARGETS` and its saved inputs to ``fuzz/regressions/``."""
