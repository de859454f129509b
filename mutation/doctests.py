"""The mutation run's doctest pass: the examples in the docstrings, before the tests.

``python mutation/doctests.py [MUTANTS] [--dry-run]`` (``mutation/run.py`` does it before
each run, after the type check)

The README's test command runs the docstrings' examples (``--doctest-modules``), but
mutmut's runs leave them out (they re-import whole modules for every mutant). So a mutant
only an example catches was counted as a survivor, or waited hours for the tests of a slow
module: ``_packed``'s example catches ``span - 1``, which no test told apart. This pass
runs the examples over mutmut's mutated tree (``mutants/work/mutants``) and records each
mutant an example catches as killed (exit code 1 in its ``.meta`` file; the failing
example in ``doctests.json`` beside the tree). Like the type check, it overwrites only a
mutant not checked yet, a survivor and one without tests.

How, in a worker process with the mutated tree first on its path:

1. Every module's examples, as ``pytest --doctest-modules`` collects them: the tree holds
   each function's docstring once per copy (``x_name__mutmut_orig``, ``x_name__mutmut_N``)
   and once on the trampoline in its place; only the trampoline's example is kept.
2. Each example runs once with no mutant active, with a profile hook recording the
   functions it calls (their original copies); an example that fails here, or on a second
   run, is left out (it would catch every mutant).
3. Each mutant whose function an example calls runs those examples in a child forked from
   the worker, with the mutant active (``MUTANT_UNDER_TEST``, as mutmut's trampolines read
   it), warnings as errors and the library's caches cleared, as in the suite. A failing
   example kills it; one that takes too long decides nothing (mutmut will run it). First,
   every example runs in such a child with no mutant active, so that the child's limits
   cannot pass for a kill.

Over this tree the pass takes minutes where mutmut's runs of the same mutants take hours.
"""

from __future__ import annotations

import argparse
import doctest
import hashlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any, Final

KILLED: Final = 1  # mutmut's exit code for a mutant its tests killed
# Verdicts the pass may replace: not checked, survived, no tests (mutmut's codes).
REPLACEABLE: Final = frozenset({None, 0, 5, 33})
PACKAGE: Final = "custadvocacy"
FLAGS: Final = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS  # pyproject.toml's
MEMORY_LIMIT: Final = 4 * 2**30  # a mutant allocating without end fails its example
MIN_SECONDS: Final = 10.0  # a child's time limit: this plus 20 times the examples' time
# Examples run per mutant, at most: a survivor of the 20 most pertinent rarely falls to the
# 200 others that call a common function (Money's), and mutmut runs it anyway.
MOST_EXAMPLES: Final = 20
PROGRESS: Final = 250  # mutants between two progress lines
JOBS: Final = os.cpu_count() or 1  # children at a time
LOG: Final = "doctests.json"  # beside the tree: the mutants tried on it, what killed each

_COPY: Final = re.compile(r"__mutmut_(?:\d+|orig)\b")
_ORIGINAL: Final = "__mutmut_orig"


def candidates(root: Path) -> dict[str, int | None]:
    """Each mutant the pass may decide (see :data:`REPLACEABLE`), with its verdict now."""
    found: dict[str, int | None] = {}
    for meta in sorted((root / "src").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found.update({name: code for name, code in codes.items() if code in REPLACEABLE})
    return found


def function_of(mutant: str) -> str:
    """The mutated function's key: ``m.x_f__mutmut_3`` -> ``m.x_f``.

    >>> function_of("custadvocacy._engine.xǁWorkspaceǁ__init____mutmut_74")
    'custadvocacy._engine.xǁWorkspaceǁ__init__'
    """
    return mutant.rpartition("__mutmut_")[0]


def tree_digest(root: Path) -> str:
    """A digest of the mutated tree's sources: mutmut writes them anew after any change."""
    digest = hashlib.sha256()
    for path in sorted((root / "src").rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def record(root: Path, *, dry_run: bool = False, jobs: int = JOBS) -> int:
    """Run the pass over the mutated tree ``root`` and record its kills; how many.

    Each kill is an exit code in the mutant's ``.meta`` file (mutmut refuses other keys
    there); the example that caught it is kept in :data:`LOG`, beside the tree, with
    every mutant the pass tried on this very tree: those are not tried again (their
    examples and their code are the same, so is the outcome).
    """
    digest = tree_digest(root)
    log_file = root / LOG
    tried: set[str] = set()
    caught: dict[str, str] = {}
    if log_file.exists():
        saved = json.loads(log_file.read_text(encoding="utf-8"))
        if saved["digest"] == digest:
            tried, caught = set(saved["tried"]), saved["killed"]
    pending = sorted(name for name in candidates(root) if name not in tried)
    if not pending:
        return 0
    killed = _run_worker(root, pending, jobs)
    if dry_run:
        return len(killed)
    recorded = 0
    for meta in sorted((root / "src").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes: dict[str, int | None] = data["exit_code_by_key"]
        mine = [name for name in codes if name in killed and codes[name] in REPLACEABLE]
        if mine:
            codes.update(dict.fromkeys(mine, KILLED))
            meta.write_text(json.dumps(data, indent=1), encoding="utf-8")
            recorded += len(mine)
    saved = {"digest": digest, "tried": sorted(tried.union(pending)), "killed": caught | killed}
    log_file.write_text(json.dumps(saved, indent=1, sort_keys=True), encoding="utf-8")
    return recorded


def _run_worker(root: Path, names: list[str], jobs: int) -> dict[str, str]:
    """The worker's verdicts: each killed mutant and the example that caught it."""
    env = {
        **os.environ,
        "PYTHONPATH": str(root / "src"),
        "OPENBLAS_NUM_THREADS": "1",  # no BLAS threads in a process that forks
        "HYPOTHESIS_PROFILE": "mutation",
    }
    env.pop("MUTANT_UNDER_TEST", None)
    worker = subprocess.run(  # noqa: S603 - this script, run by the interpreter running it
        [sys.executable, __file__, "--worker", str(root), "--jobs", str(jobs)],
        input=json.dumps(names),
        stdout=subprocess.PIPE,  # its verdicts; its progress goes to stderr as it comes
        text=True,
        check=False,
        cwd=root,
        env=env,
    )
    if worker.returncode != 0:
        msg = f"the doctest worker failed (exit {worker.returncode}); its output is above"
        raise SystemExit(msg)
    killed: dict[str, str] = json.loads(worker.stdout)
    return killed


# ----------------------------------------------------------------------- the worker


def _modules(root: Path) -> list[ModuleType]:
    """Every module of the package in the mutated tree, imported (optional ones skipped)."""
    import importlib  # noqa: PLC0415 - the worker's own, after its path is set

    base = root / "src"
    modules = []
    for path in sorted((base / PACKAGE).rglob("*.py")):
        dotted = ".".join(path.relative_to(base).with_suffix("").parts)
        try:
            modules.append(importlib.import_module(dotted.removesuffix(".__init__")))
        except ImportError as exc:  # an optional dependency this environment lacks
            sys.stderr.write(f"doctests: {dotted} not imported ({exc})\n")
    return modules


def examples(modules: Iterable[ModuleType]) -> list[doctest.DocTest]:
    """Each module's examples as pytest collects them: one per docstring, not one per copy.

    A docstring without an example is no test; pytest leaves ``__main__.py`` out.

    The trampoline mutmut puts in a function's place carries its docstring and its module
    (``functools.wraps``), so the finder collects it under the function's own name; the
    copies' examples (``x_name__mutmut_orig``, ``x_name__mutmut_N``) are left out.
    """
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [
        test
        for module in modules
        if not module.__name__.endswith(".__main__")  # pytest does not collect __main__.py
        for test in finder.find(module, module.__name__)
        if test.examples and _COPY.search(test.name) is None
    ]


def caches(modules: Iterable[ModuleType]) -> list[Callable[[], None]]:
    """The ``cache_clear`` of each ``functools`` cache in ``modules``.

    Found once: the mutated modules hold tens of thousands of names each.
    """
    found = []
    for module in modules:
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                found.append(clear)
    return found


class Examples:
    """The tree's examples that pass unmutated, the functions each calls, and their times."""

    def __init__(self, modules: list[ModuleType], log: Callable[[str], object]) -> None:
        """Collect the examples of ``modules`` and run each unmutated (twice); ``log`` counts."""
        self._clears = caches(modules)
        self._globs: dict[str, dict[str, Any]] = {}
        self.seconds: dict[str, float] = {}
        self.by_function: defaultdict[str, list[doctest.DocTest]] = defaultdict(list)
        found = self._tests = examples(modules)
        for test in found:
            self._globs[test.name] = dict(test.globs)
            called, spent = self._calls(test)
            # One that fails unmutated (or only once) would "kill" every mutant it calls.
            if called is not None and self.passes(test):
                self.seconds[test.name] = spent
                for function in called:
                    self.by_function[function].append(test)
        log(
            f"doctests: {len(found)} examples, {len(found) - len(self.seconds)} left out (they "
            f"fail unmutated), {len(self.by_function)} mutated functions called\n"
        )

    def passes(self, test: doctest.DocTest) -> bool:
        """Run ``test``; whether every example of it passed.

        On a fresh copy of its module's names, the caches emptied first (a result cached
        before would hide a mutant's code).
        """
        test.globs = dict(self._globs[test.name])
        for clear in self._clears:
            clear()
        runner = doctest.DocTestRunner(optionflags=FLAGS)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = runner.run(test, out=lambda _text: None)
        return result.failed == 0

    def _calls(self, test: doctest.DocTest) -> tuple[set[str] | None, float]:
        """The mutated functions ``test`` calls unmutated (None when it fails), its time."""
        called: set[str] = set()

        def hook(frame: FrameType, event: str, _arg: object) -> None:
            name = frame.f_code.co_name
            if event == "call" and name.endswith(_ORIGINAL):
                called.add(f"{frame.f_globals.get('__name__')}.{name.removesuffix(_ORIGINAL)}")

        start = time.perf_counter()
        sys.setprofile(hook)
        try:
            passed = self.passes(test)
        finally:
            sys.setprofile(None)
        return (called if passed else None), time.perf_counter() - start

    def chosen(self, mutant: str) -> list[doctest.DocTest]:
        """The examples to run for ``mutant``: those calling its function.

        At most :data:`MOST_EXAMPLES`: its own module's first, then the quickest.
        """
        module = mutant.partition(".x")[0]
        tests = self.by_function.get(function_of(mutant), [])
        ranked = sorted(
            tests, key=lambda t: (not t.name.startswith(module), self.seconds[t.name], t.name)
        )
        return ranked[:MOST_EXAMPLES]

    def killers(self, mutants: Iterable[str], jobs: int) -> Iterator[tuple[str, str | None]]:
        """Each mutant and the first example that fails with it active, or None.

        Each runs in a forked child, ``jobs`` at a time; None also when a child runs out of
        time (mutmut will run that mutant). In the order the children end.
        """
        running: dict[int, tuple[str, int]] = {}
        for mutant in mutants:
            if len(running) >= jobs:
                yield self._finish(running)
            pid, read = self._start(mutant, self.chosen(mutant))
            running[pid] = (mutant, read)
        while running:
            yield self._finish(running)

    def check_children(self) -> None:
        """Run every example in a child with no mutant active; SystemExit if one fails.

        A child runs under limits the worker does not (memory, time, no output): were
        an example to fail there unmutated, it would "kill" every mutant it runs for.
        """
        tests = sorted((t for t in self._tests if t.name in self.seconds), key=lambda t: t.name)
        pid, read = self._start("", tests)
        _, failed = self._finish({pid: ("", read)})
        if failed is not None:
            msg = f"the example {failed} fails in a child with no mutant active"
            raise SystemExit(msg)

    def _start(self, mutant: str, tests: list[doctest.DocTest]) -> tuple[int, int]:
        """Fork a child running ``tests`` with ``mutant`` active: its pid and its pipe."""
        limit = MIN_SECONDS + 20 * sum(self.seconds[t.name] for t in tests)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            code = 0
            try:
                self._child(mutant, tests, limit, write)
            except BaseException:  # noqa: BLE001 - whatever the mutant does, the child reports
                code = 3
            os._exit(code)
        os.close(write)
        return pid, read

    @staticmethod
    def _finish(running: dict[int, tuple[str, int]]) -> tuple[str, str | None]:
        """Wait for one of the ``running`` children to end; its mutant and failing example."""
        pid, status = os.wait()
        mutant, read = running.pop(pid)
        with os.fdopen(read, "rb") as pipe:  # its one short write fits in the pipe's buffer
            failed = pipe.read().decode()
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            return mutant, failed or None
        return mutant, None

    def _child(self, mutant: str, tests: list[doctest.DocTest], limit: float, write: int) -> None:
        signal.alarm(max(1, round(limit)))  # the default action ends the child
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        devnull = os.open(os.devnull, os.O_WRONLY)  # what the mutated code prints goes nowhere
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.environ["MUTANT_UNDER_TEST"] = mutant
        for test in tests:
            if not self.passes(test):
                os.write(write, test.name.encode())
                break
        os.close(write)


def worker(root: Path, names: list[str], jobs: int, log: Callable[[str], object]) -> dict[str, str]:
    """In the worker process: each mutant of ``names`` an example kills, and that example."""
    import custadvocacy  # noqa: PLC0415 - from the mutated tree, by the worker's path

    if not Path(custadvocacy.__file__).resolve().is_relative_to(root.resolve()):
        msg = f"custadvocacy comes from {custadvocacy.__file__}, not from the tree {root}"
        raise SystemExit(msg)
    found = Examples(_modules(root), log)
    found.check_children()
    reached = [name for name in names if function_of(name) in found.by_function]
    killed = {}
    for done, (name, failed) in enumerate(found.killers(reached, jobs), 1):
        if failed is not None:
            killed[name] = failed
        if done % PROGRESS == 0:
            log(f"doctests: {done} of {len(reached)} run, {len(killed)} killed\n")
    log(f"doctests: {len(reached)} of {len(names)} mutants reached, {len(killed)} killed\n")
    return killed


def main(argv: list[str]) -> int:
    """Record the pass's kills in the mutated tree (by default run.py's); see the module."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mutants", nargs="?", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="count the kills, record none")
    parser.add_argument("--jobs", type=int, default=JOBS, help="children at a time")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        names = json.loads(sys.stdin.read())
        killed = worker(args.worker, names, args.jobs, sys.stderr.write)
        sys.stdout.write(json.dumps(killed))
        return 0
    root = args.mutants or Path(__file__).resolve().parent.parent / "mutants/work/mutants"
    found = record(root, dry_run=args.dry_run, jobs=args.jobs)
    what = "would be killed" if args.dry_run else "killed, recorded"
    sys.stdout.write(f"doctests: {found} mutants {what}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
