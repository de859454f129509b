"""Developer entry point: ``python3 dev.py demo`` and ``python3 dev.py test``.

Each command sets up what it needs by itself (a virtual environment in ``.venv``
with the package installed in editable mode and the dependency groups the command
needs), so a fresh clone on a machine with only Python 3.11+ and the package index
runs them as they are. Set-up is skipped when ``pyproject.toml`` has not changed
since the last install.

Commands:
    demo   the example portfolio assessed, ranked, with briefs
    test   lint, format check, ``mypy --strict``, pytest with doctests and coverage
    bench  the benchmark scripts in ``bench/`` (see docs/performance.md)
    docs   the Sphinx site, warnings as errors (``docs/_build/html``)
    fuzz   the atheris fuzz targets (``fuzz/run.py``; ``--seconds N`` per target, ``--seed S``)
    mutation  mutmut over src/ and the score gate (``mutation/run.py``; ``--only foundation``,
           ``--gate-only``; see docs/reliability.md). Hours on 2 cores: not part of ``test``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

# What each command installs: extras of the package and dependency groups.
PROFILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "demo": ("", ()),
    "test": ("testing,plot,dask", ("dev",)),
    "bench": ("", ()),
    "docs": ("testing", ("docs", "test")),  # the API pages import the pytest plugin
    "fuzz": ("", ("fuzz",)),
    # The mutants run the tests the test command runs: the plot and dask tests too.
    "mutation": ("testing,plot,dask", ("mutation",)),
}

LINTED = ("src", "tests", "bench", "docs", "fuzz", "mutation", "dev.py")

# The short fuzz the test command runs: seconds per target (8 targets, one per core at a
# time: under 2 minutes on 2 cores).
TEST_FUZZ_SECONDS = "25"


def _run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    cmd = [str(a) for a in args]
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(
        cmd, cwd=ROOT, check=False, env=None if env is None else os.environ | env
    )
    if result.returncode != 0:
        sys.exit(result.returncode)


def _setup(profile: str) -> None:
    extras, groups = PROFILES[profile]
    # Reinstall when the project's dependencies or this profile's extras/groups change.
    recipe = (ROOT / "pyproject.toml").read_bytes() + repr(PROFILES[profile]).encode()
    digest = hashlib.sha256(recipe).hexdigest()
    stamp = VENV / f".installed-{profile}"
    if stamp.exists() and stamp.read_text() == digest and PY.exists():
        return
    if not PY.exists():
        print(f"+ creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    quiet = "--quiet"
    # Dependency groups (PEP 735) need pip >= 25.1.
    _run(PY, "-m", "pip", "install", quiet, "--upgrade", "pip>=25.1")
    target = f".[{extras}]" if extras else "."
    group_args = [f"--group={g}" for g in groups]
    # pip byte-compiles what it installs (about 15 s on a fresh clone). Not skipped: where
    # PYTHONDONTWRITEBYTECODE is set, as on our CI machines, nothing else would ever write
    # the .pyc files, and every Python process the tests start would compile numpy anew.
    _run(PY, "-m", "pip", "install", quiet, "--editable", target, *group_args)
    stamp.write_text(digest)


def demo() -> None:
    _setup("demo")
    _run(PY, "-m", "custadvocacy", "demo")


def test() -> None:
    _setup("test")
    _run(PY, "-m", "ruff", "check", *LINTED)
    _run(PY, "-m", "ruff", "format", "--check", *LINTED)
    _run(PY, "-m", "mypy", "--strict", "src", "tests", "fuzz", "mutation")
    # One worker per core: the suite is CPU-bound (hypothesis properties, doc builds).
    # --dist=loadfile keeps a page's examples on one worker: they share one namespace.
    # The CI Hypothesis profile (300 examples per property, derandomized: a red run
    # reproduces) wherever the whole suite runs, not only where a runner sets CI.
    profile = {"HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "ci")}
    # The slowest tests, listed at the end of every run: the suite must stay well under
    # CI's limit, and a test that grew slow shows up here before it becomes a problem.
    pytest = ("-m", "pytest", "--numprocesses=auto", "--dist=loadfile", "--durations=25")
    _run(PY, *pytest, env=profile)
    _run(PY, "fuzz/run.py", "--seconds", TEST_FUZZ_SECONDS)


def bench() -> None:
    _setup("bench")
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        _run(PY, script)


def docs() -> None:
    _setup("docs")
    _run(PY, "-m", "sphinx", "-n", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")


def fuzz(*args: str) -> None:
    _setup("fuzz")
    _run(PY, "fuzz/run.py", *args)


def mutation(*args: str) -> None:
    _setup("mutation")
    _run(PY, "mutation/run.py", *args)


COMMANDS = {
    "demo": demo,
    "test": test,
    "bench": bench,
    "docs": docs,
    "fuzz": fuzz,
    "mutation": mutation,
}
TAKES_ARGUMENTS = {"fuzz", "mutation"}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in COMMANDS or (len(argv) > 1 and argv[0] not in TAKES_ARGUMENTS):
        print(__doc__)
        sys.exit(2)
    COMMANDS[argv[0]](*argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
