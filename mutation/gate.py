"""Mutation gate: the score per module from mutmut's per-mutant results; fail below the bar.

``python mutation/gate.py [--mutants DIR]`` reads every ``*.py.meta`` file mutmut 3.x
leaves under ``DIR/src/`` (default ``mutants/work/mutants``, where ``mutation/run.py``
runs it). Each holds ``exit_code_by_key``: one entry per mutant, the exit code of the
tests run against it. We classify those codes ourselves instead of reading
``mutmut export-cicd-stats``, which counts skipped and unchecked mutants as if they were
results.

The score of a module is ``detected / counted``: a mutant is *detected* when the tests
failed (killed), timed out, crashed or the type check caught it; it *counts* unless it
was skipped. A mutant no test covers, one that survived, and one never checked all
count against the score, so an interrupted run cannot pass. A survivor whose one change
is equivalent wherever it occurs (:data:`EQUIVALENCE_RULES`) does not count, nor does one
read and found equivalent in its place, listed in ``mutation/equivalent.toml`` with why
(``--mark-equivalent NAME --why TEXT`` adds one; an entry stops counting when its
function changes); the report lists them by rule. The gate fails when the overall score
or any listed module's score is below its threshold, and prints every mutant that was
not detected (``mutmut show NAME`` in ``mutants/work`` gives its diff).

The thresholds are in :data:`THRESHOLDS` and :data:`OVERALL_THRESHOLD`, nowhere else;
``tests/test_mutation_gate.py`` holds their floors, so they may go up, never down.

``--sample`` prints an *estimate* instead: each module's score over a simple random sample
of its mutants (:func:`sample`), with a 95 % interval, and the overall score stratified by
module. A complete run over all of ``src/`` takes many sittings on two cores; a sample of
:data:`SAMPLE_SIZE` mutants per module takes about one, and says early which modules'
tests are weak. The estimate never passes or fails the gate: only the complete run does.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_MUTANTS: Final = ROOT / "mutants" / "work" / "mutants"

OVERALL_THRESHOLD: Final = 90.0
"""Minimum score (percent) over every mutated module together."""

THRESHOLDS: Final[Mapping[str, float]] = MappingProxyType(
    {
        "custadvocacy/_money.py": 95.0,
        "custadvocacy/_domain.py": 95.0,
        "custadvocacy/_convert/": 95.0,
    }
)
"""Minimum score (percent) per module, by path under ``src/``; others need the overall bar.

A key ending in ``/`` is a package: its bar holds for each of its modules.
"""

# mutmut 3.x exit codes (mutmut/stats.py, status_by_exit_code). Any other code is
# "suspicious" there, and not detected here.
KILLED: Final = frozenset({1, 3})
TIMEOUT: Final = frozenset({36, 24, -24, 152, 255})
TYPE_CHECK: Final = frozenset({37})
CRASH: Final = frozenset({-11, -9})
SURVIVED: Final = frozenset({0})
NO_TESTS: Final = frozenset({5, 33})
SKIPPED: Final = frozenset({34})


def classify(exit_code: int | None) -> str:
    """The status of one mutant from its exit code (``None``: never run)."""
    if exit_code is None or exit_code == 2:  # 2: the run was interrupted
        return "not checked"
    for status, codes in (
        ("killed", KILLED),
        ("timeout", TIMEOUT),
        ("caught by type check", TYPE_CHECK),
        ("crash", CRASH),
        ("survived", SURVIVED),
        ("no tests", NO_TESTS),
        ("skipped", SKIPPED),
    ):
        if exit_code in codes:
            return status
    return "suspicious"


DETECTED: Final = frozenset({"killed", "timeout", "caught by type check", "crash"})


# --- Equivalent mutants, recognised by the change mutmut made -----------------------------
#
# Some of mutmut's changes are equivalent wherever they occur: numpy makes float64 when no
# dtype is given, so ``x.astype(None)`` is ``x.astype(np.float64)`` and
# ``np.zeros(n, dtype=None)`` is ``np.zeros(n, dtype=np.float64)``. No test can kill such a
# mutant, and a pragma on each line would also hide the line's other mutants. So the gate
# compares each survivor's function with the original (both are in mutmut's mutated copy
# of the module) and leaves it out of the score when its one change matches a rule here.
# Only changes equivalent in *every* context are rules; one equivalent only in its place
# (``strict=True`` in a ``zip`` of equal lengths) is marked there with ``# pragma: no
# mutate`` and a reason.

EQUIVALENCE_RULES: Final = {
    "astype-float64": "x.astype(None) converts to float64, as x.astype(np.float64) does",
    "default-float64": "np.zeros, np.empty and np.ones make float64 without a dtype (or with "
    "dtype=None), as with dtype=np.float64",
    "cast-type": "typing.cast returns its value as it is: the type it names is never "
    "read at run time",
}
"""Each rule's name and why its mutants are equivalent."""

_MAKERS: Final = frozenset({"zeros", "empty", "ones"})
_MUTANT: Final = "__mutmut_"


def _is_np(node: ast.AST, name: str) -> bool:
    """``node`` is ``np.<name>``."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == name
        and isinstance(node.value, ast.Name)
        and node.value.id == "np"
    )


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_cast(node: ast.AST) -> bool:
    """``node`` is ``typing.cast`` or ``cast``."""
    if isinstance(node, ast.Name):
        return node.id == "cast"
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "cast"
        and isinstance(node.value, ast.Name)
        and node.value.id == "typing"
    )


def _is_maker(node: ast.AST | None) -> bool:
    """``node`` calls ``np.zeros``, ``np.empty`` or ``np.ones``."""
    return isinstance(node, ast.Call) and any(_is_np(node.func, name) for name in _MAKERS)


Place = tuple[ast.AST, ast.AST, tuple[ast.AST, ...]]


def _children(original: ast.AST, mutant: ast.AST) -> list[tuple[object, object]] | None:
    """The pairs of child nodes of two nodes of one type; ``None`` if their shape differs.

    A field that is a list of another length, or a plain value (a name, a constant) that
    differs, makes the nodes themselves the place of the change.
    """
    pairs: list[tuple[object, object]] = []
    for name, a in ast.iter_fields(original):
        b = getattr(mutant, name)
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            pairs.extend(zip(a, b, strict=True))
        elif isinstance(a, ast.AST) and isinstance(b, ast.AST):
            pairs.append((a, b))
        elif isinstance(a, ast.AST | list) or isinstance(b, ast.AST | list) or a != b:
            return None
    return pairs


def _difference(
    original: ast.AST, mutant: ast.AST, ancestors: tuple[ast.AST, ...] = ()
) -> Place | None:
    """The one place ``mutant`` differs from ``original``, or ``None`` if they are equal.

    The place is both nodes and the original's ancestors (nearest last). Where they differ
    in more than one child, or in the shape of their fields, it is the nodes themselves.
    """
    pairs = _children(original, mutant) if type(original) is type(mutant) else None
    if pairs is None:
        return original, mutant, ancestors
    found = []
    for a, b in pairs:
        if isinstance(a, ast.AST) and isinstance(b, ast.AST):
            place = _difference(a, b, (*ancestors, original))
        else:
            place = None if a == b else (original, mutant, ancestors)  # plain list items
        if place is not None:
            found.append(place)
    if not found:
        return None
    return found[0] if len(found) == 1 else (original, mutant, ancestors)


def rule_of(original: ast.AST, mutant: ast.AST) -> str | None:
    """The rule of :data:`EQUIVALENCE_RULES` the one change from ``original`` to ``mutant`` matches."""
    place = _difference(original, mutant)
    if place is None:
        return None
    before, after, ancestors = place
    parent = ancestors[-1] if ancestors else None
    grandparent = ancestors[-2] if len(ancestors) > 1 else None
    if _is_np(before, "float64") and _is_none(after):
        if (
            isinstance(parent, ast.Call)
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr == "astype"
            and parent.args == [before]
        ):
            return "astype-float64"
        if isinstance(parent, ast.keyword) and parent.arg == "dtype" and _is_maker(grandparent):
            return "default-float64"
    if (
        isinstance(before, ast.Constant)
        and isinstance(after, ast.Constant)
        and isinstance(before.value, str)
        and isinstance(parent, ast.Call)
        and _is_cast(parent.func)
        and parent.args[:1] == [before]
    ):
        return "cast-type"
    if _is_maker(before) and isinstance(before, ast.Call) and isinstance(after, ast.Call):
        kept = [k for k in before.keywords if not (k.arg == "dtype" and _is_np(k.value, "float64"))]
        dropped = len(kept) == len(before.keywords) - 1
        same = ast.dump(ast.Call(before.func, before.args, kept)) == ast.dump(after)
        if dropped and same:
            return "default-float64"
    return None


def _functions(source: str) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {
        node.name: node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def equivalents(mutants: Path, module: str, names: Iterable[str]) -> dict[str, str]:
    """Which of ``names`` are equivalent by a rule, and the rule.

    ``names`` are mutants of ``module``, a path under ``mutants/src``. Empty when mutmut's
    mutated copy of the module is not there (results restored on a new machine count as
    survivors until a run makes it).
    """
    source = mutants / "src" / module
    wanted = list(names)
    if not wanted or not source.exists():
        return {}
    functions = _functions(source.read_text(encoding="utf-8"))
    found = {}
    for name in wanted:
        function = name.rpartition(".")[2]
        original = functions.get(function.rpartition(_MUTANT)[0] + _MUTANT + "orig")
        mutant = functions.get(function)
        # What a mutant changes is its arguments' defaults or its body, not its name.
        if original is None or mutant is None or ast.dump(original.args) != ast.dump(mutant.args):
            continue
        rule = rule_of(
            ast.Module(body=original.body, type_ignores=[]),
            ast.Module(body=mutant.body, type_ignores=[]),
        )
        if rule is not None:
            found[name] = rule
    return found


# --- Equivalent mutants, read one by one ------------------------------------------------
#
# Others are equivalent only in their place: a cache whose miss computes the same value
# again, a fast path whose checked path gives the same result, ``strict=True`` in a ``zip``
# of lengths equal by construction. Where every mutant of a line is such, the line carries
# ``# pragma: no mutate (why)``. Where the line's other mutants are tested, a pragma would
# hide them too: the survivor is listed in ``mutation/equivalent.toml`` instead, with why
# and with mutmut's hash of its function when it was read. Any change to the function
# changes the hash, and the entry stops counting (the report lists it, to be read again).

REVIEWED: Final = Path(__file__).resolve().parent / "equivalent.toml"
"""The survivors read and found equivalent in their place."""

REVIEWED_RULE: Final = "reviewed"


@dataclass(frozen=True)
class Reviewed:
    """A survivor read and found equivalent in its place: mutmut's name, hash and why."""

    name: str
    hash: str
    why: str


def read_reviewed(path: Path = REVIEWED) -> tuple[Reviewed, ...]:
    """The entries of ``path`` (none when it does not exist); exit naming a bad one."""
    if not path.exists():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SystemExit(f"{path}: not TOML: {error}") from error
    entries = data.get("mutant", [])
    found: list[Reviewed] = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [entries], 1):
        keys = ("name", "hash", "why")
        if (
            not isinstance(entry, dict)
            or set(entry) != set(keys)
            or not all(isinstance(entry[k], str) and entry[k].strip() for k in keys)
        ):
            msg = f"{path}: mutant {number} needs a non-empty name, hash and why, got {entry!r}"
            raise SystemExit(msg)
        found.append(Reviewed(entry["name"], entry["hash"], entry["why"]))
    seen: set[str] = set()
    for entry in found:
        if entry.name in seen:
            raise SystemExit(f"{path}: {entry.name} is listed twice")
        seen.add(entry.name)
    return tuple(found)


def _function_hashes(mutants: Path, module: str) -> dict[str, str]:
    meta = mutants / "src" / f"{module}.meta"
    if not meta.exists():
        return {}
    hashes: dict[str, str] = json.loads(meta.read_text(encoding="utf-8")).get(
        "hash_by_function_name", {}
    )
    return hashes


def _function_of(name: str) -> str:
    """The mutated function of mutant ``name`` (``pkg.mod.x_f__mutmut_3`` -> ``x_f``)."""
    return name.rpartition(".")[2].rpartition(_MUTANT)[0]


def reviewed_equivalents(
    mutants: Path, module: str, names: Iterable[str], reviewed: Sequence[Reviewed]
) -> dict[str, str]:
    """Which of ``names`` (mutants of ``module``) an entry of ``reviewed`` still covers.

    An entry covers its mutant while the function's hash is the one it was read at.
    """
    wanted = set(names)
    listed = [entry for entry in reviewed if entry.name in wanted]
    if not listed:
        return {}
    hashes = _function_hashes(mutants, module)
    return {
        entry.name: REVIEWED_RULE
        for entry in listed
        if hashes.get(_function_of(entry.name)) == entry.hash
    }


def stale(
    mutants: Path, reviewed: Sequence[Reviewed], codes: Mapping[str, Mapping[str, int | None]]
) -> list[tuple[Reviewed, str]]:
    """The entries of ``reviewed`` that no longer cover a survivor, each with why not.

    ``codes`` is :func:`exit_codes`. An entry is stale when its mutant is gone, was not
    checked, is detected now, or its function changed since it was read.
    """
    module_of = {name: module for module, names in codes.items() for name in names}
    hashes: dict[str, dict[str, str]] = {}  # module -> its functions' hashes, read once
    found = []
    for entry in reviewed:
        module = module_of.get(entry.name)
        if module is None:
            found.append((entry, "no such mutant"))
            continue
        status = classify(codes[module][entry.name])
        if status != "survived":
            found.append((entry, status))
            continue
        if module not in hashes:
            hashes[module] = _function_hashes(mutants, module)
        if hashes[module].get(_function_of(entry.name)) != entry.hash:
            found.append((entry, "its function changed since it was read"))
    return found


def mark_reviewed(mutants: Path, name: str, why: str, path: Path = REVIEWED) -> Reviewed:
    """Append ``name`` (a survivor) to ``path`` with ``why`` and its function's hash now."""
    codes = exit_codes(mutants)
    module = next((m for m, names in codes.items() if name in names), None)
    if module is None:
        raise SystemExit(f"{name}: no such mutant under {mutants}")
    status = classify(codes[module][name])
    if status != "survived":
        raise SystemExit(f"{name}: {status}, not a survivor")
    if any(entry.name == name for entry in read_reviewed(path)):
        raise SystemExit(f"{name}: already in {path.name}")
    digest = _function_hashes(mutants, module).get(_function_of(name))
    if digest is None or not why.strip():
        raise SystemExit(f"{name}: no hash of its function in mutmut's results, or no why")
    entry = Reviewed(name, digest, why.strip())
    with path.open("a", encoding="utf-8") as out:
        out.write(_entry_text(entry))
    return entry


SETTLED: Final = frozenset({"killed", "caught by type check"})
"""A mutant's verdicts that no later run of the same function overturns (a timeout or a
crash may be the loaded machine's, and an equivalent mutant may time out)."""

_ENTRY_LINE: Final = re.compile(r"^\[\[mutant\]\][ \t]*$", re.MULTILINE)


def _module_named(name: str, codes: Mapping[str, object]) -> str | None:
    """The module (a key of ``codes``) mutant ``name`` belongs to, by its dotted name."""
    dotted = name.rpartition(".")[0].replace(".", "/")
    return next((m for m in (f"{dotted}.py", f"{dotted}/__init__.py") if m in codes), None)


def prunable(
    mutants: Path, reviewed: Sequence[Reviewed], codes: Mapping[str, Mapping[str, int | None]]
) -> list[tuple[Reviewed, str]]:
    """The entries of ``reviewed`` no run can need again, each with why.

    Only an entry read at its function's present code: its mutant is detected now (killed,
    or caught by the type check), mutmut no longer makes it, or the function is gone. One
    whose function changed stays (the mutant of the same number may be another change, and
    the one it was may survive under another number), and so does one in a module this
    run has no results of.
    """
    hashes: dict[str, dict[str, str]] = {}
    found = []
    for entry in reviewed:
        module = _module_named(entry.name, codes)
        if module is None:
            continue
        if module not in hashes:
            hashes[module] = _function_hashes(mutants, module)
        digest = hashes[module].get(_function_of(entry.name))
        if digest is None:
            found.append((entry, "its function is gone"))
        elif digest != entry.hash:
            continue
        elif entry.name not in codes[module]:
            found.append((entry, "mutmut no longer makes it"))
        elif (status := classify(codes[module][entry.name])) in SETTLED:
            found.append((entry, status))
    return found


def _entry_text(entry: Reviewed) -> str:
    """``entry`` as a ``[[mutant]]`` table, after a blank line, as the file keeps them."""
    return "\n".join(
        [
            "",
            "[[mutant]]",
            f"name = {json.dumps(entry.name, ensure_ascii=False)}",
            f"hash = {json.dumps(entry.hash)}",
            f"why = {json.dumps(entry.why, ensure_ascii=False)}",
            "",
        ]
    )


def prune_reviewed(mutants: Path, path: Path = REVIEWED) -> list[tuple[Reviewed, str]]:
    """Drop the entries of ``path`` :func:`prunable` finds; those dropped.

    The file is written again as its header (what comes before the first entry) and the
    entries kept, each as :func:`mark_reviewed` writes it, with the file's line endings.
    Exits without a change when there are no results under ``mutants`` (every entry
    would look gone) or a comment sits between entries (it would be lost).
    """
    codes = exit_codes(mutants)
    if not codes:
        raise SystemExit(f"no mutmut results under {mutants}: nothing to prune against")
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    reviewed = read_reviewed(path)
    dropped = prunable(mutants, reviewed, codes)
    if not dropped:
        return []
    first = _ENTRY_LINE.search(text.replace("\r\n", "\n"))
    header = text.replace("\r\n", "\n")[: first.start() if first else None]
    body = text.replace("\r\n", "\n")[len(header) :]
    if any(line.lstrip().startswith("#") for line in body.splitlines()):
        raise SystemExit(f"{path}: a comment between entries would be lost; move it to the top")
    names = {entry.name for entry, _ in dropped}
    kept = [entry for entry in reviewed if entry.name not in names]
    new = header.rstrip("\n") + "\n" + "".join(_entry_text(entry) for entry in kept)
    if "\r\n" in text:
        new = new.replace("\n", "\r\n")
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(new)
    if read_reviewed(path) != tuple(kept):  # pragma: no cover - a safeguard for the file
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        raise SystemExit(f"{path}: rewriting it would change other entries; left as it was")
    return dropped


@dataclass
class ModuleScore:
    """The mutants of one source file."""

    module: str
    detected: int = 0
    counted: int = 0
    skipped: int = 0
    undetected: list[tuple[str, str]] = field(default_factory=list)
    equivalent: list[tuple[str, str]] = field(default_factory=list)  # name, rule

    @property
    def score(self) -> float:
        """Percent of the counted mutants the tests detected (100 when none count)."""
        return 100.0 * self.detected / self.counted if self.counted else 100.0

    @property
    def decided(self) -> int:
        """The counted mutants a run has decided (all but those not checked yet)."""
        return self.counted - sum(1 for _, status in self.undetected if status == "not checked")

    @property
    def decided_score(self) -> float:
        """Percent of the decided mutants detected: a partial run's progress, not the bar."""
        return 100.0 * self.detected / self.decided if self.decided else 100.0


def score_module(
    module: str,
    exit_code_by_key: Mapping[str, int | None],
    equivalent: Mapping[str, str] = MappingProxyType({}),
) -> ModuleScore:
    """Score one module from its ``exit_code_by_key`` (mutant name to exit code).

    A survivor named in ``equivalent`` (name to rule, from :func:`equivalents`) does not
    count, as a skipped mutant does not; the report lists it with its rule.
    """
    result = ModuleScore(module)
    for name, code in sorted(exit_code_by_key.items()):
        status = classify(code)
        if status == "skipped":
            result.skipped += 1
            continue
        if status == "survived" and name in equivalent:
            result.equivalent.append((name, equivalent[name]))
            continue
        result.counted += 1
        if status in DETECTED:
            result.detected += 1
        else:
            result.undetected.append((name, status))
    return result


def exit_codes(mutants: Path) -> dict[str, dict[str, int | None]]:
    """Each module's ``exit_code_by_key`` from the ``.meta`` files under ``mutants/src``.

    Modules without mutants are left out.
    """
    base = mutants / "src"
    found = {}
    for meta in sorted(base.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            found[meta.relative_to(base).as_posix().removesuffix(".meta")] = codes
    return found


def survivors_equivalent(
    mutants: Path,
    module: str,
    codes: Mapping[str, int | None],
    reviewed: Sequence[Reviewed] = (),
) -> dict[str, str]:
    """The survivors of ``module`` a rule or a current entry of ``reviewed`` covers, and how."""
    survived = [name for name, code in codes.items() if classify(code) == "survived"]
    return {
        **reviewed_equivalents(mutants, module, survived, reviewed),
        **equivalents(mutants, module, survived),
    }


def load(mutants: Path, reviewed: Sequence[Reviewed] = ()) -> list[ModuleScore]:
    """Every module's score from the ``.meta`` files under ``mutants/src``."""
    return [
        score_module(module, codes, survivors_equivalent(mutants, module, codes, reviewed))
        for module, codes in exit_codes(mutants).items()
    ]


def total(scores: Iterable[ModuleScore]) -> ModuleScore:
    """All modules together."""
    result = ModuleScore("overall")
    for score in scores:
        result.detected += score.detected
        result.counted += score.counted
        result.skipped += score.skipped
        result.undetected.extend(score.undetected)
        result.equivalent.extend(score.equivalent)
    return result


def bar_of(module: str) -> float:
    """The minimum score of ``module``: its own, its package's, else the overall bar."""
    if module in THRESHOLDS:
        return THRESHOLDS[module]
    packages = [key for key in THRESHOLDS if key.endswith("/") and module.startswith(key)]
    return THRESHOLDS[max(packages, key=len)] if packages else OVERALL_THRESHOLD


def failures(scores: list[ModuleScore]) -> list[str]:
    """Why the gate fails (empty: it passes)."""
    found = []
    if not scores:
        found.append("no mutation results: run mutation/run.py first")
    overall = total(scores)
    if overall.score < OVERALL_THRESHOLD:
        found.append(f"overall {overall.score:.1f} % < {OVERALL_THRESHOLD} %")
    for score in scores:
        bar = bar_of(score.module)
        if score.score < bar:
            found.append(f"{score.module} {score.score:.1f} % < {bar} %")
    return found


def report(scores: list[ModuleScore]) -> str:
    """The table of scores and the list of undetected mutants, as text."""
    lines = [f"{'module':<45} {'detected':>8} {'counted':>8} {'score':>7}  bar"]
    for score in [*scores, total(scores)]:
        bar = bar_of(score.module)
        lines.append(
            f"{score.module:<45} {score.detected:>8} {score.counted:>8} "
            f"{score.score:>6.1f}%  {bar:.0f}%"
        )
    equivalent = [item for score in scores for item in score.equivalent]
    if equivalent:
        lines.append(f"\n{len(equivalent)} survivors left out as equivalent:")
        rules = {
            **EQUIVALENCE_RULES,
            REVIEWED_RULE: f"read one by one; each with why in mutation/{REVIEWED.name}",
        }
        for rule, why in rules.items():
            count = sum(1 for _, matched in equivalent if matched == rule)
            if count:
                lines.append(f"  {rule} ({count}): {why}")
    undetected = [item for score in scores for item in score.undetected]
    if undetected:
        lines.append(f"\n{len(undetected)} mutants not detected (mutmut show NAME):")
        lines.extend(f"  {name}: {status}" for name, status in undetected)
    return "\n".join(lines)


COLUMNS: Final = (
    "Module",
    "Mutants",
    "Decided",
    "Equivalent",
    "Undetected",
    "Not checked",
    "Score of the decided",
)
"""The progress table's columns: decided + equivalent + not checked = mutants (skipped aside)."""


def markdown(scores: list[ModuleScore]) -> str:
    """A Markdown table of each module's progress (docs/reliability.md quotes it)."""
    lines = [f"| {' | '.join(COLUMNS)} |", "|---" * len(COLUMNS) + "|"]
    for score in [*scores, total(scores)]:
        name = score.module.removeprefix("custadvocacy/")
        name = f"`{name}`" if score.module != "overall" else "**overall**"
        mutants = score.counted + score.skipped + len(score.equivalent)
        lines.append(
            f"| {name} | {mutants:,} | {score.decided:,} | {len(score.equivalent):,} | "
            f"{score.decided - score.detected:,} | {score.counted - score.decided:,} | "
            f"{score.decided_score:.1f} % |"
        )
    return "\n".join(lines)


SAMPLE_SIZE: Final = 20
"""Mutants per module in the random sample (all of a module's when it has fewer).

20 per module is about 1,600 of the 35,000 mutants, one sitting on two cores (107 min):
enough for the overall estimate to within about 2 points (the first: 93.8 %, 91.7-95.9 %),
while a module's own interval stays wide (19 of 20 detected: 76 % to 99 %). Its own
complete run decides a module.
"""

_Z95: Final = 1.959964  # the normal quantile of a two-sided 95 % interval


def _rank(name: str) -> bytes:
    return hashlib.blake2b(name.encode(), digest_size=8).digest()


def sample(names: Iterable[str], size: int = SAMPLE_SIZE) -> list[str]:
    """A simple random sample of ``size`` of ``names``, the same on every machine and run.

    Each name's place in a random order is a hash of the name alone: no seed to keep, a
    larger sample holds every smaller one, and the sample of a module stays the same
    while its mutants' names do.
    """
    return sorted(sorted(names, key=_rank)[:size])


@dataclass(frozen=True)
class Estimate:
    """A module's score estimated from a random sample of its mutants."""

    module: str
    mutants: int
    sampled: int
    decided: int
    detected: int

    @property
    def score(self) -> float:
        """Percent of the sample's decided mutants that were detected (100 when none)."""
        return 100.0 * self.detected / self.decided if self.decided else 100.0

    @property
    def interval(self) -> tuple[float, float]:
        """The score's 95 % Wilson interval, in percent; the score itself for a whole module.

        The Wilson interval stays inside 0-100 and is not empty at 20 of 20 (Brown, Cai and
        DasGupta 2001); it ignores the finite-population correction, so it is a little wide
        for a sample that is most of its module.
        """
        n = self.decided
        if n == 0:
            return 0.0, 100.0
        if n == self.mutants:
            return self.score, self.score
        p, z2 = self.detected / n, _Z95**2
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = _Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        return 100.0 * max(0.0, centre - half), 100.0 * min(1.0, centre + half)


def estimate_module(
    module: str,
    exit_code_by_key: Mapping[str, int | None],
    size: int = SAMPLE_SIZE,
    equivalent: Iterable[str] = (),
) -> Estimate:
    """Estimate one module's score from the sample of its counted mutants.

    Skipped mutants are not part of the population; a sampled mutant not checked yet is
    not part of the estimate (the table says how many of the sample were decided), nor is
    a sampled survivor in ``equivalent`` (found only once run, so the sample is drawn
    before they are left out and stays the same).
    """
    counted = {n: c for n, c in exit_code_by_key.items() if classify(c) != "skipped"}
    left_out = set(equivalent)
    statuses = [classify(counted[n]) for n in sample(counted, size) if n not in left_out]
    decided = [s for s in statuses if s != "not checked"]
    return Estimate(
        module,
        mutants=len(counted) - len(left_out & counted.keys()),
        sampled=len(statuses),
        decided=len(decided),
        detected=sum(s in DETECTED for s in decided),
    )


def stratified(estimates: Sequence[Estimate]) -> tuple[float, float, float]:
    """The overall score from the modules' samples: estimate, 95 % interval low and high.

    Each module's score weighs by its share of all mutants (a stratified estimate); a
    module none of whose sample was checked yet is left out of both. The
    interval is normal, from each module's variance with the finite-population correction;
    a module's share is from Agresti and Coull's adjusted count ((x + 2) / (n + 4)) so that
    a sample with every mutant detected still has a variance.
    """
    checked = [e for e in estimates if e.decided]
    total_mutants = sum(e.mutants for e in checked)
    if not total_mutants:
        return 100.0, 0.0, 100.0
    score = variance = 0.0
    for e in checked:
        weight = e.mutants / total_mutants
        score += weight * e.score / 100.0
        if e.decided and e.decided < e.mutants:
            adjusted = (e.detected + 2) / (e.decided + 4)
            correction = 1 - e.decided / e.mutants
            variance += weight**2 * adjusted * (1 - adjusted) / e.decided * correction
    half = _Z95 * math.sqrt(variance)
    return 100.0 * score, 100.0 * max(0.0, score - half), 100.0 * min(1.0, score + half)


def sample_markdown(estimates: Sequence[Estimate]) -> str:
    """A Markdown table of each module's estimate and the stratified overall one."""
    lines = [
        "| Module | Mutants | Sampled | Decided | Detected | Estimate (95 % interval) |",
        "|---|---|---|---|---|---|",
    ]
    for e in estimates:
        low, high = e.interval
        name = e.module.removeprefix("custadvocacy/")
        figure = f"{e.score:.1f} % ({low:.0f}-{high:.0f} %)" if e.decided else "not checked"
        lines.append(
            f"| `{name}` | {e.mutants:,} | {e.sampled} | {e.decided} | {e.detected} | {figure} |"
        )
    score, low, high = stratified(estimates)
    sampled, decided = sum(e.sampled for e in estimates), sum(e.decided for e in estimates)
    partial = "" if decided == sampled else f"; {sampled - decided:,} sampled not checked"
    lines.append(
        f"| **overall** | {sum(e.mutants for e in estimates):,} | {sampled:,} | {decided:,} | "
        f"{sum(e.detected for e in estimates):,} | {score:.1f} % ({low:.1f}-{high:.1f} %"
        f"{partial}) |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; exit status 1 when a score is below its threshold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mutants", type=Path, default=DEFAULT_MUTANTS, help="mutmut's mutants/")
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print each module's progress as a Markdown table instead (exit status 0)",
    )
    parser.add_argument(
        "--sample",
        action="store_true",
        help=f"print each module's score estimated from a random sample of {SAMPLE_SIZE} "
        "of its mutants, as a Markdown table (exit status 0)",
    )
    edit = parser.add_mutually_exclusive_group()
    edit.add_argument(
        "--mark-equivalent",
        metavar="NAME",
        help=f"add survivor NAME to mutation/{REVIEWED.name} (with --why) and exit",
    )
    parser.add_argument("--why", default="", help="why NAME is equivalent in its place")
    edit.add_argument(
        "--prune-stale",
        action="store_true",
        help=f"drop the entries of mutation/{REVIEWED.name} read at their function's present "
        "code whose mutant is detected now or no longer made, and exit",
    )
    args = parser.parse_args(argv)
    if args.prune_stale:
        dropped = prune_reviewed(args.mutants, REVIEWED)
        entries = "entry" if len(dropped) == 1 else "entries"
        sys.stdout.write(
            f"{len(dropped)} {entries} of {REVIEWED.name} dropped"
            + (":\n" if dropped else " (none is detected now or gone)\n")
            + "".join(f"  {entry.name}: {why}\n" for entry, why in dropped)
        )
        return 0
    if args.mark_equivalent:
        entry = mark_reviewed(args.mutants, args.mark_equivalent, args.why)
        sys.stdout.write(f"{entry.name}: marked equivalent ({entry.why})\n")
        return 0
    reviewed = read_reviewed()
    if args.sample:
        estimates = [
            estimate_module(
                module,
                codes,
                equivalent=survivors_equivalent(args.mutants, module, codes, reviewed),
            )
            for module, codes in exit_codes(args.mutants).items()
        ]
        sys.stdout.write(sample_markdown(estimates) + "\n")
        return 0
    scores = load(args.mutants, reviewed)
    if args.markdown:
        sys.stdout.write(markdown(scores) + "\n")
        return 0
    sys.stdout.write(report(scores) + "\n")
    outdated = stale(args.mutants, reviewed, exit_codes(args.mutants))
    if outdated:
        sys.stdout.write(f"\n{len(outdated)} entries of mutation/{REVIEWED.name} to read again:\n")
        for entry, why in outdated:
            sys.stdout.write(f"  {entry.name}: {why}\n")
    problems = failures(scores)
    for problem in problems:
        sys.stdout.write(f"FAIL: {problem}\n")
    if not problems:
        sys.stdout.write("mutation gate: ok\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
