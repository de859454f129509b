"""Benchmark: ``assess()`` per customer, objects already built (the CRM webhook case).

One customer with 5 orders (2 delivered, one of them late; 3 open: one past its
promise, one with a late carrier ETA, one not yet due) and 3 incidents (a late
delivery, a billing error, a service outage), built once. Times ``assess()`` over
``--calls`` calls, ``--repeats`` times, and prints the median microseconds per call
with the machine it ran on, its load average and a yardstick (a bare attrs object);
then the same for each stage on its own (impacts, forecasts, score, policy) so a
regression shows where it is, and the conversions a CRM wraps around the call
(``from_dict`` of the inputs' payload, ``to_dict`` of the assessment). Wall-clock and CPU time are both reported: on a shared
machine the CPU time is the steadier of the two.

Run: ``.venv/bin/python bench/bench_assess.py [--calls N] [--repeats R] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pickle
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from bench_impact import yardstick_us

from custadvocacy import (
    AdvocacyScorer,
    Assessment,
    Context,
    Customer,
    Incident,
    IncidentKind,
    Money,
    NoticedBy,
    Order,
    Portfolio,
    Severity,
    assess,
    default_estimators,
    estimate_impacts,
    forecast_orders,
    from_dict,
    to_dict,
)
from custadvocacy.examples import example_context, example_portfolio
from custadvocacy.policies import CustomerFirstPolicy, default_catalog

TARGET_US = 200.0


def build_case() -> tuple[Customer, tuple[Order, ...], tuple[Incident, ...], Context]:
    """Return Kovar (C01 of the example) with 5 orders and 3 incidents, and the context."""
    context = example_context()
    as_of = context.as_of
    customer = example_portfolio().customer("C01")
    day = timedelta(days=1)

    def order(n: int, placed: int, promised: int, **extra: Any) -> Order:
        return Order(
            id=f"O-{n}",
            customer_id="C01",
            placed_at=as_of - placed * day,
            promised_at=as_of - promised * day,
            value=Money(120_000 + 10_000 * n, "CZK"),
            criticality=0.2 * n,
            lane="DE-CZ road",
            **extra,
        )

    orders = (
        order(1, 40, 20, delivered_at=as_of - 14 * day),  # six days late
        order(2, 30, 15, delivered_at=as_of - 16 * day),  # on time
        order(3, 20, 2),  # past its promise, still on the road
        order(4, 10, -4, eta=as_of + 7 * day),  # the carrier expects it three days late
        order(5, 5, -12),  # not yet due
    )
    incidents = (
        Incident(
            id="INC-1",
            customer_id="C01",
            kind=IncidentKind.LATE_DELIVERY,
            opened_at=as_of - 20 * day,
            resolved_at=as_of - 14 * day,
            severity=Severity.HIGH,
            noticed_by=NoticedBy.CUSTOMER,
            order_id="O-1",
        ),
        Incident(
            id="INC-2",
            customer_id="C01",
            kind=IncidentKind.BILLING_ERROR,
            opened_at=as_of - 9 * day,
            amount=Money(48_000, "CZK"),
            effort_hours=4.0,
            noticed_by=NoticedBy.CUSTOMER,
        ),
        Incident(
            id="INC-3",
            customer_id="C01",
            kind=IncidentKind.SERVICE_OUTAGE,
            opened_at=as_of - 3 * day,
            resolved_at=as_of - 3 * day + timedelta(hours=5),
            affected_share=0.4,
            noticed_by=NoticedBy.VENDOR,
        ),
    )
    return customer, orders, incidents, context


def _timed_us(
    call: Callable[[], object], calls: int, repeats: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU microseconds per call, one figure per repeat."""
    call()  # warm caches (type hints, imports) outside the timing
    wall, cpu = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(calls):
            call()
        wall.append((time.perf_counter() - start) / calls * 1e6)
        cpu.append((time.process_time() - cpu_start) / calls * 1e6)
    return wall, cpu


def _count_objects(root: object) -> int:
    """The distinct objects reachable from ``root`` (attrs fields, containers, scalars)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        kind = type(value)
        if attrs.has(kind):
            stack.extend(getattr(value, f.name) for f in attrs.fields(kind))
        elif isinstance(value, tuple | list | frozenset | set):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend([*value.keys(), *value.values()])
    return len(seen)


def run(calls: int, repeats: int, *, profile: bool) -> None:
    """Time ``assess()`` and its stages, and print the figures."""
    customer, orders, incidents, context = build_case()
    estimators = default_estimators()
    scorer = AdvocacyScorer()
    policy = CustomerFirstPolicy()
    catalog = default_catalog()
    impacts = estimate_impacts(customer, orders, incidents, context, estimators)
    forecasts = forecast_orders(customer, orders, context, estimators=estimators)
    score = scorer.score(customer, orders, incidents, impacts, forecasts, context)
    payload = to_dict(Portfolio(customers=(customer,), orders=orders, incidents=incidents))
    stored = assess(customer, orders, incidents, context=context)

    def whole() -> Assessment:
        return assess(customer, orders, incidents, context=context)

    stages: dict[str, Callable[[], object]] = {
        "impacts (3 incidents)": lambda: estimate_impacts(
            customer, orders, incidents, context, estimators
        ),
        "forecasts (3 open orders)": lambda: forecast_orders(
            customer, orders, context, estimators=estimators
        ),
        "score": lambda: scorer.score(customer, orders, incidents, impacts, forecasts, context),
        "policy (customer first)": lambda: policy.recommend(
            customer, orders, incidents, impacts, forecasts, score, catalog, context
        ),
        # A CRM's payload in and the stored assessment out, around the call.
        "from_dict (the inputs)": lambda: from_dict(Portfolio, payload),
        "to_dict (the assessment)": lambda: to_dict(stored),
    }
    wall, cpu = _timed_us(whole, calls, repeats)
    median = statistics.median(wall)
    print("assess() per customer: 5 orders (3 open), 3 incidents, objects already built")
    print(f"  command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"  machine: {platform.platform()}, {platform.processor() or platform.machine()}")
    print(f"  cpus: {os.cpu_count()}, python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"  load average: {os.getloadavg()[0]:.2f}")
    print(f"  yardstick: {yardstick_us():.2f} us to build a bare 5-field frozen attrs object")
    print(f"  calls: {calls:,} x {repeats} repeats")
    print(f"  per repeat (us/call, wall): {', '.join(f'{t:.1f}' for t in wall)}")
    print(f"  per repeat (us/call, cpu):  {', '.join(f'{t:.1f}' for t in cpu)}")
    print(
        f"  median: {median:.1f} us per assess() (wall), {statistics.median(cpu):.1f} us (cpu);"
        f" target <= {TARGET_US:.0f}"
    )
    print(f"  = {1e6 / median:,.0f} assessments per second on one core")
    print("  stages on their own (median us/call, wall / cpu):")
    for name, call in stages.items():
        stage_wall, stage_cpu = _timed_us(call, calls, repeats)
        print(
            f"    {name:<28} {statistics.median(stage_wall):8.1f} "
            f"{statistics.median(stage_cpu):8.1f}"
        )
    result = whole()
    parts = (result.impacts, result.forecasts, result.score, result.recommendation)
    blob = pickle.dumps(parts)
    floor_wall, floor_cpu = _timed_us(
        lambda: pickle.loads(blob),  # noqa: S301 - our own bytes, made just above
        calls,
        repeats,
    )
    print(
        f"  the floor: the result is {_count_objects(parts)} Python objects; re-creating them "
        f"from a pickle (no computation, no checks) takes {statistics.median(floor_wall):.1f} "
        f"us (wall), {statistics.median(floor_cpu):.1f} us (cpu)"
    )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            whole()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile table")
    args = parser.parse_args()
    run(args.calls, args.repeats, profile=args.profile)


if __name__ == "__main__":
    main()
