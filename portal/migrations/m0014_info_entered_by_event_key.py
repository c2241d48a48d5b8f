"""Who entered a contribution on someone's behalf (``contribution.entered_by_id``), and the event a notification
answers (``notification.event_key``, unique per user): a service that is retried never notifies twice."""

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator


class _Users(pw.Model):
    """A stand-in for the users table, only so that the new foreign key can name it (frozen, not the live model)."""

    class Meta:
        table_name = "users"


def up(db):
    m = migrator(db)
    migrate(
        m.add_column("contribution", "entered_by_id",
                     pw.ForeignKeyField(_Users, field=_Users.id, null=True, on_delete="SET NULL")),
        m.add_column("notification", "event_key", pw.CharField(max_length=120, null=True)),
        m.add_index("notification", ("user_id", "event_key"), True),
    )
