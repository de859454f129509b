"""Intersphinx inventories for python, attrs, numpy and hypothesis, without a network.

Why not fetch the real ``objects.inv`` files? The build must pass ``-n -W`` on any
machine, and many have no route to docs.python.org or readthedocs (CI sandboxes,
air-gapped runners, ours). A failed fetch is a warning, so an offline build would
fail; a build that fetches succeeds or fails with the network, not with the docs.
The installed packages do not ship their inventories either.

So the inventories are written at build time, into the doctree directory, from the
table below: the external objects our pages and signatures refer to, each with
its real address in that project's documentation. The links work online as usual;
the build never needs the network. When a page refers to an external object that
is not in the table, the nitpicky build fails naming the target: add a row here
(role, name, page and anchor as in the project's documentation).
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# (project, base URL, entries); an entry is (domain:role, name, page#anchor). An
# anchor of "$" stands for the name itself, as in Sphinx's own inventories.
_PY: Final = "https://docs.python.org/3/"
_BUILTIN_CLASSES: Final = (
    ("str", "library/stdtypes.html#str"),
    ("bytes", "library/stdtypes.html#bytes"),
    ("tuple", "library/stdtypes.html#tuple"),
    ("list", "library/stdtypes.html#list"),
    ("dict", "library/stdtypes.html#dict"),
    ("set", "library/stdtypes.html#set"),
    ("frozenset", "library/stdtypes.html#frozenset"),
    ("range", "library/stdtypes.html#range"),
    ("int", "library/functions.html#int"),
    ("float", "library/functions.html#float"),
    ("bool", "library/functions.html#bool"),
    ("complex", "library/functions.html#complex"),
    ("object", "library/functions.html#object"),
    ("type", "library/functions.html#type"),
)
_BUILTIN_EXCEPTIONS: Final = (
    "BaseException",
    "Exception",
    "ArithmeticError",
    "AttributeError",
    "ImportError",
    "IndexError",
    "KeyError",
    "LookupError",
    "NotImplementedError",
    "OverflowError",
    "RuntimeError",
    "TypeError",
    "ValueError",
    "ZeroDivisionError",
    "Warning",
    "UserWarning",
    "DeprecationWarning",
)
_STDLIB: Final = (
    ("py:data", "None", "library/constants.html#None"),
    ("py:data", "True", "library/constants.html#True"),
    ("py:data", "False", "library/constants.html#False"),
    ("py:data", "Ellipsis", "library/constants.html#Ellipsis"),
    ("py:data", "NotImplemented", "library/constants.html#NotImplemented"),
    ("py:function", "abs", "library/functions.html#abs"),
    ("py:function", "isinstance", "library/functions.html#isinstance"),
    ("py:function", "len", "library/functions.html#len"),
    ("py:function", "repr", "library/functions.html#repr"),
    ("py:function", "round", "library/functions.html#round"),
    ("py:function", "sorted", "library/functions.html#sorted"),
    ("py:function", "sum", "library/functions.html#sum"),
    ("py:module", "argparse", "library/argparse.html#module-argparse"),
    ("py:class", "argparse.ArgumentParser", "library/argparse.html#$"),
    ("py:class", "argparse.Namespace", "library/argparse.html#$"),
    ("py:module", "collections.abc", "library/collections.abc.html#module-collections.abc"),
    ("py:class", "collections.abc.Callable", "library/collections.abc.html#$"),
    ("py:class", "collections.abc.Collection", "library/collections.abc.html#$"),
    ("py:class", "collections.abc.Hashable", "library/collections.abc.html#$"),
    ("py:class", "collections.abc.Iterable", "library/collections.abc.html#$"),
    ("py:class", "collections.abc.Iterator", "library/collections.abc.html#$"),
    ("py:class", "collections.abc.Mapping", "library/collections.abc.html#$"),
    ("py:class", "collections.abc.Sequence", "library/collections.abc.html#$"),
    ("py:class", "collections.abc.Set", "library/collections.abc.html#$"),
    ("py:module", "concurrent.futures", "library/concurrent.futures.html#module-$"),
    ("py:class", "concurrent.futures.ProcessPoolExecutor", "library/concurrent.futures.html#$"),
    ("py:module", "datetime", "library/datetime.html#module-datetime"),
    ("py:class", "datetime.date", "library/datetime.html#$"),
    ("py:class", "datetime.datetime", "library/datetime.html#$"),
    ("py:class", "datetime.timedelta", "library/datetime.html#$"),
    ("py:class", "datetime.timezone", "library/datetime.html#$"),
    ("py:class", "datetime.tzinfo", "library/datetime.html#$"),
    ("py:attribute", "datetime.UTC", "library/datetime.html#$"),
    ("py:attribute", "datetime.timezone.utc", "library/datetime.html#$"),
    ("py:method", "datetime.datetime.fromisoformat", "library/datetime.html#$"),
    ("py:method", "datetime.datetime.isoformat", "library/datetime.html#$"),
    ("py:module", "decimal", "library/decimal.html#module-decimal"),
    ("py:class", "decimal.Context", "library/decimal.html#$"),
    ("py:class", "decimal.Decimal", "library/decimal.html#$"),
    ("py:module", "enum", "library/enum.html#module-enum"),
    ("py:class", "enum.Enum", "library/enum.html#$"),
    ("py:class", "enum.IntEnum", "library/enum.html#$"),
    ("py:class", "enum.StrEnum", "library/enum.html#$"),
    ("py:module", "functools", "library/functools.html#module-functools"),
    ("py:class", "functools.partial", "library/functools.html#$"),
    ("py:module", "json", "library/json.html#module-json"),
    ("py:function", "json.dump", "library/json.html#$"),
    ("py:function", "json.dumps", "library/json.html#$"),
    ("py:function", "json.load", "library/json.html#$"),
    ("py:function", "json.loads", "library/json.html#$"),
    ("py:module", "multiprocessing", "library/multiprocessing.html#module-multiprocessing"),
    ("py:module", "pickle", "library/pickle.html#module-pickle"),
    ("py:function", "pickle.dumps", "library/pickle.html#$"),
    ("py:function", "pickle.loads", "library/pickle.html#$"),
    ("py:module", "types", "library/types.html#module-types"),
    ("py:class", "types.MappingProxyType", "library/types.html#$"),
    ("py:module", "typing", "library/typing.html#module-typing"),
    ("py:data", "typing.Any", "library/typing.html#$"),
    ("py:data", "typing.Final", "library/typing.html#$"),
    ("py:data", "typing.Literal", "library/typing.html#$"),
    ("py:data", "typing.Self", "library/typing.html#$"),
    ("py:data", "typing.Union", "library/typing.html#$"),
    ("py:data", "typing.Optional", "library/typing.html#$"),
    ("py:class", "typing.Generic", "library/typing.html#$"),
    ("py:class", "typing.Protocol", "library/typing.html#$"),
    ("py:class", "typing.TypeVar", "library/typing.html#$"),
    ("py:function", "typing.get_type_hints", "library/typing.html#$"),
    ("py:function", "typing.runtime_checkable", "library/typing.html#$"),
)
_PYTHON: Final = (
    *(("py:class", name, uri) for name, uri in _BUILTIN_CLASSES),
    *(("py:exception", name, f"library/exceptions.html#{name}") for name in _BUILTIN_EXCEPTIONS),
    *_STDLIB,
)
_ATTRS: Final = (
    ("py:module", "attrs", "api.html#module-attrs"),
    ("py:function", "attrs.define", "api.html#$"),
    ("py:function", "attrs.frozen", "api.html#$"),
    ("py:function", "attrs.mutable", "api.html#$"),
    ("py:function", "attrs.field", "api.html#$"),
    ("py:function", "attrs.evolve", "api.html#$"),
    ("py:function", "attrs.asdict", "api.html#$"),
    ("py:function", "attrs.astuple", "api.html#$"),
    ("py:function", "attrs.fields", "api.html#$"),
    ("py:function", "attrs.has", "api.html#$"),
    ("py:function", "attrs.validate", "api.html#$"),
    ("py:class", "attrs.Attribute", "api.html#$"),
    ("py:class", "attrs.Factory", "api.html#$"),
    ("py:data", "attrs.NOTHING", "api.html#$"),
    # to_dict's overload for any attrs instance; Sphinx names it by the module defining it.
    ("py:class", "attrs.AttrsInstance", "api.html#$"),
    ("py:class", "attr.AttrsInstance", "api.html#attrs.AttrsInstance"),
)
_NUMPY_SCALARS: Final = (
    "bool",
    "bool_",
    "datetime64",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "intp",
    "object_",
    "str_",
    "timedelta64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
)
_NUMPY_FUNCTIONS: Final = (
    "array",
    "asarray",
    "clip",
    "maximum",
    "minimum",
    "percentile",
    "quantile",
    "where",
)
_NUMPY: Final = (
    ("py:module", "numpy", "reference/index.html#module-numpy"),
    ("py:class", "numpy.ndarray", "reference/generated/numpy.ndarray.html#$"),
    ("py:class", "numpy.dtype", "reference/generated/numpy.dtype.html#$"),
    *(("py:class", f"numpy.{name}", "reference/arrays.scalars.html#$") for name in _NUMPY_SCALARS),
    *(
        ("py:function", f"numpy.{name}", f"reference/generated/numpy.{name}.html#$")
        for name in _NUMPY_FUNCTIONS
    ),
    ("py:module", "numpy.random", "reference/random/index.html#module-numpy.random"),
    ("py:class", "numpy.random.Generator", "reference/random/generator.html#$"),
    ("py:function", "numpy.random.default_rng", "reference/random/generator.html#$"),
    (
        "py:class",
        "numpy.random.SeedSequence",
        "reference/random/bit_generators/generated/numpy.random.SeedSequence.html#$",
    ),
    ("py:module", "numpy.typing", "reference/typing.html#module-numpy.typing"),
    ("py:data", "numpy.typing.ArrayLike", "reference/typing.html#$"),
    ("py:data", "numpy.typing.NDArray", "reference/typing.html#$"),
)
_HYPOTHESIS_STRATEGIES: Final = (
    "booleans",
    "builds",
    "characters",
    "composite",
    "data",
    "datetimes",
    "decimals",
    "deferred",
    "dictionaries",
    "fixed_dictionaries",
    "floats",
    "from_type",
    "integers",
    "just",
    "lists",
    "none",
    "one_of",
    "permutations",
    "recursive",
    "register_type_strategy",
    "sampled_from",
    "shared",
    "text",
    "timedeltas",
    "timezones",
    "tuples",
)
_HYPOTHESIS: Final = (
    ("py:module", "hypothesis", "reference/api.html"),
    ("py:function", "hypothesis.given", "reference/api.html#$"),
    ("py:function", "hypothesis.assume", "reference/api.html#$"),
    ("py:function", "hypothesis.note", "reference/api.html#$"),
    ("py:function", "hypothesis.seed", "reference/api.html#$"),
    ("py:class", "hypothesis.example", "reference/api.html#$"),
    ("py:class", "hypothesis.settings", "reference/api.html#$"),
    ("py:class", "hypothesis.HealthCheck", "reference/api.html#$"),
    ("py:class", "hypothesis.Phase", "reference/api.html#$"),
    ("py:class", "hypothesis.Verbosity", "reference/api.html#$"),
    ("py:module", "hypothesis.strategies", "reference/strategies.html"),
    *(
        ("py:function", f"hypothesis.strategies.{name}", "reference/strategies.html#$")
        for name in _HYPOTHESIS_STRATEGIES
    ),
    ("py:class", "hypothesis.strategies.DataObject", "reference/strategies.html#$"),
    ("py:class", "hypothesis.strategies.DrawFn", "reference/strategies.html#$"),
    ("py:class", "hypothesis.strategies.SearchStrategy", "reference/strategies.html#$"),
    ("py:module", "hypothesis.errors", "reference/api.html#hypothesis-exceptions"),
    ("py:exception", "hypothesis.errors.HypothesisException", "reference/api.html#$"),
    ("py:exception", "hypothesis.errors.InvalidArgument", "reference/api.html#$"),
    ("py:exception", "hypothesis.errors.Unsatisfiable", "reference/api.html#$"),
)

INVENTORIES: Final = {
    "python": (_PY, _PYTHON),
    "attrs": ("https://www.attrs.org/en/stable/", _ATTRS),
    "numpy": ("https://numpy.org/doc/stable/", _NUMPY),
    "hypothesis": ("https://hypothesis.readthedocs.io/en/latest/", _HYPOTHESIS),
}
"""Project name -> (documentation URL, entries): what the intersphinx mapping holds."""


def inventory_bytes(project: str, entries: tuple[tuple[str, str, str], ...]) -> bytes:
    """Return an ``objects.inv`` (version 2) holding ``entries``."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        "# Version: \n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} -\n" for role, name, uri in sorted(set(entries)))
    return header.encode() + zlib.compress(body.encode(), 9)


def _write(app: Sphinx, config: Config) -> None:
    if "sphinx.ext.intersphinx" not in app.extensions:
        return
    folder = Path(app.doctreedir) / "casphinx-inventories"
    folder.mkdir(parents=True, exist_ok=True)
    mapping: dict[str, tuple[str, str]] = {}
    for project, (url, entries) in INVENTORIES.items():
        path = folder / f"{project}.inv"
        data = inventory_bytes(project, entries)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        mapping[project] = (url, str(path))
    config.intersphinx_mapping = mapping


def setup(app: Sphinx) -> None:
    """Write the inventories and point intersphinx at them.

    Runs on ``config-inited`` before intersphinx checks its mapping (priority 800).
    """
    app.connect("config-inited", _write, priority=400)
