"""What an advocacy score is: the result, its bands, its configuration and the protocol.

Direction, stated once and everywhere: **higher = the customer needs an advocate more
urgently**. 0 means nothing calls for one; 100 is the most urgent.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Final, Protocol, runtime_checkable

import attrs
import numpy as np

from custadvocacy._checks import MAX_ID_LENGTH, MAX_TEXT_LENGTH, MAX_YEAR, MIN_YEAR, Checks
from custadvocacy._context import Context
from custadvocacy._domain import Customer, Incident, Order
from custadvocacy._forecast import Forecast
from custadvocacy._impact._defaults import DEFAULT_PROFILE_DEFAULTS, ProfileDefaults
from custadvocacy._impact._model import Impact
from custadvocacy._money import Money
from custadvocacy._trusted import builder

__all__ = [
    "FACTORS",
    "AdvocacyScore",
    "Band",
    "Contribution",
    "ScoreWeights",
    "Scorer",
    "ScorerConfig",
    "built_contribution",
    "built_score",
]

FACTORS: Final = (
    "harm",
    "unresolved",
    "repetition",
    "reactive",
    "forecast",
    "health",
    "relationship",
)
"""The built-in scorer's factors, in the order its contributions are listed."""

DEFAULT_THRESHOLDS: Final = (10.0, 25.0, 40.0, 60.0)
"""Default lower bounds (inclusive) of the watch, elevated, high and critical bands."""

SUM_TOLERANCE: Final = 1e-9
"""How far the float sum of the contributions' points may be from ``value``."""

_DEFAULT_VALUE_SCALE: Final = Money("250000", "EUR")
_MAX_FACTOR_LENGTH: Final = 100
_MAX_DRIVERS: Final = 20


class Band(enum.StrEnum):
    """How urgently a customer needs an advocate, in five bands of the 0-100 score.

    Bands are half-open intervals, **lower bound inclusive, upper bound exclusive**,
    except the top one, which includes 100. With the default thresholds
    ``(10, 25, 40, 60)``: stable ``[0, 10)``, watch ``[10, 25)``, elevated ``[25, 40)``,
    high ``[40, 60)``, critical ``[60, 100]``. A score of exactly 40 is *high*.

    The thresholds sit where they do because the factors rarely peak together: a
    customer whose loss from one incident is several days of their revenue, who had
    to report it themselves, lands near 40-45 (high) with nothing else wrong.

    Example:
        >>> Band.from_value(40.0), Band.from_value(39.99), Band.from_value(100.0)
        (<Band.HIGH: 'high'>, <Band.ELEVATED: 'elevated'>, <Band.CRITICAL: 'critical'>)
        >>> Band.HIGH.rank
        3

    .. versionadded:: 0.1.0
    """

    STABLE = "stable"
    """Nothing calls for an advocate now."""
    WATCH = "watch"
    """Something to keep an eye on."""
    ELEVATED = "elevated"
    """An advocate should look at the account this week."""
    HIGH = "high"
    """An advocate should act now."""
    CRITICAL = "critical"
    """The customer is being hurt badly and needs someone on their side today."""

    @property
    def rank(self) -> int:
        """0 for stable up to 4 for critical (the order of urgency).

        Example:
            >>> Band.STABLE.rank, Band.CRITICAL.rank
            (0, 4)
        """
        return _BAND_ORDER.index(self)

    @classmethod
    def from_value(
        cls, value: float, thresholds: tuple[float, float, float, float] = DEFAULT_THRESHOLDS
    ) -> Band:
        """Return the band of a score ``value`` (lower bounds inclusive).

        Args:
            value: A score in ``[0, 100]``.
            thresholds: The lower bounds of watch, elevated, high and critical,
                strictly increasing inside ``(0, 100]``.

        Raises:
            ValidationError: ``value`` is no score (NaN, outside ``[0, 100]``, not a
                number) or the thresholds are not four increasing bounds.

        Example:
            >>> Band.from_value(50.0, (20.0, 40.0, 60.0, 80.0))
            <Band.ELEVATED: 'elevated'>
            >>> Band.from_value(float("nan"))
            Traceback (most recent call last):
            ...
            custadvocacy...ValidationError: 1 problem:
              value: expected a score from 0 to 100, got nan
        """
        given: object = value
        is_score = (
            isinstance(given, _SCORE_TYPES) and not isinstance(given, bool) and 0 <= given <= 100
        )
        if not is_score or not _increasing_thresholds(thresholds):
            c = Checks()
            if not is_score:
                c.fail("value", value, "a score from 0 to 100")
            _check_thresholds(c, thresholds, "thresholds")
            c.done()
        band = cls.STABLE
        for threshold, upper in zip(thresholds, _BAND_ORDER[1:], strict=True):
            if value >= threshold:
                band = upper
        return band


# What a score may come as: Python's numbers and numpy's (a batch column's cell).
_SCORE_TYPES: Final = (int, float, np.integer, np.floating)
_BAND_ORDER: Final = (Band.STABLE, Band.WATCH, Band.ELEVATED, Band.HIGH, Band.CRITICAL)


@attrs.frozen(kw_only=True, repr=False)
class Contribution:
    """What one factor adds to a score: its points and why.

    Attributes:
        factor: The factor's name (the built-in scorer's are in ``docs/scoring.md``:
            ``harm``, ``unresolved``, ``repetition``, ``reactive``, ``forecast``,
            ``health``, ``relationship``).
        points: Points it adds, in ``[0, 100]`` (hundredths: the built-in scorer rounds
            to 0.01).
        detail: The numbers behind the points, in words.

    Raises:
        ValidationError: A field is not acceptable (every problem listed).

    Example:
        >>> Contribution(factor="harm", points=22.5, detail="loss = 1.6 days of revenue")
        Contribution('harm', 22.5, 'loss = 1.6 days of revenue')

    .. versionadded:: 0.1.0
    """

    factor: str
    points: float
    detail: str = ""

    def __attrs_post_init__(self) -> None:
        if self._fast_valid():
            return  # the common case, without building a Checks
        c = Checks()
        c.text("factor", self.factor, max_length=_MAX_FACTOR_LENGTH)
        c.number("points", self.points, high=100.0)
        c.text("detail", self.detail, max_length=MAX_TEXT_LENGTH, blank=True)
        c.done()
        object.__setattr__(self, "points", float(self.points))

    def _fast_valid(self) -> bool:
        """Whether every field is valid, checked cheaply (the full check explains failures)."""
        points = self.points
        return (
            type(self.factor) is str
            and 0 < len(self.factor.strip()) <= len(self.factor) <= _MAX_FACTOR_LENGTH
            and type(points) is float
            and 0.0 <= points <= 100.0
            and type(self.detail) is str
            and len(self.detail) <= MAX_TEXT_LENGTH
        )

    def __repr__(self) -> str:
        return f"Contribution({self.factor!r}, {self.points!r}, {self.detail!r})"


@attrs.frozen(kw_only=True, repr=False)
class AdvocacyScore:
    """How urgently a customer needs an advocate: 0-100, **higher = more urgent**.

    ``value`` is the sum of the contributions' points (the built-in scorer rounds each
    to 0.01 so that they add up exactly; a float sum may differ from ``value`` by at
    most 1e-9). ``band`` names the range ``value`` falls in
    (:class:`Band`; lower bounds inclusive).

    Attributes:
        customer_id: The customer scored.
        as_of: The moment the score describes (the context's ``as_of``).
        value: The score in ``[0, 100]``; higher = needs an advocate more urgently.
        band: The band of ``value``.
        contributions: One per factor, in the scorer's factor order; their points add
            up to ``value``.
        drivers: The main drivers in words, largest first (at most 20).

    Raises:
        ValidationError: A field is not acceptable, or the points do not add up to
            ``value`` (every problem listed).

    Example:
        >>> from datetime import datetime, timezone
        >>> score = AdvocacyScore(
        ...     customer_id="C1", as_of=datetime(2026, 11, 20, tzinfo=timezone.utc),
        ...     value=42.5, band=Band.HIGH,
        ...     contributions=(
        ...         Contribution(factor="harm", points=30.0),
        ...         Contribution(factor="health", points=12.5),
        ...     ),
        ...     drivers=("harm: a late delivery cost 1.6 days of revenue",),
        ... )
        >>> score
        AdvocacyScore('C1', 42.5, high, harm=30.0, health=12.5)
        >>> score.points("health"), score.points("forecast")
        (12.5, 0.0)

    .. versionadded:: 0.1.0
    """

    customer_id: str
    as_of: datetime
    value: float
    band: Band
    contributions: tuple[Contribution, ...] = ()
    drivers: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self._fast_valid():
            return
        c = Checks()
        c.text("customer_id", self.customer_id, max_length=MAX_ID_LENGTH)
        c.moment("as_of", self.as_of)
        c.number("value", self.value, high=100.0)
        c.member("band", self.band, Band)
        contributions: object = self.contributions
        if not isinstance(contributions, tuple):
            c.fail("contributions", contributions, "a tuple of Contributions")
        else:
            for i, item in enumerate(contributions):
                c.instance(f"contributions[{i}]", item, Contribution, "a Contribution")
        drivers: object = self.drivers
        if not isinstance(drivers, tuple) or len(drivers) > _MAX_DRIVERS:
            c.fail("drivers", drivers, f"a tuple of at most {_MAX_DRIVERS} strings")
        else:
            for i, text in enumerate(drivers):
                c.text(f"drivers[{i}]", text, max_length=MAX_TEXT_LENGTH)
        if not c.problems:
            total = sum(item.points for item in self.contributions)
            if abs(total - float(self.value)) > SUM_TOLERANCE:
                # Shown to 9 decimals, the tolerance: a float sum's last digits are noise.
                shown = round(total, 9)
                c.fail("value", self.value, f"the sum of the contributions' points ({shown!r})")
        c.done()
        object.__setattr__(self, "value", float(self.value))

    def _fast_valid(self) -> bool:
        """Whether every field is valid, checked cheaply (the full check explains failures)."""
        value, contributions, drivers = self.value, self.contributions, self.drivers
        as_of: object = self.as_of
        return (
            type(self.customer_id) is str
            and 0 < len(self.customer_id.strip()) <= len(self.customer_id) <= MAX_ID_LENGTH
            and isinstance(as_of, datetime)
            and as_of.utcoffset() is not None
            and MIN_YEAR <= as_of.year <= MAX_YEAR
            and type(value) is float
            and 0.0 <= value <= 100.0
            and type(self.band) is Band
            and type(contributions) is tuple
            and all(type(item) is Contribution for item in contributions)
            and abs(sum(item.points for item in contributions) - value) <= SUM_TOLERANCE
            and type(drivers) is tuple
            and len(drivers) <= _MAX_DRIVERS
            and all(
                type(text) is str and 0 < len(text.strip()) <= len(text) <= MAX_TEXT_LENGTH
                for text in drivers
            )
        )

    def points(self, factor: str) -> float:
        """Return the points ``factor`` contributed (0.0 when it is not listed).

        Example:
            >>> from datetime import datetime, timezone
            >>> AdvocacyScore(
            ...     customer_id="C1", as_of=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     value=0.0, band=Band.STABLE,
            ... ).points("harm")
            0.0
        """
        return sum((item.points for item in self.contributions if item.factor == factor), 0.0)

    def top(self, n: int = 3) -> tuple[Contribution, ...]:
        """Return the ``n`` largest contributions with points above zero, largest first.

        Ties keep the scorer's factor order.

        Example:
            >>> from datetime import datetime, timezone
            >>> score = AdvocacyScore(
            ...     customer_id="C1", as_of=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     value=5.0, band=Band.STABLE,
            ...     contributions=(
            ...         Contribution(factor="a", points=1.0),
            ...         Contribution(factor="b", points=4.0),
            ...         Contribution(factor="c", points=0.0),
            ...     ),
            ... )
            >>> [item.factor for item in score.top(5)]
            ['b', 'a']
        """
        ranked = sorted(
            (item for item in self.contributions if item.points > 0),
            key=lambda item: -item.points,
        )
        return tuple(ranked[:n])

    def __repr__(self) -> str:
        parts = "".join(f", {item.factor}={item.points!r}" for item in self.top(3))
        return f"AdvocacyScore({self.customer_id!r}, {self.value!r}, {self.band.value}{parts})"


# The built-in scorer makes its contributions and scores from kernels bounded in [0, 1]
# and points rounded to hundredths that add up to the value: valid by construction,
# except for the texts, whose length grows with the inputs (ids listed in a detail).
# Those are checked here, cheaply; a text too long goes through the full checks, which
# then say so (tests/test_trusted.py re-validates the scores).
_new_contribution: Final = builder(Contribution)
_new_score: Final = builder(AdvocacyScore)


def built_contribution(*, factor: str, points: float, detail: str) -> Contribution:
    """A :class:`Contribution` the built-in scorer computed (checked only where needed)."""
    fits = 0.0 <= points <= 100.0 and len(detail) <= MAX_TEXT_LENGTH
    return (_new_contribution if fits else Contribution)(
        factor=factor, points=points, detail=detail
    )


def built_score(  # noqa: PLR0917 - the score's fields, in their order
    customer_id: str,
    as_of: datetime,
    value: float,
    band: Band,
    contributions: tuple[Contribution, ...],
    drivers: tuple[str, ...],
) -> AdvocacyScore:
    """An :class:`AdvocacyScore` the built-in scorer computed (checked only where needed)."""
    fits = (
        0.0 <= value <= 100.0
        and len(drivers) <= _MAX_DRIVERS
        and (not drivers or max(map(len, drivers)) <= MAX_TEXT_LENGTH)
    )
    return (_new_score if fits else AdvocacyScore)(
        customer_id=customer_id,
        as_of=as_of,
        value=value,
        band=band,
        contributions=contributions,
        drivers=drivers,
    )


@attrs.frozen(kw_only=True)
class ScoreWeights:
    """Relative weights of the built-in scorer's factors.

    The weights are *relative*: each factor's maximum points are
    ``100 * weight / sum(weights)``, so they need not add up to 1, and setting one to
    0 hands its share to the others. The defaults add up to 1: the customer-side
    factors hold 0.95, the business relationship 0.05. A host that wants a pure
    customer-harm view sets ``relationship=0``.

    Attributes:
        harm: Customer harm from open and recent incidents, relative to their scale.
        unresolved: How long open incidents have been waiting, by severity.
        repetition: Recency-weighted number of incidents (a second failure hurts more).
        reactive: Incidents the customer had to tell us about.
        forecast: Forecast risk of open orders (probability late x loss if late).
        health: NPS, CSAT, open tickets, usage trend (missing ones skipped).
        relationship: The business side: annual value and a renewal coming up.

    Raises:
        ValidationError: A weight is negative or not finite, or all are zero.

    Example:
        >>> weights = ScoreWeights(relationship=0.0)
        >>> round(weights.share("harm"), 4)
        0.3684

    .. versionadded:: 0.1.0
    """

    harm: float = 0.35
    unresolved: float = 0.10
    repetition: float = 0.10
    reactive: float = 0.10
    forecast: float = 0.20
    health: float = 0.10
    relationship: float = 0.05

    def __attrs_post_init__(self) -> None:
        c = Checks()
        for name in FACTORS:
            c.number(name, getattr(self, name), high=1e6, what=" (a relative weight)")
        if not c.problems and self.total() <= 0:
            c.fail("harm", self.harm, f"at least one weight above zero (all {len(FACTORS)} are 0)")
        c.done()
        for name in FACTORS:
            object.__setattr__(self, name, float(getattr(self, name)))

    def total(self) -> float:
        """Return the sum of the weights.

        Example:
            >>> round(ScoreWeights().total(), 10)
            1.0
        """
        return math.fsum(getattr(self, name) for name in FACTORS)

    def share(self, factor: str) -> float:
        """Return ``factor``'s weight divided by the sum: its maximum points / 100.

        Example:
            >>> ScoreWeights().share("relationship")
            0.05
        """
        return float(getattr(self, factor)) / self.total()


@attrs.frozen(kw_only=True)
class ScorerConfig:
    """The built-in scorer's configuration: weights, half-lives, scales, band thresholds.

    A frozen value that round-trips through :func:`~custadvocacy.to_dict` and
    :func:`~custadvocacy.from_dict`, so a CRM can store and version it as JSON.
    Every formula it parametrises is in ``docs/scoring.md``.

    Attributes:
        weights: Relative factor weights (:class:`ScoreWeights`).
        harm_scale_days: Loss, in days of the customer's revenue, at which the harm
            share reaches 63 % (> 0).
        resolved_half_life_days: Half-life of a *resolved* incident's harm, counted
            from its resolution (> 0). Open incidents weigh fully.
        repetition_half_life_days: Half-life of an incident in the repetition and
            reactive counts, counted from its opening (> 0).
        repetition_midpoint: Recency-weighted incident count at which the repetition
            share is one half (> 0). Above sqrt(2) (default 2), a second failure adds
            more points than the first.
        unresolved_scale_days: Severity-weighted days open at which the unresolved
            share reaches 63 % (> 0).
        reactive_scale: Severity- and recency-weighted count of customer-noticed
            incidents at which the reactive share reaches 63 % (> 0).
        profile_defaults: Where a customer's daily revenue is assumed from when their
            profile has none: their segment's ``daily_revenue`` here. The default is the
            built-in impact estimators' own, so a loss is weighed against the daily
            revenue it was priced at; give both the same
            :class:`~custadvocacy.estimators.ProfileDefaults` if you change them.
        ticket_scale: Open tickets at which the tickets signal reaches 63 % (> 0).
        usage_full_drop: Usage drop (a share) that counts as the worst signal (> 0).
        value_scale: Annual value at which the value part of the relationship share
            reaches 63 % (converted into the reporting currency; > 0).
        renewal_window_days: How far ahead a renewal starts to count (> 0).
        band_thresholds: Lower bounds (inclusive) of watch, elevated, high and
            critical; strictly increasing inside ``(0, 100]``.
        max_drivers: How many drivers a score lists (1-20).

    Raises:
        ValidationError: A field is not acceptable (every problem listed, by name).

    Example:
        >>> from custadvocacy import from_dict, to_dict
        >>> config = ScorerConfig(weights=ScoreWeights(relationship=0.0))
        >>> from_dict(ScorerConfig, to_dict(config)) == config
        True
        >>> ScorerConfig(band_thresholds=(20.0, 10.0, 60.0, 80.0), harm_scale_days=0)
        Traceback (most recent call last):
        ...
        custadvocacy...ValidationError: 2 problems:
          harm_scale_days: expected a number from 1e-09 to 1e+06, got 0
          band_thresholds: expected four strictly increasing numbers in (0, 100], got (20.0, 10.0, 60.0, 80.0)

    .. versionadded:: 0.1.0
    """

    weights: ScoreWeights = attrs.field(factory=ScoreWeights)
    harm_scale_days: float = 1.0
    resolved_half_life_days: float = 30.0
    repetition_half_life_days: float = 90.0
    repetition_midpoint: float = 2.0
    unresolved_scale_days: float = 14.0
    reactive_scale: float = 1.0
    profile_defaults: ProfileDefaults = DEFAULT_PROFILE_DEFAULTS
    ticket_scale: float = 3.0
    usage_full_drop: float = 0.5
    value_scale: Money = _DEFAULT_VALUE_SCALE
    renewal_window_days: float = 90.0
    band_thresholds: tuple[float, float, float, float] = DEFAULT_THRESHOLDS
    max_drivers: int = 3

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.instance("weights", self.weights, ScoreWeights, "a ScoreWeights")
        c.instance("profile_defaults", self.profile_defaults, ProfileDefaults, "a ProfileDefaults")
        for name in _POSITIVE_FIELDS:
            c.number(name, getattr(self, name), low=1e-9, high=1e6)
        scale: object = self.value_scale
        c.money("value_scale", scale, non_negative=False)  # one problem below, not two
        if isinstance(scale, Money) and scale.amount <= 0:
            c.fail("value_scale.amount", scale.amount, "an amount above zero")
        _check_thresholds(c, self.band_thresholds)
        c.number("max_drivers", self.max_drivers, low=1, high=_MAX_DRIVERS, integer=True)
        c.done()
        for name in _POSITIVE_FIELDS:
            object.__setattr__(self, name, float(getattr(self, name)))
        object.__setattr__(self, "band_thresholds", tuple(float(t) for t in self.band_thresholds))

    def band(self, value: float) -> Band:
        """Return the band of a score ``value`` under these thresholds.

        Example:
            >>> ScorerConfig().band(59.99), ScorerConfig().band(60.0)
            (<Band.HIGH: 'high'>, <Band.CRITICAL: 'critical'>)
        """
        return Band.from_value(value, self.band_thresholds)


_POSITIVE_FIELDS: Final = (
    "harm_scale_days",
    "resolved_half_life_days",
    "repetition_half_life_days",
    "repetition_midpoint",
    "unresolved_scale_days",
    "reactive_scale",
    "ticket_scale",
    "usage_full_drop",
    "renewal_window_days",
)


def _check_thresholds(c: Checks, thresholds: object, name: str = "band_thresholds") -> None:
    if not _increasing_thresholds(thresholds):
        c.fail(name, thresholds, "four strictly increasing numbers in (0, 100]")


def _increasing_thresholds(thresholds: object) -> bool:
    if not (
        isinstance(thresholds, tuple)
        and len(thresholds) == 4
        and all(isinstance(t, int | float) and not isinstance(t, bool) for t in thresholds)
    ):
        return False
    values = [float(t) for t in thresholds]
    return values[0] > 0 and values[-1] <= 100 and all(a < b for a, b in itertools.pairwise(values))


@runtime_checkable
class Scorer(Protocol):
    """What a scorer is: anything with this ``score`` method (nothing to inherit).

    A scorer must be pure (no I/O, no clock: the moment is ``context.as_of``), must
    not mutate its arguments, must give the same score for the same inputs in any
    order, and must return a value in ``[0, 100]`` with **higher = needs an advocate
    more urgently**, whose contributions add up to it.

    Example:
        >>> from custadvocacy import AdvocacyScorer
        >>> isinstance(AdvocacyScorer(), Scorer)
        True

    .. versionadded:: 0.1.0
    """

    def score(  # noqa: PLR0917 - six inputs, positional as in every call site
        self,
        customer: Customer,
        orders: Sequence[Order],
        incidents: Sequence[Incident],
        impacts: Sequence[Impact],
        forecasts: Sequence[Forecast],
        context: Context,
    ) -> AdvocacyScore:
        """Return how urgently ``customer`` needs an advocate as of ``context.as_of``.

        Args:
            customer: The customer to score.
            orders: Their orders (open and recent).
            incidents: Their incidents (open and recent).
            impacts: The incidents' impacts, in ``context.currency``.
            forecasts: Forecasts of their open orders, in ``context.currency``.
            context: ``as_of``, the reporting currency and the exchange rates.

        Example:
            >>> from custadvocacy import AdvocacyScorer
            >>> from custadvocacy.examples import example_context, example_portfolio
            >>> scorer: Scorer = AdvocacyScorer()
            >>> customer = example_portfolio().customer("C04")
            >>> scorer.score(customer, (), (), (), (), example_context()).band.value
            'stable'
        """
        ...
