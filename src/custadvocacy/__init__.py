"""custadvocacy: customer advocacy scoring.

Turns a host's records (customers, orders, incidents) into what an advocate needs:
the customer's loss, how urgently they need someone on their side, what to do, and a
brief for decision makers. Pure computation: no I/O, no clock, no global state.

Example:
    >>> import custadvocacy as ca
    >>> ca.Money("19.99", "EUR") * 2
    Money('39.98', 'EUR')
"""

from custadvocacy._context import Context
from custadvocacy._convert import from_dict, to_dict
from custadvocacy._domain import (
    Customer,
    HealthSignals,
    Incident,
    IncidentKind,
    NoticedBy,
    OperatingProfile,
    Order,
    Segment,
    Severity,
)
from custadvocacy._errors import (
    AdvocacyError,
    ConfigurationError,
    CurrencyMismatchError,
    MissingRateError,
    Problem,
    ValidationError,
)
from custadvocacy._money import ExchangeRates, Money
from custadvocacy._portfolio import Portfolio, check_references

__version__ = "0.1.0.dev0"

__all__ = [
    "AdvocacyError",
    "ConfigurationError",
    "Context",
    "CurrencyMismatchError",
    "Customer",
    "ExchangeRates",
    "HealthSignals",
    "Incident",
    "IncidentKind",
    "MissingRateError",
    "Money",
    "NoticedBy",
    "OperatingProfile",
    "Order",
    "Portfolio",
    "Problem",
    "Segment",
    "Severity",
    "ValidationError",
    "check_references",
    "from_dict",
    "to_dict",
]
