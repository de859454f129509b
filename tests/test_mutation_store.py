"""Saving and restoring mutmut's results (mutation/store.py), on synthetic .meta files."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from _scripts import load_script
from hypothesis import given, settings
from hypothesis import strategies as st

# mutmut's own naming and .meta reader: the store must agree with the tool, not a copy of it.
format_utils = pytest.importorskip("mutmut.utils.format_utils")
mutation_data = pytest.importorskip("mutmut.mutation.data")
get_mutant_name = format_utils.get_mutant_name


store = load_script("mutation/store.py", "mutation_store")

Meta = dict[str, dict[str, object]]  # source path -> the .meta file's content


def _key(module: str, function: str, number: int) -> str:
    """A mutant's name as mutmut itself builds it from its source path."""
    return str(get_mutant_name(Path(module), f"{function}__mutmut_{number}"))


def _write_metas(root: Path, metas: Meta) -> None:
    for module, data in metas.items():
        path = root / f"{module}.meta"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")


def _read_metas(root: Path) -> Meta:
    return {
        meta.relative_to(root).as_posix().removesuffix(".meta"): json.loads(meta.read_text())
        for meta in sorted((root / "src").rglob("*.py.meta"))
    }


modules = st.sampled_from(
    [
        "src/custadvocacy/_money.py",
        "src/custadvocacy/__init__.py",
        "src/custadvocacy/batch/_run.py",
        "src/custadvocacy/_impact/__init__.py",
    ]
)
functions = st.sampled_from(["x_to_decimal", "xǁMoneyǁ__add__", "xǁMoneyǁzero", "x_run"])
codes = st.one_of(st.none(), st.sampled_from([0, 1, 3, 5, 33, 34, 36, -24, 37, -11]))


@st.composite
def mutmut_metas(draw: st.DrawFn) -> Meta:
    """Random .meta contents, as mutmut writes them, for some source files."""
    metas: Meta = {}
    for module in draw(st.sets(modules, min_size=1)):
        hashes = {
            name: draw(st.text("0123456789abcdef", min_size=12, max_size=12))
            for name in draw(st.sets(functions))
        }
        exit_codes = {
            _key(module, name, number): draw(codes)
            for name in hashes
            for number in range(1, draw(st.integers(1, 4)) + 1)
        }
        metas[module] = {
            "exit_code_by_key": exit_codes,
            "hash_by_function_name": hashes,
            "type_check_error_by_key": {},
            "durations_by_key": dict.fromkeys(exit_codes, 0.5),
            "estimated_durations_by_key": {},
        }
    return metas


def _saved_and_restored(metas: Meta) -> tuple[Meta, int, int]:
    with tempfile.TemporaryDirectory() as raw:
        tmp = Path(raw)
        work, fresh, src = tmp / "work", tmp / "fresh", tmp / "src"
        src.mkdir()
        (src / "a.py").write_text("x = 1\n")
        _write_metas(work, metas)
        results = tmp / "results.json"
        saved = store.save(work, src, results)
        restored = store.restore(fresh, results)
        return _read_metas(fresh), saved, restored


@settings(max_examples=50)  # file-system round trips of tooling, not the library's formulas
@given(mutmut_metas())
def test_a_restored_result_is_the_saved_decided_one_under_mutmuts_name(metas: Meta) -> None:
    restored, saved, count = _saved_and_restored(metas)
    codes = {module: data["exit_code_by_key"] for module, data in metas.items()}
    decided = sum(c is not None for m in codes.values() for c in m.values())  # type: ignore[attr-defined]
    assert saved == count == decided
    assert set(restored) == {module for module, found in codes.items() if found}
    for module, data in restored.items():
        assert data["exit_code_by_key"] == codes[module]  # never-run ones too, as None
        assert data["hash_by_function_name"] == metas[module]["hash_by_function_name"]
        # the keys mutmut's own SourceFileMutationData.load pops: all there, no others
        assert set(data) == {
            "exit_code_by_key",
            "hash_by_function_name",
            "type_check_error_by_key",
            "durations_by_key",
            "estimated_durations_by_key",
        }


def test_mutmut_reads_a_restored_meta_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = "src/custadvocacy/_impact/__init__.py"
    key = _key(module, "xǁMoneyǁzero", 7)
    meta = {
        "exit_code_by_key": {key: 1, _key(module, "xǁMoneyǁzero", 8): None},
        "hash_by_function_name": {"xǁMoneyǁzero": "0123456789ab"},
        "type_check_error_by_key": {},
        "durations_by_key": {},
        "estimated_durations_by_key": {},
    }
    _write_metas(tmp_path / "work" / "mutants", {module: meta})
    (tmp_path / "src").mkdir()
    store.save(tmp_path / "work" / "mutants", tmp_path / "src", tmp_path / "results.json")
    assert store.restore(tmp_path / "fresh" / "mutants", tmp_path / "results.json") == 1
    monkeypatch.chdir(tmp_path / "fresh")  # mutmut reads mutants/<path>.meta from its cwd
    data = mutation_data.SourceFileMutationData(path=module)
    data.load()
    assert data.exit_code_by_key == {key: 1, _key(module, "xǁMoneyǁzero", 8): None}
    assert data.hash_by_function_name == {"xǁMoneyǁzero": "0123456789ab"}


@settings(max_examples=50)  # file-system round trips of tooling, not the library's formulas
@given(mutmut_metas())
def test_saving_twice_writes_the_same_bytes(metas: Meta) -> None:
    with tempfile.TemporaryDirectory() as raw:
        tmp = Path(raw)
        _write_metas(tmp / "work", metas)
        (tmp / "src").mkdir()
        store.save(tmp / "work", tmp / "src", tmp / "one.json")
        store.save(tmp / "work", tmp / "src", tmp / "two.json")
        assert (tmp / "one.json").read_bytes() == (tmp / "two.json").read_bytes()
        json.loads((tmp / "one.json").read_text())  # valid JSON


def test_a_local_result_is_never_overwritten_by_the_saved_one(tmp_path: Path) -> None:
    module = "src/custadvocacy/_money.py"
    key = _key(module, "x_to_decimal", 1)
    meta = {
        "exit_code_by_key": {key: 1},
        "hash_by_function_name": {"x_to_decimal": "aaaaaaaaaaaa"},
        "type_check_error_by_key": {},
        "durations_by_key": {},
        "estimated_durations_by_key": {},
    }
    _write_metas(tmp_path / "saved", {module: meta})
    (tmp_path / "src").mkdir()
    store.save(tmp_path / "saved", tmp_path / "src", tmp_path / "results.json")
    local = {module: {**meta, "exit_code_by_key": {key: 0}}}
    _write_metas(tmp_path / "work", local)
    assert store.restore(tmp_path / "work", tmp_path / "results.json") == 0
    assert _read_metas(tmp_path / "work")[module]["exit_code_by_key"] == {key: 0}


def test_the_source_digest_follows_every_file_and_its_name(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    first = store.source_digest(tmp_path)
    (tmp_path / "pkg" / "a.py").write_text("x = 2\n")
    second = store.source_digest(tmp_path)
    (tmp_path / "pkg" / "a.py").rename(tmp_path / "pkg" / "b.py")
    third = store.source_digest(tmp_path)
    assert len({first, second, third}) == 3


def test_no_results_file_restores_nothing(tmp_path: Path) -> None:
    assert store.load(tmp_path / "missing.json") == ("", {})
    assert store.restore(tmp_path / "work", tmp_path / "missing.json") == 0


def test_a_results_file_of_another_format_is_refused(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"format": 99, "source_digest": "x", "modules": {}}))
    with pytest.raises(SystemExit, match="format 99"):
        store.load(results)


def test_the_committed_results_file_is_readable() -> None:
    digest, saved = store.load()
    for module, functions in saved.items():
        assert module.startswith("src/custadvocacy/")
        for entry in functions.values():
            assert len(entry["hash"]) >= 8
            assert all(number.isdigit() for number in entry["exit_codes"])
    assert bool(digest) == store.RESULTS.exists()
