"""The suite traces coverage only for each property's first examples (_sampled_coverage)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _sampled_coverage import COVERED_EXAMPLES

EXTRA = 10

# Each example records whether a tracer is installed; the next test reads the record.
PROPERTIES = f"""
import sys

from hypothesis import given, settings, strategies as st

TRACED = []


@settings(max_examples={COVERED_EXAMPLES + EXTRA}, database=None, derandomize=True)
@given(st.integers())
def test_record(number):
    TRACED.append(sys.gettrace() is not None)


def test_read():
    print("TRACED", TRACED.count(True), TRACED.count(False), TRACED == sorted(TRACED)[::-1])
    print("AFTER", sys.gettrace() is not None)
"""


def _run(tmp_path: Path, *options: str) -> str:
    (tmp_path / "test_properties.py").write_text(PROPERTIES, encoding="utf-8")
    tests = Path(__file__).resolve().parent
    env = os.environ | {"PYTHONPATH": str(tests)}
    plugins = ("-p", "_sampled_coverage", "-p", "no:cacheprovider")
    done = subprocess.run(  # noqa: S603 - our interpreter on a file this test wrote
        [sys.executable, "-m", "pytest", *plugins, "-s", "-q", *options, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_only_the_first_examples_are_traced_and_tracing_comes_back(tmp_path: Path) -> None:
    out = _run(tmp_path, "--cov", "--cov-report=")
    assert f"TRACED {COVERED_EXAMPLES} {EXTRA} True" in out
    assert "AFTER True" in out


@pytest.mark.parametrize("options", [(), ("--no-cov",)])
def test_without_coverage_nothing_is_traced_or_changed(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    out = _run(tmp_path, *options)
    assert f"TRACED 0 {COVERED_EXAMPLES + EXTRA} True" in out
    assert "AFTER False" in out
