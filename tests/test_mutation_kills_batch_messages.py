"""The batch path's messages for bad columns, rows and arguments, pinned word for word.

Found by the random sample of the mutation run of 2026-12-06 (``mutation/run.py
--sample``, docs/mutation-log.md): the batch tests asked that these inputs be refused and
named the column, but not what the message says a host should send instead.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest

from custadvocacy import (
    ConfigurationError,
    IncidentKind,
    Money,
    ValidationError,
    default_estimators,
)
from custadvocacy.batch import (
    assess_batch,
    columns_from_mapping,
    columns_from_objects,
    synthetic_mapping,
)
from custadvocacy.batch._columns import Table
from custadvocacy.estimators import BillingErrorEstimator
from custadvocacy.examples import example_context, example_portfolio

CONTEXT = example_context()
_RAW: Any = synthetic_mapping(3, seed=1)
TABLES: dict[str, Any] = {name: dict(columns) for name, columns in _RAW.items()}
RATE = "expected a currency with an exchange rate into EUR in context.rates (add the pair EUR/JPY)"


def _outcome(**changes: Any) -> str:
    """The error text of assessing ``TABLES`` with ``table__column=values`` changed."""
    tables: dict[str, Any] = {name: dict(columns) for name, columns in TABLES.items()}
    for key, values in changes.items():
        table, column = key.split("__")
        tables[table][column] = values
    with pytest.raises(ValidationError) as info:
        assess_batch(columns_from_mapping(**tables), context=CONTEXT)
    return str(info.value)


def _with(table: str, column: str, row: int, value: object) -> Any:
    values: Any = np.array(TABLES[table][column], dtype=object)
    values[row] = value
    return values.astype(np.asarray(TABLES[table][column]).dtype)


def test_an_unknown_currency_code_says_what_a_code_looks_like() -> None:
    assert _outcome(customers__currency=_with("customers", "currency", 1, "XYZ")) == (
        "1 problem in 1 row:\n"
        "  customers.currency[1]: expected an ISO 4217 code such as 'EUR', got 'XYZ'"
    )


def test_moments_given_as_numbers_text_or_booleans_say_why_they_are_refused() -> None:
    expected = (
        "1 problem in 1 column:\n  customers.customer_since: expected datetime64 with an "
        "explicit unit (read as UTC) or timezone-aware datetimes; {why}, got {got}"
    )
    numbers = _outcome(customers__customer_since=np.array([1, 2, 3]))
    assert numbers == expected.format(
        why="numbers say nothing of the unit or the time zone", got="'int64'"
    )
    # ISO text with its offset, what from_dict reads: converted by the caller, once.
    texts = np.array(["2026-10-20T10:00:00+00:00"] * 3)
    assert _outcome(customers__customer_since=texts) == expected.format(
        why="text is not read as moments: convert it first, e.g. "
        "pandas.to_datetime(column, utc=True)",
        got="a column of text (numpy dtype <U25)",
    )
    # The same text as Python strings (a pandas column read from a CSV), a gap among them:
    # one problem for the column, not one per cell -- and not a dropped portfolio.
    objects = np.array(["2026-10-20T10:00:00+00:00", None, "2026-10-21"], dtype=object)
    assert _outcome(customers__customer_since=objects) == expected.format(
        why="text is not read as moments: convert it first, e.g. "
        "pandas.to_datetime(column, utc=True)",
        got="a column of text such as '2026-10-20T10:00:00+00:00' (numpy dtype object)",
    )
    flags = _outcome(customers__customer_since=np.array([True, False, True]))
    assert flags == expected.format(
        why="booleans are no moments", got="a column of booleans (numpy dtype bool)"
    )


def test_a_currency_without_an_exchange_rate_is_named_in_each_table_it_is_used() -> None:
    amounts = np.asarray(TABLES["incidents"]["amount"])
    with_amount = int(np.flatnonzero(~np.isnan(amounts))[0])
    outcome = _outcome(
        orders__currency=_with("orders", "currency", 0, "JPY"),
        incidents__amount_currency=np.where(np.arange(amounts.size) == with_amount, "JPY", "EUR"),
    )
    assert outcome == (
        "2 problems in 2 rows:\n"
        f"  orders.currency[0]: {RATE}, got 'JPY'\n"
        f"  incidents.amount_currency[{with_amount}]: {RATE}, got 'JPY'"
    )


def test_copy_must_be_true_or_false() -> None:
    with pytest.raises(ValidationError) as info:
        columns_from_mapping(**TABLES, copy="yes")  # type: ignore[arg-type]
    assert str(info.value) == "1 problem:\n  copy: expected True or False, got 'yes'"


def test_a_row_number_out_of_range_names_the_range_or_that_there_are_none() -> None:
    result = assess_batch(columns_from_mapping(**TABLES), context=CONTEXT)
    with pytest.raises(ValidationError) as info:
        result.to_records(rows=[99])
    assert str(info.value) == "1 problem:\n  rows[0]: expected a row from 0 to 2, got 99"
    with pytest.raises(ValidationError) as info:
        result.to_records(rows=5)  # type: ignore[arg-type]
    assert str(info.value) == "1 problem:\n  rows: expected a sequence of row numbers, got 5"
    empty = assess_batch(columns_from_mapping(**synthetic_mapping(0, seed=1)), context=CONTEXT)
    with pytest.raises(ValidationError) as info:
        empty.to_records(rows=[0])
    assert str(info.value) == "1 problem:\n  rows[0]: expected a row (there are none), got 0"


def test_portfolio_columns_built_from_stored_tables_name_each_bad_table_and_column() -> None:
    columns = columns_from_objects(example_portfolio())
    stored = columns.customers
    kept = [n for n in stored.names if n not in {"segment", "currency"}]
    short = Table(name="customers", names=tuple(kept), arrays=tuple(stored[n] for n in kept))
    as_ints = tuple(
        stored[n].astype(np.int64) if n == "annual_value" else stored[n] for n in stored.names
    )
    two_d = tuple(stored[n].reshape(-1, 1) if n == "id_rank" else stored[n] for n in stored.names)
    rows = stored.rows

    def outcome(table: object) -> str:
        with pytest.raises(ValidationError) as info:
            attrs.evolve(columns, customers=table)  # type: ignore[arg-type]
        return str(info.value)

    assert outcome("x") == "1 problem:\n  customers: expected a Table, got 'x'"
    assert outcome(short) == (
        "2 problems:\n"
        "  customers.segment: expected a stored column of that name, got None\n"
        "  customers.currency: expected a stored column of that name, got None"
    )
    assert outcome(Table(name="customers", names=stored.names, arrays=as_ints)) == (
        "1 problem:\n  customers.annual_value: expected a 1-d column of "
        f"{rows} floats, got 'int64 of shape ({rows},)'"
    )
    assert outcome(Table(name="customers", names=stored.names, arrays=two_d)) == (
        "1 problem:\n  customers.id_rank: expected a 1-d column of "
        f"{rows} whole numbers, got 'int64 of shape ({rows}, 1)'"
    )


def test_each_customer_money_currency_is_named_and_the_rows_come_in_order() -> None:
    # JPY has no rate. The account currencies are checked before the daily revenue's, yet
    # the problems come by table, then row; a currency beside an amount that is not given
    # (NaN: row 0's staff cost, row 2's daily revenue) needs no rate, and a money column
    # in its customer's own currency (customer 1's, and its incidents' amounts) is named
    # once, as customers.currency: the column the host gave.
    revenue = np.array(TABLES["customers"]["daily_revenue"], dtype=float)
    revenue[2] = np.nan
    outcome = _outcome(
        customers__currency=_with("customers", "currency", 1, "JPY"),
        customers__annual_value_currency=np.array(["", "", "JPY"]),
        customers__daily_revenue=revenue,
        customers__daily_revenue_currency=np.array(["JPY", "", "JPY"]),
        customers__staff_hourly_cost=np.array([np.nan, 60.0, 70.0]),
        customers__staff_hourly_cost_currency=np.array(["JPY", "", "JPY"]),
        orders__currency=np.array(["EUR"] * len(TABLES["orders"]["currency"])),
    )
    assert outcome.splitlines() == [
        "4 problems in 3 rows:",
        f"  customers.daily_revenue_currency[0]: {RATE}, got 'JPY'",
        f"  customers.currency[1]: {RATE}, got 'JPY'",
        f"  customers.annual_value_currency[2]: {RATE}, got 'JPY'",
        f"  customers.staff_hourly_cost_currency[2]: {RATE}, got 'JPY'",
    ]


def test_assess_batch_names_a_bad_chunk_size_and_limits_without_a_budget() -> None:
    columns = columns_from_mapping(**TABLES)
    for size, expected in (
        (0, "a whole number from 1 to 1e+07"),
        (10_000_001, "a whole number from 1 to 1e+07"),
        (2.5, "a whole number from 1 to 1e+07"),
    ):
        with pytest.raises(ValidationError) as info:
            assess_batch(columns, context=CONTEXT, chunk_size=size)  # type: ignore[arg-type]
        assert [(p.path, p.value, p.expected) for p in info.value.problems] == [
            ("chunk_size", size, expected)
        ]
    limit = Money(10, "EUR")
    with pytest.raises(ValidationError) as limits:
        assess_batch(columns, context=CONTEXT, per_customer_limit=limit, per_action_limit=limit)
    assert [(p.path, p.value, p.expected) for p in limits.value.problems] == [
        ("per_customer_limit", limit, "None unless a budget is given"),
        ("per_action_limit", limit, "None unless a budget is given"),
    ]


def test_assess_batch_names_each_estimator_it_cannot_compute() -> None:
    columns = columns_from_mapping(**TABLES)
    with pytest.raises(ConfigurationError) as info:
        assess_batch(columns, context=CONTEXT, estimators={"late": 1})  # type: ignore[arg-type]
    assert "estimators must be an EstimatorSet, not {'late': 1}" in str(info.value)
    hosts = default_estimators().with_estimator(_Subclassed(), kinds=[IncidentKind.BILLING_ERROR])
    with pytest.raises(ConfigurationError) as subclass:
        assess_batch(columns, context=CONTEXT, estimators=hosts)
    assert (
        "the estimator for 'billing_error' is _Subclassed(); the batch path computes the"
        " built-in BillingErrorEstimator only (assess a host's own estimator with"
        " assess_portfolio)"
    ) in str(subclass.value)


class _Subclassed(BillingErrorEstimator):
    """A host's estimator: the built-in one's behaviour, but not the built-in class."""

    def __repr__(self) -> str:
        return "_Subclassed()"


def test_assess_batch_names_every_plug_in_it_cannot_run_at_once() -> None:
    columns = columns_from_mapping(**TABLES)
    with pytest.raises(ConfigurationError) as info:
        assess_batch(
            columns,
            context=CONTEXT,
            policy=7,  # type: ignore[arg-type]
            catalog=[],  # type: ignore[arg-type]
            lead_time_model="m",  # type: ignore[arg-type]
        )
    assert str(info.value).splitlines() == [
        "cannot assess the batch:",
        (
            "  policy must be a CustomerFirstPolicy, PlaybookPolicy or VendorValuePolicy: the"
            " batch path runs exactly these built-in classes (any settings, no subclass), and"
            " was given an int; assess a host's own policy with assess_portfolio"
        ),
        "  catalog must be an ActionCatalog, not []",
        (
            "  lead_time_model must be an EmpiricalLeadTimeModel (the batch path computes the"
            " built-in one, with any configuration), not 'm'"
        ),
    ]
    no_late = default_estimators().without(IncidentKind.LATE_DELIVERY)
    with pytest.raises(ConfigurationError) as late:
        assess_batch(columns, context=CONTEXT, estimators=no_late)
    assert str(late.value) == (
        "the batch path prices the loss of a late order with the late-delivery estimator"
        " (as forecast_orders does), and the given EstimatorSet has none"
    )


def test_assess_batch_names_bad_columns_and_context_and_a_table_an_unknown_column() -> None:
    with pytest.raises(ValidationError) as info:
        assess_batch("cols", context="now")  # type: ignore[arg-type]
    assert [(p.path, p.value) for p in info.value.problems] == [
        ("columns", "cols"),
        ("context", "now"),
    ]
    assert info.value.problems[1].expected == "a Context"
    table = columns_from_mapping(**TABLES).customers
    with pytest.raises(ValidationError) as column:
        table["nope"]
    assert [(p.path, p.value, p.expected) for p in column.value.problems] == [
        ("customers.nope", "nope", f"one of the columns {', '.join(table.names)}")
    ]
    assert ", ".join(table.names).startswith("row, id, id_rank, segment, ")
