"""Batch results as records and objects; what a batch refuses; the shared array kernels."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any, cast

import attrs
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from custadvocacy import (
    AdvocacyScorer,
    Band,
    ConfigurationError,
    Context,
    CustomerFirstPolicy,
    EmpiricalLeadTimeModel,
    ExchangeRates,
    IncidentKind,
    MissingRateError,
    Money,
    PlaybookPolicy,
    Portfolio,
    ScorerConfig,
    ScoreWeights,
    ValidationError,
    assess,
    default_catalog,
    default_estimators,
)
from custadvocacy._forecast import DelayPrior
from custadvocacy._forecast._history import prior_excess, prior_survival
from custadvocacy._forecast._leadtime import (
    eta_outlook_values,
    history_outlook_values,
    history_statistics,
)
from custadvocacy._impact._formulas import spread_range
from custadvocacy.batch import (
    BatchResult,
    BatchValidationError,
    PartitionTable,
    assess_batch,
    assess_partition,
    columns_from_mapping,
    columns_from_objects,
    synthetic_mapping,
)
from custadvocacy.batch._picks import by_customer_position, segment_fsum
from custadvocacy.batch._results import TableName
from custadvocacy.batch._run import _check_options
from custadvocacy.batch._setup import timedelta_us
from custadvocacy.estimators import LateDeliveryEstimator, ProfileDefaults, SegmentDefaults
from custadvocacy.examples import example_context, example_portfolio


def _result(**kwargs: Any) -> Any:
    return assess_batch(
        columns_from_objects(example_portfolio()), context=example_context(), **kwargs
    )


def test_records_name_bands_actions_and_bases() -> None:
    result = _result()
    customers = result.to_records()
    assert len(customers) == 12
    kovar = customers[0]
    assert (kovar["id"], kovar["band"], kovar["top_action"]) == (
        "C01",
        "high",
        "service_credit_delivery",
    )
    assert math.isclose(
        sum(kovar[f"points_{f}"] for f in ("harm", "reactive", "health")), 41.2, abs_tol=5
    )
    orders = result.to_records(table="orders")
    assert {o["basis"] for o in orders} == {None, "eta", "prior"}
    action = result.to_records([0], table="actions")[0]
    assert action["customer_id"] == "C01"
    assert isinstance(action["relief"], float)
    with pytest.raises(ValidationError):
        result.to_records([99])
    with pytest.raises(ValidationError):
        result.table("nope")


_F, _B, _I8, _I = "float64", "bool", "int8", "int64"
_SCHEMA = {
    "customers": {
        "id": "text", "score": _F, "band": _I8, "points_harm": _F, "points_unresolved": _F,
        "points_repetition": _F, "points_reactive": _F, "points_forecast": _F,
        "points_health": _F, "points_relationship": _F, "expected_loss": _F, "loss_low": _F,
        "loss_high": _F, "risk": _F, "daily_revenue": _F, "actions": _I, "relief": _I,
        "cost": _I, "top_action": _I,
    },
    "orders": {
        "id": "text", "forecast": _B, "probability_late": _F, "expected_days_late": _F,
        "days_late_low": _F, "days_late_high": _F, "expected_loss": _F, "low": _F, "high": _F,
        "risk": _F, "already_late": _B, "basis": _I8, "observations": _I,
    },
    "incidents": {
        "id": "text", "expected": _F, "low": _F, "high": _F, "estimated": _B, "ongoing": _B,
    },
    "actions": {
        "customer": _I, "rank": _I, "action": _I, "relief": _I, "cost": _I,
        "needs_approval": _B, "incident": _I, "order": _I,
    },
}  # fmt: skip


def test_every_result_table_has_its_columns_in_order_with_their_dtypes() -> None:
    # What a host stores or hands on: names, order and dtypes are part of the API.
    result = assess_batch(columns_from_objects(example_portfolio()), context=example_context())
    for table in (result.customers, result.orders, result.incidents, result.actions):
        dtypes = {
            name: "text" if table[name].dtype.kind == "U" else str(table[name].dtype)
            for name in table.names
        }
        assert list(dtypes.items()) == list(_SCHEMA[table.name].items()), table.name
    # An order without a forecast has no basis: -1, as documented.
    assert set(result.orders["basis"][~result.orders["forecast"]].tolist()) == {-1}


def test_a_customer_without_actions_last_and_a_portfolio_without_customers() -> None:
    # The per-customer counts run to the last customer even when it takes no action, and
    # a customer without one has no top action (-1).
    portfolio = example_portfolio()
    quiet = attrs.evolve(portfolio.customers[0], id="C99")  # no orders, no incidents
    columns = columns_from_objects(attrs.evolve(portfolio, customers=(*portfolio.customers, quiet)))
    result = assess_batch(columns, context=example_context())
    last = columns.customers.rows - 1
    assert columns.customer_ids[last] == "C99"
    assert result.customers["actions"][last] == 0
    assert result.customers["top_action"][last] == -1
    assert result.customers["relief"][last] == result.customers["cost"][last] == 0
    tables = (result.customers, result.orders, result.incidents, result.actions)
    assert [t.name for t in tables] == ["customers", "orders", "incidents", "actions"]
    empty = assess_batch(columns_from_objects(Portfolio(customers=())), context=example_context())
    assert (empty.customers.rows, empty.actions.rows) == (0, 0)
    for name in result.actions.names:  # every column empty, with the dtype it always has
        assert empty.actions[name].shape == (0,), name
        assert empty.actions[name].dtype == result.actions[name].dtype, name


def test_ranking_and_top() -> None:
    result = _result()
    ranked = result.ranked()
    scores = result.customers["score"][ranked]
    assert np.all(np.diff(scores) <= 0)
    assert result.top(3).tolist() == ranked[:3].tolist()
    assert result.top(0).size == 0
    assert result.top(50).tolist() == ranked.tolist()


def test_assessments_of_any_subset_carry_the_arrays_numbers() -> None:
    context = example_context()
    columns = columns_from_mapping(**synthetic_mapping(30, seed=8))  # rebuilt objects
    result = assess_batch(columns, context=context)
    rows = result.top(5)
    for row, assessment in zip(rows, result.to_assessments(rows), strict=True):
        assert assessment.customer_id == str(result.customers["id"][row])
        assert math.isclose(assessment.value, float(result.customers["score"][row]), rel_tol=1e-9)
        assert math.isclose(
            assessment.expected_loss, float(result.customers["expected_loss"][row]), rel_tol=1e-9
        )
        codes = [a.code for a in assessment.recommendation.actions]
        mine = result.actions["action"][result.actions["customer"] == row]
        assert codes == [result.action_codes[k] for k in mine]
    with pytest.raises(ValidationError):
        result.to_assessments([30])


def test_a_hosts_own_plugins_are_refused_with_the_reason() -> None:
    class Mine:
        name = "mine"

        def score(self, *_: Any) -> None:
            return None

    with pytest.raises(ConfigurationError, match="scorer must be an AdvocacyScorer"):
        _result(scorer=Mine())
    with pytest.raises(ConfigurationError, match="catalog must be an ActionCatalog"):
        _result(catalog=[])
    with pytest.raises(ConfigurationError, match="estimators must be an EstimatorSet"):
        _result(estimators={})
    no_late = default_estimators().without(IncidentKind.LATE_DELIVERY)
    with pytest.raises(ConfigurationError, match="late-delivery estimator"):
        _result(estimators=no_late)
    strict = default_estimators(on_missing="raise").without(IncidentKind.DEFECT)
    with pytest.raises(ConfigurationError, match="no estimator for incident kind 'defect'"):
        _result(estimators=strict)
    with pytest.raises(ValidationError):
        assess_batch("columns", context=example_context())  # type: ignore[arg-type]


def test_a_kind_without_estimator_is_not_estimated_never_a_silent_zero() -> None:
    result = _result(estimators=default_estimators().without(IncidentKind.DEFECT))
    defect = result.columns.incidents["kind"] == 2
    assert not result.incidents["estimated"][defect].any()
    assert result.incidents["estimated"][~defect].all()


def test_rows_in_a_currency_without_a_rate_are_listed() -> None:
    context = Context(
        as_of=example_context().as_of,
        currency="EUR",
        rates=ExchangeRates({("EUR", "CZK"): "25"}),
    )
    with pytest.raises(BatchValidationError) as info:
        assess_batch(columns_from_objects(example_portfolio()), context=context)
    assert "customers.currency[1]" in info.value.paths
    assert all("exchange rate into EUR" in p.expected for p in info.value.rows)


def test_a_default_in_a_currency_without_a_rate_raises_the_missing_rate() -> None:
    yen = SegmentDefaults(
        daily_revenue=Money("800000", "JPY"), gross_margin=0.3, buffer_days=1.0,
        staff_hourly_cost=Money("30", "EUR"), staff_count=5.0, criticality=0.5,
    )  # fmt: skip
    defaults = ProfileDefaults(small=yen, mid_market=yen, enterprise=yen)
    late = LateDeliveryEstimator(defaults=defaults)
    estimators = default_estimators().with_estimator(late)
    tables = synthetic_mapping(20, seed=1)
    tables["customers"]["daily_revenue"] = np.full(20, 1000.0)  # never the default
    columns = columns_from_mapping(**tables)
    assert assess_batch(columns, context=example_context(), estimators=estimators).customers.rows
    # A customer with a late delivery and no daily revenue needs the yen default.
    incidents = tables["incidents"]
    late_ones = incidents["customer_id"][incidents["kind"] == IncidentKind.LATE_DELIVERY.value]
    assert late_ones.size
    tables["customers"]["daily_revenue"][late_ones[0]] = np.nan
    with pytest.raises(MissingRateError, match="JPY"):
        assess_batch(
            columns_from_mapping(**tables), context=example_context(), estimators=estimators
        )


def test_options_are_checked() -> None:
    with pytest.raises(ValidationError) as info:
        _check_options(0, None, (Money("1", "EUR"), None))
    assert info.value.paths == ("chunk_size", "per_customer_limit")
    with pytest.raises(ConfigurationError):
        _result(budget=Money("10", "GBP"))


def test_partitions_as_plain_dicts_and_bad_tables() -> None:
    tables = synthetic_mapping(10, seed=2)
    out = assess_partition(**tables, context=example_context())
    assert isinstance(out, dict)
    # Text columns are objects (as a DataFrame keeps them), not fixed-width numpy text.
    assert out["band"].dtype == out["top_action"].dtype == object
    actions = assess_partition(**tables, context=example_context(), table="actions")
    assert actions["action"].dtype == object
    assert actions["action"].size > 0
    with pytest.raises(ValidationError):
        assess_partition(**tables, context=example_context(), table="orders")  # type: ignore[arg-type]


class FrameLike(Mapping[str, Any]):
    """A host's frame class that is not a dict (as a DataFrame is): built from a dict."""

    def __init__(self, columns: Mapping[str, Any]) -> None:
        self.columns = dict(columns)

    def __getitem__(self, name: str) -> Any:
        return self.columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)


@pytest.mark.parametrize("table", ["customers", "actions"])
def test_a_partition_comes_back_in_the_callers_frame_class(table: PartitionTable) -> None:
    tables = synthetic_mapping(10, seed=2)
    framed: dict[str, Any] = {
        name: FrameLike(cast("Mapping[str, Any]", columns)) for name, columns in tables.items()
    }
    out = assess_partition(**framed, context=example_context(), table=table)
    assert type(out) is FrameLike
    plain = assess_partition(**tables, context=example_context(), table=table)
    assert out.columns.keys() == plain.keys()


def test_other_defaults_are_used_where_the_profile_is_silent() -> None:
    small = SegmentDefaults(
        daily_revenue=Money("1", "EUR"), gross_margin=0.1, buffer_days=0.0,
        staff_hourly_cost=Money("1", "EUR"), staff_count=1.0, criticality=0.1,
    )  # fmt: skip
    defaults = ProfileDefaults(small=small, mid_market=small, enterprise=small)
    estimators = default_estimators()
    cheap = estimators
    for kind, estimator in estimators.estimators:
        changed: Any = attrs.evolve(estimator, defaults=defaults)  # type: ignore[misc]
        cheap = cheap.with_estimator(changed, kinds=[kind])
    assert _result(estimators=cheap).customers["expected_loss"].sum() < (
        _result().customers["expected_loss"].sum()
    )


# -- the kernels both paths call --------------------------------------------------------------

_VALUES = st.floats(0, 1e6)
_FACTORS = st.floats(1, 20)


@given(
    st.lists(st.tuples(_VALUES, _FACTORS), min_size=1, max_size=20), st.sampled_from([None, 1.0])
)
def test_spread_range_on_columns_is_the_scalar_range_row_by_row(
    rows: list[tuple[float, float]], cap: float | None
) -> None:
    values = np.array([r[0] for r in rows])
    factors = np.array([r[1] for r in rows])
    low, mid, high = spread_range(values, factors, cap)
    for i, (value, factor) in enumerate(rows):
        assert (low[i], mid[i], high[i]) == spread_range(value, factor, cap)
        assert low[i] <= mid[i] <= high[i] or cap is not None


@given(st.lists(st.floats(-10, 30), min_size=1, max_size=20))
def test_prior_kernels_on_columns_match_the_scalar_ones(points: list[float]) -> None:
    x = np.array(points)
    survival = prior_survival(x, 0.1, 2.0, 3.0)
    excess = prior_excess(x, 0.1, 2.0)
    for i, p in enumerate(points):
        assert math.isclose(survival[i], prior_survival(p, 0.1, 2.0, 3.0), rel_tol=1e-12)
        assert math.isclose(excess[i], prior_excess(p, 0.1, 2.0), rel_tol=1e-12)


@given(
    st.lists(
        st.tuples(st.floats(-5, 20), st.floats(0, 15), st.floats(-10, 10)), min_size=1, max_size=10
    )
)
def test_eta_outlook_on_columns_matches_the_scalar_one(
    rows: list[tuple[float, float, float]],
) -> None:
    # mean = elapsed + horizon: the ETA is `horizon` days after as_of.
    elapsed = np.array([r[2] for r in rows])
    horizon = np.array([r[1] for r in rows])
    mean = elapsed + horizon
    columns = eta_outlook_values(mean, horizon, elapsed, 0.5, 0.2)
    for i in range(len(rows)):
        scalar = eta_outlook_values(float(mean[i]), float(horizon[i]), float(elapsed[i]), 0.5, 0.2)
        for k in range(5):
            assert math.isclose(
                float(np.asarray(columns[k])[i] if np.ndim(columns[k]) else columns[k]),
                scalar[k],
                rel_tol=1e-9,
                abs_tol=1e-12,
            )


@given(
    st.lists(st.floats(-20, 20), min_size=0, max_size=30),
    st.lists(st.floats(-10, 30), min_size=1, max_size=10),
)
def test_history_outlook_on_columns_matches_the_scalar_one(
    delays: list[float], elapsed_days: list[float]
) -> None:
    history = np.sort(np.array(delays, dtype=np.float64))
    elapsed: Any = np.array(elapsed_days)
    cut: Any = np.maximum(elapsed, 0.0)
    prior = DelayPrior()
    count = float(history.size)
    stats = history_statistics(history, cut, elapsed) if history.size else (0.0, 0.0, 0.0)
    columns = history_outlook_values(elapsed, count, *stats, prior)
    for i, e in enumerate(elapsed_days):
        one = history_statistics(history, max(e, 0.0), e) if history.size else (0.0, 0.0, 0.0)
        scalar = history_outlook_values(e, count, *one, prior)
        for k in range(4):
            assert math.isclose(float(columns[k][i]), scalar[k], rel_tol=1e-9, abs_tol=1e-12)


def test_ratios_equal_as_floats_are_ordered_as_fractions() -> None:
    from custadvocacy.batch._budget import _Greedy  # noqa: PLC0415 - the private solver

    # 1/3 and 3333333333333333/10**16 are the same float; the first is the larger fraction.
    relief = np.array([3333333333333333, 1], dtype=np.int64)
    cost = np.array([10**16, 3], dtype=np.int64)
    greedy = _Greedy(
        customer=np.array([0, 1]), order_key=np.array([0, 1]), relief=relief, cost=cost,
        rank=np.array([1, 1]), cap=None, groups=2,
    )  # fmt: skip
    assert greedy.ratio[0] == greedy.ratio[1]
    assert greedy.sorted(np.array([0, 1])).tolist() == [1, 0]


@pytest.mark.parametrize(
    ("rows", "problems"),
    [
        ([0.0, 1.0], [("rows[0]", 0.0), ("rows[1]", 1.0)]),  # a float is no row number
        ([True], [("rows[0]", True)]),
        (["0"], [("rows[0]", "0")]),
        ([3, 12, -1], [("rows[1]", 12), ("rows[2]", -1)]),
        ([[0, 1]], [("rows[0]", [0, 1])]),
        # numpy counts timedelta64 among its integers; int() of one raised TypeError
        ([np.timedelta64(1, "D"), np.int64(2)], [("rows[0]", np.timedelta64(1, "D"))]),
    ],
)
def test_rows_of_a_batch_result_are_integers_each_checked(
    rows: Any, problems: list[tuple[str, object]]
) -> None:
    result = _result()
    with pytest.raises(ValidationError) as info:
        result.to_assessments(rows)
    assert [(p.path, p.value) for p in info.value.problems] == problems
    assert {p.expected for p in info.value.problems} == {"a customer row from 0 to 11"}
    with pytest.raises(ValidationError) as info:
        result.to_records(rows)
    assert [(p.path, p.value) for p in info.value.problems] == problems
    with pytest.raises(ValidationError) as info:
        result.to_assessments(5)
    assert [(p.path, p.expected) for p in info.value.problems] == [
        ("rows", "a sequence of row numbers")
    ]


def test_rows_may_be_any_integers_in_any_sequence() -> None:
    result = _result()
    ids = [["C01", "C02"]] * 3
    found = [
        [a.customer.id for a in result.to_assessments(rows)]
        for rows in ([0, 1], np.array([0, 1], dtype=np.int32), range(2))
    ]
    assert found == ids
    assert result.to_assessments([]) == ()
    assert result.to_records([np.int64(1)]) == result.to_records([1])


@pytest.mark.parametrize("k", [-1, 1.5, True, "2"])
def test_top_takes_a_whole_number(k: Any) -> None:
    with pytest.raises(ValidationError) as info:
        _result().top(k)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("k", k, "a whole number >= 0")
    ]


def test_top_of_zero_none_and_of_more_than_all_everyone_ranked() -> None:
    result = _result()
    assert result.top(0).tolist() == []
    assert result.top(np.int64(2)).tolist() == result.ranked()[:2].tolist()
    assert result.top(13).tolist() == result.ranked().tolist()


CTX = example_context()


def test_top_k_is_the_first_k_ranked_for_every_k() -> None:
    synthetic = assess_batch(columns_from_mapping(**synthetic_mapping(60, seed=4)), context=CTX)
    for result in (synthetic, _result()):
        ranked = result.ranked().tolist()
        for k in range(len(ranked) + 2):
            assert result.top(k).tolist() == ranked[:k], k
    assert str(synthetic.top(0).dtype) == "int64"


def test_a_result_table_is_named_or_refused_exactly() -> None:
    result = _result()
    assert result.table("actions") is result.actions
    with pytest.raises(ValidationError) as info:
        result.table("lines")
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("name", "lines", "'customers', 'orders', 'incidents' or 'actions'")
    ]
    with pytest.raises(ValidationError) as info:
        result.to_records(table="lines")
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("table", "lines", "'customers', 'orders', 'incidents' or 'actions'")
    ]


def test_assessments_from_a_batch_keep_its_plugins() -> None:
    # A scorer, estimators and lead-time model other than the defaults: to_assessments
    # must rebuild each customer with the same ones, or its numbers would differ.
    columns = columns_from_mapping(**synthetic_mapping(40, seed=6))
    scorer = AdvocacyScorer(config=ScorerConfig(weights=ScoreWeights(harm=0.9, unresolved=0.0)))
    model = EmpiricalLeadTimeModel(prior=DelayPrior(late_share=0.4, mean_days_late=6.0))
    estimators = default_estimators().without(IncidentKind.DEFECT)
    result = assess_batch(
        columns, context=CTX, scorer=scorer, lead_time_model=model, estimators=estimators
    )
    plain = assess_batch(columns, context=CTX)
    for name in ("score", "risk", "expected_loss"):
        assert not np.array_equal(result.customers[name], plain.customers[name]), name
    rows = np.arange(result.customers.rows)
    for row, assessment in zip(rows, result.to_assessments(rows), strict=True):
        customer = result.customers
        assert math.isclose(assessment.value, float(customer["score"][row]), rel_tol=1e-9)
        risk = float(customer["risk"][row])
        assert math.isclose(assessment.risk, risk, rel_tol=1e-9, abs_tol=1e-9)
        loss = float(customer["expected_loss"][row])
        assert math.isclose(assessment.expected_loss, loss, rel_tol=1e-9, abs_tol=1e-9)


@given(st.lists(st.floats(0.0, 36_500.0), min_size=1, max_size=20))
# Half a microsecond exactly (2**-14 and 3 * 2**-14 days): timedelta rounds the total
# half to even, 5,273,437.5 up to ...438 and 15,820,312.5 down to ...312.
@example([6.103515625e-05, 3 * 6.103515625e-05, 1 + 6.103515625e-05])
def test_delays_become_whole_microseconds_as_timedelta_counts_them(days: list[float]) -> None:
    micros = timedelta_us(np.array(days))
    assert micros.dtype == np.int64
    assert micros.tolist() == [timedelta(days=d) // timedelta(microseconds=1) for d in days]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.one_of(st.floats(-1e16, 1e16), st.sampled_from([1e16, -1e16, 1.0, 1e-8])),
        ),
        max_size=30,
    )
)
# Cancellation that a plain sum loses: 1e16 + 1 - 1e16 is 1, not 0.
@example([(0, 1e16), (0, 1.0), (0, -1e16), (2, 4.0)])
@example([(1, 1.0), (1, 1e16), (1, -1e16)])
def test_a_segment_sum_is_each_customers_exact_sum(rows: list[tuple[int, float]]) -> None:
    rows.sort(key=lambda r: r[0])  # rows grouped by customer, as the chunks hold them
    customer = np.array([r[0] for r in rows], dtype=np.int64)
    values = np.array([r[1] for r in rows], dtype=np.float64)
    sums = segment_fsum(customer, values, 4)
    for c in range(4):
        exact = math.fsum(v for k, v in rows if k == c)
        assert sums[c] == pytest.approx(exact, rel=1e-15, abs=1e-300)
    np.testing.assert_array_equal(
        by_customer_position(customer),
        [sum(1 for k, _ in rows[:i] if k == r[0]) for i, r in enumerate(rows)],
    )


@pytest.mark.parametrize("policy", [CustomerFirstPolicy(), PlaybookPolicy()])
@pytest.mark.parametrize(("threshold", "needed"), [("6400.00", False), ("6399.99", True)])
def test_an_action_costing_its_approval_threshold_needs_no_approval(
    policy: Any, threshold: str, needed: bool
) -> None:
    catalog = default_catalog()
    credit = attrs.evolve(
        catalog.get("service_credit_delivery"), approval_threshold=Money(threshold, "EUR")
    )
    catalog = attrs.evolve(
        catalog, actions=tuple(credit if a.code == credit.code else a for a in catalog.actions)
    )
    portfolio = example_portfolio()
    customer, orders, incidents = portfolio.for_customer("C01")
    (action,) = (
        a
        for a in assess(
            customer, orders, incidents, context=CTX, catalog=catalog
        ).recommendation.actions
        if a.code == "service_credit_delivery"
    )
    assert (action.cost, action.needs_approval) == (Money("6400.00", "EUR"), needed)
    columns = columns_from_objects(portfolio)
    batch = assess_batch(columns, context=CTX, catalog=catalog, policy=policy).actions
    code = batch["action"].tolist()
    row = next(
        i
        for i in range(batch.rows)
        if batch["customer"][i] == 0 and code[i] == catalog.codes.index("service_credit_delivery")
    )
    assert bool(batch["needs_approval"][row]) is needed


def test_action_records_name_their_incident_and_order_by_id_after_a_drop() -> None:
    tables = synthetic_mapping(40, seed=6)
    tables["customers"]["annual_value"][1] = -5.0  # customer row 1 is dropped with its rows
    columns = columns_from_mapping(**tables, on_invalid="drop")
    result = assess_batch(columns, context=CTX)
    incidents = dict(
        zip(tables["incidents"]["id"], tables["incidents"]["customer_id"], strict=True)
    )
    records = [r for r in result.to_records(table="actions") if r["incident"] >= 0]
    assert records
    for record in records:
        # The id, not the row: rows count in the kept table, the ids are the caller's own.
        assert record["incident_id"] == result.incidents["id"][record["incident"]]
        assert incidents[record["incident_id"]] == record["customer_id"]
        if record["order"] >= 0:
            assert record["order_id"] == result.orders["id"][record["order"]]


def test_records_of_a_boolean_mask_are_its_true_rows() -> None:
    result = assess_batch(columns_from_objects(example_portfolio()), context=CTX)
    high = result.customers["band"] == 3
    records = result.to_records(high)
    assert [r["id"] for r in records] == result.customers["id"][high].tolist()
    assert {r["band"] for r in records} == {"high"}
    with pytest.raises(ValidationError) as info:
        result.to_records(high[:3])
    assert [(p.path, p.value) for p in info.value.problems] == [("rows", "<mask of shape (3,)>")]


def test_a_table_shows_as_a_dataframe_of_its_columns() -> None:
    # pandas.DataFrame(table) reads a mapping that is not a dict as a list of its keys:
    # a frame of one column, the column names, with no error. to_pandas() is the way.
    pd: Any = pytest.importorskip("pandas")
    result = assess_batch(columns_from_objects(example_portfolio()), context=example_context())
    table = result.customers
    frame = table.to_pandas()
    assert frame.shape == (table.rows, len(table.names))
    assert list(frame.columns) == list(table.names)
    assert frame["score"].tolist() == table["score"].tolist()
    frame.loc[0, "score"] = -1.0  # its own copy: the result's arrays are read-only
    assert table["score"][0] != -1.0
    assert isinstance(frame, pd.DataFrame)


def _records_cell_by_cell(result: BatchResult, table: TableName) -> list[dict[str, Any]]:
    """What to_records gave when it read one cell at a time (the reference)."""
    data = result.table(table)
    scale = 100  # EUR
    out = []
    for row in range(data.rows):
        record = {n: data[n][row].item() for n in data.names}
        if table == "customers":
            record["band"] = tuple(Band)[record["band"]].value
            top = record["top_action"]
            record["top_action"] = None if top < 0 else result.action_codes[top]
            record["relief"] = record["relief"] / scale
            record["cost"] = record["cost"] / scale
        elif table == "orders":
            record["basis"] = None if record["basis"] < 0 else result.BASES[record["basis"]]
        elif table == "actions":
            record["customer_id"] = result.customers["id"][record["customer"]].item()
            for name, part in (("incident", result.incidents), ("order", result.orders)):
                at = record[name]
                record[f"{name}_id"] = None if at < 0 else part["id"][at].item()
            record["action"] = result.action_codes[record["action"]]
            record["relief"] = record["relief"] / scale
            record["cost"] = record["cost"] / scale
        out.append(record)
    return out


@given(seed=st.integers(0, 2**31), budget=st.sampled_from([None, "500", "20000"]))
def test_records_read_column_by_column_equal_the_cells(seed: int, budget: str | None) -> None:
    tables = synthetic_mapping(30, seed=seed)
    money = None if budget is None else Money(budget, "EUR")
    result = assess_batch(columns_from_mapping(**tables), context=example_context(), budget=money)
    tables_named: tuple[TableName, ...] = ("customers", "orders", "incidents", "actions")
    for table in tables_named:
        records = result.to_records(table=table)
        expected = _records_cell_by_cell(result, table)
        assert records == expected
        assert [list(r) for r in records] == [list(r) for r in expected]  # key order too
