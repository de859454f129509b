"""Plain data (JSON-compatible dicts) to and from the library's value classes.

The conversion is driven by each attrs class's fields and their annotations, so a
new value class converts without code of its own. The format:

- ``Decimal`` and ``Money.amount`` as strings (exact); floats and ints as numbers;
- datetimes as ISO 8601 strings with a UTC offset;
- enums by value; tuples as lists; ``None`` as ``null``;
- :class:`ExchangeRates` as ``{"EUR/CZK": "25.1"}``.

``from_dict`` also reads what a database driver or a JSON parser hands over: an aware
``datetime`` object, a ``Decimal`` or a numpy number where a number goes, and a whole
number written as a float (``3.0``) where an ``int`` goes.

``from_dict`` checks the whole payload before it gives up, and raises one
:class:`ValidationError` listing every problem with its path. A field that cannot be
converted does not hide the others: the class's own checks still run over the fields
that converted (its problems about the failed field, follow-on noise, are left out),
and a portfolio's references are checked over the records that converted.
"""

from custadvocacy._convert._from_dict import MAX_ITEMS, from_dict
from custadvocacy._convert._parsers import MAX_STRING_LENGTH
from custadvocacy._convert._to_dict import to_dict
from custadvocacy._convert._unknown import Unknown

__all__ = ["MAX_ITEMS", "MAX_STRING_LENGTH", "Unknown", "from_dict", "to_dict"]
