"""Safe redirects, server-side sessions, throttling without lock-out by
strangers, the start page, and addresses in mail that point at this portal."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from portal import config as config_module
from portal.auth import services, throttle
from portal.auth.models import RateLimit, User, UserSession
from portal.notifications.models import OutboxMail
from portal.redirects import safe_path
from tests import factories
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[1]

BYPASSES = [
    "//evil.example", "///evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example", "https://evil.example",
    "http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "evil.example",
    "/%09/evil.example", "/%2F/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%252F/evil.example",
    " //evil.example", "/ /evil.example", "\x00/evil.example", "/\x7f/evil.example", "//evil.example/%2e%2e",
    "https:/evil.example", "",
]


def _offsite(location: str) -> bool:
    parts = urlsplit(location)
    return bool(parts.netloc and parts.netloc != "localhost") or location.startswith("//") \
        or any(c in location for c in "\t\n\r\\")


# --- open redirects -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", BYPASSES)
def test_safe_path_refuses_known_bypasses(target):
    """Tabs, newlines, backslashes, //, encoded forms and schemes are no portal paths."""
    assert safe_path(target) is None


@pytest.mark.parametrize("target", ["/leerlingen", "/leerlingen?zoek=de vries&pagina=2", "/overleg/3/links",
                                    "/", "/meldingen#boven", "/leerlingen?terug=%2Fmeldingen"])
def test_safe_path_keeps_portal_paths(target):
    """Real portal paths (with a query) still work as a next target."""
    assert safe_path(target) == target


def test_login_next_never_leaves_the_portal(app, client, auth):
    """/login?next=/%09/evil.example (and the other bypasses) lands on the portal after login."""
    user = factories.user("zorg", factories.school())
    for target in ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example",
                   "/%0a/evil.example"]:
        client.post("/logout")
        response = client.post(f"/login?next={target}", data={"email": user.email,
                                                               "password": factories.PASSWORD})
        assert response.status_code == 303, target
        assert not _offsite(response.headers["Location"]), (target, response.headers["Location"])
        assert response.headers["Location"] == "/", target
    client.post("/logout")
    ok = client.post(f"/login?next={quote('/meldingen')}", data={"email": user.email, "password": factories.PASSWORD})
    assert ok.headers["Location"] == "/meldingen"


def test_language_switch_never_leaves_the_portal(app, client):
    """The language switch (a public form) refuses the same bypasses."""
    for target in BYPASSES[:12]:
        response = client.post("/taal", data={"lang": "nl", "next": target})
        assert response.status_code == 303
        assert not _offsite(response.headers["Location"]), target
    assert client.post("/taal", data={"lang": "nl", "next": "/login"}).headers["Location"] == "/login"


def test_share_link_panel_never_leaves_the_portal(app, client, auth, smtp):
    """The share-link panel's "next" uses the same helper."""
    s = factories.build_meeting()
    factories.give_consent(s)
    auth.login(s["chair"].email)
    assert factories.create_link(client, s).status_code == 303
    from portal.sharing.models import ShareLink

    link_id = ShareLink.get().id
    response = client.post(f"/overleg/{s['meeting'].id}/links/{link_id}/intrekken",
                           data={"next": "/\t/evil.example"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/overleg/{s['meeting'].id}/links"


# --- sessions end on the server ------------------------------------------------------------------------------

def _copy_session(source, app):
    """A second browser holding a copy of ``source``'s session cookie."""
    thief = app.test_client()
    cookie = source.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def _logged_in(client) -> bool:
    return client.get("/meldingen").status_code == 200


def test_copied_cookie_stops_working_after_logout(app, client, auth):
    """Logout ends the session on the server, so a copy of the cookie is logged out too."""
    user = factories.user("zorg", factories.school())
    auth.login(user.email)
    thief = _copy_session(client, app)
    assert _logged_in(thief)
    auth.logout()
    assert not _logged_in(thief)
    assert UserSession.get().end_reason == "logout"


def test_logout_ends_only_this_session(app, client, auth):
    """Logging out on one device leaves the user's other device logged in."""
    user = factories.user("zorg", factories.school())
    other = factories.logged_in(app, user)
    auth.login(user.email)
    auth.logout()
    assert _logged_in(other)


def test_copied_cookie_stops_working_after_password_reset(app, client, auth, smtp):
    """A password reset ends every session of the account."""
    user = factories.user("zorg", factories.school())
    auth.login(user.email)
    thief = _copy_session(client, app)
    stranger = app.test_client()
    stranger.post("/wachtwoord-vergeten", data={"email": user.email})
    path = smtp.link_in(smtp.wait_for(1)[0])
    assert stranger.post(path, data={"password": "nieuw-wachtwoord-1", "confirm": "nieuw-wachtwoord-1"}
                         ).status_code == 303
    assert not _logged_in(thief)
    assert not _logged_in(client)


def test_copied_cookie_stays_dead_after_deactivation_and_new_invitation(app, client, auth, smtp):
    """Deactivating (uit dienst) ends sessions; inviting the person again revives none."""
    school = factories.school()
    beheerder = factories.user("beheerder", school)
    leaver = factories.user("mentor", school)
    victim = factories.logged_in(app, leaver)
    thief = _copy_session(victim, app)
    auth.login(beheerder.email)
    assert client.post(f"/beheer/medewerkers/{leaver.id}/uit-dienst").status_code == 303
    assert not _logged_in(thief)
    assert client.post("/beheer/medewerkers/nieuw", data={"name": leaver.name, "email": leaver.email,
                                                           "role": "mentor"}).status_code == 303
    path = smtp.link_in(smtp.wait_for(1)[-1])
    app.test_client().post(path, data={"password": "weer-terug-123", "confirm": "weer-terug-123"})
    assert User.get_by_id(leaver.id).active
    assert not _logged_in(thief)


def test_log_out_everywhere(app, client, auth):
    """The button on the settings page ends every session of the user, this one included."""
    user = factories.user("zorg", factories.school())
    laptop = factories.logged_in(app, user)
    auth.login(user.email)
    thief = _copy_session(client, app)
    page = client.get("/meldingen/instellingen").get_data(as_text=True)
    assert 'action="/uitloggen-overal"' in page and "Overal uitloggen" in page
    response = client.post("/uitloggen-overal")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert not any(_logged_in(c) for c in (client, laptop, thief))
    assert UserSession.select().where(UserSession.ended_at.is_null()).count() == 0


def test_log_out_everywhere_needs_csrf(app, client, auth):
    """The new POST route refuses a post without a CSRF token."""
    user = factories.user("zorg", factories.school())
    auth.login(user.email)
    assert client.post("/uitloggen-overal", csrf=False).status_code == 400
    assert _logged_in(client)


# --- throttling --------------------------------------------------------------------------------------------

@pytest.fixture
def app_overrides():
    return {"LOGIN_SLOWDOWN_AFTER": 3}


def _from(app, address: str):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


def _login(c, email, password=factories.PASSWORD):
    return c.post("/login", data={"email": email, "password": password})


def test_a_stranger_cannot_lock_a_known_user_out(app, monkeypatch):
    """Five wrong passwords from one client lock that client only, not the account."""
    app.config["LOGIN_SLOWDOWN_AFTER"] = 10  # below the account-wide pause (tested on its own)
    user = factories.user("zorg", factories.school())
    attacker, colleague = _from(app, "203.0.113.7"), _from(app, "198.51.100.2")
    for _ in range(5):
        assert "klopt niet" in _login(attacker, user.email, "fout-fout-fout").get_data(as_text=True)
    refused = _login(attacker, user.email)  # even the right password: this client is locked for this account
    assert refused.status_code == 200 and "Te veel mislukte pogingen" in refused.get_data(as_text=True)
    assert _login(colleague, user.email).status_code == 303


def test_many_failures_for_one_account_pause_it_without_holding_a_thread(app, monkeypatch):
    """Failures from many clients make the account's logins wait a few growing seconds, refused at once with 429,
    Retry-After and a Dutch "probeer het over N seconden opnieuw", without sleeping and without checking the
    password; after the pause the right password works, so the account is never locked."""
    import time as time_module

    import time_machine

    def no_sleep(seconds):
        raise AssertionError(f"a login slept {seconds} s in a server thread")

    monkeypatch.setattr(time_module, "sleep", no_sleep)
    checked = []
    real_authenticate = services.authenticate
    monkeypatch.setattr(services, "authenticate", lambda *a: (checked.append(a[0]), real_authenticate(*a))[1])
    user = factories.user("zorg", factories.school())
    with time_machine.travel(time_module.time(), tick=False) as traveller:
        for n in range(4):  # LOGIN_SLOWDOWN_AFTER = 3: the fourth failure starts a pause of one second
            assert "klopt niet" in _login(_from(app, f"203.0.113.{n + 1}"), user.email, "fout").get_data(as_text=True)
        checked.clear()
        refused = _login(_from(app, "198.51.100.9"), user.email)  # even the right password, from anywhere
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
        assert "Probeer het over 1 seconden opnieuw." in refused.get_data(as_text=True)
        assert checked == []  # refused before any password check
        traveller.shift(1.5)
        assert "klopt niet" in _login(_from(app, "203.0.113.9"), user.email, "fout").get_data(as_text=True)
        assert _login(_from(app, "198.51.100.9"), user.email).headers["Retry-After"] == "2"  # a longer pause
        traveller.shift(2.5)
        assert _login(_from(app, "198.51.100.9"), user.email).status_code == 303


def test_login_posts_are_limited_per_client(database_url, backend, tmp_path, app):
    """One client posting the login form too often gets 429; another client does not."""
    app.config["LOGIN_CLIENT_LIMIT"] = "3 per minute"
    noisy, calm = _from(app, "203.0.113.50"), _from(app, "198.51.100.50")
    statuses = [_login(noisy, f"nobody{n}@example.nl", "x").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Te veel pogingen" in _login(noisy, "a@example.nl", "x").get_data(as_text=True)
    assert _login(calm, "a@example.nl", "x").status_code == 200


def test_counters_are_shared_through_the_database(database_url, tmp_path, app, monkeypatch):
    """A second process (another app on the same database) sees the same lock."""
    user = factories.user("zorg", factories.school())
    attacker = _from(app, "203.0.113.8")
    for _ in range(5):
        _login(attacker, user.email, "fout-fout-fout")
    assert RateLimit.select().count() > 0
    assert not any(user.email in row.key for row in RateLimit.select())  # keys hold no address
    other = make_app(database_url, tmp_path / "second")
    second = other.test_client()
    second.environ_base["REMOTE_ADDR"] = "203.0.113.8"
    assert "Te veel mislukte pogingen" in _login(second, user.email).get_data(as_text=True)


def test_unknown_addresses_cost_a_password_hash_too(app, client, monkeypatch):
    """An unknown, passwordless or deactivated address still runs the hasher (no timing leak)."""
    calls = []
    with app.app_context():
        real, dummy = services._hasher()

    class SpyHasher:
        hash = staticmethod(real.hash)

        def verify(self, password_hash, password):
            calls.append(password_hash)
            return real.verify(password_hash, password)

    monkeypatch.setattr(services, "_hasher", lambda: (SpyHasher(), dummy))
    school = factories.school()
    gone = factories.user("zorg", school)
    User.update(active=False).where(User.id == gone.id).execute()
    invited = factories.user("zorg", school)
    User.update(password_hash=None).where(User.id == invited.id).execute()
    for email in ("niemand@example.nl", gone.email, invited.email):
        calls.clear()
        _login(client, email, "wat-dan-ook-123")
        assert calls == [dummy], email
    known = factories.user("zorg", school)
    calls.clear()
    _login(client, known.email, "fout-fout-fout")
    assert calls == [User.get_by_id(known.id).password_hash]


def test_ten_reset_requests_send_at_most_two_mails(app, client, smtp):
    """Anonymous reset requests are throttled per address; the answer stays the same."""
    user = factories.user("zorg", factories.school())
    for n in range(10):
        response = _from(app, f"203.0.113.{n + 1}").post("/wachtwoord-vergeten", data={"email": user.email})
        assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert OutboxMail.select().where(OutboxMail.recipient == user.email).count() == 2
    assert len(smtp.messages) == 2


def test_reset_requests_are_limited_per_client(app):
    """One client asking for resets too often gets 429."""
    app.config["RESET_CLIENT_LIMIT"] = "2 per hour"
    c = _from(app, "203.0.113.60")
    statuses = [c.post("/wachtwoord-vergeten", data={"email": f"x{n}@example.nl"}).status_code for n in range(3)]
    assert statuses == [303, 303, 429]


def test_invitation_mails_are_throttled_per_address(app, client, auth):
    """Inviting the same address again and again sends three mails a day, then says so."""
    school = factories.school()
    auth.login(factories.user("beheerder", school).email)
    roles = ["mentor", "zorg", "beheerder", "swv"]
    pages = [client.post("/beheer/medewerkers/nieuw", data={"name": "Nieuwe Collega", "email": "nieuw@example.nl",
                                                             "role": role}, follow_redirects=True)
             for role in roles]
    assert OutboxMail.select().where(OutboxMail.recipient == "nieuw@example.nl").count() == 3
    assert "geen nieuwe verstuurd" in pages[-1].get_data(as_text=True)


# --- the start page --------------------------------------------------------------------------------------

def test_root_sends_anonymous_visitors_to_login(client):
    """The start page / answers, not 404."""
    response = client.get("/")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"


@pytest.mark.parametrize("kind, start", [("zorg", "/leerlingen/"), ("admin", "/beheer/scholen"),
                                         ("swv", "/swv/aanvragen"), ("deskundige", "/advies"),
                                         ("jeugdhulp", "/mijn-acties")])
def test_root_and_login_lead_to_the_start_page(app, client, auth, kind, start):
    """Staff start at students, the SWV administrator at beheer (not a 403), SWV staff at the
    queue of applications and a deskundige at their advices, roles without students at "mijn acties",
    which says what they find there."""
    user = factories.user(is_admin=True) if kind == "admin" else factories.user(kind, factories.school())
    login = auth.login(user.email)
    assert login.headers["Location"] == "/"
    response = client.get("/")
    assert response.headers["Location"] == start
    page = client.get(start)
    assert page.status_code == 200
    if kind == "jeugdhulp":
        assert "acties uit overleggen en de evaluaties die voor jou openstaan" in page.get_data(as_text=True)


# --- the portal's own address in mail ----------------------------------------------------------------------

def test_demo_script_derives_the_base_url_from_host_and_port(tmp_path):
    """scripts/demo.sh sets PORTAL_BASE_URL from PORTAL_HOST and PORTAL_PORT."""
    script = (ROOT / "scripts" / "demo.sh").read_text()
    snippet = script[script.index('HOST="${PORTAL_HOST'):script.index('export PORTAL_BASE_URL')]
    snippet += re.search(r"export PORTAL_BASE_URL=.*\n", script).group(0) + 'echo "$PORTAL_BASE_URL"\n'
    env = {"PATH": "/usr/bin:/bin", "PORTAL_PORT": "5123"}
    out = subprocess.run(["bash", "-c", snippet], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "http://127.0.0.1:5123"
    env.update(PORTAL_BASE_URL="https://portaal.example.nl")
    out = subprocess.run(["bash", "-c", snippet], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "https://portaal.example.nl"


def test_portal_warns_when_the_base_url_cannot_be_its_own(database_url, tmp_path, caplog):
    """A loopback BASE_URL on another port than the served one, or a malformed one, warns."""
    settings = {"BASE_URL": "http://127.0.0.1:5000"}
    assert config_module.base_url_problems(settings, "127.0.0.1", 5000) == []
    assert "poort 5000" in config_module.base_url_problems(settings, "127.0.0.1", 5123)[0]
    assert config_module.base_url_problems({"BASE_URL": "https://portaal.example.nl"}, "127.0.0.1", 8000) == []
    with caplog.at_level(logging.WARNING, logger="portal"):
        make_app(database_url, tmp_path, BASE_URL="portaal.example.nl/login")
    assert any("PORTAL_BASE_URL" in r.getMessage() for r in caplog.records)


def test_invitation_mail_has_headers_sender_name_and_school(app, client, auth, smtp):
    """Date, Message-ID and a named sender; the invitation says which school invites, and its
    link uses the configured base URL."""
    app.config["BASE_URL"] = "http://127.0.0.1:5123"
    school = factories.school("Het Kompas")
    auth.login(factories.user("beheerder", school).email)
    client.post("/beheer/medewerkers/nieuw", data={"name": "Nieuw", "email": "nieuw@example.nl", "role": "mentor"})
    message = smtp.wait_for(1)[0]
    assert message["Date"] and re.fullmatch(r"<[^@>]+@127\.0\.0\.1>", message["Message-ID"])
    assert message["From"] == "Ondersteuningsportaal <portal@localhost>"
    assert school.name in message["Subject"] and school.name in smtp.body(message)
    assert "http://127.0.0.1:5123/wachtwoord/" in smtp.body(message)


def test_cancellation_mail_promises_no_link(app):
    """The cancellation mail no longer promises a personal link (nor any link)."""
    from portal.meetings import services as meetings

    s = factories.build_meeting()
    with app.test_request_context():
        body = meetings._mail_body(s["meeting"], "MDO", "CANCEL", "http://127.0.0.1:5000/", False,
                                   first=False, school="De Es")
        invite = meetings._mail_body(s["meeting"], "MDO", "REQUEST", "http://127.0.0.1:5000/", False,
                                     first=True, school="De Es")
    assert "geannuleerd" in body and "link" not in body.lower() and "http" not in body
    assert "School: De Es" in body and "persoonlijke link" in invite


def test_idle_sessions_are_ended_and_old_ones_purged_by_the_scheduler(app, client, auth):
    """The server ends sessions idle past the timeout (a copied cookie included) and deletes
    ended ones after a month."""
    import datetime as dt

    import time_machine

    from portal import scheduler

    user = factories.user("zorg", factories.school())
    auth.login(user.email)
    thief = _copy_session(client, app)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        scheduler.run_once(app)
        assert UserSession.get().end_reason == "idle"
        assert not _logged_in(thief)
    with time_machine.travel(later + dt.timedelta(days=31), tick=False):
        scheduler.run_once(app)
    assert UserSession.select().count() == 0


def test_a_hash_with_old_costs_is_replaced_at_the_next_login(app, client, monkeypatch):
    """Changed argon2 parameters take effect per user at their next successful login; the password
    keeps working, and a hash with the current costs is left as it is."""
    from argon2 import PasswordHasher

    user = factories.user("zorg", factories.school())
    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(factories.PASSWORD)
    User.update(password_hash=old).where(User.id == user.id).execute()
    _login(client, user.email, "fout-fout-fout")
    assert User.get_by_id(user.id).password_hash == old  # a failed login changes nothing
    factories.login(client, user)
    renewed = User.get_by_id(user.id).password_hash
    assert renewed != old and "m=1024,t=1,p=1" in renewed  # the test app's costs (portal.testing)
    factories.login(client, user)
    assert User.get_by_id(user.id).password_hash == renewed


def test_concurrent_hashing_is_bounded_per_process(app, monkeypatch):
    """At most PASSWORD_HASH_CONCURRENCY argon2 runs at once; the other logins wait their turn
    (so memory stays bounded) and all of them still succeed."""
    import threading
    import time

    app.config["PASSWORD_HASH_CONCURRENCY"] = 2
    with app.app_context():
        real, dummy = services._hasher()
    running, peak, lock = [0], [0], threading.Lock()

    class CountingHasher:
        def verify(self, password_hash, password):
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.05)  # long enough for the other threads to pile up behind the bound
            with lock:
                running[0] -= 1
            return True

    monkeypatch.setattr(services, "_hasher", lambda: (CountingHasher(), dummy))
    results = []

    def verify():
        with app.app_context():
            results.append(services._verify(dummy, "x"))

    threads = [threading.Thread(target=verify) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 8 and peak[0] == 2
