"""The tutorial's shell commands run as written (its Python examples run through Sybil)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)


def _commands() -> list[str]:
    blocks = SH_BLOCK.findall(TUTORIAL.read_text(encoding="utf-8"))
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    # pip installs are what the downstream-project test exercises; here we run the rest.
    return [line for line in lines if line.startswith("python ")]


def test_the_tutorial_has_commands() -> None:
    assert len(_commands()) >= 3


def test_the_tutorial_commands_run_as_written(tmp_path: Path) -> None:
    for command in _commands():
        argv = [sys.executable, *shlex.split(command)[1:]]
        result = subprocess.run(  # noqa: S603 - the tutorial's own commands
            argv, cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120
        )
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        if "assess portfolio.json" in command:
            assert "Kovar Precision Machining" in result.stdout or "Moravia" in result.stdout


@pytest.mark.parametrize("command", ["python -m custadvocacy demo"])
def test_the_demo_command_is_in_the_tutorial(command: str) -> None:
    assert command in _commands()
