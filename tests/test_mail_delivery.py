"""No secret stays in the outbox after delivery, delivered mail is purged, failed mail is
retried with backoff, counts as delivered only when the SMTP server accepted it, and shows as failed at the end.
Mail goes over the loopback SMTP server of tests/smtp.py."""

from __future__ import annotations

import datetime as dt
import mailbox
import re

import time_machine

from portal import mail, scheduler
from portal.db import database, utcnow
from portal.notifications.models import Notification, OutboxMail
from tests import factories
from tests.factories import build_meeting, code_from, give_consent, mailed_link


def _database_text() -> str:
    """Every value of every row of every table, as one text: where a secret must not be."""
    db = database.obj
    chunks = []
    for table in db.get_tables():
        for row in db.execute_sql(f'SELECT * FROM "{table}"').fetchall():
            chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def _travel(moment: dt.datetime):
    return time_machine.travel(moment.replace(tzinfo=dt.UTC), tick=False)


def test_reset_and_invitation_links_leave_no_token_in_the_database(app, client, auth, smtp):
    """After delivery the token of a reset and of an invitation exists only in the sent mail;
    the outbox keeps a redacted copy that the SWV administrator reads."""
    school = factories.school()
    user = factories.user("zorg", school)
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    auth.login(factories.user("beheerder", school).email)
    client.post("/beheer/medewerkers/nieuw", data={"name": "Nieuw", "email": "nieuw@example.nl", "role": "mentor"})
    messages = smtp.wait_for(2)
    tokens = [smtp.link_in(m).rsplit("/", 1)[1] for m in messages]
    assert all(len(t) >= 40 for t in tokens)
    stored = _database_text()
    for token in tokens:
        assert token not in stored
    assert all(row.sent_at and row.pending_message is None and mail.REDACTED in row.body
               for row in OutboxMail.select())
    auth.logout()
    auth.login(factories.user(is_admin=True).email)
    for row in list(OutboxMail.select()):
        page = client.get(f"/beheer/uitgaande-mail/{row.id}").get_data(as_text=True)
        assert "[verborgen]" in page and not any(t in page for t in tokens)


def test_share_link_token_and_code_leave_nothing_in_the_database(app, client, auth, smtp):
    """The share-link token and the six-digit code are not stored once the mails went out."""
    s = build_meeting()
    give_consent(s)
    auth.login(s["chair"].email)
    token = mailed_link(client, s, smtp, code=True)
    guest = app.test_client()
    assert guest.get(f"/gast/{token}").status_code == 200
    assert guest.post(f"/gast/{token}/code").status_code == 303
    smtp.wait_for(2)
    code = code_from(smtp)
    stored = _database_text()
    assert token not in stored
    code_mail = OutboxMail.get(OutboxMail.subject == "Uw code voor het overleg")
    assert code not in code_mail.body and code_mail.pending_message is None and code_mail.sent_at


def test_queued_mail_keeps_its_secret_only_until_delivery(app, smtp):
    """A refused mail waits with its secret for the retry; once the SMTP server accepts
    it the secret is wiped, and the sent mail carries it."""
    smtp.refuse(1)
    start = dt.datetime(2027, 3, 1, 9, 0)
    with _travel(start):
        with app.test_request_context():
            row = mail.send("a@example.nl", "Code", "Uw code is: 493021\n", secrets=["493021"], caused_by=None)
    assert row.sent_at is None and row.attempts == 1 and "451" in row.error
    assert "493021" not in row.body and "493021" in row.pending_message
    assert smtp.messages == []
    with _travel(start + dt.timedelta(minutes=1)):
        assert mail.deliver_due() == 0  # the backoff has not passed yet
    with _travel(start + dt.timedelta(minutes=6)):
        assert mail.deliver_due() == 1
        assert mail.deliver_due() == 0  # nothing is sent twice
    row = OutboxMail.get_by_id(row.id)
    assert row.sent_at and row.pending_message is None and row.error is None and row.attempts == 2
    assert len(smtp.messages) == 1 and "493021" in smtp.body(smtp.messages[0])
    assert "493021" not in _database_text()


def test_failed_invitation_is_retried_by_the_scheduler_and_counts_as_delivered_once(app, client, auth, smtp):
    """An invitation whose SMTP delivery fails is not counted as sent; the scheduler's outbox job
    retries it with backoff and it counts as delivered when the server accepted it, exactly once."""
    school = factories.school()
    smtp.refuse(2)
    start = dt.datetime(2027, 3, 1, 9, 0)
    with _travel(start):
        auth.login(factories.user("beheerder", school).email)
        client.post("/beheer/medewerkers/nieuw", data={"name": "Nieuw", "email": "nieuw@example.nl",
                                                        "role": "mentor"})
    row = OutboxMail.get()
    assert row.sent_at is None and row.attempts == 1
    with _travel(start + dt.timedelta(minutes=5, seconds=1)):
        scheduler.run_once(app)
    row = OutboxMail.get_by_id(row.id)
    assert row.sent_at is None and row.attempts == 2
    assert row.next_attempt_at == start + dt.timedelta(minutes=5, seconds=1) + dt.timedelta(minutes=10)  # doubled
    with _travel(start + dt.timedelta(minutes=16)):
        scheduler.run_once(app)
        scheduler.run_once(app)
    row = OutboxMail.get_by_id(row.id)
    assert row.sent_at and row.attempts == 3 and row.pending_message is None
    assert len(smtp.messages) == 1


def test_mail_fails_after_the_last_try_and_tells_admin_and_sender(app, client, auth, smtp):
    """After MAIL_MAX_ATTEMPTS the mail shows as failed on the outbox page and to the person who
    caused it; nothing is tried again and no secret is left."""
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    school = factories.school()
    beheerder = factories.user("beheerder", school)
    smtp.refuse(10)
    start = dt.datetime(2027, 3, 1, 9, 0)
    with _travel(start):
        auth.login(beheerder.email)
        client.post("/beheer/medewerkers/nieuw", data={"name": "Nieuw", "email": "nieuw@example.nl",
                                                        "role": "mentor"})
    for minutes in (6, 20, 60, 200):
        with _travel(start + dt.timedelta(minutes=minutes)):
            mail.deliver_due()
    row = OutboxMail.get()
    assert row.failed_at and row.attempts == 3 and row.sent_at is None and row.pending_message is None
    assert smtp.messages == []
    note = Notification.get(Notification.user == beheerder.id)
    assert "nieuw@example.nl" in note.title and "niet worden afgeleverd" in note.title
    assert note.mailed_at is not None  # not by mail: mail is what failed
    auth.login(beheerder.email)
    assert "nieuw@example.nl" in client.get("/meldingen").get_data(as_text=True)
    auth.logout()
    auth.login(factories.user(is_admin=True).email)
    page = client.get("/beheer/uitgaande-mail").get_data(as_text=True)
    assert "mislukt" in page
    detail = client.get(f"/beheer/uitgaande-mail/{row.id}").get_data(as_text=True)
    assert "451" in detail and "3 van 3" in detail
    smtp.refusals.clear()
    with _travel(start + dt.timedelta(days=1)):
        assert mail.deliver_due() == 0
    assert smtp.messages == []


def test_a_permanent_refusal_fails_at_once(app, smtp):
    """A 5xx answer is final: no retries of a mail the server will never take."""
    smtp.refuse(1, "550 5.1.1 Onbekende ontvanger")
    with app.test_request_context():
        row = mail.send("weg@example.nl", "Onderwerp", "Tekst", caused_by=None)
    assert row.failed_at and row.attempts == 1 and "550" in row.error


def test_an_interrupted_try_is_not_repeated(app, smtp):
    """A try that was claimed but never finished (a crash) is marked failed, not sent again."""
    with app.test_request_context():
        row = mail.send("a@example.nl", "Onderwerp", "Tekst", caused_by=None)
    OutboxMail.update(sent_at=None, claimed_at=utcnow(), pending_message="x").where(OutboxMail.id == row.id).execute()
    smtp.clear()
    with _travel(utcnow() + dt.timedelta(hours=1)):
        assert mail.deliver_due() == 0
    row = OutboxMail.get_by_id(row.id)
    assert row.failed_at and row.error == mail.INTERRUPTED and row.pending_message is None
    assert smtp.messages == []


def test_delivered_mail_is_purged_after_the_retention_days(app, smtp):
    """Delivered mail is deleted after MAIL_RETENTION_DAYS; queued mail stays."""
    app.config["MAIL_RETENTION_DAYS"] = 7
    start = dt.datetime(2027, 3, 1, 9, 0)
    with _travel(start), app.test_request_context():
        old = mail.send("a@example.nl", "Oud", "Tekst", caused_by=None)
        smtp.refuse(1)
        waiting = mail.send("b@example.nl", "Wacht", "Tekst", caused_by=None)
    with _travel(start + dt.timedelta(days=8)), app.test_request_context():
        recent = mail.send("c@example.nl", "Nieuw", "Tekst", caused_by=None)
        smtp.refuse(5)
        mail.deliver_due()
    ids = {row.id for row in OutboxMail.select()}
    assert old.id not in ids and recent.id in ids and waiting.id in ids


def test_without_smtp_mail_is_delivered_to_a_local_maildir(app, tmp_path):
    """Without MAIL_HOST the message goes to <instance>/mail (the secret with it, as a mailbox
    would hold it), and the outbox row is redacted and delivered."""
    with app.test_request_context():
        row = mail.send("a@example.nl", "Code", "Uw code is: 731904\n", secrets=["731904"], caused_by=None)
    assert row.sent_at and row.pending_message is None and "731904" not in row.body
    box = mailbox.Maildir(str(mail.mail_dir()), create=False)
    [message] = list(box)
    assert "731904" in message.get_payload(decode=True).decode()
    assert message["Message-ID"] and message["Date"]


def test_token_shaped_strings_are_redacted_even_when_not_named(app):
    """A safety net hides anything shaped like a portal token."""
    from portal.tokens import new_token

    token = new_token()
    assert token not in mail.redact(f"Link: https://portaal.example.nl/gast/{token}\n")
    assert re.search(r"/gast/\[verborgen\]", mail.redact(f"/gast/{token}"))
