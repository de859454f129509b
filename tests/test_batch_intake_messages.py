"""What the intake says about a warehouse extract it cannot take as it is.

Each test is something an analyst handed the batch path: a pyarrow Table, a list of
records, numbers as text, a bool among numbers, integer ids against text references, an
empty table as ``{}``, a currency without a rate. The messages are asserted in full: they
are the interface a person reads.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import ValidationError
from custadvocacy.batch import (
    BatchValidationError,
    PortfolioColumns,
    assess_batch,
    columns_from_mapping,
)
from custadvocacy.batch._errors import ColumnKind
from custadvocacy.examples import example_context

AMOUNT = "an amount from 0 to 1e+18"


def _moments(*texts: str) -> Any:
    return np.array(list(texts), "datetime64[s]")


def _customers() -> dict[str, Any]:
    return {
        "id": ["A", "B", "C"],
        "segment": ["small", "enterprise", "mid_market"],
        "currency": ["EUR", "GBP", "EUR"],
        "annual_value": [120_000.0, 2_000_000.0, 50_000.0],
    }


def _orders() -> dict[str, Any]:
    return {
        "id": ["o1", "o2"],
        "customer_id": ["A", "C"],
        "value": [25_600.0, 1000.0],
        "currency": ["EUR", "EUR"],
        "placed_at": _moments("2026-10-20T10:00", "2026-11-01T00:00"),
        "promised_at": _moments("2026-11-09T12:00", "2026-11-10T00:00"),
        "delivered_at": _moments("2026-11-15T12:00", "NaT"),
    }


def _incidents() -> dict[str, Any]:
    return {
        "id": ["i1", "i2"],
        "customer_id": ["A", "B"],
        "kind": ["late_delivery", "service_outage"],
        "opened_at": _moments("2026-11-09T12:00", "2026-11-16T07:30"),
        "order_id": ["o1", None],
    }


def _message(*tables: Any, on_invalid: Any = "raise") -> str:
    with pytest.raises(ValidationError) as info:
        columns_from_mapping(*tables, on_invalid=on_invalid)
    return str(info.value)


def _assert_same_columns(a: PortfolioColumns, b: PortfolioColumns) -> None:
    assert (a.currencies, a.lanes) == (b.currencies, b.lanes)
    for x, y in ((a.customers, b.customers), (a.orders, b.orders), (a.incidents, b.incidents)):
        assert x.names == y.names
        for name in x.names:
            assert x[name].dtype == y[name].dtype, (x.name, name)
            np.testing.assert_array_equal(x[name], y[name])


# -- 1. a pyarrow Table is read by its columns; what is no table of columns is refused ----


def test_a_pyarrow_table_reads_like_its_dict() -> None:
    pa = pytest.importorskip("pyarrow")
    tables = (_customers(), _orders(), _incidents())
    from_arrow = columns_from_mapping(*(pa.table(t) for t in tables))
    _assert_same_columns(from_arrow, columns_from_mapping(*tables))


class _Columnar:
    """The duck type of a pyarrow Table: no ``keys``, but ``column_names`` and ``column``."""

    def __init__(self, columns: dict[str, Any]) -> None:
        self.columns = columns

    @property
    def column_names(self) -> list[str]:
        return list(self.columns)

    def column(self, name: str) -> Any:
        return self.columns[name]


def _arrow_like(columns: dict[str, Any]) -> Any:
    # Any, as a pyarrow Table is to mypy (pyarrow ships no types): read by duck typing.
    return _Columnar(columns)


def test_anything_with_column_names_and_column_is_read_as_a_table() -> None:
    tables = (_customers(), _orders(), _incidents())
    from_columnar = columns_from_mapping(*(_arrow_like(t) for t in tables))
    _assert_same_columns(from_columnar, columns_from_mapping(*tables))
    # Its columns are checked as a mapping's are: a name the schema does not know, too.
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(_arrow_like({**_customers(), "segmnt": ["small"] * 3}))
    assert info.value.paths == ("customers.segmnt",)


def test_an_unknown_column_is_named_with_the_columns_known_and_the_rest_still_read() -> None:
    # First among the columns: the ones after it are read all the same (no "required" ones
    # missing), and ignored, it leaves a valid table.
    customers = {"segmnt": ["small"] * 3, **_customers()}
    assert _message(customers) == (
        "1 problem in 1 column:\n  customers.segmnt: expected one of the columns annual_value, "
        "annual_value_currency, buffer_days, csat, currency, customer_since, daily_revenue, "
        "daily_revenue_currency, gross_margin, id, name, nps, open_tickets, renewal_at, segment, "
        "staff_count, staff_hourly_cost, staff_hourly_cost_currency, usage_trend "
        "(a column of your own: unknown={'segmnt'} ignores it), got 'segmnt'"
    )
    read = columns_from_mapping(customers, unknown={"segmnt"})
    assert read.customers.rows == 3
    assert "segmnt" not in read.customers.names


class _NamesInAString(_Columnar):
    """``column`` and ``column_names``, but the names are one string: no table of columns."""

    @property
    def column_names(self) -> Any:
        return "id"


class _ColumnOnly:
    """A ``column`` method and no ``column_names``: no table of columns."""

    def column(self, name: str) -> Any:
        return [name]


@pytest.mark.parametrize("source", [_NamesInAString(_customers()), _ColumnOnly()])
def test_a_column_method_without_a_list_of_names_is_no_table(source: object) -> None:
    assert _message(source) == (
        "1 problem:\n  customers: expected a mapping of column name to column (a dict of lists "
        f"or arrays, a pandas DataFrame, a pyarrow Table), got {source!r}"
    )


def test_a_text_among_moments_is_a_bad_row_not_parsed() -> None:
    # numpy would parse it into the datetime64 column it makes of the list.
    orders = dict(_orders(), placed_at=[np.datetime64("2026-11-01T09:00"), "2026-11-02T09:00"])
    assert _message(_customers(), orders) == (
        "1 problem in 1 row:\n  orders.placed_at[1]: expected a timezone-aware datetime or a "
        "datetime64 with a unit, got '2026-11-02T09:00'"
    )


def test_a_cell_that_reads_like_its_columns_dtype_is_shown_as_it_is() -> None:
    # Only a whole-column problem's value, the dtype's name, is shown as what it holds.
    customers = dict(_customers(), segment=["small", "<U10", "enterprise"])
    assert _message(customers) == (
        "1 problem in 1 row:\n  customers.segment[1]: expected one of 'small', 'mid_market', "
        "'enterprise' (or its code 0-2), got '<U10'"
    )


def test_a_column_name_given_twice_is_named_not_guessed() -> None:
    pa = pytest.importorskip("pyarrow")
    columns = (["A", "B"], ["small"] * 2, ["EUR"] * 2, [1.0, 2.0], [3.0, 4.0])
    customers = pa.table(
        [pa.array(c) for c in columns],
        names=["id", "segment", "currency", "annual_value", "annual_value"],
    )
    assert _message(customers) == (  # once, and not also as a required column missing
        "1 problem in 1 column:\n"
        "  customers.annual_value: expected one column of that name, got '2 columns'"
    )
    # Given first, the columns after it are read all the same.
    first = customers.select([3, 4, 0, 1, 2])
    assert first.column_names[:2] == ["annual_value", "annual_value"]
    assert _message(first) == _message(customers)


def test_a_required_column_that_cannot_be_read_is_not_also_missing() -> None:
    customers = dict(_customers(), annual_value=[[1.0, 2.0], 3.0, 4.0])  # ragged
    assert _message(customers) == (
        "1 problem in 1 column:\n"
        "  customers.annual_value: expected a 1-d column of scalars, got 'ValueError'"
    )


def test_what_is_not_a_mapping_of_columns_is_refused_naming_the_table() -> None:
    columns = (
        "a mapping of column name to column (a dict of lists or arrays, a pandas DataFrame, "
        "a pyarrow Table)"
    )
    records = [{"id": "A", "segment": "small"}]
    assert _message(records, _orders(), _incidents()) == (
        "1 problem:\n"
        f"  customers: expected {columns}; a list of records is not columns: build them with "
        "{name: [row[name] for row in rows] for name in rows[0]}, "
        "got [{'id': 'A', 'segment': 'small'}]"
    )
    # Every table that is not one is named at once, with what was given.
    with pytest.raises(ValidationError) as info:
        columns_from_mapping(_customers(), "orders.csv", 5)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"2 problems:\n  orders: expected {columns}, got 'orders.csv'\n"
        f"  incidents: expected {columns}, got 5"
    )
    assert not isinstance(info.value, BatchValidationError)  # an argument, not a bad row
    assert [p.value for p in info.value.problems] == ["orders.csv", 5]
    # The class dict is no mapping of columns (its keys() needs an instance).
    assert _message(dict).splitlines()[1] == f"  customers: expected {columns}, got <class 'dict'>"


# -- 2. numbers given as text -------------------------------------------------------------


def test_a_column_of_numbers_as_text_is_one_problem_saying_it_is_text() -> None:
    # pandas reads a CSV's quoted numbers as an object column of str: every row is text.
    values = np.array(["228176.24", "1000", None], dtype=object)
    orders = dict(_orders(), value=values[:2])
    expected = (
        "1 problem in 1 column:\n  orders.value: expected numbers (not booleans or text), "
        "got a column of text such as '228176.24' (numpy dtype object)"
    )
    assert _message(_customers(), orders, _incidents()) == expected
    # A column that is text is no bad row to drop: every row would go.
    assert _message(_customers(), orders, _incidents(), on_invalid="drop") == expected
    # Missing cells do not make it a column of numbers.
    customers = dict(_customers(), daily_revenue=values)
    assert _message(customers, _orders(), _incidents()) == (
        "1 problem in 1 column:\n  customers.daily_revenue: expected numbers (not booleans or "
        "text), got a column of text such as '228176.24' (numpy dtype object)"
    )


def test_a_numpy_text_array_of_numbers_is_named_as_a_column_of_text() -> None:
    orders = dict(_orders(), value=np.array(["228176.24", "1000"]))
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(_customers(), orders, _incidents())
    assert str(info.value) == (
        "1 problem in 1 column:\n  orders.value: expected numbers (not booleans or text), "
        "got a column of text (numpy dtype <U9)"
    )
    [problem] = info.value.rows
    # The value is still the dtype's name, as for every column of the wrong kind.
    assert problem.value == "<U9"
    assert isinstance(problem.value, ColumnKind)
    assert pickle.loads(pickle.dumps(info.value)).rows == info.value.rows  # noqa: S301 - ours
    # Booleans too; and an id column of booleans.
    customers = dict(_customers(), id=np.array([True, False, True]))
    assert _message(customers).splitlines()[1:] == [
        (
            "  customers.id: expected ids: integers >= 0 or text, got a column of booleans "
            "(numpy dtype bool)"
        )
    ]


def test_a_kind_of_column_without_a_word_is_named_by_its_dtype() -> None:
    assert repr(ColumnKind.of(np.dtype("complex128"))) == (
        "a column of complex128 values (numpy dtype complex128)"
    )
    assert repr(ColumnKind.of(np.dtype("S3"))) == "a column of bytes (numpy dtype |S3)"


def test_empty_text_among_missing_numbers_is_a_missing_number_not_a_column_of_text() -> None:
    # A pandas object column with "" for a blank cell: each is a missing value, said per
    # row, not a column of text.
    customers = dict(_customers(), annual_value=np.array(["", None, ""], dtype=object))
    assert _message(customers).splitlines() == [
        "3 problems in 3 rows:",
        "  customers.annual_value[0]: expected an amount from 0 to 1e+18 (required), got ''",
        "  customers.annual_value[1]: expected an amount from 0 to 1e+18 (required), got None",
        "  customers.annual_value[2]: expected an amount from 0 to 1e+18 (required), got ''",
    ]


def test_a_number_as_text_among_numbers_is_a_bad_row_saying_it_is_text() -> None:
    # A list mixing numbers and text: numpy would make every cell text; each cell is
    # read as what it is, and only the text one is refused.
    customers = dict(_customers(), annual_value=[1.0, "2000", 3.0])
    assert _message(customers, _orders(), _incidents()) == (
        "1 problem in 1 row:\n"
        f"  customers.annual_value[1]: expected a number, not text ({AMOUNT}), got '2000'"
    )
    kept = columns_from_mapping(customers, _orders(), _incidents(), on_invalid="drop")
    assert kept.customers["annual_value"].tolist() == [1.0, 3.0]


def test_a_pandas_column_of_numbers_as_text_is_named_once() -> None:
    pd = pytest.importorskip("pandas")
    orders = pd.DataFrame(dict(_orders(), value=["228176.24", "1000"]))
    assert _message(_customers(), orders, _incidents()).splitlines()[1:] == [
        (
            "  orders.value: expected numbers (not booleans or text), got a column of text such "
            "as '228176.24' (numpy dtype object)"
        )
    ]


# -- 3. a bool among numbers --------------------------------------------------------------


def test_a_bool_among_numbers_is_a_bad_row_not_a_one() -> None:
    customers = dict(_customers(), annual_value=[1.0, True, 3.0])
    assert _message(customers, _orders(), _incidents()) == (
        "1 problem in 1 row:\n"
        f"  customers.annual_value[1]: expected a number, not a boolean ({AMOUNT}), got True"
    )
    customers = dict(_customers(), annual_value=(np.False_, 2, 3))
    assert _message(customers).splitlines()[1:] == [
        f"  customers.annual_value[0]: expected a number, not a boolean ({AMOUNT}), got False"
    ]
    # An id column given as a list: True is no id (numpy would have read it as 1).
    customers = dict(_customers(), id=[10, True, 30])
    assert _message(customers).splitlines()[1:] == [
        (
            "  customers.id[1]: expected an id: an integer >= 0 or a non-empty text of at most 200 "
            "characters, got True"
        )
    ]


_CELLS = st.one_of(
    st.floats(0, 1e6),
    st.integers(0, 10**6),
    st.booleans(),
    st.from_regex(r"[0-9]{1,4}", fullmatch=True),
)


@given(st.lists(_CELLS, min_size=3, max_size=3))
def test_no_bool_or_text_in_a_list_of_numbers_is_read_as_a_number(values: list[Any]) -> None:
    customers = dict(_customers(), annual_value=values)
    bools = [i for i, v in enumerate(values) if isinstance(v, bool)]
    texts = [i for i, v in enumerate(values) if isinstance(v, str)]
    if len(values) in (len(bools), len(texts)):  # a column of bools, or of text: no numbers
        with pytest.raises(BatchValidationError) as info:
            columns_from_mapping(customers, on_invalid="drop")
        assert info.value.paths == ("customers.annual_value",)
        return
    columns = columns_from_mapping(customers, on_invalid="drop")
    assert [p.row for p in columns.dropped] == sorted(bools + texts)
    for problem in columns.dropped:
        assert problem.row is not None
        assert problem.value is values[problem.row]
        kind = "a boolean" if isinstance(problem.value, bool) else "text"
        assert problem.expected == f"a number, not {kind} ({AMOUNT})"
    kept = [float(v) for v in values if not isinstance(v, bool | str)]
    assert columns.customers["annual_value"].tolist() == kept


# -- 4. ids and references of different kinds ---------------------------------------------


def test_references_of_another_kind_than_the_ids_say_so() -> None:
    customers = dict(_customers(), id=[1, 2, 3])
    orders = dict(_orders(), customer_id=["1", "3"])
    incidents = dict(_incidents(), customer_id=[1, 2], order_id=["o1", "o3"])
    numbers = "customers.id holds whole numbers and orders.customer_id holds text"
    assert _message(customers, orders, incidents) == (
        "3 problems in 3 rows:\n"
        f"  orders.customer_id[0]: expected the id of a given customer; {numbers}: convert "
        "one to the other's kind, got '1'\n"
        f"  orders.customer_id[1]: expected the id of a given customer; {numbers}: convert "
        "one to the other's kind, got '3'\n"
        # Of the same kind: no such hint, the id is simply not there.
        "  incidents.order_id[1]: expected the id of a given order, got 'o3'"
    )
    orders = dict(_orders(), customer_id=[1, 3])
    assert _message(_customers(), orders).splitlines()[1] == (
        "  orders.customer_id[0]: expected the id of a given customer; customers.id holds text "
        "and orders.customer_id holds whole numbers: convert one to the other's kind, got 1"
    )
    # An empty table holds ids of no kind: nothing to convert.
    empty: dict[str, list[Any]] = {name: [] for name in _customers()}
    assert _message(empty, orders).splitlines()[1] == (
        "  orders.customer_id[0]: expected the id of a given customer, got 1"
    )


# -- 5. an empty mapping ------------------------------------------------------------------


def test_an_empty_mapping_is_an_empty_table_where_a_table_may_be_empty() -> None:
    none = columns_from_mapping(_customers(), None, None)
    empty = columns_from_mapping(_customers(), {}, {})
    _assert_same_columns(empty, none)
    assert (empty.orders.rows, empty.incidents.rows) == (0, 0)
    assert assess_batch(empty, context=example_context()).customers.rows == 3
    # Incidents naming orders that {} does not hold are bad rows, as with None.
    incidents = dict(_incidents(), customer_id=["A", "C"])
    assert _message(_customers(), {}, incidents) == (
        "1 problem in 1 row:\n  incidents.order_id[0]: expected the id of a given order, got 'o1'"
    )
    # Customers are the portfolio: {} is no table of them (an extract that lost its
    # columns), and each required column is named.
    assert _message({}, {}, {}) == (
        "4 problems in 4 columns:\n"
        "  customers.id: missing (the column is required)\n"
        "  customers.segment: missing (the column is required)\n"
        "  customers.currency: missing (the column is required)\n"
        "  customers.annual_value: missing (the column is required)"
    )


def test_a_frame_without_columns_is_an_empty_table_of_orders() -> None:
    pd = pytest.importorskip("pandas")
    columns = columns_from_mapping(_customers(), pd.DataFrame(), pd.DataFrame())
    assert (columns.orders.rows, columns.incidents.rows) == (0, 0)


# -- 6. a currency without an exchange rate -----------------------------------------------


def test_a_currency_without_a_rate_is_named_in_the_column_given() -> None:
    customers = dict(_customers(), currency=["EUR", "JPY", "EUR"])
    columns = columns_from_mapping(customers, _orders(), _incidents())
    with pytest.raises(BatchValidationError) as info:
        assess_batch(columns, context=example_context())
    assert str(info.value) == (
        "1 problem in 1 row:\n  customers.currency[1]: expected a currency with an exchange "
        "rate into EUR in context.rates (add the pair EUR/JPY), got 'JPY'"
    )


def test_a_text_date_column_from_pandas_is_one_problem_even_when_dropping() -> None:
    # Every cell would be a bad row, and dropping them all dropped the whole portfolio.
    since = np.array(["2024-01-05 09:38:03", "2023-02-01 10:00:00", None], dtype=object)
    customers = dict(_customers(), customer_since=since)
    with pytest.raises(BatchValidationError) as info:
        columns_from_mapping(customers, _orders(), _incidents(), on_invalid="drop")
    [problem] = info.value.rows
    assert (problem.path, problem.row) == ("customers.customer_since", None)
    assert "pandas.to_datetime(column, utc=True)" in problem.expected


def test_a_reference_to_an_id_two_rows_have_is_dropped_not_given_to_the_first() -> None:
    # Customers A and C share an id: the first is kept, the second dropped; their orders
    # cannot tell which is meant, and must not all become the first one's.
    customers = dict(_customers(), id=["A", "B", "A"])
    columns = columns_from_mapping(customers, _orders(), _incidents(), on_invalid="drop")
    kept_orders = columns.orders["customer"].tolist()
    assert 0 not in kept_orders  # no order given to the kept "A"
    one = "the id of one customer (more than one customer has this id)"
    dropped = {(p.path, p.expected) for p in columns.dropped}
    ambiguous = [
        f"orders.customer_id[{row}]"
        for row, cid in enumerate(_orders()["customer_id"])
        if cid == "A"
    ]
    assert ambiguous
    assert {(path, one) for path in ambiguous} <= dropped
