"""Meeting pages for staff: plan, change, cancel; the meeting page with agenda, contributions, documents,
attendance and the report (its parts update with htmx and work without JavaScript); the printable report.

Policy: planning needs ("meeting", "plan") over the student; every other page finds the meeting through
``policy.meeting_or_404`` (outside the actor's scope: 404). Every read and write is audited (IDs only).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock, downloads, htmx, idempotency, pdf, policy
from portal.audit import services as audit
from portal.dossier import storage
from portal.meetings import read, services
from portal.meetings.forms import (ACTION_ROWS, MAX_DAYS_AHEAD, OPP_LABELS, AddParticipantForm, AttendanceForm,
                                   CancelForm, ChangeForm, ContributionForm, PlainForm, PlanForm, ReportForm,
                                   ShareForm, ShareReportForm)
from portal.meetings.models import Meeting
from portal.route import diagram
from portal.route import services as route_services
from portal.sharing.views import links_context
from portal.versioning import EditConflict

bp = Blueprint("meetings", __name__)

PLAN = ("meeting", "plan")
VIEW = ("meeting", "view")
PAGE = "meetings/show.html"
LIMITED = "meetings/limited.html"  # an outside role without a consent that covers them


@bp.app_template_global()
def meeting_type_label(key: str) -> str:
    return services.type_label(key)


# --- planning --------------------------------------------------------------------------------------------


@bp.route("/leerlingen/<int:student_id>/overleg/nieuw", methods=["GET", "POST"])
def plan(student_id: int):
    """R-ROUTE-5, R-ROUTE-8: plan a meeting of the student's route, with school staff, parents, the student and
    outside professionals; invitations go out with a calendar part."""
    student = policy.student_or_404(student_id, PLAN)
    choices = services.type_choices(student)
    form = _plan_form(student, choices)
    actor = policy.current()
    # A resubmitted plan (the answer never reached the browser) shows the first meeting: no second invitations.
    if request.method == "POST" and (first := idempotency.replay(form, actor.id)):
        return htmx.redirect_after_post(first)
    if request.method == "POST" and form.validate_on_submit():
        try:
            outcome = idempotency.once(form, actor.id, lambda: url_for(
                "meetings.show", meeting_id=services.plan(student, _plan_values(form), actor).id))
        except services.Refused as refused:  # the moment passed the bound while the form was open
            form.date.errors = [str(refused)]
        else:
            return idempotency.answer(outcome, _("Het gehouden overleg is vastgelegd; leg nu de aanwezigheid en het "
                                                 "verslag vast.") if form.held else
                                      _("Het overleg is gepland en de uitnodigingen zijn verstuurd."))
    if request.method == "GET":
        audit.read("meeting.plan.form", "student", student.id, student_id=student.id, actor=policy.current())
    status = 422 if request.method == "POST" else 200
    return htmx.render("meetings/plan.html", block="agenda_field" if request.args.get("agenda") else None,
                       form=form, student=student, choices=choices), status


def _plan_form(student, choices) -> PlanForm:
    form = PlanForm()
    groups = {}
    if choices.current:
        groups[_("Huidige fase: %(phase)s", phase=choices.phase_label)] = [(m.key, m.label) for m in choices.current]
    if choices.other:
        groups[_("Andere overleggen in de route")] = [(m.key, m.label) for m in choices.other]
    form.type_key.choices = groups
    form.type_key.render_kw = {"hx-get": url_for("meetings.plan", student_id=student.id, agenda=1),
                               "hx-target": "#agenda-field", "hx-swap": "outerHTML", "hx-trigger": "change"}
    staff = services.staff_of(student.school_id)
    people = [(u.id, f"{u.name} ({policy.ROLES.get(role, role)})") for u, role in staff]
    form.chair.choices = [(0, "—")] + people
    form.minute_taker.choices = [(0, _("Geen aparte notulist"))] + people
    form.staff.choices = people
    guardians = services.guardians_of(student)
    form.guardians.choices = [(g.id, services.guardian_label(g)) for g in guardians]
    form.without_gezag = [g for g in guardians if not g.has_authority]
    form.session.choices = [(0, _("Geen"))] + [
        (s.id, f"{s.title} ({s.starts_at.strftime('%d-%m-%Y %H:%M')})")
        for s in services.upcoming_sessions(student.school_id)]
    if request.method == "GET" or request.args.get("agenda"):
        key = request.args.get("type_key") or request.args.get("type")
        if key not in choices.keys:
            key = next(iter(choices.current or choices.other), None)
            key = key.key if key else None
        form.type_key.data = key
        meeting_type = services.meeting_type(key) if key else None
        form.agenda.data = "\n".join(meeting_type.default_agenda) if meeting_type else ""
        if request.method == "GET":
            me = policy.current().id
            form.chair.data = me if any(u.id == me for u, _r in staff) else 0
            form.staff.data = [me] if form.chair.data else []
            # A parent without gezag is not preselected: the school informs them in general only.
            form.guardians.data = [g.id for g in guardians if g.has_authority]
    return form


def _plan_values(form: PlanForm) -> dict:
    values = form.logistics()
    agenda = form.agenda_items() or list(services.meeting_type(form.type_key.data).default_agenda)
    return {**values, "held": form.held, "type_key": form.type_key.data, "chair": form.chair.data,
            "minute_taker": form.minute_taker.data or None, "staff": form.staff.data or [],
            "guardians": form.guardians.data or [], "with_student": bool(form.with_student.data),
            "externals": form.externals_values(), "agenda": agenda, "session": form.session.data or None,
            "new_session": (form.new_session.data or "").strip()}


@bp.get("/overleg")
def index():
    """The meetings the actor may see: coming ones (soonest first) or held ones (latest first), filtered by
    period, meeting type and student name; grouped by session (one query)."""
    policy.require(*VIEW)
    actor = policy.current()
    period = request.args.get("periode", "komend")
    period = period if period in services.PERIODS else "komend"
    type_key = request.args.get("soort", "")
    term = (request.args.get("q") or "").strip()[:100]
    rows = services.list_meetings(actor, period, type_key, term)
    audit.read("meeting.list", "meeting", None, actor=policy.current())
    return htmx.render("meetings/index.html", block="results", meetings=rows, limited=read.limited_ids(rows, actor),
                       period=period, type_key=type_key,
                       q=term, types=services.filter_types(actor.school_id), now=clock.local_now())


# --- the meeting page ------------------------------------------------------------------------------------


def _rights(meeting: Meeting) -> policy.MeetingRights:
    return policy.meeting_rights(meeting, policy.current())


@bp.get("/overleg/<int:meeting_id>")
def show(meeting_id: int):
    """R-ROUTE-7, R-ROUTE-8: everything of one meeting at a glance."""
    meeting = policy.meeting_or_404(meeting_id)
    audit.read("meeting.view", "meeting", meeting.id, student_id=meeting.student_id, actor=policy.current())
    return _page(meeting)


def _template(context: dict) -> str:
    """The full page, or the limited one of an outside role without consent (the read model decided)."""
    return PAGE if context["rights"].full_view else LIMITED


def _page(meeting: Meeting, status: int = 200, block: str | None = None, **overrides):
    context = _context(meeting, **overrides)
    if block and htmx.is_htmx():
        return htmx.render(_template(context), block=block, **context)
    return htmx.render(_template(context), **context), status


def _done(meeting: Meeting, block: str, message: str):
    """After a successful post: the updated block for htmx, a redirect for a plain form."""
    if htmx.is_htmx():
        context = _context(meeting)
        return htmx.render(_template(context), block=block, **context)
    flash(message, "success")
    return htmx.redirect_after_post(url_for("meetings.show", meeting_id=meeting.id) + "#" + block)


def _context(meeting: Meeting, **overrides) -> dict:
    view = read.for_viewer(meeting, policy.current())
    meeting, rights = view.meeting, view.rights
    context = {
        **view.context(), "opp_labels": OPP_LABELS, "student_visible": rights.see_student,
        "close_form": PlainForm(), "remove_form": PlainForm(), "participant_form": None,
        "finalise_refusal": None, "participant_error": None, "type": services.meeting_type(meeting.type_key),
        "diagram": diagram.layout(view.route, route_services.phase_states(view.state)) if view.route else None,
        "contribution_form": None, "share_form": None, "attendance_form": None, "report_form": None,
        "share_report_form": ShareReportForm(), "conflict": None,
        **links_context(meeting, rights),
    }
    context.update(overrides)
    participants = view.participants
    if context["contribution_form"] is None:
        context["contribution_form"] = _contribution_form(view.agenda, participants, view.me, rights, formdata=None)
    if context["share_form"] is None:
        context["share_form"] = _share_form(context["shareable"], formdata=None,
                                            chosen=[d.attachment_id for d in context["documents"]])
    if context["attendance_form"] is None:
        context["attendance_form"] = AttendanceForm(formdata=None, present=[p.id for p in participants if p.attended])
        context["attendance_form"].present.choices = [(p.id, p.name) for p in participants]
    if context["report_form"] is None and rights.report:
        context["report_form"] = _report_form(participants, view.report, view.actions, formdata=None)
    if context["participant_form"] is None and context["participants_editable"]:
        context["participant_form"] = _participant_form(meeting, formdata=None)
    return context


# --- change and cancel -----------------------------------------------------------------------------------


@bp.route("/overleg/<int:meeting_id>/wijzigen", methods=["GET", "POST"])
def change(meeting_id: int):
    """Change date, time, place or duration (versioned: of two people changing at once, the second sees both
    values and nothing is overwritten). A meeting that was held can only be corrected, not moved ahead."""
    meeting = policy.meeting_or_404(meeting_id)
    rights = _rights(meeting)
    if not rights.manage or services.change_refusal(meeting) is not None:
        abort(403)
    form = ChangeForm() if request.method == "POST" else ChangeForm(
        formdata=None, date=meeting.starts_at.date(), start=meeting.starts_at.time(),
        duration=meeting.duration_minutes, location=meeting.location, video_url=meeting.video_url,
        version=str(meeting.version))
    form.held = services.has_started(meeting)
    conflict = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            expected = int(form.version.data or 0)
        except ValueError:
            expected = -1
        try:
            changed = services.change(meeting, form.logistics(), expected, policy.current())
        except EditConflict as exc:
            conflict = exc.current
            form.version.data = str(conflict.version)  # saving again deliberately replaces their change
        else:
            flash((_("De gegevens van het overleg zijn gecorrigeerd.") if form.held else
                   _("Het overleg is gewijzigd en de deelnemers hebben een bijgewerkte uitnodiging gekregen."))
                  if changed else _("Er is niets gewijzigd."), "success")
            return htmx.redirect_after_post(url_for("meetings.show", meeting_id=meeting.id))
    if request.method == "GET":
        audit.read("meeting.view", "meeting", meeting.id, student_id=meeting.student_id, actor=policy.current())
    status = 409 if conflict is not None else 422 if request.method == "POST" else 200
    theirs = None
    if conflict is not None:
        theirs = {"when": conflict.starts_at.strftime("%d-%m-%Y %H:%M"), "duration": conflict.duration_minutes,
                  "location": conflict.location, "video_url": conflict.video_url}
    return render_template("meetings/change.html", form=form, meeting=meeting, conflict=theirs,
                           type_label=services.type_label(meeting.type_key)), status


@bp.route("/overleg/<int:meeting_id>/annuleren", methods=["GET", "POST"])
def cancel(meeting_id: int):
    """Cancel an upcoming meeting after confirmation and with a reason; only the chair or the care coordinator.
    A meeting that was held or whose report is final cannot be cancelled (it can be corrected)."""
    meeting = policy.meeting_or_404(meeting_id)
    if not _rights(meeting).cancel:
        abort(403)
    refusal = services.cancel_refusal(meeting)
    form = CancelForm()
    status = 200
    if request.method == "POST" and refusal is None:
        if form.validate_on_submit():
            try:
                services.cancel(meeting, form.reason.data.strip(), policy.current())
            except services.Refused as exc:
                refusal = str(exc)
            else:
                flash(_("Het overleg is geannuleerd; de deelnemers hebben bericht gekregen."), "success")
                return htmx.redirect_after_post(url_for("meetings.show", meeting_id=meeting.id))
        status = 422
    if refusal:
        status = 409 if request.method == "POST" else 200
    if request.method == "GET":
        audit.read("meeting.view", "meeting", meeting.id, student_id=meeting.student_id, actor=policy.current())
    return render_template("meetings/cancel.html", form=form, meeting=meeting, refusal=refusal,
                           type_label=services.type_label(meeting.type_key),
                           recipients=[p for p in services.participants_of(meeting) if p.email]), status


# --- participants after planning ------------------------------------------------------------------------


def _participant_form(meeting: Meeting, formdata=True) -> AddParticipantForm:
    form = AddParticipantForm() if formdata else AddParticipantForm(formdata=None)
    form.who.choices = [("", "—"), *services.addable(meeting),
                        (AddParticipantForm.EXTERNAL, _("Een externe deelnemer (hieronder)"))]
    return form


@bp.post("/overleg/<int:meeting_id>/deelnemers")
def add_participant(meeting_id: int):
    """Add a participant after planning: only that person gets an invitation with the .ics."""
    meeting = policy.meeting_or_404(meeting_id)
    if not _rights(meeting).manage:
        abort(403)
    form = _participant_form(meeting)
    refusal = services.participant_refusal(meeting)
    if refusal:
        form.who.errors = [refusal]
        return _page(meeting, 409, "attendance", participant_form=form)
    if not form.validate_on_submit() or not form.who.data:
        if not form.who.errors and not form.who.data:
            form.who.errors = [_("Kies wie er bij komt.")]
        return _page(meeting, 422, "attendance", participant_form=form)
    try:
        participant = services.add_participant(meeting, form.who.data, form.external_values(), policy.current())
    except services.Refused as exc:
        form.who.errors = [str(exc)]
        return _page(meeting, 409, "attendance", participant_form=form)
    return _done(meeting, "attendance", _("%(name)s is toegevoegd en heeft een uitnodiging gekregen.",
                                          name=participant.name) if participant.email else
                 _("%(name)s is toegevoegd.", name=participant.name))


@bp.post("/overleg/<int:meeting_id>/deelnemers/<int:participant_id>/verwijderen")
def remove_participant(meeting_id: int, participant_id: int):
    """Remove a participant before the meeting: only that person gets a cancellation."""
    meeting = policy.meeting_or_404(meeting_id)
    if not _rights(meeting).manage:
        abort(403)
    participant = services.participant_by_id(meeting, participant_id)
    if participant is None:
        abort(404)
    if not PlainForm().validate_on_submit():
        abort(400)
    try:
        services.remove_participant(meeting, participant, policy.current())
    except services.Refused as exc:
        form = _participant_form(meeting, formdata=None) if services.participant_refusal(meeting) is None else None
        if htmx.is_htmx():
            return _page(meeting, 200, "attendance", participant_form=form, participant_error=str(exc))
        flash(str(exc), "error")
        return htmx.redirect_after_post(url_for("meetings.show", meeting_id=meeting.id) + "#attendance")
    return _done(meeting, "attendance", _("%(name)s neemt niet meer deel en heeft bericht gekregen.",
                                          name=participant.name) if participant.email else
                 _("%(name)s neemt niet meer deel.", name=participant.name))


# --- contributions ---------------------------------------------------------------------------------------


def _contribution_form(agenda, participants, me, rights: policy.MeetingRights, formdata=True) -> ContributionForm:
    """Who may contribute: any participant for those who manage the meeting, otherwise oneself."""
    form = ContributionForm() if formdata else ContributionForm(formdata=None)
    allowed = participants if rights.manage else [p for p in participants if me is not None and p.id == me.id]
    form.participant.choices = [(p.id, p.name) for p in allowed]
    if me is not None and not form.participant.data:
        form.participant.data = me.id
    form.agenda_item.choices = [(0, _("Algemeen"))] + [(a.id, f"{a.position}. {a.title}") for a in agenda]
    return form


@bp.post("/overleg/<int:meeting_id>/inbreng")
def contribute(meeting_id: int):
    """R-VO-10: participants bring in their view before the meeting (text and an optional file)."""
    meeting = policy.meeting_or_404(meeting_id)
    actor = policy.current()
    rights = _rights(meeting)
    participants = services.participants_of(meeting)
    me = next((p for p in participants if p.user_id is not None and p.user_id == actor.id), None)
    form = _contribution_form(services.agenda_of(meeting), participants, me, rights)
    if not form.participant.choices:
        abort(403)
    if first := idempotency.replay(form, actor.id):  # the first answer got lost: show it, store no second
        return htmx.redirect_after_post(first)
    refusal = services.contribution_refusal(meeting, actor)
    if refusal:
        form.text.errors = [refusal]
        return _page(meeting, 422, "agenda", contribution_form=form)
    if form.validate_on_submit():
        participant = next(p for p in participants if p.id == form.participant.data)

        def add() -> str:
            services.add_contribution(meeting, participant, (form.text.data or "").strip(), actor,
                                      agenda_item_id=form.agenda_item.data, upload=form.file.data or None)
            return url_for("meetings.show", meeting_id=meeting.id) + "#agenda"

        try:
            outcome = idempotency.once(form, actor.id, add)
        except storage.StorageError as exc:
            form.file.errors = [str(exc)]
        except services.Refused as exc:
            form.text.errors = [str(exc)]
        else:
            if not outcome.created:  # a simultaneous resubmit was first
                idempotency.flash_replayed()
                return htmx.redirect_after_post(outcome.url)
            return _done(meeting, "agenda", _("Je inbreng is opgeslagen."))
    return _page(meeting, 422, "agenda", contribution_form=form)


@bp.get("/overleg/<int:meeting_id>/inbreng/<int:contribution_id>/bestand")
def contribution_file(meeting_id: int, contribution_id: int):
    meeting = policy.meeting_or_404(meeting_id)
    return _send(meeting, read.contribution_attachment(meeting, policy.current(), contribution_id))


@bp.get("/overleg/<int:meeting_id>/documenten/<int:document_id>")
def document(meeting_id: int, document_id: int):
    meeting = policy.meeting_or_404(meeting_id)
    return _send(meeting, read.shared_attachment(meeting, document_id, policy.current()))


def _send(meeting: Meeting, attachment):
    if attachment is None:
        abort(404)
    response = storage.download(attachment)
    audit.read("meeting.attachment.download", "attachment", attachment.id,
               student_id=meeting.student_id, actor=policy.current())
    return response


# --- documents and attendance ----------------------------------------------------------------------------


def _share_form(shareable, formdata=True, chosen=None) -> ShareForm:
    form = ShareForm() if formdata else ShareForm(formdata=None, attachments=chosen or [])
    secret = services.confidential_ids(shareable)
    form.attachments.choices = [(a.id, f"{a.filename} ({_('vertrouwelijk')})" if a.id in secret else a.filename)
                                for a in shareable]
    return form


@bp.post("/overleg/<int:meeting_id>/documenten")
def share(meeting_id: int):
    """The chair picks which dossier documents the participants of this meeting may see."""
    meeting = policy.meeting_or_404(meeting_id)
    rights = _rights(meeting)
    if not rights.dossier:
        abort(403)
    actor = policy.current()
    shareable = services.shareable_attachments(meeting.student, actor)
    form = _share_form(shareable)
    if not form.validate_on_submit():
        return _page(meeting, 422, "documents", share_form=form)
    try:
        services.share_documents(meeting, form.attachments.data or [], actor,
                                 confirmed_confidential=bool(form.confirm_confidential.data))
    except services.Refused:
        names = ", ".join(a.filename for a in services.new_confidential(meeting, form.attachments.data or [], actor))
        form.confirm_confidential.errors = [_(
            "Vertrouwelijk: %(names)s. Iedere deelnemer en iedere gast met een link kan deze documenten dan "
            "openen. Vink de bevestiging aan als je ze toch wilt delen.", names=names)]
        return _page(meeting, 422, "documents", share_form=form)
    return _done(meeting, "documents", _("De gedeelde documenten zijn bijgewerkt."))


@bp.post("/overleg/<int:meeting_id>/aanwezigheid")
def attendance(meeting_id: int):
    meeting = policy.meeting_or_404(meeting_id)
    rights = _rights(meeting)
    if not (rights.manage or rights.report):
        abort(403)
    form = AttendanceForm()
    form.present.choices = [(p.id, p.name) for p in services.participants_of(meeting)]
    refusal = services.attendance_refusal(meeting)
    if refusal:
        form.present.errors = [refusal]
        return _page(meeting, 422, "attendance", attendance_form=form)
    if not form.validate_on_submit():
        return _page(meeting, 422, "attendance", attendance_form=form)
    services.record_attendance(meeting, form.present.data or [], policy.current())
    return _done(meeting, "attendance", _("De aanwezigheid is vastgelegd."))


# --- the report ------------------------------------------------------------------------------------------


def _report_form(participants, report, actions, formdata=True) -> ReportForm:
    if formdata:
        form = ReportForm()
    else:
        rows = [{"action_id": str(a.id), "description": a.description, "owner": a.owner_id,
                 "due_date": a.due_date} for a in actions] + [{}] * ACTION_ROWS
        data = {name: getattr(report, name) for name in (*ReportForm.TEXTS, "next_evaluation_date", "opp")} \
            if report else {}
        form = ReportForm(formdata=None, version=str(report.version if report else 0), actions=rows, **data)
    owners = [(0, "—")] + [(p.id, f"{p.name}{' (' + p.role + ')' if p.role else ''}") for p in participants]
    for row in form.actions:
        row.form.owner.choices = owners
    return form


@bp.post("/overleg/<int:meeting_id>/verslag")
def report(meeting_id: int):
    """R-ROUTE-6, R-ROUTE-7: the chair or minute-taker writes the report (draft, then final into the dossier);
    the views of parents and student separately; actions with owner and date; versioned with conflicts."""
    meeting = policy.meeting_or_404(meeting_id)
    if not _rights(meeting).report:
        abort(403)
    participants = services.participants_of(meeting)
    form = _report_form(participants, None, [])
    finalise = bool(request.form.get("finalise"))
    valid = form.validate_on_submit()
    valid = form.check_dates(*services.date_window(meeting, MAX_DAYS_AHEAD)) and valid
    if not valid or (finalise and not form.finalise_check()):
        return _page(meeting, 422, "report", report_form=form)
    if finalise and services.finalise_refusal(meeting):
        return _page(meeting, 422, "report", report_form=form, finalise_refusal=services.finalise_refusal(meeting))
    try:
        version = int(form.version.data or 0)
        services.save_report(meeting, version, form.values(), form.action_rows(), finalise, policy.current())
    except services.Refused as refused:
        return _page(meeting, 422, "report", report_form=form, finalise_refusal=str(refused))
    except (EditConflict, ValueError) as conflict:
        theirs = getattr(conflict, "current", None) or services.report_of(meeting)
        form.version.data = str(theirs.version if theirs else 0)  # saving again replaces their version
        return _page(meeting, 409, "report", report_form=form, conflict=theirs)
    message = _("Het verslag is definitief en staat in het dossier.") if finalise else _("Het concept is opgeslagen.")
    return _done(meeting, "report", message)


@bp.post("/overleg/<int:meeting_id>/acties/<int:action_id>/afronden")
def close_action(meeting_id: int, action_id: int):
    """The owner, the chair or the care coordinator marks an action done; its reminders stop."""
    meeting = policy.meeting_or_404(meeting_id)
    action = services.action_of(meeting, action_id)
    if action is None:
        abort(404)
    if not _rights(meeting).close_action(action):
        abort(403)
    if not PlainForm().validate_on_submit():
        abort(400)
    closed = services.close_action(meeting, action, policy.current())
    message = _("De actie is afgerond.") if closed else _("Deze actie was al afgerond.")
    target = request.form.get("next", "")
    if target == url_for("notifications.tasks"):
        flash(message, "success")
        return htmx.redirect_after_post(target)
    return _done(meeting, "actions", message)


@bp.post("/overleg/<int:meeting_id>/verslag/delen")
def share_report(meeting_id: int):
    meeting = policy.meeting_or_404(meeting_id)
    report = services.report_of(meeting)
    if not _rights(meeting).share_report:
        abort(403)
    if report is None or report.status != "final" or not ShareReportForm().validate_on_submit():
        abort(400)
    services.share_report(meeting, policy.current())
    return _done(meeting, "report", _("Het verslag is gedeeld met de deelnemers."))


def _print_context(meeting: Meeting) -> dict:
    printable = read.report_for_print(meeting, policy.current())
    if printable is None:
        abort(404)
    return {**printable, "opp_labels": OPP_LABELS}


@bp.get("/overleg/<int:meeting_id>/verslag")
def printable(meeting_id: int):
    meeting = policy.meeting_or_404(meeting_id)
    context = _print_context(meeting)
    audit.read("meeting.report.view", "report", context["report"].id,
               student_id=meeting.student_id, actor=policy.current())
    return render_template("meetings/report_print.html", pdf=False, **context)


@bp.get("/overleg/<int:meeting_id>/verslag.pdf")
def report_pdf(meeting_id: int):
    """The report as a PDF in a layout a school files."""
    meeting = policy.meeting_or_404(meeting_id)
    context = _print_context(meeting)
    audit.read("meeting.report.pdf", "report", context["report"].id,
               student_id=meeting.student_id, actor=policy.current())
    body = pdf.render(render_template("meetings/report_print.html", pdf=True, **context))
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    filename = f"verslag-overleg-{meeting.id}-{meeting.starts_at.strftime('%Y%m%d')}.pdf"
    return downloads.attach(response, filename)
