"""from_dict: plain data to a value class of the library, every problem reported at once.

A converter is built per annotation, once, from the class's attrs fields; it records the
problems of a value and returns a placeholder (``_placeholders``) for one it cannot build.
"""

from __future__ import annotations

import enum
import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Final, TypeVar

import attrs

from custadvocacy._convert._datetimes import _parse_datetime
from custadvocacy._convert._parsers import (
    _enum_parser,
    _parse_bool,
    _parse_decimal,
    _parse_float,
    _parse_int,
    _parse_money,
    _parse_rates,
    _parse_str,
)
from custadvocacy._convert._placeholders import (
    _INVALID,
    _INVALID_TEXT,
    _MISSING,
    _Invalid,
    _Partial,
    _PartialItems,
)
from custadvocacy._convert._references import _check_portfolio_references
from custadvocacy._convert._to_dict import _init_fields
from custadvocacy._convert._unknown import (
    UNKNOWN_EXPECTED,
    Ignore,
    Unknown,
    ignored,
    read_unknown,
)
from custadvocacy._errors import (
    REQUIRED_FIELD,
    ConfigurationError,
    Problem,
    ValidationError,
    short_repr,
)
from custadvocacy._money import ExchangeRates, Money
from custadvocacy._portfolio import Portfolio

__all__ = ["MAX_ITEMS", "Unknown", "from_dict"]

MAX_ITEMS: Final = 10_000_000
"""Longest list a payload may hold (customers, orders, incidents...)."""

T = TypeVar("T")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_dict(cls: type[T], data: Any, *, unknown: Unknown = "reject") -> T:
    """Build a ``cls`` from plain data, checking the whole payload first.

    Args:
        cls: The class to build: a domain class (:class:`Customer`, :class:`Order`,
            :class:`Incident`...), :class:`Portfolio`, :class:`Context`,
            :class:`Money` or another value class of the library.
        data: Plain data in the :func:`to_dict` format. Also read: an aware
            ``datetime`` object for a date-time (what a database driver returns), and a
            whole number as a float, ``Decimal`` or numpy number (``3.0``) for an ``int``.
        unknown: ``"reject"`` (default) reports keys the class does not have as
            problems; ``"ignore"`` drops them (for CRM payloads with extra fields); a set
            of names, such as ``{"crm_owner", "crm_url"}``, drops keys of those names, at
            every level, and reports every other (a misspelt field stays an error).

    Returns:
        The object, equal to the one ``data`` was made from.

    Raises:
        ValidationError: Every problem of the payload, each with its field path,
            e.g. ``orders[2].value.amount``. A field that cannot be converted hides no
            other problem: the class's checks run over the fields that converted, and a
            portfolio's references over the records that converted.
        ConfigurationError: ``unknown`` is not ``"reject"``, ``"ignore"`` or a set of
            names, or ``cls`` is not a class ``from_dict`` can build.

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
    ignore = read_unknown(unknown)
    if ignore is None:
        raise ConfigurationError(f"unknown must be {UNKNOWN_EXPECTED}, not {short_repr(unknown)}")
    problems: list[Problem] = []
    target = typing.cast("Any", cls)  # pragma: no mutate (cast does nothing at run time)
    try:
        hash(target)  # the converters are cached by class: no class is unhashable
    except TypeError:
        raise _unsupported(cls) from None
    result = _converter(target)(data, "", problems, ignore)
    if problems or isinstance(result, _Invalid):
        raise ValidationError(problems)
    return typing.cast("T", result)  # pragma: no mutate (cast does nothing at run time)


# A converter turns plain data at ``path`` into a value, or records problems and
# returns _INVALID. One is built per annotation, once (functools.cache), so a payload
# is converted without inspecting type hints again for every value.
Converter = Callable[[Any, str, list[Problem], Ignore], Any]


@cache
def _converter(tp: Any) -> Converter:
    origin = typing.get_origin(tp)
    if origin is types.UnionType or origin is typing.Union:
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(members) != 1:
            raise _unsupported(tp)
        return _optional(_converter(members[0]))
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(_converter(args[0]))
        return _fixed_tuple(tuple(_converter(a) for a in args))
    if tp is Money:
        return _money_converter
    parser = _PARSERS.get(tp)
    if parser is None and isinstance(tp, type) and issubclass(tp, enum.Enum):
        parser = _enum_parser(tp)
    if parser is None and tp is ExchangeRates:
        parser = _parse_rates
    if parser is not None:
        return _scalar(parser)
    if isinstance(tp, type) and attrs.has(tp):
        return _attrs_converter(tp)
    raise _unsupported(tp)


def _unsupported(tp: Any) -> ConfigurationError:
    return ConfigurationError(
        f"from_dict() cannot build {short_repr(tp)}: pass a value class of custadvocacy "
        "(an attrs class whose fields are plain data, Money, datetimes, enums...)"
    )


def _optional(inner: Converter) -> Converter:
    def convert(value: Any, path: str, problems: list[Problem], ignore: Ignore) -> Any:
        if value is None:
            return None
        return inner(value, path, problems, ignore)

    return convert


def _scalar(parser: Callable[[Any], Any]) -> Converter:
    def convert(value: Any, path: str, problems: list[Problem], ignore: Ignore) -> Any:  # noqa: ARG001 - the Converter signature
        try:
            return parser(value)
        except ValidationError as exc:
            problems.extend(exc.under(path).problems)
            return _INVALID

    return convert


def _money_converter(value: Any, path: str, problems: list[Problem], ignore: Ignore) -> Any:
    if ignore is False:
        return _parse(_parse_money, value, path, problems)
    return _parse(functools.partial(_parse_money, ignore=ignore), value, path, problems)


def _parse(parser: Callable[[Any], Any], value: Any, path: str, problems: list[Problem]) -> Any:
    try:
        return parser(value)
    except ValidationError as exc:
        problems.extend(exc.under(path).problems)
        return _INVALID


def _sequence(item: Converter) -> Converter:
    def convert(value: Any, path: str, problems: list[Problem], ignore: Ignore) -> Any:
        if not isinstance(value, list | tuple):
            problems.append(Problem(path, value, "a list"))
            return _INVALID
        if len(value) > MAX_ITEMS:
            problems.append(Problem(path, f"<{len(value)} items>", f"at most {MAX_ITEMS:,} items"))
            return _INVALID
        items = [item(v, f"{path}[{i}]", problems, ignore) for i, v in enumerate(value)]
        if any(isinstance(v, _Invalid) for v in items):
            return _PartialItems(items)  # what converted, for a portfolio's reference checks
        return tuple(items)

    return convert


def _fixed_tuple(members: tuple[Converter, ...]) -> Converter:
    expected = f"a list of exactly {len(members)} items"

    def convert(value: Any, path: str, problems: list[Problem], ignore: Ignore) -> Any:
        if not isinstance(value, list | tuple) or len(value) != len(members):
            problems.append(Problem(path, value, expected))
            return _INVALID
        items = [
            member(v, f"{path}[{i}]", problems, ignore)
            # strict=True: the lengths are equal (checked above), so any mutant of it is
            # equivalent; it stays for the linter (B905) and as documentation.
            for i, (member, v) in enumerate(zip(members, value, strict=True))  # pragma: no mutate
        ]
        if any(isinstance(v, _Invalid) for v in items):
            return _INVALID
        return tuple(items)

    return convert


def _attrs_converter(cls: type) -> Converter:
    hints = _hints(cls)
    # (name, required, converter) per field; a class cannot contain itself (no class of
    # the library does), so the field converters are built right away.
    plan = tuple(
        (f.name, f.default is attrs.NOTHING, _converter(hints[f.name])) for f in _init_fields(cls)
    )
    names = frozenset(name for name, _, _ in plan)
    unknown_expected = f"no such field ({cls.__name__} has: {', '.join(sorted(names))})"
    not_a_mapping = f"an object (mapping) for {cls.__name__}"
    # Only a portfolio has rules across its records.
    check_across = _check_portfolio_references if cls is Portfolio else None

    def convert(value: Any, path: str, problems: list[Problem], ignore: Ignore) -> Any:
        if not isinstance(value, Mapping):
            problems.append(Problem(path, value, not_a_mapping))
            return _INVALID
        if ignore is not True:
            problems.extend(
                Problem(_join(path, str(key)), key, unknown_expected)
                for key in value
                if key not in names and not ignored(key, ignore)
            )
        kwargs: dict[str, Any] = {}
        complete = True
        for name, required, convert_field in plan:
            raw = value.get(name, _MISSING)
            if raw is _MISSING:
                if required:
                    problems.append(Problem(_join(path, name), None, REQUIRED_FIELD))
                    kwargs[name] = _INVALID  # for _check_the_rest: a field that failed
                    complete = False  # pragma: no mutate (None is as falsy as False here)
                continue
            parsed = convert_field(raw, f"{path}.{name}" if path else name, problems, ignore)
            kwargs[name] = parsed
            complete = complete and not isinstance(parsed, _Invalid)
        if complete:
            try:
                return cls(**kwargs)
            except ValidationError as exc:
                problems.extend(exc.under(path).problems)
                failed = frozenset(_field_of(p.path) for p in exc.problems)
        else:
            failed = _check_the_rest(cls, kwargs, path, problems)
            if check_across is not None:
                check_across(kwargs, path, problems)
        return _Partial({k: v for k, v in kwargs.items() if k not in failed})

    return convert


def _check_the_rest(
    cls: type, kwargs: dict[str, Any], path: str, problems: list[Problem]
) -> frozenset[str]:
    """Run ``cls``'s own checks on the fields that converted; return the fields that failed.

    The fields that failed (their problems already recorded) are given as _INVALID,
    which no check accepts; what the checks say about them is follow-on noise and is
    left out, as is a problem that shows _INVALID elsewhere (a field compared with a
    failed one: "expected <invalid>"). The rest is recorded: the problems of the fields
    that converted, and the rules between them.
    """
    failed = {name for name, v in kwargs.items() if isinstance(v, _Invalid)}
    trial = {name: _INVALID if name in failed else v for name, v in kwargs.items()}
    try:
        cls(**trial)
    except ValidationError as exc:
        found = [
            p
            for p in exc.problems
            if _field_of(p.path) not in failed and _INVALID_TEXT not in p.expected
        ]
        problems.extend(p.under(path) for p in found)
        failed.update(_field_of(p.path) for p in found)
    except Exception:  # noqa: BLE001, S110 - a check that needed a failed field broke on _INVALID: the payload is rejected all the same, with what could be checked
        pass
    return frozenset(failed)


def _field_of(path: str) -> str:
    """The field a problem's path starts with (``""`` for the object as a whole).

    ``value`` of ``value.amount``, ``rates`` of ``rates['EUR/CZK']``.
    """
    return _FIELD_OF.match(path).group()  # type: ignore[union-attr] # matches every string


_FIELD_OF: Final = re.compile(r"[^.\[]*")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


_PARSERS: Final[dict[Any, Callable[[Any], Any]]] = {
    str: _parse_str,
    float: _parse_float,
    int: _parse_int,
    bool: _parse_bool,
    Decimal: _parse_decimal,
    datetime: _parse_datetime,
}
