"""The library's promises, tested across the public functions (docs/reliability.md).

- Nothing passed in is changed: every argument is deep-compared before and after.
- The same input gives the same result: repeated calls, concurrent calls from a
  thread pool, and calls on pickled-and-restored inputs and configuration.
- No result holds NaN or infinity: the ``to_dict`` form of every result is walked.
"""

from __future__ import annotations

import copy
import math
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import custadvocacy as ca
from custadvocacy.batch import (
    assess_batch,
    columns_from_mapping,
    columns_from_objects,
    synthetic_mapping,
)
from custadvocacy.examples import example_context, example_payload, example_portfolio
from custadvocacy.testing.strategies import contexts, portfolios

CONTEXT = example_context()
PORTFOLIO = example_portfolio()
POLICIES: tuple[ca.RecommendationPolicy, ...] = (
    ca.CustomerFirstPolicy(),
    ca.VendorValuePolicy(),
    ca.PlaybookPolicy(),
)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[ca.Context, ca.Portfolio]:
    context = draw(contexts())
    return context, draw(portfolios(context=context, max_size=2, max_orders=2))


def _walk(data: Any, where: str = "result") -> Iterator[tuple[str, Any]]:
    yield where, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _walk(value, f"{where}[{index}]")


def _non_finite(result: Any) -> list[str]:
    """Paths in ``to_dict(result)`` holding NaN or infinity (float or Decimal)."""
    found = []
    for where, value in _walk(ca.to_dict(result)):
        if isinstance(value, float) and not math.isfinite(value):
            found.append(where)
        if isinstance(value, Decimal) and not value.is_finite():
            found.append(where)
        # to_dict writes Decimal amounts as text: "NaN" there is a non-finite amount.
        if where.endswith(".amount") and isinstance(value, str) and not Decimal(value).is_finite():
            found.append(where)
    return found


def _unchanged(call: Callable[[], Any], *inputs: Any) -> Any:
    """Run ``call`` and check every input is deep-equal to a copy taken before."""
    before = copy.deepcopy(inputs)
    result = call()
    assert inputs == before
    return result


def _per_customer(
    portfolio: ca.Portfolio,
) -> Iterator[tuple[ca.Customer, list[ca.Order], list[ca.Incident]]]:
    for customer in portfolio.customers:
        orders = [o for o in portfolio.orders if o.customer_id == customer.id]
        incidents = [i for i in portfolio.incidents if i.customer_id == customer.id]
        yield customer, orders, incidents


# ------------------------------------------------------------------- nothing is mutated


@given(_cases())
def test_assess_portfolio_changes_nothing_passed_in(case: tuple[ca.Context, ca.Portfolio]) -> None:
    context, portfolio = case
    scorer = ca.AdvocacyScorer()
    catalog = ca.default_catalog()
    result = _unchanged(
        lambda: ca.assess_portfolio(portfolio, context=context, scorer=scorer, catalog=catalog),
        portfolio,
        context,
        scorer,
        catalog,
    )
    assert len(result.assessments) == len(portfolio.customers)
    assert not _non_finite(result)


@given(_cases())
def test_per_customer_functions_change_nothing_passed_in(
    case: tuple[ca.Context, ca.Portfolio],
) -> None:
    context, portfolio = case
    estimators = ca.default_estimators()
    scorer = ca.AdvocacyScorer()
    for customer, orders, incidents in _per_customer(portfolio):
        # Lists, not tuples: a list is what a caller could see changed.
        impacts = _unchanged(
            partial(ca.estimate_impacts, customer, orders, incidents, context, estimators),
            customer,
            orders,
            incidents,
            context,
        )
        forecasts = _unchanged(
            partial(ca.forecast_orders, customer, orders, context),
            customer,
            orders,
            context,
        )
        assessment = _unchanged(
            partial(ca.assess, customer, orders, incidents, context=context, scorer=scorer),
            customer,
            orders,
            incidents,
            context,
            scorer,
        )
        assert assessment.impacts == impacts
        assert assessment.forecasts == forecasts
        assert not _non_finite(assessment)


def test_the_scorer_and_every_policy_change_nothing_passed_in() -> None:
    catalog = ca.default_catalog()
    for assessment in ca.assess_portfolio(PORTFOLIO, context=CONTEXT).assessments:
        # Lists, not tuples: a list is what a caller could see changed.
        args = (
            assessment.customer,
            list(assessment.orders),
            list(assessment.incidents),
            list(assessment.impacts),
            list(assessment.forecasts),
        )
        scorer = ca.AdvocacyScorer()
        score = _unchanged(partial(scorer.score, *args, CONTEXT), *args, CONTEXT, scorer)
        assert score == assessment.score
        for policy in POLICIES:
            recommendation = _unchanged(
                partial(policy.recommend, *args, score, catalog, CONTEXT),
                *args,
                score,
                catalog,
                CONTEXT,
                policy,
            )
            assert not _non_finite(recommendation)


def test_allocate_budget_changes_nothing_passed_in() -> None:
    recommendations = [
        a.recommendation for a in ca.assess_portfolio(PORTFOLIO, context=CONTEXT).assessments
    ]
    budget = ca.Money("5000", "EUR")
    allocation = _unchanged(
        lambda: ca.allocate_budget(recommendations, budget), recommendations, budget
    )
    assert not _non_finite(allocation)


def test_from_dict_and_to_dict_change_nothing_passed_in() -> None:
    payload = example_payload()
    portfolio = _unchanged(lambda: ca.from_dict(ca.Portfolio, payload), payload)
    plain = _unchanged(lambda: ca.to_dict(portfolio), portfolio)
    assert plain == ca.to_dict(PORTFOLIO)


def test_from_dict_changes_nothing_even_when_it_rejects() -> None:
    payload = example_payload()
    payload["orders"][0]["value"]["amount"] = "-5"
    payload["customers"][1]["colour"] = "blue"
    before = copy.deepcopy(payload)
    with pytest.raises(ca.ValidationError) as info:
        ca.from_dict(ca.Portfolio, payload)
    assert payload == before
    assert {p.path for p in info.value.problems} >= {"orders[0].value.amount"}


def _arrays_equal(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.keys() == b.keys() and all(
        a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind in "fmM")
        for k in a
    )


def test_the_batch_intake_changes_nothing_passed_in() -> None:
    # That the columns do not alias the caller's arrays: tests/test_fuzz_findings.py (open).
    mapping = synthetic_mapping(40, seed=7)
    before = copy.deepcopy(mapping)
    columns = columns_from_mapping(mapping["customers"], mapping["orders"], mapping["incidents"])
    for table in ("customers", "orders", "incidents"):
        assert _arrays_equal(mapping[table], before[table]), table
    assert len(assess_batch(columns, context=CONTEXT).customers["score"]) == 40


# ----------------------------------------------------------------------- determinism


def test_repeated_calls_give_identical_results() -> None:
    first = ca.assess_portfolio(PORTFOLIO, context=CONTEXT, budget=ca.Money("5000", "EUR"))
    for _ in range(3):
        again = ca.assess_portfolio(PORTFOLIO, context=CONTEXT, budget=ca.Money("5000", "EUR"))
        assert again == first
        assert ca.to_dict(again) == ca.to_dict(first)


@given(_cases())
def test_results_survive_a_pickle_round_trip_of_inputs_and_configuration(
    case: tuple[ca.Context, ca.Portfolio],
) -> None:
    context, portfolio = case
    scorer = ca.AdvocacyScorer(config=ca.ScorerConfig())
    policy = ca.VendorValuePolicy()
    catalog = ca.default_catalog()
    expected = ca.assess_portfolio(
        portfolio, context=context, scorer=scorer, policy=policy, catalog=catalog
    )
    restored = pickle.loads(pickle.dumps((portfolio, context, scorer, policy, catalog)))  # noqa: S301 - our own bytes
    assert restored == (portfolio, context, scorer, policy, catalog)
    p, c, s, pol, cat = restored
    result = ca.assess_portfolio(p, context=c, scorer=s, policy=pol, catalog=cat)
    assert result == expected
    assert pickle.loads(pickle.dumps(result)) == result  # noqa: S301 - our own bytes


def _big_portfolio() -> ca.Portfolio:
    """The example portfolio eight times over, ids made unique (a few dozen customers)."""
    plain = example_payload()
    parts: dict[str, list[Any]] = {"customers": [], "orders": [], "incidents": []}
    for copy_no in range(8):
        chunk = copy.deepcopy(plain)
        for key, records in chunk.items():
            for record in records:
                record["id"] = f"{record['id']}-{copy_no}"
                if "customer_id" in record:
                    record["customer_id"] = f"{record['customer_id']}-{copy_no}"
                if record.get("order_id"):
                    record["order_id"] = f"{record['order_id']}-{copy_no}"
            parts[key].extend(records)
    return ca.from_dict(ca.Portfolio, parts)


def test_concurrent_scoring_from_a_thread_pool_gives_identical_results() -> None:
    portfolio = _big_portfolio()
    scorer = ca.AdvocacyScorer()
    expected = ca.assess_portfolio(portfolio, context=CONTEXT, scorer=scorer)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(
                lambda _: ca.assess_portfolio(portfolio, context=CONTEXT, scorer=scorer), range(8)
            )
        )
    assert all(result == expected for result in results)


def test_concurrent_batch_runs_give_identical_arrays() -> None:
    columns = columns_from_objects(_big_portfolio())
    expected = assess_batch(columns, context=CONTEXT).customers["score"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        scores = list(
            pool.map(lambda _: assess_batch(columns, context=CONTEXT).customers["score"], range(4))
        )
    assert all(np.array_equal(s, expected) for s in scores)


# --------------------------------------------------------------------- finite results


@given(_cases(), st.integers(min_value=0, max_value=3650))
def test_no_result_holds_nan_or_infinity(
    case: tuple[ca.Context, ca.Portfolio], days_later: int
) -> None:
    context, portfolio = case
    later = ca.Context(
        as_of=context.as_of + timedelta(days=days_later),
        currency=context.currency,
        rates=context.rates,
    )
    for policy in POLICIES:
        result = ca.assess_portfolio(portfolio, context=later, policy=policy)
        assert _non_finite(result) == []
        summary = ca.summarize([a.score for a in result.assessments], portfolio.incidents)
        assert _non_finite(summary) == []


def test_batch_results_hold_no_nan_or_infinity() -> None:
    mapping = synthetic_mapping(60, seed=3)
    result = assess_batch(
        columns_from_mapping(mapping["customers"], mapping["orders"], mapping["incidents"]),
        context=CONTEXT,
    )
    for name in ("customers", "orders", "incidents"):
        table = getattr(result, name)
        for key, array in table.items():
            if array.dtype.kind == "f":
                assert np.isfinite(array).all(), f"{name}.{key}"


def test_the_finite_check_finds_nan_and_infinity() -> None:
    # The walker the guarantees rely on must be able to fail.
    money = ca.Money("1", "EUR")
    assert _non_finite(money) == []
    plain = {"a": [1.0, float("nan")], "m": {"amount": Decimal("Infinity")}, "n": {"amount": "NaN"}}
    assert _non_finite(plain) == ["result.a[1]", "result.m.amount", "result.n.amount"]
