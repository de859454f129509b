"""Golden outputs: every text and number the library gives for the example portfolio, pinned.

The other tests check properties (bounds, round trips, batch == object path) and
scenarios; these pin the outputs themselves, byte for byte, so that any change to a
figure, a reason, a brief or a report shows up as a diff to review. A CRM parses
``to_dict`` payloads and people read briefs: a change in either is a user-visible
change and belongs in the CHANGELOG.

After an intended change, rewrite the files and review the diff::

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden_outputs.py

Floats are written with 12 significant digits, so a last-bit difference between two
machines' libm or numpy builds does not fail a test, while any real change does.
Amounts are already exact decimal strings.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import pytest

from custadvocacy import (
    AdvocacyScorer,
    Money,
    Portfolio,
    assess_portfolio,
    default_catalog,
    default_estimators,
    format_forecast,
    format_score,
    format_summary,
    to_dict,
)
from custadvocacy.__main__ import build_parser, main
from custadvocacy._impact._text import format_impact
from custadvocacy._report import assessment_report, portfolio_report, portfolio_summary
from custadvocacy.batch import SCHEMA, assess_batch, columns_from_objects, synthetic_mapping
from custadvocacy.examples import example_context, example_payload, example_portfolio
from custadvocacy.lab import (
    SyntheticConfig,
    compare,
    outcome,
    plot_frontier,
    plot_scores,
    plot_segments,
    synthetic_portfolio,
)
from custadvocacy.policies import CustomerFirstPolicy, PlaybookPolicy, VendorValuePolicy
from custadvocacy.testing.conformance import estimator_checks, policy_checks, scorer_checks

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

BuiltIn = CustomerFirstPolicy | PlaybookPolicy | VendorValuePolicy
POLICIES: dict[str, Callable[[], BuiltIn]] = {
    "customer_first": CustomerFirstPolicy,
    "playbook": PlaybookPolicy,
    "vendor_value": VendorValuePolicy,
}


def _plain(value: Any) -> Any:
    """``value`` with every float at 12 significant digits (see the module docstring)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _json(value: Any) -> str:
    return json.dumps(_plain(value), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: UPDATE_GOLDEN=1 writes it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        # The first differing line, not a 100 KB assertion diff.
        for number, (got, want) in enumerate(
            zip(text.splitlines(), expected.splitlines(), strict=False), start=1
        ):
            if got != want:
                pytest.fail(f"{name}:{number}\n  golden: {want}\n  now:    {got}")
        pytest.fail(
            f"{name}: {len(text.splitlines())} lines, golden has {len(expected.splitlines())}"
        )


def test_the_example_portfolios_assessments() -> None:
    result = assess_portfolio(example_portfolio(), context=example_context())
    _check("assessments.json", _json(to_dict(result)))


def test_the_default_catalog() -> None:
    # Every action's label, rationale, costs and credit tiers: what a CRM shows and a
    # policy weighs (the assessments above use only some of the actions).
    _check("default_catalog.json", _json(to_dict(default_catalog())))


@pytest.mark.parametrize("policy", ["playbook", "vendor_value"])
def test_the_other_policies_recommendations(policy: str) -> None:
    # Impacts, forecasts and scores do not depend on the policy: assessments.json has them.
    result = assess_portfolio(
        example_portfolio(), context=example_context(), policy=POLICIES[policy]()
    )
    recommendations = [to_dict(a.recommendation) for a in result.assessments]
    _check(f"recommendations_{policy}.json", _json(recommendations))


def test_the_example_portfolio_under_a_budget() -> None:
    result = assess_portfolio(
        example_portfolio(),
        context=example_context(),
        budget=Money("20000", "EUR"),
        per_customer_limit=Money("6000", "EUR"),
        per_action_limit=Money("4000", "EUR"),
    )
    assert result.allocation is not None
    payload = {
        "allocation": to_dict(result.allocation),
        "recommendations": [to_dict(a.recommendation) for a in result.assessments],
    }
    _check("budget.json", _json(payload))


def test_the_reports_and_briefs() -> None:
    portfolio, context = example_portfolio(), example_context()
    result = assess_portfolio(portfolio, context=context)
    parts = [
        portfolio_summary(portfolio, context),
        portfolio_report(result, briefs=len(result.assessments)),
    ]
    for rank, assessment in enumerate(result.assessments):
        brief = assessment.brief()
        parts += [assessment_report(assessment), brief.text(), brief.markdown()]
        if rank < 3:  # the HTML says what the Markdown says, in tags: three suffice
            parts.append(brief.html())
    _check("reports_and_briefs.txt", "\n\n".join(parts) + "\n")


def test_the_reports_of_edge_portfolios() -> None:
    # No customers; customers with nothing to report (no incident: proactivity n/a, no
    # action); forecasts given in another order than the report's.
    context = example_context()
    full = example_portfolio()
    quiet = Portfolio(customers=full.customers[:3], orders=(), incidents=())
    parts = []
    for portfolio in (Portfolio(), quiet):
        result = assess_portfolio(portfolio, context=context)
        parts += [
            portfolio_summary(portfolio, context),
            portfolio_report(result, briefs=len(result.assessments)),
            format_summary(result.summary),
            *(assessment_report(a) for a in result.assessments),
        ]
    rhein = assess_portfolio(full, context=context).get("C10")
    parts.append(format_score(rhein.score, forecasts=tuple(reversed(rhein.forecasts)), top=2))
    _check("edge_reports.txt", "\n\n".join(parts) + "\n")


def test_the_briefs_of_a_synthetic_portfolio() -> None:
    # The example's twelve customers leave branches of the brief unread (a billing error
    # with no amount, a long summary clipped, an order not yet due); sixty drawn ones
    # reach more of them.
    context = example_context()
    result = assess_portfolio(synthetic_portfolio(60, seed=3, as_of=context.as_of), context=context)
    briefs = [assessment.brief().text() for assessment in result.assessments]
    _check("synthetic_briefs.txt", "\n\n".join(briefs) + "\n")


def _column(values: Any) -> dict[str, Any]:
    array = np.asarray(values)
    listed = array.astype(str).tolist() if array.dtype.kind == "M" else array.tolist()
    return {"dtype": str(array.dtype), "values": listed}


def test_the_conformance_rules() -> None:
    # The rules a plug-in author reads in every failure report ("Rule: ..."), as words.
    estimators = [e for _, e in default_estimators().estimators]
    kits = [(f"estimator {e.name}", estimator_checks(e)) for e in estimators]
    kits.append(("scorer", scorer_checks(AdvocacyScorer())))
    kits += [(f"policy {name}", policy_checks(make())) for name, make in POLICIES.items()]
    lines = [f"{kit} / {name}: {check.rule}" for kit, checks in kits for name, check in checks]
    _check("conformance_rules.txt", "\n".join(lines) + "\n")


@pytest.mark.parametrize("mix", ["batch", "lab"])
def test_the_synthetic_tables(mix: str) -> None:
    # A seed gives the same portfolio on every version: an analyst's notebook re-run
    # after an upgrade reproduces its figures, or the CHANGELOG says why not.
    config = SyntheticConfig() if mix == "lab" else None
    tables = synthetic_mapping(15, seed=11, as_of=example_context().as_of, config=config)
    columns = {
        table: {name: _column(values) for name, values in tables[table].items()}
        for table in ("customers", "orders", "incidents")
    }
    _check(f"synthetic_tables_{mix}.json", _json(columns))


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_the_batch_paths_tables(policy: str) -> None:
    result = assess_batch(
        columns_from_objects(example_portfolio()),
        context=example_context(),
        policy=POLICIES[policy](),
    )
    names: tuple[Literal["customers", "orders", "incidents", "actions"], ...] = (
        "customers",
        "orders",
        "incidents",
        "actions",
    )
    tables = {name: result.to_records(table=name) for name in names}
    _check(f"batch_{policy}.json", _json(tables))


def test_the_notebook_views() -> None:
    portfolio, context = example_portfolio(), example_context()
    result = assess_portfolio(portfolio, context=context)
    top = result.top(3)
    parts = [
        repr(result),
        result._repr_markdown_(),
        result._repr_html_(),
        repr(top),
        top._repr_markdown_(),
        *(f"{a!r}\n{a.summary_line()}" for a in result.assessments),
    ]
    batch = assess_batch(columns_from_objects(portfolio), context=context)
    parts += [
        repr(batch),
        repr(batch.top(5).tolist()),
        repr(batch.ranked().tolist()),
        _json(batch.to_records([5, 0, 11])),
        _json(batch.to_records([1, 2], table="actions")),
        _json([to_dict(a) for a in batch.to_assessments([6, 0])]),
    ]
    _check("notebook_views.txt", "\n\n".join(parts) + "\n")


def test_each_assessments_own_views_and_texts() -> None:
    result = assess_portfolio(example_portfolio(), context=example_context())
    parts = []
    for assessment in result.assessments:
        parts += [
            repr(assessment.score),
            format_score(assessment.score),
            repr(assessment.recommendation),
            *(repr(action) for action in assessment.recommendation.actions),
            *(repr(impact) + "\n" + format_impact(impact) for impact in assessment.impacts),
            *(repr(f) + "\n" + format_forecast(f) for f in assessment.forecasts),
            repr(assessment.brief()),
        ]
    for assessment in result.assessments[:3]:
        parts += [assessment._repr_markdown_(), assessment._repr_html_()]
    parts += [format_summary(result.summary), repr(result.summary)]
    _check("assessment_views.txt", "\n\n".join(parts) + "\n")


def test_the_command_line_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The CLI's own tests run it as a subprocess; in process, its texts are pinned here.
    # The options as data, not argparse's help layout (which Python versions change).
    parts = [_json(_parser_summary(build_parser()))]
    good = tmp_path / "portfolio.json"
    good.write_text(
        json.dumps(example_payload() | {"context": to_dict(example_context())}), encoding="utf-8"
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"customers": [{"id": 7}], "context": {}}), encoding="utf-8")
    runs = [
        ["demo", "--top", "1"],
        ["assess", str(good), "--top", "2", "--compact"],
        ["assess", str(good), "--top", "1", "--format", "markdown"],
        ["assess", str(good), "--top", "1", "--format", "text", "--rate", "EUR/CZK=25"],
        ["assess", str(bad)],
        ["assess", str(tmp_path / "missing.json")],
    ]
    for argv in runs:
        status = main(argv)
        out, err = capsys.readouterr()
        text = f"$ custadvocacy {' '.join(argv)}\nexit {status}\n{out}\nstderr:\n{err}"
        parts.append(text.replace(f"{tmp_path}{os.sep}", ""))  # the same on every machine
    _check("command_line.txt", "\n\n".join(parts) + "\n")


def _parser_summary(parser: argparse.ArgumentParser) -> dict[str, Any]:
    """Every option of ``parser`` and its subcommands, as plain data."""
    actions = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands = {name: _parser_summary(sub) for name, sub in sorted(action.choices.items())}
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            actions.append({"commands": commands, "help": helps})
            continue
        actions.append(
            {
                "options": action.option_strings or [action.dest],
                "default": repr(action.default),
                "choices": None if action.choices is None else list(action.choices),
                "metavar": action.metavar,
                "help": action.help,
                "type": getattr(action.type, "__name__", None),
            }
        )
    return {"prog": parser.prog, "description": parser.description, "actions": actions}


def test_the_batch_schema() -> None:
    _check("batch_schema.txt", "\n".join(repr(spec) for spec in SCHEMA) + "\n")


def _figure_summary(figure: Any) -> list[dict[str, Any]]:
    """What a plot shows, as plain data: labels, texts, marks with positions and colours."""
    summary = []
    for ax in figure.axes:
        legend = ax.get_legend()
        summary.append(
            {
                "title": ax.get_title(),
                "labels": [ax.get_xlabel(), ax.get_ylabel()],
                # Numeric ticks and limits are matplotlib's autoscaling, not ours: left out.
                "categories": [
                    t.get_text()
                    for t in ax.get_xticklabels()
                    if not t.get_text().replace("\N{MINUS SIGN}", "-").lstrip("-").isdigit()
                ],
                "texts": [[t.get_text(), list(t.get_position())] for t in ax.texts],
                "collections": [
                    {
                        "offsets": np.asarray(c.get_offsets()).tolist(),
                        "colors": np.asarray(c.get_facecolors()).tolist(),
                        "sizes": np.asarray(c.get_sizes()).tolist(),
                    }
                    for c in ax.collections
                ],
                "patches": [
                    [
                        p.get_x(),
                        p.get_y(),
                        p.get_width(),
                        p.get_height(),
                        list(p.get_facecolor()),
                        list(p.get_edgecolor()),
                        p.get_label(),
                    ]
                    for p in ax.patches
                ],
                "lines": [
                    [
                        np.asarray(line.get_xydata()).tolist(),
                        line.get_color(),
                        line.get_linestyle(),
                        line.get_zorder(),
                    ]
                    for line in ax.lines
                ],
                "zorders": [c.get_zorder() for c in ax.collections],
                "legend": None
                if legend is None
                else [legend.get_title().get_text(), [t.get_text() for t in legend.get_texts()]],
            }
        )
    layout = figure.get_layout_engine()
    return [
        {
            "size": [float(v) for v in figure.get_size_inches()],
            "layout": None if layout is None else type(layout).__name__,
        },
        *summary,
    ]


def test_the_plots() -> None:
    pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    context = example_context()
    comparison = compare(
        [None, CustomerFirstPolicy(), VendorValuePolicy()],
        example_portfolio(),
        context=context,
        replications=3,
        seed=5,
    )
    scores = outcome(None, example_portfolio(), context=context)
    figures = {
        "frontier": plot_frontier(comparison),
        "segments": plot_segments(comparison),
        "scores": plot_scores(scores, bins=5),
    }
    _check("plots.json", _json({name: _figure_summary(f) for name, f in figures.items()}))


def test_the_lab_comparison() -> None:
    comparison = compare(
        [None, *(make() for make in POLICIES.values())],
        example_portfolio(),
        context=example_context(),
        replications=3,
        seed=11,
    )
    payload = {
        "table": comparison.table().splitlines(),
        "outcome": repr(outcome(None, example_portfolio(), context=example_context())),
        "comparison": comparison.to_records(),
        "reports": [
            {"rows": report.to_records(), "fairness": attrs.asdict(report.fairness)}
            for report in comparison.reports
        ],
    }
    _check("lab_comparison.json", _json(payload))
