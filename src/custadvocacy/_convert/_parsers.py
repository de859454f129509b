"""from_dict's parsers of one plain value (a string, a number, Money, rates, an enum).

A parser returns the value or raises a :class:`ValidationError` whose problem has an
empty path; the converter that called it puts the problem under the field's path.
"""

from __future__ import annotations

import enum
import math
import numbers
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs
import numpy as np

from custadvocacy._checks import number_text
from custadvocacy._convert._unknown import Ignore, ignored
from custadvocacy._errors import REQUIRED_FIELD, Problem, ValidationError
from custadvocacy._money import ExchangeRates, Money, _check_currency, _convert_amount, to_decimal

MAX_STRING_LENGTH: Final = 100_000
"""Longest string a payload may hold anywhere; fields set tighter limits of their own."""

_MAX_WHOLE: Final = 1e15
# Floats: any finite one. The classes bound their own fields; an output's amounts (an
# impact's, an assumption's) grow with Money up to 1e18 and must read back as written.
_FINITE: Final = f"a finite number of magnitude at most {number_text(sys.float_info.max)}"
_NOT_NAN: Final = "a number, not NaN (for a value not known: null, where the field may be null)"


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
        raise _fail(value, _NOT_NAN)
    try:
        number = float(value)
    except OverflowError:  # an int beyond float's range
        raise _fail(value, _FINITE) from None
    if math.isnan(number):  # pandas' records hold NaN for a missing value
        raise _fail(value, _NOT_NAN)
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
    elif _is_nan(value):  # an int column with gaps: pandas made it float, NaN for a gap
        raise _fail(value, _NOT_NAN)
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


def _is_nan(value: object) -> bool:
    """Whether ``value`` is a NaN (a float's, numpy's or a Decimal's, signalling too)."""
    if isinstance(value, Decimal):
        return value.is_nan()
    return isinstance(value, float | np.floating) and math.isnan(value)


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


def _parse_money(value: Any, *, ignore: Ignore = False) -> Money:
    if not isinstance(value, Mapping):
        raise _fail(value, "an object with 'amount' (a string) and 'currency'")
    problems: list[Problem] = [
        Problem(str(key), key, "no such field (Money has: amount, currency)")
        for key in value
        if key not in ("amount", "currency") and not ignored(key, ignore)
    ]
    problems.extend(
        Problem(key, None, REQUIRED_FIELD) for key in ("amount", "currency") if key not in value
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
