"""Reading a portfolio's columns: encodings, one grouped error for every bad row, dropping."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from _payloads import NoOffset
from hypothesis import example, given
from hypothesis import strategies as st

from custadvocacy import Money, Problem, ValidationError
from custadvocacy._checks import MAX_ID_LENGTH, MAX_NAME_LENGTH
from custadvocacy.batch import (
    MISSING_MOMENT,
    SCHEMA,
    BatchValidationError,
    PortfolioColumns,
    PortfolioTables,
    RowProblem,
    Table,
    assess_batch,
    columns_from_mapping,
    columns_from_objects,
    synthetic_mapping,
)
from custadvocacy.batch._encode import MAX_MOMENT_US, MIN_MOMENT_US, is_missing, text_rank
from custadvocacy.batch._intake._read import _aware_pandas_moments
from custadvocacy.batch._objects import groups_of
from custadvocacy.batch._schema import spec
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.testing.strategies import contexts, portfolios


def _tables() -> PortfolioTables:
    """Three customers, three orders, four incidents: every row valid."""
    day = np.timedelta64(1, "D")
    start = np.datetime64("2026-11-01T09:00", "s")
    return {
        "customers": {
            "id": np.array([10, 20, 30]),
            "segment": np.array(["small", "mid_market", "enterprise"]),
            "currency": np.array(["EUR", "CZK", "GBP"]),
            "annual_value": np.array([100_000.0, 2_500_000.0, 300_000.0]),
            "daily_revenue": np.array([8000.0, np.nan, 50_000.0]),
            "nps": np.array([7.0, np.nan, 3.0]),
        },
        "orders": {
            "id": np.array([1, 2, 3]),
            "customer_id": np.array([10, 10, 30]),
            "placed_at": np.array([start, start, start]),
            "promised_at": np.array([start + 5 * day, start + 9 * day, start + 4 * day]),
            "value": np.array([25_000.0, 4_000.0, 9_000.0]),
            "currency": np.array(["EUR", "EUR", "GBP"]),
            "delivered_at": np.array([start + 8 * day, np.datetime64("NaT"), start + 4 * day]),
        },
        "incidents": {
            "id": np.array([100, 101, 102, 103]),
            "customer_id": np.array([10, 20, 30, 30]),
            "kind": np.array(["late_delivery", "service_outage", "billing_error", "defect"]),
            "opened_at": np.array([start + 5 * day, start, start + 2 * day, start + 3 * day]),
            "order_id": np.array([1, -1, -1, 3]),
            "affected_share": np.array([1.0, 0.5, 1.0, 0.25]),
            "amount": np.array([np.nan, np.nan, 1200.0, np.nan]),
        },
    }


def test_a_valid_mapping_reads_into_the_canonical_columns() -> None:
    columns = columns_from_mapping(**_tables())
    assert isinstance(columns, PortfolioColumns)
    assert columns.currencies == ("CZK", "EUR", "GBP")
    assert columns.orders["customer"].tolist() == [0, 0, 2]
    assert columns.incidents["order"].tolist() == [0, -1, -1, 2]
    assert columns.incidents["severity"].tolist() == [1, 1, 1, 1]  # medium by default
    assert columns.orders["delivered_at"][1] == MISSING_MOMENT
    assert columns.customers["segment"].tolist() == [0, 1, 2]
    assert columns.dropped == ()
    assert "3 incidents" not in repr(columns)
    assert repr(columns).startswith("PortfolioColumns(customers=3, orders=3, incidents=4")


def test_columns_of_the_stored_dtype_are_copied_once_not_shared() -> None:
    tables = _tables()
    value = tables["orders"]["value"]
    promised = tables["orders"]["promised_at"].astype("datetime64[us]")
    tables["orders"]["promised_at"] = promised
    columns = columns_from_mapping(**tables)
    # Read without a conversion copy, then copied once: a later write to the caller's
    # array cannot reach the columns (or any result computed from them).
    assert not np.shares_memory(columns.orders["value"], value)
    assert not np.shares_memory(columns.orders["promised_at"], promised)
    value[0] = 1e9
    promised[0] = np.datetime64("2001-01-01T00:00", "us")
    assert columns.orders["value"][0] != 1e9
    assert columns.orders["promised_at"][0] != promised[0].astype(np.int64)
    # ...read-only: the caller's own arrays stay writable.
    assert not columns.orders["value"].flags.writeable
    assert value.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        columns.orders["value"][0] = 1.0


def test_the_callers_columns_are_never_changed() -> None:
    tables = _tables()
    copies = _tables()
    columns_from_mapping(**tables, on_invalid="drop")
    for table in ("customers", "orders", "incidents"):
        for name, values in tables[table].items():
            np.testing.assert_array_equal(values, copies[table][name])


def _bad_tables() -> PortfolioTables:
    tables = _tables()
    tables["customers"]["annual_value"] = np.array([100_000.0, np.nan, -5.0])
    tables["customers"]["currency"] = np.array(["EUR", "XXX", "GBP"])
    tables["customers"]["nps"] = np.array([7.0, np.nan, 3.5])
    tables["orders"]["customer_id"] = np.array([10, 99, 30])
    tables["orders"]["value"] = np.array([25_000.0, np.inf, 9_000.0])
    tables["incidents"]["affected_share"] = np.array([1.0, 1.5, 1.0, np.nan])
    tables["incidents"]["id"] = np.array([100, 101, 100, 103])
    tables["incidents"]["order_id"] = np.array([1, -1, 1, 3])  # order 1 is customer 10's
    return tables


def test_every_bad_row_is_listed_in_one_error_with_table_row_and_column() -> None:
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**_bad_tables())
    paths = info.value.paths
    assert paths == (
        "customers.currency[1]",
        "customers.annual_value[1]",
        "customers.annual_value[2]",
        "customers.nps[2]",
        "orders.customer_id[1]",
        "orders.value[1]",
        "incidents.id[0]",
        "incidents.affected_share[1]",
        "incidents.id[2]",
        "incidents.order_id[2]",
        "incidents.affected_share[3]",
    )
    rows = info.value.rows
    assert all(isinstance(r, RowProblem) for r in rows)
    assert rows[0].value == "XXX"
    assert rows[3].row == 2
    assert str(info.value).startswith("11 problems in 7 rows:\n")
    assert isinstance(info.value, ValidationError)
    assert pickle.loads(pickle.dumps(info.value)).paths == paths  # noqa: S301 - our own bytes


def test_dropping_returns_the_dropped_rows_with_reasons_and_what_depends_on_them() -> None:
    columns = columns_from_mapping(**_bad_tables(), on_invalid="drop")
    # Customers 20 and 30 go, and with them order 3 and incidents 101-103; order 2
    # (unknown customer) goes too, and both incidents with the id 100.
    assert columns.customers["id"].tolist() == [10]
    assert columns.orders["id"].tolist() == [1]
    assert columns.incidents["id"].tolist() == []
    assert columns.customers["row"].tolist() == [0]
    assert columns.orders["row"].tolist() == [0]
    reasons = {p.path: p.expected for p in columns.dropped}
    assert reasons["orders.customer_id[2]"] == (
        "the id of a customer that is kept (customers row 2 was dropped)"
    )
    [cascaded] = [p for p in columns.dropped if p.path == "orders.customer_id[2]"]
    assert cascaded.value == 30  # the id the caller gave, not the row it points to
    assert reasons["incidents.order_id[2]"] == "an order of the incident's own customer"
    assert len(columns.dropped) == 12


def test_an_incident_of_a_dropped_order_goes_with_it_named_by_the_orders_id() -> None:
    tables = _tables()
    tables["orders"]["value"] = np.array([25_000.0, np.inf, 9_000.0])  # order 2 is bad
    tables["incidents"]["order_id"] = np.array([2, -1, -1, 3])  # customer 10's incident
    columns = columns_from_mapping(**tables, on_invalid="drop")
    assert [str(p.as_problem()) for p in columns.dropped] == [
        "orders.value[1]: expected an amount from 0 to 1e+18, got inf",
        (
            "incidents.order_id[0]: expected the id of an order that is kept (orders row 1 was"
            " dropped), got 2"
        ),
    ]


def test_a_repeated_id_is_named_in_each_table() -> None:
    tables = _tables()
    tables["customers"]["id"] = np.array([10, 20, 10])
    tables["orders"]["id"] = np.array(["a", "a", "b"])
    tables["incidents"]["id"] = np.array([100, 101, 100, 100])
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    repeated = [str(p.as_problem()) for p in info.value.rows if p.column == "id"]
    assert repeated == [
        "customers.id[0]: expected an id not used by another customer, got 10",
        "customers.id[2]: expected an id not used by another customer, got 10",
        "orders.id[0]: expected an id not used by another order, got 'a'",
        "orders.id[1]: expected an id not used by another order, got 'a'",
        "incidents.id[0]: expected an id not used by another incident, got 100",
        "incidents.id[2]: expected an id not used by another incident, got 100",
        "incidents.id[3]: expected an id not used by another incident, got 100",
    ]


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("opened_at", [datetime(2026, 11, 1, 9), None, None, None], "timezone-aware"),  # noqa: DTZ001 - the naive one is the point
        ("opened_at", ["2026-11-01", None, None, None], "timezone-aware datetime or"),
        ("effort_hours", [1.0, True, None, "x"], "a number from 0"),
        ("kind", ["late_delivery", "oops", "defect", "defect"], "one of 'late_delivery'"),
        ("severity", [7, 0, 1, 2], "one of 'low'"),
    ],
)
def test_bad_cells_of_object_columns_are_rows_too(
    column: str, values: list[Any], expected: str
) -> None:
    tables = _tables()
    good = {"opened_at": tables["incidents"]["opened_at"]}.get(column)
    array = np.array(values, dtype=object)
    if good is not None:
        array[1:] = [datetime(2026, 11, 2, tzinfo=UTC)] * 3
    tables["incidents"][column] = array
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert any(expected in p.expected for p in info.value.rows), info.value


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("opened_at", np.array([1, 2, 3, 4]), "datetime64 with an explicit unit"),
        ("opened_at", np.array(["a", "b", "c", "d"]), "datetime64 with an explicit unit"),
        ("opened_at", np.zeros(4, dtype="datetime64[Y]"), "a unit from days"),
        ("affected_share", np.array([True, False, True, True]), "numbers"),
        ("kind", np.array([0.5, 1.0, 2.0, 3.0]), "one of 'late_delivery'"),
        ("affected_share", np.array([0.5, 0.5]), "a 1-d column of 4 rows"),
    ],
)
def test_a_column_that_cannot_be_read_is_an_error_even_when_dropping(
    column: str, values: Any, expected: str
) -> None:
    tables = _tables()
    tables["incidents"][column] = values
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables, on_invalid="drop")
    assert info.value.rows[0].row is None
    assert expected in info.value.rows[0].expected


def test_unknown_and_missing_columns() -> None:
    tables = _tables()
    tables["orders"]["criticallity"] = np.zeros(3)
    del tables["customers"]["segment"]
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert info.value.paths == ("customers.segment", "orders.criticallity")
    del tables["orders"]["criticallity"]
    tables["customers"]["segment"] = np.array([0, 1, 2], dtype=np.int8)
    tables["customers"]["extra"] = np.zeros(3)
    assert columns_from_mapping(**tables, unknown="ignore").customers.rows == 3


def test_arguments_are_checked() -> None:
    with pytest.raises(ValidationError) as info:
        columns_from_mapping(**_tables(), on_invalid="skip", unknown="keep")  # type: ignore[arg-type]
    assert str(info.value) == (
        "2 problems:\n  on_invalid: expected 'raise' or 'drop', got 'skip'\n"
        "  unknown: expected 'reject', 'ignore' or a set of the names to ignore, e.g. "
        "{'crm_owner'}, got 'keep'"
    )


def test_nanosecond_moments_must_fall_on_a_microsecond() -> None:
    tables = _tables()
    opened = tables["incidents"]["opened_at"].astype("datetime64[ns]")
    tables["incidents"]["opened_at"] = opened
    assert columns_from_mapping(**tables).incidents.rows == 4
    opened = opened.copy()
    opened[2] += np.timedelta64(1, "ns")
    tables["incidents"]["opened_at"] = opened
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert info.value.paths == ("incidents.opened_at[2]",)


def test_moments_out_of_range_and_out_of_order() -> None:
    tables = _tables()
    opened = tables["incidents"]["opened_at"].copy()
    opened[0] = np.datetime64("1800-01-01T00:00", "s")
    tables["incidents"]["opened_at"] = opened
    tables["incidents"]["resolved_at"] = np.array(
        ["NaT", "2026-10-01T00:00", "NaT", "NaT"], dtype="datetime64[s]"
    )
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert info.value.paths == ("incidents.opened_at[0]", "incidents.resolved_at[1]")


def test_aware_datetimes_in_an_object_column_are_read_as_the_instant_they_are() -> None:
    tables = _tables()
    plus_one = timezone(timedelta(hours=1))
    tables["incidents"]["opened_at"] = np.array(
        [datetime(2026, 11, 1, 10, tzinfo=plus_one), np.datetime64("2026-11-01T09:00", "s")]
        + [datetime(2026, 11, 1, 9, tzinfo=UTC)] * 2,
        dtype=object,
    )
    opened = columns_from_mapping(**tables).incidents["opened_at"]
    assert len(set(opened.tolist())) == 1


def test_object_columns_of_mixed_python_values() -> None:
    tables = _tables()
    tables["incidents"]["amount"] = np.array([None, Decimal("12.5"), 3, float("nan")], dtype=object)
    tables["incidents"]["id"] = np.array(["a", "b", "c", "d"], dtype=object)
    tables["incidents"]["order_id"] = np.array([1.0, np.nan, np.nan, 3.0])
    tables["orders"]["lane"] = np.array(["x", None, 7], dtype=object)
    columns = columns_from_mapping(**tables)
    np.testing.assert_array_equal(columns.incidents["amount"], [np.nan, 12.5, 3.0, np.nan])
    assert columns.incidents["id"].dtype.kind == "U"
    assert columns.lanes == ("7", "x")
    assert columns.orders["lane"].tolist() == [1, -1, 0]


def test_ids_of_mixed_kinds_and_blank_text_are_bad_rows() -> None:
    tables = _tables()
    tables["incidents"]["id"] = np.array(["a", 5, " ", "d"], dtype=object)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert info.value.paths == ("incidents.id[1]", "incidents.id[2]")


def test_text_references_to_integer_ids_match_nothing() -> None:
    tables = _tables()
    tables["orders"]["customer_id"] = np.array(["10", "10", "30"])
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert len(info.value.rows) == 3


def test_an_empty_portfolio_and_tables_left_out() -> None:
    tables = _tables()
    columns = columns_from_mapping(tables["customers"])
    assert (columns.orders.rows, columns.incidents.rows) == (0, 0)
    empty = {name: np.array(v)[:0] for name, v in tables["customers"].items()}
    assert columns_from_mapping(empty).customers.rows == 0


def test_a_pandas_frame_reads_like_its_dict() -> None:
    pd = pytest.importorskip("pandas")
    tables = _tables()
    from_frames = columns_from_mapping(
        pd.DataFrame(tables["customers"]),
        pd.DataFrame(tables["orders"]),
        pd.DataFrame(tables["incidents"]),
    )
    from_dicts = columns_from_mapping(**tables)
    for table in ("customers", "orders", "incidents"):
        mine, theirs = getattr(from_frames, table), getattr(from_dicts, table)
        assert mine.names == theirs.names
        for name in mine.names:
            np.testing.assert_array_equal(mine[name], theirs[name])


def test_columns_from_objects_keep_the_objects() -> None:
    portfolio = example_portfolio()
    columns = columns_from_objects(portfolio)
    assert columns.source is portfolio
    assert columns.customer_ids.tolist() == [c.id for c in portfolio.customers]
    with pytest.raises(ValidationError):
        columns_from_objects("portfolio")  # type: ignore[arg-type]


def test_a_table_is_a_read_only_mapping() -> None:
    table = columns_from_objects(example_portfolio()).orders
    assert isinstance(table, Table)
    assert len(table) == len(table.names)
    assert "value" in list(table)
    assert table == table  # noqa: PLR0124 - equality is identity for tables of arrays
    assert table != columns_from_objects(example_portfolio()).orders
    assert isinstance(hash(table), int)
    assert repr(table) == f"Table('orders', rows=12, columns={len(table.names)})"
    with pytest.raises(ValidationError, match=r"orders\.nope"):
        table["nope"]


def test_portfolio_columns_check_what_they_are_given() -> None:
    columns = columns_from_objects(example_portfolio())
    with pytest.raises(ValidationError):
        PortfolioColumns(
            customers=columns.orders,
            orders=columns.orders,
            incidents=columns.incidents,
            currencies=columns.currencies,
        )
    broken = Table(
        name="incidents",
        names=columns.incidents.names,
        arrays=tuple(
            np.full(columns.incidents.rows, 99) if n == "order" else a
            for n, a in zip(columns.incidents.names, columns.incidents.arrays, strict=True)
        ),
    )
    with pytest.raises(ValidationError, match=r"incidents\.order\[0\]: expected a row of orders"):
        PortfolioColumns(
            customers=columns.customers,
            orders=columns.orders,
            incidents=broken,
            currencies=columns.currencies,
        )


def _replaced(table: Table, column: str, row: int, value: int) -> Table:
    arrays = [array.copy() if name == column else array for name, array in table.items()]
    arrays[table.names.index(column)][row] = value
    return Table(name=table.name, names=table.names, arrays=tuple(arrays))


ORDER_ROW = "expected a row of orders (0 to 11), or -1 for none"
OWN_ORDER = "expected a row of the incident's own customer's orders"


# The example's orders belong to customers [0 0 1 2 3 4 5 6 9 9 10 11]; its incidents to
# [0 1 2 5 6 7 9 9 10 11], linked to the orders [0 2 -1 6 7 -1 8 9 10 -1] (-1: none).
@pytest.mark.parametrize(
    ("table", "column", "row", "value", "problem"),
    [
        ("orders", "customer", 0, -1, "orders.customer[0]: expected a row of customers (0 to 11), got -1"),
        ("orders", "customer", 3, 12, "orders.customer[3]: expected a row of customers (0 to 11), got 12"),
        ("incidents", "customer", 0, -1, "incidents.customer[0]: expected a row of customers (0 to 11), got -1"),
        ("incidents", "order", 0, -2, f"incidents.order[0]: {ORDER_ROW}, got -2"),
        ("incidents", "order", 9, 12, f"incidents.order[9]: {ORDER_ROW}, got 12"),
        ("incidents", "order", 0, -1, None),  # an incident without an order
        ("incidents", "order", 0, 1, None),  # customer 0's other order
        # Customer 1's incident linked to customer 0's order (the first row, too).
        ("incidents", "order", 1, 0, f"incidents.order[1]: {OWN_ORDER} (customer 1), got 0"),
        ("incidents", "order", 1, 11, f"incidents.order[1]: {OWN_ORDER} (customer 1), got 11"),
    ],
)  # fmt: skip
def test_portfolio_columns_name_a_row_number_out_of_place(
    table: str, column: str, row: int, value: int, problem: str | None
) -> None:
    columns = columns_from_objects(example_portfolio())
    tables = {name: getattr(columns, name) for name in ("customers", "orders", "incidents")}
    tables[table] = _replaced(tables[table], column, row, value)
    if problem is None:
        PortfolioColumns(**tables, currencies=columns.currencies)
        return
    with pytest.raises(ValidationError) as info:
        PortfolioColumns(**tables, currencies=columns.currencies)
    assert str(info.value) == f"1 problem:\n  {problem}"


def test_a_row_number_into_an_empty_table_says_the_table_is_empty() -> None:
    columns = columns_from_objects(example_portfolio())
    orders = columns.orders
    empty = Table(name="orders", names=orders.names, arrays=tuple(a[:0] for a in orders.arrays))
    with pytest.raises(ValidationError) as info:
        PortfolioColumns(
            customers=columns.customers,
            orders=empty,
            incidents=columns.incidents,
            currencies=columns.currencies,
        )
    assert str(info.value) == (
        "1 problem:\n  incidents.order[0]: expected no row: orders is empty, or -1 for none, got 0"
    )


def test_every_schema_column_is_documented() -> None:
    for column in SCHEMA:
        assert spec(column.table, column.name) is column
        assert column.description


@given(st.lists(st.integers(0, 2**62), min_size=1, max_size=30, unique=True))
def test_integer_ids_rank_as_their_text(values: list[int]) -> None:
    rank = text_rank(np.array(values, dtype=np.int64))
    assert [values[i] for i in np.argsort(rank)] == sorted(values, key=str)


@given(
    st.lists(
        st.one_of(st.integers(0, 10**18 - 1), st.integers(0, 10**4), st.integers(10**17, 10**18)),
        min_size=1,
        max_size=40,
    )
)
# Cases a few random examples miss (mutation runs draw few): 0 after 1, neighbours whose
# packed keys a float could not tell apart, each side of 10**18 where the sorts change.
@example([1, 0])
@example([10**17 + 2, 10**17 + 1, 10**17])
@example([10**18 + 2, 10**18 + 1, 10**18, 10**18 - 1])
@example([10**18, 999_999_999_999_999_999, 1])
def test_integer_ids_rank_as_their_text_in_the_one_key_sort(values: list[int]) -> None:
    # Below 10**18 the rank is one sort of a packed key; at or above, a two-key lexsort.
    rank = text_rank(np.array(values, dtype=np.int64))
    by_text = sorted(range(len(values)), key=lambda i: str(values[i]))  # stable on ties
    assert np.argsort(rank).tolist() == by_text


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        ("customers", "currency", np.array([1, 2, 3])),
        ("customers", "name", np.array([1.0, 2.0, 3.0])),
        ("orders", "lane", np.array([0.5, 1.5, 2.5])),
    ],
)
def test_columns_of_a_kind_that_does_not_fit_their_encoding(
    table: str, column: str, values: Any
) -> None:
    tables = _tables()
    tables[table][column] = values  # type: ignore[literal-required]
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert f"{table}.{column}" in info.value.paths


def test_integer_ids_as_floats_are_read_and_a_gap_is_a_bad_row_not_a_bad_column() -> None:
    # pandas makes an int column with a gap float64 (NaN in the gap): the whole numbers
    # are the ids; a gap or a fraction is one bad row, which on_invalid="drop" can drop.
    tables = _tables()
    tables["customers"]["id"] = np.array([1.0, 2.5, np.nan])
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    paths = info.value.paths
    assert "customers.id[1]" in paths
    assert "customers.id[2]" in paths
    assert "customers.id" not in paths


def test_integer_lanes_names_and_missing_markers_in_object_columns() -> None:
    tables = _tables()
    tables["orders"]["lane"] = np.array([3, -1, 3])
    tables["customers"]["name"] = np.array(["Acme", "", "Oak"], dtype=object)
    tables["incidents"]["noticed_by"] = np.array(["customer", None, "", float("nan")], dtype=object)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert info.value.paths == ("customers.name[1]",)
    tables["customers"]["name"] = np.array(["Acme", "Brno", "Oak"], dtype=object)
    columns = columns_from_mapping(**tables)
    assert columns.lanes == ("3",)
    assert columns.orders["lane"].tolist() == [0, -1, 0]
    assert columns.incidents["noticed_by"].tolist() == [1, -1, -1, -1]
    assert columns.customers["name"].tolist() == ["Acme", "Brno", "Oak"]


def test_every_bad_number_of_an_object_column_is_listed_whatever_comes_before_it() -> None:
    tables = _tables()
    for amounts in (
        [Decimal("NaN"), 10**400, "12", 2.5],
        [10**400, Decimal("NaN"), True, None],
        ["12", True, Decimal("NaN"), 10**400],
    ):
        tables["incidents"]["amount"] = np.array(amounts, dtype=object)
        with pytest.raises(BatchValidationError) as info:
            columns_from_mapping(**tables)
        bad = [i for i, v in enumerate(amounts) if v is not None and not isinstance(v, float)]
        assert info.value.paths == tuple(f"incidents.amount[{i}]" for i in bad)


def test_lane_key_zero_is_a_lane_and_only_a_key_too_long_is_refused() -> None:
    tables = _tables()
    tables["orders"]["lane"] = np.array([0, 1, 0])  # 0 is a key; only -1 marks none
    columns = columns_from_mapping(**tables)
    assert columns.lanes == ("0", "1")
    assert columns.orders["lane"].tolist() == [0, 1, 0]
    tables["orders"]["lane"] = np.array([0, "a", 0], dtype=object)  # so in an object column
    columns = columns_from_mapping(**tables)
    assert columns.lanes == ("0", "a")
    assert columns.orders["lane"].tolist() == [0, 1, 0]
    longest = "k" * MAX_ID_LENGTH
    tables["orders"]["lane"] = np.array([longest, "", "k"])
    assert columns_from_mapping(**tables).lanes == ("k", longest)
    # One character over: that row alone, not the missing one or the longest beside it.
    tables["orders"]["lane"] = np.array([longest + "k", "", longest])
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert info.value.paths == ("orders.lane[0]",)
    assert f"a lane key of at most {MAX_ID_LENGTH} characters" in str(info.value)


def test_an_object_column_of_lane_keys_reads_each_cell_as_its_own_column_would() -> None:
    tables = _tables()
    keys = [np.int64(7), -3, 10**MAX_ID_LENGTH - 1]  # -3: none, as in an integer column
    tables["orders"]["lane"] = np.array(keys, dtype=object)
    columns = columns_from_mapping(**tables)
    assert columns.lanes == ("7", "9" * MAX_ID_LENGTH)
    assert columns.orders["lane"].tolist() == [0, -1, 1]
    # A bool is no key (a bool column is refused); an integer of more digits than a key
    # may have is too long, even past the 4,300 digits str() refuses (ValueError before).
    tables["orders"]["lane"] = np.array([True, 10**MAX_ID_LENGTH, 10**5000], dtype=object)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    longest = f"a lane key of at most {MAX_ID_LENGTH} characters"
    assert str(info.value).splitlines()[1:] == [
        "  orders.lane[0]: expected a lane key (text or an integer), got True",
        f"  orders.lane[1]: expected {longest}, got {str(10**MAX_ID_LENGTH)[:77]}...",
        f"  orders.lane[2]: expected {longest}, got <int that cannot be shown>",
    ]
    tables["orders"]["lane"] = np.array(["k", 2.5, None], dtype=object)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert str(info.value).splitlines()[1:] == [
        "  orders.lane[1]: expected a lane key (text or an integer), got 2.5"
    ]


def test_numpys_timedelta64_and_a_signalling_nan_are_bad_cells_in_every_column() -> None:
    # numpy counts timedelta64 among its integers, and float() of Decimal("sNaN") raises:
    # each escaped as a bare TypeError or ValueError from some column before.
    week = np.timedelta64(7, "D")
    for table, column, value in (
        ("orders", "value", Decimal("sNaN")),
        ("orders", "value", week),
        ("customers", "nps", Decimal("-sNaN")),
        ("customers", "id", week),
        ("orders", "customer_id", week),
        ("orders", "lane", week),
    ):
        tables = _tables()
        edited: dict[str, Any] = tables[table]  # type: ignore[literal-required]
        given = np.asarray(edited.get(column, np.array(["k"] * 3))).tolist()
        given[0] = value
        edited[column] = np.array(given, dtype=object)
        with pytest.raises(BatchValidationError) as info:
            columns_from_mapping(**tables)
        assert info.value.paths[0] == f"{table}.{column}[0]", (column, value)


def test_a_table_not_given_holds_no_id_its_references_can_find() -> None:
    # customers=None is an empty table: the orders' and incidents' customers are not in
    # it (an IndexError before), as with an empty table given; an incident's order is not
    # found without orders (it was read as "no order" before: a silent wrong answer).
    tables = _tables()
    empty = {k: np.asarray(v)[:0] for k, v in tables["customers"].items()}
    customers: Any
    for customers in (None, empty):
        with pytest.raises(BatchValidationError) as info:
            columns_from_mapping(customers, tables["orders"], tables["incidents"])
        assert info.value.paths[:3] == tuple(f"orders.customer_id[{i}]" for i in range(3))
        dropped = columns_from_mapping(
            customers, tables["orders"], tables["incidents"], on_invalid="drop"
        )
        assert (dropped.customers.rows, dropped.orders.rows, dropped.incidents.rows) == (0, 0, 0)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(tables["customers"], None, tables["incidents"])
    orders = [i for i, o in enumerate(tables["incidents"]["order_id"]) if o != -1]
    assert info.value.paths == tuple(f"incidents.order_id[{i}]" for i in orders)


def _assert_same_columns(a: PortfolioColumns, b: PortfolioColumns) -> None:
    assert (a.currencies, a.lanes) == (b.currencies, b.lanes)
    for x, y in ((a.customers, b.customers), (a.orders, b.orders), (a.incidents, b.incidents)):
        assert x.names == y.names
        for name in x.names:
            nan = x[name].dtype.kind == "f"
            assert x[name].dtype == y[name].dtype, (x.name, name)
            assert np.array_equal(x[name], y[name], equal_nan=nan), (x.name, name)


def test_moments_out_of_order_and_references_to_no_row_are_each_named() -> None:
    tables = _tables()
    day = np.timedelta64(1, "D")
    nat = np.datetime64("NaT", "s")
    orders, incidents = tables["orders"], tables["incidents"]
    placed, opened = orders["placed_at"], incidents["opened_at"]
    orders["promised_at"] = np.array([placed[0] - day, *orders["promised_at"][1:]])
    orders["delivered_at"] = np.array([orders["delivered_at"][0], placed[1] - day, nat])
    orders["eta"] = np.array([nat, nat, placed[2] - day])
    orders["customer_id"] = np.array([10, 10, 77])
    incidents["resolved_at"] = np.array([nat, opened[1] - day, nat, nat])
    incidents["customer_id"] = np.array([10, 20, 99, 30])
    incidents["order_id"] = np.array([1, -1, -1, 7])
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    early = "got np.datetime64('2026-10-31T09:00:00.000000')"
    assert str(info.value).splitlines() == [
        "7 problems in 6 rows:",
        f"  orders.promised_at[0]: expected a moment not before placed_at, {early}",
        f"  orders.delivered_at[1]: expected a moment not before placed_at, {early}",
        "  orders.customer_id[2]: expected the id of a given customer, got 77",
        f"  orders.eta[2]: expected a moment not before placed_at, {early}",
        f"  incidents.resolved_at[1]: expected a moment not before opened_at, {early}",
        "  incidents.customer_id[2]: expected the id of a given customer, got 99",
        "  incidents.order_id[3]: expected the id of a given order, got 7",
    ]


def test_datetime64_columns_by_unit_and_the_moments_allowed() -> None:
    tables = _tables()
    placed = tables["orders"]["placed_at"]
    as_us = placed.astype("datetime64[us]").astype(np.int64)
    tables["orders"]["placed_at"] = placed.astype("datetime64[ns]")
    assert columns_from_mapping(**tables).orders["placed_at"].tolist() == as_us.tolist()
    tables["orders"]["placed_at"] = placed.astype("datetime64[ns]") + np.array(
        [0, 1, 0], dtype="timedelta64[ns]"
    )
    tables["orders"]["promised_at"] = tables["orders"]["promised_at"].astype("datetime64[Y]")
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    unit = "datetime64 with a unit from days to nanoseconds (read as UTC)"
    whole = "a moment on a whole microsecond (the resolution of the object path's datetimes)"
    assert str(info.value).splitlines()[1:] == [
        f"  orders.promised_at: expected {unit}, got 'datetime64[Y]'",
        f"  orders.placed_at[1]: expected {whole}, got np.datetime64('2026-11-01T09:00:00.000000001')",
    ]
    # The bounds are inclusive: a day either side of the years, for any time zone.
    tables = _tables()
    edges = [MIN_MOMENT_US, MAX_MOMENT_US, MIN_MOMENT_US - 1, MAX_MOMENT_US + 1]
    tables["incidents"]["opened_at"] = np.full(4, MIN_MOMENT_US).astype("datetime64[us]")
    tables["incidents"]["resolved_at"] = np.array(edges).astype("datetime64[us]")
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    years = "expected a moment between the years 1900 and 2200"
    assert [(p.path, p.expected) for p in info.value.problems if "years" in p.expected] == [
        ("incidents.resolved_at[2]", years.removeprefix("expected ")),
        ("incidents.resolved_at[3]", years.removeprefix("expected ")),
    ]


def test_an_incidents_order_must_be_its_own_customers_even_for_the_first_customer() -> None:
    tables = _tables()
    tables["incidents"]["order_id"] = np.array([3, -1, -1, 3])  # order 3 is customer 30's
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert str(info.value).splitlines()[1:] == [
        "  incidents.order_id[0]: expected an order of the incident's own customer, got 3"
    ]
    # One incident, one order: the check still runs.
    one = {k: np.asarray(v)[:1] for k, v in tables["incidents"].items()}
    orders = {k: np.asarray(v)[2:] for k, v in tables["orders"].items()}
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(tables["customers"], orders, one)
    assert info.value.paths == ("incidents.order_id[0]",)


def test_a_repeated_id_is_every_row_that_has_it() -> None:
    tables = _tables()
    tables["customers"]["id"] = np.array([30, 10, 30])  # the repeat is not the smallest id
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert str(info.value).splitlines()[1:3] == [
        "  customers.id[0]: expected an id not used by another customer, got 30",
        "  customers.id[2]: expected an id not used by another customer, got 30",
    ]
    two = {k: np.asarray(v)[:2] for k, v in tables["customers"].items()}
    two["id"] = np.array([10, 10])
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(two)
    assert info.value.paths == ("customers.id[0]", "customers.id[1]")
    # Many rows, ids repeated in no order: only the ids held by one row are kept.
    ids = np.random.default_rng(0).integers(0, 8, 20)
    many = {
        "id": ids,
        "segment": np.full(20, "small"),
        "currency": np.full(20, "EUR"),
        "annual_value": np.full(20, 1000.0),
    }
    kept = columns_from_mapping(many, on_invalid="drop").customers
    alone = [row for row, i in enumerate(ids) if np.count_nonzero(ids == i) == 1]
    assert kept["row"].tolist() == alone


def test_a_repeated_id_drops_every_row_with_it_and_what_refers_to_it() -> None:
    # Which of two rows with one id the orders and incidents belong to cannot be told:
    # keeping the first without them understated its loss and score (a double-loaded
    # extract scored its customer 1.09 instead of 36.86), with nothing to say so.
    tables = _tables()
    tables["customers"]["id"] = np.array([10, 20, 10])
    tables["orders"]["id"] = np.array([1, 1, 3])
    dropped = columns_from_mapping(**tables, on_invalid="drop")
    assert dropped.customers["row"].tolist() == [1]  # 20 alone holds its id
    assert dropped.orders["row"].tolist() == []  # 1 twice; 3 is customer 30's, gone
    assert dropped.incidents["row"].tolist() == [1]  # 101, customer 20's


def test_a_reference_between_two_ids_finds_neither() -> None:
    tables = _tables()
    tables["orders"]["customer_id"] = np.array([10, 15, 30])  # 15: between 10 and 20
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert str(info.value).splitlines()[1:] == [
        "  orders.customer_id[1]: expected the id of a given customer, got 15"
    ]


def test_an_optional_column_left_out_reads_as_its_default_given() -> None:
    # columns_from_objects always gives every column: only a host's mapping leaves one out.
    minimal = _tables()
    explicit = _tables()
    nan3, nan4 = np.full(3, np.nan), np.full(4, np.nan)
    explicit["customers"] |= {
        "annual_value_currency": np.array(["", "", ""]),  # "": the account's currency
        "daily_revenue_currency": np.array(["EUR", "CZK", "GBP"]),
        "staff_hourly_cost": nan3,
        "staff_hourly_cost_currency": np.array(["EUR", "", "GBP"]),
        "renewal_at": np.full(3, np.datetime64("NaT"), dtype="datetime64[s]"),
        "gross_margin": nan3,
        "buffer_days": nan3,
        "staff_count": nan3,
        "csat": nan3,
        "open_tickets": nan3,
        "usage_trend": nan3,
    }
    explicit["orders"] |= {
        "criticality": np.full(3, np.nan),
        "eta": np.full(3, np.datetime64("NaT"), dtype="datetime64[s]"),
        "lane": np.array(["", "", ""]),
    }
    del explicit["incidents"]["affected_share"], minimal["incidents"]["affected_share"]
    del minimal["incidents"]["order_id"]  # no incident names an order
    explicit["incidents"]["order_id"] = np.full(4, -1)
    explicit["incidents"] |= {
        "severity": np.array(["medium"] * 4),
        "noticed_by": np.array([None] * 4, dtype=object),
        "resolved_at": np.full(4, np.datetime64("NaT"), dtype="datetime64[s]"),
        "affected_share": np.ones(4),
        "amount_currency": np.array(["EUR", "CZK", "GBP", ""]),  # each customer's account
        "effort_hours": nan4,
    }
    _assert_same_columns(columns_from_mapping(**minimal), columns_from_mapping(**explicit))


def test_each_money_column_keeps_its_own_currency() -> None:
    tables = _tables()  # accounts in EUR, CZK and GBP
    tables["customers"] |= {
        "annual_value_currency": np.array(["GBP", "", "EUR"]),
        "daily_revenue_currency": np.array(["CZK", "EUR", ""]),
        "staff_hourly_cost": np.array([50.0, 60.0, 70.0]),
        "staff_hourly_cost_currency": np.array(["", "GBP", "CZK"]),
    }
    tables["incidents"]["amount_currency"] = np.array(["", "GBP", "EUR", "CZK"])
    columns = columns_from_mapping(**tables)

    def named(table: Table, column: str) -> list[str]:
        return [columns.currencies[code] for code in table[column]]

    assert named(columns.customers, "currency") == ["EUR", "CZK", "GBP"]
    assert named(columns.customers, "annual_value_currency") == ["GBP", "CZK", "EUR"]
    assert named(columns.customers, "daily_revenue_currency") == ["CZK", "EUR", "GBP"]
    assert named(columns.customers, "staff_hourly_cost_currency") == ["EUR", "GBP", "CZK"]
    assert named(columns.orders, "currency") == ["EUR", "EUR", "GBP"]
    # "" for an incident: its customer's account (customers 10, 20, 30, 30)
    assert named(columns.incidents, "amount_currency") == ["EUR", "GBP", "EUR", "CZK"]


def test_a_currency_cell_str_cannot_show_is_a_bad_row_not_a_value_error() -> None:
    tables = _tables()
    tables["orders"]["currency"] = np.array(["EUR", 10**5000, None], dtype=object)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    unshown = "<int that cannot be shown>"
    assert str(info.value).splitlines()[1:] == [
        f"  orders.currency[1]: expected an ISO 4217 code such as 'EUR', got {unshown}",
        "  orders.currency[2]: expected an ISO 4217 code (required), got None",
    ]
    dropped = columns_from_mapping(**tables, on_invalid="drop")
    assert dropped.orders.rows == 1
    assert dropped.currencies[dropped.orders["currency"][0]] == "EUR"


def test_a_lane_column_of_another_dtype_is_refused_whole_and_an_empty_one_is_read() -> None:
    tables = _tables()
    tables["orders"]["lane"] = np.array([1.0, 2.0, 3.0])
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert str(info.value) == (
        "1 problem in 1 column:\n"
        "  orders.lane: expected lane keys (text or integers), got 'float64'"
    )
    tables["orders"] = {k: np.asarray(v)[:0] for k, v in tables["orders"].items()}
    tables["orders"]["lane"] = np.array([], dtype=object)
    tables["incidents"] = {k: np.asarray(v)[:0] for k, v in tables["incidents"].items()}
    columns = columns_from_mapping(**tables)
    assert columns.lanes == ()
    assert columns.orders["lane"].dtype == np.int32
    assert columns.orders["lane"].shape == (0,)


def test_pandas_missing_markers_are_none_without_pandas() -> None:
    # pandas' NA and NaT are recognised by their type's name: the library never imports
    # pandas. Stand-ins of those names are enough to show it.
    na = type("NAType", (), {})()
    nat = type("NaTType", (), {})()
    other = type("Sentinel", (), {})()
    assert is_missing(na)
    assert is_missing(nat)
    assert not is_missing(other)
    tables = _tables()
    tables["incidents"]["noticed_by"] = np.array(["customer", na, nat, "vendor"], dtype=object)
    columns = columns_from_mapping(**tables)
    assert columns.incidents["noticed_by"].tolist()[1:3] == [-1, -1]


def test_a_scalar_column_is_a_column_of_one() -> None:
    tables = _tables()
    one: dict[str, Any] = {k: np.asarray(v)[:1] for k, v in tables["customers"].items()}
    one["id"] = np.int64(10)  # a 0-d value: one row
    assert columns_from_mapping(one).customers.rows == 1


def test_moments_given_as_datetime64_scalars_and_bad_objects() -> None:
    tables = _tables()
    tables["incidents"]["opened_at"] = np.array(
        [np.datetime64("2026-11-01T09:00", "s"), np.datetime64("2026-11", "M"), 5, None],
        dtype=object,
    )
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert info.value.paths == (
        "incidents.opened_at[1]",
        "incidents.opened_at[2]",
        "incidents.opened_at[3]",
    )


def test_copy_false_shares_the_columns_whose_dtype_fits() -> None:
    tables = _tables()
    value = tables["orders"]["value"]
    placed = tables["orders"]["placed_at"] = tables["orders"]["placed_at"].astype("M8[us]")
    shared = columns_from_mapping(**tables, copy=False)
    owned = columns_from_mapping(**tables)
    # Zero copy on request: the stored column is a read-only view of the caller's array,
    # whose own flags are left alone; the columns are the same either way. Microseconds
    # are the stored encoding of a moment: a datetime64[us] column fits too.
    assert np.shares_memory(shared.orders["value"], value)
    assert np.shares_memory(shared.orders["placed_at"], placed)
    assert np.shares_memory(shared.orders["id"], tables["orders"]["id"])  # int64 ids too
    assert not np.shares_memory(owned.orders["placed_at"], placed)
    assert not shared.orders["value"].flags.writeable
    assert value.flags.writeable
    for table in ("customers", "orders", "incidents"):
        for name in getattr(owned, table).names:
            np.testing.assert_array_equal(getattr(shared, table)[name], getattr(owned, table)[name])


def test_copy_must_be_a_bool() -> None:
    with pytest.raises(ValidationError, match="copy"):
        columns_from_mapping(**_tables(), copy="no")  # type: ignore[arg-type]


def test_the_three_tables_passed_as_one_argument_get_told_how_to_pass_them() -> None:
    tables = synthetic_mapping(3, seed=1)
    with pytest.raises(ValidationError) as info:
        columns_from_mapping(tables)  # what a user may try (mypy accepts it)
    [problem] = info.value.problems
    assert problem.path == "customers"
    assert problem.value == ["customers", "incidents", "orders"]
    assert "columns_from_mapping(**tables)" in problem.expected
    assert not isinstance(info.value, BatchValidationError)  # an argument, not a bad row
    # Customers' columns that merely include such names are read as columns (and rejected
    # as unknown ones), and the three tables with orders given are not this mistake.
    with pytest.raises(BatchValidationError):
        columns_from_mapping({**tables["customers"], "orders": [0, 0, 0]})
    with pytest.raises(BatchValidationError):
        columns_from_mapping(tables, tables["orders"])


def test_assess_batch_on_anything_but_columns_names_the_builders() -> None:
    with pytest.raises(ValidationError) as info:
        assess_batch(synthetic_mapping(3, seed=1), context=example_context())  # type: ignore[arg-type]
    [problem] = info.value.problems
    assert problem.path == "columns"
    assert "columns_from_mapping(**tables)" in problem.expected
    assert "columns_from_objects(portfolio)" in problem.expected


def _customers_with_ids(ids: list[object]) -> dict[str, Any]:
    n = len(ids)
    return {
        "id": np.array(ids, dtype=object),
        "segment": ["small"] * n,
        "currency": ["EUR"] * n,
        "annual_value": [1.0] * n,
    }


@pytest.mark.parametrize(
    ("ids", "kept", "bad_rows"),
    [
        # An integer column: every other value is a bad row, the integers stay.
        ([1, None], [1], [1]),  # the 1 was reported bad too: the None made it "mixed"
        ([True, 1], [1], [0]),
        ([-5, 1], [1], [0]),  # a negative int in an object column was taken as an id
        ([-1, 1], [1], [0]),  # -1 is "none" only in an optional reference
        ([1, 2**70], [1], [1]),
        ([np.int64(4), 2], [4, 2], []),
        ([], [], []),  # an empty table's object column
        ([1.0, 2.0], [], [0, 1]),
        # Any text makes a text column: every other value is a bad row.
        (["A", 3], ["A"], [1]),
        (["A", 3.5], ["A"], [1]),
        (["A", None], ["A"], [1]),
        (["A", b"B"], ["A"], [1]),
        (["A", " "], ["A"], [1]),
    ],
)
def test_an_object_id_column_keeps_its_good_ids_and_names_each_bad_row(
    ids: list[object], kept: list[object], bad_rows: list[int]
) -> None:
    columns = columns_from_mapping(_customers_with_ids(ids), on_invalid="drop")
    assert columns.customers["id"].tolist() == kept
    assert [p.row for p in columns.dropped] == bad_rows
    assert all(p.path.startswith("customers.id[") for p in columns.dropped)


def _referencing(customer: object, order_ids: list[object], references: Any) -> PortfolioColumns:
    """One customer, its orders ``order_ids``, and an incident naming each of ``references``.

    Bad rows are dropped (``on_invalid="drop"``): the test reads ``dropped``.
    """
    n, m = len(references), len(order_ids)
    text = isinstance(customer, str)
    orders = {
        "id": order_ids,
        "customer_id": [customer] * m,
        "placed_at": np.array(["2026-11-01"] * m, "datetime64[s]"),
        "promised_at": np.array(["2026-11-10"] * m, "datetime64[s]"),
        "value": [100.0] * m,
        "currency": ["EUR"] * m,
    }
    incidents = {
        "id": [f"I{i}" for i in range(n)] if text else list(range(100, 100 + n)),
        "customer_id": [customer] * n,
        "kind": ["defect"] * n,
        "opened_at": np.array(["2026-11-16T07:30"] * n, "datetime64[s]"),
        "order_id": references,
    }
    customers = _customers_with_ids([customer])
    return columns_from_mapping(customers, orders, incidents, on_invalid="drop")


def test_an_object_reference_column_reads_none_as_none_and_checks_the_rest() -> None:
    references = [None, -1, float("nan"), 10, -7, "", 10]
    columns = _referencing(1, [10], np.array(references, dtype=object))
    assert [(p.path, p.value) for p in columns.dropped] == [("incidents.order_id[4]", -7)]
    assert columns.incidents.rows == len(references) - 1


def test_an_object_reference_column_of_text_reads_none_as_none_and_names_the_rest() -> None:
    references = ["O1", None, 3.5, "", 7]
    columns = _referencing("C1", ["O1"], np.array(references, dtype=object))
    assert [(p.path, p.value) for p in columns.dropped] == [
        ("incidents.order_id[2]", 3.5),
        ("incidents.order_id[4]", 7),
    ]
    assert columns.incidents["id"].tolist() == ["I0", "I1", "I3"]
    assert columns.incidents["order"].tolist() == [0, -1, -1]


def test_a_float_reference_column_reads_nan_as_none_and_names_each_bad_id() -> None:
    # A pandas column of integer ids with NaN for none is float64: each value must still
    # be a whole number from 0 to below 2**63.
    references = np.array([0.0, 200.0, np.nan, -2.0, 1.5, 2.0**63, 2.0**62])
    columns = _referencing(1, [0, 200, 2**62 + 1], references)
    assert [(p.path, p.value) for p in columns.dropped] == [
        ("incidents.order_id[3]", -2.0),
        ("incidents.order_id[4]", 1.5),
        ("incidents.order_id[5]", 2.0**63),
        # A whole number, but no order's: 2**62 + 1 is the same float, not the same id.
        ("incidents.order_id[6]", 2.0**62),
    ]
    assert columns.incidents["order"].tolist() == [0, 1, -1]


def test_an_id_of_the_longest_length_is_kept_and_a_column_of_another_dtype_named() -> None:
    longest = "c" * MAX_ID_LENGTH
    columns = columns_from_mapping(_customers_with_ids([longest, "c"]))
    assert columns.customers["id"].tolist() == [longest, "c"]
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(_customers_with_ids([longest + "c", "c"]))
    assert info.value.paths == ("customers.id[0]",)
    customers = _customers_with_ids([1, 2])
    customers["id"] = np.array([True, False])
    with pytest.raises(BatchValidationError) as column:
        columns_from_mapping(customers)
    assert str(column.value).splitlines()[1:] == [
        (
            "  customers.id: expected ids: integers >= 0 or text, got a column of booleans"
            " (numpy dtype bool)"
        )
    ]
    assert column.value.rows[0].value == "bool"  # the dtype's name, for a program


def test_a_text_category_or_currency_column_of_another_dtype_is_named_with_what_it_takes() -> None:
    tables = _tables()
    tables["customers"] |= {
        "name": np.array([1.0, 2.0, 3.0]),
        "segment": np.array([0.5, 1.0, 2.0]),
        "currency": np.array([1.0, 2.0, 3.0]),
    }
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(**tables)
    assert str(info.value).splitlines() == [
        "3 problems in 3 columns:",
        "  customers.name: expected text, got 'float64'",
        (
            "  customers.segment: expected one of 'small', 'mid_market', 'enterprise'"
            " (or its code 0-2), got 'float64'"
        ),
        "  customers.currency: expected ISO 4217 codes as text, got 'float64'",
    ]


def test_category_codes_run_from_0_to_the_last_and_the_first_currency_is_one() -> None:
    tables = _tables()
    tables["customers"]["segment"] = np.array([0, -1, 3])  # 3: one past the last code
    with pytest.raises(BatchValidationError) as info:  # -1: none, and segment is required
        columns_from_mapping(**tables)
    assert info.value.paths == ("customers.segment[1]", "customers.segment[2]")
    tables["customers"]["name"] = np.array(["n" * MAX_NAME_LENGTH, "m", "o"])  # the longest
    tables["customers"]["segment"] = np.array([0, 2, 1])
    tables["customers"]["currency"] = np.array(["AED", "CZK", "GBP"])  # the first code
    columns = columns_from_mapping(**tables)
    assert columns.customers["segment"].tolist() == [0, 2, 1]
    assert columns.customers["name"][0] == "n" * MAX_NAME_LENGTH
    assert [columns.currencies[c] for c in columns.customers["currency"]] == ["AED", "CZK", "GBP"]


def test_object_moment_and_number_cells_are_each_reported_once_with_what_was_expected() -> None:
    utc = datetime(2026, 11, 16, 7, 30, tzinfo=UTC)
    moments = [
        utc,
        datetime(2026, 11, 16, 7, 30),  # noqa: DTZ001 - the naive one under test
        np.datetime64("2026-11-16T07:30"),
        "2026-11-16",  # text
        None,  # none, in a required column
        utc.astimezone(timezone(timedelta(hours=1))),
        5,
    ]
    shares = [0.5, None, Decimal("0.25"), True, "0.3", 2**2000, Decimal("NaN")]
    n = len(moments)
    incidents = {
        "id": list(range(n)),
        "customer_id": [1] * n,
        "kind": ["defect"] * n,
        "opened_at": np.array(moments, dtype=object),
        "affected_share": np.array(shares, dtype=object),
    }
    customers = {"id": [1], "segment": ["small"], "currency": ["EUR"], "annual_value": [1.0]}
    columns = columns_from_mapping(customers, None, incidents, on_invalid="drop")
    aware = "a timezone-aware datetime or a datetime64 with a unit"
    share = "a number from 0 to 1"
    found = sorted((p.row, p.column, p.expected) for p in columns.dropped)
    assert found == [
        (1, "affected_share", f"{share} (required)"),
        (1, "opened_at", "a timezone-aware datetime (a naive one says nothing of its time zone)"),
        # Once: a bool is no number (not also "required"), and the message says why.
        (3, "affected_share", f"a number, not a boolean ({share})"),
        (3, "opened_at", aware),
        (4, "affected_share", f"a number, not text ({share})"),
        (4, "opened_at", "a moment (the column is required)"),
        (5, "affected_share", share),
        (6, "affected_share", share),
        (6, "opened_at", aware),
    ]
    assert columns.incidents.rows == 2  # rows 0 and 2
    assert columns.incidents["affected_share"].tolist() == [0.5, 0.25]


def _row_problem(row: int, expected: str = "x >= 0") -> RowProblem:
    return RowProblem(table="orders", row=row, column="value", value=-row, expected=expected)


def test_a_batch_error_shows_fifty_lines_and_counts_the_rest() -> None:
    assert str(BatchValidationError([])) == "0 problems in no row:"
    one = BatchValidationError([_row_problem(1)])
    assert str(one) == "1 problem in 1 row:\n  orders.value[1]: expected x >= 0, got -1"
    # Each problem of another kind: a line each (many of one kind share a line, below).
    fifty = BatchValidationError([_row_problem(i, f"x >= {i}") for i in range(50)])
    assert str(fifty).splitlines()[0] == "50 problems in 50 rows:"
    assert len(str(fifty).splitlines()) == 51
    many = BatchValidationError([_row_problem(i, f"x >= {i}") for i in range(53)])
    lines = str(many).splitlines()
    assert lines[0] == "53 problems in 53 rows:"
    assert lines[-2] == "  orders.value[49]: expected x >= 49, got -49"
    assert lines[-1] == "  ... and 3 more (all of them in .rows)"
    assert len(many.rows) == len(many.problems) == 53
    assert many.problems[52] == Problem("orders.value[52]", -52, "x >= 52")
    whole = RowProblem(table="orders", row=None, column="eta", value="x", expected="dates")
    assert whole.as_problem() == Problem("orders.eta", "x", "dates")
    # The count says how many problems, and in how many rows and whole columns.
    mixed = BatchValidationError([_row_problem(1), _row_problem(1), whole, whole])
    assert str(mixed).splitlines()[0] == "4 problems in 1 row and 1 column:"
    assert str(BatchValidationError([whole])).splitlines()[0] == "1 problem in 1 column:"
    other_table = RowProblem(table="customers", row=1, column="id", value=-1, expected="x")
    pair = BatchValidationError([_row_problem(1), other_table])
    assert str(pair).splitlines()[0] == "2 problems in 2 rows:"
    under = many.under("portfolio")
    assert type(under) is ValidationError
    assert under.problems[52] == Problem("portfolio.orders.value[52]", -52, "x >= 52")
    clone = pickle.loads(pickle.dumps(many))  # noqa: S301 - our own bytes
    assert (type(clone), clone.rows, str(clone)) == (BatchValidationError, many.rows, str(many))


def test_many_problems_of_one_column_and_kind_share_a_line() -> None:
    # A whole column of text ids against whole-number ones: 4,006 rows wrong the same way.
    same = BatchValidationError([_row_problem(i) for i in range(4006)])
    assert str(same) == (
        "4006 problems in 4006 rows:\n"
        "  orders.value[0, 1, 2, 3, 4 and 4001 more]: expected x >= 0, "
        "got 0, -1, -2, -3, -4 and 4001 more"
    )
    assert len(same.rows) == len(same.problems) == 4006  # every one still listed
    assert same.problems[4005] == Problem("orders.value[4005]", -4005, "x >= 0")
    # Up to three of a kind keep a line each; the lines keep the order of the problems,
    # a shared line where its kind's first problem is.
    share = RowProblem(table="incidents", row=2, column="share", value=2.0, expected="0..1")
    mixed = BatchValidationError(
        [
            _row_problem(7, "x >= 1"),
            *[_row_problem(i) for i in range(4)],
            share,
            _row_problem(8, "x >= 1"),
            _row_problem(9, "x >= 1"),
        ]
    )
    assert str(mixed).splitlines()[1:] == [
        "  orders.value[7]: expected x >= 1, got -7",
        "  orders.value[0, 1, 2, 3]: expected x >= 0, got 0, -1, -2, -3",
        "  incidents.share[2]: expected 0..1, got 2.0",
        "  orders.value[8]: expected x >= 1, got -8",
        "  orders.value[9]: expected x >= 1, got -9",
    ]
    # A whole column's problem has no row to share a line by.
    whole = RowProblem(table="orders", row=None, column="eta", value="x", expected="dates")
    assert (
        str(BatchValidationError([whole] * 4)).splitlines()[1:]
        == ["  orders.eta: expected dates, got 'x'"] * 4
    )
    # Past 50 lines the rest is counted in problems, a shared line's all of them.
    crowded = BatchValidationError(
        [*[_row_problem(i) for i in range(10)], *[_row_problem(i, f"x > {i}") for i in range(60)]]
    )
    lines = str(crowded).splitlines()
    assert len(lines) == 52
    assert lines[1].startswith("  orders.value[0, 1, 2, 3, 4 and 5 more]: ")
    assert lines[-2] == "  orders.value[48]: expected x > 48, got -48"
    assert lines[-1] == "  ... and 11 more (all of them in .rows)"


@given(st.data())
def test_objects_to_columns_and_back_is_the_same_portfolio(data: st.DataObject) -> None:
    context = data.draw(contexts())
    portfolio = data.draw(portfolios(context=context, max_size=4))
    columns = columns_from_objects(portfolio)
    rows = list(range(columns.customers.rows))

    def by_id(groups: Any) -> list[tuple[Any, ...]]:
        # The columns keep a customer's orders and incidents in id order (as text).
        return [
            (c, sorted(o, key=lambda x: x.id), sorted(i, key=lambda x: x.id)) for c, o, i in groups
        ]

    assert by_id(groups_of(columns, rows, context.as_of)) == by_id(portfolio.groups())


def test_the_example_portfolio_comes_back_from_its_columns_unchanged() -> None:
    portfolio = example_portfolio()
    columns = columns_from_objects(portfolio)
    back = groups_of(columns, list(range(columns.customers.rows)), example_context().as_of)
    assert [tuple(g) for g in back] == [tuple(g) for g in portfolio.groups()]
    # A mapping without names or customer_since: the id is the name, as_of the start.
    tables = synthetic_mapping(3, seed=2)
    customers = {
        k: v for k, v in tables["customers"].items() if k not in {"name", "customer_since"}
    }
    plain = columns_from_mapping(customers, tables["orders"], tables["incidents"])
    as_of = example_context().as_of
    for customer, _, _ in groups_of(plain, [0, 1, 2], as_of):
        assert (customer.name, customer.customer_since) == (customer.id, as_of)
    # With names and dates (a mapping's columns are read; columns from objects keep the
    # objects): every field comes back as the columns hold it.
    named = dict(tables["customers"], name=["Acme", "Bolt", "Cogs"])
    full = columns_from_mapping(named, tables["orders"], tables["incidents"])
    groups = groups_of(full, [0, 1, 2], as_of)
    assert [c.name for c, _, _ in groups] == ["Acme", "Bolt", "Cogs"]
    since = tables["customers"]["customer_since"]
    assert [c.customer_since for c, _, _ in groups] == [
        datetime.fromisoformat(str(s)).replace(tzinfo=UTC) for s in since
    ]
    incident_ids, by = tables["incidents"]["id"], tables["incidents"]["noticed_by"]
    noticed = {str(n): str(b) for n, b in zip(incident_ids, by, strict=True)}
    incidents = [i for _, _, group in groups for i in group]
    assert incidents
    assert [i.noticed_by and i.noticed_by.value for i in incidents] == [
        noticed[i.id] or None for i in incidents
    ]


def test_tables_of_empty_lists_are_empty_tables() -> None:
    # numpy reads [] as float64; an empty list has no value of the wrong kind, so a
    # text or id column given as [] is an empty column, not a column of the wrong type.
    customers: dict[str, Any] = {"id": [], "segment": [], "currency": [], "annual_value": []}
    orders: dict[str, Any] = {
        "id": [], "customer_id": [], "placed_at": [], "promised_at": [], "value": [],
        "currency": [],
    }  # fmt: skip
    incidents: dict[str, Any] = {"id": [], "customer_id": [], "kind": [], "opened_at": []}
    columns = columns_from_mapping(customers, orders, incidents)
    assert (columns.customers.rows, columns.orders.rows, columns.incidents.rows) == (0, 0, 0)
    result = assess_batch(columns, context=example_context(), budget=Money(100, "EUR"))
    assert result.customers.rows == 0
    assert result.budget is not None
    assert result.budget.spent == Money("0.00", "EUR")
    # An empty array that says it holds floats is still refused where text belongs.
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping({**customers, "currency": np.zeros(0)})
    assert info.value.paths == ("customers.currency",)


def test_a_column_of_another_shape_is_named_with_the_rows_the_table_has() -> None:
    tables = synthetic_mapping(2, seed=1)

    def outcome(**change: Any) -> str:
        customers = dict(tables["customers"]) | change
        try:
            columns_from_mapping(
                customers=customers, orders=tables["orders"], incidents=tables["incidents"]
            )
        except ValidationError as exc:
            return str(exc)
        return "ok"

    def shape(column: str, shape: str, rows: str = "2 rows") -> str:
        expected = f"a 1-d column of {rows}, like 'id'"
        return f"1 problem in 1 column:\n  customers.{column}: expected {expected}, got '{shape}'"

    # A single value is one row: beside columns of two, it is the odd one out.
    assert outcome(nps=np.float64(7.0)) == shape("nps", "shape (1,)")
    assert outcome(nps=np.array([7.0, 8.0, 9.0])) == shape("nps", "shape (3,)")
    # Without a usable id column, the longest column sets the rows.
    assert outcome(id=np.array([[1, 2]])) == shape("id", "shape (1, 2)")
    one_row = outcome(id=np.int64(1))
    assert one_row.startswith("14 problems in 14 columns:\n")
    assert shape("segment", "shape (2,)", "1 row").splitlines()[1] in one_row.splitlines()
    with pytest.raises(ValidationError) as info:
        columns_from_objects({"customers": []})  # type: ignore[arg-type]
    assert str(info.value) == "1 problem:\n  portfolio: expected a Portfolio, got {'customers': []}"


def test_the_three_tables_in_one_mapping_are_named_as_such() -> None:
    with pytest.raises(ValidationError) as info:
        columns_from_mapping(synthetic_mapping(1, seed=1))
    assert str(info.value) == (
        "1 problem:\n  customers: expected the customers' columns; this is a mapping of the"
        " three tables, pass it as columns_from_mapping(**tables), got"
        " ['customers', 'incidents', 'orders']"
    )


def test_a_portfolios_bytes_are_its_stored_columns() -> None:
    columns = columns_from_objects(example_portfolio())
    tables = (columns.customers, columns.orders, columns.incidents)
    assert columns.nbytes() == sum(array.nbytes for table in tables for array in table.arrays)
    assert columns.nbytes() > columns.customers["annual_value"].nbytes


def test_object_id_columns_read_text_and_whole_numbers_at_their_limits() -> None:
    tables = synthetic_mapping(3, seed=2)
    mixed = dict(tables["customers"], id=np.array(["C1", 5, "C3"], dtype=object))
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(mixed)
    assert str(info.value) == (
        "1 problem in 1 row:\n  customers.id[1]: expected an id: an integer >= 0 or a "
        "non-empty text of at most 200 characters, got 5"
    )
    edges = dict(tables["customers"], id=np.array([0, 2**63 - 1, 7], dtype=object))
    assert columns_from_mapping(edges).customers["id"].tolist() == [0, 2**63 - 1, 7]
    # An optional reference given as objects: None is "no order", as -1 is.
    incidents = tables["incidents"]
    as_objects = np.array([o if o >= 0 else None for o in incidents["order_id"]], dtype=object)
    with_none = columns_from_mapping(
        tables["customers"], tables["orders"], dict(incidents, order_id=as_objects)
    )
    plain = columns_from_mapping(**tables)
    assert with_none.incidents["order"].tolist() == plain.incidents["order"].tolist()
    assert -1 in plain.incidents["order"].tolist()


@pytest.mark.parametrize("zone", [None, NoOffset()])
def test_a_moment_without_an_offset_is_refused_however_it_says_so(zone: tzinfo | None) -> None:
    tables = synthetic_mapping(2, seed=2)
    moment = datetime(2020, 1, 1, tzinfo=zone)
    since = np.array([moment, datetime(2020, 1, 1, tzinfo=UTC)], dtype=object)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(dict(tables["customers"], customer_since=since))
    (problem,) = info.value.problems
    assert (problem.path, problem.value) == ("customers.customer_since[0]", moment)
    assert problem.expected.startswith("a timezone-aware datetime")


_ZONES = ("UTC", "Europe/Prague", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham")


@given(
    nanos=st.lists(
        st.one_of(
            st.none(),
            # 1900 to 2200 (the moments allowed), and a little beyond on each side.
            st.integers(-2_300_000_000 * 10**9, 7_300_000_000 * 10**9),
        ),
        min_size=1,
        max_size=8,
    ),
    zone=st.sampled_from(_ZONES),
    unit=st.sampled_from(["s", "ms", "us", "ns"]),
    arrow=st.booleans(),
)
def test_a_timezone_aware_pandas_column_reads_as_its_cells_do(
    nanos: list[int | None], zone: str, unit: str, arrow: bool
) -> None:
    # Read at once now (it was one Timestamp at a time, 7 us each): the same moments,
    # floored to the microsecond as a datetime is, NaT missing, the same problems showing
    # the caller's own value, in each unit pandas keeps moments in, and as pyarrow
    # timestamps (read_parquet's pyarrow backend).
    pd: Any = pytest.importorskip("pandas")
    per = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[unit]
    counts = np.array(
        ["NaT" if n is None else n // per for n in nanos], dtype=f"datetime64[{unit}]"
    )
    stamps = pd.Series(counts).dt.tz_localize("UTC").dt.tz_convert(zone)
    assert stamps.dt.unit == unit
    if arrow:
        pa: Any = pytest.importorskip("pyarrow")
        stamps = stamps.astype(pd.ArrowDtype(pa.timestamp(unit, tz=zone)))
    n = len(nanos)
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "segment": ["small"] * n,
            "currency": ["EUR"] * n,
            "annual_value": [1000.0] * n,
            "customer_since": stamps,
        }
    )
    cells = dict(frame) | {"customer_since": np.asarray(stamps.array, dtype=object)}
    assert _aware_pandas_moments(frame["customer_since"]) is not None  # read at once
    assert _moments_and_problems(frame) == _moments_and_problems(cells)


def _moments_and_problems(customers: Any) -> object:
    columns = columns_from_mapping(customers, on_invalid="drop")
    return (
        columns.customers["customer_since"].tolist(),
        [str(p.as_problem()) for p in columns.dropped],
    )


def test_a_timezone_aware_column_where_no_moment_belongs_is_each_row_as_before() -> None:
    # Only a moment column is converted at once: a zoned column given as nps is, row by
    # row, a bad number (it had become one problem naming a dtype the caller never gave).
    pd: Any = pytest.importorskip("pandas")
    customers = dict(_tables()["customers"])
    customers["nps"] = pd.Series(pd.to_datetime(["2026-11-01"] * 3)).dt.tz_localize("Europe/Prague")
    dropped = columns_from_mapping(customers, on_invalid="drop").dropped
    assert [p.path for p in dropped] == ["customers.nps[0]", "customers.nps[1]", "customers.nps[2]"]
    assert str(dropped[0].as_problem()).endswith("got datetime 2026-11-01T00:00:00+01:00")
