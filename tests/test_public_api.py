"""The public surface: sorted ``__all__`` that matches the exports, documented names with
examples, and a core import that drags in no test or data-frame library.

Written to cover names and public submodules added later without being edited.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest

import custadvocacy


def _public_modules() -> list[str]:
    """``custadvocacy`` and every public submodule, however deep (private ones skipped)."""
    names = ["custadvocacy"]
    for info in pkgutil.walk_packages(custadvocacy.__path__, prefix="custadvocacy."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts):
            continue
        names.append(info.name)
    return sorted(names)


PUBLIC_MODULES = _public_modules()


def _exports(module_name: str) -> list[tuple[str, str, Any]]:
    module = importlib.import_module(module_name)
    return [(module_name, name, getattr(module, name)) for name in module.__all__]


EXPORTS = [export for name in PUBLIC_MODULES for export in _exports(name)]
DOCUMENTED = [e for e in EXPORTS if inspect.isclass(e[2]) or inspect.isfunction(e[2])]


def test_the_known_public_modules_are_found() -> None:
    assert {
        "custadvocacy",
        "custadvocacy.examples",
        "custadvocacy.exceptions",
        "custadvocacy.testing",
        "custadvocacy.testing.strategies",
    } <= set(PUBLIC_MODULES)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_is_sorted_and_names_real_attributes(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = list(module.__all__)
    assert exported == sorted(exported), module_name
    assert len(set(exported)) == len(exported)
    missing = [name for name in exported if not hasattr(module, name)]
    assert not missing, missing


def test_the_package_exports_exactly_its_public_names() -> None:
    public = {
        name
        for name, value in vars(custadvocacy).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert set(custadvocacy.__all__) == public


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_module_has_a_docstring_with_an_example(module_name: str) -> None:
    doc = importlib.import_module(module_name).__doc__
    assert doc
    assert ">>>" in doc, module_name


@pytest.mark.parametrize(
    ("module_name", "name", "obj"), DOCUMENTED, ids=[f"{m}.{n}" for m, n, _ in DOCUMENTED]
)
def test_every_public_class_and_function_has_a_docstring_with_an_example(
    module_name: str, name: str, obj: Any
) -> None:
    doc = inspect.getdoc(obj)
    assert doc, f"{module_name}.{name} has no docstring"
    assert ">>>" in doc, f"{module_name}.{name} has no example"
    assert ".. versionadded::" in doc, f"{module_name}.{name} has no versionadded tag"


def _public_members(cls: type) -> Iterator[tuple[str, Any]]:
    """Public methods and properties defined by ``cls`` itself (not enum members)."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(cls, enum.EnumMeta) and name in cls.__members__:
            continue
        function = value.fget if isinstance(value, property) else value
        if isinstance(function, classmethod | staticmethod):
            function = function.__func__
        if inspect.isfunction(function):
            yield name, function


def _is_protocol(cls: type) -> bool:
    return bool(getattr(cls, "_is_protocol", False)) and typing.Protocol in cls.__mro__


MEMBERS = sorted(
    {
        (f"{obj.__module__}.{obj.__qualname__}.{member}", function)
        for _, _, obj in DOCUMENTED
        if inspect.isclass(obj) and not _is_protocol(obj)
        for member, function in _public_members(obj)
    },
    key=lambda item: item[0],
)


@pytest.mark.parametrize(("qualname", "function"), MEMBERS, ids=[q for q, _ in MEMBERS])
def test_every_public_method_and_property_has_a_docstring_with_an_example(
    qualname: str, function: Any
) -> None:
    doc = inspect.getdoc(function)
    assert doc, f"{qualname} has no docstring"
    assert ">>>" in doc, f"{qualname} has no example"


def test_protocol_members_have_docstrings() -> None:
    protocols = [obj for _, _, obj in DOCUMENTED if inspect.isclass(obj) and _is_protocol(obj)]
    for protocol in protocols:
        for name, function in _public_members(protocol):
            assert inspect.getdoc(function), f"{protocol.__name__}.{name} has no docstring"


def test_importing_the_core_does_not_import_test_or_dataframe_libraries() -> None:
    code = (
        "import json, sys; import custadvocacy, custadvocacy.examples, custadvocacy.exceptions; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'hypothesis', 'pytest', '_pytest', 'pandas', 'sybil'})))"
    )
    result = subprocess.run(  # noqa: S603 - our own fixed code in our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(result.stdout) == []


def test_the_core_imports_without_hypothesis_and_testing_says_how_to_get_it() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import custadvocacy, custadvocacy.examples\n"
        "print(custadvocacy.examples.example_portfolio().customers[0].name)\n"
        "try:\n"
        "    import custadvocacy.testing.strategies\n"
        "except ImportError as exc:\n"
        "    print('ImportError:', exc)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own fixed code in our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "Kovar Precision Machining"
    assert lines[1].startswith("ImportError: custadvocacy.testing needs Hypothesis")
    assert 'pip install "custadvocacy[testing]"' in lines[1]


def test_the_package_is_typed() -> None:
    assert custadvocacy.__file__ is not None
    marker = custadvocacy.__path__[0] + "/py.typed"
    with open(marker, encoding="utf-8") as handle:  # noqa: PTH123 - a one-off read
        assert handle.read() == ""


def test_the_version_is_a_string() -> None:
    assert isinstance(custadvocacy.__version__, str)
    assert custadvocacy.__version__.startswith("0.1.0")
