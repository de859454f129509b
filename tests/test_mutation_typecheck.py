"""mutation/typecheck.py: the errors mutmut's type check hears are the mutants' own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _scripts import load_script

typecheck = load_script("mutation/typecheck.py", "mutation_typecheck")
SCRIPT = Path(__file__).resolve().parent.parent / "mutation" / "typecheck.py"

# A mutated module as mutmut writes it: each function's original copy and its mutants.
MUTATED = """\
from typing import Any


def x_total__mutmut_orig(items: list[int]) -> int:
    return sum(items)  # 5


def x_total__mutmut_1(items: list[int]) -> int:
    return sum(None)  # 9


def x_total__mutmut_2(items: list[int]) -> int:
    def inner() -> int:
        return sum(items, None)  # 14
    return inner()


def x_total__mutmut_3(items: list[int]) -> int:
    return sum(items) + 0  # 19


class Box:
    def xǁBoxǁput__mutmut_orig(self, value: Any) -> None:
        self.value: int = value  # 24

    def xǁBoxǁput__mutmut_1(self, value: Any) -> None:
        self.value: int = value  # 27


def helper() -> int:
    return "not mutated"  # 31
"""


def error(line: int, code: str, message: str, file: str = "src/m.py") -> dict[str, Any]:
    return {"file": file, "line": line, "code": code, "message": message, "severity": "error"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text(MUTATED, encoding="utf-8")
    return tmp_path


def test_only_the_outermost_mutant_functions_are_spans() -> None:
    spans = typecheck.mutant_functions(MUTATED)
    assert [name for _, _, name in spans] == [
        "x_total__mutmut_orig",
        "x_total__mutmut_1",
        "x_total__mutmut_2",
        "x_total__mutmut_3",
        "xǁBoxǁput__mutmut_orig",
        "xǁBoxǁput__mutmut_1",
    ]
    first, last, _ = spans[2]
    assert (first, last) == (12, 15)  # inner() is part of mutant 2


def test_a_mutant_is_caught_by_an_error_its_original_copy_does_not_have(tree: Path) -> None:
    errors = [
        error(9, "arg-type", 'Argument 1 to "sum" has incompatible type "None"'),
        error(14, "call-overload", 'No overload variant of "sum" matches "None"'),
    ]
    kept = list(typecheck.added_by_mutants(errors, tree))
    assert [e["line"] for e in kept] == [9, 14]  # the nested function's error counts too


def test_an_error_every_copy_has_is_not_the_mutants(tree: Path) -> None:
    # Reported in the original and in the mutant alike, with their own names and lines.
    errors = [
        error(24, "misc", 'Name "xǁBoxǁput__mutmut_orig" already defined on line 20'),
        error(27, "misc", 'Name "xǁBoxǁput__mutmut_1" already defined on line 23'),
    ]
    assert list(typecheck.added_by_mutants(errors, tree)) == []


def test_a_second_error_of_the_same_kind_is_news(tree: Path) -> None:
    same = 'Returning Any from function declared to return "int"'
    errors = [
        error(5, "no-any-return", same),
        error(19, "no-any-return", same),
        error(19, "no-any-return", same),
    ]
    assert [e["line"] for e in typecheck.added_by_mutants(errors, tree)] == [19]


def test_comment_codes_notes_and_errors_outside_mutants_are_dropped(tree: Path) -> None:
    errors = [
        error(9, "unused-ignore", 'Unused "type: ignore" comment'),
        error(9, "ignore-without-code", '"type: ignore" comment without error code'),
        {**error(19, "arg-type", "a note about it"), "severity": "note"},
        error(31, "return-value", 'Incompatible return value (got "str", expected "int")'),
    ]
    assert list(typecheck.added_by_mutants(errors, tree)) == []


def test_one_error_per_mutant_in_file_and_line_order(tree: Path) -> None:
    (tree / "src" / "a.py").write_text(MUTATED, encoding="utf-8")
    errors = [
        error(19, "operator", "second of mutant 3"),
        error(9, "arg-type", "first of mutant 1"),
        error(19, "operator", "third of mutant 3"),
        error(9, "arg-type", "again mutant 1"),
        error(9, "arg-type", "in another file", file="src/a.py"),
    ]
    kept = list(typecheck.added_by_mutants(errors, tree))
    assert [(e["file"], e["message"]) for e in kept] == [
        ("src/a.py", "in another file"),
        ("src/m.py", "first of mutant 1"),
        ("src/m.py", "second of mutant 3"),
    ]


def run_script(tree: Path) -> subprocess.CompletedProcess[str]:
    """The script as mutmut runs it: in the mutated tree, ``mypy`` named after it."""
    return subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, str(SCRIPT), "mypy"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tree,
    )


def test_the_script_prints_mypys_json_lines_for_mutmut(tree: Path) -> None:
    # mutmut parses each stdout line as mypy's JSON; here mypy itself checks the tree.
    (tree / "src" / "m.py").write_text(
        "def x_f__mutmut_orig(n: int) -> int:\n    return n\n\n\n"
        "def x_f__mutmut_1(n: int) -> int:\n    return None\n",
        encoding="utf-8",
    )
    done = run_script(tree)
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = done.stdout.splitlines()
    found = json.loads(line)
    assert (found["file"], found["line"], found["code"]) == ("src/m.py", 6, "return-value")


def test_a_mypy_that_fails_is_reported_not_read_as_nothing_caught(tree: Path) -> None:
    (tree / "src" / "m.py").write_text("def broken(:\n", encoding="utf-8")
    done = run_script(tree)
    assert done.returncode != 0
    assert done.stdout.startswith("mypy failed")
