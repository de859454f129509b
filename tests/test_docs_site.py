"""The documentation site builds strictly, and its generated pages match the code.

One Sphinx build (``-n -W``: every warning an error, every reference resolved) into a
temporary directory, shared by the tests of this module; then checks that the pages
generated from the code (API, payload format, exceptions, CLI) list what the code has.
Skipped, with the reason, when the ``docs`` dependency group is not installed.
"""

from __future__ import annotations

import argparse
import html as html_module
import importlib
import importlib.util
import os
import pkgutil
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

import custadvocacy as ca
from custadvocacy.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
_NEEDED = ("sphinx", "myst_parser", "furo")
_MISSING = [name for name in _NEEDED if importlib.util.find_spec(name) is None]

pytestmark = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"the docs dependency group is not installed (no {', '.join(_MISSING)}); "
    "install it with: pip install --group docs",
)

Result = subprocess.CompletedProcess[str]

PAGES = (
    "index",
    "concepts",
    "reference/index",
    "reference/api",
    "reference/payload",
    "reference/exceptions",
    "reference/cli",
    "reference/changelog",
)


def _sphinx(source: Path, out: Path, *, pythonpath: Path | None = None) -> Result:
    command = [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q", "-b", "html"]
    command += ["-d", str(out / "doctrees"), str(source), str(out / "html")]
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(pythonpath), env.get("PYTHONPATH"))))
    return subprocess.run(  # noqa: S603 - our own interpreter running Sphinx on our own files
        command, capture_output=True, text=True, check=False, cwd=ROOT, env=env
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    result = _sphinx(DOCS, out)
    assert result.returncode == 0, f"the docs build failed:\n{result.stderr}{result.stdout}"
    return out / "html"


def _page(site: Path, name: str) -> str:
    return (site / f"{name}.html").read_text(encoding="utf-8")


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("name", PAGES)
def test_key_pages_are_built(site: Path, name: str) -> None:
    assert (site / f"{name}.html").is_file()


PAYLOAD_CLASSES = (
    ca.Portfolio,
    ca.Customer,
    ca.OperatingProfile,
    ca.HealthSignals,
    ca.Order,
    ca.Incident,
    ca.Money,
    ca.Context,
)


@pytest.mark.parametrize("cls", PAYLOAD_CLASSES, ids=lambda cls: cls.__name__)
def test_payload_page_lists_every_field(site: Path, cls: type) -> None:
    ids = _ids(_page(site, "reference/payload"))
    section = f"payload-{cls.__name__.lower()}"
    assert section in ids
    fields = [f.name for f in attrs.fields(cls) if f.init]
    missing = [name for name in fields if f"{section}-{name}" not in ids]
    assert not missing, f"{cls.__name__} fields missing from the payload page: {missing}"
    rows = {i.removeprefix(f"{section}-") for i in ids if i.startswith(f"{section}-")}
    assert rows <= set(fields), f"rows without a field: {rows - set(fields)}"


def test_payload_page_lists_enum_values(site: Path) -> None:
    html = _page(site, "reference/payload")
    for enum_type in (ca.Segment, ca.IncidentKind, ca.Severity, ca.NoticedBy):
        for member in enum_type:
            assert f"&quot;{member.value}&quot;" in html, member


def test_payload_page_shows_the_example_as_to_dict_writes_it(site: Path) -> None:
    html = _page(site, "reference/payload")
    assert "Kovar Precision Machining" in html
    assert "INC-101" in html
    assert "EUR/CZK" in html


def _public_modules() -> list[str]:
    names: list[str] = []
    pending = ["custadvocacy"]
    while pending:
        name = pending.pop()
        names.append(name)
        path = getattr(importlib.import_module(name), "__path__", None)
        if path is not None:
            pending += [f"{name}.{i.name}" for i in pkgutil.iter_modules(path) if i.name[0] != "_"]
    return names


def test_api_page_documents_every_public_name(site: Path) -> None:
    ids = _ids(_page(site, "reference/api"))
    missing = [name for name in ca.__all__ if f"custadvocacy.{name}" not in ids]
    assert not missing, f"public names missing from the API page: {missing}"


def test_api_page_documents_public_submodules(site: Path) -> None:
    ids = _ids(_page(site, "reference/api"))
    for module_name in _public_modules()[1:]:
        module = importlib.import_module(module_name)
        assert f"module-{module_name}" in ids
        for name in module.__all__:
            obj = getattr(module, name)
            documented = f"{module_name}.{name}" in ids or f"custadvocacy.{name}" in ids
            assert documented, f"{module_name}.{name} is not on the API page"
            if f"custadvocacy.{name}" in ids:
                assert getattr(ca, name) is obj


def test_api_page_hides_private_modules(site: Path) -> None:
    ids = _ids(_page(site, "reference/api"))
    assert not [i for i in ids if i.startswith("custadvocacy._")]


def test_api_page_links_python_docs_without_a_network(site: Path) -> None:
    html = _page(site, "reference/api")
    assert 'href="https://docs.python.org/3/library/datetime.html#datetime.datetime"' in html


def test_exceptions_page_lists_the_whole_hierarchy(site: Path) -> None:
    html = _page(site, "reference/exceptions")
    pending: list[type] = [ca.AdvocacyError]
    while pending:
        cls = pending.pop()
        link = rf'href="api\.html#custadvocacy\.(\w+\.)*{cls.__name__}"'
        assert re.search(link, html), cls
        pending.extend(cls.__subclasses__())


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found.extend(_parsers(sub))
    return found


def test_cli_page_shows_the_help_of_every_command(site: Path) -> None:
    html = _page(site, "reference/cli")
    text = re.sub(r"<[^>]+>", "", html)
    for parser in _parsers(build_parser()):
        assert f"usage: {parser.prog}" in text, parser.prog
        if parser.description:
            first_words = " ".join(parser.description.split()[:4])
            assert first_words in text


def test_changelog_page_includes_the_changelog(site: Path) -> None:
    html = _page(site, "reference/changelog")
    first_entry = next(
        line.removeprefix("- ")
        for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("- ")
    )
    words = re.sub(r"[`*]", "", first_entry).split()[1:4]
    # The page's text as a reader sees it: entities decoded, Sphinx's curly quotes straight.
    text = html_module.unescape(re.sub(r"<[^>]+>", "", html)).replace("\u2019", "'")
    assert " ".join(words) in " ".join(text.split())


# -- the drift check itself: a class whose docstring misses a field fails the build --

_CONF = """
import sys
sys.path.insert(0, {ext!r})
extensions = [
    "myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.intersphinx", "casphinx"
]
source_suffix = {{".md": "markdown"}}
nitpicky = True
"""

_MODULE = '''
import attrs

@attrs.frozen(kw_only=True)
class Shipment:
    """A shipment.

    Attributes:
        carrier: Who carries it.
    """

    carrier: str
    weight_kg: float = 0.0
'''

_INDEX = """
# Drift

```{eval-rst}
.. autoclass:: driftdemo.Shipment

.. payload-format:: driftdemo.Shipment
```
"""


def test_payload_format_fails_the_build_when_a_field_is_undocumented(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(_CONF.format(ext=str(DOCS / "_ext")), encoding="utf-8")
    (source / "index.md").write_text(textwrap.dedent(_INDEX), encoding="utf-8")
    (tmp_path / "driftdemo.py").write_text(_MODULE, encoding="utf-8")
    result = _sphinx(source, tmp_path / "out", pythonpath=tmp_path)
    assert result.returncode != 0
    assert "Shipment.weight_kg has no description" in result.stderr


def test_payload_format_builds_when_every_field_is_documented(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(_CONF.format(ext=str(DOCS / "_ext")), encoding="utf-8")
    (source / "index.md").write_text(textwrap.dedent(_INDEX), encoding="utf-8")
    documented = _MODULE.replace(
        "carrier: Who carries it.", "carrier: Who carries it.\n        weight_kg: Its weight."
    )
    (tmp_path / "driftdemo.py").write_text(documented, encoding="utf-8")
    result = _sphinx(source, tmp_path / "out", pythonpath=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'id="payload-shipment-weight_kg"' in html
