"""Send mail over SMTP when configured; otherwise keep it in the outbox an administrator can read."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

from portal.db import utcnow
from portal.notifications.models import OutboxMail


def build_message(recipient: str, subject: str, body: str, attachments=()) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = recipient
    msg["Subject"] = subject
    msg.set_content(body)
    for maintype, subtype, payload, params in attachments:
        msg.add_attachment(payload, maintype=maintype, subtype=subtype, **params)
    return msg


def _deliver(msg: EmailMessage) -> None:
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
        smtp.send_message(msg)


def send(recipient: str, subject: str, body: str, attachments=()) -> OutboxMail:
    """Store the mail, then deliver it when SMTP is configured. Failures are kept, not raised."""
    record = OutboxMail.create(recipient=recipient, subject=subject, body=body)
    if not current_app.config.get("MAIL_HOST"):
        return record
    try:
        _deliver(build_message(recipient, subject, body, attachments))
        record.sent_at = utcnow()
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("Mail to outbox only, SMTP failed: %s", exc)
        record.error = str(exc)[:500]
    record.save()
    return record
