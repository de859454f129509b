"""Conformance checks for plug-ins: does your estimator, scorer or policy behave like ours?

In the spirit of scikit-learn's ``check_estimator``: each rule of a plug-in protocol is
a small named check, driven by Hypothesis over generated customers, orders, incidents
and contexts (:mod:`custadvocacy.testing.strategies`), so a broken rule is reported on
the simplest input that breaks it. The library runs the same checks over every
built-in. A failure raises ``AssertionError`` naming the rule, showing the input as
lines that rebuild it, and saying how to read it.

The three lines a plug-in author pastes into a test file::

    from custadvocacy.testing import conformance

    @conformance.parametrize_checks(MyEstimator())
    def test_conformance(check): check()

pytest then runs one test per rule (``test_conformance[non_negative_loss]``...), so a
failure names the rule. Outside pytest, :func:`check_estimator`, :func:`check_scorer`
and :func:`check_policy` run every rule and report every broken one at once.

The rules (``docs/testing.md`` explains each):

- estimators: ``estimator_interface``, ``returns_impact``, ``non_negative_loss``,
  ``deterministic`` (unless ``capabilities.deterministic`` is False),
  ``does_not_mutate_inputs``, ``picklable``, ``respects_currency``, and with
  ``capabilities.batch`` ``batch_equals_loop``, ``batch_order_invariant``,
  ``batch_subset_invariant`` (through the optional ``estimate_batch(incidents,
  customers, orders, context)`` method: aligned sequences in, one Impact per incident
  out);
- scorers: ``scorer_interface``, ``returns_score``, ``score_bounded``, ``deterministic``,
  ``does_not_mutate_inputs``, ``picklable``, ``order_invariant``, ``respects_currency``;
- policies: ``policy_interface``, ``returns_recommendation``, ``within_cost_limits``,
  ``applicable_actions``, ``relief_bounded``, ``deterministic``,
  ``does_not_mutate_inputs``, ``picklable``, ``order_invariant``, ``respects_currency``.

Each check tries ``max_examples`` inputs (default :data:`DEFAULT_MAX_EXAMPLES`); the
other Hypothesis settings (``derandomize``, the example database) come from the
profile loaded in your test suite.

Example:
    >>> from custadvocacy.estimators import DefectEstimator
    >>> from custadvocacy.testing import conformance
    >>> conformance.check_estimator(DefectEstimator(), max_examples=5)  # passes: None
    >>> [name for name, _ in conformance.estimator_checks(DefectEstimator())][:4]
    ['estimator_interface', 'returns_impact', 'non_negative_loss', 'deterministic']

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from custadvocacy._checks import Checks
from custadvocacy._errors import ConfigurationError, short_repr
from custadvocacy._policies import ActionCatalog, default_catalog
from custadvocacy.testing import _checks_estimator, _checks_policy, _checks_scorer
from custadvocacy.testing._checks_common import DEFAULT_MAX_EXAMPLES, Check, found_by, named
from custadvocacy.testing._checks_policy import CostLimit

if TYPE_CHECKING:
    import pytest

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "Check",
    "CostLimit",
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_SCORE_TOLERANCE",
    "check_estimator",
    "check_policy",
    "check_scorer",
    "estimator_checks",
    "parametrize_checks",
    "policy_checks",
    "scorer_checks",
]

DEFAULT_SCORE_TOLERANCE: Final = 0.01
"""Points a score may move when only the currency changes: the built-in rounds to 0.01."""

_MAX_EXAMPLES_LIMIT: Final = 100_000


def _check_options(
    max_examples: object,
    *,
    tolerance: object = DEFAULT_SCORE_TOLERANCE,
    catalog: object = None,
    cost_limit: object = None,
) -> None:
    c = Checks()
    c.number("max_examples", max_examples, low=1, high=_MAX_EXAMPLES_LIMIT, integer=True)
    c.number("tolerance", tolerance, high=100.0, what=" points")
    if catalog is not None:
        c.instance("catalog", catalog, ActionCatalog, "an ActionCatalog")
    if cost_limit is not None and not callable(cost_limit):
        c.fail("cost_limit", cost_limit, "None or a function (customer, context) -> Money | None")
    c.done()


def estimator_checks(
    estimator: object, *, max_examples: int = DEFAULT_MAX_EXAMPLES
) -> Iterator[tuple[str, Check]]:
    """Yield ``(name, check)`` for every rule that applies to an impact estimator.

    The ``deterministic`` check is left out when ``capabilities.deterministic`` is
    False; the three batch checks come only with ``capabilities.batch``.

    Args:
        estimator: The plug-in (anything with ``name``, ``capabilities`` and
            ``estimate``: see :class:`~custadvocacy.ImpactEstimator`).
        max_examples: Generated inputs per check (1-100,000).

    Raises:
        ValidationError: ``max_examples`` is not a whole number from 1 to 100,000.

    Example:
        >>> from custadvocacy.estimators import LateDeliveryEstimator
        >>> checks = dict(estimator_checks(LateDeliveryEstimator(), max_examples=5))
        >>> list(checks)
        ['estimator_interface', 'returns_impact', 'non_negative_loss', 'deterministic', 'does_not_mutate_inputs', 'picklable', 'respects_currency']
        >>> checks["respects_currency"]()  # passes: returns None

    .. versionadded:: 0.1.0
    """
    _check_options(max_examples)
    for check in _checks_estimator.checks(estimator, max_examples=max_examples):
        yield check.name, check


def scorer_checks(
    scorer: object,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    tolerance: float = DEFAULT_SCORE_TOLERANCE,
) -> Iterator[tuple[str, Check]]:
    """Yield ``(name, check)`` for every rule of a scorer.

    Impacts and forecasts for the scorer come from the built-in estimators.

    Args:
        scorer: The plug-in (anything with ``score``: see :class:`~custadvocacy.Scorer`).
        max_examples: Generated inputs per check (1-100,000).
        tolerance: Points the score may move when only the currency changes (0-100;
            default 0.01, the built-in's rounding).

    Raises:
        ValidationError: An option is out of range.

    Example:
        >>> from custadvocacy import AdvocacyScorer
        >>> [name for name, _ in scorer_checks(AdvocacyScorer())][:3]
        ['scorer_interface', 'returns_score', 'score_bounded']

    .. versionadded:: 0.1.0
    """
    _check_options(max_examples, tolerance=tolerance)
    for check in _checks_scorer.checks(scorer, max_examples=max_examples, tolerance=tolerance):
        yield check.name, check


def policy_checks(
    policy: object,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    catalog: ActionCatalog | None = None,
    cost_limit: CostLimit | None = None,
) -> Iterator[tuple[str, Check]]:
    """Yield ``(name, check)`` for every rule of a recommendation policy.

    Impacts, forecasts and scores for the policy come from the built-ins.

    Args:
        policy: The plug-in (anything with ``name`` and ``recommend``: see
            :class:`~custadvocacy.RecommendationPolicy`).
        max_examples: Generated inputs per check (1-100,000).
        catalog: The actions the policy chooses from (default:
            :func:`~custadvocacy.default_catalog`).
        cost_limit: The most a customer's recommendation may cost by the policy's own
            rules, as a function ``(customer, context) -> Money | None``. Default: read
            from the policy's ``settings`` when it is a
            :class:`~custadvocacy.policies.PolicySettings` (as the built-ins'), else
            only the recommendation's own ``cost_limit`` is checked.

    Raises:
        ValidationError: An option is out of range or of the wrong type.

    Example:
        >>> from custadvocacy import Money
        >>> from custadvocacy.policies import CustomerFirstPolicy, PolicySettings
        >>> nothing = Money("0", "EUR")
        >>> free_only = CustomerFirstPolicy(
        ...     settings=PolicySettings(cost_limit_share=0.0, cost_limit_floor=nothing)
        ... )
        >>> checks = dict(policy_checks(
        ...     free_only, max_examples=5, cost_limit=lambda customer, context: nothing
        ... ))
        >>> checks["within_cost_limits"]()  # passes: returns None

    .. versionadded:: 0.1.0
    """
    _check_options(max_examples, catalog=catalog, cost_limit=cost_limit)
    chosen = default_catalog() if catalog is None else catalog
    for check in _checks_policy.checks(
        policy,
        max_examples=max_examples,
        catalog=chosen,
        default_catalog=catalog is None,
        cost_limit=cost_limit,
    ):
        yield check.name, check


def _run_all(checks: list[tuple[str, Check]], plugin: object, role: str) -> None:
    """Run every check; raise one AssertionError listing every broken rule."""
    checks[0][1]()  # without the interface nothing else can run: report that alone
    broken: list[tuple[str, AssertionError]] = []
    for name, check in checks[1:]:
        try:
            check()
        except AssertionError as exc:
            broken.append((name, exc))
    if broken:
        names = ", ".join(name for name, _ in broken)
        header = (
            f"{len(broken)} of {len(checks)} conformance rules broken by {role} "
            f"{named(plugin)}: {names}"
        )
        raise AssertionError("\n\n".join([header, *_reports(broken)]))


def _reports(broken: list[tuple[str, AssertionError]]) -> list[str]:
    """Each broken rule's message; rules that found the very same thing share the first's.

    One bug (a raise on every input, a result of the wrong type) breaks most rules the
    same way: its report is shown once, with the other rules named after it.
    """
    first: dict[str, int] = {}  # what was found -> the index of the first report of it
    reports: list[str] = []
    same: list[list[str]] = []
    for name, exc in broken:
        found = found_by(exc)
        if found and found in first:
            same[first[found]].append(name)
            continue
        if found:
            first[found] = len(reports)
        reports.append(str(exc))
        same.append([])
    return [
        report if not others else f"{report}\n\n{_same_found(others)}"
        for report, others in zip(reports, same, strict=True)
    ]


def _same_found(names: list[str]) -> str:
    """The line naming the rules whose finding was the report's just above."""
    *rest, last = [f"'{name}'" for name in names]
    if not rest:
        return (
            f"Rule {last} found the same and stops there: fix it, then rerun the check to see "
            "what else that rule finds."
        )
    return (
        f"Rules {', '.join(rest)} and {last} found the same and stop there: fix it, then "
        "rerun the check to see what else they find."
    )


def check_estimator(estimator: object, *, max_examples: int = DEFAULT_MAX_EXAMPLES) -> None:
    """Run every estimator check; raise one ``AssertionError`` listing every broken rule.

    Rules that found the very same thing (a raise on every input, say) show it once: the
    first rule's report, followed by the names of the others.

    Args:
        estimator: The plug-in (see :func:`estimator_checks`).
        max_examples: Generated inputs per check (1-100,000).

    Raises:
        AssertionError: A rule is broken; the message names each broken rule, the
            simplest input that breaks it, and how to read it.
        ValidationError: ``max_examples`` is out of range.

    Example:
        >>> from custadvocacy.estimators import BillingErrorEstimator
        >>> check_estimator(BillingErrorEstimator(), max_examples=5)  # passes: None
        >>> class Nameless:
        ...     def estimate(self, incident, customer, order, context): ...
        >>> check_estimator(Nameless())
        Traceback (most recent call last):
        ...
        AssertionError: custadvocacy conformance: estimator <Nameless object> breaks rule 'estimator_interface'.
        Rule: an estimator has a non-empty string 'name', ...
        Found: it cannot be run: it lacks a non-empty string 'name'; a 'capabilities' attribute holding an EstimatorCapabilities (rule 'estimator_interface')
        How to read this: Give the estimator these members ...

    .. versionadded:: 0.1.0
    """
    _run_all(list(estimator_checks(estimator, max_examples=max_examples)), estimator, "estimator")


def check_scorer(
    scorer: object,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    tolerance: float = DEFAULT_SCORE_TOLERANCE,
) -> None:
    """Run every scorer check; raise one ``AssertionError`` listing every broken rule.

    Args:
        scorer: The plug-in (see :func:`scorer_checks`).
        max_examples: Generated inputs per check (1-100,000).
        tolerance: Points the score may move when only the currency changes.

    Raises:
        AssertionError: A rule is broken (each named, with its input).
        ValidationError: An option is out of range.

    Example:
        >>> from custadvocacy import AdvocacyScorer
        >>> check_scorer(AdvocacyScorer(), max_examples=3)  # passes: None

    .. versionadded:: 0.1.0
    """
    checks = list(scorer_checks(scorer, max_examples=max_examples, tolerance=tolerance))
    _run_all(checks, scorer, "scorer")


def check_policy(
    policy: object,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    catalog: ActionCatalog | None = None,
    cost_limit: CostLimit | None = None,
) -> None:
    """Run every policy check; raise one ``AssertionError`` listing every broken rule.

    Args:
        policy: The plug-in (see :func:`policy_checks`).
        max_examples: Generated inputs per check (1-100,000).
        catalog: The actions it chooses from (default: the default catalog).
        cost_limit: The policy's own cost limit per customer (see :func:`policy_checks`).

    Raises:
        AssertionError: A rule is broken (each named, with its input).
        ValidationError: An option is out of range or of the wrong type.

    Example:
        >>> from custadvocacy.policies import CustomerFirstPolicy
        >>> check_policy(CustomerFirstPolicy(), max_examples=3)  # passes: None

    .. versionadded:: 0.1.0
    """
    checks = list(
        policy_checks(policy, max_examples=max_examples, catalog=catalog, cost_limit=cost_limit)
    )
    _run_all(checks, policy, "policy")


def parametrize_checks(
    plugin: object,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    tolerance: float = DEFAULT_SCORE_TOLERANCE,
    catalog: ActionCatalog | None = None,
    cost_limit: CostLimit | None = None,
) -> pytest.MarkDecorator:
    """Return a ``pytest.mark.parametrize`` of every check of ``plugin``, one test per rule.

    The role is read from the members: ``estimate`` makes it an estimator, ``score`` a
    scorer, ``recommend`` a policy (an object with several gets every role's checks,
    with ids such as ``scorer-deterministic``). The parameter is named ``check``::

        @conformance.parametrize_checks(MyEstimator())
        def test_conformance(check): check()

    Args:
        plugin: The estimator, scorer or policy.
        max_examples: Generated inputs per check (1-100,000).
        tolerance: For a scorer: see :func:`scorer_checks`.
        catalog: For a policy: see :func:`policy_checks`.
        cost_limit: For a policy: see :func:`policy_checks`.

    Raises:
        ConfigurationError: ``plugin`` has none of ``estimate``, ``score`` and ``recommend``.
        ValidationError: An option is out of range or of the wrong type.

    Example:
        >>> from custadvocacy.estimators import DefectEstimator
        >>> mark = parametrize_checks(DefectEstimator())
        >>> mark.args[0], mark.kwargs["ids"][:3]
        ('check', ['estimator_interface', 'returns_impact', 'non_negative_loss'])

    .. versionadded:: 0.1.0
    """
    import pytest  # noqa: PLC0415 - only this helper needs pytest; the checks do not

    _check_options(max_examples, tolerance=tolerance, catalog=catalog, cost_limit=cost_limit)
    roles: list[tuple[str, list[tuple[str, Check]]]] = []
    if callable(getattr(plugin, "estimate", None)):
        roles.append(("estimator", list(estimator_checks(plugin, max_examples=max_examples))))
    if callable(getattr(plugin, "score", None)):
        checks = scorer_checks(plugin, max_examples=max_examples, tolerance=tolerance)
        roles.append(("scorer", list(checks)))
    if callable(getattr(plugin, "recommend", None)):
        checks = policy_checks(
            plugin, max_examples=max_examples, catalog=catalog, cost_limit=cost_limit
        )
        roles.append(("policy", list(checks)))
    if not roles:
        raise ConfigurationError(
            f"parametrize_checks() needs an estimator (with estimate), a scorer (with score) "
            f"or a policy (with recommend); {short_repr(plugin)} has none of these methods"
        )
    several = len(roles) > 1
    ids = [f"{role}-{name}" if several else name for role, pairs in roles for name, _ in pairs]
    values = [check for _, pairs in roles for _, check in pairs]
    return pytest.mark.parametrize("check", values, ids=ids)
