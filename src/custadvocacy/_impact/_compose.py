"""Composition: which estimator handles which incident kind, as a value the host builds."""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Literal

import attrs

from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._errors import (
    ConfigurationError,
    Problem,
    ValidationError,
    short_repr,
)
from custadvocacy._impact._defect import DefectEstimator
from custadvocacy._impact._delivery import LateDeliveryEstimator, PartialDeliveryEstimator
from custadvocacy._impact._model import EstimatorCapabilities, Impact, ImpactEstimator
from custadvocacy._impact._services import (
    BillingErrorEstimator,
    ServiceOutageEstimator,
    SupportFailureEstimator,
)
from custadvocacy._plugins import class_given

__all__ = ["EstimatorSet", "OnMissing", "default_estimators", "estimate_impacts"]

OnMissing = Literal["not_estimated", "raise"]
"""What :meth:`EstimatorSet.estimate` does for an incident kind with no estimator."""

_ON_MISSING: Final = ("not_estimated", "raise")

Entries = tuple[tuple[IncidentKind, ImpactEstimator], ...]


def _plugin_problems(estimator: object) -> list[str]:
    """What ``estimator`` lacks to be an :class:`ImpactEstimator` (empty when nothing)."""
    missing: list[str] = []
    if not callable(getattr(estimator, "estimate", None)):
        missing.append("an estimate(incident, customer, order, context) method")
    name = getattr(estimator, "name", None)
    if not isinstance(name, str) or not name.strip():
        missing.append("a non-empty string 'name'")
    if not isinstance(getattr(estimator, "capabilities", None), EstimatorCapabilities):
        missing.append("a 'capabilities' attribute holding an EstimatorCapabilities")
    return missing


def _check_entry(kind: object, estimator: object) -> list[str]:
    where = f"estimator {short_repr(estimator)}"
    if not isinstance(kind, IncidentKind):
        allowed = ", ".join(repr(k.value) for k in IncidentKind)
        return [f"{where} is registered under {kind!r}, which is not an IncidentKind ({allowed})"]
    subject = f"the estimator registered for {kind.value!r}"
    if given_class := class_given(subject, estimator, "estimate"):
        return [given_class]
    missing = _plugin_problems(estimator)
    if missing:
        return [f"{where} for {kind.value!r} lacks {'; '.join(missing)}"]
    capabilities: EstimatorCapabilities = getattr(estimator, "capabilities")  # noqa: B009
    if kind not in capabilities.kinds:
        handled = ", ".join(sorted(k.value for k in capabilities.kinds))
        return [
            (
                f"{where} is registered for {kind.value!r}, which its capabilities do not list "
                f"(it handles: {handled})"
            )
        ]
    return []


def _entries(value: Mapping[IncidentKind, ImpactEstimator] | Entries) -> Entries:
    """Normalise a mapping (or pairs) kind -> estimator into sorted, validated pairs."""
    given: object = value
    if not isinstance(given, Mapping | Iterable) or isinstance(given, str | bytes):
        # An estimator (or its class) given alone: EstimatorSet.of registers it.
        alone = callable(getattr(given, "estimate", None))
        hint = "; for one estimator, EstimatorSet.of(estimator)" if alone else ""
        raise ConfigurationError(
            "cannot build the EstimatorSet:\n  estimators must be a mapping {kind: estimator} "
            f"or (kind, estimator) pairs, not {short_repr(given)}{hint}"
        )
    pairs: list[object] = list(value.items()) if isinstance(value, Mapping) else list(value)
    messages: list[str] = []
    seen: set[object] = set()
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            messages.append(f"{short_repr(pair)} is not a (kind, estimator) pair")
            continue
        kind, estimator = pair
        if kind in seen:
            messages.append(f"two estimators are registered for {kind!r}")
        seen.add(kind)
        messages.extend(_check_entry(kind, estimator))
    if messages:
        raise ConfigurationError("cannot build the EstimatorSet:\n  " + "\n  ".join(messages))
    order = list(IncidentKind)
    valid = typing.cast("list[tuple[IncidentKind, ImpactEstimator]]", pairs)
    return tuple(sorted(valid, key=lambda pair: order.index(pair[0])))


@attrs.frozen(kw_only=True, repr=False)
class EstimatorSet:
    """Which estimator handles which incident kind: a value the host builds, not a registry.

    Every plug-in is checked when it is added: an object lacking ``estimate``,
    ``name`` or ``capabilities``, or registered for a kind its capabilities do not
    list, raises :class:`~custadvocacy.ConfigurationError` naming it and what is wrong.
    :meth:`with_estimator` and :meth:`without` return new sets; nothing global changes.

    Attributes:
        estimators: ``(kind, estimator)`` pairs, one per kind, in :class:`IncidentKind`
            order (pass a mapping ``{kind: estimator}`` or pairs).
        on_missing: For an incident kind with no estimator: ``"not_estimated"``
            (default: an explicit :meth:`Impact.not_estimated` result, never a silent
            zero) or ``"raise"`` (:class:`~custadvocacy.ConfigurationError` naming the kind).

    Raises:
        ConfigurationError: A plug-in or ``on_missing`` cannot be used.

    Example:
        >>> from custadvocacy import IncidentKind
        >>> from custadvocacy.estimators import DefectEstimator
        >>> only_defects = EstimatorSet(estimators={IncidentKind.DEFECT: DefectEstimator()})
        >>> only_defects
        EstimatorSet({'defect': 'defect'}, on_missing='not_estimated')
        >>> [kind.value for kind, _ in default_estimators().without(IncidentKind.DEFECT).estimators]
        ['late_delivery', 'partial_delivery', 'service_outage', 'billing_error', 'support_failure']

    .. versionadded:: 0.1.0
    """

    estimators: Entries = attrs.field(default=(), converter=_entries)
    on_missing: OnMissing = "not_estimated"

    def __attrs_post_init__(self) -> None:
        if self.on_missing not in _ON_MISSING:
            raise ConfigurationError(
                f"on_missing must be 'not_estimated' or 'raise', not {short_repr(self.on_missing)}"
            )

    @classmethod
    def of(
        cls, *estimators: ImpactEstimator, on_missing: OnMissing = "not_estimated"
    ) -> EstimatorSet:
        """Return a set with each estimator registered for every kind its capabilities list.

        Raises:
            ConfigurationError: A plug-in cannot be used, or two claim the same kind.

        Example:
            >>> from custadvocacy.estimators import BillingErrorEstimator, DefectEstimator
            >>> EstimatorSet.of(DefectEstimator(), BillingErrorEstimator())
            EstimatorSet({'defect': 'defect', 'billing_error': 'billing_error'}, on_missing='not_estimated')
        """
        pairs: list[tuple[IncidentKind, ImpactEstimator]] = []
        for estimator in estimators:
            pairs.extend((kind, estimator) for kind in _kinds_of(estimator))
        return cls(estimators=tuple(pairs), on_missing=on_missing)

    @property
    def kinds(self) -> frozenset[IncidentKind]:
        """The incident kinds that have an estimator.

        Example:
            >>> len(default_estimators().kinds)
            6
        """
        return frozenset(kind for kind, _ in self.estimators)

    def for_kind(self, kind: IncidentKind) -> ImpactEstimator | None:
        """Return the estimator for ``kind``, or ``None``.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> default_estimators().for_kind(IncidentKind.OTHER) is None
            True
        """
        for registered, estimator in self.estimators:
            if registered is kind:
                return estimator
        return None

    def with_estimator(
        self, estimator: ImpactEstimator, *, kinds: Iterable[IncidentKind] | None = None
    ) -> EstimatorSet:
        """Return a copy with ``estimator`` handling ``kinds`` (default: all it lists).

        An estimator already registered for one of those kinds is replaced.

        Raises:
            ConfigurationError: ``estimator`` is not usable, or a kind is not one it lists.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> from custadvocacy.estimators import LateDeliveryEstimator
            >>> patient = LateDeliveryEstimator(expediting_rate=0.0)
            >>> estimators = default_estimators().with_estimator(patient)
            >>> estimators.for_kind(IncidentKind.LATE_DELIVERY).expediting_rate
            0.0
        """
        chosen = _kinds_of(estimator) if kinds is None else tuple(kinds)
        kept = tuple((k, e) for k, e in self.estimators if k not in chosen)
        added = tuple((kind, estimator) for kind in chosen)
        return EstimatorSet(estimators=kept + added, on_missing=self.on_missing)

    def without(self, *kinds: IncidentKind) -> EstimatorSet:
        """Return a copy with no estimator for ``kinds``.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> IncidentKind.DEFECT in default_estimators().without(IncidentKind.DEFECT).kinds
            False
        """
        kept = tuple((k, e) for k, e in self.estimators if k not in kinds)
        return EstimatorSet(estimators=kept, on_missing=self.on_missing)

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        """Estimate ``incident`` with the estimator of its kind.

        Args:
            incident: The incident.
            customer: The customer it hit.
            order: The order it names, or ``None``.
            context: ``as_of``, the reporting currency and the rates.

        Returns:
            The impact; for a kind with no estimator and ``on_missing="not_estimated"``,
            the explicit :meth:`Impact.not_estimated` result.

        Raises:
            ConfigurationError: No estimator for the kind and ``on_missing="raise"``,
                or the estimator returned something that is not an :class:`Impact` of
                this incident and customer in the reporting currency.
            ValidationError: The incident, customer and order do not belong together.
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> p = example_portfolio()
            >>> impact = default_estimators().estimate(
            ...     p.incidents[0], p.customers[0], p.orders[0], example_context()
            ... )
            >>> impact.estimator, impact.currency
            ('late_delivery', 'EUR')
        """
        estimator = self.for_kind(incident.kind)
        if estimator is None:
            if self.on_missing == "raise":
                raise ConfigurationError(
                    f"no estimator for incident kind {incident.kind.value!r} (incident "
                    f"{incident.id!r}); add one with EstimatorSet.with_estimator(...) or "
                    "use on_missing='not_estimated'"
                )
            return Impact.not_estimated(
                incident, context, reason=f"no estimator for kind {incident.kind.value!r}"
            )
        impact = estimator.estimate(incident, customer, order, context)
        if (
            type(impact) is not Impact
            or impact.incident_id != incident.id
            or impact.customer_id != customer.id
            or impact.currency != context.currency
            or impact.kind is not incident.kind
        ):
            name: object = getattr(estimator, "name", None)
            called = repr(name) if isinstance(name, str) else short_repr(estimator)
            raise ConfigurationError(
                f"estimator {called} returned {short_repr(impact)} for incident "
                f"{incident.id!r} of customer {customer.id!r}; expected an Impact of that "
                f"incident, customer and kind in {context.currency}"
            )
        return impact

    def __repr__(self) -> str:
        inner = ", ".join(f"{k.value!r}: {e.name!r}" for k, e in self.estimators)
        return f"EstimatorSet({{{inner}}}, on_missing={self.on_missing!r})"


def estimator_set_problems(estimators: object) -> list[str]:
    """``["estimators must be an EstimatorSet, not ..."]``, or ``[]`` when it is one.

    Example:
        >>> estimator_set_problems({"late": 1})
        ["estimators must be an EstimatorSet, not {'late': 1}"]
        >>> estimator_set_problems(default_estimators())
        []
    """
    if isinstance(estimators, EstimatorSet):
        return []
    if isinstance(estimators, type):
        shown, one = f"the class {estimators.__name__}", f"{estimators.__name__}()"
    else:
        shown, one = short_repr(estimators), "estimator"
    wrong = f"estimators must be an EstimatorSet, not {shown}"
    if isinstance(estimators, type) and issubclass(estimators, EstimatorSet):
        return [f"{wrong}: pass default_estimators() or a set built from it"]
    if callable(getattr(estimators, "estimate", None)):  # one estimator (or its class)
        return [f"{wrong}: add it to a set, default_estimators().with_estimator({one})"]
    return [wrong]


def _kinds_of(estimator: object) -> tuple[IncidentKind, ...]:
    if given_class := class_given("estimator", estimator, "estimate"):
        raise ConfigurationError(given_class)
    missing = _plugin_problems(estimator)
    if missing:
        raise ConfigurationError(
            f"estimator {short_repr(estimator)} cannot be used: it lacks {'; '.join(missing)}"
        )
    capabilities: EstimatorCapabilities = getattr(estimator, "capabilities")  # noqa: B009
    return tuple(k for k in IncidentKind if k in capabilities.kinds)


def default_estimators(*, on_missing: OnMissing = "not_estimated") -> EstimatorSet:
    """Return the built-in estimators, one per incident kind except ``other``.

    A fresh value on every call; change it with :meth:`EstimatorSet.with_estimator`
    and :meth:`EstimatorSet.without`.

    Args:
        on_missing: What to do for a kind with no estimator (``other``, or one removed).

    Example:
        >>> default_estimators()
        EstimatorSet({'late_delivery': 'late_delivery', 'partial_delivery': 'partial_delivery', 'defect': 'defect', 'service_outage': 'service_outage', 'billing_error': 'billing_error', 'support_failure': 'support_failure'}, on_missing='not_estimated')

    .. versionadded:: 0.1.0
    """
    return EstimatorSet.of(
        LateDeliveryEstimator(),
        PartialDeliveryEstimator(),
        DefectEstimator(),
        ServiceOutageEstimator(),
        BillingErrorEstimator(),
        SupportFailureEstimator(),
        on_missing=on_missing,
    )


def estimate_impacts(
    customer: Customer,
    orders: Sequence[Order],
    incidents: Sequence[Incident],
    context: Context,
    estimators: EstimatorSet | None = None,
) -> tuple[Impact, ...]:
    """Estimate every incident of one customer; each incident's order is looked up by id.

    Args:
        customer: The customer.
        orders: The customer's orders (those the incidents name must be among them).
        incidents: The customer's incidents.
        context: ``as_of``, the reporting currency and the rates.
        estimators: Which estimator handles which kind (default: :func:`default_estimators`).

    Returns:
        One :class:`Impact` per incident, in the order of ``incidents``.

    Raises:
        ValidationError: An incident belongs to another customer, or names an order
            that is not among ``orders`` (every problem listed, with its path).
        ConfigurationError: ``estimators`` is not an :class:`EstimatorSet`; or see
            :meth:`EstimatorSet.estimate`.
        MissingRateError: An amount's currency has no rate into the reporting one.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> p = example_portfolio()
        >>> rhein, orders, incidents = next(g for g in p.groups() if g[0].id == "C10")
        >>> [(i.incident_id, round(i.expected)) for i in estimate_impacts(
        ...     rhein, orders, incidents, example_context())]
        [('INC-1001', 214810), ('INC-1002', 196131)]

    .. versionadded:: 0.1.0
    """
    chosen = default_estimators() if estimators is None else estimators
    if messages := estimator_set_problems(chosen):
        raise ConfigurationError("cannot estimate the impacts:\n  " + "\n  ".join(messages))
    by_id = {order.id: order for order in orders}
    problems: list[Problem] = []
    for i, incident in enumerate(incidents):
        if incident.customer_id != customer.id:
            problems.append(
                Problem(
                    f"incidents[{i}].customer_id",
                    incident.customer_id,
                    f"the customer's id ({customer.id!r})",
                )
            )
        order_id = incident.order_id
        if order_id is not None and order_id not in by_id:
            problems.append(
                Problem(f"incidents[{i}].order_id", order_id, "the id of one of the given orders")
            )
    if problems:
        raise ValidationError(problems)
    return tuple(
        chosen.estimate(
            incident,
            customer,
            None if incident.order_id is None else by_id[incident.order_id],
            context,
        )
        for incident in incidents
    )
