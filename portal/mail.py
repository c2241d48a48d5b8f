"""Outgoing mail: queued in the outbox, delivered over SMTP (or to a local folder), retried with backoff.

A mail counts as delivered only when the SMTP server accepted it. A failed try is retried with growing pauses
(``MAIL_RETRY_MINUTES``, doubled per try) by the scheduler's outbox job, up to ``MAIL_MAX_ATTEMPTS`` tries; after
the last one the mail shows as failed on the administrator's outbox page and in the notifications of the person
who caused it. Every try first claims the row (one UPDATE), so two schedulers never send a mail twice; a try
interrupted half-way (a crash after the SMTP server may have accepted it) is not repeated either: it is marked
failed as "interrupted", for the administrator to judge.

Secrets. Links with tokens (invitation, password reset, share link) and six-digit codes must not stay readable
in the database. The alternative, keeping the secret out of the row entirely, would mean a mail that fails once
can never be retried (the token exists only in the request that made it). So the row holds two things:

* ``body``: a redacted copy, the only text an administrator ever sees (callers name their secrets; a safety net
  also hides anything shaped like a portal token);
* ``pending_message``: the complete message, secret included, only while it waits for delivery. It is wiped in
  the same UPDATE that records the SMTP server's acceptance, the last failure, or an interrupted try.

The live secret thus sits in the database only for the minutes until delivery (and is never shown on a page);
after delivery it exists only in the mail that was sent. Delivered mail is purged after ``MAIL_RETENTION_DAYS``.

Without ``MAIL_HOST`` (development and the demo) the portal "delivers" to a Maildir folder, ``MAIL_DIR``
(default ``<instance>/mail``): the messages there are what a mailbox would have received.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import mailbox
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app

from portal import inputs
from portal.db import database, utcnow
from portal.language import portal_language
from portal.notifications.models import NOTIFICATIONS_PATH, Notification, OutboxMail

log = logging.getLogger("portal.mail")

REDACTED = "[verborgen]"
# A safety net beside the secrets callers name: anything shaped like portal.tokens.new_token() (43 URL-safe chars).
_TOKEN_SHAPE = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
INTERRUPTED = "Onderbroken tijdens het versturen; mogelijk is het bericht toch afgeleverd."
CLAIM_MINUTES = 15  # a try still claimed after this long was interrupted (a try takes at most a minute)


class PermanentFailure(Exception):
    """The server refused the mail for good (5xx): trying again would not help."""


def sender() -> str:
    cfg = current_app.config
    return formataddr((str(cfg.get("MAIL_FROM_NAME") or ""), cfg["MAIL_FROM"]))


def _message_domain() -> str:
    return urlparse(str(current_app.config["BASE_URL"])).hostname or "localhost"


def build_message(recipient: str, subject: str, body: str, attachments=()) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender()
    msg["To"] = recipient
    msg["Subject"] = inputs.one_line(subject)  # a stored name with a line break never breaks the headers
    # Set once, when the mail is queued: a retry carries the same Date and Message-ID.
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=_message_domain())
    msg.set_content(inputs.neutral(body))  # no bidi override turns a line of the mail around
    for maintype, subtype, payload, params in attachments:
        if "filename" in params:
            params = {**params, "filename": inputs.one_line(params["filename"]) or "bijlage"}
        msg.add_attachment(payload, maintype=maintype, subtype=subtype, **params)
    return msg


def redact(text: str, secrets=()) -> str:
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPE.sub(REDACTED, text)


def send(recipient: str, subject: str, body: str, attachments=(), *, secrets=(), caused_by) -> OutboxMail:
    """Queue the mail and make its first try at once. Failures are kept and retried, never raised.

    ``secrets``: the parts of ``body`` (links with a token, codes) that the stored copy must not show.
    ``caused_by``: who is told when the mail finally fails: the acting ``policy.Actor`` (or a user or user id);
    None when no person caused it (the scheduler, an anonymous visitor). Every caller names it.
    """
    message = build_message(recipient, subject, body, attachments)
    record = OutboxMail.create(recipient=recipient, subject=subject, body=redact(body, secrets),
                               pending_message=message.as_string(), next_attempt_at=utcnow(),
                               caused_by=getattr(caused_by, "id", caused_by))
    deliver(record.id)
    return OutboxMail.get_by_id(record.id)


# --- delivery ---------------------------------------------------------------------------------------------

def _smtp(message: EmailMessage) -> None:
    cfg = current_app.config
    host, port = cfg["MAIL_HOST"], int(cfg["MAIL_PORT"])
    if cfg["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context(), timeout=20)
    else:
        smtp = smtplib.SMTP(host, port, timeout=20)
    with smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        try:
            refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(str(exc)) from exc
            raise
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            if exc.smtp_code >= 500:
                raise PermanentFailure(str(exc)) from exc
            raise
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)


def mail_dir() -> Path:
    configured = current_app.config.get("MAIL_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "mail"


def _maildir(message: EmailMessage) -> None:
    folder = mail_dir()
    folder.parent.mkdir(parents=True, exist_ok=True)
    mailbox.Maildir(str(folder), create=True).add(message)


def _transport(message: EmailMessage) -> None:
    (_smtp if current_app.config.get("MAIL_HOST") else _maildir)(message)


def backoff(attempts: int) -> dt.timedelta:
    """The pause after the ``attempts``-th failed try: MAIL_RETRY_MINUTES, doubled per try."""
    return dt.timedelta(minutes=int(current_app.config["MAIL_RETRY_MINUTES"]) * 2 ** max(attempts - 1, 0))


def _claim(mail_id: int) -> bool:
    """Take the mail for one try; False when it is delivered, given up, or another process is trying it."""
    return OutboxMail.update(claimed_at=utcnow(), attempts=OutboxMail.attempts + 1).where(
        (OutboxMail.id == mail_id) & OutboxMail.sent_at.is_null() & OutboxMail.failed_at.is_null()
        & OutboxMail.claimed_at.is_null() & OutboxMail.pending_message.is_null(False)).execute() == 1


def deliver(mail_id: int) -> bool:
    """One try: True when the mail was accepted now."""
    if not _claim(mail_id):
        return False
    row = OutboxMail.get_by_id(mail_id)
    message = email.message_from_string(row.pending_message, policy=email.policy.default)
    try:
        _transport(message)
    except (OSError, smtplib.SMTPException, PermanentFailure) as exc:
        log.warning("Mail %s to %s not delivered (try %s): %s", row.id, row.recipient, row.attempts, exc)
        _failed_try(row, str(exc)[:500], final=isinstance(exc, PermanentFailure))
        return False
    OutboxMail.update(sent_at=utcnow(), pending_message=None, claimed_at=None, next_attempt_at=None,
                      error=None).where(OutboxMail.id == row.id).execute()
    return True


def _failed_try(row: OutboxMail, error: str, final: bool = False) -> None:
    now = utcnow()
    if final or row.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        _give_up(row, error)
    else:
        OutboxMail.update(claimed_at=None, error=error, next_attempt_at=now + backoff(row.attempts)).where(
            OutboxMail.id == row.id).execute()


def _give_up(row: OutboxMail, error: str) -> None:
    with database.atomic():
        done = OutboxMail.update(failed_at=utcnow(), claimed_at=None, next_attempt_at=None, pending_message=None,
                                 error=error).where(
            (OutboxMail.id == row.id) & OutboxMail.sent_at.is_null() & OutboxMail.failed_at.is_null()).execute()
        if done and row.caused_by_id:
            _tell_sender(row)


def _tell_sender(row: OutboxMail) -> None:
    """An in-app notification for the person whose action sent the mail (not by mail: mail is what failed)."""
    from flask_babel import gettext as _

    with portal_language():
        title = _("Een e-mail aan %(to)s kon niet worden afgeleverd: %(subject)s", to=row.recipient,
                  subject=row.subject)
    Notification.create(user=row.caused_by_id, kind="core.mail_failed", title=title[:250], link=NOTIFICATIONS_PATH,
                        mailed_at=utcnow())


def deliver_due() -> int:
    """The outbox job: give up on interrupted tries, retry what is due, purge old delivered mail."""
    now = utcnow()
    stale = OutboxMail.select().where(OutboxMail.claimed_at.is_null(False) & OutboxMail.sent_at.is_null()
                                      & OutboxMail.failed_at.is_null()
                                      & (OutboxMail.claimed_at < now - dt.timedelta(minutes=CLAIM_MINUTES)))
    for row in list(stale):
        _give_up(row, INTERRUPTED)
    due = OutboxMail.select(OutboxMail.id).where(
        OutboxMail.sent_at.is_null() & OutboxMail.failed_at.is_null() & OutboxMail.claimed_at.is_null()
        & OutboxMail.pending_message.is_null(False) & (OutboxMail.next_attempt_at <= now)).order_by(OutboxMail.id)
    delivered = sum(1 for row in list(due) if deliver(row.id))
    purge()
    return delivered


def purge(now: dt.datetime | None = None) -> int:
    """Delete delivered and failed mail older than MAIL_RETENTION_DAYS (0 keeps it for ever)."""
    days = int(current_app.config["MAIL_RETENTION_DAYS"])
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    return OutboxMail.delete().where(
        (OutboxMail.sent_at.is_null(False) & (OutboxMail.sent_at < cutoff))
        | (OutboxMail.failed_at.is_null(False) & (OutboxMail.failed_at < cutoff))).execute()


def status(row: OutboxMail) -> str:
    """delivered | failed | retrying | queued | sending: what the outbox page shows."""
    if row.sent_at:
        return "delivered"
    if row.failed_at:
        return "failed"
    if row.claimed_at:
        return "sending"
    return "retrying" if row.attempts else "queued"
