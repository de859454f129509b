"""What to do with a key, or a column, the format does not have.

``"reject"`` reports it (a typo must not pass unnoticed), ``"ignore"`` drops it (a CRM's
payload carries fields of its own), and a set of names drops those and reports every
other: the host names its own fields, and a misspelt field of ours is still an error.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Final, Literal

Unknown = Literal["reject", "ignore"] | AbstractSet[str]
"""``"reject"``, ``"ignore"``, or a set of the names to ignore (every other is reported)."""

Ignore = bool | frozenset[str]
"""``unknown`` as the readers take it: ``True`` ignores every name, ``False`` none."""

UNKNOWN_EXPECTED: Final = "'reject', 'ignore' or a set of the names to ignore, e.g. {'crm_owner'}"


def read_unknown(unknown: object) -> Ignore | None:
    """``unknown`` as an :data:`Ignore`, or ``None`` when it is none of its forms.

    Example:
        >>> read_unknown("reject"), read_unknown("ignore"), read_unknown({"crm_owner"})
        (False, True, frozenset({'crm_owner'}))
        >>> read_unknown(frozenset()), read_unknown(["crm_owner"])
        (False, None)
    """
    if isinstance(unknown, str):
        return {"reject": False, "ignore": True}.get(unknown)
    if isinstance(unknown, AbstractSet) and all(isinstance(name, str) for name in unknown):
        return frozenset(unknown) or False
    return None


def ignored(name: object, ignore: Ignore) -> bool:
    """Whether a key or column ``name`` the format does not have is dropped unreported.

    Example:
        >>> ignored("crm_owner", frozenset({"crm_owner"})), ignored("colour", True)
        (True, True)
        >>> ignored("delivred_at", frozenset({"crm_owner"})), ignored("colour", False)
        (False, False)
    """
    return ignore is True or (ignore is not False and name in ignore)
