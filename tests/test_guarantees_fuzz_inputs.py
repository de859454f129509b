"""Every crash input the fuzzers ever saved replays cleanly (docs/reliability.md).

``tests/test_fuzz.py`` replays ``fuzz/regressions/TARGET/`` against the targets in
``TARGETS``. A target with a known open bug sits in ``PENDING`` and saves its crashes to
``fuzz/pending/TARGET/``; those inputs are replayed here against that target, so a crash
found before its fix landed is a regression test from the moment it was saved (the bug
itself is also pinned, in its smallest form, in ``tests/test_fuzz_findings.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _scripts import ROOT, load_script

FUZZ = ROOT / "fuzz"


targets = load_script("fuzz/targets.py", "fuzz_targets_for_saved_inputs")
ALL_TARGETS = {**targets.TARGETS, **targets.PENDING}
SAVED = sorted(
    (path.parent.parent.name, path.parent.name, path)
    for folder in ("pending", "regressions")
    for path in (FUZZ / folder).glob("*/*")
    if path.is_file() and not path.name.startswith(".")
)


def test_every_saved_input_belongs_to_a_target() -> None:
    assert {target for _, target, _ in SAVED} <= set(ALL_TARGETS)


@pytest.mark.parametrize(
    ("folder", "target", "path"), SAVED, ids=[f"{f}/{t}/{p.name}" for f, t, p in SAVED]
)
def test_saved_crash_input_replays_cleanly(folder: str, target: str, path: Path) -> None:
    assert folder in {"pending", "regressions"}
    ALL_TARGETS[target](path.read_bytes())
