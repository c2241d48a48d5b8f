"""Demo meetings: one held with a final report and actions, one coming up, made through the meeting services."""

from __future__ import annotations

import datetime as dt

from portal import clock, policy
from portal.meetings import services
from portal.meetings.models import Meeting, Participant


def load(students: list, coordinator, mentor) -> int:
    """For the second student a held meeting with a report, for the first one a planned meeting; returns how many."""
    if len(students) < 2 or Meeting.select().where(Meeting.student.in_([s.id for s in students])).exists():
        return 0
    actor = policy.Actor(kind="user", user=coordinator, school_id=students[0].school_id, roles=frozenset({"zorg"}))
    # The same services as the pages, with the coordinator as the actor: no request needed.
    held = _plan(students[1], coordinator, mentor, days=-1, actor=actor)
    _report(held, coordinator, actor)
    _plan(students[0], coordinator, mentor, days=6, actor=actor)
    return 2


def _plan(student, coordinator, mentor, days: int, actor) -> Meeting:
    choices = services.type_choices(student)
    meeting_type = (choices.current or choices.other)[0]
    guardians = [g_.id for g_ in services.guardians_of(student) if g_.has_authority][:1]
    return services.plan(student, {
        "type_key": meeting_type.key, "date": clock.today() + dt.timedelta(days=days), "start": dt.time(14, 30),
        "duration": 45, "location": "Spreekkamer 2", "video_url": "", "chair": coordinator.id,
        "minute_taker": mentor.id, "staff": [coordinator.id, mentor.id], "guardians": guardians,
        "with_student": True, "session": None, "new_session": "",
        "externals": [{"name": "Fatima Yilmaz", "organisation": "Wijkteam Emmen", "role": "wijkcoach",
                       "email": "f.yilmaz@wijkteam.demo.nl"}],
        "agenda": list(meeting_type.default_agenda)}, actor)


def _report(meeting: Meeting, coordinator, actor) -> None:
    participants = list(Participant.select().where(Participant.meeting == meeting.id))
    owners = {p.kind: p.id for p in participants}
    # Attendance first: a final report never lists invitees as present.
    services.record_attendance(meeting, [p.id for p in participants if p.kind != "student"], actor)
    due = clock.today() + dt.timedelta(days=10)
    services.save_report(meeting, 0, {
        "summary": "Het ondersteuningsteam bespreekt de planning van het huiswerk en de rust in de klas.",
        "parent_view": "Moeder ziet thuis dezelfde onrust en wil graag meedenken.",
        "student_view": "De leerling wil een vaste plek in de klas en een weekplanner.",
        "decisions": "De mentor begeleidt het plannen wekelijks; het wijkteam sluit aan bij een huisbezoek.",
        "next_evaluation_date": clock.today() + dt.timedelta(weeks=6), "opp": "none"},
        [{"id": None, "description": "Weekplanner invoeren met de leerling", "owner": owners["staff"],
          "due_date": due},
         {"id": None, "description": "Huisbezoek plannen met de ouders", "owner": owners["external"],
          "due_date": due}], True, actor)
