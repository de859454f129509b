"""mutation/run.py's own logic: ending mutmut on time and a change of ``--only``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from _scripts import load_script

run = load_script("mutation/run.py", "mutation_run")


def test_mutmut_is_interrupted_after_its_minutes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "WORK", tmp_path)
    # With Ctrl-C restored as mutmut is started: the test itself may run in a background
    # job, whose children inherit SIGINT ignored.
    sleeper = [sys.executable, "-c", run.WITH_CTRL_C + "import time; time.sleep(60)"]
    started = time.monotonic()
    code, stopped = run._run_mutmut(sleeper, 0.01, {})
    assert stopped
    assert code != 0  # Ctrl-C ends the sleep with KeyboardInterrupt
    assert time.monotonic() - started < 30
    quick = [sys.executable, "-c", "raise SystemExit(3)"]
    assert run._run_mutmut(quick, None, {}) == (3, False)
    assert run._run_mutmut(quick, 5.0, {}) == (3, False)


def _fake_store() -> SimpleNamespace:
    calls: list[tuple[Path, Path]] = []
    return SimpleNamespace(save=lambda mutants, src: calls.append((mutants, src)), calls=calls)


def test_another_only_selection_saves_then_starts_the_mutants_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "WORK", tmp_path)
    mutant = tmp_path / "mutants" / "src" / "custadvocacy" / "_money.py"
    mutant.parent.mkdir(parents=True)
    mutant.write_text("# mutated\n")
    store = _fake_store()
    run._forget_other_selection(list(run.FOUNDATION), store)  # the first run: recorded
    assert mutant.exists()
    assert store.calls == []
    run._forget_other_selection(list(reversed(run.FOUNDATION)), store)  # the same modules
    assert mutant.exists()
    run._forget_other_selection([], store)  # all: another selection
    assert not mutant.exists()
    assert store.calls == [(tmp_path / "mutants", tmp_path / "src")]
    assert (tmp_path / "only.txt").read_text() == "all"


def test_the_undetected_mutants_are_those_the_gate_counts_against_the_score(
    tmp_path: Path,
) -> None:
    gate = run._load("gate")
    meta = tmp_path / "src" / "custadvocacy" / "_money.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {"m.killed": 1, "m.survived": 0, "m.none": 33, "m.odd": 99, "m.never": None}
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    assert run.undetected(tmp_path, gate) == ["m.survived", "m.none", "m.odd"]


def test_mutmut_can_be_stopped_even_when_started_with_ctrl_c_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a job started with "&" inherits: SIGINT ignored, so no KeyboardInterrupt.
    monkeypatch.setattr(run, "WORK", tmp_path)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        sleeper = [sys.executable, "-c", run.WITH_CTRL_C + "import time; time.sleep(60)"]
        started = time.monotonic()
        code, stopped = run._run_mutmut(sleeper, 0.01, {})
    finally:
        signal.signal(signal.SIGINT, previous)
    assert stopped
    assert code != 0
    assert time.monotonic() - started < 30  # stopped by Ctrl-C, not after the sleep


def test_mutmut_runs_through_its_own_command_line(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()  # mutmut reads its configuration even for --help
    (tmp_path / "setup.cfg").write_text("[mutmut]\nsource_paths=src\n")
    done = subprocess.run(  # noqa: S603 - our interpreter, mutmut's --help
        [sys.executable, "-c", run.MUTMUT, "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "run" in done.stdout


def test_a_changed_configuration_keeps_the_results_as_a_new_machine_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "WORK", tmp_path)
    stats = tmp_path / "mutants" / "mutmut-stats.json"
    stats.parent.mkdir()
    run._config([], ["tests"])
    stats.write_text("{}")
    run._config([], ["tests"])  # the same configuration: mutmut's stats stay
    assert stats.exists()
    run._config(["src/custadvocacy/_money.py"], ["tests"])  # another: forgotten
    assert not stats.exists()
    assert "only_mutate=\n    src/custadvocacy/_money.py\n" in (tmp_path / "setup.cfg").read_text()


def test_a_change_to_what_the_tests_run_has_mutmut_link_every_test_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # mutmut 3 adds only new tests to its stats after the first run, so a function added
    # later stays linked to the tests added after it (batch/_errors.py's _where: 1 of 40).
    project = tmp_path / "project"
    for part in ("src", "tests"):
        (project / part).mkdir(parents=True)
        (project / part / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(run, "ROOT", project)
    monkeypatch.setattr(run, "WORK", tmp_path / "work")
    stats = tmp_path / "work" / "mutants" / "mutmut-stats.json"
    stats.parent.mkdir(parents=True)
    run._forget_stale_stats()  # no stats yet: mutmut collects them in full anyway
    stats.write_text("{}")
    run._forget_stale_stats()  # nothing changed since they were collected: kept
    assert stats.exists()
    (project / "docs").mkdir()
    (project / "README.md").write_text("# A\n")
    for changed in ("tests/a.py", "src/a.py", "docs/page.md", "README.md"):
        (project / changed).write_text("x = 2\n")  # the tests run the docs' examples too
        run._forget_stale_stats()
        assert not stats.exists(), changed
        stats.write_text("{}")
    (project / "mutation").mkdir()
    (project / "mutation" / "results.json").write_text("{}")
    run._forget_stale_stats()  # the saved results are no input of the tests
    assert stats.exists()


def test_a_mutant_that_allocates_without_end_fails_with_memory_error(tmp_path: Path) -> None:
    script = tmp_path / "limited.py"
    script.write_text(
        run.LIMITED_MEMORY
        + "\nimport numpy as np\n"
        + "try:\n"
        + f"    np.ones({run.MEMORY_LIMIT} + 1, dtype=np.uint8)\n"
        + "except MemoryError:\n"
        + "    print('refused')\n"
        + f"print(len(bytearray({run.MEMORY_LIMIT} // 64)) > 0)\n"  # well below: allowed
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(script)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["refused", "True"]


def _pytest_in(project: Path) -> subprocess.CompletedProcess[str]:
    """Run pytest on ``project`` (its own conftest, none of ours) in a new process."""
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:cov",
            "-o",
            "addopts=",
            "--rootdir",
            str(project),
            "--confcutdir",
            str(project),
            str(project),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": ""},
    )


def test_every_test_starts_with_the_librarys_caches_empty(tmp_path: Path) -> None:
    # Two modules named like the library's, one imported only by the second test: a cache
    # filled by one test (the unmutated code, in mutmut's fork server) is empty in the next.
    for name in ("custadvocacy_early", "custadvocacy_late"):
        (tmp_path / f"{name}.py").write_text(
            "import functools\nCALLS = []\n\n"
            "@functools.cache\ndef built() -> int:\n    CALLS.append(1)\n    return len(CALLS)\n"
        )
    (tmp_path / "conftest.py").write_text(run.FRESH_CACHES)
    (tmp_path / "test_caches.py").write_text(
        "import importlib\nimport custadvocacy_early as early\n\n"
        "def test_first():\n    assert early.built() == 1\n\n"
        "def test_second():\n    late = importlib.import_module('custadvocacy_late')\n"
        "    assert early.built() == 2\n    assert late.built() == 1\n\n"
        "def test_third():\n    import custadvocacy_late as late\n"
        "    assert early.built() == 3\n    assert late.built() == 2\n"
    )
    done = _pytest_in(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_every_test_starts_with_the_test_modules_caches_empty(tmp_path: Path) -> None:
    # A test module's own cache (a portfolio built once, a check's outcome shared), filled
    # in mutmut's process by the unmutated code, is empty in the next test; a module from
    # elsewhere keeps its cache.
    (tmp_path / "tests").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "outside.py").write_text(
        "import functools\n\n@functools.cache\ndef kept() -> list[int]:\n    return []\n"
    )
    (tmp_path / "tests" / "conftest.py").write_text(
        f"import sys\nsys.path.insert(0, {str(tmp_path / 'elsewhere')!r})\n" + run.FRESH_CACHES
    )
    (tmp_path / "tests" / "test_shared.py").write_text(
        "import functools\nimport outside\n\n"
        "@functools.cache\ndef shared() -> list[int]:\n    return []\n\n"
        "def test_first():\n    shared().append(1)\n    outside.kept().append(1)\n"
        "    assert shared() == [1]\n\n"
        "def test_second():\n    shared().append(2)\n    outside.kept().append(2)\n"
        "    assert shared() == [2]\n    assert outside.kept() == [1, 2]\n"
    )
    done = _pytest_in(tmp_path / "tests")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_the_heap_a_test_run_inherits_is_frozen(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(run.FROZEN_HEAP)
    (tmp_path / "test_frozen.py").write_text(
        "import gc\n\ndef test_frozen():\n    assert gc.get_freeze_count() > 1000\n"
    )
    done = _pytest_in(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_a_mutants_tests_run_fastest_first_by_mutmuts_durations(tmp_path: Path) -> None:
    # mutmut hands each mutant its tests in a set's order and stops at the first failure:
    # a quick test that kills the mutant should not wait behind slow ones.
    (tmp_path / "mutmut-stats.json").write_text(
        json.dumps(
            {
                "duration_by_test": {
                    "test_order.py::test_slow": 9.0,
                    "test_order.py::test_quick": 0.1,
                    "test_order.py::test_middle": 1.0,
                    "test_order.py::test_zz_last": 99.0,
                }
            }
        )
    )
    (tmp_path / "conftest.py").write_text(run.FASTEST_FIRST)
    (tmp_path / "test_order.py").write_text(
        "RAN = []\n\n"
        "def test_slow():\n    RAN.append('slow')\n\n"
        "def test_unknown():\n    RAN.append('unknown')\n\n"
        "def test_middle():\n    RAN.append('middle')\n\n"
        "def test_quick():\n    RAN.append('quick')\n\n"
        "def test_zz_last():\n    assert RAN == ['unknown', 'quick', 'middle', 'slow']\n"
    )
    done = _pytest_in(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout


def test_without_mutmuts_durations_the_tests_keep_their_order(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(run.FASTEST_FIRST)
    (tmp_path / "test_order.py").write_text(
        "RAN = []\n\ndef test_b():\n    RAN.append('b')\n\n"
        "def test_a():\n    RAN.append('a')\n\n"
        "def test_c():\n    assert RAN == ['b', 'a']\n"
    )
    done = _pytest_in(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_a_sample_run_runs_the_sampled_mutants_not_detected_yet(tmp_path: Path) -> None:
    gate = run._load("gate")
    meta = tmp_path / "src" / "custadvocacy" / "_money.py.meta"
    meta.parent.mkdir(parents=True)
    codes: dict[str, int | None] = {f"m.k{i}": 1 for i in range(40)}
    codes.update({f"m.s{i}": 0 for i in range(40)})
    codes.update({f"m.n{i}": None for i in range(40)})
    codes.update({f"m.x{i}": 34 for i in range(40)})
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    chosen = gate.sample([n for n in codes if ".x" not in n])
    assert run.sampled_not_detected(tmp_path, gate) == [n for n in chosen if ".k" not in n]
    assert any(".s" in n for n in chosen)  # survivors are run again
    assert any(".n" in n for n in chosen)


def test_a_sample_run_runs_again_the_sampled_mutants_mutmut_reset_when_it_made_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = run._load("gate")
    meta = tmp_path / "mutants" / "src" / "custadvocacy" / "_money.py.meta"
    meta.parent.mkdir(parents=True)
    names = [f"m.k{i}" for i in range(30)]
    sampled = gate.sample(names)
    survivor, reset = sampled[0], sampled[1:4]  # reset: detected when drawn, then changed
    before = dict.fromkeys(names, 1) | {survivor: 0}
    meta.write_text(json.dumps({"exit_code_by_key": before}))
    calls: list[list[str]] = []

    def fake_mutmut(cmd: list[str], *_: object) -> tuple[int, bool]:
        calls.append([arg for arg in cmd if arg.startswith("m.")])
        if len(calls) == 1:  # mutmut makes the mutants: a changed function starts over
            after = before | {survivor: 1} | dict.fromkeys(reset, None)
            meta.write_text(json.dumps({"exit_code_by_key": after}))
        return 0, False

    monkeypatch.setattr(run, "WORK", tmp_path)
    for name in ("_sync", "_forget_stale_stats", "_config", "_decide_without_tests"):
        monkeypatch.setattr(run, name, lambda *_: None)
    monkeypatch.setattr(run, "_run_mutmut", fake_mutmut)
    store = SimpleNamespace(save=lambda *_: 0, RESULTS=tmp_path / "results.json")
    args = run._parser().parse_args(["--sample"])
    assert run._mutate(args, [], store) == 0
    assert calls == [[survivor], reset]


def test_the_type_check_comes_before_the_survivors_are_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta = tmp_path / "mutants" / "src" / "m.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": {"m.a": 0, "m.b": 0, "m.c": 1}}))
    calls: list[list[str]] = []

    def fake_type_check(mutants: Path) -> None:  # mypy catches m.a
        (mutants / "src" / "m.py.meta").write_text(
            json.dumps({"exit_code_by_key": {"m.a": 37, "m.b": 0, "m.c": 1}})
        )

    def fake_mutmut(cmd: list[str], *_: object) -> tuple[int, bool]:
        calls.append([arg for arg in cmd if arg.startswith("m.")])
        return 0, False

    monkeypatch.setattr(run, "WORK", tmp_path)
    for name in ("_sync", "_forget_stale_stats", "_config"):
        monkeypatch.setattr(run, name, lambda *_: None)
    monkeypatch.setattr(run, "_decide_without_tests", fake_type_check)
    monkeypatch.setattr(run, "_run_mutmut", fake_mutmut)
    store = SimpleNamespace(save=lambda *_: 0, RESULTS=tmp_path / "results.json")
    assert run._mutate(run._parser().parse_args(["--retry-undetected"]), [], store) == 0
    # The survivor the type check left, then a plain run for the mutants not checked yet.
    assert calls == [["m.b"], []]


def test_a_retry_goes_on_to_the_unchecked_only_when_it_ran_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], float | None]] = []
    outcome = [(0, False)]

    def fake_mutmut(cmd: list[str], minutes: float | None, *_: object) -> tuple[int, bool]:
        calls.append((cmd[cmd.index("run") + 3 :], minutes))
        return outcome[0]

    monkeypatch.setattr(run, "WORK", tmp_path)
    for name in ("_sync", "_forget_stale_stats", "_config", "_decide_without_tests"):
        monkeypatch.setattr(run, name, lambda *_: None)
    monkeypatch.setattr(run, "_run_mutmut", fake_mutmut)
    monkeypatch.setattr(run, "undetected", lambda *_: ["m.s"])
    store = SimpleNamespace(save=lambda *_: 0, RESULTS=tmp_path / "results.json")
    retry = run._parser().parse_args(["--retry-undetected", "--minutes", "30"])
    assert run._mutate(retry, [], store) == 0
    assert [names for names, _ in calls] == [["m.s"], []]
    # The plain pass has what is left of the minutes.
    assert calls[0][1] == 30
    second = calls[1][1]
    assert second is not None
    assert 29 < second <= 30
    # Stopped on time, or failed: no plain pass.
    for stopped in [(0, True), (1, False)]:
        calls.clear()
        outcome[0] = stopped
        run._mutate(retry, [], store)
        assert [names for names, _ in calls] == [["m.s"]]
    # Nothing to retry: one plain run.
    calls.clear()
    outcome[0] = (0, False)
    monkeypatch.setattr(run, "undetected", lambda *_: [])
    assert run._mutate(retry, [], store) == 0
    assert [names for names, _ in calls] == [[]]


def test_the_type_check_then_the_doctests_record_on_an_existing_tree_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, Path]] = []

    def script(name: str) -> SimpleNamespace:
        def record(tree: Path) -> int:
            seen.append((name, tree))
            return 0

        return SimpleNamespace(record=record)

    monkeypatch.setattr(run, "_load", script)
    run._decide_without_tests(tmp_path / "mutants")  # no tree yet (a new machine): nothing to do
    assert seen == []
    # What store.restore leaves on a new machine: results, but no mutated source to check
    # (mypy stopped the first run of a fresh clone: "There are no .py[i] files").
    package = tmp_path / "mutants" / "src" / "custadvocacy"
    package.mkdir(parents=True)
    (package / "_money.py.meta").write_text("{}")
    run._decide_without_tests(tmp_path / "mutants")
    assert seen == []
    (package / "_money.py").write_text("")
    run._decide_without_tests(tmp_path / "mutants")
    assert seen == [("typecheck", tmp_path / "mutants"), ("doctests", tmp_path / "mutants")]


def test_nothing_to_retry_still_runs_the_sample_and_nothing_at_all_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []

    def fake_mutmut(cmd: list[str], *_: object) -> tuple[int, bool]:
        calls.append(cmd[cmd.index("run") + 3 :])  # after "--max-children N"
        return 0, False

    monkeypatch.setattr(run, "WORK", tmp_path)
    for name in ("_sync", "_forget_stale_stats", "_config", "_decide_without_tests"):
        monkeypatch.setattr(run, name, lambda *_: None)
    monkeypatch.setattr(run, "_run_mutmut", fake_mutmut)
    monkeypatch.setattr(run, "undetected", lambda *_: [])
    monkeypatch.setattr(run, "sampled_not_detected", lambda *_: ["m.a"])
    store = SimpleNamespace(save=lambda *_: 0, RESULTS=tmp_path / "results.json")
    both = run._parser().parse_args(["--retry-undetected", "--sample"])
    assert run._mutate(both, [], store) == 0
    assert calls == [["m.a"]]
    monkeypatch.setattr(run, "sampled_not_detected", lambda *_: [])
    assert run._mutate(both, [], store) == 0
    assert calls == [["m.a"]]  # no run: without names mutmut would run every mutant


def test_the_copies_of_a_module_gone_from_src_are_forgotten(tmp_path: Path) -> None:
    root, mutants = tmp_path / "root", tmp_path / "mutants"
    (root / "src" / "pkg" / "_split").mkdir(parents=True)
    (root / "src" / "pkg" / "_kept.py").touch()
    (root / "src" / "pkg" / "_split" / "_part.py").touch()
    copies = mutants / "src" / "pkg"
    (copies / "_split").mkdir(parents=True)
    for name in ("_kept.py", "_split.py", "_split/_part.py"):
        for suffix in ("", ".meta", ".spans"):
            (copies / f"{name}{suffix}").touch()
    gone = run._forget_deleted_modules(mutants, root)
    assert gone == [copies / "_split.py"]  # the module split into a package
    left = sorted(p.relative_to(copies).as_posix() for p in copies.rglob("*") if p.is_file())
    assert left == [
        "_kept.py", "_kept.py.meta", "_kept.py.spans",
        "_split/_part.py", "_split/_part.py.meta", "_split/_part.py.spans",
    ]  # fmt: skip


def test_results_saved_before_a_split_are_not_restored_for_the_module_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = run._load("store")
    root, mutants = tmp_path / "root", tmp_path / "mutants"
    (root / "src" / "pkg" / "_split").mkdir(parents=True)
    (root / "src" / "pkg" / "_split" / "_part.py").touch()
    results = tmp_path / "results.json"
    entry = {"hash": "abc", "exit_codes": {"1": 1}}
    results.write_text(
        json.dumps(
            {
                "format": store.FORMAT,
                "source_digest": "",
                "modules": {
                    "src/pkg/_split.py": {"x_f": entry},  # saved before the split
                    "src/pkg/_split/_part.py": {"x_f": entry},  # moved since
                },
            }
        ),
        encoding="utf-8",
    )
    restoring = SimpleNamespace(
        restore=lambda where: store.restore(where, results), RESULTS=results
    )
    run._restore(mutants, restoring, root)
    metas = sorted(p.relative_to(mutants).as_posix() for p in mutants.rglob("*.meta"))
    assert metas == ["src/pkg/_split/_part.py.meta"]
    assert "forgot src/pkg/_split.py: gone from src/" in capsys.readouterr().out
