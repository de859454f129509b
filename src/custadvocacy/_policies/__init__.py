"""Recommendation policies: actions, the catalog, the built-in policies and the budget.

The package is private; its public names are re-exported from :mod:`custadvocacy`
(the main types and functions) and :mod:`custadvocacy.policies` (everything a host
needs to build catalogs, rules and policies of its own).

- ``_common``: the configuration error and minor-unit arithmetic.
- ``_sizing``: the relief and cost formulas, over floats and numpy arrays alike.
- ``_actions``: :class:`Action`, :class:`CreditSchedule`, :class:`ActionCatalog`.
- ``_catalog``: :func:`default_catalog` and its documented parameters.
- ``_model``: :class:`RecommendedAction`, :class:`Recommendation`, the
  :class:`RecommendationPolicy` protocol and :func:`run_policy`.
- ``_settings``: :class:`PolicySettings`, the limits and triggers policies share.
- ``_exposure``: exposures (the losses to relieve), candidates and picks.
- ``_engine``: the workspace the built-ins share: candidates, limits, results.
- ``_customer_first``, ``_playbook``, ``_vendor_value``: the built-in policies.
- ``_budget``: :func:`allocate_budget` for a portfolio budget.
"""

from custadvocacy._policies._actions import (
    MAX_CREDIT_CAP,
    Action,
    ActionCatalog,
    CreditBasis,
    CreditSchedule,
    CreditTier,
    PriceBasis,
)
from custadvocacy._policies._budget import BudgetAllocation, BudgetItem, allocate_budget
from custadvocacy._policies._catalog import default_catalog
from custadvocacy._policies._common import PolicyConfigError
from custadvocacy._policies._customer_first import CustomerFirstPolicy
from custadvocacy._policies._model import (
    Recommendation,
    RecommendationPolicy,
    RecommendedAction,
    run_policy,
)
from custadvocacy._policies._playbook import (
    DEFAULT_RULES,
    PlaybookPolicy,
    PlaybookRule,
    RuleTarget,
)
from custadvocacy._policies._settings import PolicySettings
from custadvocacy._policies._vendor_value import VendorValuePolicy

__all__ = [
    "DEFAULT_RULES",
    "MAX_CREDIT_CAP",
    "Action",
    "ActionCatalog",
    "BudgetAllocation",
    "BudgetItem",
    "CreditBasis",
    "CreditSchedule",
    "CreditTier",
    "CustomerFirstPolicy",
    "PlaybookPolicy",
    "PlaybookRule",
    "PolicyConfigError",
    "PolicySettings",
    "PriceBasis",
    "Recommendation",
    "RecommendationPolicy",
    "RecommendedAction",
    "RuleTarget",
    "VendorValuePolicy",
    "allocate_budget",
    "default_catalog",
    "run_policy",
]
