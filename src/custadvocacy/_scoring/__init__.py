"""The advocacy score: how urgently a customer needs an advocate (0-100, higher = sooner).

- ``_model``: :class:`AdvocacyScore`, :class:`Band`, :class:`Contribution`,
  :class:`ScoreWeights`, :class:`ScorerConfig` and the :class:`Scorer` protocol.
- ``_formulas``: each factor's formula once, over floats and numpy arrays alike.
- ``_scorer``: the built-in :class:`AdvocacyScorer`.
- ``_summary``: :class:`ScoreSummary` and :func:`summarize` for a portfolio.
- ``_text``: :func:`format_score`, :func:`format_forecast`, :func:`format_summary`.
"""

from custadvocacy._scoring._model import (
    FACTORS,
    AdvocacyScore,
    Band,
    Contribution,
    Scorer,
    ScorerConfig,
    ScoreWeights,
)
from custadvocacy._scoring._scorer import AdvocacyScorer
from custadvocacy._scoring._summary import BandCount, ScoreSummary, summarize
from custadvocacy._scoring._text import format_forecast, format_score, format_summary

__all__ = [
    "FACTORS",
    "AdvocacyScore",
    "AdvocacyScorer",
    "Band",
    "BandCount",
    "Contribution",
    "ScoreSummary",
    "ScoreWeights",
    "Scorer",
    "ScorerConfig",
    "format_forecast",
    "format_score",
    "format_summary",
    "summarize",
]
