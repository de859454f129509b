"""Command line: ``python -m custadvocacy demo`` (the only module that reads or prints)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from custadvocacy._examples import example_context, example_portfolio
from custadvocacy._report import portfolio_summary


def _demo(_: argparse.Namespace) -> int:
    print(portfolio_summary(example_portfolio(), example_context()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``custadvocacy`` command."""
    parser = argparse.ArgumentParser(
        prog="custadvocacy",
        description="Customer advocacy scoring: the customer's loss, who needs an advocate "
        "now, and what to do about it.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="assess the built-in example portfolio and print it")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
