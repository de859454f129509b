"""Field checks shared by every domain class: one place for each validation rule.

A class's ``__attrs_post_init__`` runs a :class:`Checks` over all of its fields and
raises one :class:`~custadvocacy.ValidationError` listing every problem, so the same
rules serve direct construction and :func:`~custadvocacy.from_dict` (which only adds
the path prefix).
"""

from __future__ import annotations

import enum
import math
import numbers
import sys
import typing
from datetime import datetime
from decimal import Decimal
from typing import Final

from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._money import Money

MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2200
MAX_ID_LENGTH: Final = 200
MAX_NAME_LENGTH: Final = 500
MAX_TEXT_LENGTH: Final = 10_000
MAX_QUANTITY: Final = 1e12


def number_text(value: float) -> str:
    """``value`` for a message: as short as ``:g`` where that is exact, else in full.

    ``:g`` keeps six digits: a bound of 123456789 would read 1.23457e+08, and a reader
    acting on it would be wrong. ``repr`` of a float is the shortest text that reads back
    as the same number; an int is written with every digit.

    Example:
        >>> number_text(1e15), number_text(0.25), number_text(123456789.0), number_text(2**63 - 1)
        ('1e+15', '0.25', '123456789', '9223372036854775807')
    """
    if isinstance(value, int) and (abs(value) > 2**1000 or float(f"{value:g}") != value):
        return str(value)  # an int bound such as 2**63 - 1: every digit
    short = f"{value:g}"
    if not math.isfinite(value) or float(short) == value:
        return short
    return repr(float(value)).removesuffix(".0")


def article(noun: str) -> str:
    """``noun`` with "a" or "an" before it, by its first letter (class names).

    Example:
        >>> article("Impact"), article("Band")
        ('an Impact', 'a Band')
    """
    return f"{'an' if noun[:1] in 'AEIOUaeiou' else 'a'} {noun}"


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, in the plural unless the count is one.

    Example:
        >>> counted(1, "row"), counted(0, "row"), counted(2, "column")
        ('1 row', '0 rows', '2 columns')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


def plain_int(value: object) -> object:
    """A numpy integer as the ``int`` it holds; anything else as it is (to be checked).

    A notebook hands numpy's integers where a count or a seed belongs (``for seed in
    np.arange(5)``): they are the same number.

    Example:
        >>> import numpy as np
        >>> type(plain_int(np.int64(3))), plain_int(3.0), plain_int(np.float64(3))
        (<class 'int'>, 3.0, np.float64(3.0))
    """
    # numpy registers its integers as numbers.Integral (a bool, an int already, stays).
    if type(value) not in (int, bool) and isinstance(value, numbers.Integral):
        return int(value)
    return value


def _int_hint(value: object) -> str:
    """``", as an int (3.0 is a float)"`` for a whole number that is not an int, else ``""``.

    Constructors take an int where the field is a whole number; 3.0 is refused, and the
    message says why, not just "expected a whole number, got 3.0".
    (:func:`~custadvocacy.from_dict` reads 3.0 as 3: a JSON parser writes it easily.)

    Example:
        >>> _int_hint(3.0), _int_hint(Decimal("3")), _int_hint(3.5), _int_hint(3)
        (', as an int (3.0 is a float)', ', as an int (3 is a Decimal)', '', '')
    """
    if isinstance(value, int):  # True and False too: they are not whole numbers here
        return ""
    if isinstance(value, float) and value.is_integer():
        kind = "a float"
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        kind = "a Decimal"
    elif isinstance(value, numbers.Integral):  # numpy's int64...
        kind = f"a {type(value).__module__.partition('.')[0]} {type(value).__name__}"
    else:
        return ""
    return f", as an int ({value} is {kind})"


class Checks:
    """Collects the problems of one object's fields."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, name: str, value: object, expected: str) -> None:
        """Record that ``name`` holds ``value`` where ``expected`` was wanted."""
        self.problems.append(Problem(name, value, expected))

    def done(self) -> None:
        """Raise one ValidationError with every problem recorded, if any."""
        if self.problems:
            raise ValidationError(self.problems)

    def text(self, name: str, value: object, *, max_length: int, blank: bool = False) -> None:
        """A string of at most ``max_length`` characters, non-blank unless ``blank``.

        (Callers pass ``blank=True``, never ``False``: a mutated ``None`` is then a real
        change that a test notices, not an equal falsy value.)
        """
        if not isinstance(value, str):
            self.fail(name, value, "a string")
        elif not blank and not value.strip():
            self.fail(name, value, "a non-empty string")
        elif len(value) > max_length:
            self.fail(name, value, f"a string of at most {max_length} characters")

    def count(self, name: str, value: object, *, low: int = 0) -> None:
        """A whole number (a Python or numpy integer, not a bool) of at least ``low``."""
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            # A numpy integer is one: only a float or Decimal is said to be of the wrong type.
            wrong_type = "" if isinstance(value, numbers.Integral) else _int_hint(value)
            self.fail(name, value, f"a whole number >= {low}{wrong_type}")

    def optional_text(self, name: str, value: object, *, max_length: int) -> None:
        """None or a non-blank string of at most ``max_length`` characters."""
        if value is not None:
            self.text(name, value, max_length=max_length)

    def moment(self, name: str, value: object) -> None:
        """A timezone-aware datetime between the years MIN_YEAR and MAX_YEAR."""
        if not isinstance(value, datetime):
            self.fail(name, value, "a timezone-aware datetime")
        elif value.tzinfo is None or value.utcoffset() is None:
            self.fail(name, value, "a timezone-aware datetime (with tzinfo or a UTC offset)")
        elif not MIN_YEAR <= value.year <= MAX_YEAR:
            self.fail(name, value, f"a datetime between the years {MIN_YEAR} and {MAX_YEAR}")

    def optional_moment(self, name: str, value: object) -> None:
        """None or a valid :meth:`moment`."""
        if value is not None:
            self.moment(name, value)

    def number(
        self,
        name: str,
        value: object,
        *,
        low: float = 0.0,
        high: float = MAX_QUANTITY,
        integer: bool = False,
        what: str = "",
    ) -> None:
        """A finite real number (an ``int`` if ``integer``) in ``[low, high]``."""
        kind = "a whole number" if integer else "a number"
        expected = f"{kind} from {number_text(low)} to {number_text(high)}{what}"
        if high >= sys.float_info.max:  # no bound but finiteness: say that, not 1.8e308
            above = "" if low <= -sys.float_info.max else f" >= {number_text(low)}"
            expected = f"a finite {kind.removeprefix('a ')}{above}{what}"
        valid_type = isinstance(value, int) if integer else isinstance(value, int | float)
        number = typing.cast("float", value) if valid_type else math.nan  # pragma: no mutate (cast)
        # Every int is finite; math.isfinite of one beyond float's range raises OverflowError.
        finite = isinstance(number, int) or math.isfinite(number)
        if isinstance(value, bool) or not (finite and low <= number <= high):
            self.fail(name, value, expected + _int_hint(value) if integer else expected)

    def optional_number(
        self,
        name: str,
        value: object,
        *,
        low: float = 0.0,
        high: float = MAX_QUANTITY,
        integer: bool = False,
        what: str = "",
    ) -> None:
        """None or a valid :meth:`number`."""
        if value is not None:
            self.number(name, value, low=low, high=high, integer=integer, what=what)

    def share(self, name: str, value: object) -> None:
        """A number from 0 to 1 (a share of something)."""
        self.number(name, value, high=1.0, what=" (a share)")

    def optional_share(self, name: str, value: object) -> None:
        """None or a valid :meth:`share`."""
        if value is not None:
            self.share(name, value)

    def money(self, name: str, value: object, *, non_negative: bool = True) -> None:
        """A :class:`Money`, not below zero if ``non_negative``."""
        if not isinstance(value, Money):
            self.fail(name, value, "a Money")
        elif non_negative and value.amount < 0:
            self.fail(f"{name}.amount", value.amount, "a non-negative amount")

    def optional_money(self, name: str, value: object, *, non_negative: bool = True) -> None:
        """None or a valid :meth:`money`."""
        if value is not None:
            self.money(name, value, non_negative=non_negative)

    def currency(self, name: str, value: object) -> None:
        """An ISO 4217 currency code."""
        if not isinstance(value, str) or value not in MINOR_UNITS:
            self.fail(name, value, "an ISO 4217 code such as 'EUR'")

    def member(self, name: str, value: object, enum_type: type[enum.Enum]) -> None:
        """A member of ``enum_type``."""
        if isinstance(value, enum_type):
            return
        kind = enum_type.__name__
        if type(value) is str and value in {m.value for m in enum_type}:
            # Not "expected one of 'high', ..., got 'high'": the value is right, its type not.
            member = f"{kind}.{enum_type(value).name}"
            self.fail(
                name, value, f"{article(kind)} (here {member}), not its value as a plain string"
            )
        elif isinstance(value, enum.Enum):  # a StrEnum member is a str: not "a plain string"
            self.fail(name, value, f"{article(kind)}, not {article(type(value).__name__)}")
        else:
            self.fail(name, value, f"one of {', '.join(repr(m.value) for m in enum_type)}")

    def optional_member(self, name: str, value: object, enum_type: type[enum.Enum]) -> None:
        """None or a valid :meth:`member`."""
        if value is not None:
            self.member(name, value, enum_type)

    def not_before(self, name: str, value: object, earlier_name: str, earlier: object) -> None:
        """``value`` is not before ``earlier`` (both already valid datetimes, or skipped)."""
        if (
            isinstance(value, datetime)
            and isinstance(earlier, datetime)
            and not self._has_problem(name)
            and not self._has_problem(earlier_name)
            and value < earlier
        ):
            self.fail(name, value, f"a moment not before {earlier_name} ({earlier.isoformat()})")

    def instance(self, name: str, value: object, cls: type, what: str) -> None:
        """An instance of ``cls``."""
        if not isinstance(value, cls):
            self.fail(name, value, what)

    def _has_problem(self, name: str) -> bool:
        return any(p.path == name for p in self.problems)
