"""Consent to share a student's data: recording, withdrawal and the check other modules ask.

A consent matches a purpose and a recipient exactly (case and surrounding spaces aside). The purpose
``overleg`` covers every kind of meeting. Withdrawal takes effect at once: every check reads the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock, policy
from portal.audit import services as audit
from portal.consent.models import Consent
from portal.db import database, utcnow
from portal.dossier import services as dossier
from portal.students import deciders
from portal.students.models import Guardian

ANY_MEETING = "overleg"  # purpose that covers every meeting about the student
SHARE = "delen"  # share the student's data with a named organisation or person (covers their meetings too)
OPP_HANDELINGSDEEL = "opp.handelingsdeel"  # instemming with the OPP's handelingsdeel (WPO 40a / WVO 2020 8.11)
MIN_AGE_OWN_CONSENT = deciders.DATA_SUBJECT_AGE
# Purposes that are decisions under education law (the parents with gezag until 18), not consent to share data
# (the student from 16): see portal.students.deciders.
EDUCATION_LAW_PURPOSES = frozenset({OPP_HANDELINGSDEEL})

# The groups of the form's purpose list, in their order (labels of each group's heading).
GROUPS = {"share": _l("Delen met een organisatie of persoon"), "meeting": _l("Overleg"),
          "application": _l("Aanvragen"), "opp": _l("Ontwikkelingsperspectiefplan (OPP)")}


@dataclass(frozen=True)
class Purpose:
    key: str
    label: str
    group: str  # a GROUPS key
    default_recipient: str = ""  # used when the form names no recipient (an application: the SWV)


def _swv_name() -> str:
    from portal.applications import services as applications

    return applications.settings().name.strip() or str(_l("Het samenwerkingsverband"))


def _school_name(student) -> str:
    from portal.schools.models import School

    school = School.get_or_none(School.id == student.school_id) if student is not None else None
    return school.name if school else str(_l("De school"))


def purpose_list(student=None) -> list[Purpose]:
    """Every purpose the form offers for this student: sharing with a named recipient, meetings in general and
    the meeting types of the student's route, the application types available to the student (purpose = the
    type's key, recipient by default the SWV) and the OPP's handelingsdeel. Without a student: everything
    registered (for labels)."""
    registry = current_app.extensions["registry"]
    from portal.applications import services as applications

    meeting_keys = list(registry.meeting_types)
    application_types = list(applications.types().values())
    if student is not None:
        from portal.route import services as route_services

        route = route_services.route_of_student(student)
        meeting_keys = [k for k in route.meeting_type_keys() if k in registry.meeting_types] if route else []
        application_types = applications.available_types(student)
    offered = [Purpose(SHARE, str(_l("Gegevens delen met een organisatie of persoon")), "share"),
               Purpose(ANY_MEETING, str(_l("Overleg over de leerling (alle soorten)")), "meeting")]
    seen = set()
    for key in meeting_keys:
        label = str(registry.meeting_types[key].label)
        if label.casefold() not in seen:
            seen.add(label.casefold())
            offered.append(Purpose(key, label, "meeting"))
    swv = _swv_name() if application_types else ""
    offered += [Purpose(kind.key, _("Aanvraag: %(label)s", label=kind.label), "application", swv)
                for kind in application_types]
    offered.append(Purpose(OPP_HANDELINGSDEEL, str(_l("Instemming met het handelingsdeel van het OPP")), "opp",
                           _school_name(student)))
    return offered


def purposes(student=None) -> list[tuple[str, str]]:
    """(key, label) of the purposes offered for this student (see purpose_list)."""
    return [(p.key, p.label) for p in purpose_list(student)]


def grouped_purposes(student) -> dict[str, list[tuple[str, str]]]:
    """The purposes by group heading, for the form's select (optgroups)."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for p in purpose_list(student):
        grouped.setdefault(str(GROUPS[p.group]), []).append((p.key, p.label))
    return grouped


def purpose_labels() -> dict[str, str]:
    """Every known purpose's label; a purpose no longer registered (a disabled plugin) has a neutral one."""
    return {p.key: p.label for p in purpose_list(None)}


def purpose_label(key: str) -> str:
    return purpose_labels().get(key) or str(_l("Ander doel (niet meer beschikbaar)"))


def recipients(student) -> list[tuple[str, str]]:
    """Who a consent can name: the outside organisations of the student's meetings (named exactly as the meetings
    name them) and the guardians without gezag (who need the consent of one with gezag)."""
    from portal.sharing import services as sharing

    found = sharing.outside_recipients(student)
    known = {r.casefold() for r, _label in found}
    for guardian in Guardian.select().where((Guardian.student == student.id) & ~Guardian.has_authority):
        if guardian.name.casefold() not in known:
            found.append((guardian.name, _("%(name)s (ouder/verzorger zonder gezag)", name=guardian.name)))
    return found


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
    from portal.students.models import Student

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


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register: the consent with what the page shows of it (labels, never a key)."""

    consent: Consent
    group: str  # the purpose's group heading
    purpose: str
    giver: str
    status: str
    valid: bool


def register(student, today: dt.date) -> list[RegisterRow]:
    """The student's consents as the register shows them, newest first."""
    known = {p.key: p for p in purpose_list(None)}
    rows = []
    for consent in of_student(student):
        purpose = known.get(consent.purpose)
        giver = giver_of(consent)
        rows.append(RegisterRow(
            consent=consent, group=str(GROUPS[purpose.group]) if purpose else str(_l("Overig")),
            purpose=purpose.label if purpose else purpose_label(consent.purpose),
            giver=str(_l("de leerling")) if giver is None else (giver.name or str(_l("ouder/verzorger"))),
            status=status_of(consent, student, today),
            valid=is_valid(consent, (consent.purpose,), None, today, student)))
    return rows


def guardians_of(student) -> list[Guardian]:
    return list(Guardian.select().where(Guardian.student == student.id).order_by(Guardian.name))


def non_authorised_guardians(student) -> list[Guardian]:
    """Guardians without gezag: recorded and informed, but they cannot consent."""
    return list(Guardian.select().where((Guardian.student == student.id) & ~Guardian.has_authority)
                .order_by(Guardian.name))


def giver_reasons(student, guardian: Guardian | None, on: dt.date | None = None,
                  purpose: str | None = None) -> list[str]:
    """Why this giver cannot consent for this student on this day for this purpose (empty: they can). The one
    rule of who may consent, shared by the register, the OPP and the applications' consent checks.

    ``guardian`` None means the student. Consent to share data: from the 16th birthday the student decides alone
    (a parent's consent no longer counts), before it only a parent or guardian with gezag. The OPP's handelingsdeel
    (``EDUCATION_LAW_PURPOSES``): the parents with gezag until 18, then the student (portal.students.deciders)."""
    return deciders.refusals(student, guardian, rule_of(purpose), on)


class Refused(Exception):
    """This giver cannot consent (Dutch reason)."""


def record(student, values: dict, scan=None, *, actor: policy.Actor) -> Consent:
    """Store a consent (values as ConsentForm.values()); the scanned form goes into the dossier's attachments.

    Refused when the giver cannot consent on the day it was given (giver_reasons): a guardian without gezag; to
    share data a parent of a student of 16 or older or a student under 16; for the OPP's handelingsdeel a parent
    of a student of 18 or older or a student under 18."""
    giver = values.get("guardian") if values.get("given_by") == "guardian" else None
    if values.get("given_by") == "guardian" and giver is None:
        raise Refused(_("Kies een ouder of verzorger met gezag, of de leerling zelf."))
    reasons = giver_reasons(student, giver, values["given_on"], values.get("purpose"))
    if reasons:
        raise Refused(reasons[0])
    with database.atomic():
        attachment = dossier.add_attachment(student, scan, actor=actor) if scan else None
        consent = Consent.create(student=student.id, recorded_by=actor.id, scan=attachment, **values)
        audit.write("consent.record", "consent", consent.id, student_id=student.id, actor=actor)
    return consent


def withdraw(consent: Consent, *, actor: policy.Actor) -> None:
    """Withdrawal takes effect at once: every check reads the database, so share links of this purpose stop and
    applications waiting on it show it on their page. Logged in the audit trail."""
    if consent.withdrawn_at is not None:
        return
    with database.atomic():
        done = (Consent.update(withdrawn_at=utcnow(), withdrawn_by=actor.id)
                .where((Consent.id == consent.id) & Consent.withdrawn_at.is_null()).execute())
        if done:
            audit.write("consent.withdraw", "consent", consent.id, student_id=consent.student_id, actor=actor)
