"""The conformance kit's helpers: comparisons, reports, re-expressed contexts, exceptions.

Properties where a helper has an invariant (a re-expressed context scales every amount by
the factor; a shown value rebuilds an equal one; `close` is symmetric), examples where a
branch matters for a report.
"""

# The plug-ins here keep the protocols' signatures and ignore what they do not need.
# ruff: noqa: ARG002

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from custadvocacy import (
    AdvocacyScore,
    Band,
    Context,
    Contribution,
    Customer,
    EstimatorCapabilities,
    ExchangeRates,
    Impact,
    Incident,
    IncidentKind,
    LossCategory,
    LossItem,
    Money,
    Order,
    Recommendation,
    RecommendedAction,
    from_dict,
)
from custadvocacy.estimators import BillingErrorEstimator
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import PolicySettings
from custadvocacy.testing import _checks_common as common
from custadvocacy.testing import (
    _checks_estimator,
    _checks_policy,
    _checks_scorer,
    _generate,
    conformance,
)
from custadvocacy.testing._checks_cases import (
    CustomerCase,
    Derived,
    IncidentBatch,
    IncidentCase,
    customer_cases,
    incident_batches,
)
from custadvocacy.testing.strategies import contexts, portfolios

BILLING = EstimatorCapabilities(kinds=frozenset({IncidentKind.BILLING_ERROR}), batch=False)


def _impact(*amounts: float, category: LossCategory = LossCategory.OTHER) -> Impact:
    incident = example_portfolio().incidents[1]
    items = tuple(
        LossItem(label=f"L{i}", category=category, expected=a, low=a / 2, high=2 * a)
        for i, a in enumerate(amounts)
    )
    return Impact.from_items(
        incident=incident, estimator="e", currency="EUR", items=items, ongoing=False
    )


# ----------------------------------------------------------------- comparing


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False))
def test_close_is_symmetric(a: float, b: float) -> None:
    assert common.close(a, b) == common.close(b, a)


def test_close_allows_a_relative_and_a_tiny_absolute_difference() -> None:
    assert common.close(1e6, 1e6 * (1 + 5e-10))
    assert not common.close(1e6, 1e6 * (1 + 5e-9))
    assert common.close(5e-324, 3e-322)  # subnormal floats keep no relative precision
    assert common.close(0.0, 1e-10)
    assert not common.close(0.0, 1e-8)
    assert not common.close(0.0, 1.5e-9)  # no scale: the tolerance is ABS_TOLERANCE alone
    assert common.close(1.0, 1.0 + 1e-3, scale=1e7)
    assert common.close(math.inf, math.inf)
    assert not common.close(math.nan, math.nan)
    assert not common.close(math.inf, 1.0)


def test_difference_names_the_first_changed_field_however_deep() -> None:
    customer = example_portfolio().customers[0]
    poorer = attrs.evolve(customer, profile=attrs.evolve(customer.profile, staff_count=1))
    assert common.difference(customer, poorer, "customer") == (
        "customer.profile.staff_count: 24 -> 1"
    )
    assert common.difference([1, 2], [1, 3], "xs") == "xs[1]: 2 -> 3"
    assert common.difference([1], [1, 2], "xs") == "xs: 1 items -> 2 items"
    assert common.difference(1, "1", "x") == "x: 1 -> '1'"
    assert common.difference([1, 2], 12, "xs") == "xs: [1, 2] -> 12"  # a list no longer
    assert common.difference(12, (1, 2), "xs") == "xs: 12 -> (1, 2)"
    long = common.difference("a" * 300, "b", "x")
    assert long.endswith("... -> 'b'")
    assert len(long) < 230


def test_changed_lists_only_what_changed_including_a_change_of_type() -> None:
    assert common.changed(("a", "b", "c"), [1, [2], 3.0], [1, [2, 9], 3]) == [
        "b: 1 items -> 2 items",
        "c: 3.0 -> 3",
    ]


# ---------------------------------------------------------------- showing


def _run_lines(lines: list[str]) -> dict[str, Any]:
    """The names a report's lines define when run."""
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - our own report
    return namespace


@settings(max_examples=25)
@given(portfolios(min_size=1))
def test_shown_lines_rebuild_equal_values(portfolio: Any) -> None:
    namespace = _run_lines(
        [
            common.imports("Customer", "Incident", "Order"),
            common.shown("customers", portfolio.customers),
            common.shown("orders", [None, *portfolio.orders]),
            common.shown("first", portfolio.customers[0]),
        ]
    )
    assert namespace["customers"] == list(portfolio.customers)
    assert namespace["orders"] == [None, *portfolio.orders]
    assert namespace["first"] == portfolio.customers[0]


def test_shown_handles_none_and_empty_lists() -> None:
    assert common.shown("order", None) == "order = None"
    assert common.shown("orders", []) == "orders = []"
    assert common.shown("orders", [None, None]) == "orders = [None, None]"
    assert common.imports("Order", "Customer") == (
        "from custadvocacy import Customer, Order, from_dict"
    )


class _PlainClassWithAVeryLongNameIndeed:
    pass


def test_named_shortens_long_reprs() -> None:
    assert common.named(BillingErrorEstimator()) == "BillingErrorEstimator(...)"
    assert common.named(_PlainClassWithAVeryLongNameIndeed()) == (
        "<_PlainClassWithAVeryLongNameIndeed object>"
    )
    assert common.named(1) == "1"


def test_named_never_shows_an_address() -> None:
    # object.__repr__'s address changes from run to run: a report naming it would never
    # read the same twice, however short it is.
    assert common.named(object()) == "<object object>"
    # A class passed where an instance belongs (a usual slip) is named as a class.
    assert common.named(BillingErrorEstimator) == "<class BillingErrorEstimator>"


def test_a_failure_carries_what_it_found_for_the_report_to_group_by() -> None:
    (_, check), *_ = conformance.estimator_checks(BillingErrorEstimator())
    with pytest.raises(AssertionError) as info:
        common.fail(check, "it returned None", (), hint="Fix it.")
    assert type(info.value) is AssertionError  # what the docs promise, no subclass
    assert common.found_by(info.value) == "it returned None"
    assert common.found_by(AssertionError("assert 1 == 2")) == ""  # not one of ours


def _failure_of(name: str, found: str) -> AssertionError:
    checks = dict(conformance.estimator_checks(BillingErrorEstimator()))
    try:
        common.fail(checks[name], found, ("x = 1",), hint="Fix it.")
    except AssertionError as exc:
        return exc
    raise AssertionError("fail() returned")  # pragma: no cover - fail() always raises


def test_a_report_groups_only_failures_that_found_the_same() -> None:
    same = "it returned None"
    broken = [
        ("returns_impact", _failure_of("returns_impact", same)),
        ("deterministic", _failure_of("deterministic", same)),
        ("picklable", _failure_of("picklable", "the copy differs")),
    ]
    first, other = conformance._reports(broken)
    assert first == str(broken[0][1]) + (
        "\n\nRule 'deterministic' found the same and stops there: fix it, then rerun the "
        "check to see what else that rule finds."
    )
    assert other == str(broken[2][1])
    # Failures that carry no finding (a Flaky run's, say) are never taken for one another.
    plain = [("a", AssertionError("flaky")), ("b", AssertionError("flaky"))]
    assert conformance._reports(plain) == ["flaky", "flaky"]
    # Two findings alike in their first 2,000 characters are still two findings.
    long_a, long_b = "x" * 3000 + "a", "x" * 3000 + "b"
    two = [
        ("returns_impact", _failure_of("returns_impact", long_a)),
        ("deterministic", _failure_of("deterministic", long_b)),
    ]
    assert len(conformance._reports(two)) == 2


def test_fail_shortens_a_long_finding_and_omits_an_empty_input() -> None:
    (_, check), *_ = conformance.estimator_checks(BillingErrorEstimator())
    with pytest.raises(AssertionError) as info:
        common.fail(check, "x" * 5000, (), hint="Fix it.")
    message = str(info.value)
    assert "Found: " + "x" * 1990 in message
    assert "x" * 2000 not in message
    assert "Input:" not in message
    assert message.endswith("How to read this: Fix it.")


def test_described_gives_the_type_and_the_message_or_the_type_alone() -> None:
    assert common.described(RuntimeError("not today")) == "RuntimeError: not today"
    assert common.described(NotImplementedError()) == "NotImplementedError"
    assert common.described(KeyError("id")) == "KeyError: 'id'"


def test_money_problems_reads_every_amount_past_a_missing_cost_limit() -> None:
    third = Money("0.333", "EUR")
    action = RecommendedAction(
        code="goodwill_gesture", label="Gift", proactive=False, incident_ids=("I1",),
        order_ids=(), relief=third, cost=Money("0.00", "EUR"), net_value=third,
        needs_approval=False,
    )  # fmt: skip
    result = Recommendation(
        customer_id="C1", policy="p", currency="EUR", actions=(action,),
        total_relief=third, total_cost=Money("0.00", "EUR"), cost_limit=None,
    )  # fmt: skip
    unrounded = "Money('0.333', 'EUR'), not rounded to EUR's 2 decimals"
    assert _checks_policy.money_problems(result, "EUR") == [
        f"total_relief is {unrounded}",
        f"actions[0].relief is {unrounded}",
        f"actions[0].net_value is {unrounded}",
    ]


def test_first_message_finds_the_assertion_in_nested_groups() -> None:
    inner = AssertionError("rule 'x' broken")
    group = BaseExceptionGroup("outer", [ValueError("v"), ExceptionGroup("inner", [inner])])
    assert common._first_message(group) == "rule 'x' broken"
    text = common._first_message(ExceptionGroup("only", [ValueError("v")]))
    assert text.startswith("custadvocacy conformance: the check failed inconsistently")


# ------------------------------------------------------------ re-expressing


@settings(max_examples=50)
@given(contexts(), common.FACTORS)
def test_a_re_expressed_context_converts_every_currency_at_the_rate_times_the_factor(
    context: Context, factor: Decimal
) -> None:
    other = common.reexpressed(context, factor, ())
    assert other.currency not in context.rates.currencies() | {context.currency}
    assert other.as_of == context.as_of
    for code in context.rates.currencies() | {context.currency}:
        money = Money("1000", code)
        expected = context.convert(money).amount * factor
        assert other.convert(money).amount == pytest.approx(expected, rel=Decimal("1e-30"))


def test_a_re_expressed_context_avoids_every_currency_in_use() -> None:
    context = example_context()
    other = common.reexpressed(context, Decimal(2), ("CHF", "SEK"))
    assert other.currency == "NOK"
    assert common.currencies_of([example_portfolio().customers[0], None]) == {"CZK"}


@given(st.data())
@settings(max_examples=30)
def test_reordered_always_moves_something_and_part_of_is_a_proper_subset(
    data: st.DataObject,
) -> None:
    items = data.draw(st.lists(st.integers(), min_size=2, max_size=6, unique=True))
    moved = common.reordered(data, items, "items")
    assert sorted(moved) == sorted(items)
    assert moved != items
    rows = common.part_of(data, len(items))
    assert rows == sorted(set(rows))
    assert 0 < len(rows) < len(items)
    assert common.part_of(data, 1) == [0]


# --------------------------------------------------------- rule predicates


def test_range_problems_reads_any_result() -> None:
    assert _checks_estimator.range_problems(_impact(1.0, 2.0)) == []
    assert _checks_estimator.range_problems(object()) == [
        "expected is None, not a finite number",
        "low is None, not a finite number",
        "high is None, not a finite number",
    ]


def test_range_problems_reads_each_line_item_too() -> None:
    impact = _impact(1.0, 2.0)
    # Changed past validation, as a bug in an estimator could: a negative item, and one
    # whose low is above its expected while still below its high.
    object.__setattr__(impact.items[0], "expected", -1.0)
    object.__setattr__(impact.items[1], "low", 1.5)
    object.__setattr__(impact.items[1], "expected", 1.2)
    assert _checks_estimator.range_problems(impact) == [
        "items[0].expected is -1.0: a negative loss",
        "items[0].low, expected, high are 0.5, -1.0, 2.0: not low <= expected <= high",
        "items[1].low, expected, high are 1.5, 1.2, 4.0: not low <= expected <= high",
    ]


def test_scaled_problems_name_each_amount_not_scaled() -> None:
    before, after = _impact(1.0), _impact(24.0)
    assert _checks_estimator.scaled_problems(before, after, Decimal(25)) == [
        "expected is 24.0 EUR, not 1.0 EUR x 25 = 25.0",
        "low is 12.0 EUR, not 0.5 EUR x 25 = 12.5",
        "high is 48.0 EUR, not 2.0 EUR x 25 = 50.0",
        "items[0].expected is 24.0 EUR, not 1.0 EUR x 25 = 25.0",
        "items[0].low is 12.0 EUR, not 0.5 EUR x 25 = 12.5",
        "items[0].high is 48.0 EUR, not 2.0 EUR x 25 = 50.0",
    ]
    # Within a billionth of the larger of the scaled amounts: a float sum's last bits.
    nearly = _impact(25.0 * (1 + 1e-10))
    assert _checks_estimator.scaled_problems(before, nearly, Decimal(25)) == []


def test_scaled_problems_name_changed_line_items() -> None:
    before = _impact(1.0)
    after = _impact(25.0, category=LossCategory.STAFF_EFFORT)
    assert _checks_estimator.scaled_problems(before, after, Decimal(25)) == [
        "the line items differ: ['other'] -> ['staff_effort']"
    ]
    assert _checks_estimator.scaled_problems(before, _impact(25.0), Decimal(25)) == []


def test_impacts_differ_names_the_first_difference() -> None:
    a = _impact(1.0, 2.0)
    assert _checks_estimator.impacts_differ(a, a) is None
    assert _checks_estimator.impacts_differ(1, 1) is None
    assert _checks_estimator.impacts_differ(1, 2) == "1 -> 2"
    shown = _checks_estimator.impacts_differ(a, None)
    assert shown is not None
    assert shown.startswith("Impact('INC-201', billing_error")
    assert shown.endswith("... -> None")
    assert _checks_estimator.impacts_differ(a, attrs.evolve(a, ongoing=True)) == (
        "ongoing: False -> True"
    )
    shorter = _checks_estimator.impacts_differ(a, _impact(1.0))
    assert shorter is not None
    assert shorter.startswith("Impact(")
    assert _checks_estimator.impacts_differ(a, _impact(1.0, 3.0)) == "expected: 3.0 -> 4.0"
    relabelled = attrs.evolve(a, items=(a.items[0], attrs.evolve(a.items[1], label="Other")))
    assert _checks_estimator.impacts_differ(a, relabelled) == "items[1].label: 'L1' -> 'Other'"


def test_impacts_differ_without_amounts_compares_what_no_draw_changes() -> None:
    a = _impact(1.0, 2.0)
    redrawn = attrs.evolve(
        _impact(5.0, 7.0),
        items=tuple(attrs.evolve(item, label="Other") for item in _impact(5.0, 7.0).items),
    )
    assert _checks_estimator.impacts_differ(a, redrawn) == "expected: 3.0 -> 12.0"
    assert _checks_estimator.impacts_differ(a, redrawn, amounts=False) is None
    staff = _impact(1.0, category=LossCategory.STAFF_EFFORT)  # other line items, fewer
    assert _checks_estimator.impacts_differ(a, staff, amounts=False) is None
    unestimated = attrs.evolve(_impact(), estimated=False, reason="no data")
    assert _checks_estimator.impacts_differ(_impact(), unestimated, amounts=False) == (
        "estimated: True -> False"
    )
    assert _checks_estimator.impacts_differ(a, attrs.evolve(a, ongoing=True), amounts=False) == (
        "ongoing: False -> True"
    )
    other = attrs.evolve(a, incident_id="I-9")
    assert _checks_estimator.impacts_differ(a, other, amounts=False) == (
        "incident_id: 'INC-201' -> 'I-9'"
    )


def test_scaled_problems_without_amounts_compare_nothing() -> None:
    before = _impact(1.0)
    staff = _impact(3.0, 4.0, category=LossCategory.STAFF_EFFORT)
    assert _checks_estimator.scaled_problems(before, staff, Decimal(25), amounts=False) == []
    assert _checks_estimator.scaled_problems(before, staff, Decimal(25)) == [
        "the line items differ: ['other'] -> ['staff_effort', 'staff_effort']"
    ]


def test_same_again_passes_a_repeat_and_fails_a_change_naming_the_call() -> None:
    check = dict(conformance.estimator_checks(BillingErrorEstimator(), max_examples=1))["picklable"]
    common.same_again(check, ["x = 1"], "f(x)", lambda: [1, 2], [1, 2], hint="Hint.")
    with pytest.raises(AssertionError) as raised:
        common.same_again(check, ["x = 1"], "f(x)", lambda: [1, 3], [1, 2], hint="Hint.")
    message = str(raised.value)
    assert (
        "Found: a second call on the same input gives another result (result[1]: 2 -> 3), so "
        "this rule cannot tell what else changes it: see rule 'deterministic'"
    ) in message
    assert "Input:\n    x = 1\nHow to read this: Hint. " in message
    with pytest.raises(AssertionError, match=r"Found: a second f\(x\) raised ValueError: no"):
        common.same_again(check, [], "f(x)", _raise_no, [1], hint="Hint.", path="score")


def _raise_no() -> list[int]:
    raise ValueError("no")


def _score(*points: float, value: float | None = None) -> AdvocacyScore:
    total = sum(points) if value is None else value
    return AdvocacyScore(
        customer_id="C",
        as_of=example_context().as_of,
        value=total,
        band=Band.from_value(total),
        contributions=tuple(Contribution(factor=f"f{i}", points=p) for i, p in enumerate(points)),
    )


def test_scores_differ_and_bounded_problems() -> None:
    a = _score(10.0, 5.0)
    assert _checks_scorer.scores_differ(a, a, 0.0) is None
    assert _checks_scorer.scores_differ(None, None, 0.0) is None
    assert _checks_scorer.scores_differ(a, 3, 0.0) == f"{a!r} -> 3"
    assert _checks_scorer.scores_differ(a, _score(10.0, 5.01), 0.01) is None
    assert _checks_scorer.scores_differ(a, _score(10.0, 5.01), 0.0) == "value: 15.0 -> 15.01"
    assert _checks_scorer.scores_differ(a, _score(5.0, 10.0), 0.0) == (
        "points of 'f0': 10.0 -> 5.0"
    )
    assert _checks_scorer.scores_differ(a, _score(10.0, 5.0, 0.0), 0.0) == (
        "factors: ['f0', 'f1'] -> ['f0', 'f1', 'f2']"
    )
    broken = _score(10.0)
    object.__setattr__(broken, "contributions", (Contribution(factor="x", points=10.0),) * 2)
    object.__setattr__(broken.contributions[0], "points", 120.0)
    assert _checks_scorer.bounded_problems(broken) == [
        "contributions[0].points is 120.0, not in [0, 100]",
        "contributions[1].points is 120.0, not in [0, 100]",
    ]


def test_money_problems_and_declared_limits() -> None:
    zero = Money("0.00", "EUR")
    result = Recommendation(
        customer_id="C", policy="p", currency="EUR", actions=(), total_relief=zero,
        total_cost=zero, cost_limit=Money("1.5", "EUR"),
    )  # fmt: skip
    assert _checks_policy.money_problems(result, "EUR") == []
    assert _checks_policy.money_problems(result, "JPY") == [
        "total_relief is Money('0.00', 'EUR'), not in JPY",
        "total_cost is Money('0.00', 'EUR'), not in JPY",
        "cost_limit is Money('1.5', 'EUR'), not in JPY",
    ]
    customer = example_portfolio().customers[0]  # 2,400,000 CZK a year
    context = example_context()

    class Holder:
        settings = PolicySettings(cost_limit_share=0.1)

    limit = _checks_policy.declared_limit(Holder(), customer, context, None)
    assert limit == Money("9600.000", "EUR")
    assert _checks_policy.declared_limit(object(), customer, context, None) is None
    given_limit = _checks_policy.declared_limit(
        Holder(), customer, context, lambda _c, _x: Money("250", "CZK")
    )
    assert given_limit == Money("10.00", "EUR")


# -------------------------------------------------------- plug-in exceptions


@attrs.frozen
class Raising:
    """Raises on every call: each rule reports the exception under its own name."""

    name: str = "raising"
    capabilities: EstimatorCapabilities = BILLING

    def estimate(self, *args: object) -> Impact:
        raise RuntimeError("database unreachable")


@attrs.frozen
class Rejected:
    """Builds a LossItem the library rejects (an empty label)."""

    name: str = "rejected"
    capabilities: EstimatorCapabilities = BILLING

    def estimate(self, *args: object) -> LossItem:
        return LossItem(label="", category=LossCategory.OTHER, expected=1.0, low=1.0, high=1.0)


def test_a_plugin_that_raises_fails_each_rule_under_its_own_name() -> None:
    checks = dict(conformance.estimator_checks(Raising(), max_examples=5))
    for name in ("returns_impact", "respects_currency"):
        with pytest.raises(AssertionError) as info:
            checks[name]()
        message = str(info.value)
        assert f"breaks rule '{name}'" in message
        assert "raised RuntimeError: database unreachable" in message
    assert _reading(message) == (
        "Every generated input is valid, so the plug-in must accept it without raising. "
        + common.READING
    )


def test_a_plugin_building_an_invalid_result_is_told_so() -> None:
    check = dict(conformance.estimator_checks(Rejected(), max_examples=5))["deterministic"]
    with pytest.raises(AssertionError) as info:
        check()
    assert "raised ValidationError" in str(info.value)
    assert _reading(str(info.value)) == (
        "The plug-in built a result the library rejects (its problems are listed above, "
        "each with the field and the value it had); every generated input is valid, so "
        "the plug-in must accept it. " + common.READING
    )


def _reading(message: str) -> str:
    """The text of the message's "How to read this" line."""
    [line] = [line for line in message.splitlines() if line.startswith("How to read this: ")]
    return line.removeprefix("How to read this: ")


@attrs.frozen
class IdCache:
    """Remembers incidents by id(): an equal copy of the input is a stranger to it."""

    name: str = "id_cache"
    capabilities: EstimatorCapabilities = BILLING
    seen: dict[int, float] = attrs.field(factory=dict, eq=False)

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        amount = self.seen.setdefault(id(incident), 1.0 + len(self.seen))
        item = LossItem(
            label="L", category=LossCategory.OTHER, expected=amount, low=amount, high=amount
        )
        return Impact.from_items(
            incident=incident, estimator=self.name, currency=context.currency, items=(item,),
            ongoing=False,
        )  # fmt: skip


def test_a_cache_keyed_by_id_breaks_deterministic_on_an_equal_copy() -> None:
    check = dict(conformance.estimator_checks(IdCache(), max_examples=5))["deterministic"]
    with pytest.raises(AssertionError) as info:
        check()
    assert "a call on an equal copy of the input differs" in str(info.value)


class _Unpicklable(Impact):
    """An Impact that pickle cannot rebuild (its class is not where its name says)."""


_Unpicklable.__qualname__ = "Nowhere"


class _Shifting(Impact):
    """An Impact that comes back from pickle with another total."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (from_dict, (Impact, {**_plain(self), "reason": ""}))


def _plain(impact: Impact) -> dict[str, Any]:
    from custadvocacy import to_dict  # noqa: PLC0415 - kept beside its one use

    data: dict[str, Any] = to_dict(attrs.evolve(impact, ongoing=not impact.ongoing))
    return data


@attrs.frozen
class OddResult:
    """Returns results of an Impact subclass that does not survive pickling unchanged."""

    name: str = "billing_error"
    capabilities: EstimatorCapabilities = BILLING
    kind: str = "unpicklable"

    def estimate(
        self, incident: Incident, customer: Customer, order: Order | None, context: Context
    ) -> Impact:
        impact = BillingErrorEstimator().estimate(incident, customer, order, context)
        cls = _Unpicklable if self.kind == "unpicklable" else _Shifting
        return cls(**{f.name: getattr(impact, f.name) for f in attrs.fields(Impact)})


def test_a_result_that_does_not_pickle_breaks_picklable() -> None:
    check = dict(conformance.estimator_checks(OddResult(), max_examples=5))["picklable"]
    with pytest.raises(AssertionError) as info:
        check()
    assert "pickling the Impact raised" in str(info.value)
    check = dict(conformance.estimator_checks(OddResult(kind="shifting"), max_examples=5))[
        "picklable"
    ]
    with pytest.raises(AssertionError) as info:
        check()
    assert "the Impact changes in a pickle round trip: result: Impact(" in str(info.value)


def test_currencies_of_reads_nested_lists_and_rates_out_of_range_reject_the_example() -> None:
    assert common.currencies_of([example_portfolio()]) == {"CZK", "EUR", "GBP"}
    extreme = Context(
        as_of=example_context().as_of,
        currency="EUR",
        rates=ExchangeRates({("EUR", "CZK"): "1e-9"}),
    )

    @settings(max_examples=5, database=None)
    @given(st.just(extreme))
    def re_express(context: Context) -> None:
        common.reexpressed(context, Decimal(25), ())  # CZK -> CHF would be 2.5e10

    with pytest.raises(Unsatisfiable):
        re_express()


# ------------------------------------------------------------ scorer corners


@attrs.frozen
class ForgetfulScorer:
    """Its unpickled copy forgets its weight."""

    weight: float = 1.0

    def __reduce__(self) -> tuple[Any, ...]:
        return (ForgetfulScorer, ())

    def score(self, customer: Customer, *args: Any) -> AdvocacyScore:
        context = args[-1]
        return AdvocacyScore(
            customer_id=customer.id, as_of=context.as_of, value=self.weight,
            band=Band.STABLE, contributions=(Contribution(factor="w", points=self.weight),),
        )  # fmt: skip


class BrokenScorer:
    def score(self, customer: Customer, *args: Any) -> AdvocacyScore:
        raise KeyError(customer.id)


@attrs.frozen
class DriverScorer:
    """The right value in any order, but drivers listed in the order given."""

    def score(self, customer: Customer, *args: Any) -> AdvocacyScore:
        incidents, context = args[1], args[-1]
        return AdvocacyScore(
            customer_id=customer.id, as_of=context.as_of, value=0.0, band=Band.STABLE,
            drivers=tuple(i.id for i in incidents),
        )  # fmt: skip


def _scorer_failure(scorer: object, rule: str) -> str:
    check = dict(conformance.scorer_checks(scorer, max_examples=20))[rule]
    with pytest.raises(AssertionError) as info:
        check()
    return str(info.value)


def test_scorer_corners_are_reported_by_their_rules() -> None:
    assert "the unpickled copy gives another score: score.value: 2.0 -> 1.0" in _scorer_failure(
        ForgetfulScorer(weight=2.0), "picklable"
    )
    assert "raised KeyError" in _scorer_failure(BrokenScorer(), "score_bounded")
    message = _scorer_failure(DriverScorer(), "order_invariant")
    assert "reordering the inputs changes the score: score.drivers" in message


@given(st.data())
@settings(max_examples=30)
def test_a_batch_of_cases_holds_only_the_kinds_asked_for(data: st.DataObject) -> None:
    kinds = frozenset({IncidentKind.BILLING_ERROR, IncidentKind.DEFECT})
    batch = data.draw(incident_batches(kinds))
    incidents, customers, _ = batch.columns()
    assert incidents
    assert {i.kind for i in incidents} <= kinds
    assert [c.id for c in customers] == [i.customer_id for i in incidents]


@given(st.data())
@settings(max_examples=30)
def test_the_late_cases_put_every_late_delivery_on_an_open_late_order(
    data: st.DataObject,
) -> None:
    # The half of customer_cases() that holds the overlap of a forecast and an impact.
    context = data.draw(contexts())
    lateness = (IncidentKind.LATE_DELIVERY, IncidentKind.PARTIAL_DELIVERY)
    portfolio = data.draw(
        _generate.portfolios(
            context=context, incident_kinds=lateness, late_only=True, on_orders=True,
            open_orders=True, min_size=1, max_size=1, max_orders=2, max_incidents=2,
        )
    )  # fmt: skip
    for order in portfolio.orders:
        assert order.delivered_at is None
        assert order.promised_at < context.as_of
    for incident in portfolio.incidents:
        assert incident.kind in lateness
        assert (incident.order_id is not None) == bool(portfolio.orders)


def test_a_fifth_of_customer_cases_hold_a_late_delivery_on_an_open_order() -> None:
    # Drawn plainly, one case in twenty did: a policy counting a late order's loss twice
    # passed relief_bounded at the default 30 examples.
    seen: list[bool] = []
    lateness = {IncidentKind.LATE_DELIVERY, IncidentKind.PARTIAL_DELIVERY}

    @given(customer_cases())
    @settings(database=None, derandomize=True, phases=[Phase.generate], max_examples=100)
    def draw(case: CustomerCase) -> None:
        open_ids = {o.id for o in case.orders if o.delivered_at is None}
        seen.append(any(i.order_id in open_ids and i.kind in lateness for i in case.incidents))

    draw()
    assert len(seen) == 100
    assert sum(seen) >= 20, sum(seen)  # about a third; 5 before


def test_a_batch_with_orders_is_rebuilt_from_its_report_lines() -> None:
    def has_an_order(batch: IncidentBatch) -> bool:
        return any(order is not None for order in batch.columns()[2])

    quiet = settings(database=None, derandomize=True, phases=[Phase.generate])
    batch = find(incident_batches(frozenset({IncidentKind.DEFECT})), has_an_order, settings=quiet)
    namespace = _run_lines(batch.lines())
    incidents, customers, orders = batch.columns()
    assert (namespace["incidents"], namespace["customers"]) == (incidents, customers)
    assert namespace["orders"] == orders
    assert namespace["context"] == batch.context


@pytest.mark.parametrize("other_context", [False, True])
def test_an_incident_case_is_rebuilt_from_its_report_lines(other_context: bool) -> None:
    portfolio, context = example_portfolio(), example_context()
    case = IncidentCase(
        incident=next(i for i in portfolio.incidents if i.id == "INC-701"),
        customer=portfolio.customer("C07"),
        order=next(o for o in portfolio.orders if o.id == "O-7001"),
        context=context,
    )
    later = attrs.evolve(context, as_of=context.as_of + timedelta(days=1))
    rebuilt = _run_lines(case.lines(context=later if other_context else None))
    assert (rebuilt["incident"], rebuilt["customer"]) == (case.incident, case.customer)
    assert rebuilt["order"] == case.order
    assert rebuilt["context"] == (later if other_context else context)


@pytest.mark.parametrize("other_context", [False, True])
def test_a_customer_case_and_what_it_derives_are_rebuilt_from_its_report_lines(
    other_context: bool,
) -> None:
    portfolio, context = example_portfolio(), example_context()
    customer, orders, incidents = portfolio.for_customer("C10")
    case = CustomerCase(customer=customer, orders=orders, incidents=incidents, context=context)
    later = attrs.evolve(context, as_of=context.as_of + timedelta(days=1))
    ctx = later if other_context else context
    rebuilt = _run_lines([*case.lines(context=ctx if other_context else None), *Derived.LINES])
    assert (rebuilt["customer"], rebuilt["context"]) == (customer, ctx)
    assert (tuple(rebuilt["orders"]), tuple(rebuilt["incidents"])) == (orders, incidents)
    derived = case.derived(ctx)
    assert tuple(rebuilt["impacts"]) == derived.impacts
    assert tuple(rebuilt["forecasts"]) == derived.forecasts
    assert rebuilt["score"] == derived.score


def test_a_check_reads_as_its_name_role_and_plug_in() -> None:
    name, check = next(iter(conformance.estimator_checks(BillingErrorEstimator())))
    assert repr(check) == f"Check({name!r}, estimator BillingErrorEstimator(...))"
