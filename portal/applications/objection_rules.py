"""The rules of an objection against a decision of the SWV, as pure functions of dates and plain values.

Who may object, when an objection is late, when the national objection committee (LBT) must be asked and by
when, the term to decide on the objection, and which outcomes the SWV may choose. Nothing here touches the
database; ``objections.py`` loads the facts and stores the steps. Every date is an Europe/Amsterdam calendar day.
Sources: ``docs/route-sources.md`` (Awb 6:7, 6:8, 6:11, 7:10, 7:13; Algemene termijnenwet; the LBT).
"""

from __future__ import annotations

import datetime as dt

OBJECTION_WEEKS = 6  # Awb 6:7
COMMITTEE_REQUEST_DAYS = 14  # the SWV asks the LBT's advice within two weeks of receiving the objection
DECISION_WEEKS = 6  # Awb 7:10 lid 1
DECISION_WEEKS_COMMITTEE = 12  # Awb 7:10 lid 1, with an advisory committee (Awb 7:13) such as the LBT
EXTENSION_WEEKS = 6  # Awb 7:10 lid 3: the SWV may postpone once by six weeks

# Who filed the objection (Objection.filed_by).
PARENT, STUDENT, BOARD = "parent", "student", "board"

# The SWV's decision on the objection; "gegrond" is granted in full.
UPHELD, PARTLY_UPHELD, UNFOUNDED, INADMISSIBLE = "gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"
OUTCOMES = (UPHELD, PARTLY_UPHELD, UNFOUNDED, INADMISSIBLE)
UPHOLDING = frozenset({UPHELD, PARTLY_UPHELD})  # the decision is reconsidered: decided again (Awb 7:11)


# --- who may object -----------------------------------------------------------------------------------------

def filer_reasons(filed_by: str, *, student_of_age: bool, guardian_has_gezag: bool | None) -> list[str]:
    """Why this person may not object on the student's behalf (empty: they may). The school board may always."""
    if filed_by == BOARD:
        return []
    if filed_by == STUDENT:
        return [] if student_of_age else ["De leerling was op de dag van het besluit jonger dan 18 jaar: de ouders "
                                          "met gezag maken bezwaar."]
    if filed_by == PARENT:
        if student_of_age:
            return ["De leerling was op de dag van het besluit 18 jaar of ouder en maakt zelf bezwaar."]
        if guardian_has_gezag is None:
            return ["Kies de ouder of verzorger die bezwaar maakt."]
        if not guardian_has_gezag:
            return ["Alleen een ouder of verzorger met gezag maakt bezwaar namens de leerling."]
        return []
    return ["Kies wie bezwaar maakt."]


# --- terms --------------------------------------------------------------------------------------------------

def _easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def public_holidays(year: int) -> frozenset[dt.date]:
    """The generally recognised holidays of the Algemene termijnenwet art. 3."""
    easter = _easter(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it is celebrated the day before
        kings_day = dt.date(year, 4, 26)
    return frozenset({dt.date(year, 1, 1), easter + dt.timedelta(days=1), easter + dt.timedelta(days=39),
                      easter + dt.timedelta(days=50), kings_day, dt.date(year, 5, 5), dt.date(year, 12, 25),
                      dt.date(year, 12, 26)})


def working_day_from(day: dt.date) -> dt.date:
    """A statutory term that ends on a Saturday, Sunday or holiday runs to the next other day (Atw art. 1)."""
    while day.weekday() >= 5 or day in public_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def objection_deadline(sent_on: dt.date) -> dt.date:
    """The last day to object: six weeks from the day after the decision was sent (Awb 6:7, 6:8; Atw art. 1)."""
    return working_day_from(sent_on + dt.timedelta(weeks=OBJECTION_WEEKS))


def is_late(sent_on: dt.date, received_on: dt.date) -> bool:
    return received_on > objection_deadline(sent_on)


def committee_request_due(received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(days=COMMITTEE_REQUEST_DAYS)


def decision_due(sent_on: dt.date, received_on: dt.date, *, committee: bool, extended: bool = False) -> dt.date:
    """The SWV's term to decide on the objection (Awb 7:10): six weeks, twelve with the LBT, six more when
    postponed, from the day after the objection term ended; a late objection's term runs from its receipt."""
    start = max(objection_deadline(sent_on), received_on)
    weeks = (DECISION_WEEKS_COMMITTEE if committee else DECISION_WEEKS) + (EXTENSION_WEEKS if extended else 0)
    return working_day_from(start + dt.timedelta(weeks=weeks))


# --- the decision on the objection ----------------------------------------------------------------------------

def outcome_reasons(outcome: str, *, committee: bool, advice_recorded: bool, late: bool,
                    excusable: bool | None) -> list[str]:
    """Every reason the SWV cannot decide the objection this way now (empty: it can)."""
    if outcome not in OUTCOMES:
        return ["Kies de uitkomst van de beslissing op het bezwaar."]
    reasons = []
    if late and excusable is None:
        reasons.append("Het bezwaar kwam na de termijn van zes weken binnen: beoordeel eerst of de termijn "
                       "verschoonbaar is overschreden (artikel 6:11 Awb).")
    if late and excusable is False and outcome != INADMISSIBLE:
        reasons.append("Het bezwaar kwam te laat en dat is niet verschoonbaar: het is niet-ontvankelijk.")
    if committee and outcome != UPHELD and not advice_recorded:
        reasons.append("Leg eerst het advies van de Landelijke Bezwaaradviescommissie Toelaatbaarheid vast; zonder "
                       "dat advies verklaart het samenwerkingsverband een bezwaar alleen volledig gegrond.")
    return reasons
