"""Checks across the records of a portfolio that from_dict could not build.

A record that failed to convert still names its customer and order when those fields
converted: its dangling references are reported with the rest of the payload's problems.
"""

from __future__ import annotations

import re
import typing
from typing import Any, Final

from custadvocacy._convert._placeholders import (
    _MISSING,
    _Invalid,
    _Partial,
    _PartialItems,
    _Unreadable,
)
from custadvocacy._errors import Problem, ValidationError
from custadvocacy._portfolio import check_references


class _Refs:
    """The reference fields of one record, for check_references.

    Of a Customer, Order or Incident, or what is known of one that could not be built.
    """

    __slots__ = ("customer_id", "id", "order_id")

    def __init__(self, id: Any, customer_id: Any, order_id: Any) -> None:  # noqa: A002 - the field's name
        self.id = id
        self.customer_id = customer_id
        self.order_id = order_id


_REFERENCE_LISTS: Final = ("customers", "orders", "incidents")
_REFERENCE_PATH: Final = re.compile(r"(\w+)\[(\d+)\]\.(\w+)")


def _refs_of(item: Any) -> _Refs:
    """``item``'s reference fields: an _Unreadable for each one that is not known good."""
    if isinstance(item, _Partial):
        return _Refs(item.checked("id"), item.checked("customer_id"), item.checked("order_id"))
    if isinstance(item, _Invalid):  # not even an object
        return _Refs(_Unreadable(), _Unreadable(), _Unreadable())
    return _Refs(item.id, getattr(item, "customer_id", None), getattr(item, "order_id", None))


def _check_portfolio_references(kwargs: dict[str, Any], path: str, problems: list[Problem]) -> None:
    """check_references over the records of a portfolio that could not be built.

    A record that could not be built still names its customer and order when those
    fields are valid: a dangling reference is reported now, not on the next attempt.
    What is not known is not reported, being follow-on noise of a problem already
    reported: a reference of a field that failed; a reference into a list in which a
    record's id failed (the reference may name it: fixing the id may resolve it); an
    order of another customer when either customer id failed.
    """
    lists: dict[str, list[_Refs]] = {}
    blind: set[str] = set()  # lists a reference may name a record of without our knowing
    for name in _REFERENCE_LISTS:
        items = kwargs.get(name, ())
        if isinstance(items, _PartialItems):
            items = items.items
        elif isinstance(items, _Invalid):  # not a list at all
            items = ()
            blind.add(name)
        lists[name] = [_refs_of(item) for item in items]
        if any(isinstance(refs.id, _Unreadable) for refs in lists[name]):
            blind.add(name)
    try:
        check_references(*typing.cast("Any", [lists[name] for name in _REFERENCE_LISTS]))
    except ValidationError as exc:
        owners = {o.id: o.customer_id for o in lists["orders"]}
        incidents = lists["incidents"]
        problems.extend(
            p.under(path) for p in exc.problems if _is_news(p, incidents, owners, blind)
        )


def _is_news(
    problem: Problem, incidents: list[_Refs], owners: dict[Any, Any], blind: set[str]
) -> bool:
    """Whether a problem check_references found is known to be one (see above)."""
    if isinstance(problem.value, _Unreadable):
        return False
    _, index, field = _REFERENCE_PATH.fullmatch(problem.path).groups()  # type: ignore[union-attr] # check_references' paths
    if field == "customer_id":
        return "customers" not in blind
    if field == "order_id":
        incident = incidents[int(index)]
        owner = owners.get(incident.order_id, _MISSING)
        if owner is _MISSING:
            return "orders" not in blind
        return not isinstance(owner, _Unreadable) and not isinstance(
            incident.customer_id, _Unreadable
        )
    return True  # an id used twice
