"""Mutation testing: ``python mutation/run.py [--only foundation|all|PATH...] [--max-children N]``.

Runs mutmut 3.x over ``src/`` in a scratch copy of the project (``mutants/work/``,
ignored by git, so the checkout stays clean and mutmut's cache survives between runs),
with the configuration in ``mutation/setup.cfg``: pytest without the coverage gate and
doctests, the ``mutation`` hypothesis profile. Then ``mutation/gate.py`` computes the
score per module from the per-mutant results and fails below the thresholds.

``--only foundation`` mutates ``_money``, ``_domain``, ``_convert``, ``_checks`` and
``_errors`` (a few minutes); ``--only all`` (the default) every module of ``src/``.
mutmut reuses the results of functions whose code and tests did not change.

Results persist across machines: after each run (finished or interrupted) the decided
mutants are saved to ``mutation/results.json`` (committed; see ``mutation/store.py``) and
restored into a new scratch copy before the next, so a run over all of ``src/``, longer
than one sitting on two cores, resumes where the last one stopped (``--minutes N`` ends a
run on time, as Ctrl-C would). mutmut keeps a decided result while its function is
unchanged, even when new tests would now kill it: ``--retry-undetected`` re-runs the
survivors, then (in the same sitting's setup) the mutants not checked yet. After any change to what the tests run (``src/``, ``tests/``, docs pages)
mutmut's stats (which tests each mutant runs) are collected afresh, about 3 minutes:
mutmut itself would add only new tests. Before mutmut runs, ``mutation/typecheck.py``
records every mutant that ``mypy --strict`` catches, and ``mutation/doctests.py`` every
mutant a docstring's example catches (as the README's test command would), on the last
run's mutated tree: mutmut does not run those. ``--sample`` runs only the
random sample of each module's mutants that ``gate.py --sample`` estimates the scores from
(about one sitting), ``--gate-only`` scores the saved results without running mutmut.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Final

HERE: Final = Path(__file__).resolve().parent
ROOT: Final = HERE.parent
WORK: Final = ROOT / "mutants" / "work"

# What the tests need besides src/ and tests/ (docs pages, fuzz harnesses, these scripts).
COPIED: Final = (
    "src",
    "tests",
    "fuzz",
    "docs",
    "mutation",
    "pyproject.toml",
    "CHANGELOG.md",
    "README.md",
)

# Appended to the scratch copy's tests/conftest.py (never to the project's). The library
# builds some things once and caches them (from_dict's converters, functools.cache), and
# so do test modules (a portfolio built once, a conformance check's outcome shared by the
# tests that read it). mutmut runs its stats and the clean run in its own process and
# forks each mutant's run from it: the caches hold what the original code computed, so a
# mutant reached only through a cache would never run and would "survive" every test (and
# the stats would link the function to the first test that filled the cache only).
# Clearing every cache of the library's and the tests' modules before each test makes it
# run. The caches are found again only when a module was imported since (walking every
# module's names took a few milliseconds per test, and a surviving mutant runs hundreds
# of tests).
FRESH_CACHES: Final = """

# --- added by mutation/run.py: see FRESH_CACHES there -----------------------------------
import os as _os
import sys as _sys

import pytest as _pytest

_mutation_caches: list = []
_mutation_modules_seen = [0]
_mutation_tests = _os.path.dirname(_os.path.realpath(__file__)) + _os.sep


def _mutation_ours(name: str, module: object) -> bool:
    # The library's modules, and the tests' (their helpers too).
    if name.startswith("custadvocacy"):
        return True
    path = getattr(module, "__file__", None)
    return isinstance(path, str) and _os.path.realpath(path).startswith(_mutation_tests)


@_pytest.fixture(autouse=True)
def _mutation_fresh_caches() -> None:
    if len(_sys.modules) != _mutation_modules_seen[0]:
        _mutation_modules_seen[0] = len(_sys.modules)
        _mutation_caches[:] = [
            _value
            for _name, _module in list(_sys.modules.items())
            if _module is not None and _mutation_ours(_name, _module)
            for _value in list(vars(_module).values())
            if callable(getattr(_value, "cache_clear", None))
        ]
    for _cache in _mutation_caches:
        _cache.cache_clear()
"""

# Appended too. mutmut forks each mutant's pytest run from a process that has collected
# every test: a heap of millions of objects, which each garbage collection in the child
# walks again (pytest's own collections at exit cost 0.35 s per mutant, as much as a killed
# mutant's tests). Frozen, the inherited objects are skipped; the child's own are collected.
FROZEN_HEAP: Final = """

# --- added by mutation/run.py: see FROZEN_HEAP there ------------------------------------
import gc as _gc


def pytest_configure() -> None:
    _gc.freeze()
"""

# Appended too. mutmut hands each mutant's run its linked tests in a set's order (a
# different one in every run) and stops at the first failure, so a mutant that a quick test
# kills often waited for slow ones first (a killed mutant took 6 s on average, its median
# 0.6 s). Sorted by the durations mutmut measured, quickest first (ties and unmeasured tests
# keep pytest's order): the same order in every run, and the killing test sooner. The
# durations are read once, by the first collection that finds mutmut's stats (the fork
# server's), and every mutant's process inherits them.
FASTEST_FIRST: Final = """

# --- added by mutation/run.py: see FASTEST_FIRST there ----------------------------------
import json as _json
from pathlib import Path as _Path

import pytest as _pytest

_mutation_durations: dict = {}


@_pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list) -> None:
    if not _mutation_durations:
        _stats = _Path("mutmut-stats.json")
        if _stats.exists():
            _durations = _json.loads(_stats.read_text(encoding="utf-8"))["duration_by_test"]
            _mutation_durations.update(_durations)
    items.sort(key=lambda _item: _mutation_durations.get(_item.nodeid, 0.0))
"""

# Appended last. A mutant can make a solver allocate without end (one took 13 GB of this
# machine's 24 before its time ran out): two at once could take the machine down. Each test
# process may map at most MEMORY_LIMIT; beyond it numpy and Python raise MemoryError, the
# test fails and the mutant counts as detected (unmutated, the whole suite stays under 1 GB).
MEMORY_LIMIT: Final = 8 * 2**30
LIMITED_MEMORY: Final = f"""

# --- added by mutation/run.py: see LIMITED_MEMORY there ---------------------------------
import resource as _resource

_, _hard = _resource.getrlimit(_resource.RLIMIT_AS)
_soft = {MEMORY_LIMIT} if _hard == _resource.RLIM_INFINITY else min({MEMORY_LIMIT}, _hard)
_resource.setrlimit(_resource.RLIMIT_AS, (_soft, _hard))
"""

# mutmut's command line, with Ctrl-C (SIGINT) raising KeyboardInterrupt again: a job started
# in the background ("... &") inherits SIGINT ignored, and then neither Ctrl-C nor --minutes
# could stop mutmut the way it stops cleanly (finishing its workers, keeping results).
WITH_CTRL_C: Final = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
MUTMUT: Final = WITH_CTRL_C + "import sys; from mutmut.__main__ import cli; sys.exit(cli())"
_STOP_GRACE_SECONDS: Final = 120

FOUNDATION: Final = (
    "src/custadvocacy/_money.py",
    "src/custadvocacy/_domain.py",
    "src/custadvocacy/_convert/*",
    "src/custadvocacy/_checks.py",
    "src/custadvocacy/_errors.py",
)


def _sync() -> None:
    """Refresh the scratch copy (replacing files, so deleted ones do not linger)."""
    WORK.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source, target = ROOT / name, WORK / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "_build", "*.pyc")
            shutil.copytree(source, target, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target)
    with (WORK / "tests" / "conftest.py").open("a", encoding="utf-8") as conftest:
        conftest.write(FRESH_CACHES + FROZEN_HEAP + FASTEST_FIRST + LIMITED_MEMORY)
    if "[tool.mutmut]" in (WORK / "pyproject.toml").read_text(encoding="utf-8"):
        # mutmut would read it instead of setup.cfg: keep the configuration in one place.
        msg = "pyproject.toml has [tool.mutmut]; the configuration lives in mutation/setup.cfg"
        raise SystemExit(msg)


def _forget_deleted_modules(mutants: Path = WORK / "mutants", root: Path = ROOT) -> list[Path]:
    """Remove mutmut's copies of modules gone from ``src/``; the modules removed.

    mutmut keeps its mutated copy and results of a module it no longer finds (one renamed,
    or split into a package), and the gate would go on scoring them.
    """
    gone = [
        meta.with_suffix("")
        for meta in sorted((mutants / "src").rglob("*.py.meta"))
        if not (root / meta.relative_to(mutants).with_suffix("")).exists()
    ]
    for module in gone:
        for suffix in ("", ".meta", ".spans"):
            Path(f"{module}{suffix}").unlink(missing_ok=True)
    return gone


def _config(only: list[str], tests: list[str]) -> None:
    text = (HERE / "setup.cfg").read_text(encoding="utf-8")
    selection = "pytest_add_cli_args_test_selection=\n    tests\n"
    text = text.replace(
        selection, selection.replace("    tests\n", "".join(f"    {t}\n" for t in tests))
    )
    if only:
        text += "only_mutate=\n" + "".join(f"    {path}\n" for path in only)
    target = WORK / "setup.cfg"
    stats = WORK / "mutants" / "mutmut-stats.json"
    if target.exists() and target.read_text(encoding="utf-8") != text and stats.exists():
        # mutmut would reset every saved result when its pytest arguments change; a new
        # machine, which restores results.json without mutmut's stats, keeps them. Behave
        # the same here: forget the stats (rebuilt by the run), keep the results.
        stats.unlink()
        sys.stdout.write(
            "mutation/setup.cfg changed: results kept; --retry-undetected re-runs survivors\n"
        )
    target.write_text(text, encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--only",
        nargs="*",
        default=["all"],
        help="'foundation', 'all', or source paths such as src/custadvocacy/_money.py",
    )
    parser.add_argument(
        "--tests",
        nargs="*",
        default=["tests"],
        help="test files or directories the mutants run against (default: all of tests/)",
    )
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant runs")
    parser.add_argument("--gate-only", action="store_true", help="score the last run only")
    parser.add_argument(
        "--minutes",
        type=float,
        default=None,
        help="stop mutmut after this many minutes, keeping what it decided (the next run "
        "resumes from mutation/results.json); the gate then counts the rest as not checked",
    )
    parser.add_argument(
        "--mutants",
        nargs="*",
        default=[],
        help="re-run only these mutants (names or globs as the gate prints them), e.g. the "
        "survivors after new tests; mutmut keeps every other mutant's last result only if "
        "--tests is the same as in that run (a changed test selection resets every result)",
    )
    parser.add_argument(
        "--sample",
        action="store_true",
        help="run only the random sample the gate's estimate reads (gate.py --sample): "
        "the sampled mutants not detected yet, never checked or undetected; then print "
        "the estimate",
    )
    parser.add_argument(
        "--retry-undetected",
        action="store_true",
        help="re-run the mutants the saved results leave undetected (survived, no tests, "
        "suspicious), e.g. after new tests: mutmut keeps a decided result while its "
        "function is unchanged, whatever tests were added since; then, time allowing, "
        "the mutants not checked yet, as a plain run would",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run mutmut, then the gate; the exit status is the gate's (or mutmut's failure)."""
    args = _parser().parse_args(argv)
    only: list[str] = []
    for item in args.only:
        if item == "foundation":
            only.extend(FOUNDATION)
        elif item != "all":
            only.append(item)
    store = _load("store")
    mutants = WORK / "mutants"
    if not args.gate_only:
        _forget_other_selection(only, store)
    _restore(mutants, store)
    if not args.gate_only:
        failed = _mutate(args, only, store)
        if failed:
            return failed
    digest, _ = store.load()
    if digest and digest != store.source_digest(ROOT / "src"):
        sys.stdout.write(
            "note: src/ changed since these results were saved; a run re-checks the mutants "
            "of changed functions and keeps the rest\n"
        )
    gate = _load("gate")
    if args.sample:
        gate.main(["--mutants", str(mutants), "--sample"])
    return int(gate.main(["--mutants", str(mutants)]))


def _restore(mutants: Path, store: ModuleType, root: Path = ROOT) -> None:
    """Bring ``mutants`` up to the committed results, without a module gone from ``src/``.

    Forgotten after the restore: results saved before a module was split would otherwise
    come back as its ``.meta`` and be scored (and saved) again.
    """
    restored = store.restore(mutants)
    for module in _forget_deleted_modules(mutants, root):
        sys.stdout.write(f"forgot {module.relative_to(mutants)}: gone from src/\n")
    if restored:
        sys.stdout.write(f"restored {restored} mutants' results from {store.RESULTS.name}\n")


def _mutate(args: argparse.Namespace, only: list[str], store: ModuleType) -> int:
    """Run mutmut in the scratch copy and save its results; mutmut's failure, or 0."""
    mutants = WORK / "mutants"
    _decide_without_tests(mutants)
    names = list(args.mutants)
    for wanted, select, what in (
        (args.retry_undetected, undetected, "undetected mutants"),
        (args.sample, sampled_not_detected, "sampled mutants not detected yet"),
    ):
        if wanted:
            chosen = select(mutants, _load("gate"))
            sys.stdout.write(f"running {len(chosen)} {what}\n")
            names += chosen
    if args.sample and not names:
        return 0  # without names mutmut would run every mutant not checked yet
    _sync()
    _config(only, args.tests)
    _forget_stale_stats()
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation"}
    env.pop("CI", None)  # CI selects the 300-example profile; mutants need few examples
    start = time.monotonic()
    cmd = [sys.executable, "-c", MUTMUT, "run", "--max-children", str(args.max_children)]

    def left() -> float | None:
        spent = (time.monotonic() - start) / 60
        return None if args.minutes is None else max(args.minutes - spent, 0.1)

    try:
        returncode, stopped = _run_mutmut([*cmd, *names], args.minutes, env)
        if args.sample and not stopped and returncode == 0:
            # mutmut starts a changed function's mutants over when it makes them, after
            # the sample was drawn: run the sampled ones it reset (detected before).
            reset = [n for n in sampled_not_detected(mutants, _load("gate")) if n not in names]
            if reset:
                sys.stdout.write(f"running {len(reset)} sampled mutants of changed functions\n")
                returncode, stopped = _run_mutmut([*cmd, *reset], left(), env)
        elif args.retry_undetected and names and not stopped and returncode == 0:
            # Then what a plain run would do, on the same stats and type check: the mutants
            # not checked yet, those of functions changed since the last run among them.
            sys.stdout.write("then the mutants not checked yet\n")
            returncode, stopped = _run_mutmut(cmd, left(), env)
    finally:  # an interrupted run keeps what it decided: mutmut saves after each mutant
        saved = store.save(mutants, WORK / "src")
        sys.stdout.write(f"{saved} mutants' results saved to {store.RESULTS}\n")
    minutes = (time.monotonic() - start) / 60
    sys.stdout.write(f"mutmut run: exit {returncode} after {minutes:.1f} min\n")
    return 0 if stopped else returncode


def _decide_without_tests(mutants: Path) -> None:
    """Record what ``mypy --strict`` and the docstrings' examples catch: no test need run.

    mutation/typecheck.py, then mutation/doctests.py (on what the type check left). On the
    mutated tree of the last run, before mutants are chosen, so that a retry skips the
    survivors they catch; mutmut starts a function changed since over anyway, and its new
    mutants are checked so at the next run.
    """
    # A new machine's tree holds only the results store.restore wrote until mutmut makes
    # the mutated copies: nothing to check yet.
    if any((mutants / "src").rglob("*.py")):
        caught = _load("typecheck").record(mutants)
        sys.stdout.write(f"type check: {caught} mutants caught by mypy --strict, recorded\n")
        killed = _load("doctests").record(mutants)
        sys.stdout.write(f"doctests: {killed} mutants killed by an example, recorded\n")


def _forget_stale_stats() -> None:
    """Have mutmut link the tests to the functions they call afresh after any change.

    mutmut 3 collects its stats (which tests call each function, so which tests a mutant
    runs) in full only when it has none; later runs add only *new* tests. A function added
    or changed later stays linked to the tests added after it, and its mutants then run too
    few tests and may "survive" tests that kill them: 31 mutants of ``batch/_errors.py``'s
    message helpers did, each linked to 1 of the 40 tests that build its message. A full
    collection takes about 3 minutes on two cores.
    """
    digest = _copied_digest()
    record = WORK / "stats-of.txt"
    stats = WORK / "mutants" / "mutmut-stats.json"
    recorded = record.read_text(encoding="utf-8") if record.exists() else None
    if stats.exists() and recorded != digest:
        stats.unlink()
        sys.stdout.write("src/, tests/ or docs changed: mutmut links every test afresh\n")
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(digest, encoding="utf-8")


def _copied_digest() -> str:
    """A digest of what the tests run (all of ``COPIED`` but these scripts and results).

    Not only ``.py`` files: tests run the README's and the docs pages' examples too.
    """
    files: list[Path] = []
    for name in COPIED:
        if name == "mutation":
            continue
        top = ROOT / name
        found = sorted(top.rglob("*")) if top.is_dir() else [top]
        files += [p for p in found if p.is_file() and not {"__pycache__", "_build"} & set(p.parts)]
    return str(_load("store").files_digest(ROOT, files))


def undetected(mutants: Path, gate: ModuleType) -> list[str]:
    """The mutants under ``mutants`` whose last result counts against the score.

    Survived, no tests or suspicious; a mutant never checked is not listed (a plain run
    checks it), nor is a survivor the gate leaves out as equivalent (it would survive again).
    """
    retry = {"survived", "no tests", "suspicious"}
    reviewed = gate.read_reviewed()
    names: list[str] = []
    for module, codes in gate.exit_codes(mutants).items():
        equivalent = gate.survivors_equivalent(mutants, module, codes, reviewed)
        names.extend(
            name
            for name, code in codes.items()
            if gate.classify(code) in retry and name not in equivalent
        )
    return names


def sampled_not_detected(mutants: Path, gate: ModuleType) -> list[str]:
    """The mutants of the gate's random sample (per module) that are not detected yet.

    Never checked, survived, no tests or suspicious: a survivor is run again so that a
    verdict from before newer tests does not lower the estimate (but not one the gate
    leaves out as equivalent).
    """
    reviewed = gate.read_reviewed()
    names: list[str] = []
    for module, by_key in gate.exit_codes(mutants).items():
        counted = [n for n, code in by_key.items() if gate.classify(code) != "skipped"]
        equivalent = gate.survivors_equivalent(mutants, module, by_key, reviewed)
        names.extend(
            n
            for n in gate.sample(counted)
            if gate.classify(by_key[n]) not in gate.DETECTED and n not in equivalent
        )
    return names


def _forget_other_selection(only: list[str], store: ModuleType) -> None:
    """Start the scratch copy's mutants afresh when ``--only`` names other modules.

    mutmut takes a copied file that is newer than its source for one it mutated already,
    so after ``--only foundation`` a run over everything would skip every other module.
    The results so far are saved first and restored after, so none is lost.
    """
    selection = "\n".join(sorted(only)) or "all"
    record = WORK / "only.txt"
    previous = record.read_text(encoding="utf-8") if record.exists() else None
    if previous is not None and previous != selection and (WORK / "mutants").exists():
        store.save(WORK / "mutants", WORK / "src")
        shutil.rmtree(WORK / "mutants")
    WORK.mkdir(parents=True, exist_ok=True)
    record.write_text(selection, encoding="utf-8")


def _run_mutmut(cmd: list[str], minutes: float | None, env: dict[str, str]) -> tuple[int, bool]:
    """Run mutmut; after ``minutes``, interrupt it as Ctrl-C would. Its exit code, stopped."""
    with subprocess.Popen(cmd, cwd=WORK, env=env) as process:  # noqa: S603
        try:
            return process.wait(timeout=None if minutes is None else minutes * 60), False
        except subprocess.TimeoutExpired:
            sys.stdout.write(f"\nstopping mutmut after {minutes} min; the next run resumes\n")
            process.send_signal(signal.SIGINT)  # mutmut stops its workers and keeps results
            try:
                return process.wait(timeout=_STOP_GRACE_SECONDS), True
            except subprocess.TimeoutExpired:  # its results are saved after each mutant
                process.terminate()
                return process.wait(), True


def _load(name: str) -> ModuleType:
    """A script beside this one (``gate``, ``store``), loaded by path: it is not installed."""
    path = HERE / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"mutation_{name}", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the file is beside us
        msg = f"cannot load {path}"
        raise SystemExit(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
