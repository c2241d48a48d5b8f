"""The inzage-log ("Wie heeft dit dossier ingezien") is complete: every read and change of a long dossier can be
reached, page by page, and the count it gives is the true count."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.audit.models import AuditEvent
from portal.dossier.models import Entry
from tests import factories

READS = 230  # more than two pages of the log


@pytest.fixture
def busy(app):
    world = factories.school_with_staff()
    student, mentor = world["student"], world["mentor"]
    start = dt.datetime(2026, 9, 1, 8, 0)
    for number in range(READS):
        entry = Entry.create(student=student, author=mentor, section="support", kind="note",
                             title=f"Aantekening {number}", body="Tekst")
        # three reads share each moment: the pages must not lose or repeat an event between equal times
        AuditEvent.create(at=start + dt.timedelta(minutes=number // 3), actor_type="user", actor_id=mentor.id,
                          school_id=student.school_id, action="entry.read", kind="read", object_type="entry",
                          object_id=entry.id, student_id=student.id, ip="10.0.0.1")
    return world


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"de aantekening ‘Aantekening (\d+)’", html)]


def test_every_read_is_reachable_page_by_page(client, auth, busy):
    """R-AVG-ACCESS-2, R-DRE-AVG: the care coordinator follows "Oudere keren" from the first page to the last and
    meets every read exactly once, newest first; the first page states the true total."""
    sid = busy["student"].id
    total = AuditEvent.select().where(AuditEvent.student_id == sid).count()
    auth.login(busy["care"].email)
    url, seen, pages = f"/leerlingen/{sid}/inzage", [], 0
    first = client.get(url).get_data(as_text=True)
    assert f"{total} keer in totaal; hieronder 1 tot en met 100." in first
    html = first
    while True:
        pages += 1
        seen += _numbers(html)
        older = re.search(r'<a rel="next" href="([^"]+)"', html)
        if older is None:
            break
        response = client.get(older.group(1).replace("&amp;", "&"))
        assert response.status_code == 200
        html = response.get_data(as_text=True)
    assert pages == 3
    assert seen == list(reversed(range(READS)))  # all of them, once each, newest first
    assert "Nieuwste" in html and "Oudere keren" not in html


def test_a_cursor_of_another_student_shows_the_first_page(client, auth, busy):
    """A cursor that is not an event of this student's log is ignored: the newest page, nothing of the other."""
    other = factories.student(busy["student"].school)
    foreign = AuditEvent.create(actor_type="system", action="dossier.read", kind="read", object_type="student",
                                object_id=other.id, student_id=other.id)
    auth.login(busy["care"].email)
    html = client.get(f"/leerlingen/{busy['student'].id}/inzage?voor={foreign.id}").get_data(as_text=True)
    assert "hieronder 1 tot en met 100." in html and _numbers(html)[0] == READS - 1
