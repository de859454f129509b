"""What a vendor can do for a customer: actions and the catalog a host builds as data.

An :class:`Action` says which incident kinds it answers, whether it acts before the
customer feels the problem (proactive) or after (recovery), what it costs the vendor,
which kinds of the customer's loss it relieves and by how much, and when a human must
sign it off. A service credit's tiers and cap are a :class:`CreditSchedule`. An
:class:`ActionCatalog` is a validated tuple of actions with unique codes; it
round-trips through :func:`~custadvocacy.to_dict` / :func:`~custadvocacy.from_dict`.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Iterator
from typing import Final

import attrs

from custadvocacy._checks import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, Checks, article, number_text
from custadvocacy._domain import IncidentKind
from custadvocacy._errors import Problem
from custadvocacy._impact._model import LossCategory
from custadvocacy._money import Money
from custadvocacy._policies._common import MAX_CODE_LENGTH, PolicyConfigError, done
from custadvocacy._policies._sizing import credit_amount, tier_share

__all__ = [
    "MAX_CREDIT_CAP",
    "Action",
    "ActionCatalog",
    "CreditBasis",
    "CreditSchedule",
    "CreditTier",
    "PriceBasis",
]

MAX_CREDIT_CAP: Final = 1.5
"""Largest cap a credit may have, as a share of the price paid.

Loyalty after a failure peaks when compensation is near 150 % of the price paid and
falls beyond it (Haesevoets et al. 2017), so more is not better for anyone.
"""

MAX_DAYS_TO_RELIEF: Final = 3650.0
_MAX_TIERS: Final = 50
_MAX_ACTIONS: Final = 1_000
_CODE: Final = re.compile(r"[a-z0-9][a-z0-9_.-]*")


class CreditBasis(enum.StrEnum):
    """What a credit's tiers measure: the shortfall against the commitment.

    Example:
        >>> CreditBasis("delay_ratio") is CreditBasis.DELAY_RATIO
        True

    .. versionadded:: 0.1.0
    """

    DELAY_RATIO = "delay_ratio"
    """Late delivery: days late / committed lead time (order placed to promised, at
    least one day). Partial delivery: the share missing (the incident's affected share)."""
    DOWNTIME_SHARE = "downtime_share"
    """Service outage: hours down x affected share / 720 (the share of a 30-day month)."""
    SEVERITY = "severity"
    """Any incident: severity rank / 4 (0.25 low, 0.5 medium, 0.75 high, 1.0 critical)."""


class PriceBasis(enum.StrEnum):
    """What a credit is a share of: the price the customer paid for what failed.

    Example:
        >>> PriceBasis.MONTHLY_VALUE.value
        'monthly_value'

    .. versionadded:: 0.1.0
    """

    ORDER_VALUE = "order_value"
    """The value of the order concerned (one month of the customer's value when the
    incident names no order)."""
    MONTHLY_VALUE = "monthly_value"
    """One month of the customer's annual value (SLA credits are a share of the
    monthly charges)."""


@attrs.frozen(kw_only=True)
class CreditTier:
    """One step of a credit schedule: from ``at_least`` on, credit ``share`` of the price.

    Attributes:
        at_least: The shortfall (in the schedule's :class:`CreditBasis`) from which the
            tier applies, inclusive (>= 0).
        share: Share of the price credited in this tier (0 to :data:`MAX_CREDIT_CAP`).

    Raises:
        PolicyConfigError: A field is not acceptable (every problem listed).

    Example:
        >>> CreditTier(at_least=0.25, share=0.25)
        CreditTier(at_least=0.25, share=0.25)

    .. versionadded:: 0.1.0
    """

    at_least: float
    share: float

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.number("at_least", self.at_least, high=1e6)
        c.number("share", self.share, high=MAX_CREDIT_CAP, what=" (a share of the price)")
        done(c)
        object.__setattr__(self, "at_least", float(self.at_least))
        object.__setattr__(self, "share", float(self.share))


@attrs.frozen(kw_only=True)
class CreditSchedule:
    """A service credit: a tiered share of the price paid, by shortfall, with a cap.

    ``credit = price x min(tier(shortfall), cap)``: the form of late-delivery
    liquidated-damages clauses (a rate per period late, capped) and of statutory
    delay-compensation schemes (EU rail: 25 % of the fare from 60 minutes, 50 % from
    120) and cloud SLA credits (a share of the monthly charges by uptime). The same
    rule for everyone hit by the same incident: the credit depends on the price and
    the shortfall only, never on who the customer is (Albrecht et al. 2018).

    Attributes:
        basis: What the tiers measure (:class:`CreditBasis`).
        tiers: The steps, ``at_least`` strictly increasing and ``share`` non-decreasing
            (1 to 50 of them); below the first tier the credit is zero.
        price: What the shares are shares of (:class:`PriceBasis`).
        cap: Largest credit as a share of the price (above 0, at most
            :data:`MAX_CREDIT_CAP` = 1.5); tiers above it are capped.

    Raises:
        PolicyConfigError: A field is not acceptable, or the tiers are out of order.

    Example:
        >>> schedule = CreditSchedule(
        ...     basis=CreditBasis.DELAY_RATIO,
        ...     tiers=(CreditTier(at_least=0.1, share=0.1), CreditTier(at_least=0.25, share=0.25)),
        ... )
        >>> schedule.share(0.3), schedule.amount(25600.0, 0.3)
        (0.25, 6400.0)

    .. versionadded:: 0.1.0
    """

    basis: CreditBasis
    tiers: tuple[CreditTier, ...]
    price: PriceBasis = PriceBasis.ORDER_VALUE
    cap: float = 1.0
    _thresholds: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)
    _shares: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.member("basis", self.basis, CreditBasis)
        c.member("price", self.price, PriceBasis)
        c.number("cap", self.cap, low=1e-9, high=MAX_CREDIT_CAP, what=" (a share of the price)")
        _check_tiers(c, self.tiers)
        done(c)
        object.__setattr__(self, "cap", float(self.cap))
        object.__setattr__(self, "_thresholds", tuple(t.at_least for t in self.tiers))
        object.__setattr__(self, "_shares", tuple(t.share for t in self.tiers))

    def share(self, shortfall: float) -> float:
        """Return the share of the price credited for ``shortfall``, capped.

        Example:
            >>> CreditSchedule(
            ...     basis=CreditBasis.SEVERITY, tiers=(CreditTier(at_least=0.0, share=1.2),),
            ...     cap=1.0,
            ... ).share(1.0)
            1.0
        """
        return min(tier_share(float(shortfall), self._thresholds, self._shares), self.cap)

    def amount(self, price: float, shortfall: float) -> float:
        """Return the credit for ``price`` and ``shortfall``: ``price x share(shortfall)``.

        Example:
            >>> CreditSchedule(
            ...     basis=CreditBasis.SEVERITY, tiers=(CreditTier(at_least=0.5, share=0.1),),
            ... ).amount(1000.0, 0.25)
            0.0
        """
        share = tier_share(float(shortfall), self._thresholds, self._shares)
        return credit_amount(float(price), share, self.cap)


def _check_tiers(c: Checks, tiers: object) -> None:
    if not isinstance(tiers, tuple) or not 1 <= len(tiers) <= _MAX_TIERS:
        c.fail("tiers", tiers, f"a tuple of 1 to {_MAX_TIERS} CreditTier")
        return
    for i, tier in enumerate(tiers):
        c.instance(f"tiers[{i}]", tier, CreditTier, "a CreditTier")
    if c.problems:
        return
    for i, (before, after) in enumerate(itertools.pairwise(tiers), start=1):
        if not after.at_least > before.at_least:
            c.fail(
                f"tiers[{i}].at_least",
                after.at_least,
                f"a threshold above the previous tier's ({number_text(before.at_least)})",
            )
        if after.share < before.share:
            c.fail(
                f"tiers[{i}].share",
                after.share,
                f"a share not below the previous tier's ({number_text(before.share)})",
            )


@attrs.frozen(kw_only=True, repr=False)
class Action:
    """Something the vendor can do for a customer, with its cost and what it relieves.

    Sizing (``docs/policies.md``, "How an action is sized"): on each loss it is
    applied to, an action relieves ``min(remaining, relief_share x remaining + credit)``
    of the part of the loss in the categories it ``relieves`` (money for money lost,
    time for time lost: Roschk & Gelbrich 2014), where ``remaining`` is what the
    actions before it left. It costs the vendor ``fixed_cost + cost_share_of_order x
    value of the goods affected + cost_share_of_annual_value x annual value + credit``.

    Attributes:
        code: Stable identifier (lower case letters, digits, ``_``, ``.``, ``-``; at most
            100 characters); what a CRM stores.
        label: What it is, for a reader.
        kinds: The incident kinds it answers (non-empty, no repeats). A proactive action
            on a forecast answers ``late_delivery``.
        proactive: ``True`` when it acts before the customer feels the problem (on a
            forecast of a late order, or while an incident is still unfolding);
            ``False`` for recovery after the fact.
        fixed_cost: Fixed cost to the vendor of doing it (Money >= 0), if any.
        cost_share_of_order: Share of the affected goods' value (order value x the
            incident's affected share) it costs the vendor (0-1).
        cost_share_of_annual_value: Share of the customer's annual value it costs (0-1).
        relief_share: Expected share of the remaining loss (in the ``relieves``
            categories) it relieves (0-1); ``rationale`` says why this much.
        relieves: The kinds of loss it relieves (no repeats); empty for an action whose
            value is not a relief of the measured loss (an executive call).
        credit: The money it credits or refunds to the customer, if it does
            (:class:`CreditSchedule`); relieves money lost one for one, and costs the
            vendor what it credits.
        relationship_effect: Share of the retention put at risk by the failure that the
            action wins back (0-1; 0.3 wins back 30 % of it). Several actions combine as
            ``1 - prod(1 - effect)``, never more than all of it (no recovery paradox
            beyond the pre-failure level: de Matos et al. 2007). The vendor-value policy
            prices it.
        approval_threshold: Cost above which a human must sign the action off (Money);
            ``None``: never.
        escalation: ``True`` for escalations (dedicated advocate, executive call,
            root-cause report), which the built-in policies use when a failure repeats
            (Maxham & Netemeyer 2002). Escalations are recovery actions.
        group: Actions of one group are alternatives: at most one of them per loss
            (expedite *or* source elsewhere). ``None``: no group.
        days_to_relief: Days until the customer feels the relief (>= 0). Immediate relief
            is preferred to delayed relief (Roschk & Gelbrich 2014).
        only_while_open: ``True`` when it only makes sense while the incident is open
            (a replacement).
        rationale: Why it relieves what it does, for the docs and the reasons.

    Raises:
        PolicyConfigError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy import IncidentKind, LossCategory
        >>> notice = Action(
        ...     code="early_notice", label="Early notice with a new date",
        ...     kinds=(IncidentKind.LATE_DELIVERY,), proactive=True, relief_share=0.15,
        ...     relieves=(LossCategory.LOST_MARGIN, LossCategory.IDLE_STAFF),
        ... )
        >>> notice
        Action('early_notice', proactive, kinds=late_delivery, relief_share=0.15)

    .. versionadded:: 0.1.0
    """

    code: str
    label: str
    kinds: tuple[IncidentKind, ...]
    proactive: bool = False
    fixed_cost: Money | None = None
    cost_share_of_order: float = 0.0
    cost_share_of_annual_value: float = 0.0
    relief_share: float = 0.0
    relieves: tuple[LossCategory, ...] = ()
    credit: CreditSchedule | None = None
    relationship_effect: float = 0.0
    approval_threshold: Money | None = None
    escalation: bool = False
    group: str | None = None
    days_to_relief: float = 0.0
    only_while_open: bool = False
    rationale: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checks()
        _check_code(c, "code", self.code)
        c.text("label", self.label, max_length=MAX_NAME_LENGTH)
        _check_members(c, "kinds", self.kinds, IncidentKind)
        c.instance("proactive", self.proactive, bool, "True or False")
        c.optional_money("fixed_cost", self.fixed_cost)
        c.share("cost_share_of_order", self.cost_share_of_order)
        c.share("cost_share_of_annual_value", self.cost_share_of_annual_value)
        c.share("relief_share", self.relief_share)
        _check_members(c, "relieves", self.relieves, LossCategory, empty=True)
        if self.credit is not None:
            c.instance("credit", self.credit, CreditSchedule, "a CreditSchedule or None")
        c.share("relationship_effect", self.relationship_effect)
        c.optional_money("approval_threshold", self.approval_threshold)
        c.instance("escalation", self.escalation, bool, "True or False")
        if self.group is not None:
            _check_code(c, "group", self.group)
        c.number("days_to_relief", self.days_to_relief, high=MAX_DAYS_TO_RELIEF, what=" days")
        c.instance("only_while_open", self.only_while_open, bool, "True or False")
        c.text("rationale", self.rationale, max_length=MAX_TEXT_LENGTH, blank=True)
        if not c.problems:
            if self.relieves == () and (self.relief_share > 0 or self.credit is not None):
                c.fail(
                    "relieves",
                    self.relieves,
                    "the loss categories it relieves (it has a relief share or a credit)",
                )
            if self.escalation and self.proactive:
                c.fail("escalation", self.escalation, "False for a proactive action")
        done(c)
        for name in (
            "cost_share_of_order",
            "cost_share_of_annual_value",
            "relief_share",
            "relationship_effect",
            "days_to_relief",
        ):
            object.__setattr__(self, name, float(getattr(self, name)))

    def applies_to(self, kind: IncidentKind) -> bool:
        """Return whether the action answers incidents of ``kind``.

        Example:
            >>> from custadvocacy import IncidentKind
            >>> Action(code="a", label="A", kinds=(IncidentKind.DEFECT,)).applies_to(
            ...     IncidentKind.BILLING_ERROR
            ... )
            False
        """
        return kind in self.kinds

    def __repr__(self) -> str:
        flags = ["proactive" if self.proactive else "recovery"]
        if self.escalation:
            flags.append("escalation")
        kinds = "|".join(kind.value for kind in self.kinds)
        parts = [f"{self.code!r}", *flags, f"kinds={kinds}"]
        if self.relief_share:
            parts.append(f"relief_share={self.relief_share!r}")
        if self.credit is not None:
            parts.append(f"credit={self.credit.basis.value}")
        return f"Action({', '.join(parts)})"


def _check_code(c: Checks, name: str, value: object) -> None:
    if not isinstance(value, str) or len(value) > MAX_CODE_LENGTH or not _CODE.fullmatch(value):
        c.fail(
            name,
            value,
            f"a code of lower-case letters, digits, '_', '.' or '-' (at most {MAX_CODE_LENGTH})",
        )


def _check_members(
    c: Checks, name: str, values: object, enum_type: type[enum.Enum], *, empty: bool = False
) -> None:
    # ``empty`` allows no members. (True is what callers pass: a mutated ``None`` or
    # ``False`` is then a real change that a test notices, not an equal falsy value.)
    noun = enum_type.__name__
    if not isinstance(values, tuple) or (not empty and not values):
        what = "a tuple" if empty else "a non-empty tuple"
        c.fail(name, values, f"{what} of {noun}")
        return
    seen: set[object] = set()
    for i, value in enumerate(values):
        c.member(f"{name}[{i}]", value, enum_type)
        if value in seen:
            c.fail(f"{name}[{i}]", value, f"{article(noun)} not listed before")
        seen.add(value)


@attrs.frozen(kw_only=True, repr=False)
class ActionCatalog:
    """The actions a vendor offers: a validated value the host builds (codes unique).

    :func:`~custadvocacy.default_catalog` gives the built-in one; a host builds its own
    as data (or changes the default with :meth:`with_action` and :meth:`without`) and
    stores it with :func:`~custadvocacy.to_dict`.

    Attributes:
        actions: The actions, in the host's order (at most 1,000, codes unique).

    Raises:
        PolicyConfigError: An item is not an :class:`Action`, or two share a code.

    Example:
        >>> from custadvocacy import IncidentKind, default_catalog, from_dict, to_dict
        >>> catalog = default_catalog()
        >>> [a.code for a in catalog.for_kind(IncidentKind.SERVICE_OUTAGE)][:3]
        ['service_credit_outage', 'goodwill_gesture', 'named_contact']
        >>> from_dict(ActionCatalog, to_dict(catalog)) == catalog
        True

    .. versionadded:: 0.1.0
    """

    actions: tuple[Action, ...] = ()
    _by_code: dict[str, Action] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        actions: object = self.actions
        if not isinstance(actions, tuple) or len(actions) > _MAX_ACTIONS:
            c.fail("actions", actions, f"a tuple of at most {_MAX_ACTIONS:,} Action")
        else:
            seen: set[str] = set()
            for i, action in enumerate(actions):
                if not isinstance(action, Action):
                    c.fail(f"actions[{i}]", action, "an Action")
                    continue
                if action.code in seen:
                    c.fail(f"actions[{i}].code", action.code, "a code no other action has")
                seen.add(action.code)
        done(c)
        # A private lookup table, built once; never changed after construction.
        object.__setattr__(self, "_by_code", {a.code: a for a in self.actions})

    @property
    def codes(self) -> tuple[str, ...]:
        """The actions' codes, in catalog order.

        Example:
            >>> from custadvocacy import default_catalog
            >>> default_catalog().codes[:2]
            ('early_notice', 'split_shipment')
        """
        return tuple(a.code for a in self.actions)

    def get(self, code: str) -> Action:
        """Return the action with ``code``.

        Raises:
            ConfigurationError: No action has that code (the message lists them).

        Example:
            >>> from custadvocacy import default_catalog
            >>> default_catalog().get("expedite").proactive
            True
        """
        action = self._by_code.get(code)
        if action is None:
            known = ", ".join(self.codes) or "none"
            expected = f"the code of an action in the catalog ({known})"
            raise PolicyConfigError([Problem("code", code, expected)])
        return action

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def for_kind(self, kind: IncidentKind) -> tuple[Action, ...]:
        """Return the actions that answer incidents of ``kind``, in catalog order.

        Example:
            >>> from custadvocacy import IncidentKind, default_catalog
            >>> [a.code for a in default_catalog().for_kind(IncidentKind.DEFECT)][:1]
            ['replacement']
        """
        return tuple(a for a in self.actions if kind in a.kinds)

    def with_action(self, action: Action) -> ActionCatalog:
        """Return a copy with ``action`` added, replacing the one with the same code in place.

        Example:
            >>> import attrs
            >>> from custadvocacy import default_catalog
            >>> catalog = default_catalog()
            >>> cheaper = attrs.evolve(catalog.get("expedite"), cost_share_of_order=0.03)
            >>> catalog.with_action(cheaper).get("expedite").cost_share_of_order
            0.03
        """
        if action.code in self._by_code:
            kept = tuple(action if a.code == action.code else a for a in self.actions)
            return ActionCatalog(actions=kept)
        return ActionCatalog(actions=(*self.actions, action))

    def without(self, *codes: str) -> ActionCatalog:
        """Return a copy without the actions with ``codes`` (unknown codes are an error).

        Raises:
            ConfigurationError: A code is not in the catalog.

        Example:
            >>> from custadvocacy import default_catalog
            >>> "expedite" in default_catalog().without("expedite")
            False
        """
        for code in codes:
            self.get(code)
        return ActionCatalog(actions=tuple(a for a in self.actions if a.code not in codes))

    def __len__(self) -> int:
        return len(self.actions)

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def __repr__(self) -> str:
        return f"ActionCatalog({len(self.actions)} actions: {', '.join(self.codes)})"
