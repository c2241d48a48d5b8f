"""Outgoing mail, in-app notifications, mail preferences, reminder claims and the scheduler's runs."""

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow

NOTIFICATIONS_PATH = "/meldingen"  # the page listing a user's notifications: mails and failed-mail notices link here


class OutboxMail(BaseModel):
    """One outgoing mail: queued, retried with backoff, delivered when the SMTP server accepted it, or failed.

    ``body`` is a redacted copy (links with tokens and codes replaced), the only text an administrator sees.
    ``pending_message`` holds the complete message, secrets included, only while it waits for delivery: it is
    wiped when the SMTP server accepts it or the last try fails (see portal/mail.py for why).
    """

    recipient = pw.CharField(max_length=254)
    subject = pw.CharField(max_length=250)
    body = pw.TextField()
    created_at = pw.DateTimeField(default=utcnow)
    sent_at = pw.DateTimeField(null=True)  # the SMTP server accepted it
    error = pw.TextField(null=True)  # the last failure
    pending_message = pw.TextField(null=True)
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField(null=True)
    claimed_at = pw.DateTimeField(null=True)  # a delivery attempt is under way since then
    failed_at = pw.DateTimeField(null=True)  # given up after the last try
    caused_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("sent_at", "failed_at", "next_attempt_at"), False),)


class Notification(BaseModel):
    """Something a user must look at; the title names no special-category data, the link leads to the object."""

    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    kind = pw.CharField(max_length=80)
    title = pw.CharField(max_length=250)
    link = pw.CharField(max_length=500)
    created = pw.DateTimeField(default=utcnow)
    read_at = pw.DateTimeField(null=True)
    mailed_at = pw.DateTimeField(null=True)  # set when an immediate mail or a digest has covered it
    event_key = pw.CharField(max_length=120, null=True)  # the event it answers: one notification per user and event

    class Meta:
        indexes = ((("user", "read_at"), False), (("user", "event_key"), True))


MAIL_IMMEDIATE = "immediate"
MAIL_DIGEST = "digest"
MAIL_NONE = "none"


class NotificationPreference(BaseModel):
    """How a user wants to hear about notifications by mail; no row means immediately."""

    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE", unique=True)
    mail = pw.CharField(max_length=20, default=MAIL_IMMEDIATE)


class ReminderClaim(BaseModel):
    """One reminder, claimed before it is sent: the unique key makes every reminder go out at most once."""

    kind = pw.CharField(max_length=80)
    object_id = pw.CharField(max_length=80)
    due_date = pw.DateField()
    offset_days = pw.IntegerField()
    link = pw.CharField(max_length=500, default="")
    claimed_at = pw.DateTimeField(default=utcnow)
    sent_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("kind", "object_id", "due_date", "offset_days"), True),)


class SchedulerRun(BaseModel):
    """One run of one scheduler job, for the administrator's overview."""

    job = pw.CharField(max_length=80)
    started_at = pw.DateTimeField(default=utcnow)
    finished_at = pw.DateTimeField(null=True)
    ok = pw.BooleanField(null=True)
    detail = pw.TextField(default="")

    class Meta:
        indexes = ((("job", "started_at"), False),)


class SchedulerProblem(BaseModel):
    """One item a scheduler job could not process (a reminder with an impossible date, a failing send).

    The job logs it, records it here and goes on with the other items; the administrator's reminder page lists
    the open problems. A problem not seen again in a later successful run of its job is removed.
    """

    job = pw.CharField(max_length=80)
    kind = pw.CharField(max_length=80, default="")
    object_id = pw.CharField(max_length=80, default="")
    link = pw.CharField(max_length=500, default="")
    message = pw.TextField(default="")  # Dutch, for the administrator
    first_seen = pw.DateTimeField(default=utcnow)
    last_seen = pw.DateTimeField(default=utcnow)
    times = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("job", "kind", "object_id"), True),)
