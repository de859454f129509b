"""What a plug-in must be: the checks every entry point taking one shares.

A plug-in is any object with the right method (nothing to inherit). Passing the class
where an instance belongs (``scorer=AdvocacyScorer``) is a usual slip, and a check for
the method alone lets it through: a class has its instances' methods, as plain functions,
and the first call fails far from the slip on a missing argument.
"""

from __future__ import annotations

import inspect

from custadvocacy._errors import short_repr


def class_given(subject: str, value: object, method: str) -> str:
    """Why the class ``value`` cannot serve: its ``method`` needs an instance; else ``""``.

    ``subject`` is the plug-in's role (``"scorer"``) or ``"it"``. A class whose ``method``
    is a static or class method (or comes from its metaclass) is usable as it is, and so
    is not refused; a protocol or an abstract class cannot be instantiated, and is told so.

    Example:
        >>> from custadvocacy import AdvocacyScorer, Scorer
        >>> class_given("scorer", AdvocacyScorer, "score")
        'scorer is the class AdvocacyScorer, not an instance of it: pass AdvocacyScorer()'
        >>> class_given("scorer", Scorer, "score")
        'scorer is the protocol Scorer, not a plug-in: pass an instance of a class that implements it'
        >>> class_given("scorer", AdvocacyScorer(), "score")
        ''
    """
    if not isinstance(value, type):
        return ""
    for klass in value.__mro__:
        if method in vars(klass):
            if not inspect.isfunction(vars(klass)[method]):
                return ""  # a static or class method, a callable object: usable on the class
            break
    else:
        return ""  # its metaclass's method (bound to the class), or none at all
    name = value.__name__
    if getattr(value, "_is_protocol", False) or inspect.isabstract(value):
        kind = "protocol" if getattr(value, "_is_protocol", False) else "abstract class"
        return (
            f"{subject} is the {kind} {name}, not a plug-in: pass an instance of a class "
            "that implements it"
        )
    return f"{subject} is the class {name}, not an instance of it: pass {name}()"


def method_problems(role: str, plugin: object, method: str) -> list[str]:
    """Why ``plugin`` cannot serve as ``role``: it is a class, or lacks ``method``.

    Example:
        >>> method_problems("scorer", object(), "score")
        ['scorer <object object at ...> has no score(...) method']
        >>> from custadvocacy import AdvocacyScorer
        >>> method_problems("scorer", AdvocacyScorer(), "score")
        []
    """
    if given_class := class_given(role, plugin, method):
        return [given_class]
    if not callable(getattr(plugin, method, None)):
        return [f"{role} {short_repr(plugin)} has no {method}(...) method"]
    return []
