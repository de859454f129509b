"""from_dict lists every problem at once: a field that fails to convert hides no other.

A wrong-typed field used to stop its record's other checks (an empty id, a negative
amount, a promise before the order) and a portfolio's reference checks: the sender fixed
one problem and met the next on the following attempt. Now the class's checks run over
the fields that converted, with nothing said about the field that failed (follow-on
noise), and a portfolio's references are checked over the records that converted.
"""

from __future__ import annotations

import copy
from typing import Any

import attrs
import pytest
from _payloads import from_dict_error
from hypothesis import given
from hypothesis import strategies as st

from custadvocacy import (
    Customer,
    HealthSignals,
    Incident,
    Money,
    OperatingProfile,
    Order,
    Portfolio,
    PortfolioAssessment,
    ScorerConfig,
    ValidationError,
    assess_portfolio,
    from_dict,
    to_dict,
)
from custadvocacy._checks import Checks
from custadvocacy.examples import example_context, example_payload, example_portfolio
from custadvocacy.testing.strategies import (
    customers,
    health_signals,
    incidents,
    operating_profiles,
    orders,
    portfolios,
)

ORDER = {
    "id": "O-1",
    "customer_id": "C",
    "placed_at": "2026-11-01T00:00:00Z",
    "promised_at": "2026-11-05T00:00:00Z",
    "value": {"amount": "10", "currency": "EUR"},
}


# ------------------------------------------------------------------ one record


def test_a_wrong_type_does_not_hide_the_records_other_problems() -> None:
    payload = dict(ORDER, criticality="high", id="", value={"amount": "-1", "currency": "EUR"})
    assert from_dict_error(Order, payload) == (
        "3 problems:\n"
        "  criticality: expected a number, got 'high'\n"
        "  id: expected a non-empty string, got ''\n"
        "  value.amount: expected a non-negative amount, got Decimal('-1')"
    )


def test_a_cross_field_rule_between_fields_that_converted_still_runs() -> None:
    payload = dict(ORDER, criticality="high", promised_at="2026-10-01T00:00:00Z")
    assert from_dict_error(Order, payload) == (
        "2 problems:\n"
        "  criticality: expected a number, got 'high'\n"
        "  promised_at: expected a moment not before placed_at (2026-11-01T00:00:00+00:00), "
        "got datetime 2026-10-01T00:00:00+00:00"
    )


def test_a_missing_field_does_not_hide_the_others() -> None:
    payload = {k: v for k, v in ORDER.items() if k != "value"} | {"id": " ", "criticality": 2}
    assert from_dict_error(Order, payload) == (
        "3 problems:\n"
        "  value: missing (the field is required)\n"
        "  id: expected a non-empty string, got ' '\n"
        "  criticality: expected a number from 0 to 1 (a share), got 2.0"
    )


def test_nothing_is_said_twice_about_a_field_that_failed() -> None:
    # placed_at failed: no "expected a timezone-aware datetime" for it, and the promise is
    # not compared with it; value failed: no "expected a Money".
    payload = dict(ORDER, placed_at="soon", value={"amount": "x", "currency": "EUR"})
    assert from_dict_error(Order, payload) == (
        "2 problems:\n"
        "  placed_at: expected an ISO 8601 datetime with a UTC offset, "
        "e.g. '2026-11-23T09:00:00+01:00', got 'soon'\n"
        "  value.amount: expected a finite number, got 'x'"
    )


def test_a_nested_record_that_failed_does_not_hide_its_parents_problems() -> None:
    customer = example_payload()["customers"][0]
    payload = dict(customer, profile={"staff_count": "many"}, name="", currency="EURO")
    assert from_dict_error(Customer, payload) == (
        "3 problems:\n"
        "  profile.staff_count: expected a whole number, got 'many'\n"
        "  name: expected a non-empty string, got ''\n"
        "  currency: expected an ISO 4217 code such as 'EUR', got 'EURO'"
    )


def test_a_configuration_reports_its_other_fields_beside_a_nested_failure() -> None:
    payload = {"weights": {"relationship": -1}, "band_thresholds": [50, 20, 35, 55]}
    assert from_dict_error(ScorerConfig, payload) == (
        "2 problems:\n"
        "  weights.relationship: expected a number from 0 to 1e+06 (a relative weight), "
        "got -1.0\n"
        "  band_thresholds: expected four strictly increasing numbers in (0, 100], "
        "got (50.0, 20.0, 35.0, 55.0)"
    )


@attrs.frozen(kw_only=True)
class Priced:
    """A rule between fields whose message shows the other field's value (as
    PortfolioAssessment's currency rule does)."""

    currency: str
    price: Money
    label: str = "x"

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.currency("currency", self.currency)
        c.money("price", self.price)
        c.text("label", self.label, max_length=10)
        price: object = self.price
        if isinstance(price, Money) and price.currency != self.currency:
            c.fail("price.currency", price.currency, repr(self.currency))
        c.done()


def test_a_rule_that_shows_the_failed_field_is_left_out() -> None:
    price = {"amount": "1", "currency": "CZK"}
    # Not "price.currency: expected <invalid>, got 'CZK'": the currency failed.
    assert from_dict_error(Priced, {"currency": 5, "price": price, "label": ""}) == (
        "2 problems:\n"
        "  currency: expected a string, got 5\n"
        "  label: expected a non-empty string, got ''"
    )
    assert from_dict_error(Priced, {"currency": "EUR", "price": price, "label": 5}) == (
        "2 problems:\n"
        "  label: expected a string, got 5\n"
        "  price.currency: expected 'EUR', got 'CZK'"
    )


@attrs.frozen(kw_only=True)
class Blame:
    """A rule that reports on one field with another field's value."""

    first: int
    second: int

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.number("first", self.first, high=10, integer=True)
        c.number("second", self.second, high=10, integer=True)
        if self.first == 0:
            c.fail("second", self.first, "a second number only when the first is not 0")
        c.done()


def test_nothing_is_reported_at_a_field_that_failed_whatever_value_it_shows() -> None:
    assert from_dict_error(Blame, {"first": 0, "second": "a"}) == (
        "1 problem:\n  second: expected a whole number, got 'a'"
    )
    assert from_dict_error(Blame, {"first": 0, "second": 11}) == (
        "2 problems:\n"
        "  second: expected a whole number from 0 to 10, got 11\n"
        "  second: expected a second number only when the first is not 0, got 0"
    )


@attrs.frozen(kw_only=True)
class Fragile:
    """A rule that breaks (TypeError) on a field that did not convert."""

    low: float
    high: float

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.number("high", self.high, high=10)
        if self.high < self.low:  # unguarded: a TypeError when low is not a number
            c.fail("low", self.low, "a number not above high")
        c.done()


def test_checks_that_break_on_the_failed_field_add_nothing_and_raise_nothing() -> None:
    assert from_dict_error(Fragile, {"low": "a", "high": 1.0}) == (
        "1 problem:\n  low: expected a number, got 'a'"
    )
    # What such a class loses: high's own problem waits for the next attempt. The
    # library's classes guard their rules between fields (Checks.not_before, or
    # "if not c.problems"), so theirs all run.
    assert from_dict_error(Fragile, {"low": "a", "high": 20.0}) == (
        "1 problem:\n  low: expected a number, got 'a'"
    )


# ------------------------------------------------------------------ a portfolio


def test_a_dangling_reference_is_reported_beside_a_wrong_type_elsewhere() -> None:
    payload = example_payload()
    payload["orders"][0]["criticality"] = "high"
    payload["orders"][3]["customer_id"] = "C99"
    assert from_dict_error(Portfolio, payload) == (
        "2 problems:\n"
        "  orders[0].criticality: expected a number, got 'high'\n"
        "  orders[3].customer_id: expected the id of a given customer, got 'C99'"
    )


def test_a_record_that_failed_still_names_its_customer() -> None:
    payload = example_payload()  # no incident names O-1002; INC-301 names no order
    payload["orders"][1]["criticality"] = "high"
    payload["orders"][1]["customer_id"] = "C99"
    payload["incidents"][2]["severity"] = "huge"
    payload["incidents"][2]["customer_id"] = "C98"
    assert from_dict_error(Portfolio, payload) == (
        "4 problems:\n"
        "  orders[1].criticality: expected a number, got 'high'\n"
        "  incidents[2].severity: expected one of 'low', 'medium', 'high', 'critical', "
        "got 'huge'\n"
        "  orders[1].customer_id: expected the id of a given customer, got 'C99'\n"
        "  incidents[2].customer_id: expected the id of a given customer, got 'C98'"
    )


def test_a_value_problem_in_one_record_does_not_hide_a_reference_problem() -> None:
    payload = example_payload()
    payload["customers"][0]["annual_value"]["amount"] = "-1"
    payload["incidents"][1]["order_id"] = "O-404"
    payload["orders"][1]["id"] = payload["orders"][2]["id"]
    assert from_dict_error(Portfolio, payload) == (
        "3 problems:\n"
        "  customers[0].annual_value.amount: expected a non-negative amount, got Decimal('-1')\n"
        "  orders[2].id: expected an id not used by another order, got 'O-2001'\n"
        "  incidents[1].order_id: expected the id of a given order, got 'O-404'"
    )


def test_an_order_of_another_customer_is_reported_when_both_ids_are_good() -> None:
    payload = example_payload()
    payload["orders"][0]["criticality"] = "x"
    payload["orders"][0]["customer_id"] = "C02"  # INC-101 of C01 names this order
    assert from_dict_error(Portfolio, payload) == (
        "2 problems:\n"
        "  orders[0].criticality: expected a number, got 'x'\n"
        "  incidents[0].order_id: expected an order of customer 'C01' (it belongs to 'C02'), "
        "got 'O-1001'"
    )


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # The order's customer_id failed: whose order it is is unknown.
        (
            lambda p: p["orders"][0].update(customer_id=5),
            "orders[0].customer_id: expected a string, got 5",
        ),
        # The incident's customer_id failed: whether the order is its customer's is unknown.
        (
            lambda p: p["incidents"][0].update(customer_id=""),
            "incidents[0].customer_id: expected a non-empty string, got ''",
        ),
        # An order's id failed: a reference to an order not found may mean that one.
        (
            lambda p: p["orders"][0].update(id=""),
            "orders[0].id: expected a non-empty string, got ''",
        ),
        # The same when the order could not be built for another reason too.
        (
            lambda p: p["orders"][0].update(id="", criticality="high"),
            (
                "orders[0].criticality: expected a number, got 'high'\n"
                "  orders[0].id: expected a non-empty string, got ''"
            ),
        ),
        # A customer that is not even an object: any customer id may be its.
        (
            lambda p: p["customers"].__setitem__(0, None),
            "customers[0]: expected an object (mapping) for Customer, got None",
        ),
        (
            lambda p: p.update(customers="C01"),
            "customers: expected a list, got 'C01'",
        ),
        # An order or an incident that is not even an object: it names no one.
        (
            lambda p: p["orders"].__setitem__(1, 5),
            "orders[1]: expected an object (mapping) for Order, got 5",
        ),
        (
            lambda p: p["incidents"].__setitem__(1, None),
            "incidents[1]: expected an object (mapping) for Incident, got None",
        ),
        # The incident's order_id failed: nothing to check.
        (
            lambda p: p["incidents"][0].update(order_id=7),
            "incidents[0].order_id: expected a string, got 7",
        ),
    ],
)
def test_references_that_cannot_be_known_are_not_guessed(edit: Any, expected: str) -> None:
    payload = example_payload()
    edit(payload)
    count = expected.count("\n") + 1
    assert (
        from_dict_error(Portfolio, payload) == f"{count} problem{'s' * (count > 1)}:\n  {expected}"
    )


@attrs.frozen
class _Holder:
    portfolio: Portfolio


def test_a_nested_portfolio_s_reference_problems_are_under_its_path() -> None:
    payload = example_payload()
    payload["orders"][0]["criticality"] = "high"
    payload["orders"][3]["customer_id"] = "C99"
    assert from_dict_error(_Holder, {"portfolio": payload}) == (
        "2 problems:\n"
        "  portfolio.orders[0].criticality: expected a number, got 'high'\n"
        "  portfolio.orders[3].customer_id: expected the id of a given customer, got 'C99'"
    )


def test_a_list_left_out_is_empty_and_references_into_it_dangle() -> None:
    payload = {"orders": [dict(ORDER, criticality="x")]}
    assert from_dict_error(Portfolio, payload) == (
        "2 problems:\n"
        "  orders[0].criticality: expected a number, got 'x'\n"
        "  orders[0].customer_id: expected the id of a given customer, got 'C'"
    )


def test_duplicate_ids_are_reported_even_when_a_list_cannot_be_read() -> None:
    payload = example_payload()
    payload["customers"] = "all of them"
    payload["orders"][1]["id"] = payload["orders"][0]["id"]
    assert from_dict_error(Portfolio, payload) == (
        "2 problems:\n"
        "  customers: expected a list, got 'all of them'\n"
        "  orders[1].id: expected an id not used by another order, got 'O-1001'"
    )


# ------------------------------------------------------------------ properties

# Per class and field: a value that fails to convert and one that converts but fails the
# field's own check, each with the path of the one problem it gives. No value breaks a
# rule between fields (a moment in 1800 fails the moment's own check, and the order of
# moments is then not compared).
OLD = "1800-01-01T00:00:00+00:00"
MINUS = {"amount": "-1", "currency": "EUR"}
COMMON = {
    "id": ((5, "id"), ("", "id")),
    "customer_id": ((5, "customer_id"), (" ", "customer_id")),
}
BREAKERS: dict[type, dict[str, tuple[tuple[Any, str], ...]]] = {
    Order: {
        **COMMON,
        "placed_at": (("soon", "placed_at"), (OLD, "placed_at")),
        "promised_at": (("soon", "promised_at"), (OLD, "promised_at")),
        "value": (("10 EUR", "value"), (MINUS, "value.amount")),
        "criticality": (("high", "criticality"), (1.5, "criticality")),
        "delivered_at": ((1, "delivered_at"), (OLD, "delivered_at")),
        "eta": (([], "eta"), (OLD, "eta")),
        "lane": ((5, "lane"), ("", "lane")),
    },
    Customer: {
        "id": COMMON["id"],
        "name": ((5, "name"), ("", "name")),
        "segment": ((5, "segment"), ("SMALL", "segment")),
        "customer_since": (("soon", "customer_since"), (OLD, "customer_since")),
        "currency": ((5, "currency"), ("EURO", "currency")),
        "annual_value": (("x", "annual_value"), (MINUS, "annual_value.amount")),
        "renewal_at": (("soon", "renewal_at"), (OLD, "renewal_at")),
        "profile": (([], "profile"), ({"staff_count": -1}, "profile.staff_count")),
        "health": (([], "health"), ({"nps": 11}, "health.nps")),
    },
    Incident: {
        **COMMON,
        "kind": ((5, "kind"), ("fire", "kind")),
        "opened_at": (("soon", "opened_at"), (OLD, "opened_at")),
        "severity": ((5, "severity"), ("huge", "severity")),
        "noticed_by": ((5, "noticed_by"), ("nobody", "noticed_by")),
        "order_id": ((5, "order_id"), ("", "order_id")),
        "resolved_at": (("soon", "resolved_at"), (OLD, "resolved_at")),
        "affected_share": (("x", "affected_share"), (1.5, "affected_share")),
        "amount": (("x", "amount"), (MINUS, "amount.amount")),
        "effort_hours": (("x", "effort_hours"), (-1, "effort_hours")),
        "summary": ((5, "summary"), ("s" * 10_001, "summary")),
    },
    OperatingProfile: {
        "daily_revenue": (("x", "daily_revenue"), (MINUS, "daily_revenue.amount")),
        "gross_margin": (("x", "gross_margin"), (1.5, "gross_margin")),
        "buffer_days": (("x", "buffer_days"), (-1, "buffer_days")),
        "staff_hourly_cost": (("x", "staff_hourly_cost"), (MINUS, "staff_hourly_cost.amount")),
        "staff_count": ((2.5, "staff_count"), (-1, "staff_count")),
    },
    HealthSignals: {
        "nps": (("x", "nps"), (11, "nps")),
        "csat": (("x", "csat"), (0.5, "csat")),
        "open_tickets": (("x", "open_tickets"), (-1, "open_tickets")),
        "usage_trend": (("x", "usage_trend"), (-2, "usage_trend")),
    },
}
RECORDS: dict[type, st.SearchStrategy[Any]] = {
    Order: orders(),
    Customer: customers(),
    Incident: incidents(order_ids=st.none() | st.just("O-1")),
    OperatingProfile: operating_profiles(),
    HealthSignals: health_signals(),
}


def _breaks(cls: type) -> st.SearchStrategy[dict[str, tuple[Any, str]]]:
    """Some fields of ``cls`` (at least one), each with a type or a value breaker."""
    table = BREAKERS[cls]
    return st.dictionaries(
        st.sampled_from(sorted(table)),
        st.sampled_from([0, 1]),
        min_size=1,
    ).map(lambda picks: {name: table[name][kind] for name, kind in picks.items()})


RECORDS_BROKEN = st.sampled_from(sorted(RECORDS, key=lambda c: c.__name__)).flatmap(
    lambda cls: st.tuples(st.just(cls), RECORDS[cls], _breaks(cls))
)


def test_every_field_of_every_record_has_breakers() -> None:
    for cls, table in BREAKERS.items():
        assert sorted(table) == sorted(f.name for f in attrs.fields(cls))


@given(RECORDS_BROKEN)
def test_k_broken_fields_give_k_problems_one_per_path(
    case: tuple[type, Any, dict[str, tuple[Any, str]]],
) -> None:
    cls, record, breaks = case
    payload = to_dict(record)
    for name, (bad, _) in breaks.items():
        payload[name] = bad
    before = copy.deepcopy(payload)
    with pytest.raises(ValidationError) as info:
        from_dict(cls, payload)
    assert sorted(info.value.paths) == sorted(path for _, path in breaks.values())
    assert payload == before


# Fields of a portfolio's records that no reference reads: breaking them changes no
# reference problem.
NOT_REFERENCES = {
    "customers": [n for n in BREAKERS[Customer] if n != "id"],
    "orders": [n for n in BREAKERS[Order] if n not in ("id", "customer_id")],
    "incidents": [n for n in BREAKERS[Incident] if n not in ("id", "customer_id", "order_id")],
}
KINDS = {"customers": Customer, "orders": Order, "incidents": Incident}


def _reference_edits(payload: dict[str, Any], draw: Any) -> list[tuple[str, int, str, str]]:
    """Some (list, index, field, new value) that break references, drawn for ``payload``."""
    choices = [("orders", i, "customer_id", "C-nobody") for i in range(len(payload["orders"]))]
    choices += [("incidents", i, "order_id", "O-nowhere") for i in range(len(payload["incidents"]))]
    choices += [
        ("orders", i, "id", payload["orders"][0]["id"]) for i in range(1, len(payload["orders"]))
    ]
    if not choices:
        return []
    edits: list[tuple[str, int, str, str]] = draw(
        st.lists(st.sampled_from(choices), max_size=3, unique=True)
    )
    return edits


def _field_breaks(payload: dict[str, Any], draw: Any) -> list[tuple[str, int, str, int]]:
    """Some (list, index, field, breaker) on fields that are not references."""
    choices = [
        (name, i, field, kind)
        for name, fields in NOT_REFERENCES.items()
        for i in range(len(payload[name]))
        for field in fields
        for kind in (0, 1)
    ]
    breaks: list[tuple[str, int, str, int]] = draw(
        st.lists(st.sampled_from(choices), max_size=4, unique_by=lambda c: c[:3])
    )
    return breaks


def _paths(payload: dict[str, Any]) -> list[str]:
    try:
        from_dict(Portfolio, payload)
    except ValidationError as exc:
        return sorted(exc.paths)
    return []


@given(portfolios(min_size=1, max_size=3), st.data())
def test_reference_problems_are_the_same_whatever_else_is_broken(
    portfolio: Portfolio, data: st.DataObject
) -> None:
    payload = to_dict(portfolio)
    references = copy.deepcopy(payload)
    for name, i, field, value in _reference_edits(payload, data.draw):
        references[name][i][field] = value
    everything = copy.deepcopy(references)
    field_paths = []
    for name, i, field, kind in _field_breaks(payload, data.draw):
        bad, path = BREAKERS[KINDS[name]][field][kind]
        everything[name][i][field] = bad
        field_paths.append(f"{name}[{i}].{path}")
    assert _paths(everything) == sorted(field_paths + _paths(references))


def test_a_value_that_reads_like_the_placeholder_is_still_reported() -> None:
    # The problems about a failed field are told apart by the placeholder in their
    # expectation, not by its text anywhere: a host's own "<invalid>..." is data.
    order = to_dict(example_portfolio().orders[0])
    lane = "<invalid>" + "x" * 300
    message = from_dict_error(Order, {**order, "lane": lane, "criticality": "high"})
    assert message.splitlines()[0] == "2 problems:"
    assert message.splitlines()[1].startswith("  criticality: expected a number")
    assert message.splitlines()[2].startswith("  lane: expected a string of at most")


def test_a_portfolio_assessment_with_a_bad_as_of_still_checks_the_rest() -> None:
    # Its check compared each assessment's as_of with its own, which the placeholder of a
    # failed as_of broke: every other problem was lost with it.
    ranked = assess_portfolio(example_portfolio(), context=example_context())
    payload = {**to_dict(ranked), "as_of": "not a moment", "currency": "EURO"}
    message = from_dict_error(PortfolioAssessment, payload)
    assert [line.split(":")[0].strip() for line in message.splitlines()[1:]] == [
        "as_of",
        "currency",
    ]
