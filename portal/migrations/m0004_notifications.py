"""In-app notifications, mail preferences, reminder claims and scheduler runs."""


def up(db):
    from portal.notifications.models import Notification, NotificationPreference, ReminderClaim, SchedulerRun

    db.create_tables([Notification, NotificationPreference, ReminderClaim, SchedulerRun])
