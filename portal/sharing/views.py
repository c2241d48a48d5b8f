"""Share links: the chair's endpoints under /overleg/<id>/links and the guest's pages under /gast/<token>.

Every failure of a guest URL (wrong, expired, revoked or cancelled link, or anything outside the meeting) answers
the same 404 page. Every guest request is audited with the link as actor.
"""

from __future__ import annotations

import datetime as dt

from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _

from portal import downloads, htmx, policy
from portal.audit import services as audit
from portal.auth.session import GUEST_NOT_FOUND, GUEST_SESSION_KEY, public
from portal.db import utcnow
from portal.dossier import storage
from portal.meetings import ics, read
from portal.meetings import services as meetings
from portal.redirects import safe_next
from portal.sharing import services
from portal.sharing.forms import CodeForm, ContributionForm, LinkForm

bp = Blueprint("sharing", __name__, url_prefix="/overleg")
guest_bp = Blueprint("guest", __name__, url_prefix="/gast")

VERIFIED_KEY = "guest_verified"
SEEN_KEY = "guest_seen"
CODE_SENT_KEY = "guest_code_sent"


# --- the chair's side ------------------------------------------------------------------------------------

def links_context(meeting, rights: policy.MeetingRights, message: str | None = None) -> dict:
    """View context for templates/sharing/_links.html (``share_links``; empty unless ``rights`` manage links).
    Every page that includes the panel passes this; three queries, whatever the number of participants."""
    if not rights.manage_links:
        return {"share_links": {}}
    return {"share_links": {"meeting": meeting, "rows": services.link_rows(meeting), "form": LinkForm(),
                            "message": message}}


def _managed_meeting(meeting_id: int):
    meeting = policy.meeting_or_404(meeting_id)
    rights = policy.meeting_rights(meeting, policy.current())
    if not rights.manage_links:
        abort(403)
    return meeting, rights


def _panel(meeting, rights, message: str | None = None, status: int = 200):
    context = {"meeting": meeting, **links_context(meeting, rights, message)}
    if htmx.is_htmx():  # htmx swaps only 2xx answers
        return render_template("sharing/_links.html", **context), 200
    return render_template("sharing/links.html", **context), status


def _done(meeting, rights, message: str):
    """After a change: the updated panel for htmx, otherwise back to the page the chair came from."""
    if htmx.is_htmx():
        return _panel(meeting, rights, message)
    flash(message, "success")
    target = safe_next(request.form.get("next"), url_for("sharing.links", meeting_id=meeting.id))
    return htmx.redirect_after_post(target)


@bp.get("/<int:meeting_id>/links")
def links(meeting_id: int):
    return _panel(*_managed_meeting(meeting_id))


@bp.post("/<int:meeting_id>/links/deelnemer/<int:participant_id>")
def create(meeting_id: int, participant_id: int):
    meeting, rights = _managed_meeting(meeting_id)
    participant = meetings.participant_by_id(meeting, participant_id)
    if participant is None:
        abort(404)
    form = LinkForm()
    try:
        services.create(meeting, participant, bool(form.code_required.data), policy.current())
    except services.ShareRefused as refused:
        return _panel(meeting, rights, str(refused), status=409)
    return _done(meeting, rights, _("De link is gemaakt en gemaild naar %(email)s.", email=participant.email))


@bp.post("/<int:meeting_id>/links/<int:link_id>/intrekken")
def revoke(meeting_id: int, link_id: int):
    meeting, rights = _managed_meeting(meeting_id)
    link = services.link_of(meeting, link_id)
    if link is None:
        abort(404)
    services.revoke(link, policy.current())
    return _done(meeting, rights, _("De link is ingetrokken en werkt niet meer."))


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
    g.actor = read.guest_actor(link, ip=request.remote_addr)
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


def _audit(action: str, object_type: str, object_id: int, link) -> None:
    audit.record(action, object_type, object_id, kind="read", student_id=link.meeting.student_id,
                 actor=policy.current())


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
        services.send_code(link, policy.current())
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
        ok = services.verify_code(link, form.code.data, policy.current())
    except services.CodeRefused as refused:
        return _code_page(token, link, form=form, error=str(refused), status=429)
    if not ok:
        form.code.errors = [_("Deze code klopt niet.")]
        return _code_page(token, link, form=form, status=422)
    session[VERIFIED_KEY] = link.id
    return redirect(url_for("guest.open", token=token), code=303)


def _meeting_page(token, link, form=None, error: str | None = None, status: int = 200):
    """The meeting as this link's participant may see it (the shared read model; audited as the link)."""
    view = read.for_viewer(link.meeting, link)
    _audit("guest.meeting.view", "meeting", view.meeting.id, link)
    if view.report:
        _audit("guest.report.view", "report", view.report.id, link)
    if form is None:
        form = ContributionForm(text=view.own.text if view.own else "")
    return render_template("sharing/guest_meeting.html", token=token, **view.context(), form=form, error=error,
                           editable=view.open), status


@guest_bp.get("/<token>/overleg.ics")
@public
def calendar(token: str):
    """The meeting as an .ics for the guest's own calendar: type, time, place and the portal's address only
    (never the guest's link, the student or the agenda: calendars are synced and shared)."""
    link = _guest_link(token)
    meeting = link.meeting
    payload = ics.build(meeting, method="PUBLISH", summary=str(meetings.type_label(meeting.type_key)),
                        link=meetings.portal_link(),
                        organizer=current_app.config["MAIL_FROM"])
    _audit("guest.meeting.ics", "meeting", meeting.id, link)
    response = make_response(payload)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8; method=PUBLISH"
    return downloads.attach(response, "overleg.ics")


@guest_bp.post("/<token>/inbreng")
@public
def contribute(token: str):
    """R-VO-10: the guest's one contribution (text and at most one file), through the meetings' contribution
    service with the link as actor."""
    link = _guest_link(token)
    actor = policy.current()
    refusal = meetings.contribution_refusal(link.meeting, actor)
    if refusal:
        return _meeting_page(token, link, error=refusal, status=403)
    form = ContributionForm()
    if not form.validate_on_submit():
        return _meeting_page(token, link, form=form, status=422)
    upload = form.file.data if getattr(form.file.data, "filename", "") else None
    try:
        meetings.add_contribution(link.meeting, link.participant, form.text.data.strip(), actor, upload=upload)
    except storage.StorageError as exc:
        form.file.errors = [str(exc)]
        return _meeting_page(token, link, form=form, status=422)
    except meetings.Refused as refused:
        return _meeting_page(token, link, error=str(refused), status=403)
    flash(_("Uw inbreng is opgeslagen."), "success")
    return redirect(url_for("guest.open", token=token), code=303)


def _send(attachment, link):
    """The file for the guest (the same 404 when there is none), audited as the link."""
    if attachment is None:
        abort(404)
    response = storage.download(attachment)
    _audit("guest.attachment.download", "attachment", attachment.id, link)
    return response


@guest_bp.get("/<token>/documenten/<int:document_id>")
@public
def document(token: str, document_id: int):
    link = _guest_link(token)
    return _send(read.shared_attachment(link.meeting, document_id), link)


@guest_bp.get("/<token>/inbreng/bijlage")
@public
def own_file(token: str):
    link = _guest_link(token)
    return _send(read.contribution_attachment(link.meeting, link), link)


@guest_bp.post("/<token>/afsluiten")
@public
def leave(token: str):
    """End the guest session in this browser (the link itself keeps working); without one, the usual 404."""
    if not session.get(GUEST_SESSION_KEY):
        return not_found()
    session.clear()
    return render_template("sharing/guest_left.html")
