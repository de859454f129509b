"""The default policy: relieve as much of the customer's loss as the vendor's limits allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._forecast import Forecast
from custadvocacy._impact._model import Impact
from custadvocacy._listing import listing
from custadvocacy._money import Money
from custadvocacy._policies._actions import ActionCatalog
from custadvocacy._policies._common import done
from custadvocacy._policies._engine import Candidate, Pick, Workspace, by_relief
from custadvocacy._policies._model import Recommendation
from custadvocacy._policies._settings import PolicySettings
from custadvocacy._policies._sizing import time_weight
from custadvocacy._scoring import AdvocacyScore

__all__ = ["CustomerFirstPolicy"]

_NAME: Final = "customer_first"
_DEFAULT_THRESHOLD: Final = Money("250", "EUR")


@attrs.frozen(kw_only=True)
class CustomerFirstPolicy:
    """The default policy: the most customer loss relieved within the vendor's limits.

    In four steps, every one deterministic (ties go to the cheaper action, then to
    the action code and the incident or order id):

    1. **Proactive first.** A critical order (criticality at least
       ``settings.critical_share``) forecast late (at least
       ``settings.late_probability``) before its promise gets the proactive action
       that relieves the most of its forecast risk and fits the limit.
    2. **Escalate a repeated failure.** When ``settings.repeat_count`` incidents were
       opened within ``settings.repeat_window_days``, every escalation of the catalog
       (dedicated advocate, executive call, root-cause report) that fits is added
       (Maxham & Netemeyer 2002: after a second failure, recovery must do more).
    3. **Greedy by relief.** Repeatedly add the action that relieves the most of what
       is left of the loss -- each relief weighed by ``2 ** (-days_to_relief /
       relief_half_life_days)``, so immediate relief wins over delayed relief (Roschk
       & Gelbrich 2014) -- as long as the total cost stays within the cost limit and
       fewer than ``settings.max_actions`` are chosen.
    4. **Never leave a harmed customer empty-handed.** If nothing was chosen and the
       estimated loss is above ``loss_threshold``, the cheapest applicable action that
       fits the limit is recommended (with the default catalog a personal apology and
       a named contact, which costs nothing, always fits).

    The actions are ranked by relief, largest first. ``net_value = relief - cost``.

    Attributes:
        settings: The cost limit, the action count and the triggers
            (:class:`PolicySettings`).
        loss_threshold: A customer whose estimated loss (incidents plus the avoidable
            forecast risk) is above this never gets an empty recommendation (Money >=
            0, converted into the reporting currency). Default 250 EUR.
        relief_half_life_days: Days after which a delayed relief counts half when
            ranking (> 0). Default 30.

    Raises:
        PolicyConfigError: A field is not acceptable (a ConfigurationError naming it).

    Example:
        >>> from custadvocacy import AdvocacyScorer, default_catalog, estimate_impacts
        >>> from custadvocacy import forecast_orders
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> ctx = example_context()
        >>> customer, orders, incidents = example_portfolio().for_customer("C05")
        >>> impacts = estimate_impacts(customer, orders, incidents, ctx)
        >>> forecasts = forecast_orders(customer, orders, ctx)
        >>> score = AdvocacyScorer().score(customer, orders, incidents, impacts, forecasts, ctx)
        >>> rec = CustomerFirstPolicy().recommend(
        ...     customer, orders, incidents, impacts, forecasts, score, default_catalog(), ctx
        ... )
        >>> for action in rec.actions:
        ...     print(action.rank, action.code, action.proactive, action.relief, action.cost)
        1 alternative_source True 67,180.02 EUR 6,200.00 EUR
        2 early_notice True 2,519.25 EUR 0.00 EUR
        >>> rec.actions[0].reasons[0]
        'O-5001 is critical (criticality 0.90) and 98% likely late: a proactive action before its promise on 2026-11-24'

    .. versionadded:: 0.1.0
    """

    settings: PolicySettings = attrs.field(factory=PolicySettings)
    loss_threshold: Money = _DEFAULT_THRESHOLD
    relief_half_life_days: float = 30.0

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.instance("settings", self.settings, PolicySettings, "a PolicySettings")
        c.money("loss_threshold", self.loss_threshold)
        c.number("relief_half_life_days", self.relief_half_life_days, low=1e-9, high=3650)
        done(c)
        object.__setattr__(self, "relief_half_life_days", float(self.relief_half_life_days))

    @property
    def name(self) -> str:
        """``"customer_first"``, stored in every recommendation it makes.

        Example:
            >>> CustomerFirstPolicy().name
            'customer_first'
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
        """Return the ranked actions that relieve the most loss within the limits.

        Args:
            customer: The customer.
            orders: Their orders.
            incidents: Their incidents (those opened after ``as_of`` are ignored).
            impacts: The incidents' impacts, in ``context.currency``.
            forecasts: Forecasts of their open orders, in ``context.currency``.
            score: Their advocacy score.
            catalog: The actions the vendor offers.
            context: ``as_of``, the reporting currency and the rates.

        Returns:
            The recommendation, ranked by relief.

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
            >>> rec = CustomerFirstPolicy().recommend(quiet, (), (), (), (), score, default_catalog(), ctx)
            >>> rec.actions, rec.reasons[0]
            ((), 'no estimated loss to relieve')
        """
        return self._recommend(
            customer, orders, incidents, impacts, forecasts, score, catalog, context
        )

    def _recommend(  # noqa: PLR0917 - recommend()'s inputs, in its order
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        score: AdvocacyScore,
        catalog: ActionCatalog,
        context: Context,
        *,
        checked: bool = False,
    ) -> Recommendation:
        """:meth:`recommend`; ``checked=True`` when ``assess()`` checked the inputs already."""
        settings = self.settings
        ws = Workspace(
            customer,
            orders,
            incidents,
            impacts,
            forecasts,
            score,
            catalog,
            context,
            settings,
            checked=checked,
        )
        candidates = ws.candidates(escalate=ws.repeat)
        picks: list[Pick] = []
        ws.ensure_proactive(candidates, picks, settings.max_actions)
        if ws.repeat:
            self._escalate(ws, candidates, picks)
        self._greedy(ws, candidates, picks)
        reasons = []
        if not picks:
            reasons.append(self._fallback(ws, candidates, picks))
        ws.left_out(candidates, picks)
        return ws.recommendation(_NAME, picks, reasons, sort_key=by_relief)

    def _escalate(self, ws: Workspace, candidates: Sequence[Candidate], picks: list[Pick]) -> None:
        why = (
            f"repeat failure: {len(ws.repeat_ids)} incidents in the last "
            f"{ws.settings.repeat_window_days:g} days ({listing(ws.repeat_ids)}): escalate"
        )
        for c in candidates:
            if not c.action.escalation:
                continue
            if len(picks) >= ws.settings.max_actions or not ws.fits(c):
                ws.notes.append(f"{why}, but {c.action.code} does not fit the limits")
                continue
            picks.append(ws.pick(c, [why]))

    def _greedy(self, ws: Workspace, candidates: Sequence[Candidate], picks: list[Pick]) -> None:
        half_life = self.relief_half_life_days
        scale = ws.scale
        weights = {
            days: time_weight(days, half_life)
            for days in {c.action.days_to_relief for c in candidates}
        }

        def key(c: Candidate) -> tuple[int, ...] | None:
            relief = ws.marginal(c)
            if relief * scale < 1.0:  # less than one minor unit: nothing to offer
                return None
            return (-int(relief * weights[c.action.days_to_relief] * scale), c.cost_units)

        ws.greedy(candidates, picks, key, "relieves the most of what is left")

    def _fallback(self, ws: Workspace, candidates: Sequence[Candidate], picks: list[Pick]) -> str:
        threshold = ws.context.to_float(self.loss_threshold)
        loss = ws.text(ws.total_loss)
        if ws.total_loss <= threshold:
            if ws.total_loss <= 0:
                return "no estimated loss to relieve"
            return f"nothing relieves the estimated loss of {loss} within the limits"
        options = [c for c in candidates if ws.fits(c)]
        if not options:
            return (
                f"the estimated loss of {loss} is above {ws.text(threshold)}, but no action "
                "of the catalog applies and fits the cost limit"
            )
        cheapest = min(options, key=lambda c: (c.cost_units, -ws.units(ws.marginal(c)), c.key))
        why = (
            f"the customer lost an estimated {loss}, above {ws.text(threshold)}: never "
            "left without a response (the cheapest action that fits)"
        )
        picks.append(ws.pick(cheapest, [why]))
        return why
