"""Every route in app.url_map, for every actor, against an explicit table of expected outcomes.

A route that the table does not cover fails the test, so routes added later are covered by construction.
R-DRE-AVG: dossier data only for those who need it for the student's guidance (scope limits, 404 outside it).
A feature the role lacks answers 403, an object outside the scope 404, never a 500.
A standing suite: the walk reports its counts per backend at the end of the run ("authorization walk").
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest

from portal import policy
from portal.applications.models import Application
from portal.auth.models import Membership
from portal.dossier import storage
from portal.dossier.models import Attachment, Entry
from portal.notifications.models import OutboxMail
from portal.opp.models import Opp
from tests import factories, walk

OK, LOGIN, DENY, HIDE = "allowed", "login", "403", "404"

SCHOOL_ROLES = ("beheerder", "mentor", "zorg", "swv", "deskundige", "jeugdhulp")
ACTORS = ("anonymous", *SCHOOL_ROLES, "admin", "other")  # other: beheerder+mentor+zorg of another school
FAR = ("jeugdhulp",)  # has student features, but its scope holds no school students yet
MEETING_FAR = ("swv", "deskundige", "jeugdhulp")  # take part in meetings only (their scope holds none here)
ALL_USERS = (*SCHOOL_ROLES, "admin", "other")


def row(ok=(), hide=(), *, anonymous=LOGIN, default=DENY) -> dict[str, str]:
    """Expected outcome per actor: listed actors allowed / 404, anonymous to the login page, the rest 403."""
    outcome = {actor: default for actor in ACTORS}
    outcome["anonymous"] = anonymous
    outcome.update({actor: OK for actor in ok})
    outcome.update({actor: HIDE for actor in hide})
    return outcome


PUBLIC = row(ALL_USERS, anonymous=OK)
ADMIN_ONLY = row(["admin"])
OWN_SCHOOL_ADMIN = row(["beheerder", "other"])  # works inside the actor's own school
SCHOOL_OBJECT_ADMIN = row(["beheerder"], ["other"])
STUDENT_VIEW = row(["beheerder", "mentor", "zorg"], [*FAR, "other"])
STUDENT_EDIT = row(["beheerder", "zorg"], ["other"])
DOSSIER_READ = row(["mentor", "zorg"], [*FAR, "other"])
DOSSIER_WRITE = row(["mentor", "zorg"], ["other"])
# swv: the traject of a student whose lead request (DOA VO, RET) they handle, none here: 404.
ROUTE_VIEW = row(["mentor", "zorg"], [*FAR, "swv", "other"])
ROUTE_MOVE = row(["mentor", "zorg"], ["swv", "other"])

# endpoint -> {method: outcomes}; "args" overrides URL arguments; "<endpoint> <rule>" overrides one rule.
TABLE: dict[str, dict] = {
    "static": {"GET": PUBLIC},
    "healthz": {"GET": PUBLIC},
    "favicon": {"GET": PUBLIC},
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.start": {"GET": row(ALL_USERS)},  # the start page, or the login page
    "auth.logout": {"POST": row(default=LOGIN)},  # back to the login page, logged in or not
    "auth.logout_everywhere": {"POST": row(default=LOGIN)},  # every session ends
    "auth.reset_request": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.set_password": {"GET": row(default=HIDE, anonymous=HIDE), "POST": row(default=HIDE, anonymous=HIDE)},
    "auth.set_language": {"POST": PUBLIC},
    "auth.switch_school": {"POST": row(default=HIDE)},  # no school chosen: not one of the actor's schools
    # Between password and second factor only: without a pending sign-in, back to the login page.
    "auth.second_factor": {"GET": row(default=LOGIN), "POST": row(default=LOGIN)},
    "auth.second_factor_enrol": {"GET": row(default=LOGIN), "POST": row(default=LOGIN)},
    "auth.second_factor_account": {"GET": row(ALL_USERS)},
    "auth.recovery_codes_regenerate": {"POST": row(ALL_USERS)},  # 422: no second factor, or no code
    "admin.schools": {"GET": ADMIN_ONLY},
    "admin.school_new": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.school_detail": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.school_invite": {"POST": ADMIN_ONLY},
    "admin.outbox": {"GET": ADMIN_ONLY},
    "admin.outbox_mail": {"GET": ADMIN_ONLY},
    "admin.plugins": {"GET": ADMIN_ONLY},
    "admin.log": {"GET": row(["beheerder", "other", "admin"])},  # own school / everything
    "admin.users": {"GET": OWN_SCHOOL_ADMIN},
    "admin.user_invite": {"GET": OWN_SCHOOL_ADMIN, "POST": OWN_SCHOOL_ADMIN},
    "admin.user_detail": {"GET": SCHOOL_OBJECT_ADMIN},
    "admin.user_add_role": {"POST": SCHOOL_OBJECT_ADMIN},
    "admin.user_organisation": {"POST": SCHOOL_OBJECT_ADMIN},  # what a consent names
    "admin.user_remove_role": {"POST": SCHOOL_OBJECT_ADMIN},
    "admin.user_deactivate": {"POST": SCHOOL_OBJECT_ADMIN, "args": {"user_id": "leaver"}},
    "admin.user_second_factor_reset": {"POST": ADMIN_ONLY},
    "admin.groups": {"GET": OWN_SCHOOL_ADMIN},
    "admin.group_edit": {"GET": SCHOOL_OBJECT_ADMIN, "POST": SCHOOL_OBJECT_ADMIN},
    "admin.group_edit /beheer/groepen/nieuw": {"GET": OWN_SCHOOL_ADMIN, "POST": OWN_SCHOOL_ADMIN},
    "students.index": {"GET": row(["beheerder", "mentor", "zorg", "jeugdhulp", "other"])},
    "students.show": {"GET": STUDENT_VIEW},
    "students.create": {"GET": row(["beheerder", "zorg", "other"]), "POST": row(["beheerder", "zorg", "other"])},
    "students.edit": {"GET": STUDENT_EDIT, "POST": STUDENT_EDIT},
    "students.unenrol": {"POST": STUDENT_EDIT},
    "students.guardian_new": {"GET": STUDENT_EDIT, "POST": STUDENT_EDIT},
    "students.guardian_edit": {"GET": STUDENT_EDIT, "POST": STUDENT_EDIT},
    "students.guardian_delete": {"POST": STUDENT_EDIT},
    "dossier.timeline": {"GET": DOSSIER_READ},
    "dossier.entry": {"GET": DOSSIER_READ},
    "dossier.history": {"GET": DOSSIER_READ},
    "dossier.download": {"GET": DOSSIER_READ},
    "dossier.new_entry": {"GET": DOSSIER_WRITE, "POST": DOSSIER_WRITE},
    "dossier.edit_entry": {"GET": DOSSIER_WRITE, "POST": DOSSIER_WRITE},
    "dossier.withdraw": {"POST": DOSSIER_WRITE},
    "dossier.upload": {"POST": DOSSIER_WRITE},
    # The student is found first (404 outside the scope), then confidential entries need a care role (403).
    "dossier.withdrawn": {"GET": row(["zorg"], [*FAR, "other"])},
    "dossier.inzage": {"GET": row(["zorg"], ["other"])},
    "route.public_route": {"GET": PUBLIC},
    "route.traject": {"GET": ROUTE_VIEW},
    "route.transition": {"POST": ROUTE_MOVE},
    "route.plan": {"POST": row([], ["mentor", "zorg", "swv", "other"])},  # visit 0 does not exist: 404 once allowed
    "route.school_settings": {"GET": row(["beheerder", "zorg", "other"]),
                              "POST": row(["beheerder", "zorg", "other"])},
    "consent.index": {"GET": row(["mentor", "zorg"], ["other"])},
    "consent.create": {"POST": row(["zorg"], ["other"])},
    "consent.withdraw": {"POST": row([], ["zorg", "other"]), "args": {"consent_id": "visit_id"}},
    # Share links: no meeting 0, so every role that may see meetings gets 404; a guest URL with a wrong token is
    # the same 404 for everyone (tests/test_guest_walk.py walks the map with a real guest session).
    **{endpoint: {method: row([], ["mentor", "zorg", *MEETING_FAR, "other"]) for method in methods}
       | {"args": {"meeting_id": "visit_id", "participant_id": "visit_id", "link_id": "visit_id"}}
       for endpoint, methods in (("sharing.links", ["GET"]), ("sharing.create", ["POST"]),
                                 ("sharing.revoke", ["POST"]))},
    **{endpoint: {method: row(default=HIDE, anonymous=HIDE) for method in methods}
       | {"args": {"document_id": "visit_id"}}
       for endpoint, methods in (("guest.open", ["GET"]), ("guest.document", ["GET"]), ("guest.own_file", ["GET"]),
                                 ("guest.calendar", ["GET"]),
                                 ("guest.send_code", ["POST"]), ("guest.check_code", ["POST"]),
                                 ("guest.contribute", ["POST"]), ("guest.leave", ["POST"]))},
    "meetings.plan": {"GET": row(["mentor", "zorg"], ["other"]), "POST": row(["mentor", "zorg"], ["other"])},
    "meetings.index": {"GET": row(["mentor", "zorg", *MEETING_FAR, "other"])},
    # Meetings: no meeting 0, so every role that may see meetings gets 404 (scopes: tests/test_meetings.py).
    **{endpoint: {method: row([], ["mentor", "zorg", *MEETING_FAR, "other"]) for method in methods}
       | {"args": {"meeting_id": "visit_id", "contribution_id": "visit_id", "document_id": "visit_id",
                   "participant_id": "visit_id", "action_id": "visit_id"}}
       for endpoint, methods in (("meetings.show", ["GET"]), ("meetings.change", ["GET", "POST"]),
                                 ("meetings.cancel", ["GET", "POST"]), ("meetings.contribute", ["POST"]),
                                 ("meetings.add_participant", ["POST"]), ("meetings.remove_participant", ["POST"]),
                                 ("meetings.close_action", ["POST"]),
                                 ("meetings.contribution_file", ["GET"]), ("meetings.document", ["GET"]),
                                 ("meetings.share", ["POST"]), ("meetings.attendance", ["POST"]),
                                 ("meetings.report", ["POST"]), ("meetings.share_report", ["POST"]),
                                 ("meetings.printable", ["GET"]), ("meetings.report_pdf", ["GET"]))},
    # The SWV's desk: SWV staff work the queue; the world's application is a concept, so its pages are
    # 404 for them (nothing unsubmitted) and 403 for everyone without the feature; a deskundige reaches only their
    # own advices (advice 0: 404).
    "desk.queue_page": {"GET": row(["swv"])},
    "desk.queue_csv": {"GET": row(["swv"])},
    **{endpoint: {method: row([], ["swv"]) for method in methods}
       | {"args": {"item_id": "visit_id"}}
       for endpoint, methods in (("desk.detail", ["GET"]), ("desk.step", ["POST"]), ("desk.assign", ["POST"]),
                                 ("desk.document", ["GET"]), ("desk.letter_pdf", ["GET"]),
                                 ("desk.send_letter", ["POST"]), ("desk.record_objection", ["POST"]),
                                 ("desk.objection_step", ["POST"]))},
    "desk.advices": {"GET": row(["deskundige"])},
    "desk.advice": {"GET": row([], ["deskundige"]), "POST": row([], ["deskundige"]),
                    "args": {"advice_id": "visit_id"}},
    "desk.advice_document": {"GET": row([], ["deskundige"]), "args": {"advice_id": "visit_id", "item_id": "visit_id"}},
    "desk.advisors": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "desk.advisor_edit": {"GET": row([], ["admin"]), "POST": row([], ["admin"]), "args": {"advisor_id": "visit_id"}},
    "desk.swv_settings": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    # Applications, the school's side: the SWV's roles work in their own workspace (404 here).
    "applications.index": {"GET": row(["mentor", "zorg"], ["swv", "deskundige", "other"])},
    "applications.create": {"POST": row(["zorg"], ["other"])},
    "applications.show": {"GET": row(["mentor", "zorg"], ["swv", "deskundige", "other"])},
    **{endpoint: {"POST": row(["zorg"], ["other"])}
       for endpoint in ("applications.save", "applications.share", "applications.sign", "applications.step",
                        "applications.extend", "applications.object_to", "applications.record_outcome")},
    "applications.unshare": {"POST": row([], ["zorg", "other"]), "args": {"item_id": "visit_id"}},
    "applications.letter": {"GET": row([], ["mentor", "zorg", "swv", "deskundige", "other"])},  # no decision yet
    # The OPP: mentors read it for their own groups, care coordinators draw it up; both students of
    # the world have one. An edit posted without the version it was loaded at is a conflict (409), never an
    # overwrite; the registration part needs its start date (422).
    **{endpoint: {"GET": row(["mentor", "zorg"], ["other"])}
       for endpoint in ("opp.show", "opp.history", "opp.pdf_file")},
    **{endpoint: {"POST": row(["zorg"], ["other"])} for endpoint in ("opp.create", "opp.respond", "opp.evaluate")},
    **{f"opp.edit_{part}": {"GET": row(["zorg"], ["other"]), "POST": row(["zorg"], ["other"]) | {"zorg": "409"}}
       for part in ("perspectief", "doelen", "handelingsdeel")},
    "opp.edit_registratie": {"GET": row(["zorg"], ["other"]), "POST": row(["zorg"], ["other"])},
    "opp.rod": {"GET": row(["zorg", "other"])},
    "opp.rod_csv": {"GET": row(["zorg", "other"])},
    "notifications.count": {"GET": row(ALL_USERS)},  # the bell: public, sends a logged-out poller to login
    "notifications.index": {"GET": row(ALL_USERS)},
    "notifications.tasks": {"GET": row(ALL_USERS)},
    "notifications.settings": {"GET": row(ALL_USERS), "POST": row(ALL_USERS)},
    "notifications.mark_read": {"POST": row(default=HIDE)},  # notification 0 is nobody's
    "notifications.mark_all_read": {"POST": row(ALL_USERS)},
    "notifications.admin": {"GET": ADMIN_ONLY},
}

# POSTs that change what later requests see run last, in this order.
LAST = ("students.guardian_delete", "dossier.withdraw", "students.unenrol", "admin.user_remove_role",
        "admin.user_deactivate", "auth.logout_everywhere", "auth.logout")

# The world has a dozen accounts with the same password: hash it once per test process.
pytestmark = pytest.mark.usefixtures("fast_hashing")


def build_world():
    """School A with one account per role, a group, students in and out of it, entries, an attachment."""
    school_a, school_b = factories.school("School A"), factories.school("School B", sector="VO")
    users = {role: factories.user(role, school_a) for role in SCHOOL_ROLES}
    users["admin"] = factories.user(is_admin=True)
    users["other"] = factories.user("beheerder", school_b)
    for role in ("mentor", "zorg"):
        factories.add_membership(users["other"], school_b, role)
    group = factories.group(school_a, "groep 7", teachers=[users["mentor"]])
    factories.group(school_b, "groep 7b", teachers=[users["other"]])
    student_in = factories.student(school_a, group, first="Lotte", last="Binnen")
    student_out = factories.student(school_a, first="Mees", last="Buiten")
    entry = Entry.create(student=student_in, section="support", title="Plan", body="Afspraken", author=users["zorg"])
    secret = Entry.create(student=student_in, section="support", title="Vertrouwelijk", body="...",
                          confidential=True, author=users["zorg"])
    stored = storage.save(io.BytesIO(factories.PNG), "plan.png")
    attachment = Attachment.create(student=student_in, entry=entry, filename="plan.png", uploaded_by=users["zorg"],
                                   **vars(stored))
    target = factories.user("mentor", school_a, name="Collega Twee")
    factories.add_membership(target, school_a, "zorg")
    leaver = factories.user("mentor", school_a, name="Vertrekker")
    mail = OutboxMail.create(recipient="x@example.nl", subject="Uitnodiging", body="Link: http://x/")
    application = Application.create(student=student_in, school=school_a, type_key="po.tlv_sbo_so",
                                     created_by=users["zorg"])
    for pupil in (student_in, student_out):
        Opp.create(student=pupil, school=school_a, support_start=dt.date(2026, 9, 1), created_by=users["zorg"])
    args = {
        "filename": "css/portal.css", "token": "ongeldig-token", "school_id": school_a.id, "mail_id": mail.id,
        "user_id": target.id, "leaver": leaver.id, "group_id": group.id, "student_id": student_in.id,
        "entry_id": entry.id, "attachment_id": attachment.id, "guardian_id": student_in.guardians[0].id,
        "membership_id": Membership.get((Membership.user == target) & (Membership.role == "zorg")).id,
        "visit_id": 0, "notification_id": 0, "application_id": application.id,
    }
    return SimpleNamespace(users=users, args=args, student_out=student_out, secret=secret)


def _spec(rule, strict: bool = True) -> dict | None:
    """The table entry of a rule; a missing one fails (test_table_covers_every_route), or is skipped."""
    spec = TABLE.get(f"{rule.endpoint} {rule.rule}") or TABLE.get(rule.endpoint)
    if spec is None and strict:
        pytest.fail(f"Route {rule.rule} (endpoint '{rule.endpoint}', methods {sorted(_methods(rule))}) is not in "
                    f"the authorization table: add TABLE['{rule.endpoint}'] to tests/test_authorization.py with "
                    f"the expected outcome per actor.", pytrace=False)
    return spec


def _methods(rule) -> set[str]:
    return set(rule.methods) & {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _url(app, rule, args: dict, overrides: dict) -> str:
    values = {name: args[overrides.get(name, name)] for name in rule.arguments if name not in (rule.defaults or {})}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303) and "/login" in response.headers.get("Location", ""):
        return LOGIN
    if status < 400 or status == 422:  # 422: the empty form was refused after the access checks
        return OK
    return {403: DENY, 404: HIDE}.get(status, str(status))


def _requests(app):
    """(rule, method) pairs in walking order: GETs, then POSTs, the state-changing ones of LAST at the end."""
    rules = sorted((r for r in app.url_map.iter_rules() if _spec(r, strict=False)), key=lambda r: (r.endpoint, r.rule))
    pairs = [(rule, method) for rule in rules for method in sorted(_methods(rule))]

    def order(pair):
        rule, method = pair
        return (method != "GET", LAST.index(rule.endpoint) if rule.endpoint in LAST else -1)

    return sorted(pairs, key=order)


def test_table_covers_every_role():
    """New roles need a column in the table."""
    assert set(policy.ROLES) <= set(ACTORS), f"add the new role(s) {set(policy.ROLES) - set(ACTORS)} to ACTORS"


def test_table_covers_every_route(app):
    for rule in app.url_map.iter_rules():
        spec = _spec(rule)
        for method in _methods(rule):
            assert method in spec, f"TABLE['{rule.endpoint}'] has no expected outcome for {method}"
            assert set(spec[method]) == set(ACTORS), f"TABLE['{rule.endpoint}'][{method!r}] misses actors"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_for_every_actor(app, actor, backend, record_property):
    """Every (route, method) for this actor answers as the table expects; counted per backend."""
    world = build_world()
    client = app.test_client() if actor == "anonymous" else factories.logged_in(app, world.users[actor])
    wrong, tried = [], 0
    for rule, method in _requests(app):
        tried += 1
        spec = _spec(rule)
        url = _url(app, rule, world.args, spec.get("args", {}))
        try:  # in testing Flask re-raises view errors: each one is a 500 in production
            got = _outcome(client.open(url, method=method, data={} if method != "GET" else None))
        except Exception as exc:  # noqa: BLE001 - report every route, not only the first failure
            got = f"500 ({type(exc).__name__}: {str(exc)[:80]})"
        if got != spec[method][actor]:
            wrong.append(f"{method} {url} ({rule.endpoint}): expected {spec[method][actor]}, got {got}")
    walk.report(record_property, "authorization walk", backend, tried, len(wrong))
    assert not wrong, f"as {actor}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("actor", ["mentor", "zorg"])
def test_scope_limits_within_the_school(app, actor):
    """R-DRE-AVG: a mentor sees only students of own groups and no confidential entries; zorg sees both."""
    world = build_world()
    client = factories.logged_in(app, world.users[actor])
    expected = HIDE if actor == "mentor" else OK
    checked = []
    for rule in app.url_map.iter_rules():
        spec = _spec(rule, strict=False)
        if not spec or "GET" not in spec or "student_id" not in rule.arguments or spec["GET"][actor] != OK:
            continue
        if "entry_id" in rule.arguments:
            variant = {**world.args, "entry_id": world.secret.id}  # a confidential entry of the same student
        elif rule.arguments & {"attachment_id", "guardian_id"}:
            continue  # these objects belong to the first student
        else:
            variant = {**world.args, "student_id": world.student_out.id}  # a student outside the mentor's groups
        url = _url(app, rule, variant, {})
        assert _outcome(client.get(url)) == expected, f"GET {url} as {actor}"
        checked.append(rule.endpoint)
    assert {"students.show", "dossier.timeline", "dossier.entry"} <= set(checked)
