"""Composition (EstimatorSet), a host-written estimator, estimate_impacts, format_impact."""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest

from custadvocacy import (
    ConfigurationError,
    Context,
    Customer,
    EstimatorCapabilities,
    EstimatorSet,
    Impact,
    ImpactEstimator,
    Incident,
    IncidentKind,
    LossCategory,
    LossItem,
    Order,
    ValidationError,
    assess,
    default_estimators,
    estimate_impacts,
    format_impact,
)
from custadvocacy.estimators import BillingErrorEstimator, DefectEstimator, LateDeliveryEstimator
from custadvocacy.examples import example_context, example_portfolio

CONTEXT = example_context()


class WaitingRoomEstimator:
    """A host's own estimator: a plain class, nothing inherited."""

    name = "waiting_room"
    capabilities = EstimatorCapabilities(kinds=frozenset({IncidentKind.OTHER}), batch=False)

    def __init__(self, hourly: float = 40.0) -> None:
        self.hourly = hourly

    def estimate(
        self,
        incident: Incident,
        customer: Customer,  # noqa: ARG002 - the protocol's signature
        order: Order | None,  # noqa: ARG002
        context: Context,
    ) -> Impact:
        hours = incident.hours_open(context.as_of) * incident.affected_share
        cost = hours * self.hourly
        item = LossItem(
            label="Patients waiting",
            category=LossCategory.OTHER,
            expected=cost,
            low=0.8 * cost,
            high=1.5 * cost,
            basis=f"{hours:.1f} h x {self.hourly:.2f} {context.currency}/h",
        )
        return Impact.from_items(
            incident=incident,
            estimator=self.name,
            currency=context.currency,
            items=(item,),
            ongoing=incident.is_open(context.as_of),
        )


def other_incident(**changes: Any) -> Incident:
    p = example_portfolio()
    base = attrs.evolve(p.incidents[2], kind=IncidentKind.OTHER, id="INC-OTHER")
    return attrs.evolve(base, **changes)


def test_a_host_estimator_plugs_in_like_a_built_in() -> None:
    estimators = default_estimators().with_estimator(WaitingRoomEstimator())
    p = example_portfolio()
    clinic = p.customers[2]
    assert isinstance(WaitingRoomEstimator(), ImpactEstimator)
    result = estimators.estimate(other_incident(), clinic, None, CONTEXT)
    assert result.estimator == "waiting_room"
    assert result.expected == pytest.approx(7 * 0.6 * 40.0)
    assert IncidentKind.OTHER in estimators.kinds
    assert format_impact(result).startswith("INC-OTHER (other), customer C03: EUR 168 expected")


def test_an_unhandled_kind_is_not_estimated_explicitly_or_raises() -> None:
    p = example_portfolio()
    result = default_estimators().estimate(other_incident(), p.customers[2], None, CONTEXT)
    assert not result.estimated
    assert result.reason == "no estimator for kind 'other'"
    assert format_impact(result) == (
        "INC-OTHER (other), customer C03: not estimated (no estimator for kind 'other')"
    )
    strict = default_estimators(on_missing="raise")
    with pytest.raises(ConfigurationError, match=r"no estimator for incident kind 'other'"):
        strict.estimate(other_incident(), p.customers[2], None, CONTEXT)


def test_on_missing_must_be_known() -> None:
    with pytest.raises(ConfigurationError, match="on_missing"):
        EstimatorSet(on_missing="ignore")  # type: ignore[arg-type]


class NoEstimate:
    name = "broken"
    capabilities = EstimatorCapabilities(kinds=frozenset({IncidentKind.DEFECT}), batch=False)


class NoCapabilities:
    name = ""

    def estimate(self) -> None:
        """Not the right signature either, but the missing parts are what is reported."""


@pytest.mark.parametrize(
    ("estimators", "message"),
    [
        ({IncidentKind.DEFECT: NoEstimate()}, r"NoEstimate.* lacks an estimate\("),
        (
            {IncidentKind.DEFECT: NoCapabilities()},
            (
                r"lacks a non-empty string 'name'; a 'capabilities' attribute holding an "
                r"EstimatorCapabilities$"
            ),
        ),
        ({"defect": DefectEstimator()}, r"registered under 'defect', which is not an IncidentKind"),
        (
            {IncidentKind.LATE_DELIVERY: DefectEstimator()},
            r"registered for 'late_delivery', which its capabilities do not list \(it handles: defect\)",
        ),
        (((IncidentKind.DEFECT, DefectEstimator()), (IncidentKind.DEFECT, DefectEstimator())), r"two estimators"),
        ((DefectEstimator(),), r"is not a \(kind, estimator\) pair"),
    ],
)  # fmt: skip
def test_plug_ins_are_checked_when_added(estimators: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        EstimatorSet(estimators=estimators)


def test_with_estimator_checks_the_plug_in_and_its_kinds() -> None:
    with pytest.raises(ConfigurationError, match=r"NoEstimate.* cannot be used: it lacks"):
        default_estimators().with_estimator(NoEstimate())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="capabilities do not list"):
        default_estimators().with_estimator(DefectEstimator(), kinds=[IncidentKind.OTHER])


def test_sets_are_values_changed_by_copy() -> None:
    base = default_estimators()
    fewer = base.without(IncidentKind.DEFECT, IncidentKind.BILLING_ERROR)
    assert len(base.kinds) == 6
    assert fewer.kinds == base.kinds - {IncidentKind.DEFECT, IncidentKind.BILLING_ERROR}
    patient = LateDeliveryEstimator(expediting_rate=0.0)
    replaced = base.with_estimator(patient)
    assert replaced.for_kind(IncidentKind.LATE_DELIVERY) is patient
    assert base.for_kind(IncidentKind.LATE_DELIVERY) == LateDeliveryEstimator()
    assert default_estimators() == base
    assert pickle.loads(pickle.dumps(base)) == base  # noqa: S301 - our own bytes
    assert EstimatorSet.of(DefectEstimator()).kinds == {IncidentKind.DEFECT}


def test_an_estimator_returning_something_wrong_is_a_configuration_error() -> None:
    class Liar(WaitingRoomEstimator):
        def estimate(
            self, incident: Incident, customer: Customer, order: Order | None, context: Context
        ) -> Impact:
            right = super().estimate(incident, customer, order, context)
            return attrs.evolve(right, incident_id="SOMEONE-ELSE")

    p = example_portfolio()
    estimators = EstimatorSet.of(Liar())
    with pytest.raises(ConfigurationError, match=r"returned Impact\('SOMEONE-ELSE'"):
        estimators.estimate(other_incident(), p.customers[2], None, CONTEXT)


def test_an_estimator_returning_another_customers_impact_is_refused_by_name() -> None:
    class Stranger(WaitingRoomEstimator):
        name = "stranger"

        def estimate(
            self, incident: Incident, customer: Customer, order: Order | None, context: Context
        ) -> Impact:
            right = super().estimate(incident, customer, order, context)
            return attrs.evolve(right, customer_id="C99")

    p = example_portfolio()
    estimators = default_estimators().with_estimator(Stranger())
    incident = other_incident()
    with pytest.raises(ConfigurationError, match=r"estimator .*stranger.* customer"):
        estimators.estimate(incident, p.customers[2], None, CONTEXT)
    with pytest.raises(ConfigurationError, match=r"estimator .*stranger"):
        assess(p.customers[2], (), (incident,), context=CONTEXT, estimators=estimators)


def test_estimate_impacts_looks_up_each_order() -> None:
    p = example_portfolio()
    for customer, orders, incidents in p.groups():
        impacts = estimate_impacts(customer, orders, incidents, CONTEXT)
        assert [i.incident_id for i in impacts] == [i.id for i in incidents]
        assert all(i.estimated and i.customer_id == customer.id for i in impacts)
        assert impacts == estimate_impacts(
            customer, orders, incidents, CONTEXT, default_estimators()
        )


def test_estimate_impacts_lists_every_broken_reference() -> None:
    p = example_portfolio()
    kovar = p.customers[0]
    stranger = attrs.evolve(p.incidents[1], order_id=None)
    with pytest.raises(ValidationError) as info:
        estimate_impacts(kovar, (), (p.incidents[0], stranger), CONTEXT)
    assert info.value.paths == ("incidents[0].order_id", "incidents[1].customer_id")
    assert str(info.value).splitlines()[1:] == [
        "  incidents[0].order_id: expected the id of one of the given orders, got 'O-1001'",
        "  incidents[1].customer_id: expected the customer's id ('C01'), got 'C02'",
    ]


def test_an_estimator_under_a_name_that_is_no_kind_is_told_the_kinds() -> None:
    with pytest.raises(ConfigurationError) as info:
        EstimatorSet(estimators=[("billing", BillingErrorEstimator())])  # type: ignore[arg-type]
    assert str(info.value).endswith(
        " is registered under 'billing', which is not an IncidentKind ('late_delivery', "
        "'partial_delivery', 'defect', 'service_outage', 'billing_error', 'support_failure', "
        "'other')"
    )


def test_every_bad_entry_of_an_estimator_set_is_listed() -> None:
    with pytest.raises(ConfigurationError) as info:
        EstimatorSet(
            estimators=[  # type: ignore[arg-type]
                ("x",),
                ("billing", BillingErrorEstimator()),
                (IncidentKind.DEFECT, BillingErrorEstimator()),
            ]
        )
    lines = str(info.value).split("\n  ")
    assert lines[:2] == ["cannot build the EstimatorSet:", "('x',) is not a (kind, estimator) pair"]
    assert lines[2].endswith(
        " is registered under 'billing', which is not an IncidentKind ('late_delivery', "
        "'partial_delivery', 'defect', 'service_outage', 'billing_error', 'support_failure', "
        "'other')"
    )
    assert lines[3].endswith(
        " is registered for 'defect', which its capabilities do not list (it handles: "
        "billing_error)"
    )
    assert len(lines) == 4


def test_an_estimator_lacking_everything_is_told_all_of_it() -> None:
    class Nothing:
        def __repr__(self) -> str:
            return "Nothing()"

    with pytest.raises(ConfigurationError) as info:
        default_estimators().with_estimator(Nothing())  # type: ignore[arg-type]
    assert str(info.value) == (
        "estimator Nothing() cannot be used: it lacks an estimate(incident, customer, order, "
        "context) method; a non-empty string 'name'; a 'capabilities' attribute holding an "
        "EstimatorCapabilities"
    )


def test_an_estimator_set_built_from_something_else_than_pairs_says_so() -> None:
    with pytest.raises(ConfigurationError) as info:
        EstimatorSet(estimators=[("x",)])  # type: ignore[arg-type]
    assert str(info.value) == (
        "cannot build the EstimatorSet:\n  ('x',) is not a (kind, estimator) pair"
    )


def test_format_impact_shows_items_ranges_and_assumptions() -> None:
    p = example_portfolio()
    text = format_impact(
        default_estimators().estimate(p.incidents[0], p.customers[0], p.orders[0], CONTEXT)
    )
    lines = text.splitlines()
    assert lines[0] == (
        "INC-101 (late delivery), customer C01: EUR 44,956 expected, P10-P90 EUR 28,675 - 61,517"
    )
    assert "4.00 operating days lost (6.00 late - 2.00 buffer)" in text
    assert "    * incident.effort_hours = 6 hours  [not recorded: 1 h of chasing" in text
    assert "      order.criticality = 1.00  [order O-1001]" in text
    assert "Still open" not in text


def test_a_set_reads_as_its_kinds_and_estimators_and_keeps_on_missing() -> None:
    strict = EstimatorSet(estimators={IncidentKind.DEFECT: DefectEstimator()}, on_missing="raise")
    assert repr(strict) == "EstimatorSet({'defect': 'defect'}, on_missing='raise')"
    both = strict.with_estimator(LateDeliveryEstimator())
    assert both.on_missing == "raise"
    assert repr(both) == (
        "EstimatorSet({'late_delivery': 'late_delivery', 'defect': 'defect'}, on_missing='raise')"
    )
