"""Plain data (JSON-compatible dicts) to and from the library's value classes.

The conversion is driven by each attrs class's fields and their annotations, so a
new value class converts without code of its own. The format:

- ``Decimal`` and ``Money.amount`` as strings (exact); floats and ints as numbers;
- datetimes as ISO 8601 strings with a UTC offset;
- enums by value; tuples as lists; ``None`` as ``null``;
- :class:`ExchangeRates` as ``{"EUR/CZK": "25.1"}``.

``from_dict`` also reads what a database driver or a JSON parser hands over: an aware
``datetime`` object, a ``Decimal`` or a numpy number where a number goes, and a whole
number written as a float (``3.0``) where an ``int`` goes.

``from_dict`` checks the whole payload before it gives up, and raises one
:class:`ValidationError` listing every problem with its path. A field that cannot be
converted does not hide the others: the class's own checks still run over the fields
that converted (its problems about the failed field, follow-on noise, are left out),
and a portfolio's references are checked over the records that converted.
"""

from __future__ import annotations

import calendar
import enum
import math
import numbers
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timezone
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any, Final, Literal, TypeVar

import attrs
import numpy as np

from custadvocacy._checks import number_text
from custadvocacy._errors import ConfigurationError, Problem, ValidationError, short_repr
from custadvocacy._money import ExchangeRates, Money, _check_currency, _convert_amount, to_decimal
from custadvocacy._portfolio import Portfolio, check_references

__all__ = ["MAX_ITEMS", "MAX_STRING_LENGTH", "from_dict", "to_dict"]

MAX_ITEMS: Final = 10_000_000
"""Longest list a payload may hold (customers, orders, incidents...)."""

MAX_STRING_LENGTH: Final = 100_000
"""Longest string a payload may hold anywhere; fields set tighter limits of their own."""

_MAX_DATETIME_LENGTH: Final = 64
_MAX_WHOLE: Final = 1e15
# Floats: any finite one. The classes bound their own fields; an output's amounts (an
# impact's, an assumption's) grow with Money up to 1e18 and must read back as written.
_FINITE: Final = f"a finite number of magnitude at most {number_text(sys.float_info.max)}"

T = TypeVar("T")
Unknown = Literal["reject", "ignore"]

_MISSING: Final = object()


class _Invalid:
    """Marker for a value that could not be parsed (its problems are already recorded)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Final = _Invalid()
_INVALID_TEXT: Final = repr(_INVALID)


class _Partial(_Invalid):
    """A record that could not be built, with what is known of it (for cross-record checks).

    ``fields`` holds the values given for the fields that converted and passed the
    class's checks.
    """

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields

    def checked(self, name: str) -> Any:
        """The field's value if it is known good, else an _Unreadable.

        (A field left out to take its default is unreadable too: of the reference
        fields, only ``order_id`` has one, None, and None names no order either.)
        """
        return self.fields.get(name, _Unreadable())


class _PartialItems(_Invalid):
    """A list with at least one bad item: every item as converted (objects, _Invalid...)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


class _Unreadable:
    """A reference whose value is not known: it equals nothing, and a problem about it is noise."""

    __slots__ = ()


# ---------------------------------------------------------------------------- to_dict


def to_dict(obj: Any) -> Any:
    """Return ``obj`` as JSON-compatible plain data (dicts, lists, str, int, float, None).

    Works for every value class of the library (domain objects, :class:`Context`,
    :class:`Portfolio`, results). The output of ``json.dumps(to_dict(x))`` reads back
    with :func:`from_dict` to an equal object. ``obj`` is not changed.

    Raises:
        ValidationError: ``obj`` holds something that has no plain-data form (an
            arbitrary Python object); the problem's path says where.

    Example:
        >>> to_dict(Money("12.50", "EUR"))
        {'amount': '12.50', 'currency': 'EUR'}
        >>> to_dict({"when": object()})
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 1 problem:
          when: expected a value with a plain-data form (...), got <object object at ...>

    .. versionadded:: 0.1.0
    """
    return _unstructure(obj)


def _unstructure(value: Any) -> Any:  # noqa: C901, PLR0911 - one branch per plain-data kind
    # The common leaves by exact type first (one dict lookup); subclasses, enums (a
    # StrEnum is a str: it must become its plain value) and containers below.
    # A fast path only: without it the isinstance chain below gives the same result, so
    # mutants of this lookup are equivalent (they change the speed, not the output).
    leaf = _LEAVES.get(type(value))  # pragma: no mutate
    if leaf is not None:
        return leaf(value)
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
    cls: type = type(value)
    if attrs.has(cls):
        return _unstructure_attrs(value, _field_names(cls))
    if isinstance(value, tuple | list):
        return _unstructure_items(value)
    if isinstance(value, Mapping):
        return _unstructure_mapping(value)
    raise ValidationError(
        [
            Problem(
                "",
                value,
                "a value with a plain-data form (a value class of custadvocacy, Money, "
                "Decimal, datetime, enum, str, int, float, bool, None, list or dict)",
            )
        ]
    )


def _identity(value: Any) -> Any:
    return value


def _money_dict(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def _unstructure_attrs(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        try:  # free unless raised: the path is only written for a problem
            out[name] = _unstructure(getattr(value, name))
        except ValidationError as exc:
            raise exc.under(name) from None
    return out


def _unstructure_mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    out = {}
    for key, item in value.items():
        try:
            out[str(key)] = _unstructure(item)
        except ValidationError as exc:
            raise exc.under(str(key)) from None
    return out


def _unstructure_items(value: tuple[Any, ...] | list[Any]) -> list[Any]:
    out = []
    for i, item in enumerate(value):
        try:
            out.append(_unstructure(item))
        except ValidationError as exc:
            raise exc.under(f"[{i}]") from None
    return out


# Exact types only: a subclass (or an enum, which subclasses str or int) takes the
# isinstance chain of _unstructure.
_LEAVES: Final[Mapping[type, Callable[[Any], Any]]] = MappingProxyType(
    {
        str: _identity,
        float: _identity,
        int: _identity,
        bool: _identity,
        type(None): _identity,
        Decimal: str,
        datetime: datetime.isoformat,
        Money: _money_dict,
        tuple: _unstructure_items,
    }
)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The names of ``cls``'s init fields: what to_dict writes, worked out once per class."""
    return tuple(f.name for f in _init_fields(cls))


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
        data: Plain data in the :func:`to_dict` format. Also read: an aware
            ``datetime`` object for a date-time (what a database driver returns), and a
            whole number as a float, ``Decimal`` or numpy number (``3.0``) for an ``int``.
        unknown: ``"reject"`` (default) reports keys the class does not have as
            problems; ``"ignore"`` drops them (for CRM payloads with extra fields).

    Returns:
        The object, equal to the one ``data`` was made from.

    Raises:
        ValidationError: Every problem of the payload, each with its field path,
            e.g. ``orders[2].value.amount``. A field that cannot be converted hides no
            other problem: the class's checks run over the fields that converted, and a
            portfolio's references over the records that converted.
        ConfigurationError: ``unknown`` is neither ``"reject"`` nor ``"ignore"``, or
            ``cls`` is not a class ``from_dict`` can build.

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
        msg = f"unknown must be 'reject' or 'ignore', not {short_repr(unknown)}"
        raise ConfigurationError(msg)
    problems: list[Problem] = []
    target = typing.cast("Any", cls)  # pragma: no mutate (cast does nothing at run time)
    try:
        hash(target)  # the converters are cached by class: no class is unhashable
    except TypeError:
        raise _unsupported(cls) from None
    result = _converter(target)(data, "", problems, unknown == "ignore")
    if problems or isinstance(result, _Invalid):
        raise ValidationError(problems)
    return typing.cast("T", result)  # pragma: no mutate (cast does nothing at run time)


# A converter turns plain data at ``path`` into a value, or records problems and
# returns _INVALID. One is built per annotation, once (functools.cache), so a payload
# is converted without inspecting type hints again for every value.
Converter = Callable[[Any, str, list[Problem], bool], Any]


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
    def convert(value: Any, path: str, problems: list[Problem], ignore: bool) -> Any:
        if value is None:
            return None
        return inner(value, path, problems, ignore)

    return convert


def _scalar(parser: Callable[[Any], Any]) -> Converter:
    def convert(value: Any, path: str, problems: list[Problem], ignore: bool) -> Any:  # noqa: ARG001 - the Converter signature
        try:
            return parser(value)
        except ValidationError as exc:
            problems.extend(exc.under(path).problems)
            return _INVALID

    return convert


def _money_converter(value: Any, path: str, problems: list[Problem], ignore: bool) -> Any:
    return _parse(_parse_money_ignoring if ignore else _parse_money, value, path, problems)


def _parse(parser: Callable[[Any], Any], value: Any, path: str, problems: list[Problem]) -> Any:
    try:
        return parser(value)
    except ValidationError as exc:
        problems.extend(exc.under(path).problems)
        return _INVALID


def _sequence(item: Converter) -> Converter:
    def convert(value: Any, path: str, problems: list[Problem], ignore: bool) -> Any:
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

    def convert(value: Any, path: str, problems: list[Problem], ignore: bool) -> Any:
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

    def convert(value: Any, path: str, problems: list[Problem], ignore: bool) -> Any:
        if not isinstance(value, Mapping):
            problems.append(Problem(path, value, not_a_mapping))
            return _INVALID
        if not ignore:
            problems.extend(
                Problem(_join(path, str(key)), key, unknown_expected)
                for key in value
                if key not in names
            )
        kwargs: dict[str, Any] = {}
        complete = True
        for name, required, convert_field in plan:
            raw = value.get(name, _MISSING)
            if raw is _MISSING:
                if required:
                    problems.append(
                        Problem(_join(path, name), None, "a value (the field is required)")
                    )
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


# ------------------------------------------------------ references across records


class _Refs:
    """The reference fields of one record, for check_references.

    Of a Customer, Order or Incident, or what is known of one that could not be built.
    """

    __slots__ = ("customer_id", "id", "order_id")

    def __init__(self, id: Any, customer_id: Any, order_id: Any) -> None:  # noqa: A002 - the field's name
        self.id = id
        self.customer_id = customer_id
        self.order_id = order_id


_REFERENCE_LISTS: Final = ("customers", "orders", "incidents")
_REFERENCE_PATH: Final = re.compile(r"(\w+)\[(\d+)\]\.(\w+)")


def _refs_of(item: Any) -> _Refs:
    """``item``'s reference fields: an _Unreadable for each one that is not known good."""
    if isinstance(item, _Partial):
        return _Refs(item.checked("id"), item.checked("customer_id"), item.checked("order_id"))
    if isinstance(item, _Invalid):  # not even an object
        return _Refs(_Unreadable(), _Unreadable(), _Unreadable())
    return _Refs(item.id, getattr(item, "customer_id", None), getattr(item, "order_id", None))


def _check_portfolio_references(kwargs: dict[str, Any], path: str, problems: list[Problem]) -> None:
    """check_references over the records of a portfolio that could not be built.

    A record that could not be built still names its customer and order when those
    fields are valid: a dangling reference is reported now, not on the next attempt.
    What is not known is not reported, being follow-on noise of a problem already
    reported: a reference of a field that failed; a reference into a list in which a
    record's id failed (the reference may name it: fixing the id may resolve it); an
    order of another customer when either customer id failed.
    """
    lists: dict[str, list[_Refs]] = {}
    blind: set[str] = set()  # lists a reference may name a record of without our knowing
    for name in _REFERENCE_LISTS:
        items = kwargs.get(name, ())
        if isinstance(items, _PartialItems):
            items = items.items
        elif isinstance(items, _Invalid):  # not a list at all
            items = ()
            blind.add(name)
        lists[name] = [_refs_of(item) for item in items]
        if any(isinstance(refs.id, _Unreadable) for refs in lists[name]):
            blind.add(name)
    try:
        check_references(*typing.cast("Any", [lists[name] for name in _REFERENCE_LISTS]))
    except ValidationError as exc:
        owners = {o.id: o.customer_id for o in lists["orders"]}
        incidents = lists["incidents"]
        problems.extend(
            p.under(path) for p in exc.problems if _is_news(p, incidents, owners, blind)
        )


def _is_news(
    problem: Problem, incidents: list[_Refs], owners: dict[Any, Any], blind: set[str]
) -> bool:
    """Whether a problem check_references found is known to be one (see above)."""
    if isinstance(problem.value, _Unreadable):
        return False
    _, index, field = _REFERENCE_PATH.fullmatch(problem.path).groups()  # type: ignore[union-attr] # check_references' paths
    if field == "customer_id":
        return "customers" not in blind
    if field == "order_id":
        incident = incidents[int(index)]
        owner = owners.get(incident.order_id, _MISSING)
        if owner is _MISSING:
            return "orders" not in blind
        return not isinstance(owner, _Unreadable) and not isinstance(
            incident.customer_id, _Unreadable
        )
    return True  # an id used twice


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


_PLAIN_NUMBERS: Final = frozenset({float, int})
# Registered as numbers.Integral, yet no number: a bool, and numpy's timedelta64 (an int
# subclass of numpy's, a span of time; float() of one raises TypeError).
_NOT_NUMBERS: Final = (bool, np.timedelta64)


def _parse_float(value: Any) -> float:
    """A finite number: an int, float, Decimal or numpy number (numbers.Real), not a bool."""
    # A float or an int, the common cases, pass the type check: without this shortcut the
    # result is the same, so a mutant of it is equivalent (the speed changes, not the output).
    if type(value) not in _PLAIN_NUMBERS and (  # pragma: no mutate
        isinstance(value, _NOT_NUMBERS) or not isinstance(value, numbers.Real | Decimal)
    ):
        raise _fail(value, "a number")
    if isinstance(value, Decimal) and value.is_snan():  # float() of one raises ValueError
        raise _fail(value, _FINITE)
    try:
        number = float(value)
    except OverflowError:  # an int beyond float's range
        raise _fail(value, _FINITE) from None
    if not math.isfinite(number):
        raise _fail(value, _FINITE)
    return number


def _parse_int(value: Any) -> int:
    """A whole number: an int, or a float, Decimal or numpy number with a whole value.

    JSON parsers write 3 as 3.0 easily, and databases return Decimal('3'): both are
    read as the int 3. The constructors themselves take only an int.
    """
    if type(value) is int:  # the common case: bool is not int's exact type
        if abs(value) > _MAX_WHOLE:
            raise _fail(value, _WHOLE_MAGNITUDE)
        return value
    if isinstance(value, _NOT_NUMBERS) or not isinstance(value, numbers.Real | Decimal):
        raise _fail(value, "a whole number")
    whole: int | float | Decimal
    if isinstance(value, numbers.Integral):
        whole = int(value)  # a numpy integer: exact
    elif not _is_whole(value):
        raise _fail(value, "a whole number")
    else:  # a Decimal stays exact; a numpy float or a Fraction is read as the float it is
        whole = value if isinstance(value, Decimal) else float(value)
    # Compared, not abs()'d: abs() of a Decimal rounds in the caller's context and raises
    # decimal.Overflow past its largest exponent; a comparison is exact. Checked before
    # int(): Decimal("1e999999") has a million digits.
    if not -_MAX_WHOLE <= whole <= _MAX_WHOLE:
        raise _fail(value, _WHOLE_MAGNITUDE)
    return int(whole)


_WHOLE_MAGNITUDE: Final = f"a whole number of magnitude at most {number_text(_MAX_WHOLE)}"


def _is_whole(value: numbers.Real | Decimal) -> bool:
    """Whether ``value`` is finite and whole (3.0, Decimal('3.00'), np.float32(3))."""
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    try:
        return float(value).is_integer()  # False for NaN and the infinities
    except OverflowError:  # a Fraction past float's range: past the limit anyway
        return False


def _parse_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(value, "true or false")
    return value


def _parse_decimal(value: Any) -> Decimal:
    return to_decimal(value, what="a decimal number as a string, e.g. '12.50'")


_DATETIME: Final = "an ISO 8601 datetime with a UTC offset, e.g. '2026-11-23T09:00:00+01:00'"


def _parse_datetime(value: Any) -> datetime:
    """An ISO 8601 string with a UTC offset, or an aware datetime (a database driver's).

    A refusal of something that looks like a date-time says why, so a value that looks
    right is never refused without a reason: naive, a date without a time, too long, a
    day that does not exist...
    """
    if not isinstance(value, str):
        return _datetime_object(value)
    if len(value) > _MAX_DATETIME_LENGTH:
        raise _fail(value, _DATETIME + _why_not_iso(value))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(value, _DATETIME + _why_not_iso(value)) from None
    if parsed.tzinfo is None:
        raise _fail(value, _DATETIME + " (this one has no offset)")
    return parsed


def _datetime_object(value: object) -> datetime:
    """An aware datetime as its ISO text would be read; anything else not a string refused.

    A zone's datetimes subtract on the wall clock (an hour off across a DST change) and a
    host's subclass (a pandas Timestamp) carries more than a datetime: each is read as a
    plain datetime at its fixed UTC offset, what ``datetime.fromisoformat`` gives for its
    text and what the batch path keeps.
    """
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            raise _fail(
                value,
                "an aware datetime or an ISO 8601 string with a UTC offset "
                "(this datetime is naive: it needs a tzinfo, e.g. datetime.timezone.utc)",
            )
        zone = UTC if not offset else timezone(offset)
        return datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second,
            value.microsecond, tzinfo=zone,
        )  # fmt: skip
    if isinstance(value, date):
        raise _fail(value, _DATETIME + " (a date has no time of day and no offset)")
    raise _fail(value, _DATETIME)


# The parts of a date-time that datetime.fromisoformat reads, to say which one is wrong.
_ISO_PARTS: Final = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d)(?::?(\d\d)(?::?(\d\d))?)?)?")
_ISO_OFFSET: Final = re.compile(r"[+-](\d\d):?\d\d(?::?\d\d(?:\.\d+)?)?$")


def _why_not_iso(text: str) -> str:
    """Why ``text`` is not a date-time, as `` (...)``, when it begins like one; else ``""``.

    Text that does not look like a date-time at all needs no reason: the example in
    the message shows the form.
    """
    match = _ISO_PARTS.match(text.strip())
    if match is None:
        return ""
    if len(text) > _MAX_DATETIME_LENGTH:
        return f" (at most {_MAX_DATETIME_LENGTH} characters)"
    if text != text.strip():
        return " (it has spaces before or after it)"
    if missing := _missing_part(match):
        return f" ({missing})"
    offset = _ISO_OFFSET.search(text)
    if offset is not None and int(offset[1]) >= 24:
        return " (a UTC offset must be less than 24 hours)"
    return " (not in ISO 8601 form)"


def _missing_part(match: re.Match[str]) -> str:
    """The part of a date-time (year, month... second) that does not exist, or ``""``."""
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    if year == 0:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {month:02}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"there is no day {day:02} in {year:04}-{month:02}"
    for part, number, last in (("hour", hour, 23), ("minute", minute, 59), ("second", second, 59)):
        if number > last:
            return f"there is no {part} {number:02}: they go from 00 to {last}"
    return ""


def _parse_money(value: Any, *, ignore: bool = False) -> Money:
    if not isinstance(value, Mapping):
        raise _fail(value, "an object with 'amount' (a string) and 'currency'")
    problems: list[Problem] = [
        Problem(str(key), key, "no such field (Money has: amount, currency)")
        for key in value
        if key not in ("amount", "currency") and not ignore
    ]
    problems.extend(
        Problem(key, None, "a value (the field is required)")
        for key in ("amount", "currency")
        if key not in value
    )
    # Check amount and currency separately so both problems are reported at once.
    checks: tuple[tuple[str, Callable[[Any], Any]], ...] = (
        ("amount", _convert_amount),
        ("currency", _check_currency),
    )
    for key, check in checks:
        if key not in value:
            continue
        try:
            check(value[key])
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return Money(value["amount"], value["currency"])


def _parse_money_ignoring(value: Any) -> Money:
    return _parse_money(value, ignore=True)


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
        # Only scalars are looked up: Enum's own error message would repr a container,
        # which fails on a hostile payload nested thousands of levels deep.
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            try:
                return enum_type(value)
            except ValueError:
                pass
        allowed = ", ".join(repr(m.value) for m in enum_type)
        raise _fail(value, f"one of {allowed}")

    return parse


_PARSERS: Final[dict[Any, Callable[[Any], Any]]] = {
    str: _parse_str,
    float: _parse_float,
    int: _parse_int,
    bool: _parse_bool,
    Decimal: _parse_decimal,
    datetime: _parse_datetime,
}
