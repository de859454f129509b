"""The batch budget and the partition entry points: reasons, arguments and plug-ins.

The batch allocation's totals are compared with the object path's in
test_batch_equivalence.py; here, each action's *reason* is compared too (the mutation run
found the reason codes untested: swapping two of them survived), and every problem a bad
budget argument gets is pinned, path, value and expectation, as the object path's are in
test_policies_budget.py. `assess_partition` is held to `assess_batch` given the same
plug-ins (the Dask test, which runs it in a cluster, is left out of mutation runs).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest
from _budget_cases import recommendation

from custadvocacy import (
    AdvocacyScorer,
    DelayPrior,
    EmpiricalLeadTimeModel,
    IncidentKind,
    Money,
    ScorerConfig,
    ScoreWeights,
    ValidationError,
    assess_portfolio,
    default_estimators,
)
from custadvocacy._policies import _budget as policies_budget
from custadvocacy.batch import (
    BatchBudget,
    BatchResult,
    BatchValidationError,
    allocate_actions,
    assess_batch,
    assess_partition,
    columns_from_mapping,
    columns_from_objects,
    synthetic_mapping,
)
from custadvocacy.batch import _run as batch_run
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import (
    ActionCatalog,
    BudgetAllocation,
    CustomerFirstPolicy,
    PolicyConfigError,
    PolicySettings,
    allocate_budget,
    default_catalog,
)

CONTEXT = example_context()
PORTFOLIO = example_portfolio()
COLUMNS = columns_from_objects(PORTFOLIO)
RECOMMENDATIONS = [
    a.recommendation for a in assess_portfolio(PORTFOLIO, context=CONTEXT).assessments
]

Found = list[tuple[str, object, str]]

# How the object path words each reason, in the order of BatchBudget.REASONS.
_OBJECT_REASONS = (
    "funded",
    "costs more than the per-action limit",
    "relieves no measured loss",
    "costs more than the per-customer limit",
    "left out: the budget or the customer's limit is spent",
)


def _object_reasons(allocation: BudgetAllocation) -> list[tuple[str, int, int]]:
    return sorted(
        (
            item.customer_id,
            item.action.rank,
            next(k for k, text in enumerate(_OBJECT_REASONS) if item.reason.startswith(text)),
        )
        for item in (*allocation.funded, *allocation.unfunded)
    )


def _batch_reasons(result: BatchResult) -> list[tuple[str, int, int]]:
    assert result.budget is not None
    actions = result.actions
    return sorted(
        (str(result.customers["id"][customer]), int(rank), int(reason))
        for customer, rank, reason in zip(
            actions["customer"], actions["rank"], result.budget.reason, strict=True
        )
    )


@pytest.mark.parametrize(
    ("budget", "per_customer", "per_action"),
    [
        ("8000", "3000", "7000"),  # every reason: over each limit, nothing relieved, left out
        ("30000", None, None),
        ("0", None, "1000"),
        ("1000000", "2500", None),
    ],
)
def test_each_actions_reason_is_the_object_paths(
    budget: str, per_customer: str | None, per_action: str | None
) -> None:
    options: dict[str, Any] = {
        "budget": Money(budget, "EUR"),
        "per_customer_limit": None if per_customer is None else Money(per_customer, "EUR"),
        "per_action_limit": None if per_action is None else Money(per_action, "EUR"),
    }
    want = _object_reasons(allocate_budget(RECOMMENDATIONS, **options))
    result = assess_batch(COLUMNS, context=CONTEXT, **options)
    assert _batch_reasons(result) == want
    assert result.budget is not None
    funded = result.budget.reason == 0
    np.testing.assert_array_equal(result.budget.funded, funded)
    np.testing.assert_array_equal(result.actions["funded"], funded)
    assert result.budget.reason.dtype == np.int8


def test_the_example_reaches_every_reason() -> None:
    result = assess_batch(
        COLUMNS,
        context=CONTEXT,
        budget=Money("8000", "EUR"),
        per_customer_limit=Money("3000", "EUR"),
        per_action_limit=Money("7000", "EUR"),
    )
    assert result.budget is not None
    assert sorted(set(result.budget.reason.tolist())) == [0, 1, 2, 3, 4]
    assert BatchBudget.REASONS[2] == "relieves nothing"


def test_an_amount_between_cents_is_rounded_down_to_whole_cents() -> None:
    # As in the object path: 0.9 of a cent is no room for an action costing 1 cent
    # (rounded to the nearest cent it would be).
    one_cent = {
        "customer_id": np.array([7, 8]),
        "rank": np.array([1, 1]),
        "relief": np.array([500, 0]),
        "cost": np.array([1, 0]),
    }
    for limit in ("per_customer_limit", "per_action_limit"):
        below: dict[str, Any] = {limit: Money("0.009", "EUR")}
        over = allocate_actions(one_cent, Money("5", "EUR"), **below)
        assert over.funded.tolist() == [False, True]
        cent: dict[str, Any] = {limit: Money("0.01", "EUR")}
        assert allocate_actions(one_cent, Money("5", "EUR"), **cent).funded.tolist() == [True, True]
    assert allocate_actions(one_cent, Money("0.009", "EUR")).funded.tolist() == [False, True]
    assert allocate_actions(one_cent, Money("0.01", "EUR")).funded.tolist() == [True, True]


def _problems(**options: Any) -> Found:
    with pytest.raises(PolicyConfigError) as info:
        assess_batch(COLUMNS, context=CONTEXT, **options)
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_bad_budget_arguments_are_each_named() -> None:
    eur = Money(100, "EUR")
    assert _problems(budget=5) == [("budget", 5, "a Money")]
    assert _problems(budget=Money(100, "GBP")) == [
        ("budget.currency", "GBP", "'EUR' (the reporting currency)")
    ]
    assert _problems(
        budget=eur, per_customer_limit=Money(1, "GBP"), per_action_limit=5, exact_limit=41
    ) == [
        ("per_customer_limit.currency", "GBP", "'EUR' (the budget's currency)"),
        ("per_action_limit", 5, "a Money"),
        ("exact_limit", 41, "a whole number from 0 to 40"),
    ]
    assert _problems(budget=eur, per_customer_limit="1", per_action_limit=Money(1, "USD")) == [
        ("per_customer_limit", "1", "a Money"),
        ("per_action_limit.currency", "USD", "'EUR' (the budget's currency)"),
    ]
    for bad in (-1, 2.5, True, "3"):
        assert _problems(budget=eur, exact_limit=bad) == [
            ("exact_limit", bad, "a whole number from 0 to 40")
        ]
    assert assess_batch(COLUMNS, context=CONTEXT, budget=eur, exact_limit=40).budget is not None
    assert assess_batch(COLUMNS, context=CONTEXT, budget=eur, exact_limit=0).budget is not None


def test_a_bad_budget_is_refused_before_any_row_is_assessed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_work(*_args: object) -> None:
        raise AssertionError("a chunk was assessed before the budget was checked")

    monkeypatch.setattr(batch_run, "_run_chunk", no_work)
    with pytest.raises(PolicyConfigError):
        assess_batch(COLUMNS, context=CONTEXT, budget=Money(100, "GBP"))
    with pytest.raises(PolicyConfigError):
        assess_batch(COLUMNS, context=CONTEXT, budget=Money(100, "EUR"), exact_limit=99)


ACTIONS = assess_partition(**synthetic_mapping(30, seed=3), context=CONTEXT, table="actions")
ROWS = len(ACTIONS["customer_id"])


def _action_problems(actions: Any, budget: Any = None, **options: Any) -> Found:
    with pytest.raises(ValidationError) as info:
        allocate_actions(actions, Money(1000, "EUR") if budget is None else budget, **options)
    return [(p.path, p.value, p.expected) for p in info.value.problems]


def test_allocate_actions_names_its_bad_arguments_too() -> None:
    found = _action_problems(ACTIONS, per_action_limit=Money(1, "GBP"), exact_limit=-1)
    assert found == [
        ("per_action_limit.currency", "GBP", "'EUR' (the budget's currency)"),
        ("exact_limit", -1, "a whole number from 0 to 40"),
    ]
    assert _action_problems(ACTIONS, budget=7) == [("budget", 7, "a Money")]
    allocation = allocate_actions(ACTIONS, Money("30000", "EUR"))
    want = assess_batch(
        columns_from_mapping(**synthetic_mapping(30, seed=3)),
        context=CONTEXT,
        budget=Money("30000", "EUR"),
    ).budget
    assert want is not None
    assert (allocation.spent, allocation.relief, allocation.method) == (
        want.spent,
        want.relief,
        want.method,
    )


_WHOLE = "a whole number from {} to {:g}"
_UNITS = _WHOLE.format(0, 1e15)


@pytest.mark.parametrize(
    ("column", "values", "problems"),
    [
        ("relief", [1.5], [("actions.relief[0]", 1.5, _UNITS)]),
        ("cost", [-3], [("actions.cost[0]", -3, _UNITS)]),
        ("cost", [10**15 + 1], [("actions.cost[0]", 10**15 + 1, _UNITS)]),
        ("relief", [2**53 + 1], [("actions.relief[0]", 2**53 + 1, _UNITS)]),
        ("cost", [float("nan")], [("actions.cost[0]", float("nan"), _UNITS + " (required)")]),
        ("cost", [None], [("actions.cost[0]", None, _UNITS + " (required)")]),
        ("relief", [2**70], [("actions.relief[0]", 2**70, _UNITS)]),
        ("rank", [0], [("actions.rank[0]", 0, _WHOLE.format(1, 1e6))]),
        ("rank", ["1"], [("actions.rank[0]", "1", _WHOLE.format(1, 1e6))]),
    ],
)
def test_a_bad_cell_of_an_actions_number_column_is_named(
    column: str, values: list[object], problems: Found
) -> None:
    cells = np.array(values + list(ACTIONS[column][len(values) :]), dtype=object)
    found = _action_problems({**ACTIONS, column: cells})
    assert len(found) == len(problems)
    for (path, value, expected), (want_path, want_value, want_expected) in zip(
        found, problems, strict=True
    ):
        assert (path, expected) == (want_path, want_expected)
        assert value == want_value or (math.isnan(value) and math.isnan(want_value))  # type: ignore[arg-type]


def test_the_actions_columns_must_be_whole_numbers_of_one_length() -> None:
    assert _action_problems({**ACTIONS, "cost": np.array(["x"] * ROWS)}) == [
        ("actions.cost", "<U1", "numbers (not booleans or text)")
    ]
    assert _action_problems({**ACTIONS, "rank": ACTIONS["rank"][:-1]}) == [
        ("actions.rank", f"shape ({ROWS - 1},)", f"a 1-d column of {ROWS} rows, like 'customer_id'")
    ]
    # Found by fuzz/run.py (batch_columns): a 2-d column was a bare numpy ValueError.
    assert _action_problems({**ACTIONS, "cost": np.zeros((ROWS, 2))}) == [
        ("actions.cost", f"shape ({ROWS}, 2)", f"a 1-d column of {ROWS} rows, like 'customer_id'")
    ]
    assert _action_problems({**ACTIONS, "relief": [[1], [2, 3]] * (ROWS // 2)}) == [
        ("actions.relief", "ValueError", "a 1-d column of scalars")
    ]
    # Each allowed, together beyond what int64 sums hold (4e18 in any currency) or, in
    # yen, beyond what Money holds (1e18 yen: no minor unit).
    many = {name: np.tile(values, 25) for name, values in ACTIONS.items()}
    big = np.full(25 * ROWS, 1e15)
    total = f"a total of {25 * ROWS * 1e15:g}"
    assert _action_problems({**many, "relief": big, "cost": big}) == [
        ("actions.relief", total, "a total of at most 4e+18 (minor units)"),
        ("actions.cost", total, "a total of at most 4e+18 (minor units)"),
    ]
    ten = {name: np.tile(values, 10) for name, values in ACTIONS.items()}
    yen = {**ten, "relief": np.full(10 * ROWS, 1e15), "cost": np.zeros(10 * ROWS)}
    yen_total = f"a total of {10 * ROWS * 1e15:g}"
    assert _action_problems(yen, Money(100, "JPY")) == [
        ("actions.relief", yen_total, "a total of at most 1e+18 (minor units)")
    ]
    assert allocate_actions(yen, Money(100, "EUR")).relief.currency == "EUR"
    missing = {k: v for k, v in ACTIONS.items() if k not in {"rank", "cost"}}
    assert _action_problems(missing) == [
        ("actions.rank", None, "a column of the actions table"),
        ("actions.cost", None, "a column of the actions table"),
    ]
    # Whole floats (a pandas column that once held a NaN) are read as the integers.
    floats = {**ACTIONS, "relief": ACTIONS["relief"].astype(float), "rank": ACTIONS["rank"] * 1.0}
    assert (
        allocate_actions(floats, Money(1000, "EUR")).relief
        == allocate_actions(ACTIONS, Money(1000, "EUR")).relief
    )


def test_an_allocation_reads_as_its_figures() -> None:
    assert repr(allocate_actions(ACTIONS, Money(5000, "EUR"))) == (
        "BatchBudget(budget=5,000.00 EUR, spent=4,999.41 EUR, relief=62,770.34 EUR, "
        "funded=58, greedy, gap=7,319.21 EUR)"
    )


def test_an_empty_actions_table_funds_nothing_whatever_its_id_dtype() -> None:
    # Found by review (and by the batch_columns fuzz target): empty text ids raised a bare
    # numpy TypeError.
    none = np.zeros(0, np.int64)
    for ids in (np.array([], str), np.array([], object), none):
        empty = {"customer_id": ids, "rank": none, "relief": none, "cost": none}
        allocation = allocate_actions(empty, Money(100, "EUR"))
        assert (allocation.funded.tolist(), allocation.spent) == ([], Money("0.00", "EUR"))


def test_a_two_dimensional_id_column_is_the_one_named() -> None:
    flat = {name: values[:3] for name, values in ACTIONS.items()}
    found = _action_problems({**flat, "customer_id": np.zeros((3, 2), np.int64)})
    assert found == [
        ("actions.customer_id", "shape (3, 2)", "a 1-d column of 3 rows, like 'customer_id'")
    ]


def test_a_partition_is_assessed_with_its_plug_ins_and_named_columns() -> None:
    tables = synthetic_mapping(40, seed=9)
    scorer = AdvocacyScorer(config=ScorerConfig(weights=ScoreWeights(harm=0.9, unresolved=0.0)))
    plugins: dict[str, Any] = {
        "estimators": default_estimators().without(IncidentKind.DEFECT),
        "scorer": scorer,
        "policy": CustomerFirstPolicy(settings=PolicySettings(max_actions=2)),
        "catalog": default_catalog().without("replacement"),
        "lead_time_model": EmpiricalLeadTimeModel(prior=DelayPrior(late_share=0.5)),
    }
    whole = assess_batch(columns_from_mapping(**tables), context=CONTEXT, **plugins)
    part = assess_partition(**tables, context=CONTEXT, chunk_size=7, **plugins)
    assert part["customer_id"].tolist() == whole.customers["id"].tolist()
    for name in ("score", "expected_loss", "risk", "relief", "cost", "actions"):
        np.testing.assert_array_equal(part[name], whole.customers[name])
    codes = [*whole.action_codes, ""]
    assert part["top_action"].tolist() == [codes[k] for k in whole.customers["top_action"]]
    actions = assess_partition(**tables, context=CONTEXT, table="actions", **plugins)
    assert list(actions) == ["customer_id", "rank", "action", "relief", "cost", "needs_approval"]
    assert actions["action"].tolist() == [
        whole.action_codes[k] for k in whole.actions["action"].tolist()
    ]
    assert max(actions["rank"].tolist()) <= 2
    plain = assess_partition(**tables, context=CONTEXT)
    assert not np.array_equal(plain["score"], part["score"])


def test_a_partitions_table_and_unknown_columns() -> None:
    tables = synthetic_mapping(3, seed=1)
    with pytest.raises(ValidationError) as info:
        assess_partition(**tables, context=CONTEXT, table="orders")  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("table", "orders", "'customers', 'actions' or 'dropped'")
    ]
    for table, on_invalid in (("customers", "raise"), ("customers", "drop"), ("dropped", "raise")):
        with pytest.raises(ValidationError) as info:
            assess_partition(**tables, context=None, table=table, on_invalid=on_invalid)  # type: ignore[arg-type]
        assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
            ("context", None, "a Context")
        ]
    with pytest.raises(ValidationError) as info:
        assess_partition(**tables, context=CONTEXT, table="dropped", on_invalid="skip")  # type: ignore[arg-type]
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
        ("on_invalid", "skip", "'raise' or 'drop'")
    ]
    extra: dict[str, Any] = {**tables, "customers": {**tables["customers"], "index": np.arange(3)}}
    assert assess_partition(**extra, context=CONTEXT)["customer_id"].tolist() == [0, 1, 2]
    with pytest.raises(BatchValidationError):
        assess_partition(**extra, context=CONTEXT, unknown="reject")
    empty = assess_partition(
        **synthetic_mapping(1, seed=5), context=CONTEXT, table="actions",
        catalog=ActionCatalog(actions=()),
    )  # fmt: skip
    assert empty["action"].tolist() == []
    assert empty["action"].dtype == object


def test_a_partitions_bad_rows_are_dropped_on_request_and_listed_by_id() -> None:
    # The nightly job: one bad row must not fail the whole partition, and what was left
    # out must be known by the ids the warehouse uses, not by a row of a partition.
    tables = synthetic_mapping(6, seed=2)
    value = tables["customers"]["annual_value"].copy()
    value[1] = -5.0
    share = tables["incidents"]["affected_share"].copy()
    share[0] = 1.5
    bad: dict[str, Any] = {
        "customers": {**tables["customers"], "annual_value": value},
        "orders": tables["orders"],
        "incidents": {**tables["incidents"], "affected_share": share},
    }
    with pytest.raises(BatchValidationError):
        assess_partition(**bad, context=CONTEXT)
    kept = assess_partition(**bad, context=CONTEXT, on_invalid="drop")
    columns = columns_from_mapping(**bad, on_invalid="drop")
    whole = assess_batch(columns, context=CONTEXT)
    assert kept["customer_id"].tolist() == whole.customers["id"].tolist()
    assert 1 not in kept["customer_id"].tolist()
    np.testing.assert_array_equal(kept["score"], whole.customers["score"])
    actions = assess_partition(**bad, context=CONTEXT, on_invalid="drop", table="actions")
    assert 1 not in actions["customer_id"].tolist()
    dropped = assess_partition(**bad, context=CONTEXT, table="dropped")
    assert list(dropped) == ["table", "row", "id", "column", "value", "expected"]
    rows = list(zip(*(dropped[name].tolist() for name in dropped), strict=True))
    assert [row[:2] + row[3:4] for row in rows] == [
        (p.table, p.row, p.column) for p in columns.dropped
    ]  # the bad cells, and the orders and incidents of the customer left out
    ids = {
        "customers": tables["customers"]["id"].tolist(),
        "orders": tables["orders"]["id"].tolist(),
        "incidents": tables["incidents"]["id"].tolist(),
    }
    assert all(row[2] == str(ids[row[0]][row[1]]) for row in rows)
    assert rows[0] == ("customers", 1, "1", "annual_value", "-5.0", "an amount from 0 to 1e+18")
    first = str(ids["incidents"][0])
    assert ("incidents", 0, first, "affected_share", "1.5", "a number from 0 to 1") in rows
    assert rows[1][3:] == (
        "customer_id", "1", "the id of a customer that is kept (customers row 1 was dropped)"
    )  # fmt: skip
    assert dropped["row"].dtype == np.int64
    pd: Any = pytest.importorskip("pandas")
    framed = {name: pd.DataFrame(columns) for name, columns in bad.items()}
    listed = assess_partition(**framed, context=CONTEXT, table="dropped")
    assert isinstance(listed, pd.DataFrame)
    assert listed.to_dict("list") == {name: dropped[name].tolist() for name in dropped}
    clean = assess_partition(**tables, context=CONTEXT, table="dropped")
    assert list(clean) == list(dropped)
    assert all(len(column) == 0 for column in clean.values())
    assert clean["table"].dtype == object


def test_a_currency_without_a_rate_is_a_bad_row_a_partition_can_drop() -> None:
    # A new account in a currency the context has no rate for must not stop the night.
    tables = synthetic_mapping(6, seed=1)
    customers = tables["customers"]
    currency = np.where(customers["id"] == 1, "USD", customers["currency"])
    orders = tables["orders"]
    order_currency = np.where(orders["customer_id"] == 1, "USD", orders["currency"])
    given: dict[str, Any] = {
        "customers": {**customers, "currency": currency},
        "orders": {**orders, "currency": order_currency},
        "incidents": tables["incidents"],
    }
    assert "USD" not in CONTEXT.rates.currencies()
    with pytest.raises(BatchValidationError) as info:
        assess_partition(**given, context=CONTEXT)
    assert info.value.paths[0] == "customers.currency[1]"
    kept = assess_partition(**given, context=CONTEXT, on_invalid="drop")
    assert kept["customer_id"].tolist() == [0, 2, 3, 4, 5]
    others: dict[str, Any] = {name: dict(columns) for name, columns in given.items()}
    mine = {
        "customers": customers["id"] != 1,
        "orders": orders["customer_id"] != 1,
        "incidents": tables["incidents"]["customer_id"] != 1,
    }
    for name, keep in mine.items():
        others[name] = {column: values[keep] for column, values in given[name].items()}
    alone = assess_partition(**others, context=CONTEXT)
    np.testing.assert_array_equal(kept["score"], alone["score"])
    dropped = assess_partition(**given, context=CONTEXT, table="dropped")
    first = {name: dropped[name][0] for name in ("table", "row", "id", "column", "value")}
    assert first == {
        "table": "customers", "row": 1, "id": "1", "column": "currency", "value": "USD"
    }  # fmt: skip
    assert dropped["expected"][0] == info.value.problems[0].expected
    assert set(dropped["table"].tolist()) >= {"customers", "orders"}
    assert len(assess_partition(**others, context=CONTEXT, table="dropped")["row"]) == 0


@pytest.mark.parametrize("table", ["customers", "actions", "dropped"])
def test_an_empty_and_a_full_partition_give_the_same_column_types(table: Any) -> None:
    # Dask's meta is the function run on empty frames: every partition must match it,
    # or writing the result (to_parquet) or concatenating pyarrow tables fails.
    pd: Any = pytest.importorskip("pandas")
    pa: Any = pytest.importorskip("pyarrow")
    tables = synthetic_mapping(8, seed=3)
    share = tables["incidents"]["affected_share"].copy()
    share[0] = 1.5  # one bad row: the dropped table has a row
    full = {**tables, "incidents": {**tables["incidents"], "affected_share": share}}
    frames = {name: pd.DataFrame(columns) for name, columns in full.items()}
    empty = {name: frame.iloc[:0] for name, frame in frames.items()}
    kw: dict[str, Any] = {"context": CONTEXT, "table": table, "on_invalid": "drop"}
    some, none = assess_partition(**frames, **kw), assess_partition(**empty, **kw)
    assert len(some) > 0
    assert len(none) == 0
    assert some.dtypes.to_dict() == none.dtypes.to_dict()
    arrow = {name: pa.Table.from_pandas(frame) for name, frame in frames.items()}
    arrow_empty = {name: tbl.slice(0, 0) for name, tbl in arrow.items()}
    assert assess_partition(**arrow, **kw).schema == assess_partition(**arrow_empty, **kw).schema


def test_the_dropped_tables_ids_read_as_the_intake_reads_them() -> None:
    # Whole floats (an int column with a gap, read from parquet) are the ids 1, 2...;
    # a missing id is empty, however the frame spells it.
    tables = synthetic_mapping(4, seed=1)
    ids = tables["customers"]["id"].astype(np.float64)
    segment = np.array(["small", "huge", "small", "small"])
    customers = {**tables["customers"], "id": ids, "segment": segment}
    dropped = assess_partition(customers, context=CONTEXT, table="dropped")
    assert dropped["id"].tolist() == ["1"]
    ids[2] = np.nan
    gap = assess_partition({**customers, "id": ids}, context=CONTEXT, table="dropped")
    assert dict(zip(gap["row"].tolist(), gap["id"].tolist(), strict=True)) == {1: "1", 2: ""}
    pd: Any = pytest.importorskip("pandas")
    frame = pd.DataFrame({**customers, "id": pd.array([0, 1, None, 3], dtype="Int64")})
    listed = assess_partition(frame, context=CONTEXT, table="dropped")
    assert dict(zip(listed["row"], listed["id"], strict=True)) == {1: "1", 2: ""}
    texts = pd.DataFrame({**customers, "id": ["a", "b", None, "d"]})
    listed = assess_partition(texts, context=CONTEXT, table="dropped")
    assert dict(zip(listed["row"], listed["id"], strict=True)) == {1: "b", 2: ""}


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text")

    def __repr__(self) -> str:
        return "<unprintable>"


def test_the_dropped_table_shows_a_cell_whose_text_raises_by_its_repr() -> None:
    # A pandas object column may hold anything: the listing must not fail on it.
    tables = synthetic_mapping(3, seed=1)
    ids = np.array([0, _Unprintable(), 2], dtype=object)
    dropped = assess_partition({**tables["customers"], "id": ids}, context=CONTEXT, table="dropped")
    assert (dropped["row"].tolist(), dropped["id"].tolist()) == ([1], ["<unprintable>"])
    assert dropped["value"].tolist() == ["<unprintable>"]


def test_a_partition_of_pyarrow_tables_gives_a_pyarrow_table_of_the_same_results() -> None:
    pa: Any = pytest.importorskip("pyarrow")
    tables = synthetic_mapping(20, seed=4)
    arrow = {name: pa.table(columns) for name, columns in tables.items()}
    for table in ("customers", "actions", "dropped"):
        plain = assess_partition(**tables, context=CONTEXT, table=table)
        result = assess_partition(**arrow, context=CONTEXT, table=table)
        assert isinstance(result, pa.Table)
        assert result.column_names == list(plain)
        for name in result.column_names:
            assert result.column(name).to_pylist() == np.asarray(plain[name]).tolist()


def test_a_small_actions_table_funds_as_the_object_path_even_when_the_search_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # C's action costs a cent and relieves nothing; the rest need a search, which stops.
    actions = {
        "customer_id": np.array(["A", "A", "B", "B", "C"]),
        "rank": np.array([1, 2, 1, 2, 1]),
        "relief": np.array([1000, 600, 300, 200, 0]),
        "cost": np.array([1000, 500, 400, 100, 1]),
    }
    nothing = allocate_actions(actions, Money("0", "EUR"))  # solved exactly: none fits
    assert (nothing.method, int(nothing.funded.sum())) == ("exact", 0)
    budget = Money("10", "EUR")
    monkeypatch.setattr(policies_budget, "_NODE_LIMIT", 3)
    allocation = allocate_actions(actions, budget)
    assert (allocation.currency, allocation.budget) == ("EUR", budget)
    assert (allocation.method, allocation.optimal) == ("greedy", False)
    assert BatchBudget.REASONS[allocation.reason[4]] == "relieves nothing"
    pairs = {"A": [(1000, 1000), (600, 500)], "B": [(300, 400), (200, 100)], "C": [(0, 1)]}
    want = allocate_budget([recommendation(c, p) for c, p in pairs.items()], budget)
    assert want.method == "greedy"
    rows = zip(actions["customer_id"], actions["rank"], allocation.funded, strict=True)
    funded = [(str(c), int(r)) for c, r, f in rows if f]
    assert sorted(funded) == sorted((i.customer_id, i.action.rank) for i in want.funded)
    assert (allocation.spent, allocation.relief) == (want.spent, want.relief)


def test_interleaved_customers_keep_their_own_per_customer_limit() -> None:
    # The rows of A and B alternate: each customer's rows are found by its id, not by
    # where they stand, and each gets its own limit (40 cents: its best action only).
    actions = {
        "customer_id": np.array(["A", "B", "A", "B", "A"]),
        "rank": np.array([1, 1, 2, 2, 3]),
        "relief": np.array([900, 800, 700, 600, 500]),
        "cost": np.array([40, 40, 30, 30, 20]),
    }
    budget, limit = Money("10", "EUR"), Money("0.40", "EUR")
    allocation = allocate_actions(actions, budget, per_customer_limit=limit)
    pairs = {"A": [(900, 40), (700, 30), (500, 20)], "B": [(800, 40), (600, 30)]}
    want = allocate_budget(
        [recommendation(c, p) for c, p in pairs.items()], budget, per_customer_limit=limit
    )
    rows = zip(actions["customer_id"], actions["rank"], allocation.funded, strict=True)
    funded = sorted((str(c), int(r)) for c, r, f in rows if f)
    assert funded == sorted((i.customer_id, i.action.rank) for i in want.funded)
    assert funded == [("A", 1), ("B", 1)]


@pytest.mark.parametrize("kind", [dict, OrderedDict, MappingProxyType])
def test_a_partition_of_any_mapping_gives_a_plain_dict(kind: Any) -> None:
    tables = {name: kind(columns) for name, columns in synthetic_mapping(5, seed=2).items()}
    for table in ("customers", "actions"):
        result = assess_partition(**tables, context=CONTEXT, table=table)
        assert type(result) is dict


def test_a_partitions_chunk_size_is_checked() -> None:
    with pytest.raises(ValidationError) as info:
        assess_partition(**synthetic_mapping(3, seed=1), context=CONTEXT, chunk_size=0)
    assert [p.path for p in info.value.problems] == ["chunk_size"]


def test_a_budget_that_is_no_money_is_named_without_noise_about_the_limits() -> None:
    # Its currency is unknown: the limits' currencies are not compared with ''.
    actions = {
        "customer_id": np.array(["A"]),
        "rank": np.array([1]),
        "relief": np.array([1]),
        "cost": np.array([1]),
    }
    with pytest.raises(ValidationError) as info:
        allocate_actions(actions, None, per_customer_limit=Money(1, "EUR"))  # type: ignore[arg-type]
    assert [(p.path, p.value) for p in info.value.problems] == [("budget", None)]
