"""The student dossier: timeline, entries with history and edit conflicts, withdrawal, attachments, inzage-log.

Every page that shows dossier content is an audited read; every change an audited write (IDs only).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _

from portal import htmx, idempotency, policy, versioning
from portal.audit import services as audit
from portal.dossier import inzage as inzage_log, services, storage
from portal.dossier.forms import AttachmentForm, EntryForm, WithdrawForm
from portal.inputs import arg_int
from portal.versioning import EditConflict

bp = Blueprint("dossier", __name__, url_prefix="/leerlingen")

READ = ("dossier", "read")
WRITE = ("dossier", "write")


def _labels() -> dict:
    return {"section_labels": services.section_labels(), "kind_labels": services.kind_labels()}


def _timeline_context(student, upload_form=None) -> dict:
    section = request.args.get("sectie") or None
    if section not in services.section_labels():
        section = None
    before = arg_int(request.args, "voor") or None
    page = services.timeline_page(student, section, before, actor=policy.current())
    return {"student": student, "section": section, "sections": services.sections(), "entries": page.entries,
            "next_cursor": page.next_cursor, "older": before is not None,
            "attachments": services.attachments_by_entry(student, [e.id for e in page.entries]),
            "upload_form": upload_form or AttachmentForm(), **_labels()}


@bp.get("/<int:student_id>/dossier")
def timeline(student_id: int):
    """The newest entries first; "oudere aantekeningen" (``?voor=<id>``) loads the next page: as a page of its own
    without JavaScript, appended to the list with htmx (also when it scrolls into view)."""
    student = policy.student_or_404(student_id, READ)
    audit.read("dossier.view", "student", student.id, student_id=student.id, actor=policy.current())
    block = "entries" if request.args.get("voor") else "timeline"
    return htmx.render("dossier/timeline.html", block=block, **_timeline_context(student))


@bp.route("/<int:student_id>/dossier/nieuw", methods=["GET", "POST"])
def new_entry(student_id: int):
    student = policy.student_or_404(student_id, WRITE)
    form = EntryForm()
    if request.method == "GET" and request.args.get("sectie") in services.section_labels():
        form.section.data = request.args["sectie"]
    if first := idempotency.replay(form, policy.current().id):
        return htmx.redirect_after_post(first)
    if form.validate_on_submit():
        def add() -> str:
            services.add_entry(student, form.values(), actor=policy.current())
            return url_for("dossier.timeline", student_id=student.id)

        outcome = idempotency.once(form, policy.current().id, add)
        return idempotency.answer(outcome, _("De aantekening is opgeslagen."))
    return render_template("dossier/entry_form.html", form=form, student=student, entry=None)


@bp.get("/<int:student_id>/dossier/<int:entry_id>")
def entry(student_id: int, entry_id: int):
    student = policy.student_or_404(student_id, READ)
    item = services.entry_or_404(student, entry_id, allow_withdrawn=True, actor=policy.current())
    return _entry_page(student, item)


def _entry_page(student, item, withdraw_form=None, upload_form=None):
    audit.read("entry.view", "entry", item.id, student_id=student.id, actor=policy.current())
    return render_template("dossier/entry.html", student=student, entry=item,
                           attachments=services.attachments_by_entry(student).get(item.id, []),
                           withdraw_form=withdraw_form or WithdrawForm(),
                           upload_form=upload_form or AttachmentForm(), **_labels())


@bp.route("/<int:student_id>/dossier/<int:entry_id>/bewerken", methods=["GET", "POST"])
def edit_entry(student_id: int, entry_id: int):
    student = policy.student_or_404(student_id, WRITE)
    item = services.entry_or_404(student, entry_id, actor=policy.current())
    form = EntryForm(obj=None if request.method == "POST" else item)
    if request.method == "GET":
        form.version.data = item.version
        audit.read("entry.view", "entry", item.id, student_id=student.id, actor=policy.current())
    elif form.validate_on_submit():
        try:
            services.edit_entry(item, versioning.parse_version(form.version.data), form.values(),
                               actor=policy.current())
        except EditConflict as conflict:
            theirs = conflict.current
            if not policy.entry_visible(theirs, policy.current()):
                abort(404)  # made confidential in the meantime
            # Their text is shown.
            audit.read("entry.view", "entry", item.id, student_id=student.id, actor=policy.current())
            form.version.data = theirs.version  # saving again now deliberately replaces their version
            return render_template("dossier/entry_form.html", form=form, student=student, entry=item,
                                   theirs=theirs, theirs_by=versioning.last_editor_name(theirs),
                                   yours=form.values(), **_labels()), 409
        flash(_("De aantekening is bijgewerkt. De vorige versie staat in de geschiedenis."), "success")
        return htmx.redirect_after_post(url_for("dossier.entry", student_id=student.id, entry_id=item.id))
    return render_template("dossier/entry_form.html", form=form, student=student, entry=item)


@bp.get("/<int:student_id>/dossier/<int:entry_id>/geschiedenis")
def history(student_id: int, entry_id: int):
    student = policy.student_or_404(student_id, READ)
    item = services.entry_or_404(student, entry_id, allow_withdrawn=True, actor=policy.current())
    audit.read("entry.history", "entry", item.id, student_id=student.id, actor=policy.current())
    return render_template("dossier/history.html", student=student, entry=item,
                           revisions=services.revisions(item), **_labels())


@bp.post("/<int:student_id>/dossier/<int:entry_id>/intrekken")
def withdraw(student_id: int, entry_id: int):
    student = policy.student_or_404(student_id, WRITE)
    item = services.entry_or_404(student, entry_id, actor=policy.current())
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _entry_page(student, item, withdraw_form=form)
    services.withdraw_entry(item, form.reason.data.strip(), actor=policy.current())
    flash(_("De aantekening is ingetrokken en verdwijnt uit de tijdlijn. De reden is vastgelegd."), "success")
    return htmx.redirect_after_post(url_for("dossier.timeline", student_id=student.id))


@bp.get("/<int:student_id>/dossier/ingetrokken")
def withdrawn(student_id: int):
    student = policy.student_or_404(student_id, READ)
    policy.require("dossier", "confidential")  # care roles only
    audit.read("dossier.withdrawn", "student", student.id, student_id=student.id, actor=policy.current())
    return render_template("dossier/withdrawn.html", student=student,
                           entries=services.timeline(student, withdrawn=True, actor=policy.current()), **_labels())


@bp.post("/<int:student_id>/dossier/bijlagen")
@bp.post("/<int:student_id>/dossier/<int:entry_id>/bijlagen")
def upload(student_id: int, entry_id: int | None = None):
    student = policy.student_or_404(student_id, WRITE)
    item = services.entry_or_404(student, entry_id, actor=policy.current()) if entry_id else None
    form = AttachmentForm()
    if first := idempotency.replay(form, policy.current().id):
        return htmx.redirect_after_post(first)
    if form.validate_on_submit():
        target = url_for("dossier.entry", student_id=student.id, entry_id=item.id) if item \
            else url_for("dossier.timeline", student_id=student.id)

        def add() -> str:
            services.add_attachment(student, form.file.data, item, actor=policy.current())
            return target

        try:
            outcome = idempotency.once(form, policy.current().id, add)
        except storage.StorageError as exc:
            form.file.errors.append(str(exc))
        else:
            return idempotency.answer(outcome, _("De bijlage is opgeslagen."))
    if item:
        return _entry_page(student, item, upload_form=form)
    audit.read("dossier.view", "student", student.id, student_id=student.id, actor=policy.current())
    return render_template("dossier/timeline.html", **_timeline_context(student, upload_form=form))


@bp.get("/<int:student_id>/bijlagen/<int:attachment_id>")
def download(student_id: int, attachment_id: int):
    student = policy.student_or_404(student_id, READ)
    attachment = services.attachment_or_404(student, attachment_id, actor=policy.current())
    response = storage.download(attachment)
    audit.read("attachment.download", "attachment", attachment.id, student_id=student.id, actor=policy.current())
    return response


@bp.get("/<int:student_id>/inzage")
def inzage(student_id: int):
    student = policy.student_or_404(student_id, ("audit", "read"))
    before = arg_int(request.args, "voor") or None
    # who, what and when in words (the log holds keys and IDs); read before this visit is logged
    log = inzage_log.page(student.id, before)
    audit.read("audit.view", "student", student.id, student_id=student.id, actor=policy.current())
    return render_template("dossier/inzage.html", student=student, log=log, events=log.items, older=bool(before))


@bp.errorhandler(413)
def too_large(exc):
    """Flask refused the upload before the view ran: say so in Dutch, with the limit."""
    student_id = (request.view_args or {}).get("student_id")
    back = url_for("dossier.timeline", student_id=student_id) if student_id else url_for("students.index")
    return render_template("dossier/too_large.html", mb=current_app.config["MAX_ATTACHMENT_MB"], back=back), 413
