"""fuzz/run.py's own logic: targets fuzzed side by side, reported in a fixed order."""

from __future__ import annotations

import sys
import threading

import pytest
from _scripts import load_script

fuzz_run = load_script("fuzz/run.py", "fuzz_run")


def test_targets_run_side_by_side_and_report_in_the_order_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    both_started = threading.Barrier(2, timeout=10)  # broken unless two run at once
    finished: list[str] = []

    def fake_run(target: str, seconds: int, seed: int, *, pending: bool) -> tuple[bool, str]:
        both_started.wait()
        finished.append(target)
        return target != "money", f"{target} {seconds} s seed {seed} pending {pending}"

    monkeypatch.setattr(fuzz_run, "_run", fake_run)
    monkeypatch.setattr(
        sys, "argv", ["run.py", "--jobs", "2", "--seconds", "3", "money", "cli_json"]
    )
    assert fuzz_run.main() == 1  # money failed
    assert sorted(finished) == ["cli_json", "money"]
    assert capsys.readouterr().out.splitlines() == [
        "fuzz money: FAILED (money 3 s seed 1 pending False)",
        "fuzz cli_json: ok (cli_json 3 s seed 1 pending False)",
    ]


def test_jobs_must_be_at_least_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["run.py", "--jobs", "0"])
    with pytest.raises(SystemExit) as stopped:
        fuzz_run.main()
    assert stopped.value.code == 2
    assert "--jobs: must be at least 1, got 0" in capsys.readouterr().err
