"""What action choice on columns gives: :class:`ChunkActions`; minor units; shared constants."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt

from custadvocacy._domain import IncidentKind
from custadvocacy._policies._actions import CreditBasis
from custadvocacy._policies._common import UNIT_TOLERANCE
from custadvocacy.batch._impact import CATEGORIES
from custadvocacy.batch._setup import KINDS

__all__ = ["UNLINKED", "ChunkActions", "minor_units"]

UNLINKED: Final = -1
"""``exposure_incident`` / ``exposure_order`` of an action that answers no single one."""


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_POOLS: Final = len(CATEGORIES) + 1  # one column per loss category, one for forecast risk
_LATE_POOL: Final = len(CATEGORIES)
_BASES: Final = (CreditBasis.DELAY_RATIO, CreditBasis.DOWNTIME_SHARE, CreditBasis.SEVERITY)
_NONE: Final = np.iinfo(np.int64).max
_DAY_US: Final = 86_400_000_000.0
_PARTIAL: Final = KINDS.index(IncidentKind.PARTIAL_DELIVERY)
_OUTAGE: Final = KINDS.index(IncidentKind.SERVICE_OUTAGE)
_LATE: Final = KINDS.index(IncidentKind.LATE_DELIVERY)


def minor_units(amount: FloatArray, scale: int, *, up: bool) -> IntArray:
    """Amounts in whole minor units, rounded up or down, float noise ignored.

    The columnar :func:`~custadvocacy._policies._common.cents_up` / ``cents_down``.

    Example:
        >>> minor_units(np.array([0.07, 0.071]), 100, up=True)
        array([7, 8])
    """
    exact = amount * scale
    nearest = np.round(exact)
    close = np.abs(exact - nearest) <= UNIT_TOLERANCE * np.maximum(1.0, np.abs(exact))
    rounded = np.ceil(exact) if up else np.floor(exact)
    return np.where(close, nearest, rounded).astype(np.int64)


class ChunkActions:
    """The recommended actions of a chunk's customers: one row per action, ranked."""

    __slots__ = (
        "action",
        "cost",
        "customer",
        "exposure_incident",
        "exposure_order",
        "needs_approval",
        "rank",
        "relief",
    )

    def __init__(self, **arrays: Any) -> None:
        self.customer: IntArray = arrays["customer"]
        self.action: IntArray = arrays["action"]
        self.relief: IntArray = arrays["relief"]
        self.cost: IntArray = arrays["cost"]
        self.rank: IntArray = arrays["rank"]
        self.needs_approval: BoolArray = arrays["needs_approval"]
        self.exposure_incident: IntArray = arrays["exposure_incident"]
        self.exposure_order: IntArray = arrays["exposure_order"]
