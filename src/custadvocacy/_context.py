"""Context: what every computation needs from the host (the moment, currency, rates)."""

from __future__ import annotations

from datetime import datetime

import attrs

from custadvocacy._checks import Checks
from custadvocacy._money import ExchangeRates, Money

__all__ = ["Context"]


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

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.moment("as_of", self.as_of)
        c.currency("currency", self.currency)
        c.instance("rates", self.rates, ExchangeRates, "an ExchangeRates")
        c.done()

    def convert(self, money: Money) -> Money:
        """Return ``money`` in the reporting currency (exact, not rounded).

        Raises:
            MissingRateError: No rate between ``money.currency`` and the reporting one.
        """
        return self.rates.convert(money, self.currency)

    def to_float(self, money: Money) -> float:
        """Return ``money`` in the reporting currency as a float, for estimates.

        Example:
            >>> from datetime import datetime, timezone
            >>> ctx = Context(as_of=datetime(2026, 1, 1, tzinfo=timezone.utc), currency="EUR")
            >>> ctx.to_float(Money("12.5", "EUR"))
            12.5
        """
        return float(self.convert(money).amount)

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
        return float(self.rates.rate(currency, self.currency))
