"""Shared pieces of the policies package: the configuration error, minor-unit arithmetic.

Amounts a CRM acts on (a credit to issue, the cost of an action) are Money rounded to
the currency's minor unit. The policies size actions with floats and settle them in
whole minor units (cents for EUR): costs rounded *up* and reliefs rounded *down*, so a
limit checked in cents is never exceeded by rounding and a relief never overstates
the customer's loss.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Final

from custadvocacy._checks import Checks
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._errors import ConfigurationError, ValidationError
from custadvocacy._money import _CONTEXT as DECIMAL
from custadvocacy._money import Money

__all__ = [
    "MAX_CODE_LENGTH",
    "MAX_REASONS",
    "UNIT_TOLERANCE",
    "PolicyConfigError",
    "cents_down",
    "cents_up",
    "done",
    "money_from_cents",
    "money_text",
    "scale_of",
]

MAX_CODE_LENGTH: Final = 100
"""Longest action code or rule name."""

MAX_REASONS: Final = 100
"""Most reasons a recommendation or one of its actions lists."""

_MAX_UNITS: Final = 10**18  # well inside Money's MAX_AMOUNT for any minor unit
UNIT_TOLERANCE: Final = 1e-12
"""Relative distance within which a float amount counts as a whole minor unit (float noise).

Small enough that a cent is never lost at large amounts (1e-9 would be 0.7 cents at
seven million), large enough to absorb the error of a few float operations."""


class PolicyConfigError(ConfigurationError, ValidationError):
    """A catalog, rule or policy configuration that cannot be used, listing every problem.

    It is a :class:`~custadvocacy.ConfigurationError` (what a caller of a policy
    catches) and a :class:`~custadvocacy.ValidationError` (so that
    :func:`~custadvocacy.from_dict` reports each problem with its payload path).

    Example:
        >>> from custadvocacy import Problem
        >>> err = PolicyConfigError([Problem("cost_limit_share", -1, "a share")])
        >>> isinstance(err, ConfigurationError), err.paths
        (True, ('cost_limit_share',))

    .. versionadded:: 0.1.0
    """


def done(c: Checks) -> None:
    """Raise one :class:`PolicyConfigError` listing the problems of ``c``, if any."""
    if c.problems:
        raise PolicyConfigError(c.problems)


def scale_of(currency: str) -> int:
    """Return ``10 ** minor_unit`` of ``currency`` (100 for EUR, 1 for JPY).

    Example:
        >>> scale_of("EUR"), scale_of("JPY")
        (100, 1)
    """
    return int(10 ** MINOR_UNITS[currency])


# cents_up and cents_down are called dozens of times per recommendation: each is
# written out in full (no shared helper, no max()) to keep them one call deep.


def cents_up(amount: float, scale: int) -> int:
    """Return ``amount`` in whole minor units, rounded up (float noise ignored).

    Example:
        >>> cents_up(0.07, 100), cents_up(0.071, 100)
        (7, 8)
    """
    exact = amount * scale
    nearest = round(exact)
    # |exact - nearest| <= tolerance x max(|exact|, 1), without the abs() and max() calls.
    slack = UNIT_TOLERANCE * (exact if exact > 1.0 else -exact if exact < -1.0 else 1.0)
    if -slack <= exact - nearest <= slack:
        return nearest
    return math.ceil(exact)


def cents_down(amount: float, scale: int) -> int:
    """Return ``amount`` in whole minor units, rounded down (float noise ignored).

    Example:
        >>> cents_down(0.079, 100), cents_down(0.29, 100)
        (7, 29)
    """
    exact = amount * scale
    nearest = round(exact)
    # |exact - nearest| <= tolerance x max(|exact|, 1), without the abs() and max() calls.
    slack = UNIT_TOLERANCE * (exact if exact > 1.0 else -exact if exact < -1.0 else 1.0)
    if -slack <= exact - nearest <= slack:
        return nearest
    return math.floor(exact)


_set_amount: Final = Money.__dict__["amount"].__set__
_set_currency: Final = Money.__dict__["currency"].__set__


def money_from_cents(units: int, currency: str) -> Money:
    """Return ``units`` minor units of ``currency`` as Money (exact).

    Example:
        >>> money_from_cents(640012, "EUR")
        Money('6400.12', 'EUR')
    """
    if type(units) is not int or currency not in MINOR_UNITS or abs(units) > _MAX_UNITS:
        return Money(Decimal(units).scaleb(-MINOR_UNITS.get(currency, 0), DECIMAL), currency)
    # A whole number of minor units of a known currency is valid Money by construction:
    # skip the converters (a policy makes dozens of these per customer). scaleb in our
    # own decimal context: a host's thread-local precision cannot round the amount.
    money = object.__new__(Money)
    _set_amount(money, Decimal(units).scaleb(-MINOR_UNITS[currency], DECIMAL))
    _set_currency(money, currency)
    return money


def money_text(amount: float, currency: str) -> str:
    """Return ``amount`` formatted for a reason: ``'6,400.00 EUR'``.

    Example:
        >>> money_text(6400, "EUR"), money_text(1234.5, "JPY")
        ('6,400.00 EUR', '1,234 JPY')
    """
    return f"{amount:,.{MINOR_UNITS[currency]}f} {currency}"
