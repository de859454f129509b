"""Give back the words napoleon mistakes for a type.

Google style lets an attribute's docstring start with ``type: text`` and a
``Returns:`` section with ``type: text``. Our types come from annotations, and our
prose has colons: napoleon reads the enum member docstring ``Up to about 50 staff: a
workshop.`` as the type ``Up to about 50 staff``, and ``Returns: Text lines: ...`` as
the type ``Text lines``; nitpicky mode then fails on "types" that do not exist. This
handler of ``autodoc-process-docstring`` runs after napoleon and puts a "type" that is
not even a Python expression back in front of its text.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _is_type(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return True


def _undo_rtype(lines: list[str]) -> None:
    """Put back ``Text lines: ...`` that napoleon read from ``Returns:`` as a type."""
    for i, line in enumerate(lines):
        words = line.removeprefix(":rtype: ")
        if line.startswith(":rtype: ") and not _is_type(words):
            del lines[i]
            for j, text in enumerate(lines):
                if text.startswith(":returns: "):
                    lines[j] = f":returns: {words}: {text.removeprefix(':returns: ')}"
                    return
            lines.insert(i, f":returns: {words}")
            return


def undo_inline_type(  # noqa: PLR0917 - the signature Sphinx calls handlers with
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Put back the words napoleon took for a type (see the module docstring)."""
    del app, name, obj, options
    _undo_rtype(lines)
    if what not in {"attribute", "data", "property"}:
        return
    for i, line in enumerate(lines):
        if line.startswith(":type: ") and not _is_type(line.removeprefix(":type: ")):
            words = line.removeprefix(":type: ")
            del lines[i]
            if i > 0 and not lines[i - 1].strip():
                del lines[i - 1]
            first = next((j for j, text in enumerate(lines) if text.strip()), None)
            if first is None:
                lines.append(words)
            else:
                lines[first] = f"{words}: {lines[first].lstrip()}"
            return


def setup(app: Sphinx) -> None:
    """Connect the handler after napoleon's (priority 500)."""
    app.connect("autodoc-process-docstring", undo_inline_type, priority=600)
