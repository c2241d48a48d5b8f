"""The school's side of applications to the SWV: a student's applications, drawing one up, sharing documents from
the dossier, recording signatures, and the school's steps (submit, supplement, withdraw, object, extend).

The SWV's side (queue, decisions, letters) and the deskundigen's pages live in ``desk.py``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock, htmx, labels, policy, versioning
from portal.applications import fields, letters, objection_forms, objection_page, objections, read, services
from portal.applications.desk import letter_response
from portal.applications.forms import NewApplicationForm, PlainForm, ShareForm, SignatureForm, StepForm, page_form
from portal.applications.workflow import ACTION_LABELS, STATUS_LABELS, TRANSITIONS, Action, Side, Status
from portal.audit import services as audit
from portal.dossier import storage

bp = Blueprint("applications", __name__)

VIEW = ("application", "view")
WRITE = ("application", "write")
SCHOOL_SCOPES = (policy.SCHOOL, policy.OWN_GROUPS)

# What the explanation of a step is called on its form (the table names the field that must hold it).
REASON_LABELS = {
    "reason": _l("Waarom trekt u de aanvraag in?"),
    "answer": _l("Uw aanvulling op de vraag van het samenwerkingsverband"),
    "grounds": _l("De gronden van het bezwaar (van de ouders of de leerling)"),
}


def _school_side(feature=VIEW) -> None:
    """These pages belong to the school: the SWV's side works in its own workspace and sees no dossier."""
    if policy.require(*feature) not in SCHOOL_SCOPES:
        abort(404)


def _student(student_id: int, feature=VIEW):
    _school_side(feature)
    return policy.student_or_404(student_id, feature)


def _application(application_id: int, feature=VIEW):
    _school_side(feature)
    return policy.application_or_404(application_id, feature)


@bp.get("/leerlingen/<int:student_id>/aanvragen")
def index(student_id: int):
    student = _student(student_id)
    actor = policy.current()
    rows = list(policy.applications(VIEW).where(services.Application.student == student.id)
                .order_by(services.Application.created_at.desc()))
    kinds = services.available_types(student)
    form = NewApplicationForm(kinds) if actor.can(*WRITE) and kinds else None
    audit.read("application.list", "student", student.id, student_id=student.id, actor=actor)
    return render_template("applications/index.html", student=student, applications=rows, form=form,
                           labels={r.id: services.type_label(r.type_key) for r in rows},
                           statuses={r.id: STATUS_LABELS[Status(r.status)] for r in rows})


@bp.post("/leerlingen/<int:student_id>/aanvragen")
def create(student_id: int):
    student = _student(student_id, WRITE)
    form = NewApplicationForm(services.available_types(student))
    if not form.validate_on_submit():
        flash(_("Kies een soort aanvraag uit de lijst."), "error")
        return htmx.redirect_after_post(url_for("applications.index", student_id=student.id))
    try:
        application = services.create(student, form.type_key.data, actor=policy.current())
    except services.Refused as refused:
        flash(" ".join(refused.reasons), "error")
        return htmx.redirect_after_post(url_for("applications.index", student_id=student.id))
    flash(_("De aanvraag is begonnen als concept."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id))


def _page(application, *, form=None, share_form=None, signature_form=None, step_forms=None, errors=None,
          objection_form=None, outcome_form=None, status: int = 200):
    actor = policy.current()
    rights = policy.application_rights(application, actor)
    view = read.view_of(application)
    kind = view.kind
    editable = rights.school and application.status in (Status.CONCEPT, Status.ADDITION_REQUESTED)
    if editable and form is None:
        form = page_form(kind, data=fields.load_values(kind, services.data_of(application)),
                         formdata=None)
        form.version.data = application.version
        if kind.receiving_school:
            form.receiving_school.data = application.receiving_school
    entries, attachments = services.shareable(application, actor) if editable else ([], [])
    if editable and share_form is None:
        share_form = ShareForm(entries, attachments, kind, _entry_kinds(), formdata=None)
    if editable and signature_form is None and kind.signatures:
        signature_form = SignatureForm(view.guardians, services.is_adult(application.student), formdata=None,
                                       signed_on=clock.today())
    actions = services.offered_actions(application, Side.SCHOOL) if rights.school else []
    # An objection and a recorded outcome have their own forms (objection_page): not the plain step form.
    actions = [a for a in actions if a not in OWN_FORMS]
    side = Side.SCHOOL if rights.school else None
    objection_section = objection_page.section(application, side, posted_new=objection_form,
                                               posted_outcome=outcome_form)
    step_forms = step_forms or {}
    for action in actions:
        step_forms.setdefault(action.value, StepForm(formdata=None, action=action.value))
    # Every problem also at the top of the page: the form it belongs to can be far below (status 422).
    problems = [*(errors or []), *(f"{field.label.text}: {error}" for posted in
                                   (form, share_form, signature_form, objection_form, outcome_form,
                                    *step_forms.values())
                                   if posted is not None for field in posted for error in field.errors)]
    audit.read("application.view", "application", application.id, student_id=application.student_id, actor=actor)
    return render_template("applications/show.html", problems=problems if status >= 400 else [], view=view, student=application.student, rights=rights,
                           form=form if editable else None, share_form=share_form if editable else None,
                           signature_form=signature_form if editable else None, actions=actions,
                           step_forms=step_forms, action_labels=ACTION_LABELS, reason_label=_reason_label,
                           errors=errors or [], plain=PlainForm(formdata=None),
                           extendable=rights.school and kind.extendable and application.status == Status.GRANTED
                           and services.extension_of(application) is None,
                           objections=objection_section, letter=letters.has_letter(application),
                           ), status


OWN_FORMS = (Action.OBJECT, Action.RECORD_GRANTED, Action.RECORD_REFUSED)


def _entry_kinds() -> dict:
    return {key: str(label) for key, label in labels.SOURCE_TYPES.items()}


def _reason_label(action: str):
    field_name = next((f for (_, a), (_, _, f) in TRANSITIONS.items() if a.value == action and f), None)
    return REASON_LABELS.get(field_name) if field_name else None


@bp.get("/aanvragen/<int:application_id>")
def show(application_id: int):
    return _page(_application(application_id))


@bp.post("/aanvragen/<int:application_id>")
def save(application_id: int):
    application = _application(application_id, WRITE)
    kind = services.type_of(application)
    form = page_form(kind)
    if not form.validate_on_submit():
        return _page(application, form=form, status=422)
    values = {name: form[name].data for name in fields.vars_of(kind.form)}
    receiving = (form.receiving_school.data or "").strip() if kind.receiving_school else ""  # a field left out
    try:
        services.save(application, versioning.parse_version(form.version.data), values, receiving,
                      actor=policy.current())
    except versioning.EditConflict:
        return _page(application, form=form, status=409,
                     errors=[_("Iemand anders heeft deze aanvraag intussen opgeslagen. Uw invoer staat hieronder; "
                               "kijk de gegevens na en sla opnieuw op.")])
    except services.Refused as refused:
        return _page(application, form=form, errors=refused.reasons, status=422)
    flash(_("De aanvraag is opgeslagen."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id))


@bp.post("/aanvragen/<int:application_id>/delen")
def share(application_id: int):
    application = _application(application_id, WRITE)
    actor = policy.current()
    entries, attachments = services.shareable(application, actor)
    form = ShareForm(entries, attachments, services.type_of(application), _entry_kinds())
    if not form.validate_on_submit():
        return _page(application, share_form=form, status=422)
    try:
        for choice in form.items.data:
            what, _sep, object_id = choice.partition(":")
            services.share(application, entry_id=int(object_id) if what == "entry" else None,
                           attachment_id=int(object_id) if what == "attachment" else None,
                           need=form.need.data or "", actor=actor)
    except services.Refused as refused:
        form.items.errors = refused.reasons
        return _page(application, share_form=form, status=422)
    flash(_("De stukken worden gedeeld met het samenwerkingsverband."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id) + "#gedeeld")


@bp.post("/aanvragen/<int:application_id>/delen/<int:item_id>/stoppen")
def unshare(application_id: int, item_id: int):
    application = _application(application_id, WRITE)
    if read.shared_item_or_none(application, item_id) is None:
        abort(404)
    if PlainForm().validate_on_submit():
        try:
            services.unshare(application, item_id, actor=policy.current())
        except services.Refused as refused:
            flash(" ".join(refused.reasons), "error")
        else:
            flash(_("Het stuk wordt niet meer gedeeld."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id) + "#gedeeld")


@bp.post("/aanvragen/<int:application_id>/ondertekening")
def sign(application_id: int):
    application = _application(application_id, WRITE)
    guardians = read.view_of(application).guardians
    form = SignatureForm(guardians, services.is_adult(application.student))
    if not form.validate_on_submit():
        return _page(application, signature_form=form, status=422)
    upload = form.scan.data if getattr(form.scan.data, "filename", "") else None
    try:
        services.record_signature(application, guardian_id=None if form.who.data == "student" else int(form.who.data),
                                  name="", signed_on=form.signed_on.data, agrees=form.agrees.data == "ja",
                                  view=form.view.data or "", upload=upload, actor=policy.current())
    except services.Refused as refused:
        form.who.errors = refused.reasons
        return _page(application, signature_form=form, status=422)
    except storage.StorageError as exc:
        form.scan.errors = [str(exc)]
        return _page(application, signature_form=form, status=422)
    flash(_("De ondertekening is vastgelegd."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id) + "#ondertekening")


@bp.post("/aanvragen/<int:application_id>/stap")
def step(application_id: int):
    application = _application(application_id, WRITE)
    form = StepForm()
    try:
        action = Action(request.form.get("action", ""))
    except ValueError:
        return _page(application, errors=[_("Kies een stap uit de lijst.")], status=422)
    if not form.validate_on_submit():
        return _page(application, step_forms={action.value: form}, status=422)
    reason_field = TRANSITIONS.get((Status(application.status), action), (None, None, None))[2]
    data = {reason_field: form.reason.data} if reason_field else {}
    try:
        services.act(application, action, data, actor=policy.current())
    except services.Refused as refused:
        form.reason.errors = refused.reasons
        return _page(application, step_forms={action.value: form}, status=422)
    flash(_("%(step)s: gelukt.", step=ACTION_LABELS[action]), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id))


@bp.get("/aanvragen/<int:application_id>/besluit.pdf")
def letter(application_id: int):
    """The decision letter, as the SWV sent it (the same document the desk downloads)."""
    return letter_response(_application(application_id))


@bp.post("/aanvragen/<int:application_id>/verlengen")
def extend(application_id: int):
    """An extension is a new application that starts from the granted one (its values and receiving school)."""
    application = _application(application_id, WRITE)
    if not PlainForm().validate_on_submit():
        return redirect(url_for("applications.show", application_id=application.id))
    kind = services.type_of(application)
    if not (kind.extendable and application.status == Status.GRANTED):
        flash(_("Alleen een toegekende aanvraag kan worden verlengd."), "error")
        return htmx.redirect_after_post(url_for("applications.show", application_id=application.id))
    try:
        new = services.create(application.student, application.type_key, actor=policy.current(),
                              previous=application)
    except services.Refused as refused:
        flash(" ".join(refused.reasons), "error")
        follower = services.extension_of(application)
        return htmx.redirect_after_post(url_for("applications.show", application_id=(follower or application).id))
    flash(_("De verlenging is begonnen als concept, met de gegevens van de vorige aanvraag."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=new.id))


@bp.post("/aanvragen/<int:application_id>/bezwaar")
def object_to(application_id: int):
    """Record an objection the school received from the parents (the student of age) or its school board."""
    application = _application(application_id, WRITE)
    guardians = read.view_of(application).guardians
    form = objection_forms.ObjectionForm(guardians, application.decided_on is not None
                                         and objections.objects_alone(application))
    if not form.validate_on_submit():
        return _page(application, objection_form=form, status=422)
    try:
        objections.record(application, **form.values(), actor=policy.current())
    except services.Refused as refused:
        form.filer.errors = list(refused.reasons)
        return _page(application, objection_form=form, status=422)
    flash(_("Het bezwaar is vastgelegd en ligt bij het samenwerkingsverband."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id))


@bp.post("/aanvragen/<int:application_id>/uitkomst")
def record_outcome(application_id: int):
    """The outcome of a decision the SWV does not take (an OTV, a vrijstelling, an admission), as decided."""
    application = _application(application_id, WRITE)
    kind = services.type_of(application)
    form = objection_forms.outcome_form(kind)
    if not form.validate_on_submit():
        return _page(application, outcome_form=form, status=422)
    action = Action.RECORD_GRANTED if form.outcome.data == "granted" else Action.RECORD_REFUSED
    data = {services.OUTCOME_ON: form.outcome_on.data, "motivation": form.motivation.data or "",
            **{key: form[key].data for key in form.decision_keys}}
    try:
        services.act(application, action, data, actor=policy.current())
    except services.Refused as refused:
        form.outcome.errors = list(refused.reasons)
        return _page(application, outcome_form=form, status=422)
    flash(_("Het besluit is vastgelegd."), "success")
    return htmx.redirect_after_post(url_for("applications.show", application_id=application.id))
