"""Consent to share a student's data: recording, withdrawal and the check other modules ask.

A consent matches a purpose and a recipient exactly (case and surrounding spaces aside). The purpose
``overleg`` covers every kind of meeting. Withdrawal takes effect at once: every check reads the database.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal import clock, policy
from portal.audit import services as audit
from portal.consent.models import Consent
from portal.db import database, utcnow
from portal.dossier import services as dossier
from portal.students.models import Guardian

ANY_MEETING = "overleg"  # purpose that covers every meeting about the student
OPP_HANDELINGSDEEL = "opp.handelingsdeel"  # instemming with the OPP's handelingsdeel (WPO 40a / WVO 2020 8.11)
MIN_AGE_OWN_CONSENT = 16


def purposes(student=None) -> list[tuple[str, str]]:
    """Purposes offered in the form: meetings in general, then the meeting types of the student's own route (as
    the school runs it), each once. Without a student: every registered meeting type (for labels)."""
    registry = current_app.extensions["registry"]
    keys = list(registry.meeting_types)
    if student is not None:
        from portal.route import services as route_services

        route = route_services.route_of_student(student)
        keys = [k for k in route.meeting_type_keys() if k in registry.meeting_types] if route else []
    offered = [(ANY_MEETING, str(_l("Overleg over de leerling (alle soorten)")))]
    seen = set()
    for key in keys:
        label = str(registry.meeting_types[key].label)
        if label.casefold() not in seen:
            seen.add(label.casefold())
            offered.append((key, label))
    return offered + _request_purposes(student)


def _request_purposes(student) -> list[tuple[str, str]]:
    """Requests that need a consent of their own (``ApplicationType.consent_purpose``, e.g. a DOA VO request), as
    far as the student's route names them; without a student every such type (for labels)."""
    kinds = current_app.extensions["registry"].application_types
    keys = list(kinds)
    if student is not None:
        from portal.route import services as route_services

        route = route_services.route_of_student(student)
        keys = [k for k in route.form_keys() if k in kinds] if route else []
    return [(key, str(kinds[key].label)) for key in keys if kinds[key].consent_purpose]


def purpose_labels() -> dict[str, str]:
    registry = current_app.extensions["registry"]
    return {ANY_MEETING: str(_l("Overleg over de leerling (alle soorten)")),
            **{key: str(kind.label) for key, kind in registry.meeting_types.items()},
            **dict(_request_purposes(None))}


def recipients(student) -> list[tuple[str, str]]:
    """The outside organisations of the student's meetings, named exactly as the meetings name them."""
    from portal.sharing import services as sharing

    return sharing.outside_recipients(student)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def is_valid(consent: Consent, purposes_: tuple[str, ...], recipient: str, on: dt.date) -> bool:
    """Does this consent cover one of these purposes for this recipient on this day?"""
    return (consent.withdrawn_at is None and consent.given_on <= on
            and (consent.valid_until is None or consent.valid_until >= on)
            and _norm(consent.purpose) in {_norm(p) for p in purposes_}
            and _norm(consent.recipient) == _norm(recipient))


def of_student(student) -> list[Consent]:
    """All consents of a student, newest first (guardians joined)."""
    return list(Consent.select(Consent, Guardian)
                .join(Guardian, on=(Consent.guardian == Guardian.id), join_type="LEFT OUTER JOIN",
                      attr="guardian")
                .where(Consent.student == student.id)
                .order_by(Consent.given_on.desc(), Consent.id.desc()))


def valid_consent(student, purpose: str | tuple[str, ...], recipient: str, on: dt.date | None = None):
    """The consent that allows sharing this student's data for ``purpose`` with ``recipient``, or None."""
    wanted = (purpose,) if isinstance(purpose, str) else tuple(purpose)
    day = on or clock.today()
    student_id = getattr(student, "id", student)
    candidates = Consent.select().where((Consent.student == student_id) & Consent.withdrawn_at.is_null())
    return next((c for c in candidates.order_by(Consent.id.desc()) if is_valid(c, wanted, recipient, day)), None)


def authorised_guardians(student) -> list[Guardian]:
    """Only a parent or guardian with gezag can give consent."""
    return list(Guardian.select().where((Guardian.student == student.id) & Guardian.has_authority)
                .order_by(Guardian.name))


def giver_reasons(student, guardian: Guardian | None, on: dt.date | None = None) -> list[str]:
    """Why this giver cannot consent for this student on this day (empty: they can).

    ``guardian`` None means the student. From the 16th birthday the student decides alone: a parent's consent
    no longer counts. Before it, only a parent or guardian with gezag can consent."""
    day = on or clock.today()
    adult = student.age_on(day) >= MIN_AGE_OWN_CONSENT
    if guardian is None:
        return [] if adult else [str(_l("De leerling is jonger dan 16 jaar: een ouder of verzorger met gezag "
                                        "moet toestemming geven."))]
    if adult:
        return [str(_l("De leerling is 16 jaar of ouder en beslist zelf: de toestemming van een ouder telt niet "
                       "meer. Leg de toestemming van de leerling vast."))]
    if not guardian.has_authority:
        return [str(_l("Deze ouder of verzorger heeft geen gezag en kan geen toestemming geven; wel kan de school "
                       "hem of haar algemeen informeren."))]
    return []


def record(student, values: dict, scan=None, *, actor: policy.Actor) -> Consent:
    """Store a consent (values as ConsentForm.values()); the scanned form goes into the dossier's attachments."""
    with database.atomic():
        attachment = dossier.add_attachment(student, scan, actor=actor) if scan else None
        consent = Consent.create(student=student.id, recorded_by=actor.id, scan=attachment, **values)
        audit.write("consent.record", "consent", consent.id, student_id=student.id, actor=actor)
    return consent


def withdraw(consent: Consent, *, actor: policy.Actor) -> None:
    """Withdrawal takes effect at once: links that relied on this consent stop working."""
    if consent.withdrawn_at is not None:
        return
    Consent.update(withdrawn_at=utcnow(), withdrawn_by=actor.id).where(Consent.id == consent.id).execute()
    audit.write("consent.withdraw", "consent", consent.id, student_id=consent.student_id, actor=actor)
