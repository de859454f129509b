"""The intake's one pass: check the arguments, read, assemble, then raise or drop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from custadvocacy._convert._unknown import UNKNOWN_EXPECTED, read_unknown
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._portfolio import Portfolio
from custadvocacy.batch._columns import PortfolioColumns
from custadvocacy.batch._errors import BatchValidationError, RowProblem
from custadvocacy.batch._intake._assemble import _assemble
from custadvocacy.batch._intake._drop import _cascade, _sorted, _tables
from custadvocacy.batch._intake._read import _not_columns, _Reader
from custadvocacy.batch._schema import TABLES

_ON_INVALID: Final = ("raise", "drop")


def on_invalid_problems(on_invalid: object) -> list[Problem]:
    """The problem of an ``on_invalid`` that is not one of its values (else none)."""
    if on_invalid in _ON_INVALID:
        return []
    return [Problem("on_invalid", on_invalid, "'raise' or 'drop'")]


def _build(
    sources: Mapping[str, object],
    *,
    on_invalid: str,
    unknown: object,
    source: Portfolio | None = None,
    copy: bool = True,
    extra: Sequence[RowProblem] = (),
) -> PortfolioColumns:
    """The intake's steps; ``extra`` are bad rows found outside it (by the caller's rows)."""
    problems = on_invalid_problems(on_invalid)
    ignore = read_unknown(unknown)
    if ignore is None:
        problems.append(Problem("unknown", unknown, UNKNOWN_EXPECTED))
    copy_given: object = copy  # typed bool, but a host may pass anything
    if not isinstance(copy_given, bool):
        problems.append(Problem("copy", copy_given, "True or False"))
    problems.extend(p for t in TABLES if (p := _not_columns(t, sources[t])) is not None)
    if problems or ignore is None:
        raise ValidationError(problems)
    reader = _Reader()
    for table in TABLES:
        reader.read(table, sources[table], ignore)
    if any(p.row is None for p in reader.found.rows):
        # A column that cannot be read at all: no row can be judged, nothing dropped.
        raise BatchValidationError(_sorted(reader.found.rows))
    assembled = _assemble(reader)
    reader.found.rows.extend(extra)
    if reader.found.rows and on_invalid == "raise":
        raise BatchValidationError(_sorted(reader.found.rows))
    bad = _cascade(reader.found, assembled, reader.lengths)
    keep = {t: ~bad[t] for t in TABLES}
    return PortfolioColumns(
        customers=(tables := _tables(assembled, keep, reader.given if copy else ()))["customers"],
        orders=tables["orders"],
        incidents=tables["incidents"],
        currencies=assembled.currencies,
        lanes=assembled.lanes,
        dropped=tuple(_sorted(reader.found.rows)),
        source=source,
    )
