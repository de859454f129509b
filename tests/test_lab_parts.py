"""The lab's parts: the synthetic portfolio, the response model, the plots."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from custadvocacy import CustomerFirstPolicy, ValidationError
from custadvocacy.batch import assess_batch, columns_from_mapping, synthetic_mapping
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.lab import (
    Estimate,
    LabPolicy,
    ResponseInputs,
    ResponseModel,
    ServiceRecoveryResponse,
    SyntheticConfig,
    check_fairness,
    compare,
    evaluate,
    outcome,
    plot_frontier,
    plot_scores,
    plot_segments,
    synthetic_columns,
    synthetic_portfolio,
)
from custadvocacy.lab._response import check_probabilities

CTX = example_context()

# -- the synthetic portfolio -------------------------------------------------------------


@settings(max_examples=10)
@given(seed=st.integers(0, 2**40), n=st.integers(0, 300))
def test_same_seed_same_portfolio(seed: int, n: int) -> None:
    one = synthetic_mapping(n, seed=seed, as_of=CTX.as_of)
    two = synthetic_mapping(n, seed=np.random.default_rng(seed), as_of=CTX.as_of)
    for table in ("customers", "orders", "incidents"):
        a, b = one[table], two[table]
        assert a.keys() == b.keys()
        for name in a:
            np.testing.assert_array_equal(a[name], b[name])
    assert one["customers"]["id"].shape == (n,)


def test_the_lab_and_the_batch_path_share_one_generator() -> None:
    tables = synthetic_mapping(300, seed=4, as_of=CTX.as_of, config=SyntheticConfig())
    expected = columns_from_mapping(**tables)
    columns = synthetic_columns(300, seed=4, as_of=CTX.as_of)
    for name in ("customers", "orders", "incidents"):
        got, want = getattr(columns, name), getattr(expected, name)
        assert got.names == want.names
        for column in got:
            np.testing.assert_array_equal(got[column], want[column])


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_the_batch_generator_draws_tiny_portfolios(n: int) -> None:
    # Fixed: a portfolio whose customers drew incidents but no orders indexed an empty
    # array (IndexError; seed 5 for one customer, about 3 % of seeds for up to 4).
    for seed in range(60):
        tables = synthetic_mapping(n, seed=seed)
        columns = columns_from_mapping(**tables)
        assert columns.customers.rows == n
        assert assess_batch(columns, context=CTX).customers.rows == n


def test_distributions_are_as_documented() -> None:
    tables = synthetic_mapping(20_000, seed=3, as_of=CTX.as_of, config=SyntheticConfig())
    cust, orders, incidents = tables["customers"], tables["orders"], tables["incidents"]
    shares = {
        s: float(np.mean(cust["segment"] == s)) for s in ("small", "mid_market", "enterprise")
    }
    assert shares["small"] == pytest.approx(0.70, abs=0.02)
    assert shares["enterprise"] == pytest.approx(0.05, abs=0.01)
    assert float(np.mean(cust["currency"] == "EUR")) == pytest.approx(0.70, abs=0.02)
    eur = (cust["currency"] == "EUR") & (cust["segment"] == "small")
    assert float(np.median(cust["annual_value"][eur])) == pytest.approx(20_000, rel=0.1)
    assert float(np.mean(np.isfinite(cust["daily_revenue"]))) == pytest.approx(0.85, abs=0.02)
    late = orders["delivered_at"] > orders["promised_at"] + np.timedelta64(12, "h")
    assert 0.05 < float(np.mean(late)) < 0.15
    assert float(np.mean(orders["criticality"] >= 0.7)) == pytest.approx(0.03, abs=0.01)
    assert set(incidents["kind"].tolist()) >= {"late_delivery", "defect", "service_outage"}
    assert np.all(incidents["opened_at"] <= np.datetime64(CTX.as_of.replace(tzinfo=None), "us"))
    linked = incidents["order_id"] >= 0
    assert np.all(
        orders["customer_id"][incidents["order_id"][linked]] == incidents["customer_id"][linked]
    )


def test_health_signals_stay_in_their_ranges_and_the_default_seed_is_zero() -> None:
    tables = synthetic_mapping(50_000, seed=3, as_of=CTX.as_of)
    cust = tables["customers"]
    csat = cust["csat"][np.isfinite(cust["csat"])]  # drawn around 3.9: some tails reach 1
    assert float(csat.min()) >= 1.0
    assert float(csat.max()) <= 5.0
    assert float(np.mean(csat == 1.0)) > 0  # the clip binds: the draw's tail is held at 1
    default = synthetic_mapping(5, as_of=CTX.as_of)
    zero = synthetic_mapping(5, seed=0, as_of=CTX.as_of)
    for table in ("customers", "orders", "incidents"):
        for name, column in default[table].items():
            np.testing.assert_array_equal(column, zero[table][name])


def test_columns_and_objects_hold_the_same_portfolio() -> None:
    columns = synthetic_columns(50, seed=5, as_of=CTX.as_of)
    portfolio = synthetic_portfolio(50, seed=5, as_of=CTX.as_of)
    assert len(portfolio.customers) == columns.customers.rows
    assert len(portfolio.orders) == columns.orders.rows
    assert len(portfolio.incidents) == columns.incidents.rows
    a = outcome(CustomerFirstPolicy(), columns, context=CTX)
    b = outcome(CustomerFirstPolicy(), portfolio, context=CTX)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-9)
    np.testing.assert_allclose(a.relief, b.relief, rtol=1e-9)


def test_config_is_respected() -> None:
    config = SyntheticConfig(
        segment_shares=(0.0, 0.0, 1.0),
        currencies=("EUR",),
        currency_shares=(1.0,),
        currency_units=(1.0,),
        incident_rate=0.0,
        late_share=0.0,
    )
    tables = synthetic_mapping(200, seed=1, as_of=CTX.as_of, config=config)
    cust, incidents = tables["customers"], tables["incidents"]
    assert set(cust["segment"].tolist()) == {"enterprise"}
    assert set(cust["currency"].tolist()) == {"EUR"}
    assert incidents["id"].size == 0


def test_generator_arguments_are_checked() -> None:
    with pytest.raises(ValidationError) as info:
        synthetic_mapping(-1, seed=-2, as_of=CTX.as_of.replace(tzinfo=None), config="c")  # type: ignore[arg-type]
    assert {p.path for p in info.value.problems} == {"customers", "seed", "as_of", "config"}
    with pytest.raises(ValidationError, match="customers"):
        synthetic_portfolio(10**6, seed=1, as_of=CTX.as_of)


# -- the response model -------------------------------------------------------------------

_N = 8
_amounts = hnp.arrays(np.float64, _N, elements=st.floats(0, 1e7))


@st.composite
def response_inputs(draw: Any) -> ResponseInputs:
    loss = draw(_amounts)
    share = draw(hnp.arrays(np.float64, _N, elements=st.floats(0, 1)))
    return ResponseInputs(
        loss=loss,
        relief=loss * share,
        compensation=draw(_amounts),
        scale=draw(_amounts),
        failures=draw(hnp.arrays(np.int64, _N, elements=st.integers(0, 5))),
        health=draw(hnp.arrays(np.float64, _N, elements=st.floats(0, 1))),
        proactive=draw(hnp.arrays(np.bool_, _N)),
    )


def _with(inputs: ResponseInputs, **changes: Any) -> ResponseInputs:
    fields = {name: getattr(inputs, name) for name in (
        "loss", "relief", "compensation", "scale", "failures", "health", "proactive")}  # fmt: skip
    return ResponseInputs(**{**fields, **changes})


@given(inputs=response_inputs())
def test_stay_probability_bounds(inputs: ResponseInputs) -> None:
    model = ServiceRecoveryResponse()
    stay = model.stay_probability(inputs)
    assert stay.shape == (_N,)
    assert np.all((stay >= 0) & (stay <= model.base_retention + 1e-12))
    # No incident, no harm: the base retention.
    none = model.stay_probability(_with(inputs, failures=np.zeros(_N, np.int64)))
    np.testing.assert_allclose(none, model.base_retention)


@given(inputs=response_inputs(), more=st.floats(0, 1))
def test_more_relief_never_lowers_retention(inputs: ResponseInputs, more: float) -> None:
    model = ServiceRecoveryResponse()
    extra = inputs.relief + (inputs.loss - inputs.relief) * more
    before = model.stay_probability(inputs)
    after = model.stay_probability(_with(inputs, relief=extra))
    assert np.all(after >= before - 1e-12)


@given(inputs=response_inputs())
def test_acting_never_lowers_retention_below_doing_nothing(inputs: ResponseInputs) -> None:
    model = ServiceRecoveryResponse()
    zero = np.zeros(_N)
    nothing = _with(inputs, relief=zero, compensation=zero, proactive=np.zeros(_N, np.bool_))
    assert np.all(model.stay_probability(inputs) >= model.stay_probability(nothing) - 1e-12)


@given(inputs=response_inputs())
def test_response_does_not_mutate_its_inputs(inputs: ResponseInputs) -> None:
    copies = {name: getattr(inputs, name).copy() for name in ("loss", "relief", "scale")}
    ServiceRecoveryResponse().stay_probability(inputs)
    for name, copy in copies.items():
        np.testing.assert_array_equal(getattr(inputs, name), copy)


def test_research_shapes() -> None:
    model = ServiceRecoveryResponse(b2b_damping=1.0, health_weight=0.0)
    big = np.full(4, 1e9)

    def stay(**kw: Any) -> Any:
        base = {"loss": big[:1], "relief": np.zeros(1), "compensation": np.zeros(1),
                "scale": np.ones(1), "failures": np.ones(1, np.int64), "health": np.full(1, 0.5),
                "proactive": np.zeros(1, np.bool_)}  # fmt: skip
        return float(model.stay_probability(ResponseInputs(**{**base, **kw}))[0])

    # A full bad experience: half switch after one, 80 % after several (Zendesk 2020).
    assert stay() == pytest.approx(0.9 * 0.5)
    assert stay(failures=np.full(1, 3)) == pytest.approx(0.9 * 0.2)
    # Compensation peaks at 150 % of the loss and falls after it (Haesevoets et al. 2017).
    at = [stay(compensation=big[:1] * r) for r in (0.5, 1.5, 4.0)]
    assert at[1] > at[0]
    assert at[1] > at[2]
    # After a second failure, the same gesture helps less (Maxham & Netemeyer 2002).
    gain_one = stay(compensation=big[:1] * 1.5) - stay()
    two = np.full(1, 2)
    gain_two = stay(compensation=big[:1] * 1.5, failures=two) - stay(failures=two)
    assert 0 < gain_two < gain_one
    # A customer worth nothing still feels a loss.
    assert stay(scale=np.zeros(1)) == pytest.approx(0.45)


def test_response_inputs_checks() -> None:
    with pytest.raises(ValidationError) as info:
        ResponseInputs(
            loss=np.array([1.0, np.nan]), relief=np.zeros(3), compensation=np.array(["a", "b"]),
            scale=np.array([-1.0, 0.0]), failures=np.zeros(2, np.int64), health=np.array([0.5, 2.0]),
            proactive=np.zeros(2, bool),
        )  # fmt: skip
    assert {p.path for p in info.value.problems} == {
        "loss[1]", "relief", "compensation", "scale[0]", "health[1]",
    }  # fmt: skip


def test_response_model_is_a_protocol_and_checked() -> None:
    assert isinstance(ServiceRecoveryResponse(), ResponseModel)
    with pytest.raises(ValidationError) as info:
        ServiceRecoveryResponse(base_retention=2.0, harm_scale=0.0, compensation_peak=-1.0)
    assert {p.path for p in info.value.problems} == {
        "base_retention", "harm_scale", "compensation_peak",
    }  # fmt: skip


# -- plots -----------------------------------------------------------------------------


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def comparison() -> Any:
    columns = synthetic_columns(300, seed=4, as_of=CTX.as_of)
    return compare([None, CustomerFirstPolicy()], columns, context=CTX, replications=3)


def test_frontier_plot(comparison: Any) -> None:
    pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    figure = plot_frontier(comparison)
    (ax,) = figure.axes
    assert ax.get_xlabel() == "Vendor cost (EUR)"
    assert ax.get_ylabel() == "Customer loss relieved (EUR)"
    assert [t.get_text() for t in ax.texts] == ["do_nothing", "customer_first"]
    # Each name is set off its point by 5 points up, whatever the data's scale: to the
    # right, or to the left in the plot's right quarter, where it would leave the axes.
    assert [(t.anncoords, t.xyann, t.get_horizontalalignment()) for t in ax.texts] == [
        ("offset points", (5, 5), "left"),
        ("offset points", (-5, 5), "right"),
    ]
    assert np.asarray(ax.collections[0].get_offsets()).shape == (2, 2)
    png = _png(figure)
    assert png.startswith(b"\x89PNG")
    assert len(png) > 5_000


def test_frontier_names_of_policies_with_about_the_same_figures_do_not_overlap() -> None:
    pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    columns = synthetic_columns(100, seed=4, as_of=CTX.as_of)
    comparison = compare(
        [None, LabPolicy(name="nothing_either", policy=None), CustomerFirstPolicy()],
        columns,
        context=CTX,
        replications=2,
    )
    (ax,) = plot_frontier(comparison).axes
    # Both do-nothing policies sit at (0, 0): the second name a line (11 points) higher.
    assert [(t.get_text(), t.xyann) for t in ax.texts] == [
        ("do_nothing", (5, 5)),
        ("nothing_either", (5, 16)),
        ("customer_first", (-5, 5)),
    ]


def test_scores_plot() -> None:
    pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    from matplotlib.figure import Figure  # noqa: PLC0415 - optional

    result = outcome(None, synthetic_columns(300, seed=4, as_of=CTX.as_of), context=CTX)
    ax = Figure().subplots()
    figure = plot_scores(result, bins=10, ax=ax)
    assert figure is ax.get_figure()
    assert ax.get_xlabel() == "Advocacy score (0-100)"
    assert ax.get_ylabel() == "Customers"
    heights = sum(p.get_height() for p in ax.patches)  # type: ignore[attr-defined]
    assert heights == 300
    assert len(_png(figure)) > 5_000
    with pytest.raises(ValidationError, match="bins"):
        plot_scores(result, bins=0)


def test_segments_plot(comparison: Any) -> None:
    pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    figure = plot_segments(comparison)
    (ax,) = figure.axes
    assert ax.get_xlabel() == "Segment"
    assert ax.get_ylabel() == "Loss relieved (EUR)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["small", "mid_market", "enterprise"]
    assert len(ax.patches) == 3 * 3
    # Each segment's label sits under the middle of its bars (the loss, then each policy).
    centres = np.array([p.get_x() + p.get_width() / 2 for p in ax.patches]).reshape(3, 3)
    np.testing.assert_allclose(ax.get_xticks(), (centres[0] + centres[-1]) / 2)
    assert len(_png(figure)) > 5_000


def test_plots_check_their_arguments() -> None:
    with pytest.raises(ValidationError, match="comparison"):
        plot_frontier("x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ax"):
        plot_segments(compare([None], synthetic_columns(5, seed=1, as_of=CTX.as_of),
                              context=CTX, replications=2), ax="a")  # fmt: skip


def test_plots_without_matplotlib(monkeypatch: pytest.MonkeyPatch, comparison: Any) -> None:
    import sys  # noqa: PLC0415 - only this test hides matplotlib

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"custadvocacy\[plot\]"):
        plot_frontier(comparison)


@pytest.mark.parametrize("customers", [100_001, -1, 1.5, True])
def test_a_synthetic_portfolio_of_objects_holds_0_to_100000_customers(customers: Any) -> None:
    with pytest.raises(ValidationError) as info:
        synthetic_portfolio(customers, seed=1, as_of=CTX.as_of)
    [problem] = info.value.problems
    assert (problem.path, problem.value) == ("customers", customers)
    assert problem.expected == "a whole number from 0 to 100000"


def test_a_synthetic_portfolio_is_the_columns_draw_as_objects() -> None:
    assert synthetic_portfolio(0, seed=1, as_of=CTX.as_of).customers == ()
    objects = synthetic_portfolio(30, seed=9, as_of=CTX.as_of)
    columns = synthetic_columns(30, seed=9, as_of=CTX.as_of)
    assert len(objects.customers) == columns.customers.rows == 30
    assert len(objects.orders) == columns.orders.rows
    assert len(objects.incidents) == columns.incidents.rows
    # Grouped by customer, in the columns' customer order.
    owners = [o.customer_id for o in objects.orders]
    assert owners == sorted(owners, key=[c.id for c in objects.customers].index)


def test_a_synthetic_portfolio_and_its_columns_follow_the_config() -> None:
    gbp = SyntheticConfig(currencies=("GBP",), currency_shares=(1.0,), currency_units=(0.86,))
    objects = synthetic_portfolio(12, seed=9, as_of=CTX.as_of, config=gbp)
    columns = synthetic_columns(12, seed=9, as_of=CTX.as_of, config=gbp)
    assert {c.currency for c in objects.customers} == {"GBP"}
    assert columns.currencies == ("GBP",)


def _config_problems(**fields: Any) -> list[tuple[str, object, str]]:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(SyntheticConfig(), **fields)
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_a_synthetic_config_names_every_bad_field() -> None:
    share = "a number from 0 to 1 (a share)"
    days = "a number from 0.01 to 365 days"
    assert _config_problems(
        segment_shares=(0.5, 0.5),
        currencies=(),
        profile_share=2,
        lead_time_days=0,
        late_share=-1,
        mean_days_late=366,
        incident_rate=21,
        kind_shares=(1,),
        orders_per_customer=101,
        lanes=("x" * 101,),
    ) == [
        ("segment_shares", (0.5, 0.5), "a tuple of 3 shares (0-1) adding up to 1"),
        ("currencies", (), "a non-empty tuple of ISO 4217 codes"),
        ("profile_share", 2, share),
        ("lead_time_days", 0, days),
        ("late_share", -1, share),
        ("mean_days_late", 366, days),
        ("incident_rate", 21, "a number from 0 to 20"),
        ("kind_shares", (1,), "a tuple of 6 shares (0-1) adding up to 1"),
        ("orders_per_customer", 101, "a number from 0 to 100"),
        ("lanes[0]", "x" * 101, "a string of at most 100 characters"),
    ]


def test_a_synthetic_configs_currencies_shares_units_and_lanes_agree() -> None:
    assert _config_problems(
        currencies=("EUR", "XXX"), currency_shares=(0.5, 0.6), currency_units=(1.0,)
    ) == [
        ("currencies[1]", "XXX", "an ISO 4217 code such as 'EUR'"),
        ("currency_shares", (0.5, 0.6), "a tuple of 2 shares (0-1) adding up to 1"),
        ("currency_units", (1.0,), "a tuple of 2 numbers > 0"),
    ]
    assert _config_problems(currencies=["EUR"]) == [
        ("currencies", ["EUR"], "a non-empty tuple of ISO 4217 codes")
    ]
    three = {"currencies": ("EUR", "CZK", "GBP"), "currency_shares": (0.2, 0.3, 0.5)}
    assert _config_problems(currency_units=(0.0, 1.0, 2e6), **three) == [
        ("currency_units[0]", 0.0, "a number from 1e-06 to 1e+06"),
        ("currency_units[2]", 2e6, "a number from 1e-06 to 1e+06"),
    ]
    assert _config_problems(segment_shares=(0.5, 0.5, True)) == [
        ("segment_shares", (0.5, 0.5, True), "a tuple of 3 shares (0-1) adding up to 1")
    ]
    lanes = tuple(f"L{i}" for i in range(1_001))
    assert _config_problems(lanes=lanes) == [("lanes", lanes, "a tuple of at most 1,000 lane keys")]
    edges = attrs.evolve(
        SyntheticConfig(),
        lanes=lanes[:1_000],
        incident_rate=20.0,
        lead_time_days=365.0,
        orders_per_customer=100.0,
        currency_units=(1e-6, 1.0, 1e6),
    )
    assert len(edges.lanes) == 1_000


def test_each_plot_names_a_bad_argument_exactly(comparison: Any) -> None:
    pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    result = outcome(None, synthetic_columns(5, seed=1, as_of=CTX.as_of), context=CTX)
    axes_expected = "None or a matplotlib Axes"
    text: Any = "x"  # what mypy would refuse, as a caller without it may pass
    cases: list[tuple[Any, list[tuple[str, object, str]]]] = [
        (lambda: plot_frontier(text), [("comparison", "x", "a Comparison")]),
        (lambda: plot_segments(text), [("comparison", "x", "a Comparison")]),
        (lambda: plot_scores(text), [("result", "x", "an Outcome")]),
        (lambda: plot_frontier(comparison, ax="a"), [("ax", "a", axes_expected)]),
        (lambda: plot_scores(result, bins=0), [("bins", 0, "a whole number from 1 to 100")]),
        (lambda: plot_scores(result, bins=101), [("bins", 101, "a whole number from 1 to 100")]),
    ]
    for make, problems in cases:
        with pytest.raises(ValidationError) as info:
            make()
        assert [(p.path, p.value, p.expected) for p in info.value.problems] == problems


def test_each_plot_draws_on_the_axes_it_is_given(comparison: Any) -> None:
    pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    from matplotlib.figure import Figure  # noqa: PLC0415 - optional

    result = outcome(None, synthetic_columns(20, seed=1, as_of=CTX.as_of), context=CTX)
    draws: list[Callable[[Any], Any]] = [
        lambda ax: plot_frontier(comparison, ax=ax),
        lambda ax: plot_segments(comparison, ax=ax),
        lambda ax: plot_scores(result, bins=4, ax=ax),
    ]
    for draw in draws:
        figure = Figure()
        ax = figure.subplots()
        assert draw(ax) is figure
        assert figure.axes == [ax]
        assert ax.get_xlabel()  # drawn there, labelled


class _Named:
    name = "m"


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ([0.5], ("m.stay_probability", (1,), "an array of 2 probabilities")),
        ("ab", ("m.stay_probability", None, "an array of 2 probabilities")),
        ([[0.5, 0.5]], ("m.stay_probability", (1, 2), "an array of 2 probabilities")),
        ([0.5, 1.01], ("m.stay_probability[1]", 1.01, "a probability from 0 to 1")),
        ([-0.01, 2.0], ("m.stay_probability[0]", -0.01, "a probability from 0 to 1")),
    ],
)
def test_a_response_models_probabilities_are_checked(
    values: object, problem: tuple[str, object, str]
) -> None:
    with pytest.raises(ValidationError) as info:
        check_probabilities(_Named(), values, 2)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [problem]


def test_a_nan_probability_and_an_unnamed_model_are_named_plainly() -> None:
    with pytest.raises(ValidationError) as info:
        check_probabilities(object(), [0.0, float("nan")], 2)
    [problem] = info.value.problems
    assert problem.path == "object.stay_probability[1]"  # the type, not an address
    assert math.isnan(problem.value)
    assert check_probabilities(_Named(), [0.0, 1.0], 2).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("threshold", [-1, float("nan"), True, "5"])
def test_check_fairness_names_a_bad_threshold(threshold: Any) -> None:
    result = outcome(None, synthetic_columns(10, seed=1, as_of=CTX.as_of), context=CTX)
    with pytest.raises(ValidationError) as info:
        check_fairness(result, threshold=threshold)
    [problem] = info.value.problems
    assert (problem.path, problem.expected) == ("threshold", "a number from 0 to 1e+15")
    with pytest.raises(ValidationError) as info:
        check_fairness("x")  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("result", "x", "an Outcome")
    ]


def _one_customer(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "loss": [100.0], "relief": [50.0], "compensation": [10.0], "scale": [1000.0],
        "failures": [1], "health": [0.5], "proactive": [False],
    }  # fmt: skip
    return {**fields, **changes}


def test_response_inputs_are_float64_whatever_float_they_come_in() -> None:
    inputs = ResponseInputs(**_one_customer(loss=np.array([100.0], dtype=np.float32)))
    assert inputs.loss.dtype == np.float64
    assert inputs.loss.tolist() == [100.0]


@pytest.mark.parametrize(
    "loss",
    [np.array([np.longdouble("1e400")]), [10**400]],
    ids=["long double past float64", "int past float64"],
)
def test_a_loss_past_float64_is_named_as_out_of_range(loss: Any) -> None:
    if isinstance(loss, np.ndarray) and not np.isfinite(loss).all():
        pytest.skip("this platform's long double is float64: 1e400 is infinite already")
    with pytest.raises(ValidationError) as info:
        ResponseInputs(**_one_customer(loss=loss))
    assert [p.path for p in info.value.problems] == ["loss[0]"]


def test_an_interval_of_customers_retained_never_passes_the_customers_there_are() -> None:
    # Two replications make a wide t-interval: it reached 81.8 customers past the 100 of
    # the portfolio. The interval is cut to what the count can be; revenue is never < 0.
    columns = columns_from_mapping(**synthetic_mapping(100, seed=1))
    rows = [
        row
        for seed in range(10)
        for row in evaluate(
            None, columns, context=example_context(), replications=2, seed=seed
        ).rows()
    ]
    assert all(0.0 <= r.retained_customers.low <= r.retained_customers.high for r in rows)
    assert all(r.retained_customers.high <= r.customers for r in rows)
    assert all(r.retained_revenue.low >= 0.0 for r in rows)
    assert any(r.retained_customers.high == r.customers for r in rows)  # the cut is reached


def test_numpy_integers_are_taken_as_the_seed_and_the_replications() -> None:
    # `for seed in np.arange(5)` in a notebook: the same report as with Python's ints.
    columns = columns_from_mapping(**synthetic_mapping(20, seed=2))
    given = evaluate(
        None,
        columns,
        context=example_context(),
        replications=np.int64(3),  # type: ignore[arg-type] # typed int, numpy's taken too
        seed=np.int64(4),  # type: ignore[arg-type]
    )
    plain = evaluate(None, columns, context=example_context(), replications=3, seed=4)
    assert (type(given.seed), type(given.replications)) == (int, int)
    assert given.to_records() == plain.to_records()


def test_an_interval_of_revenue_never_passes_the_revenue_there_is() -> None:
    # Three replications: retained revenue's interval reached 7.6 million of a portfolio
    # whose customers are worth 6.0 million a year. Each group's revenue bounds its own.
    context = example_context()
    portfolio = example_portfolio()
    worth: dict[str, float] = {}
    for customer in portfolio.customers:
        amount = float(context.convert(customer.annual_value).amount)
        worth[customer.segment.value] = worth.get(customer.segment.value, 0.0) + amount
    report = evaluate(CustomerFirstPolicy(), portfolio, context=context, replications=3, seed=2)
    assert report.total.retained_revenue.high <= sum(worth.values()) + 1e-6
    for row in report.segments:
        bound = worth.get(row.name, 0.0) + 1e-6
        assert -bound <= row.revenue_saved.low <= row.revenue_saved.high <= bound
        assert row.retained_revenue.high <= bound
    assert report.total.retained_revenue.high == pytest.approx(sum(worth.values()))


def test_an_estimate_is_refused_bounds_the_wrong_way_round() -> None:
    with pytest.raises(ValidationError) as info:
        Estimate.of(np.array([1.0, 2.0]), 2.0, within=(5.0, 0.0))
    assert info.value.paths == ("within",)


def test_the_synthetic_generators_take_numpy_integers() -> None:
    as_of = example_context().as_of
    given = synthetic_portfolio(np.int64(5), seed=np.int64(3), as_of=as_of)  # type: ignore[arg-type]
    assert given == synthetic_portfolio(5, seed=3, as_of=as_of)
