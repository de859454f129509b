"""Benchmark: impact estimates through the object path, 100,000 incidents of mixed kinds.

Builds the customers, orders and incidents first (from the example portfolio's ten
incidents, varied), then times ``EstimatorSet.estimate`` over all of them: every
estimate builds its items, P10-P90 ranges and assumptions. Prints the median over
several repeats of the microseconds per incident, with the machine it ran on.

Run: ``.venv/bin/python bench/bench_impact.py [--incidents N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import timeit

import attrs
import numpy as np

from custadvocacy import Customer, Incident, Order, default_estimators
from custadvocacy.examples import example_context, example_portfolio


def build_cases(count: int, seed: int = 7) -> list[tuple[Incident, Customer, Order | None]]:
    """Return ``count`` (incident, customer, order) triples: the example's, varied."""
    portfolio = example_portfolio()
    customers = {c.id: c for c in portfolio.customers}
    orders = {o.id: o for o in portfolio.orders}
    base = [
        (incident, customers[incident.customer_id], orders.get(incident.order_id or ""))
        for incident in portfolio.incidents
    ]
    rng = np.random.default_rng(seed)
    shares = rng.uniform(0.05, 1.0, size=count)
    cases = []
    for i in range(count):
        incident, customer, order = base[i % len(base)]
        varied = attrs.evolve(incident, id=f"{incident.id}-{i}", affected_share=float(shares[i]))
        cases.append((varied, customer, order))
    return cases


@attrs.frozen(kw_only=True)
class _Yardstick:
    name: str
    value: float
    unit: str
    source: str
    is_default: bool


def yardstick_us() -> float:
    """Microseconds to build a bare 5-field frozen attrs object: this machine's speed."""
    timings = timeit.repeat(
        lambda: _Yardstick(name="x", value=1.0, unit="h", source="s", is_default=False),
        number=20_000,
        repeat=5,
        timer=time.process_time,
    )
    return min(timings) / 20_000 * 1e6


def run(count: int, repeats: int) -> None:
    """Time the object path and print the figures."""
    cases = build_cases(count)
    context = example_context()
    estimators = default_estimators()
    estimate = estimators.estimate
    per_incident: list[float] = []
    cpu_per_incident: list[float] = []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        for incident, customer, order in cases:
            estimate(incident, customer, order, context)
        per_incident.append((time.perf_counter() - start) / count * 1e6)
        cpu_per_incident.append((time.process_time() - cpu_start) / count * 1e6)
    print(f"impact estimates, object path: {count:,} incidents x {repeats} repeats")
    print(f"  machine: {platform.platform()}, {platform.processor() or platform.machine()}")
    print(f"  python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"  cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    print(f"  yardstick: {yardstick_us():.2f} us to build a bare 5-field frozen attrs object")
    print(f"  per repeat (us/incident, wall): {', '.join(f'{t:.1f}' for t in per_incident)}")
    print(f"  per repeat (us/incident, cpu):  {', '.join(f'{t:.1f}' for t in cpu_per_incident)}")
    print(f"  median: {statistics.median(per_incident):.1f} us per incident (wall), ", end="")
    print(f"{statistics.median(cpu_per_incident):.1f} us (cpu); target <= 25")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    run(args.incidents, args.repeats)


if __name__ == "__main__":
    main()
