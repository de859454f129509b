"""``assess_batch``: a whole portfolio, chunk by chunk, into a :class:`BatchResult`."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from custadvocacy._assess._config_rates import rates_named
from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._errors import ValidationError
from custadvocacy._forecast import EmpiricalLeadTimeModel
from custadvocacy._impact._compose import EstimatorSet
from custadvocacy._money import Money
from custadvocacy._policies import ActionCatalog, PlaybookPolicy, VendorValuePolicy
from custadvocacy._policies._budget import DEFAULT_EXACT_LIMIT, check_budget_options
from custadvocacy._scoring import AdvocacyScorer
from custadvocacy.batch._actions import ChunkActions, choose_chunk
from custadvocacy.batch._budget import allocate_columns
from custadvocacy.batch._chunk import Chunk, segment_sum
from custadvocacy.batch._columns import PortfolioColumns, Table
from custadvocacy.batch._forecast import ChunkForecasts, forecast_chunk, risk_beyond_incidents
from custadvocacy.batch._impact import ChunkImpacts, estimate_chunk
from custadvocacy.batch._playbook import choose_playbook
from custadvocacy.batch._results import POINT_COLUMNS, BatchResult, Plugins
from custadvocacy.batch._score import ChunkScores, score_chunk
from custadvocacy.batch._setup import BatchPolicy, Setup, prepare
from custadvocacy.batch._vendor_value import choose_vendor_value

__all__ = ["DEFAULT_CHUNK", "assess_batch"]

Array = npt.NDArray[Any]

DEFAULT_CHUNK: Final = 8_192
"""Customers per chunk: small enough that a chunk's temporaries stay in cache."""

_MAX_CHUNK: Final = 10_000_000


class _Out:
    """The result arrays, filled chunk by chunk."""

    def __init__(self, columns: PortfolioColumns) -> None:
        n, m, k = columns.customers.rows, columns.orders.rows, columns.incidents.rows
        f8, b1 = np.float64, np.bool_
        self.customers: dict[str, Array] = {
            "score": np.zeros(n, f8),
            "band": np.zeros(n, np.int8),
            **{name: np.zeros(n, f8) for name in POINT_COLUMNS},
            "expected_loss": np.zeros(n, f8),
            "loss_low": np.zeros(n, f8),
            "loss_high": np.zeros(n, f8),
            "risk": np.zeros(n, f8),
            "daily_revenue": np.zeros(n, f8),
        }
        self.incidents: dict[str, Array] = {
            name: np.zeros(k, dtype) for name, dtype in (
                ("expected", f8), ("low", f8), ("high", f8), ("estimated", b1), ("ongoing", b1),
            )
        }  # fmt: skip
        self.orders: dict[str, Array] = {
            name: np.zeros(m, dtype) for name, dtype in (
                ("forecast", b1), ("probability_late", f8), ("expected_days_late", f8),
                ("days_late_low", f8), ("days_late_high", f8), ("expected_loss", f8),
                ("low", f8), ("high", f8), ("risk", f8), ("already_late", b1),
                ("basis", np.int8), ("observations", np.int64),
            )
        }  # fmt: skip
        self.actions: list[ChunkActions] = []
        self.action_rows: list[tuple[Array, Array]] = []


def _choose(
    chunk: Chunk, impacts: ChunkImpacts, forecasts: ChunkForecasts, scores: ChunkScores
) -> ChunkActions:
    """The actions of the run's policy (``chunk.setup.policy``) for the chunk's customers."""
    policy = chunk.setup.policy
    if isinstance(policy, PlaybookPolicy):
        return choose_playbook(chunk, impacts, forecasts, scores.band, policy)
    if isinstance(policy, VendorValuePolicy):
        return choose_vendor_value(chunk, impacts, forecasts, scores.value, policy)
    return choose_chunk(chunk, impacts, forecasts)


def _run_chunk(setup: Setup, out: _Out, start: int, stop: int) -> None:
    chunk = Chunk(setup, start, stop)
    impacts = estimate_chunk(chunk)
    forecasts = forecast_chunk(chunk)
    scores = score_chunk(chunk, impacts, forecasts)
    actions = _choose(chunk, impacts, forecasts, scores)
    i, o = chunk.incident_rows, chunk.order_rows
    inc = out.incidents
    # An incident opened after as_of (a replay) did not exist yet: nothing of it is known,
    # as the object path, which estimates only the incidents seen by then.
    seen = chunk.seen
    expected, low, high = (
        np.where(seen, x, 0.0) for x in (impacts.expected, impacts.low, impacts.high)
    )
    inc["expected"][i], inc["low"][i], inc["high"][i] = expected, low, high
    inc["estimated"][i], inc["ongoing"][i] = impacts.estimated & seen, impacts.ongoing & seen
    orders = out.orders
    for name, values in (
        ("forecast", forecasts.is_open), ("probability_late", forecasts.probability),
        ("expected_days_late", forecasts.expected_days), ("days_late_low", forecasts.low_days),
        ("days_late_high", forecasts.high_days), ("expected_loss", forecasts.expected_loss),
        ("low", forecasts.low), ("high", forecasts.high), ("risk", forecasts.risk),
        ("already_late", forecasts.already_late), ("basis", forecasts.basis),
        ("observations", forecasts.observations),
    ):  # fmt: skip
        orders[name][o] = values
    c = slice(start, stop)
    cust = out.customers
    cust["score"][c] = scores.value
    cust["band"][c] = scores.band
    for k, name in enumerate(POINT_COLUMNS):
        cust[name][c] = scores.points[:, k]
    owner = chunk.incident_customer
    cust["expected_loss"][c] = segment_sum(owner, expected, chunk.n)
    cust["loss_low"][c] = segment_sum(owner, low, chunk.n)
    cust["loss_high"][c] = segment_sum(owner, high, chunk.n)
    beyond = risk_beyond_incidents(chunk, impacts, forecasts)
    cust["risk"][c] = segment_sum(chunk.order_customer, beyond, chunk.n)
    cust["daily_revenue"][c] = scores.revenue
    actions.customer = actions.customer + start
    out.actions.append(actions)
    incident_of = np.where(
        actions.exposure_incident >= 0,
        i[np.maximum(actions.exposure_incident, 0)] if i.size else -1,
        -1,
    )
    order_of = np.where(
        actions.exposure_order >= 0, o[np.maximum(actions.exposure_order, 0)] if o.size else -1, -1
    )
    out.action_rows.append((incident_of, order_of))


def _actions_table(out: _Out, n: int) -> tuple[Table, dict[str, Array]]:
    parts = out.actions

    def cat(name: str, dtype: Any) -> Array:
        arrays = [getattr(p, name) for p in parts]
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype)

    customer = cat("customer", np.int64)
    relief = cat("relief", np.int64)
    cost = cat("cost", np.int64)
    rank = cat("rank", np.int64)
    action = cat("action", np.int64)
    incident = (
        np.concatenate([r[0] for r in out.action_rows]).astype(np.int64)
        if parts
        else np.zeros(0, np.int64)
    )
    order = (
        np.concatenate([r[1] for r in out.action_rows]).astype(np.int64)
        if parts
        else np.zeros(0, np.int64)
    )
    columns = {
        "customer": customer,
        "rank": rank,
        "action": action,
        "relief": relief,
        "cost": cost,
        "needs_approval": cat("needs_approval", np.bool_),
        "incident": incident,
        "order": order,
    }
    per_customer = {
        "actions": np.bincount(customer, minlength=n).astype(np.int64),
        "relief": np.bincount(customer, weights=relief, minlength=n).astype(np.int64),
        "cost": np.bincount(customer, weights=cost, minlength=n).astype(np.int64),
        "top_action": np.full(n, -1, dtype=np.int64),
    }
    first = rank == 1
    per_customer["top_action"][customer[first]] = action[first]
    return Table(name="actions", names=tuple(columns), arrays=tuple(columns.values())), per_customer


def _check_options(chunk_size: object, budget: object, limits: tuple[object, object]) -> None:
    c = Checks()
    c.number("chunk_size", chunk_size, low=1, high=_MAX_CHUNK, integer=True)
    if budget is None:
        for name, limit in zip(("per_customer_limit", "per_action_limit"), limits, strict=True):
            if limit is not None:
                c.fail(name, limit, "None unless a budget is given")
    c.done()


def assess_batch(
    columns: PortfolioColumns,
    *,
    context: Context,
    estimators: EstimatorSet | None = None,
    scorer: AdvocacyScorer | None = None,
    policy: BatchPolicy | None = None,
    catalog: ActionCatalog | None = None,
    lead_time_model: EmpiricalLeadTimeModel | None = None,
    budget: Money | None = None,
    per_customer_limit: Money | None = None,
    per_action_limit: Money | None = None,
    exact_limit: int = DEFAULT_EXACT_LIMIT,
    chunk_size: int = DEFAULT_CHUNK,
) -> BatchResult:
    """Assess a whole portfolio on columns: impacts, forecasts, scores, actions, budget.

    The same numbers as :func:`~custadvocacy.assess` gives customer by customer (the
    same kernels, called on columns; ``docs/batch.md`` says how that is ensured and
    tested), at array speed: no Python object per row. Customers are processed in
    chunks of ``chunk_size`` with their orders and incidents, so memory stays bounded
    by the input plus the results. The plug-ins are the built-ins, with any
    configuration; a host's own class goes through the object path.

    Args:
        columns: The portfolio (:func:`columns_from_mapping`, :func:`columns_from_objects`).
        context: ``as_of``, the reporting currency and the rates.
        estimators: An :class:`~custadvocacy.EstimatorSet` of built-in estimators
            (default: :func:`~custadvocacy.default_estimators`).
        scorer: An :class:`~custadvocacy.AdvocacyScorer` (any configuration).
        policy: A :class:`~custadvocacy.policies.CustomerFirstPolicy` (the default),
            :class:`~custadvocacy.policies.PlaybookPolicy` or
            :class:`~custadvocacy.policies.VendorValuePolicy`, with any settings.
        catalog: The actions (default: :func:`~custadvocacy.policies.default_catalog`).
        lead_time_model: An :class:`~custadvocacy.EmpiricalLeadTimeModel` (default:
            the prior; fit one on delivered orders).
        budget: One budget for the whole portfolio (reporting currency); the
            recommended actions compete for it as in
            :func:`~custadvocacy.policies.allocate_budget`.
        per_customer_limit: With a budget: most one customer's funded actions cost.
        per_action_limit: With a budget: most one funded action costs.
        exact_limit: With a budget: most candidates solved exactly (else greedy).
        chunk_size: Customers per chunk (1 to 10,000,000).

    Returns:
        The result arrays (aligned with the input's rows) and the budget allocation.

    Raises:
        ValidationError: An argument is of the wrong type or out of range.
        BatchValidationError: A row's currency has no rate into the reporting one (every
            such row listed).
        ConfigurationError: A plug-in is not a built-in, or cannot be used.
        PolicyConfigError: A playbook rule names an action the catalog lacks, or a budget
            argument is not acceptable (checked before any row is assessed).
        MissingRateError: A default amount's currency has no rate.

    Example:
        >>> from custadvocacy import Money
        >>> from custadvocacy.batch import columns_from_objects
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> result = assess_batch(columns_from_objects(example_portfolio()),
        ...                       context=example_context(), budget=Money("30000", "EUR"),
        ...                       per_customer_limit=Money("15000", "EUR"))
        >>> round(float(result.incidents["expected"][0]))  # Kovar's late delivery
        44956
        >>> result.budget.spent, result.budget.method
        (Money('...', 'EUR'), 'exact')

    .. versionadded:: 0.1.0
    """
    _check_options(chunk_size, budget, (per_customer_limit, per_action_limit))
    setup = prepare(columns, context, estimators, scorer, policy, catalog, lead_time_model)
    limits = (per_customer_limit, per_action_limit)
    if budget is not None:  # before the work, not after a million rows are scored
        check_budget_options(budget, limits, exact_limit, setup.context.currency)
    out = _Out(columns)
    n = columns.customers.rows
    with rates_named(setup.by_name, context.currency):  # a plug-in's amount without a rate
        for start in range(0, n, chunk_size):
            _run_chunk(setup, out, start, min(n, start + chunk_size))
    actions, per_customer = _actions_table(out, n)
    customers = {"id": columns.customers["id"], **out.customers, **per_customer}
    allocation = None
    if budget is not None:
        allocation = allocate_columns(
            customer=actions["customer"],
            customer_rank=columns.customers["id_rank"][actions["customer"]],
            relief=actions["relief"],
            cost=actions["cost"],
            rank=actions["rank"],
            budget=budget,
            currency=context.currency,
            per_customer_limit=per_customer_limit,
            per_action_limit=per_action_limit,
            exact_limit=exact_limit,
        )
        funded = allocation.funded
        actions = Table(
            name="actions",
            names=(*actions.names, "funded"),
            arrays=(*actions.arrays, funded),
        )
    return BatchResult(
        columns=columns,
        context=context,
        customers=Table(name="customers", names=tuple(customers), arrays=tuple(customers.values())),
        orders=Table(
            name="orders",
            names=("id", *out.orders),
            arrays=(columns.orders["id"], *out.orders.values()),
        ),
        incidents=Table(
            name="incidents",
            names=("id", *out.incidents),
            arrays=(columns.incidents["id"], *out.incidents.values()),
        ),
        actions=actions,
        action_codes=setup.catalog.codes,
        budget=allocation,
        plugins=Plugins(
            estimators=setup.estimators,
            scorer=setup.scorer,
            policy=setup.policy,
            catalog=setup.catalog,
            lead_time_model=setup.model,
        ),
    )


_ = ValidationError  # raised through Checks.done for bad arguments
