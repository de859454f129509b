"""Benchmark: ``compare`` of three policies on 10^6 synthetic customers, 20 replications.

Run: ``.venv/bin/python bench/bench_lab.py [customers] [replications]``. Prints the
machine, the time to generate the portfolio (not part of the target) and the time of
``compare`` with its stages. The three policies run on the batch path: doing nothing,
the customer-first policy, and the customer-first policy under a portfolio budget (the
playbook and vendor-value policies have no columnar form yet and run on the object
path, a few ms per customer with something to act on; their per-customer time is
measured on a 2,000-customer sample and extrapolated). Target: ``compare`` under 60 s
on a 2-core machine.
"""

from __future__ import annotations

import os
import platform
import sys
import time

import numpy as np

from custadvocacy import CustomerFirstPolicy, Money, PlaybookPolicy, VendorValuePolicy
from custadvocacy.examples import example_context
from custadvocacy.lab import LabPolicy, ProgressEvent, compare, outcome, synthetic_columns


def main() -> None:
    """Generate, compare, print the figures."""
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    replications = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    ctx = example_context()
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} cores")  # fmt: skip
    start = time.perf_counter()
    columns = synthetic_columns(customers, seed=2026, as_of=ctx.as_of)
    generated = time.perf_counter()
    print(f"generate {columns!r}: {generated - start:.1f} s")
    stages: dict[str, float] = {}
    last = [time.perf_counter()]

    def progress(event: ProgressEvent) -> None:
        now = time.perf_counter()
        key = f"{event.policy}: {event.stage}"
        stages[key] = stages.get(key, 0.0) + now - last[0]
        last[0] = now

    policies = [
        LabPolicy(name="do_nothing"),
        LabPolicy(name="customer_first", policy=CustomerFirstPolicy()),
        LabPolicy(
            name="budget_1pct",
            policy=CustomerFirstPolicy(),
            budget=Money(f"{customers * 100}", "EUR"),
        ),
    ]
    last[0] = time.perf_counter()
    begin = time.perf_counter()
    result = compare(policies, columns, context=ctx, replications=replications, progress=progress)
    elapsed = time.perf_counter() - begin
    print(f"compare, 3 policies, {customers:,} customers, {replications} replications: "
          f"{elapsed:.1f} s (target < 60 s)")  # fmt: skip
    for key, seconds in stages.items():
        print(f"  {key:32s} {seconds:6.2f} s")
    print(result.table())
    sample = synthetic_columns(2_000, seed=2026, as_of=ctx.as_of)
    for policy in (PlaybookPolicy(), VendorValuePolicy()):
        begin = time.perf_counter()
        outcome(policy, sample, context=ctx)
        per = (time.perf_counter() - begin) / 2_000
        print(f"object path, {policy.name}: {per * 1e3:.2f} ms per customer, "
              f"~{per * customers:,.0f} s for {customers:,}")  # fmt: skip


if __name__ == "__main__":
    main()
