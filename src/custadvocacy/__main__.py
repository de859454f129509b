"""Command line: ``python -m custadvocacy demo | assess`` (the only module that reads or prints).

``demo`` assesses the built-in example portfolio and prints the ranking, the details
and the briefs of the most urgent customers. ``assess FILE.json`` (``-`` for standard
input) reads a portfolio payload in the :func:`~custadvocacy.to_dict` format and writes
the ranked assessments as JSON (or as a readable report). Bad JSON or invalid data
prints every problem with its path to standard error and exits with status 2, without
a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import typing
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from custadvocacy._assess import AssessRequest, assess_portfolio, load_portfolio_json
from custadvocacy._convert import Unknown, to_dict
from custadvocacy._errors import AdvocacyError
from custadvocacy._examples import example_context, example_portfolio
from custadvocacy._report import portfolio_report
from custadvocacy._scoring import AdvocacyScorer

EXIT_OK: Final = 0
EXIT_INVALID: Final = 2
"""Exit status for input that cannot be used (as argparse uses for bad options)."""
EXIT_BROKEN_PIPE: Final = 1
"""Exit status when the reader of standard output went away before the end."""

_PROG: Final = "custadvocacy"


def _demo(args: argparse.Namespace) -> int:
    result = assess_portfolio(example_portfolio(), context=example_context())
    return _write(portfolio_report(result, briefs=args.top))


def _write(text: str) -> int:
    """Print ``text``; a reader that stops early (``| head``) is not an error of ours."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the interpreter's final
        # flush does not raise again, and exit like a process cut short by SIGPIPE would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"{_PROG}: error: {message}", file=sys.stderr)
    return EXIT_INVALID


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def _context_options(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if args.as_of is not None:
        overrides["as_of"] = args.as_of
    if args.currency is not None:
        overrides["currency"] = args.currency
    if args.rate:
        overrides["rates"] = dict(args.rate)
    return overrides


def _rate(text: str) -> tuple[str, str]:
    pair, sep, rate = text.partition("=")
    if not sep or not pair or not rate:
        raise argparse.ArgumentTypeError(
            f"expected BASE/QUOTE=RATE (e.g. EUR/CZK=25), got {text!r}"
        )
    return pair.strip(), rate.strip()


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _run_assess(request: AssessRequest, args: argparse.Namespace) -> str:
    scorer = None if request.scorer is None else AdvocacyScorer(config=request.scorer)
    result = assess_portfolio(
        request.portfolio, context=request.context, scorer=scorer, catalog=request.catalog
    )
    # --top keeps the N most urgent in every format; the summary still covers everyone.
    shown = result if args.top is None else result.top(args.top)
    if args.format == "json":
        indent = None if args.compact else 2
        return json.dumps(to_dict(shown), indent=indent, allow_nan=False)
    if args.format == "markdown":
        return "\n\n".join(b.markdown() for b in shown.briefs(len(shown)))
    return portfolio_report(shown, briefs=len(shown))


def _twice_given_rate(rates: list[tuple[str, str]] | None) -> str | None:
    """The first pair ``--rate`` gives two different rates for, said as a message."""
    seen: dict[str, str] = {}
    for pair, rate in rates or ():
        first = seen.setdefault(pair, rate)
        if _rate_value(first) != _rate_value(rate):
            return f"argument --rate: {pair} given twice, as {first} and {rate}; give it once"
    return None


def _rate_value(text: str) -> Decimal | str:
    """A rate's value (25 and 25.0 are one rate); text that is no number stays text."""
    try:
        return Decimal(text)
    except ArithmeticError:  # decimal.InvalidOperation: the payload reader names it later
        return text


def _unknown(args: argparse.Namespace) -> Unknown:
    """``--unknown``, or the names ``--ignore-field`` gave."""
    names: list[str] | None = args.ignore_field
    return frozenset(names) if names else typing.cast("Unknown", args.unknown)


def _assess(args: argparse.Namespace) -> int:
    twice = _twice_given_rate(args.rate)
    if twice is not None:
        return _fail(twice)
    if args.ignore_field and args.unknown == "ignore":
        return _fail(
            "--ignore-field names the keys to ignore and --unknown ignore ignores every "
            "key: give one of them"
        )
    source = args.file
    where = "standard input" if source == "-" else source
    try:
        text = _read(source)
    except OSError as exc:
        return _fail(f"cannot read {where}: {exc.strerror or exc}")
    try:
        request = load_portfolio_json(text, unknown=_unknown(args), context=_context_options(args))
        output = _run_assess(request, args)
    except AdvocacyError as exc:  # ValidationError lists every problem with its path
        return _fail(f"{where} cannot be assessed: {exc}")
    return _write(output)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``custadvocacy`` command.

    Example:
        >>> build_parser().parse_args(["assess", "-", "--top", "3"]).top
        3

    .. versionadded:: 0.1.0
    """
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Customer advocacy scoring: the customer's loss, who needs an advocate "
        "now, and what to do about it.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="assess the built-in example portfolio and print it",
        description="Assess the built-in example portfolio (as of 2026-11-20, reporting in "
        "EUR) and print the customers ranked by score, the details of those who need "
        "attention, and the briefs of the most urgent.",
    )
    demo.add_argument(
        "--top",
        type=_non_negative,
        default=3,
        metavar="N",
        help="print the briefs of the N most urgent customers (default: 3)",
    )
    demo.set_defaults(run=_demo)
    assess = commands.add_parser(
        "assess",
        help="assess a portfolio payload (JSON) and write the assessments",
        description="Read a portfolio payload in the to_dict format -- an object with "
        "customers, orders, incidents, a context {as_of, currency, rates} and optionally "
        "a scorer configuration and an action catalog -- and write the assessments, "
        "ranked by score, as JSON. Invalid input: every problem with its path on standard "
        "error, exit status 2.",
    )
    assess.add_argument("file", metavar="FILE", help="the payload file, or - for standard input")
    assess.add_argument(
        "--unknown",
        choices=("reject", "ignore"),
        default="reject",
        help="keys the format does not have: report them as problems (default) or ignore them",
    )
    assess.add_argument(
        "--ignore-field",
        action="append",
        metavar="NAME",
        help="a key of the host's own to ignore wherever it occurs (repeat for more); "
        "every other key the format does not have is still reported",
    )
    assess.add_argument(
        "--as-of",
        metavar="ISO8601",
        help="the moment to assess at, e.g. 2026-11-20T09:00:00+00:00 (replaces the payload's)",
    )
    assess.add_argument(
        "--currency", metavar="CODE", help="the reporting currency (replaces the payload's)"
    )
    assess.add_argument(
        "--rate",
        type=_rate,
        action="append",
        metavar="BASE/QUOTE=RATE",
        help="an exchange rate, e.g. EUR/CZK=25 (repeatable; added to the payload's, in place "
        "of its rate for the same pair)",
    )
    assess.add_argument(
        "--top",
        type=_non_negative,
        metavar="N",
        help="only the N most urgent assessments, in every format (the summary still covers "
        "everyone)",
    )
    assess.add_argument(
        "--format",
        choices=("json", "text", "markdown"),
        default="json",
        help="json: the assessments as plain data (default); text: the report with briefs; "
        "markdown: the briefs",
    )
    assess.add_argument("--compact", action="store_true", help="JSON on one line")
    assess.set_defaults(run=_assess)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Example:
        >>> main(["assess", "no-such-file.json"])
        2

    .. versionadded:: 0.1.0
    """
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
