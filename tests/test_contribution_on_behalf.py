"""A contribution entered on someone's behalf ("namens") says who entered it, wherever contributions are shown."""

from __future__ import annotations

import re

from portal.meetings.models import Contribution, Participant
from tests.factories import login, plan_meeting


def _contribute(client, meeting, participant, text):
    response = client.post(f"/overleg/{meeting.id}/inbreng", data={"participant": str(participant.id),
                                                                  "agenda_item": "0", "text": text})
    assert response.status_code == 303, response.get_data(as_text=True)


def _line(html: str, text: str) -> str:
    return re.search(r"<li><strong>[^<]*</strong>: <span class=\"pre\">" + re.escape(text) + r"</span>.*?</li>",
                     html, re.S).group(0)


def test_a_contribution_entered_for_another_participant_shows_who_entered_it(client, meeting_world):
    """R-ROUTE-7, R-VO-10: the chair types the outside professional's and the parent's view in for them: the
    meeting page names the chair as who entered each; a participant's own contribution carries no such note."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    people = {p.kind: p for p in Participant.select().where(Participant.meeting == meeting.id)}
    _contribute(client, meeting, people["external"], "Wijkteam ziet spanning thuis.")
    _contribute(client, meeting, people["guardian"], "Moeder wil meer structuur.")
    login(client, meeting_world["mentor"])
    mentor = Participant.get((Participant.meeting == meeting.id) & (Participant.user == meeting_world["mentor"].id))
    _contribute(client, meeting, mentor, "Huiswerk lukt op maandag niet.")

    assert [c.entered_by_id for c in Contribution.select().order_by(Contribution.id)] == [
        meeting_world["zorg"].id, meeting_world["zorg"].id, meeting_world["mentor"].id]
    html = client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    for text, name in (("Wijkteam ziet spanning thuis.", "Fatima Yilmaz"), ("Moeder wil meer structuur.",
                                                                             "Marieke Bakker")):
        line = _line(html, text)
        assert name in line and "(ingevoerd door Annemiek Drenth)" in line
    assert "ingevoerd door" not in _line(html, "Huiswerk lukt op maandag niet.")
