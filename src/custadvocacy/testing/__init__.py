"""Tools for other projects' test suites: Hypothesis strategies for the domain.

:mod:`custadvocacy.testing.strategies` draws valid, consistent customers, orders,
incidents, contexts and whole portfolios. It needs Hypothesis, which the core library
does not: install ``custadvocacy[testing]``. Importing :mod:`custadvocacy` itself never
imports Hypothesis.

Example:
    >>> from custadvocacy.testing import strategies
    >>> strategies.portfolios(max_size=2)
    portfolios(max_size=2)

.. versionadded:: 0.1.0
"""

try:
    import hypothesis  # noqa: F401 - only checks that the testing extra is installed
except ImportError as exc:  # pragma: no cover - tested in a subprocess without hypothesis
    raise ImportError(
        "custadvocacy.testing needs Hypothesis, which is not installed; "
        'install it with: pip install "custadvocacy[testing]"'
    ) from exc

__all__: list[str] = []
