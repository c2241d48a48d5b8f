"""Initial schema: schools, accounts, students, dossier, revisions, audit log, outbox."""


def up(db):
    from portal.audit.models import AuditEvent
    from portal.auth.models import AuthToken, LoginThrottle, Membership, User
    from portal.dossier.models import Attachment, Entry
    from portal.notifications.models import OutboxMail
    from portal.schools.models import School
    from portal.students.models import Group, GroupTeacher, Guardian, Student
    from portal.versioning import Revision

    db.create_tables([School, User, Membership, LoginThrottle, AuthToken, Group, GroupTeacher, Student,
                      Guardian, Entry, Attachment, Revision, AuditEvent, OutboxMail])
