"""What a batch run returns: :class:`BatchResult`, arrays with ids, convertible to objects.

Four tables of read-only arrays, aligned with the input's tables (``customers`` row
``i`` is the columns' customers row ``i``), and ``actions`` with one row per
recommended action. :meth:`BatchResult.ranked` orders customers by score;
:meth:`BatchResult.to_records` gives plain rows (a DataFrame takes them);
:meth:`BatchResult.to_assessments` gives :class:`~custadvocacy.Assessment` objects for
any subset, computed by the object path (the same numbers, with the texts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._assess import Assessment, assess
from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._forecast import EmpiricalLeadTimeModel
from custadvocacy._impact._compose import EstimatorSet
from custadvocacy._policies import ActionCatalog
from custadvocacy._scoring import FACTORS, AdvocacyScorer, Band
from custadvocacy.batch._budget import BatchBudget
from custadvocacy.batch._columns import PortfolioColumns, Table
from custadvocacy.batch._encode import is_integer
from custadvocacy.batch._forecast import BASES
from custadvocacy.batch._objects import groups_of
from custadvocacy.batch._setup import BatchPolicy

__all__ = ["BatchResult", "Plugins", "TableName"]

IntArray = npt.NDArray[np.int64]

TableName = Literal["customers", "orders", "incidents", "actions"]
_BANDS: Final = tuple(Band)


@attrs.frozen(kw_only=True)
class Plugins:
    """The plug-ins a batch ran with (the object path reruns with them for a subset).

    Attributes:
        estimators: The impact estimators.
        scorer: The scorer.
        policy: The recommendation policy, as given: a
            :class:`~custadvocacy.policies.CustomerFirstPolicy`,
            :class:`~custadvocacy.policies.PlaybookPolicy` or
            :class:`~custadvocacy.policies.VendorValuePolicy` (``BatchPolicy``).
        catalog: The actions it chose from.
        lead_time_model: The lead-time model of the forecasts.

    Example:
        >>> from custadvocacy import default_catalog, default_estimators, AdvocacyScorer
        >>> from custadvocacy import EmpiricalLeadTimeModel, CustomerFirstPolicy
        >>> Plugins(estimators=default_estimators(), scorer=AdvocacyScorer(),
        ...         policy=CustomerFirstPolicy(), catalog=default_catalog(),
        ...         lead_time_model=EmpiricalLeadTimeModel()).policy.name
        'customer_first'

    .. versionadded:: 0.1.0
    """

    estimators: EstimatorSet
    scorer: AdvocacyScorer
    policy: BatchPolicy
    catalog: ActionCatalog
    lead_time_model: EmpiricalLeadTimeModel


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BatchResult:
    """A portfolio assessed on the batch path: arrays with the ids kept, convertible to objects.

    Every float amount is in :attr:`currency`; ``relief`` and ``cost`` are whole minor
    units (``int64``: cents for EUR). The columns of each table are listed in
    ``docs/batch.md``; the main ones:

    - ``customers`` (one row per customer, as in ``columns.customers``): ``id``,
      ``score`` (0-100, higher = needs an advocate sooner), ``band`` (0 stable ... 4
      critical), ``points_<factor>`` for the seven factors, ``expected_loss``,
      ``loss_low``, ``loss_high``, ``risk``, ``actions`` (how many recommended),
      ``relief`` and ``cost`` (their totals), ``top_action`` (catalog index of the
      first-ranked action, ``-1`` for none);
    - ``incidents`` (as ``columns.incidents``): ``expected``, ``low``, ``high``,
      ``estimated``, ``ongoing``;
    - ``orders`` (as ``columns.orders``): ``forecast`` (open, so forecast), ``probability_late``,
      ``expected_days_late``, ``days_late_low``, ``days_late_high``, ``expected_loss``,
      ``low``, ``high``, ``risk``, ``already_late``, ``basis`` (index into
      :attr:`BASES`), ``observations``;
    - ``actions`` (one row per recommended action, grouped by customer, by rank):
      ``customer`` (row), ``rank`` (1 = first), ``action`` (index into
      :attr:`action_codes`), ``relief``, ``cost``, ``needs_approval``, ``incident`` and
      ``order`` (rows of what it answers; ``-1`` for none, and for an escalation
      answering several incidents),
      ``funded`` (with a budget).

    Attributes:
        columns: The input.
        context: The context it was assessed in.
        customers: Per-customer results.
        orders: Per-order forecasts.
        incidents: Per-incident impacts.
        actions: The recommended actions.
        action_codes: The catalog's action codes (``actions["action"]`` indexes them).
        budget: The budget allocation, when a budget was given.
        plugins: The plug-ins it ran with.

    Example:
        >>> from custadvocacy.batch import assess_batch, columns_from_objects
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> result = assess_batch(columns_from_objects(example_portfolio()),
        ...                       context=example_context())
        >>> result
        BatchResult(customers=12, incidents=10, orders=12, actions=..., EUR)
        >>> [(r["id"], r["score"], r["band"]) for r in result.to_records(result.top(3))]
        [('C07', 46.36, 'high'), ('C01', 43.75, 'high'), ('C10', 42.76, 'high')]

    .. versionadded:: 0.1.0
    """

    BASES: ClassVar[tuple[str, ...]] = tuple(b.value for b in BASES)
    """Forecast bases: ``orders["basis"]`` indexes this."""

    columns: PortfolioColumns
    context: Context
    customers: Table
    orders: Table
    incidents: Table
    actions: Table
    action_codes: tuple[str, ...]
    budget: BatchBudget | None = None
    plugins: Plugins

    @property
    def currency(self) -> str:
        """The reporting currency of every amount.

        Example:
            >>> from custadvocacy.batch import assess_batch, columns_from_objects
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> assess_batch(columns_from_objects(example_portfolio()),
            ...              context=example_context()).currency
            'EUR'
        """
        return self.context.currency

    def ranked(self) -> IntArray:
        """Customer rows by score, highest (most urgent) first; ties by id as text.

        Returns:
            Shape ``(customers,)``, ``int64`` rows.

        Example:
            >>> from custadvocacy.batch import assess_batch, columns_from_objects
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess_batch(columns_from_objects(example_portfolio()),
            ...                       context=example_context())
            >>> result.customers["id"][result.ranked()[:2]]
            array(['C07', 'C01'], dtype='<U3')
        """
        rank = self.columns.customers["id_rank"]
        return np.lexsort((rank, -self.customers["score"])).astype(np.int64)

    def top(self, k: int) -> IntArray:
        """The ``k`` most urgent customer rows, in rank order (no full sort of the rest).

        Example:
            >>> from custadvocacy.batch import assess_batch, columns_from_objects
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess_batch(columns_from_objects(example_portfolio()),
            ...                       context=example_context())
            >>> result.top(2).tolist() == result.ranked()[:2].tolist()
            True
        """
        c = Checks()
        c.count("k", k)
        c.done()
        score = self.customers["score"]
        n = score.shape[0]
        if k >= n:
            return self.ranked()
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        kth = np.partition(-score, k - 1)[k - 1]
        # Every row scoring at least the k-th score, then ordered (ties by id).
        near = np.flatnonzero(-score <= kth)
        rank = self.columns.customers["id_rank"]
        return near[np.lexsort((rank[near], -score[near]))][:k].astype(np.int64)

    def table(self, name: TableName) -> Table:
        """The result table called ``name``.

        Example:
            >>> from custadvocacy.batch import assess_batch, columns_from_objects
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> assess_batch(columns_from_objects(example_portfolio()),
            ...              context=example_context()).table("incidents").rows
            10
        """
        if name not in ("customers", "orders", "incidents", "actions"):
            raise ValidationError(
                [Problem("name", name, "'customers', 'orders', 'incidents' or 'actions'")]
            )
        table: Table = getattr(self, name)
        return table

    def to_records(
        self, rows: Iterable[int] | None = None, *, table: TableName = "customers"
    ) -> list[dict[str, Any]]:
        """Plain rows of one table (Python values; bands, codes and bases as text).

        Args:
            rows: The rows to give (default: all); ``result.top(10)`` gives the ten
                most urgent customers, a boolean mask (``result.customers["band"] == 4``)
                its True rows.
            table: Which table.

        Example:
            >>> from custadvocacy.batch import assess_batch, columns_from_objects
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess_batch(columns_from_objects(example_portfolio()),
            ...                       context=example_context())
            >>> record = result.to_records([0], table="actions")[0]
            >>> record["customer_id"], record["action"], record["relief"]
            ('C01', 'service_credit_delivery', 6400.0)
        """
        try:
            data = self.table(table)
        except ValidationError as exc:  # the argument here is called table
            raise ValidationError(attrs.evolve(p, path="table") for p in exc.problems) from None
        count = data.rows
        chosen = np.arange(count) if rows is None else _row_numbers(rows, count, "a row")
        at = np.asarray(chosen, dtype=np.intp)
        # Column by column (tolist gives each cell's Python value, as .item() does), then
        # one dict per row: a million actions in about a second, not ten.
        values = {name: data[name][at].tolist() for name in data.names}
        if table == "customers":
            values["band"] = [_BANDS[band].value for band in values["band"]]
            values["top_action"] = self._labels(values["top_action"], self.action_codes)
        elif table == "orders":
            values["basis"] = self._labels(values["basis"], self.BASES)
        elif table == "actions":
            values |= self._action_ids(data, at)
            values["action"] = self._labels(values["action"], self.action_codes)
        if table in ("customers", "actions"):  # minor units stored; a row reads in euros
            scale = 10 ** MINOR_UNITS[self.currency]
            for name in ("relief", "cost"):  # int / int: exact, as Python divides
                values[name] = [units / scale for units in values[name]]
        keys = tuple(values)
        return [dict(zip(keys, row, strict=True)) for row in zip(*values.values(), strict=True)]

    @staticmethod
    def _labels(codes: list[int], labels: Sequence[str]) -> list[str | None]:
        return [None if code < 0 else labels[code] for code in codes]

    def _action_ids(self, actions: Table, at: npt.NDArray[np.intp]) -> dict[str, list[Any]]:
        """The ids of each action's customer, incident and order, to join on.

        The ``customer``, ``incident`` and ``order`` columns are rows of the tables kept
        (after a drop, not the caller's own); ``None`` where the action has none.
        """
        ids = {"customer_id": self.customers["id"][actions["customer"][at]].tolist()}
        for name, part in (("incident", self.incidents), ("order", self.orders)):
            rows = actions[name][at]
            found = part["id"][np.maximum(rows, 0)].tolist() if part.rows else [None] * len(rows)
            ids[f"{name}_id"] = [
                None if r < 0 else i for r, i in zip(rows.tolist(), found, strict=True)
            ]
        return ids

    def to_assessments(self, rows: Sequence[int] | IntArray) -> tuple[Assessment, ...]:
        """:class:`~custadvocacy.Assessment` objects for the customers at ``rows``.

        Each is what :func:`~custadvocacy.assess` returns for that customer with the
        same plug-ins: the numbers the arrays hold, with the texts (drivers, reasons,
        the brief).

        Args:
            rows: Customer rows (e.g. ``result.top(20)``).

        Example:
            >>> from custadvocacy.batch import assess_batch, columns_from_objects
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> result = assess_batch(columns_from_objects(example_portfolio()),
            ...                       context=example_context())
            >>> (kovar,) = result.to_assessments([0])
            >>> kovar.value == float(result.customers["score"][0])
            True
        """
        chosen = _row_numbers(rows, self.customers.rows, "a customer row")
        plugins = self.plugins
        return tuple(
            assess(
                customer,
                orders,
                incidents,
                context=self.context,
                estimators=plugins.estimators,
                scorer=plugins.scorer,
                policy=plugins.policy,
                catalog=plugins.catalog,
                lead_time_model=plugins.lead_time_model,
            )
            for customer, orders, incidents in groups_of(self.columns, chosen, self.context.as_of)
        )

    def __repr__(self) -> str:
        return (
            f"BatchResult(customers={self.customers.rows}, incidents={self.incidents.rows}, "
            f"orders={self.orders.rows}, actions={self.actions.rows}, {self.currency})"
        )


POINT_COLUMNS: Final = tuple(f"points_{name}" for name in FACTORS)
"""The ``customers`` table's columns of each factor's points, in factor order."""


def _row_numbers(rows: object, count: int, what: str) -> list[int]:
    """``rows`` as row numbers, each an integer (not a bool) from 0 to ``count - 1``.

    A float, a text or a bool is refused rather than read as a row (``"1"`` and ``1.9``
    are not row 1); every bad entry is reported, with its position. A numpy boolean
    mask of ``count`` rows selects its True rows.
    """
    expected = f"{what} from 0 to {count - 1}" if count else f"{what} (there are none)"
    if isinstance(rows, np.ndarray) and rows.dtype == np.bool_:
        # A mask (result.customers["band"] == 4) selects its True rows, as in numpy.
        if rows.shape != (count,):
            shape = f"a boolean mask of {count} rows (one per row of the table)"
            raise ValidationError([Problem("rows", f"<mask of shape {rows.shape}>", shape)])
        return np.flatnonzero(rows).tolist()
    try:
        entries = list(rows)  # type: ignore[call-overload]
    except TypeError:
        raise ValidationError([Problem("rows", rows, "a sequence of row numbers")]) from None
    chosen: list[int] = []
    problems = []
    for i, row in enumerate(entries):
        if not is_integer(row) or not 0 <= row < count:
            problems.append(Problem(f"rows[{i}]", row, expected))
        else:
            chosen.append(int(row))
    if problems:
        raise ValidationError(problems)
    return chosen
