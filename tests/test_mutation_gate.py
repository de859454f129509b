"""The mutation gate's scoring, on synthetic mutmut result files (no mutmut run needed)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from _scripts import load_script
from hypothesis import given
from hypothesis import strategies as st

gate = load_script("mutation/gate.py", "mutation_gate")

# The thresholds may only go up: these are their floors (raise both together).
FLOORS = {
    "custadvocacy/_money.py": 95.0,
    "custadvocacy/_domain.py": 95.0,
    "custadvocacy/_convert/": 95.0,
}


def _write(root: Path, module: str, codes: dict[str, int | None]) -> None:
    meta = root / "src" / f"{module}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    # The other keys mutmut writes; the gate must read only exit_code_by_key.
    data = {"exit_code_by_key": codes, "durations_by_key": {}, "estimated_durations_by_key": {}}
    meta.write_text(json.dumps(data), encoding="utf-8")


def test_thresholds_never_go_below_their_floors() -> None:
    assert gate.OVERALL_THRESHOLD >= 90.0
    for module, floor in FLOORS.items():
        assert gate.THRESHOLDS[module] >= floor


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (1, "killed"),
        (3, "killed"),
        (36, "timeout"),
        (-24, "timeout"),
        (37, "caught by type check"),
        (-11, "crash"),
        (0, "survived"),
        (5, "no tests"),
        (33, "no tests"),
        (34, "skipped"),
        (None, "not checked"),
        (2, "not checked"),
        (35, "suspicious"),
        (99, "suspicious"),
    ],
)
def test_exit_codes_are_classified_as_mutmut_does(code: int | None, status: str) -> None:
    assert gate.classify(code) == status


def test_score_counts_undetected_and_unchecked_but_not_skipped() -> None:
    score = gate.score_module(
        "custadvocacy/_x.py",
        {"m1": 1, "m2": 36, "m3": 0, "m4": 5, "m5": None, "m6": 34, "m7": 37, "m8": 35},
    )
    assert (score.detected, score.counted, score.skipped) == (3, 7, 1)
    assert score.score == pytest.approx(300 / 7)
    assert score.undetected == [
        ("m3", "survived"),
        ("m4", "no tests"),
        ("m5", "not checked"),
        ("m8", "suspicious"),
    ]


def test_a_module_without_counted_mutants_scores_full() -> None:
    assert gate.score_module("custadvocacy/_x.py", {"m1": 34}).score == 100.0


def test_gate_passes_when_every_bar_is_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "custadvocacy/_money.py", {f"m{i}": 1 for i in range(20)})
    _write(tmp_path, "custadvocacy/_other.py", {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1})
    assert gate.main(["--mutants", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "mutation gate: ok" in out
    assert "custadvocacy/_money.py" in out


def test_gate_fails_a_foundation_module_below_its_own_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 93 % passes the overall bar but not the 95 % of _money.
    codes: dict[str, int | None] = {f"k{i}": 1 for i in range(93)}
    codes.update({f"s{i}": 0 for i in range(7)})
    _write(tmp_path, "custadvocacy/_money.py", codes)
    assert gate.main(["--mutants", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL: custadvocacy/_money.py 93.0 % < 95.0 %" in out
    assert "s0: survived" in out
    assert "7 mutants not detected" in out


def test_a_package_bar_holds_for_each_of_its_modules(tmp_path: Path) -> None:
    codes: dict[str, int | None] = {f"k{i}": 1 for i in range(93)}
    codes.update({f"s{i}": 0 for i in range(7)})
    _write(tmp_path, "custadvocacy/_convert/_parsers.py", codes)
    _write(tmp_path, "custadvocacy/_converter.py", codes)  # a name sharing the prefix only
    assert gate.bar_of("custadvocacy/_convert/_parsers.py") == 95.0
    assert gate.bar_of("custadvocacy/_converter.py") == gate.OVERALL_THRESHOLD
    assert gate.failures(gate.load(tmp_path)) == [
        "custadvocacy/_convert/_parsers.py 93.0 % < 95.0 %"
    ]


def test_gate_fails_the_overall_bar(tmp_path: Path) -> None:
    _write(tmp_path, "custadvocacy/_a.py", {"k": 1, "s": 0})
    scores = gate.load(tmp_path)
    assert [s.module for s in scores] == ["custadvocacy/_a.py"]
    assert gate.failures(scores) == [
        "overall 50.0 % < 90.0 %",
        "custadvocacy/_a.py 50.0 % < 90.0 %",
    ]


def test_gate_fails_without_results(tmp_path: Path) -> None:
    assert gate.failures(gate.load(tmp_path)) == ["no mutation results: run mutation/run.py first"]


def test_files_without_mutants_are_left_out_and_overall_sums_modules(tmp_path: Path) -> None:
    _write(tmp_path, "custadvocacy/_empty.py", {})
    _write(tmp_path, "custadvocacy/_a.py", {"k": 1, "s": 0})
    _write(tmp_path, "custadvocacy/sub/_b.py", {"k": 1, "t": 36, "x": 34})
    scores = gate.load(tmp_path)
    assert [s.module for s in scores] == ["custadvocacy/_a.py", "custadvocacy/sub/_b.py"]
    overall = gate.total(scores)
    assert (overall.detected, overall.counted, overall.skipped) == (3, 4, 1)
    assert "overall" in gate.report(scores)


def test_the_progress_table_counts_what_was_decided(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "custadvocacy/_a.py", {"k": 1, "s": 0, "n": None, "x": 34})
    _write(tmp_path, "custadvocacy/sub/_b.py", {"k": 1, "t": 36, "q": 5, "u": None})
    scores = gate.load(tmp_path)
    assert [(s.decided, round(s.decided_score, 1)) for s in scores] == [(2, 50.0), (3, 66.7)]
    assert gate.main(["--mutants", str(tmp_path), "--markdown"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        (
            "| Module | Mutants | Decided | Equivalent | Undetected | Not checked "
            "| Score of the decided |"
        ),
        "|---|---|---|---|---|---|---|",
        "| `_a.py` | 4 | 2 | 0 | 1 | 1 | 50.0 % |",
        "| `sub/_b.py` | 4 | 3 | 0 | 1 | 1 | 66.7 % |",
        "| **overall** | 8 | 5 | 0 | 2 | 2 | 60.0 % |",
    ]
    assert gate.score_module("custadvocacy/_c.py", {"n": None}).decided_score == 100.0


# The sample behind the estimate (gate.py --sample).

names_lists = st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=60)


@given(names=names_lists, size=st.integers(0, 70))
def test_a_sample_is_the_same_whatever_the_order_and_holds_every_smaller_one(
    names: list[str], size: int
) -> None:
    chosen = gate.sample(names, size)
    assert len(chosen) == min(size, len(names))
    assert set(chosen) <= set(names)
    assert chosen == gate.sample(list(reversed(names)), size)
    assert set(gate.sample(names, size // 2)) <= set(chosen)


@given(names=names_lists, extra=st.text(min_size=13, max_size=20))
def test_another_mutant_in_the_module_swaps_at_most_one_of_the_sample(
    names: list[str], extra: str
) -> None:
    before, after = set(gate.sample(names, 5)), set(gate.sample([*names, extra], 5))
    assert len(before - after) <= 1
    assert after - before <= {extra}


def test_a_sample_draws_evenly_from_all_of_a_module() -> None:
    names = [f"custadvocacy._m.x_f__mutmut_{i}" for i in range(10_000)]
    chosen = gate.sample(names, 1_000)
    per_tenth = [
        sum(1 for n in chosen if int(n.rpartition("_")[2]) // 1_000 == t) for t in range(10)
    ]
    # 100 expected per tenth; a binomial's standard deviation is 9.5.
    assert all(60 <= count <= 140 for count in per_tenth), per_tenth


@pytest.mark.parametrize(
    ("decided", "detected", "mutants", "interval"),
    [
        (20, 19, 400, (76.4, 99.1)),  # Wilson's interval, worked by hand
        (20, 20, 400, (83.9, 100.0)),
        (20, 0, 400, (0.0, 16.1)),
        (20, 19, 20, (95.0, 95.0)),  # the whole module: exact
        (0, 0, 400, (0.0, 100.0)),  # nothing known yet
    ],
)
def test_an_estimate_has_a_95_percent_wilson_interval(
    decided: int, detected: int, mutants: int, interval: tuple[float, float]
) -> None:
    estimate = gate.Estimate("m", mutants=mutants, sampled=20, decided=decided, detected=detected)
    assert estimate.interval == pytest.approx(interval, abs=0.05)


def test_a_module_is_estimated_from_its_sample_without_skipped_or_unchecked_mutants() -> None:
    codes: dict[str, int | None] = {f"k{i}": 1 for i in range(30)}
    codes.update({f"s{i}": 0 for i in range(10)})
    codes.update({f"n{i}": None for i in range(10)})
    codes.update({f"x{i}": 34 for i in range(10)})  # skipped: not in the population
    estimate = gate.estimate_module("custadvocacy/_a.py", codes, size=20)
    chosen = gate.sample([n for n in codes if not n.startswith("x")], 20)
    assert (estimate.mutants, estimate.sampled) == (50, 20)
    assert estimate.decided == sum(not n.startswith("n") for n in chosen)
    assert estimate.detected == sum(n.startswith("k") for n in chosen)


def test_the_overall_estimate_weighs_each_module_by_its_mutants() -> None:
    big = gate.Estimate("big", mutants=900, sampled=20, decided=20, detected=18)
    small = gate.Estimate("small", mutants=100, sampled=20, decided=20, detected=20)
    unchecked = gate.Estimate("later", mutants=5_000, sampled=20, decided=0, detected=0)
    score, low, high = gate.stratified([big, small, unchecked])
    assert score == pytest.approx(0.9 * 90.0 + 0.1 * 100.0)
    # Agresti-Coull shares: 20/24 and 22/24, with the finite-population correction.
    variance = 0.81 * (20 / 24) * (4 / 24) / 20 * (1 - 20 / 900)
    variance += 0.01 * (22 / 24) * (2 / 24) / 20 * (1 - 20 / 100)
    half = 1.959964 * 100 * variance**0.5
    assert (low, high) == pytest.approx((score - half, min(100.0, score + half)))
    whole = gate.Estimate("whole", mutants=20, sampled=20, decided=20, detected=19)
    assert gate.stratified([whole]) == pytest.approx((95.0, 95.0, 95.0))
    assert gate.stratified([unchecked]) == (100.0, 0.0, 100.0)


def test_the_estimate_table_says_what_is_not_checked_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "custadvocacy/_a.py", {"k": 1, "s": 0, "x": 34})
    _write(tmp_path, "custadvocacy/sub/_b.py", {"n": None})
    assert gate.main(["--mutants", str(tmp_path), "--sample"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "| Module | Mutants | Sampled | Decided | Detected | Estimate (95 % interval) |",
        "|---|---|---|---|---|---|",
        "| `_a.py` | 2 | 2 | 2 | 1 | 50.0 % (50-50 %) |",
        "| `sub/_b.py` | 1 | 1 | 0 | 0 | not checked |",
        "| **overall** | 3 | 3 | 2 | 1 | 50.0 % (50.0-50.0 %; 1 sampled not checked) |",
    ]


# Equivalent mutants, recognised by the change mutmut made.


def _rule(original: str, mutant: str) -> str | None:
    rule: str | None = gate.rule_of(ast.parse(original), ast.parse(mutant))
    return rule


@pytest.mark.parametrize(
    ("original", "mutant", "rule"),
    [
        ("y = x.astype(np.float64) / 2", "y = x.astype(None) / 2", "astype-float64"),
        ("y = np.zeros(n, dtype=np.float64)", "y = np.zeros(n, dtype=None)", "default-float64"),
        ("y = np.empty(n, dtype=np.float64)", "y = np.empty(n, )", "default-float64"),
        (
            "y = np.ones((n, 2), order='C', dtype=np.float64)",
            "y = np.ones((n, 2), order='C')",
            "default-float64",
        ),
        # Not equivalent everywhere: another dtype, another function, more than one change.
        ("y = x.astype(np.int64)", "y = x.astype(None)", None),
        ("y = np.asarray(x, dtype=np.float64)", "y = np.asarray(x, dtype=None)", None),
        ("y = np.full(n, 1, dtype=np.float64)", "y = np.full(n, 1)", None),
        ("y = np.zeros(n, order='C', dtype=np.float64)", "y = np.zeros(n, dtype=np.float64)", None),
        ("y = x.astype(np.float64) / 2", "y = x.astype(None) / 3", None),
        ("y = np.zeros(n, dtype=np.float64)", "y = np.zeros(n + 1, dtype=None)", None),
        ("y = f(np.float64)", "y = f(None)", None),
        ("y = x.astype(np.float64)", "y = x.astype(np.float64)", None),  # no change at all
        ("global a, b\ny = 1", "global a, c\ny = 1", None),  # plain values in a list
        ("return x", "return", None),
        ('y = typing.cast("float", p)', 'y = typing.cast("FLOAT", p)', "cast-type"),
        ('y = cast("T", p)', 'y = cast("XXTXX", p)', "cast-type"),
        ('y = typing.cast("float", p)', "y = typing.cast(None, p)", "cast-type"),
        ('y = typing.cast("float", p)', 'y = typing.cast("float", None)', None),
        ('y = other.cast("float", p)', 'y = other.cast("FLOAT", p)', None),
        ('y = f("float", p)', 'y = f("FLOAT", p)', None),
    ],
)
def test_only_changes_equivalent_everywhere_match_a_rule(
    original: str, mutant: str, rule: str | None
) -> None:
    assert _rule(original, mutant) == rule
    assert rule is None or rule in gate.EQUIVALENCE_RULES


MUTATED = """
def x_f__mutmut_orig(x, n=1):
    return x.astype(np.float64) * n

def x_f__mutmut_1(x, n=1):
    return x.astype(None) * n

def x_f__mutmut_2(x, n=2):
    return x.astype(None) * n

def x_f__mutmut_3(x, n=1):
    return x.astype(np.float64) / n
"""


def _mutated_module(root: Path, codes: dict[str, int | None]) -> None:
    _write(root, "custadvocacy/_m.py", codes)
    (root / "src" / "custadvocacy" / "_m.py").write_text(MUTATED, encoding="utf-8")


def test_a_survivor_whose_one_change_is_equivalent_does_not_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [f"custadvocacy._m.x_f__mutmut_{i}" for i in (1, 2, 3)]
    codes: dict[str, int | None] = dict.fromkeys(names, 0)
    # Mutant 2 also changed a default: not one change; mutant 3 is a real survivor.
    assert gate.equivalents(tmp_path, "custadvocacy/_m.py", names) == {}  # no mutated copy
    _mutated_module(tmp_path, codes)
    assert gate.equivalents(tmp_path, "custadvocacy/_m.py", names) == {names[0]: "astype-float64"}
    assert gate.equivalents(tmp_path, "custadvocacy/_m.py", ["custadvocacy._m.x_g__mutmut_1"]) == {}
    (score,) = gate.load(tmp_path)
    assert (score.detected, score.counted) == (0, 2)
    assert score.equivalent == [(names[0], "astype-float64")]
    assert gate.markdown([score]).splitlines()[2] == "| `_m.py` | 3 | 2 | 1 | 2 | 0 | 0.0 % |"
    assert gate.main(["--mutants", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "1 survivors left out as equivalent:\n  astype-float64 (1): x.astype(None)" in out
    assert f"{names[0]}: survived" not in out
    assert f"{names[2]}: survived" in out


def test_an_equivalent_survivor_leaves_the_estimate_and_its_population() -> None:
    codes: dict[str, int | None] = {f"k{i}": 1 for i in range(30)}
    codes.update({f"e{i}": 0 for i in range(10)})
    equivalent = {f"e{i}" for i in range(10)}
    estimate = gate.estimate_module("custadvocacy/_a.py", codes, size=20, equivalent=equivalent)
    chosen = gate.sample(codes, 20)
    assert estimate.mutants == 30
    assert estimate.sampled == estimate.decided == estimate.detected
    assert estimate.sampled == sum(n.startswith("k") for n in chosen) < 20


# -------------------------------------------------------------- reviewed equivalents

M = "custadvocacy._m.xǁKǁf__mutmut_"  # mutmut's names: the class and method with ǁ


def _reviewed_module(root: Path, codes: dict[str, int | None], digest: str = "h1") -> None:
    meta = root / "src" / "custadvocacy" / "_m.py.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    data = {"exit_code_by_key": codes, "hash_by_function_name": {"xǁKǁf": digest}}
    meta.write_text(json.dumps(data), encoding="utf-8")


def _toml(path: Path, *entries: tuple[str, str, str]) -> Path:
    path.write_text(
        "".join(f'\n[[mutant]]\nname = "{n}"\nhash = "{h}"\nwhy = "{w}"\n' for n, h, w in entries),
        encoding="utf-8",
    )
    return path


def test_a_reviewed_survivor_leaves_the_score_while_its_function_is_unchanged(
    tmp_path: Path,
) -> None:
    codes: dict[str, int | None] = {f"{M}1": 0, f"{M}2": 0, f"{M}3": 1}
    _reviewed_module(tmp_path, codes)
    listed = gate.read_reviewed(
        _toml(tmp_path / "eq.toml", (f"{M}1", "h1", "a cache"), (f"{M}3", "h1", "wrongly"))
    )
    assert listed[0] == gate.Reviewed(f"{M}1", "h1", "a cache")
    (score,) = gate.load(tmp_path, listed)
    # Mutant 1 is left out; mutant 3 was killed, so its entry changes nothing.
    assert (score.detected, score.counted) == (1, 2)
    assert score.equivalent == [(f"{M}1", "reviewed")]
    assert "  reviewed (1): read one by one; each with why in mutation/equivalent.toml" in (
        gate.report([score])
    )
    assert gate.stale(tmp_path, listed, gate.exit_codes(tmp_path)) == [(listed[1], "killed")]
    # The function changed: the entry no longer counts and is to be read again.
    _reviewed_module(tmp_path, codes, digest="h2")
    (score,) = gate.load(tmp_path, listed)
    assert (score.counted, score.equivalent) == (3, [])
    assert gate.stale(tmp_path, listed, gate.exit_codes(tmp_path))[0] == (
        listed[0],
        "its function changed since it was read",
    )


def test_an_entry_for_a_mutant_no_run_has_is_stale(tmp_path: Path) -> None:
    _reviewed_module(tmp_path, {f"{M}1": None})
    listed = (gate.Reviewed(f"{M}1", "h1", "x"), gate.Reviewed(f"{M}9", "h1", "x"))
    assert gate.stale(tmp_path, listed, gate.exit_codes(tmp_path)) == [
        (listed[0], "not checked"),
        (listed[1], "no such mutant"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[mutant]]\nname = "a"\nhash = "h"\n', "mutant 1 needs a non-empty name, hash and why"),
        ('[[mutant]]\nname = "a"\nhash = "h"\nwhy = " "\n', "mutant 1 needs a non-empty"),
        ('[[mutant]]\nname = "a"\nhash = "h"\nwhy = "w"\nhow = "?"\n', "mutant 1 needs"),
        ('[[mutant]]\nname = "a"\nhash = 1\nwhy = "w"\n', "mutant 1 needs"),
        ("[[mutant]\n", "not TOML"),
        ('[[mutant]]\nname = "a"\nhash = "h"\nwhy = "w"\n' * 2, "a is listed twice"),
    ],
)
def test_a_bad_reviewed_file_is_refused_naming_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "eq.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match=message):
        gate.read_reviewed(path)
    assert gate.read_reviewed(tmp_path / "none.toml") == ()


def test_marking_a_survivor_appends_it_with_its_functions_hash(tmp_path: Path) -> None:
    _reviewed_module(tmp_path, {f"{M}1": 0, f"{M}2": 1, f"{M}3": 0})
    path = _toml(tmp_path / "eq.toml", (f"{M}3", "h1", "first"))
    why = 'a cache: a miss computes the same "value" again'
    assert gate.mark_reviewed(tmp_path, f"{M}1", f"  {why} ", path) == gate.Reviewed(
        f"{M}1", "h1", why
    )
    assert gate.read_reviewed(path)[1] == gate.Reviewed(f"{M}1", "h1", why)
    for name, message in [
        (f"{M}1", "already in eq.toml"),
        (f"{M}2", "killed, not a survivor"),
        (f"{M}7", "no such mutant"),
    ]:
        with pytest.raises(SystemExit, match=message):
            gate.mark_reviewed(tmp_path, name, "why", path)
    with pytest.raises(SystemExit, match="or no why"):
        gate.mark_reviewed(tmp_path, f"{M}3", "  ", tmp_path / "other.toml")


def _entries(path: Path, header: str, *entries: tuple[int, str], newline: str = "\n") -> str:
    text = header + "".join(
        f'\n[[mutant]]\nname = "{M}{n}"\nhash = "{h}"\nwhy = "why {n}"\n' for n, h in entries
    )
    path.write_bytes(text.replace("\n", newline).encode())
    return text


def test_pruning_drops_only_entries_no_run_can_need_again(tmp_path: Path) -> None:
    codes: dict[str, int | None] = {
        **{f"{M}{n}": 0 for n in (1, 7)},
        f"{M}2": 1,
        f"{M}3": 37,
        f"{M}4": None,
        f"{M}5": 36,  # a timeout: perhaps only the loaded machine's
    }
    _reviewed_module(tmp_path, codes)
    path = tmp_path / "eq.toml"
    header = "# Survivors read one by one.\n"
    read_at = [(1, "h1"), (2, "h1"), (3, "h1"), (4, "h1"), (5, "h1"), (6, "h0"), (7, "h0")]
    _entries(path, header, *read_at, (9, "h1"))
    pruned = gate.prune_reviewed(tmp_path, path)
    # Read at the function's present code: killed, caught by type check, no longer made.
    assert [(entry.name, why) for entry, why in pruned] == [
        (f"{M}2", "killed"),
        (f"{M}3", "caught by type check"),
        (f"{M}9", "mutmut no longer makes it"),
    ]
    # Kept: a survivor, a mutant not checked yet, a timeout, and the entries read at an
    # older code of the function (6 is gone now, 7 survives: both may be others now).
    kept = [(1, "h1"), (4, "h1"), (5, "h1"), (6, "h0"), (7, "h0")]
    assert path.read_text(encoding="utf-8") == _entries(tmp_path / "x.toml", header, *kept)
    # Pruning again finds nothing and leaves the file as it is.
    assert gate.prune_reviewed(tmp_path, path) == []
    assert path.read_text(encoding="utf-8") == _entries(tmp_path / "x.toml", header, *kept)


def test_pruning_drops_the_entries_of_a_function_gone(tmp_path: Path) -> None:
    _reviewed_module(tmp_path, {f"{M}1": 0})
    path = tmp_path / "eq.toml"
    other = "custadvocacy._m.x_gone__mutmut_3"
    path.write_text(
        f'[[mutant]]\nname = "{M}1"\nhash = "h1"\nwhy = "a"\n'  # no header, no blank line
        f'[[mutant]]\nname = "{other}"\nhash = "h1"\nwhy = "b"\n'
        '[[mutant]]\nname = "custadvocacy._elsewhere.x_f__mutmut_1"\nhash = "h"\nwhy = "c"\n',
        encoding="utf-8",
    )
    assert [why for _, why in gate.prune_reviewed(tmp_path, path)] == ["its function is gone"]
    # A module this run has no results of keeps its entries.
    assert [entry.name for entry in gate.read_reviewed(path)] == [
        f"{M}1",
        "custadvocacy._elsewhere.x_f__mutmut_1",
    ]


def test_pruning_keeps_line_endings_and_refuses_what_it_would_lose(tmp_path: Path) -> None:
    _reviewed_module(tmp_path, {f"{M}1": 0, f"{M}2": 1})
    path = tmp_path / "eq.toml"
    header = "# Survivors.\n"
    _entries(path, header, (1, "h1"), (2, "h1"), newline="\r\n")
    assert len(gate.prune_reviewed(tmp_path, path)) == 1
    assert (
        path.read_bytes()
        == _entries(tmp_path / "x.toml", header, (1, "h1")).replace("\n", "\r\n").encode()
    )
    # A comment between entries would be lost: the file is left as it is.
    text = _entries(path, header, (1, "h1"), (2, "h1")).replace(
        "\n\n[[mutant]]", "\n# about the next one\n[[mutant]]"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match="a comment between entries would be lost"):
        gate.prune_reviewed(tmp_path, path)
    assert path.read_text(encoding="utf-8") == text
    # Without mutmut's results every entry would look gone: nothing is pruned.
    with pytest.raises(SystemExit, match="no mutmut results under"):
        gate.prune_reviewed(tmp_path / "elsewhere", path)


def test_the_gate_prunes_on_request_and_says_what_it_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _reviewed_module(tmp_path, {f"{M}1": 0, f"{M}2": 1})
    path = _toml(tmp_path / "eq.toml", (f"{M}1", "h1", "a"), (f"{M}2", "h1", "b"))
    monkeypatch.setattr(gate, "REVIEWED", path)
    assert gate.main(["--mutants", str(tmp_path), "--prune-stale"]) == 0
    assert capsys.readouterr().out == f"1 entry of eq.toml dropped:\n  {M}2: killed\n"
    assert [entry.name for entry in gate.read_reviewed(path)] == [f"{M}1"]
    assert gate.main(["--mutants", str(tmp_path), "--prune-stale"]) == 0
    assert capsys.readouterr().out == (
        "0 entries of eq.toml dropped (none is detected now or gone)\n"
    )
    with pytest.raises(SystemExit):
        gate.main(["--prune-stale", "--mark-equivalent", f"{M}1"])
    assert "not allowed with argument" in capsys.readouterr().err
