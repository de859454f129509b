"""The brief: content in the customer's terms, its renderings, and its limits."""

from __future__ import annotations

import json
import types
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Assessment,
    Brief,
    Context,
    ExchangeRates,
    Forecast,
    ForecastBasis,
    Incident,
    IncidentKind,
    Money,
    NoticedBy,
    Order,
    ValidationError,
    assess,
    from_dict,
    to_dict,
)
from custadvocacy._brief import (
    _FORECAST_BASIS_TEXT,
    _clip,
    _days,
    _hours,
    _md,
    _rough,
    compose_brief,
)
from custadvocacy._listing import listing
from custadvocacy.examples import example_context, example_portfolio

PORTFOLIO = example_portfolio()
CONTEXT = example_context()
AS_OF = CONTEXT.as_of
DAY = timedelta(days=1)


def brief_of(customer_id: str) -> Brief:
    customer, orders, incidents = PORTFOLIO.for_customer(customer_id)
    return assess(customer, orders, incidents, context=CONTEXT).brief()


# --------------------------------------------------------------- in their terms


@pytest.mark.parametrize(
    ("customer_id", "start"),
    [
        (
            "C01",
            "Your line stood still for about 4 days because our delivery O-1001 was 6 days late",
        ),
        ("C02", "We billed you GBP 3,200.00 wrongly, and it is still not corrected after 18 days"),
        ("C03", "Our service was down for 7 hours, hitting 60% of your operations"),
        ("C06", "40% of what you ordered (order O-6001) did not arrive"),
        ("C07", "50% of what we delivered (order O-7001) was defective"),
        ("C08", "Your request was not resolved as it should have been and is still open after"),
        ("C11", "Our delivery O-11001 was 2 days late; if you hold about 2 days of stock"),
    ],
)
def test_each_kind_is_said_in_the_customers_terms(customer_id: str, start: str) -> None:
    sentence = brief_of(customer_id).in_their_terms[0]
    assert sentence.startswith(start)
    assert "roughly" in sentence
    assert sentence.endswith(".")


def test_amounts_show_in_the_customers_currency_and_the_reporting_one() -> None:
    brief = brief_of("C01")
    (cost,) = brief.cost
    assert "roughly CZK 1.1 million (P10-P90 720,000 to 1.5 million)" in cost
    assert "that is roughly EUR 45,000 (P10-P90 29,000 to 62,000)" in cost
    assert "mostly lost margin (54%) and idle staff (44%)" in cost
    eur_customer = brief_of("C03")
    assert "that is" not in eur_customer.cost[0]  # one currency: said once


def test_an_open_late_order_is_still_on_its_way_and_still_costing() -> None:
    brief = brief_of("C10")
    second = next(s for s in brief.in_their_terms if "O-10002" in s)
    assert "still on its way" in second
    assert "that is costing you" in second
    assert any("In total: roughly EUR 410,000" in line for line in brief.cost)
    assert any("still open, so still growing" in line for line in brief.cost)
    assert any("is past its promise (2026-11-17)" in line for line in brief.happened)
    assert any(line.startswith("At risk on open orders") for line in brief.cost)


def test_forecasts_on_track_and_at_risk() -> None:
    on_track = brief_of("C01").happened[-1]
    assert on_track.startswith("Open order O-1002 (due 2026-12-01) looks on track")
    at_risk = brief_of("C05").happened[0]
    assert "98% likely to arrive late" in at_risk
    assert at_risk.endswith("Act before 2026-11-24.")


def test_what_happened_names_who_noticed_first() -> None:
    assert "the customer told us before we noticed" in brief_of("C01").happened[0]
    assert "we noticed it first" in brief_of("C03").happened[0]


def test_recommendations_and_approvals() -> None:
    brief = brief_of("C01")
    assert brief.recommended[0].startswith("1. Service credit")
    assert "needs approval" in brief.recommended[0]
    assert brief.recommended[2].startswith("In all: relieves about EUR 7,168.00")
    assert brief.approval[0].startswith("Service credit for the late or incomplete delivery")
    proactive = brief_of("C05").recommended[0]
    assert "(proactive for O-5001, before 2026-11-24)" in proactive
    rhein = brief_of("C10")
    assert any(
        "relieves no measured loss (it serves the relationship)" in r for r in rhein.recommended
    )
    nothing_to_approve = brief_of("C02")
    assert nothing_to_approve.approval[0].startswith("Nothing: every recommended action")
    nothing = brief_of("C09")
    assert nothing.recommended[0].startswith("Nothing recommended by the customer_first policy")


def test_defaults_are_grouped_by_value_with_their_incidents() -> None:
    brief = brief_of("C10")
    hours = [line for line in brief.defaults if line.startswith("late_delivery.hours_per_day")]
    assert hours == [
        (
            "late_delivery.hours_per_day = 8 hours/day [estimator parameter, built-in value "
            "(docs/impact.md, Defaults)]; used for INC-1001, INC-1002"
        )
    ]
    assert brief_of("C05").defaults == (
        "None: every figure used is the customer's own or a measured fact.",
    )
    assert any("built-in delay prior" in line for line in brief_of("C01").defaults)


# ------------------------------------------------------------------- edge cases


def _customer_with(
    incidents: list[Incident], orders: list[Order] | None = None, customer_id: str = "C04"
) -> Assessment:
    customer = PORTFOLIO.customer(customer_id)
    return assess(customer, orders or [], incidents, context=CONTEXT)


def _incident(
    n: int, kind: IncidentKind = IncidentKind.SUPPORT_FAILURE, **extra: object
) -> Incident:
    fields: dict[str, object] = {
        "id": f"X-{n:03d}",
        "customer_id": "C04",
        "kind": kind,
        "opened_at": AS_OF - (n + 1) * DAY,
        "resolved_at": AS_OF - n * DAY,
        "effort_hours": 2.0,
    }
    fields.update(extra)
    return Incident(**fields)  # type: ignore[arg-type]


def test_an_incident_of_another_kind_is_not_estimated_and_says_so() -> None:
    result = _customer_with([_incident(1, IncidentKind.OTHER, summary="Docks flooded.")])
    brief = result.brief()
    assert brief.in_their_terms == ()
    assert "not estimated" in brief.cost[0]
    assert "not a claim that nothing was lost" in brief.cost[0]


def test_a_late_delivery_without_an_order_and_a_resolved_billing_error() -> None:
    late = _incident(1, IncidentKind.LATE_DELIVERY, affected_share=1.0)
    billing = _incident(
        2, IncidentKind.BILLING_ERROR, amount=Money("900", "EUR"), noticed_by=NoticedBy.VENDOR
    )
    brief = _customer_with([late, billing]).brief()
    sentences = " ".join(brief.in_their_terms)
    assert "Our delivery was 1 day late" in sentences
    assert "We billed you EUR 900.00 wrongly; that cost you" in sentences


def _late_delivery(customer_id: str, currency: str, days_late: int) -> tuple[Incident, Order]:
    """An order promised ten days ago and delivered ``days_late`` days after, and its incident."""
    delivered = AS_OF - (10 - days_late) * DAY
    order = Order(
        id="O-1",
        customer_id=customer_id,
        placed_at=AS_OF - 20 * DAY,
        promised_at=AS_OF - 10 * DAY,
        delivered_at=delivered,
        value=Money("50000", currency),
        criticality=0.5,
    )
    incident = _incident(
        10 - days_late,
        IncidentKind.LATE_DELIVERY,
        customer_id=customer_id,
        order_id="O-1",
        opened_at=AS_OF - 10 * DAY,
        resolved_at=delivered,
    )
    return incident, order


def test_a_delivery_within_a_known_buffer_was_absorbed() -> None:
    late, order = _late_delivery("C04", "EUR", days_late=2)
    brief = _customer_with([late], [order]).brief()
    assert brief.in_their_terms[0].startswith(
        "Our delivery O-1 was 2 days late; your stock of about 5 days absorbed most of it"
    )


def test_a_long_history_is_cut_short() -> None:
    incidents = [_incident(n, summary="x" * 5_000) for n in range(14)]
    brief = _customer_with(incidents).brief()
    assert brief.happened[0] == "4 earlier incident(s) not listed."
    assert len(brief.happened) == 11
    assert all(len(line) <= 2_000 for line in brief.happened)
    assert brief.cost[10] == "4 smaller incident(s) not listed."
    assert len(brief.in_their_terms) == 3


def _open_orders(count: int) -> list[Order]:
    """``count`` open orders of C04, due one day after another from tomorrow."""
    return [
        Order(
            id=f"O-{n}",
            customer_id="C04",
            placed_at=AS_OF - DAY,
            promised_at=AS_OF + (n + 1) * DAY,
            value=Money("1000", "EUR"),
        )
        for n in range(count)
    ]


def test_many_open_orders_are_cut_short() -> None:
    brief = _customer_with([], _open_orders(7)).brief()
    assert brief.happened[-1] == "2 more open order(s) not listed."


def test_without_a_rate_into_the_customers_currency_only_the_reporting_one_shows() -> None:
    result = PORTFOLIO.for_customer("C01")
    assessment = assess(*result, context=CONTEXT)
    bare = attrs.evolve(assessment, rates=ExchangeRates({}))
    brief = bare.brief()
    assert brief.cost[0].startswith("INC-101 (late delivery): roughly EUR 45,000")
    assert "CZK" not in brief.in_their_terms[0].split("roughly")[1]
    assert "(CZK" not in brief.recommended[0]


# ------------------------------------------------------------------ the value


def test_renderings() -> None:
    brief = brief_of("C01")
    text = brief.text()
    assert text.startswith("Kovar Precision Machining (C01), as of 2026-11-20")
    assert "\nWhat it cost the customer\n  - INC-101" in text
    assert "\n  1. Service credit" in text
    assert str(brief) == text
    markdown = brief._repr_markdown_()
    assert markdown.startswith("### Kovar Precision Machining (C01)")
    assert "\n**What we recommend**\n\n1. Service credit" in markdown
    html = brief._repr_html_()
    assert html.startswith('<div class="custadvocacy-brief"><h3>')
    assert html.count("<h4>") == len(brief.sections())
    assert repr(brief).startswith("Brief('C01', 'Kovar Precision Machining (C01)")
    assert "cost=1" in repr(brief)


def test_round_trip_and_sections_in_order() -> None:
    brief = brief_of("C10")
    assert from_dict(Brief, json.loads(json.dumps(to_dict(brief)))) == brief
    titles = [title for title, _ in brief.sections()]
    assert titles == [
        "In the customer's terms",
        "What happened",
        "What it cost the customer",
        "Why now",
        "Assumptions that were defaults, not the customer's own figures",
        "What we recommend",
        "Needs approval",
    ]


def test_markup_in_the_hosts_text_is_escaped() -> None:
    brief = Brief(
        customer_id="C1",
        customer_name="<Evil> & *Co*",
        headline="<Evil> & *Co*: [link](x) `code` #1 | a_b",
        happened=("<script>alert(1)</script>",),
    )
    assert "<script>" not in brief.html()
    assert "&lt;script&gt;" in brief.html()
    markdown = brief.markdown()
    assert "\\<Evil\\> & \\*Co\\*: \\[link\\](x) \\`code\\` \\#1 \\| a\\_b" in markdown
    assert "\\<script\\>" in markdown


def test_a_brief_checks_its_fields() -> None:
    with pytest.raises(ValidationError) as info:
        Brief(
            customer_id="",
            customer_name=3,  # type: ignore[arg-type]
            headline="h",
            happened=["a"],  # type: ignore[arg-type]
            cost=("x" * 10_001,),
            defaults=("",) * 201,
        )
    assert info.value.paths == ("customer_id", "customer_name", "happened", "cost[0]", "defaults")


def test_compose_brief_reads_any_object_shaped_like_an_assessment() -> None:
    assessment = assess(*PORTFOLIO.for_customer("C03"), context=CONTEXT)

    @attrs.frozen
    class Shaped:
        customer: object = assessment.customer
        as_of: object = assessment.as_of
        currency: object = assessment.currency
        rates: object = assessment.rates
        orders: object = assessment.orders
        incidents: object = assessment.incidents
        impacts: object = assessment.impacts
        forecasts: object = assessment.forecasts
        score: object = assessment.score
        recommendation: object = assessment.recommendation

    assert compose_brief(Shaped()) == assessment.brief()  # type: ignore[arg-type]


# --------------------------------------------------------------- number words


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),  # not "-0"
        (-5.0, "0"),
        (float("inf"), "0"),
        (0.0042, "0.0042"),
        (9.96, "10"),
        (999_600.0, "1 million"),
        (1_250_000.0, "1.2 million"),
        (54_000_000.0, "54 million"),
        (999_000_000.0, "1 billion"),
        (123_456_789_000.0, "120 billion"),
        (2.5e12, "2.5 trillion"),
        (3.3e16, "33,000 trillion"),  # trillions counted exactly, not 32,999.999...
        (1e18, "1,000,000 trillion"),  # the largest amount Money takes
    ],
)
def test_rough_amounts(value: float, text: str) -> None:
    assert _rough(value) == text


def test_days_and_hours() -> None:
    assert [_days(1.0), _days(2.02), _days(1.5)] == ["1 day", "2 days", "1.5 days"]
    assert [_hours(1.0), _hours(6.98), _hours(2.5)] == ["1 hour", "7 hours", "2.5 hours"]
    # Within 0.05 of a whole number reads as whole; 0.05 itself does not.
    assert [_days(0.05), _hours(0.05)] == ["0.1 days", "0.1 hours"]


def test_a_long_line_is_clipped_to_its_limit_with_an_ellipsis() -> None:
    assert _clip("abcdefgh", 8) == "abcdefgh"  # exactly the limit: kept
    assert _clip("abcdefghij", 8) == "abcde..."
    assert _clip("abcd efgh", 8) == "abcd..."  # no space before the ellipsis


def test_a_listing_names_five_then_counts_the_rest() -> None:
    ids = ["O1", "O2", "O3", "O4", "O5", "O6", "O7"]
    assert listing(ids[:5]) == "O1, O2, O3, O4, O5"
    assert listing(ids) == "O1, O2, O3, O4, O5 and 2 more"
    assert listing(ids[:3], shown=2) == "O1, O2, O3"  # one more is named, not counted
    assert listing(ids[:4], shown=2) == "O1, O2 and 2 more"
    assert listing(ids[:2], shown=2) == "O1, O2"


def test_a_brief_checks_its_headline_and_the_length_of_each_section() -> None:
    brief = Brief(customer_id="C1", customer_name="N", headline="H", cost=("x",) * 200)
    assert repr(Brief(customer_id="C1", customer_name="N", headline="H")) == "Brief('C1', 'H')"
    assert repr(brief) == "Brief('C1', 'H', cost=200)"
    too_many = ("x",) * 201
    with pytest.raises(ValidationError) as info:
        Brief(customer_id="C1", customer_name="N", headline=5, cost=too_many)  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("headline", 5, "a string"),
        ("cost", too_many, "a tuple of at most 200 strings"),
    ]


@given(st.floats(0, 1e18), st.floats(0, 1e18))
def test_rough_keeps_the_order_of_amounts(a: float, b: float) -> None:
    low, high = sorted((a, b))

    def number(text: str) -> float:
        figure, _, word = text.partition(" ")
        scale = {"": 1.0, "million": 1e6, "billion": 1e9, "trillion": 1e12}[word]
        return float(figure.replace(",", "")) * scale

    assert number(_rough(low)) <= number(_rough(high))


@given(st.text(max_size=50))
def test_markdown_escaping_leaves_no_markup_and_loses_nothing(text: str) -> None:
    escaped = _md(text)
    bare, i = [], 0
    while i < len(escaped):
        if escaped[i] == "\\":
            bare.append(escaped[i + 1])
            i += 2
            continue
        assert escaped[i] not in "\\`*_[]<>#|~"
        bare.append(escaped[i])
        i += 1
    assert "".join(bare) == text


def test_context_is_what_assess_was_given() -> None:
    result = assess(*PORTFOLIO.for_customer("C01"), context=CONTEXT)
    assert result.context == Context(as_of=AS_OF, currency="EUR", rates=CONTEXT.rates)


def test_sentences_for_estimates_from_a_hosts_own_estimator() -> None:
    from custadvocacy import Impact, LossCategory, LossItem  # noqa: PLC0415 - only here
    from custadvocacy._brief import _Converter, _incident_sentence  # noqa: PLC0415

    conv = _Converter(CONTEXT.rates, "EUR", "EUR")
    item = LossItem(
        label="Flooded dock", category=LossCategory.OTHER, expected=100.0, low=50.0, high=200.0
    )
    other = _incident(1, IncidentKind.OTHER, summary="Docks flooded.")
    impact = Impact.from_items(
        incident=other, estimator="mine", currency="EUR", items=(item,), ongoing=False
    )
    assert _incident_sentence(other, None, impact, AS_OF, conv) == (
        "Docks flooded; that cost you roughly EUR 50-200."
    )
    silent = attrs.evolve(other, summary="")
    assert _incident_sentence(silent, None, impact, AS_OF, conv).startswith(
        "Incident X-001 hit you; that cost you"
    )
    order = PORTFOLIO.orders[0]
    late = attrs.evolve(PORTFOLIO.incidents[0], customer_id="C04")
    no_buffer = Impact.from_items(
        incident=late, estimator="mine", currency="EUR", items=(item,), ongoing=False
    )
    assert _incident_sentence(late, order, no_buffer, AS_OF, conv).startswith(
        "Our delivery O-1001 was 6 days late; that cost you"
    )


def test_an_amount_too_large_for_the_customers_currency_shows_in_the_reporting_one() -> None:
    from custadvocacy._brief import _Converter  # noqa: PLC0415 - a private helper

    conv = _Converter(CONTEXT.rates, "EUR", "CZK")
    assert conv.money(Money("1e17", "EUR")) == "EUR 100,000,000,000,000,000.00"
    assert conv.money(Money("2", "EUR")) == "EUR 2.00 (CZK 50.00)"


def test_a_billing_error_without_an_amount_an_open_incident_and_a_late_delivery_in_words() -> None:
    billing = _incident(2, IncidentKind.BILLING_ERROR, noticed_by=NoticedBy.VENDOR)
    assert _customer_with([billing]).brief().in_their_terms == (
        "We billed you wrongly; that cost you roughly EUR 42-150.",
    )
    summary = "Portal down. " + "y" * 400
    still_open = _incident(3, summary=summary, resolved_at=None)
    assert _customer_with([still_open]).brief().happened == (
        "X-003: support failure, medium severity, opened 2026-11-16, still open after 4 days. "
        + summary[:297]
        + "...",  # a summary is cut at 300 characters
    )
    late = _incident(1, IncidentKind.LATE_DELIVERY, affected_share=1.0, resolved_at=None)
    assert _customer_with([late]).brief().in_their_terms == (
        "Our delivery was 2 days late; that is costing you roughly EUR 42-150.",
    )
    half = attrs.evolve(late, opened_at=AS_OF - 1.5 * DAY)  # 36 hours open: 1.5 days
    assert (
        _customer_with([half])
        .brief()
        .in_their_terms[0]
        .startswith("Our delivery was 1.5 days late;")
    )


def test_ten_incidents_and_five_open_orders_are_listed_in_full() -> None:
    # The limits themselves: one more would be cut short (test_a_long_history_is_cut_short).
    brief = _customer_with([_incident(n, summary="x" * 400) for n in range(10)]).brief()
    assert len(brief.happened) == 10
    assert not any("not listed" in line for line in brief.happened + brief.cost)
    assert brief.cost[-1].startswith("In total: ")
    # A summary shows its first 300 characters: the last three of them an ellipsis.
    assert brief.happened[0].endswith(
        ", opened 2026-11-10, resolved on 2026-11-11 after 1 day. " + "x" * 297 + "..."
    )
    opened = _customer_with([], _open_orders(5)).brief()
    assert [line.split(" (due")[0] for line in opened.happened] == [
        f"Open order O-{n}" for n in range(5)
    ]


@pytest.mark.parametrize(
    ("due_in", "when"),
    [(timedelta(0), "now"), (timedelta(seconds=1), "before 2026-11-20")],
    ids=["due-this-moment", "due-a-second-later"],
)
def test_a_proactive_action_is_due_now_once_its_orders_promise_has_come(
    due_in: timedelta, when: str
) -> None:
    customer, orders, incidents = next(g for g in PORTFOLIO.groups() if g[0].id == "C05")
    moved = [
        attrs.evolve(o, promised_at=CONTEXT.as_of + due_in) if o.id == "O-5001" else o
        for o in orders
    ]
    brief = assess(customer, moved, incidents, context=CONTEXT).brief()
    assert f"(proactive for O-5001, {when}):" in str(brief)


def _shaped(assessment: Assessment, **changes: object) -> types.SimpleNamespace:
    """``assessment`` as a brief source, with some of its parts changed."""
    parts = ("customer", "as_of", "currency", "rates", "orders", "incidents", "impacts")
    fields = {n: getattr(assessment, n) for n in (*parts, "forecasts", "score", "recommendation")}
    return types.SimpleNamespace(**{**fields, **changes})


def _c05_forecast(
    probability: float, promised_at: datetime | None = None
) -> tuple[Assessment, Forecast]:
    """C05's forecast, not late yet, ``probability`` likely to be (due ``promised_at``)."""
    assessment = assess(*PORTFOLIO.for_customer("C05"), context=CONTEXT)
    (forecast,) = assessment.forecasts
    changed = attrs.evolve(
        forecast,
        probability_late=probability,
        already_late=False,
        risk=forecast.expected_loss * probability,
        promised_at=promised_at or forecast.promised_at,
    )
    return assessment, changed


@pytest.mark.parametrize(
    ("probability", "told", "listed"),
    [
        (0.2, True, "is 20% likely to arrive late"),
        (0.19999, False, "looks on track: 20% likely to be late"),
    ],
)
def test_the_risk_on_open_orders_is_told_from_a_one_in_five_chance_of_lateness(
    probability: float, told: bool, listed: str
) -> None:
    assessment, likely = _c05_forecast(probability)
    brief = compose_brief(_shaped(assessment, forecasts=(likely,)))
    assert any(line.startswith("At risk on open orders") for line in brief.cost) is told
    (line,) = brief.happened
    assert listed in line


# ------------------------------------------- details the mutation run found untested


@pytest.mark.parametrize(("probability", "warned"), [(0.5, True), (0.49999, False)])
def test_the_customer_is_warned_from_an_even_chance_of_lateness(
    probability: float, warned: bool
) -> None:
    assessment, forecast = _c05_forecast(probability)
    said = compose_brief(_shaped(assessment, forecasts=(forecast,))).in_their_terms
    assert any(s.startswith("Your order O-5001 is likely") for s in said) is warned


def test_a_warning_counts_the_time_left_to_act_in_part_days() -> None:
    assessment, forecast = _c05_forecast(0.9, promised_at=AS_OF + DAY / 2)
    (said,) = compose_brief(_shaped(assessment, forecasts=(forecast,))).in_their_terms
    assert said.endswith("and we have 0.5 days to act.")


def test_an_action_without_ids_or_reasons_and_an_empty_recommendation_read_plainly() -> None:
    assessment = assess(*PORTFOLIO.for_customer("C01"), context=CONTEXT)
    recommendation = assessment.recommendation
    bare = attrs.evolve(recommendation.actions[1], incident_ids=(), order_ids=(), reasons=())
    with_bare = attrs.evolve(recommendation, actions=(recommendation.actions[0], bare))
    line = compose_brief(_shaped(assessment, recommendation=with_bare)).recommended[1]
    assert line.startswith(f"2. {bare.label} (recovery): worth EUR ")
    assert line.endswith("at the same cost to us.")
    empty = attrs.evolve(
        recommendation,
        actions=(),
        reasons=(),
        total_relief=Money("0.00", "EUR"),
        total_cost=Money("0.00", "EUR"),
    )
    assert compose_brief(_shaped(assessment, recommendation=empty)).recommended == (
        "Nothing recommended by the customer_first policy: no action applies.",
    )
    # Many reasons (a policy's note per incident): the first three, then a count.
    many = attrs.evolve(empty, reasons=tuple(f"note {k}" for k in range(8)))
    assert compose_brief(_shaped(assessment, recommendation=many)).recommended == (
        "Nothing recommended by the customer_first policy: note 0; note 1; note 2 and 5 more.",
    )


def test_a_loss_under_one_unit_is_quoted_and_broken_down() -> None:
    tiny = _incident(1, IncidentKind.BILLING_ERROR, amount=Money("0.50", "EUR"), effort_hours=0.001)
    brief = _customer_with([tiny]).brief()
    (cost,) = brief.cost
    assert "; mostly " in cost
    assert len(brief.in_their_terms) == 1


def test_categories_are_summed_and_ties_named_alphabetically() -> None:
    from custadvocacy import Impact, LossCategory, LossItem  # noqa: PLC0415 - only here
    from custadvocacy._brief import _Converter, _cost_line  # noqa: PLC0415

    def item(category: LossCategory, expected: float) -> LossItem:
        return LossItem(
            label=category.value, category=category, expected=expected, low=0.0, high=expected
        )

    incident = _incident(1, IncidentKind.OTHER)
    items = (
        item(LossCategory.OTHER, 30.0),
        item(LossCategory.IDLE_STAFF, 20.0),
        item(LossCategory.OTHER, 20.0),  # other: 50 in all
        item(LossCategory.EXPEDITING, 50.0),
    )
    impact = Impact.from_items(
        incident=incident, estimator="mine", currency="EUR", items=items, ongoing=False
    )
    conv = _Converter(CONTEXT.rates, "EUR", "EUR")
    assert _cost_line(impact, conv).endswith("; mostly expediting (42%) and other (42%).")
    # A category is named from half a percent of the loss (10 of 2,000 here, exactly).
    for other, named in ((10.0, "; mostly expediting (100%) and other (0%)."), (9.99, None)):
        two = (item(LossCategory.EXPEDITING, 2000.0 - other), item(LossCategory.OTHER, other))
        small = Impact.from_items(
            incident=incident, estimator="mine", currency="EUR", items=two, ongoing=False
        )
        assert _cost_line(small, conv).endswith(named or "; mostly expediting (100%).")


def test_a_summary_ending_in_a_capital_x_keeps_it() -> None:
    from custadvocacy._brief import _Converter, _incident_sentence  # noqa: PLC0415

    incident = _incident(1, IncidentKind.OTHER, summary="Wrong spare part for press AX.")
    impact = _customer_with([incident]).impacts[0]
    sentence = _incident_sentence(
        incident, None, impact, AS_OF, _Converter(CONTEXT.rates, "EUR", "EUR")
    )
    assert sentence.startswith("Wrong spare part for press AX;")


def test_an_estimate_of_nothing_is_costed_but_not_told_and_no_order_is_not_named() -> None:
    nothing = _incident(1, IncidentKind.BILLING_ERROR, amount=Money("0", "EUR"), effort_hours=0.0)
    brief = _customer_with([nothing]).brief()
    assert brief.in_their_terms == ()
    assert brief.cost == ("X-001 (billing error): roughly EUR 0 (P10-P90 0 to 0).",)
    defect = _incident(1, IncidentKind.DEFECT, affected_share=0.5)
    assert _customer_with([defect]).brief().in_their_terms == (
        "50% of what we delivered was defective; that cost you roughly EUR 42-150.",
    )


def test_a_long_summary_is_told_cut_at_300_characters() -> None:
    from custadvocacy._brief import _Converter, _incident_sentence  # noqa: PLC0415

    summary = "Docks flooded " + "z" * 400
    incident = _incident(1, IncidentKind.OTHER, summary=summary)
    impact = _customer_with([_incident(1, IncidentKind.DEFECT)]).impacts[0]
    sentence = _incident_sentence(
        incident, None, impact, AS_OF, _Converter(CONTEXT.rates, "EUR", "EUR")
    )
    assert sentence.startswith(summary[:297] + "...; that cost you roughly")


def test_a_forecast_from_a_hosts_model_says_so() -> None:
    assessment, forecast = _c05_forecast(0.9)
    hosts = attrs.evolve(forecast, basis=ForecastBasis.HOST)
    (line,) = compose_brief(_shaped(assessment, forecasts=(hosts,))).happened
    assert "(from the host's own lead-time model)" in line
    assert set(_FORECAST_BASIS_TEXT) == set(ForecastBasis)


def test_a_delay_past_an_assumed_buffer_says_the_buffer_is_ours() -> None:
    late, order = _late_delivery("C11", "CZK", days_late=6)
    said = _customer_with([late], [order], customer_id="C11").brief().in_their_terms[0]
    assert said.startswith(
        "Your operations were held up for about 4 days (assuming you hold about 2 days of "
        "stock; we lack your figure) because our delivery O-1 was 6 days late"
    )


def test_a_source_whose_impact_names_no_given_incident_tells_only_the_others() -> None:
    # compose_brief reads any object shaped like an assessment: one a host put together
    # with an impact of an incident it left out gets no sentence for that impact.
    assessment = assess(*PORTFOLIO.for_customer("C10"), context=CONTEXT)
    kept = tuple(i for i in assessment.incidents if i.id != "INC-1002")
    first, second = compose_brief(_shaped(assessment, incidents=kept)).in_their_terms
    assert first.startswith("Your line stood still for about 1.5 days because our delivery O-10001")
    # The order's forecast speaks for it now that no given incident covers it.
    assert second.startswith("Your order O-10002 is already past the date we promised")


def test_an_order_open_long_past_its_promise_is_flagged_and_not_put_to_the_customer() -> None:
    # O-1002 of Kovar is due 2026-12-01 and never closed: a year on, its forecast has
    # grown to tens of millions of crowns, more likely a stale record than a delivery.
    def brief_on(as_of: datetime) -> Brief:
        context = attrs.evolve(example_context(), as_of=as_of)
        return assess(*example_portfolio().for_customer("C01"), context=context).brief()

    year_on = brief_on(datetime(2027, 11, 20, 9, tzinfo=UTC))
    [line] = [text for text in year_on.happened if text.startswith("Open order O-1002")]
    assert line.endswith(
        "Still open 353 days after its promise: check that it was not delivered or "
        "cancelled before acting on this figure (it grows every day the order stays open)."
    )
    assert not any("O-1002" in text for text in year_on.in_their_terms)
    # With an incident on that order: its sentence is not put to the customer either, and
    # its cost says to check the record.
    incident = Incident(
        id="INC-OLD",
        customer_id="C01",
        kind=IncidentKind.LATE_DELIVERY,
        opened_at=datetime(2026, 12, 2, 9, tzinfo=UTC),
        order_id="O-1002",
    )
    customer, orders, incidents = example_portfolio().for_customer("C01")
    context = attrs.evolve(example_context(), as_of=datetime(2027, 11, 20, 9, tzinfo=UTC))
    with_incident = assess(customer, orders, [*incidents, incident], context=context).brief()
    assert not any("O-1002" in text for text in with_incident.in_their_terms)
    [cost] = [text for text in with_incident.cost if text.startswith("INC-OLD")]
    assert cost.endswith(
        "Its order is still open 353 days after its promise: check that it was not delivered "
        "or cancelled before acting on this figure (it grows every day the order stays open)."
    )
    # Two months late is late, not stale: told to the customer, not flagged.
    two_months = brief_on(datetime(2027, 1, 30, 9, tzinfo=UTC))
    assert any("O-1002" in text for text in two_months.in_their_terms)
    assert not any("Still open" in text for text in two_months.happened)
