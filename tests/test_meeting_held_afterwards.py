"""A meeting that was held but not planned in the portal is recorded afterwards, within a few weeks, with its
attendance and report; no invitations go out for it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from portal.dossier.models import Entry
from portal.meetings.models import Meeting, Report
from tests.conftest import form_errors
from tests.factories import login, plan_data, record_attendance, report_data

NOW = dt.datetime(2027, 1, 20, 14, 0, tzinfo=dt.UTC)  # 15:00 in Amsterdam
TOO_OLD = "Een gehouden overleg leg je hooguit 8 weken achteraf vast. Leg een ouder gesprek vast als aantekening in " \
          "het dossier."


@pytest.fixture
def world(meeting_world, smtp):
    with time_machine.travel(NOW, tick=False):
        yield {**meeting_world, "smtp": smtp}


def _record(client, world, day: dt.date, start: str, held: bool = True):
    data = plan_data(world, start=start)
    data["date"] = day.isoformat()
    if held:
        data["already_held"] = "y"
    return client.post(f"/leerlingen/{world['student'].id}/overleg/nieuw", data=data)


def test_a_held_meeting_is_recorded_afterwards_with_attendance_and_report(client, world):
    """R-ROUTE-5, R-ROUTE-6: the coordinator records a meeting held three days ago: it is stored without
    invitations, its attendance is recorded and its final report lands in the dossier."""
    login(client, world["zorg"])
    response = _record(client, world, dt.date(2027, 1, 17), "10:00")
    assert response.status_code == 303, form_errors(response.get_data(as_text=True))
    meeting = Meeting.get()
    assert meeting.starts_at == dt.datetime(2027, 1, 17, 10, 0)
    assert world["smtp"].messages == []  # nobody is invited to a meeting that already took place
    record_attendance(client, meeting)
    final = client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0, finalise="1"))
    assert final.status_code == 303, form_errors(final.get_data(as_text=True))
    assert Report.get(Report.meeting == meeting.id).status == "final"
    assert Entry.select().where((Entry.source_type == "meeting_report") & (Entry.source_id == meeting.id)).exists()


def test_earlier_today_is_recorded_and_a_later_hour_is_not(client, world):
    """A meeting held this morning can be recorded; one "held" later today is in the future and refused."""
    login(client, world["zorg"])
    later = _record(client, world, dt.date(2027, 1, 20), "16:00")
    assert later.status_code == 422
    assert any("niet in de toekomst" in error for error in form_errors(later.get_data(as_text=True)))
    assert _record(client, world, dt.date(2027, 1, 20), "09:00").status_code == 303


def test_recording_beyond_the_bound_or_without_saying_it_was_held_is_refused(client, world):
    """Beyond eight weeks back a clear Dutch message sits next to the date and nothing is stored; a past date for a
    meeting not marked as held is still refused as planning in the past."""
    login(client, world["zorg"])
    old = _record(client, world, dt.date(2027, 1, 20) - dt.timedelta(weeks=8, days=1), "10:00")
    assert old.status_code == 422 and TOO_OLD in form_errors(old.get_data(as_text=True))
    assert "Spreekkamer 1" in old.get_data(as_text=True)  # what was typed stays in the form
    unmarked = _record(client, world, dt.date(2027, 1, 17), "10:00", held=False)
    assert unmarked.status_code == 422
    assert "Een overleg plan je niet in het verleden." in form_errors(unmarked.get_data(as_text=True))
    assert Meeting.select().count() == 0
    assert _record(client, world, dt.date(2027, 1, 20) - dt.timedelta(weeks=8), "10:00").status_code == 303
