"""The exceptions custadvocacy raises, in one place.

::

    AdvocacyError (Exception)
    ├── ValidationError (ValueError)       bad input; lists every Problem with its path
    ├── CurrencyMismatchError (ValueError) Money of two currencies combined without a rate
    ├── MissingRateError (LookupError)     no exchange rate for a currency pair
    └── ConfigurationError (ValueError)    a plug-in or configuration cannot be used

Example:
    >>> from custadvocacy.exceptions import AdvocacyError, MissingRateError
    >>> issubclass(MissingRateError, LookupError) and issubclass(MissingRateError, AdvocacyError)
    True
"""

from custadvocacy._errors import (
    AdvocacyError,
    ConfigurationError,
    CurrencyMismatchError,
    MissingRateError,
    Problem,
    ValidationError,
)

__all__ = [
    "AdvocacyError",
    "ConfigurationError",
    "CurrencyMismatchError",
    "MissingRateError",
    "Problem",
    "ValidationError",
]
