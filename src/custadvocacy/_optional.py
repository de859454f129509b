"""Optional packages, imported only where a method asks for one.

The library needs attrs and numpy only; a ``to_pandas()`` imports pandas when called,
and says how to install it when it is missing.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def pandas(caller: str) -> ModuleType:
    """The pandas module, or an ``ImportError`` naming ``caller`` and the fix.

    Example:
        >>> pandas("to_pandas()").__name__  # doctest: +SKIP
        'pandas'
    """
    try:
        return importlib.import_module("pandas")
    except ImportError as error:
        raise ImportError(f"{caller} needs pandas: pip install pandas") from error
