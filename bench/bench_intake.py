"""Benchmark: reading a warehouse extract's pandas frames into the batch path's columns.

One seeded synthetic portfolio (``synthetic_mapping``: ~2 orders and ~3 incidents per
customer), read by ``columns_from_mapping`` (every check, one copy) as:

- **numpy**: the ``dict`` of numpy arrays ``synthetic_mapping`` returns;
- **pandas, naive UTC**: each table a ``DataFrame``, moments ``datetime64`` in UTC;
- **pandas, timezone-aware**: the same, each moment column converted to a time zone
  (``Europe/Prague``), as a warehouse driver returns ``timestamptz``.

Run: ``.venv/bin/python bench/bench_intake.py [--customers 100000] [--repeats 3]``.
pandas is a bench-only dependency. Figures: ``docs/performance.md``, "Reading pandas frames".
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from typing import Any

from custadvocacy.batch import columns_from_mapping, synthetic_mapping


def best(read: Any, repeats: int) -> float:
    """The fastest of ``repeats`` wall-clock runs of ``read()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        read()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    try:
        pd: Any = importlib.import_module("pandas")
    except ImportError:  # `dev.py bench` installs no pandas: nothing to compare with
        print("pandas is not installed: skipping the intake benchmark", file=sys.stderr)
        return
    tables = synthetic_mapping(args.customers, seed=1)
    naive = {name: pd.DataFrame(table) for name, table in tables.items()}
    aware = {name: frame.copy() for name, frame in naive.items()}
    for frame in aware.values():
        for column in frame.columns:
            if frame[column].dtype.kind == "M":
                frame[column] = frame[column].dt.tz_localize("UTC").dt.tz_convert("Europe/Prague")
    rows = {name: len(frame) for name, frame in naive.items()}
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}; rows: {rows}"
    )
    for label, given in (
        ("numpy", tables),
        ("pandas, naive UTC", naive),
        ("pandas, timezone-aware", aware),
    ):
        seconds = best(lambda given=given: columns_from_mapping(**given), args.repeats)
        print(f"{label}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
