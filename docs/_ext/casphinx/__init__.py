"""Sphinx extensions of the custadvocacy documentation, one module per job.

- ``_names``: which names custadvocacy publishes and where each is defined;
- ``_refs``: resolves references to private paths (``custadvocacy._money.Money``)
  to the public name (``custadvocacy.Money``) and finds the types bare names in
  signatures stand for;
- ``_inventories``: the intersphinx inventories of python, attrs, numpy and
  hypothesis, written at build time from a table, so the build needs no network;
- ``_napoleon``: gives back the prose napoleon mistakes for a type (``Up to 50 staff:``);
- ``_signatures``: readable defaults in signatures (not attrs' ``NOTHING``, not long reprs);
- ``_api``: the ``public-api`` directive (the API reference of every public name);
- ``_payload``: the ``payload-format`` and ``payload-example`` directives;
- ``_cli``: the ``cli-help`` directive (``--help`` as it really prints);
- ``_exceptions``: the ``exception-tree`` directive.

The directives generate reStructuredText, so a Markdown page uses them inside an
``{eval-rst}`` block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casphinx import (
    _api,
    _cli,
    _exceptions,
    _inventories,
    _napoleon,
    _payload,
    _refs,
    _signatures,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every extension of the package with ``app``."""
    for module in (_inventories, _refs, _napoleon, _signatures, _api, _payload, _cli, _exceptions):
        module.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
