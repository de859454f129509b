"""The exception hierarchy of custadvocacy.

Every error the library raises on purpose derives from :class:`AdvocacyError`, and
the specific ones also inherit the builtin a caller would naturally catch::

    AdvocacyError (Exception)
    ├── ValidationError (ValueError)       bad input; lists every Problem with its path
    ├── CurrencyMismatchError (ValueError) Money of two currencies combined without a rate
    ├── MissingRateError (LookupError)     no exchange rate for a currency pair
    └── ConfigurationError (ValueError)    a plug-in or configuration cannot be used

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

import attrs

from custadvocacy._listing import listing as _listing

__all__ = [
    "AdvocacyError",
    "ConfigurationError",
    "CurrencyMismatchError",
    "MissingRateError",
    "Problem",
    "ValidationError",
]

_MAX_VALUE_REPR = 80

# Containers are shown a few levels deep only: a hostile payload nested thousands of
# levels deep must give a readable message, not a RecursionError.
_CONTAINER_REPR = reprlib.Repr()
_CONTAINER_REPR.maxlevel = 3
_CONTAINER_REPR.maxlist = _CONTAINER_REPR.maxtuple = _CONTAINER_REPR.maxdict = 6
_CONTAINER_REPR.maxset = _CONTAINER_REPR.maxfrozenset = 6
_CONTAINER_REPR.maxstring = _CONTAINER_REPR.maxother = _MAX_VALUE_REPR


def short_repr(value: Any) -> str:
    """Return a repr of at most 80 characters that never raises, whatever ``value`` is.

    A datetime is shown in ISO form with its UTC offset (or "no UTC offset").
    """
    try:
        if isinstance(value, list | tuple | dict | set | frozenset):
            text = _CONTAINER_REPR.repr(value)
        elif isinstance(value, datetime) and type(value).__name__ != "NaTType":
            # (pandas' NaT is a datetime whose utcoffset() raises: its repr is "NaT".)
            # Its repr runs past the limit and is cut inside the time zone, the part a
            # message about the order of two moments is about.
            text = f"datetime {value.isoformat()}"
            if value.utcoffset() is None:
                text += " (no UTC offset)"
        else:
            text = repr(value)
    except Exception:  # noqa: BLE001 - a message about a bad value must not fail on its repr
        # e.g. an int of more than 4,300 digits (ValueError), or a broken __repr__
        text = f"<{type(value).__name__} that cannot be shown>"
    if len(text) > _MAX_VALUE_REPR:
        return text[: _MAX_VALUE_REPR - 3] + "..."
    return text


# What a Problem expects where a key or a column is missing: its value is None then, and
# its message says "missing" rather than "got None", which reads as a null sent.
REQUIRED_FIELD: Final = "a value (the field is required)"
REQUIRED_COLUMN: Final = "a column (it is required)"
_ABSENT: Final = MappingProxyType(
    {
        REQUIRED_FIELD: "missing (the field is required)",
        REQUIRED_COLUMN: "missing (the column is required)",
    }
)


@attrs.frozen
class Problem:
    """One thing wrong with an input: where, what was there, what was expected.

    Args:
        path: Where the bad value sits, e.g. ``"orders[2].value.amount"``. An empty
            path means the payload as a whole.
        value: The value found there (shown shortened in messages).
        expected: What would have been accepted, in words.

    A key or a column left out has ``value`` ``None`` and reads as missing (one sent as
    ``null`` reads "got None").

    Example:
        >>> print(Problem("orders[2].value.amount", "-5", "a non-negative amount"))
        orders[2].value.amount: expected a non-negative amount, got '-5'
        >>> from custadvocacy import Customer, ValidationError, from_dict
        >>> try:
        ...     from_dict(Customer, {"id": "c-1", "name": None})
        ... except ValidationError as error:
        ...     print(error.problems[0]); print(error.problems[1])
        name: expected a string, got None
        segment: missing (the field is required)

    .. versionadded:: 0.1.0
    """

    path: str
    value: Any = attrs.field(repr=short_repr)
    expected: str

    def __str__(self) -> str:
        where = self.path or "<payload>"
        if self.value is None and self.expected in _ABSENT:
            return f"{where}: {_ABSENT[self.expected]}"
        return f"{where}: expected {self.expected}, got {short_repr(self.value)}"

    def under(self, prefix: str) -> Problem:
        """Return the same problem with its path placed under ``prefix``.

        Example:
            >>> Problem("amount", "x", "a number").under("orders[0].value").path
            'orders[0].value.amount'
        """
        if not prefix:
            return self
        if not self.path:
            return attrs.evolve(self, path=prefix)
        joiner = "" if self.path.startswith("[") else "."
        return attrs.evolve(self, path=f"{prefix}{joiner}{self.path}")


class AdvocacyError(Exception):
    """Root of every error custadvocacy raises on purpose.

    Example:
        >>> issubclass(ValidationError, AdvocacyError)
        True

    .. versionadded:: 0.1.0
    """


class ValidationError(AdvocacyError, ValueError):
    """Input that does not fit: every problem found, each with its field path.

    ``problems`` lists them all (a payload is checked as a whole, so a caller can fix
    every problem in one pass); the message has one line per problem.

    Example:
        >>> err = ValidationError([Problem("id", "", "a non-empty string")])
        >>> print(err)
        1 problem:
          id: expected a non-empty string, got ''
        >>> isinstance(err, ValueError)
        True

    .. versionadded:: 0.1.0
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun}:", *(f"  {p}" for p in self.problems)]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))

    @property
    def paths(self) -> tuple[str, ...]:
        """The field paths of the problems, in the order found.

        Example:
            >>> ValidationError([Problem("a", 1, "b"), Problem("c", 2, "d")]).paths
            ('a', 'c')
        """
        return tuple(p.path for p in self.problems)

    def under(self, prefix: str) -> ValidationError:
        """Return a copy with every path placed under ``prefix``.

        Example:
            >>> ValidationError([Problem("id", "", "x")]).under("customers[3]").paths
            ('customers[3].id',)
        """
        return type(self)(p.under(prefix) for p in self.problems)


class CurrencyMismatchError(AdvocacyError, ValueError):
    """Two amounts in different currencies were combined without an exchange rate.

    Example:
        >>> from custadvocacy import Money
        >>> Money("1", "EUR") + Money("1", "GBP")
        Traceback (most recent call last):
        ...
        custadvocacy...CurrencyMismatchError: cannot add EUR and GBP amounts; convert ...

    .. versionadded:: 0.1.0
    """


class MissingRateError(AdvocacyError, LookupError):
    """No exchange rate is known for a currency pair (named in the message).

    ``base`` and ``quote`` are the pair; ``where`` holds the paths of the configuration
    amounts in ``base`` when the amount came from one (``("scorer.config.value_scale",)``),
    not from the records (a record's currency without a rate is a ValidationError with
    its path); the message names the first five.

    Example:
        >>> from custadvocacy import ExchangeRates, Money
        >>> ExchangeRates({}).convert(Money("1", "CZK"), "EUR")
        Traceback (most recent call last):
        ...
        custadvocacy...MissingRateError: no exchange rate CZK->EUR (nor EUR->CZK) ...

    .. versionadded:: 0.1.0
    """

    def __init__(self, base: str, quote: str, where: tuple[str, ...] = ()) -> None:
        self.base = base
        self.quote = quote
        self.where = where
        source = f"; {base} is the currency of {_listing(where)}" if where else ""
        super().__init__(
            f"no exchange rate {base}->{quote} (nor {quote}->{base}) in the context's rates; "
            f"add it, e.g. ExchangeRates({{({base!r}, {quote!r}): Decimal('...')}}){source}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.base, self.quote, self.where))

    def __str__(self) -> str:
        # LookupError (via KeyError-like formatting) is not involved; keep the plain text.
        return str(self.args[0])


class ConfigurationError(AdvocacyError, ValueError):
    """A plug-in, catalog or configuration value cannot be used as given.

    Example:
        >>> isinstance(ConfigurationError("no estimator for 'other'"), ValueError)
        True

    .. versionadded:: 0.1.0
    """
