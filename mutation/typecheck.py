"""The mutation run's type check: ``mypy --strict`` over the mutants, before their tests.

``python mutation/typecheck.py [MUTANTS]`` (``mutation/run.py`` does it before each run)

The README's test command runs ``mypy --strict`` on ``src/``, so a mutant that breaks the
types (``None`` passed where a ``str`` is expected, an argument dropped from a call) could
never land: it is detected without running a test. This script runs mypy over mutmut's
mutated tree (``mutants/work/mutants``) and records each such mutant as mutmut's "caught
by type check" (exit code 37 in its ``.meta`` file), which the gate counts as detected and
mutmut then does not run. It overwrites only a mutant not checked yet, a survivor and one
without tests; a mutant a test killed keeps that verdict.

mypy's raw report over the mutated tree says more than that. The tree holds each function
once as it was (``x_name__mutmut_orig``) and once per mutant (``x_name__mutmut_N``), and
some errors are the copy's, not the mutant's: mutmut's own ``# type: ignore`` comments are
"unused" or "without code" under our strict settings, and some errors every copy of a
function has. So a mutant counts as caught only by an error its function's original copy
does not have (compared by error code and message, with the copies' names and line numbers
taken out), other than those two comment codes, inside the mutant's own function.

mutmut 3.x has a ``type_check_command`` of its own, but it reads every file with errors
through libcst to find the functions: over this tree that took more than 20 minutes and
4 GB at the start of every run, where ``ast`` takes half a minute. mypy itself takes about
10 minutes and 2.7 GB over the whole tree (1.4 million lines, 50 times ``src/``) the first
time, and much less with its cache (``.mypy_cache`` beside the mutants).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

CAUGHT: Final = 37  # mutmut's exit code for "caught by type check"
# Verdicts the type check may replace: not checked, survived, no tests (mutmut's codes).
REPLACEABLE: Final = frozenset({None, 0, 5, 33})

# Codes that speak of the copy, not of the mutant: mutmut marks its own lines
# "# type: ignore" without a code, and a mutant can make a source ignore unused.
COPY_CODES: Final = frozenset({"unused-ignore", "ignore-without-code"})

_MUTANT: Final = re.compile(r"(?P<base>.+)__mutmut_(?P<which>\d+|orig)")
_NAMES: Final = re.compile(r"__mutmut_(?:\d+|orig)\b")
_LINES: Final = re.compile(r"\bline \d+\b")

Error = dict[str, Any]
Span = tuple[int, int, str]


def mutant_functions(source: str) -> list[Span]:
    r"""``(first line, last line, name)`` of each mutant copy and original copy in ``source``.

    Only the outermost: a function nested in one belongs to it.

    >>> text = "def x_f__mutmut_orig():\n    def inner():\n        pass\n"
    >>> mutant_functions(text)
    [(1, 3, 'x_f__mutmut_orig')]
    """
    found: list[Span] = []
    pending: list[ast.AST] = [ast.parse(source)]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if (
                isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                and _MUTANT.fullmatch(child.name) is not None
            ):
                found.append((child.lineno, child.end_lineno or child.lineno, child.name))
            else:
                pending.append(child)
    return sorted(found)


def _normalised(error: Error) -> tuple[str, str]:
    """An error as its code and message, the same in every copy of a function."""
    message = _LINES.sub("line N", _NAMES.sub("__mutmut_N", str(error["message"])))
    return str(error.get("code")), message


def caught(errors: Iterable[Error], root: Path) -> dict[str, Error]:
    """Each mutant's name (as mutmut keys it) and the first error it adds (see the module).

    ``errors`` are mypy's JSON records, their ``file`` relative to ``root``.
    """
    found: dict[str, Error] = {}
    for (path, base), copies in _by_copy(errors, root).items():
        module = _module(path)
        original = Counter(_normalised(e) for e in copies.pop("orig", []))
        for which, errors_of_copy in copies.items():
            seen: Counter[tuple[str, str]] = Counter()
            for error in errors_of_copy:
                key = _normalised(error)
                seen[key] += 1
                if key[0] not in COPY_CODES and seen[key] > original[key]:
                    found[f"{module}.{base}__mutmut_{which}"] = error
                    break
    return found


def _by_copy(errors: Iterable[Error], root: Path) -> dict[tuple[str, str], dict[str, list[Error]]]:
    """The errors inside mutant functions: by file and function, then by copy ("orig", "1")."""
    spans: dict[str, list[Span]] = {}
    grouped: defaultdict[tuple[str, str], dict[str, list[Error]]] = defaultdict(dict)
    for error in errors:
        if error.get("severity") != "error":
            continue
        path = str(error["file"])
        if path not in spans:
            spans[path] = mutant_functions((root / path).read_text(encoding="utf-8"))
        line = int(error["line"])
        inside = [name for first, last, name in spans[path] if first <= line <= last]
        match = _MUTANT.fullmatch(inside[-1]) if inside else None
        if match is not None:
            grouped[path, match["base"]].setdefault(match["which"], []).append(error)
    return grouped


def _module(path: str) -> str:
    """``src/custadvocacy/batch/__init__.py`` -> ``custadvocacy.batch`` (mutmut's key)."""
    dotted = path.removeprefix("src/").removesuffix(".py").replace("/", ".")
    return dotted.removesuffix(".__init__")


def mypy_errors(root: Path) -> list[Error]:
    """Mypy's errors over ``root / "src"`` as JSON records; SystemExit when mypy fails."""
    report = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--output", "json", "src"],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )
    if report.returncode not in {0, 1}:  # 1: errors found; anything else: mypy failed
        msg = f"mypy failed (exit {report.returncode}) in {root}:\n{report.stderr}{report.stdout}"
        raise SystemExit(msg)
    return [json.loads(line) for line in report.stdout.splitlines() if line.startswith("{")]


def record(root: Path) -> int:
    """Type-check the mutated tree ``root`` and record what it catches; how many recorded."""
    found = caught(mypy_errors(root), root)
    recorded = 0
    for meta in sorted((root / "src").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes: dict[str, int | None] = data["exit_code_by_key"]
        changed = False
        for name, code in codes.items():
            if name in found and code in REPLACEABLE:
                codes[name] = CAUGHT
                data.setdefault("type_check_error_by_key", {})[name] = found[name]["message"]
                changed = True
                recorded += 1
        if changed:
            meta.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return recorded


def main(argv: list[str]) -> int:
    """Record the type check's verdicts in the mutated tree ``argv[0]`` (by default run.py's)."""
    root = (
        Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "mutants/work/mutants"
    )
    sys.stdout.write(f"type check: {record(root)} mutants caught by mypy --strict, recorded\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
