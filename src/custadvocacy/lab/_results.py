"""The lab's results, a mean with its interval per figure, and their tables.

:class:`Estimate`, :class:`ReportRow`, :class:`Report` and :class:`Comparison`, each as
text, Markdown, HTML (for a notebook) and pandas records.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._convert import to_dict
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._optional import pandas
from custadvocacy.lab._fairness import Fairness

__all__ = ["Comparison", "Estimate", "Report", "ReportRow", "t_quantile"]

FloatArray = npt.NDArray[np.float64]


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
    def of(
        cls, values: FloatArray, t: float, within: tuple[float, float] = (-math.inf, math.inf)
    ) -> Estimate:
        """Mean of ``values`` (shape ``(replications,)``) +- ``t`` standard errors.

        The interval is cut to ``within``, what the figure can be: a count of customers
        retained lies between none and all of them, however few the replications (the
        interval of three draws can otherwise reach past every customer there is).

        Example:
            >>> import numpy as np
            >>> Estimate.of(np.array([1.0, 3.0]), 2.0)
            Estimate(2.00, 0.00 to 4.00)
            >>> Estimate.of(np.array([1.0, 3.0]), 2.0, within=(0.0, 3.0))
            Estimate(2.00, 0.00 to 3.00)
        """
        low, high = within
        if not low <= high:
            raise ValidationError([Problem("within", within, "(low, high) with low <= high")])
        mean = float(values.mean())
        half = t * float(values.std(ddof=1)) / math.sqrt(values.shape[0])
        return cls(mean=mean, low=max(mean - half, low), high=min(mean + half, high))

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
        loss: Their estimated loss: incidents plus the risk of open orders beyond
            them.
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
    return pandas("to_pandas()").DataFrame.from_records(records)


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
        >>> from custadvocacy.lab import evaluate
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
            >>> from custadvocacy.lab import evaluate
            >>> len(evaluate(None, example_portfolio(), context=example_context(),
            ...              replications=2).rows())
            9
        """
        return (self.total, *self.segments, *self.bands)

    def to_records(self) -> list[dict[str, Any]]:
        """Plain records, one per row, with the policy's name (a DataFrame takes them).

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> from custadvocacy.lab import evaluate
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
            >>> from custadvocacy.lab import evaluate
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
        >>> from custadvocacy.lab import compare
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
            >>> from custadvocacy.lab import compare
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
            >>> from custadvocacy.lab import compare
            >>> compare([None], example_portfolio(), context=example_context(),
            ...         replications=2).to_pandas().shape  # doctest: +SKIP
            (1, 21)
        """
        return _to_pandas(self.to_records(group=group))

    def table(self) -> str:
        """The totals side by side as a text table (amounts rounded to whole units).

        Example:
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> from custadvocacy.lab import compare
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
