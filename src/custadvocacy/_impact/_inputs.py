"""Turning the host's records into formula inputs: a central value, a P10, a P90, a name.

Each input an estimator uses becomes a :class:`Quantity`: the value the formula runs
on (``mid``), its P10 and P90 (``low``, ``high``), and the :class:`Assumption` that
names it, says where it came from and whether a default stood in for it. Money is
converted into the reporting currency here, once, through the context's rates (a
missing rate raises :class:`~custadvocacy.MissingRateError` naming the pair).
"""

from __future__ import annotations

from functools import partial
from typing import Final, NamedTuple

from custadvocacy._context import Context
from custadvocacy._domain import Customer
from custadvocacy._impact._defaults import ProfileDefaults, SegmentDefaults, Spread
from custadvocacy._impact._formulas import spread_range
from custadvocacy._impact._model import Assumption
from custadvocacy._money import Money
from custadvocacy._trusted import builder

__all__ = ["UNEXPLAINED", "Quantity", "Resolver", "fact", "new_assumption", "parameter"]

DEFAULTS_DOC: Final = "docs/impact.md, Defaults"


class Quantity(NamedTuple):
    """One input: its P10 (``low``), central value (``mid``), P90 (``high``) and assumption."""

    low: float
    mid: float
    high: float
    assumption: Assumption


# Our own code builds these from validated inputs: no need to check them again.
new_assumption: Final = builder(Assumption)

# ``Quantity(low, mid, high, a)`` goes through the namedtuple's Python-level __new__;
# an estimate makes a dozen of them: tuple.__new__ makes the same tuple without it.
_quantity: Final = partial(tuple.__new__, Quantity)

UNEXPLAINED: Final = Assumption(
    name="unexplained",
    value=0.0,
    unit="",
    source="a totals-only estimate names no assumptions",
    is_default=False,
)
"""The assumption every input of a totals-only (``explain=False``) resolution carries."""


class Resolver:
    """Resolves the inputs of one estimate (one customer, one context).

    Not a value: a short-lived helper an estimator makes per call. With
    ``explain=False`` (the totals-only path of the forecasts) it resolves the same
    numbers but names no assumption: every :class:`Quantity` carries
    :data:`UNEXPLAINED`, and no source text is formatted.
    """

    __slots__ = (
        "_context",
        "currency",
        "explain",
        "k_default",
        "k_supplied",
        "segment",
        "segment_defaults",
    )

    def __init__(
        self,
        customer: Customer,
        context: Context,
        defaults: ProfileDefaults,
        spread: Spread,
        *,
        explain: bool = True,
    ) -> None:
        segment = customer.segment
        self._context = context
        self.currency = context.currency
        self.explain = explain
        self.segment = segment
        self.segment_defaults: SegmentDefaults = defaults.for_segment(segment)
        self.k_supplied, self.k_default = spread.factors

    def factor(self, currency: str) -> float:
        """Return the float rate from ``currency`` into the reporting currency."""
        return self._context.factor(currency)

    def to_float(self, money: Money) -> float:
        """Return ``money`` in the reporting currency as a float."""
        return float(money.amount) * self._context.factor(money.currency)

    def _source(self, where: str, money: Money, amount: float, rate: float) -> str:
        """Where a supplied amount came from; ``amount`` is ``float(money.amount)``."""
        if money.currency == self.currency:
            return where
        code = money.currency
        return f"{where}: {amount:,.2f} {code} at {rate:.6g} {self.currency}/{code}"

    def _default_source(self, what: str = "") -> str:
        return f"default for segment '{self.segment}'{what} ({DEFAULTS_DOC})"

    def money(
        self, name: str, supplied: Money | None, default: Money, per: str, where: str
    ) -> Quantity:
        """A money input per ``per`` (``"day"``, ``"hour"``) from the profile, or the default."""
        given = supplied is not None
        chosen = supplied if supplied is not None else default
        amount = float(chosen.amount)
        rate = self._context.factor(chosen.currency)
        value = amount * rate  # as to_float converts
        low, mid, high = spread_range(value, self.k_supplied if given else self.k_default)
        if not self.explain:
            return _quantity((low, mid, high, UNEXPLAINED))
        assumption = new_assumption(
            name=name,
            value=value,
            unit=f"{self.currency}/{per}",
            source=self._source(where, chosen, amount, rate) if given else self._default_source(),
            is_default=not given,
        )
        return _quantity((low, mid, high, assumption))

    def number(
        self,
        name: str,
        supplied: float | None,
        default: float,
        unit: str,
        where: str,
        *,
        cap: float | None = None,
        default_what: str = "",
    ) -> Quantity:
        """A number (days, a share, a count) from the host's data, or the default.

        ``cap`` bounds the P90 (1 for shares).
        """
        if supplied is not None:
            value = float(supplied)
            low, mid, high = spread_range(value, self.k_supplied, cap)
        else:
            value = float(default)
            low, mid, high = spread_range(value, self.k_default, cap)
        if not self.explain:
            return _quantity((low, mid, high, UNEXPLAINED))
        assumption = new_assumption(
            name=name,
            value=value,
            unit=unit,
            source=where if supplied is not None else self._default_source(default_what),
            is_default=supplied is None,
        )
        return _quantity((low, mid, high, assumption))

    def hours(
        self, name: str, recorded: float | None, default: float, where: str, default_source: str
    ) -> Quantity:
        """Staff hours the host recorded (a fact, no spread), or a default (with spread)."""
        if recorded is not None:
            value = float(recorded)
            low = mid = high = value
        else:
            value = float(default)
            low, mid, high = spread_range(value, self.k_default)
        if not self.explain:
            return _quantity((low, mid, high, UNEXPLAINED))
        assumption = new_assumption(
            name=name,
            value=value,
            unit="hours",
            source=(
                where
                if recorded is not None
                else f"not recorded: {default_source} ({DEFAULTS_DOC})"
            ),
            is_default=recorded is None,
        )
        return _quantity((low, mid, high, assumption))

    def fact(self, name: str, value: float, unit: str, source: str) -> Quantity:
        """A measured input (days late, hours down, an amount): no spread."""
        if not self.explain:
            return _quantity((value, value, value, UNEXPLAINED))
        return fact(name, value, unit, source)


def fact(name: str, value: float, unit: str, source: str) -> Quantity:
    """A measured input (days late, hours down, an amount): no spread."""
    assumption = new_assumption(name=name, value=value, unit=unit, source=source, is_default=False)
    return _quantity((value, value, value, assumption))


def parameter(name: str, value: float, builtin: float, unit: str) -> Quantity:
    """An estimator parameter: exact; a default when it is the built-in value."""
    is_default = value == builtin
    source = (
        f"estimator parameter, built-in value ({DEFAULTS_DOC})"
        if is_default
        else "estimator parameter set by the host"
    )
    value = float(value)
    return Quantity(
        value,
        value,
        value,
        Assumption(name=name, value=value, unit=unit, source=source, is_default=is_default),
    )
