"""mutmut's per-mutant results kept in git, so a mutation run resumes across machines.

A run over all of ``src/`` takes longer than one sitting on a 2-core machine, and mutmut
keeps its results in ``mutants/work/`` (ignored by git; gone with the machine). This module
copies the part of each ``.meta`` file that mutmut needs to reuse a result into
``mutation/results.json`` (committed) and back:

* ``hash_by_function_name`` -- mutmut's hash of each mutated function; mutmut keeps a
  mutant's result only while its function's hash is unchanged, so a result restored for
  code that changed since is discarded and the mutant runs again;
* each mutant's exit code, ``null`` for one never run: the gate counts those as not
  checked, so a partial run restored on another machine cannot pass it.

``save`` writes the file from a work directory; ``restore`` writes ``.meta`` files for the
modules the work directory does not have yet (a local result is never older than the
committed one, so it wins). The file is sorted JSON, one function per line, so a diff
shows which functions' results changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final, TypedDict

FORMAT: Final = 1
RESULTS: Final = Path(__file__).resolve().parent / "results.json"
SEPARATOR: Final = "__mutmut_"


class FunctionResults(TypedDict):
    """One mutated function: mutmut's hash of its code and its mutants' exit codes."""

    hash: str
    exit_codes: dict[str, int | None]  # mutant number -> exit code (None: never run)


Modules = dict[str, dict[str, FunctionResults]]  # source path -> function -> results


def files_digest(root: Path, files: Iterable[Path]) -> str:
    """A digest of ``files`` (in the order given): each one's path under ``root`` and bytes."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def source_digest(src: Path) -> str:
    """A digest of every ``.py`` file under ``src`` (which source the results are for)."""
    return files_digest(src, sorted(src.rglob("*.py")))


def _metas(mutants: Path) -> Iterator[tuple[str, Path]]:
    base = mutants / "src"
    for meta in sorted(base.rglob("*.py.meta")):
        yield meta.relative_to(mutants).as_posix().removesuffix(".meta"), meta


def collect(mutants: Path) -> Modules:
    """The reusable results under ``mutants``: module -> function -> hash and exit codes."""
    modules: Modules = {}
    for module, meta in _metas(mutants):
        data = json.loads(meta.read_text(encoding="utf-8"))
        hashes: Mapping[str, str] = data.get("hash_by_function_name", {})
        functions = {
            name: FunctionResults(hash=digest, exit_codes={})
            for name, digest in sorted(hashes.items())
        }
        for key, code in data["exit_code_by_key"].items():
            function, _, number = key.rpartition(".")[2].rpartition(SEPARATOR)
            if function in functions:
                functions[function]["exit_codes"][number] = code
        modules[module] = {name: entry for name, entry in functions.items() if entry["exit_codes"]}
    return modules


def save(mutants: Path, src: Path, results: Path = RESULTS) -> int:
    """Write ``results`` from the ``.meta`` files under ``mutants``; the mutants decided."""
    modules = collect(mutants)
    lines = [
        "{",
        f'"format": {FORMAT},',
        f'"source_digest": "{source_digest(src)}",',
        '"modules": {',
    ]
    module_blocks = []
    for module, functions in sorted(modules.items()):
        if not functions:
            continue
        rows = [
            f"  {json.dumps(name)}: {json.dumps(_in_mutant_order(entry))}"
            for name, entry in sorted(functions.items())
        ]
        module_blocks.append(f" {json.dumps(module)}: {{\n" + ",\n".join(rows) + "\n }")
    lines.append(",\n".join(module_blocks))
    lines.append("}}")
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(
        code is not None
        for functions in modules.values()
        for entry in functions.values()
        for code in entry["exit_codes"].values()
    )


def _in_mutant_order(entry: FunctionResults) -> dict[str, object]:
    """``entry`` with its mutants by number (1, 2, ..., 10), not as text (1, 10, 2)."""
    codes = entry["exit_codes"]
    return {"hash": entry["hash"], "exit_codes": {n: codes[n] for n in sorted(codes, key=int)}}


def load(results: Path = RESULTS) -> tuple[str, Modules]:
    """The committed results: the source digest they are for and the modules (or empty)."""
    if not results.exists():
        return "", {}
    data = json.loads(results.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        msg = f"{results}: format {data.get('format')!r}, this script reads {FORMAT}"
        raise SystemExit(msg)
    modules: Modules = data["modules"]
    return str(data["source_digest"]), modules


def restore(mutants: Path, results: Path = RESULTS) -> int:
    """Write ``.meta`` files under ``mutants`` for the modules it lacks; the decided restored."""
    _, modules = load(results)
    restored = 0
    for module, functions in sorted(modules.items()):
        meta = mutants / f"{module}.meta"
        if meta.exists():
            continue
        dotted = module.removeprefix("src/").removesuffix(".py").replace("/", ".")
        dotted = dotted.removesuffix(".__init__")
        codes: dict[str, int | None] = {}
        hashes: dict[str, str] = {}
        for function, entry in functions.items():
            hashes[function] = entry["hash"]
            for number, code in entry["exit_codes"].items():
                codes[f"{dotted}.{function}{SEPARATOR}{number}"] = code
        meta.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "exit_code_by_key": codes,
            "hash_by_function_name": hashes,
            "type_check_error_by_key": {},
            "durations_by_key": {},
            "estimated_durations_by_key": {},
        }
        meta.write_text(json.dumps(data, indent=1), encoding="utf-8")
        restored += sum(code is not None for code in codes.values())
    return restored
