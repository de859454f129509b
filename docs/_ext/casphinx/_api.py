"""The ``public-api`` directive: autodoc entries for every public name, grouped.

The page that uses it never lists names, so a name added to ``__all__`` appears in
the reference without an edit, and a private name never does. Top-level names are
grouped by the private module that defines them (``_money`` -> "Money", ``_impact``
-> "Impact"...); every public submodule gets a section of its own with its
docstring and the names it adds.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import sys
from typing import TYPE_CHECKING, ClassVar, Final

from docutils.parsers.rst import Directive
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.parsing import nested_parse_to_nodes

from casphinx._names import (
    PACKAGE,
    PublicName,
    aliases,
    first_line,
    public_modules,
    public_names,
    record_dependencies,
)

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

GROUPS: Final = (
    ("domain", "Domain objects", ("_domain", "_portfolio", "_context")),
    ("money", "Money and exchange rates", ("_money",)),
    ("conversion", "Plain-data conversion", ("_convert",)),
    ("errors", "Errors", ("_errors",)),
    ("impact", "Impact", ("_impact",)),
    ("forecast", "Early warning", ("_forecast",)),
    ("scoring", "Advocacy score", ("_scoring",)),
    ("policies", "Policies and recommendations", ("_policies",)),
    ("brief", "Brief", ("_brief",)),
    ("assess", "Assessment", ("_assess",)),
    ("batch", "Batch (columnar) path", ("_batch",)),
)
"""(key, title, private modules): the order and titles of the top-level groups.

A private module not listed here still appears, in a group titled after it.
"""

LOGGER = logging.getLogger(__name__)

_KIND_ORDER: Final = ("class", "enum", "function", "exception", "data")


def group_of(entry: PublicName) -> tuple[int, str]:
    """Return (position, title) of the group a top-level name is shown in."""
    parts = entry.defined_in.split(".")
    private = parts[1] if len(parts) > 1 and parts[0] == PACKAGE else entry.defined_in
    for position, (_, title, modules) in enumerate(GROUPS):
        if private in modules:
            return position, title
    title = private.strip("_").replace("_", " ").capitalize() or entry.defined_in
    return len(GROUPS), title


def kind_of(obj: object) -> str:
    """Return how autodoc should document ``obj``: class, enum, exception, function, data."""
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "exception"
        if issubclass(obj, enum.Enum):
            return "enum"
        return "class"
    if inspect.isroutine(obj):
        return "function"
    return "data"


def autodoc_lines(entry: PublicName) -> list[str]:
    """Return the autodoc directive (reStructuredText lines) that documents ``entry``."""
    kind = kind_of(entry.obj)
    path = entry.qualname
    if kind == "exception":
        # undoc-members: the data an exception carries (``rows: tuple[RowProblem, ...]``)
        # is often an annotation only, and it is part of the API.
        return [
            f".. autoexception:: {path}",
            "   :members:",
            "   :undoc-members:",
            "   :show-inheritance:",
            "",
        ]
    if kind == "enum":
        return [f".. autoclass:: {path}", "   :members:", "   :undoc-members:", ""]
    if kind == "class":
        return [f".. autoclass:: {path}", "   :members:", ""]
    if kind == "function":
        return [f".. autofunction:: {path}", ""]
    return data_lines(entry)


def attribute_doc(entry: PublicName) -> list[str]:
    """Return the docstring written below a constant where the package defines it.

    ``autodoc`` looks for it in the module the constant is documented in; ours are
    defined in private modules and re-exported, so the defining module is searched
    (the public module first, then every private module holding the same object).
    """
    modules = sorted(
        (m for name, m in list(sys.modules.items()) if name.startswith(f"{PACKAGE}.")),
        key=lambda m: (m.__name__ != entry.module, m.__name__),
    )
    for module in modules:
        if getattr(module, entry.name, None) is entry.obj:
            docs = ModuleAnalyzer.for_module(module.__name__).find_attr_docs()
            lines = docs.get(("", entry.name))
            if lines:
                return list(lines)
    return []


def data_lines(entry: PublicName) -> list[str]:
    """Return a ``py:data`` entry for a public constant, with its value and docstring."""
    doc = attribute_doc(entry)
    if not doc:
        LOGGER.warning(
            "public-api: %s has no docstring (write one below its definition)",
            entry.qualname,
            type="casphinx",
            subtype="api",
        )
    kind = type(entry.obj)
    module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
    type_path = f"{module}{kind.__qualname__}"
    lines = [f".. py:data:: {entry.name}", f"   :module: {entry.module}"]
    if not any(part.startswith("_") for part in type_path.split(".")):
        # A type alias (``Literal[...]``) is of a private typing class: no type shown.
        lines.append(f"   :type: {type_path}")
    lines += [f"   :value: {entry.obj!r}"]
    lines.append("")
    lines += [f"   {line}" if line else "" for line in doc]
    lines.append("")
    return lines


def _sort_key(entry: PublicName) -> tuple[int, str]:
    return _KIND_ORDER.index(kind_of(entry.obj)), entry.name


def _title(text: str, underline: str) -> list[str]:
    return [text, underline * len(text), ""]


def _role(entry: PublicName) -> str:
    kind = kind_of(entry.obj)
    return {"function": "func", "data": "data", "exception": "exc"}.get(kind, "class")


def summary_lines(groups: dict[tuple[int, str], list[PublicName]]) -> list[str]:
    """Return a table of every top-level name with the first line of its docstring."""
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 30 70", ""]
    lines += ["   * - Name", "     - What it is"]
    for key in sorted(groups):
        lines += [f"   * - **{key[1]}**", "     -"]
        for entry in sorted(groups[key], key=_sort_key):
            summary = first_line(entry.obj) or "(no docstring)"
            lines += [f"   * - :py:{_role(entry)}:`~{entry.qualname}`", f"     - {summary}"]
    return [*lines, ""]


def api_text() -> list[str]:
    """Return the reStructuredText of the whole reference."""
    entries = public_names()
    lines: list[str] = [f".. automodule:: {PACKAGE}", "   :no-members:", ""]
    top = [e for e in entries if e.module == PACKAGE]
    groups: dict[tuple[int, str], list[PublicName]] = {}
    for entry in top:
        groups.setdefault(group_of(entry), []).append(entry)
    lines += _title("At a glance", "=")
    lines += summary_lines(groups)
    for _, title in sorted(groups):
        lines += _title(title, "=")
        lines += [f".. currentmodule:: {PACKAGE}", ""]
        for entry in sorted(groups[_, title], key=_sort_key):
            lines += autodoc_lines(entry)
    for module_name in public_modules()[1:]:
        lines += _title(f"``{module_name}``", "=")
        lines += [f".. automodule:: {module_name}", "   :no-members:", ""]
        own = sorted((e for e in entries if e.module == module_name), key=_sort_key)
        for entry in own:
            lines += autodoc_lines(entry)
        again = aliases(module_name)
        if again:
            names = ", ".join(f":py:obj:`{name} <{entry.qualname}>`" for name, entry in again)
            lines += [f"Also importable from here: {names}.", ""]
    return lines


class PublicApi(Directive):
    """``.. public-api::`` -- the API reference of every public name."""

    has_content: ClassVar[bool] = False

    def run(self) -> list[nodes.Node]:
        """Generate the autodoc directives and parse them in place."""
        for module_name in public_modules():
            importlib.import_module(module_name)  # fail early, naming the module
        record_dependencies(self.state.document.settings)
        return nested_parse_to_nodes(
            self.state,
            "\n".join(api_text()),
            source="<public-api>",
            allow_section_headings=True,
        )


def setup(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("public-api", PublicApi)
