"""The policy lab: simulate, compare and plot advocacy policies on a portfolio.

Analysts prototype policies in notebooks: "if we gave every critical late order an
expedite and a credit tiered by delay, how much customer loss would we relieve, what
would it cost, how many customers would stay?" The lab answers that side by side,
reproducibly:

- :func:`synthetic_columns` / :func:`synthetic_portfolio`: a seeded synthetic portfolio
  with documented distributions, from ten customers to millions (batch path;
  :func:`custadvocacy.batch.synthetic_mapping` with ``config=SyntheticConfig()`` gives
  its raw tables);
- :class:`ServiceRecoveryResponse`: the default customer response model (a
  :class:`ResponseModel` protocol: plug in your own, and calibrate it on your outcomes);
- :func:`evaluate` / :func:`compare`: loss relieved, cost, customers and revenue kept,
  net value, per segment and band, with intervals from seeded replications, as
  :class:`Report` / :class:`Comparison` (plain records, or pandas when installed);
- :func:`check_fairness`: who with a real loss got nothing, relief per loss by segment;
- :func:`plot_frontier`, :func:`plot_scores`, :func:`plot_segments`: matplotlib figures
  (the optional ``plot`` extra, imported only when called);
- :func:`tqdm_progress`: a progress bar for long runs.

``docs/lab.md`` is the tutorial.

Example:
    >>> from custadvocacy import CustomerFirstPolicy
    >>> from custadvocacy.examples import example_context
    >>> from custadvocacy.lab import compare, synthetic_columns
    >>> ctx = example_context()
    >>> columns = synthetic_columns(2000, seed=1, as_of=ctx.as_of)
    >>> result = compare([None, CustomerFirstPolicy()], columns, context=ctx, replications=5)
    >>> [r.policy for r in result.reports]
    ['do_nothing', 'customer_first']
"""

from custadvocacy.lab._evaluate import compare, evaluate
from custadvocacy.lab._fairness import Fairness, SegmentFairness, check_fairness
from custadvocacy.lab._generate import (
    SyntheticConfig,
    synthetic_columns,
    synthetic_portfolio,
)
from custadvocacy.lab._outcome import LabPolicy, Outcome, outcome
from custadvocacy.lab._plot import plot_frontier, plot_scores, plot_segments
from custadvocacy.lab._progress import ProgressBar, ProgressCallback, ProgressEvent, tqdm_progress
from custadvocacy.lab._response import ResponseInputs, ResponseModel, ServiceRecoveryResponse
from custadvocacy.lab._results import Comparison, Estimate, Report, ReportRow

__all__ = [
    "Comparison",
    "Estimate",
    "Fairness",
    "LabPolicy",
    "Outcome",
    "ProgressBar",
    "ProgressCallback",
    "ProgressEvent",
    "Report",
    "ReportRow",
    "ResponseInputs",
    "ResponseModel",
    "SegmentFairness",
    "ServiceRecoveryResponse",
    "SyntheticConfig",
    "check_fairness",
    "compare",
    "evaluate",
    "outcome",
    "plot_frontier",
    "plot_scores",
    "plot_segments",
    "synthetic_columns",
    "synthetic_portfolio",
    "tqdm_progress",
]
