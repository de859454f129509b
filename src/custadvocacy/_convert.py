"""Plain data (JSON-compatible dicts) to and from the library's value classes.

The conversion is driven by each attrs class's fields and their annotations, so a
new value class converts without code of its own. The format:

- ``Decimal`` and ``Money.amount`` as strings (exact); floats and ints as numbers;
- datetimes as ISO 8601 strings with a UTC offset;
- enums by value; tuples as lists; ``None`` as ``null``;
- :class:`ExchangeRates` as ``{"EUR/CZK": "25.1"}``.

``from_dict`` checks the whole payload before it gives up, and raises one
:class:`ValidationError` listing every problem with its path.
"""

from __future__ import annotations

import enum
import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Final, Literal, TypeVar

import attrs

from custadvocacy._errors import Problem, ValidationError
from custadvocacy._money import ExchangeRates, Money, to_decimal

__all__ = ["MAX_ITEMS", "MAX_STRING_LENGTH", "from_dict", "to_dict"]

MAX_ITEMS: Final = 10_000_000
"""Longest list a payload may hold (customers, orders, incidents...)."""

MAX_STRING_LENGTH: Final = 100_000
"""Longest string a payload may hold anywhere; fields set tighter limits of their own."""

_MAX_DATETIME_LENGTH: Final = 64
_MAX_FLOAT: Final = 1e15

T = TypeVar("T")
Unknown = Literal["reject", "ignore"]

_MISSING: Final = object()


class _Invalid:
    """Marker for a value that could not be parsed (its problems are already recorded)."""


_INVALID: Final = _Invalid()


# ---------------------------------------------------------------------------- to_dict


def to_dict(obj: Any) -> Any:
    """Return ``obj`` as JSON-compatible plain data (dicts, lists, str, int, float, None).

    Works for every value class of the library (domain objects, :class:`Context`,
    :class:`Portfolio`, results). The output of ``json.dumps(to_dict(x))`` reads back
    with :func:`from_dict` to an equal object.

    Example:
        >>> to_dict(Money("12.50", "EUR"))
        {'amount': '12.50', 'currency': 'EUR'}

    .. versionadded:: 0.1.0
    """
    return _unstructure(obj)


def _unstructure(value: Any) -> Any:  # noqa: PLR0911 - one branch per plain-data kind
    if isinstance(value, enum.Enum):
        return _unstructure(value.value)
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, ExchangeRates):
        return {f"{base}/{quote}": str(rate) for (base, quote), rate in value.rates.items()}
    if attrs.has(type(value)):
        return {f.name: _unstructure(getattr(value, f.name)) for f in _init_fields(type(value))}
    if isinstance(value, tuple | list):
        return [_unstructure(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _unstructure(v) for k, v in value.items()}
    raise TypeError(f"to_dict() cannot convert {type(value).__name__!r}")


def _init_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(f for f in attrs.fields(cls) if f.init)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


# -------------------------------------------------------------------------- from_dict


def from_dict(cls: type[T], data: Any, *, unknown: Unknown = "reject") -> T:
    """Build a ``cls`` from plain data, checking the whole payload first.

    Args:
        cls: The class to build: a domain class (:class:`Customer`, :class:`Order`,
            :class:`Incident`...), :class:`Portfolio`, :class:`Context`,
            :class:`Money` or another value class of the library.
        data: Plain data in the :func:`to_dict` format.
        unknown: ``"reject"`` (default) reports keys the class does not have as
            problems; ``"ignore"`` drops them (for CRM payloads with extra fields).

    Returns:
        The object, equal to the one ``data`` was made from.

    Raises:
        ValidationError: Every problem of the payload, each with its field path,
            e.g. ``orders[2].value.amount``.

    Example:
        >>> from custadvocacy import Order
        >>> payload = {
        ...     "id": "O1", "customer_id": "C1", "placed_at": "2026-10-01T00:00:00+00:00",
        ...     "promised_at": "2026-09-01T00:00:00+00:00",
        ...     "value": {"amount": "-5", "currency": "EUR"}, "colour": "red",
        ... }
        >>> from_dict(Order, payload)
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 3 problems:
          colour: expected no such field (Order has: ...), got 'colour'
          value.amount: expected a non-negative amount, got Decimal('-5')
          promised_at: expected a moment not before placed_at (2026-10-01T00:00:00+00:00), ...

    .. versionadded:: 0.1.0
    """
    if unknown not in ("reject", "ignore"):
        raise ValueError(f"unknown must be 'reject' or 'ignore', not {unknown!r}")
    problems: list[Problem] = []
    result = _structure(cls, data, "", problems, unknown == "ignore")
    if problems or isinstance(result, _Invalid):
        raise ValidationError(problems)
    return typing.cast("T", result)


def _structure(  # noqa: PLR0911 - one branch per kind of annotation
    tp: Any, value: Any, path: str, problems: list[Problem], ignore: bool
) -> Any:
    origin = typing.get_origin(tp)
    if origin is types.UnionType or origin is typing.Union:
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = (a for a in args if a is not type(None))
        return _structure(inner, value, path, problems, ignore)
    if origin is tuple:
        return _structure_tuple(typing.get_args(tp)[0], value, path, problems, ignore)
    parser = _PARSERS.get(tp)
    if parser is not None:
        return _parse(parser, value, path, problems)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _parse(_enum_parser(tp), value, path, problems)
    if tp is ExchangeRates:
        return _parse(_parse_rates, value, path, problems)
    if isinstance(tp, type) and attrs.has(tp):
        return _structure_attrs(tp, value, path, problems, ignore)
    raise TypeError(f"from_dict() does not know how to build {tp!r}")  # pragma: no cover


def _parse(parser: Callable[[Any], Any], value: Any, path: str, problems: list[Problem]) -> Any:
    try:
        return parser(value)
    except ValidationError as exc:
        problems.extend(exc.under(path).problems)
        return _INVALID


def _structure_tuple(
    item_type: Any, value: Any, path: str, problems: list[Problem], ignore: bool
) -> Any:
    if not isinstance(value, list | tuple):
        problems.append(Problem(path, value, "a list"))
        return _INVALID
    if len(value) > MAX_ITEMS:
        problems.append(Problem(path, f"<{len(value)} items>", f"at most {MAX_ITEMS:,} items"))
        return _INVALID
    items = [
        _structure(item_type, item, f"{path}[{i}]", problems, ignore)
        for i, item in enumerate(value)
    ]
    if any(isinstance(item, _Invalid) for item in items):
        return _INVALID
    return tuple(items)


def _structure_attrs(
    cls: type, value: Any, path: str, problems: list[Problem], ignore: bool
) -> Any:
    if not isinstance(value, Mapping):
        problems.append(Problem(path, value, f"an object (mapping) for {cls.__name__}"))
        return _INVALID
    fields = _init_fields(cls)
    names = {f.name for f in fields}
    if not ignore:
        known = ", ".join(sorted(names))
        problems.extend(
            Problem(_join(path, str(key)), key, f"no such field ({cls.__name__} has: {known})")
            for key in value
            if key not in names
        )
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    complete = True
    for f in fields:
        field_path = _join(path, f.name)
        raw = value.get(f.name, _MISSING)
        if raw is _MISSING:
            if f.default is attrs.NOTHING:
                problems.append(Problem(field_path, None, "a value (the field is required)"))
                complete = False
            continue
        kwargs[f.name] = parsed = _structure(hints[f.name], raw, field_path, problems, ignore)
        complete = complete and not isinstance(parsed, _Invalid)
    if not complete:
        # Cross-field rules need every field; what could be checked has been.
        return _INVALID
    try:
        return cls(**kwargs)
    except ValidationError as exc:
        problems.extend(exc.under(path).problems)
        return _INVALID


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# ------------------------------------------------------------------- scalar parsers


def _fail(value: Any, expected: str) -> ValidationError:
    return ValidationError([Problem("", value, expected)])


def _parse_str(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(value, "a string")
    if len(value) > MAX_STRING_LENGTH:
        raise _fail(value, f"a string of at most {MAX_STRING_LENGTH:,} characters")
    return value


def _parse_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _fail(value, "a number")
    if isinstance(value, int) and abs(value) > _MAX_FLOAT:
        raise _fail(value, f"a number of magnitude at most {_MAX_FLOAT:g}")
    number = float(value)
    if not math.isfinite(number) or abs(number) > _MAX_FLOAT:
        raise _fail(value, f"a finite number of magnitude at most {_MAX_FLOAT:g}")
    return number


def _parse_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(value, "a whole number")
    if abs(value) > _MAX_FLOAT:
        raise _fail(value, f"a whole number of magnitude at most {_MAX_FLOAT:g}")
    return value


def _parse_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(value, "true or false")
    return value


def _parse_decimal(value: Any) -> Decimal:
    return to_decimal(value, what="a decimal number as a string, e.g. '12.50'")


def _parse_datetime(value: Any) -> datetime:
    expected = "an ISO 8601 datetime with a UTC offset, e.g. '2026-11-23T09:00:00+01:00'"
    if not isinstance(value, str) or len(value) > _MAX_DATETIME_LENGTH:
        raise _fail(value, expected)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(value, expected) from None
    if parsed.tzinfo is None:
        raise _fail(value, expected + " (this one has no offset)")
    return parsed


def _parse_money(value: Any) -> Money:
    if not isinstance(value, Mapping):
        raise _fail(value, "an object with 'amount' (a string) and 'currency'")
    problems: list[Problem] = [
        Problem(str(key), key, "no such field (Money has: amount, currency)")
        for key in value
        if key not in ("amount", "currency")
    ]
    problems.extend(
        Problem(key, None, "a value (the field is required)")
        for key in ("amount", "currency")
        if key not in value
    )
    if problems:
        raise ValidationError(problems)
    return Money(value["amount"], value["currency"])


def _parse_rates(value: Any) -> ExchangeRates:
    expected = "an object mapping 'BASE/QUOTE' to a rate, e.g. {'EUR/CZK': '25.2'}"
    if not isinstance(value, Mapping):
        raise _fail(value, expected)
    pairs: dict[tuple[str, str], Any] = {}
    problems: list[Problem] = []
    for key, rate in value.items():
        parts = key.split("/") if isinstance(key, str) else []
        if len(parts) != 2:
            problems.append(Problem(f"[{key!r}]", key, "a key of the form 'BASE/QUOTE'"))
            continue
        pairs[(parts[0], parts[1])] = rate
    if problems:
        raise ValidationError(problems)
    try:
        return ExchangeRates(pairs)
    except ValidationError as exc:
        # ExchangeRates names its problems rates[('EUR', 'CZK')]; show the payload key.
        raise ValidationError(
            attrs.evolve(p, path=_rates_path(p.path)) for p in exc.problems
        ) from None


def _rates_path(path: str) -> str:
    # "rates[('EUR', 'CZK')]" -> "['EUR/CZK']"
    inner = path.removeprefix("rates")
    try:
        base, quote = (part.strip(" ()[]'\"") for part in inner.split(","))
    except ValueError:
        return inner
    return f"[{f'{base}/{quote}'!r}]"


def _enum_parser(enum_type: type[enum.Enum]) -> Callable[[Any], enum.Enum]:
    def parse(value: Any) -> enum.Enum:
        try:
            return enum_type(value)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(m.value) for m in enum_type)
            raise _fail(value, f"one of {allowed}") from None

    return parse


_PARSERS: Final[dict[Any, Callable[[Any], Any]]] = {
    str: _parse_str,
    float: _parse_float,
    int: _parse_int,
    bool: _parse_bool,
    Decimal: _parse_decimal,
    datetime: _parse_datetime,
    Money: _parse_money,
}
