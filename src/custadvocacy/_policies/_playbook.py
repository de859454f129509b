"""The playbook policy: the host's rules, as data, and which of them fired."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Final

import attrs

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, IncidentKind, Order, Severity
from custadvocacy._errors import Problem
from custadvocacy._forecast import Forecast
from custadvocacy._impact._model import Impact
from custadvocacy._listing import listing
from custadvocacy._policies._actions import ActionCatalog, _check_code, _check_members
from custadvocacy._policies._common import MAX_CODE_LENGTH, PolicyConfigError, done
from custadvocacy._policies._engine import Candidate, Exposure, Pick, Workspace
from custadvocacy._policies._model import Recommendation
from custadvocacy._policies._settings import PolicySettings
from custadvocacy._scoring import AdvocacyScore, Band

__all__ = ["DEFAULT_RULES", "PlaybookPolicy", "PlaybookRule", "RuleTarget"]

_NAME: Final = "playbook"
_MAX_RULES: Final = 1_000
_MAX_CODES: Final = 50


class RuleTarget(enum.StrEnum):
    """What a playbook rule fires for.

    Example:
        >>> RuleTarget("forecast") is RuleTarget.FORECAST
        True

    .. versionadded:: 0.1.0
    """

    INCIDENT = "incident"
    """Each estimated incident that matches the rule's kinds, severity and band."""
    FORECAST = "forecast"
    """Each open order forecast late (at least ``settings.late_probability``)."""
    REPEAT = "repeat"
    """Once, when the failure repeats (``settings.repeat_count`` incidents within
    ``settings.repeat_window_days``); its actions answer all the incidents."""


@attrs.frozen(kw_only=True)
class PlaybookRule:
    """One rule of a playbook: when it fires, and the actions it calls for.

    A rule fires for a target (an incident, a forecast, or a repeated failure) when
    every condition it sets holds; an empty ``kinds`` or ``bands`` means any.

    Attributes:
        name: The rule's name, reported when it fires (unique in a playbook).
        actions: Codes of the catalog's actions to take, in order (1 to 50).
        target: What it fires for (:class:`RuleTarget`).
        kinds: Incident kinds it fires for (empty: any). A forecast is a
            ``late_delivery``.
        min_severity: Lowest severity it fires for (``None``: any). A forecast has no
            severity, so a rule that sets one never fires for forecasts. A ``REPEAT``
            rule answers all the incidents at once: it takes no ``kinds`` and no
            ``min_severity`` (refused rather than ignored).
        bands: Advocacy-score bands it fires in (empty: any).

    Raises:
        PolicyConfigError: A field is not acceptable (every problem listed).

    Example:
        >>> from custadvocacy import IncidentKind, Severity
        >>> PlaybookRule(
        ...     name="late delivery", actions=("service_credit_delivery",),
        ...     kinds=(IncidentKind.LATE_DELIVERY,), min_severity=Severity.HIGH,
        ... )
        PlaybookRule(name='late delivery', actions=('service_credit_delivery',), target=<RuleTarget.INCIDENT: 'incident'>, kinds=(<IncidentKind.LATE_DELIVERY: 'late_delivery'>,), min_severity=<Severity.HIGH: 'high'>, bands=())

    .. versionadded:: 0.1.0
    """

    name: str
    actions: tuple[str, ...]
    target: RuleTarget = RuleTarget.INCIDENT
    kinds: tuple[IncidentKind, ...] = ()
    min_severity: Severity | None = None
    bands: tuple[Band, ...] = ()

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.text("name", self.name, max_length=MAX_CODE_LENGTH)
        actions: object = self.actions
        if not isinstance(actions, tuple) or not 1 <= len(actions) <= _MAX_CODES:
            c.fail("actions", actions, f"a tuple of 1 to {_MAX_CODES} action codes")
        else:
            for i, code in enumerate(actions):
                _check_code(c, f"actions[{i}]", code)
        c.member("target", self.target, RuleTarget)
        _check_members(c, "kinds", self.kinds, IncidentKind, empty=True)
        c.optional_member("min_severity", self.min_severity, Severity)
        _check_members(c, "bands", self.bands, Band, empty=True)
        if self.target is RuleTarget.REPEAT:
            # A repeat rule answers all the incidents at once: a kind or severity
            # condition would be silently ignored, so it is refused.
            repeat = f"empty for the repeat rule {self.name!r} (it answers all incidents)"
            if self.kinds:
                c.fail("kinds", self.kinds, repeat)
            if self.min_severity is not None:
                c.fail("min_severity", self.min_severity, repeat.replace("empty", "None"))
        done(c)


_DELIVERY: Final = (IncidentKind.LATE_DELIVERY, IncidentKind.PARTIAL_DELIVERY)

DEFAULT_RULES: Final = (
    PlaybookRule(
        name="order forecast late",
        target=RuleTarget.FORECAST,
        actions=("early_notice", "expedite"),
    ),
    PlaybookRule(
        name="delivery failed",
        kinds=_DELIVERY,
        actions=("service_credit_delivery", "refund_delivery_fees"),
    ),
    PlaybookRule(
        name="service down",
        kinds=(IncidentKind.SERVICE_OUTAGE,),
        actions=("service_credit_outage", "named_contact"),
    ),
    PlaybookRule(
        name="defective goods",
        kinds=(IncidentKind.DEFECT,),
        actions=("replacement", "named_contact"),
    ),
    PlaybookRule(
        name="billing or support failure",
        kinds=(IncidentKind.BILLING_ERROR, IncidentKind.SUPPORT_FAILURE, IncidentKind.OTHER),
        actions=("named_contact", "goodwill_gesture"),
    ),
    PlaybookRule(
        name="repeat failure",
        target=RuleTarget.REPEAT,
        actions=("dedicated_advocate", "root_cause_report"),
    ),
    PlaybookRule(
        name="critical band",
        bands=(Band.CRITICAL,),
        actions=("executive_call",),
    ),
)
"""The built-in playbook's rules (``docs/policies.md``, "Playbook"); they name actions
of :func:`~custadvocacy.default_catalog`."""


@attrs.frozen(kw_only=True)
class PlaybookPolicy:
    """Rules as data: incident kind, severity and score band decide the actions.

    For each rule in order, for each target it fires for (sorted by id), the rule's
    actions are taken in order -- when the action answers the target's kind, is not
    taken already, fits the cost limit and ``settings.max_actions``. Every rule that
    fired is reported, and every action says which rule called for it; what a rule
    called for but could not take is reported with the reason. Before the rules, a
    critical order forecast late gets a proactive action before its promise, as in
    every built-in policy. Actions are ranked in the order the rules took them.
    ``net_value = relief - cost``.

    Attributes:
        rules: The rules, in order (at most 1,000; names unique). Default:
            :data:`DEFAULT_RULES`.
        settings: The cost limit, action count and triggers (:class:`PolicySettings`).
        first_match: When ``True``, each target is handled by the first rule that fires
            for it only.

    Raises:
        PolicyConfigError: A field is not acceptable (a ConfigurationError naming it);
            at :meth:`recommend`, a rule naming an action the catalog lacks.

    Example:
        >>> from custadvocacy import AdvocacyScorer, default_catalog, estimate_impacts
        >>> from custadvocacy import forecast_orders
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ctx = example_context()
        >>> customer, orders, incidents = example_portfolio().for_customer("C07")
        >>> impacts = estimate_impacts(customer, orders, incidents, ctx)
        >>> forecasts = forecast_orders(customer, orders, ctx)
        >>> score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
        >>> rec = PlaybookPolicy().recommend(
        ...     customer, orders, incidents, impacts, forecasts, score, default_catalog(), ctx
        ... )
        >>> rec.codes, rec.reasons[0]
        (('replacement', 'named_contact'), "rule 'defective goods' fired for INC-701")

    .. versionadded:: 0.1.0
    """

    rules: tuple[PlaybookRule, ...] = DEFAULT_RULES
    settings: PolicySettings = attrs.field(factory=PolicySettings)
    first_match: bool = False

    def __attrs_post_init__(self) -> None:
        c = Checks()
        rules: object = self.rules
        if not isinstance(rules, tuple) or len(rules) > _MAX_RULES:
            c.fail("rules", rules, f"a tuple of at most {_MAX_RULES:,} PlaybookRule")
        else:
            names: set[str] = set()
            for i, rule in enumerate(rules):
                if not isinstance(rule, PlaybookRule):
                    c.fail(f"rules[{i}]", rule, "a PlaybookRule")
                    continue
                if rule.name in names:
                    c.fail(f"rules[{i}].name", rule.name, "a name no other rule has")
                names.add(rule.name)
        c.instance("settings", self.settings, PolicySettings, "a PolicySettings")
        c.instance("first_match", self.first_match, bool, "True or False")
        done(c)

    @property
    def name(self) -> str:
        """``"playbook"``, stored in every recommendation it makes.

        Example:
            >>> PlaybookPolicy().name
            'playbook'
        """
        return _NAME

    def check(self, catalog: ActionCatalog) -> None:
        """Raise when a rule names an action ``catalog`` does not have.

        Raises:
            PolicyConfigError: One problem per unknown code, with its path
                (``rules[2].actions[0]``).

        Example:
            >>> from custadvocacy import default_catalog
            >>> PlaybookPolicy().check(default_catalog())  # fine: returns None
            >>> PlaybookPolicy().check(default_catalog().without("expedite"))
            Traceback (most recent call last):
            ...
            custadvocacy...PolicyConfigError: 1 problem:
              rules[0].actions[1]: expected the code of an action in the catalog, got 'expedite'
        """
        problems = [
            Problem(f"rules[{i}].actions[{j}]", code, "the code of an action in the catalog")
            for i, rule in enumerate(self.rules)
            for j, code in enumerate(rule.actions)
            if code not in catalog
        ]
        if problems:
            raise PolicyConfigError(problems)

    def recommend(  # noqa: PLR0917 - the RecommendationPolicy signature
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        score: AdvocacyScore,
        catalog: ActionCatalog,
        context: Context,
    ) -> Recommendation:
        """Return the actions the rules call for, within the limits, in the order taken.

        Args:
            customer: The customer.
            orders: Their orders.
            incidents: Their incidents (those opened after ``as_of`` are ignored).
            impacts: The incidents' impacts, in ``context.currency``.
            forecasts: Forecasts of their open orders, in ``context.currency``.
            score: Their advocacy score (its band is matched against ``bands``).
            catalog: The actions the vendor offers.
            context: ``as_of``, the reporting currency and the rates.

        Returns:
            The recommendation; its reasons list every rule that fired.

        Raises:
            PolicyConfigError: A rule names an action the catalog lacks.
            ValidationError: An input is of the wrong type, belongs to another
                customer or is in another currency (every problem listed).
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy import AdvocacyScorer, default_catalog
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> ctx = example_context()
            >>> quiet = example_portfolio().customer("C09")  # no orders, no incidents
            >>> score = AdvocacyScorer().score(quiet, (), (), (), (), ctx)
            >>> rec = PlaybookPolicy().recommend(quiet, (), (), (), (), score, default_catalog(), ctx)
            >>> rec.actions, rec.reasons[0]
            ((), 'no rule fired')
        """
        ws = Workspace(
            customer, orders, incidents, impacts, forecasts, score, catalog, context, self.settings
        )
        self.check(catalog)
        candidates = ws.candidates(escalate=True)
        index = {c.key: c for c in candidates}
        picks: list[Pick] = []
        ws.ensure_proactive(candidates, picks, self.settings.max_actions)
        taken = {p.candidate.key for p in picks}
        fired: list[str] = []
        handled: set[str] = set()
        for rule in self.rules:
            targets = self._targets(rule, ws, handled)
            if not targets:
                continue
            fired.append(f"rule {rule.name!r} fired for {listing(_names(targets))}")
            if self.first_match:
                handled.update(e.key for group in targets for e in group)
            for group in targets:
                for code in rule.actions:
                    self._take(ws, rule, code, group, index, taken, picks)
        if not fired:
            fired.append("no rule fired")
        return ws.recommendation(_NAME, picks, fired)

    def _targets(
        self, rule: PlaybookRule, ws: Workspace, handled: set[str]
    ) -> list[tuple[Exposure, ...]]:
        band = ws.score.band
        if rule.target is RuleTarget.REPEAT:
            incidents = tuple(e for e in ws.exposures if e.incident is not None)
            if not ws.repeat or not incidents or (rule.bands and band not in rule.bands):
                return []
            return [incidents]
        want_forecast = rule.target is RuleTarget.FORECAST
        return [
            (e,)
            for e in ws.exposures
            if (e.forecast is not None) == want_forecast
            and e.key not in handled
            and _rule_matches(rule, e, band)
        ]

    def _take(  # noqa: PLR0917 - one rule's action on one target, with the running state
        self,
        ws: Workspace,
        rule: PlaybookRule,
        code: str,
        group: tuple[Exposure, ...],
        index: dict[tuple[str, tuple[str, ...]], Candidate],
        taken: set[tuple[str, tuple[str, ...]]],
        picks: list[Pick],
    ) -> None:
        action = ws.catalog.get(code)
        if action.escalation:
            found = [c for key, c in index.items() if key[0] == code]
        else:
            found = [c for e in group if (c := index.get((code, (e.key,)))) is not None]
        where = listing(_names([group]))
        if not found:
            ws.notes.append(f"rule {rule.name!r}: {code} does not apply to {where}")
            return
        for candidate in found:
            if candidate.key in taken:
                continue
            if len(picks) >= self.settings.max_actions or not ws.fits(candidate):
                ws.notes.append(
                    f"rule {rule.name!r}: {code} for {where} left out: it does not fit the "
                    "cost limit or the number of actions"
                )
                continue
            taken.add(candidate.key)
            picks.append(ws.pick(candidate, [f"playbook rule {rule.name!r}"]))


def _names(targets: Sequence[tuple[Exposure, ...]]) -> list[str]:
    return [e.name for group in targets for e in group]


def _rule_matches(rule: PlaybookRule, exposure: Exposure, band: Band) -> bool:
    """Whether the rule fires for ``exposure`` (its own target aside) in ``band``."""
    if rule.kinds and exposure.kind not in rule.kinds:
        return False
    if rule.bands and band not in rule.bands:
        return False
    if rule.min_severity is None:
        return True
    incident = exposure.incident
    return incident is not None and incident.severity.rank >= rule.min_severity.rank
