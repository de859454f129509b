"""mutmut's type check: ``mypy --strict`` over the mutants, keeping what each mutant adds.

The README's test command runs ``mypy --strict`` on ``src/``, so a mutant that breaks the
types (``None`` passed where a ``str`` is expected, an argument dropped from a call) could
never land: it is detected without running a test. mutmut 3.x can ask a type checker
before it runs any mutant (``type_check_command`` in ``mutation/setup.cfg`` runs this
script in ``mutants/work/mutants``) and records such a mutant as "caught by type check"
(exit code 37), which the gate counts as detected.

mypy's raw report over the mutated tree cannot be handed to mutmut as it is: the tree
holds each function once as it was (``x_name__mutmut_orig``) and once per mutant
(``x_name__mutmut_N``), and some errors are the copy's, not the mutant's. mutmut's own
``# type: ignore`` comments are "unused" or "without code" under our strict settings, and
an error the original copy has too (a name ``# type: ignore``-d in the source but
reported through the trampoline) is no news about the mutant. So this script keeps, for
each mutant, only the errors its function's original copy does not have (compared by
error code and message, with mutant names and line numbers taken out), drops those two
comment codes, and drops errors outside any mutant's function (mutmut stops with an
exception on those). What it prints is mypy's JSON lines, one error per detected mutant.

A run over the whole tree (about 1.4 million lines, 50 times ``src/``) takes about 10 min
and 2.7 GB on one core the first time; mypy's cache (``.mypy_cache`` beside the mutants)
makes the next runs re-check only the modules that changed.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

# Codes that speak of the copy, not of the mutant: mutmut marks its own lines
# "# type: ignore" without a code, and a mutant can make a source ignore unused.
COPY_CODES: Final = frozenset({"unused-ignore", "ignore-without-code"})

_MUTANT: Final = re.compile(r"^(?P<base>.+)__mutmut_(?P<which>\d+|orig)$")
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


def added_by_mutants(errors: Iterable[Error], root: Path) -> Iterator[Error]:
    """The first error each mutant adds to its function's original copy (see the module).

    ``errors`` are mypy's JSON records (``file`` relative to ``root``); the result keeps
    their form, one per mutant, in file and line order.
    """
    added: list[Error] = []
    for copies in _by_copy(errors, root).values():
        original = Counter(_normalised(e) for e in copies.pop("orig", []))
        for found in copies.values():
            seen: Counter[tuple[str, str]] = Counter()
            for error in found:
                key = _normalised(error)
                seen[key] += 1
                if key[0] not in COPY_CODES and seen[key] > original[key]:
                    added.append(error)
                    break
    return iter(sorted(added, key=lambda e: (str(e["file"]), int(e["line"]))))


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


def main(argv: list[str]) -> int:
    """Run mypy over ``src`` here and print the errors mutants add; mypy's failure, or 0.

    ``argv`` is ignored: mutmut picks its report parser by finding ``mypy`` in the
    command, so ``mutation/setup.cfg`` names it after this script.
    """
    del argv
    report = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--output", "json", "src"],
        capture_output=True,
        text=True,
        check=False,
    )
    if report.returncode not in {0, 1}:
        # Not JSON, so mutmut stops and shows it rather than counting nothing as caught.
        sys.stdout.write(f"mypy failed (exit {report.returncode}):\n{report.stderr}")
        return report.returncode
    errors = [json.loads(line) for line in report.stdout.splitlines() if line.startswith("{")]
    for error in added_by_mutants(errors, Path.cwd()):
        sys.stdout.write(json.dumps(error) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
