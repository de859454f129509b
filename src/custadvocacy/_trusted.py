"""Trusted construction: result objects our own code builds from values already validated.

A frozen attrs class validates every field in ``__attrs_post_init__``: right for what a
host constructs (and for :func:`~custadvocacy.from_dict`), but wasted on the results a
built-in assembles from inputs that were validated when *they* were built -- an
estimate makes a dozen assumptions and line items, a forecast prices three delays, and
each would re-check what is already known to hold. :func:`builder` returns, for one
class, a function that makes an instance from keyword arguments **without** running
its checks: our code calls it only where the values are valid by construction (floats
from the formula kernels, texts it formatted, enum members it picked), and the test
suite re-validates every result a built-in produces (``tests/test_trusted.py``): the
trusted path is held to what validated construction accepts.

Host-facing construction is untouched: ``Impact(...)``, ``attrs.evolve`` and
``from_dict`` still validate everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs

__all__ = ["builder"]

T = TypeVar("T")

# The generated function's template: keyword-only parameters, one slot store each.
# A per-class function (rather than one generic ``build(cls, **fields)`` looping over a
# dict) is what makes the trusted path cheaper than validated construction at all:
# a loop of generic ``object.__setattr__`` calls costs as much as the checks it skips.
_TEMPLATE: Final = """\
def build(*, {parameters}):
    self = _new(_cls)
{stores}
    return self
"""


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    # The slot's descriptor lives on the class that declares the field (a base, maybe).
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name].__set__  # type: ignore[no-any-return]
    # A field of a base that is not slotted lives in each instance's __dict__ instead.
    msg = f"builder() cannot build {cls.__name__}: field {name!r} is not a slot"
    raise TypeError(msg)


def builder(cls: type[T]) -> Callable[..., T]:
    """Return a function that builds ``cls`` from keyword arguments, skipping its checks.

    ``cls`` must be a frozen, slotted attrs class whose fields all take part in
    ``__init__`` and have no converter; the function takes the same keyword arguments
    as ``cls(...)``, with the same defaults (a default factory is called per build),
    sets the slots directly and does **not** run ``__attrs_post_init__``. Only for
    values that are valid by construction; anything a host passes goes through
    ``cls(...)``.

    Args:
        cls: The class to build.

    Returns:
        ``build(**fields) -> cls``.

    Raises:
        TypeError: ``cls`` is not a slotted attrs class, or has a field with
            ``init=False`` or a converter (whose value only its ``__attrs_post_init__``
            or converter computes), or a field of a base that is not slotted.

    Example:
        >>> import attrs
        >>> @attrs.frozen(kw_only=True)
        ... class Point:
        ...     x: float
        ...     y: float = 0.0
        ...     def __attrs_post_init__(self) -> None:
        ...         print("checked")
        >>> Point(x=1.0)
        checked
        Point(x=1.0, y=0.0)
        >>> build_point = builder(Point)
        >>> build_point(x=1.0) == Point(x=1.0)
        checked
        True
    """
    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        msg = f"builder() needs a slotted attrs class, not {cls!r}"
        raise TypeError(msg)
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    parameters: list[str] = []
    stores: list[str] = []
    for i, field in enumerate(attrs.fields(cls)):
        if not field.init or field.converter is not None:
            # Only __attrs_post_init__ (or the converter) knows the value such a field holds.
            msg = (
                f"builder() cannot build {cls.__name__}: field {field.name!r} "
                "has init=False or a converter"
            )
            raise TypeError(msg)
        # attrs strips the leading underscore of a private field for its argument name (and
        # cannot make a class whose argument is a Python keyword: no check needed here).
        argument = field.alias or field.name
        namespace[f"_set{i}"] = _slot_setter(cls, field.name)
        default = field.default
        if default is attrs.NOTHING:
            parameters.append(argument)
            stores.append(f"    _set{i}(self, {argument})")
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:  # no class of ours uses it
                msg = f"builder() cannot build {cls.__name__}: {field.name!r} takes self"
                raise TypeError(msg)
            namespace[f"_factory{i}"] = default.factory
            parameters.append(f"{argument}=_MISSING")
            value = f"_factory{i}() if {argument} is _MISSING else {argument}"
            stores.append(f"    _set{i}(self, {value})")
            namespace["_MISSING"] = _MISSING
        else:
            namespace[f"_default{i}"] = default
            parameters.append(f"{argument}=_default{i}")
            stores.append(f"    _set{i}(self, {argument})")
    source = _TEMPLATE.format(parameters=", ".join(parameters), stores="\n".join(stores))
    # The source is built from attrs field names only (identifiers), never from data.
    exec(compile(source, f"<trusted builder for {cls.__qualname__}>", "exec"), namespace)  # noqa: S102
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    build.__doc__ = f"Build a {cls.__name__} from valid keyword arguments, without checks."
    return build


class _Missing:
    """The marker of a factory default not given to a trusted builder."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final = _Missing()
