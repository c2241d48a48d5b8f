"""The student's OPP page (view, edit a part, answers to the handelingsdeel, evaluations, history, PDF) and the
school's list of OPPs to register or deregister in the ROD (page and CSV)."""

from __future__ import annotations


from flask import Blueprint, abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock, csvfile, downloads, htmx, pdf, policy, versioning
from portal.audit import services as audit
from portal.dossier import storage
from portal.opp import services
from portal.opp.forms import (EvaluationForm, HandelingsdeelForm, NewOppForm, PerspectiveForm, RegistrationForm,
                              ResponseForm, goals_form)
from portal.students import services as students

bp = Blueprint("opp", __name__)

VIEW = ("opp", "view")
WRITE = ("opp", "write")

# The parts of the OPP, each with its own form and page: URL segment -> (form factory, heading).
PARTS = {
    "perspectief": (PerspectiveForm, _l("Uitstroomperspectief en onderbouwing")),
    "doelen": (goals_form, _l("Doelen per ontwikkelingsgebied")),
    "handelingsdeel": (HandelingsdeelForm, _l("Handelingsdeel")),
    "registratie": (RegistrationForm, _l("Looptijd en registratie in het ROD")),
}


def _opp_or_404(student):
    opp = services.opp_of(student)
    if opp is None:
        abort(404)
    return opp


def _page(student, *, response_form=None, evaluation_form=None, new_form=None, errors=(), status=200):
    actor = policy.current()
    opp = services.opp_of(student)
    can_write = services.may_write(student, actor)
    context = {"student": student, "opp": opp, "can_write": can_write, "errors": list(errors)}
    if opp is None:
        context["new_form"] = new_form or (NewOppForm(formdata=None) if can_write else None)
    else:
        guardians = students.guardians_of(student)
        context.update(status=services.status_of(opp), sections=services.sections_of(opp),
                       responses=services.responses_of(opp), evaluations=services.evaluations_of(opp),
                       draw_up_due=services.draw_up_due(opp), evaluation_due=services.evaluation_due(opp),
                       response_form=response_form or (ResponseForm(guardians, formdata=None) if can_write else None),
                       evaluation_form=evaluation_form or (EvaluationForm(formdata=None) if can_write else None),
                       parts=list(PARTS))
        audit.read("opp.view", "opp", opp.id, student_id=student.id, actor=actor)
    return render_template("opp/show.html", **context), status


@bp.get("/leerlingen/<int:student_id>/opp")
def show(student_id: int):
    return _page(policy.student_or_404(student_id, VIEW))


@bp.post("/leerlingen/<int:student_id>/opp")
def create(student_id: int):
    student = policy.student_or_404(student_id, WRITE)
    form = NewOppForm()
    if not form.validate_on_submit():
        return _page(student, new_form=form, status=422)
    try:
        services.create(student, form.support_start.data, actor=policy.current())
    except services.Refused as refused:
        flash(" ".join(refused.reasons), "error")
    else:
        flash(_("Het OPP is begonnen als concept."), "success")
    return htmx.redirect_after_post(url_for("opp.show", student_id=student.id))


def _part_form(part: str, opp, formdata=None):
    factory, _heading = PARTS[part]
    if formdata is None:
        stored = {name: getattr(opp, name) for name in services.Opp.VERSIONED_FIELDS}
        data = services.goals_of(opp) if part == "doelen" else stored
        form = factory(data=data, formdata=None)
        form.version.data = opp.version
        return form
    return factory()


def edit(student_id: int, part: str):
    student = policy.student_or_404(student_id, WRITE)
    opp = _opp_or_404(student)
    actor = policy.current()
    heading = str(PARTS[part][1])
    if request.method == "GET":
        audit.read("opp.view", "opp", opp.id, student_id=student.id, actor=actor)
        return render_template("opp/edit.html", student=student, opp=opp, form=_part_form(part, opp),
                               heading=heading, part=part)
    form = _part_form(part, opp, formdata=True)
    if not form.validate_on_submit():
        return render_template("opp/edit.html", student=student, opp=opp, form=form, heading=heading,
                               part=part), 422
    try:
        services.save(opp, versioning.parse_version(form.version.data), form.values(), actor=actor)
    except services.Refused as refused:  # nothing is stored; what was typed stays in the form
        for name, message in refused.fields.items():
            form[name].errors = [*form[name].errors, message]
        return render_template("opp/edit.html", student=student, opp=opp, form=form, heading=heading,
                               part=part), 422
    except versioning.EditConflict as conflict:
        theirs = versioning.snapshot(conflict.current)
        yours = form.values()
        if part == "doelen":
            theirs, yours = services.goals_of(conflict.current), yours["goals"]
        form.version.data = conflict.current.version  # saving again deliberately replaces their version
        return render_template("opp/edit.html", student=student, opp=opp, form=form, heading=heading, part=part,
                               conflict_rows=versioning.conflict_rows(form, theirs, yours),
                               conflict_by=versioning.last_editor_name(conflict.current)), 409
    warning = ""
    if part == "handelingsdeel":
        status = services.status_of(services.opp_of(student))
        warning = "" if status.handelingsdeel_agreed else " " + _("Het OPP is een concept tot er (opnieuw) "
                                                                   "instemming is met het handelingsdeel.")
    flash(_("Het OPP is opgeslagen; de vorige versie staat in de geschiedenis.") + warning, "success")
    return htmx.redirect_after_post(url_for("opp.show", student_id=student.id))


def _edit_view(part: str):
    def view(student_id: int):
        return edit(student_id, part)

    view.__name__ = f"edit_{part}"
    return view


for _part in PARTS:  # one page per part: opp.edit_perspectief, opp.edit_doelen, ...
    bp.add_url_rule(f"/leerlingen/<int:student_id>/opp/{_part}", endpoint=f"edit_{_part}",
                    view_func=_edit_view(_part), methods=["GET", "POST"])


@bp.post("/leerlingen/<int:student_id>/opp/instemming")
def respond(student_id: int):
    student = policy.student_or_404(student_id, WRITE)
    opp = _opp_or_404(student)
    form = ResponseForm(students.guardians_of(student))
    if not form.validate_on_submit():
        return _page(student, response_form=form, status=422)
    upload = form.scan.data if getattr(form.scan.data, "filename", "") else None
    try:
        services.record_response(opp, guardian_id=form.guardian_id(), given_on=form.given_on.data,
                                 agrees=form.agrees.data == "ja", view=form.view.data or "", scan=upload,
                                 actor=policy.current())
    except services.Refused as refused:
        form.who.errors = list(refused.reasons)
        return _page(student, response_form=form, errors=refused.reasons, status=422)
    except storage.StorageError as exc:
        form.scan.errors = [str(exc)]
        return _page(student, response_form=form, status=422)
    flash(_("De instemming is vastgelegd, ook in de toestemmingen.") if form.agrees.data == "ja"
          else _("Dat de ouder of de leerling het niet eens is, is vastgelegd met de mening."), "success")
    return htmx.redirect_after_post(url_for("opp.show", student_id=student.id))


@bp.post("/leerlingen/<int:student_id>/opp/evaluatie")
def evaluate(student_id: int):
    student = policy.student_or_404(student_id, WRITE)
    opp = _opp_or_404(student)
    form = EvaluationForm()
    if not form.validate_on_submit():
        return _page(student, evaluation_form=form, status=422)
    services.add_evaluation(opp, held_on=form.held_on.data, with_whom=form.with_whom.data,
                            with_parents=form.with_parents.data, outcome=form.outcome.data, actor=policy.current())
    flash(_("De evaluatie is vastgelegd."), "success")
    return htmx.redirect_after_post(url_for("opp.show", student_id=student.id))


@bp.get("/leerlingen/<int:student_id>/opp/geschiedenis")
def history(student_id: int):
    student = policy.student_or_404(student_id, VIEW)
    opp = _opp_or_404(student)
    return render_template("opp/history.html", student=student, opp=opp,
                           versions=services.history(opp, actor=policy.current()))


def render_document(student, opp) -> str:
    return render_template("opp/print.html", student=student, opp=opp, school_name=services.recipient_of(opp),
                           status=services.status_of(opp), sections=services.sections_of(opp),
                           responses=services.responses_of(opp), evaluations=services.evaluations_of(opp),
                           today=clock.today())


@bp.get("/leerlingen/<int:student_id>/opp.pdf")
def pdf_file(student_id: int):
    student = policy.student_or_404(student_id, VIEW)
    opp = _opp_or_404(student)
    body = pdf.render(render_document(student, opp), pdf.LETTER_CSS)
    audit.read("opp.pdf", "opp", opp.id, student_id=student.id, actor=policy.current())
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    return downloads.attach(response, f"opp-{student.student_number}.pdf")


# --- the ROD list ----------------------------------------------------------------------------------------------

def _rod_rows():
    if policy.require(*WRITE) != policy.SCHOOL:
        abort(403)  # the list is the whole school's
    return services.rod_rows(actor=policy.current())


@bp.get("/opp/rod")
def rod():
    rows = _rod_rows()
    return render_template("opp/rod.html", rows=rows, headers=services.ROD_HEADERS,
                           values=[services.rod_values(r) for r in rows],
                           registers=services.registers_in_rod(policy.current().school_id))


@bp.get("/opp/rod.csv")
def rod_csv():
    rows = _rod_rows()
    return csvfile.response(f"opp-rod-{clock.today():%Y%m%d}.csv", services.ROD_HEADERS,
                            [services.rod_values(row) for row in rows])
