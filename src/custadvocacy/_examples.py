"""The built-in example portfolio: a dozen customers of a B2B distributor.

Every call builds fresh data, so a caller may change what it gets without changing
what the next caller sees.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from custadvocacy._context import Context
from custadvocacy._convert import from_dict
from custadvocacy._money import ExchangeRates
from custadvocacy._portfolio import Portfolio

__all__ = ["EXAMPLE_AS_OF", "example_context", "example_payload", "example_portfolio"]

EXAMPLE_AS_OF: Final = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
"""The moment the example portfolio is assessed at: Friday 20 November 2026, 09:00 UTC."""


def _money(amount: str, currency: str) -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def _customer(  # noqa: PLR0917 - a row of the example table
    cid: str,
    name: str,
    segment: str,
    since: str,
    currency: str,
    annual: str,
    *,
    renewal: str | None = None,
    profile: dict[str, Any] | None = None,
    health: dict[str, Any] | None = None,
) -> dict[str, Any]:
    base_profile = {
        "daily_revenue": None,
        "gross_margin": None,
        "buffer_days": None,
        "staff_hourly_cost": None,
        "staff_count": None,
    }
    base_health = {"nps": None, "csat": None, "open_tickets": None, "usage_trend": None}
    return {
        "id": cid,
        "name": name,
        "segment": segment,
        "customer_since": since,
        "currency": currency,
        "annual_value": _money(annual, currency),
        "renewal_at": renewal,
        "profile": base_profile | (profile or {}),
        "health": base_health | (health or {}),
    }


def _order(
    oid: str,
    cid: str,
    placed: str,
    promised: str,
    value: dict[str, str],
    *,
    criticality: float | None = None,
    delivered: str | None = None,
    eta: str | None = None,
    lane: str | None = None,
) -> dict[str, Any]:
    return {
        "id": oid,
        "customer_id": cid,
        "placed_at": placed,
        "promised_at": promised,
        "value": value,
        "criticality": criticality,
        "delivered_at": delivered,
        "eta": eta,
        "lane": lane,
    }


def _incident(
    iid: str,
    cid: str,
    kind: str,
    opened: str,
    *,
    severity: str = "medium",
    noticed_by: str | None = None,
    order_id: str | None = None,
    resolved: str | None = None,
    affected_share: float = 1.0,
    amount: dict[str, str] | None = None,
    effort_hours: float | None = None,
    summary: str = "",
) -> dict[str, Any]:
    return {
        "id": iid,
        "customer_id": cid,
        "kind": kind,
        "opened_at": opened,
        "severity": severity,
        "noticed_by": noticed_by,
        "order_id": order_id,
        "resolved_at": resolved,
        "affected_share": affected_share,
        "amount": amount,
        "effort_hours": effort_hours,
        "summary": summary,
    }


def _customers() -> list[dict[str, Any]]:
    return [
        _customer(
            "C01", "Kovar Precision Machining", "small", "2017-04-03T00:00:00+02:00", "CZK",
            "2400000", renewal="2027-03-31T00:00:00+02:00",
            profile={
                "daily_revenue": _money("380000", "CZK"), "gross_margin": 0.4,
                "buffer_days": 2, "staff_hourly_cost": _money("650", "CZK"), "staff_count": 24,
            },
            health={"nps": 6, "csat": 3.0, "open_tickets": 2, "usage_trend": -0.05},
        ),
        _customer(
            "C02", "Brightside Retail", "mid_market", "2020-09-14T00:00:00+01:00", "GBP",
            "310000", renewal="2027-09-30T00:00:00+01:00",
            profile={"staff_hourly_cost": _money("38", "GBP"), "gross_margin": 0.3},
            health={"nps": 8, "csat": 4.2, "open_tickets": 1},
        ),
        _customer(
            "C03", "Lindenhof Clinic", "mid_market", "2019-01-07T00:00:00+01:00", "EUR",
            "185000",
            profile={
                "daily_revenue": _money("42000", "EUR"), "gross_margin": 0.25,
                "staff_hourly_cost": _money("55", "EUR"), "staff_count": 60,
            },
            health={"nps": 7, "csat": 4.0, "open_tickets": 1, "usage_trend": 0.02},
        ),
        _customer(
            "C04", "Nordwind Logistics", "enterprise", "2015-06-01T00:00:00+02:00", "EUR",
            "1450000", renewal="2027-01-15T00:00:00+01:00",
            profile={"daily_revenue": _money("610000", "EUR"), "buffer_days": 5},
            health={"nps": 9, "csat": 4.6, "open_tickets": 0, "usage_trend": 0.08},
        ),
        _customer(
            "C05", "Vltava Foods", "mid_market", "2021-02-01T00:00:00+01:00", "CZK",
            "9800000",
            profile={
                "daily_revenue": _money("1900000", "CZK"), "gross_margin": 0.22,
                "buffer_days": 1, "staff_hourly_cost": _money("480", "CZK"),
            },
            health={"nps": 7, "open_tickets": 0},
        ),
        _customer(
            "C06", "Harbour Coffee Roasters", "small", "2022-05-20T00:00:00+01:00", "GBP",
            "48000",
            profile={
                "daily_revenue": _money("3600", "GBP"), "gross_margin": 0.55,
                "buffer_days": 3, "staff_hourly_cost": _money("24", "GBP"), "staff_count": 9,
            },
            health={"nps": 8, "csat": 4.5},
        ),
        _customer(
            "C07", "Moravia Print", "small", "2018-11-12T00:00:00+01:00", "CZK",
            "1100000",
            profile={"staff_hourly_cost": _money("520", "CZK"), "staff_count": 14},
            health={"csat": 2.5, "open_tickets": 3},
        ),
        _customer(
            "C08", "Alpenblick Hotels", "enterprise", "2016-03-01T00:00:00+01:00", "EUR",
            "920000", renewal="2026-12-31T00:00:00+01:00",
            profile={"daily_revenue": _money("260000", "EUR"), "staff_hourly_cost": _money("48", "EUR")},
            health={"nps": 3, "csat": 2.8, "open_tickets": 5, "usage_trend": -0.25},
        ),
        _customer(
            "C09", "Thames Valley Dental", "small", "2023-01-09T00:00:00+00:00", "GBP",
            "36000", health={"nps": 9, "csat": 4.8, "open_tickets": 0, "usage_trend": 0.1},
        ),
        _customer(
            "C10", "Rhein Auto Parts", "enterprise", "2014-08-18T00:00:00+02:00", "EUR",
            "2150000", renewal="2027-06-30T00:00:00+02:00",
            profile={
                "daily_revenue": _money("480000", "EUR"), "gross_margin": 0.18,
                "buffer_days": 1.5, "staff_hourly_cost": _money("62", "EUR"), "staff_count": 140,
            },
            health={"nps": 5, "csat": 3.4, "open_tickets": 4, "usage_trend": -0.1},
        ),
        _customer(
            "C11", "Brno Bikes", "small", "2024-04-02T00:00:00+02:00", "CZK", "210000",
        ),
        _customer(
            "C12", "Oakridge Labs", "mid_market", "2021-10-04T00:00:00+01:00", "GBP",
            "265000", health={"nps": 8, "csat": 4.1, "open_tickets": 0},
        ),
    ]  # fmt: skip


def _orders() -> list[dict[str, Any]]:
    czk, gbp, eur = "CZK", "GBP", "EUR"
    return [
        # Kovar: the spindle housings their line waits for arrived six days late.
        _order("O-1001", "C01", "2026-10-20T10:00:00+02:00", "2026-11-09T12:00:00+01:00",
               _money("640000", czk), criticality=1.0, delivered="2026-11-15T12:00:00+01:00",
               lane="DE-CZ road"),
        _order("O-1002", "C01", "2026-11-12T09:00:00+01:00", "2026-12-01T12:00:00+01:00",
               _money("85000", czk), criticality=0.3, lane="DE-CZ road"),
        _order("O-2001", "C02", "2026-10-01T09:00:00+01:00", "2026-10-08T09:00:00+01:00",
               _money("21000", gbp), criticality=0.2, delivered="2026-10-07T15:00:00+01:00",
               lane="UK parcel"),
        _order("O-3001", "C03", "2026-09-15T09:00:00+02:00", "2026-09-20T09:00:00+02:00",
               _money("14500", eur), criticality=0.8, delivered="2026-09-19T09:00:00+02:00"),
        _order("O-4001", "C04", "2026-11-02T09:00:00+01:00", "2026-11-12T09:00:00+01:00",
               _money("96000", eur), criticality=0.5, delivered="2026-11-11T16:00:00+01:00",
               lane="NL-DE road"),
        # Vltava: the carrier now expects the packaging line parts five days after the promise.
        _order("O-5001", "C05", "2026-11-05T09:00:00+01:00", "2026-11-24T12:00:00+01:00",
               _money("1250000", czk), criticality=0.9, eta="2026-11-29T12:00:00+01:00",
               lane="DE-CZ road"),
        _order("O-6001", "C06", "2026-11-02T09:00:00+00:00", "2026-11-09T09:00:00+00:00",
               _money("6200", gbp), criticality=0.7, delivered="2026-11-09T08:00:00+00:00",
               lane="UK parcel"),
        _order("O-7001", "C07", "2026-10-26T09:00:00+01:00", "2026-11-06T09:00:00+01:00",
               _money("180000", czk), criticality=0.6, delivered="2026-11-05T09:00:00+01:00"),
        _order("O-10001", "C10", "2026-08-20T09:00:00+02:00", "2026-09-10T09:00:00+02:00",
               _money("212000", eur), criticality=0.9, delivered="2026-09-13T09:00:00+02:00",
               lane="NL-DE road"),
        # Rhein: the second late delivery in ten weeks, still on the road.
        _order("O-10002", "C10", "2026-10-28T09:00:00+01:00", "2026-11-17T09:00:00+01:00",
               _money("187000", eur), criticality=0.8, eta="2026-11-23T09:00:00+01:00",
               lane="NL-DE road"),
        _order("O-11001", "C11", "2026-11-01T09:00:00+01:00", "2026-11-10T09:00:00+01:00",
               _money("46000", czk), delivered="2026-11-12T09:00:00+01:00"),
        _order("O-12001", "C12", "2026-11-03T09:00:00+00:00", "2026-11-26T09:00:00+00:00",
               _money("18000", gbp), criticality=0.4, lane="UK parcel"),
    ]  # fmt: skip


def _incidents() -> list[dict[str, Any]]:
    return [
        _incident("INC-101", "C01", "late_delivery", "2026-11-09T12:00:00+01:00",
                  severity="high", noticed_by="customer", order_id="O-1001",
                  resolved="2026-11-15T12:00:00+01:00",
                  summary="Spindle housings for the CNC line arrived six days late; "
                          "the customer found out when the truck did not come."),
        _incident("INC-201", "C02", "billing_error", "2026-11-02T10:00:00+00:00",
                  severity="low", noticed_by="customer", order_id="O-2001",
                  amount=_money("3200", "GBP"), effort_hours=6,
                  summary="Invoice charged the October order twice."),
        _incident("INC-301", "C03", "service_outage", "2026-11-16T07:30:00+01:00",
                  severity="high", noticed_by="vendor", resolved="2026-11-16T14:30:00+01:00",
                  affected_share=0.6,
                  summary="Appointment-booking platform down for seven hours on a Monday."),
        _incident("INC-601", "C06", "partial_delivery", "2026-11-09T10:00:00+00:00",
                  severity="medium", noticed_by="vendor", order_id="O-6001",
                  affected_share=0.4,
                  summary="Two of five pallets of green beans missing from the delivery."),
        _incident("INC-701", "C07", "defect", "2026-11-09T09:00:00+01:00",
                  severity="high", noticed_by="customer", order_id="O-7001",
                  affected_share=0.5, effort_hours=30,
                  summary="Half the ink cartridges leak; replacement not yet shipped."),
        _incident("INC-801", "C08", "support_failure", "2026-11-03T09:00:00+01:00",
                  severity="medium", noticed_by="customer", effort_hours=14,
                  summary="Key-card integration ticket bounced between four teams."),
        _incident("INC-1001", "C10", "late_delivery", "2026-09-10T09:00:00+02:00",
                  severity="medium", noticed_by="vendor", order_id="O-10001",
                  resolved="2026-09-13T09:00:00+02:00",
                  summary="Brake-line fittings three days late."),
        _incident("INC-1002", "C10", "late_delivery", "2026-11-17T09:00:00+01:00",
                  severity="high", noticed_by="customer", order_id="O-10002",
                  summary="Second late delivery in ten weeks; still on the road."),
        _incident("INC-1101", "C11", "late_delivery", "2026-11-10T09:00:00+01:00",
                  severity="low", noticed_by="customer", order_id="O-11001",
                  resolved="2026-11-12T09:00:00+01:00",
                  summary="Frame order two days late."),
        _incident("INC-1201", "C12", "billing_error", "2026-11-18T09:00:00+00:00",
                  severity="low", noticed_by="vendor", resolved="2026-11-18T15:00:00+00:00",
                  amount=_money("450", "GBP"), effort_hours=1,
                  summary="Wrong VAT rate on one invoice line; corrected the same day."),
    ]  # fmt: skip


def example_payload() -> dict[str, Any]:
    """Return the example portfolio as plain data in the :func:`to_dict` format.

    A fresh copy on every call. See ``docs/examples.md`` for the story of each customer.

    Example:
        >>> payload = example_payload()
        >>> len(payload["customers"]), payload["customers"][0]["name"]
        (12, 'Kovar Precision Machining')

    .. versionadded:: 0.1.0
    """
    return {"customers": _customers(), "orders": _orders(), "incidents": _incidents()}


def example_portfolio() -> Portfolio:
    """Return the example portfolio as objects: 12 customers in CZK, EUR and GBP.

    Example:
        >>> portfolio = example_portfolio()
        >>> sorted({c.currency for c in portfolio.customers})
        ['CZK', 'EUR', 'GBP']

    .. versionadded:: 0.1.0
    """
    return from_dict(Portfolio, example_payload())


def example_context() -> Context:
    """Return the context the example portfolio is assessed in.

    As of :data:`EXAMPLE_AS_OF`, reporting in EUR, with EUR/CZK 25.00 and
    EUR/GBP 0.86 (illustrative rates, not market data).

    Example:
        >>> ctx = example_context()
        >>> ctx.currency, ctx.as_of.isoformat()
        ('EUR', '2026-11-20T09:00:00+00:00')

    .. versionadded:: 0.1.0
    """
    return Context(
        as_of=EXAMPLE_AS_OF,
        currency="EUR",
        rates=ExchangeRates({("EUR", "CZK"): "25.00", ("EUR", "GBP"): "0.86"}),
    )
