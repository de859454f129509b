"""The synthetic portfolio's argument checks, pinned by their exact messages.

The mutation run of 2026-12-06 left survivors in ``batch/_synthetic.py``'s checks: the
``integer=`` and upper bounds of ``customers`` and ``seed``, the expectation for
``config``, and the shares check's type test (a ``True`` or a ``"0.5"`` among the shares
passed a loosened check). Each row is a call and the whole ``ValidationError`` text it
must raise (or ``ok``).
"""

from __future__ import annotations

import pytest

import custadvocacy as ca
from custadvocacy.batch import synthetic_mapping
from custadvocacy.lab import SyntheticConfig

NAMES = {"synthetic_mapping": synthetic_mapping, "SyntheticConfig": SyntheticConfig}

ROWS: list[tuple[str, str]] = [
    (
        "synthetic_mapping(2.5)",
        "1 problem:\n  customers: expected a whole number from 0 to 2e+07, got 2.5",
    ),
    (
        "synthetic_mapping(-1)",
        "1 problem:\n  customers: expected a whole number from 0 to 2e+07, got -1",
    ),
    (
        "synthetic_mapping(20_000_001)",
        "1 problem:\n  customers: expected a whole number from 0 to 2e+07, got 20000001",
    ),
    ("synthetic_mapping(0, seed=2**63 - 1)", "ok"),
    (
        "synthetic_mapping(0, seed=2**63)",
        "1 problem:\n  seed: expected a whole number from 0 to 9223372036854775807, got 9223372036854775808",
    ),
    (
        "synthetic_mapping(0, seed=-1)",
        "1 problem:\n  seed: expected a whole number from 0 to 9223372036854775807, got -1",
    ),
    (
        "synthetic_mapping(0, seed=1.5)",
        "1 problem:\n  seed: expected a whole number from 0 to 9223372036854775807, got 1.5",
    ),
    (
        "synthetic_mapping(0, config='x')",
        "1 problem:\n  config: expected a SyntheticConfig, got 'x'",
    ),
    (
        "SyntheticConfig(segment_shares=(True, 0.0, 0.0))",
        "1 problem:\n  segment_shares: expected a tuple of 3 shares (0-1) adding up to 1, got (True, 0.0, 0.0)",
    ),
    (
        "SyntheticConfig(segment_shares=(0.5, '0.5', 0.0))",
        "1 problem:\n  segment_shares: expected a tuple of 3 shares (0-1) adding up to 1, got (0.5, '0.5', 0.0)",
    ),
    (
        "SyntheticConfig(incident_rate=-0.5)",
        "1 problem:\n  incident_rate: expected a number from 0 to 20, got -0.5",
    ),
    (
        "SyntheticConfig(orders_per_customer=-0.5)",
        "1 problem:\n  orders_per_customer: expected a number from 0 to 100, got -0.5",
    ),
]


def _outcome(call: str) -> str:
    try:
        eval(call, NAMES)  # noqa: S307 - the calls above, our own literals
    except ca.ValidationError as exc:
        return str(exc)
    return "ok"


@pytest.mark.parametrize(("call", "expected"), ROWS)
def test_each_argument_check_says_exactly_what_was_wrong(call: str, expected: str) -> None:
    assert _outcome(call) == expected
