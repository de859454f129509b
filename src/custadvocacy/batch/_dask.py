"""Partition-friendly entry points: a pure function of one partition plus the shared context.

A partition is the customers of one slice of the portfolio with *their* orders and
incidents (partition all three tables by customer id). Every per-customer result
depends only on the customer's own rows, so :func:`assess_partition` runs unchanged
inside Dask (``dask.dataframe.map_partitions``) or Spark (``mapInPandas``), and the
partitions' results equal one run over the whole portfolio. The budget is the one
step that sees every customer: gather the partitions' recommended actions and
:func:`allocate_actions` them. Neither function imports pandas, pyarrow or Dask: a
DataFrame is read as a mapping of columns, and the result is built with the class of
the ``customers`` frame given (a pandas DataFrame gives a pandas DataFrame).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from custadvocacy._checks import number_text
from custadvocacy._context import Context
from custadvocacy._convert import Unknown
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._errors import Problem, ValidationError, short_repr
from custadvocacy._forecast import EmpiricalLeadTimeModel
from custadvocacy._impact._compose import EstimatorSet
from custadvocacy._money import MAX_AMOUNT, Money
from custadvocacy._policies import ActionCatalog, CustomerFirstPolicy
from custadvocacy._policies._budget import DEFAULT_EXACT_LIMIT
from custadvocacy._scoring import AdvocacyScorer, Band
from custadvocacy.batch._budget import BatchBudget, allocate_columns
from custadvocacy.batch._columns import PortfolioColumns
from custadvocacy.batch._encode import Collector, ids, numbers, text_rank
from custadvocacy.batch._errors import RowProblem
from custadvocacy.batch._intake import (
    ColumnSource,
    OnInvalid,
    column_array,
    columns_from_mapping,
    table_length,
)
from custadvocacy.batch._intake._build import _build, on_invalid_problems
from custadvocacy.batch._intake._read import _column_access
from custadvocacy.batch._results import POINT_COLUMNS
from custadvocacy.batch._run import DEFAULT_CHUNK, assess_batch
from custadvocacy.batch._schema import ColumnSpec
from custadvocacy.batch._setup import rate_problems

__all__ = ["PartitionTable", "allocate_actions", "assess_partition"]

Array = npt.NDArray[Any]

PartitionTable = Literal["customers", "actions", "dropped"]
"""Which table :func:`assess_partition` returns."""

_PARTITION_TABLES: Final = ("customers", "actions", "dropped")
_MAX_TEXT: Final = 200  # a cell of the dropped table: a whole payload in one is no log line

_BANDS: Final = tuple(b.value for b in Band)
_CUSTOMER_COLUMNS: Final = (
    "score", "band", *POINT_COLUMNS, "expected_loss", "loss_low", "loss_high", "risk",
    "actions", "relief", "cost",
)  # fmt: skip


def _frame(like: Any, columns: dict[str, Array]) -> Any:
    """A table of the caller's frame class (a dict when ``like`` is a plain mapping).

    Every object column here is text. Empty, a frame class could not tell: pandas types
    it ``object`` where it types a full one as text, pyarrow ``null`` where ``string``,
    and Dask's ``meta`` (the function run on empty frames) would not match the
    partitions. So an empty one goes to the class as an empty numpy text column.
    """
    kind = type(like)
    if isinstance(like, dict) or kind.__module__.startswith("builtins"):
        return columns
    typed = {
        name: np.array([], dtype=np.str_) if a.dtype == object and a.size == 0 else a
        for name, a in columns.items()
    }
    from_pydict = getattr(kind, "from_pydict", None)
    if callable(from_pydict):  # a pyarrow Table or RecordBatch: no constructor from a dict
        return from_pydict(typed)
    return kind(typed)


def assess_partition(
    customers: ColumnSource,
    orders: ColumnSource | None = None,
    incidents: ColumnSource | None = None,
    *,
    context: Context,
    table: PartitionTable = "customers",
    estimators: EstimatorSet | None = None,
    scorer: AdvocacyScorer | None = None,
    policy: CustomerFirstPolicy | None = None,
    catalog: ActionCatalog | None = None,
    lead_time_model: EmpiricalLeadTimeModel | None = None,
    on_invalid: OnInvalid = "raise",
    unknown: Unknown = "ignore",
    chunk_size: int = DEFAULT_CHUNK,
) -> Any:
    """Assess one partition of a portfolio; return its customers' (or actions') results.

    The function a cluster maps over partitions: pure (no I/O, no clock, no state),
    the context and plug-ins passed in (they pickle). ``orders`` and ``incidents``
    must hold the orders and incidents of exactly this partition's customers.

    Args:
        customers: The partition's customers (a DataFrame or any mapping of columns).
        orders: Their orders (``None``: none).
        incidents: Their incidents (``None``: none).
        context: ``as_of``, the reporting currency and the rates.
        table: ``"customers"`` (default: one row per customer, in input order:
            ``customer_id``, ``score``, ``band``, each factor's ``points_*``,
            ``expected_loss``, ``loss_low``, ``loss_high``, ``risk``, ``actions``,
            ``relief``, ``cost`` and ``top_action``) or ``"actions"`` (one row per
            recommended action: ``customer_id``, ``rank``, ``action``, ``relief``,
            ``cost``, ``needs_approval``). Relief and cost are minor units. Or
            ``"dropped"``: one row per bad cell of the partition (``table``, ``row``
            within the partition, ``id`` of that row as text, ``column``, ``value`` as
            text, ``expected``), without assessing anything: the rows
            ``on_invalid="drop"`` leaves out, for the nightly job's log.
        estimators: As for :func:`assess_batch`.
        scorer: As for :func:`assess_batch`.
        policy: As for :func:`assess_batch`.
        catalog: As for :func:`assess_batch`.
        lead_time_model: As for :func:`assess_batch`.
        on_invalid: ``"raise"`` (default): a bad row fails the partition; ``"drop"``:
            it is left out with what depends on it, as in
            :func:`columns_from_mapping` (the customers table lists those kept), and so
            is a row with an amount in a currency ``context`` has no rate for.
        unknown: Columns the schema does not know: ``"ignore"`` (default here: a
            partition often carries the index or other columns), ``"reject"``, or a set
            of the column names to ignore (every other is reported).
        chunk_size: As for :func:`assess_batch`.

    Returns:
        The table, of the class of ``customers`` (a pandas DataFrame for a DataFrame,
        a ``dict`` of arrays for a ``dict``).

    Raises:
        BatchValidationError: A bad row (row numbers count within the partition), or
            a column that cannot be read at all whatever ``on_invalid`` says.
        ValidationError: ``table`` or ``on_invalid`` is not one of its values, or
            ``context`` is no Context.

    Example:
        >>> from custadvocacy.batch import synthetic_mapping
        >>> from custadvocacy.examples import example_context
        >>> tables = synthetic_mapping(5, seed=1)
        >>> out = assess_partition(**tables, context=example_context())
        >>> sorted(out)[:3], out["customer_id"].tolist()
        (['actions', 'band', 'cost'], [0, 1, 2, 3, 4])

    .. versionadded:: 0.1.0
    """
    problems = []
    if table not in _PARTITION_TABLES:
        problems.append(Problem("table", table, "'customers', 'actions' or 'dropped'"))
    problems.extend(on_invalid_problems(on_invalid))
    frame: object = context  # typed Context, but a host may pass anything
    if not isinstance(frame, Context):
        problems.append(Problem("context", frame, "a Context"))
    if problems:
        raise ValidationError(problems)
    if table == "dropped" or on_invalid == "drop":
        columns = _kept(customers, orders, incidents, context, unknown)
        if table == "dropped":
            sources = {"customers": customers, "orders": orders, "incidents": incidents}
            return _frame(customers, _dropped_table(columns.dropped, sources))
    else:
        columns = columns_from_mapping(customers, orders, incidents, unknown=unknown)
    result = assess_batch(
        columns,
        context=context,
        estimators=estimators,
        scorer=scorer,
        policy=policy,
        catalog=catalog,
        lead_time_model=lead_time_model,
        chunk_size=chunk_size,
    )
    ids_of_customers = columns.customers["id"]
    if table == "customers":
        data = result.customers
        codes = _texts([*result.action_codes, ""])
        out: dict[str, Array] = {"customer_id": ids_of_customers}
        out.update({name: data[name] for name in _CUSTOMER_COLUMNS})
        out["band"] = _texts(_BANDS)[data["band"]]
        out["top_action"] = codes[data["top_action"]]
        return _frame(customers, out)
    actions = result.actions
    codes_array = _texts(result.action_codes)
    out = {
        "customer_id": ids_of_customers[actions["customer"]],
        "rank": actions["rank"],
        "action": codes_array[actions["action"]],
        "relief": actions["relief"],
        "cost": actions["cost"],
        "needs_approval": actions["needs_approval"],
    }
    return _frame(customers, out)


def _kept(
    customers: ColumnSource,
    orders: ColumnSource | None,
    incidents: ColumnSource | None,
    context: Context,
    unknown: Unknown,
) -> PortfolioColumns:
    """The partition's good rows: the intake's, less those in a currency without a rate.

    The rates are the context's, which the intake does not know: a second pass drops the
    rows the first one kept in such a currency, with what depends on them.
    """
    columns = columns_from_mapping(customers, orders, incidents, on_invalid="drop", unknown=unknown)
    missing = rate_problems(columns, context)
    if not missing:
        return columns
    sources = {"customers": customers, "orders": orders, "incidents": incidents}
    return _build(sources, on_invalid="drop", unknown=unknown, extra=missing)


def _dropped_table(
    dropped: Sequence[RowProblem], sources: Mapping[str, ColumnSource | None]
) -> dict[str, Array]:
    """The bad cells as columns; each row's id as the caller's table holds it, as text."""
    ids = {table: _ids_given(sources[table]) for table in {p.table for p in dropped}}
    return {
        "table": _texts(p.table for p in dropped),
        "row": np.array([p.row for p in dropped], dtype=np.int64),
        "id": _texts(_id_text(ids[p.table], p.row) for p in dropped),
        "column": _texts(p.column for p in dropped),
        "value": _texts(_text(p.value) for p in dropped),
        "expected": _texts(p.expected for p in dropped),
    }


def _ids_given(source: ColumnSource | None) -> Array:
    """The ``id`` column of a table as given (empty when there is none)."""
    access = None if source is None else _column_access(source)
    if access is None or "id" not in access[0]:
        return np.empty(0, dtype=object)
    return np.asarray(access[1]("id"), dtype=object).reshape(-1)


def _id_text(ids: Array, row: int | None) -> str:
    """The id in ``row`` as the intake reads it, as text ('' for none, or no such row).

    A whole float is the whole number (an int column with a gap arrives as floats); a
    missing cell (``None``, NaN, pandas' ``<NA>``) is no id.
    """
    if row is None or not 0 <= row < ids.shape[0]:
        return ""
    value = ids[row]
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
    text = "" if value is None else _text(value)
    return "" if text == "<NA>" else text


def _text(value: object) -> str:
    """``value`` as text, shortened as a message shows it (its repr if ``str()`` fails)."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = str(value)
        except Exception:  # noqa: BLE001 - a frame's object cell may hold anything
            text = short_repr(value)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


def _texts(values: Iterable[str]) -> Array:
    """A text column: Python strings in an object array, as a DataFrame keeps them."""
    return np.array(list(values), dtype=object)


_CUSTOMER_ID: Final = ColumnSpec(
    table="actions", name="customer_id", encoding="id", required=True, description=""
)
# Relief and cost are minor units: each at most 1e15 (exact in the float64 they are read
# through: below 2**53), and a column's total at most 4e18 (below 2**63, so no sum the
# allocation takes overflows int64) and at most what Money holds in the budget's currency.
_MAX_UNITS: Final = 1e15
_MAX_TOTAL: Final = 4e18
_ACTION_COLUMNS: Final = ("customer_id", "rank", "relief", "cost")
_WHOLE: Final = (
    ColumnSpec(table="actions", name="rank", encoding="whole", required=True, low=1.0, high=1e6),
    ColumnSpec(table="actions", name="relief", encoding="whole", required=True, high=_MAX_UNITS),
    ColumnSpec(table="actions", name="cost", encoding="whole", required=True, high=_MAX_UNITS),
)  # fmt: skip


def _max_total(budget: object) -> float:
    """The largest total of a relief or cost column, in the budget's minor units."""
    if not isinstance(budget, Money):
        return _MAX_TOTAL  # the budget is refused anyway; its columns are still checked
    return min(_MAX_TOTAL, float(MAX_AMOUNT) * 10.0 ** int(MINOR_UNITS[budget.currency]))


def _read_actions(
    actions: ColumnSource, max_total: float
) -> tuple[Array, dict[str, npt.NDArray[np.int64]]]:
    """The customer ids and the whole-number columns of an actions table, or every problem."""
    names = {str(n) for n in actions.keys()}  # noqa: SIM118 - a DataFrame is not a Mapping
    missing = [n for n in _ACTION_COLUMNS if n not in names]
    if missing:
        raise ValidationError(
            [Problem(f"actions.{n}", None, "a column of the actions table") for n in missing]
        )
    found = Collector()
    given: dict[str, Array] = {}
    for name in _ACTION_COLUMNS:
        array = column_array("actions", name, actions[name], found)
        if array is not None:
            given[name] = array
    rows = table_length("actions", given, found, key="customer_id")
    shaped = {n: a for n, a in given.items() if a.ndim == 1 and a.shape[0] == rows}
    read = ids(shaped["customer_id"], _CUSTOMER_ID, found) if "customer_id" in shaped else None
    whole: dict[str, npt.NDArray[np.float64]] = {}
    for spec in _WHOLE:
        known = len(found.rows)
        values = numbers(shaped[spec.name], spec, found) if spec.name in shaped else None
        if values is None:
            continue
        # Only a column whose every cell is in range has a total worth reporting.
        total = float(values.sum()) if len(found.rows) == known else 0.0
        if spec.name != "rank" and total > max_total:
            expected = f"a total of at most {number_text(max_total)} (minor units)"
            found.column("actions", spec.name, f"a total of {number_text(total)}", expected)
        whole[spec.name] = values
    if read is None or found.rows:
        raise ValidationError([p.as_problem() for p in found.rows])
    return read[0], {name: values.astype(np.int64) for name, values in whole.items()}


def allocate_actions(
    actions: ColumnSource,
    budget: Money,
    *,
    per_customer_limit: Money | None = None,
    per_action_limit: Money | None = None,
    exact_limit: int = DEFAULT_EXACT_LIMIT,
) -> BatchBudget:
    """Spread ``budget`` over recommended actions gathered from partitions.

    The rules of :func:`~custadvocacy.policies.allocate_budget` (and of
    :func:`assess_batch` with a budget): the same funded actions, whatever the
    partitioning, since only the actions' own columns decide.

    Args:
        actions: The actions tables of every partition, together
            (:func:`assess_partition` with ``table="actions"``): ``customer_id``,
            ``rank``, ``relief``, ``cost`` (minor units of ``budget``'s currency).
        budget: The budget (its currency is the reporting currency the partitions used).
        per_customer_limit: Most one customer's funded actions cost together.
        per_action_limit: Most one action costs.
        exact_limit: Most candidates solved exactly (0-40); above it, greedy.

    Returns:
        The allocation; ``funded`` is aligned with the rows of ``actions``.

    Raises:
        ValidationError: A column is missing, of the wrong kind or length, or holds a
            value out of range (every problem listed, e.g. ``actions.cost[3]``).
        PolicyConfigError: The budget or a limit is not acceptable.

    Example:
        >>> from custadvocacy import Money
        >>> from custadvocacy.batch import synthetic_mapping
        >>> from custadvocacy.examples import example_context
        >>> tables = synthetic_mapping(50, seed=3)
        >>> actions = assess_partition(**tables, context=example_context(), table="actions")
        >>> allocate_actions(actions, Money("10000", "EUR")).spent <= Money("10000", "EUR")
        True

    .. versionadded:: 0.1.0
    """
    customer_ids, whole = _read_actions(actions, _max_total(budget))
    order = np.argsort(customer_ids, kind="stable")
    ordered = customer_ids[order]
    # Where each customer's rows start (bool, also for an empty table of any id dtype).
    new = (
        np.concatenate([[True], ordered[1:] != ordered[:-1]]) if ordered.size else np.zeros(0, bool)
    )
    label = np.empty(ordered.shape[0], dtype=np.int64)
    label[order] = np.cumsum(new) - 1
    firsts = ordered[new]
    rank_of_id = text_rank(firsts)
    return allocate_columns(
        customer=label,
        customer_rank=rank_of_id[label] if label.size else label,
        relief=whole["relief"],
        cost=whole["cost"],
        rank=whole["rank"],
        budget=budget,
        currency=str(getattr(budget, "currency", "")),
        per_customer_limit=per_customer_limit,
        per_action_limit=per_action_limit,
        exact_limit=exact_limit,
    )
