"""What a policy does to each customer of a portfolio: :class:`LabPolicy` and :class:`Outcome`.

A :class:`LabPolicy` names a recommendation policy with the catalog and portfolio budget
it runs with (or no policy: do nothing). :func:`outcome` runs it over a portfolio and
keeps, per customer, the loss, what the funded actions relieve and cost, and what the
response model needs -- the deterministic half of an evaluation.

Two paths, the same numbers: the built-in policies (customer-first, playbook,
vendor-value, any settings) run on the columnar batch path
(:func:`~custadvocacy.batch.assess_batch`, millions of customers); a host's own policy
has no columnar form, so it runs on the object path (:func:`~custadvocacy.assess`)
customer by customer, for the customers with something to act on (an incident, a loss
or an open order at risk; the others get no action): fine for thousands of customers,
slow for a million (``docs/performance.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._assess import assess
from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._money import Money
from custadvocacy._plugins import class_given
from custadvocacy._policies import (
    ActionCatalog,
    Recommendation,
    RecommendationPolicy,
    allocate_budget,
    default_catalog,
)
from custadvocacy._portfolio import Portfolio
from custadvocacy.batch import BatchResult, PortfolioColumns, assess_batch, columns_from_objects
from custadvocacy.batch._budget import allocate_columns
from custadvocacy.batch._objects import groups_of
from custadvocacy.batch._setup import BatchPolicy, is_batch_policy
from custadvocacy.lab._progress import ProgressCallback, ProgressEvent

__all__ = ["LabPolicy", "Outcome", "as_columns", "on_batch_path", "outcome"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Array = npt.NDArray[Any]

_NAME_LENGTH: Final = 100
_OBJECT_STEP: Final = 1_000
_DEFAULT_HEALTH: Final = 0.7
_US_PER_S: Final = 1_000_000


def on_batch_path(policy: object) -> bool:
    """Whether the lab runs ``policy`` on the batch path (a built-in policy, any settings).

    The batch path's own test (``is_batch_policy``): the built-in classes exactly.

    Example:
        >>> from custadvocacy import PlaybookPolicy
        >>> on_batch_path(PlaybookPolicy()), on_batch_path(None)
        (True, False)
    """
    return is_batch_policy(policy)


@attrs.frozen(kw_only=True)
class LabPolicy:
    """A policy as the lab runs it: the policy, its catalog, an optional portfolio budget.

    Attributes:
        name: The name reports show (1-100 characters).
        policy: The recommendation policy (``None``: do nothing, the baseline).
        catalog: The actions it chooses from (default: the built-in catalog).
        budget: One budget for the whole portfolio, in the reporting currency: the
            recommended actions compete for it (``None``: every recommended action is
            taken).
        per_customer_limit: With a budget, most one customer's funded actions cost.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy import CustomerFirstPolicy, Money
        >>> LabPolicy(name="first, 50k", policy=CustomerFirstPolicy(),
        ...           budget=Money("50000", "EUR")).budget
        Money('50000', 'EUR')
        >>> LabPolicy(name="nothing").policy is None
        True

    .. versionadded:: 0.1.0
    """

    name: str
    policy: RecommendationPolicy | None = None
    catalog: ActionCatalog | None = None
    budget: Money | None = None
    per_customer_limit: Money | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("name", self.name, max_length=_NAME_LENGTH)
        policy: object = self.policy
        if given_class := class_given("policy", policy, "recommend"):
            c.fail("policy", policy, f"None or a recommendation policy; {given_class}")
        elif policy is not None and not isinstance(policy, RecommendationPolicy):
            c.fail("policy", policy, "None or a recommendation policy (name and recommend)")
        if self.catalog is not None:
            c.instance("catalog", self.catalog, ActionCatalog, "None or an ActionCatalog")
        c.optional_money("budget", self.budget)
        c.optional_money("per_customer_limit", self.per_customer_limit)
        if self.budget is None and self.per_customer_limit is not None:
            c.fail("per_customer_limit", self.per_customer_limit, "None unless a budget is given")
        c.done()

    @classmethod
    def of(cls, policy: LabPolicy | RecommendationPolicy | None) -> LabPolicy:
        """``policy`` as a :class:`LabPolicy` (a bare policy is named after itself).

        Example:
            >>> from custadvocacy import PlaybookPolicy
            >>> LabPolicy.of(PlaybookPolicy()).name
            'playbook'
            >>> LabPolicy.of(None).name
            'do_nothing'
        """
        if isinstance(policy, LabPolicy):
            return policy
        if policy is None:
            return cls(name="do_nothing")
        if given_class := class_given("policy", policy, "recommend"):
            raise ValidationError([Problem("policy", policy, f"a policy; {given_class}")])
        if not isinstance(policy, RecommendationPolicy):
            raise ValidationError(
                [Problem("policy", policy, "a LabPolicy, a recommendation policy or None")]
            )
        return cls(name=str(policy.name)[:_NAME_LENGTH] or "policy", policy=policy)


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Outcome:
    """What one policy did to each customer: arrays of shape ``(customers,)``.

    Amounts are floats in :attr:`currency`.

    Attributes:
        policy: The policy's name.
        currency: The reporting currency.
        ids: The customers' ids (as the columns hold them).
        segment: ``int8`` segment codes (0 small, 1 mid-market, 2 enterprise).
        band: ``int8`` advocacy-score bands (0 stable ... 4 critical).
        score: The advocacy score (0-100).
        loss: Estimated customer loss: incidents plus the risk of open orders beyond them
            (:attr:`~custadvocacy.Assessment.risk`).
        relief: What the taken (funded) actions relieve of it.
        cost: What they cost the vendor.
        actions: ``int64``: how many actions were taken for the customer.
        proactive: ``bool``: whether one of them was proactive.
        value: Annual value of the customer.
        failures: ``int64``: incidents the customer has seen.
        health: Relationship health, 0-1: NPS / 10, else (CSAT - 1) / 4, else 0.7,
            plus the usage trend, clipped to 0-1.

    Example:
        >>> from custadvocacy import CustomerFirstPolicy
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> result = outcome(LabPolicy.of(CustomerFirstPolicy()), example_portfolio(),
        ...                  context=example_context())
        >>> result
        Outcome('customer_first', customers=12, relief=..., cost=..., EUR)
        >>> bool(result.relief.sum() <= result.loss.sum())
        True

    .. versionadded:: 0.1.0
    """

    policy: str
    currency: str
    ids: Array
    segment: npt.NDArray[np.int8]
    band: npt.NDArray[np.int8]
    score: FloatArray
    loss: FloatArray
    relief: FloatArray
    cost: FloatArray
    actions: IntArray
    proactive: npt.NDArray[np.bool_]
    value: FloatArray
    failures: IntArray
    health: FloatArray

    @property
    def customers(self) -> int:
        """The number of customers.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> outcome(LabPolicy.of(None), example_portfolio(),
            ...         context=example_context()).customers
            12
        """
        return int(self.ids.shape[0])

    def __repr__(self) -> str:
        return (
            f"Outcome({self.policy!r}, customers={self.customers}, "
            f"relief={self.relief.sum():,.2f}, cost={self.cost.sum():,.2f}, {self.currency})"
        )


def as_columns(portfolio: object) -> PortfolioColumns:
    """``portfolio`` as columns (a :class:`~custadvocacy.Portfolio` is converted).

    Example:
        >>> from custadvocacy.examples import example_portfolio
        >>> as_columns(example_portfolio()).customers.rows
        12
    """
    if isinstance(portfolio, PortfolioColumns):
        return portfolio
    if isinstance(portfolio, Portfolio):
        return columns_from_objects(portfolio)
    expected = "a Portfolio or PortfolioColumns (from tables: batch.columns_from_mapping(...))"
    raise ValidationError([Problem("portfolio", portfolio, expected)])


def _factors(columns: PortfolioColumns, context: Context) -> FloatArray:
    # rate(code, code) is 1 for any code, the reporting currency's own too.
    rates, currency = context.rates, context.currency
    return np.array([float(rates.rate(code, currency)) for code in columns.currencies], np.float64)


def _health(columns: PortfolioColumns) -> FloatArray:
    cust = columns.customers
    nps, csat, trend = cust["nps"], cust["csat"], cust["usage_trend"]
    base = np.where(
        np.isfinite(nps),
        nps / 10.0,
        np.where(np.isfinite(csat), (csat - 1.0) / 4.0, _DEFAULT_HEALTH),
    )
    health: FloatArray = np.clip(base + np.nan_to_num(trend), 0.0, 1.0)
    return health


class _Base:
    """The policy-independent columns: loss, score, band, value, failures, health."""

    def __init__(self, columns: PortfolioColumns, context: Context, result: BatchResult) -> None:
        cust = result.customers  # float64 scores and losses, int8 bands already
        self.loss: FloatArray = cust["expected_loss"] + cust["risk"]
        self.score: FloatArray = cust["score"]
        self.band = cust["band"]
        table = columns.customers
        factors = _factors(columns, context)
        self.value: FloatArray = table["annual_value"] * factors[table["annual_value_currency"]]
        incidents = columns.incidents
        seen = incidents["opened_at"] <= round(context.as_of.timestamp() * _US_PER_S)
        self.failures: IntArray = np.bincount(
            incidents["customer"][seen], minlength=table.rows
        ).astype(np.int64)
        self.health = _health(columns)


def _allocate(result: BatchResult, budget: Money, per_customer_limit: Money | None) -> Array:
    """Which recommended actions ``budget`` funds: what ``assess_batch(budget=...)`` does."""
    actions = result.actions
    customer = actions["customer"]
    allocation = allocate_columns(
        customer=customer,
        customer_rank=result.columns.customers["id_rank"][customer],
        relief=actions["relief"],
        cost=actions["cost"],
        rank=actions["rank"],
        budget=budget,
        currency=result.currency,
        per_customer_limit=per_customer_limit,
    )
    return allocation.funded


def _batch_actions(
    result: BatchResult, catalog: ActionCatalog, n: int, funded: Array | None
) -> tuple[Array, ...]:
    actions = result.actions
    taken = np.ones(actions.rows, np.bool_) if funded is None else funded
    who = actions["customer"][taken]
    scale = 10.0 ** Money.zero(result.currency).minor_unit
    relief = np.bincount(who, weights=actions["relief"][taken], minlength=n) / scale
    cost = np.bincount(who, weights=actions["cost"][taken], minlength=n) / scale
    count = np.bincount(who, minlength=n).astype(np.int64)
    is_proactive = np.array([catalog.get(code).proactive for code in result.action_codes], bool)
    proactive = np.zeros(n, np.bool_)
    proactive[who[is_proactive[actions["action"][taken]]]] = True
    return relief, cost, count, proactive


def _object_actions(  # noqa: PLR0917 - one run of the object path
    lab: LabPolicy,
    policy: RecommendationPolicy,
    columns: PortfolioColumns,
    context: Context,
    base: _Base,
    catalog: ActionCatalog,
    progress: ProgressCallback | None,
) -> tuple[Array, ...]:
    n = columns.customers.rows
    # Only these customers are assessed: an action names an incident (a loss or a failure)
    # or answers a forecast of an open order at risk (the conformance kit's rules), so the
    # others get none from any rule-keeping policy. The one exception: a policy acting on
    # an order no forecast puts at risk (relief 0) would have those actions' cost left out.
    rows = np.flatnonzero((base.loss > 0) | (base.failures > 0))  # loss holds the risk
    recommendations: list[tuple[int, Recommendation]] = []
    total = int(rows.size)
    for start in range(0, total, _OBJECT_STEP):
        chunk = rows[start : start + _OBJECT_STEP].tolist()
        for row, (customer, orders, incidents) in zip(
            chunk, groups_of(columns, chunk, context.as_of), strict=True
        ):
            try:
                found = assess(
                    customer, orders, incidents, context=context, policy=policy, catalog=catalog
                )
            except Exception as exc:  # a host's policy failing: say where, to rerun that one
                exc.add_note(
                    f"while the lab ran policy {lab.name!r} for customer {customer.id!r} "
                    f"(customers row {row})"
                )
                raise
            recommendations.append((row, found.recommendation))
        if progress is not None:
            done = min(total, start + _OBJECT_STEP)
            progress(ProgressEvent(policy=lab.name, stage="assess", done=done, total=total))
    taken: list[tuple[int, float, float, bool]] = []
    if lab.budget is None:
        for row, rec in recommendations:
            taken.extend(
                (row, float(a.relief.amount), float(a.cost.amount), catalog.get(a.code).proactive)
                for a in rec.actions
            )
    else:
        row_of = {rec.customer_id: row for row, rec in recommendations}
        allocation = allocate_budget(
            [rec for _, rec in recommendations],
            lab.budget,
            per_customer_limit=lab.per_customer_limit,
        )
        taken.extend(
            (
                row_of[item.customer_id],
                float(item.action.relief.amount),
                float(item.action.cost.amount),
                catalog.get(item.action.code).proactive,
            )
            for item in allocation.funded
        )
    # The dtypes keep an empty pick (no action taken) an index: [] alone makes float64.
    who = np.array([t[0] for t in taken], dtype=np.int64)
    relief = np.bincount(who, weights=np.array([t[1] for t in taken]), minlength=n)
    cost = np.bincount(who, weights=np.array([t[2] for t in taken]), minlength=n)
    count = np.bincount(who, minlength=n).astype(np.int64)
    proactive = np.zeros(n, np.bool_)
    proactive[who[np.array([t[3] for t in taken], dtype=bool)]] = True
    return relief, cost, count, proactive


class Runner:
    """Runs policies over one portfolio, sharing the policy-independent batch results."""

    def __init__(self, portfolio: object, context: Context) -> None:
        self.columns = as_columns(portfolio)
        self.context = context
        self._base: _Base | None = None
        self._runs: list[tuple[BatchPolicy, ActionCatalog, BatchResult]] = []

    def _batch(self, policy: BatchPolicy, catalog: ActionCatalog) -> BatchResult:
        """The batch run of ``policy`` with ``catalog`` (once per pair; budgets reuse it)."""
        for known_policy, known_catalog, result in self._runs:
            if known_policy == policy and known_catalog == catalog:
                return result
        result = assess_batch(self.columns, context=self.context, policy=policy, catalog=catalog)
        self._runs.append((policy, catalog, result))
        return result

    def base(self, result: BatchResult | None = None) -> _Base:
        """The policy-independent columns (from ``result`` or one default batch run)."""
        if self._base is None:
            found = (
                result if result is not None else assess_batch(self.columns, context=self.context)
            )
            self._base = _Base(self.columns, self.context, found)
        return self._base

    def run(self, lab: LabPolicy, progress: ProgressCallback | None = None) -> Outcome:
        """The :class:`Outcome` of ``lab`` on the portfolio."""
        columns, context = self.columns, self.context
        n = columns.customers.rows
        catalog = default_catalog() if lab.catalog is None else lab.catalog
        policy = lab.policy
        if policy is None or not catalog.actions:
            # No policy, or nothing to choose from: nothing is done.
            base = self.base()
            zeros = np.zeros(n)
            parts: Sequence[Array] = (zeros, zeros, np.zeros(n, np.int64), np.zeros(n, np.bool_))
        elif is_batch_policy(policy):
            result = self._batch(policy, catalog)
            base = self.base(result)
            funded = None
            if lab.budget is not None:
                funded = _allocate(result, lab.budget, lab.per_customer_limit)
            parts = _batch_actions(result, catalog, n, funded)
        else:
            base = self.base()
            parts = _object_actions(lab, policy, columns, context, base, catalog, progress)
        if progress is not None and (
            policy is None or not catalog.actions or on_batch_path(policy)
        ):
            progress(ProgressEvent(policy=lab.name, stage="assess", done=1, total=1))
        relief, cost, count, proactive = parts
        return Outcome(
            policy=lab.name,
            currency=context.currency,
            ids=columns.customer_ids,
            segment=columns.customers["segment"],
            band=base.band,
            score=base.score,
            loss=base.loss,
            relief=relief,
            cost=cost,
            actions=count,
            proactive=proactive,
            value=base.value,
            failures=base.failures,
            health=base.health,
        )


def outcome(
    policy: LabPolicy | RecommendationPolicy | None,
    portfolio: Portfolio | PortfolioColumns,
    *,
    context: Context,
    progress: ProgressCallback | None = None,
) -> Outcome:
    """Run ``policy`` over ``portfolio``: per customer, the loss and what the actions do.

    Args:
        policy: A :class:`LabPolicy`, a recommendation policy, or ``None`` (do nothing).
        portfolio: Domain objects or columns (:func:`synthetic_columns`...).
        context: ``as_of``, the reporting currency and the rates.
        progress: Called after each step (:class:`ProgressEvent`).

    Returns:
        The per-customer arrays (:class:`Outcome`).

    Raises:
        ValidationError: An argument is not acceptable.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> result = outcome(None, example_portfolio(), context=example_context())
        >>> float(result.relief.sum()), float(result.cost.sum())
        (0.0, 0.0)

    .. versionadded:: 0.1.0
    """
    lab = LabPolicy.of(policy)
    c = Checks()
    c.instance("context", context, Context, "a Context")
    c.done()
    return Runner(portfolio, context).run(lab, progress)
