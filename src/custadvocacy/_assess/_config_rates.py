"""Where a configuration holds amounts in a currency: for a missing rate's message.

The records' currencies are checked before anything runs, and a missing rate there is a
ValidationError with the record's path. The plug-ins' own amounts (a scorer's
``value_scale``, a catalog action's ``fixed_cost``, a policy's ``cost_limit_floor``, an
estimator's defaults) are converted where they are used; when one has no rate, the
:class:`MissingRateError` of the conversion is given their paths, so the host knows to
add the rate or to change the configuration, not to look for a bad record.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Final

import attrs

from custadvocacy._errors import MissingRateError
from custadvocacy._impact._compose import EstimatorSet
from custadvocacy._money import Money

_OURS: Final = "custadvocacy."

PLUGIN_NAMES: Final = ("estimators", "scorer", "policy", "catalog", "lead_time_model")
"""The plug-in arguments of assess, assess_portfolio and assess_batch, in their order."""


def money_paths(value: object, path: str) -> Iterator[tuple[str, Money]]:
    """Every amount held by ``value``, a value of the library's own classes, with its path.

    A host's class is not looked into: what it converts, and how, is its own. A value
    held in several places (the estimators share one set of defaults) is named once,
    where it is first met.

    Example:
        >>> from custadvocacy import ScorerConfig
        >>> [(p, str(m)) for p, m in money_paths(ScorerConfig(), "config") if "scale" in p]
        [('config.value_scale', '250,000.00 EUR')]
    """
    if _ours(value):
        yield from _walk(value, path, set())


def _ours(value: object) -> bool:
    return isinstance(value, EstimatorSet) or (
        attrs.has(cls := type(value)) and cls.__module__.startswith(_OURS)
    )


def _walk(value: object, path: str, seen: set[int]) -> Iterator[tuple[str, Money]]:
    """:func:`money_paths` below a value of ours; ``seen``: the ids of values walked."""
    if isinstance(value, Money):
        yield path, value
    elif id(value) not in seen:
        seen.add(id(value))
        for child_path, child in _children(value, path):
            yield from _walk(child, child_path, seen)


def _children(value: object, path: str) -> Iterator[tuple[str, object]]:
    """What ``value`` holds, with paths: its fields if ours, its items if a sequence."""
    if isinstance(value, EstimatorSet):
        pairs = ((f"{path}[{kind.value!r}]", e) for kind, e in value.estimators)
    elif isinstance(value, tuple | list):  # only met as a field of ours
        pairs = ((f"{path}[{i}]", item) for i, item in enumerate(value))
    elif _ours(value):
        cls = typing.cast("type[attrs.AttrsInstance]", type(value))
        named = (f.name for f in attrs.fields(cls) if not f.name.startswith("_"))
        pairs = ((f"{path}.{name}", getattr(value, name)) for name in named)
    else:
        return
    yield from (
        (p, child) for p, child in pairs if isinstance(child, Money | tuple | list) or _ours(child)
    )


class rates_named:  # noqa: N801 - used as a context manager, named as contextlib's are
    """Give a :class:`MissingRateError` raised inside the configuration amounts it is about.

    ``plugins()`` maps each plug-in's argument name to the plug-in (called on a missing
    rate only); ``reporting`` is the context's currency. A class, not a generator: it
    wraps every ``assess``, where entering and leaving must cost next to nothing.
    """

    __slots__ = ("_plugins", "_reporting")

    def __init__(self, plugins: Callable[[], Mapping[str, object]], reporting: str) -> None:
        self._plugins = plugins
        self._reporting = reporting

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if isinstance(error, MissingRateError):
            named = named_where(error, self._plugins(), self._reporting)
            if named is not error:
                raise named from error


def named_where(
    error: MissingRateError, plugins: Mapping[str, object], reporting: str
) -> MissingRateError:
    """``error`` with the configuration amounts in its unrated currency named, if any.

    ``plugins`` maps each plug-in's argument name to the plug-in; ``reporting`` is the
    context's currency, into which the library converts every amount. A conversion into
    another currency (a host plug-in's own) is not about these amounts: nothing is named.
    """
    if error.quote != reporting or error.base == reporting or error.where:
        return error
    paths = tuple(
        path
        for name, plugin in plugins.items()
        for path, money in money_paths(plugin, name)
        if money.currency == error.base
    )
    if not paths:
        return error
    return MissingRateError(error.base, error.quote, paths)
