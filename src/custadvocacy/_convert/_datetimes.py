"""from_dict's reading of a date-time, and the reason it gives for refusing one."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timezone
from typing import Any, Final

from custadvocacy._convert._parsers import _fail

_MAX_DATETIME_LENGTH: Final = 64

_DATETIME: Final = "an ISO 8601 datetime with a UTC offset, e.g. '2026-11-23T09:00:00+01:00'"


def _parse_datetime(value: Any) -> datetime:
    """An ISO 8601 string with a UTC offset, or an aware datetime (a database driver's).

    A refusal of something that looks like a date-time says why, so a value that looks
    right is never refused without a reason: naive, a date without a time, too long, a
    day that does not exist...
    """
    if not isinstance(value, str):
        return _datetime_object(value)
    if len(value) > _MAX_DATETIME_LENGTH:
        raise _fail(value, _DATETIME + _why_not_iso(value))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(value, _DATETIME + _why_not_iso(value)) from None
    if parsed.tzinfo is None:
        raise _fail(value, _DATETIME + " (this one has no offset)")
    return parsed


def _datetime_object(value: object) -> datetime:
    """An aware datetime as its ISO text would be read; anything else not a string refused.

    A zone's datetimes subtract on the wall clock (an hour off across a DST change) and a
    host's subclass (a pandas Timestamp) carries more than a datetime: each is read as a
    plain datetime at its fixed UTC offset, what ``datetime.fromisoformat`` gives for its
    text and what the batch path keeps.
    """
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            raise _fail(
                value,
                "an aware datetime or an ISO 8601 string with a UTC offset "
                "(this datetime is naive: it needs a tzinfo, e.g. datetime.timezone.utc)",
            )
        zone = UTC if not offset else timezone(offset)
        return datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second,
            value.microsecond, tzinfo=zone,
        )  # fmt: skip
    if isinstance(value, date):
        raise _fail(value, _DATETIME + " (a date has no time of day and no offset)")
    raise _fail(value, _DATETIME)


# The parts of a date-time that datetime.fromisoformat reads, to say which one is wrong.
_ISO_PARTS: Final = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d)(?::?(\d\d)(?::?(\d\d))?)?)?")
_ISO_OFFSET: Final = re.compile(r"[+-](\d\d):?\d\d(?::?\d\d(?:\.\d+)?)?$")


def _why_not_iso(text: str) -> str:
    """Why ``text`` is not a date-time, as `` (...)``, when it begins like one; else ``""``.

    Text that does not look like a date-time at all needs no reason: the example in
    the message shows the form.
    """
    match = _ISO_PARTS.match(text.strip())
    if match is None:
        return ""
    if len(text) > _MAX_DATETIME_LENGTH:
        return f" (at most {_MAX_DATETIME_LENGTH} characters)"
    if text != text.strip():
        return " (it has spaces before or after it)"
    if missing := _missing_part(match):
        return f" ({missing})"
    offset = _ISO_OFFSET.search(text)
    if offset is not None and int(offset[1]) >= 24:
        return " (a UTC offset must be less than 24 hours)"
    return " (not in ISO 8601 form)"


def _missing_part(match: re.Match[str]) -> str:
    """The part of a date-time (year, month... second) that does not exist, or ``""``."""
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    if year == 0:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {month:02}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"there is no day {day:02} in {year:04}-{month:02}"
    for part, number, last in (("hour", hour, 23), ("minute", minute, 59), ("second", second, 59)):
        if number > last:
            return f"there is no {part} {number:02}: they go from 00 to {last}"
    return ""
