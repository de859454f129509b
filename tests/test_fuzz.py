"""The fuzz targets as tests: saved inputs replay, and a seeded stream of random inputs.

``fuzz/run.py`` (atheris, coverage-guided) finds new inputs; every input it saved in
``fuzz/regressions/TARGET/`` is replayed here forever after. The random stream keeps
each target's harness exercised in every run even where atheris is not installed.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from _scripts import ROOT, load_script

import custadvocacy as ca

FUZZ = ROOT / "fuzz"


targets = load_script("fuzz/targets.py", "fuzz_targets")

SAVED = sorted(
    (path.parent.name, path) for path in (FUZZ / "regressions").glob("*/*") if path.is_file()
)


@pytest.mark.parametrize(("target", "path"), SAVED, ids=[f"{t}/{p.name}" for t, p in SAVED])
def test_saved_input_replays_cleanly(target: str, path: Path) -> None:
    targets.TARGETS[target](path.read_bytes())


@pytest.mark.parametrize("target", sorted(targets.TARGETS))
def test_random_inputs_keep_the_invariant(target: str) -> None:
    rng = random.Random(f"custadvocacy-fuzz-{target}")  # noqa: S311 - reproducible inputs, not crypto
    run = targets.TARGETS[target]
    for _ in range(150):
        run(rng.randbytes(rng.randrange(1, 200)))


def test_the_invariant_check_catches_a_foreign_exception() -> None:
    with pytest.raises(targets.FuzzInvariantError, match="KeyError"):
        targets._check_error(KeyError("x"))


def test_the_invariant_check_catches_nan_in_a_result() -> None:
    with pytest.raises(targets.FuzzInvariantError, match=r"result\.a\[1\]"):
        targets._check_finite({"a": [1.0, float("nan")]})


def test_a_mutating_library_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def mutating_from_dict(_cls: type, payload: dict[str, object], **_: object) -> object:
        payload["id"] = "changed"
        raise ca.ValidationError([ca.Problem("id", "changed", "x")])

    monkeypatch.setattr(ca, "from_dict", mutating_from_dict)
    with pytest.raises(targets.FuzzInvariantError, match="from_dict changed what it was given"):
        targets._build(ca.Customer, {"id": "C1"}, "reject")
