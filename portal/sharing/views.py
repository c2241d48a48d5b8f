"""Share links: the chair's endpoints under /overleg/<id>/links and the guest's pages under /gast/<token>.

Every failure of a guest URL (wrong, expired, revoked or cancelled link, or anything outside the meeting) answers
the same 404 page. Every guest request is audited with the link as actor.
"""

from __future__ import annotations

import datetime as dt

from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _

from portal import htmx, policy
from portal.audit import services as audit
from portal.auth.session import GUEST_NOT_FOUND, GUEST_SESSION_KEY, public
from portal.consent import services as consent
from portal.db import database, utcnow
from portal.dossier import services as dossier
from portal.dossier import storage
from portal.dossier.models import Attachment
from portal.auth.models import User
from portal.meetings import ics
from portal.meetings.models import Action, AgendaItem, Contribution, Participant, Report, SharedDocument
from portal.redirects import safe_next
from portal.schools.models import School
from portal.sharing import services
from portal.sharing.forms import CodeForm, ContributionForm, LinkForm
from portal.sharing.models import ShareLink

bp = Blueprint("sharing", __name__, url_prefix="/overleg")
guest_bp = Blueprint("guest", __name__, url_prefix="/gast")

VERIFIED_KEY = "guest_verified"
SEEN_KEY = "guest_seen"
CODE_SENT_KEY = "guest_code_sent"


# --- the chair's side ------------------------------------------------------------------------------------

@bp.app_template_global("share_links_context")
def links_context(meeting, message: str | None = None) -> dict:
    """What templates/sharing/_links.html shows (empty when the actor may not manage the meeting's links).

    A template global, so a page that has ``meeting`` in its context only needs
    ``{% include "sharing/_links.html" %}``. Three queries, whatever the number of participants.
    """
    if not services.may_manage(meeting):
        return {}
    links = services.links_by_participant(meeting)
    consents = consent.of_student(meeting.student)
    rows = []
    for participant in services.guest_participants(meeting):
        link = links.get(participant.id)
        rows.append({"participant": participant, "link": link, "status": services.status(link, meeting),
                     "expires": services.expiry(link, meeting) if link else None,
                     "refusal": services.refusal(meeting, participant, consents)})
    return {"meeting": meeting, "rows": rows, "form": LinkForm(), "message": message, "to_local": services.to_local}


def _managed_meeting(meeting_id: int):
    meeting = policy.meeting_or_404(meeting_id)
    if not services.may_manage(meeting):
        abort(403)
    return meeting


def _panel(meeting, message: str | None = None, status: int = 200):
    if htmx.is_htmx():  # htmx swaps only 2xx answers
        return render_template("sharing/_links.html", meeting=meeting, link_message=message), 200
    return render_template("sharing/links.html", meeting=meeting, link_message=message), status


def _back(meeting):
    target = safe_next(request.form.get("next"), url_for("sharing.links", meeting_id=meeting.id))
    return htmx.redirect_after_post(target)


@bp.get("/<int:meeting_id>/links")
def links(meeting_id: int):
    return _panel(_managed_meeting(meeting_id))


@bp.post("/<int:meeting_id>/links/deelnemer/<int:participant_id>")
def create(meeting_id: int, participant_id: int):
    meeting = _managed_meeting(meeting_id)
    participant = Participant.get_or_none((Participant.id == participant_id) & (Participant.meeting == meeting.id))
    if participant is None:
        abort(404)
    form = LinkForm()
    try:
        services.create(meeting, participant, bool(form.code_required.data))
    except services.ShareRefused as refused:
        return _panel(meeting, str(refused), status=409)
    message = _("De link is gemaakt en gemaild naar %(email)s.", email=participant.email)
    if htmx.is_htmx():
        return _panel(meeting, message)
    flash(message, "success")
    return _back(meeting)


@bp.post("/<int:meeting_id>/links/<int:link_id>/intrekken")
def revoke(meeting_id: int, link_id: int):
    meeting = _managed_meeting(meeting_id)
    link = ShareLink.get_or_none((ShareLink.id == link_id) & (ShareLink.meeting == meeting.id))
    if link is None:
        abort(404)
    services.revoke(link)
    message = _("De link is ingetrokken en werkt niet meer.")
    if htmx.is_htmx():
        return _panel(meeting, message)
    flash(message, "success")
    return _back(meeting)


# --- the guest's side ------------------------------------------------------------------------------------

def not_found():
    return make_response(render_template(GUEST_NOT_FOUND), 404)


@guest_bp.errorhandler(404)
def _guest_404(exc):
    return not_found()


def _bind(token: str):
    """The link of this token bound to the guest session and to g.actor; the same 404 for every failure."""
    link = services.resolve(token)
    if link is None:
        abort(not_found())
    if session.get(GUEST_SESSION_KEY) != link.id:
        session.clear()  # one browser, one identity: a staff login or another link ends here
        session[GUEST_SESSION_KEY] = link.id
    g.actor = policy.Actor(kind="guest", school_id=link.meeting.school_id, guest_meeting_id=link.meeting_id,
                           guest_link_id=link.id, ip=request.remote_addr)
    return link


def _verified(link) -> bool:
    """Has this browser entered the code (when the link asks for one) and been active recently?"""
    now = utcnow()
    seen = session.get(SEEN_KEY)
    idle = dt.timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    if seen and now - dt.datetime.fromisoformat(seen) > idle:
        session.pop(VERIFIED_KEY, None)
    session[SEEN_KEY] = now.isoformat()
    return not link.code_required or session.get(VERIFIED_KEY) == link.id


def _guest_link(token: str):
    """A bound and verified link; otherwise to the code page."""
    link = _bind(token)
    if not _verified(link):
        abort(redirect(url_for("guest.open", token=token), code=303))
    services.touch(link)
    return link


def _audit(action: str, object_type: str, object_id: int, link, kind: str = "read") -> None:
    audit.record(action, object_type, object_id, kind=kind, student_id=link.meeting.student_id)


@guest_bp.get("/<token>", endpoint="open")
@public
def open_link(token: str):
    link = _bind(token)
    if not _verified(link):
        _audit("guest.code_page", "share_link", link.id, link)
        return _code_page(token, link)
    services.touch(link)
    return _meeting_page(token, link)


def _code_page(token, link, form=None, error: str | None = None, status: int = 200):
    return render_template("sharing/guest_code.html", token=token, form=form or CodeForm(),
                           code_sent=session.get(CODE_SENT_KEY) == link.id, error=error), status


@guest_bp.post("/<token>/code")
@public
def send_code(token: str):
    link = _bind(token)
    try:
        services.send_code(link)
    except services.CodeRefused as refused:
        return _code_page(token, link, error=str(refused), status=429)
    session[CODE_SENT_KEY] = link.id
    flash(_("We hebben een code gestuurd naar uw e-mailadres."), "success")
    return redirect(url_for("guest.open", token=token), code=303)


@guest_bp.post("/<token>/code/controle")
@public
def check_code(token: str):
    link = _bind(token)
    form = CodeForm()
    if not form.validate_on_submit():
        return _code_page(token, link, form=form, status=422)
    try:
        ok = services.verify_code(link, form.code.data)
    except services.CodeRefused as refused:
        return _code_page(token, link, form=form, error=str(refused), status=429)
    if not ok:
        form.code.errors = [_("Deze code klopt niet.")]
        return _code_page(token, link, form=form, status=422)
    session[VERIFIED_KEY] = link.id
    return redirect(url_for("guest.open", token=token), code=303)


def _meeting_page(token, link, form=None, error: str | None = None, status: int = 200):
    meeting, participant = link.meeting, link.participant
    _audit("guest.meeting.view", "meeting", meeting.id, link)
    own = Contribution.get_or_none(Contribution.participant == participant.id)
    if form is None:
        form = ContributionForm(text=own.text if own else "")
    report = Report.get_or_none((Report.meeting == meeting.id) & (Report.status == "final")) \
        if meeting.report_shared_at else None
    if report:
        _audit("guest.report.view", "report", report.id, link)
    documents = list(SharedDocument.select(SharedDocument, Attachment)
                     .join(Attachment, on=(SharedDocument.attachment == Attachment.id), attr="attachment")
                     .where(SharedDocument.meeting == meeting.id).order_by(SharedDocument.shared_at))
    return render_template(
        "sharing/guest_meeting.html", token=token, meeting=meeting, me=participant,
        kind_label=services.meeting_label(meeting), school=School.get_by_id(meeting.school_id),
        chair=User.get_by_id(meeting.chair_id), student=meeting.student,
        agenda=list(AgendaItem.select().where(AgendaItem.meeting == meeting.id).order_by(AgendaItem.position)),
        participants=list(Participant.select().where(Participant.meeting == meeting.id)
                          .order_by(Participant.kind, Participant.name)),
        documents=documents, own=own, form=form, error=error, editable=not services.has_started(meeting),
        actions=list(Action.select().where(Action.owner == participant.id).order_by(Action.due_date)),
        report=report), status


@guest_bp.get("/<token>/overleg.ics")
@public
def calendar(token: str):
    """The meeting as an .ics for the guest's own calendar: type, time, place and the portal's address only
    (never the guest's link, the student or the agenda: calendars are synced and shared)."""
    link = _guest_link(token)
    meeting = link.meeting
    payload = ics.build(meeting, method="PUBLISH", summary=services.meeting_label(meeting),
                        link=current_app.config["BASE_URL"].rstrip("/") + "/",
                        organizer=current_app.config["MAIL_FROM"])
    _audit("guest.meeting.ics", "meeting", meeting.id, link)
    response = make_response(payload)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8; method=PUBLISH"
    response.headers["Content-Disposition"] = 'attachment; filename="overleg.ics"'
    return response


@guest_bp.post("/<token>/inbreng")
@public
def contribute(token: str):
    link = _guest_link(token)
    if services.has_started(link.meeting):
        return _meeting_page(token, link, error=_("Het overleg is begonnen: uw inbreng kan niet meer worden "
                                                  "gewijzigd."), status=403)
    form = ContributionForm()
    if not form.validate_on_submit():
        return _meeting_page(token, link, form=form, status=422)
    upload = form.file.data if getattr(form.file.data, "filename", "") else None
    try:
        _save_contribution(link, form.text.data.strip(), upload)
    except storage.StorageError as exc:
        form.file.errors = [str(exc)]
        return _meeting_page(token, link, form=form, status=422)
    flash(_("Uw inbreng is opgeslagen."), "success")
    return redirect(url_for("guest.open", token=token), code=303)


def _save_contribution(link, text: str, upload) -> None:
    """One contribution per participant: text and at most one file (a new file replaces the old one)."""
    meeting, participant = link.meeting, link.participant
    with database.atomic():
        own = Contribution.get_or_none(Contribution.participant == participant.id)
        old_file = own.attachment if own and upload and own.attachment_id else None
        new_file = dossier.add_attachment(meeting.student, upload, uploaded_by=link.created_by_id,
                                         actor=policy.current()) \
            if upload else None
        if own is None:
            own = Contribution.create(meeting=meeting.id, participant=participant.id, text=text,
                                      attachment=new_file)
        else:
            own.text, own.updated_at = text, utcnow()
            if new_file:
                own.attachment = new_file
            own.save()
        _audit("guest.contribution.save", "contribution", own.id, link, kind="write")
        if old_file:
            _audit("attachment.delete", "attachment", old_file.id, link, kind="write")
            old_file.delete_instance()
            storage.remove(old_file.storage_name)


def _send(attachment, link):
    response = storage.download(attachment)
    _audit("guest.attachment.download", "attachment", attachment.id, link)
    return response


@guest_bp.get("/<token>/documenten/<int:document_id>")
@public
def document(token: str, document_id: int):
    link = _guest_link(token)
    shared = SharedDocument.get_or_none((SharedDocument.id == document_id)
                                        & (SharedDocument.meeting == link.meeting_id))
    if shared is None:
        abort(404)
    return _send(shared.attachment, link)


@guest_bp.get("/<token>/inbreng/bijlage")
@public
def own_file(token: str):
    link = _guest_link(token)
    own = Contribution.get_or_none(Contribution.participant == link.participant_id)
    if own is None or own.attachment_id is None:
        abort(404)
    return _send(own.attachment, link)


@guest_bp.post("/<token>/afsluiten")
@public
def leave(token: str):
    """End the guest session in this browser (the link itself keeps working); without one, the usual 404."""
    if not session.get(GUEST_SESSION_KEY):
        return not_found()
    session.clear()
    return render_template("sharing/guest_left.html")
