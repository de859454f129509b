"""Money: a ``Decimal`` amount with an ISO 4217 currency, and exchange rates."""

from __future__ import annotations

import decimal
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Literal, Self

import attrs
import numpy as np

from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._errors import (
    CurrencyMismatchError,
    MissingRateError,
    Problem,
    ValidationError,
)

__all__ = [
    "INVERSE_RATE_TOLERANCE",
    "MAX_AMOUNT",
    "MAX_RATE",
    "MIN_RATE",
    "ExchangeRates",
    "Money",
    "convert_exactly",
    "to_decimal",
]

MAX_AMOUNT: Final = Decimal("1e18")
"""Largest absolute amount a :class:`Money` accepts (a quintillion in any currency)."""

MAX_RATE: Final = Decimal("1e9")
"""Largest exchange rate :class:`ExchangeRates` accepts (no real pair comes near it)."""

MIN_RATE: Final = Decimal("1e-9")
"""Smallest exchange rate :class:`ExchangeRates` accepts (so the inverse is at most MAX_RATE)."""

INVERSE_RATE_TOLERANCE: Final = Decimal("0.01")
"""How far apart the two directions of a pair in :class:`ExchangeRates` may be (1 %).

When both ``(a, b)`` and ``(b, a)`` are given, their product must lie from
``1 - INVERSE_RATE_TOLERANCE`` to ``1 + INVERSE_RATE_TOLERANCE``, limits included: each
rate within 1 % of the other's inverse. That admits a feed's bid/ask spread (well under
1 % for traded currencies) and mid rates rounded to three significant digits both ways
(under 0.6 % apart), and refuses the mistakes a table is typed with: a rate the wrong
way round, a slipped digit, a rate per 100 units, all off by factors, not by a percent.
"""

_MAX_AMOUNT_TEXT: Final = f"{MAX_AMOUNT:,f}"
_WRITTEN_OUT_DIGITS: Final = MAX_AMOUNT.adjusted() + 1  # decimal_text's bound: 19

# Arithmetic runs in this fixed context, never in the caller's thread-local one, so a
# host that changes ``decimal.getcontext()`` cannot change our results.
_CONTEXT: Final = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

RoundingMode = Literal[
    "ROUND_HALF_EVEN", "ROUND_HALF_UP", "ROUND_HALF_DOWN", "ROUND_UP", "ROUND_DOWN",
    "ROUND_CEILING", "ROUND_FLOOR", "ROUND_05UP",
]  # fmt: skip

_ROUNDING_MODES: Final = frozenset(typing.get_args(RoundingMode))

# What Money multiplies and divides by (numpy's scalars too: a DataFrame's cells); anything
# else is another type's business (NotImplemented). to_decimal refuses bool and timedelta64.
_SCALARS: Final = (int, float, Decimal, np.integer, np.floating)


def decimal_text(value: Decimal) -> str:
    """``value`` as exact text, a whole number written out: what ``to_dict`` and reprs show.

    ``str`` writes ``Decimal("2.4E+6")`` (a spreadsheet's or a JSON number's text) as
    ``'2.4E+6'``; a CRM writing an amount back wants ``'2400000'``. Written out up to
    MAX_AMOUNT's 19 digits, and a zero (``'0E+25'`` is ``'0'``); a larger exponent, and a
    tiny amount's negative one, keep ``str``'s short form (``'1.5E-30'``, not 30 zeros).
    Either way it reads back equal.

    Example:
        >>> decimal_text(Decimal("2.4E+6")), decimal_text(Decimal("100.50"))
        ('2400000', '100.50')
    """
    text = str(value)
    if "E+" in text and (value.is_zero() or value.adjusted() < _WRITTEN_OUT_DIGITS):
        return format(value, "f")
    return text


def to_decimal(value: object, *, what: str = "a finite number") -> Decimal:
    """Turn ``value`` into a finite ``Decimal`` or raise :class:`ValidationError`.

    ``str``, ``int`` and ``Decimal`` are taken exactly; a ``float`` through its
    shortest repr (``0.1`` becomes ``Decimal('0.1')``, not the binary expansion).
    numpy's integers and floats (a DataFrame's cells) are taken the same way, a float32
    by its own shortest repr. ``bool``, NaN and infinities are rejected.

    Example:
        >>> to_decimal(0.1)
        Decimal('0.1')
        >>> import numpy as np
        >>> to_decimal(np.int64(12)), to_decimal(np.float32(0.1))
        (Decimal('12'), Decimal('0.1'))
        >>> to_decimal("nan")
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 1 problem:
          <payload>: expected a finite number, got 'nan'

    .. versionadded:: 0.1.0
    """
    if isinstance(value, str) and len(value) > 100:
        raise ValidationError([Problem("", value, f"{what} (at most 100 characters)")])
    result = _as_decimal(value)
    if result is None or not result.is_finite():
        raise ValidationError([Problem("", value, what)])
    return result


def _as_decimal(value: object) -> Decimal | None:
    """``value`` as a Decimal (perhaps NaN or infinite), or None if it is no number."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool | np.timedelta64):  # an int, one of numpy's integers
        return None
    if isinstance(value, int | np.integer):
        return Decimal(int(value))
    if isinstance(value, float):
        # float(): numpy's float64 is a float whose repr is "np.float64(0.1)", not a number
        text = repr(float(value))
    elif isinstance(value, np.floating):
        text = str(value)  # np.float32(0.1) prints as 0.1; float() would add digits
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    try:
        return Decimal(text)
    except decimal.InvalidOperation:
        return None


def _check_currency(code: object) -> str:
    if not isinstance(code, str) or code not in MINOR_UNITS:
        raise ValidationError([Problem("currency", code, "an ISO 4217 code such as 'EUR'")])
    return code


def _convert_amount(value: object) -> Decimal:
    try:
        amount = to_decimal(value)
    except ValidationError as exc:
        raise exc.under("amount") from None
    if amount.copy_abs() > MAX_AMOUNT:  # copy_abs: exact, whatever the host context
        raise ValidationError(
            [Problem("amount", value, f"an amount of magnitude at most {_MAX_AMOUNT_TEXT}")]
        )
    return amount


def _operand(value: object, name: str, what: str) -> Decimal:
    """``to_decimal(value)``, a problem named after the operand (``factor``, ``divisor``)."""
    try:
        return to_decimal(value, what=what)
    except ValidationError as exc:
        raise exc.under(name) from None


def _compute(operation: Callable[..., Decimal], *operands: Decimal) -> Decimal:
    """Run a ``Decimal`` operation in our context; its failures become a ValidationError.

    With amounts bounded by MAX_AMOUNT only an extreme factor or divisor (``1e999999``)
    can make the context trap; the caller gets our error, never ``decimal.Overflow``.
    """
    try:
        return operation(*operands)
    except decimal.DecimalException:
        shown = ", ".join(str(o) for o in operands)
        raise ValidationError(
            [
                Problem(
                    "amount",
                    shown,
                    f"operands whose result has magnitude at most {_MAX_AMOUNT_TEXT}",
                )
            ]
        ) from None


@attrs.frozen(order=False, repr=False)
class Money:
    """An amount of money: a ``Decimal`` with an ISO 4217 currency code.

    Amounts are exact; arithmetic keeps them exact (40 significant digits) and never
    combines two currencies: ``+``, ``-`` and comparisons across currencies raise
    :class:`CurrencyMismatchError` (convert first with :class:`ExchangeRates`).
    ``==`` across currencies is simply ``False``. Multiplying or dividing by a number
    scales the amount; ``sum()`` works on a list of one currency.

    Args:
        amount: A ``str``, ``int`` or ``Decimal`` (exact), or a ``float`` (through its
            shortest repr); numpy's integers and floats likewise (a DataFrame's cells).
            NaN, infinities, ``bool`` and magnitudes above :data:`MAX_AMOUNT` are
            rejected.
        currency: An ISO 4217 code, upper case (``"EUR"``, ``"CZK"``, ``"JPY"``).

    Raises:
        ValidationError: The amount or currency is not acceptable.

    Example:
        >>> price = Money("19.99", "EUR")
        >>> price * 3
        Money('59.97', 'EUR')
        >>> sum([price, Money("0.01", "EUR")])
        Money('20.00', 'EUR')
        >>> (Money(10, "EUR") / 3).rounded()
        Money('3.33', 'EUR')
        >>> str(Money("1234.5", "GBP"))
        '1,234.50 GBP'

    .. versionadded:: 0.1.0
    """

    amount: Decimal = attrs.field(converter=_convert_amount)
    currency: str = attrs.field(converter=_check_currency)

    @classmethod
    def zero(cls, currency: str) -> Self:
        """Return zero in ``currency``.

        Example:
            >>> Money.zero("JPY")
            Money('0', 'JPY')
        """
        return cls(Decimal(0), currency)

    @property
    def minor_unit(self) -> int:
        """Decimal places of the currency's minor unit (EUR 2, JPY 0, BHD 3).

        Example:
            >>> Money(1, "BHD").minor_unit
            3
        """
        return MINOR_UNITS[self.currency]

    def rounded(self, rounding: RoundingMode = "ROUND_HALF_EVEN") -> Money:
        """Round to the currency's minor unit.

        The default is round-half-even ("banker's rounding"), which does not bias a
        sum of many rounded amounts upward; pass another ``decimal`` rounding name
        (e.g. ``"ROUND_HALF_UP"``) where a contract says so.

        Example:
            >>> Money("2.345", "EUR").rounded()
            Money('2.34', 'EUR')
            >>> Money("2.345", "EUR").rounded("ROUND_HALF_UP")
            Money('2.35', 'EUR')
            >>> Money("1234.5", "JPY").rounded()
            Money('1234', 'JPY')
        """
        if rounding not in _ROUNDING_MODES:
            expected = "one of " + ", ".join(sorted(_ROUNDING_MODES))
            raise ValidationError([Problem("rounding", rounding, expected)])
        # quantize reads only the exponent (any coefficient, e.g. Decimal(2), is equivalent),
        # and 1e-n is exact in every context: mutants of this line cannot be told apart.
        exponent = Decimal(1).scaleb(-self.minor_unit, context=_CONTEXT)  # pragma: no mutate
        quantized = self.amount.quantize(exponent, rounding=rounding, context=_CONTEXT)
        return Money(quantized, self.currency)

    def is_zero(self) -> bool:
        """Return whether the amount is zero.

        Example:
            >>> Money("0.00", "EUR").is_zero()
            True
        """
        return self.amount.is_zero()

    def __bool__(self) -> bool:
        return not self.amount.is_zero()

    # -- arithmetic ---------------------------------------------------------------

    def _same(self, other: Money, verb: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot {verb} {self.currency} and {other.currency} amounts; "
                "convert one first with ExchangeRates.convert()"
            )

    def __add__(self, other: object) -> Money:
        if isinstance(other, Money):
            self._same(other, "add")
            return Money(_compute(_CONTEXT.add, self.amount, other.amount), self.currency)
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # lets sum() start from its default 0
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: object) -> Money:
        if isinstance(other, Money):
            self._same(other, "subtract")
            return Money(_compute(_CONTEXT.subtract, self.amount, other.amount), self.currency)
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(_CONTEXT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(_CONTEXT.abs(self.amount), self.currency)

    def __mul__(self, factor: object) -> Money:
        if not isinstance(factor, _SCALARS):
            return NotImplemented
        scale = _operand(factor, "factor", "a finite number to multiply by")
        return Money(_compute(_CONTEXT.multiply, self.amount, scale), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Money:
        if not isinstance(divisor, _SCALARS):
            return NotImplemented
        scale = _operand(divisor, "divisor", "a finite non-zero number to divide by")
        if scale.is_zero():
            raise ValidationError([Problem("divisor", divisor, "a non-zero number to divide by")])
        return Money(_compute(_CONTEXT.divide, self.amount, scale), self.currency)

    # -- comparison ---------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount >= other.amount

    # -- text ---------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"Money({decimal_text(self.amount)!r}, {self.currency!r})"

    def __str__(self) -> str:
        shown = self.rounded().amount
        return f"{shown:,.{self.minor_unit}f} {self.currency}"

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        return f"{format(self.amount, spec)} {self.currency}"


def convert_exactly(money: Money, rate: Decimal, currency: str) -> Money:
    """Return ``money * rate`` in ``currency``, exact (40 digits), as every conversion does."""
    return Money(_compute(_CONTEXT.multiply, money.amount, rate), currency)


_RATE_EXPECTED: Final = f"a rate from {MIN_RATE:f} to {MAX_RATE:,f}"
_SELF_EXPECTED: Final = "exactly 1 (the rate of a currency to itself)"

# Inverses are shown in messages to six significant digits (half to even), enough to
# compare by eye.
_SHOWN: Final = decimal.Context(prec=6)


def _convert_rates(
    rates_given: Mapping[tuple[str, str], object],
) -> Mapping[tuple[str, str], Decimal]:
    # Typed for the caller (mypy then catches the payload's "EUR/CZK" keys); checked as
    # whatever a host may pass at run time.
    value: object = rates_given
    problems: list[Problem] = []
    rates: dict[tuple[str, str], Decimal] = {}
    if not isinstance(value, Mapping):
        raise ValidationError([Problem("rates", value, "a mapping (base, quote) -> rate")])
    for key in sorted(value, key=repr):
        path = f"rates[{key!r}]"
        if (
            not isinstance(key, tuple)
            or len(key) != 2
            or not all(isinstance(c, str) and c in MINOR_UNITS for c in key)
        ):
            problems.append(Problem(path, key, "a pair of ISO 4217 codes such as ('EUR', 'CZK')"))
            continue
        base, quote = key
        expected = _SELF_EXPECTED if base == quote else _RATE_EXPECTED
        try:
            rate = to_decimal(value[key], what=expected)
        except ValidationError as exc:
            problems.extend(exc.under(path).problems)
            continue
        if not (rate == 1 if base == quote else MIN_RATE <= rate <= MAX_RATE):
            problems.append(Problem(path, value[key], expected))
            continue
        # Keys are read in order: the pair's other direction, if given and valid, is kept
        # already, and the disagreement is reported once, here.
        other = rates.get((quote, base))
        if other is not None and not _agree(rate, other):
            problems.append(Problem(path, value[key], _disagreement(quote, base, other, rate)))
            continue
        rates[key] = rate
    if problems:
        raise ValidationError(problems)
    return MappingProxyType(rates)


def _agree(rate: Decimal, other: Decimal) -> bool:
    """Whether two directions of a pair are each other's inverse within the tolerance."""
    product = _CONTEXT.multiply(rate, other)
    return _CONTEXT.abs(_CONTEXT.subtract(product, Decimal(1))) <= INVERSE_RATE_TOLERANCE


def _disagreement(base: str, quote: str, given: Decimal, rate: Decimal) -> str:
    """What a rate that contradicts the pair's given ``base``->``quote`` rate should be."""
    inverse_given = _SHOWN.divide(Decimal(1), given)
    inverse_rate = _SHOWN.divide(Decimal(1), rate)
    return (
        f"a rate that agrees with the {base}->{quote} rate {given:f} to within "
        f"{INVERSE_RATE_TOLERANCE:%} (1/{given:f} = {inverse_given:f}, "
        f"1/{rate:f} = {inverse_rate:f})"
    )


@attrs.frozen(repr=False)
class ExchangeRates:
    """Exchange rates between currencies, as a value.

    ``rates[(base, quote)]`` is how many units of ``quote`` one unit of ``base``
    buys. The inverse direction is derived (``1 / rate``) when only one is given;
    rates are never chained through a third currency, because a host's rate table
    decides which crosses it trusts.

    A table must not contradict itself. A pair from a currency to itself may be given,
    at exactly 1. When both directions of a pair are given (a feed's two sides of a
    spread), each must be the other's inverse to within :data:`INVERSE_RATE_TOLERANCE`
    (1 %: their product from 0.99 to 1.01), and each direction then converts at its own
    quoted rate. A table off by more (a rate typed the wrong way round, say) is refused,
    naming both directions, rather than converting silently at a wrong rate.

    Args:
        rates: Mapping of ``(base, quote)`` ISO 4217 pairs to rates from
            :data:`MIN_RATE` (1e-9) to :data:`MAX_RATE` (1e9), as ``Decimal``, ``str``,
            ``int`` or ``float``; a zero, negative, NaN or infinite rate is rejected.
            The mapping is copied, never changed.

    Raises:
        ValidationError: A pair or a rate is not acceptable, a currency's rate to itself
            is not 1, or the two directions of a pair disagree (all are listed).

    Example:
        >>> rates = ExchangeRates({("EUR", "CZK"): "25.0"})
        >>> rates.convert(Money("100", "EUR"), "CZK")
        Money('2500.0', 'CZK')
        >>> rates.rate("CZK", "EUR")
        Decimal('0.04')
        >>> ExchangeRates({("EUR", "CZK"): "25", ("CZK", "EUR"): "0.5", ("EUR", "EUR"): 2})
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 2 problems:
          rates[('EUR', 'CZK')]: expected a rate that agrees with the CZK->EUR rate 0.5 to within 1% (1/0.5 = 2, 1/25 = 0.04), got '25'
          rates[('EUR', 'EUR')]: expected exactly 1 (the rate of a currency to itself), got 2

    .. versionadded:: 0.1.0
    """

    rates: Mapping[tuple[str, str], Decimal] = attrs.field(
        factory=dict, converter=_convert_rates, eq=False, hash=False
    )
    _key: tuple[tuple[tuple[str, str], Decimal], ...] = attrs.field(
        init=False, repr=False, eq=True, hash=True
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_key", tuple(sorted(self.rates.items())))

    def rate(self, base: str, quote: str) -> Decimal:
        """Return units of ``quote`` per unit of ``base``.

        Raises:
            MissingRateError: Neither direction of the pair is known.

        Example:
            >>> ExchangeRates({("EUR", "GBP"): "0.85"}).rate("EUR", "EUR")
            Decimal('1')
        """
        if base == quote:
            return Decimal(1)
        direct = self.rates.get((base, quote))
        if direct is not None:
            return direct
        inverse = self.rates.get((quote, base))
        if inverse is not None:
            return _CONTEXT.divide(Decimal(1), inverse)
        raise MissingRateError(base, quote)

    def convert(self, money: Money, currency: str) -> Money:
        """Return ``money`` in ``currency`` (exact, not rounded).

        Example:
            >>> ExchangeRates({("GBP", "EUR"): "1.2"}).convert(Money("10", "EUR"), "GBP")
            Money('8.333333333333333333333333333333333333333', 'GBP')
        """
        if money.currency == currency:
            return money
        rate = self.rate(money.currency, _check_currency(currency))
        return convert_exactly(money, rate, currency)

    def currencies(self) -> frozenset[str]:
        """Return every currency named in the table.

        Example:
            >>> sorted(ExchangeRates({("EUR", "CZK"): 25}).currencies())
            ['CZK', 'EUR']
        """
        return frozenset(code for pair in self.rates for code in pair)

    def __repr__(self) -> str:
        inner = ", ".join(f"{pair!r}: {decimal_text(rate)!r}" for pair, rate in self._key)
        return f"ExchangeRates({{{inner}}})"

    def __getstate__(self) -> dict[str, Any]:
        return {"rates": dict(self.rates)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "rates", MappingProxyType(state["rates"]))
        object.__setattr__(self, "_key", tuple(sorted(self.rates.items())))
