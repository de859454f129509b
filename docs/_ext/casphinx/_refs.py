"""Resolve the Python references autodoc and docstrings make to the public names.

Autodoc names types where they are *defined*: ``custadvocacy._money.Money``,
``hypothesis.strategies._internal.strategies.SearchStrategy``. Neither is a
documented target, so nitpicky mode would reject them although the reader's name
for them (``custadvocacy.Money``, ``hypothesis.strategies.SearchStrategy``) is
documented. This handler of ``missing-reference`` rewrites such a target to the
public name and resolves that instead:

1. a path of a custadvocacy object (its defining path or a public alias) becomes its
   canonical documented path (see :func:`casphinx._names.path_map`), members
   included (``custadvocacy._money.Money.rounded``);
2. a bare name in a docstring (``:class:`Impact``` written in a submodule's
   docstring) becomes the public custadvocacy name it uniquely matches;
3. a path with a private component in another package becomes the first public
   module on the way that exports the same object;
4. a name as a signature prints it (``datetime``, from a string annotation) is
   looked up where the documented object is defined.

Two kinds of target have no page to link to and are shown as text instead: a type
variable (``T`` in ``from_dict(cls: type[T]) -> T``), and a private constant of the
package that a docstring names (``:data:`MAX_AMOUNT```), shown with its value so
the reader still learns it. Nothing else is rewritten: an unknown target, or a
private class or function, still fails the build.
"""

from __future__ import annotations

import decimal
import importlib
import inspect
import sys
import typing
from typing import TYPE_CHECKING, Any

from docutils import nodes

from casphinx._names import PACKAGE, path_map, public_names

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_MISSING = object()


def import_path(path: str) -> Any:
    """Return the object at dotted ``path`` (module, then attributes), or ``_MISSING``."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        except Exception:  # noqa: BLE001 - any import failure means "not this path"
            return _MISSING
        for attr in parts[split:]:
            obj = getattr(obj, attr, _MISSING)
            if obj is _MISSING:
                return _MISSING
        return obj
    return _MISSING


def _ours(target: str) -> str | None:
    mapping = path_map()
    parts = target.split(".")
    for split in range(len(parts), 0, -1):
        prefix = ".".join(parts[:split])
        if prefix in mapping:
            return ".".join((mapping[prefix], *parts[split:]))
    return None


def _bare(target: str) -> str | None:
    head, _, rest = target.partition(".")
    matches = [p.qualname for p in public_names() if p.name == head]
    if len(matches) != 1:
        return None
    return f"{matches[0]}.{rest}" if rest else matches[0]


def _public_elsewhere(target: str) -> str | None:
    parts = target.split(".")
    private = [i for i, part in enumerate(parts) if part.startswith("_")]
    if not private:
        return None
    obj = import_path(target)
    if obj is _MISSING:
        return None
    leaf = parts[-1]
    for split in range(private[0], 0, -1):
        module = sys.modules.get(".".join(parts[:split]))
        if module is not None and getattr(module, leaf, _MISSING) is obj:
            return f"{module.__name__}.{leaf}"
    return None


def _in_context(target: str, node: pending_xref) -> Any:
    """Return what ``target`` names in the module that defines the documented object."""
    context = ".".join(filter(None, (node.get("py:module"), node.get("py:class"))))
    owner = import_path(context) if context else _MISSING
    if inspect.ismodule(owner):
        module_name: object = owner.__name__
    else:
        module_name = getattr(owner, "__module__", None) if owner is not _MISSING else None
    if not isinstance(module_name, str):
        return _MISSING
    return import_path(f"{module_name}.{target}")


def _from_context(target: str, node: pending_xref) -> str | None:
    obj = _in_context(target, node)
    if obj is _MISSING or not (inspect.isclass(obj) or inspect.isroutine(obj)):
        return None
    return f"{obj.__module__}.{obj.__qualname__}"


_TYPE_VARIABLES: tuple[type, ...] = (typing.TypeVar, typing.ParamSpec, typing.TypeVarTuple)
_CONSTANTS: tuple[type, ...] = (int, float, str, decimal.Decimal, tuple, frozenset)


def as_text(target: str, node: pending_xref, contnode: nodes.TextElement) -> nodes.Node | None:
    """Return the text a target with nothing to link to is shown as, or ``None``."""
    obj = import_path(target)
    if obj is _MISSING:
        obj = _in_context(target, node)
    if isinstance(obj, _TYPE_VARIABLES):
        return contnode
    ours = target.startswith(f"{PACKAGE}.") or (node.get("py:module") or "").startswith(PACKAGE)
    if ours and isinstance(obj, _CONSTANTS) and not isinstance(obj, bool):
        shown = str(obj) if isinstance(obj, decimal.Decimal) else repr(obj)
        return nodes.inline("", "", contnode, nodes.Text(f" (= {shown})"))
    return None


def candidates(target: str, node: pending_xref) -> list[str]:
    """Return the public targets ``target`` may stand for, most specific first."""
    found: list[str] = []
    if target.startswith(f"{PACKAGE}."):
        found.append(_ours(target) or "")
    else:
        found.append(_bare(target) or "")
        defined = _from_context(target, node)
        if defined is not None:
            found.extend((_ours(defined) or "", _public_elsewhere(defined) or "", defined))
    found.append(_public_elsewhere(target) or "")
    return [c for c in dict.fromkeys(found) if c and c != target]


def resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.Node | None:
    """Resolve a Python reference that failed, through its public name."""
    if node.get("refdomain") != "py" or node.get("_casphinx_retry"):
        return None
    target = node["reftarget"]
    for candidate in candidates(target, node):
        retry = node.deepcopy()
        retry["reftarget"] = candidate
        retry["_casphinx_retry"] = True
        domain = env.domains["py"]
        result: nodes.reference | None = domain.resolve_xref(
            env, node.get("refdoc", ""), app.builder, node["reftype"], candidate, retry, contnode
        )
        if result is None:
            # Other handlers (intersphinx) get the rewritten target; this one skips it.
            result = app.emit_firstresult("missing-reference", env, retry, contnode)
        if result is not None:
            return result
    return as_text(target, node, contnode)


def setup(app: Sphinx) -> None:
    """Connect the handler (after intersphinx, which is tried first)."""
    app.connect("missing-reference", resolve, priority=900)
