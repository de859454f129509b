"""The ``exception-tree`` directive: the exception hierarchy, drawn from the classes.

``.. exception-tree:: custadvocacy.AdvocacyError`` renders a nested list of the root
and every subclass defined in the package: its public name (linked to the API
reference), the builtins it also inherits (what a caller may catch instead), and the
first line of its docstring. A new exception class appears without an edit.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, ClassVar

from docutils.parsers.rst import Directive
from sphinx.errors import ExtensionError
from sphinx.util.parsing import nested_parse_to_nodes

from casphinx._names import PACKAGE, first_line, path_map, record_dependencies
from casphinx._refs import import_path

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def public_path(cls: type) -> str:
    """Return the documented path of an exception class of the package."""
    path = path_map().get(f"{cls.__module__}.{cls.__qualname__}")
    if path is None:
        msg = f"exception-tree: {cls.__module__}.{cls.__qualname__} is not public"
        raise ExtensionError(msg)
    return path


def builtin_bases(cls: type) -> list[str]:
    """Return the builtin exceptions ``cls`` adds to its package base (``ValueError``)."""
    return [
        base.__name__
        for base in cls.__bases__
        if base.__module__ == "builtins" and getattr(builtins, base.__name__, None) is base
    ]


def _article(name: str) -> str:
    return "an" if name[:1] in "AEIOU" else "a"


def tree_lines(cls: type, depth: int = 0) -> list[str]:
    """Return the reStructuredText bullet list of ``cls`` and its package subclasses."""
    bases = builtin_bases(cls)
    extra = ", ".join(f"{_article(name)} :py:exc:`{name}`" for name in bases)
    also = f" ({'' if depth == 0 else 'also '}{extra})" if extra else ""
    summary = first_line(cls)
    indent = "  " * depth
    lines = [f"{indent}- :py:exc:`~{public_path(cls)}`{also}: {summary}", ""]
    subclasses = sorted(
        (sub for sub in cls.__subclasses__() if sub.__module__.startswith(f"{PACKAGE}.")),
        key=lambda sub: sub.__name__,
    )
    for sub in subclasses:
        lines += tree_lines(sub, depth + 1)
    return lines


class ExceptionTree(Directive):
    """``.. exception-tree:: package.RootError`` -- the hierarchy under a root."""

    required_arguments: ClassVar[int] = 1

    def run(self) -> list[nodes.Node]:
        """Draw the tree as a nested bullet list."""
        root = import_path(self.arguments[0])
        record_dependencies(self.state.document.settings)
        if not (isinstance(root, type) and issubclass(root, BaseException)):
            msg = f"exception-tree: {self.arguments[0]!r} is not an exception class"
            raise ExtensionError(msg)
        return nested_parse_to_nodes(
            self.state,
            "\n".join(tree_lines(root)),
            source="<exception-tree>",
            allow_section_headings=False,
        )


def setup(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("exception-tree", ExceptionTree)
