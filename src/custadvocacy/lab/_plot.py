"""Plots of the lab (the optional ``plot`` extra: ``pip install custadvocacy[plot]``).

matplotlib is imported inside each function, never at import time, and only its
object API is used (``matplotlib.figure.Figure``, no ``pyplot``): no global figure
state, no backend chosen for the caller. Each function draws on the ``ax`` given, or
on a new figure, and returns the figure; ``figure.savefig("x.png")`` writes it, and a
notebook shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np

from custadvocacy._checks import Checks
from custadvocacy._domain import Segment
from custadvocacy._scoring import Band
from custadvocacy.lab._outcome import Outcome
from custadvocacy.lab._results import Comparison

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# The public signatures say Any for matplotlib's Axes and Figure: matplotlib is an
# optional extra, and the docs are built (offline, nitpicky) without its inventory.

__all__ = ["plot_frontier", "plot_scores", "plot_segments"]

_SEGMENTS: Final = tuple(s.value for s in Segment)
_BANDS: Final = tuple(b.value for b in Band)
_BAND_COLOURS: Final = ("#4daf4a", "#a6d96a", "#fee08b", "#fdae61", "#d73027")


# A name beside its point: 5 points up and to the right, or to the left in the plot's
# right quarter (where it would run off the axes). A name whose point is near an earlier
# one's (within the width of a name and the height of a line, as shares of the axes) goes
# a line higher, so names of policies with about the same figures do not overlap.
_OFFSET: Final = 5
_LINE: Final = 11  # points
_NEAR_X: Final = 0.2
_NEAR_Y: Final = 0.05
_RIGHT: Final = 0.75


def _labels(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> list[tuple[int, int, str]]:
    """Each point's label offset in points (x, y) and horizontal alignment, in order.

    Example:
        >>> _labels(np.array([0.0, 0.0, 10.0]), np.array([0.0, 0.0, 10.0]))
        [(5, 5, 'left'), (5, 16, 'left'), (-5, 5, 'right')]
    """
    share_x = (x - x.min()) / (float(np.ptp(x)) or 1.0)
    share_y = (y - y.min()) / (float(np.ptp(y)) or 1.0)
    placed: list[tuple[int, float, float]] = []  # line, x, y of each name placed so far
    labels = []
    for px, py in zip(share_x.tolist(), share_y.tolist(), strict=True):
        taken = {
            line for line, qx, qy in placed if abs(qx - px) < _NEAR_X and abs(qy - py) < _NEAR_Y
        }
        line = next(k for k in range(len(placed) + 1) if k not in taken)
        placed.append((line, px, py))
        right = px > _RIGHT
        labels.append(
            (-_OFFSET if right else _OFFSET, _OFFSET + _LINE * line, "right" if right else "left")
        )
    return labels


def _axes(ax: Any) -> Axes:
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 - the optional plot extra
    except ImportError as error:
        raise ImportError(
            "the lab's plots need matplotlib: pip install 'custadvocacy[plot]'"
        ) from error
    if ax is not None:
        given: Axes = ax
        return given
    figure = Figure(figsize=(7.0, 4.5), layout="constrained")
    new: Axes = figure.subplots()
    return new


def _figure(ax: Axes) -> Any:
    return ax.get_figure()


def _check(name: str, value: object, cls: type, what: str, ax: object) -> None:
    c = Checks()
    c.instance(name, value, cls, what)
    if ax is not None and not hasattr(ax, "plot"):
        c.fail("ax", ax, "None or a matplotlib Axes")
    c.done()


def plot_frontier(comparison: Comparison, *, ax: Any = None) -> Any:
    """Relief versus cost of the compared policies, with their efficient frontier.

    One point per policy at (total cost, total loss relieved), labelled with its name
    (names of policies with about the same figures stacked, not overlapping); the line
    joins the policies no cheaper policy beats on relief (the frontier).

    Args:
        comparison: From :func:`~custadvocacy.lab.compare`.
        ax: A ``matplotlib.axes.Axes`` to draw on (default: a new figure).

    Returns:
        The ``matplotlib.figure.Figure`` (``x``: vendor cost, ``y``: customer loss
        relieved, both in the reporting currency).

    Raises:
        ImportError: matplotlib is not installed.
        ValidationError: ``comparison`` is not a Comparison.

    Example:
        >>> from custadvocacy import CustomerFirstPolicy
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> from custadvocacy.lab import compare
        >>> result = compare([None, CustomerFirstPolicy()], example_portfolio(),
        ...                  context=example_context(), replications=3)
        >>> plot_frontier(result).axes[0].get_xlabel()  # doctest: +SKIP
        'Vendor cost (EUR)'

    .. versionadded:: 0.1.0
    """
    _check("comparison", comparison, Comparison, "a Comparison", ax)
    axes = _axes(ax)
    reports = comparison.reports
    currency = reports[0].currency
    cost = np.array([r.total.cost for r in reports])
    relief = np.array([r.total.relieved for r in reports])
    order = np.lexsort((-relief, cost))
    frontier, best = [], -np.inf
    for i in order:
        if relief[i] > best:
            frontier.append(i)
            best = relief[i]
    axes.plot(cost[frontier], relief[frontier], color="0.6", linestyle="--", zorder=1,
              label="frontier")  # fmt: skip
    axes.scatter(cost, relief, zorder=2)
    for report, x, y, (dx, dy, align) in zip(
        reports, cost, relief, _labels(cost, relief), strict=True
    ):
        axes.annotate(report.policy, (x, y), textcoords="offset points", xytext=(dx, dy), ha=align)
    axes.set_xlabel(f"Vendor cost ({currency})")
    axes.set_ylabel(f"Customer loss relieved ({currency})")
    axes.set_title("Relief versus cost")
    axes.legend(loc="lower right")
    return _figure(axes)


def plot_scores(result: Outcome, *, bins: int = 20, ax: Any = None) -> Any:
    """The distribution of advocacy scores, stacked by band.

    Args:
        result: An :class:`~custadvocacy.lab.Outcome` (the scores do not depend on the
            policy).
        bins: Bins over 0-100 (1-100). Default 20.
        ax: A ``matplotlib.axes.Axes`` to draw on (default: a new figure).

    Returns:
        The ``matplotlib.figure.Figure`` (``x``: score 0-100, ``y``: customers).

    Raises:
        ImportError: matplotlib is not installed.
        ValidationError: An argument is not acceptable.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> from custadvocacy.lab import outcome
        >>> figure = plot_scores(outcome(None, example_portfolio(), context=example_context()))
        >>> figure.axes[0].get_ylabel()  # doctest: +SKIP
        'Customers'

    .. versionadded:: 0.1.0
    """
    _check("result", result, Outcome, "an Outcome", ax)
    c = Checks()
    c.number("bins", bins, low=1, high=100, integer=True)
    c.done()
    axes = _axes(ax)
    edges = np.linspace(0.0, 100.0, bins + 1)
    groups = [result.score[result.band == code] for code in range(len(_BANDS))]
    axes.hist(
        groups, bins=edges.tolist(), stacked=True, label=list(_BANDS), color=list(_BAND_COLOURS)
    )
    axes.set_xlabel("Advocacy score (0-100)")
    axes.set_ylabel("Customers")
    axes.set_title(f"Scores by band ({result.customers:,} customers)")
    axes.legend(title="band")
    return _figure(axes)


def plot_segments(comparison: Comparison, *, ax: Any = None) -> Any:
    """Loss relieved by segment, one bar per policy, beside the segment's loss.

    Args:
        comparison: From :func:`~custadvocacy.lab.compare`.
        ax: A ``matplotlib.axes.Axes`` to draw on (default: a new figure).

    Returns:
        The ``matplotlib.figure.Figure`` (``x``: segment, ``y``: loss relieved in the
        reporting currency).

    Raises:
        ImportError: matplotlib is not installed.
        ValidationError: ``comparison`` is not a Comparison.

    Example:
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> from custadvocacy.lab import compare
        >>> result = compare([None], example_portfolio(), context=example_context(),
        ...                  replications=2)
        >>> plot_segments(result).axes[0].get_xlabel()  # doctest: +SKIP
        'Segment'

    .. versionadded:: 0.1.0
    """
    _check("comparison", comparison, Comparison, "a Comparison", ax)
    axes = _axes(ax)
    reports = comparison.reports
    currency = reports[0].currency
    x = np.arange(len(_SEGMENTS), dtype=np.float64)
    width = 0.8 / (len(reports) + 1)
    loss = [row.loss for row in reports[0].segments]
    axes.bar(x, loss, width, label="loss", color="0.85", edgecolor="0.5")
    for k, report in enumerate(reports, start=1):
        axes.bar(x + k * width, [row.relieved for row in report.segments], width,
                 label=report.policy)  # fmt: skip
    axes.set_xticks(x + width * len(reports) / 2, list(_SEGMENTS))
    axes.set_xlabel("Segment")
    axes.set_ylabel(f"Loss relieved ({currency})")
    axes.set_title("Loss relieved by segment")
    axes.legend()
    return _figure(axes)
