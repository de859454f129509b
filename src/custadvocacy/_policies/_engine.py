"""The machinery the built-in policies share: the losses to relieve, candidates, limits.

A policy works on *exposures*: each estimated incident's loss, split by loss category
(what has happened), and each open order's forecast risk that is still avoidable
(what may happen). A *candidate* is an action of the catalog applied to one exposure
(an escalation: to all of the customer's incidents at once). Applying a candidate
relieves part of what is left of its exposures' loss in the categories it relieves,
so actions applied one after another never relieve more than the loss. Amounts are
settled in whole minor units (costs up, reliefs down) against the cost limit.

Everything here is deterministic: exposures are sorted by key, candidates carry a
stable key (action code, exposure keys) that breaks every tie.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from types import MappingProxyType
from typing import Any, Final

from custadvocacy._context import Context
from custadvocacy._currencies import MINOR_UNITS
from custadvocacy._domain import Customer, Incident, IncidentKind, Order
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._forecast import Forecast
from custadvocacy._forecast._at_risk import risk_beyond_incidents
from custadvocacy._impact._model import Impact, LossCategory
from custadvocacy._listing import listing
from custadvocacy._money import Money
from custadvocacy._policies._actions import Action, ActionCatalog, CreditBasis, PriceBasis
from custadvocacy._policies._common import (
    MAX_REASONS,
    cents_down,
    money_from_cents,
    money_text,
    scale_of,
)
from custadvocacy._policies._exposure import (
    LATE_CATEGORIES,
    Candidate,
    Exposure,
    Pick,
    delay_shortfall,
    downtime_shortfall,
    shortfall_text,
)
from custadvocacy._policies._model import Recommendation, built_action, built_recommendation
from custadvocacy._policies._settings import PolicySettings
from custadvocacy._policies._sizing import (
    action_cost,
    share_relief,
)
from custadvocacy._scoring import AdvocacyScore
from custadvocacy._scoring._scorer import _validate

__all__ = ["LATE_CATEGORIES", "Candidate", "Exposure", "Pick", "Workspace", "by_relief"]

_CATEGORY_ORDER: Final = tuple(LossCategory)
_CATEGORY_TEXT: Final = MappingProxyType({category: category.value for category in LossCategory})
_ALONE: Final = MappingProxyType({category: frozenset({category}) for category in LossCategory})
_MONTHS: Final = 12.0
_MAX_LEFT_OUT: Final = 5


class Workspace:
    """One customer's exposures, candidates and running totals while a policy chooses."""

    def __init__(  # noqa: PLR0917 - the protocol's inputs, passed on as they came
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        score: AdvocacyScore,
        catalog: ActionCatalog,
        context: Context,
        settings: PolicySettings,
        *,
        checked: bool = False,
    ) -> None:
        if not checked:  # assess() checked them already, as a whole
            _validate(customer, orders, incidents, impacts, forecasts, context)
            _check_extras(customer, score, catalog)
        self.customer = customer
        self.context = context
        self.catalog = catalog
        self.settings = settings
        self.score = score
        self.currency = context.currency
        self.scale = scale_of(self.currency)
        # money_text()'s format for this currency, for the reasons' amounts.
        self._spec = f",.{MINOR_UNITS[self.currency]}f"
        self.annual = context.to_float(customer.annual_value)
        self.monthly = self.annual / _MONTHS
        self.notes: list[str] = []
        self.spent_units = 0
        self._costs: dict[str, tuple[float, int | None]] = {}
        self._factors: dict[str, float] = {}
        self._moneys: dict[int, Money] = {}
        as_of = context.as_of
        seen = sorted((i for i in incidents if i.opened_at <= as_of), key=lambda i: i.id)
        self.exposures = self._incident_exposures(seen, orders, impacts)
        self.exposures.extend(self._forecast_exposures(orders, forecasts, impacts, seen))
        self.total_loss = math.fsum(e.loss for e in self.exposures)
        self.total_loss_units = sum(e.loss_units for e in self.exposures)
        start = as_of.timestamp() - settings.repeat_window_days * 86_400.0
        self.repeat_ids = tuple(i.id for i in seen if i.opened_at.timestamp() >= start)
        self.repeat = len(self.repeat_ids) >= settings.repeat_count
        self.limit_units, self.limit_text = self._limit()

    # -- building ------------------------------------------------------------------

    def _incident_exposures(
        self, seen: Sequence[Incident], orders: Sequence[Order], impacts: Sequence[Impact]
    ) -> list[Exposure]:
        as_of = self.context.as_of
        by_order = {o.id: o for o in orders}
        by_incident = {i.incident_id: i for i in impacts}
        exposures = []
        for incident in seen:
            impact = by_incident.get(incident.id)
            if impact is None:
                self.notes.append(
                    f"{incident.id}: no impact estimate given, so nothing is sized for it"
                )
                continue
            if not impact.estimated:
                self.notes.append(f"{incident.id}: not estimated ({impact.reason}); nothing sized")
                continue
            sums: dict[LossCategory, float] = {}
            for item in impact.items:
                sums[item.category] = sums.get(item.category, 0.0) + item.expected
            pools = [
                (_ALONE[category], sums[category])
                for category in _CATEGORY_ORDER
                if sums.get(category, 0.0) > 0.0
            ]
            order = by_order.get(incident.order_id) if incident.order_id is not None else None
            order_value = self._to_float(order.value) if order is not None else self.monthly
            shortfall = {
                CreditBasis.DELAY_RATIO: delay_shortfall(incident, order, as_of),
                CreditBasis.DOWNTIME_SHARE: downtime_shortfall(incident, as_of),
                CreditBasis.SEVERITY: incident.severity.rank / 4.0,
            }
            exposures.append(
                Exposure(
                    key=f"incident:{incident.id}",
                    name=incident.id,
                    kind=incident.kind,
                    incident=incident,
                    order=order,
                    forecast=None,
                    pools=pools,
                    is_open=incident.is_open(as_of),
                    price=order_value,
                    affected_value=order_value * incident.affected_share,
                    shortfall=shortfall,
                    scale=self.scale,
                )
            )
        return exposures

    def _forecast_exposures(
        self,
        orders: Sequence[Order],
        forecasts: Sequence[Forecast],
        impacts: Sequence[Impact],
        seen: Sequence[Incident],
    ) -> list[Exposure]:
        settings = self.settings
        by_order = {o.id: o for o in orders}
        # What the order's incidents do not count already: only that part is avoidable.
        beyond = risk_beyond_incidents(forecasts, seen, impacts, self.context.as_of)
        exposures = []
        for forecast, avoidable in sorted(beyond, key=lambda pair: pair[0].order_id):
            order = by_order.get(forecast.order_id)
            if order is not None and not order.is_open:
                continue  # delivered since: history, not a forecast
            if forecast.probability_late < settings.late_probability:
                self.notes.append(
                    f"{forecast.order_id}: {forecast.probability_late:.0%} likely late "
                    f"(below {settings.late_probability:.0%}): watched, no action"
                )
                continue
            value = self._to_float(order.value) if order is not None else self.monthly
            exposure = Exposure(
                key=f"order:{forecast.order_id}",
                name=f"{forecast.order_id} (forecast)",
                kind=IncidentKind.LATE_DELIVERY,
                incident=None,
                order=order,
                forecast=forecast,
                pools=[(LATE_CATEGORIES, avoidable)],
                is_open=True,
                price=value,
                affected_value=value,
                shortfall={},
                scale=self.scale,
            )
            criticality = order.criticality if order is not None else None
            exposure.critical_late = (
                criticality is not None
                and criticality >= settings.critical_share
                and not forecast.already_late
            )
            for other in self.exposures:
                if other.order is not None and other.order.id == forecast.order_id:
                    other.covered = True  # the forecast takes the proactive actions for its order
            exposures.append(exposure)
        return exposures

    def _limit(self) -> tuple[int | None, str]:
        settings = self.settings
        if settings.cost_limit_share is None:
            return None, "no cost limit"
        given = settings.cost_limit_floor
        floor = self.context.to_float(given)
        by_share = settings.cost_limit_share * self.annual
        units = cents_down(max(by_share, floor), self.scale)
        # The floor as the limit rounds it (down), so that the larger of the two is never
        # shown above the limit; in its own currency too when that is another.
        shown = self.text(cents_down(floor, self.scale) / self.scale)
        if given.currency != self.currency:
            shown += f" ({money_text(float(given.amount), given.currency)})"
        text = (
            f"cost limit {self.text(units / self.scale)} = the larger of {settings.cost_limit_share:.0%} "
            f"of the annual value {self.text(self.annual)} and the floor {shown}"
        )
        return units, text

    # -- candidates ----------------------------------------------------------------

    def applies(self, action: Action, exposure: Exposure) -> bool:
        """Whether ``action`` may act on ``exposure`` (kind, timing, escalations aside)."""
        if exposure.kind not in action.kinds:
            return False
        if exposure.forecast is not None:
            return action.proactive
        if action.proactive:
            # Acting ahead still helps while the incident unfolds, unless its order's
            # forecast already carries the proactive actions.
            return exposure.is_open and not exposure.covered
        return exposure.is_open or not action.only_while_open

    def candidates(self, *, escalate: bool) -> list[Candidate]:
        """Every applicable (action, exposure) pair; escalations once, over all incidents."""
        found: list[Candidate] = []
        incident_exposures = [e for e in self.exposures if e.incident is not None]
        for action in self.catalog.actions:
            if action.escalation:
                if escalate:
                    chosen = tuple(e for e in incident_exposures if e.kind in action.kinds)
                    if chosen:
                        found.append(self.candidate(action, chosen))
                continue
            self._singles(action, found)
        return found

    def _singles(self, action: Action, found: list[Candidate]) -> None:
        """Add ``action`` on each exposure it applies to (applies() written out)."""
        kinds = action.kinds
        proactive = action.proactive
        anytime = not action.only_while_open
        for exposure in self.exposures:
            if exposure.kind not in kinds:
                continue
            if exposure.forecast is not None:
                if not proactive:
                    continue
            elif proactive:
                if not exposure.is_open or exposure.covered:
                    continue
            elif not (exposure.is_open or anytime):
                continue
            found.append(self._single(action, exposure))

    def _single(self, action: Action, exposure: Exposure) -> Candidate:
        """:meth:`candidate` of ``action`` on one exposure, the same figures in fewer steps."""
        credit = action.credit
        scale = self.scale
        if credit is None:
            amount = 0.0
        else:
            price = exposure.price if credit.price is PriceBasis.ORDER_VALUE else self.monthly
            amount = (
                round(credit.amount(price, exposure.shortfall.get(credit.basis, 0.0)) * scale)
                / scale
            )
        known = self._costs.get(action.code)  # pragma: no mutate (a cache: a miss recomputes)
        fixed = self._action_money(action)[0] if known is None else known[0]
        # action_cost() written out, its terms in its order; 0.0 + as in candidate().
        cost = (
            fixed
            + action.cost_share_of_order * (0.0 + exposure.affected_value)
            + action.cost_share_of_annual_value * self.annual
            + (0.0 + amount)
        )
        return Candidate(action, (exposure,), (amount,), cost, scale)

    def candidate(self, action: Action, exposures: tuple[Exposure, ...]) -> Candidate:
        """Size ``action`` on ``exposures``: its amounts and its cost."""
        credit = action.credit
        scale = self.scale
        if credit is None:
            amounts: tuple[float, ...] = (0.0,) * len(exposures)
        else:
            by_order = credit.price is PriceBasis.ORDER_VALUE
            basis = credit.basis
            # A credit is money the CRM issues: settle it in minor units once, so the
            # customer's relief and the vendor's cost of it are the same figure.
            amounts = tuple(
                [
                    round(
                        credit.amount(
                            e.price if by_order else self.monthly, e.shortfall.get(basis, 0.0)
                        )
                        * scale
                    )
                    / scale
                    for e in exposures
                ]
            )
        fixed, _ = self._action_money(action)
        if len(exposures) == 1:
            # fsum of one value is the value (0.0 + turns a -0.0 into the 0.0 fsum gives).
            affected = 0.0 + exposures[0].affected_value
            credited = 0.0 + amounts[0]
        else:
            affected = math.fsum([e.affected_value for e in exposures])
            credited = math.fsum(amounts)
        cost = action_cost(
            fixed,
            action.cost_share_of_order,
            affected,
            action.cost_share_of_annual_value,
            self.annual,
            credited,
        )
        return Candidate(action, exposures, amounts, cost, scale)

    def _action_money(self, action: Action) -> tuple[float, int | None]:
        """The action's fixed cost (float) and approval threshold (minor units), converted."""
        known = self._costs.get(action.code)  # pragma: no mutate (a cache: a miss recomputes)
        if known is None:
            fixed = action.fixed_cost
            threshold = action.approval_threshold
            known = self._costs[action.code] = (
                0.0 if fixed is None else self._to_float(fixed),
                None if threshold is None else cents_down(self._to_float(threshold), self.scale),
            )
        return known

    def _to_float(self, money: Money) -> float:
        """``money`` in the reporting currency, as a float (one rate lookup per currency)."""
        factor = self._factors.get(money.currency)
        if factor is None:
            factor = self._factors[money.currency] = self.context.factor(money.currency)
        return float(money.amount) * factor

    # -- choosing ------------------------------------------------------------------

    def marginal(self, candidate: Candidate) -> float:
        """The relief ``candidate`` would add now, given what was applied before."""
        action = candidate.action
        group = action.group
        share = action.relief_share
        exposures = candidate.exposures
        if len(exposures) == 1:  # the common case, without the zip and the calls
            exposure = exposures[0]
            if group is not None and group in exposure.groups:
                return 0.0
            left = exposure.left
            remaining = 0.0
            for k in candidate.slots[0]:
                remaining += left[k]
            # share_relief() written out; never -0.0, so the 0.0 + of the sum is a no-op.
            relief = share * remaining + candidate.amounts[0]
            capped = relief if relief < remaining else remaining  # noqa: FURB136
            return capped if capped > 0.0 else 0.0  # noqa: FURB136
        total = 0.0
        for exposure, slots, credit in zip(
            candidate.exposures, candidate.slots, candidate.amounts, strict=True
        ):
            if group is not None and group in exposure.groups:
                continue
            total += share_relief(exposure.remaining(slots), share, credit)
        return total

    def fits(self, candidate: Candidate) -> bool:
        """Whether ``candidate`` fits in what is left of the cost limit."""
        limit = self.limit_units
        return limit is None or self.spent_units + candidate.cost_units <= limit

    def needs_approval(self, candidate: Candidate) -> tuple[bool, int | None]:
        """Whether the candidate's cost is above its action's approval threshold."""
        _, threshold = self._action_money(candidate.action)
        return threshold is not None and candidate.cost_units > threshold, threshold

    def apply(self, candidate: Candidate) -> int:
        """Apply ``candidate``: relieve its exposures, spend its cost; return the relief units."""
        action = candidate.action
        group = action.group
        share = action.relief_share
        units = 0
        for exposure, slots, credit in zip(
            candidate.exposures, candidate.slots, candidate.amounts, strict=True
        ):
            if group is not None:
                if group in exposure.groups:
                    continue
                exposure.groups.add(group)
            # share_relief() of exposure.remaining(), then exposure.reduce(), written out:
            # the same operations in the same order, min/max as the builtins pick.
            left = exposure.left
            remaining = 0.0
            for k in slots:
                remaining += left[k]
            relief = share * remaining + credit
            relief = relief if relief < remaining else remaining  # noqa: FURB136
            relief = relief if relief > 0.0 else 0.0  # noqa: FURB136
            if not remaining <= 0.0:  # NaN goes on, as in reduce()
                keep = 1.0 - relief / remaining
                keep = keep if keep > 0.0 else 0.0  # noqa: FURB136
                for k in slots:
                    left[k] *= keep
            settled = cents_down(relief, self.scale)
            room = exposure.loss_units - exposure.relieved_units
            settled = room if room < settled else settled  # noqa: FURB136
            settled = 0 if settled < 0 else settled  # noqa: FURB136
            exposure.relieved_units += settled
            units += settled
        self.spent_units += candidate.cost_units
        return units

    def greedy(
        self,
        candidates: Sequence[Candidate],
        picks: list[Pick],
        key: Callable[[Candidate], tuple[int, ...] | None],
        reason: str,
        after: Callable[[Pick], None] | None = None,
    ) -> None:
        """Add the candidate with the smallest ``key`` until none is left or fits.

        ``key(c)`` is ``None`` when ``c`` adds nothing, else a tuple that only grows as
        candidates are applied (a relief only shrinks, the spent budget only grows).
        That makes a lazy greedy exact: a popped key is recomputed and taken when it is
        still the smallest, so each step picks what a full rescan would. Ties are
        broken by the candidate's stable key.
        """
        chosen = {id(p.candidate) for p in picks}
        heap = []
        for n, c in enumerate(candidates):
            if id(c) in chosen:
                continue
            first = key(c)
            if first is not None:
                heap.append((first, c.key, n))
        heapq.heapify(heap)
        max_actions = self.settings.max_actions
        while heap and len(picks) < max_actions:
            stale, stable, n = heapq.heappop(heap)
            c = candidates[n]
            limit = self.limit_units  # fits(), without the call
            if limit is not None and self.spent_units + c.cost_units > limit:
                continue  # the spent budget only grows: it will never fit again
            fresh = key(c)
            if fresh is None:
                continue
            if fresh != stale and heap and (fresh, stable) > heap[0][:2]:
                heapq.heappush(heap, (fresh, stable, n))
                continue
            pick = self.pick(c, [reason])
            picks.append(pick)
            if after is not None:
                after(pick)

    def ensure_proactive(
        self, candidates: Sequence[Candidate], picks: list[Pick], max_actions: int
    ) -> None:
        """Give every critical order forecast late a proactive action before its promise.

        The proactive action relieving the most (then the cheapest, then by code) that
        fits the cost limit; an early notice costs nothing, so one always fits with
        the default catalog.
        """
        for exposure in self.exposures:
            if not exposure.critical_late:
                continue
            forecast = exposure.forecast
            order = exposure.order
            if forecast is None or order is None:  # pragma: no cover - set together
                continue
            options = [
                c
                for c in candidates
                if c.action.proactive and c.exposures == (exposure,) and self.fits(c)
            ]
            why = (
                f"{order.id} is critical (criticality {order.criticality:.2f}) and "
                f"{forecast.probability_late:.0%} likely late: a proactive action before "
                f"its promise on {forecast.promised_at:%Y-%m-%d}"
            )
            if not options or len(picks) >= max_actions:
                self.notes.append(f"{why} was required, but no proactive action fits")
                continue
            best = min(options, key=lambda c: (-self.units(self.marginal(c)), c.cost_units, c.key))
            picks.append(self.pick(best, [why]))

    def pick(self, candidate: Candidate, reasons: list[str]) -> Pick:
        """Apply ``candidate`` and return it as a pick with ``reasons``."""
        return Pick(candidate, self.apply(candidate), reasons)

    def left_out(self, candidates: Iterable[Candidate], picks: Sequence[Pick]) -> None:
        """Note the best candidates the cost limit kept out (at most five)."""
        chosen = {id(p.candidate) for p in picks}
        blocked = []
        for c in candidates:
            if id(c) in chosen or self.fits(c):
                continue
            relief = self.units(self.marginal(c))
            if relief > 0:
                blocked.append((-relief, c.cost_units, c.key, c, relief))
        blocked.sort(key=lambda row: row[:3])
        for _, _, _, c, relief in blocked[:_MAX_LEFT_OUT]:
            self.notes.append(
                f"left out for the cost limit: {c.action.code} for "
                f"{listing([e.name for e in c.exposures])} (cost {self.money(c.cost_units)}, "
                f"would relieve {self.money(relief)})"
            )

    # -- results -------------------------------------------------------------------

    def units(self, amount: float) -> int:
        """``amount`` in whole minor units, rounded down."""
        return cents_down(amount, self.scale)

    def money(self, units: int) -> Money:
        """``units`` minor units of the reporting currency as Money."""
        known = self._moneys.get(units)  # pragma: no mutate (a cache: a miss recomputes)
        if known is None:  # the same amount recurs (a cost, its net value, a total)
            known = self._moneys[units] = money_from_cents(units, self.currency)
        return known

    def text(self, amount: float) -> str:
        """``amount`` of the reporting currency, formatted for a reason."""
        return f"{amount:{self._spec}} {self.currency}"  # money_text(), its format kept

    def describe(self, pick: Pick, approval: tuple[bool, int | None]) -> list[str]:
        """The numbers that decided a pick: credit tiers, relief, cost, approval.

        ``approval`` is :meth:`needs_approval` of the pick's candidate.
        """
        c = pick.candidate
        action = c.action
        lines = []
        text = self.text
        scale = self.scale
        credit = action.credit
        if credit is not None:
            for exposure, amount in zip(c.exposures, c.amounts, strict=True):
                shortfall = exposure.shortfall.get(credit.basis, 0.0)
                price_name = (
                    "the order value"
                    if credit.price is PriceBasis.ORDER_VALUE and exposure.order is not None
                    else "a month of the annual value"
                )
                price = exposure.price if credit.price is PriceBasis.ORDER_VALUE else self.monthly
                lines.append(
                    f"{exposure.name}: {shortfall_text(credit.basis, exposure, self.context)}"
                    f" -> {credit.share(shortfall):.0%} of {price_name} {text(price)} "
                    f"(tiered, cap {credit.cap:.0%}) = credit {text(amount)}; the same "
                    "rule for everyone hit by such an incident"
                )
        exposures = c.exposures
        if len(exposures) == 1:  # the common case, without the generators
            only = exposures[0]
            loss = 0.0 + only.loss  # fsum of one value (0.0 + as fsum turns -0.0 to 0.0)
            names = only.name
        else:
            loss = math.fsum([e.loss for e in exposures])
            names = listing([e.name for e in exposures])
        if action.relieves:
            cats = ", ".join([_CATEGORY_TEXT[category] for category in action.relieves])
            lines.append(
                f"relieves {text(pick.relief_units / scale)} of the estimated "
                f"{text(loss)} loss of {names} (matched to {cats})"
            )
        else:
            lines.append(f"for {names}: relieves no measured loss (it serves the relationship)")
        lines.append(f"costs the vendor {text(c.cost_units / scale)}")
        needed, threshold = approval
        if needed and threshold is not None:
            lines.append(f"needs approval: cost above {text(threshold / scale)}")
        return lines

    def recommendation(
        self,
        policy: str,
        picks: Sequence[Pick],
        reasons: Sequence[str],
        *,
        sort_key: Callable[[Pick], Any] | None = None,
    ) -> Recommendation:
        """Turn ``picks`` into a :class:`Recommendation` (ranked by ``sort_key`` if given)."""
        ordered = list(picks) if sort_key is None else sorted(picks, key=sort_key)
        actions = []
        for rank, p in enumerate(ordered, start=1):
            c = p.candidate
            approval = self.needs_approval(c)
            text = (p.reasons + self.describe(p, approval))[:MAX_REASONS]
            actions.append(
                built_action(
                    code=c.action.code,
                    label=c.action.label,
                    proactive=c.action.proactive,
                    incident_ids=c.incident_ids,
                    order_ids=c.order_ids,
                    relief=self.money(p.relief_units),
                    cost=self.money(c.cost_units),
                    net_value=self.money(p.value_units - c.cost_units),
                    needs_approval=approval[0],
                    reasons=tuple(text),
                    rank=rank,
                )
            )
        spent = sum(p.candidate.cost_units for p in ordered)
        relieved = sum(p.relief_units for p in ordered)
        summary = [*reasons, *self.notes]
        summary.append(f"{self.limit_text}; recommended {self.text(spent / self.scale)}")
        return built_recommendation(
            customer_id=self.customer.id,
            policy=policy,
            currency=self.currency,
            actions=tuple(actions),
            total_relief=self.money(relieved),
            total_cost=self.money(spent),
            reasons=tuple(summary[:MAX_REASONS]),
            cost_limit=None if self.limit_units is None else self.money(self.limit_units),
        )


def by_relief(pick: Pick) -> tuple[int, int, tuple[str, tuple[str, ...]]]:
    """Rank key: most relief first, then cheapest, then the stable candidate key."""
    return (-pick.relief_units, pick.candidate.cost_units, pick.candidate.key)


def _check_extras(customer: Customer, score: object, catalog: object) -> None:
    problems = []
    if not isinstance(score, AdvocacyScore):
        problems.append(Problem("score", score, "an AdvocacyScore"))
    elif score.customer_id != customer.id:
        problems.append(Problem("score.customer_id", score.customer_id, repr(customer.id)))
    if not isinstance(catalog, ActionCatalog):
        problems.append(Problem("catalog", catalog, "an ActionCatalog"))
    if problems:
        raise ValidationError(problems)
