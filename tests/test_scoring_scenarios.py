"""The example portfolio scored: the stories of docs/examples.md, and the portfolio summary."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScore,
    AdvocacyScorer,
    Band,
    BandCount,
    Context,
    Forecast,
    ForecastBasis,
    Incident,
    NoticedBy,
    ScoreSummary,
    ValidationError,
    estimate_impacts,
    forecast_orders,
    format_score,
    format_summary,
    from_dict,
    summarize,
    to_dict,
)
from custadvocacy.examples import example_context, example_portfolio


def assess(
    customer_id: str, context: Context | None = None
) -> tuple[AdvocacyScore, tuple[Forecast, ...]]:
    ctx = example_context() if context is None else context
    customer, orders, incidents = example_portfolio().for_customer(customer_id)
    impacts = estimate_impacts(customer, orders, incidents, ctx)
    forecasts = forecast_orders(customer, orders, ctx)
    score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
    return score, forecasts


@cache
def portfolio_scores() -> tuple[AdvocacyScore, ...]:
    portfolio = example_portfolio()
    return tuple(assess(c.id)[0] for c in portfolio.customers)


def by_id(customer_id: str) -> AdvocacyScore:
    return next(s for s in portfolio_scores() if s.customer_id == customer_id)


def test_the_machine_shops_late_critical_order_outranks_the_retailers_billing_error() -> None:
    kovar, brightside = by_id("C01"), by_id("C02")
    assert kovar.value > brightside.value
    assert kovar.band.rank > brightside.band.rank
    assert kovar.top(1)[0].factor == "harm"
    assert "INC-101" in kovar.drivers[0]


def test_vltavas_late_carrier_eta_warns_before_the_promise() -> None:
    context = example_context()
    score, (forecast,) = assess("C05")
    assert forecast.order_id == "O-5001"
    assert context.as_of < forecast.promised_at  # before the promised date
    assert not forecast.already_late
    assert forecast.basis is ForecastBasis.ETA
    assert forecast.probability_late > 0.95
    assert 4.5 < forecast.expected_days_late < 6.0
    customer, orders, incidents = example_portfolio().for_customer("C05")
    unwarned = AdvocacyScorer().score(customer, orders, incidents, (), (), context)
    assert score.value > unwarned.value
    assert score.top(1)[0].factor == "forecast"
    assert score.band.rank > unwarned.band.rank


@pytest.mark.parametrize("customer_id", ["C04", "C09"])
def test_healthy_customers_land_in_the_lowest_band(customer_id: str) -> None:
    assert by_id(customer_id).band is Band.STABLE


def test_rhein_auto_parts_second_late_delivery_is_weighed_at_where_it_is_heading() -> None:
    score, (forecast,) = assess("C10")
    assert forecast.already_late
    assert forecast.probability_late == 1.0
    assert score.points("forecast") == 0.0  # the open incident carries it, in harm
    assert "heading for" in score.contributions[0].detail
    assert score.points("repetition") > 0


def test_the_ranking_of_the_example_portfolio() -> None:
    summary = summarize(portfolio_scores(), example_portfolio().incidents)
    assert summary.ranked[:3] == ("C07", "C01", "C10")
    assert summary.ranked[-1] == "C09"
    assert summary.count(Band.HIGH) == 3
    assert summary.count(Band.CRITICAL) == 0
    assert summary.customers == 12


def test_the_proactivity_rate_of_the_example_portfolio() -> None:
    incidents = example_portfolio().incidents
    summary = summarize(portfolio_scores(), incidents)
    assert (summary.vendor_first, summary.customer_first, summary.unknown_noticed) == (4, 6, 0)
    assert summary.proactivity_rate == pytest.approx(0.4)
    recent = summarize((), incidents, since=example_context().as_of - timedelta(days=7))
    # the outage and the VAT line (vendor first), Rhein's second late delivery (customer)
    assert recent.incidents == 3
    assert recent.proactivity_rate == pytest.approx(2 / 3)


def test_incidents_with_unknown_noticer_are_counted_apart() -> None:
    incidents = example_portfolio().incidents
    unknown = [attrs.evolve(i, noticed_by=None) for i in incidents[:3]]
    summary = summarize((), [*unknown, *incidents[3:]])
    assert summary.unknown_noticed == 3
    assert summary.vendor_first + summary.customer_first == len(incidents) - 3
    nobody = summarize((), unknown)
    assert nobody.proactivity_rate is None
    assert repr(nobody).endswith("proactivity=n/a of 0 known)")


@given(st.permutations(range(12)))
def test_the_summary_does_not_depend_on_the_order_of_the_scores(order: list[int]) -> None:
    scores = portfolio_scores()
    incidents = example_portfolio().incidents
    shuffled = [scores[i] for i in order]
    assert summarize(shuffled, incidents[::-1]) == summarize(scores, incidents)


def test_the_summary_round_trips_and_reads_well() -> None:
    summary = summarize(portfolio_scores(), example_portfolio().incidents)
    assert from_dict(ScoreSummary, json.loads(json.dumps(to_dict(summary)))) == summary
    assert repr(summary) == (
        "ScoreSummary(customers=12, stable=4, watch=4, elevated=1, high=3, critical=0, "
        "proactivity=40% of 10 known)"
    )
    assert summary.mean_value is not None
    assert 0 < summary.mean_value < 100
    assert summarize((), ()).mean_value is None


def test_summarize_reports_bad_inputs_together() -> None:
    score = portfolio_scores()[0]
    with pytest.raises(ValidationError) as caught:
        summarize([score, score, "x"], ["y"])  # type: ignore[list-item]
    assert caught.value.paths == ("scores[1].customer_id", "scores[2]", "incidents[0]")


def test_a_summary_that_does_not_add_up_is_rejected() -> None:
    good = summarize(portfolio_scores(), example_portfolio().incidents)
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(good, customers=11, incidents=3)
    assert caught.value.paths == ("band_counts", "ranked", "incidents")
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(
            good,
            band_counts=(BandCount(band=Band.HIGH, count=12),),
            ranked="C1",  # type: ignore[arg-type]
        )
    assert caught.value.paths == ("band_counts", "ranked")
    with pytest.raises(ValidationError) as caught:
        BandCount(band="high", count=-1)  # type: ignore[arg-type]
    assert caught.value.paths == ("band", "count")


def test_the_vendor_noticing_first_lowers_kovars_score() -> None:
    context = example_context()
    customer, orders, incidents = example_portfolio().for_customer("C01")
    proactive = tuple(attrs.evolve(i, noticed_by=NoticedBy.VENDOR) for i in incidents)
    impacts = estimate_impacts(customer, orders, incidents, context)
    scorer = AdvocacyScorer()
    told = scorer.score(customer, orders, incidents, impacts, (), context)
    flagged = scorer.score(customer, orders, proactive, impacts, (), context)
    assert flagged.value < told.value
    assert flagged.points("reactive") == 0.0
    assert isinstance(incidents[0], Incident)


def test_text_views_of_the_example_portfolio() -> None:
    score, forecasts = assess("C10")
    text = format_score(score, forecasts=forecasts, top=1)
    first, *rest = text.splitlines()
    assert first.startswith("C10  ")
    assert first.endswith(f"harm {score.points('harm'):.2f}")
    assert rest[-1].startswith("    forecast O-10002: already late, by 6.0 days")
    quiet, _ = assess("C09")
    empty = attrs.evolve(
        quiet,
        value=0.0,
        contributions=tuple(attrs.evolve(c, points=0.0) for c in quiet.contributions),
        drivers=(),
    )
    assert format_score(empty, name="Thames") == "C09 Thames  0.00 stable  nothing"
    summary = summarize(portfolio_scores(), example_portfolio().incidents)
    assert format_summary(summary).splitlines()[0] == (
        "12 customers: stable 4, watch 4, elevated 1, high 3, critical 0"
    )


def test_text_views_check_their_arguments() -> None:
    score, forecasts = assess("C10")
    for top in (0, -1, 1.5, True, "2"):  # True is no count of contributions
        with pytest.raises(ValidationError) as info:
            format_score(score, top=top)  # type: ignore[arg-type]
        assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
            ("top", top, "a whole number >= 1")
        ]
    other, _ = assess("C05")
    with pytest.raises(ValidationError, match=r"forecasts\[0\].customer_id"):
        format_score(other, forecasts=forecasts)
