"""The example portfolio: its stories hold, it is fresh on every call, the report shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs

from custadvocacy import (
    Assessment,
    Band,
    HealthSignals,
    IncidentKind,
    Money,
    NoticedBy,
    OperatingProfile,
    Portfolio,
    Segment,
    Severity,
    assess_portfolio,
    from_dict,
)
from custadvocacy._report import assessment_report, portfolio_report, portfolio_summary
from custadvocacy.examples import (
    EXAMPLE_AS_OF,
    example_context,
    example_payload,
    example_portfolio,
)

PORTFOLIO = example_portfolio()
CONTEXT = example_context()
AS_OF = CONTEXT.as_of


def test_the_shape_of_the_example() -> None:
    assert len(PORTFOLIO.customers) == 12
    assert len(PORTFOLIO.orders) == 12
    assert len(PORTFOLIO.incidents) == 10
    assert {c.currency for c in PORTFOLIO.customers} == {"CZK", "EUR", "GBP"}
    assert {c.segment for c in PORTFOLIO.customers} == set(Segment)
    assert {i.kind for i in PORTFOLIO.incidents} == set(IncidentKind) - {IncidentKind.OTHER}


def test_the_context() -> None:
    assert AS_OF == EXAMPLE_AS_OF == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert CONTEXT.currency == "EUR"
    assert CONTEXT.rates.rate("EUR", "CZK") == Decimal(25)
    assert CONTEXT.rates.rate("EUR", "GBP") == Decimal("0.86")
    for customer in PORTFOLIO.customers:
        CONTEXT.convert(customer.annual_value)  # every currency converts


def test_nothing_happens_after_as_of_except_promises_and_etas() -> None:
    for customer in PORTFOLIO.customers:
        assert customer.customer_since < AS_OF
    for order in PORTFOLIO.orders:
        assert order.placed_at < AS_OF
        assert order.delivered_at is None or order.delivered_at < AS_OF
    for incident in PORTFOLIO.incidents:
        assert incident.opened_at < AS_OF
        assert incident.resolved_at is None or incident.resolved_at < AS_OF


def test_kovar_critical_order_six_days_late_with_two_days_of_buffer() -> None:
    kovar, orders, incidents = PORTFOLIO.for_customer("C01")
    assert kovar.name == "Kovar Precision Machining"
    assert kovar.profile.buffer_days == 2
    assert kovar.currency == "CZK"
    critical = orders[0]
    assert critical.criticality == 1.0
    assert critical.days_late(AS_OF) == 6.0
    (late,) = incidents
    assert late.kind is IncidentKind.LATE_DELIVERY
    assert late.order_id == critical.id
    assert late.noticed_by is NoticedBy.CUSTOMER
    assert not late.is_open(AS_OF)


def test_brightside_billing_error_still_open() -> None:
    _, _, (billing,) = PORTFOLIO.for_customer("C02")
    assert billing.kind is IncidentKind.BILLING_ERROR
    assert billing.amount == Money("3200", "GBP")
    assert billing.is_open(AS_OF)


def test_lindenhof_clinic_outage_of_seven_hours_found_by_the_vendor() -> None:
    _, _, (outage,) = PORTFOLIO.for_customer("C03")
    assert outage.kind is IncidentKind.SERVICE_OUTAGE
    assert outage.hours_open(AS_OF) == 7.0
    assert outage.noticed_by is NoticedBy.VENDOR
    assert outage.affected_share == 0.6


def test_vltava_open_order_with_a_late_carrier_eta() -> None:
    _, (order,), incidents = PORTFOLIO.for_customer("C05")
    assert order.is_open
    assert order.days_late(AS_OF) == 0.0  # not due yet
    assert order.eta is not None
    assert order.eta - order.promised_at == timedelta(days=5)
    assert incidents == ()


def test_rhein_second_late_delivery_still_open() -> None:
    rhein, orders, incidents = PORTFOLIO.for_customer("C10")
    assert rhein.segment is Segment.ENTERPRISE
    assert [i.kind for i in incidents] == [IncidentKind.LATE_DELIVERY] * 2
    first, second = orders
    assert first.days_late(AS_OF) == 3.0
    assert second.is_open
    assert second.days_late(AS_OF) > 3
    assert incidents[1].severity is Severity.HIGH
    assert incidents[1].is_open(AS_OF)


def test_brno_bikes_has_no_profile_at_all() -> None:
    brno = PORTFOLIO.customer("C11")
    assert brno.profile == OperatingProfile()
    assert brno.health == HealthSignals()


def test_customers_with_nothing_wrong() -> None:
    quiet = [c.id for c, _, incidents in PORTFOLIO.groups() if not incidents]
    assert quiet == ["C04", "C05", "C09"]


def test_every_call_builds_fresh_data() -> None:
    first = example_payload()
    first["customers"][0]["name"] = "changed"
    first["orders"].clear()
    second = example_payload()
    assert second["customers"][0]["name"] == "Kovar Precision Machining"
    assert len(second["orders"]) == 12
    assert example_portfolio() == PORTFOLIO
    assert example_portfolio() is not PORTFOLIO
    assert from_dict(Portfolio, second) == PORTFOLIO


def test_the_summary_lists_every_customer() -> None:
    text = portfolio_summary(PORTFOLIO, CONTEXT)
    lines = text.splitlines()
    assert lines[0] == (
        "Portfolio as of 2026-11-20 09:00 UTC, reporting in EUR: "
        "12 customers, 12 orders, 10 incidents"
    )
    for customer in PORTFOLIO.customers:
        assert customer.name in text
    rhein = next(line for line in lines if line.startswith("C10"))
    assert "orders 2 (open 1, late 1)" in rhein
    assert "incidents 2 (open 1)" in rhein
    assert "2,150,000.00 EUR" in rhein


def test_an_open_order_counts_as_late_from_its_promise_on() -> None:
    # Half a day past its promise is late already (not only from a whole day).
    order = next(o for o in PORTFOLIO.orders if o.customer_id == "C10" and o.is_open)
    barely = attrs.evolve(order, promised_at=CONTEXT.as_of - timedelta(hours=12), eta=None)
    orders = tuple(barely if o is order else o for o in PORTFOLIO.orders)
    text = portfolio_summary(attrs.evolve(PORTFOLIO, orders=orders), CONTEXT)
    rhein = next(line for line in text.splitlines() if line.startswith("C10"))
    assert "orders 2 (open 1, late 1)" in rhein


def test_the_summary_of_a_replay_counts_nothing_placed_or_opened_after_it_as_open() -> None:
    # On 2026-11-11, C01's open order O-1002 (placed 2026-11-12) did not exist yet, nor
    # C10's open incident INC-1002 (opened 2026-11-17; INC-1001 was resolved in September).
    replay = attrs.evolve(CONTEXT, as_of=datetime(2026, 11, 11, tzinfo=UTC))
    lines = portfolio_summary(PORTFOLIO, replay).splitlines()
    kovar = next(line for line in lines if line.startswith("C01"))
    assert "orders 2 (open 0, late 0)" in kovar
    rhein = next(line for line in lines if line.startswith("C10"))
    assert "incidents 2 (open 0)" in rhein


def test_the_summary_of_a_replay_at_the_very_moment_of_an_order_or_incident_counts_it() -> None:
    # O-1002 placed and INC-1002 opened exactly at as_of: both exist then, both open.
    placed = datetime(2026, 11, 12, 8, tzinfo=UTC)  # O-1002's placed_at, 09:00+01:00
    kovar = next(
        line
        for line in portfolio_summary(PORTFOLIO, attrs.evolve(CONTEXT, as_of=placed)).splitlines()
        if line.startswith("C01")
    )
    assert "orders 2 (open 1, late 0)" in kovar
    opened = datetime(2026, 11, 17, 8, tzinfo=UTC)  # INC-1002's opened_at
    rhein = next(
        line
        for line in portfolio_summary(PORTFOLIO, attrs.evolve(CONTEXT, as_of=opened)).splitlines()
        if line.startswith("C10")
    )
    assert "incidents 2 (open 1)" in rhein


def test_the_report_details_whoever_is_not_stable_or_was_hurt_or_gets_an_action() -> None:
    ranked = assess_portfolio(PORTFOLIO, context=CONTEXT)
    assert "Briefs of the 3 most urgent customers" in portfolio_report(ranked)  # the default

    def without_actions(assessment: Assessment) -> Assessment:
        zero = Money(0, assessment.recommendation.currency)
        recommendation = attrs.evolve(
            assessment.recommendation, actions=(), total_relief=zero, total_cost=zero, reasons=()
        )
        return attrs.evolve(assessment, recommendation=recommendation)

    # Without actions: C05 (watch, no incident) and C12 (stable, an incident) keep their
    # details; C04 and C09 (stable, nothing) do not.
    quiet = attrs.evolve(ranked, assessments=tuple(map(without_actions, ranked.assessments)))
    text = portfolio_report(quiet, briefs=0)
    detailed = {a.customer.id for a in quiet.assessments if assessment_report(a) in text}
    assert detailed == {a.customer.id for a in quiet.assessments} - {"C04", "C09"}
    c05 = next(a for a in quiet.assessments if a.customer.id == "C05")
    assert (c05.band, c05.impacts) == (Band.WATCH, ())
    assert assessment_report(c05).splitlines()[-1] == (
        "  Recommended actions (customer_first): none (no action applies)"
    )


def test_the_summary_of_an_empty_portfolio() -> None:
    assert portfolio_summary(Portfolio(), CONTEXT).endswith("0 customers, 0 orders, 0 incidents\n")


def test_the_ranking_keeps_its_columns_for_short_names_and_long_ids() -> None:
    customer = attrs.evolve(PORTFOLIO.customer("C09"), id="CUSTOMER-0009", name="Ab")
    ranked = assess_portfolio(Portfolio(customers=(customer,)), context=CONTEXT)
    lines = portfolio_report(ranked, briefs=0).splitlines()
    head = next(i for i, line in enumerate(lines) if line.lstrip().startswith("#"))
    header, row = lines[head], lines[head + 2]
    assert lines[0].endswith(": 1 customer")
    for column, value in (("customer", "Ab"), ("band", "stable")):
        assert row.index(value) == header.index(column), column
    assert row.index("0.76") + len("0.76") == header.index("score") + len("score")
