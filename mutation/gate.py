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
count against the score, so an interrupted run cannot pass. The gate fails when the
overall score or any listed module's score is below its threshold, and prints every
mutant that was not detected (``mutmut show NAME`` in ``mutants/work`` gives its diff).

The thresholds are in :data:`THRESHOLDS` and :data:`OVERALL_THRESHOLD`, nowhere else;
``tests/test_mutation_gate.py`` holds their floors, so they may go up, never down.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
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
        "custadvocacy/_convert.py": 95.0,
    }
)
"""Minimum score (percent) per module, by path under ``src/``; others need the overall bar."""

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


@dataclass
class ModuleScore:
    """The mutants of one source file."""

    module: str
    detected: int = 0
    counted: int = 0
    skipped: int = 0
    undetected: list[tuple[str, str]] = field(default_factory=list)

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


def score_module(module: str, exit_code_by_key: Mapping[str, int | None]) -> ModuleScore:
    """Score one module from its ``exit_code_by_key`` (mutant name to exit code)."""
    result = ModuleScore(module)
    for name, code in sorted(exit_code_by_key.items()):
        status = classify(code)
        if status == "skipped":
            result.skipped += 1
            continue
        result.counted += 1
        if status in DETECTED:
            result.detected += 1
        else:
            result.undetected.append((name, status))
    return result


def load(mutants: Path) -> list[ModuleScore]:
    """Every module's score from the ``.meta`` files under ``mutants/src``."""
    base = mutants / "src"
    scores = []
    for meta in sorted(base.rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        module = meta.relative_to(base).as_posix().removesuffix(".meta")
        if data["exit_code_by_key"]:
            scores.append(score_module(module, data["exit_code_by_key"]))
    return scores


def total(scores: Iterable[ModuleScore]) -> ModuleScore:
    """All modules together."""
    result = ModuleScore("overall")
    for score in scores:
        result.detected += score.detected
        result.counted += score.counted
        result.skipped += score.skipped
        result.undetected.extend(score.undetected)
    return result


def failures(scores: list[ModuleScore]) -> list[str]:
    """Why the gate fails (empty: it passes)."""
    found = []
    if not scores:
        found.append("no mutation results: run mutation/run.py first")
    overall = total(scores)
    if overall.score < OVERALL_THRESHOLD:
        found.append(f"overall {overall.score:.1f} % < {OVERALL_THRESHOLD} %")
    for score in scores:
        bar = THRESHOLDS.get(score.module, OVERALL_THRESHOLD)
        if score.score < bar:
            found.append(f"{score.module} {score.score:.1f} % < {bar} %")
    return found


def report(scores: list[ModuleScore]) -> str:
    """The table of scores and the list of undetected mutants, as text."""
    lines = [f"{'module':<45} {'detected':>8} {'counted':>8} {'score':>7}  bar"]
    for score in [*scores, total(scores)]:
        bar = THRESHOLDS.get(score.module, OVERALL_THRESHOLD)
        lines.append(
            f"{score.module:<45} {score.detected:>8} {score.counted:>8} "
            f"{score.score:>6.1f}%  {bar:.0f}%"
        )
    undetected = [item for score in scores for item in score.undetected]
    if undetected:
        lines.append(f"\n{len(undetected)} mutants not detected (mutmut show NAME):")
        lines.extend(f"  {name}: {status}" for name, status in undetected)
    return "\n".join(lines)


def markdown(scores: list[ModuleScore]) -> str:
    """A Markdown table of each module's progress (docs/reliability.md quotes it)."""
    lines = [
        "| Module | Mutants | Decided | Undetected | Score of the decided |",
        "|---|---|---|---|---|",
    ]
    for score in [*scores, total(scores)]:
        name = score.module.removeprefix("custadvocacy/")
        name = f"`{name}`" if score.module != "overall" else "**overall**"
        lines.append(
            f"| {name} | {score.counted + score.skipped:,} | {score.decided:,} | "
            f"{score.decided - score.detected:,} | {score.decided_score:.1f} % |"
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
    args = parser.parse_args(argv)
    scores = load(args.mutants)
    if args.markdown:
        sys.stdout.write(markdown(scores) + "\n")
        return 0
    sys.stdout.write(report(scores) + "\n")
    problems = failures(scores)
    for problem in problems:
        sys.stdout.write(f"FAIL: {problem}\n")
    if not problems:
        sys.stdout.write("mutation gate: ok\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
