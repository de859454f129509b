"""The JSON payload of ``python -m custadvocacy assess``: text in, checked objects out.

No I/O here (the command line reads the file and prints): :func:`load_portfolio_json`
takes the text, so the fuzz harness and the tests call it directly. A payload is a JSON
object in the :func:`~custadvocacy.to_dict` format::

    {
      "customers": [...], "orders": [...], "incidents": [...],   # a Portfolio
      "context": {"as_of": "...", "currency": "EUR", "rates": {"EUR/CZK": "25"}},
      "scorer": {...},    # optional: a ScorerConfig
      "catalog": {...}    # optional: an ActionCatalog
    }

Every problem is reported at once, each with its path, as one
:class:`~custadvocacy.ValidationError`: malformed JSON (with line and column), NaN or
Infinity (not JSON), duplicate keys, nesting deeper than any payload needs, and
everything :func:`~custadvocacy.from_dict` finds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from custadvocacy._context import Context
from custadvocacy._convert import from_dict
from custadvocacy._convert._unknown import UNKNOWN_EXPECTED, Unknown, ignored, read_unknown
from custadvocacy._errors import ConfigurationError, Problem, ValidationError, short_repr
from custadvocacy._policies import ActionCatalog
from custadvocacy._portfolio import Portfolio
from custadvocacy._scoring import ScorerConfig

__all__ = ["MAX_DEPTH", "TOP_LEVEL_KEYS", "AssessRequest", "load_portfolio_json", "parse_json"]

MAX_DEPTH: Final = 64
"""Deepest nesting a payload may have (a real one needs about 8)."""

TOP_LEVEL_KEYS: Final = ("catalog", "context", "customers", "incidents", "orders", "scorer")
"""The keys a payload object may have."""

_TOO_DEEP: Final = Problem("", "<deeply nested>", f"JSON nested at most {MAX_DEPTH} levels deep")
_PORTFOLIO_KEYS: Final = ("customers", "orders", "incidents")


class _NotJsonError(ValueError):
    """A constant JSON does not have (NaN, Infinity) was found."""


@attrs.frozen(kw_only=True)
class AssessRequest:
    """A checked payload: the portfolio, the context, and optional configuration.

    Attributes:
        portfolio: The customers with their orders and incidents.
        context: ``as_of``, reporting currency and rates.
        scorer: The scorer configuration, when the payload gives one.
        catalog: The action catalog, when the payload gives one.
    """

    portfolio: Portfolio
    context: Context
    scorer: ScorerConfig | None = None
    catalog: ActionCatalog | None = None


def _reject_constant(name: str) -> Any:
    raise _NotJsonError(name)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValidationError(
                [Problem("", key, "JSON objects without duplicate keys (this key repeats)")]
            )
        result[key] = value
    return result


def _too_deep(data: Any) -> bool:
    """Whether ``data`` nests deeper than :data:`MAX_DEPTH` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_json(text: str | bytes) -> Any:
    """Parse JSON strictly: numbers with a fraction as ``Decimal`` (exact), no NaN/Infinity.

    Raises:
        ValidationError: The text is not UTF-8, not JSON (line and column given), holds
            NaN or Infinity, repeats a key in an object, or nests deeper than
            :data:`MAX_DEPTH`.

    Example:
        >>> parse_json('{"amount": 12.50}')
        {'amount': Decimal('12.50')}
        >>> parse_json('{"a": NaN}')
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 1 problem:
          <payload>: expected valid JSON (NaN and Infinity are not JSON numbers; use null or a number), got 'NaN'
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                [Problem("", f"<byte {exc.start}>", "UTF-8 encoded JSON text")]
            ) from None
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_pairs,
        )
    except ValidationError:  # a duplicate key, found by the object hook
        raise
    except _NotJsonError as exc:
        expected = "valid JSON (NaN and Infinity are not JSON numbers; use null or a number)"
        raise ValidationError([Problem("", str(exc), expected)]) from None
    except json.JSONDecodeError as exc:
        where = f"valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise ValidationError([Problem("", _excerpt(text, exc.pos), where)]) from None
    except RecursionError:  # nested deeper than Python's recursion limit
        raise ValidationError([_TOO_DEEP]) from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise ValidationError([Problem("", str(exc)[:80], "valid JSON numbers")]) from None
    if _too_deep(data):
        raise ValidationError([_TOO_DEEP])
    return data


def _excerpt(text: str, pos: int) -> str:
    return text[max(0, pos - 20) : pos + 20]


def _merge_context(raw: object, overrides: Mapping[str, Any]) -> object:
    """The payload's context object with ``overrides`` (as_of, currency, rates) on top."""
    if not overrides:
        return raw
    merged: dict[str, Any] = dict(raw) if isinstance(raw, Mapping) else {}
    for key, value in overrides.items():
        if key == "rates" and isinstance(merged.get("rates"), Mapping):
            merged["rates"] = {**merged["rates"], **value}
        else:
            merged[key] = value
    return merged


def _part(cls: type, data: object, path: str, unknown: Unknown, problems: list[Problem]) -> Any:
    try:
        return from_dict(cls, data, unknown=unknown)
    except ValidationError as exc:
        problems.extend(exc.under(path).problems)
        return None


def load_portfolio_json(
    text: str | bytes,
    *,
    unknown: Unknown = "reject",
    context: Mapping[str, Any] | None = None,
) -> AssessRequest:
    """Read an assess payload: parse the JSON, build and check every part, all at once.

    Args:
        text: The payload (``str``, or UTF-8 ``bytes``).
        unknown: ``"reject"`` reports keys the format does not have; ``"ignore"`` drops
            them (a CRM's extra fields), at the top level and inside every object; a set
            of names drops keys of those names only (see :func:`~custadvocacy.from_dict`).
        context: Plain-data values that replace the payload context's (``as_of``,
            ``currency``) or add to its ``rates``, e.g. from command-line options.

    Returns:
        The checked request.

    Raises:
        ValidationError: Every problem of the payload, each with its path
            (``orders[2].value.amount``, ``context.as_of``...).
        ConfigurationError: ``unknown`` is none of its forms.

    Example:
        >>> import json
        >>> from custadvocacy import to_dict
        >>> from custadvocacy.examples import example_context, example_payload
        >>> payload = example_payload() | {"context": to_dict(example_context())}
        >>> request = load_portfolio_json(json.dumps(payload))
        >>> len(request.portfolio.customers), request.context.currency
        (12, 'EUR')
        >>> payload["orders"][0]["value"]["amount"] = "-5"
        >>> del payload["context"]
        >>> load_portfolio_json(json.dumps(payload))
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 2 problems:
          orders[0].value.amount: expected a non-negative amount, got Decimal('-5')
          context: expected a context object with as_of and currency (or give them as options), got None
    """
    ignore = read_unknown(unknown)
    if ignore is None:
        raise ConfigurationError(f"unknown must be {UNKNOWN_EXPECTED}, not {short_repr(unknown)}")
    data = parse_json(text)
    if not isinstance(data, Mapping):
        raise ValidationError(
            [Problem("", data, "a JSON object with customers, orders, incidents and context")]
        )
    problems: list[Problem] = []
    known = ", ".join(TOP_LEVEL_KEYS)
    problems.extend(
        Problem(str(key), key, f"no such field (the payload has: {known})")
        for key in data
        if key not in TOP_LEVEL_KEYS and not ignored(key, ignore)
    )
    portfolio = _part(
        Portfolio,
        {key: data[key] for key in _PORTFOLIO_KEYS if key in data},
        "",
        unknown,
        problems,
    )
    raw_context = _merge_context(data.get("context"), context or {})
    if raw_context is None:
        problems.append(
            Problem(
                "context",
                None,
                "a context object with as_of and currency (or give them as options)",
            )
        )
        built_context = None
    else:
        built_context = _part(Context, raw_context, "context", unknown, problems)
    scorer = (
        None
        if data.get("scorer") is None
        else _part(ScorerConfig, data["scorer"], "scorer", unknown, problems)
    )
    catalog = (
        None
        if data.get("catalog") is None
        else _part(ActionCatalog, data["catalog"], "catalog", unknown, problems)
    )
    if problems or portfolio is None or built_context is None:
        raise ValidationError(problems)
    return AssessRequest(portfolio=portfolio, context=built_context, scorer=scorer, catalog=catalog)
