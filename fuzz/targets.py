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
import json
import math
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Final

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
    0, -1, 1, 0.5, -0.0, 1.5, 2**63, -(2**63), 10**400, 1e308, -1e308, 5e-324,
    math.nan, math.inf, -math.inf, 1e15, 1e16, 0.1, 3650, 3651, 10, 11, 1e12, 1e13,
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


def _build(cls: type, payload: Any, unknown: str) -> Any:
    """from_dict under the invariant; returns the object or None when rejected properly."""
    before = copy.deepcopy(payload)
    try:
        result: Any = ca.from_dict(cls, payload, unknown=unknown)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - the point is to classify every exception
        _check_error(exc)
        result = None
    if not _same(payload, before):
        raise FuzzInvariantError("from_dict changed the caller's payload")
    if result is not None:
        plain = ca.to_dict(result)
        _check_finite(plain)
        again: Any = ca.from_dict(cls, json.loads(json.dumps(plain)))
        if again != result:
            raise FuzzInvariantError(f"round trip changed the object: {result!r} -> {again!r}")
    return result


def _same(a: Any, b: Any) -> bool:
    # NaN != NaN, so compare NaN-aware; lists/dicts structurally.
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


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


TARGETS: Final[dict[str, Target]] = {
    "portfolio_payload": portfolio_payload,
    "object_payload": object_payload,
    "money": money,
    "json_text": json_text,
}
