"""Administration pages: schools and beheerders, staff and roles, leavers, groups, outbox, plugins.

Accounts: the administrator creates schools and beheerders, a beheerder invites staff and deactivates
leavers; groups with one or more teachers.
"""

from __future__ import annotations

from portal.auth.models import Membership, User
from portal.notifications.models import OutboxMail
from portal.schools.models import School
from portal.students.models import Group, GroupTeacher
from tests import factories
from tests.conftest import form_errors


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_admin_creates_a_school_and_invites_its_beheerder(client, auth, smtp):
    auth.login(factories.user(is_admin=True).email)
    response = client.post("/beheer/scholen/nieuw", data={"name": "OBS De Linde", "brin": "12ab", "sector": "PO"})
    assert response.status_code == 303
    school = School.get(School.brin == "12AB")
    assert school.name == "OBS De Linde" and school.sector == "PO"
    assert "OBS De Linde" in _text(client.get("/beheer/scholen"))
    response = client.post(f"/beheer/scholen/{school.id}/beheerders",
                           data={"name": "Bea Beheer", "email": "bea@example.nl"})
    assert response.status_code == 303
    bea = User.get(User.email == "bea@example.nl")
    assert Membership.get(Membership.user == bea).role == "beheerder"
    (mail,) = smtp.wait_for(1)
    assert mail["To"] == "bea@example.nl" and "/wachtwoord/" in smtp.body(mail)
    assert "Bea Beheer" in _text(client.get(f"/beheer/scholen/{school.id}"))


def test_school_form_errors_are_dutch_beside_the_field_and_input_is_kept(client, auth):
    factories.school(brin="34CD")
    auth.login(factories.user(is_admin=True).email)
    response = client.post("/beheer/scholen/nieuw", data={"name": "", "brin": "1234", "sector": "XX"})
    assert response.status_code == 200
    errors = form_errors(_text(response))
    assert "Vul de naam van de school in." in errors
    assert "Een BRIN-nummer is 2 cijfers en 2 letters, bijvoorbeeld 12AB." in errors
    assert 'value="1234"' in _text(response)
    response = client.post("/beheer/scholen/nieuw", data={"name": "Dubbel", "brin": "34cd", "sector": "VO"})
    assert "Er is al een school met dit BRIN-nummer." in form_errors(_text(response))
    assert School.select().count() == 1


def test_admin_edits_a_school(client, auth):
    school = factories.school()
    auth.login(factories.user(is_admin=True).email)
    response = client.post(f"/beheer/scholen/{school.id}", data={"name": "Nieuwe naam", "brin": school.brin,
                                                                 "sector": "VO"})
    assert response.status_code == 303
    assert School.get_by_id(school.id).sector == "VO"


def test_beheerder_invites_staff_with_a_role(client, auth, smtp):
    school = factories.school()
    factories.login(client, factories.user("beheerder", school))
    response = client.post("/beheer/medewerkers/nieuw", data={"name": "Mo Mentor", "email": "mo@example.nl",
                                                               "role": "mentor"})
    assert response.status_code == 303
    mo = User.get(User.email == "mo@example.nl")
    assert mo.password_hash is None
    assert [(m.school_id, m.role) for m in mo.memberships] == [(school.id, "mentor")]
    assert smtp.wait_for(1)[0]["To"] == "mo@example.nl"
    page = _text(client.get("/beheer/medewerkers"))
    assert "Mo Mentor" in page and "uitgenodigd" in page


def test_invite_errors_are_dutch(client, auth):
    factories.login(client, factories.user("beheerder", factories.school()))
    response = client.post("/beheer/medewerkers/nieuw", data={"name": "", "email": "geen-adres", "role": "baas"})
    errors = form_errors(_text(response))
    assert "Vul een naam in." in errors
    assert "Dit is geen geldig e-mailadres." in errors
    assert "Kies een rol." in errors


def test_existing_account_gets_a_second_school_without_a_new_invitation(client, auth, smtp):
    school_a, school_b = factories.school(), factories.school()
    staff = factories.user("zorg", school_a)
    factories.login(client, factories.user("beheerder", school_b))
    client.post("/beheer/medewerkers/nieuw", data={"name": staff.name, "email": staff.email, "role": "zorg"})
    assert {m.school_id for m in staff.memberships} == {school_a.id, school_b.id}
    assert smtp.messages == []


def test_roles_are_given_and_removed(client, auth):
    school = factories.school()
    factories.login(client, factories.user("beheerder", school))
    staff = factories.user("mentor", school)
    assert client.post(f"/beheer/medewerkers/{staff.id}/rollen", data={"role": "zorg"}).status_code == 303
    roles = {m.role: m for m in Membership.select().where((Membership.user == staff) & Membership.active)}
    assert set(roles) == {"mentor", "zorg"}
    client.post(f"/beheer/medewerkers/{staff.id}/rollen/{roles['mentor'].id}/intrekken")
    active = [m.role for m in Membership.select().where((Membership.user == staff) & Membership.active)]
    assert active == ["zorg"]
    # The last role stays: leaving goes through "Uit dienst".
    response = client.post(f"/beheer/medewerkers/{staff.id}/rollen/{roles['zorg'].id}/intrekken",
                           follow_redirects=True)
    assert "Uit dienst" in _text(response)
    assert Membership.get_by_id(roles["zorg"].id).active


def test_leaver_of_one_school_keeps_the_other_school(app, client, auth):
    school_a, school_b = factories.school("A-school"), factories.school("B-school")
    staff = factories.user("zorg", school_a)
    factories.add_membership(staff, school_b, "zorg")
    group = factories.group(school_a, teachers=[staff])
    factories.login(client, factories.user("beheerder", school_a))
    assert client.post(f"/beheer/medewerkers/{staff.id}/uit-dienst").status_code == 303
    assert User.get_by_id(staff.id).active  # still works at school B
    assert not GroupTeacher.select().where(GroupTeacher.group == group).exists()
    other = factories.logged_in(app, staff)
    page = _text(other.get("/leerlingen/"))
    assert "B-school" in page and 'id="school-switch"' not in page


def test_beheerder_cannot_end_own_access_or_touch_another_school(client, auth):
    school, elsewhere = factories.school(), factories.school()
    beheerder = factories.user("beheerder", school)
    stranger = factories.user("mentor", elsewhere)
    factories.login(client, beheerder)
    client.post(f"/beheer/medewerkers/{beheerder.id}/uit-dienst")
    assert User.get_by_id(beheerder.id).active
    assert client.get(f"/beheer/medewerkers/{stranger.id}").status_code == 404
    assert client.post(f"/beheer/medewerkers/{stranger.id}/uit-dienst").status_code == 404
    assert User.get_by_id(stranger.id).active


def test_groups_with_several_teachers(client, auth):
    school = factories.school()
    factories.login(client, factories.user("beheerder", school))
    anna, bert = factories.user("mentor", school, name="Anna"), factories.user("mentor", school, name="Bert")
    response = client.post("/beheer/groepen/nieuw", data={"name": "groep 5", "school_year": "2026-2027",
                                                           "teachers": [anna.id, bert.id]})
    assert response.status_code == 303
    group = Group.get(Group.name == "groep 5")
    assert {gt.user_id for gt in group.teachers} == {anna.id, bert.id}
    page = _text(client.get("/beheer/groepen"))
    assert "groep 5" in page and "Anna" in page and "Bert" in page
    client.post(f"/beheer/groepen/{group.id}", data={"name": "groep 5a", "school_year": "2026-2027",
                                                     "teachers": [bert.id]})
    group = Group.get_by_id(group.id)
    assert group.name == "groep 5a" and [gt.user_id for gt in group.teachers] == [bert.id]


def test_group_form_errors(client, auth):
    school = factories.school()
    factories.group(school, "groep 8")
    factories.login(client, factories.user("beheerder", school))
    stranger = factories.user("mentor", factories.school())
    response = client.post("/beheer/groepen/nieuw", data={"name": "groep 8", "school_year": "2026-2028",
                                                           "teachers": [stranger.id]})
    errors = form_errors(_text(response))
    assert "Het tweede jaar volgt direct op het eerste, bijvoorbeeld 2026-2027." in errors
    assert "Kies leerkrachten van deze school." in errors
    response = client.post("/beheer/groepen/nieuw", data={"name": "groep 8", "school_year": "2026-2027"})
    assert "Deze school heeft in dit schooljaar al een groep met deze naam." in form_errors(_text(response))


def test_outbox_lists_and_shows_mail(client, auth):
    mail = OutboxMail.create(recipient="ouder@example.nl", subject="Uitnodiging", body="Link: <b>x</b>")
    auth.login(factories.user(is_admin=True).email)
    page = _text(client.get("/beheer/uitgaande-mail"))
    assert "ouder@example.nl" in page and "in de outbox" in page
    page = _text(client.get(f"/beheer/uitgaande-mail/{mail.id}"))
    assert "Link: &lt;b&gt;x&lt;/b&gt;" in page  # escaped, never rendered as HTML
    assert client.get("/beheer/uitgaande-mail/999999").status_code == 404


def test_plugins_page_lists_plugins_with_version_and_hooks(app, client, auth):
    auth.login(factories.user(is_admin=True).email)
    page = _text(client.get("/beheer/plugins"))
    for plugin in app.extensions["registry"].plugins:
        assert f"<td>{plugin.name}</td>" in page
        for hook in plugin.hooks:
            assert f"<code>{hook}</code>" in page
    # The hook overview shows the core's implementations too, with the contract's first line.
    assert "<code>register_dossier_sections</code>" in page and "core" in page


def test_returning_leaver_gets_a_new_invitation_not_the_old_password(client, auth, smtp):
    school = factories.school()
    leaver = factories.user("mentor", school)
    factories.login(client, factories.user("beheerder", school))
    client.post(f"/beheer/medewerkers/{leaver.id}/uit-dienst")
    assert not User.get_by_id(leaver.id).active
    client.post("/beheer/medewerkers/nieuw", data={"name": leaver.name, "email": leaver.email, "role": "mentor"})
    assert User.get_by_id(leaver.id).active
    assert smtp.wait_for(1)[0]["To"] == leaver.email
    auth.logout()
    assert auth.login(leaver.email).status_code == 200  # the old password no longer works


def test_only_the_swv_administrator_sets_the_organisation_of_an_account_of_several_schools(client, auth):
    """R-DRE-AVG: a jeugdhulp account working for two schools: the beheerder of one of them cannot change its
    organisation (a consent naming it opens the other school's meetings), by its page or by an invitation; the
    SWV administrator can. An account of their own school alone stays theirs to set."""
    here, there = factories.school("De Regenboog"), factories.school("Het Anker")
    shared = factories.user("jeugdhulp", there)
    User.update(organisation="Wijkteam Assen").where(User.id == shared.id).execute()
    Membership.create(user=shared, school=here, role="jeugdhulp")
    beheerder = factories.user("beheerder", here)
    auth.login(beheerder.email)
    refused = client.post(f"/beheer/medewerkers/{shared.id}/organisatie", data={"organisation": "Eigen Club"})
    assert refused.status_code == 422
    assert "alleen de beheerder van het samenwerkingsverband" in " ".join(form_errors(_text(refused)))
    invite = client.post("/beheer/medewerkers/nieuw", data={"name": shared.name, "email": shared.email,
                                                            "role": "mentor", "organisation": "Eigen Club"})
    assert "alleen de beheerder van het samenwerkingsverband" in " ".join(form_errors(_text(invite)))
    assert not Membership.select().where((Membership.user == shared) & (Membership.role == "mentor")).exists()
    assert User.get_by_id(shared.id).organisation == "Wijkteam Assen"
    own = factories.user("jeugdhulp", here)
    assert client.post(f"/beheer/medewerkers/{own.id}/organisatie", data={"organisation": "Jeugdteam"}).status_code == 303
    auth.logout()
    admin = factories.user("beheerder", here, is_admin=True)
    auth.login(admin.email)
    assert client.post(f"/beheer/medewerkers/{shared.id}/organisatie", data={"organisation": "GGD"}).status_code == 303
    assert User.get_by_id(shared.id).organisation == "GGD"


def test_a_beheerder_who_gives_themselves_the_care_role_is_seen_by_the_care_staff(client, auth):
    """R-DRE-AVG: a beheerder who gives themselves the care role (which reads confidential notes) notifies the
    school's other care staff and beheerders, besides the audit log; a role given to someone else does not."""
    from portal.notifications.models import Notification

    school = factories.school()
    beheerder = factories.user("beheerder", school, name="Bea Beheer")
    care = factories.user("zorg", school)
    mentor = factories.user("mentor", school)
    auth.login(beheerder.email)
    assert client.post(f"/beheer/medewerkers/{mentor.id}/rollen", data={"role": "zorg"}).status_code == 303
    assert not Notification.select().exists()
    assert client.post(f"/beheer/medewerkers/{beheerder.id}/rollen", data={"role": "zorg"}).status_code == 303
    told = {n.user_id: n.title for n in Notification.select()}
    assert set(told) == {care.id, mentor.id}  # the mentor holds the care role now too; the beheerder is not told
    assert "Bea Beheer heeft zichzelf de rol" in told[care.id] and "vertrouwelijke" in told[care.id]
