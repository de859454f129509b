"""Benchmark: forecasts and advocacy scores through the object path, per customer.

Scores the example portfolio's twelve customers over and over (impacts estimated once,
beforehand): ``forecast_orders`` with the built-in lead-time model (its three impact
estimates per open order included), then ``AdvocacyScorer.score``. Also times
``EmpiricalLeadTimeModel.fit`` on a synthetic history. Prints the medians over several
repeats, with the machine it ran on.

Run: ``.venv/bin/python bench/bench_score.py [--rounds N] [--repeats R] [--history N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta

import numpy as np

from custadvocacy import (
    AdvocacyScorer,
    EmpiricalLeadTimeModel,
    Money,
    Order,
    default_estimators,
    estimate_impacts,
    forecast_orders,
)
from custadvocacy.examples import example_context, example_portfolio


def history(count: int, seed: int = 11) -> list[Order]:
    """Return ``count`` delivered orders on five lanes with lognormal-ish delays."""
    rng = np.random.default_rng(seed)
    as_of = example_context().as_of
    delays = rng.normal(-0.5, 1.5, size=count) + rng.exponential(0.7, size=count)
    lanes = rng.integers(0, 5, size=count)
    return [
        Order(
            id=f"H{i}",
            customer_id="C0",
            placed_at=as_of - timedelta(days=80),
            promised_at=as_of - timedelta(days=60),
            delivered_at=as_of - timedelta(days=60) + timedelta(days=float(delays[i])),
            value=Money(100, "EUR"),
            lane=f"lane {lanes[i]}",
        )
        for i in range(count)
    ]


def timed(step: Callable[[], object], count: int, repeats: int) -> tuple[list[float], list[float]]:
    """Return wall and CPU microseconds per item over ``repeats`` runs of ``step``."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        step()
        wall.append((time.perf_counter() - start) / count * 1e6)
        cpu.append((time.process_time() - cpu_start) / count * 1e6)
    return wall, cpu


def report(label: str, wall: list[float], cpu: list[float]) -> None:
    """Print one timing line."""
    print(f"  {label}: median {statistics.median(wall):.1f} us wall, ", end="")
    print(f"{statistics.median(cpu):.1f} us cpu (runs: {', '.join(f'{t:.1f}' for t in wall)})")


def run(rounds: int, repeats: int, history_size: int) -> None:
    """Time the steps and print the figures."""
    context = example_context()
    estimators = default_estimators()
    scorer = AdvocacyScorer()
    groups = [
        (c, o, i, estimate_impacts(c, o, i, context, estimators))
        for c, o, i in example_portfolio().groups()
    ]
    forecasts = [forecast_orders(c, o, context, estimators=estimators) for c, o, _, _ in groups]
    count = rounds * len(groups)

    def forecast_all() -> None:
        for _ in range(rounds):
            for customer, orders, _, _ in groups:
                forecast_orders(customer, orders, context, estimators=estimators)

    def score_all() -> None:
        for _ in range(rounds):
            for (customer, orders, incidents, impacts), f in zip(groups, forecasts, strict=True):
                scorer.score(customer, orders, incidents, impacts, f, context)

    orders = history(history_size)

    def fit() -> None:
        EmpiricalLeadTimeModel.fit(orders)

    print(f"forecasts and scores, object path: {count:,} customer assessments x {repeats}")
    print(f"  machine: {platform.platform()}, {platform.processor() or platform.machine()}")
    print(f"  python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"  cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    open_orders = sum(o.is_open for _, orders_, _, _ in groups for o in orders_)
    print(f"  {len(groups)} customers, {open_orders} open orders per round")
    report("forecast_orders per customer", *timed(forecast_all, count, repeats))
    report("AdvocacyScorer.score per customer", *timed(score_all, count, repeats))
    wall, cpu = timed(fit, history_size, repeats)
    report(f"EmpiricalLeadTimeModel.fit per order ({history_size:,} orders)", wall, cpu)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--history", type=int, default=100_000)
    args = parser.parse_args()
    run(args.rounds, args.repeats, args.history)


if __name__ == "__main__":
    main()
