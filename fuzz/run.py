"""Run the fuzz targets with atheris: ``python fuzz/run.py [--seconds N] [--seed S] [TARGET ...]``.

Each target runs in its own process (libFuzzer exits when its time is up) for
``--seconds`` with a fixed ``--seed``, growing a corpus in ``.fuzz/corpus/TARGET``;
``--jobs`` targets at a time (default: one per core), each on one core.
An input that breaks the invariant is saved to ``fuzz/regressions/TARGET/`` (where
``tests/test_fuzz.py`` replays it from then on) and the run fails. A target in
``targets.PENDING`` has a known open bug: its crashes go to ``fuzz/pending/TARGET/`` and
are reported without failing the run. The summary
line per target gives the inputs tried, so docs/reliability.md can quote it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _child(target: str, libfuzzer_args: list[str]) -> None:
    import atheris  # type: ignore[import-untyped]  # noqa: PLC0415 - only the child needs it

    sys.path.insert(0, str(HERE))
    with atheris.instrument_imports(include=["custadvocacy", "targets"]):
        import targets  # noqa: PLC0415

    atheris.Setup([sys.argv[0], *libfuzzer_args], {**targets.TARGETS, **targets.PENDING}[target])
    atheris.Fuzz()


def _run(target: str, seconds: int, seed: int, *, pending: bool) -> tuple[bool, str]:
    corpus = ROOT / ".fuzz" / "corpus" / target
    crashes = ROOT / ".fuzz" / "crashes" / target
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    args = [
        f"-max_total_time={seconds}",
        f"-seed={seed}",
        f"-artifact_prefix={crashes}/",
        "-max_len=4096",
        "-timeout=10",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
        str(corpus),
    ]
    cmd = [sys.executable, __file__, "--child", target, "--", *args]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    log = result.stderr
    runs = re.findall(r"Done (\d+) runs in (\d+) second", log)
    figures = f"{runs[-1][0]} inputs in {runs[-1][1]} s" if runs else "no summary"
    if result.returncode == 0:
        return True, figures
    saved = ROOT / "fuzz" / ("pending" if pending else "regressions") / target
    saved.mkdir(parents=True, exist_ok=True)
    for artifact in crashes.iterdir():
        shutil.copy(artifact, saved / artifact.name)
    tail = "\n".join(log.splitlines()[-40:])
    return False, f"{figures}; FAILED, inputs saved to {saved}\n{tail}"


def _at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        msg = f"must be at least 1, got {number}"
        raise argparse.ArgumentTypeError(msg)
    return number


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[sys.argv.index("--") + 1 :])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    parser.add_argument("--seconds", type=int, default=30, help="time per target")
    parser.add_argument("--seed", type=int, default=1, help="libFuzzer seed")
    parser.add_argument(
        "--jobs",
        type=_at_least_one,
        default=os.cpu_count() or 1,
        help="targets fuzzed at once (default: one per core)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import targets  # noqa: PLC0415

    chosen = args.targets or sorted({**targets.TARGETS, **targets.PENDING})

    def run(name: str) -> tuple[bool, str]:
        return _run(name, args.seconds, args.seed, pending=name in targets.PENDING)

    ok = True
    # Threads only wait: each target fuzzes in its own process, on its own core.
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name, (passed, figures) in zip(chosen, pool.map(run, chosen), strict=True):
            pending = name in targets.PENDING
            verdict = "ok" if passed else "known bug, still open" if pending else "FAILED"
            print(f"fuzz {name}: {verdict} ({figures})", flush=True)
            # A pending target's crash is a known, open bug (a strict xfail in the tests):
            # it is reported and saved, but only a new kind of failure turns the run red.
            ok = ok and (passed or pending)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
