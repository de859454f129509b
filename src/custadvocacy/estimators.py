"""The built-in impact estimators, and the defaults they fall back on.

Each is a frozen value whose fields are its parameters, so a host tunes one by
building it with other values (and stores it with :func:`~custadvocacy.to_dict`);
:func:`~custadvocacy.default_estimators` gives one of each. ``docs/impact.md`` has
every formula, default and source.

Example:
    >>> from custadvocacy.estimators import LateDeliveryEstimator, Spread
    >>> cautious = LateDeliveryEstimator(spread=Spread(default=0.8))
    >>> cautious.name, cautious.spread.default
    ('late_delivery', 0.8)
"""

from custadvocacy._impact._defaults import PerSegment, ProfileDefaults, SegmentDefaults, Spread
from custadvocacy._impact._defect import DefectEstimator
from custadvocacy._impact._delivery import LateDeliveryEstimator, PartialDeliveryEstimator
from custadvocacy._impact._services import (
    BillingErrorEstimator,
    ServiceOutageEstimator,
    SupportFailureEstimator,
)

__all__ = [
    "BillingErrorEstimator",
    "DefectEstimator",
    "LateDeliveryEstimator",
    "PartialDeliveryEstimator",
    "PerSegment",
    "ProfileDefaults",
    "SegmentDefaults",
    "ServiceOutageEstimator",
    "Spread",
    "SupportFailureEstimator",
]
