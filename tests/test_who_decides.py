"""Who decides for the student, by the two ages the law sets, compared on the Europe/Amsterdam date: consent to
share data from the 16th birthday (the student), decisions under education law from the 18th (until then the
parents with gezag), tried at 00:30 Amsterdam time on the birthday, when the UTC date is still the day before."""

from __future__ import annotations

import datetime as dt

import time_machine

from portal import clock
from portal.consent.models import Consent
from portal.students import deciders
from portal.students.models import Guardian
from tests import factories
from tests.conftest import form_errors
from tests.factories import opp_drawn_up as _drawn_up, opp_page as _page, opp_respond as _respond
from tests.factories import parent_with_gezag as _parent

BIRTHDAY = dt.date(2026, 12, 8)
# 00:30 on the birthday in Amsterdam (winter, UTC+1): the UTC date is still 7 December.
HALF_PAST_MIDNIGHT = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC)
EVENING_BEFORE = dt.datetime(2026, 12, 7, 22, 30, tzinfo=dt.UTC)  # 23:30 on 7 December in Amsterdam


def _born(years: int) -> dt.date:
    return BIRTHDAY.replace(year=BIRTHDAY.year - years)


def test_on_the_eighteenth_birthday_at_half_past_midnight_the_student_agrees_alone(client, auth, vo_world):
    """R-LAW-OPP-2: the 18th birthday counts from midnight in Amsterdam: at 23:30 the evening before the student
    alone is refused (a parent agrees then); at 00:30 on the birthday the student's own instemming, dated that
    day, counts and a parent's is refused."""
    student = factories.student(vo_world["school"], first="Lotte", last="Jarig", birth_date=_born(18))
    with time_machine.travel(EVENING_BEFORE, tick=False):
        assert clock.today() == dt.date(2026, 12, 7)
        auth.login(vo_world["zorg"].email)
        _drawn_up(client, student)
        early = _respond(client, student, "student", given_on="2026-12-07")
        assert early.status_code == 422 and "jonger dan 18 jaar" in early.get_data(as_text=True)
    with time_machine.travel(HALF_PAST_MIDNIGHT, tick=False):
        assert clock.today() == BIRTHDAY
        auth.logout()
        auth.login(vo_world["zorg"].email)  # an hour later: a new session
        parent = _respond(client, student, _parent(student).id, given_on="2026-12-08")
        assert parent.status_code == 422 and "18 jaar of ouder (meerderjarig)" in parent.get_data(as_text=True)
        assert _respond(client, student, "student", given_on="2026-12-08").status_code == 303
        assert "Status: vastgesteld" in _page(client, student)
    assert Consent.get(Consent.student == student.id).given_by == "student"


def test_on_the_sixteenth_birthday_at_half_past_midnight_the_student_consents_to_sharing(client, auth, vo_world):
    """R-LAW-CONSENT-1, R-LAW-AVG-1: consent to share data is the student's from the 16th birthday, counted on
    the Amsterdam date: at 00:30 on the birthday the student's own consent, dated that day, is recorded and a
    parent's is refused with the reason; the parent of the 16-year-old still agrees to the OPP's handelingsdeel."""
    student = factories.student(vo_world["school"], first="Jesse", last="Zestien", birth_date=_born(16))
    parent = Guardian.get(Guardian.student == student.id)
    url = f"/leerlingen/{student.id}/toestemmingen"
    share = {"purpose": "overleg", "recipient": "Wijkteam Emmen", "given_on": "2026-12-08", "valid_until": ""}
    with time_machine.travel(HALF_PAST_MIDNIGHT, tick=False):
        auth.login(vo_world["zorg"].email)
        refused = client.post(url, data={**share, "given_by": f"guardian:{parent.id}"})
        assert refused.status_code == 422
        assert any("16 jaar of ouder en beslist zelf" in e for e in form_errors(refused.get_data(as_text=True)))
        assert client.post(url, data={**share, "given_by": "student"}).status_code == 303
        _drawn_up(client, student)
        assert _respond(client, student, parent.id, given_on="2026-12-08").status_code == 303
        assert "Status: vastgesteld" in _page(client, student)
    assert {(c.purpose, c.given_by) for c in Consent.select().where(Consent.student == student.id)} == {
        ("overleg", "student"), ("opp.handelingsdeel", "guardian")}


def test_a_parents_instemming_given_before_the_eighteenth_birthday_stands(client, auth, vo_world):
    """R-LAW-OPP-2: an instemming is a decision taken by whoever decided on that day: a parent's, given while the
    student was 17, keeps the OPP vastgesteld after the 18th birthday (until the handelingsdeel changes or it is
    withdrawn); a consent to share data by that parent stops counting at 16, as the AVG asks."""
    student = factories.student(vo_world["school"], first="Sem", last="Bijna", birth_date=_born(18))
    with time_machine.travel(EVENING_BEFORE, tick=False):
        auth.login(vo_world["zorg"].email)
        _drawn_up(client, student)
        assert _respond(client, student, _parent(student).id, given_on="2026-12-07").status_code == 303
    with time_machine.travel(HALF_PAST_MIDNIGHT + dt.timedelta(days=30), tick=False):
        auth.logout()
        auth.login(vo_world["zorg"].email)
        assert "Status: vastgesteld" in _page(client, student)


def test_who_may_object_follows_the_education_law_age(app, vo_world):
    """R-LAW-CONSENT-1: objecting to a decision stays with the parents with gezag until 18 (a 16- or 17-year-old
    does not object alone); from the 18th birthday, on the Amsterdam date, the student alone; a guardian without
    gezag is informed and never objects."""
    student = factories.student(vo_world["school"], first="Ruben", last="Bezwaar", birth_date=_born(18))
    parent = Guardian.get(Guardian.student == student.id)
    stepfather = Guardian.create(student=student, name="Stiefvader Kees", has_authority=False)
    with app.test_request_context():
        before = deciders.objectors(student, dt.date(2026, 12, 7))
        assert (before.student, [g.id for g in before.guardians]) == (False, [parent.id])
        assert [g.id for g in before.informed] == [stepfather.id]
        assert deciders.objection_refusals(student, None, dt.date(2026, 12, 7))
        assert deciders.objection_refusals(student, stepfather, dt.date(2026, 12, 7))
        assert deciders.objection_refusals(student, parent, dt.date(2026, 12, 7)) == []
        on_birthday = deciders.objectors(student, BIRTHDAY)
        assert (on_birthday.student, on_birthday.guardians) == (True, ())
        assert deciders.objection_refusals(student, None, BIRTHDAY) == []
        assert deciders.objection_refusals(student, parent, BIRTHDAY)
        with time_machine.travel(HALF_PAST_MIDNIGHT, tick=False):
            assert deciders.objectors(student).student  # default: today in Amsterdam
        data = deciders.deciders(student, deciders.DATA, dt.date(2024, 12, 8))  # the 16th birthday
        assert data.student and deciders.refusals(student, parent, deciders.DATA, dt.date(2024, 12, 8))
