"""One chunk of a batch run: a range of customers with their orders and incidents, gathered.

The batch path runs its whole pipeline (impacts, forecasts, score, actions) chunk by
chunk, so the temporaries of one step stay in cache for the next. A chunk holds the
customers ``[start, stop)``, their orders and incidents in the object path's order
(grouped by customer, by id as text within a customer), and their columns gathered and
converted into the reporting currency once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from custadvocacy.batch._schema import MISSING_MOMENT
from custadvocacy.batch._setup import Setup

__all__ = ["Chunk", "segment_sum"]

Array = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def segment_sum(owner: IntArray, values: FloatArray, groups: int) -> FloatArray:
    """Sum ``values`` by ``owner`` (rows in owner order are added one after another).

    Example:
        >>> segment_sum(np.array([0, 0, 2]), np.array([1.0, 2.0, 4.0]), 3)
        array([3., 0., 4.])
    """
    return np.asarray(np.bincount(owner, weights=values, minlength=groups), dtype=np.float64)


class Chunk:
    """The customers ``[start, stop)`` of a run, with their orders and incidents gathered."""

    def __init__(self, setup: Setup, start: int, stop: int) -> None:
        columns = setup.columns
        customers, orders, incidents = columns.customers, columns.orders, columns.incidents
        order_rows, order_offsets, incident_rows, incident_offsets = columns.layout()
        self.setup = setup
        self.start = start
        self.n = stop - start
        c = slice(start, stop)
        # -- customers (views of the columns, converted amounts) ----------------------
        self.segment = customers["segment"][c].astype(np.int64)
        self.annual = setup.convert(
            customers["annual_value"][c], customers["annual_value_currency"][c]
        )
        self.revenue = setup.convert(
            customers["daily_revenue"][c], customers["daily_revenue_currency"][c]
        )
        self.wage = setup.convert(
            customers["staff_hourly_cost"][c], customers["staff_hourly_cost_currency"][c]
        )
        self.margin = customers["gross_margin"][c]
        self.buffer = customers["buffer_days"][c]
        self.staff = customers["staff_count"][c]
        self.renewal = customers["renewal_at"][c]
        self.health = np.stack(
            [customers[name][c] for name in ("nps", "csat", "open_tickets", "usage_trend")], axis=1
        )
        # -- orders of these customers, grouped by customer, by id within --------------
        self.order_rows = order_rows[order_offsets[start] : order_offsets[stop]]
        o = self.order_rows
        self.order_customer = orders["customer"][o] - start
        self.placed = orders["placed_at"][o]
        self.promised = orders["promised_at"][o]
        self.delivered = orders["delivered_at"][o]
        self.eta = orders["eta"][o]
        self.lane = orders["lane"][o]
        self.order_value = setup.convert(orders["value"][o], orders["currency"][o])
        self.criticality = orders["criticality"][o]
        # -- incidents, likewise --------------------------------------------------------
        self.incident_rows = incident_rows[incident_offsets[start] : incident_offsets[stop]]
        i = self.incident_rows
        self.incident_customer = incidents["customer"][i] - start
        self.kind = incidents["kind"][i].astype(np.int64)
        self.opened = incidents["opened_at"][i]
        self.resolved = incidents["resolved_at"][i]
        self.severity_rank = incidents["severity"][i].astype(np.float64) + 1.0
        self.noticed_by = incidents["noticed_by"][i]
        self.share = incidents["affected_share"][i]
        self.effort = incidents["effort_hours"][i]
        self.amount = setup.convert(incidents["amount"][i], incidents["amount_currency"][i])
        # The incident's order: its row in the whole table (-1: none), and its position
        # among this chunk's orders (the orders are grouped with their customer).
        self.incident_order = incidents["order"][i]
        self.has_order = self.incident_order >= 0
        if self.order_rows.size:
            sorter = np.argsort(self.order_rows, kind="stable")
            position = np.searchsorted(self.order_rows, self.incident_order, sorter=sorter)
            local = sorter[np.minimum(position, self.order_rows.size - 1)]
        else:
            local = np.zeros(self.incident_order.shape[0], dtype=np.int64)
        self.incident_order_local = np.where(self.has_order, local, -1)
        as_of = setup.as_of_us
        # An incident resolved after as_of is open at as_of (replays).
        self.incident_open = (self.resolved == MISSING_MOMENT) | (self.resolved > as_of)
        self.seen = self.opened <= as_of

    def order_field(self, values: Array, fill: float) -> Array:
        """An order column per incident (``fill`` for an incident with no order)."""
        if values.size == 0:
            return np.full(self.incident_order.shape[0], fill)
        local = np.maximum(self.incident_order_local, 0)
        return np.where(self.has_order, values[local], fill)

    def hours_open(self) -> FloatArray:
        """Each incident's hours open at ``as_of``, as :meth:`Incident.hours_open` counts them."""
        as_of = self.setup.as_of_us
        end = np.where(self.incident_open, as_of, self.resolved)
        seconds = (end - self.opened).astype(np.float64) / 1e6
        return np.maximum(0.0, seconds / 3600.0)
