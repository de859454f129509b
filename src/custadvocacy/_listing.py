"""Names inside a text: the first few named, the rest counted.

A text about a customer's incidents or orders (a score's detail, a policy's reason, a
brief's line) that named every one would grow with the customer's records past the
10,000 characters a text may hold, and a valid customer with a few hundred incidents
could not be assessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

SHOWN: Final = 5
"""How many names a listing shows before it counts the rest."""


def listing(
    names: Sequence[str], shown: int = SHOWN, sep: str = ", ", *, count: int | None = None
) -> str:
    """``names`` joined by ``sep``; past ``shown``, the first ``shown`` and how many more.

    One more than ``shown`` is named rather than counted: "and 1 more" would take the
    room the name takes. ``count`` is how many names there are when ``names`` holds
    only the first ``shown + 1`` of them (a text about 400,000 rows need not make
    400,000 names to show five).

    Example:
        >>> listing(["INC-1", "INC-2"])
        'INC-1, INC-2'
        >>> listing([f"INC-{k}" for k in range(1, 9)])
        'INC-1, INC-2, INC-3, INC-4, INC-5 and 3 more'
        >>> listing(["a", "b", "c", "d"], shown=2, sep=",")
        'a,b and 2 more'
        >>> listing(["a", "b", "c"], shown=2)
        'a, b, c'
        >>> listing(["a", "b", "c"], shown=2, count=400_000)
        'a, b and 399998 more'
    """
    total = len(names) if count is None else count
    if total <= shown + 1:
        return sep.join(names)
    return f"{sep.join(names[:shown])} and {total - shown} more"
