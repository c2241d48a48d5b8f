"""Students: the searchable list, the student page, create/edit/unenrol, and guardians."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.audit import services as audit
from portal.route import services as route_services
from portal.students import services
from portal.students.forms import GuardianForm, StudentForm, student_form_data
from portal.students.models import Student

bp = Blueprint("students", __name__, url_prefix="/leerlingen")

EDIT = ("student", "edit")


@bp.get("/")
def index():
    policy.require("student", "view")
    filters = services.Filters.from_args(request.args)
    school_id = policy.current().school_id
    page = services.search(filters, int(current_app.config["PAGE_SIZE"]))
    return htmx.render("students/index.html", block="results", page=page, filters=filters,
                       groups=services.groups_of(school_id), mentors=services.mentors_of(school_id),
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
    audit.read("student.view", "student", student.id, student_id=student.id)
    route = route_services.summary(student) if policy.current().can("route", "view") else None
    return render_template("students/show.html", student=student, guardians=services.guardians_of(student),
                           route=route)


@bp.route("/nieuw", methods=["GET", "POST"])
def create():
    policy.require(*EDIT)
    form = StudentForm(policy.current().school_id)
    if form.validate_on_submit():
        student = services.create(policy.current().school_id, form.values())
        flash(_("Leerling %(name)s is toegevoegd.", name=student.full_name), "success")
        return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
    return render_template("students/form.html", form=form, student=None)


@bp.route("/<int:student_id>/bewerken", methods=["GET", "POST"])
def edit(student_id: int):
    student = policy.student_or_404(student_id, EDIT)
    initial = None if request.method == "POST" else student_form_data(student)
    form = StudentForm(student.school_id, student.id, data=initial)
    if form.validate_on_submit():
        services.update(student, form.values())
        flash(_("De gegevens zijn opgeslagen."), "success")
        return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
    if request.method == "GET":
        audit.read("student.view", "student", student.id, student_id=student.id)
    return render_template("students/form.html", form=form, student=student)


@bp.post("/<int:student_id>/uitschrijven")
def unenrol(student_id: int):
    student = policy.student_or_404(student_id, EDIT)
    if student.left_on is None:
        services.unenrol(student)
        flash(_("%(name)s is uitgeschreven. Het dossier blijft bewaard.", name=student.full_name), "success")
    return htmx.redirect_after_post(url_for("students.show", student_id=student.id))


@bp.route("/<int:student_id>/verzorgers/nieuw", methods=["GET", "POST"])
def guardian_new(student_id: int):
    student = policy.student_or_404(student_id, EDIT)
    form = GuardianForm()
    if form.validate_on_submit():
        services.save_guardian(student, form.values())
        flash(_("Ouder/verzorger is toegevoegd."), "success")
        return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
    return render_template("students/guardian_form.html", form=form, student=student, guardian=None)


@bp.route("/<int:student_id>/verzorgers/<int:guardian_id>/bewerken", methods=["GET", "POST"])
def guardian_edit(student_id: int, guardian_id: int):
    student = policy.student_or_404(student_id, EDIT)
    guardian = services.guardian_or_404(student, guardian_id)
    form = GuardianForm(obj=None if request.method == "POST" else guardian)
    if form.validate_on_submit():
        services.save_guardian(student, form.values(), guardian)
        flash(_("Ouder/verzorger is opgeslagen."), "success")
        return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
    return render_template("students/guardian_form.html", form=form, student=student, guardian=guardian)


@bp.post("/<int:student_id>/verzorgers/<int:guardian_id>/verwijderen")
def guardian_delete(student_id: int, guardian_id: int):
    student = policy.student_or_404(student_id, EDIT)
    guardian = services.guardian_or_404(student, guardian_id)
    services.delete_guardian(student, guardian)
    flash(_("Ouder/verzorger is verwijderd."), "success")
    return htmx.redirect_after_post(url_for("students.show", student_id=student.id))
