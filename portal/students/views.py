"""Students: the searchable list, the student page, create/edit/unenrol, and guardians."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _

from portal import bounds, htmx, idempotency, policy, versioning
from portal.audit import services as audit
from portal.route import services as route_services
from portal.students import services
from portal.students.forms import GuardianForm, StudentForm, student_form_data
from portal.students.models import Student
from portal.versioning import EditConflict

bp = Blueprint("students", __name__, url_prefix="/leerlingen")

EDIT = ("student", "edit")


@bp.get("/")
def index():
    policy.require("student", "view")
    filters = services.Filters.from_args(request.args)
    actor = policy.current()
    school_id = actor.school_id
    page = services.search(filters, int(current_app.config["PAGE_SIZE"]), actor=actor)
    groups, mentors = services.filter_options(actor)
    return htmx.render("students/index.html", block="results", page=page, filters=filters,
                       groups=groups, mentors=mentors,
                       teachers=services.teachers_by_group(s.group_id for s in page.items),
                       terms=route_services.terms_of_school(school_id))


def _student_page(student_id: int, feature=("student", "view")) -> Student:
    """The student with group and mentor joined, or 404 outside the actor's scope."""
    student = (services.with_group_and_mentor(policy.students(feature))
               .where(Student.id == student_id).first())
    if student is None:
        abort(404)
    return student


@bp.get("/<int:student_id>")
def show(student_id: int):
    student = _student_page(student_id)
    audit.read("student.view", "student", student.id, student_id=student.id, actor=policy.current())
    route = route_services.summary(student) if policy.current().can("route", "view") else None
    return render_template("students/show.html", student=student, guardians=services.guardians_of(student),
                           route=route)


@bp.route("/nieuw", methods=["GET", "POST"])
def create():
    policy.require(*EDIT)
    actor = policy.current()
    form = StudentForm(actor.school_id)
    if first := idempotency.replay(form, actor.id):
        return htmx.redirect_after_post(first)
    if form.validate_on_submit():
        created = []

        def add() -> str:
            created.append(services.create(actor.school_id, form.values(), actor=actor))
            return url_for("students.show", student_id=created[0].id)

        try:
            outcome = idempotency.once(form, actor.id, add)
        except services.NumberTaken:
            form.student_number.errors.append(_("Dit leerlingnummer is op deze school al in gebruik."))
        else:
            return idempotency.answer(
                outcome, lambda: _("Leerling %(name)s is toegevoegd.", name=created[0].full_name))
    return render_template("students/form.html", form=form, student=None)


@bp.route("/<int:student_id>/bewerken", methods=["GET", "POST"])
def edit(student_id: int):
    student = policy.student_or_404(student_id, EDIT)
    initial = None if request.method == "POST" else student_form_data(student)
    form = StudentForm(student.school_id, student.id, data=initial)
    bounds.keep_stored(form, {"enrolled_on": student.enrolled_on})  # an old stored date may stay as it is
    if request.method == "GET":
        form.version.data = student.version
    elif form.validate_on_submit():
        try:
            services.update(student, versioning.parse_version(form.version.data), form.values(),
                            actor=policy.current())
        except services.NumberTaken:
            form.student_number.errors.append(_("Dit leerlingnummer is op deze school al in gebruik."))
        except EditConflict as conflict:
            return _conflict(form, conflict, "students/form.html", student=student)
        else:
            flash(_("De gegevens zijn opgeslagen."), "success")
            return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
    if request.method == "GET":
        audit.read("student.view", "student", student.id, student_id=student.id, actor=policy.current())
    return render_template("students/form.html", form=form, student=student)


def _conflict(form, conflict: EditConflict, template: str, **context):
    """409: someone saved in between. Your input stays in the form, their saved values are shown beside it, and
    the form now carries their version: saving again deliberately replaces it (theirs stays in the history)."""
    theirs = conflict.current
    student = context["student"]
    # Their values are shown.
    audit.read("student.view", "student", student.id, student_id=student.id, actor=policy.current())
    form.version.data = theirs.version
    editor = versioning.last_editor_name(theirs)
    rows = versioning.conflict_rows(form, versioning.snapshot(theirs), form.values())
    return render_template(template, form=form, conflict_rows=rows, conflict_by=editor, **context), 409


@bp.post("/<int:student_id>/uitschrijven")
def unenrol(student_id: int):
    student = policy.student_or_404(student_id, EDIT)
    if student.left_on is None:
        services.unenrol(student, actor=policy.current())
        flash(_("%(name)s is uitgeschreven. Het dossier blijft bewaard.", name=student.full_name), "success")
    return htmx.redirect_after_post(url_for("students.show", student_id=student.id))


@bp.route("/<int:student_id>/verzorgers/nieuw", methods=["GET", "POST"])
def guardian_new(student_id: int):
    student = policy.student_or_404(student_id, EDIT)
    form = GuardianForm()
    if first := idempotency.replay(form, policy.current().id):
        return htmx.redirect_after_post(first)
    if form.validate_on_submit():
        def add() -> str:
            services.save_guardian(student, form.values(), actor=policy.current())
            return url_for("students.show", student_id=student.id)

        outcome = idempotency.once(form, policy.current().id, add)
        return idempotency.answer(outcome, _("Ouder/verzorger is toegevoegd."))
    return render_template("students/guardian_form.html", form=form, student=student, guardian=None)


@bp.route("/<int:student_id>/verzorgers/<int:guardian_id>/bewerken", methods=["GET", "POST"])
def guardian_edit(student_id: int, guardian_id: int):
    student = policy.student_or_404(student_id, EDIT)
    guardian = services.guardian_or_404(student, guardian_id)
    form = GuardianForm(obj=None if request.method == "POST" else guardian)
    if request.method == "GET":
        form.version.data = guardian.version
    elif form.validate_on_submit():
        try:
            services.save_guardian(student, form.values(), guardian, versioning.parse_version(form.version.data),
                                   actor=policy.current())
        except EditConflict as conflict:
            return _conflict(form, conflict, "students/guardian_form.html", student=student, guardian=guardian)
        flash(_("Ouder/verzorger is opgeslagen."), "success")
        return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
    return render_template("students/guardian_form.html", form=form, student=student, guardian=guardian)


@bp.post("/<int:student_id>/verzorgers/<int:guardian_id>/verwijderen")
def guardian_delete(student_id: int, guardian_id: int):
    student = policy.student_or_404(student_id, EDIT)
    guardian = services.guardian_or_404(student, guardian_id)
    services.delete_guardian(student, guardian, actor=policy.current())
    flash(_("Ouder/verzorger is verwijderd."), "success")
    return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
