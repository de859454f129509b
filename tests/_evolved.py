"""What changing fields of a valid object gives: the tables of tests/test_mutation_kills_*."""

from __future__ import annotations

import attrs

import custadvocacy as ca

__all__ = ["evolved_outcome"]


def evolved_outcome(obj: object, **change: object) -> str:
    """The whole ``ValidationError`` text of ``attrs.evolve(obj, **change)``, or ``"ok"``."""
    try:
        attrs.evolve(obj, **change)  # type: ignore[misc]
    except ca.ValidationError as exc:
        return str(exc)
    return "ok"
