"""What one batch run needs besides the columns: plug-ins checked, rates and moments resolved.

The batch path computes the built-in estimators, lead-time model, scorer and policies
(customer-first, playbook, vendor-value; with any parameters, catalog and
configuration): the same kernels as the object path, on columns. A host's own plug-in
(a class of its own, or a subclass of a built-in) has no columnar form, so it is refused
with a :class:`~custadvocacy.ConfigurationError` naming it; such a portfolio goes
through :func:`~custadvocacy.assess_portfolio`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, Final, TypeGuard

import numpy as np
import numpy.typing as npt

from custadvocacy._assess._config_rates import PLUGIN_NAMES, rates_named
from custadvocacy._checks import article
from custadvocacy._context import Context, rate_wanted
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._domain import IncidentKind
from custadvocacy._errors import (
    ConfigurationError,
    MissingRateError,
    Problem,
    ValidationError,
    short_repr,
)
from custadvocacy._forecast import EmpiricalLeadTimeModel
from custadvocacy._impact._compose import EstimatorSet, default_estimators, estimator_set_problems
from custadvocacy._impact._defaults import ProfileDefaults
from custadvocacy._impact._defect import DefectEstimator
from custadvocacy._impact._delivery import LateDeliveryEstimator, PartialDeliveryEstimator
from custadvocacy._impact._model import ImpactEstimator
from custadvocacy._impact._services import (
    BillingErrorEstimator,
    ServiceOutageEstimator,
    SupportFailureEstimator,
)
from custadvocacy._money import Money
from custadvocacy._plugins import class_given
from custadvocacy._policies import (
    ActionCatalog,
    CustomerFirstPolicy,
    PlaybookPolicy,
    VendorValuePolicy,
    default_catalog,
)
from custadvocacy._policies._catalog import catalog_problems
from custadvocacy._scoring import AdvocacyScorer
from custadvocacy.batch._columns import PortfolioColumns
from custadvocacy.batch._encode import moment_us
from custadvocacy.batch._errors import BatchValidationError, RowProblem
from custadvocacy.batch._schema import TABLES

__all__ = [
    "BATCH_POLICIES",
    "KINDS",
    "BatchPolicy",
    "Setup",
    "is_batch_policy",
    "prepare",
    "rate_problems",
]

# What a wrong ``columns`` argument gets told: the two ways to build the right one.
_COLUMNS_EXPECTED: Final = (
    "a PortfolioColumns, from columns_from_mapping(customers, orders, incidents) (for a "
    "synthetic_mapping() result: columns_from_mapping(**tables)) or columns_from_objects(portfolio)"
)

Array = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]

BatchPolicy = CustomerFirstPolicy | PlaybookPolicy | VendorValuePolicy
"""The policies the batch path computes (any settings)."""

BATCH_POLICIES: Final = (CustomerFirstPolicy, PlaybookPolicy, VendorValuePolicy)
"""The policy classes the batch path runs (exactly these classes, not subclasses)."""


def is_batch_policy(policy: object) -> TypeGuard[BatchPolicy]:
    """Whether the batch path runs ``policy``: an instance of a built-in class exactly.

    A subclass may override what the policy does, so it goes through the object path.

    Example:
        >>> is_batch_policy(PlaybookPolicy()), is_batch_policy(None)
        (True, False)
    """
    return type(policy) in BATCH_POLICIES


KINDS: Final = tuple(IncidentKind)
"""Incident kinds in code order (the ``kind`` column's codes)."""

_BUILT_IN: Final = {
    IncidentKind.LATE_DELIVERY: LateDeliveryEstimator,
    IncidentKind.PARTIAL_DELIVERY: PartialDeliveryEstimator,
    IncidentKind.DEFECT: DefectEstimator,
    IncidentKind.SERVICE_OUTAGE: ServiceOutageEstimator,
    IncidentKind.BILLING_ERROR: BillingErrorEstimator,
    IncidentKind.SUPPORT_FAILURE: SupportFailureEstimator,
}
_DEFAULT_ESTIMATORS: Final = default_estimators()
_DEFAULT_SCORER: Final = AdvocacyScorer()
_DEFAULT_POLICY: Final = CustomerFirstPolicy()
_DEFAULT_CATALOG: Final = default_catalog()
_DEFAULT_MODEL: Final = EmpiricalLeadTimeModel()
_DAY_US: Final = 86_400_000_000


class Setup:
    """Plug-ins, the reporting currency's conversion factors, and ``as_of``, for one run.

    ``policy`` is the policy as given and ``settings`` its settings (the cost limit,
    the action count, the triggers). ``customer_first`` is the customer-first policy
    the shared action kernels read their other parameters from
    (``relief_half_life_days``, ``loss_threshold``): ``policy`` itself when it is one,
    else the default one with ``settings`` (the playbook and vendor-value policies
    use no other parameter of it).
    """

    def __init__(  # noqa: PLR0917 - the run's plug-ins, as assess_batch was given them
        self,
        columns: PortfolioColumns,
        context: Context,
        estimators: EstimatorSet,
        scorer: AdvocacyScorer,
        policy: BatchPolicy,
        catalog: ActionCatalog,
        model: EmpiricalLeadTimeModel,
    ) -> None:
        self.columns = columns
        self.context = context
        self.estimators = estimators
        self.scorer = scorer
        self.policy: BatchPolicy = policy
        self.settings = policy.settings
        self.customer_first = (
            policy
            if isinstance(policy, CustomerFirstPolicy)
            else CustomerFirstPolicy(settings=policy.settings)
        )
        self.catalog = catalog
        self.model = model
        self.scale = 10 ** MINOR_UNITS[context.currency]
        self.as_of_us = moment_us(context.as_of)
        self.as_of_seconds = context.as_of.timestamp()
        # Float factor per currency code (the impact estimators' conversion: amount
        # as a float times the rate as a float); NaN where the context has no rate.
        self.factors = _factors(context, columns.currencies)
        self.late_estimator = estimators.for_kind(IncidentKind.LATE_DELIVERY)

    def by_name(self) -> dict[str, object]:
        """The plug-ins by the names of :func:`assess_batch`'s arguments, in their order."""
        plugins = (self.estimators, self.scorer, self.policy, self.catalog, self.model)
        return dict(zip(PLUGIN_NAMES, plugins, strict=True))

    def factor(self, currency: str) -> float:
        """The float rate from ``currency`` into the reporting currency (1 for itself)."""
        return _factor(self.context, currency)

    def to_float(self, money: Money) -> float:
        """``money`` in the reporting currency as the impact estimators convert it."""
        return float(money.amount) * self.factor(money.currency)

    def convert(self, amounts: FloatArray, codes: Array) -> FloatArray:
        """Amounts of the given currency codes in the reporting currency (NaN stays NaN)."""
        if self.factors.size == 0:
            return amounts.astype(np.float64, copy=True)
        return amounts * self.factors[np.maximum(codes, 0)]

    def segment_money(self, defaults: ProfileDefaults, attribute: str) -> FloatArray:
        """A money default per segment, converted (NaN where there is no rate)."""
        out = []
        for segment in (defaults.small, defaults.mid_market, defaults.enterprise):
            money: Money = getattr(segment, attribute)
            try:
                out.append(self.to_float(money))
            except MissingRateError:
                out.append(float("nan"))
        return np.array(out, dtype=np.float64)

    def require_rate(self, values: FloatArray, defaults: ProfileDefaults, attribute: str) -> None:
        """Raise :class:`MissingRateError` when a used default had no rate (NaN in ``values``)."""
        if values.size and np.isnan(values).any():
            for segment in (defaults.small, defaults.mid_market, defaults.enterprise):
                money: Money = getattr(segment, attribute)
                self.factor(money.currency)  # raises for the currency that lacks a rate


def _check_estimators(estimators: object) -> list[str]:
    if not isinstance(estimators, EstimatorSet):
        return estimator_set_problems(estimators)
    messages = []
    for kind, estimator in estimators.estimators:
        expected = _BUILT_IN.get(kind)
        if type(estimator) is not expected:
            messages.append(
                f"the estimator for {kind.value!r} is {short_repr(estimator)}; the batch path "
                f"computes the built-in {expected.__name__ if expected else 'estimators'} only "
                "(assess a host's own estimator with assess_portfolio)"
            )
    return messages


def _check_type(name: str, value: object, cls: type, method: str) -> list[str]:
    if type(value) is cls:
        return []
    if given_class := class_given(name, value, method):
        return [given_class]
    message = (
        f"{name} must be {article(cls.__name__)} (the batch path computes the built-in one, with "
        f"any configuration), not {short_repr(value)}"
    )
    return [message]


def _check_policy(policy: object) -> list[str]:
    if is_batch_policy(policy):
        return []
    if given_class := class_given("policy", policy, "recommend"):
        return [given_class]
    given = type(policy)
    subclass = [cls.__name__ for cls in BATCH_POLICIES if isinstance(policy, cls)]
    what = article(given.__name__) + (f" (a subclass of {subclass[0]})" if subclass else "")
    message = (
        "policy must be a CustomerFirstPolicy, PlaybookPolicy or VendorValuePolicy: the "
        "batch path runs exactly these built-in classes (any settings, no subclass), "
        f"and was given {what}; assess a host's own policy with assess_portfolio"
    )
    return [message]


def prepare(  # noqa: PLR0917 - assess_batch's plug-ins, passed on as given
    columns: PortfolioColumns,
    context: Context,
    estimators: EstimatorSet | None,
    scorer: AdvocacyScorer | None,
    policy: BatchPolicy | None,
    catalog: ActionCatalog | None,
    lead_time_model: EmpiricalLeadTimeModel | None,
) -> Setup:
    """Check the inputs of a batch run as a whole and resolve what every chunk shares.

    Raises:
        ValidationError: ``columns`` or ``context`` is of the wrong type.
        BatchValidationError: A row's currency has no rate into the reporting one.
        ConfigurationError: A plug-in is not a built-in, or there is no late-delivery
            estimator (forecasts price a late order with it).
        PolicyConfigError: A playbook rule names an action the catalog lacks.
    """
    problems = []
    given: tuple[object, object] = (columns, context)
    if not isinstance(given[0], PortfolioColumns):
        problems.append(Problem("columns", given[0], _COLUMNS_EXPECTED))
    if not isinstance(given[1], Context):
        problems.append(Problem("context", given[1], "a Context"))
    if problems:
        raise ValidationError(problems)
    plugins: tuple[Any, ...] = (
        _DEFAULT_ESTIMATORS if estimators is None else estimators,
        _DEFAULT_SCORER if scorer is None else scorer,
        _DEFAULT_POLICY if policy is None else policy,
        _DEFAULT_CATALOG if catalog is None else catalog,
        _DEFAULT_MODEL if lead_time_model is None else lead_time_model,
    )
    messages = _check_estimators(plugins[0])
    messages += _check_type("scorer", plugins[1], AdvocacyScorer, "score")
    messages += _check_policy(plugins[2])
    messages += catalog_problems(plugins[3])
    messages += _check_type("lead_time_model", plugins[4], EmpiricalLeadTimeModel, "outlook")
    if messages:
        raise ConfigurationError("cannot assess the batch:\n  " + "\n  ".join(messages))
    if isinstance(plugins[2], PlaybookPolicy):
        plugins[2].check(plugins[3])
    with rates_named(lambda: dict(zip(PLUGIN_NAMES, plugins, strict=True)), context.currency):
        setup = Setup(columns, context, *plugins)
    _check_rates(setup)
    late: ImpactEstimator | None = setup.late_estimator
    if late is None:
        raise ConfigurationError(
            "the batch path prices the loss of a late order with the late-delivery estimator "
            "(as forecast_orders does), and the given EstimatorSet has none"
        )
    return setup


def _factor(context: Context, currency: str) -> float:
    """The float rate from ``currency`` into ``context``'s currency (1 for itself)."""
    return 1.0 if currency == context.currency else context.factor(currency)


def _factors(context: Context, currencies: Sequence[str]) -> FloatArray:
    """The float factor of each currency code into the reporting currency; NaN for no rate."""
    out = np.full(len(currencies), np.nan)
    for code, currency in enumerate(currencies):
        with contextlib.suppress(MissingRateError):
            out[code] = _factor(context, currency)
    return out


def _rate_rows(
    columns: PortfolioColumns,
    missing: npt.NDArray[np.bool_],
    reporting: str,
    check: tuple[str, str, Array, npt.NDArray[np.bool_]],
) -> list[RowProblem]:
    table, column, codes, used = check
    if codes.size == 0 or not missing.any():
        return []
    bad = used & missing[np.maximum(codes, 0)]
    rows = getattr(columns, table)["row"]
    return [
        RowProblem(
            table=table,
            row=int(rows[i]),
            column=column,
            value=(currency := columns.currencies[int(codes[i])]),
            expected=rate_wanted(reporting, currency),
        )
        for i in np.flatnonzero(bad)
    ]


def rate_problems(columns: PortfolioColumns, context: Context) -> list[RowProblem]:
    """Every row with an amount in a currency ``context`` has no rate for, in table order."""
    missing = np.isnan(_factors(context, columns.currencies))
    c = columns.customers
    o = columns.orders
    i = columns.incidents
    everyone = np.ones(c.rows, dtype=bool)
    # A money column in its customer's account currency (the default when the column or
    # the cell is left out) is named once, as customers.currency, the column given.
    account = c["currency"]
    own = account[i["customer"]]  # every incident names a given customer
    checks: tuple[tuple[str, str, Array, npt.NDArray[np.bool_]], ...] = (
        ("customers", "currency", account, everyone),
        ("customers", "annual_value_currency", c["annual_value_currency"], c["annual_value_currency"] != account),
        ("customers", "daily_revenue_currency", c["daily_revenue_currency"], ~np.isnan(c["daily_revenue"]) & (c["daily_revenue_currency"] != account)),
        ("customers", "staff_hourly_cost_currency", c["staff_hourly_cost_currency"], ~np.isnan(c["staff_hourly_cost"]) & (c["staff_hourly_cost_currency"] != account)),
        ("orders", "currency", o["currency"], np.ones(o.rows, dtype=bool)),
        ("incidents", "amount_currency", i["amount_currency"], ~np.isnan(i["amount"]) & (i["amount_currency"] != own)),
    )  # fmt: skip
    rows: list[RowProblem] = []
    for check in checks:
        rows.extend(_rate_rows(columns, missing, context.currency, check))
    rows.sort(key=lambda p: (TABLES.index(p.table), p.row or 0))
    return rows


def _check_rates(setup: Setup) -> None:
    rows = rate_problems(setup.columns, setup.context)
    if rows:
        raise BatchValidationError(rows)


def timedelta_us(days: FloatArray) -> npt.NDArray[np.int64]:
    """Microseconds of ``timedelta(days=d)`` for each ``d >= 0``, as Python rounds them.

    Whole days, then the fraction's whole microseconds, then the rest rounded: the
    order in which ``datetime.timedelta`` accumulates a float number of days.
    """
    whole = np.trunc(days)
    scaled = (days - whole) * float(_DAY_US)
    part = np.trunc(scaled)
    base = whole.astype(np.int64) * _DAY_US + part.astype(np.int64)
    # The rest (0 <= rest < 1) rounds half to even on the *total*, as timedelta rounds it:
    # a half microsecond goes up only when the whole microseconds are odd.
    rest = scaled - part
    up = (rest > 0.5) | ((rest == 0.5) & (base % 2 == 1))
    total: npt.NDArray[np.int64] = base + up.astype(np.int64)
    return total
