"""Benchmark: the columnar batch path against the object path, pandas and a plain copy.

One run, one seeded synthetic portfolio per size (``synthetic_mapping``: ~2 orders and
~3 incidents per customer, three currencies, every incident kind), and for each size:

- **batch**: ``assess_batch`` end to end (impacts, forecasts, scores, actions, budget),
  customers per second, with the time of each step and the budget's share;
- **object**: ``assess`` per customer on a subsample, extrapolated to the size;
- **pandas**: an idiomatic pandas implementation of the impact step (merges, ``fillna``
  by segment, vectorised Series arithmetic, ``groupby().sum()`` per customer) against
  the batch path's own impact step on the same data;
- **copy**: a plain numpy copy of the input columns' bytes (the memory floor);
- **peak memory** of the batch run (tracemalloc) against the input columns' bytes.

Run: ``.venv/bin/python bench/bench_batch.py [--sizes 10000 100000 1000000] [--huge]
[--plot docs/_static/batch_throughput.png]``. pandas (and matplotlib for ``--plot``)
are bench-only dependencies.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from custadvocacy import Money, assess
from custadvocacy._domain import Segment
from custadvocacy.batch import (
    PortfolioTables,
    assess_batch,
    columns_from_mapping,
    synthetic_mapping,
)
from custadvocacy.batch._actions import choose_chunk
from custadvocacy.batch._chunk import Chunk, segment_sum
from custadvocacy.batch._forecast import forecast_chunk
from custadvocacy.batch._impact import estimate_chunk
from custadvocacy.batch._objects import groups_of
from custadvocacy.batch._run import DEFAULT_CHUNK
from custadvocacy.batch._score import score_chunk
from custadvocacy.batch._setup import KINDS, prepare
from custadvocacy.examples import example_context

CONTEXT = example_context()
BUDGET_PER_CUSTOMER = 50  # EUR of budget per customer: the budget binds


def best(step: Callable[[], object], repeats: int) -> float:
    """The best CPU time (``time.process_time``) of ``repeats`` runs of ``step``, in seconds.

    CPU time, not wall time: the 2-core machine is shared, and another process's load
    would otherwise be counted against the batch path.
    """
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        step()
        times.append(time.process_time() - start)
    return min(times)


def stages(columns: Any) -> dict[str, float]:
    """CPU seconds spent in each step of the batch path, over all chunks."""
    setup = prepare(columns, CONTEXT, None, None, None, None, None)
    spent = dict.fromkeys(("gather", "impact", "forecast", "score", "actions"), 0.0)
    n = columns.customers.rows
    for start in range(0, n, DEFAULT_CHUNK):
        t0 = time.process_time()
        chunk = Chunk(setup, start, min(n, start + DEFAULT_CHUNK))
        t1 = time.process_time()
        impacts = estimate_chunk(chunk)
        segment_sum(chunk.incident_customer, impacts.expected, chunk.n)
        t2 = time.process_time()
        forecasts = forecast_chunk(chunk)
        t3 = time.process_time()
        score_chunk(chunk, impacts, forecasts)
        t4 = time.process_time()
        choose_chunk(chunk, impacts, forecasts)
        t5 = time.process_time()
        for name, seconds in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            spent[name] += seconds
    return spent


def with_codes(tables: PortfolioTables) -> dict[str, dict[str, Any]]:
    """The tables with the segment and incident kind as integer codes (not timed).

    ``synthetic_mapping`` gives them as text; the batch path codes them when reading the
    columns in, before its impact step, so the pandas rendering gets them coded too.
    """
    names = {
        ("customers", "segment"): [s.value for s in Segment],
        ("incidents", "kind"): [k.value for k in KINDS],
    }
    coded: dict[str, dict[str, Any]] = {
        "customers": dict(tables["customers"]),
        "orders": dict(tables["orders"]),
        "incidents": dict(tables["incidents"]),
    }
    for (table, column), values in names.items():
        column_values = np.asarray(coded[table][column])
        if column_values.dtype.kind in "US":
            lookup = np.array(values)
            order = np.argsort(lookup)
            coded[table][column] = order[np.searchsorted(lookup[order], column_values)]
    return coded


def pandas_impacts(tables: dict[str, dict[str, Any]]) -> Any:
    """The central impact of every incident and its sum per customer, written in pandas."""
    pd: Any = importlib.import_module("pandas")  # a bench-only dependency

    rates = {"EUR": 1.0, "CZK": 1 / 25.0, "GBP": 1 / 0.86}
    small, mid, big = (8000.0, 60000.0, 400000.0), (0.3, 0.3, 0.3), (2.0, 3.0, 4.0)
    customers = pd.DataFrame(tables["customers"])
    orders = pd.DataFrame(tables["orders"])
    incidents = pd.DataFrame(tables["incidents"])
    factor = customers["currency"].map(rates)
    segment = customers["segment"].astype(int)
    customers = customers.assign(
        revenue=(customers["daily_revenue"] * factor).fillna(segment.map(dict(enumerate(small)))),
        margin=customers["gross_margin"].fillna(segment.map(dict(enumerate(mid)))),
        buffer=customers["buffer_days"].fillna(segment.map(dict(enumerate(big)))),
        wage=(customers["staff_hourly_cost"] * factor).fillna(
            segment.map({0: 30.0, 1: 35.0, 2: 40.0})
        ),
        staff=customers["staff_count"].fillna(segment.map({0: 8.0, 1: 40.0, 2: 150.0})),
    )[["id", "revenue", "margin", "buffer", "wage", "staff"]]
    orders = orders.assign(
        order_value=orders["value"] * orders["currency"].map(rates),
        crit=orders["criticality"].fillna(0.5),
    )[["id", "order_value", "crit", "promised_at", "delivered_at"]]
    frame = incidents.merge(customers, left_on="customer_id", right_on="id", suffixes=("", "_c"))
    frame = frame.merge(orders, how="left", left_on="order_id", right_on="id", suffixes=("", "_o"))
    as_of = pd.Timestamp(CONTEXT.as_of).tz_convert(None)
    end = frame["resolved_at"].where(frame["resolved_at"] <= as_of, as_of)
    open_days = ((end - frame["opened_at"]).dt.total_seconds() / 86400.0).clip(lower=0.0)
    delivered = frame["delivered_at"].where(frame["delivered_at"] <= as_of, as_of)
    late = ((delivered - frame["promised_at"]).dt.total_seconds() / 86400.0).clip(lower=0.0)
    days = late.where(frame["order_id"] >= 0, open_days)
    lost = (days - frame["buffer"]).clip(lower=0.0)
    weight = frame["crit"].fillna(0.5) * frame["affected_share"].where(frame["kind"] == 1, 1.0)
    hours = frame["effort_hours"].fillna(days)
    delivery = (
        lost * frame["revenue"] * frame["margin"] * weight
        + lost * 8.0 * frame["staff"] * frame["wage"] * weight
        + hours * frame["wage"]
        + 0.02 * frame["order_value"].fillna(0.0) * (lost > 0)
    )
    effective = (open_days * 24.0).clip(upper=2.0) + (
        2.0 * ((open_days * 24.0 / 2.0).clip(lower=1.0) ** 0.55) - 2.0
    ).clip(lower=0.0)
    outage = effective * (frame["revenue"] / 8.0 * frame["margin"] + frame["staff"] * frame["wage"])
    outage = (
        outage * frame["affected_share"]
        + frame["effort_hours"].fillna(0.5 * open_days * 24.0) * frame["wage"]
    )
    billing = (
        frame["effort_hours"].fillna(3.0) * frame["wage"]
        + frame["amount"].fillna(0.0) * 0.1 * open_days / 365.0
    )
    support = (
        frame["effort_hours"].fillna(4.0) * frame["wage"]
        + (open_days - 2.0).clip(lower=0.0) * 0.5 * frame["wage"]
    )
    kind = frame["kind"]
    frame["expected"] = delivery.where(
        kind <= 2, outage.where(kind == 3, billing.where(kind == 4, support))
    )
    return frame.groupby("customer_id")["expected"].sum()


def object_rate(columns: Any, sample: int, seed: int) -> float:
    """Seconds per customer of ``assess`` on a random subsample."""
    rows = np.random.default_rng(seed).choice(columns.customers.rows, size=sample, replace=False)
    groups = groups_of(columns, rows.tolist(), CONTEXT.as_of)
    start = time.process_time()
    for customer, orders, incidents in groups:
        assess(customer, orders, incidents, context=CONTEXT)
    return (time.process_time() - start) / sample


def peak_memory(columns: Any) -> int:
    """Peak bytes tracemalloc sees allocated during one batch run (numpy reports to it)."""
    gc.collect()
    tracemalloc.start()
    assess_batch(
        columns, context=CONTEXT, budget=Money(BUDGET_PER_CUSTOMER * columns.customers.rows, "EUR")
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def run_size(n: int, args: argparse.Namespace) -> dict[str, float]:
    tables = synthetic_mapping(n, seed=args.seed)
    start = time.process_time()
    columns = columns_from_mapping(**tables)
    intake = time.process_time() - start
    repeats = 3 if n <= 100_000 else 1
    budget = Money(BUDGET_PER_CUSTOMER * n, "EUR")
    total = best(lambda: assess_batch(columns, context=CONTEXT, budget=budget), repeats)
    result = assess_batch(columns, context=CONTEXT)
    actions = result.actions
    from custadvocacy.batch._budget import allocate_columns  # noqa: PLC0415 - timed alone

    budget_time = best(
        lambda: allocate_columns(
            customer=actions["customer"],
            customer_rank=columns.customers["id_rank"][actions["customer"]],
            relief=actions["relief"],
            cost=actions["cost"],
            rank=actions["rank"],
            budget=budget,
            currency="EUR",
        ),
        repeats,
    )
    steps = stages(columns)
    arrays = [a for t in (columns.customers, columns.orders, columns.incidents) for a in t.arrays]
    copy = best(lambda: [np.array(a, copy=True) for a in arrays], repeats)
    row: dict[str, float] = {
        "n": n,
        "incidents": columns.incidents.rows,
        "intake_s": intake,
        "batch_s": total,
        "batch_per_s": n / total,
        "budget_s": budget_time,
        "copy_s": copy,
        "input_mb": columns.nbytes() / 1e6,
        **{f"{k}_s": v for k, v in steps.items()},
    }
    if n <= args.object_max:
        row["object_per_customer_s"] = object_rate(columns, min(args.sample, n), args.seed)
        row["object_per_s"] = 1.0 / row["object_per_customer_s"]
    if n <= args.pandas_max:
        try:
            coded = with_codes(tables)
            row["pandas_impact_s"] = best(lambda: pandas_impacts(coded), repeats)
        except ImportError:
            print("pandas is not installed: skipping the pandas comparison", file=sys.stderr)
    if n <= args.memory_max:
        row["peak_mb"] = peak_memory(columns) / 1e6
    return row


def report(rows: list[dict[str, float]]) -> None:
    print(
        f"# machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}; times are CPU seconds "
        f"(time.process_time); load average at the end {os.getloadavg()[0]:.2f}"
    )
    print(
        "| N | incidents | batch s | customers/s | vs object | impact step s | pandas impact s "
        "| vs pandas | budget share | copy s | input MB | peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        versus = f"{r['batch_per_s'] / r['object_per_s']:,.0f}x" if "object_per_s" in r else "-"
        pandas = f"{r['pandas_impact_s']:.3f}" if "pandas_impact_s" in r else "-"
        ratio = f"{r['pandas_impact_s'] / r['impact_s']:.1f}x" if "pandas_impact_s" in r else "-"
        peak = f"{r['peak_mb']:,.0f}" if "peak_mb" in r else "-"
        print(
            f"| {int(r['n']):,} | {int(r['incidents']):,} | {r['batch_s']:.3f} | "
            f"{r['batch_per_s']:,.0f} | {versus} | {r['impact_s']:.3f} | {pandas} | {ratio} | "
            f"{r['budget_s'] / r['batch_s']:.1%} | {r['copy_s']:.4f} | {r['input_mb']:,.0f} | {peak} |"
        )
    print()
    for r in rows:
        steps = ", ".join(
            f"{k[:-2]} {r[k]:.3f}"
            for k in ("gather_s", "impact_s", "forecast_s", "score_s", "actions_s")
        )
        extra = (
            f"; object path {r['object_per_customer_s'] * 1e3:.2f} ms/customer"
            if "object_per_customer_s" in r
            else ""
        )
        print(
            f"N={int(r['n']):,}: intake {r['intake_s']:.3f} s ({r['intake_s'] / r['copy_s']:.1f}x "
            f"the copy); steps (s): {steps}; budget {r['budget_s']:.3f} s{extra}"
        )


def plot(rows: list[dict[str, float]], path: str) -> None:
    import matplotlib as mpl  # noqa: PLC0415 - the optional plot extra

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    sizes = [r["n"] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sizes, [r["batch_per_s"] for r in rows], "o-", label="batch path, end to end")
    known = [r for r in rows if "object_per_s" in r]
    ax.plot([r["n"] for r in known], [r["object_per_s"] for r in known], "s--", label="object path")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("customers in the portfolio")
    ax.set_ylabel("customers per second")
    ax.legend()
    ax.grid(visible=True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--huge", action="store_true", help="also 10,000,000 customers")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sample", type=int, default=200, help="object path subsample")
    parser.add_argument("--object-max", type=int, default=10_000_000)
    parser.add_argument("--pandas-max", type=int, default=1_000_000)
    parser.add_argument("--memory-max", type=int, default=1_000_000)
    parser.add_argument("--plot", default="", help="write a throughput plot (PNG) here")
    args = parser.parse_args()
    sizes = [*args.sizes, 10_000_000] if args.huge else args.sizes
    rows = []
    for n in sizes:
        rows.append(run_size(n, args))
        print(f"... {n:,} customers done", file=sys.stderr, flush=True)
    report(rows)
    if args.plot:
        plot(rows, args.plot)


if __name__ == "__main__":
    main()
