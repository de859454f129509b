"""Placeholders from_dict converts a value to when it cannot build it.

A field that failed to convert is replaced by :data:`_INVALID` (its problems are already
recorded), so the class's own checks can still run over the rest; a record or a list that
could not be built keeps what is known of it (:class:`_Partial`, :class:`_PartialItems`)
for a portfolio's checks across records.
"""

from __future__ import annotations

from typing import Any, Final

_MISSING: Final = object()


class _Invalid:
    """Marker for a value that could not be parsed (its problems are already recorded)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Final = _Invalid()
_INVALID_TEXT: Final = repr(_INVALID)


class _Partial(_Invalid):
    """A record that could not be built, with what is known of it (for cross-record checks).

    ``fields`` holds the values given for the fields that converted and passed the
    class's checks.
    """

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields

    def checked(self, name: str) -> Any:
        """The field's value if it is known good, else an _Unreadable.

        (A field left out to take its default is unreadable too: of the reference
        fields, only ``order_id`` has one, None, and None names no order either.)
        """
        return self.fields.get(name, _Unreadable())


class _PartialItems(_Invalid):
    """A list with at least one bad item: every item as converted (objects, _Invalid...)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


class _Unreadable:
    """A reference whose value is not known: it equals nothing, and a problem about it is noise."""

    __slots__ = ()
