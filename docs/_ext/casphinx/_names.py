"""Which names custadvocacy publishes, and where each is defined.

The public surface is ``custadvocacy.__all__`` plus the ``__all__`` of every public
submodule (a module of the package whose name does not start with ``_``). A name
exported from several places (``custadvocacy.ValidationError`` and
``custadvocacy.exceptions.ValidationError``) has one *canonical* entry: the first
place found, top-level first.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import pkgutil
import re
import sys
import textwrap
from types import ModuleType
from typing import Any

PACKAGE = "custadvocacy"


@dataclasses.dataclass(frozen=True)
class PublicName:
    """One public name: where it is published and what it is."""

    module: str
    """The public module it is documented in (``custadvocacy`` or a public submodule)."""
    name: str
    """Its name in that module."""
    obj: Any
    """The object itself."""

    @property
    def qualname(self) -> str:
        """The documented path, e.g. ``custadvocacy.Money``."""
        return f"{self.module}.{self.name}"

    @property
    def defined_in(self) -> str:
        """The module that defines it (for data: the public module)."""
        module = getattr(self.obj, "__module__", None)
        return module if isinstance(module, str) else self.module


@functools.cache
def public_modules() -> tuple[str, ...]:
    """Return the package and its public submodules (at any depth), package first, sorted.

    A module is public when no part of its dotted name starts with ``_``.
    """
    found: list[str] = []
    pending = [PACKAGE]
    while pending:
        name = pending.pop()
        found.append(name)
        module = importlib.import_module(name)
        path = getattr(module, "__path__", None)
        if path is not None:
            pending.extend(
                f"{name}.{info.name}"
                for info in pkgutil.iter_modules(path)
                if not info.name.startswith("_")
            )
    return (PACKAGE, *sorted(found[1:]))


@functools.cache
def public_names() -> tuple[PublicName, ...]:
    """Return every canonical public name, in ``public_modules()`` then ``__all__`` order."""
    seen: set[int] = set()
    found: list[PublicName] = []
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in _exported(module):
            obj = getattr(module, name)
            if id(obj) in seen and _is_definition(obj):
                continue
            seen.add(id(obj))
            found.append(PublicName(module=module_name, name=name, obj=obj))
    return tuple(found)


def aliases(module_name: str) -> tuple[tuple[str, PublicName], ...]:
    """Return ``(name, canonical)`` for names ``module_name`` re-exports from elsewhere."""
    module = importlib.import_module(module_name)
    canonical = {id(p.obj): p for p in public_names() if _is_definition(p.obj)}
    result: list[tuple[str, PublicName]] = []
    for name in _exported(module):
        entry = canonical.get(id(getattr(module, name)))
        if entry is not None and entry.module != module_name:
            result.append((name, entry))
    return tuple(result)


@functools.cache
def path_map() -> dict[str, str]:
    """Map every path a public object is known by to its canonical documented path.

    Keys are the defining path (``custadvocacy._money.Money``) and every public
    alias (``custadvocacy.exceptions.ValidationError``).
    """
    mapping: dict[str, str] = {}
    for entry in public_names():
        mapping[entry.qualname] = entry.qualname
        qualname = getattr(entry.obj, "__qualname__", None)
        if _is_definition(entry.obj) and isinstance(qualname, str):
            mapping.setdefault(f"{entry.defined_in}.{qualname}", entry.qualname)
    for module_name in public_modules():
        for name, entry in aliases(module_name):
            mapping.setdefault(f"{module_name}.{name}", entry.qualname)
    return mapping


def _exported(module: ModuleType) -> tuple[str, ...]:
    names = getattr(module, "__all__", None)
    if names is None:
        msg = f"{module.__name__} is public but has no __all__"
        raise RuntimeError(msg)
    return tuple(names)


def _is_definition(obj: object) -> bool:
    """Whether ``obj`` is a class or function (so identity means "the same name")."""
    return inspect.isclass(obj) or inspect.isroutine(obj)


def first_line(obj: object) -> str:
    """Return the first paragraph of ``obj``'s docstring, on one line ("" when none)."""
    doc = inspect.getdoc(obj) or ""
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


_SECTION = re.compile(r"^(?P<title>[A-Z][A-Za-z ]*):\s*$")


def docstring_section(obj: object, *titles: str) -> dict[str, str]:
    """Return the entries of the first Google-style section of ``titles`` found.

    ``Attributes:`` and ``Args:`` sections list ``name: text`` entries, continued on
    more deeply indented lines; the result maps each name to its text on one line.
    """
    doc = inspect.getdoc(obj) or ""
    lines = doc.splitlines()
    for title in titles:
        for i, line in enumerate(lines):
            match = _SECTION.match(line)
            if match and match["title"] == title:
                return _entries(_indented_block(lines[i + 1 :]))
    return {}


def _indented_block(lines: list[str]) -> list[str]:
    block: list[str] = []
    for line in lines:
        if line.strip() and not line.startswith((" ", "\t")):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).splitlines()


_ENTRY = re.compile(r"^(?P<name>\*{0,2}\w+)(?:\s*\([^)]*\))?:\s*(?P<text>.*)$")


def _entries(block: list[str]) -> dict[str, str]:
    entries: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in block:
        match = _ENTRY.match(line)
        if match and not line.startswith((" ", "\t")):
            current = entries.setdefault(match["name"], [])
            current.append(match["text"])
        elif current is not None and line.strip():
            current.append(line.strip())
    return {name: " ".join(" ".join(parts).split()) for name, parts in entries.items()}


def package_files() -> list[str]:
    """Return the source files of every loaded module of the package.

    The generated pages depend on all of them (a docstring, a field, a new public
    name); directives record them so an incremental build re-reads their pages.
    """
    files = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if (name == PACKAGE or name.startswith(f"{PACKAGE}.")) and isinstance(path, str):
            files.append(path)
    return sorted(files)


def record_dependencies(settings: Any) -> None:
    """Make the page being read depend on the package's source files."""
    for path in package_files():
        settings.record_dependencies.add(path)
