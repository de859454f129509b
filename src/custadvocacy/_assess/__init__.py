"""Assessment: the one call a CRM makes, and what it returns.

- ``_model``: :class:`Assessment` (one customer) and :class:`PortfolioAssessment`.
- ``_run``: :func:`assess` and :func:`assess_portfolio`.
- ``_payload``: the JSON payload of the command line (:func:`load_portfolio_json`).
"""

from custadvocacy._assess._model import Assessment, PortfolioAssessment
from custadvocacy._assess._payload import AssessRequest, load_portfolio_json, parse_json
from custadvocacy._assess._run import assess, assess_portfolio

__all__ = [
    "AssessRequest",
    "Assessment",
    "PortfolioAssessment",
    "assess",
    "assess_portfolio",
    "load_portfolio_json",
    "parse_json",
]
