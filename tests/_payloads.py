"""What the conversion tests share: a payload's whole error, a zone that gives no offset.

Not a test module (no ``test_`` prefix); the test files import it as ``_payloads``.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, tzinfo
from typing import Any

import pytest

from custadvocacy import ValidationError, from_dict

__all__ = ["NoOffset", "from_dict_error"]


def from_dict_error(cls: type, data: Any) -> str:
    """The full message of the error ``from_dict`` raises; ``data`` comes through unchanged."""
    before = copy.deepcopy(data)
    with pytest.raises(ValidationError) as info:
        from_dict(cls, data)
    assert data == before
    return str(info.value)


class NoOffset(tzinfo):
    """A time zone that gives no offset: a datetime in it is naive all the same."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:  # noqa: ARG002 - the API
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:  # noqa: ARG002 - the API
        return None

    def tzname(self, dt: datetime | None) -> str | None:  # noqa: ARG002 - the API
        return None
