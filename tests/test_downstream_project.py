"""A project outside this repository installs custadvocacy[testing] and uses the kit.

The journey of a maintainer of another project's test suite, end to end: a clean
virtual environment in a temporary directory, ``pip install "<this repo>[testing]"``,
a custom estimator, the three lines of the conformance kit in a test file, and the
project's own pytest run: it passes, a broken variant fails with the rule named, and
``st.from_type(Customer)`` draws customers without importing our strategies (through
Hypothesis's entry point). Importing the core there does not import Hypothesis.

Slow by nature (a venv and an install: about 30-60 s, most of it pip); skipped, with
the reason, only when pip cannot reach a package index.
"""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = "Scripts" if os.name == "nt" else "bin"

# What pip prints when it cannot reach an index (then the test is skipped, not failed).
_OFFLINE = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "No matching distribution found for hatchling",
    "Could not find a version that satisfies the requirement hatchling",
    "Network is unreachable",
)

ESTIMATORS = '''
"""Our own estimator: a support failure costs the staff time spent chasing it."""

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

    def hours(self, incident):
        return 2.0 if incident.effort_hours is None else incident.effort_hours

    def estimate(self, incident, customer, order, context):
        cost = customer.profile.staff_hourly_cost or self.hourly_cost
        loss = self.hours(incident) * context.to_float(cost)
        item = LossItem(
            label="Staff time chasing", category=LossCategory.STAFF_EFFORT,
            expected=loss, low=0.8 * loss, high=1.5 * loss,
        )
        return Impact.from_items(
            incident=incident, estimator=self.name, currency=context.currency,
            items=(item,), ongoing=incident.is_open(context.as_of),
        )


@attrs.frozen
class RawStaffTimeEstimator(StaffTimeEstimator):
    """Broken on purpose: uses the hourly cost as it stands, whatever its currency."""

    def estimate(self, incident, customer, order, context):
        cost = customer.profile.staff_hourly_cost or self.hourly_cost
        loss = self.hours(incident) * float(cost.amount)
        item = LossItem(
            label="Staff time chasing", category=LossCategory.STAFF_EFFORT,
            expected=loss, low=0.8 * loss, high=1.5 * loss,
        )
        return Impact.from_items(
            incident=incident, estimator=self.name, currency=context.currency,
            items=(item,), ongoing=incident.is_open(context.as_of),
        )
'''

# The three lines (and the import of our own estimator).
GOOD_TEST = """
from custadvocacy.testing import conformance
from my_estimators import StaffTimeEstimator

@conformance.parametrize_checks(StaffTimeEstimator())
def test_conformance(check): check()
"""

BROKEN_TEST = """
from custadvocacy.testing import conformance
from my_estimators import RawStaffTimeEstimator

@conformance.parametrize_checks(RawStaffTimeEstimator())
def test_conformance(check): check()
"""

STRATEGIES_TEST = """
import sys

from hypothesis import given, settings, strategies as st

from custadvocacy import Customer


@settings(max_examples=20)
@given(st.from_type(Customer))
def test_customers_come_from_the_entry_point(customer):
    assert customer.annual_value.currency == customer.currency
    assert "custadvocacy.testing.strategies" in sys.modules  # loaded by the entry point


def test_the_strategies_draw_consistent_portfolios():
    from custadvocacy.testing.strategies import portfolios

    @settings(max_examples=10)
    @given(portfolios(min_size=1))
    def check(portfolio):
        ids = {c.id for c in portfolio.customers}
        assert all(o.customer_id in ids for o in portfolio.orders)

    check()
"""


def _run(*args: str | Path, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(  # noqa: S603 - the venv's own tools on files this test wrote
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh project with custadvocacy[testing] and pytest installed in a clean venv."""
    root = tmp_path_factory.mktemp("downstream")
    venv.EnvBuilder(with_pip=True, clear=True).create(root / "venv")
    python = root / "venv" / BIN / "python"
    installed = _run(
        python, "-m", "pip", "install", "--quiet", f"{ROOT}[testing]", "pytest", cwd=root
    )
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        if any(sign in output for sign in _OFFLINE):
            pytest.skip(f"pip cannot reach a package index: {output.strip()[-300:]}")
        pytest.fail(f"pip install failed:\n{output}")
    (root / "my_estimators.py").write_text(ESTIMATORS, encoding="utf-8")
    (root / "test_conformance.py").write_text(GOOD_TEST, encoding="utf-8")
    (root / "test_broken.py").write_text(BROKEN_TEST, encoding="utf-8")
    (root / "test_strategies.py").write_text(STRATEGIES_TEST, encoding="utf-8")
    return root


def _pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    python = project / "venv" / BIN / "python"
    return _run(python, "-m", "pytest", "-p", "no:cacheprovider", "-v", *args, cwd=project)


def test_the_installed_package_is_this_one_and_its_core_needs_no_hypothesis(
    project: Path,
) -> None:
    python = project / "venv" / BIN / "python"
    code = (
        "import sys, custadvocacy; "
        "print(custadvocacy.__version__, 'hypothesis' in sys.modules, 'pytest' in sys.modules)"
    )
    result = _run(python, "-c", code, cwd=project)
    assert result.returncode == 0, result.stderr
    version = next(
        line.split('"')[1]
        for line in (ROOT / "src" / "custadvocacy" / "__init__.py").read_text().splitlines()
        if line.startswith("__version__")
    )
    assert result.stdout.split() == [version, "False", "False"]


def test_a_custom_estimator_passes_the_kit_in_the_projects_own_pytest_run(project: Path) -> None:
    result = _pytest(project, "test_conformance.py", "test_strategies.py")
    assert result.returncode == 0, result.stdout + result.stderr
    for rule in (
        "estimator_interface",
        "returns_impact",
        "non_negative_loss",
        "deterministic",
        "does_not_mutate_inputs",
        "picklable",
        "respects_currency",
    ):
        assert f"test_conformance.py::test_conformance[{rule}] PASSED" in result.stdout
    assert "9 passed" in result.stdout


def test_a_broken_variant_fails_with_the_rule_named(project: Path) -> None:
    result = _pytest(project, "test_broken.py")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "test_broken.py::test_conformance[respects_currency] FAILED" in out
    assert "test_broken.py::test_conformance[non_negative_loss] PASSED" in out
    assert "breaks rule 'respects_currency'" in out
    assert "Rule: every amount is converted into context.currency" in out
    assert "other_context = from_dict(Context" in out
    assert "1 failed, 6 passed" in out
