"""The decision letter: HTML (templates/applications/letter.html) to PDF, sent to the school and the parents, kept
in the dossier as an attachment of the decision's entry (R-LAW-TLV-4: the objection clause of Awb 6:7 / 6:8).

The letter is written in the portal's language, like every stored and mailed text.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from flask import render_template
from werkzeug.datastructures import FileStorage

from portal import clock, pdf, policy
from portal import mail as mail_module
from portal.applications import objection_rules, services
from portal.applications.fields import decision_rows
from portal.applications.models import Application
from portal.applications.types import PROFESSIONS
from portal.applications.workflow import Status
from portal.audit import services as audit
from portal.auth.models import Membership, User
from portal.db import database
from portal.dossier import services as dossier
from portal.dossier.models import Attachment, Entry
from portal.language import portal_language
from portal.students.models import Guardian


class NoLetter(services.Refused):
    """There is no decision to write a letter about."""


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


def _need_label(kind, need_key: str) -> str:
    need = kind.advice_need(need_key) if kind else None
    return need.label if need else need_key


def has_letter(application: Application) -> bool:
    """Only the SWV's own decision has its letter; a decision taken elsewhere is recorded by the school."""
    return (application.decision in (Status.GRANTED, Status.REFUSED) and application.decided_on is not None
            and services.swv_decides(application))


def objection_deadline(application: Application) -> dt.date:
    """The last day of the six weeks that start on the day after the letter was sent (Awb 6:7, 6:8)."""
    return objection_rules.objection_deadline(application.decided_on)


def context(application: Application) -> dict:
    kind = services.type_of(application)
    values = services.decision_of(application)
    fields = [(row.label, row.value) for row in decision_rows(kind, values, skip=("start", "end"))]  # period apart

    def day(key):
        try:
            return dt.date.fromisoformat(values[key]) if values.get(key) else None
        except (TypeError, ValueError):
            return None

    advices = [{"name": a.signed_name or a.advisor.user.name,
                "profession": PROFESSIONS.get(a.advisor.profession, a.advisor.profession),
                "organisation": a.advisor.organisation,
                "need": _need_label(kind, a.need),
                "conclusion": services.CONCLUSIONS.get(a.conclusion, a.conclusion),
                "signed_on": clock.show(a.signed_at, "date")}
               for a in services.advices_of(application) if a.signed_at is not None]
    student = application.student
    return {
        "application": application, "kind": kind, "swv": services.settings(), "student": student,
        "school": application.school, "granted": application.decision == Status.GRANTED,
        "type_label": services.type_label(application.type_key), "fields": fields,
        "start": day("start"), "end": day("end"), "motivation": values.get("motivation") or "",
        "legal_basis": kind.legal_basis if kind else "", "advices": advices,
        "letter_date": application.decided_on, "objection_deadline": objection_deadline(application),
        "advice_only": bool(kind and kind.advice_only),
        "guardians": [g for g in student.guardians if g.has_authority],
    }


def render_html(application: Application) -> str:
    with portal_language():
        return render_template("applications/letter.html", **context(application))


def render_pdf(application: Application) -> bytes:
    if not has_letter(application):
        raise NoLetter(["Over deze aanvraag is nog geen besluit genomen."])
    return pdf.render(render_html(application), pdf.LETTER_CSS)


def filename(application: Application) -> str:
    return f"besluit-aanvraag-{application.id}-{application.decided_on:%Y%m%d}.pdf"


def download(application: Application, *, actor: policy.Actor) -> tuple[str, bytes]:
    """The letter as (file name, PDF) for anyone who may see the application (the SWV, the applying school);
    audited as application.letter. A view calls it after ``policy.application_or_404``."""
    body = render_pdf(application)
    audit.read("application.letter", "application", application.id, student_id=application.student_id,
               actor=actor)
    return filename(application), body


def recipients(application: Application) -> list[Recipient]:
    """The applying school's care coordinators and the guardians with gezag who have an e-mail address."""
    care = (User.select(User.name, User.email).join(Membership, on=(Membership.user == User.id))
            .where((Membership.school == application.school_id) & Membership.role.in_(list(policy.CARE_ROLES))
                   & Membership.active & User.active).order_by(User.name).distinct())
    guardians = (Guardian.select().where((Guardian.student == application.student_id) & Guardian.has_authority
                                         & Guardian.email.is_null(False) & (Guardian.email != ""))
                 .order_by(Guardian.id))
    out, seen = [], set()
    for name, email in [(u.name, u.email) for u in care] + [(g.name, g.email) for g in guardians]:
        if email.lower() not in seen:
            seen.add(email.lower())
            out.append(Recipient(name, email))
    return out


def decision_entry(application: Application) -> Entry | None:
    return Entry.get_or_none((Entry.source_type == services.SOURCE_DECISION) & (Entry.source_id == application.id))


def stored_letter(application: Application) -> Attachment | None:
    entry = decision_entry(application)
    if entry is None:
        return None
    return (Attachment.select().where((Attachment.entry == entry.id) & (Attachment.filename == filename(application)))
            .order_by(Attachment.id.desc()).first())


def send(application: Application, *, actor: policy.Actor) -> list[Recipient]:
    """Mail the letter (PDF attached) to the school's care coordinators and the parents with gezag, and keep it in
    the dossier with the decision's entry (once per decision). Returns who it was sent to."""
    if not policy.application_rights(application, actor).review:
        raise services.Refused(["Alleen het samenwerkingsverband verstuurt de besluitbrief."])
    if application.status not in (Status.GRANTED, Status.REFUSED) or not has_letter(application):
        raise NoLetter(["Verstuur de besluitbrief nadat het besluit is genomen."])
    to = recipients(application)
    if not to:
        raise services.Refused(["Er is niemand om de brief aan te sturen: de school heeft geen IB'er of "
                                "zorgcoördinator en geen ouder met gezag heeft een e-mailadres."])
    first = stored_letter(application) is None
    if first and application.decided_on != clock.today():
        # The objection term runs from the day the decision is sent (Awb 6:8): the first sending dates the letter.
        Application.update(decided_on=clock.today()).where(Application.id == application.id).execute()
        application = Application.get_by_id(application.id)
    body = render_pdf(application)
    name = filename(application)
    with portal_language():
        swv = services.settings()
        # No name in the subject or the text: mail leaves the portal; the letter itself is the attachment.
        subject = f"Besluit over een aanvraag bij {swv.name or 'het samenwerkingsverband'}"
        text = (f"Bijgaand vindt u het besluit van {swv.name or 'het samenwerkingsverband'} over een aanvraag "
                f"({services.type_label(application.type_key)}) van {application.school.name}.\n\n"
                "Bent u het niet eens met dit besluit, dan kunt u binnen zes weken bezwaar maken; hoe dat gaat, "
                "staat in de brief.\n")
    with database.atomic():
        entry = decision_entry(application)
        if entry is not None and first:
            upload = FileStorage(stream=io.BytesIO(body), filename=name, content_type="application/pdf")
            dossier.add_attachment(application.student, upload, entry=entry, actor=actor)
        audit.write("application.letter.send", "application", application.id, student_id=application.student_id,
                    actor=actor)
    for person in to:
        mail_module.send(person.email, subject, text, attachments=[("application", "pdf", body,
                                                                    {"filename": name})], caused_by=actor)
    return to
