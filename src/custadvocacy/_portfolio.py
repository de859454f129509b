"""A portfolio (customers with their orders and incidents) and the cross-object checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from custadvocacy._checks import article
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._errors import Problem, ValidationError

__all__ = ["Portfolio", "check_references"]

_T = TypeVar("_T", Customer, Order, Incident)


def _duplicates(name: str, items: Sequence[_T], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(
                Problem(f"{name}[{i}].id", item.id, f"an id not used by another {name[:-1]}")
            )
        seen.add(item.id)


def check_references(
    customers: Sequence[Customer], orders: Sequence[Order], incidents: Sequence[Incident]
) -> None:
    """Check that the objects refer to each other consistently; raise listing every problem.

    Checked: ids are unique within each list; every order and incident belongs to a
    given customer; every incident's ``order_id`` is a given order of the *same*
    customer.

    Raises:
        ValidationError: One problem per broken reference, with paths such as
            ``incidents[1].order_id``.

    Example:
        >>> from custadvocacy.examples import example_portfolio
        >>> p = example_portfolio()
        >>> check_references(p.customers, p.orders, p.incidents)  # fine: returns None
        >>> check_references(p.customers[:1], p.orders[:1], p.incidents[:0])
        >>> check_references(p.customers[1:2], p.orders[:1], ())
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 1 problem:
          orders[0].customer_id: expected the id of a given customer, got 'C01'

    .. versionadded:: 0.1.0
    """
    problems: list[Problem] = []
    _duplicates("customers", customers, problems)
    _duplicates("orders", orders, problems)
    _duplicates("incidents", incidents, problems)
    customer_ids = {c.id for c in customers}
    order_owner = {o.id: o.customer_id for o in orders}
    for i, order in enumerate(orders):
        if order.customer_id not in customer_ids:
            problems.append(
                Problem(f"orders[{i}].customer_id", order.customer_id, "the id of a given customer")
            )
    for i, incident in enumerate(incidents):
        if incident.customer_id not in customer_ids:
            problems.append(
                Problem(
                    f"incidents[{i}].customer_id",
                    incident.customer_id,
                    "the id of a given customer",
                )
            )
        if incident.order_id is None:
            continue
        owner = order_owner.get(incident.order_id)
        if owner is None:
            problems.append(
                Problem(f"incidents[{i}].order_id", incident.order_id, "the id of a given order")
            )
        elif owner != incident.customer_id:
            problems.append(
                Problem(
                    f"incidents[{i}].order_id",
                    incident.order_id,
                    f"an order of customer {incident.customer_id!r} (it belongs to {owner!r})",
                )
            )
    if problems:
        raise ValidationError(problems)


def _as_tuple(value: Any) -> Any:
    """Turn a list (or other iterable) into a tuple; leave anything else for the check."""
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return tuple(value)
    return value


@attrs.frozen(kw_only=True)
class Portfolio:
    """Customers with their orders and incidents, checked to refer to each other.

    Attributes:
        customers: The customers (unique ids).
        orders: Their orders (unique ids, each of a given customer).
        incidents: Their incidents (unique ids, each of a given customer, and of a
            given order of that customer when ``order_id`` is set).

    Raises:
        ValidationError: An item is of the wrong type, or a reference is broken.

    Example:
        >>> from custadvocacy.examples import example_portfolio
        >>> p = example_portfolio()
        >>> customer, orders, incidents = p.for_customer("C01")
        >>> customer.name, len(orders), len(incidents)
        ('Kovar Precision Machining', 2, 1)

    .. versionadded:: 0.1.0
    """

    customers: tuple[Customer, ...] = attrs.field(default=(), converter=_as_tuple)
    orders: tuple[Order, ...] = attrs.field(default=(), converter=_as_tuple)
    incidents: tuple[Incident, ...] = attrs.field(default=(), converter=_as_tuple)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        kinds: tuple[tuple[str, type], ...] = (
            ("customers", Customer),
            ("orders", Order),
            ("incidents", Incident),
        )
        for name, cls in kinds:
            items: object = getattr(self, name)
            if not isinstance(items, tuple):
                problems.append(Problem(name, items, f"a list of {cls.__name__}"))
                continue
            problems.extend(
                Problem(f"{name}[{i}]", item, article(cls.__name__))
                for i, item in enumerate(items)
                if not isinstance(item, cls)
            )
        if problems:
            raise ValidationError(problems)
        check_references(self.customers, self.orders, self.incidents)

    def customer(self, customer_id: str) -> Customer:
        """Return the customer with ``customer_id``.

        Raises:
            ValidationError: No such customer (the error is also a ``ValueError``).

        Example:
            >>> from custadvocacy.examples import example_portfolio
            >>> example_portfolio().customer("C03").name
            'Lindenhof Clinic'
            >>> example_portfolio().customer("C99")
            Traceback (most recent call last):
            ...
            custadvocacy...ValidationError: 1 problem:
              customer_id: expected the id of a customer in the portfolio, got 'C99'
        """
        for customer in self.customers:
            if customer.id == customer_id:
                return customer
        raise ValidationError(
            [Problem("customer_id", customer_id, "the id of a customer in the portfolio")]
        )

    def for_customer(
        self, customer_id: str
    ) -> tuple[Customer, tuple[Order, ...], tuple[Incident, ...]]:
        """Return one customer with their orders and incidents, in portfolio order.

        Raises:
            ValidationError: No such customer.

        Example:
            >>> from custadvocacy.examples import example_portfolio
            >>> customer, orders, incidents = example_portfolio().for_customer("C10")
            >>> [o.id for o in orders], [i.id for i in incidents]
            (['O-10001', 'O-10002'], ['INC-1001', 'INC-1002'])
        """
        customer = self.customer(customer_id)
        orders = tuple(o for o in self.orders if o.customer_id == customer_id)
        incidents = tuple(i for i in self.incidents if i.customer_id == customer_id)
        return customer, orders, incidents

    def groups(self) -> Iterable[tuple[Customer, tuple[Order, ...], tuple[Incident, ...]]]:
        """Yield every customer with their orders and incidents (one pass over each list).

        Customers come in portfolio order; a customer without orders or incidents gets
        empty tuples.

        Example:
            >>> from custadvocacy.examples import example_portfolio
            >>> for customer, orders, incidents in list(example_portfolio().groups())[:3]:
            ...     print(customer.id, len(orders), len(incidents))
            C01 2 1
            C02 1 1
            C03 1 1
        """
        orders: dict[str, list[Order]] = {c.id: [] for c in self.customers}
        incidents: dict[str, list[Incident]] = {c.id: [] for c in self.customers}
        for order in self.orders:
            orders[order.customer_id].append(order)
        for incident in self.incidents:
            incidents[incident.customer_id].append(incident)
        for customer in self.customers:
            yield customer, tuple(orders[customer.id]), tuple(incidents[customer.id])
