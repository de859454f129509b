"""How customers respond: the probability each one stays, given the harm and what was done.

A response model is anything with a ``name`` and a ``stay_probability(inputs)`` method
(:class:`ResponseModel`, a :class:`typing.Protocol`); :class:`ServiceRecoveryResponse`
is the documented default. Its parameters come from published service-recovery and
switching research (see its docstring and ``docs/lab.md``), but those studies measured
consumers and other businesses, not *your* customers: **a host should calibrate the
model on its own outcomes** (who stayed after which incidents and actions) before
trusting the lab's retention figures. The loss relieved and the cost do not depend on
it; the customers and revenue retained do.
"""

from __future__ import annotations

import math
from decimal import Decimal
from numbers import Real
from typing import Any, Final, Protocol, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

from custadvocacy._checks import Checks
from custadvocacy._errors import Problem, ValidationError

__all__ = ["ResponseInputs", "ResponseModel", "ServiceRecoveryResponse", "check_probabilities"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_FIELDS: Final = ("loss", "relief", "compensation", "scale", "failures", "health", "proactive")


_MAX_FAILURES: Final = 1_000_000_000
# What each field's values must be, beyond a finite number >= 0.
_A_NUMBER: Final = "a finite number >= 0"
_WORDS: Final = {
    "failures": f"a whole number from 0 to {_MAX_FAILURES:,}",
    "health": "a number from 0 to 1",
    "proactive": "true or false (or 1 and 0)",
}


def _length(value: object) -> int | None:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # ragged: _column reports it
        return None
    return array.shape[0] if array.ndim == 1 else None


def _object_numbers(name: str, cells: Any, problems: list[Problem]) -> FloatArray | None:
    """An object array's cells as floats, or ``None`` with its first cell that is no number noted.

    Any real number or Decimal is taken (booleans only for ``proactive``); a row holding
    ``None``, text or anything else is named, where numpy would report only the dtype.
    """
    values = np.empty(len(cells), dtype=np.float64)
    for row, cell in enumerate(cells):
        boolean = isinstance(cell, bool | np.bool_)
        if not (boolean or isinstance(cell, Real | Decimal)) or (boolean and name != "proactive"):
            problems.append(Problem(f"{name}[{row}]", cell, _WORDS.get(name, _A_NUMBER)))
            return None
        try:
            values[row] = float(cell)
        except OverflowError:  # an int beyond float64: as out of range as infinity
            values[row] = math.inf
    return values


def _array(name: str, value: Any, n: int | None, problems: list[Problem]) -> Any:
    """``value`` as a 1-d array of ``n`` cells (object cells read as floats), or ``None``."""
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nesting: no array at all
        problems.append(Problem(name, type(error).__name__, "a 1-d array of numbers"))
        return None
    if array.ndim != 1 or (n is not None and array.shape[0] != n):
        expected = "a 1-d array" if n is None else f"a 1-d array of {n} values, as loss has"
        problems.append(Problem(name, array.shape, expected))
        return None
    if array.dtype.kind == "O":  # a list mixing numbers and None, Decimals, ...
        return _object_numbers(name, array, problems)
    return array


def _column(name: str, value: Any, n: int | None, problems: list[Problem]) -> Any:
    """``value`` as an array, or ``None`` with its first problem noted."""
    array = _array(name, value, n, problems)
    if array is None:
        return None
    kind = array.dtype.kind
    if kind == "b" and name == "proactive":
        return array
    if kind not in "iuf":
        expected = "booleans" if name == "proactive" else "numbers (not booleans or text)"
        problems.append(Problem(name, str(array.dtype), expected))
        return None
    if kind == "f":
        with np.errstate(over="ignore"):  # a long double beyond float64 becomes infinite
            array = array.astype(np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(array) | (array < 0)
        if name in {"health", "proactive"}:
            bad |= array > 1
        if name in {"failures", "proactive"}:
            bad |= (np.floor(array) != array) | (array > _MAX_FAILURES)
    if np.any(bad):
        row = int(np.flatnonzero(bad)[0])
        cell = value[row] if isinstance(value, list | tuple) else array[row].item()
        problems.append(Problem(f"{name}[{row}]", cell, _WORDS.get(name, _A_NUMBER)))
        return None
    return array


@attrs.frozen(kw_only=True, eq=False)
class ResponseInputs:
    """What a response model sees of each customer: arrays of shape ``(customers,)``.

    Amounts are floats in the reporting currency.

    Attributes:
        loss: The customer's estimated loss: incidents plus the risk of open
            orders beyond them (>= 0).
        relief: The part of it the policy's actions relieve (>= 0, at most ``loss``
            for the built-in policies).
        compensation: What the actions cost the vendor, the size of the gesture (>= 0).
        scale: The customer's annual value, what the loss is measured against (>= 0).
        failures: Incidents the customer has seen (whole numbers >= 0; kept as ``int64``).
        health: Relationship health before the incidents, 0 (poor) to 1 (excellent).
        proactive: Booleans (or 1 and 0): whether an action reached the customer before the harm
            (early notice, a split shipment, an expedite...).

    Raises:
        ValidationError: An array is not 1-d of ``loss``'s length, or holds a negative,
            infinite or NaN value, a health or ``proactive`` above 1, a fractional
            ``failures`` or ``proactive``, or booleans anywhere but ``proactive``; the
            first bad row of each array is named (also in a list numpy holds as objects,
            such as numbers mixed with ``None``; Decimals are read as floats).

    Example:
        >>> import numpy as np
        >>> inputs = ResponseInputs(
        ...     loss=np.array([0.0, 5000.0]), relief=np.array([0.0, 4000.0]),
        ...     compensation=np.array([0.0, 3000.0]), scale=np.array([50_000.0, 50_000.0]),
        ...     failures=np.array([0, 1]), health=np.array([0.7, 0.7]),
        ...     proactive=np.array([False, True]))
        >>> inputs.customers
        2

    .. versionadded:: 0.1.0
    """

    loss: FloatArray
    relief: FloatArray
    compensation: FloatArray
    scale: FloatArray
    failures: IntArray
    health: FloatArray
    proactive: BoolArray

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        n = _length(self.loss)  # the others must have loss's length, whatever its values
        for name in _FIELDS:
            array = _column(name, getattr(self, name), n, problems)
            if array is None:
                continue
            if name == "failures":
                array = array.astype(np.int64)
            elif name == "proactive":
                array = array.astype(np.bool_)
            else:
                array = array.astype(np.float64)
            object.__setattr__(self, name, array)
        if problems:
            raise ValidationError(problems)

    @property
    def customers(self) -> int:
        """The number of customers (the arrays' length).

        Example:
            >>> import numpy as np
            >>> z = np.zeros(3)
            >>> ResponseInputs(loss=z, relief=z, compensation=z, scale=z, failures=z,
            ...                health=z, proactive=z).customers
            3
        """
        return int(self.loss.shape[0])


@runtime_checkable
class ResponseModel(Protocol):
    """A customer response model: the probability each customer stays for the next year.

    Anything with a ``name`` and this method is one; nobody inherits from us. The lab
    calls it once with what a policy did and once with nothing done (relief and
    compensation zero, nothing proactive), and draws both outcomes with the same
    random numbers, so the difference is the policy's effect.

    Example:
        >>> isinstance(ServiceRecoveryResponse(), ResponseModel)
        True

    .. versionadded:: 0.1.0
    """

    @property
    def name(self) -> str:
        """A short name for reports."""
        ...  # pragma: no cover - a protocol

    def stay_probability(self, inputs: ResponseInputs) -> FloatArray:
        """Shape ``(customers,)``: each customer's probability of staying (0-1)."""
        ...  # pragma: no cover - a protocol


def check_probabilities(model: object, values: object, customers: int) -> FloatArray:
    """Check what a response model returned: ``customers`` probabilities from 0 to 1.

    Raises:
        ValidationError: Not that shape, or a value outside 0-1 (the first bad row named,
            with the model's name).

    Example:
        >>> check_probabilities("m", [0.5, 1.0], 2)
        array([0.5, 1. ])
    """
    array = np.asarray(values, dtype=np.float64) if _numeric(values) else None
    # The model's name, else its type (a repr could hold an address: not the same twice).
    name = getattr(model, "name", None)
    label = name if isinstance(name, str) and name else type(model).__name__
    if array is None or array.shape != (customers,):
        shape = None if array is None else array.shape
        raise ValidationError(
            [Problem(f"{label}.stay_probability", shape, f"an array of {customers} probabilities")]
        )
    bad = ~((array >= 0) & (array <= 1))
    if np.any(bad):
        row = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            [
                Problem(
                    f"{label}.stay_probability[{row}]",
                    float(array[row]),
                    "a probability from 0 to 1",
                )
            ]
        )
    return array


def _numeric(values: object) -> bool:
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):  # pragma: no cover - ragged input on old numpy
        return False
    return array.dtype.kind in "iufb"


@attrs.frozen(kw_only=True)
class ServiceRecoveryResponse:
    """The default response model, with parameters from service-recovery research.

    For a customer with estimated loss ``L``, relief ``R``, compensation ``C``, annual
    value ``V``, ``k`` failures seen and health ``h``:

    1. **Harm left.** ``u = max(L - R, 0)``; its intensity ``s = 1 - exp(-u / (harm_scale
       x V))`` (0 when nothing is left; ``harm_scale`` is the share of the annual value
       at which a loss counts as a full bad experience, about 63 %).
    2. **Switching intent.** ``q = b2b_damping x p_k x s x (1 + health_weight x (1 -
       2 h))``, at most 1, where ``p_k`` is the share of customers who switch after one
       bad experience (``switch_after_one`` = 0.50) or after several (``switch_after_several``
       = 0.80) (Zendesk CX Trends 2020). ``b2b_damping`` (0.3) tempers those consumer
       survey figures for contracts and switching costs -- the same weak default as the
       vendor-value policy's ``max_retention_drop``.
    3. **Recovery.** A gesture sized ``x = C / (compensation_peak x L)`` removes
       ``recovery_effect x g(x)`` of the intent, with ``g(x) = x (2 - x)`` up to
       ``x = 1`` (diminishing returns, Gelbrich, Gäthke & Grégoire 2015) and ``g(x) = 1 -
       (1 - 1/x) / 2`` beyond (loyalty peaks near 150 % of the price paid and falls
       after it: Haesevoets et al. 2017, so ``compensation_peak`` = 1.5). After a second
       failure the effect is multiplied by ``second_failure_recovery`` (0.5): the
       recovery paradox disappears (Maxham & Netemeyer 2002). The built-in policies
       match compensation to the kind of loss (Roschk & Gelbrich 2014), so the relief
       channel of step 1 carries most of the effect; the gesture adds to it.
    4. **Early notice.** An action that reached the customer before the harm removes
       ``notice_effect`` (0.2) of what is left of the intent: it spares the customer
       the effort of finding out (Dixon, Freeman & Toman 2010: effort drives disloyalty).
    5. **Stay.** ``p = base_retention x (1 - q')``. No recovery lifts a customer above
       ``base_retention``, the retention without incidents: the recovery paradox lifts
       satisfaction, not retention (de Matos, Henrique & Rossi 2007).

    These are published effects from other settings put into one formula, not a fitted
    model: calibrate the parameters on your own customers' outcomes before acting on
    the retention figures.

    Attributes:
        base_retention: Yearly retention without incidents (0-1). Default 0.9.
        switch_after_one: Share switching after one bad experience (0-1). Default 0.5.
        switch_after_several: Share switching after several (0-1). Default 0.8.
        b2b_damping: Multiplier on those shares for contract customers (0-1). Default 0.3.
        harm_scale: Loss, as a share of the annual value, of one full bad experience
            (> 0). Default 0.05.
        health_weight: How much health moves the intent (0-1): health 0 multiplies it by
            ``1 + health_weight``, health 1 by ``1 - health_weight``. Default 0.5.
        recovery_effect: Share of the intent a well-sized gesture removes (0-1). Default 0.4.
        compensation_peak: Compensation, as a multiple of the loss, with the most effect
            (> 0). Default 1.5.
        second_failure_recovery: Share of the recovery effect left after a second
            failure (0-1). Default 0.5.
        notice_effect: Share of the intent early notice removes (0-1). Default 0.2.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> import numpy as np
        >>> model = ServiceRecoveryResponse()
        >>> inputs = ResponseInputs(
        ...     loss=np.array([0.0, 5000.0, 5000.0]), relief=np.array([0.0, 0.0, 4000.0]),
        ...     compensation=np.array([0.0, 0.0, 3000.0]), scale=np.full(3, 50_000.0),
        ...     failures=np.array([0, 1, 1]), health=np.full(3, 0.5),
        ...     proactive=np.array([False, False, True]))
        >>> model.stay_probability(inputs).round(3)
        array([0.9  , 0.783, 0.874])

    .. versionadded:: 0.1.0
    """

    base_retention: float = 0.9
    switch_after_one: float = 0.5
    switch_after_several: float = 0.8
    b2b_damping: float = 0.3
    harm_scale: float = 0.05
    health_weight: float = 0.5
    recovery_effect: float = 0.4
    compensation_peak: float = 1.5
    second_failure_recovery: float = 0.5
    notice_effect: float = 0.2

    def __attrs_post_init__(self) -> None:
        c = Checks()
        for name in (
            "base_retention",
            "switch_after_one",
            "switch_after_several",
            "b2b_damping",
            "health_weight",
            "recovery_effect",
            "second_failure_recovery",
            "notice_effect",
        ):
            c.share(name, getattr(self, name))
        c.number("harm_scale", self.harm_scale, low=1e-9, high=1e6)
        c.number("compensation_peak", self.compensation_peak, low=1e-9, high=1e6)
        c.done()

    @property
    def name(self) -> str:
        """``"service_recovery"``.

        Example:
            >>> ServiceRecoveryResponse().name
            'service_recovery'
        """
        return "service_recovery"

    def stay_probability(self, inputs: ResponseInputs) -> FloatArray:
        """Each customer's probability of staying, shape ``(customers,)``, from 0 to 1.

        Args:
            inputs: What each customer went through and what was done.

        Example:
            >>> import numpy as np
            >>> z = np.zeros(2)
            >>> ServiceRecoveryResponse(base_retention=0.8).stay_probability(
            ...     ResponseInputs(loss=z, relief=z, compensation=z, scale=z, failures=z,
            ...                    health=z, proactive=z))
            array([0.8, 0.8])
        """
        loss = inputs.loss
        left = np.maximum(loss - inputs.relief, 0.0)
        scale = self.harm_scale * inputs.scale
        # A customer worth nothing still feels a loss: any loss left is then a full one.
        # Tiny denominators overflow to infinity, which the formulas below handle.
        with np.errstate(over="ignore"):
            ratio = np.divide(left, scale, out=np.where(left > 0, math.inf, 0.0), where=scale > 0)
        intensity = -np.expm1(-ratio)
        failures = inputs.failures
        switch = np.where(
            failures <= 0,
            0.0,
            np.where(failures == 1, self.switch_after_one, self.switch_after_several),
        )
        tilt = 1.0 + self.health_weight * (1.0 - 2.0 * inputs.health)
        intent = np.minimum(self.b2b_damping * switch * intensity * tilt, 1.0)
        # A gesture against a loss too small to scale (or none): past the peak if it gives
        # anything, else nothing (a tiny loss times a small peak can underflow to 0). With
        # no loss at all the intent is 0 already, whatever the gesture's size.
        peak = self.compensation_peak * loss
        given = inputs.compensation > 0
        with np.errstate(over="ignore"):
            size = np.divide(
                inputs.compensation, peak, out=np.where(given, math.inf, 0.0), where=peak > 0
            )
        size = np.minimum(size, 1e6)  # far past the peak: the shape is flat there
        safe = np.maximum(size, 1.0)
        shape = np.where(size <= 1.0, size * (2.0 - size), 1.0 - (1.0 - 1.0 / safe) / 2.0)
        fade = np.where(failures >= 2, self.second_failure_recovery, 1.0)
        intent = intent * (1.0 - self.recovery_effect * shape * fade)
        intent = intent * np.where(inputs.proactive, 1.0 - self.notice_effect, 1.0)
        # From 0 to base_retention by construction (the intent was held to 0-1 above).
        stay: FloatArray = self.base_retention * (1.0 - intent)
        return stay
