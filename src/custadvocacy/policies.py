"""Recommendation policies: the action catalog, the built-in policies and the budget.

Everything a host needs to decide what to do for a customer: the :class:`Action` s a
vendor offers (:func:`default_catalog`, or a catalog of its own built as data), the
built-in policies (:class:`CustomerFirstPolicy`, the default; :class:`PlaybookPolicy`,
rules as data; :class:`VendorValuePolicy`, the business view), the portfolio budget
(:func:`allocate_budget`) and :func:`run_policy`, which checks a policy of the host's
own. Each policy and catalog is a frozen value whose fields are its parameters, so it
is stored with :func:`~custadvocacy.to_dict` and read back with
:func:`~custadvocacy.from_dict`. ``docs/policies.md`` has every formula and source.

Example:
    >>> from custadvocacy import from_dict, to_dict
    >>> from custadvocacy.policies import CustomerFirstPolicy, PolicySettings
    >>> generous = CustomerFirstPolicy(settings=PolicySettings(cost_limit_share=0.25))
    >>> from_dict(CustomerFirstPolicy, to_dict(generous)) == generous
    True
"""

from custadvocacy._policies import (
    DEFAULT_RULES,
    MAX_CREDIT_CAP,
    Action,
    ActionCatalog,
    BudgetAllocation,
    BudgetItem,
    CreditBasis,
    CreditSchedule,
    CreditTier,
    CustomerFirstPolicy,
    PlaybookPolicy,
    PlaybookRule,
    PolicyConfigError,
    PolicySettings,
    PriceBasis,
    Recommendation,
    RecommendationPolicy,
    RecommendedAction,
    RuleTarget,
    VendorValuePolicy,
    allocate_budget,
    default_catalog,
    run_policy,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "Action",
    "ActionCatalog",
    "BudgetAllocation",
    "BudgetItem",
    "CreditBasis",
    "CreditSchedule",
    "CreditTier",
    "CustomerFirstPolicy",
    "DEFAULT_RULES",
    "MAX_CREDIT_CAP",
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
