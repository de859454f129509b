"""The default catalog: what a B2B vendor can typically do, with documented parameters.

Every figure here is a starting point, not a measurement: the relief shares and
relationship effects are illustrative orderings grounded in the service-recovery
research cited (``docs/policies.md``, "The default catalog"); a host calibrates them
on its own outcomes. Fixed amounts are in EUR and converted into the reporting
currency when a policy sizes an action.
"""

from __future__ import annotations

from typing import Final

from custadvocacy._domain import IncidentKind
from custadvocacy._errors import short_repr
from custadvocacy._impact._model import LossCategory
from custadvocacy._money import Money
from custadvocacy._policies._actions import (
    Action,
    ActionCatalog,
    CreditBasis,
    CreditSchedule,
    CreditTier,
    PriceBasis,
)

__all__ = ["catalog_problems", "default_catalog"]

_LATE: Final = (IncidentKind.LATE_DELIVERY, IncidentKind.PARTIAL_DELIVERY)
_ALL: Final = tuple(IncidentKind)
_MONEY_LOST: Final = (
    LossCategory.LOST_MARGIN,
    LossCategory.IDLE_STAFF,
    LossCategory.EXPEDITING,
)


def _eur(amount: str) -> Money:
    return Money(amount, "EUR")


def _tiers(*pairs: tuple[float, float]) -> tuple[CreditTier, ...]:
    return tuple(CreditTier(at_least=at, share=share) for at, share in pairs)


def _proactive() -> tuple[Action, ...]:
    return (
        Action(
            code="early_notice",
            label="Early notice with a firm new delivery date",
            kinds=_LATE,
            proactive=True,
            relief_share=0.15,
            relieves=_MONEY_LOST,
            relationship_effect=0.15,
            rationale=(
                "Told in time, with a date it can plan on, the customer re-plans, uses its "
                "buffer and moves staff to other work; assumed to avoid 15 % of the loss at "
                "stake (illustrative). Costs an account manager's call."
            ),
        ),
        Action(
            code="split_shipment",
            label="Split shipment: send what is ready now, the rest later",
            kinds=_LATE,
            proactive=True,
            fixed_cost=_eur("150"),
            cost_share_of_order=0.01,
            relief_share=0.35,
            relieves=_MONEY_LOST,
            relationship_effect=0.2,
            group="delivery_fix",
            days_to_relief=1.0,
            rationale=(
                "Time for time lost: the part that is ready keeps the customer's operation "
                "going; assumed to avoid 35 % of the loss. A second transport (150 EUR) "
                "and 1 % of the goods' value in handling."
            ),
        ),
        Action(
            code="expedite",
            label="Expedite: premium freight for the late goods",
            kinds=_LATE,
            proactive=True,
            cost_share_of_order=0.06,
            relief_share=0.6,
            relieves=_MONEY_LOST,
            relationship_effect=0.25,
            approval_threshold=_eur("2000"),
            group="delivery_fix",
            days_to_relief=1.0,
            rationale=(
                "Time for time lost: premium freight cuts the delay by most of its length; "
                "assumed to avoid 60 % of the loss, at a premium of 6 % of the goods' value."
            ),
        ),
        Action(
            code="alternative_source",
            label="Source the goods elsewhere (another warehouse or supplier)",
            kinds=_LATE,
            proactive=True,
            fixed_cost=_eur("200"),
            cost_share_of_order=0.12,
            relief_share=0.8,
            relieves=_MONEY_LOST,
            relationship_effect=0.3,
            approval_threshold=_eur("5000"),
            group="delivery_fix",
            days_to_relief=2.0,
            rationale=(
                "Time for time lost: goods from elsewhere arrive before the late ones would; "
                "assumed to avoid 80 % of the loss, at a 12 % price premium plus 200 EUR."
            ),
        ),
    )


def _recovery() -> tuple[Action, ...]:
    return (
        Action(
            code="replacement",
            label="Replace the defective goods at once",
            kinds=(IncidentKind.DEFECT,),
            cost_share_of_order=0.7,
            relief_share=0.5,
            relieves=(LossCategory.REPLACEMENT_DELAY, LossCategory.IDLE_STAFF),
            relationship_effect=0.3,
            approval_threshold=_eur("5000"),
            days_to_relief=2.0,
            only_while_open=True,
            rationale=(
                "A replacement for a flawed product (Roschk & Gelbrich 2014); it ends the "
                "wait, relieving half of the loss of waiting (the loss so far stands for "
                "the loss still to come). Costs the goods at cost (70 % of their value)."
            ),
        ),
        Action(
            code="refund_delivery_fees",
            label="Refund the delivery fees",
            kinds=_LATE,
            credit=CreditSchedule(
                basis=CreditBasis.SEVERITY,
                tiers=_tiers((0.0, 0.03)),
                price=PriceBasis.ORDER_VALUE,
                cap=0.03,
            ),
            relieves=(LossCategory.EXPEDITING, LossCategory.LOST_MARGIN),
            relationship_effect=0.1,
            rationale=(
                "Money for money lost, paid at once: the fees of a delivery that failed, "
                "assumed 3 % of the order value (typical B2B freight charges; weak)."
            ),
        ),
        Action(
            code="service_credit_delivery",
            label="Service credit for the late or incomplete delivery",
            kinds=_LATE,
            credit=CreditSchedule(
                basis=CreditBasis.DELAY_RATIO,
                tiers=_tiers((0.1, 0.1), (0.25, 0.25), (0.5, 0.5), (1.0, 1.0)),
                price=PriceBasis.ORDER_VALUE,
                cap=1.0,
            ),
            relieves=_MONEY_LOST,
            relationship_effect=0.3,
            approval_threshold=_eur("5000"),
            rationale=(
                "Money for money lost, tiered by the delay relative to the committed lead "
                "time like statutory delay compensation (EU rail: 25 % from 60 min, 50 % "
                "from 120) and capped at the order value, below the 150 % beyond which "
                "compensation stops helping (Haesevoets et al. 2017)."
            ),
        ),
        Action(
            code="service_credit_outage",
            label="Service credit for the outage",
            kinds=(IncidentKind.SERVICE_OUTAGE,),
            credit=CreditSchedule(
                basis=CreditBasis.DOWNTIME_SHARE,
                tiers=_tiers((0.0001, 0.1), (0.01, 0.3), (0.05, 1.0)),
                price=PriceBasis.MONTHLY_VALUE,
                cap=1.0,
            ),
            relieves=(
                LossCategory.LOST_MARGIN,
                LossCategory.IDLE_STAFF,
                LossCategory.STAFF_EFFORT,
            ),
            relationship_effect=0.25,
            approval_threshold=_eur("5000"),
            rationale=(
                "Money for money lost, tiered by downtime like cloud SLA credits (below "
                "99.99 % uptime 10 %, below 99 % 30 %, below 95 % 100 % of the monthly "
                "charges)."
            ),
        ),
        Action(
            code="goodwill_gesture",
            label="Goodwill gesture (credit note)",
            kinds=_ALL,
            credit=CreditSchedule(
                basis=CreditBasis.SEVERITY,
                tiers=_tiers((0.5, 0.01), (0.75, 0.02), (1.0, 0.05)),
                price=PriceBasis.MONTHLY_VALUE,
                cap=0.05,
            ),
            relieves=(LossCategory.STAFF_EFFORT, LossCategory.CASH_TIED_UP, LossCategory.OTHER),
            relationship_effect=0.1,
            approval_threshold=_eur("1000"),
            rationale=(
                "A small credit for the trouble, by severity (1 % of a month's value for "
                "medium, 2 % high, 5 % critical); diminishing returns make a small "
                "gesture worth most of a large one (Gelbrich, Gathke & Gregoire 2015)."
            ),
        ),
        Action(
            code="named_contact",
            label="Personal apology and a named contact who sorts it out",
            kinds=_ALL,
            relief_share=0.25,
            relieves=(LossCategory.STAFF_EFFORT,),
            relationship_effect=0.1,
            rationale=(
                "Apology and attention for neglect (Roschk & Gelbrich 2014); one person who "
                "takes it over spares the customer chasing and repeating themselves "
                "(effort drives disloyalty: Dixon, Freeman & Toman 2010): a quarter of their "
                "staff effort. Costs nothing beyond the account manager's time."
            ),
        ),
    )


def _escalations() -> tuple[Action, ...]:
    return (
        Action(
            code="dedicated_advocate",
            label="Dedicated advocate for the account until the failures stop",
            kinds=_ALL,
            fixed_cost=_eur("1500"),
            relief_share=0.5,
            relieves=(LossCategory.STAFF_EFFORT,),
            relationship_effect=0.3,
            approval_threshold=_eur("1000"),
            escalation=True,
            days_to_relief=1.0,
            rationale=(
                "After a repeated failure recovery must do more (Maxham & Netemeyer 2002): "
                "an advocate takes over the customer's chasing, half of their effort, for "
                "about a month of part-time work (1,500 EUR)."
            ),
        ),
        Action(
            code="executive_call",
            label="Call from an executive: apology and commitment",
            kinds=_ALL,
            fixed_cost=_eur("300"),
            relationship_effect=0.25,
            escalation=True,
            days_to_relief=2.0,
            rationale=(
                "Attention at the level that can change things, after a repeated failure; "
                "it relieves no measured loss, its value is the relationship."
            ),
        ),
        Action(
            code="root_cause_report",
            label="Root-cause report with the fix, shared with the customer",
            kinds=_ALL,
            fixed_cost=_eur("800"),
            relationship_effect=0.2,
            escalation=True,
            days_to_relief=14.0,
            rationale=(
                "Shows the failure will not come back; compensation helps mainly when the "
                "vendor owns a recurring failure (Grewal, Roggeveen & Tsiros 2008). Relieves "
                "no measured loss now; a week of an engineer's time, in part."
            ),
        ),
    )


def default_catalog() -> ActionCatalog:
    """Return the built-in catalog: 4 proactive, 6 recovery and 3 escalation actions.

    Proactive (late and partial deliveries, before the customer feels them): early
    notice with a new date, split shipment, expedite, alternative source. Recovery:
    replacement, refund of delivery fees, service credits (by delay, by downtime),
    goodwill gesture, apology with a named contact. Escalations, for repeated
    failures: dedicated advocate, executive call, root-cause report. Every parameter
    and its reasoning is in ``docs/policies.md``; fixed amounts are in EUR.

    A fresh value on every call; change it with :meth:`ActionCatalog.with_action` and
    :meth:`ActionCatalog.without`, or build your own.

    Example:
        >>> catalog = default_catalog()
        >>> len(catalog), catalog.get("service_credit_delivery").credit.cap
        (13, 1.0)

    .. versionadded:: 0.1.0
    """
    return ActionCatalog(actions=(*_proactive(), *_recovery(), *_escalations()))


def catalog_problems(catalog: object) -> list[str]:
    """``["catalog must be an ActionCatalog, not ..."]``, or ``[]`` when it is one.

    Example:
        >>> catalog_problems(ActionCatalog)
        ['catalog must be an ActionCatalog, not the class ActionCatalog: pass default_catalog() or a catalog built from it']
        >>> catalog_problems(default_catalog())
        []
    """
    if isinstance(catalog, ActionCatalog):
        return []
    if isinstance(catalog, type):
        fix = "pass default_catalog() or a catalog built from it"
        return [f"catalog must be an ActionCatalog, not the class {catalog.__name__}: {fix}"]
    return [f"catalog must be an ActionCatalog, not {short_repr(catalog)}"]
