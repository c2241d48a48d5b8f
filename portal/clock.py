"""The portal's clock. Tests move it with time-machine; a second process reads PORTAL_FAKE_NOW in testing."""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    fake = os.environ.get("PORTAL_FAKE_NOW")
    if fake and os.environ.get("PORTAL_TESTING") == "1":
        return dt.datetime.fromisoformat(fake)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    return now().date()
