"""The opt-in pytest plugin and the three-line conformance test, as a host's suite uses them.

This module loads the plugin itself (``pytest_plugins``), as a host's top-level
conftest would, to test the fixtures in process; a small project in a temporary
directory, run by a pytest of its own, shows that the plugin is never loaded unasked,
that ``-p custadvocacy.testing.pytest_plugin`` loads it, and that the three lines
report one test per rule, a broken rule by name.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from custadvocacy import (
    Context,
    ExchangeRates,
    Portfolio,
    PortfolioAssessment,
    ValidationError,
    assess_portfolio,
)
from custadvocacy.examples import EXAMPLE_AS_OF
from custadvocacy.examples import example_portfolio as build_example

pytest_plugins = ("custadvocacy.testing.pytest_plugin",)


def test_example_portfolio_and_context(
    example_portfolio: Portfolio, example_context: Context
) -> None:
    assert example_portfolio.customer("C01").name == "Kovar Precision Machining"
    assert example_context.as_of == EXAMPLE_AS_OF
    assert example_context.currency == "EUR"


def test_each_test_gets_a_fresh_portfolio(example_portfolio: Portfolio) -> None:
    assert len(example_portfolio.customers) == 12


def test_advocacy_context_changes_only_what_it_is_given(advocacy_context: object) -> None:
    make = advocacy_context
    later = make(as_of=datetime(2026, 11, 27, 9, tzinfo=UTC))  # type: ignore[operator]
    assert later.as_of.day == 27
    assert later.currency == "EUR"
    assert later.rates.rate("EUR", "CZK") == 25
    pounds = make(currency="GBP", rates={("GBP", "EUR"): "1.16"})  # type: ignore[operator]
    assert pounds.rates == ExchangeRates({("GBP", "EUR"): "1.16"})
    same = make(rates=ExchangeRates({("EUR", "USD"): "1.1"}))  # type: ignore[operator]
    assert same.currency == "EUR"
    assert same.rates.rate("EUR", "USD") == Decimal("1.1")
    assert make() == make()  # type: ignore[operator]
    # The example's own currencies alone: its rates re-expressed from them, so that the
    # example portfolio can be assessed in pounds or crowns.
    for code in ("GBP", "CZK"):
        other = make(currency=code)  # type: ignore[operator]
        product = other.rates.rate(code, "EUR") * other.rates.rate("EUR", code)
        assert abs(product - 1) < Decimal("1e-20")
        assessed = assess_portfolio(build_example(), context=other)
        assert assessed.currency == code
    # The cross rates go through the reporting currency: crowns per pound is 25 / 0.86,
    # and no pair is made that the example does not have a way to (no GBP/GBP).
    pounds_home = make(currency="GBP").rates.rates  # type: ignore[operator]
    assert set(pounds_home) == {("EUR", "CZK"), ("EUR", "GBP"), ("GBP", "EUR"), ("GBP", "CZK")}
    assert abs(pounds_home[("GBP", "CZK")] - Decimal(25) / Decimal("0.86")) < Decimal("1e-20")
    assert make(currency="USD").rates == make().rates  # type: ignore[operator]
    # The payload's form of a pair, as from_dict and the conformance reports write it.
    dollars = make(rates={"EUR/USD": "1.1"})  # type: ignore[operator]
    assert dollars.rates == ExchangeRates({("EUR", "USD"): "1.1"})
    with pytest.raises(ValidationError) as info:
        make(rates={"EURUSD": "1.1"})  # type: ignore[operator]
    assert info.value.paths == ("rates['EURUSD']",)


def test_advocacy_context_rejects_a_bad_value_by_name(advocacy_context: object) -> None:
    with pytest.raises(ValidationError) as info:
        advocacy_context(currency="euro")  # type: ignore[operator]
    assert info.value.paths == ("currency",)


def test_example_assessment(example_assessment: PortfolioAssessment) -> None:
    assert example_assessment.as_of == EXAMPLE_AS_OF
    scores = [a.score.value for a in example_assessment.assessments]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) == 12


def test_the_plugin_is_not_registered_to_load_by_itself() -> None:
    registered = importlib.metadata.entry_points(group="pytest11")
    assert not [e for e in registered if e.value.startswith("custadvocacy")]


# -------------------------------------------------------- a project of its own

ESTIMATORS = '''
"""A host's own estimator: support failures cost the staff time spent chasing."""

import attrs

from custadvocacy import (
    EstimatorCapabilities, Impact, IncidentKind, LossCategory, LossItem, Money,
)


@attrs.frozen
class StaffTimeEstimator:
    name: str = "staff_time"
    capabilities: EstimatorCapabilities = EstimatorCapabilities(
        kinds=frozenset({IncidentKind.SUPPORT_FAILURE}), batch=False
    )
    hourly_cost: Money = Money("60", "EUR")
    mark_seen: bool = False

    def estimate(self, incident, customer, order, context):
        if self.mark_seen:  # the bug of the broken variant: it changes its input
            object.__setattr__(incident, "summary", "seen")
        hours = 2.0 if incident.effort_hours is None else incident.effort_hours
        cost = customer.profile.staff_hourly_cost or self.hourly_cost
        loss = hours * context.to_float(cost)
        item = LossItem(
            label="Staff time chasing", category=LossCategory.STAFF_EFFORT,
            expected=loss, low=0.8 * loss, high=1.5 * loss,
        )
        return Impact.from_items(
            incident=incident, estimator=self.name, currency=context.currency,
            items=(item,), ongoing=incident.is_open(context.as_of),
        )
'''

GOOD_TEST = """
from custadvocacy.testing import conformance
from estimators import StaffTimeEstimator

@conformance.parametrize_checks(StaffTimeEstimator(), max_examples=10)
def test_conformance(check): check()
"""

BROKEN_TEST = """
from custadvocacy.testing import conformance
from estimators import StaffTimeEstimator

@conformance.parametrize_checks(StaffTimeEstimator(mark_seen=True), max_examples=10)
def test_conformance(check): check()
"""

FIXTURES_TEST = """
def test_fixtures(example_portfolio, example_context, advocacy_context, example_assessment):
    assert example_portfolio.customer("C01").name == "Kovar Precision Machining"
    assert advocacy_context(currency="EUR") == example_context
    assert example_assessment.assessments[0].customer.id == "C07"
"""


def make_project(root: Path) -> Path:
    (root / "estimators.py").write_text(ESTIMATORS, encoding="utf-8")
    (root / "test_good.py").write_text(GOOD_TEST, encoding="utf-8")
    (root / "test_broken.py").write_text(BROKEN_TEST, encoding="utf-8")
    (root / "test_fixtures.py").write_text(FIXTURES_TEST, encoding="utf-8")
    (root / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n", encoding="utf-8")
    return root


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter on files this test wrote
        [sys.executable, "-m", "pytest", "-rf", "--no-header", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("host"))


def test_the_plugin_loads_only_when_asked(project: Path) -> None:
    unasked = run_pytest(project, "test_fixtures.py")
    assert unasked.returncode == 1, unasked.stdout
    assert "fixture 'example_portfolio' not found" in unasked.stdout
    asked = run_pytest(project, "-p", "custadvocacy.testing.pytest_plugin", "test_fixtures.py")
    assert asked.returncode == 0, asked.stdout + asked.stderr
    assert "1 passed" in asked.stdout


def test_the_three_lines_pass_a_sound_estimator_one_test_per_rule(project: Path) -> None:
    result = run_pytest(project, "-v", "test_good.py")
    assert result.returncode == 0, result.stdout + result.stderr
    for rule in ("estimator_interface", "non_negative_loss", "respects_currency", "picklable"):
        assert f"test_good.py::test_conformance[{rule}] PASSED" in result.stdout
    assert "7 passed" in result.stdout


def test_the_three_lines_name_the_rule_a_broken_variant_breaks(project: Path) -> None:
    result = run_pytest(project, "-v", "test_broken.py")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "test_broken.py::test_conformance[does_not_mutate_inputs] FAILED" in out
    assert "test_broken.py::test_conformance[non_negative_loss] PASSED" in out
    assert "breaks rule 'does_not_mutate_inputs'" in out
    assert "incident.summary: '' -> 'seen'" in out
    assert "How to read this:" in out
    assert "incident = from_dict(Incident, {" in out
    assert "1 failed, 6 passed" in out
