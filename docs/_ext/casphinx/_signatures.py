"""Show defaults in signatures the way a reader can use them.

Two rewrites, by a handler of ``autodoc-process-signature``:

- attrs writes a field with a factory (``attrs.field(factory=OperatingProfile)``)
  into the generated ``__init__`` with the sentinel ``NOTHING`` as its default, so
  autodoc would show ``profile: OperatingProfile = NOTHING``. The reader gets what
  the factory makes instead: ``profile: OperatingProfile = OperatingProfile()``.
- A default whose repr is long or not Python (a tuple of rules holding enum reprs
  such as ``<IncidentKind.DEFECT: 'defect'>``) is shown by the name of the module
  constant it is (``rules: tuple[PlaybookRule, ...] = DEFAULT_RULES``), or as
  ``...`` when it has no name.
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import TYPE_CHECKING, Any, Final

import attrs
from sphinx.util.inspect import object_description

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_MAX_REPR: Final = 40


def factory_text(field: attrs.Attribute[Any]) -> str | None:
    """Return how a field's factory default reads in a signature, or ``None``."""
    default = field.default
    if not isinstance(default, attrs.Factory):
        return None
    if default.takes_self:
        return "<factory>"
    value = default.factory()
    text = repr(value)
    if len(text) > _MAX_REPR and attrs.has(type(value)):
        return f"{type(value).__name__}()"
    return text if len(text) <= _MAX_REPR else "<factory>"


def with_factories(cls: type, signature: str) -> str:
    """Return ``signature`` of ``cls`` with each factory's ``NOTHING`` replaced."""
    for field in attrs.fields(cls):
        text = factory_text(field) if field.init else None
        if text is not None:
            pattern = re.compile(
                rf"(\b{re.escape(field.alias or field.name)}(?::[^=]*?)?) = NOTHING"
            )
            replacement = r"\1 = " + text.replace("\\", "\\\\")
            signature = pattern.sub(replacement, signature, count=1)
    return signature


def _constant_name(value: object, owner: object) -> str:
    module = sys.modules.get(getattr(owner, "__module__", "") or "")
    names = (
        [
            name
            for name, candidate in vars(module).items()
            if candidate is value and not name.startswith("__")
        ]
        if module is not None
        else []
    )
    return min(names, key=lambda n: (not n.isupper(), n), default="...")


def _unreadable(text: str) -> bool:
    return len(text) > _MAX_REPR or "<" in text


def with_short_defaults(obj: Any, signature: str) -> str:
    """Return ``signature`` with long or non-Python default values named instead."""
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return signature
    for parameter in parameters:
        if parameter.default is inspect.Parameter.empty:
            continue
        text = object_description(parameter.default)
        if _unreadable(text):
            signature = signature.replace(
                f" = {text}", f" = {_constant_name(parameter.default, obj)}", 1
            )
    return signature


def process_signature(  # noqa: PLR0917 - the signature Sphinx calls handlers with
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Rewrite the signature of an attrs class; leave everything else alone."""
    del app, name, options
    if signature is None or what not in {"class", "function", "method", "exception"}:
        return None
    if isinstance(obj, type) and attrs.has(obj):
        signature = with_factories(obj, signature)
    return with_short_defaults(obj, signature), return_annotation


def setup(app: Sphinx) -> None:
    """Connect the handler."""
    app.connect("autodoc-process-signature", process_signature)
