"""Notifications: create them, mail them by each user's preference, count and mark them read.

Mails say only that something needs attention and link to the portal (R-DRE-AVG: data minimisation); the
title with the details stays inside the portal.
"""

from __future__ import annotations

from flask import current_app
from peewee import IntegrityError
from flask_babel import gettext as _

from portal import mail
from portal.redirects import safe_path
from portal.auth.models import User
from portal.language import portal_language
from portal.db import database, utcnow
from portal.notifications.models import (MAIL_DIGEST, MAIL_IMMEDIATE, MAIL_NONE, Notification,
                                         NotificationPreference, OutboxMail)
from portal.notifications.models import NOTIFICATIONS_PATH  # noqa: F401 (other packages link to it through here)


def safe_link(link: str) -> str:
    """Only paths inside the portal: no other hosts, no javascript: links."""
    if safe_path(link) is None:
        raise ValueError(f"not a portal path: {link!r}")
    return link


def absolute(link: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + link


def mail_preference(user_id: int) -> str:
    pref = NotificationPreference.get_or_none(NotificationPreference.user == user_id)
    return pref.mail if pref else MAIL_IMMEDIATE


def set_mail_preference(user_id: int, value: str) -> None:
    if value not in (MAIL_IMMEDIATE, MAIL_DIGEST, MAIL_NONE):
        raise ValueError(value)
    with database.atomic():
        updated = NotificationPreference.update(mail=value).where(NotificationPreference.user == user_id).execute()
        if not updated:
            NotificationPreference.create(user=user_id, mail=value)


def attention_mail(recipient: str, link: str | None):
    """The one mail text: something needs attention, with a link; no names, no content.

    Without a link (an outside participant, whose personal meeting link is stored only as a hash) the mail points
    to the link they received for the meeting.
    """
    with portal_language():
        subject, body = _attention_text(link) if link else _guest_attention_text()
    return mail.send(recipient, subject, body, caused_by=None)  # the portal's own reminder: nobody to tell


def _guest_attention_text() -> tuple[str, str]:
    subject = _("Er staat een actie voor u open in het ondersteuningsportaal")
    body = _("Goedendag,\n\nUit een overleg waaraan u deelnam staat een actie voor u open. Open de persoonlijke "
             "link die u voor dat overleg per mail ontving. Is die verlopen, vraag dan de voorzitter van het "
             "overleg om een nieuwe link.\n\nDit bericht bevat bewust geen namen of inhoud.")
    return subject, body


def _attention_text(link: str) -> tuple[str, str]:
    subject = _("Er staat iets voor u klaar in het ondersteuningsportaal")
    body = _("Goedendag,\n\nIn het ondersteuningsportaal vraagt iets uw aandacht. Log in om te zien wat:\n\n"
             "%(link)s\n\nDit bericht bevat bewust geen namen of inhoud.", link=absolute(link))
    return subject, body


def notify(user_ids, kind: str, title: str, link: str, *, event_key: str | None = None) -> list[Notification]:
    """A notification per active user; users who chose "immediately" get a mail at once (the others through the
    digest, or not at all, as each chose).

    ``event_key`` names the event the notification answers (e.g. ``"advice.requested:12"``): a user is notified of
    one event once, however often the service that reports it runs, so a retried or repeated call sends nothing
    new (the unique index on (user, event_key) decides, also between two simultaneous calls)."""
    link = safe_link(link)
    users = list(User.select(User.id, User.email).where(User.id.in_(list(set(user_ids))) & User.active))
    if not users:
        return []
    prefs = {p.user_id: p.mail for p in NotificationPreference.select().where(
        NotificationPreference.user.in_([u.id for u in users]))}
    created = []
    for user in users:
        note = _create(user.id, kind, title, link, event_key)
        if note is None:
            continue  # told about this event before
        if prefs.get(user.id, MAIL_IMMEDIATE) == MAIL_IMMEDIATE:
            attention_mail(user.email, link)
            Notification.update(mailed_at=utcnow()).where(Notification.id == note.id).execute()
        created.append(note)
    return created


def _create(user_id: int, kind: str, title: str, link: str, event_key: str | None) -> Notification | None:
    if event_key is None:
        return Notification.create(user=user_id, kind=kind, title=title[:250], link=link)
    try:
        with database.atomic():  # a savepoint: a duplicate leaves the caller's transaction intact
            return Notification.create(user=user_id, kind=kind, title=title[:250], link=link,
                                       event_key=event_key[:120])
    except IntegrityError:
        return None


def unread_count(user_id: int) -> int:
    return Notification.select().where((Notification.user == user_id) & Notification.read_at.is_null()).count()


def for_user(user_id: int, limit: int = 100) -> list[Notification]:
    return list(Notification.select().where(Notification.user == user_id)
                .order_by(Notification.read_at.is_null(False), Notification.created.desc(), Notification.id.desc())
                .limit(limit))


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of this user read; returns how many."""
    query = (Notification.user == user_id) & Notification.read_at.is_null()
    if notification_id is not None:
        query &= Notification.id == notification_id
    return Notification.update(read_at=utcnow()).where(query).execute()


# --- outbox (SWV administrator) -------------------------------------------------------------------------

def outbox_page(page: int, size: int) -> tuple[list[OutboxMail], bool]:
    """One page of the outbox, newest first, and whether a next page exists."""
    mails = list(OutboxMail.select().order_by(OutboxMail.id.desc()).paginate(page, size + 1))
    return mails[:size], len(mails) > size


def outbox_mail_or_none(mail_id: int) -> OutboxMail | None:
    return OutboxMail.get_or_none(OutboxMail.id == mail_id)
