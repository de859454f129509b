"""The ``payload-format`` and ``payload-example`` directives: the JSON format, from the code.

``.. payload-format:: custadvocacy.Portfolio custadvocacy.Context`` renders a section
per class reachable from the given ones through their fields (Portfolio -> Customer ->
OperatingProfile, HealthSignals, Money; Order; Incident; Context -> ExchangeRates),
each with a table of its fields: the JSON key, the JSON type derived from the
annotation, whether it is required (or its default) and the description from the
class docstring's ``Attributes:`` (or ``Args:``) section. A field without a
description, or a description without a field, is a build warning (an error under
``-W``), so the page cannot drift from the classes.

``.. payload-example:: custadvocacy.examples:example_portfolio`` shows
``custadvocacy.to_dict`` of what the function returns as JSON (``:customer: C01``
keeps one customer of a portfolio), after checking that it reads back with
``custadvocacy.from_dict`` to an equal object.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import types
import typing
from collections import deque
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.parsing import nested_parse_to_nodes

from casphinx._names import docstring_section, first_line, path_map, record_dependencies
from casphinx._refs import import_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx

LOGGER = logging.getLogger(__name__)

_SCALARS: Final[dict[Any, str]] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "``true`` or ``false``",
    decimal.Decimal: 'string: a decimal number, e.g. ``"12.50"``',
    dt.datetime: "string: an ISO 8601 date-time with its offset",
}

# Docstrings speak Python; the page speaks JSON.
_JSON_WORDS: Final = (
    ("``None``", "``null``"),
    ("``True``", "``true``"),
    ("``False``", "``false``"),
)


def as_json_words(text: str) -> str:
    """Return a docstring's text with Python's ``None``/``True``/``False`` in JSON words."""
    for python, json_word in _JSON_WORDS:
        text = text.replace(python, json_word)
    return text


def label(cls: type) -> str:
    """Return the page label of ``cls``'s section, e.g. ``payload-customer``."""
    return f"payload-{cls.__name__.lower()}"


def row_id(cls: type, key: str) -> str:
    """Return the id of a field's table row, e.g. ``payload-customer-annual_value``."""
    slug = key.strip('"').lower().replace("/", "-")
    return f"{label(cls)}-{slug}"


def _api_path(cls: type) -> str:
    return path_map().get(
        f"{cls.__module__}.{cls.__qualname__}", f"{cls.__module__}.{cls.__name__}"
    )


def _is_mapping_form(cls: type) -> bool:
    """Whether ``cls`` is written as a JSON object of pairs, not of its fields."""
    return cls.__name__ == "ExchangeRates"


def _unwrap(tp: Any) -> tuple[Any, bool, bool]:
    """Return (inner type, nullable, is array) of an annotation."""
    origin = typing.get_origin(tp)
    if origin is types.UnionType or origin is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            msg = f"payload-format: cannot describe the union {tp!r}"
            raise ExtensionError(msg)
        inner, _, array = _unwrap(args[0])
        return inner, True, array
    if origin is tuple:
        return typing.get_args(tp)[0], False, True
    return tp, False, False


def json_type(tp: Any) -> str:
    """Return the JSON type of an annotation, in reStructuredText."""
    inner, nullable, array = _unwrap(tp)
    if inner in _SCALARS:
        text = _SCALARS[inner]
    elif isinstance(inner, type) and issubclass(inner, enum.Enum):
        values = ", ".join(f'``"{member.value}"``' for member in inner)
        text = f"string, one of: {values}"
    elif isinstance(inner, type) and attrs.has(inner):
        text = f":ref:`{inner.__name__} <{label(inner)}>` object"
    else:
        msg = f"payload-format: no JSON type known for {inner!r}; teach casphinx._payload"
        raise ExtensionError(msg)
    if array:
        text = f"array of: {text}"
    if nullable:
        text = f"{text}; or ``null``"
    return text


def default_text(field: attrs.Attribute[Any]) -> str:
    """Return "required" or the default of a field, as its JSON, in reStructuredText."""
    from custadvocacy import to_dict  # noqa: PLC0415 - the extension imports the package lazily

    default = field.default
    if default is attrs.NOTHING:
        return "**required**"
    if isinstance(default, attrs.Factory):
        value = default.factory()
        if attrs.has(type(value)) and not _is_mapping_form(type(value)) and _plain(value):
            return "optional; default: every field at its default (``{}``)"
    else:
        value = field.converter(default) if callable(field.converter) else default
    return f"optional; default: ``{json.dumps(to_dict(value))}``"


def _plain(value: object) -> bool:
    """Whether ``value`` equals its class built with no arguments (all defaults)."""
    try:
        return bool(value == type(value)())
    except Exception:  # noqa: BLE001 - a class with required fields is simply not "plain"
        return False


def children(cls: type) -> list[type]:
    """Return the attrs classes ``cls``'s fields hold, in field order."""
    if _is_mapping_form(cls):
        return []
    hints = typing.get_type_hints(cls)
    found: list[type] = []
    for field in attrs.fields(cls):
        inner, _, _ = _unwrap(hints[field.name]) if field.init else (None, False, False)
        if isinstance(inner, type) and attrs.has(inner) and inner not in found:
            found.append(inner)
    return found


def reachable(roots: list[type]) -> list[type]:
    """Return ``roots`` and every attrs class their fields lead to, in reading order.

    Depth first, so a class comes right after the one that holds it (Customer,
    OperatingProfile, HealthSignals, Order...); a class held by several (Money) comes
    at the end, once.
    """
    owners: dict[type, set[type]] = {}
    queue = deque(roots)
    seen: set[type] = set(roots)
    while queue:
        cls = queue.popleft()
        for child in children(cls):
            owners.setdefault(child, set()).add(cls)
            if child not in seen:
                seen.add(child)
                queue.append(child)
    shared = [cls for cls in owners if len(owners[cls]) > 1 and cls not in roots]
    order: list[type] = []

    def visit(cls: type) -> None:
        if cls in order:
            return
        order.append(cls)
        for child in children(cls):
            if child not in shared:
                visit(child)

    for cls in (*roots, *shared):
        visit(cls)
    return order


def _rows(cls: type) -> list[tuple[str, str, str, str]]:
    """Return (key, type, required/default, description) rows of ``cls``, all rST."""
    if _is_mapping_form(cls):
        return [
            (
                '"BASE/QUOTE"',
                'string: a decimal number, e.g. ``"25.2"``',
                "optional; any number of pairs",
                (
                    "One entry per currency pair, keyed by two ISO 4217 codes, e.g. "
                    '``"EUR/CZK"``: how many units of the second currency one unit of the '
                    "first buys (positive). The inverse pair is derived when only one "
                    "direction is given; rates are never chained through a third currency."
                ),
            )
        ]
    described = docstring_section(cls, "Attributes", "Args")
    hints = typing.get_type_hints(cls)
    fields = [f for f in attrs.fields(cls) if f.init]
    rows = []
    for field in fields:
        description = described.get(field.name)
        if description is None:
            LOGGER.warning(
                "payload-format: %s.%s has no description in the docstring's Attributes: section",
                cls.__name__,
                field.name,
                type="casphinx",
                subtype="payload",
            )
            description = ""
        rows.append(
            (
                field.name,
                json_type(hints[field.name]),
                default_text(field),
                as_json_words(description),
            )
        )
    for name in sorted(set(described) - {f.name for f in fields}):
        LOGGER.warning(
            "payload-format: %s's docstring describes %r, which is not a field",
            cls.__name__,
            name,
            type="casphinx",
            subtype="payload",
        )
    return rows


_HEADERS: Final = ("Key", "JSON type", "Required / default", "Description")
_WIDTHS: Final = (14, 26, 20, 40)


class PayloadFormat(Directive):
    """``.. payload-format:: module.Class ...`` -- a field table per reachable class."""

    required_arguments: ClassVar[int] = 1
    optional_arguments: ClassVar[int] = 20

    def _parse(self, text: str) -> list[nodes.Node]:
        return nested_parse_to_nodes(
            self.state,
            text,
            source="<payload-format>",
            allow_section_headings=False,
        )

    def _cell(self, text: str) -> nodes.entry:
        entry = nodes.entry()
        entry.extend(self._parse(text) if text else [])
        return entry

    def _table(self, cls: type) -> nodes.table:
        table = nodes.table(classes=["payload-fields"])
        group = nodes.tgroup(cols=len(_HEADERS))
        table += group
        group.extend(nodes.colspec(colwidth=width) for width in _WIDTHS)
        head_row = nodes.row()
        head_row.extend(nodes.entry("", nodes.paragraph(text=h)) for h in _HEADERS)
        group += nodes.thead("", head_row)
        body = nodes.tbody()
        for key, kind, default, description in _rows(cls):
            row = nodes.row(ids=[row_id(cls, key)])
            row += nodes.entry("", nodes.paragraph("", "", nodes.literal(key, key)))
            row += self._cell(kind)
            row += self._cell(default)
            row += self._cell(description)
            body += row
        group += body
        return table

    def run(self) -> list[nodes.Node]:
        """Build a section per class: title, summary, link to the API entry, the table."""
        record_dependencies(self.state.document.settings)
        roots = []
        for path in self.arguments:
            cls = import_path(path)
            if not (isinstance(cls, type) and attrs.has(cls)):
                msg = f"payload-format: {path!r} is not an attrs class"
                raise ExtensionError(msg)
            roots.append(cls)
        result: list[nodes.Node] = []
        ref_context = self.state.document.settings.env.ref_context
        saved = dict(ref_context)
        try:
            for cls in reachable(roots):
                # Docstrings say :class:`Segment` and :data:`MAX_AMOUNT`, meaning the
                # names around the class: resolve them as if documenting it.
                module, _, qualname = _api_path(cls).rpartition(".")
                ref_context["py:module"], ref_context["py:class"] = module, qualname
                result.append(self._section(cls))
        finally:
            ref_context.clear()
            ref_context.update(saved)
        return result

    def _section(self, cls: type) -> nodes.section:
        name = label(cls)
        section = nodes.section(ids=[name], names=[name])
        section += nodes.title(cls.__name__, cls.__name__)
        summary = first_line(cls)
        section.extend(self._parse(f"{summary} (API: :py:class:`~{_api_path(cls)}`)"))
        section += self._table(cls)
        self.state.document.note_explicit_target(section, section)
        return section


class PayloadExample(Directive):
    """``.. payload-example:: module:function`` -- ``to_dict`` of its result, as JSON."""

    required_arguments: ClassVar[int] = 1
    option_spec: ClassVar[dict[str, object]] = {"customer": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        """Build the object, check its round trip, show it."""
        from custadvocacy import Portfolio, from_dict, to_dict  # noqa: PLC0415

        record_dependencies(self.state.document.settings)
        module_name, _, function_name = self.arguments[0].partition(":")
        factory = import_path(f"{module_name}.{function_name}")
        if not callable(factory):
            msg = f"payload-example: {self.arguments[0]!r} is not a callable 'module:function'"
            raise ExtensionError(msg)
        obj = factory()
        customer_id = self.options.get("customer")
        if customer_id is not None:
            if not isinstance(obj, Portfolio):
                msg = f"payload-example: :customer: needs a Portfolio, not {type(obj).__name__}"
                raise ExtensionError(msg)
            customer, orders, incidents = obj.for_customer(customer_id)
            obj = Portfolio(customers=(customer,), orders=orders, incidents=incidents)
        text = json.dumps(to_dict(obj), indent=2, ensure_ascii=False)
        if from_dict(type(obj), json.loads(text)) != obj:
            msg = f"payload-example: {self.arguments[0]} does not read back equal"
            raise ExtensionError(msg)
        return [nodes.literal_block(text, text, language="json")]


def setup(app: Sphinx) -> None:
    """Register the directives."""
    app.add_directive("payload-format", PayloadFormat)
    app.add_directive("payload-example", PayloadExample)
