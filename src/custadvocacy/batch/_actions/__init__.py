"""Action choice on columns: :class:`~custadvocacy.policies.CustomerFirstPolicy` for every customer.

The policy's four steps run in lockstep over all customers of a chunk: each step picks
at most one action per customer, the same one the object path's
:class:`~custadvocacy._policies._engine.Workspace` picks, with the same kernels
(``share_relief``, ``action_cost``, ``credit_amount``, ``tier_share``, ``delay_ratio``,
``downtime_share``, ``time_weight``) and the same settlement in minor units.

- *exposures*: each seen, estimated incident (its loss per category) and each open
  order forecast likely late (its avoidable risk), per customer in the object path's
  order (incidents by id, then orders by id);
- *candidates*: each catalog action applied to each exposure it applies to (an
  escalation once, over the customer's incidents), with its credit and cost;
- the steps: a proactive action for each critical order forecast late; escalations
  after a repeated failure; then greedily the action relieving the most (time
  weighted) that fits the cost limit; else, for a harmed customer, the cheapest one.

Ties break on the candidate's key (action code as text, then the exposure's place),
as the object path's ``Candidate.key`` does.
"""

from custadvocacy.batch._actions._model import ChunkActions, minor_units
from custadvocacy.batch._actions._steps import choose_chunk

__all__ = ["ChunkActions", "choose_chunk", "minor_units"]
