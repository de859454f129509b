"""``evaluate`` and ``compare``: a policy's relief, cost and retention, with seeded intervals.

For each policy the lab runs the policy over the portfolio once (:func:`outcome`: the
loss, what the taken actions relieve and cost -- deterministic), asks the response
model for each customer's probability of staying with those actions and with none, and
draws ``replications`` seeded outcomes. Replication ``r`` uses the random numbers of
``numpy.random.default_rng([seed, r])`` for every policy and for the do-nothing
baseline alike (common random numbers), so differences between policies are not noise
of the draw. Each figure that depends on the draw is the mean over the replications
with a ``confidence`` interval of that mean (Student's t): more replications, a
narrower interval.
"""

from __future__ import annotations

import html
import importlib
import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._checks import Checks
from custadvocacy._context import Context
from custadvocacy._convert import to_dict
from custadvocacy._domain import Segment
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._policies import RecommendationPolicy
from custadvocacy._portfolio import Portfolio
from custadvocacy._scoring import Band
from custadvocacy.batch import PortfolioColumns
from custadvocacy.lab._fairness import Fairness, check_fairness
from custadvocacy.lab._outcome import LabPolicy, Outcome, Runner, on_batch_path
from custadvocacy.lab._progress import ProgressCallback, ProgressEvent
from custadvocacy.lab._response import (
    ResponseInputs,
    ResponseModel,
    ServiceRecoveryResponse,
    check_probabilities,
)

__all__ = ["Comparison", "Estimate", "Report", "ReportRow", "compare", "evaluate"]

FloatArray = npt.NDArray[np.float64]

_SEGMENTS: Final = tuple(s.value for s in Segment)
_BANDS: Final = tuple(b.value for b in Band)
_MAX_REPLICATIONS: Final = 10_000
_MAX_POLICIES: Final = 100
_ESTIMATES: Final = ("retained_customers", "retained_revenue", "revenue_saved", "net_value")


def t_quantile(p: float, df: int) -> float:
    """Student's t quantile ``p`` with ``df`` degrees of freedom (exact for 1 and 2).

    Beyond two degrees of freedom the Cornish-Fisher expansion around the normal
    quantile (error below 1 % from 3 degrees of freedom for the usual levels).

    Example:
        >>> round(t_quantile(0.975, 1), 3), round(t_quantile(0.975, 10), 2)
        (12.706, 2.23)
    """
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = NormalDist().inv_cdf(p)
    v = float(df)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
    )


@attrs.frozen(kw_only=True)
class Estimate:
    """A figure that depends on the draw: the mean over replications and its interval.

    Attributes:
        mean: The mean over the replications.
        low: Lower end of the confidence interval of the mean.
        high: Upper end.

    Example:
        >>> Estimate(mean=10.0, low=9.0, high=11.0).width
        2.0

    .. versionadded:: 0.1.0
    """

    mean: float
    low: float
    high: float

    @property
    def width(self) -> float:
        """``high - low``.

        Example:
            >>> Estimate(mean=1.0, low=1.0, high=1.0).width
            0.0
        """
        return self.high - self.low

    @classmethod
    def of(cls, values: FloatArray, t: float) -> Estimate:
        """Mean of ``values`` (shape ``(replications,)``) +- ``t`` standard errors.

        Example:
            >>> import numpy as np
            >>> Estimate.of(np.array([1.0, 3.0]), 2.0)
            Estimate(2.00, 0.00 to 4.00)
        """
        mean = float(values.mean())
        half = t * float(values.std(ddof=1)) / math.sqrt(values.shape[0])
        return cls(mean=mean, low=mean - half, high=mean + half)

    def __repr__(self) -> str:
        # Means of draws: two decimals say all there is to say (the fields keep the rest);
        # no thousands separators, which would read as more arguments.
        return f"Estimate({self.mean:.2f}, {self.low:.2f} to {self.high:.2f})"


@attrs.frozen(kw_only=True)
class ReportRow:
    """One row of a report: the whole portfolio, one segment or one band.

    Amounts are floats in the report's currency.

    Attributes:
        group: ``"total"``, ``"segment"`` or ``"band"``.
        name: ``"all"``, the segment (``"small"``...) or the band (``"stable"``...).
        customers: Customers in the row.
        harmed: Those with an estimated loss above zero.
        actioned: Those who got at least one action.
        loss: Their estimated loss: incidents plus the risk of open orders.
        relieved: What the taken actions relieve of it.
        cost: What the actions cost the vendor.
        retained_customers: Customers who stay (replicated).
        retained_revenue: Their annual value (replicated).
        revenue_saved: Annual value retained beyond doing nothing (replicated).
        net_value: ``margin_share x revenue_saved - cost``, the vendor's net (replicated).

    Example:
        >>> e = Estimate(mean=0.0, low=0.0, high=0.0)
        >>> ReportRow(group="total", name="all", customers=1, harmed=0, actioned=0, loss=0.0,
        ...           relieved=0.0, cost=0.0, retained_customers=e, retained_revenue=e,
        ...           revenue_saved=e, net_value=e).name
        'all'

    .. versionadded:: 0.1.0
    """

    group: str
    name: str
    customers: int
    harmed: int
    actioned: int
    loss: float
    relieved: float
    cost: float
    retained_customers: Estimate
    retained_revenue: Estimate
    revenue_saved: Estimate
    net_value: Estimate

    def to_record(self) -> dict[str, Any]:
        """A flat dict: estimates as ``<name>``, ``<name>_low`` and ``<name>_high``.

        Example:
            >>> e = Estimate(mean=2.0, low=1.0, high=3.0)
            >>> row = ReportRow(group="total", name="all", customers=1, harmed=0, actioned=0,
            ...                 loss=0.0, relieved=0.0, cost=0.0, retained_customers=e,
            ...                 retained_revenue=e, revenue_saved=e, net_value=e)
            >>> row.to_record()["net_value_high"]
            3.0
        """
        record: dict[str, Any] = {}
        for name, value in to_dict(self).items():
            if isinstance(value, dict):
                record[name] = value["mean"]
                record[f"{name}_low"] = value["low"]
                record[f"{name}_high"] = value["high"]
            else:
                record[name] = value
        return record

    def __repr__(self) -> str:
        return (
            f"ReportRow({self.group} {self.name!r}: {self.customers:,} customers, "
            f"{self.harmed:,} harmed, {self.actioned:,} actioned, loss {_figure(self.loss)}, "
            f"relieved {_figure(self.relieved)}, cost {_figure(self.cost)}, "
            f"net value {_figure(self.net_value.mean)})"
        )


def _to_pandas(records: list[dict[str, Any]]) -> Any:
    try:
        # Optional, imported only when asked for (the library never needs it).
        pd = importlib.import_module("pandas")
    except ImportError as error:
        raise ImportError("to_pandas() needs pandas: pip install pandas") from error
    return pd.DataFrame.from_records(records)


@attrs.frozen(kw_only=True)
class Report:
    """What a policy does to a portfolio: relief, cost and retention, by segment and band.

    Attributes:
        policy: The policy's name.
        response: The response model's name.
        currency: The reporting currency of every amount.
        replications: Seeded replications drawn.
        seed: The seed.
        confidence: Level of the intervals (e.g. 0.95).
        margin_share: Margin on revenue used for ``net_value``.
        total: The whole portfolio (every figure is the sum of the segment rows).
        segments: One row per segment (small, mid-market, enterprise).
        bands: One row per advocacy-score band (stable ... critical).
        fairness: Who was left out, and relief per loss by segment.

    Example:
        >>> from custadvocacy import CustomerFirstPolicy
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> report = evaluate(CustomerFirstPolicy(), example_portfolio(),
        ...                   context=example_context(), replications=5, seed=1)
        >>> report.total.relieved > 0, [row.name for row in report.segments]
        (True, ['small', 'mid_market', 'enterprise'])

    .. versionadded:: 0.1.0
    """

    policy: str
    response: str
    currency: str
    replications: int
    seed: int
    confidence: float
    margin_share: float
    total: ReportRow
    segments: tuple[ReportRow, ...]
    bands: tuple[ReportRow, ...]
    fairness: Fairness

    def rows(self) -> tuple[ReportRow, ...]:
        """The total, then the segment rows, then the band rows.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> len(evaluate(None, example_portfolio(), context=example_context(),
            ...              replications=2).rows())
            9
        """
        return (self.total, *self.segments, *self.bands)

    def to_records(self) -> list[dict[str, Any]]:
        """Plain records, one per row, with the policy's name (a DataFrame takes them).

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> records = evaluate(None, example_portfolio(), context=example_context(),
            ...                    replications=2).to_records()
            >>> records[0]["policy"], records[0]["group"], records[0]["cost"]
            ('do_nothing', 'total', 0.0)
        """
        return [{"policy": self.policy, **row.to_record()} for row in self.rows()]

    def to_pandas(self) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame`` (pandas imported only here).

        Raises:
            ImportError: pandas is not installed.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> frame = evaluate(None, example_portfolio(), context=example_context(),
            ...                  replications=2).to_pandas()  # doctest: +SKIP
            >>> frame.shape  # doctest: +SKIP
            (9, 21)
        """
        return _to_pandas(self.to_records())

    def _head(self, policy: str) -> str:
        return (
            f"{policy} on {self.total.customers:,} customers, amounts in "
            f"{self.currency}; {self.replications} replications (seed {self.seed}), "
            f"{self.confidence:.0%} intervals"
        )

    def _repr_markdown_(self) -> str:
        head = self._head(f"**{self.policy}**")
        return f"{head}\n\n{_markdown(('rows', *_COLUMNS), self._body())}"

    def _repr_html_(self) -> str:
        # A notebook shows the HTML when there is some: it carries the same heading.
        return _html(("rows", *_COLUMNS), self._body(), caption=self._head(self.policy))

    def _body(self) -> list[tuple[str, ...]]:
        return [(f"{r.group}: {r.name}", *_row_cells(r)) for r in self.rows()]

    def __repr__(self) -> str:
        t = self.total
        return (
            f"Report({self.policy!r}, {t.customers:,} customers in {self.currency}, "
            f"{self.replications} replications, seed {self.seed}: relieved "
            f"{_figure(t.relieved)}, cost {_figure(t.cost)}, net value {t.net_value!r})"
        )


@attrs.frozen(kw_only=True)
class Comparison:
    """Several policies' reports on the same portfolio, seed and response model.

    Attributes:
        reports: One :class:`Report` per policy, in the order given.

    Example:
        >>> from custadvocacy import CustomerFirstPolicy
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> both = compare([None, CustomerFirstPolicy()], example_portfolio(),
        ...                context=example_context(), replications=3)
        >>> [r.policy for r in both.reports]
        ['do_nothing', 'customer_first']

    .. versionadded:: 0.1.0
    """

    reports: tuple[Report, ...]

    def to_records(self, *, group: str | None = "total") -> list[dict[str, Any]]:
        """Plain records, one per policy and row (``group``: only those rows; None: all).

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> both = compare([None], example_portfolio(), context=example_context(),
            ...                replications=2)
            >>> len(both.to_records()), len(both.to_records(group=None))
            (1, 9)
        """
        return [
            record
            for report in self.reports
            for record in report.to_records()
            if group is None or record["group"] == group
        ]

    def to_pandas(self, *, group: str | None = "total") -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame`` (pandas imported only here).

        Raises:
            ImportError: pandas is not installed.

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> compare([None], example_portfolio(), context=example_context(),
            ...         replications=2).to_pandas().shape  # doctest: +SKIP
            (1, 21)
        """
        return _to_pandas(self.to_records(group=group))

    def table(self) -> str:
        """The totals side by side as a text table (amounts rounded to whole units).

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> print(compare([None], example_portfolio(), context=example_context(),
            ...               replications=2).table())
            policy      customers  actioned  loss  relieved  cost  retained  revenue saved  net value
            do_nothing         12         0   ...         0     0  ...                   0          0
        """
        head = ("policy", *_COLUMNS)
        body = self._body()
        widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
        # The name column is padded on the right, the figures on the left: no line ends
        # in spaces.
        lines = [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in (head, *body)
        ]
        return "\n".join(lines)

    def _body(self) -> list[tuple[str, ...]]:
        return [(r.policy, *_row_cells(r.total)) for r in self.reports]

    def _repr_markdown_(self) -> str:
        return _markdown(("policy", *_COLUMNS), self._body())

    def _repr_html_(self) -> str:
        return _html(("policy", *_COLUMNS), self._body())

    def __repr__(self) -> str:
        names = ", ".join(repr(r.policy) for r in self.reports)
        return f"Comparison({names}; table() shows them side by side)"


_COLUMNS: Final = ("customers", "actioned", "loss", "relieved", "cost", "retained",
                   "revenue saved", "net value")  # fmt: skip
"""The figures of a row as the tables show them (amounts rounded to whole units)."""


def _row_cells(row: ReportRow) -> tuple[str, ...]:
    return (
        f"{row.customers:,}",
        f"{row.actioned:,}",
        f"{row.loss:,.0f}",
        f"{row.relieved:,.0f}",
        f"{row.cost:,.0f}",
        f"{row.retained_customers.mean:,.1f}",
        f"{row.revenue_saved.mean:,.0f}",
        f"{row.net_value.mean:,.0f}",
    )


def _figure(value: float) -> str:
    return f"{value:,.2f}"


def _markdown(head: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """A Markdown table: the first column left-aligned, the figures right-aligned."""
    rows = [[cell.replace("|", "\\|") for cell in row] for row in (head, *body)]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    align = "|---|" + "---:|" * (len(head) - 1)
    return "\n".join([lines[0], align, *lines[1:]])


def _html(head: Sequence[str], body: Sequence[Sequence[str]], *, caption: str = "") -> str:
    """An HTML table: the first column left-aligned, the figures right-aligned."""
    cells = "".join(f"<th>{html.escape(cell)}</th>" for cell in head)
    rows = "".join(
        "<tr>" + "".join(_html_cell(i, cell) for i, cell in enumerate(row)) + "</tr>"
        for row in body
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<tr>{cells}</tr>{rows}</table>"


def _html_cell(column: int, text: str) -> str:
    align = "" if column == 0 else ' style="text-align: right"'
    return f"<td{align}>{html.escape(text)}</td>"


def _lab_policy(index: int, policy: object) -> LabPolicy:
    """``LabPolicy.of(policy)``, its problem placed under ``policies[index]``."""
    try:
        return LabPolicy.of(policy)  # type: ignore[arg-type]
    except ValidationError as error:
        # "policy" is the entry itself; a field of the LabPolicy built from it stays named.
        entry = f"policies[{index}]"
        problems = [
            attrs.evolve(p, path=entry) if p.path == "policy" else p.under(entry)
            for p in error.problems
        ]
        raise ValidationError(problems) from None


def _check(  # noqa: PLR0917 - the options of evaluate and compare
    context: object,
    replications: object,
    seed: object,
    response: object,
    margin_share: object,
    confidence: object,
    loss_threshold: object,
    progress: object,
) -> None:
    c = Checks()
    c.instance("context", context, Context, "a Context")
    c.number("replications", replications, low=2, high=_MAX_REPLICATIONS, integer=True)
    c.number("seed", seed, high=2**63 - 1, integer=True)
    if response is not None and not isinstance(response, ResponseModel):
        c.fail("response", response, "None or a response model (name and stay_probability)")
    c.share("margin_share", margin_share)
    c.number("confidence", confidence, low=0.5, high=0.999)
    c.number("loss_threshold", loss_threshold, high=1e15)
    if progress is not None and not callable(progress):
        c.fail("progress", progress, "None or a callable taking a ProgressEvent")
    c.done()


def _inputs(result: Outcome, acted: bool) -> ResponseInputs:
    zeros = np.zeros_like(result.loss)
    return ResponseInputs(
        loss=result.loss,
        relief=result.relief if acted else zeros,
        compensation=result.cost if acted else zeros,
        scale=result.value,
        failures=result.failures,
        health=result.health,
        proactive=result.proactive if acted else np.zeros(result.customers, np.bool_),
    )


class _Options:
    def __init__(
        self,
        *,
        replications: int,
        seed: int,
        response: ResponseModel,
        margin_share: float,
        confidence: float,
        loss_threshold: float,
        progress: ProgressCallback | None,
    ) -> None:
        self.replications = int(replications)
        self.seed = int(seed)
        self.response = response
        self.margin_share = float(margin_share)
        self.confidence = float(confidence)
        self.loss_threshold = float(loss_threshold)
        self.progress = progress
        self.t = t_quantile(0.5 + self.confidence / 2, self.replications - 1)


def _report(result: Outcome, options: _Options) -> Report:
    model = options.response
    n = result.customers
    stay = check_probabilities(model, model.stay_probability(_inputs(result, acted=True)), n)
    none = check_probabilities(model, model.stay_probability(_inputs(result, acted=False)), n)
    groups = {"segment": (result.segment.astype(np.int64), _SEGMENTS),
              "band": (result.band.astype(np.int64), _BANDS)}  # fmt: skip
    reps = options.replications
    # Per grouping: kept, revenue and saved, each of shape (replications, groups).
    sims = {key: np.zeros((3, reps, len(names))) for key, (_, names) in groups.items()}
    value = result.value
    for r in range(reps):
        draw = np.random.default_rng([options.seed, r]).random(n)
        kept = draw < stay
        kept_before = draw < none
        saved = value * (kept.astype(np.float64) - kept_before)
        for key, (codes, names) in groups.items():
            k = len(names)
            sims[key][0, r] = np.bincount(codes, weights=kept, minlength=k)
            sims[key][1, r] = np.bincount(codes, weights=value * kept, minlength=k)
            sims[key][2, r] = np.bincount(codes, weights=saved, minlength=k)
        if options.progress is not None:
            options.progress(
                ProgressEvent(policy=result.policy, stage="replicate", done=r + 1, total=reps)
            )
    harmed = result.loss > 0
    actioned = result.actions > 0

    def fixed(codes: npt.NDArray[np.int64], k: int) -> list[npt.NDArray[Any]]:
        return [
            np.bincount(codes, minlength=k).astype(np.float64),
            np.bincount(codes, weights=harmed, minlength=k),
            np.bincount(codes, weights=actioned, minlength=k),
            np.bincount(codes, weights=result.loss, minlength=k),
            np.bincount(codes, weights=result.relief, minlength=k),
            np.bincount(codes, weights=result.cost, minlength=k),
        ]

    def row(group: str, name: str, counts: Sequence[float], series: FloatArray) -> ReportRow:
        # series: shape (3, replications): kept, revenue, saved
        net = options.margin_share * series[2] - counts[5]
        estimates = [Estimate.of(s, options.t) for s in (series[0], series[1], series[2], net)]
        return ReportRow(
            group=group,
            name=name,
            customers=round(counts[0]),
            harmed=round(counts[1]),
            actioned=round(counts[2]),
            loss=float(counts[3]),
            relieved=float(counts[4]),
            cost=float(counts[5]),
            **dict(zip(_ESTIMATES, estimates, strict=True)),
        )

    tables: dict[str, tuple[ReportRow, ...]] = {}
    segment_fixed: list[npt.NDArray[Any]] = []
    for key, (codes, names) in groups.items():
        counts = fixed(codes, len(names))
        if key == "segment":
            segment_fixed = counts
        tables[key] = tuple(
            row(key, name, [float(c[j]) for c in counts], sims[key][:, :, j])
            for j, name in enumerate(names)
        )
    # The total is the sum of the segment rows, figure by figure and draw by draw.
    total_counts = [float(sum(c[j] for j in range(len(_SEGMENTS)))) for c in segment_fixed]
    total_series = sims["segment"].sum(axis=2)
    total = row("total", "all", total_counts, total_series)
    return Report(
        policy=result.policy,
        response=str(model.name),
        currency=result.currency,
        replications=reps,
        seed=options.seed,
        confidence=options.confidence,
        margin_share=options.margin_share,
        total=total,
        segments=tables["segment"],
        bands=tables["band"],
        fairness=check_fairness(result, threshold=options.loss_threshold),
    )


def _options(
    *,
    context: Context,
    replications: int,
    seed: int,
    response: ResponseModel | None,
    margin_share: float,
    confidence: float,
    loss_threshold: float,
    progress: ProgressCallback | None,
) -> _Options:
    _check(
        context, replications, seed, response, margin_share, confidence, loss_threshold, progress
    )
    return _Options(
        replications=replications,
        seed=seed,
        response=ServiceRecoveryResponse() if response is None else response,
        margin_share=margin_share,
        confidence=confidence,
        loss_threshold=loss_threshold,
        progress=progress,
    )


def evaluate(
    policy: LabPolicy | RecommendationPolicy | None,
    portfolio: Portfolio | PortfolioColumns,
    *,
    context: Context,
    replications: int = 20,
    seed: int = 0,
    response: ResponseModel | None = None,
    margin_share: float = 0.3,
    confidence: float = 0.95,
    loss_threshold: float = 1000.0,
    progress: ProgressCallback | None = None,
) -> Report:
    """Evaluate one policy on a portfolio: loss relieved, cost, customers and revenue kept.

    Args:
        policy: A :class:`LabPolicy` (a policy with its catalog and budget), a bare
            recommendation policy, or ``None`` (do nothing).
        portfolio: Domain objects or columns (:func:`synthetic_columns`).
        context: ``as_of``, the reporting currency and the rates.
        replications: Seeded draws of who stays (2-10,000). Default 20.
        seed: The seed (>= 0): same seed, same report.
        response: The customer response model (default: :class:`ServiceRecoveryResponse`).
        margin_share: Margin on the revenue saved, for ``net_value`` (0-1). Default 0.3.
        confidence: Level of the intervals (0.5-0.999). Default 0.95.
        loss_threshold: Loss above which a customer should get an action, for the
            fairness check (reporting currency). Default 1,000.
        progress: Called after each step with a :class:`ProgressEvent`
            (:func:`tqdm_progress` adapts a tqdm bar).

    Returns:
        The :class:`Report`: totals, per segment and band, fairness.

    Raises:
        ValidationError: An argument is not acceptable (every problem listed), or the
            response model returned something other than probabilities.

    Example:
        >>> from custadvocacy import CustomerFirstPolicy
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> report = evaluate(CustomerFirstPolicy(), example_portfolio(),
        ...                   context=example_context(), replications=10, seed=3)
        >>> report.total.relieved <= report.total.loss
        True
        >>> report.total.revenue_saved.mean >= 0
        True

    .. versionadded:: 0.1.0
    """
    options = _options(
        context=context,
        replications=replications,
        seed=seed,
        response=response,
        margin_share=margin_share,
        confidence=confidence,
        loss_threshold=loss_threshold,
        progress=progress,
    )
    lab = LabPolicy.of(policy)
    return _report(Runner(portfolio, context).run(lab, progress), options)


def compare(
    policies: Sequence[LabPolicy | RecommendationPolicy | None],
    portfolio: Portfolio | PortfolioColumns,
    *,
    context: Context,
    replications: int = 20,
    seed: int = 0,
    response: ResponseModel | None = None,
    margin_share: float = 0.3,
    confidence: float = 0.95,
    loss_threshold: float = 1000.0,
    progress: ProgressCallback | None = None,
) -> Comparison:
    """Evaluate several policies on the same portfolio, seed and random numbers.

    The arguments are :func:`evaluate`'s; the policy-independent part (impacts, scores)
    is computed once, and every policy sees the same draws.

    Args:
        policies: 1 to 100 policies (:class:`LabPolicy`, a bare policy or ``None``),
            with distinct names.
        portfolio: Domain objects or columns.
        context: ``as_of``, the reporting currency and the rates.
        replications: Seeded draws of who stays (2-10,000).
        seed: The seed (>= 0).
        response: The customer response model.
        margin_share: Margin on the revenue saved (0-1).
        confidence: Level of the intervals.
        loss_threshold: Loss above which a customer should get an action.
        progress: Called after each step with a :class:`ProgressEvent`.

    Returns:
        A :class:`Comparison`, reports in the order given.

    Raises:
        ValidationError: An argument is not acceptable, or two policies share a name.

    Example:
        >>> from custadvocacy import CustomerFirstPolicy, VendorValuePolicy
        >>> from custadvocacy.examples import example_context, example_portfolio
        >>> result = compare([CustomerFirstPolicy(), VendorValuePolicy()],
        ...                  example_portfolio(), context=example_context(), replications=5)
        >>> [(r.policy, r.total.relieved > 0) for r in result.reports]
        [('customer_first', True), ('vendor_value', True)]

    .. versionadded:: 0.1.0
    """
    options = _options(
        context=context,
        replications=replications,
        seed=seed,
        response=response,
        margin_share=margin_share,
        confidence=confidence,
        loss_threshold=loss_threshold,
        progress=progress,
    )
    given: object = policies
    if not isinstance(given, list | tuple) or not 1 <= len(given) <= _MAX_POLICIES:
        raise ValidationError([Problem("policies", policies, "a list of 1 to 100 policies")])
    labs = [_lab_policy(i, p) for i, p in enumerate(policies)]
    names = [lab.name for lab in labs]
    problems = [
        Problem(f"policies[{i}].name", name, "a name no earlier policy has")
        for i, name in enumerate(names)
        if name in names[:i]
    ]
    if problems:
        raise ValidationError(problems)
    runner = Runner(portfolio, context)
    # Batch-path policies first: their run yields the policy-independent columns the
    # others reuse (no extra batch run for doing nothing or for the object path).
    first = sorted(range(len(labs)), key=lambda i: not on_batch_path(labs[i].policy))
    reports: dict[int, Report] = {}
    for i in first:
        reports[i] = _report(runner.run(labs[i], progress), options)
    return Comparison(reports=tuple(reports[i] for i in range(len(labs))))
