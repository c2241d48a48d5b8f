"""A second factor (TOTP app) for staff who handle special-category data, through HTTP (R-AVG-SEC-1)."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
import time_machine

from portal import config
from portal.audit.models import AuditEvent
from portal.auth.models import RecoveryCode, SecondFactor
from tests import factories

T0 = dt.datetime(2027, 3, 1, 9, 0, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(seconds=30)

pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def app_overrides() -> dict:
    return {"SECOND_FACTOR_ROLES": ["zorg", "swv", "deskundige", "beheerder", "admin"]}


@pytest.fixture
def zorg():
    return factories.user("zorg", factories.school())


def _password(client, user):
    return client.post("/login", data={"email": user.email, "password": factories.PASSWORD})


def _enrol(client, user) -> tuple[str, list[str]]:
    """Sign in for the first time: the secret from the page, confirmed with a code pyotp computes from it."""
    response = _password(client, user)
    assert response.status_code == 303 and response.headers["Location"].endswith("/inloggen/tweede-factor-instellen")
    page = client.get("/inloggen/tweede-factor-instellen").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    done = client.post("/inloggen/tweede-factor-instellen", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))
    return secret, codes


def _logged_in(client) -> bool:
    response = client.get("/meldingen")
    return response.status_code == 200


def test_enrolment_with_a_code_from_the_shown_secret_logs_in(app, zorg):
    """R-AVG-SEC-1: a zorg user without a second factor is sent to enrolment after the password; a code computed
    from the shown secret turns it on, shows ten recovery codes once, and logs in. The secret is stored
    encrypted, the recovery codes hashed."""
    client = app.test_client()
    with time_machine.travel(T0, tick=False):
        secret, codes = _enrol(client, zorg)
        assert _logged_in(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    row = SecondFactor.get(SecondFactor.user == zorg)
    assert row.confirmed_at is not None and secret not in row.secret
    assert all(code.replace("-", "") not in r.code_hash for r in RecoveryCode.select() for code in codes)


def test_wrong_enrolment_code_is_refused_beside_the_field(app, zorg):
    """R-AVG-SEC-1: a wrong confirmation code keeps the user on the enrolment page with a Dutch message and does
    not log in."""
    client = app.test_client()
    _password(client, zorg)
    response = client.post("/inloggen/tweede-factor-instellen", data={"code": "000000x"})
    assert response.status_code == 422
    assert "Deze code klopt niet" in response.get_data(as_text=True)
    assert not _logged_in(client)


def test_login_requires_the_code_and_refuses_a_wrong_or_replayed_one(app, zorg):
    """R-AVG-SEC-1: with a second factor set up, the password alone does not log in; a wrong code is refused
    with a Dutch message; the right code logs in; the same code cannot be used again (replay), but the next
    step's code can."""
    with time_machine.travel(T0, tick=False):
        secret, _codes = _enrol(app.test_client(), zorg)
    totp = pyotp.TOTP(secret)
    client = app.test_client()
    with time_machine.travel(T0 + 4 * STEP, tick=False):
        response = _password(client, zorg)
        assert response.headers["Location"].endswith("/inloggen/code")
        assert not _logged_in(client)
        wrong = client.post("/inloggen/code", data={"code": "123456" if totp.now() != "123456" else "654321"})
        assert wrong.status_code == 422
        assert "Deze code klopt niet of is al gebruikt" in wrong.get_data(as_text=True)
        code = totp.now()
        assert client.post("/inloggen/code", data={"code": code}).status_code == 303
        assert _logged_in(client)
    again = app.test_client()
    with time_machine.travel(T0 + 4 * STEP + dt.timedelta(seconds=10), tick=False):
        _password(again, zorg)
        assert again.post("/inloggen/code", data={"code": code}).status_code == 422  # replayed
        assert not _logged_in(again)
    with time_machine.travel(T0 + 5 * STEP, tick=False):
        assert again.post("/inloggen/code", data={"code": totp.now()}).status_code == 303
        assert _logged_in(again)


def test_a_code_one_step_old_is_accepted_two_steps_old_is_not(app, zorg):
    """R-AVG-SEC-1: the code of one step (30 s) ago still works; one of two steps ago does not."""
    with time_machine.travel(T0, tick=False):
        secret, _codes = _enrol(app.test_client(), zorg)
    totp = pyotp.TOTP(secret)
    client = app.test_client()
    with time_machine.travel(T0 + 10 * STEP, tick=False):
        _password(client, zorg)
        too_old = totp.at(T0 + 8 * STEP)
        assert client.post("/inloggen/code", data={"code": too_old}).status_code == 422
        assert client.post("/inloggen/code", data={"code": totp.at(T0 + 9 * STEP)}).status_code == 303


def test_a_recovery_code_works_once(app, zorg):
    """R-AVG-SEC-1: a recovery code replaces the app's code once; the second time it is refused."""
    with time_machine.travel(T0, tick=False):
        _secret, codes = _enrol(app.test_client(), zorg)
    first = app.test_client()
    _password(first, zorg)
    assert first.post("/inloggen/code", data={"code": codes[3].upper()}).status_code == 303
    assert _logged_in(first)
    second = app.test_client()
    _password(second, zorg)
    assert second.post("/inloggen/code", data={"code": codes[3]}).status_code == 422
    assert not _logged_in(second)


def test_wrong_codes_count_towards_the_login_lock(app, zorg):
    """R-AVG-SEC-1: wrong codes are failed logins: after LOGIN_MAX_FAILURES the code page refuses even the
    right code, and a new password does not clear the count."""
    with time_machine.travel(T0, tick=False):
        secret, _codes = _enrol(app.test_client(), zorg)
    client = app.test_client()
    with time_machine.travel(T0 + 4 * STEP, tick=False):
        for attempt in range(app.config["LOGIN_MAX_FAILURES"]):
            if attempt % 2 == 0:
                _password(client, zorg)  # the password again does not clear the failures
            client.post("/inloggen/code", data={"code": "000000"})
        _password(client, zorg)
        refused = client.post("/inloggen/code", data={"code": pyotp.TOTP(secret).now()})
        assert "Te veel mislukte pogingen" in refused.get_data(as_text=True)
        assert not _logged_in(client)


def test_between_password_and_code_no_other_page_is_reachable(app, zorg):
    """R-AVG-SEC-1: after the password only the code page is reachable; every other page (and the dossier's
    start page) leads back to the code page, and the account page is not shown."""
    with time_machine.travel(T0, tick=False):
        _enrol(app.test_client(), zorg)
    client = app.test_client()
    _password(client, zorg)
    for path in ("/", "/leerlingen/", "/meldingen", "/account/tweede-factor", "/wachtwoord-vergeten"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/inloggen/code"), path
    assert client.get("/inloggen/code").status_code == 200
    # A browser that already has a second factor cannot set up another one with only the password.
    assert client.get("/inloggen/tweede-factor-instellen").headers["Location"].endswith("/inloggen/code")


def test_admin_reset_forces_enrolment_again_and_is_audited(app, zorg):
    """R-AVG-SEC-1: the SWV administrator resets a user's second factor (audited as its own action); the user
    enrols again at the next sign-in, and the old secret and recovery codes no longer work."""
    with time_machine.travel(T0, tick=False):
        _secret, codes = _enrol(app.test_client(), zorg)
    admin = factories.user(is_admin=True)
    admin_client = app.test_client()
    with time_machine.travel(T0 + 2 * STEP, tick=False):
        _enrol(admin_client, admin)  # the administrator needs one too ("admin" in the list)
        response = admin_client.post(f"/beheer/accounts/{zorg.id}/tweede-factor-herstellen",
                                     data={"next": "/beheer/scholen"})
    assert response.status_code == 303
    event = AuditEvent.get(AuditEvent.action == "user.second_factor_reset")
    assert (event.object_id, event.actor_id, event.kind) == (zorg.id, admin.id, "write")
    client = app.test_client()
    assert _password(client, zorg).headers["Location"].endswith("/inloggen/tweede-factor-instellen")
    to_enrol = client.post("/inloggen/code", data={"code": codes[0]})
    assert to_enrol.headers["Location"].endswith("/inloggen/tweede-factor-instellen")
    assert not _logged_in(client)


def test_only_the_administrator_resets(app, zorg):
    """R-AVG-SEC-1: a school beheerder cannot reset someone's second factor (403), nor without CSRF token."""
    beheerder = factories.user("beheerder", factories.school("Andere school"))
    app.config["SECOND_FACTOR_ROLES"] = []
    client = factories.logged_in(app, beheerder)
    assert client.post(f"/beheer/accounts/{zorg.id}/tweede-factor-herstellen").status_code == 403


def test_a_role_not_listed_logs_in_with_the_password_only(app):
    """R-AVG-SEC-1: a mentor (not in SECOND_FACTOR_ROLES) logs in with the password alone."""
    mentor = factories.user("mentor", factories.school())
    client = app.test_client()
    response = _password(client, mentor)
    assert response.status_code == 303 and "/inloggen" not in response.headers["Location"]
    assert _logged_in(client)


def test_own_account_page_shows_the_factor_and_makes_new_recovery_codes(app, zorg):
    """R-AVG-SEC-1: the user sees that a second factor is set up and makes new recovery codes with a current
    code; the old recovery codes stop working."""
    client = app.test_client()
    with time_machine.travel(T0, tick=False):
        secret, old_codes = _enrol(client, zorg)
    with time_machine.travel(T0 + 3 * STEP, tick=False):
        page = client.get("/account/tweede-factor").get_data(as_text=True)
        assert "Je tweede factor is ingesteld" in page and "Ongebruikte herstelcodes: 10" in page
        wrong = client.post("/account/tweede-factor/herstelcodes", data={"code": "000000"})
        assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.get_data(as_text=True)
        made = client.post("/account/tweede-factor/herstelcodes", data={"code": pyotp.TOTP(secret).now()})
    new_codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", made.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert AuditEvent.get(AuditEvent.action == "user.recovery_codes").object_id == zorg.id
    other = app.test_client()
    _password(other, zorg)
    assert other.post("/inloggen/code", data={"code": old_codes[0]}).status_code == 422
    assert other.post("/inloggen/code", data={"code": new_codes[0]}).status_code == 303


def test_bad_input_never_fails(app, zorg):
    """R-AVG-SEC-1: odd input on the code pages gets a message or the login page, never a 500."""
    client = app.test_client()
    for path in ("/inloggen/code", "/inloggen/tweede-factor-instellen"):
        assert client.post(path, data={"code": "x" * 5000}).status_code == 303  # no pending sign-in
    with client.session_transaction() as sess:
        sess["second_factor_user"], sess["second_factor_since"] = "abc", "not a time"
    assert client.get("/inloggen/code").status_code == 303
    _password(client, zorg)
    for code in ("x" * 5000, "", "١٢٣٤٥٦", "12 34 56"):
        assert client.post("/inloggen/tweede-factor-instellen", data={"code": code}).status_code == 422


def test_production_asks_it_and_the_demo_instance_turns_it_off(tmp_path):
    """R-AVG-SEC-1: by default the care, SWV, deskundige and beheerder roles and the SWV administrator need a
    second factor; the demo's portal.toml turns it off (keeping what the file says) and tells how to turn it on."""
    assert config.load(tmp_path)["SECOND_FACTOR_ROLES"] == ["zorg", "swv", "deskundige", "beheerder", "admin"]
    (tmp_path / "portal.toml").write_text('plugins = ["po"]\n')
    config.write_demo_second_factor(tmp_path)
    config.write_demo_second_factor(tmp_path)  # a second demo run changes nothing
    text = (tmp_path / "portal.toml").read_text()
    assert text.count("second_factor_roles = []") == 1 and "Aanzetten" in text
    assert config.load(tmp_path)["SECOND_FACTOR_ROLES"] == [] and config.load(tmp_path)["PLUGINS"] == ["po"]
