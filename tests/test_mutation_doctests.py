"""mutation/doctests.py: a mutant counts as killed only by an example that passes unmutated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _scripts import load_script

doctests = load_script("mutation/doctests.py", "mutation_doctests")

pytest.importorskip("mutmut", reason="the mutation dependency group provides mutmut")

# A package as mutmut writes its mutated tree: each mutated function replaced by a
# trampoline, its original copy and its mutants beside it, all with the same docstring.
MUTATED = '''\
"""A small module. Its own example:

>>> double(1)
2
"""

from mutmut.mutation.trampoline import MutantDict
from mutmut.mutation.trampoline import wrap_in_trampoline as _mutmut_mutated

mutants_x_double__mutmut: MutantDict = {}


@_mutmut_mutated(mutants_x_double__mutmut)
def double(n):
    """Twice n.

    >>> double(2)
    4
    """
    return n * 2


def x_double__mutmut_orig(n):
    """Twice n.

    >>> double(2)
    4
    """
    return n * 2


def x_double__mutmut_1(n):
    """Twice n.

    >>> double(2)
    4
    """
    return n + 2  # right for 2, wrong for 1: the module's example catches it


def x_double__mutmut_2(n):
    """Twice n.

    >>> double(2)
    4
    """
    return n * 3


def x_double__mutmut_3(n):
    """Twice n.

    >>> double(2)
    4
    """
    return n * 2.0  # 4.0 for 4, 2.0 for 2: both examples fail


def x_double__mutmut_4(n):
    """Twice n.

    >>> double(2)
    4
    """
    return 5 if n == 2 else n * 2  # the function's own example catches it


mutants_x_double__mutmut["_mutmut_orig"] = x_double__mutmut_orig
mutants_x_double__mutmut["x_double__mutmut_1"] = x_double__mutmut_1
mutants_x_double__mutmut["x_double__mutmut_2"] = x_double__mutmut_2
mutants_x_double__mutmut["x_double__mutmut_3"] = x_double__mutmut_3
mutants_x_double__mutmut["x_double__mutmut_4"] = x_double__mutmut_4

mutants_x_half__mutmut: MutantDict = {}


@_mutmut_mutated(mutants_x_half__mutmut)
def half(n):
    """Half of n, rounded down: a docstring without an example is no test."""
    return n // 2


def x_half__mutmut_orig(n):
    return n // 2


def x_half__mutmut_1(n):
    return n // 3


mutants_x_half__mutmut["_mutmut_orig"] = x_half__mutmut_orig
mutants_x_half__mutmut["x_half__mutmut_1"] = x_half__mutmut_1

mutants_x_noisy__mutmut: MutantDict = {}


@_mutmut_mutated(mutants_x_noisy__mutmut)
def noisy():
    """Fails with no mutant: left out, or it would kill every mutant it calls.

    >>> noisy()
    'something else'
    """
    return double(0)


def x_noisy__mutmut_orig():
    """Fails with no mutant: left out, or it would kill every mutant it calls.

    >>> noisy()
    'something else'
    """
    return double(0)


def x_noisy__mutmut_1():
    """Fails with no mutant: left out, or it would kill every mutant it calls.

    >>> noisy()
    'something else'
    """
    return None


mutants_x_noisy__mutmut["_mutmut_orig"] = x_noisy__mutmut_orig
mutants_x_noisy__mutmut["x_noisy__mutmut_1"] = x_noisy__mutmut_1
'''

M = "custadvocacy.m"


def _tree(root: Path, codes: dict[str, int | None]) -> Path:
    package = root / "src" / "custadvocacy"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "m.py").write_text(MUTATED, encoding="utf-8")
    # pytest does not collect __main__.py, so neither does the pass: this would kill them all.
    main = '"""The command line.\n\n>>> from custadvocacy.m import double\n>>> double(1)\n7\n"""\n'
    (package / "__main__.py").write_text(main, encoding="utf-8")
    meta = {"exit_code_by_key": codes, "durations_by_key": {}}
    (package / "m.py.meta").write_text(json.dumps(meta), encoding="utf-8")
    return root


def _codes(root: Path) -> dict[str, object]:
    data = json.loads((root / "src/custadvocacy/m.py.meta").read_text(encoding="utf-8"))
    # mutmut refuses a .meta file with keys of its own: the pass adds none
    assert set(data) == {"exit_code_by_key", "durations_by_key"}
    codes: dict[str, object] = data["exit_code_by_key"]
    log = root / doctests.LOG
    failures = json.loads(log.read_text(encoding="utf-8"))["killed"] if log.exists() else None
    return {**codes, "failures": failures}


@pytest.mark.parametrize("jobs", [1, 3])
def test_an_example_kills_the_mutants_it_catches_and_only_those(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], jobs: int
) -> None:
    root = _tree(
        tmp_path,
        {
            f"{M}.x_double__mutmut_1": None,  # not checked: the module's example kills it
            f"{M}.x_double__mutmut_2": 0,  # a survivor of the tests: killed
            f"{M}.x_double__mutmut_3": 37,  # caught by the type check: kept
            f"{M}.x_double__mutmut_4": 0,
            f"{M}.x_half__mutmut_1": None,  # no example calls half(): not reached
            f"{M}.x_noisy__mutmut_1": 5,  # only a failing example calls noisy(): kept
        },
    )
    assert doctests.record(root, jobs=jobs) == 3
    assert capfd.readouterr().err.splitlines() == [
        "doctests: 3 examples, 1 left out (they fail unmutated), 1 mutated functions called",
        "doctests: 3 of 5 mutants reached, 3 killed",
    ]
    codes = _codes(root)
    # Both examples catch mutant 2; the quicker runs first, and which that is may vary.
    failures = codes["failures"]
    assert isinstance(failures, dict)
    assert failures.pop(f"{M}.x_double__mutmut_2") in {M, f"{M}.double"}
    assert codes == {
        f"{M}.x_double__mutmut_1": 1,
        f"{M}.x_double__mutmut_2": 1,
        f"{M}.x_double__mutmut_3": 37,
        f"{M}.x_double__mutmut_4": 1,
        f"{M}.x_half__mutmut_1": None,
        f"{M}.x_noisy__mutmut_1": 5,
        "failures": {
            f"{M}.x_double__mutmut_1": M,  # double(1) is 3
            f"{M}.x_double__mutmut_4": f"{M}.double",
        },
    }


def test_a_mutant_tried_on_the_same_tree_is_not_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path, {f"{M}.x_double__mutmut_2": None, f"{M}.x_half__mutmut_1": None})
    assert doctests.record(root) == 1
    workers: list[list[str]] = []

    def fake_worker(_root: Path, names: list[str], _jobs: int) -> dict[str, str]:
        workers.append(names)
        return {}

    monkeypatch.setattr(doctests, "_run_worker", fake_worker)
    assert doctests.record(root) == 0
    assert workers == []  # half's mutant was tried on this tree: no example reaches it
    with (root / "src" / "custadvocacy" / "m.py").open("a", encoding="utf-8") as module:
        module.write("# mutmut wrote the tree anew\n")
    assert doctests.record(root) == 0
    assert workers == [[f"{M}.x_half__mutmut_1"]]


def test_a_dry_run_counts_without_recording(tmp_path: Path) -> None:
    codes: dict[str, int | None] = {f"{M}.x_double__mutmut_2": None}
    root = _tree(tmp_path, codes)
    assert doctests.record(root, dry_run=True) == 1
    assert _codes(root) == {**codes, "failures": None}


def test_nothing_to_decide_starts_no_worker(tmp_path: Path) -> None:
    root = _tree(tmp_path, {f"{M}.x_double__mutmut_2": 1})
    assert doctests.record(root) == 0


def test_a_tree_whose_package_is_not_imported_stops_the_pass(tmp_path: Path) -> None:
    root = _tree(tmp_path, {f"{M}.x_double__mutmut_2": None})
    (root / "src" / "custadvocacy" / "__init__.py").write_text("import no_such_module\n")
    with pytest.raises(SystemExit, match="the doctest worker failed"):
        doctests.record(root)


def test_an_example_failing_only_in_a_child_stops_the_pass(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, {f"{M}.x_double__mutmut_2": None})
    # Passes in the worker, fails under a child's memory limit: were it run for a mutant,
    # it would pass for a kill.
    limits = (
        '"""Not in a child.\n\n>>> import resource\n'
        ">>> resource.getrlimit(resource.RLIMIT_AS)[0] != 4 * 2**30\nTrue\n"
        '"""\n'
    )
    (root / "src" / "custadvocacy" / "limits.py").write_text(limits, encoding="utf-8")
    with pytest.raises(SystemExit, match="the doctest worker failed"):
        doctests.record(root)
    message = "the example custadvocacy.limits fails in a child with no mutant active"
    assert message in capfd.readouterr().err
    assert _codes(root)[f"{M}.x_double__mutmut_2"] is None
