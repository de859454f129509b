"""Every check of the domain classes, pinned by its exact message (path, value, expectation).

The mutation run of 2026-12-06 (docs/mutation-log.md) left survivors in the domain classes'
``__attrs_post_init__`` checks: a field's name, its expectation text (``"an
OperatingProfile"``, ``" hours"``) or a bound (``high=1_000_000`` to ``1000001``) could be
changed and no test noticed. Each row below changes one field of a valid object to one
probe value and gives the whole ``ValidationError`` text that must come out (or ``ok``):
the wrong type, the empty string and the length limit of each text field, both sides of
each bound of each number, and a moment before the one it must follow.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from typing import Any

import attrs
import pytest
from _evolved import evolved_outcome

from custadvocacy import _checks
from custadvocacy.examples import example_portfolio

_PORTFOLIO = example_portfolio()
_CUSTOMER = _PORTFOLIO.customers[0]
BASE: dict[str, Any] = {
    "Customer": _CUSTOMER,
    "Order": _PORTFOLIO.orders[0],
    "Incident": next(i for i in _PORTFOLIO.incidents if i.resolved_at is not None),
    "OperatingProfile": _CUSTOMER.profile,
    "HealthSignals": _CUSTOMER.health,
}
TEXT_LIMITS = {
    "Customer.id": _checks.MAX_ID_LENGTH,
    "Customer.name": _checks.MAX_NAME_LENGTH,
    "Order.id": _checks.MAX_ID_LENGTH,
    "Order.customer_id": _checks.MAX_ID_LENGTH,
    "Order.lane": _checks.MAX_ID_LENGTH,
    "Incident.id": _checks.MAX_ID_LENGTH,
    "Incident.customer_id": _checks.MAX_ID_LENGTH,
    "Incident.order_id": _checks.MAX_ID_LENGTH,
    "Incident.summary": _checks.MAX_TEXT_LENGTH,
}
EARLIER = {
    "Incident.resolved_at": "opened_at",
    "Order.promised_at": "placed_at",
    "Order.delivered_at": "placed_at",
    "Order.eta": "placed_at",
}


def _probe(cls: str, field: str, label: str) -> object:
    """The value a row's label stands for."""
    key = f"{cls}.{field}"
    if label == "'x' * limit":
        return "x" * TEXT_LIMITS[key]
    if label == "'x' * (limit + 1)":
        return "x" * (TEXT_LIMITS[key] + 1)
    if label.endswith(" - 1h"):
        return getattr(BASE[cls], EARLIER[key]) - timedelta(hours=1)
    return ast.literal_eval(label)


ROWS: list[tuple[str, str, str, str]] = [
    ("Customer", "id", "[1]", "1 problem:\n  id: expected a string, got [1]"),
    ("Customer", "id", '""', "1 problem:\n  id: expected a non-empty string, got ''"),
    ("Customer", "id", "'x' * limit", "ok"),
    (
        "Customer",
        "id",
        "'x' * (limit + 1)",
        "1 problem:\n  id: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    ("Customer", "name", "[1]", "1 problem:\n  name: expected a string, got [1]"),
    ("Customer", "name", '""', "1 problem:\n  name: expected a non-empty string, got ''"),
    ("Customer", "name", "'x' * limit", "ok"),
    (
        "Customer",
        "name",
        "'x' * (limit + 1)",
        "1 problem:\n  name: expected a string of at most 500 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "Customer",
        "segment",
        "[1]",
        "1 problem:\n  segment: expected one of 'small', 'mid_market', 'enterprise', got [1]",
    ),
    (
        "Customer",
        "customer_since",
        "[1]",
        "1 problem:\n  customer_since: expected a timezone-aware datetime, got [1]",
    ),
    (
        "Customer",
        "currency",
        "[1]",
        "1 problem:\n  currency: expected an ISO 4217 code such as 'EUR', got [1]",
    ),
    ("Customer", "annual_value", "[1]", "1 problem:\n  annual_value: expected a Money, got [1]"),
    (
        "Customer",
        "renewal_at",
        "[1]",
        "1 problem:\n  renewal_at: expected a timezone-aware datetime, got [1]",
    ),
    ("Customer", "profile", "[1]", "1 problem:\n  profile: expected an OperatingProfile, got [1]"),
    ("Customer", "health", "[1]", "1 problem:\n  health: expected a HealthSignals, got [1]"),
    ("Order", "id", "[1]", "1 problem:\n  id: expected a string, got [1]"),
    ("Order", "id", '""', "1 problem:\n  id: expected a non-empty string, got ''"),
    ("Order", "id", "'x' * limit", "ok"),
    (
        "Order",
        "id",
        "'x' * (limit + 1)",
        "1 problem:\n  id: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    ("Order", "customer_id", "[1]", "1 problem:\n  customer_id: expected a string, got [1]"),
    (
        "Order",
        "customer_id",
        '""',
        "1 problem:\n  customer_id: expected a non-empty string, got ''",
    ),
    ("Order", "customer_id", "'x' * limit", "ok"),
    (
        "Order",
        "customer_id",
        "'x' * (limit + 1)",
        "1 problem:\n  customer_id: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "Order",
        "placed_at",
        "[1]",
        "1 problem:\n  placed_at: expected a timezone-aware datetime, got [1]",
    ),
    (
        "Order",
        "promised_at",
        "[1]",
        "1 problem:\n  promised_at: expected a timezone-aware datetime, got [1]",
    ),
    ("Order", "value", "[1]", "1 problem:\n  value: expected a Money, got [1]"),
    (
        "Order",
        "criticality",
        "[1]",
        "1 problem:\n  criticality: expected a number from 0 to 1 (a share), got [1]",
    ),
    ("Order", "criticality", "0", "ok"),
    (
        "Order",
        "criticality",
        "-0.5",
        "1 problem:\n  criticality: expected a number from 0 to 1 (a share), got -0.5",
    ),
    ("Order", "criticality", "1", "ok"),
    (
        "Order",
        "criticality",
        "1.5",
        "1 problem:\n  criticality: expected a number from 0 to 1 (a share), got 1.5",
    ),
    (
        "Order",
        "delivered_at",
        "[1]",
        "1 problem:\n  delivered_at: expected a timezone-aware datetime, got [1]",
    ),
    ("Order", "eta", "[1]", "1 problem:\n  eta: expected a timezone-aware datetime, got [1]"),
    ("Order", "lane", "[1]", "1 problem:\n  lane: expected a string, got [1]"),
    ("Order", "lane", '""', "1 problem:\n  lane: expected a non-empty string, got ''"),
    ("Order", "lane", "'x' * limit", "ok"),
    (
        "Order",
        "lane",
        "'x' * (limit + 1)",
        "1 problem:\n  lane: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    ("Incident", "id", "[1]", "1 problem:\n  id: expected a string, got [1]"),
    ("Incident", "id", '""', "1 problem:\n  id: expected a non-empty string, got ''"),
    ("Incident", "id", "'x' * limit", "ok"),
    (
        "Incident",
        "id",
        "'x' * (limit + 1)",
        "1 problem:\n  id: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    ("Incident", "customer_id", "[1]", "1 problem:\n  customer_id: expected a string, got [1]"),
    (
        "Incident",
        "customer_id",
        '""',
        "1 problem:\n  customer_id: expected a non-empty string, got ''",
    ),
    ("Incident", "customer_id", "'x' * limit", "ok"),
    (
        "Incident",
        "customer_id",
        "'x' * (limit + 1)",
        "1 problem:\n  customer_id: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "Incident",
        "kind",
        "[1]",
        "1 problem:\n  kind: expected one of 'late_delivery', 'partial_delivery', 'defect', 'service_outage', 'billing_error', 'support_failure', 'other', got [1]",
    ),
    (
        "Incident",
        "opened_at",
        "[1]",
        "1 problem:\n  opened_at: expected a timezone-aware datetime, got [1]",
    ),
    (
        "Incident",
        "severity",
        "[1]",
        "1 problem:\n  severity: expected one of 'low', 'medium', 'high', 'critical', got [1]",
    ),
    (
        "Incident",
        "noticed_by",
        "[1]",
        "1 problem:\n  noticed_by: expected one of 'vendor', 'customer', got [1]",
    ),
    ("Incident", "order_id", "[1]", "1 problem:\n  order_id: expected a string, got [1]"),
    ("Incident", "order_id", '""', "1 problem:\n  order_id: expected a non-empty string, got ''"),
    ("Incident", "order_id", "'x' * limit", "ok"),
    (
        "Incident",
        "order_id",
        "'x' * (limit + 1)",
        "1 problem:\n  order_id: expected a string of at most 200 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "Incident",
        "resolved_at",
        "[1]",
        "1 problem:\n  resolved_at: expected a timezone-aware datetime, got [1]",
    ),
    (
        "Incident",
        "affected_share",
        "[1]",
        "1 problem:\n  affected_share: expected a number from 0 to 1 (a share), got [1]",
    ),
    ("Incident", "affected_share", "0", "ok"),
    (
        "Incident",
        "affected_share",
        "-0.5",
        "1 problem:\n  affected_share: expected a number from 0 to 1 (a share), got -0.5",
    ),
    ("Incident", "affected_share", "1", "ok"),
    (
        "Incident",
        "affected_share",
        "1.5",
        "1 problem:\n  affected_share: expected a number from 0 to 1 (a share), got 1.5",
    ),
    ("Incident", "amount", "[1]", "1 problem:\n  amount: expected a Money, got [1]"),
    (
        "Incident",
        "effort_hours",
        "[1]",
        "1 problem:\n  effort_hours: expected a number from 0 to 1e+06 hours, got [1]",
    ),
    ("Incident", "effort_hours", "0", "ok"),
    (
        "Incident",
        "effort_hours",
        "-0.5",
        "1 problem:\n  effort_hours: expected a number from 0 to 1e+06 hours, got -0.5",
    ),
    ("Incident", "effort_hours", "1000000", "ok"),
    (
        "Incident",
        "effort_hours",
        "1000000.5",
        "1 problem:\n  effort_hours: expected a number from 0 to 1e+06 hours, got 1000000.5",
    ),
    ("Incident", "summary", "[1]", "1 problem:\n  summary: expected a string, got [1]"),
    ("Incident", "summary", '""', "ok"),
    ("Incident", "summary", "'x' * limit", "ok"),
    (
        "Incident",
        "summary",
        "'x' * (limit + 1)",
        "1 problem:\n  summary: expected a string of at most 10000 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
    ),
    (
        "OperatingProfile",
        "daily_revenue",
        "[1]",
        "1 problem:\n  daily_revenue: expected a Money, got [1]",
    ),
    (
        "OperatingProfile",
        "gross_margin",
        "[1]",
        "1 problem:\n  gross_margin: expected a number from 0 to 1 (a share), got [1]",
    ),
    ("OperatingProfile", "gross_margin", "0", "ok"),
    (
        "OperatingProfile",
        "gross_margin",
        "-0.5",
        "1 problem:\n  gross_margin: expected a number from 0 to 1 (a share), got -0.5",
    ),
    ("OperatingProfile", "gross_margin", "1", "ok"),
    (
        "OperatingProfile",
        "gross_margin",
        "1.5",
        "1 problem:\n  gross_margin: expected a number from 0 to 1 (a share), got 1.5",
    ),
    (
        "OperatingProfile",
        "buffer_days",
        "[1]",
        "1 problem:\n  buffer_days: expected a number from 0 to 3650 days, got [1]",
    ),
    ("OperatingProfile", "buffer_days", "0", "ok"),
    (
        "OperatingProfile",
        "buffer_days",
        "-0.5",
        "1 problem:\n  buffer_days: expected a number from 0 to 3650 days, got -0.5",
    ),
    ("OperatingProfile", "buffer_days", "3650", "ok"),
    (
        "OperatingProfile",
        "buffer_days",
        "3650.5",
        "1 problem:\n  buffer_days: expected a number from 0 to 3650 days, got 3650.5",
    ),
    (
        "OperatingProfile",
        "staff_hourly_cost",
        "[1]",
        "1 problem:\n  staff_hourly_cost: expected a Money, got [1]",
    ),
    (
        "OperatingProfile",
        "staff_count",
        "[1]",
        "1 problem:\n  staff_count: expected a whole number from 0 to 1e+07, got [1]",
    ),
    ("OperatingProfile", "staff_count", "0", "ok"),
    (
        "OperatingProfile",
        "staff_count",
        "-1",
        "1 problem:\n  staff_count: expected a whole number from 0 to 1e+07, got -1",
    ),
    ("OperatingProfile", "staff_count", "10000000", "ok"),
    (
        "OperatingProfile",
        "staff_count",
        "10000001",
        "1 problem:\n  staff_count: expected a whole number from 0 to 1e+07, got 10000001",
    ),
    (
        "OperatingProfile",
        "staff_count",
        "0.5",
        "1 problem:\n  staff_count: expected a whole number from 0 to 1e+07, got 0.5",
    ),
    (
        "HealthSignals",
        "nps",
        "[1]",
        "1 problem:\n  nps: expected a whole number from 0 to 10, got [1]",
    ),
    ("HealthSignals", "nps", "0", "ok"),
    (
        "HealthSignals",
        "nps",
        "-1",
        "1 problem:\n  nps: expected a whole number from 0 to 10, got -1",
    ),
    ("HealthSignals", "nps", "10", "ok"),
    (
        "HealthSignals",
        "nps",
        "11",
        "1 problem:\n  nps: expected a whole number from 0 to 10, got 11",
    ),
    (
        "HealthSignals",
        "nps",
        "0.5",
        "1 problem:\n  nps: expected a whole number from 0 to 10, got 0.5",
    ),
    ("HealthSignals", "csat", "[1]", "1 problem:\n  csat: expected a number from 1 to 5, got [1]"),
    ("HealthSignals", "csat", "1", "ok"),
    ("HealthSignals", "csat", "0.5", "1 problem:\n  csat: expected a number from 1 to 5, got 0.5"),
    ("HealthSignals", "csat", "5", "ok"),
    ("HealthSignals", "csat", "5.5", "1 problem:\n  csat: expected a number from 1 to 5, got 5.5"),
    (
        "HealthSignals",
        "open_tickets",
        "[1]",
        "1 problem:\n  open_tickets: expected a whole number from 0 to 1e+06, got [1]",
    ),
    ("HealthSignals", "open_tickets", "0", "ok"),
    (
        "HealthSignals",
        "open_tickets",
        "-1",
        "1 problem:\n  open_tickets: expected a whole number from 0 to 1e+06, got -1",
    ),
    ("HealthSignals", "open_tickets", "1000000", "ok"),
    (
        "HealthSignals",
        "open_tickets",
        "1000001",
        "1 problem:\n  open_tickets: expected a whole number from 0 to 1e+06, got 1000001",
    ),
    (
        "HealthSignals",
        "open_tickets",
        "0.5",
        "1 problem:\n  open_tickets: expected a whole number from 0 to 1e+06, got 0.5",
    ),
    (
        "HealthSignals",
        "usage_trend",
        "[1]",
        "1 problem:\n  usage_trend: expected a number from -1 to 10, got [1]",
    ),
    ("HealthSignals", "usage_trend", "-1", "ok"),
    (
        "HealthSignals",
        "usage_trend",
        "-1.5",
        "1 problem:\n  usage_trend: expected a number from -1 to 10, got -1.5",
    ),
    ("HealthSignals", "usage_trend", "10", "ok"),
    (
        "HealthSignals",
        "usage_trend",
        "10.5",
        "1 problem:\n  usage_trend: expected a number from -1 to 10, got 10.5",
    ),
    (
        "Incident",
        "resolved_at",
        "opened_at - 1h",
        "1 problem:\n  resolved_at: expected a moment not before opened_at (2026-11-09T12:00:00+01:00), got datetime 2026-11-09T11:00:00+01:00",
    ),
    (
        "Order",
        "promised_at",
        "placed_at - 1h",
        "1 problem:\n  promised_at: expected a moment not before placed_at (2026-10-20T10:00:00+02:00), got datetime 2026-10-20T09:00:00+02:00",
    ),
    (
        "Order",
        "delivered_at",
        "placed_at - 1h",
        "1 problem:\n  delivered_at: expected a moment not before placed_at (2026-10-20T10:00:00+02:00), got datetime 2026-10-20T09:00:00+02:00",
    ),
    (
        "Order",
        "eta",
        "placed_at - 1h",
        "1 problem:\n  eta: expected a moment not before placed_at (2026-10-20T10:00:00+02:00), got datetime 2026-10-20T09:00:00+02:00",
    ),
]


def test_the_base_objects_are_valid_and_have_the_fields_the_rows_change() -> None:
    for cls, obj in BASE.items():
        assert type(obj).__name__ == cls
    assert {(c, f) for c, f, _, _ in ROWS} == {
        (cls, f.name) for cls, obj in BASE.items() for f in attrs.fields(type(obj))
    }


@pytest.mark.parametrize(
    ("cls", "field", "label", "expected"), ROWS, ids=[f"{c}.{f}={p}" for c, f, p, _ in ROWS]
)
def test_a_field_check_gives_its_exact_message(
    cls: str, field: str, label: str, expected: str
) -> None:
    assert evolved_outcome(BASE[cls], **{field: _probe(cls, field, label)}) == expected
