"""Consent to share a student's data: the purposes offered, recording and withdrawal (what a recorded consent
covers, and who may give it, is the rule in ``rules.py``, importable from here too).

A consent matches a purpose and a recipient exactly (case and surrounding spaces aside). The purpose
``overleg`` covers every kind of meeting. Withdrawal takes effect at once: every check reads the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import policy
from portal.applications import catalog as applications
from portal.audit import services as audit
from portal.consent.models import Consent
# The rules, also importable from here (the register, the forms and the plugin API read them with the services).
from portal.consent.rules import (ANY_MEETING, OPP_HANDELINGSDEEL, SHARE, giver_of, giver_reasons, is_valid,
                                  of_student, status_of)
from portal.consent.rules import valid_consent  # noqa: F401 (the register's tests ask the services for it)
from portal.db import database, utcnow
from portal.dossier import services as dossier
from portal.route import services as route_services
from portal.schools.models import School
from portal.sharing import services as sharing
from portal.students.models import Guardian

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
    return applications.settings().name.strip() or str(_l("Het samenwerkingsverband"))


def _school_name(student) -> str:
    school = School.get_or_none(School.id == student.school_id) if student is not None else None
    return school.name if school else str(_l("De school"))


def purpose_list(student=None) -> list[Purpose]:
    """Every purpose the form offers for this student: sharing with a named recipient, meetings in general and
    the meeting types of the student's route, the application types available to the student (purpose = the
    type's key, recipient by default the SWV) and the OPP's handelingsdeel. Without a student: everything
    registered (for labels)."""
    registry = current_app.extensions["registry"]
    meeting_keys = list(registry.meeting_types)
    application_types = list(applications.types().values())
    if student is not None:
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
    found = sharing.outside_recipients(student)
    known = {r.casefold() for r, _label in found}
    for guardian in Guardian.select().where((Guardian.student == student.id) & ~Guardian.has_authority):
        if guardian.name.casefold() not in known:
            found.append((guardian.name, _("%(name)s (ouder/verzorger zonder gezag)", name=guardian.name)))
    return found


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
