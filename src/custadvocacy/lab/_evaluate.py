"""``evaluate`` and ``compare``: a policy's relief, cost and retention, with seeded intervals.

For each policy the lab runs the policy over the portfolio once (:func:`outcome`: the
loss, what the taken actions relieve and cost -- deterministic), asks the response
model for each customer's probability of staying with those actions and with none, and
draws ``replications`` seeded outcomes. Replication ``r`` uses the random numbers of
``numpy.random.default_rng([seed, r])`` for every policy and for the do-nothing
baseline alike (common random numbers), so differences between policies are not noise
of the draw; the customers take them in the order of their ids, so the rows' order
changes nothing. Each figure that depends on the draw is the mean over the replications
with a ``confidence`` interval of that mean (Student's t): more replications, a
narrower interval.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._checks import Checks, plain_int
from custadvocacy._context import Context
from custadvocacy._domain import Segment
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._plugins import class_given
from custadvocacy._policies import RecommendationPolicy
from custadvocacy._portfolio import Portfolio
from custadvocacy._scoring import Band
from custadvocacy.batch import PortfolioColumns
from custadvocacy.lab._fairness import check_fairness
from custadvocacy.lab._outcome import LabPolicy, Outcome, Runner, on_batch_path
from custadvocacy.lab._progress import ProgressCallback, ProgressEvent
from custadvocacy.lab._response import (
    ResponseInputs,
    ResponseModel,
    ServiceRecoveryResponse,
    check_probabilities,
)
from custadvocacy.lab._results import Comparison, Estimate, Report, ReportRow, t_quantile

__all__ = ["compare", "evaluate"]

FloatArray = npt.NDArray[np.float64]

_SEGMENTS: Final = tuple(s.value for s in Segment)
_BANDS: Final = tuple(b.value for b in Band)
_MAX_REPLICATIONS: Final = 10_000
_MAX_POLICIES: Final = 100
_ESTIMATES: Final = ("retained_customers", "retained_revenue", "revenue_saved", "net_value")


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
    if given_class := class_given("response", response, "stay_probability"):
        c.fail("response", response, f"None or a response model; {given_class}")
    elif response is not None and not isinstance(response, ResponseModel):
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
    # Each customer's draw by the rank of its id, not its row: the same extract in another
    # row order draws the same for everyone.
    by_id = np.empty(n, dtype=np.int64)
    by_id[np.argsort(result.ids, kind="stable")] = np.arange(n)
    for r in range(reps):
        draw = np.random.default_rng([options.seed, r]).random(n)[by_id]
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
            np.bincount(codes, weights=value, minlength=k),  # all the revenue there is
        ]

    def row(group: str, name: str, counts: Sequence[float], series: FloatArray) -> ReportRow:
        # series: shape (3, replications): kept, revenue, saved
        net = options.margin_share * series[2] - counts[5]
        # What each figure can be, whatever the draw: customers kept between none and
        # all, revenue kept between none and all of it, revenue saved (kept with the
        # actions less without) at most all of it either way, and the net value its margin
        # less the cost.
        revenue, margin = counts[6], options.margin_share * counts[6]
        within = (
            (0.0, counts[0]),
            (0.0, revenue),
            (-revenue, revenue),
            (-margin - counts[5], margin - counts[5]),
        )
        estimates = [
            Estimate.of(s, options.t, bounds)
            for s, bounds in zip((series[0], series[1], series[2], net), within, strict=True)
        ]
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
    # A notebook's loop hands numpy's integers (`for seed in np.arange(5)`): the same seed.
    seed = typing.cast("int", plain_int(seed))
    replications = typing.cast("int", plain_int(replications))
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
