"""The policy lab: evaluate and compare, reports, fairness, progress (issue 8)."""

from __future__ import annotations

import functools
import itertools
import pickle
import re
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custadvocacy import (
    ConfigurationError,
    CustomerFirstPolicy,
    Money,
    PlaybookPolicy,
    Portfolio,
    ValidationError,
    VendorValuePolicy,
    default_catalog,
    from_dict,
    to_dict,
)
from custadvocacy.batch import (
    PortfolioColumns,
    assess_batch,
    columns_from_mapping,
    synthetic_mapping,
)
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.lab import (
    Comparison,
    Estimate,
    LabPolicy,
    ProgressEvent,
    Report,
    ReportRow,
    ServiceRecoveryResponse,
    check_fairness,
    compare,
    evaluate,
    outcome,
    synthetic_columns,
    tqdm_progress,
)
from custadvocacy.lab._results import t_quantile
from custadvocacy.policies import ActionCatalog

CTX = example_context()


def _any(value: object) -> Any:
    """A value of the wrong type, passed on as a caller who ignores the annotations would."""
    return value


_FIGURES = ("retained_customers", "retained_revenue", "revenue_saved", "net_value")
_FIXED = ("customers", "harmed", "actioned", "loss", "relieved", "cost")


@functools.cache
def small() -> PortfolioColumns:
    """A 400-customer synthetic portfolio, built once (columns are read-only)."""
    return synthetic_columns(400, seed=11, as_of=CTX.as_of)


# -- the tests the issue asks for --------------------------------------------------------


@settings(max_examples=10)
@given(seed=st.integers(0, 2**32))
def test_same_seed_same_report(seed: int) -> None:
    first = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=4, seed=seed)
    second = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=4, seed=seed)
    assert to_dict(first) == to_dict(second)


def test_another_seed_another_draw() -> None:
    one = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=4, seed=1)
    two = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=4, seed=2)
    assert one.total.relieved == two.total.relieved  # deterministic part
    assert one.total.retained_customers != two.total.retained_customers  # the draw


@settings(max_examples=8)
@given(
    low=st.integers(0, 200_000),
    extra=st.integers(1, 400_000),
)
def test_more_budget_never_relieves_less(low: int, extra: int) -> None:
    def relieved(budget: int) -> float:
        lab = LabPolicy(name="b", policy=CustomerFirstPolicy(), budget=Money(budget, "EUR"))
        return float(outcome(lab, example_portfolio(), context=CTX).relief.sum())

    assert relieved(low + extra) >= relieved(low) - 1e-9


def test_zero_budget_costs_nothing() -> None:
    lab = LabPolicy(name="zero", policy=CustomerFirstPolicy(), budget=Money(0, "EUR"))
    report = evaluate(lab, small(), context=CTX, replications=2)
    assert report.total.cost == 0
    assert report.total.net_value.mean >= 0


@pytest.mark.parametrize(
    "policy",
    [CustomerFirstPolicy(), PlaybookPolicy(), VendorValuePolicy()],
    ids=["first", "playbook", "vendor-value"],
)
def test_more_budget_on_a_synthetic_portfolio(policy: Any) -> None:
    reliefs = []
    for budget in (0, 10_000, 50_000, 200_000, 10**7):
        lab = LabPolicy(name="b", policy=policy, budget=Money(budget, "EUR"))
        reliefs.append(outcome(lab, small(), context=CTX).relief.sum())
    assert reliefs[0] >= 0  # free actions (early notice...) need no budget
    assert all(a <= b + 1e-6 for a, b in itertools.pairwise(reliefs))
    assert reliefs[-1] > 0


@pytest.mark.parametrize(
    "policy",
    [
        None,
        LabPolicy(name="empty", policy=CustomerFirstPolicy(), catalog=ActionCatalog(actions=())),
    ],
    ids=["none", "empty-catalog"],
)
def test_doing_nothing_relieves_and_costs_nothing(policy: LabPolicy | None) -> None:
    report = evaluate(policy, small(), context=CTX, replications=3)
    for row in report.rows():
        assert row.relieved == 0
        assert row.cost == 0
        assert row.actioned == 0
        assert row.revenue_saved == Estimate(mean=0.0, low=0.0, high=0.0)
        assert row.net_value == Estimate(mean=0.0, low=0.0, high=0.0)
    assert report.total.loss > 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_intervals_shrink_as_replications_grow(seed: int) -> None:
    few = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=4, seed=seed)
    many = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=64, seed=seed)
    for name in ("retained_customers", "retained_revenue"):
        assert getattr(many.total, name).width < getattr(few.total, name).width


def _assert_sum(total: ReportRow, rows: tuple[ReportRow, ...]) -> None:
    for name in _FIXED:
        assert getattr(total, name) == pytest.approx(
            sum(getattr(r, name) for r in rows), rel=1e-12, abs=1e-9
        )
    for name in _FIGURES:
        assert getattr(total, name).mean == pytest.approx(
            sum(getattr(r, name).mean for r in rows), rel=1e-9, abs=1e-6
        )


@pytest.mark.parametrize(
    "policy",
    [None, CustomerFirstPolicy(), PlaybookPolicy(), VendorValuePolicy()],
    ids=["none", "first", "playbook", "vendor-value"],
)
def test_totals_are_the_sums_of_the_segment_and_band_rows(policy: Any) -> None:
    report = evaluate(policy, small(), context=CTX, replications=5, seed=9)
    _assert_sum(report.total, report.segments)
    _assert_sum(report.total, report.bands)
    assert report.total.customers == 400


# -- reports ------------------------------------------------------------------------------


def test_report_round_trips_and_pickles() -> None:
    report = evaluate(CustomerFirstPolicy(), example_portfolio(), context=CTX, replications=3)
    assert from_dict(Report, to_dict(report)) == report
    assert pickle.loads(pickle.dumps(report)) == report  # noqa: S301 - our own bytes


def test_records_are_flat_and_plain() -> None:
    report = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=3)
    records = report.to_records()
    assert [r["group"] for r in records] == ["total"] + ["segment"] * 3 + ["band"] * 5
    first = records[0]
    assert first["policy"] == "customer_first"
    assert first["net_value_low"] <= first["net_value"] <= first["net_value_high"]
    assert all(isinstance(v, str | int | float) for r in records for v in r.values())


def test_to_pandas() -> None:
    pd = pytest.importorskip("pandas", reason="pandas is optional (to_pandas)")
    result = compare([None, CustomerFirstPolicy()], small(), context=CTX, replications=3)
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert frame["policy"].tolist() == ["do_nothing", "customer_first"]
    assert len(result.to_pandas(group=None)) == 18
    assert len(result.reports[0].to_pandas()) == 9


def test_to_pandas_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys  # noqa: PLC0415 - only this test hides pandas

    monkeypatch.setitem(sys.modules, "pandas", None)
    report = evaluate(None, example_portfolio(), context=CTX, replications=2)
    with pytest.raises(ImportError) as info:
        report.to_pandas()
    assert str(info.value) == "to_pandas() needs pandas: pip install pandas"


def test_reprs_are_short_and_say_what_a_notebook_reader_needs() -> None:
    compared = compare([None, CustomerFirstPolicy()], small(), context=CTX, replications=3)
    first = compared.reports[1]
    assert repr(compared) == (
        "Comparison('do_nothing', 'customer_first'; table() shows them side by side)"
    )
    t = first.total
    assert repr(first) == (
        f"Report('customer_first', 400 customers in EUR, 3 replications, seed 0: relieved "
        f"{t.relieved:,.2f}, cost {t.cost:,.2f}, net value {t.net_value!r})"
    )
    assert repr(t) == (
        f"ReportRow(total 'all': 400 customers, {t.harmed:,} harmed, {t.actioned:,} actioned, "
        f"loss {t.loss:,.2f}, relieved {t.relieved:,.2f}, cost {t.cost:,.2f}, "
        f"net value {t.net_value.mean:,.2f})"
    )
    assert repr(Estimate(mean=1234.567, low=-0.004, high=2e6)) == (
        "Estimate(1234.57, -0.00 to 2000000.00)"
    )
    assert max(len(repr(x)) for x in (compared, first, t)) < 300


def test_a_comparison_and_a_report_render_as_tables_in_a_notebook() -> None:
    compared = compare([None, CustomerFirstPolicy()], example_portfolio(), context=CTX,
                       replications=2)  # fmt: skip
    markdown = compared._repr_markdown_().splitlines()
    assert markdown[0].startswith("| policy | customers | actioned | loss | relieved | cost |")
    assert markdown[1] == "|---|" + "---:|" * 8
    # The same cells as the text table, row for row.
    text = [re.split(r"\s{2,}", line) for line in compared.table().splitlines()]
    assert [line.strip("| ").split(" | ") for line in markdown[2:]] == text[1:]
    # And in HTML, whole: the first column left-aligned, the figures right-aligned.
    head = "".join(f"<th>{cell}</th>" for cell in text[0])
    body = "".join(
        "<tr>" + "".join(
            f"<td>{cell}</td>" if i == 0 else f'<td style="text-align: right">{cell}</td>'
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in text[1:]
    )  # fmt: skip
    assert compared._repr_html_() == f"<table><tr>{head}</tr>{body}</table>"
    report = compared.reports[1]
    rows = report._repr_markdown_().splitlines()
    assert rows[0] == (
        "**customer_first** on 12 customers, amounts in EUR; 2 replications (seed 0), 95% intervals"
    )
    assert rows[2].startswith("| rows | customers | actioned | loss |")
    assert [row.split(" | ")[0] for row in rows[4:]] == [
        f"| {r.group}: {r.name}" for r in report.rows()
    ]
    # A host's policy name is escaped: no cell breaks the table or injects markup.
    odd = attrs.evolve(report, policy="a|<b>")
    both = Comparison(reports=(odd,))
    assert "| a\\|<b> |" in both._repr_markdown_()
    assert "<td>a|&lt;b&gt;</td>" in both._repr_html_()
    # The HTML, which a notebook prefers, says what the Markdown heading says.
    assert report._repr_html_().startswith(
        "<table><caption>customer_first on 12 customers, amounts in EUR; 2 replications "
        "(seed 0), 95% intervals</caption><tr><th>rows</th>"
    )
    assert '<td style="text-align: right">12</td>' in report._repr_html_()
    assert both._repr_html_().count("<tr>") == 2
    assert report._repr_html_().count("<tr>") == 1 + len(report.rows())


def test_compare_table_and_order() -> None:
    result = compare(
        [PlaybookPolicy(), None, CustomerFirstPolicy()],
        example_portfolio(),
        context=CTX,
        replications=3,
    )
    assert [r.policy for r in result.reports] == ["playbook", "do_nothing", "customer_first"]
    lines = result.table().splitlines()
    assert lines[0].split()[:3] == ["policy", "customers", "actioned"]
    assert [line.split()[0] for line in lines[1:]] == ["playbook", "do_nothing", "customer_first"]
    assert isinstance(result, Comparison)


def test_compare_matches_evaluate() -> None:
    both = compare([None, CustomerFirstPolicy()], small(), context=CTX, replications=3, seed=5)
    alone = evaluate(CustomerFirstPolicy(), small(), context=CTX, replications=3, seed=5)
    assert both.reports[1] == alone


def test_one_policy_with_two_catalogs_is_two_runs() -> None:
    # The lab runs each (policy, catalog) pair once and reuses it for budgets: the same
    # policy with another catalog is another run, not the first one's result again.
    full = default_catalog()
    lean = full.without("replacement")
    labs = [
        LabPolicy(name="full", policy=CustomerFirstPolicy(), catalog=full),
        LabPolicy(name="lean", policy=CustomerFirstPolicy(), catalog=lean),
        LabPolicy(name="lean, budget", policy=CustomerFirstPolicy(), catalog=lean,
                  budget=Money(20_000, "EUR")),
    ]  # fmt: skip
    both = compare(labs, example_portfolio(), context=CTX, replications=3, seed=2)
    for lab, report in zip(labs, both.reports, strict=True):
        alone = evaluate(lab, example_portfolio(), context=CTX, replications=3, seed=2)
        assert report == alone
    assert both.reports[0].total.relieved != both.reports[1].total.relieved


class _Wrapped:
    """A built-in policy in disguise: a host's own class, so the lab takes the object path."""

    def __init__(self, policy: Any) -> None:
        self.policy = policy
        self.name = f"wrapped {policy.name}"

    def recommend(self, *args: Any) -> Any:
        return self.policy.recommend(*args)


def test_object_path_policies_with_a_budget() -> None:
    portfolio = example_portfolio()
    free = outcome(_Wrapped(VendorValuePolicy()), portfolio, context=CTX)
    lab = LabPolicy(name="vv", policy=_Wrapped(VendorValuePolicy()), budget=Money(5000, "EUR"))
    tight = outcome(lab, portfolio, context=CTX)
    assert 0 < tight.cost.sum() <= 5000 + 1e-9
    assert tight.relief.sum() <= free.relief.sum()
    assert np.all(tight.relief <= tight.loss + 1e-6)


def _assert_same_actions(objects: Any, batch: Any) -> None:
    """The object path's outcome took the batch path's actions, to the cent."""
    np.testing.assert_allclose(objects.relief, batch.relief, rtol=1e-9)
    np.testing.assert_allclose(objects.cost, batch.cost, rtol=1e-9)
    assert np.array_equal(objects.proactive, batch.proactive)
    assert np.array_equal(objects.actions, batch.actions)


@pytest.mark.parametrize(
    "policy",
    [
        CustomerFirstPolicy(),
        PlaybookPolicy(),
        PlaybookPolicy(first_match=True),
        VendorValuePolicy(),
    ],
    ids=["first", "playbook", "playbook-first-match", "vendor-value"],
)
@pytest.mark.parametrize("budget", [None, Money(20000, "EUR")], ids=["unlimited", "budget"])
def test_batch_and_object_path_agree(policy: Any, budget: Money | None) -> None:
    batch = outcome(
        LabPolicy(name="batch", policy=policy, budget=budget), example_portfolio(), context=CTX
    )
    objects = outcome(
        LabPolicy(name="objects", policy=_Wrapped(policy), budget=budget),
        example_portfolio(),
        context=CTX,
    )
    _assert_same_actions(objects, batch)


def test_the_object_path_assesses_a_customer_whose_loss_is_under_one_unit() -> None:
    portfolio = example_portfolio()
    incident = next(i for i in portfolio.incidents if i.id == "INC-1201")
    tiny = attrs.evolve(incident, amount=Money("0.50", "GBP"), effort_hours=0.001)
    customer = next(c for c in portfolio.customers if c.id == incident.customer_id)
    alone = Portfolio(customers=(customer,), incidents=(tiny,))
    eager = CustomerFirstPolicy(loss_threshold=Money(0, "EUR"))  # answers any loss
    batch = outcome(eager, alone, context=CTX)
    objects = outcome(_Wrapped(eager), alone, context=CTX)
    assert 0 < batch.loss[0] < 1
    assert batch.actions.tolist() == [1]
    _assert_same_actions(objects, batch)


DTYPES = {
    "segment": np.int8,
    "band": np.int8,
    "score": np.float64,
    "loss": np.float64,
    "relief": np.float64,
    "cost": np.float64,
    "actions": np.int64,
    "proactive": np.bool_,
    "value": np.float64,
    "failures": np.int64,
    "health": np.float64,
}


@pytest.mark.parametrize(
    "policy",
    [
        None,
        CustomerFirstPolicy(),
        _Wrapped(CustomerFirstPolicy()),
        # The object path taking no action at all (nothing fits a zero budget).
        LabPolicy(name="none", policy=_Wrapped(CustomerFirstPolicy()), budget=Money(0, "EUR")),
        LabPolicy(name="none", policy=CustomerFirstPolicy(), budget=Money(0, "EUR")),
    ],
    ids=["do-nothing", "batch", "objects", "objects-none-taken", "batch-none-taken"],
)
def test_an_outcomes_columns_have_their_documented_dtypes(policy: Any) -> None:
    result = outcome(policy, example_portfolio(), context=CTX)
    for name, dtype in DTYPES.items():
        column = getattr(result, name)
        assert column.dtype == dtype, name
        assert column.shape == (12,), name


def test_the_object_path_where_no_customer_needs_an_action() -> None:
    # Customers without orders or incidents: nobody is assessed and nothing is taken, and
    # the empty picks must still index the columns (a bare [] is a float64 array).
    quiet = Portfolio(customers=example_portfolio().customers[:3])
    result = outcome(_Wrapped(CustomerFirstPolicy()), quiet, context=CTX)
    assert result.actions.tolist() == [0, 0, 0]
    assert result.proactive.tolist() == [False, False, False]
    assert result.relief.tolist() == result.cost.tolist() == [0.0, 0.0, 0.0]


def test_the_object_path_fills_a_missing_customer_since_as_the_batch_path_does() -> None:
    tables = synthetic_mapping(40, seed=6)
    del tables["customers"]["customer_since"]  # an optional column
    columns = columns_from_mapping(**tables)
    _assert_same_actions(
        outcome(_Wrapped(CustomerFirstPolicy()), columns, context=CTX),
        outcome(CustomerFirstPolicy(), columns, context=CTX),
    )


def test_outcome_names_a_bad_context_and_a_nameless_policy() -> None:
    with pytest.raises(ValidationError) as info:
        outcome(None, example_portfolio(), context=_any("x"))
    assert str(info.value) == "1 problem:\n  context: expected a Context, got 'x'"
    nameless = _Wrapped(CustomerFirstPolicy())
    nameless.name = ""
    assert LabPolicy.of(nameless).name == "policy"


def test_the_built_in_policies_run_on_the_batch_path() -> None:
    events: list[ProgressEvent] = []
    compare(
        [CustomerFirstPolicy(), PlaybookPolicy(), VendorValuePolicy(), _Wrapped(PlaybookPolicy())],
        small(),
        context=CTX,
        replications=2,
        progress=events.append,
    )
    assess = {e.policy: e.total for e in events if e.stage == "assess"}
    # The batch path reports one step; the object path one per 1,000 customers it assesses.
    assert assess["customer_first"] == assess["playbook"] == assess["vendor_value"] == 1
    assert assess["wrapped playbook"] > 1


def test_outcome_invariants() -> None:
    result = outcome(CustomerFirstPolicy(), small(), context=CTX)
    assert np.all(result.relief >= 0)
    assert np.all(result.relief <= result.loss + 1e-6)
    assert np.all(result.cost >= 0)
    assert np.all((result.health >= 0) & (result.health <= 1))
    assert np.all(result.actions[result.proactive] > 0)
    assert "customer_first" in repr(result)


def test_retention_never_below_doing_nothing_on_average() -> None:
    result = compare([None, CustomerFirstPolicy()], small(), context=CTX, replications=8)
    nothing, first = result.reports
    assert first.total.retained_customers.mean >= nothing.total.retained_customers.mean
    assert first.total.revenue_saved.mean >= 0


# -- fairness -------------------------------------------------------------------------


def test_fairness_of_doing_nothing() -> None:
    result = outcome(None, small(), context=CTX)
    fair = check_fairness(result, threshold=500.0)
    expected = int((result.loss > 500.0).sum())
    assert fair.unserved == expected > 0
    assert fair.unserved_loss == pytest.approx(result.loss[result.loss > 500.0].sum())
    assert len(fair.unserved_ids) == min(20, expected)
    losses = [result.loss[result.ids == int(i)][0] for i in fair.unserved_ids]
    assert losses == sorted(losses, reverse=True)
    assert all(s.relief_per_loss == 0 for s in fair.segments)
    assert fair.parity == 1.0


@settings(max_examples=10)
@given(threshold=st.floats(0, 1e6))
def test_fairness_bounds(threshold: float) -> None:
    fair = check_fairness(outcome(CustomerFirstPolicy(), small(), context=CTX), threshold=threshold)
    assert 0 <= fair.parity <= 1
    assert sum(s.unserved for s in fair.segments) == fair.unserved
    assert all(0 <= s.relief_per_loss <= 1 for s in fair.segments)
    assert sum(s.customers for s in fair.segments) == 400


def test_fairness_on_figures_worked_by_hand() -> None:
    # Twelve customers: segments small (0), mid-market (1), enterprise (2).
    base = outcome(None, example_portfolio(), context=CTX)
    segment = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], dtype=np.int8)
    loss = np.array([1000.0, 1000.5, 1000.5, 0.5, 0, 0, 0, 0, 3000.0, 2000.0, 0, 0])
    relief = np.array([0.0, 0, 0, 2.0, 0, 0, 0, 0, 600.0, 0, 0, 0])
    actions = np.array([0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0])
    result = attrs.evolve(base, segment=segment, loss=loss, relief=relief, actions=actions)
    fair = check_fairness(result)
    assert fair.threshold == 1000.0  # the default
    # Above the threshold with no action: rows 1 and 2 (1,000.50 each, in row order:
    # the tie keeps it) and row 9; row 0 is at the threshold, not above.
    assert fair.unserved == 3
    assert fair.unserved_loss == 1000.5 + 1000.5 + 2000.0
    assert fair.unserved_ids == ("C10", "C02", "C03")
    small, mid, enterprise = fair.segments
    assert (small.customers, small.harmed, small.unserved) == (4, 4, 2)
    assert small.loss == pytest.approx(3001.5)
    assert small.relief_per_loss == pytest.approx(2.0 / 3001.5)
    assert (mid.harmed, mid.loss, mid.relief_per_loss) == (0, 0.0, 0.0)
    assert enterprise.relief_per_loss == pytest.approx(600.0 / 5000.0)
    # Parity over the segments with a loss (mid-market has none): the smaller share over
    # the larger.
    assert fair.parity == pytest.approx((2.0 / 3001.5) / (600.0 / 5000.0))
    # A segment whose relief exceeds its loss counts as fully relieved, no more; a
    # segment with under 1 of loss counts too.
    tiny = attrs.evolve(
        result,
        loss=np.array([0.5, 0, 0, 0, 0, 0, 0, 0, 100.0, 0, 0, 0]),
        relief=np.array([0.4, 0, 0, 0, 0, 0, 0, 0, 300.0, 0, 0, 0]),
    )
    small, _, enterprise = check_fairness(tiny).segments
    assert small.relief_per_loss == pytest.approx(0.8)
    assert enterprise.relief_per_loss == 1.0
    assert check_fairness(tiny).parity == pytest.approx(0.8)


def test_fairness_rejects_bad_arguments() -> None:
    with pytest.raises(ValidationError) as info:
        check_fairness("x", threshold=-1)  # type: ignore[arg-type]
    assert {p.path for p in info.value.problems} == {"result", "threshold"}


# -- progress --------------------------------------------------------------------------


def test_progress_events() -> None:
    events: list[ProgressEvent] = []
    compare(
        [CustomerFirstPolicy(), PlaybookPolicy()],
        example_portfolio(),
        context=CTX,
        replications=3,
        progress=events.append,
    )
    stages = [(e.policy, e.stage, e.done, e.total) for e in events]
    assert ("customer_first", "assess", 1, 1) in stages
    assert ("customer_first", "replicate", 3, 3) in stages
    assert ("playbook", "replicate", 3, 3) in stages
    playbook = [e for e in events if e.policy == "playbook" and e.stage == "assess"]
    assert playbook
    assert playbook[-1].done == playbook[-1].total


class _Bar:
    def __init__(self) -> None:
        self.total = 0
        self.n = 0
        self.description = ""
        self.refreshed = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_description(self, text: str) -> None:
        self.description = text

    def refresh(self) -> None:
        self.refreshed += 1


def test_tqdm_adapter_counts_every_step() -> None:
    bar = _Bar()
    compare(
        [None, CustomerFirstPolicy()],
        example_portfolio(),
        context=CTX,
        replications=4,
        progress=tqdm_progress(bar),
    )
    assert bar.n == bar.total == 2 * (1 + 4)
    assert bar.description == "customer_first: replicate" or bar.description.endswith("replicate")
    assert bar.refreshed == 4


def test_tqdm_adapter_with_a_bare_bar() -> None:
    class Bare:
        def __init__(self) -> None:
            self.n = 0

        def update(self, n: int = 1) -> None:
            self.n += n

    bar = Bare()
    callback = tqdm_progress(bar)
    for done in (1, 1, 3):
        callback(ProgressEvent(policy="p", stage="assess", done=done, total=3))
    assert bar.n == 3


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        ({"done": 4, "total": 3}, [("done", 4, "a whole number from 0 to 3")]),
        ({"done": -1}, [("done", -1, "a whole number from 0 to 3")]),
        ({"done": 1.5}, [("done", 1.5, "a whole number from 0 to 3")]),
        ({"done": True}, [("done", True, "a whole number from 0 to 3")]),
        # a bad total is reported alone, not again as done's bound
        ({"total": -1}, [("total", -1, "a whole number from 0 to 1e+12")]),
        ({"total": 10**12 + 1}, [("total", 10**12 + 1, "a whole number from 0 to 1e+12")]),
        ({"total": "3"}, [("total", "3", "a whole number from 0 to 1e+12")]),
        (
            {"policy": 5, "stage": "s"},
            [("policy", 5, "a string"), ("stage", "s", "'assess' or 'replicate'")],
        ),
        ({"policy": ""}, [("policy", "", "a non-empty string")]),
    ],
)
def test_a_progress_event_names_each_bad_field(
    fields: dict[str, object], problems: list[tuple[str, object, str]]
) -> None:
    given: dict[str, Any] = {"policy": "p", "stage": "assess", "done": 1, "total": 3} | fields
    with pytest.raises(ValidationError) as info:
        ProgressEvent(**given)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == problems


def test_a_progress_event_counts_from_zero_to_its_total() -> None:
    for stage in ("assess", "replicate"):
        assert ProgressEvent(policy="p", stage=stage, done=0, total=0).done == 0
        assert ProgressEvent(policy="p", stage=stage, done=10**12, total=10**12).total == 10**12


# -- arguments -------------------------------------------------------------------------


def test_evaluate_reports_every_bad_argument() -> None:
    with pytest.raises(ValidationError) as info:
        evaluate(
            None,
            small(),
            context="ctx",  # type: ignore[arg-type]
            replications=1,
            seed=-1,
            response="r",  # type: ignore[arg-type]
            margin_share=2.0,
            confidence=0.1,
            loss_threshold=-5.0,
            progress=3,  # type: ignore[arg-type]
        )
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("context", "ctx", "a Context"),
        ("replications", 1, "a whole number from 2 to 10000"),
        ("seed", -1, "a whole number from 0 to 9223372036854775807"),
        ("response", "r", "None or a response model (name and stay_probability)"),
        ("margin_share", 2.0, "a number from 0 to 1 (a share)"),
        ("confidence", 0.1, "a number from 0.5 to 0.999"),
        ("loss_threshold", -5.0, "a number from 0 to 1e+15"),
        ("progress", 3, "None or a callable taking a ProgressEvent"),
    ]


@pytest.mark.parametrize(
    ("options", "accepted"),
    [
        ({"replications": 2}, True),
        ({"replications": 10_000}, True),
        ({"replications": 10_001}, False),
        ({"replications": True}, False),
        ({"seed": 2**63 - 1}, True),
        ({"seed": 2**63}, False),
        ({"seed": 1.5}, False),
        ({"confidence": 0.5}, True),
        ({"confidence": 0.999}, True),
        ({"confidence": 0.9991}, False),
        ({"confidence": 0.49}, False),
    ],
)
def test_evaluates_options_at_their_edges(options: dict[str, Any], accepted: bool) -> None:
    tiny = synthetic_columns(3, seed=1, as_of=CTX.as_of)
    if options.get("replications") == 10_000:
        # Accepted, but not run (too slow): only the bad portfolio is reported.
        with pytest.raises(ValidationError) as info:
            evaluate(None, "x", context=CTX, **options)  # type: ignore[arg-type]
        assert [p.path for p in info.value.problems] == ["portfolio"]
        return
    if accepted:
        assert evaluate(None, tiny, context=CTX, **options).policy == "do_nothing"
    else:
        with pytest.raises(ValidationError) as info:
            evaluate(None, tiny, context=CTX, **options)
        assert [p.path for p in info.value.problems] == list(options)


def test_evaluate_names_a_bad_portfolio_and_policy() -> None:
    with pytest.raises(ValidationError) as info:
        evaluate(None, "x", context=CTX)  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        (
            "portfolio",
            "x",
            "a Portfolio or PortfolioColumns (from tables: batch.columns_from_mapping(...))",
        )
    ]
    with pytest.raises(ValidationError) as info:
        evaluate(5, small(), context=CTX)  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("policy", 5, "a LabPolicy, a recommendation policy or None")
    ]


def test_compare_rejects_bad_lists() -> None:
    with pytest.raises(ValidationError, match="policies"):
        compare([], small(), context=CTX)
    with pytest.raises(ValidationError, match=r"policies\[1\].name"):
        compare([None, None], small(), context=CTX)
    with pytest.raises(ValidationError, match="policy"):
        compare(["x"], small(), context=CTX)  # type: ignore[list-item]


def test_portfolio_must_be_objects_or_columns() -> None:
    with pytest.raises(ValidationError, match="portfolio"):
        evaluate(None, [], context=CTX)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="context"):
        outcome(None, small(), context=None)  # type: ignore[arg-type]


def test_lab_policy_checks() -> None:
    with pytest.raises(ValidationError) as info:
        LabPolicy(
            name="",
            policy="p",  # type: ignore[arg-type]
            catalog="c",  # type: ignore[arg-type]
            per_customer_limit=Money(1, "EUR"),
        )
    assert {p.path for p in info.value.problems} == {
        "name",
        "policy",
        "catalog",
        "per_customer_limit",
    }
    lab = LabPolicy(name="x", policy=CustomerFirstPolicy(), catalog=default_catalog())
    assert LabPolicy.of(lab) is lab


def test_a_broken_response_model_is_named() -> None:
    class Broken:
        name = "broken"

        def stay_probability(self, inputs: Any) -> Any:
            return np.full(inputs.customers, 1.5)

    class Short:
        name = "short"

        def stay_probability(self, inputs: Any) -> Any:  # noqa: ARG002 - ignores them
            return np.ones(1)

    with pytest.raises(ValidationError, match=r"broken.stay_probability\[0\]"):
        evaluate(None, small(), context=CTX, replications=2, response=Broken())
    with pytest.raises(ValidationError, match=r"short\.stay_probability"):
        evaluate(None, small(), context=CTX, replications=2, response=Short())


def test_custom_response_model() -> None:
    report = evaluate(
        CustomerFirstPolicy(),
        small(),
        context=CTX,
        replications=3,
        response=ServiceRecoveryResponse(base_retention=1.0, b2b_damping=0.0),
    )
    assert report.total.retained_customers == Estimate(mean=400.0, low=400.0, high=400.0)
    assert report.response == "service_recovery"


def test_t_quantile() -> None:
    assert t_quantile(0.975, 1) == pytest.approx(12.706, abs=1e-3)
    assert t_quantile(0.975, 2) == pytest.approx(4.303, abs=1e-3)
    assert t_quantile(0.975, 5) == pytest.approx(2.571, rel=0.01)
    assert t_quantile(0.975, 1000) == pytest.approx(1.962, abs=1e-3)


def test_a_budget_funds_what_assess_batch_funds() -> None:
    budget, limit = Money(20_000, "EUR"), Money(3_000, "EUR")
    direct = assess_batch(small(), context=CTX, budget=budget, per_customer_limit=limit)
    actions = direct.actions
    funded = actions["funded"]
    expected = np.bincount(
        actions["customer"][funded], weights=actions["relief"][funded], minlength=400
    )
    lab = LabPolicy(name="b", policy=CustomerFirstPolicy(), budget=budget, per_customer_limit=limit)
    result = outcome(lab, small(), context=CTX)
    np.testing.assert_allclose(result.relief, expected / 100, rtol=1e-12)
    assert result.cost.sum() <= 20_000 + 1e-9


def test_the_callers_columns_are_not_mutated() -> None:
    tables = synthetic_mapping(200, seed=8, as_of=CTX.as_of)
    three = (tables["customers"], tables["orders"], tables["incidents"])
    copies = [{name: array.copy() for name, array in table.items()} for table in three]
    columns = columns_from_mapping(**tables)
    compare([None, CustomerFirstPolicy(), PlaybookPolicy()], columns, context=CTX, replications=2)
    for table, copy in zip(three, copies, strict=True):
        for name, array in table.items():
            np.testing.assert_array_equal(array, copy[name])


def test_an_empty_portfolio() -> None:
    empty = synthetic_columns(0, seed=1, as_of=CTX.as_of)
    result = compare([None, CustomerFirstPolicy()], empty, context=CTX, replications=2)
    for report in result.reports:
        assert report.total.customers == 0
        assert report.total.retained_customers == Estimate(mean=0.0, low=0.0, high=0.0)
        assert report.fairness.parity == 1.0


def test_batch_and_object_path_agree_on_a_catalog_and_a_per_customer_limit() -> None:
    catalog = default_catalog().without("alternative_source", "dedicated_advocate")
    limits = {"budget": Money(20000, "EUR"), "per_customer_limit": Money(3000, "EUR")}
    batch = outcome(
        LabPolicy(name="batch", policy=CustomerFirstPolicy(), catalog=catalog, **limits),
        example_portfolio(),
        context=CTX,
    )
    objects = outcome(
        LabPolicy(
            name="objects", policy=_Wrapped(CustomerFirstPolicy()), catalog=catalog, **limits
        ),
        example_portfolio(),
        context=CTX,
    )
    unlimited = outcome(CustomerFirstPolicy(), example_portfolio(), context=CTX)
    assert not np.array_equal(batch.cost, unlimited.cost)  # the options change the outcome
    assert np.all(batch.cost <= 3000 + 1e-9)
    _assert_same_actions(objects, batch)


def test_the_object_path_reports_its_progress_to_the_end() -> None:
    events: list[ProgressEvent] = []
    outcome(_Wrapped(CustomerFirstPolicy()), small(), context=CTX, progress=events.append)
    assess = [(e.done, e.total) for e in events if e.stage == "assess"]
    assert assess
    total = assess[0][1]
    assert [done for done, _ in assess] == sorted({done for done, _ in assess})
    assert assess[-1] == (total, total)
    assert {e.policy for e in events} == {"wrapped customer_first"}


def test_compare_passes_its_options_to_every_policy_and_defaults_to_20_replications() -> None:
    sure = ServiceRecoveryResponse(base_retention=1.0, b2b_damping=0.0)
    compared = compare([None, CustomerFirstPolicy()], small(), context=CTX, response=sure)
    for report in compared.reports:
        assert (report.replications, report.seed) == (20, 0)
        assert report.total.retained_customers == Estimate(mean=400.0, low=400.0, high=400.0)
    again = compare([None], small(), context=CTX, replications=20, seed=0)
    default = compare([None], small(), context=CTX)
    assert again.to_records() == default.to_records()


def test_compare_keeps_the_given_order_and_runs_the_batch_path_first() -> None:
    events: list[ProgressEvent] = []
    wrapped = _Wrapped(CustomerFirstPolicy())
    compared = compare(
        [wrapped, CustomerFirstPolicy()],
        small(),
        context=CTX,
        replications=2,
        progress=events.append,
    )
    assert [r.policy for r in compared.reports] == ["wrapped customer_first", "customer_first"]
    first_of = {e.policy: i for i, e in reversed(list(enumerate(events)))}
    assert first_of["customer_first"] < first_of["wrapped customer_first"]


def test_compare_names_a_bad_list_of_policies() -> None:
    for policies in ([], [None] * 101, "policies"):
        with pytest.raises(ValidationError) as info:
            compare(policies, small(), context=CTX)  # type: ignore[arg-type]
        assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
            ("policies", policies, "a list of 1 to 100 policies")
        ]
    with pytest.raises(ValidationError) as info:
        compare([None, CustomerFirstPolicy(), None], small(), context=CTX)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("policies[2].name", "do_nothing", "a name no earlier policy has")
    ]
    # An entry that is not a policy is named by its place in the list, and a field of
    # the LabPolicy made of it by its path under that place.
    with pytest.raises(ValidationError) as info:
        compare([None, "customer_first"], small(), context=CTX)  # type: ignore[list-item]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("policies[1]", "customer_first", "a LabPolicy, a recommendation policy or None")
    ]
    with pytest.raises(ValidationError) as info:
        compare([None, _CreditsEveryone(name="   ")], small(), context=CTX)
    assert [p.path for p in info.value.problems] == ["policies[1].name"]


@attrs.frozen
class _CreditsEveryone:
    """A notebook policy that breaks a rule: an outage credit for whatever happened."""

    name: str = "credits everyone"

    def recommend(self, customer: Any, orders: Any, incidents: Any, *_: Any) -> Any:
        first = CustomerFirstPolicy().recommend(customer, orders, incidents, *_)
        wrong = [attrs.evolve(a, code="service_credit_outage") for a in first.actions]
        return attrs.evolve(first, actions=tuple(wrong), policy=self.name)


def test_a_notebook_policy_breaking_a_rule_is_named_with_the_customer() -> None:
    with pytest.raises(ConfigurationError) as info:
        compare([_CreditsEveryone()], example_portfolio(), context=CTX, replications=2)
    head, *rules = str(info.value).splitlines()
    assert re.fullmatch(
        r"policy 'credits everyone' returned a recommendation for customer 'C\d\d' that "
        r"breaks the rules:",
        head,
    )
    assert rules
    assert all("does not apply to" in rule for rule in rules)


# Student's t quantiles, 6 significant digits (standard tables; checked here by integrating
# the t density numerically).
T_TABLE = [
    (0.975, 3, 3.18245),
    (0.975, 5, 2.57058),
    (0.975, 10, 2.22814),
    (0.975, 30, 2.04227),
    (0.95, 3, 2.35336),
    (0.95, 10, 1.81246),
    (0.995, 10, 3.16927),
    (0.9, 4, 1.53321),
    (0.025, 6, -2.44691),
    (0.6, 2, 0.288675),
    (0.99, 1, 31.8205),
]


@pytest.mark.parametrize(("p", "df", "exact"), T_TABLE)
def test_t_quantiles_are_within_the_documented_1_percent(p: float, df: int, exact: float) -> None:
    assert t_quantile(p, df) == pytest.approx(exact, rel=0.01)


def test_t_quantiles_keep_their_expansion_digits() -> None:
    # Every term of the Cornish-Fisher expansion shows in these (3-30 degrees of freedom),
    # and the exact forms for 1 and 2; the median is 0 whatever the degrees.
    pinned = {
        (0.975, 3): 3.158993117851668,
        (0.975, 10): 2.2279719434068133,
        (0.975, 30): 2.042270462888957,
        (0.95, 3): 2.346984470955402,
        (0.995, 10): 3.1679759799155214,
        (0.025, 6): -2.445577899654376,
        (0.6, 2): 0.2886751345948128,
        (0.99, 1): 31.820515953773853,
    }
    for (p, df), value in pinned.items():
        assert t_quantile(p, df) == pytest.approx(value, rel=1e-12)
    assert t_quantile(0.5, 7) == 0.0


def test_a_lab_policy_names_each_bad_field_exactly() -> None:
    with pytest.raises(ValidationError) as info:
        LabPolicy(name="x", policy=5, catalog="c", budget="b", per_customer_limit="l")  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("policy", 5, "None or a recommendation policy (name and recommend)"),
        ("catalog", "c", "None or an ActionCatalog"),
        ("budget", "b", "a Money"),
        ("per_customer_limit", "l", "a Money"),
    ]
    limit = Money(5, "EUR")
    with pytest.raises(ValidationError) as info:
        LabPolicy(name="x", per_customer_limit=limit)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("per_customer_limit", limit, "None unless a budget is given")
    ]


def test_acting_keeps_customers_that_doing_nothing_loses() -> None:
    # The lab's point: the same draws with and without the actions. Twelve customers (the
    # golden comparison) are too few for a difference to show; two thousand are not.
    columns = synthetic_columns(2_000, seed=1, as_of=CTX.as_of)
    nothing, acting = (
        compare([policy], columns, context=CTX, replications=5, seed=3).to_records()[0]
        for policy in (None, CustomerFirstPolicy())
    )
    assert nothing["revenue_saved"] == 0.0
    assert nothing["actioned"] == 0
    assert acting["revenue_saved"] > 0.0
    assert acting["retained_customers"] > nothing["retained_customers"]
    assert acting["retained_revenue"] - nothing["retained_revenue"] == pytest.approx(
        acting["revenue_saved"]
    )


def test_the_response_sees_the_actions_only_when_acting() -> None:
    from custadvocacy.lab._evaluate import _inputs  # noqa: PLC0415 - the one private helper

    result = outcome(CustomerFirstPolicy(), example_portfolio(), context=CTX)
    acting, not_acting = _inputs(result, acted=True), _inputs(result, acted=False)
    assert acting.relief.tolist() == result.relief.tolist()
    assert acting.compensation.tolist() == result.cost.tolist()
    assert acting.proactive.tolist() == result.proactive.tolist()
    assert result.relief.any()
    assert result.cost.any()
    assert result.proactive.any()
    assert not not_acting.relief.any()
    assert not not_acting.compensation.any()
    assert not_acting.proactive.dtype == np.bool_
    assert not not_acting.proactive.any()
    for same in ("loss", "scale", "failures", "health"):
        assert getattr(acting, same).tolist() == getattr(not_acting, same).tolist()


def test_evaluate_defaults_to_20_replications_from_seed_0_and_reports_each_stage() -> None:
    events: list[ProgressEvent] = []
    report = evaluate(None, example_portfolio(), context=CTX, progress=events.append)
    assert (report.replications, report.seed) == (20, 0)
    assert report == evaluate(None, example_portfolio(), context=CTX, replications=20, seed=0)
    assert {e.stage for e in events} == {"assess", "replicate"}


def test_evaluate_passes_its_loss_threshold_to_the_fairness_check() -> None:
    report = evaluate(
        CustomerFirstPolicy(), example_portfolio(), context=CTX, replications=2, loss_threshold=5.0
    )
    assert report.fairness.threshold == 5.0


def test_a_loss_under_one_unit_counts_as_harmed() -> None:
    portfolio = example_portfolio()
    incident = next(i for i in portfolio.incidents if i.id == "INC-1201")
    tiny = attrs.evolve(incident, amount=Money("0.50", "GBP"), effort_hours=0.001)
    customer = next(c for c in portfolio.customers if c.id == incident.customer_id)
    report = evaluate(
        None, Portfolio(customers=(customer,), incidents=(tiny,)), context=CTX, replications=2
    )
    assert 0 < report.total.loss < 1
    assert report.total.harmed == 1


def test_a_comparison_table_has_no_trailing_spaces_and_takes_up_to_100_policies() -> None:
    many = [LabPolicy(name=f"nothing {i}") for i in range(100)]
    compared = compare(many, example_portfolio(), context=CTX, replications=2)
    lines = compared.table().splitlines()
    assert len(lines) == 101
    assert all(line == line.rstrip() for line in lines)
    assert lines[1].startswith("nothing 0 ")


class _WrongWithoutActions:
    """A host's response model that is wrong only for the do-nothing baseline."""

    name = "baseline bug"

    def stay_probability(self, inputs: Any) -> Any:
        nothing = not np.any(inputs.compensation > 0)
        return np.full(inputs.loss.shape[0], 1.5 if nothing else 0.5)


def test_a_response_model_wrong_for_the_baseline_is_named() -> None:
    with pytest.raises(ValidationError) as info:
        evaluate(
            CustomerFirstPolicy(),
            example_portfolio(),
            context=CTX,
            replications=2,
            response=_WrongWithoutActions(),
        )
    assert info.value.problems[0].path.startswith("baseline bug.stay_probability")


def test_a_progress_event_counts_up_to_a_trillion_steps() -> None:
    with pytest.raises(ValidationError) as info:
        ProgressEvent(policy="p", stage="assess", done=0, total=10**12 + 1)
    assert str(info.value) == (
        "1 problem:\n  total: expected a whole number from 0 to 1e+12, got 1000000000001"
    )


class _PlainBar:
    """A bar with a total and update() but no refresh() or set_description()."""

    def __init__(self) -> None:
        self.total = 0
        self.updates: list[int] = []

    def update(self, n: int = 1) -> None:
        self.updates.append(n)


def test_a_bar_without_refresh_is_fed_only_the_steps_made() -> None:
    bar = _PlainBar()
    callback = tqdm_progress(bar)
    for done in (0, 1, 1, 3):
        callback(ProgressEvent(policy="p", stage="replicate", done=done, total=3))
    assert (bar.total, bar.updates) == (3, [1, 2])  # no update(0) for a repeated step


@attrs.frozen
class _Failing:
    """A host's policy with a bug: a lookup that fails for one customer."""

    name: str = "failing"

    def recommend(self, customer: Any, *_: Any) -> Any:
        return {}[customer.id]  # a KeyError, as a host's lookup table may raise


def test_a_host_policy_failing_in_the_lab_says_which_policy_and_customer() -> None:
    with pytest.raises(KeyError) as info:
        evaluate(_Failing(), example_portfolio(), context=CTX, replications=2, seed=1)
    [note] = info.value.__notes__
    assert re.fullmatch(
        r"while the lab ran policy 'failing' for customer 'C\d\d' \(customers row \d+\)", note
    )


def test_the_rows_order_changes_no_figure_of_a_report() -> None:
    # The same extract tomorrow in another order must give the same numbers for the seed.
    tables = synthetic_mapping(300, seed=11)
    flipped = {
        "customers": {name: np.asarray(v)[::-1] for name, v in tables["customers"].items()},
        "orders": tables["orders"],
        "incidents": tables["incidents"],
    }
    reports = [
        evaluate(None, columns_from_mapping(**t), context=CTX, replications=5, seed=3)
        for t in (tables, flipped)
    ]
    first, second = (report.to_records() for report in reports)
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        # The same draws: equal but for the order the sums add them in.
        texts = {k: v for k, v in a.items() if isinstance(v, str)}
        assert texts == {k: v for k, v in b.items() if isinstance(v, str)}
        numbers = {k: v for k, v in a.items() if not isinstance(v, str)}
        assert numbers == pytest.approx({k: b[k] for k in numbers}, rel=1e-12, abs=1e-9)
