"""Administration: schools and their beheerders (SWV administrator), staff and groups (beheerder), outbox,
plugins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import inputs, labels, policy
from portal import mail as mail_module
from portal.admin import log, services
from portal.auth import second_factor
from portal.notifications import services as notification_services
from portal.redirects import safe_next
from portal.admin.forms import GroupForm, OrganisationForm, PersonForm, RoleForm, SchoolForm, StaffInviteForm

if TYPE_CHECKING:  # the views show what the services return; they never query a model themselves
    from portal.notifications.models import OutboxMail
    from portal.schools.models import School


bp = Blueprint("admin", __name__, url_prefix="/beheer")


def _done(message: str, endpoint: str, **values):
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)


def _refused(refused: services.Refused, endpoint: str, **values):
    flash(str(refused), "error")
    return redirect(url_for(endpoint, **values), code=303)


def _beside_field(form, refused: services.Refused) -> None:
    getattr(form, refused.field).errors.append(str(refused))


def _not_invited(user) -> str | None:
    """The message when an invitation was due but held back: this address had too many lately."""
    if user.password_hash is not None:
        return None
    return _("%(name)s heeft een rol gekregen. Er zijn kort geleden al uitnodigingen naar dit adres gestuurd; "
             "er is nu geen nieuwe verstuurd.", name=user.name)


# --- schools (SWV administrator) ----------------------------------------------------------------------------

@bp.get("/scholen")
def schools():
    policy.require("school", "manage")
    return render_template("admin/schools.html", schools=services.schools())


def _save_school(form: SchoolForm, school: School | None) -> School | None:
    """Store the form in a (new) school; a refusal (a taken BRIN) becomes an error beside its field."""
    try:
        return services.save_school(school, form.name.data, form.brin.data, form.sector.data, policy.current(),
                                    school_type=form.school_type.data or None)
    except services.Refused as refused:
        _beside_field(form, refused)
        return None


@bp.route("/scholen/nieuw", methods=["GET", "POST"])
def school_new():
    policy.require("school", "manage")
    form = SchoolForm()
    if form.validate_on_submit() and (school := _save_school(form, None)):
        return _done(_("School %(name)s is aangemaakt.", name=school.name), "admin.school_detail",
                     school_id=school.id)
    return render_template("admin/school_form.html", form=form, school=None)


@bp.route("/scholen/<int:school_id>", methods=["GET", "POST"])
def school_detail(school_id: int):
    policy.require("school", "manage")
    school = services.school_or_none(school_id) or abort(404)
    form = SchoolForm(obj=school)
    if request.method == "GET":
        form.school_type.data = school.type_key  # an older school without a stored type: its sector's regular one
    if form.validate_on_submit() and _save_school(form, school):
        return _done(_("De gegevens van de school zijn opgeslagen."), "admin.school_detail", school_id=school.id)
    return _school_page(school, form, PersonForm(formdata=None))


def _school_page(school: School, form: SchoolForm, invite_form: PersonForm):
    beheerders = [user for user, _m in services.staff_of(school.id, role="beheerder")]
    return render_template("admin/school_form.html", form=form, school=school, beheerders=beheerders,
                           invite_form=invite_form)


@bp.post("/scholen/<int:school_id>/beheerders")
def school_invite(school_id: int):
    policy.require("school", "manage")
    school = services.school_or_none(school_id) or abort(404)
    form = PersonForm()
    if form.validate_on_submit():
        user, invited = services.invite(school, form.name.data, form.email.data, "beheerder", policy.current())
        message = _("%(name)s is beheerder en heeft een uitnodiging per e-mail gekregen.", name=user.name) \
            if invited else _not_invited(user) or _("%(name)s is beheerder van deze school.", name=user.name)
        return _done(message, "admin.school_detail", school_id=school.id)
    return _school_page(school, SchoolForm(obj=school, formdata=None), form)


# --- staff of the current school (beheerder) --------------------------------------------------------------

def _school_or_404() -> School:
    """The actor's current school; user management always works inside it."""
    policy.require("user", "manage")
    return services.school_or_none(policy.current().school_id) or abort(404)


def _member_or_404(school: School, user_id: int):
    return services.member_or_none(school.id, user_id) or abort(404)


@bp.get("/medewerkers")
def users():
    school = _school_or_404()
    return render_template("admin/users.html", school=school, staff=services.staff_of(school.id))


@bp.route("/medewerkers/nieuw", methods=["GET", "POST"])
def user_invite():
    school = _school_or_404()
    form = StaffInviteForm()
    valid = form.validate_on_submit()
    if valid and (form.organisation.data or "").strip() and not services.may_invite_with_organisation(
            form.email.data, school, policy.current()):
        form.organisation.errors.append(str(services.BEYOND_THE_SCHOOL))  # refused before anything is written
    elif valid:
        user, invited = services.invite(school, form.name.data, form.email.data, form.role.data, policy.current())
        if (form.organisation.data or "").strip():
            services.set_organisation(user, school, form.organisation.data, policy.current())
        message = _("%(name)s heeft een uitnodiging per e-mail gekregen.", name=user.name) if invited \
            else _not_invited(user) or _("%(name)s heeft een rol gekregen op deze school.", name=user.name)
        return _done(message, "admin.user_detail", user_id=user.id)
    return render_template("admin/user_invite.html", form=form, school=school)


@bp.get("/medewerkers/<int:user_id>")
def user_detail(user_id: int):
    school = _school_or_404()
    user, memberships = _member_or_404(school, user_id)
    return _user_page(school, user, memberships)


def _user_page(school, user, memberships, form=None, organisation_form=None, status: int = 200):
    return render_template("admin/user_detail.html", school=school, user=user, memberships=memberships,
                           form=form or RoleForm(formdata=None),
                           organisation_form=organisation_form or OrganisationForm(
                               formdata=None, organisation=user.organisation)), status


@bp.post("/medewerkers/<int:user_id>/organisatie")
def user_organisation(user_id: int):
    """The organisation an outside professional works for: a consent that names it covers them."""
    school = _school_or_404()
    user, memberships = _member_or_404(school, user_id)
    form = OrganisationForm()
    if not form.validate_on_submit():
        return _user_page(school, user, memberships, organisation_form=form, status=422)
    try:
        changed = services.set_organisation(user, school, form.organisation.data, policy.current())
    except services.Refused as refused:
        form.organisation.errors.append(str(refused))
        return _user_page(school, user, memberships, organisation_form=form, status=422)
    return _done(_("De organisatie is vastgelegd.") if changed else _("Er is niets gewijzigd."),
                 "admin.user_detail", user_id=user.id)


@bp.post("/medewerkers/<int:user_id>/rollen")
def user_add_role(user_id: int):
    school = _school_or_404()
    user, memberships = _member_or_404(school, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        services.grant_role(user, school, form.role.data, policy.current())
        return _done(_("De rol is toegevoegd."), "admin.user_detail", user_id=user.id)
    return _user_page(school, user, memberships, form=form)


@bp.post("/medewerkers/<int:user_id>/rollen/<int:membership_id>/intrekken")
def user_remove_role(user_id: int, membership_id: int):
    school = _school_or_404()
    user, memberships = _member_or_404(school, user_id)
    membership = next((m for m in memberships if m.id == membership_id), None) or abort(404)
    try:
        services.revoke_role(membership, policy.current())
    except services.Refused as refused:
        return _refused(refused, "admin.user_detail", user_id=user.id)
    return _done(_("De rol is ingetrokken."), "admin.user_detail", user_id=user.id)


@bp.post("/medewerkers/<int:user_id>/uit-dienst")
def user_deactivate(user_id: int):
    school = _school_or_404()
    user, _memberships = _member_or_404(school, user_id)
    try:
        services.leave_school(user, school.id, policy.current())
    except services.Refused as refused:
        return _refused(refused, "admin.user_detail", user_id=user.id)
    return _done(_("%(name)s heeft geen toegang meer tot deze school.", name=user.name), "admin.users")


@bp.post("/accounts/<int:user_id>/tweede-factor-herstellen")
def user_second_factor_reset(user_id: int):
    """The SWV administrator removes an account's second factor (a lost phone); the user sets it up again at the
    next sign-in (R-AVG-SEC-1). Audited in the service."""
    policy.require("user", "manage_admin")
    user = second_factor.reset(user_id, policy.current()) or abort(404)
    flash(_("De tweede factor van %(name)s is hersteld. Bij de volgende keer inloggen stelt %(name)s hem opnieuw "
            "in.", name=user.name), "success")
    return redirect(safe_next(request.form.get("next"), url_for("admin.schools")), code=303)


# --- groups and classes (beheerder) ---------------------------------------------------------------------

def _group_school() -> School:
    policy.require("group", "manage")
    return services.school_or_none(policy.current().school_id) or abort(404)


def _teacher_choices(school: School) -> list[tuple[int, str]]:
    return [(user.id, user.name) for user, _m in services.staff_of(school.id)]


@bp.get("/groepen")
def groups():
    school = _group_school()
    return render_template("admin/groups.html", school=school, groups=services.groups_with_teachers(school.id))


@bp.route("/groepen/nieuw", methods=["GET", "POST"], defaults={"group_id": None})
@bp.route("/groepen/<int:group_id>", methods=["GET", "POST"])
def group_edit(group_id: int | None):
    school = _group_school()
    group = None
    if group_id is not None:
        group = services.group_or_none(school.id, group_id) or abort(404)
    form = GroupForm(obj=group)
    form.teachers.choices = _teacher_choices(school)
    if request.method == "GET" and group is not None:
        form.teachers.data = services.teacher_ids(group)
    if form.validate_on_submit():
        try:
            services.save_group(school, group, form.name.data, form.school_year.data, form.teachers.data or [],
                                policy.current())
        except services.Refused as refused:
            _beside_field(form, refused)
        else:
            return _done(_("De groep is opgeslagen."), "admin.groups")
    return render_template("admin/group_form.html", form=form, group=group, school=school)


# --- the administration log (beheerder: their school; SWV administrator: everything) ------------------------

@bp.get("/logboek", endpoint="log")
def log_page():
    policy.require(*log.LOG)
    return render_template("admin/log.html", events=log.rows(policy.current()))


# --- outbox and plugins (SWV administrator) ---------------------------------------------------------------

@bp.get("/uitgaande-mail")
def outbox():
    policy.require("outbox", "read")
    page = inputs.arg_page(request.args)
    size = int(current_app.config["PAGE_SIZE"])
    mails, has_next = notification_services.outbox_page(page, size)
    return render_template("admin/outbox.html", mails=mails, page=page, has_next=has_next,
                           status=_mail_status, retention_days=int(current_app.config["MAIL_RETENTION_DAYS"]),
                           smtp=bool(current_app.config.get("MAIL_HOST")))


@bp.get("/uitgaande-mail/<int:mail_id>")
def outbox_mail(mail_id: int):
    policy.require("outbox", "read")
    mail = notification_services.outbox_mail_or_none(mail_id) or abort(404)
    return render_template("admin/outbox_mail.html", mail=mail, status=_mail_status,
                           max_attempts=int(current_app.config["MAIL_MAX_ATTEMPTS"]))


MAIL_STATUS = {"delivered": _l("afgeleverd"), "failed": _l("mislukt"), "retrying": _l("wordt opnieuw geprobeerd"),
               "queued": _l("in de outbox"), "sending": _l("wordt verstuurd")}


def _mail_status(mail: OutboxMail) -> str:
    return str(MAIL_STATUS[mail_module.status(mail)])


@bp.get("/plugins")
def plugins():
    policy.require("plugins", "view")
    registry = current_app.extensions["registry"]
    return render_template("admin/plugins.html", plugins=registry.plugins, hooks=_hook_overview(),
                           sections=registry.dossier_sections.values())


def _hook_overview() -> list[tuple[str, str, list[str]]]:
    """Every hook specification: its name, the first line of its contract, and who implements it."""
    pm = current_app.extensions["plugin_manager"]
    rows = []
    for name in sorted(n for n in dir(pm.hook) if not n.startswith("_")):
        caller = getattr(pm.hook, name)
        doc = (caller.spec.function.__doc__ or "").strip().splitlines() if caller.spec else []
        purpose = labels.hook(name) or (doc[0] if doc else "")  # Dutch; the English contract is for developers
        rows.append((name, purpose, [impl.plugin_name for impl in caller.get_hookimpls()]))
    return rows
