"""The daily digest job: one mail per user who chose a digest, claimed like a reminder so it goes at most once a
day. Above the notification services and the reminders' claims, which it uses both."""

from __future__ import annotations

from portal import scheduler
from portal.auth.models import User
from portal.db import utcnow
from portal.notifications import reminders
from portal.notifications.models import MAIL_DIGEST, NOTIFICATIONS_PATH, Notification, NotificationPreference
from portal.notifications.services import attention_mail


def send_digests(today) -> int:
    """One mail per digest user with unmailed unread notifications, at most once a day (claimed like reminders)."""
    pending = (Notification.select(Notification.user).distinct()
               .join(NotificationPreference, on=(NotificationPreference.user == Notification.user))
               .where((NotificationPreference.mail == MAIL_DIGEST) & Notification.mailed_at.is_null()
                      & Notification.read_at.is_null()))

    sent = []

    def handle(row):
        claim = reminders.claim("core.digest", str(row.user_id), today, 0, NOTIFICATIONS_PATH)
        if claim is None:
            return
        user = User.get_by_id(row.user_id)
        Notification.update(mailed_at=utcnow()).where(
            (Notification.user == user.id) & Notification.mailed_at.is_null()).execute()
        if user.active:
            attention_mail(user.email, NOTIFICATIONS_PATH)
            sent.append(user.id)
        reminders.mark_sent(claim)

    # One user's failing mail never keeps the others' digests back (recorded for the administrator).
    scheduler.each("core.digest", pending, handle, kind="core.digest", key=lambda row: row.user_id,
                   link=lambda row: "")
    return len(sent)
