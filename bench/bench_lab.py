"""Benchmark: ``compare`` of three policies on 10^6 synthetic customers, 20 replications.

Run: ``.venv/bin/python bench/bench_lab.py [customers] [replications]``. Prints the
machine and its load average, the time to generate the portfolio (not part of the
target) and the wall and CPU time of ``compare`` with its stages. The policies are the
issue's three -- customer-first, playbook and vendor-value, all on the columnar batch
path -- plus the do-nothing baseline. CPU time (``time.process_time``) is what the code
costs; wall time also counts the other jobs sharing the machine, so both are printed
with the load average. Target: ``compare`` under 60 s on a 2-core machine.
"""

from __future__ import annotations

import os
import platform
import sys
import time

import numpy as np

from custadvocacy import CustomerFirstPolicy, PlaybookPolicy, VendorValuePolicy
from custadvocacy.examples import example_context
from custadvocacy.lab import ProgressEvent, compare, synthetic_columns


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    """Generate, compare, print the figures."""
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    replications = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    ctx = example_context()
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} cores; {_load()}")  # fmt: skip
    wall, cpu = time.perf_counter(), time.process_time()
    columns = synthetic_columns(customers, seed=2026, as_of=ctx.as_of)
    print(f"generate {columns!r}: {time.perf_counter() - wall:.1f} s wall, "
          f"{time.process_time() - cpu:.1f} s CPU")  # fmt: skip
    stages: dict[str, list[float]] = {}
    last = [time.perf_counter(), time.process_time()]

    def progress(event: ProgressEvent) -> None:
        now = (time.perf_counter(), time.process_time())
        spent = stages.setdefault(f"{event.policy}: {event.stage}", [0.0, 0.0])
        spent[0] += now[0] - last[0]
        spent[1] += now[1] - last[1]
        last[:] = now

    policies = [None, CustomerFirstPolicy(), PlaybookPolicy(), VendorValuePolicy()]
    wall, cpu = time.perf_counter(), time.process_time()
    last[:] = [wall, cpu]
    result = compare(policies, columns, context=ctx, replications=replications, progress=progress)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"compare, customer-first, playbook, vendor-value (+ do nothing), {customers:,} "
          f"customers, {replications} replications: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"(target < 60 s); {_load()}")  # fmt: skip
    for key, (w, c) in stages.items():
        print(f"  {key:32s} {w:6.2f} s wall {c:6.2f} s CPU")
    print(result.table())


if __name__ == "__main__":
    main()
