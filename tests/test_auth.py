"""Login, throttling, password reset and invitation over real SMTP, sessions, cookies, CSRF, school and language.

Accounts and login; a Dutch UI with English selectable.
"""

from __future__ import annotations

import pytest

import datetime as dt

import time_machine

from portal.auth.models import User
from tests import factories
from tests.conftest import form_errors, make_app

WRONG = "E-mailadres of wachtwoord klopt niet."


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_login_ok_and_logout(client, auth):
    school = factories.school()
    user = factories.user("zorg", school)
    response = auth.login(user.email)
    assert response.status_code == 303
    assert client.get("/leerlingen/").status_code == 200
    response = auth.logout()
    assert response.status_code == 303
    assert "Je bent uitgelogd." in _text(client.get("/login"))
    assert client.get("/leerlingen/").status_code == 302


def test_wrong_password_is_refused_in_dutch(client, auth):
    user = factories.user("mentor", factories.school())
    response = auth.login(user.email, "verkeerd-wachtwoord")
    assert response.status_code == 200
    assert WRONG in _text(response)
    assert user.email in _text(response)  # what was typed is kept
    assert client.get("/leerlingen/").status_code == 302


def test_throttling_is_stored_in_the_database_and_holds_across_app_instances(app, client, auth, database_url,
                                                                             tmp_path):
    """Failed logins count in the database: two app instances (workers) share the count."""
    user = factories.user("zorg", factories.school())
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 2):
        assert WRONG in _text(auth.login(user.email, "fout-fout-fout"))
    other = make_app(database_url, tmp_path / "second").test_client()
    for _ in range(2):
        assert WRONG in _text(other.post("/login", data={"email": user.email, "password": "fout-fout-fout"}))
    # Now even the right password is refused, on either instance, with a Dutch message.
    for c in (client, other):
        response = c.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 200
        assert "Te veel mislukte pogingen" in _text(response)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)):
        assert auth.login(user.email).status_code == 303


def test_password_reset_over_smtp_is_single_use(client, auth, smtp):
    user = factories.user("mentor", factories.school())
    response = client.post("/wachtwoord-vergeten", data={"email": user.email.upper()})
    assert response.status_code == 303
    (mail,) = smtp.wait_for(1)
    assert mail["To"] == user.email
    link = smtp.link_in(mail)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "nieuw-geheim-42", "confirm": "nieuw-geheim-42"})
    assert response.status_code == 303
    assert auth.login(user.email, factories.PASSWORD).status_code == 200  # old password is gone
    assert auth.login(user.email, "nieuw-geheim-42").status_code == 303
    auth.logout()
    again = client.post(link, data={"password": "ander-geheim-43", "confirm": "ander-geheim-43"})
    assert again.status_code == 404
    assert "Deze link werkt niet (meer)" in _text(again)


def test_password_reset_link_expires(app, client, smtp):
    user = factories.user("mentor", factories.school())
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    link = smtp.link_in(smtp.wait_for(1)[0])
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=app.config["RESET_TOKEN_HOURS"], minutes=1)
    with time_machine.travel(later):
        assert client.get(link).status_code == 404


def test_reset_for_unknown_address_says_the_same_and_sends_nothing(client, smtp):
    response = client.post("/wachtwoord-vergeten", data={"email": "niemand@example.nl"}, follow_redirects=True)
    assert "Als dit adres bij ons bekend is" in _text(response)
    assert smtp.messages == []


def test_set_password_errors_are_dutch_and_beside_the_field(client, smtp):
    user = factories.user("mentor", factories.school())
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    link = smtp.link_in(smtp.wait_for(1)[0])
    response = client.post(link, data={"password": "kort", "confirm": "anders"})
    assert response.status_code == 200
    errors = form_errors(_text(response))
    assert "Gebruik minstens 10 tekens." in errors
    assert "De wachtwoorden zijn niet gelijk." in errors


@pytest.mark.parametrize("guessable", ["wachtwoord123", "P@ssw0rd123", "qwertyuiop1", "1234567890"])
def test_a_common_or_breached_password_is_refused_and_the_link_still_works(client, smtp, guessable):
    """R-AVG-SEC-1: a password from the lists of common and breached passwords (zxcvbn's, with their variations)
    is refused beside the field and the link stays valid; a password made of one's own name is refused too; a
    password of a few loose words is taken."""
    user = factories.user("mentor", factories.school(), name="Sanne de Vries")
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    link = smtp.link_in(smtp.wait_for(1)[0])
    refused = client.post(link, data={"password": guessable, "confirm": guessable})
    assert refused.status_code == 200
    assert any("te makkelijk te raden" in error for error in form_errors(_text(refused)))
    own_name = client.post(link, data={"password": "sannedevries", "confirm": "sannedevries"})
    assert any("te makkelijk te raden" in error for error in form_errors(_text(own_name)))
    chosen = "fiets-regen-boterham-7"
    assert client.post(link, data={"password": chosen, "confirm": chosen}).status_code == 303


def test_invitation_flow_over_smtp(client, auth, smtp):
    """A beheerder invites a mentor by mail; the link sets the password; the mentor logs in."""
    school = factories.school()
    beheerder = factories.user("beheerder", school)
    auth.login(beheerder.email)
    response = client.post("/beheer/medewerkers/nieuw",
                           data={"name": "Anna Bakker", "email": "Anna.Bakker@example.nl", "role": "mentor"})
    assert response.status_code == 303
    auth.logout()
    (mail,) = smtp.wait_for(1)
    assert mail["To"] == "anna.bakker@example.nl"
    assert "Uitnodiging" in mail["Subject"]
    link = smtp.link_in(mail)
    page = client.get(link)
    assert "Welkom: kies je wachtwoord" in _text(page)
    assert client.post(link, data={"password": "mijn-geheim-12", "confirm": "mijn-geheim-12"}).status_code == 303
    assert auth.login("anna.bakker@example.nl", "mijn-geheim-12").status_code == 303
    assert client.get("/leerlingen/").status_code == 200
    assert client.get(link).status_code == 404  # single use


def test_idle_timeout_logs_out(app, client, auth):
    user = factories.user("zorg", factories.school())
    auth.login(user.email)
    idle = dt.timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1)
    with time_machine.travel(dt.datetime.now(dt.UTC) + idle):
        response = client.get("/leerlingen/")
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
        assert "Je sessie is verlopen" in _text(client.get(response.headers["Location"]))
        assert client.get("/leerlingen/").status_code == 302


def test_activity_keeps_the_session_alive(app, client, auth):
    user = factories.user("zorg", factories.school())
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        auth.login(user.email)
        for _ in range(3):
            traveller.shift(dt.timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 5))
            assert client.get("/leerlingen/").status_code == 200


def test_deactivated_user_is_logged_out_at_once(app, client, auth):
    school = factories.school()
    beheerder = factories.user("beheerder", school)
    leaver = factories.user("mentor", school)
    auth.login(leaver.email)
    assert client.get("/leerlingen/").status_code == 200
    admin_client = factories.logged_in(app, beheerder)
    response = admin_client.post(f"/beheer/medewerkers/{leaver.id}/uit-dienst")
    assert response.status_code == 303
    assert User.get_by_id(leaver.id).active is False
    response = client.get("/leerlingen/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert WRONG in _text(auth.login(leaver.email))


def test_session_cookie_flags(client, auth):
    user = factories.user("zorg", factories.school())
    cookie = auth.login(user.email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests


def test_session_cookie_is_secure_over_https(app, database_url, tmp_path):
    """With an https BASE_URL the session cookie is only sent over https."""
    secure = make_app(database_url, tmp_path / "https", BASE_URL="https://portaal.example.nl").test_client()
    response = secure.get("/login", base_url="https://portaal.example.nl")  # the CSRF token starts a session
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_personal_pages_are_not_cached(client, auth):
    user = factories.user("zorg", factories.school())
    auth.login(user.email)
    for path in ("/leerlingen/", "/login"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_csrf_refusal_is_a_dutch_400_page(client, auth):
    user = factories.user("zorg", factories.school())
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "Het formulier is verlopen of ongeldig" in _text(response)
    auth.login(user.email)
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/leerlingen/").status_code == 200  # still logged in


def test_school_switch_for_staff_with_two_memberships(client, auth):
    school_a = factories.school("Aa-school")
    school_b = factories.school("Zz-school")
    staff = factories.user("zorg", school_a)
    factories.add_membership(staff, school_b, "zorg")
    factories.student(school_a, first="Anouk", last="Aalders")
    factories.student(school_b, first="Bram", last="Bosma")
    auth.login(staff.email)
    page = _text(client.get("/leerlingen/"))
    assert "Aalders" in page and "Bosma" not in page
    assert 'id="school-switch"' in page
    assert client.post("/school", data={"school_id": school_b.id}).status_code == 303
    page = _text(client.get("/leerlingen/"))
    assert "Bosma" in page and "Aalders" not in page
    foreign = factories.school("Vreemd")
    assert client.post("/school", data={"school_id": foreign.id}).status_code == 404


def test_language_switch_to_english(client, auth):
    """Dutch is the default; English is selectable."""
    assert "Inloggen" in _text(client.get("/login"))
    response = client.post("/taal", data={"lang": "en", "next": "/login"})
    assert response.status_code == 303
    page = _text(client.get("/login"))
    assert 'lang="en"' in page
    assert "Log in" in page and "Inloggen" not in page
    user = factories.user("zorg", factories.school())
    assert "Email address or password is incorrect." in _text(auth.login(user.email, "verkeerd-wachtwoord"))
    client.post("/taal", data={"lang": "nl"})
    assert "Inloggen" in _text(client.get("/login"))
