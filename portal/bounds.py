"""Bounded input: the windows every date and duration the portal accepts must fall in, the WTForms validators
that check them with a Dutch message beside the field, and guards for reading values already stored.

Use it in every form that takes a date or a duration::

    from portal import bounds

    evaluation_date = DutchDateField(_l("Evaluatiedatum"), validators=[Optional(), bounds.DateWithin(bounds.PLANNING)])
    duration = IntegerField(_l("Duur (minuten)"), validators=[bounds.Minutes(bounds.MEETING_MINUTES)])

A window is relative to today (``clock.today()``) and always lies within ``HARD_MIN`` .. ``HARD_MAX``, so no
stored date is ever so far out that date arithmetic (a reminder seven days before 9999-12-31) overflows.
An edit form may resubmit a value it loaded that now lies outside its window (an evaluation date that became
old): ``keep_stored(form, values)`` tells the validators which values were stored, and an unchanged stored
value passes as long as it lies within the hard limits.

Code that reads stored dates (the scheduler, pages) uses ``is_sane``/``safe_date`` or ``add_days``, which
raises ``OutOfRange`` with a Dutch message instead of an OverflowError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, TimeField
from wtforms.validators import StopValidation

from portal import clock

HARD_MIN = dt.date(1900, 1, 1)
HARD_MAX = dt.date(2100, 12, 31)

@dataclass(frozen=True)
class Window:
    """Dates from ``past_years`` before today up to ``future_years`` after today (None: up to the hard limit)."""

    past_years: int | None
    future_years: int | None

    def limits(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or clock.today()
        low = HARD_MIN if self.past_years is None else max(HARD_MIN, shift_years(today, -self.past_years))
        high = HARD_MAX if self.future_years is None else min(HARD_MAX, shift_years(today, self.future_years))
        return low, high


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February becomes the 28th in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# Something planned: an evaluation date, an action's due date, a next evaluation. A year back at most (a late
# entry of what was planned), two years ahead at most (a route plan looks one or two school years ahead).
PLANNING = Window(past_years=1, future_years=2)
# Something that happened: consent given, a form signed. Within a pupil's school career, never in the future.
RECORDED = Window(past_years=20, future_years=0)
# Enrolment: within a school career back, at most a year ahead (a pupil enrolled for next school year).
ENROLMENT = Window(past_years=20, future_years=1)
# How long something stays valid (consent valid until): up to ten years ahead.
VALIDITY = Window(past_years=20, future_years=10)
# A decision of the SWV: its period starts at most a year back and ends at most ten years ahead.
DECISION = Window(past_years=1, future_years=10)
# A birth date: the age check of the student form narrows it further.
BIRTH = Window(past_years=40, future_years=0)

# A meeting is planned (and its actions are due) at most about two years ahead, and a held one is corrected at
# most about two years back; it lasts from a quarter of an hour to a working day.
MEETING_DAYS_AHEAD = 730
MEETING_DAYS_BACK = 730
MEETING_RECORD_WEEKS_BACK = 8  # a meeting held but not planned in the portal is recorded afterwards within this
MEETING_MINUTES = (15, 8 * 60)


class OutOfRange(ValueError):
    """A stored date outside the hard limits; ``str()`` is a Dutch message for the administrator."""


def fmt(day: dt.date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def is_sane(value) -> bool:
    """True for a date (or datetime) within the hard limits."""
    day = _as_date(value)
    return day is not None and HARD_MIN <= day <= HARD_MAX


def safe_date(value):
    """The stored value when it is a sane date, else None (a page shows nothing rather than failing)."""
    return value if is_sane(value) else None


def check_stored(value, what: str | None = None):
    """The stored value, or OutOfRange with a Dutch message naming it."""
    if is_sane(value):
        return value
    shown = fmt(value) if _as_date(value) else repr(value)
    suffix = f" ({what})" if what else ""
    raise OutOfRange(_("De datum %(date)s%(what)s ligt buiten het bereik dat het portaal aankan "
                       "(%(low)s tot en met %(high)s). Pas de datum aan.",
                       date=shown, what=suffix, low=fmt(HARD_MIN), high=fmt(HARD_MAX)))


def add_days(day: dt.date, days: int) -> dt.date:
    """``day + days`` for a stored date; OutOfRange (Dutch) instead of an OverflowError far out."""
    check_stored(day)
    try:
        return day + dt.timedelta(days=days)
    except OverflowError as exc:  # pragma: no cover (the hard limits keep it far from date.max)
        raise OutOfRange(_("Met de datum %(date)s kan niet worden gerekend.", date=fmt(day))) from exc


def keep_stored(form, values: dict) -> None:
    """Tell the bounded validators of ``form`` which values were stored before this edit."""
    for name, value in values.items():
        if name in form:
            form[name].object_data = value


class DutchDateField(DateField):
    """A date field whose parse error is Dutch (years beyond 9999 or garbage never reach a validator)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Vul een geldige datum in (dag-maand-jaar).")) from exc


class WholeNumberField(IntegerField):
    """A whole number, or empty; anything else gets a Dutch message next to the field."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = int(str(valuelist[0]).strip())
            except ValueError:
                raise ValueError(_l("Vul een heel getal in.")) from None

    def pre_validate(self, form):
        if self.process_errors:  # not a number: that one message, not also the range's
            raise StopValidation()


class DutchTimeField(TimeField):
    """A time field whose parse error is Dutch."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Vul een geldige tijd in (uu:mm).")) from exc


class DateWithin:
    """WTForms validator: the date lies in ``window`` (relative to today), with a Dutch message.

    An unchanged stored value (``field.object_data``, see ``keep_stored``) passes when within the hard limits.
    """

    def __init__(self, window: Window, too_early=None, too_late=None):
        self.window = window
        self.too_early = too_early
        self.too_late = too_late

    def __call__(self, form, field):
        day = _as_date(field.data)
        if day is None:
            return
        if day == _as_date(field.object_data) and is_sane(day):
            return
        low, high = self.window.limits()
        if day < low:
            message = self.too_early or _l("Deze datum ligt te ver in het verleden: kies een datum vanaf %(low)s.")
            raise StopValidation(str(message) % {"low": fmt(low), "high": fmt(high)})
        if day > high:
            message = self.too_late or _l("Deze datum ligt te ver in de toekomst: kies een datum tot en met "
                                          "%(high)s.")
            raise StopValidation(str(message) % {"low": fmt(low), "high": fmt(high)})
