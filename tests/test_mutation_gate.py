"""The mutation gate's scoring, on synthetic mutmut result files (no mutmut run needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _scripts import load_script

gate = load_script("mutation/gate.py", "mutation_gate")

# The thresholds may only go up: these are their floors (raise both together).
FLOORS = {
    "custadvocacy/_money.py": 95.0,
    "custadvocacy/_domain.py": 95.0,
    "custadvocacy/_convert.py": 95.0,
}


def _write(root: Path, module: str, codes: dict[str, int | None]) -> None:
    meta = root / "src" / f"{module}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    # The other keys mutmut writes; the gate must read only exit_code_by_key.
    data = {"exit_code_by_key": codes, "durations_by_key": {}, "estimated_durations_by_key": {}}
    meta.write_text(json.dumps(data), encoding="utf-8")


def test_thresholds_never_go_below_their_floors() -> None:
    assert gate.OVERALL_THRESHOLD >= 90.0
    for module, floor in FLOORS.items():
        assert gate.THRESHOLDS[module] >= floor


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (1, "killed"),
        (3, "killed"),
        (36, "timeout"),
        (-24, "timeout"),
        (37, "caught by type check"),
        (-11, "crash"),
        (0, "survived"),
        (5, "no tests"),
        (33, "no tests"),
        (34, "skipped"),
        (None, "not checked"),
        (2, "not checked"),
        (35, "suspicious"),
        (99, "suspicious"),
    ],
)
def test_exit_codes_are_classified_as_mutmut_does(code: int | None, status: str) -> None:
    assert gate.classify(code) == status


def test_score_counts_undetected_and_unchecked_but_not_skipped() -> None:
    score = gate.score_module(
        "custadvocacy/_x.py",
        {"m1": 1, "m2": 36, "m3": 0, "m4": 5, "m5": None, "m6": 34, "m7": 37, "m8": 35},
    )
    assert (score.detected, score.counted, score.skipped) == (3, 7, 1)
    assert score.score == pytest.approx(300 / 7)
    assert score.undetected == [
        ("m3", "survived"),
        ("m4", "no tests"),
        ("m5", "not checked"),
        ("m8", "suspicious"),
    ]


def test_a_module_without_counted_mutants_scores_full() -> None:
    assert gate.score_module("custadvocacy/_x.py", {"m1": 34}).score == 100.0


def test_gate_passes_when_every_bar_is_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "custadvocacy/_money.py", {f"m{i}": 1 for i in range(20)})
    _write(tmp_path, "custadvocacy/_other.py", {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1})
    assert gate.main(["--mutants", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "mutation gate: ok" in out
    assert "custadvocacy/_money.py" in out


def test_gate_fails_a_foundation_module_below_its_own_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 93 % passes the overall bar but not the 95 % of _money.
    codes: dict[str, int | None] = {f"k{i}": 1 for i in range(93)}
    codes.update({f"s{i}": 0 for i in range(7)})
    _write(tmp_path, "custadvocacy/_money.py", codes)
    assert gate.main(["--mutants", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL: custadvocacy/_money.py 93.0 % < 95.0 %" in out
    assert "s0: survived" in out
    assert "7 mutants not detected" in out


def test_gate_fails_the_overall_bar(tmp_path: Path) -> None:
    _write(tmp_path, "custadvocacy/_a.py", {"k": 1, "s": 0})
    scores = gate.load(tmp_path)
    assert [s.module for s in scores] == ["custadvocacy/_a.py"]
    assert gate.failures(scores) == [
        "overall 50.0 % < 90.0 %",
        "custadvocacy/_a.py 50.0 % < 90.0 %",
    ]


def test_gate_fails_without_results(tmp_path: Path) -> None:
    assert gate.failures(gate.load(tmp_path)) == ["no mutation results: run mutation/run.py first"]


def test_files_without_mutants_are_left_out_and_overall_sums_modules(tmp_path: Path) -> None:
    _write(tmp_path, "custadvocacy/_empty.py", {})
    _write(tmp_path, "custadvocacy/_a.py", {"k": 1, "s": 0})
    _write(tmp_path, "custadvocacy/sub/_b.py", {"k": 1, "t": 36, "x": 34})
    scores = gate.load(tmp_path)
    assert [s.module for s in scores] == ["custadvocacy/_a.py", "custadvocacy/sub/_b.py"]
    overall = gate.total(scores)
    assert (overall.detected, overall.counted, overall.skipped) == (3, 4, 1)
    assert "overall" in gate.report(scores)


def test_the_progress_table_counts_what_was_decided(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "custadvocacy/_a.py", {"k": 1, "s": 0, "n": None, "x": 34})
    _write(tmp_path, "custadvocacy/sub/_b.py", {"k": 1, "t": 36, "q": 5, "u": None})
    scores = gate.load(tmp_path)
    assert [(s.decided, round(s.decided_score, 1)) for s in scores] == [(2, 50.0), (3, 66.7)]
    assert gate.main(["--mutants", str(tmp_path), "--markdown"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "| Module | Mutants | Decided | Undetected | Score of the decided |",
        "|---|---|---|---|---|",
        "| `_a.py` | 4 | 2 | 1 | 50.0 % |",
        "| `sub/_b.py` | 4 | 3 | 1 | 66.7 % |",
        "| **overall** | 8 | 5 | 2 | 60.0 % |",
    ]
    assert gate.score_module("custadvocacy/_c.py", {"n": None}).decided_score == 100.0
