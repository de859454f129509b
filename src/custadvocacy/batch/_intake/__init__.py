"""Building :class:`PortfolioColumns`: from any mapping of array-likes, or from objects.

The whole input is checked before anything is computed: every bad row of every table
is found (a NaN where a number is required, a negative amount, an unknown currency, a
naive timestamp, a duplicate id, a reference to no row, an incident naming another
customer's order...) and either reported in one :class:`BatchValidationError`, or,
with ``on_invalid="drop"``, left out together with what depends on it (a dropped
customer's orders and incidents, a dropped order's incidents), each with its reason
in :attr:`PortfolioColumns.dropped`. pandas and pyarrow are never imported: a
DataFrame is read as a mapping of columns (``frame[name]``), a pyarrow Table by its
``column_names`` and ``column(name)``, each column through ``numpy.asarray``.
"""

from custadvocacy.batch._intake._from_mapping import OnInvalid, columns_from_mapping
from custadvocacy.batch._intake._from_objects import columns_from_objects
from custadvocacy.batch._intake._read import ColumnSource, column_array, table_length

__all__ = [
    "ColumnSource",
    "OnInvalid",
    "column_array",
    "columns_from_mapping",
    "columns_from_objects",
    "table_length",
]
