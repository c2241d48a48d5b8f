"""Meetings, their participants, agenda, contributions, reports and actions; share links; consent."""


def up(db):
    from portal.consent.models import Consent
    from portal.meetings.models import (
        Action, AgendaItem, Contribution, Meeting, MeetingSession, Participant, Report, SharedDocument,
    )
    from portal.sharing.models import ShareCode, ShareLink

    db.create_tables([Consent, MeetingSession, Meeting, Participant, AgendaItem, Contribution, SharedDocument,
                      Report, Action, ShareLink, ShareCode])
