"""The command line, run as a subprocess: demo, assess (success and every kind of bad input)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from custadvocacy import PortfolioAssessment, ValidationError, from_dict, to_dict
from custadvocacy.__main__ import EXIT_BROKEN_PIPE, EXIT_OK, build_parser, main
from custadvocacy._assess._payload import MAX_DEPTH, load_portfolio_json, parse_json
from custadvocacy.examples import example_context, example_payload


def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "custadvocacy", *args],
        input=data,
        capture_output=True,
        check=False,
        timeout=120,
    )


def payload(**changes: Any) -> dict[str, Any]:
    data = example_payload() | {"context": to_dict(example_context())}
    data.update(changes)
    return data


@pytest.fixture
def payload_file(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(payload()), encoding="utf-8")
    return path


# ------------------------------------------------------------------ success


def test_demo_prints_the_ranking_details_and_briefs() -> None:
    done = run("demo", "--top", "2")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert out.startswith("Advocacy assessment as of 2026-11-20 09:00 UTC, reporting in EUR")
    assert "  1  C07   Moravia Print" in out
    assert "Details, most urgent first" in out
    assert "Briefs of the 2 most urgent customers" in out
    assert "Your line stood still for about 4 days" in out
    assert done.stderr == b""


def test_assess_a_file_writes_the_ranked_assessments_as_json(payload_file: Path) -> None:
    done = run("assess", str(payload_file))
    assert done.returncode == 0, done.stderr.decode()
    result = from_dict(PortfolioAssessment, json.loads(done.stdout))
    assert [a.customer_id for a in result][:3] == ["C07", "C01", "C10"]
    assert result.summary.customers == 12


def test_assess_standard_input_top_and_compact() -> None:
    done = run("assess", "-", "--top", "2", "--compact", stdin=json.dumps(payload()))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.count(b"\n") == 1
    result = from_dict(PortfolioAssessment, json.loads(done.stdout))
    assert len(result) == 2
    assert result.summary.customers == 12


def test_assess_text_and_markdown_formats(payload_file: Path) -> None:
    text = run("assess", str(payload_file), "--format", "text", "--top", "1")
    assert text.returncode == 0
    report = text.stdout.decode()
    assert "Brief of the most urgent customer" in report
    ranked = [line for line in report.splitlines() if re.match(r" *\d+  \S", line)]
    assert [line.split()[0] for line in ranked] == ["1"]  # only the most urgent is ranked
    nothing = run("assess", str(payload_file), "--format", "text", "--top", "0").stdout.decode()
    assert "Bands:" in nothing
    assert "Details" not in nothing
    assert "Brief" not in nothing
    markdown = run("assess", str(payload_file), "--format", "markdown", "--top", "2")
    assert markdown.returncode == 0
    assert markdown.stdout.decode().count("### ") == 2


def test_context_from_options_and_unknown_fields_ignored(tmp_path: Path) -> None:
    data = payload(crm_account_owner="Jana")
    del data["context"]
    data["customers"][0]["crm_colour"] = "red"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run(
        "assess",
        str(path),
        "--unknown",
        "ignore",
        "--as-of",
        "2026-11-20T09:00:00+00:00",
        "--currency",
        "EUR",
        "--rate",
        "EUR/CZK=25",
        "--rate",
        "EUR/GBP=0.86",
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["as_of"] == "2026-11-20T09:00:00+00:00"


def test_a_scorer_config_and_catalog_in_the_payload(tmp_path: Path) -> None:
    from custadvocacy import ScorerConfig, ScoreWeights  # noqa: PLC0415 - only here
    from custadvocacy.policies import default_catalog  # noqa: PLC0415 - only here

    config = ScorerConfig(weights=ScoreWeights(relationship=0.0))
    catalog = default_catalog()
    data = payload(scorer=to_dict(config), catalog=to_dict(catalog))
    request = load_portfolio_json(json.dumps(data))
    assert request.scorer == config
    assert request.catalog == catalog
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["assess", str(path), "--top", "0"]) == 0


# ------------------------------------------------------------------ failures


def test_invalid_payload_lists_every_problem_with_its_path(tmp_path: Path) -> None:
    data = payload(colour="red")
    data["orders"][2]["value"]["amount"] = "-5"
    data["customers"][1]["segment"] = "huge"
    data["context"]["as_of"] = "yesterday"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run("assess", str(path))
    assert done.returncode == 2
    assert done.stdout == b""
    err = done.stderr.decode()
    assert "Traceback" not in err
    assert err.startswith(f"custadvocacy: error: {path} cannot be assessed: 4 problems:")
    for where in ("colour:", "orders[2].value.amount:", "customers[1].segment:", "context.as_of:"):
        assert where in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"customers": [}', "line 1, column 16"),
        ('{"customers": NaN}', "NaN and Infinity are not JSON numbers"),
        ('{"a": -Infinity}', "NaN and Infinity are not JSON numbers"),
        ('{"customers": [], "customers": []}', "without duplicate keys"),
        ("[" * 100_000 + "]" * 100_000, f"nested at most {MAX_DEPTH} levels deep"),
        ("[" * 100 + "]" * 100, f"nested at most {MAX_DEPTH} levels deep"),
        ('{"n": 1' + "0" * 5_000 + "}", "valid JSON numbers"),
        ("[1, 2]", "a JSON object with customers"),
        ("", "line 1, column 1"),
    ],
)
def test_unreadable_json_exits_2_without_a_traceback(text: str, expected: str) -> None:
    done = run("assess", "-", stdin=text)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert expected in err
    assert "Traceback" not in err
    assert "standard input cannot be assessed" in err


def test_bytes_that_are_not_utf8_are_reported() -> None:
    done = run("assess", "-", stdin=b'{"a": "\xff"}')
    assert done.returncode == 2
    assert b"UTF-8 encoded JSON text" in done.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    done = run("assess", str(missing))
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"custadvocacy: error: cannot read {missing}: No such file or directory\n"
    )


def test_a_missing_context_and_a_missing_rate(tmp_path: Path) -> None:
    data = payload()
    del data["context"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = run("assess", str(path))
    assert done.returncode == 2
    assert b"context: expected a context object with as_of and currency" in done.stderr
    no_gbp = payload()
    no_gbp["context"]["rates"] = {"EUR/CZK": "25"}
    path.write_text(json.dumps(no_gbp), encoding="utf-8")
    done = run("assess", str(path))
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "customers[1].annual_value.currency: expected a currency with an exchange rate" in err


def test_bad_options_exit_2() -> None:
    for args in (
        ["assess", "-", "--rate", "EUR"],
        ["assess", "-", "--top", "-1"],
        ["demo", "--top", "x"],
    ):
        done = run(*args, stdin="{}")
        assert done.returncode == 2
        assert b"Traceback" not in done.stderr


def test_a_configuration_problem_is_an_error_too(tmp_path: Path) -> None:
    data = payload(scorer={"value_scale": {"amount": "1", "currency": "USD"}})
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["assess", str(path)]) == 2  # no USD/EUR rate for the scorer's value scale


# ------------------------------------------------------------ in process


def test_parse_json_is_exact_and_strict() -> None:
    assert parse_json(b'\xef\xbb\xbf{"a": 0.1}') == {"a": __import__("decimal").Decimal("0.1")}
    with pytest.raises(ValidationError):
        parse_json('{"a": 1, "a": 2}')


def test_load_portfolio_json_merges_rates_and_rejects_unknown_top_level_keys() -> None:
    data = payload()
    data["context"]["rates"] = {"EUR/CZK": "25"}
    request = load_portfolio_json(
        json.dumps(data), context={"rates": {"EUR/GBP": "0.86"}, "currency": "EUR"}
    )
    assert set(request.context.rates.rates) == {("EUR", "CZK"), ("EUR", "GBP")}
    with pytest.raises(ValidationError) as info:
        load_portfolio_json(json.dumps(payload(extra=1, scorer={"bogus": 1}, catalog=[])))
    assert info.value.paths == ("extra", "scorer.bogus", "catalog")
    with pytest.raises(ValidationError) as info:
        load_portfolio_json(json.dumps(payload(context="now")))
    assert info.value.paths == ("context",)
    only_options = payload()
    del only_options["context"]
    request = load_portfolio_json(
        json.dumps(only_options),
        context={
            "as_of": "2026-11-20T09:00:00+00:00",
            "currency": "EUR",
            "rates": {"EUR/CZK": "25", "EUR/GBP": "0.86"},
        },
    )
    assert request.context == example_context()


def test_the_parser_documents_every_option() -> None:
    parser = build_parser()
    help_text = parser.format_help()
    assert "demo" in help_text
    assert "assess" in help_text
    args = parser.parse_args(["assess", "-", "--rate", "EUR/CZK=25", "--format", "markdown"])
    assert args.rate == [("EUR/CZK", "25")]
    assert args.format == "markdown"


def test_main_in_process(
    payload_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["demo", "--top", "0"]) == 0
    out = capsys.readouterr().out
    assert "Briefs of the" not in out
    assert main(["assess", str(payload_file), "--format", "markdown", "--top", "1"]) == 0
    assert capsys.readouterr().out.startswith("### Moravia Print (C07)")
    assert main(["assess", str(payload_file), "--format", "text"]) == 0
    assert "Briefs of the 12 most urgent customers" in capsys.readouterr().out
    stdin = io.TextIOWrapper(io.BytesIO(b"{"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["assess", "-"]) == 2
    assert "standard input cannot be assessed" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["assess", "-", "--rate", "EUR"])
    with pytest.raises(SystemExit):
        main(["assess", "-", "--rate", "EUR/CZK="])
    with pytest.raises(SystemExit):
        main(["assess", "-", "--top", "x"])
    with pytest.raises(SystemExit):
        main(["assess", "-", "--top", "-2"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{"a": "\xff"}', "UTF-8 encoded JSON text"),
        ("{", "line 1, column 2"),
        ("[" * 100_000, "levels deep"),
        ("1" * 5_000, "valid JSON numbers"),
        ('{"a": {"b": [1, {"c": 2}]}}', None),
    ],
)
def test_parse_json_in_process(text: str | bytes, expected: str | None) -> None:
    if expected is None:
        assert parse_json(text) == {"a": {"b": [1, {"c": 2}]}}
        return
    with pytest.raises(ValidationError, match=expected):
        parse_json(text)


def test_main_in_process_options_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = payload()
    del data["context"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    options = ["--as-of", "2026-11-20T09:00:00+00:00", "--currency", "EUR"]
    rates = ["--rate", "EUR/CZK=25", "--rate", "EUR/GBP=0.86"]
    assert main(["assess", str(path), *options, *rates, "--top", "1", "--compact"]) == 0
    assert json.loads(capsys.readouterr().out)["currency"] == "EUR"
    assert main(["assess", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["assess", str(path), "--currency", "EUR"]) == 2
    err = capsys.readouterr().err
    assert "context.as_of: missing (the field is required)" in err


def test_the_json_must_be_an_object_and_not_too_deep() -> None:
    with pytest.raises(ValidationError, match="a JSON object with customers"):
        load_portfolio_json("[]")
    with pytest.raises(ValidationError, match="levels deep"):
        parse_json("[" * 100 + "]" * 100)
    ignored = payload(crm="x")
    assert load_portfolio_json(json.dumps(ignored), unknown="ignore").context == example_context()


def test_a_reader_that_stops_early_gets_no_traceback(payload_file: Path) -> None:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "custadvocacy", "assess", str(payload_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.read(1) == b"{"
    process.stdout.close()  # far less than the 130 kB of output has been read
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 1
    assert b"Traceback" not in err


def test_assess_in_process_uses_the_payloads_scorer_config_and_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The subprocess tests above cannot see which scorer and catalog the command passed
    # on; in process, its output must equal assess_portfolio with exactly those.
    from custadvocacy import AdvocacyScorer, ScorerConfig, ScoreWeights  # noqa: PLC0415
    from custadvocacy import assess_portfolio as assess_all  # noqa: PLC0415
    from custadvocacy.policies import default_catalog  # noqa: PLC0415

    config = ScorerConfig(weights=ScoreWeights(relationship=0.0, harm=0.5))
    catalog = default_catalog().without("alternative_source", "expedite", "executive_call")
    data = payload(scorer=to_dict(config), catalog=to_dict(catalog))
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    request = load_portfolio_json(json.dumps(data))
    expected = assess_all(
        request.portfolio,
        context=request.context,
        scorer=AdvocacyScorer(config=config),
        catalog=catalog,
    )
    assert to_dict(expected) != to_dict(
        assess_all(request.portfolio, context=request.context)
    )  # the options make a difference to see
    assert main(["assess", str(path), "--compact"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == json.loads(json.dumps(to_dict(expected)))
    assert "\n" not in out.rstrip("\n")  # compact: one line
    assert main(["assess", str(path), "--top", "2"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == json.loads(json.dumps(to_dict(expected.top(2))))


# ------------------------------------------------------------------ the reader, in process


NOT_JSON_NUMBER = "valid JSON (NaN and Infinity are not JSON numbers; use null or a number)"


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ('{"customers": [}', '{"customers": [}', "valid JSON (line 1, column 16: Expecting value)"),
        ('{"customers": NaN}', "NaN", NOT_JSON_NUMBER),
        ('{"a": -Infinity}', "-Infinity", NOT_JSON_NUMBER),
        ('{"a": Infinity}', "Infinity", NOT_JSON_NUMBER),
        (
            '{"customers": [], "customers": []}',
            "customers",
            "JSON objects without duplicate keys (this key repeats)",
        ),
        (
            "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
            "<deeply nested>",
            "JSON nested at most 64 levels deep",
        ),
        ("[1, 2]", [1, 2], "a JSON object with customers, orders, incidents and context"),
        ("", "", "valid JSON (line 1, column 1: Expecting value)"),
        (
            '{"a":\n 1,\n  x}',
            '{"a":\n 1,\n  x}',
            "valid JSON (line 3, column 3: Expecting property name enclosed in double quotes)",
        ),
        # the 20 characters either side of the error, not the whole payload
        (
            '{"a": [' + "1, " * 100 + "x]}",
            ", 1, 1, 1, 1, 1, 1, x]}",
            "valid JSON (line 1, column 308: Expecting value)",
        ),
        (b'{"a": "\xff"}', "<byte 7>", "UTF-8 encoded JSON text"),
    ],
)
def test_the_payload_reader_names_what_is_wrong_in_one_problem(
    text: str | bytes, value: object, expected: str
) -> None:
    with pytest.raises(ValidationError) as info:
        load_portfolio_json(text)
    assert [(p.path, p.value, p.expected) for p in info.value.problems] == [("", value, expected)]


def test_the_deepest_payload_read_is_64_levels() -> None:
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_json(deepest) is not None  # read; then refused as not an object
    with pytest.raises(ValidationError, match="a JSON object with customers"):
        load_portfolio_json(deepest)


def test_a_number_too_long_to_read_is_refused_as_such() -> None:
    with pytest.raises(ValidationError) as info:
        load_portfolio_json('{"n": 1' + "0" * 5_000 + "}")
    [problem] = info.value.problems
    assert (problem.path, problem.expected) == ("", "valid JSON numbers")


class _ReaderGone(io.StringIO):
    """A standard output whose reader went away (``| head`` that has read enough)."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def write(self, _text: str) -> int:
        raise BrokenPipeError

    def fileno(self) -> int:
        return self._fd


def test_a_reader_that_went_away_ends_the_command_quietly_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (tmp_path / "out").open("w") as target:
        monkeypatch.setattr(sys, "stdout", _ReaderGone(target.fileno()))
        assert main(["demo", "--top", "0"]) == EXIT_BROKEN_PIPE


def test_the_command_writes_its_output_and_a_newline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--top", "0"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Advocacy assessment as of 2026-11-20 09:00 UTC, reporting in EUR")
    assert out.endswith("\n")
    assert not out.endswith("\n\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--top", "-1"], "argument --top: expected a whole number >= 0, got '-1'"),
        (["demo", "--top", "x"], "argument --top: expected a whole number, got 'x'"),
        (
            ["assess", "-", "--rate", "EUR/CZK"],
            "argument --rate: expected BASE/QUOTE=RATE (e.g. EUR/CZK=25), got 'EUR/CZK'",
        ),
        (
            ["assess", "-", "--rate", "=25"],
            "argument --rate: expected BASE/QUOTE=RATE (e.g. EUR/CZK=25), got '=25'",
        ),
        (
            ["assess", "-", "--rate", "EUR/CZK="],
            "argument --rate: expected BASE/QUOTE=RATE (e.g. EUR/CZK=25), got 'EUR/CZK='",
        ),
    ],
)
def test_bad_option_values_are_named_in_process(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(argv)
    assert info.value.code == 2
    assert capsys.readouterr().err.rstrip("\n").endswith(f"error: {message}")


def test_rates_and_context_options_are_read_in_process() -> None:
    args = build_parser().parse_args(
        ["assess", "-", "--rate", " EUR/CZK = 25 ", "--rate", "EUR/GBP=0.86", "--top", "0"]
    )
    assert args.rate == [("EUR/CZK", "25"), ("EUR/GBP", "0.86")]
    assert args.top == 0


def test_a_pair_given_twice_with_two_rates_is_refused_before_reading(
    payload_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twice = ["--rate", "EUR/CZK=25", "--rate", "EUR/CZK=30"]
    assert main(["assess", str(payload_file), *twice]) == 2
    assert capsys.readouterr().err == (
        "custadvocacy: error: argument --rate: EUR/CZK given twice, as 25 and 30; give it once\n"
    )
    # The same rate twice says nothing new, however it is written: accepted.
    assert (
        main(["assess", str(payload_file), "--rate", "EUR/CZK=25", "--rate", "EUR/CZK=25.0"]) == 0
    )


def test_the_payload_readers_problems_are_pinned_exactly() -> None:
    def found(text: str, **options: Any) -> list[tuple[str, object, str]]:
        with pytest.raises(ValidationError) as info:
            load_portfolio_json(text, **options)
        return [(p.path, p.value, p.expected) for p in info.value.problems]

    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    nested = [("", "<deeply nested>", f"JSON nested at most {MAX_DEPTH} levels deep")]
    assert found(deep) == nested
    # A scalar beside the deep part is looked past, whichever comes first.
    assert found("[1, " + deep + "]") == nested
    assert found("[" + deep + ", 1]") == nested
    # Deeper than Python's recursion limit: json itself gives up, with the same problem.
    assert found("[" * 100_000 + "]" * 100_000) == nested
    # A syntax error shows the 20 characters before it and the 20 from it.
    broken = '{"customers": [' + '"x", ' * 10 + "!" + ', "y"' * 10 + "]}"
    at = broken.index("!")
    assert found(broken) == [
        (
            "",
            broken[at - 20 : at + 20],
            f"valid JSON (line 1, column {at + 1}: Expecting value)",
        )
    ]
    assert len(broken[at - 20 : at + 20]) == 40
    digits = "1" + "0" * 5_000
    message = "Exceeds the limit (4300 digits) for integer string conversion: value has 5001 di"
    assert found('{"n": ' + digits + "}") == [("", message, "valid JSON numbers")]
    known = (
        "no such field (the payload has: catalog, context, customers, incidents, orders, scorer)"
    )
    assert found(json.dumps(payload(colour=1, size=2))) == [
        ("colour", "colour", known),
        ("size", "size", known),
    ]
    without = payload()
    del without["context"]
    assert found(json.dumps(without)) == [
        ("context", None, "a context object with as_of and currency (or give them as options)")
    ]


def test_unknown_ignore_reaches_every_part_of_the_payload() -> None:
    data = payload(colour=1)
    data["customers"][0]["colour"] = "red"
    data["context"]["colour"] = "red"
    request = load_portfolio_json(json.dumps(data), unknown="ignore")
    assert request.portfolio.customers[0].id == data["customers"][0]["id"]
    with pytest.raises(ValidationError) as info:
        load_portfolio_json(json.dumps(data))
    assert info.value.paths == ("colour", "customers[0].colour", "context.colour")


def test_the_output_options_in_process(
    tmp_path: Path, payload_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # In process, so the mutation run sees them (a subprocess imports the unmutated package).
    assert main(["assess", str(payload_file), "--top", "1"]) == EXIT_OK
    indented = capsys.readouterr().out
    assert indented.startswith('{\n  "as_of": ')
    assert main(["assess", str(payload_file), "--top", "1", "--compact"]) == EXIT_OK
    assert capsys.readouterr().out.count("\n") == 1
    assert main(["assess", str(payload_file), "--format", "markdown", "--top", "2"]) == EXIT_OK
    briefs = capsys.readouterr().out
    assert briefs.count("\n\n### ") == 1
    assert briefs.startswith("### ")
    assert main(["assess", str(payload_file), "--format", "markdown"]) == EXIT_OK
    assert capsys.readouterr().out.count("### ") == 12  # no --top: every customer
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps(payload(crm_account_owner="Jana")), encoding="utf-8")
    assert main(["assess", str(unknown)]) == 2
    assert "crm_account_owner" in capsys.readouterr().err
    assert main(["assess", str(unknown), "--unknown", "ignore"]) == EXIT_OK


def test_the_command_is_named_in_help_and_when_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert "COMMAND" in build_parser().format_usage()
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([])
    assert info.value.code == 2
    assert (
        capsys.readouterr()
        .err.rstrip("\n")
        .endswith("error: the following arguments are required: COMMAND")
    )
    assert build_parser().parse_args(["demo"]).command == "demo"


def test_a_rate_is_split_at_its_first_equals_sign() -> None:
    # The rate after the first "=" is then not a number: refused by the context's checks.
    args = build_parser().parse_args(["assess", "-", "--rate", "EUR/CZK=25=1"])
    assert args.rate == [("EUR/CZK", "25=1")]
