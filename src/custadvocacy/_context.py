"""Context: what every computation needs from the host (the moment, currency, rates)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from custadvocacy._checks import Checks
from custadvocacy._errors import MissingRateError
from custadvocacy._money import ExchangeRates, Money, convert_exactly

__all__ = ["Context", "rate_wanted"]


@attrs.frozen(kw_only=True)
class Context:
    """The host's frame for a computation: *when* it is and *which currency* to report in.

    The library never reads the clock: ``as_of`` is passed in, so the same inputs give
    the same results tomorrow, in a replay and in a test.

    Attributes:
        as_of: The moment the assessment is made (timezone-aware). Open orders and
            incidents are counted up to it.
        currency: The reporting currency (ISO 4217) for totals and comparisons.
        rates: Exchange rates into (or out of) the reporting currency.

    Example:
        >>> from datetime import datetime, timezone
        >>> ctx = Context(
        ...     as_of=datetime(2026, 11, 23, tzinfo=timezone.utc), currency="EUR",
        ...     rates=ExchangeRates({("EUR", "CZK"): "25"}),
        ... )
        >>> ctx.convert(Money("500", "CZK"))
        Money('20.00', 'EUR')

    .. versionadded:: 0.1.0
    """

    as_of: datetime
    currency: str
    rates: ExchangeRates = attrs.field(factory=ExchangeRates)
    # currency -> (Decimal rate, float rate) into the reporting currency, for every
    # currency the table can convert: every estimate and score converts amounts, and
    # ExchangeRates.rate() would otherwise divide out an inverse rate on each call.
    _into: Mapping[str, tuple[Decimal, float]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.moment("as_of", self.as_of)
        c.currency("currency", self.currency)
        c.instance("rates", self.rates, ExchangeRates, "an ExchangeRates")
        c.done()
        object.__setattr__(self, "_into", _rates_into(self.rates, self.currency))

    def __getstate__(self) -> dict[str, Any]:
        # The derived table is a MappingProxyType (not picklable): rebuild it on load.
        return {"as_of": self.as_of, "currency": self.currency, "rates": self.rates}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in ("as_of", "currency", "rates"):
            object.__setattr__(self, name, state[name])
        object.__setattr__(self, "_into", _rates_into(self.rates, self.currency))

    def convert(self, money: Money) -> Money:
        """Return ``money`` in the reporting currency (exact, not rounded).

        Raises:
            MissingRateError: No rate between ``money.currency`` and the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context
            >>> example_context().convert(Money("86", "GBP"))
            Money('100.0000000000000000000000000000000000000', 'EUR')
            >>> example_context().convert(Money("1", "JPY"))
            Traceback (most recent call last):
            ...
            custadvocacy...MissingRateError: no exchange rate JPY->EUR (nor EUR->JPY) ...
        """
        if money.currency == self.currency:
            return money
        known = self._into.get(money.currency)
        if known is None:
            raise MissingRateError(money.currency, self.currency)
        # The same product ExchangeRates.convert computes, with the rate looked up once.
        return convert_exactly(money, known[0], self.currency)

    def to_float(self, money: Money) -> float:
        """Return ``money`` in the reporting currency as a float, for estimates.

        The amount as a float times the float rate (:meth:`factor`): the product the
        impact estimators and the batch path compute on columns, so every path gives
        the same bits for the same amount.

        Raises:
            MissingRateError: No rate between ``money.currency`` and the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context
            >>> ctx = example_context()  # EUR, with EUR/GBP 0.86
            >>> ctx.to_float(Money("12.5", "EUR"))
            12.5
            >>> ctx.to_float(Money("13792.68", "GBP")) == 13792.68 * ctx.factor("GBP")
            True
        """
        if money.currency == self.currency:
            return float(money.amount)
        return float(money.amount) * self.factor(money.currency)

    def factor(self, currency: str) -> float:
        """Return the float rate from ``currency`` into the reporting currency.

        Example:
            >>> from datetime import datetime, timezone
            >>> ctx = Context(
            ...     as_of=datetime(2026, 1, 1, tzinfo=timezone.utc), currency="GBP",
            ...     rates=ExchangeRates({("EUR", "GBP"): "0.85"}),
            ... )
            >>> ctx.factor("EUR")
            0.85
        """
        known = self._into.get(currency)
        if known is None:
            return float(self.rates.rate(currency, self.currency))  # raises MissingRateError
        return known[1]


def _rates_into(rates: ExchangeRates, currency: str) -> Mapping[str, tuple[Decimal, float]]:
    """Every currency ``rates`` converts into ``currency``: its Decimal and float rate."""
    into: dict[str, tuple[Decimal, float]] = {currency: (Decimal(1), 1.0)}
    for code in rates.currencies():
        if code != currency and (
            (code, currency) in rates.rates or (currency, code) in rates.rates
        ):
            rate = rates.rate(code, currency)
            into[code] = (rate, float(rate))
    return MappingProxyType(into)


def rate_wanted(reporting: str, currency: str) -> str:
    """What an amount in ``currency`` needs to be assessed in ``reporting``, and the fix.

    Example:
        >>> rate_wanted("EUR", "GBP")
        'a currency with an exchange rate into EUR in context.rates (add the pair EUR/GBP)'
    """
    return (
        f"a currency with an exchange rate into {reporting} in context.rates "
        f"(add the pair {reporting}/{currency})"
    )
