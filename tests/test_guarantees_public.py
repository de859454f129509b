"""The library's promises for EVERY public function (docs/reliability.md).

Each public function of ``custadvocacy``, ``custadvocacy.batch`` and ``custadvocacy.lab``
(and the public methods that take a caller's data) has a case below: a builder that makes
fresh arguments. For each case:

- nothing passed in is changed (arguments deep-copied before, compared structurally after,
  numpy arrays included, so an in-place change to an array is seen);
- a repeated call gives an identical result;
- a call on arguments that went through ``pickle`` gives the same result, and the result
  itself survives a pickle round trip;
- concurrent calls from a thread pool give the same result;
- the result holds no NaN or infinity (walked through attrs fields, containers and arrays).

Seeds are plain integers here: a ``numpy.random.Generator`` passed in is meant to be
consumed (that is how a caller draws on), so it is the one argument a call changes.

``test_every_public_function_has_a_case`` enumerates the three ``__all__`` lists, so a new
public function without a case here fails the suite.
"""

from __future__ import annotations

import copy
import enum
import inspect
import math
import pickle
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import ModuleType
from typing import Any

import attrs
import numpy as np
import pytest

import custadvocacy as ca
import custadvocacy.batch as cb
import custadvocacy.lab as cl
from custadvocacy.examples import example_context, example_payload, example_portfolio

CONTEXT = example_context()


@attrs.frozen
class Case:
    """One call: ``function(*args, **kwargs)``.

    ``comparable``: the result can be compared (not a plot or a callback); ``finite``: the
    result is a result, not input-form columns where NaN marks a missing optional value.
    """

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = attrs.field(factory=dict)
    comparable: bool = True
    finite: bool = True

    def call(self) -> Any:
        return self.function(*self.args, **self.kwargs)


# ----------------------------------------------------------------- structural comparison


def _plain(value: Any) -> Any:  # noqa: C901, PLR0911 - one branch per kind of value
    """A comparable, hashable-free picture of ``value`` (arrays, attrs, NaN and all)."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, [_plain(v) for v in value.tolist()])
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float):
        return ("float", repr(value))  # NaN == NaN here, and -0.0 != 0.0
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, enum.Enum | str | int | bool | datetime | date | timedelta) or (
        value is None
    ):
        return value
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return (
            type(value).__qualname__,
            [(f.name, _plain(getattr(value, f.name))) for f in fields],
        )
    if isinstance(value, Mapping):
        return ("mapping", [(_plain(k), _plain(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_plain(v) for v in value])
    if isinstance(value, set | frozenset):
        return ("set", sorted(repr(_plain(v)) for v in value))
    if isinstance(value, np.random.Generator):
        return ("Generator", repr(value.bit_generator.state))
    if hasattr(value, "__dict__"):
        return (type(value).__qualname__, _plain(vars(value)))
    return ("opaque", type(value).__qualname__)


def _non_finite(value: Any, where: str = "result") -> Iterator[str]:  # noqa: C901, PLR0912 - one branch per kind
    """Paths in ``value`` holding NaN or infinity (floats, Decimals, float arrays).

    ``PortfolioColumns`` is skipped: it is the batch path's *input* (also echoed in a
    ``BatchResult``), where NaN is the documented marker of a missing optional value.
    """
    if isinstance(value, cb.PortfolioColumns):
        return
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and not np.isfinite(value).all():
            yield where
        elif value.dtype.kind == "O":
            for index, item in enumerate(value.tolist()):
                yield from _non_finite(item, f"{where}[{index}]")
    elif isinstance(value, float | np.floating):
        if not math.isfinite(value):
            yield where
    elif isinstance(value, Decimal):
        if not value.is_finite():
            yield where
    elif isinstance(value, str | bytes | enum.Enum):
        return
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _non_finite(getattr(value, field.name), f"{where}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _non_finite(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{where}[{index}]")


# ------------------------------------------------------------------------------ cases


def _lists(portfolio: ca.Portfolio) -> tuple[ca.Customer, list[ca.Order], list[ca.Incident]]:
    """The first customer with incidents, with lists (what a caller could see changed)."""
    for customer in portfolio.customers:
        incidents = [i for i in portfolio.incidents if i.customer_id == customer.id]
        if incidents:
            orders = [o for o in portfolio.orders if o.customer_id == customer.id]
            return customer, orders, incidents
    msg = "the example portfolio has incidents"  # pragma: no cover
    raise AssertionError(msg)  # pragma: no cover


def _assessed() -> ca.PortfolioAssessment:
    return ca.assess_portfolio(example_portfolio(), context=CONTEXT)


def _columns() -> cb.PortfolioColumns:
    return cb.columns_from_objects(example_portfolio())


def _comparison() -> cl.Comparison:
    return cl.compare(
        [None, ca.CustomerFirstPolicy()], example_portfolio(), context=CONTEXT, replications=3
    )


def _actions_table() -> dict[str, Any]:
    tables = cb.synthetic_mapping(20, seed=4)
    return dict(cb.assess_partition(**tables, context=CONTEXT, table="actions"))


class _Bar:
    """A progress bar as ``tqdm_progress`` expects (tqdm itself is optional)."""

    def __init__(self) -> None:
        self.n = 0
        self.total: int | None = None

    def update(self, n: int = 1) -> None:
        self.n += n


def _response_inputs() -> cl.ResponseInputs:
    n = 6
    loss = np.linspace(0.0, 50_000.0, n)
    return cl.ResponseInputs(
        loss=loss,
        relief=loss * 0.5,
        compensation=np.full(n, 100.0),
        scale=np.full(n, 20_000.0),
        failures=np.arange(n, dtype=np.int64) % 3,
        health=np.linspace(0.0, 1.0, n),
        proactive=np.arange(n) % 2 == 0,
    )


def _functions() -> dict[str, Callable[[], Case]]:
    portfolio = example_portfolio
    as_of = CONTEXT.as_of

    def per_customer(function: Callable[..., Any], **kwargs: Any) -> Callable[[], Case]:
        def build() -> Case:
            customer, orders, incidents = _lists(portfolio())
            if function is ca.forecast_orders:
                return Case(function, (customer, orders, CONTEXT), kwargs)
            if function is ca.estimate_impacts:
                return Case(function, (customer, orders, incidents, CONTEXT), kwargs)
            return Case(function, (customer, orders, incidents), {"context": CONTEXT, **kwargs})

        return build

    def first_of(name: str) -> Any:
        return getattr(_assessed().assessments[0], name)

    return {
        # custadvocacy
        "custadvocacy.allocate_budget": lambda: Case(
            ca.allocate_budget,
            ([a.recommendation for a in _assessed().assessments], ca.Money("5000", "EUR")),
            {"per_customer_limit": ca.Money("2000", "EUR")},
        ),
        "custadvocacy.assess": per_customer(ca.assess),
        "custadvocacy.assess_portfolio": lambda: Case(
            ca.assess_portfolio,
            (portfolio(),),
            {"context": CONTEXT, "budget": ca.Money("5000", "EUR")},
        ),
        "custadvocacy.check_references": lambda: Case(
            ca.check_references,
            (list(portfolio().customers), list(portfolio().orders), list(portfolio().incidents)),
        ),
        "custadvocacy.default_catalog": lambda: Case(ca.default_catalog),
        "custadvocacy.default_estimators": lambda: Case(
            ca.default_estimators, kwargs={"on_missing": "not_estimated"}
        ),
        "custadvocacy.estimate_impacts": per_customer(ca.estimate_impacts),
        "custadvocacy.forecast_orders": per_customer(ca.forecast_orders),
        "custadvocacy.format_forecast": lambda: Case(
            ca.format_forecast,
            (next(f for a in _assessed().assessments for f in a.forecasts),),
        ),
        "custadvocacy.format_impact": lambda: Case(
            ca.format_impact, (next(i for a in _assessed().assessments for i in a.impacts),)
        ),
        "custadvocacy.format_score": lambda: Case(
            ca.format_score,
            (first_of("score"),),
            {"name": "Acme", "forecasts": list(first_of("forecasts"))},
        ),
        "custadvocacy.format_summary": lambda: Case(
            ca.format_summary,
            (
                ca.summarize(
                    [a.score for a in _assessed().assessments], list(portfolio().incidents)
                ),
            ),
        ),
        "custadvocacy.from_dict": lambda: Case(ca.from_dict, (ca.Portfolio, example_payload())),
        "custadvocacy.summarize": lambda: Case(
            ca.summarize,
            ([a.score for a in _assessed().assessments], list(portfolio().incidents)),
            {"since": as_of - timedelta(days=30)},
        ),
        "custadvocacy.to_dict": lambda: Case(ca.to_dict, (_assessed(),)),
        # custadvocacy.batch
        "custadvocacy.batch.allocate_actions": lambda: Case(
            cb.allocate_actions,
            (_actions_table(), ca.Money("20000", "EUR")),
            {"per_customer_limit": ca.Money("5000", "EUR")},
        ),
        "custadvocacy.batch.assess_batch": lambda: Case(
            cb.assess_batch,
            (_columns(),),
            {"context": CONTEXT, "budget": ca.Money("5000", "EUR")},
        ),
        "custadvocacy.batch.assess_partition": lambda: Case(
            cb.assess_partition,
            kwargs={**cb.synthetic_mapping(15, seed=2), "context": CONTEXT},
        ),
        "custadvocacy.batch.columns_from_mapping": lambda: Case(
            cb.columns_from_mapping, kwargs=dict(cb.synthetic_mapping(15, seed=3))
        ),
        "custadvocacy.batch.columns_from_objects": lambda: Case(
            cb.columns_from_objects, (portfolio(),)
        ),
        "custadvocacy.batch.synthetic_mapping": lambda: Case(
            cb.synthetic_mapping, (12,), {"seed": 5}, finite=False
        ),
        # custadvocacy.lab
        "custadvocacy.lab.check_fairness": lambda: Case(
            cl.check_fairness, (cl.outcome(ca.CustomerFirstPolicy(), portfolio(), context=CONTEXT),)
        ),
        "custadvocacy.lab.compare": lambda: Case(
            cl.compare,
            ([None, ca.CustomerFirstPolicy(), ca.VendorValuePolicy()], portfolio()),
            {"context": CONTEXT, "replications": 3, "seed": 1},
        ),
        "custadvocacy.lab.evaluate": lambda: Case(
            cl.evaluate,
            (ca.CustomerFirstPolicy(), _columns()),
            {"context": CONTEXT, "replications": 3, "seed": 2},
        ),
        "custadvocacy.lab.outcome": lambda: Case(
            cl.outcome, (ca.PlaybookPolicy(), portfolio()), {"context": CONTEXT}
        ),
        "custadvocacy.lab.plot_frontier": lambda: Case(
            cl.plot_frontier, (_comparison(),), comparable=False
        ),
        "custadvocacy.lab.plot_scores": lambda: Case(
            cl.plot_scores,
            (cl.outcome(None, portfolio(), context=CONTEXT),),
            {"bins": 5},
            comparable=False,
        ),
        "custadvocacy.lab.plot_segments": lambda: Case(
            cl.plot_segments, (_comparison(),), comparable=False
        ),
        "custadvocacy.lab.synthetic_columns": lambda: Case(
            cl.synthetic_columns, (10,), {"seed": 3, "as_of": as_of}
        ),
        "custadvocacy.lab.synthetic_portfolio": lambda: Case(
            cl.synthetic_portfolio, (10,), {"seed": 3, "as_of": as_of}
        ),
        "custadvocacy.lab.tqdm_progress": lambda: Case(
            cl.tqdm_progress, (_Bar(),), comparable=False
        ),
    }


def _methods() -> dict[str, Callable[[], Case]]:
    """Public methods that take a caller's collections or arrays."""

    def scored(policy: ca.RecommendationPolicy | None) -> Callable[[], Case]:
        def build() -> Case:
            a = next(a for a in _assessed().assessments if a.incidents)
            args = (
                a.customer,
                list(a.orders),
                list(a.incidents),
                list(a.impacts),
                list(a.forecasts),
            )
            if policy is None:
                return Case(ca.AdvocacyScorer().score, (*args, CONTEXT))
            return Case(policy.recommend, (*args, a.score, ca.default_catalog(), CONTEXT))

        return build

    def estimate() -> Case:
        customer, orders, incidents = _lists(example_portfolio())
        incident = incidents[0]
        order = next((o for o in orders if o.id == incident.order_id), None)
        return Case(ca.default_estimators().estimate, (incident, customer, order, CONTEXT))

    return {
        "AdvocacyScorer.score": scored(None),
        "CustomerFirstPolicy.recommend": scored(ca.CustomerFirstPolicy()),
        "VendorValuePolicy.recommend": scored(ca.VendorValuePolicy()),
        "PlaybookPolicy.recommend": scored(ca.PlaybookPolicy()),
        "EstimatorSet.estimate": estimate,
        "EmpiricalLeadTimeModel.fit": lambda: Case(
            ca.EmpiricalLeadTimeModel.fit,
            (list(example_portfolio().orders),),
            {"as_of": CONTEXT.as_of, "min_observations": 1},
        ),
        "LaneHistory.from_delays": lambda: Case(
            ca.LaneHistory.from_delays, ("sea", [0.0, 1.5, 3.0, 0.5])
        ),
        "ServiceRecoveryResponse.stay_probability": lambda: Case(
            cl.ServiceRecoveryResponse().stay_probability, (_response_inputs(),)
        ),
        "BatchResult.to_assessments": lambda: Case(
            cb.assess_batch(_columns(), context=CONTEXT).to_assessments, ([0, 1, 2],)
        ),
        "Portfolio": lambda: Case(
            ca.Portfolio,
            kwargs={
                "customers": list(example_portfolio().customers),
                "orders": list(example_portfolio().orders),
                "incidents": list(example_portfolio().incidents),
            },
        ),
    }


def _public_functions(module: ModuleType) -> set[str]:
    return {
        f"{module.__name__}.{name}"
        for name in module.__all__
        if inspect.isfunction(getattr(module, name))
    }


FUNCTIONS = _functions()
CASES = {**FUNCTIONS, **_methods()}


def test_every_public_function_has_a_case() -> None:
    public = set().union(*(_public_functions(m) for m in (ca, cb, cl)))
    assert public == set(FUNCTIONS), (
        f"missing: {sorted(public - set(FUNCTIONS))}; stale: {sorted(set(FUNCTIONS) - public)}"
    )


def test_the_comparison_sees_an_in_place_change() -> None:
    # The guarantees below rely on _plain telling a changed input apart.
    inputs = _response_inputs()
    before = _plain(copy.deepcopy(inputs))
    inputs.loss[0] = 1.0
    assert _plain(inputs) != before
    assert _plain([float("nan")]) == _plain([float("nan")])
    assert list(_non_finite({"a": [np.array([1.0, np.inf])], "b": Decimal("NaN")})) == [
        "result['a'][0]",
        "result['b']",
    ]


@pytest.fixture(scope="module", autouse=True)
def _no_windows() -> Iterator[None]:
    """Plots draw off screen; close what they opened."""
    try:
        import matplotlib as mpl  # noqa: PLC0415 - optional

        mpl.use("Agg")
    except ImportError:  # pragma: no cover - the plot extra is not installed
        yield
        return
    import matplotlib.pyplot as plt  # noqa: PLC0415 - optional

    yield
    plt.close("all")


def _build(name: str) -> Case:
    if name.startswith("custadvocacy.lab.plot_"):
        pytest.importorskip("matplotlib", reason="the plots need the optional 'plot' extra")
    return CASES[name]()


@pytest.mark.parametrize("name", sorted(CASES))
def test_nothing_passed_in_is_changed(name: str) -> None:
    case = _build(name)
    before = _plain(copy.deepcopy((case.args, case.kwargs)))
    case.call()
    assert _plain((case.args, case.kwargs)) == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_are_repeatable_and_finite(name: str) -> None:
    case = _build(name)
    if not case.comparable:
        pytest.skip("the result is a plot or a callback: nothing to compare")
    first = case.call()
    again = _build(name).call()
    assert _plain(again) == _plain(first)
    if case.finite:
        assert list(_non_finite(first)) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_survive_a_pickle_round_trip(name: str) -> None:
    case = _build(name)
    if not case.comparable:
        pytest.skip("the result is a plot or a callback: nothing to compare")
    expected = case.call()
    restored = pickle.loads(pickle.dumps((case.args, case.kwargs)))  # noqa: S301 - our own bytes
    assert _plain(restored) == _plain((case.args, case.kwargs))
    result = case.function(*restored[0], **restored[1])
    assert _plain(result) == _plain(expected)
    assert _plain(pickle.loads(pickle.dumps(result))) == _plain(result)  # noqa: S301


@pytest.mark.parametrize("name", sorted(CASES))
def test_concurrent_calls_give_identical_results(name: str) -> None:
    case = _build(name)
    if not case.comparable:
        pytest.skip("the result is a plot or a callback: nothing to compare")
    expected = _plain(case.call())
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _plain(case.call()), range(4)))
    assert all(result == expected for result in results)
