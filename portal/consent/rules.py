"""Who may consent and what a recorded consent covers: the rule the policy, the meeting pages, share links,
applications and the OPP ask (the consent services record and withdraw; this module only reads).

A consent matches a purpose and a recipient exactly (case and surrounding spaces aside). The purpose
``overleg`` covers every kind of meeting. Withdrawal takes effect at once: every check reads the database.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from portal import clock
from portal.consent.models import Consent
from portal.students import deciders
from portal.students.models import Guardian, Student

ANY_MEETING = "overleg"  # purpose that covers every meeting about the student
SHARE = "delen"  # share the student's data with a named organisation or person (covers their meetings too)
OPP_HANDELINGSDEEL = "opp.handelingsdeel"  # instemming with the OPP's handelingsdeel (WPO 40a / WVO 2020 8.11)
# Purposes that are decisions under education law (the parents with gezag until 18), not consent to share data
# (the student from 16): see portal.students.deciders.
EDUCATION_LAW_PURPOSES = frozenset({OPP_HANDELINGSDEEL})


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def giver_of(consent: Consent):
    """The guardian who gave it (None: the student); a deleted guardian's record reads as a guardian without
    gezag, so their consent no longer counts."""
    if consent.given_by == "student":
        return None
    guardian = consent.guardian if consent.guardian_id else None
    return guardian or Guardian(name="", has_authority=False)


def rule_of(purpose: str | None) -> str:
    """Which age rule decides who gives this purpose's consent (portal.students.deciders)."""
    return deciders.EDUCATION if _norm(purpose) in {_norm(p) for p in EDUCATION_LAW_PURPOSES} else deciders.DATA


def counts(consent: Consent, student, on: dt.date) -> list[str]:
    """Why this recorded consent does not count on this day (empty: it counts).

    Consent to share data: the giver is judged on ``on``, not on the day it was given: from the 16th birthday the
    student decides alone, so a parent's earlier consent stops counting then (AVG art. 8, UAVG art. 5).
    A decision under education law (the OPP's instemming): the giver's age is judged on the day it was given, a
    parent's instemming given while the student was a minor stays until it is withdrawn or the handelingsdeel
    changes. Either way a parent who no longer has gezag no longer counts."""
    if consent.withdrawn_at is not None:
        return [str(_l("De toestemming is ingetrokken."))]
    rule = rule_of(consent.purpose)
    day = consent.given_on if rule == deciders.EDUCATION else on
    return deciders.refusals(student, giver_of(consent), rule, day)


def is_valid(consent: Consent, purposes_: tuple[str, ...], recipient: str | None, on: dt.date,
             student=None) -> bool:
    """Does this consent cover one of these purposes for this recipient (None: any recipient) on this day, given
    by someone who may consent for the student on that day?"""
    if not (consent.withdrawn_at is None and consent.given_on <= on
            and (consent.valid_until is None or consent.valid_until >= on)
            and _norm(consent.purpose) in {_norm(p) for p in purposes_}
            and (recipient is None or _norm(consent.recipient) == _norm(recipient))):
        return False
    return not counts(consent, student if student is not None else consent.student, on)


def status_of(consent: Consent, student, today: dt.date) -> str:
    """The register's status of one consent (Dutch)."""
    if consent.withdrawn_at is not None:
        return str(_l("ingetrokken"))
    if consent.valid_until is not None and consent.valid_until < today:
        return str(_l("verlopen"))
    giver = giver_of(consent)
    if rule_of(consent.purpose) == deciders.EDUCATION:
        if giver is None and not deciders.decides_under_education_law(student, consent.given_on):
            return str(_l("telt niet: leerling was nog geen 18"))
    elif giver is not None and deciders.decides_own_data(student, today):
        return str(_l("telt niet meer: leerling is 16"))
    if giver is not None and not giver.has_authority:
        return str(_l("telt niet: ouder zonder gezag"))
    return str(_l("geldig"))


def of_student(student) -> list[Consent]:
    """All consents of a student, newest first (guardians joined)."""
    return list(Consent.select(Consent, Guardian)
                .join(Guardian, on=(Consent.guardian == Guardian.id), join_type="LEFT OUTER JOIN",
                      attr="guardian")
                .where(Consent.student == getattr(student, "id", student))
                .order_by(Consent.given_on.desc(), Consent.id.desc()))


def _student_of(student):
    return student if isinstance(student, Student) else Student.get_by_id(student)


def valid_consent(student, purpose: str | tuple[str, ...], recipient: str | list[str] | None,
                  on: dt.date | None = None, consents: list[Consent] | None = None):
    """The consent that allows sharing this student's data for ``purpose`` with ``recipient`` (one name, a list of
    names of which one must match, or None for any recipient), or None. A general consent to share with a
    recipient (SHARE) covers every purpose for that recipient. ``consents``: ``of_student`` when read already."""
    wanted = ((purpose,) if isinstance(purpose, str) else tuple(purpose))
    day = on or clock.today()
    pupil = _student_of(student)
    names = recipient if isinstance(recipient, (list, tuple)) else [recipient]
    for consent in of_student(pupil) if consents is None else consents:
        for name in names:
            covers = wanted if name is None else (*wanted, SHARE)
            if is_valid(consent, covers, name, day, pupil):
                return consent
    return None


def withdrawn_consent(student, purpose: str | tuple[str, ...], consents: list[Consent] | None = None):
    """The latest withdrawn consent for this purpose (any recipient), or None: what an application waiting on
    its consent shows when no valid one remains."""
    wanted = {_norm(p) for p in ((purpose,) if isinstance(purpose, str) else purpose)}
    return next((c for c in (of_student(student) if consents is None else consents)
                 if c.withdrawn_at is not None and _norm(c.purpose) in wanted), None)


def giver_reasons(student, guardian: Guardian | None, on: dt.date | None = None,
                  purpose: str | None = None) -> list[str]:
    """Why this giver cannot consent for this student on this day for this purpose (empty: they can). The one
    rule of who may consent, shared by the register, the OPP and the applications' consent checks.

    ``guardian`` None means the student. Consent to share data: from the 16th birthday the student decides alone
    (a parent's consent no longer counts), before it only a parent or guardian with gezag. The OPP's handelingsdeel
    (``EDUCATION_LAW_PURPOSES``): the parents with gezag until 18, then the student (portal.students.deciders)."""
    return deciders.refusals(student, guardian, rule_of(purpose), on)
