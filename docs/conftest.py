"""Run the examples of every Markdown page under ``docs/`` as doctests (with Sybil).

A page's ```` ```python ```` fences that start with ``>>>`` run as doctests with
``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``; other ``python`` fences run as plain code;
all examples of one page share a namespace, top to bottom. ``<!-- skip: next -->``
skips the next example (for one that needs the network or a file, say).

pytest's own ``--doctest-modules`` must not import the Sphinx configuration (it
changes ``sys.path`` and needs Sphinx) nor the extension package, so both are ignored
here; ``--doctest-glob`` stays unset, so each page is collected once, by Sybil.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_ext/*", "_build/*"]

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["*.md"],
    # Path.match() matches from the right, one component per level: cover the build tree.
    excludes=["_build/*", "_build/*/*", "_build/*/*/*", "_build/*/*/*/*"],
).pytest()
