"""The command line: ``python -m custadvocacy demo`` runs and shows the example customers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from custadvocacy.__main__ import build_parser, main
from custadvocacy.examples import example_portfolio

NAMES = [c.name for c in example_portfolio().customers]


def test_the_demo_runs_as_a_module_in_a_fresh_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "custadvocacy", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for name in NAMES:
        assert name in result.stdout


def test_main_prints_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Kovar Precision Machining" in out
    assert "Brno Bikes" in out


@pytest.mark.parametrize("argv", [[], ["no-such-command"], ["demo", "--unknown"]])
def test_bad_arguments_exit_with_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage: custadvocacy" in capsys.readouterr().err


def test_the_parser_names_the_demo_command() -> None:
    assert "demo" in build_parser().format_help()
