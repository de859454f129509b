"""The ``cli-help`` directive: the command's ``--help`` output, as it really prints.

``.. cli-help:: custadvocacy.__main__:build_parser`` calls the function, and shows
the help of the parser and of every subcommand (recursively), each in a section of
its own, at 80 columns (a default terminal; argparse wraps to the terminal width).
"""

from __future__ import annotations

import argparse
import functools
import importlib
from typing import TYPE_CHECKING, ClassVar, Final

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.errors import ExtensionError

from casphinx._names import record_dependencies

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

WIDTH: Final = 80
"""Columns the help is wrapped to (``COLUMNS`` of a default terminal)."""


def load_parser(spec: str) -> argparse.ArgumentParser:
    """Return the parser built by ``module:function``."""
    module_name, _, function_name = spec.partition(":")
    factory = getattr(importlib.import_module(module_name), function_name, None)
    if not callable(factory):
        msg = f"cli-help: {spec!r} is not a callable 'module:function'"
        raise ExtensionError(msg)
    parser = factory()
    if not isinstance(parser, argparse.ArgumentParser):
        msg = f"cli-help: {spec!r} returned {type(parser).__name__}, not an ArgumentParser"
        raise ExtensionError(msg)
    return parser


def walk(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Yield ``parser`` and every subcommand's parser below it, depth first, in order."""
    yield parser
    for action in parser._actions:  # noqa: SLF001 - argparse has no public way to list them
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            seen: set[int] = set()
            for sub in action.choices.values():
                if id(sub) not in seen:  # aliases map to the same parser
                    seen.add(id(sub))
                    yield from walk(sub)


def help_text(parser: argparse.ArgumentParser, width: int = WIDTH) -> str:
    """Return ``parser``'s help wrapped to ``width`` columns, whatever the terminal."""
    original = parser.formatter_class
    parser.formatter_class = functools.partial(original, width=width)
    try:
        return parser.format_help()
    finally:
        parser.formatter_class = original


def _slug(prog: str) -> str:
    return "cli-" + "-".join(prog.split())


class CliHelp(Directive):
    """``.. cli-help:: module:function`` -- a section per (sub)command with its help."""

    required_arguments: ClassVar[int] = 1
    option_spec: ClassVar[dict[str, object]] = {"invocation": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        """Build one section per parser: title, then the help in a literal block."""
        parser = load_parser(self.arguments[0])
        record_dependencies(self.state.document.settings)
        root = parser.prog
        invocation = str(self.options.get("invocation", root))
        result: list[nodes.Node] = []
        for sub in walk(parser):
            command = invocation + sub.prog.removeprefix(root)
            section = nodes.section(ids=[_slug(sub.prog)], names=[_slug(sub.prog)])
            section += nodes.title("", "", nodes.literal(sub.prog, sub.prog))
            text = f"$ {command} --help\n{help_text(sub).rstrip()}"
            block = nodes.literal_block(text, text, language="console")
            section += block
            self.state.document.note_explicit_target(section, section)
            result.append(section)
        return result


def setup(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("cli-help", CliHelp)
