"""A valid customer with hundreds of records is assessed: no text outgrows its limit.

A score's detail, a policy's reason and a brief's action line named every incident or
order they were about; with a few hundred records (or fifty with ids of the 200
characters an id may have) the text passed the 10,000 characters a text may hold and
``assess`` refused a valid customer with a ``ValidationError`` about a field of its own
("detail", "drivers[2]", "reasons[0]") that the caller never sent.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

import custadvocacy as ca
from custadvocacy._checks import MAX_ID_LENGTH, MAX_TEXT_LENGTH
from custadvocacy.batch import assess_batch, columns_from_objects
from custadvocacy.examples import example_context, example_payload
from custadvocacy.policies import (
    CustomerFirstPolicy,
    PlaybookPolicy,
    PlaybookRule,
    PolicySettings,
    RuleTarget,
    VendorValuePolicy,
)

CONTEXT = example_context()
RECORDS = 300
KINDS = tuple(ca.IncidentKind)
ON_ORDERS = {
    ca.IncidentKind.LATE_DELIVERY,
    ca.IncidentKind.PARTIAL_DELIVERY,
    ca.IncidentKind.DEFECT,
}


def _id(prefix: str, k: int) -> str:
    head = f"{prefix}{k:04d}"
    return head + "x" * (MAX_ID_LENGTH - len(head))  # the longest id allowed


@functools.cache
def large_customer(
    records: int = RECORDS, kinds: tuple[ca.IncidentKind, ...] = KINDS
) -> ca.Portfolio:
    """Customer C01 of the example with 300 orders and 300 incidents, every id 200 long.

    Half the orders are open; the incidents cycle through ``kinds`` (those that need an
    order sit on one), every way of noticing, every severity, two in three still open.
    """
    payload = example_payload()
    (customer,) = (c for c in payload["customers"] if c["id"] == "C01")
    orders: list[Any] = [o for o in payload["orders"] if o["customer_id"] == "C01"]
    (incident,) = (i for i in payload["incidents"] if i["customer_id"] == "C01")
    noticed = ("customer", "vendor", None)
    severities = tuple(s.value for s in ca.Severity)
    many_orders = [
        {**orders[k % len(orders)], "id": _id("O", k)} | ({"delivered_at": None} if k % 2 else {})
        for k in range(records)
    ]
    many_incidents = [
        {
            **incident,
            "id": _id("I", k),
            "kind": kinds[k % len(kinds)].value,
            "order_id": _id("O", k) if kinds[k % len(kinds)] in ON_ORDERS else None,
            "noticed_by": noticed[k % 3],
            "severity": severities[k % len(severities)],
            "resolved_at": incident["resolved_at"] if k % 3 == 0 else None,
        }
        for k in range(records)
    ]
    return ca.from_dict(
        ca.Portfolio,
        {"customers": [customer], "orders": many_orders, "incidents": many_incidents},
    )


@pytest.mark.parametrize(
    "policy",
    [CustomerFirstPolicy(), PlaybookPolicy(), VendorValuePolicy()],
    ids=lambda p: type(p).__name__,
)
def test_a_customer_with_hundreds_of_records_is_assessed_and_briefed(policy: Any) -> None:
    customer, orders, incidents = large_customer().for_customer("C01")
    assessment = ca.assess(customer, orders, incidents, context=CONTEXT, policy=policy)
    score, recommendation = assessment.score, assessment.recommendation
    texts = [
        *(c.detail for c in score.contributions),
        *score.drivers,
        *recommendation.reasons,
        *(r for action in recommendation.actions for r in action.reasons),
        *assessment.brief().text().splitlines(),
    ]
    assert max(map(len, texts)) <= MAX_TEXT_LENGTH
    # The texts name a few records and count the rest.
    (told_first,) = (c for c in score.contributions if c.factor == "reactive")
    assert told_first.detail.startswith(
        f"100 incident(s) the customer noticed before we did ({_id('I', 0)}, "
    )
    assert f"{_id('I', 12)} and 95 more); weighted " in told_first.detail
    # An action for many records names five in the brief and counts the rest (it showed
    # the first 2,000 characters of the list, cut inside an id).
    brief = assessment.brief().text()
    for action in recommendation.actions[:3]:  # the brief shows at least the first three
        named = len(action.incident_ids) + len(action.order_ids)
        assert named <= 6 or f" and {named - 5} more)" in brief
    assert ca.from_dict(ca.Assessment, ca.to_dict(assessment)) == assessment
    # A notebook shows an action for every incident in a line, not 78,000 characters.
    assert max(len(repr(action)) for action in recommendation.actions) < 3_000


def test_the_batch_path_agrees_on_a_customer_with_hundreds_of_records() -> None:
    portfolio = large_customer()
    (expected,) = ca.assess_portfolio(portfolio, context=CONTEXT).assessments
    (batch,) = assess_batch(columns_from_objects(portfolio), context=CONTEXT).to_assessments([0])
    assert batch == expected


def test_a_playbook_rule_for_every_incident_notes_them_in_a_few_names() -> None:
    # A repeat rule's notes ("... does not apply to", "... left out") name every incident
    # of the group: sixty ids of 200 characters passed the limit of a reason.
    kinds = tuple(k for k in ca.IncidentKind if k is not ca.IncidentKind.OTHER)
    customer, orders, incidents = large_customer(60, kinds).for_customer("C01")
    rules = (
        PlaybookRule(name="repeat", actions=("early_notice", "expedite"), target=RuleTarget.REPEAT),
    )
    policy = PlaybookPolicy(rules=rules, settings=PolicySettings(max_actions=1))
    reasons = ca.assess(
        customer, orders, incidents, context=CONTEXT, policy=policy
    ).recommendation.reasons
    noted = [r for r in reasons if r.startswith("rule 'repeat': ")]
    assert noted
    assert all(r.count(" and 55 more") == 1 for r in noted)
