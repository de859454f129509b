"""The suite traces coverage only for each property's first examples (_sampled_coverage)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import _sampled_coverage
import pytest
from _sampled_coverage import COVERED_EXAMPLES

EXTRA = 10

# Each example records whether coverage is on; the next test writes the record, whether
# coverage is on again, and whether the property's own function is back in place.
PROPERTIES = f"""
import json
from pathlib import Path

import coverage
from hypothesis import given, settings, strategies as st

MEASURED = []


@settings(max_examples={COVERED_EXAMPLES + EXTRA}, database=None, derandomize=True)
@given(st.integers())
def test_record(number):
    MEASURED.append(coverage.Coverage.current() is not None)


ORIGINAL = test_record.hypothesis.inner_test


def test_read():
    Path(__file__).with_name("seen.json").write_text(json.dumps({{
        "measured": MEASURED,
        "after": coverage.Coverage.current() is not None,
        "restored": test_record.hypothesis.inner_test is ORIGINAL,
    }}))
"""


def _seen(tmp_path: Path, *options: str) -> dict[str, object]:
    (tmp_path / "test_properties.py").write_text(PROPERTIES, encoding="utf-8")
    tests = Path(__file__).resolve().parent
    env = os.environ | {"PYTHONPATH": str(tests)}
    plugins = ("-p", "_sampled_coverage", "-p", "no:cacheprovider")
    done = subprocess.run(  # noqa: S603 - our interpreter on a file this test wrote
        [sys.executable, "-m", "pytest", *plugins, "-q", *options, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    seen: dict[str, object] = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))
    return seen


# Under pytest-xdist each worker holds two started coverage instances; both are stopped.
@pytest.mark.parametrize("workers", [(), ("-n", "1")], ids=["one process", "xdist"])
def test_only_the_first_examples_are_measured_and_coverage_comes_back(
    tmp_path: Path, workers: tuple[str, ...]
) -> None:
    seen = _seen(tmp_path, "--cov", "--cov-report=", *workers)
    assert seen == {
        "measured": [True] * COVERED_EXAMPLES + [False] * EXTRA,
        "after": True,
        "restored": True,
    }


@pytest.mark.parametrize("options", [(), ("--no-cov",)])
def test_without_coverage_nothing_is_measured_or_changed(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    seen = _seen(tmp_path, *options)
    assert seen == {
        "measured": [False] * (COVERED_EXAMPLES + EXTRA),
        "after": False,
        "restored": True,
    }


def test_the_suites_conftest_uses_the_plugin(request: pytest.FixtureRequest) -> None:
    hooks = request.config.hook.pytest_runtest_call.get_hookimpls()
    assert _sampled_coverage.pytest_runtest_call in [hook.function for hook in hooks]
