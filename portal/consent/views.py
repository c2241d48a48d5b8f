"""The consent register per student: every purpose (sharing with a named recipient, meetings, applications, the
OPP's handelingsdeel), who gave it, its period and status, recording and withdrawal (at once, audited)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _

from portal import clock, htmx, idempotency, policy
from portal.audit import services as audit
from portal.consent import services
from portal.consent.forms import ConsentForm, WithdrawConsentForm
from portal.consent.models import Consent
from portal.dossier import storage
from portal.students import deciders

bp = Blueprint("consent", __name__, url_prefix="/leerlingen")

VIEW = ("consent", "view")
RECORD = ("consent", "record")


def _page(student, form=None, status: int = 200):
    audit.read("consent.list", "student", student.id, student_id=student.id, actor=policy.current())
    can_record = policy.current().can(*RECORD)
    today = clock.today()
    rows = services.register(student, today)
    return render_template("consent/index.html", student=student, rows=rows,
                           form=form or (ConsentForm(student) if can_record else None), can_record=can_record,
                           withdraw_form=WithdrawConsentForm(), today=today,
                           adult=deciders.decides_own_data(student, today),
                           of_age=deciders.decides_under_education_law(student, today),
                           without_gezag=services.non_authorised_guardians(student)), status


@bp.get("/<int:student_id>/toestemmingen")
def index(student_id: int):
    return _page(policy.student_or_404(student_id, VIEW))


@bp.post("/<int:student_id>/toestemmingen")
def create(student_id: int):
    student = policy.student_or_404(student_id, RECORD)
    form = ConsentForm(student)
    if first := idempotency.replay(form, policy.current().id):
        return htmx.redirect_after_post(first)
    if form.validate_on_submit():
        upload = form.scan.data if getattr(form.scan.data, "filename", "") else None
        def add() -> str:
            services.record(student, form.values(), scan=upload, actor=policy.current())
            return url_for("consent.index", student_id=student.id)

        try:
            outcome = idempotency.once(form, policy.current().id, add)
        except storage.StorageError as exc:
            form.scan.errors = [str(exc)]
        except services.Refused as refused:
            form.given_by.errors = [str(refused)]
        else:
            return idempotency.answer(outcome, _("De toestemming is vastgelegd."))
    return _page(student, form, status=422)


@bp.post("/<int:student_id>/toestemmingen/<int:consent_id>/intrekken")
def withdraw(student_id: int, consent_id: int):
    student = policy.student_or_404(student_id, RECORD)
    consent = Consent.get_or_none((Consent.id == consent_id) & (Consent.student == student.id))
    if consent is None:
        abort(404)
    if WithdrawConsentForm().validate_on_submit():
        services.withdraw(consent, actor=policy.current())
        flash(_("De toestemming is ingetrokken. Dit geldt direct, ook voor gedeelde links."), "success")
    return htmx.redirect_after_post(url_for("consent.index", student_id=student.id))
