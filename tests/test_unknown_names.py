"""``unknown={"crm_owner", ...}``: ignore the CRM's own fields by name, report every other.

``unknown="ignore"`` drops every key the format does not have, so a misspelt optional
field (``"delivred_at"``) was dropped too and the order read as still open: a wrong
score with no error. Naming the host's own fields keeps a typo an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import custadvocacy as ca
from custadvocacy.__main__ import main
from custadvocacy._assess._payload import load_portfolio_json
from custadvocacy.batch import columns_from_mapping, synthetic_mapping
from custadvocacy.examples import example_context, example_payload
from custadvocacy.testing import strategies

CRM = frozenset({"crm_owner", "crm_url"})


def _order(**extra: Any) -> dict[str, Any]:
    order: dict[str, Any] = dict(example_payload()["orders"][0])
    return order | extra


def _problem_paths(error: ca.ValidationError) -> list[str]:
    return [p.path for p in error.problems]


def test_named_keys_are_ignored_at_every_level_and_others_reported() -> None:
    order = _order(crm_owner="Jana", delivred_at="2026-11-15T12:00:00+01:00")
    order["value"] = dict(order["value"], crm_url="https://crm/1", fx="1.0")
    with pytest.raises(ca.ValidationError) as info:
        ca.from_dict(ca.Order, order, unknown=CRM)
    assert _problem_paths(info.value) == ["delivred_at", "value.fx"]
    # Without the typos, the CRM's fields are dropped and the order reads as sent.
    clean = _order(crm_owner="Jana")
    clean["value"] = dict(clean["value"], crm_url="https://crm/1")
    assert ca.from_dict(ca.Order, clean, unknown={"crm_owner", "crm_url"}) == ca.from_dict(
        ca.Order, _order()
    )


def test_nested_objects_and_lists_honour_the_names() -> None:
    payload = example_payload()
    payload["customers"][0] = dict(payload["customers"][0], crm_owner="Jana")
    payload["customers"][0]["profile"] = dict(payload["customers"][0]["profile"], crm_url="x")
    payload["incidents"][0] = dict(payload["incidents"][0], crm_url="x")
    portfolio = ca.from_dict(ca.Portfolio, payload, unknown=CRM)
    assert portfolio == ca.from_dict(ca.Portfolio, example_payload())
    payload["incidents"][0]["sumary"] = "typo"
    with pytest.raises(ca.ValidationError) as info:
        ca.from_dict(ca.Portfolio, payload, unknown=CRM)
    assert _problem_paths(info.value) == ["incidents[0].sumary"]


def test_an_empty_set_rejects_as_reject_does() -> None:
    with pytest.raises(ca.ValidationError) as info:
        ca.from_dict(ca.Order, _order(crm_owner="Jana"), unknown=frozenset())
    assert _problem_paths(info.value) == ["crm_owner"]


@pytest.mark.parametrize("unknown", ["ingore", ["crm_owner"], {"crm_owner", 3}, None, "crm_owner"])
def test_anything_else_is_a_configuration_error(unknown: Any) -> None:
    with pytest.raises(ca.ConfigurationError) as info:
        ca.from_dict(ca.Order, _order(), unknown=unknown)
    assert str(info.value).startswith(
        "unknown must be 'reject', 'ignore' or a set of the names to ignore, e.g. "
        "{'crm_owner'}, not "
    )


def test_the_payload_reader_honours_the_names_at_its_top_level_too() -> None:
    payload = example_payload() | {"context": ca.to_dict(example_context())}
    payload["crm_url"] = "https://crm/export/7"
    payload["orders"][0] = dict(payload["orders"][0], crm_owner="Jana")
    request = load_portfolio_json(json.dumps(payload), unknown=CRM)
    assert request.portfolio == ca.from_dict(ca.Portfolio, example_payload())
    payload["contxt"] = {}
    with pytest.raises(ca.ValidationError) as info:
        load_portfolio_json(json.dumps(payload), unknown=CRM)
    assert _problem_paths(info.value) == ["contxt"]


def test_a_name_to_ignore_never_drops_a_rate() -> None:
    # A rate's key ("EUR/CZK") is data, not a field: naming it drops nothing.
    payload = example_payload() | {"context": ca.to_dict(example_context())}
    request = load_portfolio_json(json.dumps(payload), unknown={"EUR/CZK", "rates"})
    assert request.context == example_context()


def test_the_batch_intake_ignores_named_columns_and_reports_the_rest() -> None:
    tables = synthetic_mapping(5, seed=1)
    customers = dict(tables["customers"], crm_owner=np.array(["Jana"] * 5))
    expected = columns_from_mapping(**tables)
    columns = columns_from_mapping(
        customers, tables["orders"], tables["incidents"], unknown={"crm_owner"}
    )
    assert columns.customers.keys() == expected.customers.keys()
    customers["segmnt"] = customers["segment"]
    with pytest.raises(ca.ValidationError) as info:
        columns_from_mapping(
            customers, tables["orders"], tables["incidents"], unknown={"crm_owner"}
        )
    assert "segmnt" in str(info.value)
    assert "crm_owner" not in str(info.value)


def test_the_batch_intake_refuses_an_unknown_of_another_kind() -> None:
    tables = synthetic_mapping(2, seed=1)
    with pytest.raises(ca.ValidationError) as info:
        columns_from_mapping(**tables, unknown=["crm_owner"])  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert (problem.path, problem.value) == ("unknown", ["crm_owner"])
    assert problem.expected.startswith("'reject', 'ignore' or a set of the names to ignore")


def test_the_command_line_ignores_the_fields_it_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = example_payload() | {"context": ca.to_dict(example_context())}
    payload["orders"][0] = dict(payload["orders"][0], crm_owner="Jana", crm_url="x")
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert main(["assess", str(path)]) == 2
    args = ["assess", str(path), "--ignore-field", "crm_owner", "--ignore-field", "crm_url"]
    assert main([*args, "--top", "1"]) == 0
    written: Mapping[str, Any] = json.loads(capsys.readouterr().out)
    assert written["assessments"]
    payload["orders"][0]["delivred_at"] = "2026-11-15T12:00:00+01:00"
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert main(args) == 2
    assert "orders[0].delivred_at: expected no such field" in capsys.readouterr().err
    # --ignore-field and --unknown ignore say two different things: refused together.
    assert main([*args, "--unknown", "ignore"]) == 2
    assert "--ignore-field names the keys to ignore" in capsys.readouterr().err


def _with_extras(data: Any, extras: Mapping[str, Any], draw: st.DataObject) -> Any:
    """``data`` with some of ``extras`` added to some of its objects, at any depth."""
    if isinstance(data, dict):
        inner = {k: _with_extras(v, extras, draw) for k, v in data.items()}
        names = draw.draw(st.sets(st.sampled_from(sorted(extras))))
        return inner | {name: extras[name] for name in names}
    if isinstance(data, list):
        return [_with_extras(v, extras, draw) for v in data]
    return data


@given(data=st.data(), portfolio=strategies.portfolios(max_size=2))
def test_named_extras_anywhere_read_back_the_same_portfolio(
    data: st.DataObject, portfolio: ca.Portfolio
) -> None:
    extras = {"crm_owner": "Jana", "crm_url": {"deep": ["x"]}}
    payload = _with_extras(ca.to_dict(portfolio), extras, data)
    assert ca.from_dict(ca.Portfolio, payload, unknown=CRM) == portfolio
