"""People asked to act in a meeting or a traject are told, in the bell and by mail, exactly once: the participants
when the report is shared, the care staff when a teacher records a signal."""

from __future__ import annotations

import pytest

from portal.notifications import events
from portal.notifications.models import Notification
from portal.route.models import Transition
from tests.factories import login, plan_meeting, record_attendance, report_data, traject_step

ATTENTION = "Er staat iets voor u klaar in het ondersteuningsportaal"


@pytest.fixture
def world(meeting_world, smtp):
    return {**meeting_world, "smtp": smtp}


def _attention_mails(smtp, user) -> list:
    return [m for m in smtp.messages if m["To"] == user.email and str(m["Subject"]) == ATTENTION]


def _bell(client, user) -> str:
    login(client, user)
    return client.get("/meldingen").get_data(as_text=True)


def test_participants_hear_that_the_report_is_shared_once(client, world):
    """R-ROUTE-6, R-ROUTE-7: sharing the final report tells the participants with an account (not the chair who
    shares it) in the bell and by mail; sharing it again tells nobody twice."""
    login(client, world["zorg"])
    meeting = plan_meeting(client, world, days=-1)
    record_attendance(client, meeting)
    assert client.post(f"/overleg/{meeting.id}/verslag",
                       data=report_data(meeting, 0, finalise="1")).status_code == 303
    for _ in range(2):
        assert client.post(f"/overleg/{meeting.id}/verslag/delen").status_code == 303
    world["smtp"].wait_for(1)
    assert len(_attention_mails(world["smtp"], world["mentor"])) == 1
    assert _attention_mails(world["smtp"], world["zorg"]) == []
    page = _bell(client, world["mentor"])
    assert f'href="/overleg/{meeting.id}#report">Verslag gedeeld: Oudercontact van' in page
    assert Notification.select().where(Notification.kind == "meeting.report_shared").count() == 1


def test_care_staff_hear_of_a_teachers_signal_once(client, world):
    """R-PO-2, R-VO-8: a teacher records a signal (starts the traject with it): the school's care staff are told
    in the bell and by mail; the event reported again tells nobody twice."""
    student = world["other"]
    login(client, world["mentor"])
    assert traject_step(client, student, "start", signal="Lotte is stil en haalt haar toetsen niet.").status_code \
        == 303
    world["smtp"].wait_for(1)
    assert len(_attention_mails(world["smtp"], world["zorg"])) == 1
    assert _attention_mails(world["smtp"], world["mentor"]) == []
    assert f'href="/leerlingen/{student.id}/traject">Nieuw signaal over Lotte Smit' in _bell(client, world["zorg"])

    log = Transition.select().order_by(Transition.id.desc()).first()
    events.signal_recorded(student, log.id, type("Teacher", (), {"id": world["mentor"].id, "roles": {"mentor"}}))
    assert Notification.select().where(Notification.kind == "route.signal").count() == 1
    assert len(_attention_mails(world["smtp"], world["zorg"])) == 1
