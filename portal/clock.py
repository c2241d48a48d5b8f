"""The portal's clock and its one way of showing a time. Tests move it with time-machine; a second process
reads PORTAL_FAKE_NOW in testing.

Two kinds of moments are stored: timestamps (``created_at``, ``at``, ...) are naive UTC; the times people
agree on (``Meeting.starts_at``) are naive Europe/Amsterdam wall-clock times. Every page, PDF, mail and .ics
text shows a time through ``show`` (the Jinja filter ``when``), always in Europe/Amsterdam.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

TZ_NAME = "Europe/Amsterdam"
TZ = ZoneInfo(TZ_NAME)

UTC_STORED = "utc"  # a naive value is a UTC timestamp
LOCAL_STORED = "local"  # a naive value is already Amsterdam wall-clock time (meeting times)

FORMATS = {
    "datetime": "%d-%m-%Y %H:%M",
    "date": "%d-%m-%Y",
    "time": "%H:%M",
    "day": "%d-%m",  # a short reference within the year ("het verslag van 15-12")
}


def utc_now() -> dt.datetime:
    """Now as a naive UTC timestamp: for storing and for comparing with stored timestamps, never for a date.

    Its ``.date()`` is not a person's date (between midnight and 01:00/02:00 it is yesterday's): use ``today()`` or
    ``local_date()``; tests/test_conventions.py refuses ``.date()`` of a timestamp outside this module.
    """
    fake = os.environ.get("PORTAL_FAKE_NOW")
    if fake and os.environ.get("PORTAL_TESTING") == "1":
        return dt.datetime.fromisoformat(fake)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in Europe/Amsterdam: the one "today" for every deadline, term, bound, age, default and letter."""
    return local(utc_now()).date()


def local_date(timestamp: dt.datetime | None) -> dt.date | None:
    """The Europe/Amsterdam date of a stored (naive UTC) timestamp, e.g. the day an application was submitted."""
    return local(timestamp).date() if timestamp is not None else None


def local(moment: dt.datetime, stored: str = UTC_STORED) -> dt.datetime:
    """The moment as an aware Europe/Amsterdam datetime (naive input: UTC, or local when ``stored="local"``)."""
    if moment.tzinfo is None:
        if stored == LOCAL_STORED:
            return moment.replace(tzinfo=TZ)
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(TZ)
    except OverflowError:  # at the edge of the calendar (year 1 or 9999) an hour's shift does not fit: show as is
        return moment.replace(tzinfo=TZ)


def local_now() -> dt.datetime:
    """Now in Europe/Amsterdam, naive: comparable with meeting times."""
    return local(utc_now()).replace(tzinfo=None)


def to_utc(local_moment: dt.datetime) -> dt.datetime:
    """A naive Amsterdam wall-clock time as a naive UTC timestamp (an absurd stored date saturates)."""
    try:
        return local_moment.replace(tzinfo=TZ).astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        return dt.datetime.max if local_moment.year > 1 else dt.datetime.min


def show(value, style: str = "datetime", stored: str = UTC_STORED) -> str:
    """A date or time as people in the Netherlands read it: ``15-12-2026 14:30`` in Europe/Amsterdam.

    ``style`` is one of FORMATS or a strftime pattern; a plain date is shown as it is (dates have no zone).
    """
    if value is None or value == "":
        return ""
    pattern = FORMATS.get(style, style)
    if isinstance(value, dt.datetime):
        value = local(value, stored)
    elif not isinstance(value, dt.date):
        return str(value)
    return value.strftime(pattern)


def iso(value: dt.datetime, stored: str = UTC_STORED) -> str:
    """For ``<time datetime=...>``: the local time with its offset."""
    return local(value, stored).isoformat(timespec="minutes") if value else ""
