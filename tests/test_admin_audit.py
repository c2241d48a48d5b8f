"""Views show, services decide; every admin and role change is audited, like dossier changes.

Through HTTP as a beheerder or the SWV administrator: each change writes exactly its audit event with the acting
user (and nothing when nothing changed); the administration log shows the changes in Dutch, never a key; the
services refuse what the pages refused before, whoever calls them.
"""

from __future__ import annotations

import html

import pytest

from portal import labels, policy
from portal.admin import log, services
from portal.audit.models import AuditEvent
from portal.auth.models import Membership, User
from portal.route import services as route_services
from portal.schools.models import School
from portal.students.models import Group
from tests import factories


def _login(auth, user) -> None:
    assert auth.login(user.email).status_code == 303


def _mark() -> int:
    last = AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).first()
    return last.id if last else 0


def _writes_since(mark: int) -> list[tuple[str, str, int, int]]:
    """(action, object type, object id, acting user id) of the audited changes after ``mark``, in order."""
    events = AuditEvent.select().where((AuditEvent.id > mark) & (AuditEvent.kind == "write")).order_by(AuditEvent.id)
    assert all(e.actor_type == "user" for e in events)
    return [(e.action, e.object_type, e.object_id, e.actor_id) for e in events]


def _membership(user, school, role) -> Membership:
    return Membership.get((Membership.user == user) & (Membership.school == school) & (Membership.role == role))


def _actor(user, school) -> policy.Actor:
    roles = frozenset(m.role for m in Membership.select().where((Membership.user == user)
                                                                & (Membership.school == school) & Membership.active))
    return policy.Actor(kind="user", user=user, school_id=school.id, roles=roles, is_admin=user.is_admin)


@pytest.fixture
def school_admin(client, auth):
    """A school, its beheerder (logged in) and a mentor."""
    school = factories.school()
    beheerder = factories.user("beheerder", school, name="Bea Beheer")
    mentor = factories.user("mentor", school, name="Mo Mentor")
    _login(auth, beheerder)
    return {"school": school, "beheerder": beheerder, "mentor": mentor}


# --- schools and their beheerders (SWV administrator) -------------------------------------------------------

def test_school_created_changed_and_its_beheerder_invited_are_audited(client, auth, smtp):
    admin = factories.user(is_admin=True)
    _login(auth, admin)
    mark = _mark()
    assert client.post("/beheer/scholen/nieuw", data={"name": "OBS De Linde", "brin": "12ab",
                                                       "sector": "PO"}).status_code == 303
    school = School.get(School.brin == "12AB")
    assert _writes_since(mark) == [("school.create", "school", school.id, admin.id)]

    mark = _mark()
    data = {"name": "OBS De Linde", "brin": "12AB", "sector": "VO"}
    assert client.post(f"/beheer/scholen/{school.id}", data=data).status_code == 303
    assert _writes_since(mark) == [("school.update", "school", school.id, admin.id)]
    mark = _mark()
    assert client.post(f"/beheer/scholen/{school.id}", data=data).status_code == 303  # nothing changed
    assert _writes_since(mark) == []

    mark = _mark()
    assert client.post(f"/beheer/scholen/{school.id}/beheerders",
                       data={"name": "Bea Beheer", "email": "bea@example.nl"}).status_code == 303
    bea = User.get(User.email == "bea@example.nl")
    assert _writes_since(mark) == [("user.invite", "user", bea.id, admin.id),
                                   ("role.grant", "membership", _membership(bea, school, "beheerder").id, admin.id)]


def test_a_taken_brin_is_refused_by_the_service_and_writes_nothing(client, auth):
    taken = factories.school(brin="34CD")
    admin = factories.user(is_admin=True)
    _login(auth, admin)
    mark = _mark()
    response = client.post("/beheer/scholen/nieuw", data={"name": "Dubbel", "brin": "34cd", "sector": "VO"})
    assert response.status_code == 200 and "Er is al een school met dit BRIN-nummer." in response.get_data(True)
    with pytest.raises(services.Refused) as refused:
        services.save_school(None, "Dubbel", "34CD", "VO", _actor(admin, taken))
    assert refused.value.field == "brin"
    assert _writes_since(mark) == [] and School.select().count() == 1


# --- staff and roles (beheerder) ----------------------------------------------------------------------------

def test_invitations_are_audited_as_what_they_did(client, auth, smtp, school_admin):
    school, beheerder = school_admin["school"], school_admin["beheerder"]
    mark = _mark()
    client.post("/beheer/medewerkers/nieuw", data={"name": "Zoë Zorg", "email": "zoe@example.nl", "role": "zorg"})
    zoe = User.get(User.email == "zoe@example.nl")
    assert _writes_since(mark) == [("user.invite", "user", zoe.id, beheerder.id),
                                   ("role.grant", "membership", _membership(zoe, school, "zorg").id, beheerder.id)]

    elsewhere = factories.user("zorg", factories.school())  # an active account of another school: a role only
    mark = _mark()
    client.post("/beheer/medewerkers/nieuw", data={"name": elsewhere.name, "email": elsewhere.email, "role": "zorg"})
    assert _writes_since(mark) == [("role.grant", "membership", _membership(elsewhere, school, "zorg").id,
                                    beheerder.id)]


def test_roles_granted_and_revoked_are_audited(client, auth, school_admin):
    school, beheerder, mentor = school_admin["school"], school_admin["beheerder"], school_admin["mentor"]
    mark = _mark()
    assert client.post(f"/beheer/medewerkers/{mentor.id}/rollen", data={"role": "zorg"}).status_code == 303
    zorg = _membership(mentor, school, "zorg")
    assert _writes_since(mark) == [("role.grant", "membership", zorg.id, beheerder.id)]
    mark = _mark()
    client.post(f"/beheer/medewerkers/{mentor.id}/rollen", data={"role": "zorg"})  # had it already
    assert _writes_since(mark) == []

    mark = _mark()
    assert client.post(f"/beheer/medewerkers/{mentor.id}/rollen/{zorg.id}/intrekken").status_code == 303
    assert _writes_since(mark) == [("role.revoke", "membership", zorg.id, beheerder.id)]
    assert not Membership.get_by_id(zorg.id).active


def test_the_last_role_stays_whoever_asks(client, auth, school_admin):
    """The page refused to revoke the last role at a school; the service refuses it too, and writes nothing."""
    school, beheerder, mentor = school_admin["school"], school_admin["beheerder"], school_admin["mentor"]
    last = _membership(mentor, school, "mentor")
    mark = _mark()
    page = client.post(f"/beheer/medewerkers/{mentor.id}/rollen/{last.id}/intrekken", follow_redirects=True)
    assert "Dit is de laatste rol op deze school." in page.get_data(as_text=True)
    with pytest.raises(services.Refused):
        services.revoke_role(last, _actor(beheerder, school))
    assert Membership.get_by_id(last.id).active and _writes_since(mark) == []


def test_leavers_and_returners_are_audited(client, auth, smtp, school_admin):
    school, beheerder, mentor = school_admin["school"], school_admin["beheerder"], school_admin["mentor"]
    two_schools = factories.user("zorg", school)
    factories.add_membership(two_schools, factories.school(), "zorg")

    mark = _mark()
    assert client.post(f"/beheer/medewerkers/{two_schools.id}/uit-dienst").status_code == 303
    assert _writes_since(mark) == [("user.leave", "user", two_schools.id, beheerder.id)]  # still works elsewhere

    mark = _mark()
    assert client.post(f"/beheer/medewerkers/{mentor.id}/uit-dienst").status_code == 303
    assert _writes_since(mark) == [("user.leave", "user", mentor.id, beheerder.id),
                                   ("user.deactivate", "user", mentor.id, beheerder.id)]

    mark = _mark()
    client.post("/beheer/medewerkers/nieuw", data={"name": mentor.name, "email": mentor.email, "role": "mentor"})
    assert User.get_by_id(mentor.id).active
    assert _writes_since(mark) == [("user.reactivate", "user", mentor.id, beheerder.id),
                                   ("role.grant", "membership", _membership(mentor, school, "mentor").id,
                                    beheerder.id)]


def test_nobody_ends_their_own_access_whoever_asks(client, auth, school_admin):
    school, beheerder = school_admin["school"], school_admin["beheerder"]
    mark = _mark()
    page = client.post(f"/beheer/medewerkers/{beheerder.id}/uit-dienst", follow_redirects=True)
    assert "Je kunt je eigen toegang niet beëindigen." in page.get_data(as_text=True)
    with pytest.raises(services.Refused):
        services.leave_school(beheerder, school.id, _actor(beheerder, school))
    assert User.get_by_id(beheerder.id).active and _writes_since(mark) == []
    assert _membership(beheerder, school, "beheerder").active


# --- groups and the school's route settings (beheerder) ---------------------------------------------------

def test_groups_created_changed_and_their_teachers_are_audited(client, auth, school_admin):
    beheerder, mentor = school_admin["beheerder"], school_admin["mentor"]
    mark = _mark()
    form = {"name": "groep 5", "school_year": "2026-2027", "teachers": [mentor.id]}
    assert client.post("/beheer/groepen/nieuw", data=form).status_code == 303
    group = Group.get(Group.name == "groep 5")
    assert _writes_since(mark) == [("group.create", "group", group.id, beheerder.id),
                                   ("group.teachers", "group", group.id, beheerder.id)]
    for change, expected in ((form, []), ({**form, "name": "groep 5a"}, ["group.update"]),
                             ({**form, "name": "groep 5a", "teachers": []}, ["group.teachers"])):
        mark = _mark()
        assert client.post(f"/beheer/groepen/{group.id}", data=change).status_code == 303
        assert _writes_since(mark) == [(action, "group", group.id, beheerder.id) for action in expected]


def test_a_taken_group_name_is_refused_by_the_service(client, auth, school_admin):
    school, beheerder = school_admin["school"], school_admin["beheerder"]
    factories.group(school, "groep 8")
    mark = _mark()
    response = client.post("/beheer/groepen/nieuw", data={"name": "groep 8", "school_year": "2026-2027"})
    assert "Deze school heeft in dit schooljaar al een groep met deze naam." in response.get_data(as_text=True)
    with pytest.raises(services.Refused) as refused:
        services.save_group(school, None, "groep 8", "2026-2027", [], _actor(beheerder, school))
    assert refused.value.field == "name" and _writes_since(mark) == []


def test_route_settings_of_the_school_are_audited(client, auth, school_admin):
    school, beheerder = school_admin["school"], school_admin["beheerder"]
    phase = route_services.route_for(None, school).phases[0]
    mark = _mark()
    response = client.post("/school/ondersteuningsroute", data={f"label-{phase.key}": "Onze eerste stap"})
    assert response.status_code == 303
    assert _writes_since(mark) == [("route.settings", "school", school.id, beheerder.id)]


# --- the administration log ---------------------------------------------------------------------------------

def _visible(response) -> str:
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def test_a_role_change_shows_in_the_log_in_dutch(app, client, auth, school_admin):
    school, mentor = school_admin["school"], school_admin["mentor"]
    client.post(f"/beheer/medewerkers/{mentor.id}/rollen", data={"role": "zorg"})
    zorg = _membership(mentor, school, "zorg")
    client.post(f"/beheer/medewerkers/{mentor.id}/rollen/{zorg.id}/intrekken")
    assert 'href="/beheer/logboek"' in client.get("/beheer/medewerkers").get_data(as_text=True)

    page = _visible(client.get("/beheer/logboek"))
    assert "Bea Beheer" in page
    assert "kende de rol ‘IB'er / zorgcoördinator’ van Mo Mentor toe" in page
    assert "trok de rol ‘IB'er / zorgcoördinator’ van Mo Mentor in" in page
    assert not any(key in page for key in log.actions()) and "membership" not in page

    other = app.test_client()  # the beheerder of another school does not see it; the SWV administrator does
    other.post("/login", data={"email": factories.user("beheerder", factories.school()).email,
                               "password": factories.PASSWORD})
    assert "Mo Mentor" not in _visible(other.get("/beheer/logboek"))
    admin = app.test_client()
    admin.post("/login", data={"email": factories.user(is_admin=True).email, "password": factories.PASSWORD})
    assert "van Mo Mentor toe" in _visible(admin.get("/beheer/logboek"))


def test_the_swv_administrators_changes_show_in_the_log_of_the_school_they_concern(app, client, auth, smtp):
    """When the SWV administrator invites a school's beheerder, the event is logged under that
    school, so its own beheerder sees who gave the access; another school's beheerder does not."""
    admin, school, elsewhere = factories.user(is_admin=True), factories.school(), factories.school()
    _login(auth, admin)
    assert client.post(f"/beheer/scholen/{school.id}/beheerders",
                       data={"name": "Bea Beheer", "email": "bea@example.nl"}).status_code == 303
    events = AuditEvent.select().where(AuditEvent.action.in_(["user.invite", "role.grant"]))
    assert {e.school_id for e in events} == {school.id}

    own = factories.logged_in(app, factories.user("beheerder", school, name="Ben Beheer"))
    assert "nodigde Bea Beheer uit" in _visible(own.get("/beheer/logboek"))
    other = factories.logged_in(app, factories.user("beheerder", elsewhere))
    assert "Bea Beheer" not in _visible(other.get("/beheer/logboek"))


def test_every_admin_action_has_a_dutch_label():
    """The log and the inzage pages never show an action key: every audited admin change has its label."""
    assert set(log.actions()) <= set(labels.AUDIT_ACTIONS)
    assert {"school", "group", "user", "membership"} <= set(labels.OBJECT_TYPES)
