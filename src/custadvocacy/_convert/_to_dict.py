"""to_dict: a value class of the library to JSON-compatible plain data."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any, Final, overload

import attrs

from custadvocacy._errors import Problem, ValidationError
from custadvocacy._money import ExchangeRates, Money, decimal_text

__all__ = ["to_dict"]


@overload
def to_dict(obj: attrs.AttrsInstance) -> dict[str, Any]: ...
@overload
def to_dict(obj: Any) -> Any: ...
def to_dict(obj: Any) -> Any:
    """Return ``obj`` as JSON-compatible plain data (dicts, lists, str, int, float, None).

    A value of the library's classes gives a ``dict`` (so typed for a type checker); a
    list, tuple or mapping of them gives a list or a dict.

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
        return decimal_text(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Money):
        return _money_dict(value)
    if isinstance(value, ExchangeRates):
        return {
            f"{base}/{quote}": decimal_text(rate) for (base, quote), rate in value.rates.items()
        }
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
    return {"amount": decimal_text(value.amount), "currency": value.currency}


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
        Decimal: decimal_text,
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
