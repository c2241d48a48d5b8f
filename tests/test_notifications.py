"""The bell, the notification list, mail preferences, "mijn acties" and the administrator's reminder page."""

from __future__ import annotations

import datetime as dt
import re

import time_machine

from portal import scheduler
from portal.notifications import reminders, services
from portal.notifications.models import MAIL_DIGEST, Notification, NotificationPreference, ReminderClaim
from tests import factories
from tests.factories import at, enter_phase, phase_evaluation


def _notify(user, title="Evaluatie van fase 1", link="/leerlingen/1/traject"):
    return services.notify([user.id], "core.phase_evaluation", title, link)[0]


def test_bell_shows_the_unread_count_and_polls_a_tiny_endpoint(client, auth, reminder_world):
    _notify(reminder_world["mentor"])
    _notify(reminder_world["mentor"])
    auth.login(reminder_world["mentor"].email)
    page = client.get("/leerlingen/").get_data(as_text=True)
    bell = re.search(r'<a href="/meldingen" id="notification-bell".*?</a>', page, re.S).group(0)
    assert 'hx-get="/meldingen/teller"' in bell and 'hx-trigger="every 60s"' in bell
    assert 'data-unread="2"' in bell
    fragment = client.get("/meldingen/teller", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.strip().startswith('<a href="/meldingen" id="notification-bell"') and "<html" not in fragment
    assert 'data-unread="2"' in fragment


def test_polling_does_not_keep_an_idle_session_alive(client, auth, reminder_world):
    """The bell's polling is not activity: after the idle timeout the poll sends the browser to the login page."""
    with time_machine.travel(dt.datetime(2027, 1, 10, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        auth.login(reminder_world["mentor"].email)
        client.get("/meldingen")  # the first page after the login chooses the school (a cookie change)
        for _ in range(30):
            clock.shift(dt.timedelta(minutes=1))
            response = client.get("/meldingen/teller", headers={"HX-Request": "true"})
            assert "Set-Cookie" not in response.headers  # the poll leaves the session (and its clock) alone
        assert "HX-Redirect" not in response.headers
        # The idle clocks are renewed at most once a minute (TOUCH_SECONDS), so they allow that minute more.
        clock.shift(dt.timedelta(minutes=1, seconds=1))
        response = client.get("/meldingen/teller", headers={"HX-Request": "true"})
        assert response.headers.get("HX-Redirect") == "/login"


def test_a_page_renews_the_session_cookie_at_most_once_a_minute(client, auth, reminder_world):
    """Every request used to rewrite the signed session cookie (its idle clock); now only once a minute."""
    with time_machine.travel(dt.datetime(2027, 1, 10, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        auth.login(reminder_world["mentor"].email)
        assert "Set-Cookie" in client.get("/mijn-acties").headers  # the first page chooses the school
        clock.shift(dt.timedelta(seconds=30))
        assert "Set-Cookie" not in client.get("/mijn-acties").headers
        clock.shift(dt.timedelta(seconds=31))
        assert "Set-Cookie" in client.get("/mijn-acties").headers
        clock.shift(dt.timedelta(minutes=29, seconds=59))
        assert client.get("/mijn-acties").status_code == 200  # activity at 08:01 counts: not idle at 08:31


def test_list_mark_read_and_all_read(client, auth, reminder_world):
    first = _notify(reminder_world["mentor"], title="Eerste", link="/leerlingen/5/traject")
    _notify(reminder_world["mentor"], title="Tweede")
    foreign = _notify(reminder_world["zorg"], title="Van een ander")
    auth.login(reminder_world["mentor"].email)
    page = client.get("/meldingen").get_data(as_text=True)
    assert '<a href="/leerlingen/5/traject">Eerste</a>' in page and "Van een ander" not in page
    assert client.post(f"/meldingen/{first.id}/gelezen", csrf=False).status_code == 400
    assert client.post(f"/meldingen/{first.id}/gelezen").status_code == 303
    assert services.unread_count(reminder_world["mentor"].id) == 1
    assert client.post(f"/meldingen/{foreign.id}/gelezen").status_code == 404
    assert Notification.get_by_id(foreign.id).read_at is None
    client.post("/meldingen/alles-gelezen")
    assert services.unread_count(reminder_world["mentor"].id) == 0
    assert services.unread_count(reminder_world["zorg"].id) == 1


def test_mail_preference_page(client, auth, reminder_world):
    auth.login(reminder_world["mentor"].email)
    page = client.get("/meldingen/instellingen").get_data(as_text=True)
    assert 'value="immediate" checked' in page or "checked" in page
    bad = client.post("/meldingen/instellingen", data={"mail": "sms"})
    assert bad.status_code == 422 and 'class="error"' in bad.get_data(as_text=True)
    assert client.post("/meldingen/instellingen", data={"mail": MAIL_DIGEST}).status_code == 303
    assert NotificationPreference.get(NotificationPreference.user == reminder_world["mentor"].id).mail == MAIL_DIGEST
    _notify(reminder_world["mentor"])
    from portal.notifications.models import OutboxMail

    assert OutboxMail.select().count() == 0  # digest: no mail per notification


def test_notification_links_must_stay_in_the_portal(reminder_world):
    for link in ("https://evil.example/x", "//evil.example", "javascript:alert(1)"):
        try:
            services.notify([reminder_world["mentor"].id], "x", "t", link)
        except ValueError:
            continue
        raise AssertionError(link)


def test_my_actions_lists_due_evaluations_in_scope(client, auth, reminder_world):
    """R-ROUTE-4: the evaluations due stand in "mijn acties" of the mentor and the zorgcoördinator; overdue
    ones stand out; another school's mentor does not see them."""
    phase_evaluation(reminder_world, "2027-01-20")
    other = factories.student(reminder_world["po"], None, first="Lotte", last="Smit")
    enter_phase(other, "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1), by=reminder_world["zorg"],
                evaluation_date=dt.date(2027, 2, 1))
    with at("2027-01-25"):
        auth.login(reminder_world["mentor"].email)
        page = client.get("/mijn-acties").get_data(as_text=True)
        assert "Sanne de Vries" in page and "Lotte Smit" not in page  # Lotte is not in the mentor's group
        assert 'class="overdue"' in page and "te laat" in page
        auth.logout()
        auth.login(reminder_world["zorg"].email)
        page = client.get("/mijn-acties").get_data(as_text=True)
        assert page.index("Sanne de Vries") < page.index("Lotte Smit")
        assert page.count('class="overdue"') == 1
        auth.logout()
        auth.login(reminder_world["vo_mentor"].email)
        page = client.get("/mijn-acties").get_data(as_text=True)
        assert "Geen openstaande acties." in page


def test_admin_page_shows_mail_runs_claims_and_next_reminders(client, auth, reminder_world, app):
    visit = phase_evaluation(reminder_world, "2027-03-01")
    ReminderClaim.create(kind="core.phase_evaluation", object_id="999", due_date=dt.date(2027, 1, 1),
                         offset_days=1)  # a run that stopped mid-send
    auth.login(reminder_world["mentor"].email)
    assert client.get("/beheer/herinneringen").status_code == 403
    auth.logout()
    with at("2027-01-10"):
        scheduler.run_once(app)
        auth.login(reminder_world["admin"].email)
        page = client.get("/beheer/herinneringen").get_data(as_text=True)
    # Without SMTP the mail goes to the instance's mail folder: said as on the outbox page, not as "not set up".
    assert "berichten gaan naar de map 'mail' in de instance-map" in page
    assert "Mail is niet ingesteld" not in page
    # labels, not the keys core.reminders / core.phase_evaluation or a bare "Object 999".
    assert page.count('class="scheduler-run"') == 5 and "Herinneringen versturen" in page
    assert "Mail opnieuw proberen" in page
    assert "core.reminders" not in page and "core.phase_evaluation" not in page
    assert 'class="unfinished-claim"><td>Evaluatiedatum van een fase</td><td>nr. 999</td>' in page
    assert f"<td>22-02-2027</td><td>Evaluatiedatum van een fase</td><td>nr. {visit.id}</td>" in page
    assert "Sanne" not in page  # the administrator sees ids, not students
    assert "Evaluatie DOA VO na 6 tot 12 weken" in page  # the table of kinds
    assert reminders.unfinished_claims()[0].object_id == "999"  # still unsent: never resent silently


def test_a_long_task_list_of_the_users_own_students_is_complete(client, auth, reminder_world, monkeypatch):
    """Only a kind with an overview page (the SWV's waiting applications) stops at TASK_LIST_MOST; the phase
    evaluations of the user's own students are all listed and the page does not claim there are more."""
    phase_evaluation(reminder_world, "2027-01-20")
    other = factories.student(reminder_world["po"], None, first="Lotte", last="Smit", mentor=reminder_world["mentor"])
    enter_phase(other, "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1), by=reminder_world["mentor"],
                evaluation_date=dt.date(2027, 1, 21))
    monkeypatch.setattr(reminders, "TASK_LIST_MOST", 1)
    auth.login(reminder_world["mentor"].email)
    page = client.get("/mijn-acties").get_data(as_text=True)
    assert "Sanne" in page and "Lotte" in page
    assert "die het langst wachten" not in page
