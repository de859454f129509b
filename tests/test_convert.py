"""to_dict / from_dict: exact round trips, every problem with its path, hostile payloads."""

from __future__ import annotations

import contextlib
import copy
import decimal
import json
import math
import numbers
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any, assert_type
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import pytest
from _payloads import NoOffset, from_dict_error
from hypothesis import given
from hypothesis import strategies as st

import custadvocacy._convert._from_dict as from_dict_module
from custadvocacy import (
    ConfigurationError,
    Context,
    Customer,
    ExchangeRates,
    HealthSignals,
    Incident,
    IncidentKind,
    Money,
    OperatingProfile,
    Order,
    Portfolio,
    Segment,
    ValidationError,
    from_dict,
    to_dict,
)
from custadvocacy._checks import Checks
from custadvocacy.examples import example_context, example_payload, example_portfolio
from custadvocacy.testing.strategies import (
    contexts,
    customers,
    exchange_rates,
    health_signals,
    incidents,
    moments,
    money,
    operating_profiles,
    orders,
    portfolios,
)

STRATEGIES: dict[type, st.SearchStrategy[Any]] = {
    Money: money(min_value=-1_000_000, places=None),
    ExchangeRates: exchange_rates(),
    Context: contexts(),
    OperatingProfile: operating_profiles(),
    HealthSignals: health_signals(),
    Customer: customers(),
    Order: orders(),
    Incident: incidents(order_ids=st.none() | st.just("O-1")),
    Portfolio: portfolios(max_size=3),
}

OBJECTS = st.sampled_from(sorted(STRATEGIES, key=lambda c: c.__name__)).flatmap(
    lambda cls: st.tuples(st.just(cls), STRATEGIES[cls])
)


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


# ------------------------------------------------------------------ round trips


@given(OBJECTS)
def test_to_dict_is_plain_json_data(pair: tuple[type, Any]) -> None:
    _, obj = pair
    data = to_dict(obj)
    assert _is_plain(data)
    json.dumps(data, allow_nan=False)


@given(OBJECTS)
def test_from_dict_inverts_to_dict_exactly(pair: tuple[type, Any]) -> None:
    cls, obj = pair
    data = to_dict(obj)
    back: object = from_dict(cls, data)
    assert back == obj
    assert to_dict(back) == data


@given(OBJECTS)
def test_the_round_trip_survives_json_text(pair: tuple[type, Any]) -> None:
    cls, obj = pair
    text = json.dumps(to_dict(obj), allow_nan=False)
    back: object = from_dict(cls, json.loads(text))
    assert back == obj
    assert json.dumps(to_dict(back), allow_nan=False) == text


@given(OBJECTS)
def test_from_dict_does_not_change_the_payload(pair: tuple[type, Any]) -> None:
    cls, obj = pair
    data = to_dict(obj)
    before = copy.deepcopy(data)
    from_dict(cls, data)
    assert data == before


def test_the_wire_format() -> None:
    order = example_portfolio().orders[0]
    assert to_dict(order) == {
        "id": "O-1001",
        "customer_id": "C01",
        "placed_at": "2026-10-20T10:00:00+02:00",
        "promised_at": "2026-11-09T12:00:00+01:00",
        "value": {"amount": "640000", "currency": "CZK"},
        "criticality": 1.0,
        "delivered_at": "2026-11-15T12:00:00+01:00",
        "eta": None,
        "lane": "DE-CZ road",
    }
    assert to_dict(example_context()) == {
        "as_of": "2026-11-20T09:00:00+00:00",
        "currency": "EUR",
        "rates": {"EUR/CZK": "25.00", "EUR/GBP": "0.86"},
    }
    assert to_dict(Segment.SMALL) == "small"
    assert to_dict(Decimal("1.50")) == "1.50"
    assert to_dict({"a": (1, [IncidentKind.DEFECT])}) == {"a": [1, ["defect"]]}


def test_the_example_payload_is_exactly_the_example_portfolio() -> None:
    assert to_dict(example_portfolio()) == example_payload()


@given(moments())
def test_datetimes_keep_their_offset(moment: datetime) -> None:
    ctx = Context(as_of=moment, currency="EUR")
    text = to_dict(ctx)["as_of"]
    assert text == moment.isoformat()
    assert from_dict(Context, to_dict(ctx)).as_of.utcoffset() == moment.utcoffset()


def test_microseconds_and_odd_offsets_round_trip() -> None:
    data = {"as_of": "2026-11-20T09:00:00.123456+05:45", "currency": "NPR", "rates": {}}
    assert to_dict(from_dict(Context, data)) == data


def test_top_level_scalars_convert() -> None:
    assert from_dict(Decimal, "1.50") == Decimal("1.50")
    assert from_dict(int, 3) == 3
    assert from_dict(bool, data=True) is True
    with pytest.raises(ValidationError, match="true or false"):
        from_dict(bool, "yes")
    with pytest.raises(ValidationError, match="a decimal number as a string"):
        from_dict(Decimal, "1,5")
    assert from_dict(float, 2) == 2.0
    assert from_dict(Segment, "enterprise") is Segment.ENTERPRISE
    assert from_dict(datetime, "2026-01-01T00:00:00Z") == datetime(2026, 1, 1, tzinfo=UTC)
    assert from_dict(Money, {"amount": 5, "currency": "JPY"}) == Money(5, "JPY")


# --------------------------------------------------------------- unknown keys


def test_unknown_keys_are_rejected_by_default_and_named() -> None:
    payload = example_payload()
    payload["source"] = "crm"
    payload["customers"][1]["crm_owner"] = "Jana"
    payload["customers"][1]["profile"]["sites"] = 3
    payload["orders"][0]["value"]["formatted"] = "640,000 CZK"
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, payload)
    assert info.value.paths == (
        "source",
        "customers[1].crm_owner",
        "customers[1].profile.sites",
        "orders[0].value.formatted",
    )
    message = str(info.value)
    assert "crm_owner: expected no such field (Customer has: annual_value, currency," in message
    assert "formatted: expected no such field (Money has: amount, currency)" in message


def test_unknown_keys_are_dropped_when_asked() -> None:
    payload = example_payload()
    payload["source"] = "crm"
    payload["customers"][1]["crm_owner"] = "Jana"
    payload["customers"][1]["profile"]["sites"] = 3
    payload["orders"][0]["value"]["formatted"] = "640,000 CZK"
    before = copy.deepcopy(payload)
    assert from_dict(Portfolio, payload, unknown="ignore") == example_portfolio()
    assert payload == before


def test_ignoring_unknown_keys_still_reports_real_problems() -> None:
    payload = example_payload()
    payload["customers"][0]["extra"] = 1
    payload["customers"][0]["annual_value"] = {"amount": "-1", "currency": "CZK", "x": 1}
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, payload, unknown="ignore")
    assert info.value.paths == ("customers[0].annual_value.amount",)


@pytest.mark.parametrize("unknown", ["drop", "", None, True])
def test_the_unknown_option_is_checked(unknown: Any) -> None:
    with pytest.raises(ConfigurationError, match="'reject', 'ignore' or a set of the names"):
        from_dict(Money, {"amount": "1", "currency": "EUR"}, unknown=unknown)


@pytest.mark.parametrize("cls", [list, dict, object, type(None)])
def test_a_class_from_dict_cannot_build_is_a_configuration_error(cls: type) -> None:
    with pytest.raises(ConfigurationError, match="cannot build"):
        from_dict(cls, {})


# ------------------------------------------------------------- every problem


def test_three_independent_problems_in_a_portfolio_are_all_reported() -> None:
    payload = example_payload()
    payload["customers"][2]["annual_value"]["amount"] = "-185000"
    payload["orders"][4]["criticality"] = 1.5
    payload["incidents"][3]["opened_at"] = "2026-11-09T10:00:00"
    before = copy.deepcopy(payload)
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, payload)
    assert info.value.paths == (
        "customers[2].annual_value.amount",
        "orders[4].criticality",
        "incidents[3].opened_at",
    )
    assert str(info.value).startswith("3 problems:")
    assert payload == before


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(Order, {"id": "O1"})
    assert info.value.paths == ("customer_id", "placed_at", "promised_at", "value")
    assert "the field is required" in str(info.value)
    with pytest.raises(ValidationError) as money_info:
        from_dict(Money, {})
    assert money_info.value.paths == ("amount", "currency")


def test_money_reports_amount_and_currency_together() -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(
            Customer,
            {
                **to_dict(example_portfolio().customers[0]),
                "annual_value": {"amount": "x", "currency": "XXX"},
            },
        )
    assert info.value.paths == ("annual_value.amount", "annual_value.currency")


def test_reference_problems_come_with_paths() -> None:
    payload = example_payload()
    payload["orders"][0]["customer_id"] = "C99"
    payload["incidents"][0]["order_id"] = "O-2001"
    payload["incidents"][1]["order_id"] = "O-404"
    payload["customers"][1]["id"] = "C01"
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, payload)
    assert set(info.value.paths) == {
        "customers[1].id",
        "orders[0].customer_id",
        "orders[2].customer_id",
        "incidents[0].order_id",
        "incidents[1].order_id",
        "incidents[1].customer_id",
    }


# ------------------------------------------------------------- hostile input


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


ALWAYS_INVALID: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    json.loads("1e999"),
    json.loads("NaN"),
    10**400,
    -(10**400),
    "x" * 100_001,
    _nested(10_000),
    {"surprise": 1},
    [{"surprise": 1}],
]


def _paths(node: Any, prefix: str = "") -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Yield (path text, key tuple) for every value below the root."""
    items: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, child in items:
        text = (
            f"{prefix}[{key}]" if isinstance(key, int) else (f"{prefix}.{key}" if prefix else key)
        )
        yield text, (key,)
        for sub_text, sub_keys in _paths(child, text):
            yield sub_text, (key, *sub_keys)


def small_payload() -> dict[str, Any]:
    """Two example customers (C01, C02) with their orders and incidents: every field shape."""
    full = example_payload()
    keep = {"C01", "C02"}
    return {
        name: [item for item in full[name] if item.get("customer_id", item["id"]) in keep]
        for name in ("customers", "orders", "incidents")
    }


PAYLOAD_PATHS = list(_paths(example_payload()))
SMALL_PATHS = list(_paths(small_payload()))


def _replace(payload: Any, keys: tuple[Any, ...], value: Any) -> None:
    node = payload
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


def test_an_invalid_value_anywhere_is_reported_at_its_path() -> None:
    # Exhaustive over a finite domain: every position of a payload (leaves,
    # objects and lists) times every value no field accepts.
    wrong: list[tuple[str, int, tuple[str, ...]]] = []
    for text, keys in SMALL_PATHS:
        for index, bad in enumerate(ALWAYS_INVALID):
            payload = small_payload()
            _replace(payload, keys, bad)
            paths = _problem_paths(payload)
            if not any(p == text or p.startswith((text + ".", text + "[")) for p in paths):
                wrong.append((text, index, paths))
            # the payload is unchanged: the bad value still in place, the rest as built
            assert _lookup(payload, keys) is bad
            _replace(payload, keys, "placeholder")
            expected = small_payload()
            _replace(expected, keys, "placeholder")
            assert payload == expected, text
    assert not wrong, wrong[:5]


def _problem_paths(payload: Any) -> tuple[str, ...]:
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, payload)
    assert len(str(info.value)) < 2_000
    return info.value.paths


def _lookup(payload: Any, keys: tuple[Any, ...]) -> Any:
    node = payload
    for key in keys:
        node = node[key]
    return node


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["2026-11-20T09:00:00+00:00", "EUR", "late_delivery", "1e999999", "-5"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@given(st.sampled_from(PAYLOAD_PATHS), JSON_VALUES, st.sampled_from(["reject", "ignore"]))
def test_any_json_value_anywhere_gives_a_portfolio_or_a_validation_error(
    where: tuple[str, tuple[Any, ...]], value: Any, unknown: Any
) -> None:
    _, keys = where
    payload = example_payload()
    _replace(payload, keys, value)
    snapshot = copy.deepcopy(payload)
    # Either a portfolio or our error: anything else escapes and fails the test.
    with contextlib.suppress(ValidationError):
        assert isinstance(from_dict(Portfolio, payload, unknown=unknown), Portfolio)
    assert payload == snapshot


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("customer_since", "0001-01-01T00:00:00+23:59", "between the years 1900 and 2200"),
        ("customer_since", "9999-12-31T23:59:59-23:59", "between the years 1900 and 2200"),
        ("customer_since", "2026-11-20", "this one has no offset"),
        ("customer_since", "2026-11-20T09:00:00", "this one has no offset"),
        ("customer_since", "2026-02-30T00:00:00Z", "ISO 8601"),
        ("customer_since", "2026-11-20T09:00:00+24:00", "ISO 8601"),
        ("customer_since", "2" * 65, "ISO 8601"),
        ("customer_since", 1_700_000_000, "ISO 8601"),
        ("renewal_at", "1899-12-31T23:59:59+00:00", "between the years"),
        ("annual_value", {"amount": "1e999999", "currency": "CZK"}, "magnitude at most"),
        ("annual_value", {"amount": "-1E+999999", "currency": "CZK"}, "magnitude at most"),
        ("annual_value", {"amount": 1e300, "currency": "CZK"}, "magnitude at most"),
        ("annual_value", {"amount": "NaN", "currency": "CZK"}, "finite"),
        ("annual_value", {"amount": "sNaN", "currency": "CZK"}, "finite"),
        ("annual_value", {"amount": "12,50", "currency": "CZK"}, "finite"),
        ("annual_value", {"amount": True, "currency": "CZK"}, "finite"),
        ("annual_value", "2400000 CZK", "'amount'"),
        ("annual_value", None, "'amount'"),
        ("name", "n" * 501, "at most 500 characters"),
        ("name", "n" * 100_001, "at most 100,000 characters"),
        ("name", 12, "a string"),
        ("segment", "SMALL", "one of 'small'"),
        ("segment", ["small"], "one of 'small'"),
        ("profile", [], "an object (mapping) for OperatingProfile"),
        ("profile", {"gross_margin": 1e16}, "a number from 0 to 1 (a share)"),
        ("profile", {"gross_margin": 10**400}, "magnitude at most 1.7976931348623157e+308"),
        ("profile", {"gross_margin": Decimal("NaN")}, "not NaN"),
        ("profile", {"gross_margin": Decimal("sNaN")}, "not NaN"),  # float() raised on it
        ("profile", {"gross_margin": float("nan")}, "not NaN (for a value not known: null"),
        ("health", {"csat": Decimal("-sNaN")}, "not NaN"),
        ("annual_value", {"amount": np.float64(1e308), "currency": "CZK"}, "magnitude at most"),
        ("profile", {"gross_margin": "0.4"}, "a number"),
        ("profile", {"staff_count": True}, "a whole number"),
        ("profile", {"staff_count": 2**63}, "magnitude at most"),
        ("profile", {"staff_count": 24.5}, "a whole number"),
        ("health", {"nps": 11}, "from 0 to 10"),
    ],
)
def test_hostile_fields_give_a_validation_error_with_the_path(
    field: str, value: Any, expected: str
) -> None:
    payload = example_payload()
    payload["customers"][0][field] = value
    with pytest.raises(ValidationError, match=re.escape(expected)) as info:
        from_dict(Portfolio, payload)
    assert all(p.startswith(f"customers[0].{field}") for p in info.value.paths)


def test_numpys_float64_is_a_float_in_a_payload() -> None:
    # A dict built from a DataFrame row holds np.float64: Decimal(repr()) of one raised.
    payload = example_payload()
    amount = payload["customers"][0]["annual_value"]["amount"]
    payload["customers"][0]["annual_value"]["amount"] = np.float64(amount)
    assert from_dict(Portfolio, payload) == from_dict(Portfolio, example_payload())


@pytest.mark.parametrize(
    ("rates", "path"),
    [
        ({"EUR/CZK": "1e999999"}, "rates['EUR/CZK']"),
        ({"EUR/CZK": "0"}, "rates['EUR/CZK']"),
        ({"EUR/CZK": None}, "rates['EUR/CZK']"),
        ({"EURCZK": "25"}, "rates['EURCZK']"),
        ({"EUR/CZK/GBP": "25"}, "rates['EUR/CZK/GBP']"),
        ({"EUR/XXX": "25"}, "rates['EUR/XXX']"),
        ({"E,UR/CZK": "25"}, "rates[('E,UR', 'CZK')]"),
        (["EUR/CZK", "25"], "rates"),
    ],
)
def test_bad_rates_in_a_context_payload_name_the_pair(rates: Any, path: str) -> None:
    data = {"as_of": "2026-11-20T09:00:00+00:00", "currency": "EUR", "rates": rates}
    with pytest.raises(ValidationError) as info:
        from_dict(Context, data)
    assert info.value.paths == (path,)


@pytest.mark.parametrize("payload", [None, "portfolio", 3, [], _nested(50_000), b"{}"])
def test_a_non_mapping_payload_is_one_problem_at_the_root(payload: Any) -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, payload)
    assert info.value.paths == ("",)
    assert "an object (mapping) for Portfolio" in str(info.value)


@pytest.mark.parametrize("items", [{"a": 1}, "C01", 5, None])
def test_a_non_list_where_a_list_is_expected(items: Any) -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, {"customers": items})
    assert info.value.paths == ("customers",)


def test_a_deeply_nested_list_of_customers_is_reported_without_recursion() -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, {"customers": _nested(100_000)})
    assert info.value.paths == ("customers[0]",)


def test_the_item_limit_is_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(from_dict_module, "MAX_ITEMS", 5)
    payload = example_payload()
    with pytest.raises(ValidationError, match="at most 5 items") as info:
        from_dict(Portfolio, payload)
    assert info.value.paths == ("customers", "orders", "incidents")


def test_the_string_limit_is_enforced_before_any_field_rule() -> None:
    payload = example_payload()
    payload["incidents"][0]["summary"] = "s" * 10_001
    payload["incidents"][1]["summary"] = "s" * 100_001
    with pytest.raises(ValidationError) as info:
        from_dict(Portfolio, payload)
    messages = [p.expected for p in info.value.problems]
    assert messages == [
        "a string of at most 10000 characters",
        "a string of at most 100,000 characters",
    ]


# ------------------------------------------- what database drivers and JSON parsers give

DATETIME = "an ISO 8601 datetime with a UTC offset, e.g. '2026-11-23T09:00:00+01:00'"


def _with_datetime_objects(node: Any) -> Any:
    """``node`` with every date-time string replaced by the aware datetime it means."""
    if isinstance(node, dict):
        return {k: _with_datetime_objects(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_datetime_objects(v) for v in node]
    if isinstance(node, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT.*[+-]\d\d:\d\d", node):
        return datetime.fromisoformat(node)
    return node


def test_aware_datetime_objects_are_read_as_their_text_would_be() -> None:
    # What a database driver returns for a timestamptz column.
    payload = _with_datetime_objects(example_payload())
    assert isinstance(payload["orders"][0]["placed_at"], datetime)
    assert from_dict(Portfolio, payload) == example_portfolio()
    nepal = timezone(timedelta(hours=5, minutes=45))
    moment = datetime(2026, 11, 20, 9, 0, 0, 123456, tzinfo=nepal)
    context = from_dict(Context, {"as_of": moment, "currency": "EUR", "rates": {}})
    assert context.as_of == moment
    assert to_dict(context)["as_of"] == "2026-11-20T09:00:00.123456+05:45"
    assert from_dict(datetime, moment) == datetime.fromisoformat(moment.isoformat())


def test_a_naive_datetime_object_is_refused_as_naive() -> None:
    payload = {"as_of": datetime(2026, 11, 1), "currency": "EUR"}  # noqa: DTZ001 - the naive one refused
    assert from_dict_error(Context, payload) == (
        "1 problem:\n"
        "  as_of: expected an aware datetime or an ISO 8601 string with a UTC offset "
        "(this datetime is naive: it needs a tzinfo, e.g. datetime.timezone.utc), "
        "got datetime 2026-11-01T00:00:00 (no UTC offset)"
    )


def test_a_datetime_whose_time_zone_gives_no_offset_is_naive() -> None:
    payload = {"as_of": datetime(2026, 11, 1, tzinfo=NoOffset()), "currency": "EUR"}
    assert from_dict_error(Context, payload) == (
        "1 problem:\n"
        "  as_of: expected an aware datetime or an ISO 8601 string with a UTC offset "
        "(this datetime is naive: it needs a tzinfo, e.g. datetime.timezone.utc), "
        "got datetime 2026-11-01T00:00:00 (no UTC offset)"
    )


def test_an_aware_datetime_object_still_meets_the_fields_rules() -> None:
    payload = {"as_of": datetime(1800, 1, 1, tzinfo=UTC), "currency": "EUR"}
    assert from_dict_error(Context, payload) == (
        "1 problem:\n"
        "  as_of: expected a datetime between the years 1900 and 2200, "
        "got datetime 1800-01-01T00:00:00+00:00"
    )


def test_a_date_is_refused_as_a_date() -> None:
    assert from_dict_error(Context, {"as_of": date(2026, 11, 1), "currency": "EUR"}) == (
        f"1 problem:\n  as_of: expected {DATETIME} (a date has no time of day and no offset), "
        "got datetime.date(2026, 11, 1)"
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-02-30T00:00:00Z", "there is no day 30 in 2026-02"),
        ("2028-02-30T00:00:00Z", "there is no day 30 in 2028-02"),
        ("2026-11-00T00:00:00Z", "there is no day 00 in 2026-11"),
        ("2026-13-01T00:00:00Z", "there is no month 13"),
        ("2026-00-01T00:00:00Z", "there is no month 00"),
        ("0000-01-01T00:00:00Z", "there is no year 0000"),
        ("2026-11-20T24:00:00Z", "there is no hour 24: they go from 00 to 23"),
        ("2026-11-20T09:60:00Z", "there is no minute 60: they go from 00 to 59"),
        ("2026-11-20T09:00:60Z", "there is no second 60: they go from 00 to 59"),
        ("20261120T240000Z", "there is no hour 24: they go from 00 to 23"),
        ("2026-11-20T09:00:00+24:00", "a UTC offset must be less than 24 hours"),
        ("2026-11-20T09:00:00-2400", "a UTC offset must be less than 24 hours"),
        (" 2026-11-20T09:00:00Z", "it has spaces before or after it"),
        ("2026-11-20T09:00:00+01:00\n", "it has spaces before or after it"),
        ("2026-11-20T09:00:00 UTC", "not in ISO 8601 form"),
        ("2026-12-31T23:59:59 UTC", "not in ISO 8601 form"),  # every part at its last value
        ("0001-01-01T00:00:00 UTC", "not in ISO 8601 form"),  # and at its first
        ("2026-11-20T09:00:00+23:00x", "not in ISO 8601 form"),
        ("2026-11-20T09:00:00Z" + " " * 45, "at most 64 characters"),
        ("2026-11-23T09:00:00." + "1" * 39 + "+01:00", "at most 64 characters"),
        # Exactly 64 characters is not too long: the reason is the month.
        ("2026-13-23T09:00:00." + "1" * 38 + "+01:00", "there is no month 13"),
    ],
)
def test_a_datetime_that_looks_right_is_refused_with_the_reason(text: str, why: str) -> None:
    assert from_dict_error(Context, {"as_of": text, "currency": "EUR"}) == (
        f"1 problem:\n  as_of: expected {DATETIME} ({why}), got {text!r}"
    )


@pytest.mark.parametrize("text", ["soon", "", "20.11.2026 09:00", " tomorrow ", "x" * 65], ids=repr)
def test_text_that_is_no_datetime_at_all_is_shown_the_form(text: str) -> None:
    assert from_dict_error(Context, {"as_of": text, "currency": "EUR"}) == (
        f"1 problem:\n  as_of: expected {DATETIME}, got {text!r}"
    )


def test_a_number_of_seconds_is_not_a_datetime() -> None:
    assert from_dict_error(Context, {"as_of": 1_700_000_000, "currency": "EUR"}) == (
        f"1 problem:\n  as_of: expected {DATETIME}, got 1700000000"
    )


@pytest.mark.parametrize(
    "whole",
    [
        3,
        3.0,
        Decimal(3),
        Decimal("3.00"),
        Decimal("3E0"),
        np.int64(3),
        np.uint8(3),
        np.float64(3.0),
        np.float32(3.0),
        np.float16(3.0),
        Fraction(6, 2),
    ],
    ids=repr,
)
def test_a_whole_number_of_any_numeric_type_is_read_as_an_int(whole: Any) -> None:
    # A JSON parser writes 3 as 3.0 easily, a database returns Decimal('3'), a DataFrame
    # row numpy's int64: from_dict reads each as the int 3.
    profile = from_dict(OperatingProfile, {"staff_count": whole})
    assert profile.staff_count == 3
    assert type(profile.staff_count) is int
    assert to_dict(profile)["staff_count"] == 3
    assert type(from_dict(int, whole)) is int


@pytest.mark.parametrize(
    ("limit", "past"),
    [
        (10**15, 10**15 + 1),
        (-(10**15), -(10**15) - 1),
        (1e15, 1e15 + 2),
        (-1e15, -1e15 - 2),
        (Decimal("1E+15"), Decimal(1000000000000001)),
        (np.int64(10**15), np.int64(10**15 + 1)),
    ],
    ids=repr,
)
def test_a_whole_number_up_to_the_limit_is_read_and_past_it_refused(limit: Any, past: Any) -> None:
    assert from_dict(int, limit) == limit
    assert from_dict_error(int, past) == (
        f"1 problem:\n  <payload>: expected a whole number of magnitude at most 1e+15, got {past!r}"
    )


@pytest.mark.parametrize(
    "past", [Decimal("1e1000000"), Decimal("-1e1000000"), Decimal(10**15 + 1)], ids=repr
)
def test_the_whole_number_limit_is_exact_whatever_the_callers_decimal_context(past: Any) -> None:
    # abs() of a Decimal rounds in the thread's context (to 1.00E+15 at 3 digits) and
    # raises decimal.Overflow past its largest exponent: the limit is compared instead.
    expected = (
        f"1 problem:\n  <payload>: expected a whole number of magnitude at most 1e+15, got {past!r}"
    )
    with decimal.localcontext(prec=3):
        assert from_dict_error(int, past) == expected
    assert from_dict_error(int, past) == expected


def test_numpys_numbers_are_numbers() -> None:
    signals = from_dict(HealthSignals, {"csat": np.float32(4.5), "usage_trend": np.int64(-1)})
    assert signals == HealthSignals(csat=4.5, usage_trend=-1.0)
    assert type(signals.csat) is float
    assert type(signals.usage_trend) is float
    assert from_dict_error(HealthSignals, {"csat": np.True_}) == (
        "1 problem:\n  csat: expected a number, got np.True_"
    )


def test_minus_zero_is_the_whole_number_zero() -> None:
    assert from_dict(HealthSignals, {"open_tickets": -0.0}).open_tickets == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.5, "a whole number"),
        (math.nan, "a number, not NaN (for a value not known: null, where the field may be null)"),
        (
            np.float64("nan"),
            "a number, not NaN (for a value not known: null, where the field may be null)",
        ),
        (math.inf, "a whole number"),
        (Decimal("3.5"), "a whole number"),
        (
            Decimal("NaN"),
            "a number, not NaN (for a value not known: null, where the field may be null)",
        ),
        (
            Decimal("sNaN"),
            "a number, not NaN (for a value not known: null, where the field may be null)",
        ),
        (Decimal("Infinity"), "a whole number"),
        (True, "a whole number"),
        ("3", "a whole number"),
        ("three", "a whole number"),
        (1e16, "a whole number of magnitude at most 1e+15"),
        (-1e16, "a whole number of magnitude at most 1e+15"),
        (Decimal("1e999999"), "a whole number of magnitude at most 1e+15"),
        (np.int64(2**62), "a whole number of magnitude at most 1e+15"),
        (1e15, "a whole number from 0 to 1e+07"),  # read as an int, then the field's range
        (Fraction(10**400, 3), "a whole number"),  # float() of it overflows
        (Fraction(10**400), "a whole number"),
    ],
    ids=repr,
)
def test_what_is_not_a_whole_number_is_named(value: Any, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        from_dict(OperatingProfile, {"staff_count": value})
    [problem] = info.value.problems
    assert (problem.path, problem.expected) == ("staff_count", expected)
    if expected.startswith("a whole number") and "magnitude" not in expected:
        assert problem.value is value or problem.value == value


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3.0, "as an int (3.0 is a float), got 3.0"),
        (np.float64(3.0), "as an int (3.0 is a float), got np.float64(3.0)"),
        (Decimal(3), "as an int (3 is a Decimal), got Decimal('3')"),
        (np.int64(3), "as an int (3 is a numpy int64), got np.int64(3)"),
        (2e7, "as an int (20000000.0 is a float), got 20000000.0"),
        (3.5, "got 3.5"),
        (Decimal("3.5"), "got Decimal('3.5')"),
        (Decimal("sNaN"), "got Decimal('sNaN')"),
        (Decimal("Infinity"), "got Decimal('Infinity')"),
        (-1, "got -1"),
        (True, "got True"),
    ],
    ids=repr,
)
def test_constructors_take_only_an_int_and_say_so(value: Any, shown: str) -> None:
    with pytest.raises(ValidationError) as info:
        OperatingProfile(staff_count=value)
    assert str(info.value) == (
        f"1 problem:\n  staff_count: expected a whole number from 0 to 1e+07, {shown}"
    )


class _VendorInt:
    """A whole number of another library (its module has dots), as numbers.Integral."""

    __module__ = "vendor.numbers"

    def __index__(self) -> int:
        return 3

    def __float__(self) -> float:
        return 3.0

    def __repr__(self) -> str:
        return "BigInt(3)"

    def __str__(self) -> str:
        return "3"


numbers.Integral.register(_VendorInt)


def test_the_int_hint_names_another_library_s_integer_by_its_package() -> None:
    with pytest.raises(ValidationError) as info:
        OperatingProfile(staff_count=_VendorInt())  # type: ignore[arg-type]
    assert str(info.value) == (
        "1 problem:\n  staff_count: expected a whole number from 0 to 1e+07, "
        "as an int (3 is a vendor _VendorInt), got BigInt(3)"
    )


def test_a_count_says_a_float_is_not_an_int_but_takes_numpys_integers() -> None:
    checks = Checks()
    checks.count("n", 2.0)
    checks.count("n", Decimal(2))
    checks.count("n", np.int64(-1))
    checks.count("n", 2)
    checks.count("n", np.int64(2))
    assert [p.expected for p in checks.problems] == [
        "a whole number >= 0, as an int (2.0 is a float)",
        "a whole number >= 0, as an int (2 is a Decimal)",
        "a whole number >= 0",
    ]


# ------------------------------------------------------------------ to_dict errors


def test_to_dict_names_the_path_of_an_unconvertible_value() -> None:
    with pytest.raises(ValidationError) as info:
        to_dict({"rows": [1, {"when": object()}]})
    assert info.value.paths == ("rows[1].when",)
    with pytest.raises(ValidationError) as top:
        to_dict(object())
    assert top.value.paths == ("",)
    with pytest.raises(ValidationError) as in_attrs:
        to_dict(_Holder(thing=(1, object())))
    assert in_attrs.value.paths == ("thing[1]",)


@attrs.frozen
class _Holder:
    thing: object


@attrs.frozen
class _Pair:
    span: tuple[float, float]
    tags: tuple[str, ...] = ()
    when: datetime | None = None


@attrs.frozen
class _Either:
    value: int | str


def test_fixed_length_tuples_round_trip_and_check_their_length() -> None:
    pair = _Pair(span=(1.0, 2.5), tags=("a", "b"))
    assert to_dict(pair) == {"span": [1.0, 2.5], "tags": ["a", "b"], "when": None}
    assert from_dict(_Pair, to_dict(pair)) == pair
    with pytest.raises(ValidationError) as info:
        from_dict(_Pair, {"span": [1.0, 2.0, 3.0], "tags": "ab"})
    assert info.value.paths == ("span", "tags")
    assert "a list of exactly 2 items" in str(info.value)
    with pytest.raises(ValidationError) as items:
        from_dict(_Pair, {"span": [1.0, "x"], "tags": ["a", 2]})
    assert items.value.paths == ("span[1]", "tags[1]")


def test_an_ambiguous_union_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="cannot build"):
        from_dict(_Either, {"value": 1})


def test_an_aware_datetime_object_is_read_as_its_string_would_be() -> None:
    # A zone's datetimes subtract on the wall clock (across a DST change, an hour off) and
    # a host's datetime subclass (a pandas Timestamp) would be kept: each is read as the
    # fixed-offset datetime its ISO text gives, as the batch path reads it.
    prague = ZoneInfo("Europe/Prague")
    base = to_dict(example_portfolio().orders[0])
    moments = {
        "placed_at": datetime(2026, 10, 20, 9, tzinfo=prague),
        "promised_at": datetime(2026, 10, 24, 12, tzinfo=prague),  # CEST, +02:00
        "delivered_at": datetime(2026, 10, 26, 12, tzinfo=prague),  # CET, +01:00
    }
    as_objects = from_dict(Order, {**base, **moments, "eta": None})
    as_text = from_dict(
        Order, {**base, **{k: v.isoformat() for k, v in moments.items()}, "eta": None}
    )
    assert as_objects == as_text
    as_of = datetime(2026, 11, 1, tzinfo=UTC)
    assert as_objects.days_late(as_of) == as_text.days_late(as_of) == pytest.approx(2 + 1 / 24)
    for name, moment_given in moments.items():
        moment = getattr(as_objects, name)
        assert type(moment) is datetime
        assert moment.tzinfo == getattr(as_text, name).tzinfo
        assert moment.utcoffset() == moment_given.utcoffset()


def test_to_dict_of_a_value_class_is_typed_as_a_dict() -> None:
    # A host storing the result as dict[str, Any] gets it checked (it was typed Any).
    stored = to_dict(Money("1.50", "EUR"))
    assert_type(stored, dict[str, Any])
    assert stored == {"amount": "1.50", "currency": "EUR"}


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        ("2.4E+6", "2400000"),  # as a spreadsheet or a JSON number's text gives it
        ("-2.40E+3", "-2400"),
        ("0E+2", "0"),
        ("1E+18", "1000000000000000000"),  # MAX_AMOUNT
        ("100.50", "100.50"),  # written as read: trailing zeros kept
        ("1.5E-30", "1.5E-30"),  # a tiny amount keeps its short form, not 30 zeros
        ("0E+25", "0"),  # a zero, whatever its exponent
        ("-0E+5", "-0"),
    ],
)
def test_an_amount_is_written_without_a_positive_exponent(amount: str, written: str) -> None:
    money = from_dict(Money, {"amount": amount, "currency": "EUR"})
    assert to_dict(money) == {"amount": written, "currency": "EUR"}
    assert repr(money) == f"Money({written!r}, 'EUR')"
    assert to_dict(Decimal(amount)) == written
    assert from_dict(Money, to_dict(money)) == money


# Decimals with a positive exponent, as "2.4E+6" reads: st.decimals() draws none.
EXPONENT_FORM = st.builds(
    lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
    st.integers(0, 1),
    st.lists(st.integers(0, 9), min_size=1, max_size=6),
    st.integers(1, 30),
)


@given(st.one_of(EXPONENT_FORM, st.decimals(allow_nan=False, allow_infinity=False)))
def test_a_decimal_is_written_exactly_and_written_out_up_to_money_s_digits(
    value: Decimal,
) -> None:
    written = to_dict(value)
    assert isinstance(written, str)
    assert Decimal(written) == value
    assert Decimal(written).as_tuple().sign == value.as_tuple().sign  # -0 stays -0
    # Whole numbers of up to 19 digits (all amounts Money takes), and zeros, in full.
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0 and (value.is_zero() or value.adjusted() < 19):
        assert "E" not in written
    if "E+" not in str(value):  # what str already writes out stays as it was
        assert written == str(value)
