"""The project's scripts (fuzz/, mutation/) loaded by path: they are not installed packages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT", "load_script"]


def load_script(relative: str, name: str) -> ModuleType:
    """Import ``ROOT / relative`` as module ``name`` (registered, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / relative)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
