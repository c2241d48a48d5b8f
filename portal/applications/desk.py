"""The SWV's side of the desk: the queue of submitted applications, an application as the SWV sees it (only what
was submitted and shared), its workflow steps, assigning deskundigen, the decision letter; the deskundige's own
advices; the SWV administrator's deskundigen and letter details.

SWV staff and deskundigen never see a student's dossier or traject: every page here reads the application and
the items the school shared with it, nothing else (R-DRE-AVG: data minimisation).
"""

from __future__ import annotations

import dataclasses

from flask import Blueprint, abort, current_app, flash, make_response, request, url_for
from flask_babel import gettext as _

from portal import clock, csvfile, downloads, htmx, policy
from portal.applications import letters, objection_forms, objection_page, objections, queue, read, services
from portal.applications.desk_forms import (AdviceForm, AdvisorForm, AssignForm, ConfirmForm, SettingsForm,
                                            step_form)
from portal.applications.types import PROFESSIONS
from portal.applications.workflow import ACTION_LABELS, STATUS_LABELS, Action, Side, Status
from portal.audit import services as audit
from portal.dossier import storage

bp = Blueprint("desk", __name__)

REVIEW = ("application", "review")
ADVISE = ("application", "advise")
MANAGE = ("swv", "manage")
ASSIGNABLE = (Status.SUBMITTED, Status.IN_REVIEW, Status.OBJECTION)
# The reason fields each step shows (templates/applications/desk_detail.html).
_REASON_FIELDS = {"request_addition": ("question",), "grant": ("motivation",), "refuse": ("motivation",),
                  "uphold_objection": ("motivation",), "dismiss_objection": ("motivation",)}


def _done(message: str, endpoint: str, **values):
    flash(message, "success")
    return htmx.redirect_after_post(url_for(endpoint, **values))


# --- the queue ------------------------------------------------------------------------------------------------

@bp.get("/swv/aanvragen")
def queue_page():
    actor = policy.current()
    policy.require(*REVIEW, actor=actor)
    filters = queue.Filters.from_args(request.args)
    page = queue.search(filters, int(current_app.config["PAGE_SIZE"]), actor=actor)
    audit.read("application.queue", "application", None, actor=actor)
    return htmx.render("applications/desk_queue.html", block="results", page=page, filters=filters,
                       choices=queue.choices(actor=actor), status_labels=STATUS_LABELS, type_label=services.type_label,
                       Status=Status)


@bp.get("/swv/aanvragen.csv")
def queue_csv():
    actor = policy.current()
    policy.require(*REVIEW, actor=actor)
    filters = queue.Filters.from_args(request.args)
    rows = queue.all_rows(filters, actor=actor)
    audit.read("application.csv", "application", None, actor=actor)
    return csvfile.response(f"aanvragen-{clock.today():%Y%m%d}.csv", queue.CSV_HEADERS,
                            [queue.csv_values(row) for row in rows])


# --- one application, as the SWV sees it ------------------------------------------------------------------------

def _summary(application) -> dict:
    """What the application holds for the SWV and the deskundigen (the read model every viewer shares): only
    what was submitted and shared."""
    return {"application": application, "view": read.view_of(application),
            "type_label": services.type_label(application.type_key), "age_days": queue.age_in_days(application),
            "conclusions": services.CONCLUSIONS}


def _assign_forms(application, posted: AssignForm | None = None) -> list[tuple]:
    kind = services.type_of(application)
    if not kind or application.status not in ASSIGNABLE:
        return []
    advisors = services.active_advisors()
    current = {a.need: a for a in services.advices_of(application)}
    out = []
    for need in kind.advices:
        if posted is not None and posted.need == need.key:
            form = posted
        else:
            given = current.get(need.key)
            form = AssignForm(formdata=None, prefix=f"need-{need.key}", advisor=str(given.advisor_id) if given else "")
            form.need = need.key
        form.advisor.choices = [("", _("Kies een deskundige"))] + [
            (str(a.id), f"{a.user.name} ({PROFESSIONS.get(a.profession, a.profession)}"
                        f"{', ' + a.organisation if a.organisation else ''})")
            for a in advisors if a.profession in need.professions]
        out.append((need, form, current.get(need.key)))
    return out


# Steps with their own forms (objection_page): an objection, and the decision on it.
OWN_FORMS = (Action.RECORD_OBJECTION, Action.UPHOLD_OBJECTION, Action.DISMISS_OBJECTION)


def _detail(application, *, step=None, assign=None, reasons=(), reasons_for: str = "", status: int = 200,
            objection_form=None, objection_step=None):
    offered = [a for a in services.offered_actions(application, Side.SWV) if a not in OWN_FORMS]
    kind = services.type_of(application)
    forms = []
    for action in offered:
        if step is not None and step.action == action.value:
            forms.append((action, step))
        else:
            forms.append((action, step_form(kind, action.value, formdata=None)))
    # Every problem also at the top of the page: the form it belongs to can be far below (status 422).
    posted_step = objection_step[1] if objection_step else None
    problems = [*reasons, *(f"{field.label.text}: {error}" for posted in (step, assign, objection_form, posted_step)
                            if posted is not None
                            for field in posted for error in field.errors)]
    response = htmx.render(
        "applications/desk_detail.html", **_summary(application), action_labels=ACTION_LABELS, step_forms=forms,
        problems=problems, problem_anchor=f"step-{reasons_for}" if reasons_for else "",
        reasons=list(reasons),
        reasons_for=reasons_for, assign_forms=_assign_forms(application, assign), letter=letters.has_letter(application),
        letter_sent=letters.stored_letter(application) is not None if letters.has_letter(application) else False,
        send_form=ConfirmForm(formdata=None), reason_fields=_REASON_FIELDS,
        objections=objection_page.section(application, Side.SWV, posted_new=objection_form,
                                          posted_step=objection_step),
        traject_url=url_for("route.traject", student_id=application.student_id)
        if policy.opens_student(("route", "view"), policy.current(), application.student_id) else None)
    response.status_code = status
    return response


@bp.get("/swv/aanvragen/<int:application_id>")
def detail(application_id: int):
    actor = policy.current()
    application = policy.application_or_404(application_id, REVIEW)
    audit.read("application.view", "application", application.id, student_id=application.student_id, actor=actor)
    return _detail(application)


@bp.post("/swv/aanvragen/<int:application_id>/stap")
def step(application_id: int):
    actor = policy.current()
    application = policy.application_or_404(application_id, REVIEW)
    action = request.form.get("action", "")
    offered = {a.value for a in services.offered_actions(application, Side.SWV) if a not in OWN_FORMS}
    if action not in offered:
        return _detail(application, reasons=[_("Deze stap kan nu niet bij deze aanvraag.")], status=422)
    form = step_form(services.type_of(application), action)
    if not form.validate_on_submit():
        shown = {*form.decision_keys, *_REASON_FIELDS.get(action, ())}
        hidden = [f"{field.label.text}: {error}" for field in form if field.name.split("-", 1)[-1] not in shown
                  for error in field.errors]  # e.g. an expired CSRF token, a field this step does not show
        return _detail(application, step=form, reasons=hidden, reasons_for=action, status=422)
    data = {"question": form.question.data or "", "motivation": form.motivation.data or "",
            **{key: form[key].data for key in form.decision_keys}}
    try:
        services.act(application, Action(action), data, actor=actor)
    except services.Refused as refused:
        return _detail(application, step=form, reasons=refused.reasons, reasons_for=action, status=422)
    return _done(_("Gedaan: %(step)s.", step=_(ACTION_LABELS[Action(action)])), "desk.detail",
                 application_id=application.id)


@bp.post("/swv/aanvragen/<int:application_id>/bezwaar")
def record_objection(application_id: int):
    """Record an objection the SWV received (from the parents, the student of age or the school board)."""
    actor = policy.current()
    application = policy.application_or_404(application_id, REVIEW)
    form = objection_forms.ObjectionForm(read.view_of(application).guardians,
                                         application.decided_on is not None and objections.objects_alone(application))
    if not form.validate_on_submit():
        return _detail(application, objection_form=form, status=422)
    try:
        objections.record(application, **form.values(), actor=actor)
    except services.Refused as refused:
        form.filer.errors = list(refused.reasons)
        return _detail(application, objection_form=form, status=422)
    return _done(_("Het bezwaar is vastgelegd."), "desk.detail", application_id=application.id)


@bp.post("/swv/aanvragen/<int:application_id>/bezwaar/stap")
def objection_step(application_id: int):
    """One step of the SWV on the open objection: the LBT's advice asked and received, a late objection judged,
    the term postponed, the decision on the objection."""
    actor = policy.current()
    application = policy.application_or_404(application_id, REVIEW)
    step = request.form.get("step", "")
    if step not in objection_forms.OBJECTION_STEPS:
        return _detail(application, reasons=[_("Deze stap kan nu niet bij deze aanvraag.")], status=422)
    form = objection_forms.OBJECTION_STEPS[step](prefix=step)
    if not form.validate_on_submit():
        return _detail(application, objection_step=(step, form), status=422)
    try:
        _objection_step(application, step, form, actor)
    except services.Refused as refused:
        first = next(f for f in form if f.short_name != "csrf_token")  # the messages stand at its first field
        first.errors = list(refused.reasons)
        return _detail(application, objection_step=(step, form), status=422)
    return _done(_("Vastgelegd bij het bezwaar."), "desk.detail", application_id=application.id)


def _objection_step(application, step: str, form, actor) -> None:
    if step == "lbt-verzoek":
        objections.request_committee_advice(application, requested_on=form.requested_on.data,
                                            reference=form.reference.data or "", actor=actor)
    elif step == "lbt-advies":
        objections.record_committee_advice(application, advice_on=form.advice_on.data, advice=form.advice.data or "",
                                           actor=actor)
    elif step == "termijnoverschrijding":
        objections.judge_lateness(application, excusable=form.excusable.data == "ja", reason=form.reason.data or "",
                                  actor=actor)
    elif step == "verdagen":
        objections.postpone(application, reason=form.reason.data or "", actor=actor)
    else:
        objections.decide(application, outcome=form.outcome.data, motivation=form.motivation.data or "", actor=actor)


@bp.post("/swv/aanvragen/<int:application_id>/deskundige")
def assign(application_id: int):
    actor = policy.current()
    application = policy.application_or_404(application_id, REVIEW)
    need = request.form.get("need", "")
    kind = services.type_of(application)
    if not kind or kind.advice_need(need) is None or application.status not in ASSIGNABLE:
        return _detail(application, reasons=[_("Deze aanvraag vraagt nu niet om dit advies.")], status=422)
    form = AssignForm(prefix=f"need-{need}")
    form.need = need
    if not form.validate_on_submit():
        return _detail(application, assign=form, status=422)
    advisor_id = int(form.advisor.data) if (form.advisor.data or "").isdigit() else 0
    try:
        services.assign(application, need, advisor_id, form.due_on.data, actor=actor)
    except services.Refused as refused:
        form.advisor.errors = list(refused.reasons)
        return _detail(application, assign=form, status=422)
    return _done(_("De deskundige is om advies gevraagd."), "desk.detail", application_id=application.id)


@bp.get("/swv/aanvragen/<int:application_id>/stukken/<int:item_id>")
def document(application_id: int, item_id: int):
    application = policy.application_or_404(application_id, REVIEW)
    return _shared_item(application, item_id, back=url_for("desk.detail", application_id=application.id))


def _shared_item(application, item_id: int, back: str):
    """A shared attachment (download) or a shared dossier entry (read), nothing else; audited."""
    actor = policy.current()
    item = read.shared_item_or_none(application, item_id) or abort(404)
    if item.entry_id and item.entry.withdrawn_at is not None:
        abort(404)  # the school withdrew the entry from the dossier: it is no longer shared either
    audit.read("application.document", "application", application.id, student_id=application.student_id,
               actor=actor)
    if item.attachment_id:
        return storage.download(item.attachment)
    return htmx.render("applications/desk_entry.html", entry=item.entry, back=back,
                       type_label=services.type_label(application.type_key))


# --- the decision letter ----------------------------------------------------------------------------------------

@bp.get("/swv/aanvragen/<int:application_id>/besluit.pdf")
def letter_pdf(application_id: int):
    application = policy.application_or_404(application_id, REVIEW)
    return letter_response(application)


def letter_response(application):
    """The letter as a download; the school's side calls this too, after its own ``application_or_404``."""
    try:
        name, body = letters.download(application, actor=policy.current())
    except letters.NoLetter:
        abort(404)
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    return downloads.attach(response, name)


@bp.post("/swv/aanvragen/<int:application_id>/besluit/versturen")
def send_letter(application_id: int):
    actor = policy.current()
    application = policy.application_or_404(application_id, REVIEW)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _detail(application, reasons=[_("Het formulier is verlopen; probeer het opnieuw.")], status=422)
    try:
        sent = letters.send(application, actor=actor)
    except services.Refused as refused:
        return _detail(application, reasons=refused.reasons, reasons_for="letter", status=422)
    return _done(_("De besluitbrief is verstuurd aan %(names)s.", names=", ".join(r.name for r in sent)),
                 "desk.detail", application_id=application.id)


# --- the deskundige ---------------------------------------------------------------------------------------------

@bp.get("/advies")
def advices():
    actor = policy.current()
    policy.require(*ADVISE, actor=actor)
    return htmx.render("applications/desk_advices.html", advices=services.advices_for(actor),
                       type_label=services.type_label, status_labels=STATUS_LABELS, conclusions=services.CONCLUSIONS)


def _advice_page(advice, form: AdviceForm, reasons=(), status: int = 200):
    application = advice.application
    kind = services.type_of(application)
    need = kind.advice_need(advice.need) if kind else None
    context = _summary(application)
    view = context["view"]
    # A deskundige reads their own advice, never another's: each advice is independent (R-LAW-TLV-5).
    context["view"] = dataclasses.replace(
        view, advices=[a for a in view.advices if a.id == advice.id],
        advice_needs=[(n, a) for n, a in view.advice_needs if n.key == advice.need])
    response = htmx.render("applications/desk_advice.html", **context, advice=advice, need=need, form=form,
                           reasons=list(reasons))
    response.status_code = status
    return response


@bp.route("/advies/<int:advice_id>", methods=["GET", "POST"])
def advice(advice_id: int):
    actor = policy.current()
    advice_row = policy.advice_or_404(advice_id, actor)
    application = advice_row.application
    form = AdviceForm()
    if request.method == "GET":
        audit.read("application.view", "application", application.id, student_id=application.student_id,
                   actor=actor)
        return _advice_page(advice_row, AdviceForm(formdata=None, signed_name=""))
    if advice_row.signed_at is not None:
        return _advice_page(advice_row, form, reasons=[_("Dit advies is al ondertekend.")], status=422)
    if not form.validate_on_submit():
        return _advice_page(advice_row, form, status=422)
    try:
        services.give_advice(advice_row, conclusion=form.conclusion.data, text=form.text.data,
                             signed_name=form.signed_name.data, actor=actor)
    except services.Refused as refused:
        return _advice_page(advice_row, form, reasons=refused.reasons, status=422)
    return _done(_("Uw advies is ondertekend en naar het samenwerkingsverband gestuurd."), "desk.advice",
                 advice_id=advice_row.id)


@bp.get("/advies/<int:advice_id>/stukken/<int:item_id>")
def advice_document(advice_id: int, item_id: int):
    advice_row = policy.advice_or_404(advice_id)
    return _shared_item(advice_row.application, item_id, back=url_for("desk.advice", advice_id=advice_row.id))


# --- the SWV administrator: deskundigen and letter details -------------------------------------------------------

def _advisor_page(form: AdvisorForm, advisor=None, status: int = 200):
    response = htmx.render("applications/desk_advisors.html", form=form, advisor=advisor,
                           advisors=services.all_advisors(), professions=PROFESSIONS)
    response.status_code = status
    return response


def _user_choices(form: AdvisorForm, advisor=None) -> None:
    accounts = services.advisor_accounts(include=advisor.user_id if advisor else None)
    form.user.choices = [("", _("Kies een account"))] + [(str(u.id), f"{u.name} ({u.email})") for u in accounts]


@bp.route("/beheer/deskundigen", methods=["GET", "POST"])
def advisors():
    actor = policy.current()
    policy.require(*MANAGE, actor=actor)
    form = AdvisorForm() if request.method == "POST" else AdvisorForm(formdata=None)
    _user_choices(form)
    if request.method == "POST":
        return _save_advisor(form, None, actor)
    return _advisor_page(form)


@bp.route("/beheer/deskundigen/<int:advisor_id>", methods=["GET", "POST"])
def advisor_edit(advisor_id: int):
    actor = policy.current()
    policy.require(*MANAGE, actor=actor)
    advisor = services.advisor_or_none(advisor_id) or abort(404)
    if request.method == "POST":
        form = AdvisorForm()
    else:
        form = AdvisorForm(formdata=None, user=str(advisor.user_id), profession=advisor.profession,
                           organisation=advisor.organisation, active=advisor.active)
    _user_choices(form, advisor)
    if request.method == "POST":
        form.user.data = str(advisor.user_id)  # the account of a profile does not change
        return _save_advisor(form, advisor, actor)
    return _advisor_page(form, advisor)


def _save_advisor(form: AdvisorForm, advisor, actor):
    if not form.validate_on_submit():
        return _advisor_page(form, advisor, status=422)
    user_id = int(form.user.data) if (form.user.data or "").isdigit() else 0
    try:
        services.save_advisor(user_id, form.profession.data, form.organisation.data or "", bool(form.active.data),
                              actor=actor)
    except services.Refused as refused:
        form.user.errors = list(refused.reasons)
        return _advisor_page(form, advisor, status=422)
    return _done(_("De gegevens van de deskundige zijn opgeslagen."), "desk.advisors")


@bp.route("/beheer/swv", methods=["GET", "POST"])
def swv_settings():
    actor = policy.current()
    policy.require(*MANAGE, actor=actor)
    current = services.settings()
    form = SettingsForm(obj=current) if request.method == "POST" else SettingsForm(formdata=None, obj=current)
    if request.method == "POST":
        if form.validate_on_submit():
            services.save_settings({key: (form[key].data or "").strip() for key in
                                    ("name", "address", "objection_address", "signatory", "signatory_role",
                                     "email")}, actor=actor)
            return _done(_("De gegevens van het samenwerkingsverband zijn opgeslagen."), "desk.swv_settings")
        response = htmx.render("applications/desk_settings.html", form=form)
        response.status_code = 422
        return response
    return htmx.render("applications/desk_settings.html", form=form)
