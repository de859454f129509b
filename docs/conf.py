"""Sphinx configuration of the custadvocacy documentation.

Build with ``python3 dev.py docs`` (``sphinx -n -W --keep-going -b html docs
docs/_build/html``): every warning is an error and every cross-reference must resolve.
The pages are MyST Markdown; their ``>>>`` examples also run in the test suite
(``docs/conftest.py``), so pytest must never import this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import custadvocacy

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project -------------------------------------------------------------------------

project = "custadvocacy"
author = "custadvocacy developers"
copyright = "custadvocacy developers"
release = custadvocacy.__version__
version = ".".join(release.split(".")[:2])

# -- General -------------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "casphinx",  # docs/_ext/casphinx: API, payload, CLI and exception pages; offline inventories
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "_ext",
    "conftest.py",
    "README.md",
    "**/.ipynb_checkpoints",
    "**/__pycache__",
]
nitpicky = True
# Nothing is ignored: every reference resolves (see casphinx._refs for private paths
# and casphinx._inventories for external ones). Add an entry here only for a
# genuinely external target that no inventory can provide, with the reason beside it.
nitpick_ignore: list[tuple[str, str]] = [
    # The conformance kit's pytest helper returns a pytest mark; pytest is not among the
    # offline inventories (docs/_ext/casphinx/_inventories.py), so the name stays text.
    ("py:class", "pytest.MarkDecorator"),
    # The intake's protocol of a table (a mapping of array-likes) in batch signatures; not
    # exported, so columns_from_mapping's docstring describes it instead.
    ("py:class", "custadvocacy.batch._intake._read.ColumnSource"),
]
nitpick_ignore_regex: list[tuple[str, str]] = []

# -- MyST ----------------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
# Pages may link to headings: [the bands](concepts.md#what-the-score-s-bands-mean).
myst_heading_anchors = 3

# -- Autodoc and napoleon ------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = False
add_module_names = False
python_use_unqualified_type_names = True
# One parameter per line once a signature is longer than this (value classes have many).
python_maximum_signature_line_length = 90

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_include_init_with_doc = False
napoleon_use_admonition_for_examples = False
napoleon_use_ivar = False  # attributes become linkable ``.. attribute::`` entries
napoleon_attr_annotations = True  # their types come from the class annotations

# -- Intersphinx ---------------------------------------------------------------------

# casphinx._inventories fills intersphinx_mapping (python, attrs, numpy, hypothesis)
# with inventories it writes at build time, so the build never needs the network.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

# -- Doctest builder (``sphinx -b doctest docs docs/_build/doctest``) ----------------

# The examples already run in the test suite: docstrings under ``pytest --doctest-modules``
# (each in its own module's namespace) and the pages' ``>>>`` blocks through
# ``docs/conftest.py``. Sphinx's builder would run all blocks of a page in one namespace,
# where a docstring's example does not find its module's names; so it runs only the
# explicit ``doctest``/``testcode`` directives a page may use.
doctest_global_setup = "import custadvocacy as ca"
doctest_test_doctest_blocks = ""

# -- HTML ----------------------------------------------------------------------------

html_theme = "furo"
html_title = f"custadvocacy {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
html_theme_options = {"navigation_with_keys": True}
