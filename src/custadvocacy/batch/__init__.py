"""The columnar batch path: a whole portfolio as numpy arrays, the object path's numbers.

Build a :class:`PortfolioColumns` from any mapping of array-likes
(:func:`columns_from_mapping`: dicts of arrays, pandas DataFrames...) or from domain
objects (:func:`columns_from_objects`), then :func:`assess_batch` it: impacts per
incident, forecasts per open order, scores with their contributions, the recommended
actions per customer and, with a budget, the portfolio's allocation, as arrays with
the ids kept (:class:`BatchResult`). Any subset converts back to
:class:`~custadvocacy.Assessment` objects. On a cluster, map :func:`assess_partition`
over partitions of customers and :func:`allocate_actions` the gathered actions.
``docs/batch.md`` has the schema and how the batch path is kept equal to the object
path; ``docs/howto-dask.md`` runs it on Dask.

Example:
    >>> from custadvocacy.batch import assess_batch, columns_from_objects
    >>> from custadvocacy.examples import example_context, example_portfolio
    >>> result = assess_batch(columns_from_objects(example_portfolio()),
    ...                       context=example_context())
    >>> result.customers["id"][result.top(3)]
    array(['C07', 'C01', 'C10'], dtype='<U3')
"""

from custadvocacy.batch._budget import BatchBudget
from custadvocacy.batch._columns import PortfolioColumns, Table
from custadvocacy.batch._dask import PartitionTable, allocate_actions, assess_partition
from custadvocacy.batch._errors import BatchValidationError, RowProblem
from custadvocacy.batch._intake import (
    OnInvalid,
    columns_from_mapping,
    columns_from_objects,
)
from custadvocacy.batch._results import BatchResult, Plugins
from custadvocacy.batch._run import DEFAULT_CHUNK, assess_batch
from custadvocacy.batch._schema import MISSING_MOMENT, SCHEMA, ColumnSpec
from custadvocacy.batch._synthetic import PortfolioTables, synthetic_mapping

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "BatchBudget",
    "BatchResult",
    "BatchValidationError",
    "ColumnSpec",
    "DEFAULT_CHUNK",
    "MISSING_MOMENT",
    "OnInvalid",
    "PartitionTable",
    "Plugins",
    "PortfolioColumns",
    "PortfolioTables",
    "RowProblem",
    "SCHEMA",
    "Table",
    "allocate_actions",
    "assess_batch",
    "assess_partition",
    "columns_from_mapping",
    "columns_from_objects",
    "synthetic_mapping",
]
