"""Early warning: forecasts of open orders, with the customer's loss if they arrive late.

A :class:`Forecast` is to an open order what an :class:`~custadvocacy.Impact` is to an
incident: the customer loss at stake (expected, P10, P90, in the reporting currency),
weighted by the probability that it happens (:attr:`Forecast.risk`). The loss is not a
second formula: it is the late-delivery impact estimator's, applied to a hypothetical
late delivery of the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

import attrs

from custadvocacy._checks import MAX_ID_LENGTH, MAX_TEXT_LENGTH, MAX_YEAR, Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, NoticedBy, Order
from custadvocacy._errors import ConfigurationError, Problem, ValidationError
from custadvocacy._forecast._leadtime import EmpiricalLeadTimeModel
from custadvocacy._forecast._outlook import (
    MAX_DELAY_DAYS,
    DelayOutlook,
    ForecastBasis,
    LeadTimeModel,
)
from custadvocacy._impact._compose import EstimatorSet, default_estimators, estimator_set_problems
from custadvocacy._impact._delivery import (
    CustomerFigures,
    LateDeliveryEstimator,
    customer_figures,
    late_delivery_quantiles,
)
from custadvocacy._impact._model import MAX_LOSS
from custadvocacy._plugins import method_problems
from custadvocacy._trusted import builder

__all__ = ["Forecast", "forecast_orders"]

_RISK_TOLERANCE: Final = 1e-9
_DEFAULT_MODEL: Final = EmpiricalLeadTimeModel()


@attrs.frozen(kw_only=True, repr=False)
class Forecast:
    """The early warning for one open order: how likely it is late, and what that would cost.

    Amounts are floats in ``currency`` (the reporting currency). ``expected_loss``,
    ``low`` and ``high`` are the customer's loss *if the order is late*; ``risk`` is
    ``probability_late * expected_loss``, the expected loss the scorer and the policies
    weigh like an incident's.

    Attributes:
        order_id: The open order forecast.
        customer_id: Its customer.
        currency: The reporting currency of every amount.
        promised_at: The order's promised delivery.
        probability_late: Probability it arrives after the promise (0-1), given that it
            has not arrived by ``as_of``; 1 when the promise has already passed.
        expected_days_late: Expected days past the promise **given that it is late**
            (conditional, >= 0).
        days_late_low: P10 of the days late, given late.
        days_late_high: P90 of the days late, given late.
        expected_loss: Customer loss if it is late by ``expected_days_late`` (the
            late-delivery estimator's central estimate), >= 0.
        low: P10 of the loss if late: the estimator's P10 at ``days_late_low``.
        high: P90 of the loss if late: the estimator's P90 at ``days_late_high``.
        risk: ``probability_late * expected_loss`` (>= 0).
        already_late: ``True`` when the promise passed before ``as_of`` without delivery:
            an incident in the making, forecast with probability 1.
        basis: What the delay outlook was based on (ETA, lane, pooled, prior, host).
        observations: Delivered orders behind the outlook (0 for an ETA or the prior).
        note: The numbers used, in words.
        estimator: Name of the impact estimator that priced the loss.

    Raises:
        ValidationError: A field is not acceptable or ``risk`` does not match
            (every problem listed).

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> customer, orders, _ = example_portfolio().for_customer("C05")
        >>> (forecast,) = forecast_orders(customer, orders, example_context())
        >>> forecast
        Forecast('O-5001', p_late=0.985, days_late=5.1, expected_loss=..., risk=..., EUR, basis=eta)

    .. versionadded:: 0.1.0
    """

    order_id: str
    customer_id: str
    currency: str
    promised_at: datetime
    probability_late: float
    expected_days_late: float
    days_late_low: float
    days_late_high: float
    expected_loss: float
    low: float
    high: float
    risk: float
    already_late: bool
    basis: ForecastBasis
    observations: int = 0
    note: str = ""
    estimator: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("order_id", self.order_id, max_length=MAX_ID_LENGTH)
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.currency("currency", self.currency)
        c.moment("promised_at", self.promised_at)
        c.share("probability_late", self.probability_late)
        for name in ("days_late_low", "expected_days_late", "days_late_high"):
            c.number(name, getattr(self, name), high=MAX_DELAY_DAYS, what=" days")
        for name in ("low", "expected_loss", "high", "risk"):
            c.number(name, getattr(self, name), high=MAX_LOSS)
        c.instance("already_late", self.already_late, bool, "True or False")
        c.member("basis", self.basis, ForecastBasis)
        c.number("observations", self.observations, integer=True)
        c.text("note", self.note, max_length=MAX_TEXT_LENGTH, blank=True)
        c.text("estimator", self.estimator, max_length=MAX_ID_LENGTH, blank=True)
        if not c.problems:
            _check_order(c, self)
        c.done()
        for name in (
            "probability_late",
            "expected_days_late",
            "days_late_low",
            "days_late_high",
            "expected_loss",
            "low",
            "high",
            "risk",
        ):
            object.__setattr__(self, name, float(getattr(self, name)))

    def __repr__(self) -> str:
        return (
            f"Forecast({self.order_id!r}, p_late={self.probability_late:.3f}, "
            f"days_late={self.expected_days_late:.1f}, expected_loss={self.expected_loss:.2f}, "
            f"risk={self.risk:.2f}, {self.currency}, basis={self.basis.value}"
            f"{', already late' if self.already_late else ''})"
        )


def _check_order(c: Checks, f: Forecast) -> None:
    if not f.days_late_low <= f.expected_days_late <= f.days_late_high:
        c.fail(
            "expected_days_late", f.expected_days_late, "a value between the days-late P10 and P90"
        )
    if not f.low <= f.expected_loss <= f.high:
        c.fail("expected_loss", f.expected_loss, f"a value between low ({f.low!r}) and high")
    product = f.probability_late * f.expected_loss
    if abs(f.risk - product) > _RISK_TOLERANCE * max(1.0, product):
        c.fail("risk", f.risk, f"probability_late * expected_loss ({product!r})")
    if f.already_late and f.probability_late != 1.0:
        c.fail("probability_late", f.probability_late, "1.0 for an order already late")


# Our own results and hypotheticals, built from validated values: no checks again
# (tests/test_trusted.py re-validates what they produce).
_new_forecast: Final = builder(Forecast)
_HYPOTHETICAL: Final = "hypothetical late delivery (forecast)"


def forecast_orders(
    customer: Customer,
    orders: Sequence[Order],
    context: Context,
    *,
    model: LeadTimeModel | None = None,
    estimators: EstimatorSet | None = None,
) -> tuple[Forecast, ...]:
    """Forecast the open orders of ``customer``: probability late and the loss if late.

    Delivered orders are history, not forecast, and orders placed after ``as_of`` are
    not forecast either (a replay does not see the future). Open orders whose promise
    has already passed are incidents in the making: they are forecast too, with
    probability 1 and ``already_late=True``. The result is sorted by order id, whatever
    the order of ``orders``.

    The loss if late is the late-delivery estimator's (from ``estimators``) applied to
    a hypothetical late delivery: an incident opened at the promise and the order
    delivered ``d`` days after it, assessed at that delivery. ``expected_loss`` uses
    ``d = expected_days_late``; ``low`` the estimator's P10 at ``d = days_late_low``;
    ``high`` its P90 at ``d = days_late_high``.

    Args:
        customer: The customer whose orders to forecast.
        orders: Their orders (others' orders are an error); open and delivered alike.
        context: ``as_of``, the reporting currency and the rates.
        model: The lead-time model (default: :class:`EmpiricalLeadTimeModel` with no
            history, i.e. the prior; fit one on your delivered orders with
            :meth:`EmpiricalLeadTimeModel.fit`).
        estimators: The impact estimators (default :func:`default_estimators`); the
            late-delivery one prices the loss.

    Returns:
        One forecast per open order placed by ``as_of``, sorted by order id.

    Raises:
        ValidationError: An item is not an Order, or belongs to another customer
            (every problem listed).
        ConfigurationError: ``estimators`` is not an :class:`EstimatorSet` or has no
            late-delivery estimator, or ``model`` has no ``outlook`` method.
        MissingRateError: An amount's currency has no rate into the reporting one.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> portfolio = example_portfolio()
        >>> customer, orders, _ = portfolio.for_customer("C10")
        >>> (forecast,) = forecast_orders(customer, orders, example_context())
        >>> forecast.order_id, forecast.already_late, forecast.probability_late
        ('O-10002', True, 1.0)

    .. versionadded:: 0.1.0
    """
    problems: list[Problem] = []
    for i, item in enumerate(orders):
        order: object = item
        if not isinstance(order, Order):
            problems.append(Problem(f"orders[{i}]", order, "an Order"))
        elif order.customer_id != customer.id:
            problems.append(
                Problem(f"orders[{i}].customer_id", order.customer_id, f"{customer.id!r}")
            )
    if problems:
        raise ValidationError(problems)
    lead_time = _DEFAULT_MODEL if model is None else model
    estimator_set = default_estimators() if estimators is None else estimators
    messages = estimator_set_problems(estimator_set)
    messages += method_problems("model", lead_time, "outlook")
    if messages:
        raise ConfigurationError("cannot forecast the orders:\n  " + "\n  ".join(messages))
    if estimator_set.for_kind(IncidentKind.LATE_DELIVERY) is None:
        # A forecast without a price would read as "no loss": refuse rather than mislead.
        raise ConfigurationError(
            "forecast_orders() prices the loss of a late order with the late-delivery "
            "estimator, and the given EstimatorSet has none; add one with "
            "EstimatorSet.with_estimator(LateDeliveryEstimator())"
        )
    as_of = context.as_of
    placed = (o for o in orders if o.is_open and o.placed_at <= as_of)
    open_orders = sorted(placed, key=lambda o: o.id)
    if not open_orders:
        return ()
    late = estimator_set.for_kind(IncidentKind.LATE_DELIVERY)
    # The built-in prices every order of the customer from the same customer figures.
    figures = (
        customer_figures(late, customer, context) if type(late) is LateDeliveryEstimator else None
    )
    return tuple(
        _forecast_one(
            customer,
            order,
            lead_time.outlook(order, context),
            context,
            estimator_set,
            figures=figures,
        )
        for order in open_orders
    )


def _forecast_one(
    customer: Customer,
    order: Order,
    outlook: DelayOutlook,
    context: Context,
    estimators: EstimatorSet,
    *,
    figures: CustomerFigures | None,
) -> Forecast:
    if not isinstance(outlook, DelayOutlook):
        raise ValidationError([Problem(f"model.outlook({order.id!r})", outlook, "a DelayOutlook")])
    already_late = context.as_of > order.promised_at
    probability = 1.0 if already_late else outlook.probability_late
    days = (outlook.days_late_low, outlook.expected_days_late, outlook.days_late_high)
    at_low, expected, at_high, estimator = _losses_if_late(
        customer, order, days, context, estimators, figures=figures
    )
    note = outlook.note
    if already_late:
        note = f"promise passed {order.days_late(context.as_of):.1f} days ago; " + note
    # Every value comes from validated objects or the estimator; only a host model's very
    # long note could make the note too long: then the checks speak.
    build = _new_forecast if len(note) <= MAX_TEXT_LENGTH else Forecast
    return build(
        order_id=order.id,
        customer_id=order.customer_id,
        currency=context.currency,
        promised_at=order.promised_at,
        probability_late=probability,
        expected_days_late=outlook.expected_days_late,
        days_late_low=outlook.days_late_low,
        days_late_high=outlook.days_late_high,
        expected_loss=expected,
        low=min(at_low, expected),
        high=max(at_high, expected),
        risk=probability * expected,
        already_late=already_late,
        basis=outlook.basis,
        observations=outlook.observations,
        note=note,
        estimator=estimator,
    )


def _losses_if_late(
    customer: Customer,
    order: Order,
    days: tuple[float, float, float],
    context: Context,
    estimators: EstimatorSet,
    *,
    figures: CustomerFigures | None = None,
) -> tuple[float, float, float, str]:
    """Price hypothetical deliveries ``days`` (P10, expected, P90) after the promise.

    Each delay ``d`` is a hypothetical late delivery: an incident opened at the promise
    and the order delivered ``d`` days after it, assessed at that delivery. Returns the
    P10 of the loss at the first delay, the expected loss at the second, the P90 at the
    third, and the name the estimate gives its estimator.
    """
    deliveries = tuple(order.promised_at + timedelta(days=d) for d in days)
    incident_id = f"forecast:{order.id}"[:MAX_ID_LENGTH]
    # The built-in's shortcut below; any other estimator (None too) takes the general path,
    # which gives the built-in the same figures.
    estimator = estimators.for_kind(IncidentKind.LATE_DELIVERY)  # pragma: no mutate
    if type(estimator) is LateDeliveryEstimator and all(d.year <= MAX_YEAR for d in deliveries):
        # The built-in: only three totals are needed, from the same inputs and kernels as
        # its estimate() of these hypotheticals but without the explanation.
        low, expected, high = late_delivery_quantiles(
            estimator,
            customer,
            order,
            context,
            (deliveries[0], deliveries[1], deliveries[2]),
            figures,
        )
        return low, expected, high, estimator.name
    # A host's estimator (or a delivery past the years a moment may have: the checks of
    # the hypothetical objects report it): full estimates, through the set's checks.
    impacts = []
    for delivered in (deliveries[1], deliveries[0], deliveries[2]):
        hypothetical_order = attrs.evolve(order, delivered_at=delivered, eta=None)
        incident = Incident(
            id=incident_id,
            customer_id=order.customer_id,
            kind=IncidentKind.LATE_DELIVERY,
            opened_at=order.promised_at,
            resolved_at=delivered,
            noticed_by=NoticedBy.VENDOR,
            order_id=order.id,
            summary=_HYPOTHETICAL,
        )
        at_delivery = attrs.evolve(context, as_of=max(context.as_of, delivered))
        impacts.append(estimators.estimate(incident, customer, hypothetical_order, at_delivery))
    mid, at_low, at_high = impacts
    return at_low.low, mid.expected, at_high.high, mid.estimator
