"""mutation/typecheck.py: a mutant counts as caught by mypy only for an error of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _scripts import load_script

typecheck = load_script("mutation/typecheck.py", "mutation_typecheck")

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
    found = typecheck.caught(errors, tree)
    # mutmut's names; the nested function's error counts for the mutant around it
    assert {name: e["line"] for name, e in found.items()} == {
        "m.x_total__mutmut_1": 9,
        "m.x_total__mutmut_2": 14,
    }


def test_an_error_every_copy_has_is_not_the_mutants(tree: Path) -> None:
    # Reported in the original and in the mutant alike, with their own names and lines.
    errors = [
        error(24, "misc", 'Name "xǁBoxǁput__mutmut_orig" already defined on line 20'),
        error(27, "misc", 'Name "xǁBoxǁput__mutmut_1" already defined on line 23'),
    ]
    assert typecheck.caught(errors, tree) == {}
    errors[0] = error(24, "misc", "something else")
    assert list(typecheck.caught(errors, tree)) == ["m.xǁBoxǁput__mutmut_1"]


def test_a_second_error_of_the_same_kind_is_news(tree: Path) -> None:
    same = 'Returning Any from function declared to return "int"'
    errors = [
        error(5, "no-any-return", same),
        error(19, "no-any-return", same),
        error(19, "no-any-return", same),
    ]
    assert list(typecheck.caught(errors, tree)) == ["m.x_total__mutmut_3"]


def test_comment_codes_notes_and_errors_outside_mutants_are_dropped(tree: Path) -> None:
    errors = [
        error(9, "unused-ignore", 'Unused "type: ignore" comment'),
        error(9, "ignore-without-code", '"type: ignore" comment without error code'),
        {**error(19, "arg-type", "a note about it"), "severity": "note"},
        error(31, "return-value", 'Incompatible return value (got "str", expected "int")'),
    ]
    assert typecheck.caught(errors, tree) == {}


def test_the_first_error_of_each_mutant_and_packages_named_as_mutmut_does(tree: Path) -> None:
    (tree / "src" / "pkg").mkdir()
    (tree / "src" / "pkg" / "__init__.py").write_text(MUTATED, encoding="utf-8")
    errors = [
        error(19, "operator", "first of mutant 3"),
        error(19, "operator", "second of mutant 3"),
        error(9, "arg-type", "in the package", file="src/pkg/__init__.py"),
    ]
    found = typecheck.caught(errors, tree)
    assert {name: e["message"] for name, e in found.items()} == {
        "m.x_total__mutmut_3": "first of mutant 3",
        "pkg.x_total__mutmut_1": "in the package",
    }


def test_record_runs_mypy_and_marks_what_it_catches_unless_a_test_killed_it(
    tree: Path,
) -> None:
    (tree / "src" / "m.py").write_text(
        "def x_f__mutmut_orig(n: int) -> int:\n    return n\n\n\n"
        "def x_f__mutmut_1(n: int) -> int:\n    return None\n\n\n"
        "def x_f__mutmut_2(n: int) -> int:\n    return str(n)\n\n\n"
        "def x_f__mutmut_3(n: int) -> int:\n    return -n\n",
        encoding="utf-8",
    )
    codes = {"m.x_f__mutmut_1": None, "m.x_f__mutmut_2": 1, "m.x_f__mutmut_3": 0}
    meta = tree / "src" / "m.py.meta"
    meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
    assert typecheck.record(tree) == 1
    data = json.loads(meta.read_text(encoding="utf-8"))
    assert data["exit_code_by_key"] == codes | {"m.x_f__mutmut_1": typecheck.CAUGHT}
    assert "None" in data["type_check_error_by_key"]["m.x_f__mutmut_1"]


def test_a_mypy_that_fails_stops_the_run_rather_than_catching_nothing(tree: Path) -> None:
    (tree / "src" / "m.py").write_text("def broken(:\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="mypy failed"):
        typecheck.mypy_errors(tree)
