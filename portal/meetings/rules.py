"""Rules about a meeting's time that both its forms and its services apply (one home, no import cycle)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from portal import bounds, clock


def record_refusal(day: dt.date, start: dt.time | None = None) -> str | None:
    """Why a meeting held on ``day`` (at ``start``) cannot be recorded afterwards (Dutch), or None: it lies in the
    past, and at most ``bounds.MEETING_RECORD_WEEKS_BACK`` weeks back (an older conversation is a dossier note)."""
    now, today = clock.local_now(), clock.today()
    weeks = bounds.MEETING_RECORD_WEEKS_BACK
    if day < today - dt.timedelta(weeks=weeks):
        return _("Een gehouden overleg leg je hooguit %(weeks)s weken achteraf vast. Leg een ouder gesprek vast als "
                 "aantekening in het dossier.", weeks=weeks)
    if day > today or (start is not None and dt.datetime.combine(day, start) > now):
        return _("Dit overleg is al gehouden: kies een datum en tijdstip die niet in de toekomst liggen.")
    return None
