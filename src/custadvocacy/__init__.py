"""custadvocacy: customer advocacy scoring.

Turns a host's records (customers, orders, incidents) into what an advocate needs:
the customer's loss, how urgently they need someone on their side, what to do, and a
brief for decision makers. Pure computation: no I/O, no clock, no global state.

Example:
    >>> import custadvocacy as ca
    >>> ca.Money("19.99", "EUR") * 2
    Money('39.98', 'EUR')
"""

from custadvocacy._assess import Assessment, PortfolioAssessment, assess, assess_portfolio
from custadvocacy._brief import Brief
from custadvocacy._context import Context
from custadvocacy._convert import from_dict, to_dict
from custadvocacy._domain import (
    Customer,
    HealthSignals,
    Incident,
    IncidentKind,
    NoticedBy,
    OperatingProfile,
    Order,
    Segment,
    Severity,
)
from custadvocacy._errors import (
    AdvocacyError,
    ConfigurationError,
    CurrencyMismatchError,
    MissingRateError,
    Problem,
    ValidationError,
)
from custadvocacy._forecast import (
    DelayOutlook,
    DelayPrior,
    EmpiricalLeadTimeModel,
    Forecast,
    ForecastBasis,
    LaneHistory,
    LeadTimeModel,
    forecast_orders,
)
from custadvocacy._impact._compose import EstimatorSet, default_estimators, estimate_impacts
from custadvocacy._impact._model import (
    Assumption,
    EstimatorCapabilities,
    Impact,
    ImpactEstimator,
    LossCategory,
    LossItem,
)
from custadvocacy._impact._text import format_impact
from custadvocacy._money import ExchangeRates, Money
from custadvocacy._policies import (
    Action,
    ActionCatalog,
    BudgetAllocation,
    CustomerFirstPolicy,
    PlaybookPolicy,
    PlaybookRule,
    Recommendation,
    RecommendationPolicy,
    RecommendedAction,
    VendorValuePolicy,
    allocate_budget,
    default_catalog,
)
from custadvocacy._portfolio import Portfolio, check_references
from custadvocacy._scoring import (
    AdvocacyScore,
    AdvocacyScorer,
    Band,
    BandCount,
    Contribution,
    Scorer,
    ScorerConfig,
    ScoreSummary,
    ScoreWeights,
    format_forecast,
    format_score,
    format_summary,
    summarize,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "Action",
    "ActionCatalog",
    "AdvocacyError",
    "AdvocacyScore",
    "AdvocacyScorer",
    "Assessment",
    "Assumption",
    "Band",
    "BandCount",
    "Brief",
    "BudgetAllocation",
    "ConfigurationError",
    "Context",
    "Contribution",
    "CurrencyMismatchError",
    "Customer",
    "CustomerFirstPolicy",
    "DelayOutlook",
    "DelayPrior",
    "EmpiricalLeadTimeModel",
    "EstimatorCapabilities",
    "EstimatorSet",
    "ExchangeRates",
    "Forecast",
    "ForecastBasis",
    "HealthSignals",
    "Impact",
    "ImpactEstimator",
    "Incident",
    "IncidentKind",
    "LaneHistory",
    "LeadTimeModel",
    "LossCategory",
    "LossItem",
    "MissingRateError",
    "Money",
    "NoticedBy",
    "OperatingProfile",
    "Order",
    "PlaybookPolicy",
    "PlaybookRule",
    "Portfolio",
    "PortfolioAssessment",
    "Problem",
    "Recommendation",
    "RecommendationPolicy",
    "RecommendedAction",
    "ScoreSummary",
    "ScoreWeights",
    "Scorer",
    "ScorerConfig",
    "Segment",
    "Severity",
    "ValidationError",
    "VendorValuePolicy",
    "allocate_budget",
    "assess",
    "assess_portfolio",
    "check_references",
    "default_catalog",
    "default_estimators",
    "estimate_impacts",
    "forecast_orders",
    "format_forecast",
    "format_impact",
    "format_score",
    "format_summary",
    "from_dict",
    "summarize",
    "to_dict",
]
