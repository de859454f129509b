"""The vendor-value policy: the business view, kept beside the customer's, never instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._forecast import Forecast
from custadvocacy._impact._model import Impact
from custadvocacy._policies._actions import ActionCatalog
from custadvocacy._policies._common import done
from custadvocacy._policies._engine import Candidate, Pick, Workspace
from custadvocacy._policies._model import Recommendation
from custadvocacy._policies._settings import PolicySettings
from custadvocacy._policies._sizing import clv_multiplier
from custadvocacy._scoring import AdvocacyScore

__all__ = ["VendorValuePolicy"]

_NAME: Final = "vendor_value"


@attrs.frozen(kw_only=True)
class VendorValuePolicy:
    """The business view: retention won back x customer value - cost, for hosts that want it.

    Meant to sit *beside* the customer-first recommendation, not to replace it. With
    ``m = margin_share x annual value``, base retention ``r`` and discount rate ``i``
    (Gupta & Lehmann's ``CLV = m r / (1 + i - r)``):

    - retention at risk ``d = max_retention_drop x score / 100`` (the advocacy score);
    - an action with relationship effect ``e`` on exposures carrying a share ``w`` of
      the customer's estimated loss (escalations: ``w = 1``) wins back
      ``(1 - E) x e x w`` of ``d``, where ``E`` is what the actions before it won back
      (so the total never exceeds ``d``: no recovery paradox, de Matos et al. 2007);
    - its value is ``dr x m x (1 + i) / (1 + i - r) ** 2`` (the derivative of the CLV);
    - it is recommended when its value exceeds its cost (Neslin et al. 2006: act when
      the retained value beats the incentive's cost), greedily by net value, within the
      cost limit (Lemmens & Gupta: rank by expected profit uplift, not by risk).

    A critical order forecast late still gets a proactive action first (as in every
    built-in). Actions are ranked by ``net_value = value - cost``; their ``relief``
    (the customer's loss they relieve) is reported as well, so both views show.

    Attributes:
        settings: The cost limit, action count and triggers (:class:`PolicySettings`).
        margin_share: The vendor's margin on the customer's annual value (0-1). Default 0.3.
        retention: Base yearly retention probability (0-0.99). Default 0.8.
        discount_rate: Yearly discount rate (0-1). Default 0.1.
        max_retention_drop: Retention lost at a score of 100 (0-1). Default 0.3 (weak:
            surveys report half of customers switching after one bad experience, which
            a B2B contract tempers).

    Raises:
        PolicyConfigError: A field is not acceptable (a ConfigurationError naming it).

    Example:
        >>> from custadvocacy import AdvocacyScorer, default_catalog, estimate_impacts
        >>> from custadvocacy import forecast_orders
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ctx = example_context()
        >>> customer, orders, incidents = example_portfolio().for_customer("C01")
        >>> impacts = estimate_impacts(customer, orders, incidents, ctx)
        >>> forecasts = forecast_orders(customer, orders, ctx)
        >>> score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
        >>> rec = VendorValuePolicy().recommend(
        ...     customer, orders, incidents, impacts, forecasts, score, default_catalog(), ctx
        ... )
        >>> [(a.code, str(a.net_value)) for a in rec.actions]
        [('service_credit_delivery', '7,460.00 EUR'), ('named_contact', '3,234.00 EUR'), ('goodwill_gesture', '2,750.60 EUR'), ('refund_delivery_fees', '1,851.54 EUR')]

    .. versionadded:: 0.1.0
    """

    settings: PolicySettings = attrs.field(factory=PolicySettings)
    margin_share: float = 0.3
    retention: float = 0.8
    discount_rate: float = 0.1
    max_retention_drop: float = 0.3

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.instance("settings", self.settings, PolicySettings, "a PolicySettings")
        c.share("margin_share", self.margin_share)
        c.number("retention", self.retention, high=0.99, what=" (a yearly probability)")
        c.share("discount_rate", self.discount_rate)
        c.share("max_retention_drop", self.max_retention_drop)
        done(c)
        for name in ("margin_share", "retention", "discount_rate", "max_retention_drop"):
            object.__setattr__(self, name, float(getattr(self, name)))

    @property
    def name(self) -> str:
        """``"vendor_value"``, stored in every recommendation it makes.

        Example:
            >>> VendorValuePolicy().name
            'vendor_value'
        """
        return _NAME

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
        """Return the actions worth more to the vendor than they cost, by net value.

        Args:
            customer: The customer.
            orders: Their orders.
            incidents: Their incidents (those opened after ``as_of`` are ignored).
            impacts: The incidents' impacts, in ``context.currency``.
            forecasts: Forecasts of their open orders, in ``context.currency``.
            score: Their advocacy score (sets the retention at risk).
            catalog: The actions the vendor offers.
            context: ``as_of``, the reporting currency and the rates.

        Returns:
            The recommendation, ranked by net value.

        Raises:
            ValidationError: An input is of the wrong type, belongs to another
                customer or is in another currency (every problem listed).
            MissingRateError: An amount's currency has no rate into the reporting one.

        Example:
            >>> from custadvocacy import AdvocacyScorer, default_catalog
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> ctx = example_context()
            >>> quiet = example_portfolio().customer("C09")  # no orders, no incidents
            >>> score = AdvocacyScorer().score(quiet, (), (), (), (), ctx)
            >>> rec = VendorValuePolicy().recommend(quiet, (), (), (), (), score, default_catalog(), ctx)
            >>> rec.actions, rec.reasons[0]
            ((), 'retention at risk 0.2% = 30% x score 0.76/100; annual margin 12,558.14 EUR (30% of the annual value); CLV multiplier 12.22 (r 0.8, i 0.1): winning it all back is worth 349.95 EUR')
        """
        settings = self.settings
        ws = Workspace(
            customer, orders, incidents, impacts, forecasts, score, catalog, context, settings
        )
        at_risk = self.max_retention_drop * score.value / 100.0
        margin = self.margin_share * ws.annual
        multiplier = clv_multiplier(self.retention, self.discount_rate)
        whole = at_risk * margin * multiplier
        candidates = ws.candidates(escalate=ws.repeat)
        picks: list[Pick] = []
        ws.ensure_proactive(candidates, picks, settings.max_actions)
        kept = 1.0  # share of the at-risk retention not yet won back
        for p in picks:
            kept = self._value(ws, p, kept, whole)
        state = [kept]

        def key(c: Candidate) -> tuple[int, ...] | None:
            net = ws.units(state[0] * self._effect(ws, c) * whole) - c.cost_units
            return None if net <= 0 else (-net, c.cost_units)

        def after(pick: Pick) -> None:
            state[0] = self._value(ws, pick, state[0], whole)

        ws.greedy(candidates, picks, key, "the most net value of what is left", after)
        reasons = [
            (
                f"retention at risk {at_risk:.1%} = {self.max_retention_drop:.0%} x score "
                f"{score.value:.2f}/100; annual margin {ws.text(margin)} "
                f"({self.margin_share:.0%} of the annual value); CLV multiplier {multiplier:.2f} "
                f"(r {self.retention:g}, i {self.discount_rate:g}): winning it all back is worth "
                f"{ws.text(whole)}"
            )
        ]
        if len(picks) == 0:
            reasons.append("no action is worth more to the vendor than it costs")
        ws.left_out(candidates, picks)
        return ws.recommendation(
            _NAME,
            picks,
            reasons,
            sort_key=lambda p: (p.candidate.cost_units - p.value_units, p.candidate.key),
        )

    def _effect(self, ws: Workspace, candidate: Candidate) -> float:
        """The share of the at-risk retention the candidate wins back, before combining."""
        effect = candidate.action.relationship_effect
        if candidate.action.escalation or ws.total_loss <= 0.0:
            return effect
        covered = sum(e.loss for e in candidate.exposures)
        return effect * covered / ws.total_loss

    def _value(self, ws: Workspace, pick: Pick, kept: float, whole: float) -> float:
        """Set the pick's value and reasons; return the share still at risk after it."""
        won = kept * self._effect(ws, pick.candidate)
        pick.value_units = ws.units(won * whole)
        pick.reasons.append(
            f"wins back {won:.1%} of the retention at risk: worth "
            f"{ws.money(pick.value_units)} to the vendor"
        )
        return kept - won
