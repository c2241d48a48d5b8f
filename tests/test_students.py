"""Students: scoped list with search, filters and paging (with and without htmx), create/edit, unenrol, guardians."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.audit.models import AuditEvent
from portal.db import database
from portal.students.models import Guardian, Student
from tests import factories
from tests.conftest import form_errors


@pytest.fixture
def school_setup(app):
    school = factories.school()
    mentor = factories.user("mentor", school, name="Meester Bakker")
    care = factories.user("zorg", school, name="Juf Zorg")
    admin = factories.user("beheerder", school)
    own = factories.group(school, "Groep 7a", teachers=[mentor])
    other = factories.group(school, "Groep 8b")
    return {"school": school, "mentor": mentor, "care": care, "admin": admin, "own": own, "other": other}


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/leerlingen/\d+">([^<]+)</a>', html)


def test_search_filters_and_no_js_url(client, auth, school_setup):
    """R-DRE-AVG: only the school's own students; search, group filter and status work on the plain GET URL."""
    s = school_setup
    factories.student(s["school"], s["own"], first="Daan", last="Jansen")
    factories.student(s["school"], s["other"], first="Emma", last="Visser")
    left = factories.student(s["school"], s["other"], first="Lotte", last="Smit")
    Student.update(left_on=dt.date(2026, 1, 1)).where(Student.id == left.id).execute()
    factories.student(factories.school(), first="Daan", last="Anders")  # another school
    auth.login(s["care"].email)

    page = client.get("/leerlingen/").get_data(as_text=True)
    assert _names(page) == ["Daan Jansen", "Emma Visser"]
    assert 'hx-trigger="input changed delay:300ms' in page
    assert _names(client.get("/leerlingen/?q=daan").get_data(as_text=True)) == ["Daan Jansen"]
    assert _names(client.get("/leerlingen/?q=emma+viss").get_data(as_text=True)) == ["Emma Visser"]
    assert _names(client.get(f"/leerlingen/?groep={s['own'].id}").get_data(as_text=True)) == ["Daan Jansen"]
    # the group's teacher (the leerkracht in PO) finds the pupils of the group.
    assert _names(client.get(f"/leerlingen/?mentor={s['mentor'].id}").get_data(as_text=True)) == ["Daan Jansen"]
    assert _names(client.get("/leerlingen/?status=uitgeschreven").get_data(as_text=True)) == ["Lotte Smit"]
    assert len(_names(client.get("/leerlingen/?status=alle").get_data(as_text=True))) == 3
    # junk in the query string falls back instead of failing
    assert client.get("/leerlingen/?groep=abc&pagina=-4&status=x").status_code == 200


def test_htmx_request_gets_only_the_results_block(client, auth, school_setup):
    s = school_setup
    factories.student(s["school"], s["own"], first="Daan", last="Jansen")
    auth.login(s["care"].email)
    response = client.get("/leerlingen/?q=jan", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="student-results"')
    assert "<html" not in html and "Daan Jansen" in html


def test_paging(client, auth, school_setup, app):
    s = school_setup
    app.config["PAGE_SIZE"] = 5
    for n in range(12):
        factories.student(s["school"], first=f"Kind{n:02d}", last="Pagina")
    auth.login(s["care"].email)
    first = client.get("/leerlingen/").get_data(as_text=True)
    third = client.get("/leerlingen/?pagina=3").get_data(as_text=True)
    assert len(_names(first)) == 5 and len(_names(third)) == 2
    assert "Pagina 1 van 3" in first and "pagina=2" in first
    assert "12 leerlingen gevonden" in first


def test_mentor_sees_only_own_group(client, auth, school_setup):
    """A mentor sees students of their own groups; another student answers 404 (not 403)."""
    s = school_setup
    mine = factories.student(s["school"], s["own"], first="Daan", last="Jansen")
    mentee = factories.student(s["school"], s["other"], first="Noor", last="Mentee", mentor=s["mentor"])
    other = factories.student(s["school"], s["other"], first="Emma", last="Visser")
    auth.login(s["mentor"].email)
    assert _names(client.get("/leerlingen/").get_data(as_text=True)) == ["Daan Jansen", "Noor Mentee"]
    assert client.get(f"/leerlingen/{mine.id}").status_code == 200
    assert client.get(f"/leerlingen/{mentee.id}").status_code == 200
    assert client.get(f"/leerlingen/{other.id}").status_code == 404
    assert client.get(f"/leerlingen/{mine.id}/bewerken").status_code == 403
    assert client.post(f"/leerlingen/{mine.id}/uitschrijven").status_code == 403


def test_other_school_staff_gets_404(client, auth, school_setup):
    s = school_setup
    student = factories.student(s["school"], s["own"])
    stranger = factories.user("zorg", factories.school())
    auth.login(stranger.email)
    for url in (f"/leerlingen/{student.id}", f"/leerlingen/{student.id}/bewerken"):
        assert client.get(url).status_code == 404


def test_student_page_shows_data_and_is_audited(client, auth, school_setup):
    """R-DRE-B1 personal data with group, mentor and guardians; viewing it is an audited read (R-DRE-AVG)."""
    s = school_setup
    student = factories.student(s["school"], s["own"], first="Daan", last="Jansen", mentor=s["mentor"])
    auth.login(s["care"].email)
    html = client.get(f"/leerlingen/{student.id}").get_data(as_text=True)
    assert "Groep 7a" in html and "Meester Bakker" in html and "Ouder van Daan" in html
    assert f"/leerlingen/{student.id}/dossier" in html
    event = AuditEvent.get(AuditEvent.student_id == student.id)
    assert (event.kind, event.action, event.actor_id) == ("read", "student.view", s["care"].id)


def test_create_student(client, auth, school_setup):
    s = school_setup
    auth.login(s["admin"].email)
    response = client.post("/leerlingen/nieuw", data=factories.student_form(s["own"], s["mentor"]))
    assert response.status_code == 303
    student = Student.get(Student.student_number == "L-100")
    assert (student.school_id, student.group_id, student.mentor_id) == (s["school"].id, s["own"].id, s["mentor"].id)
    assert AuditEvent.get(AuditEvent.action == "student.create").object_id == student.id


def test_create_validation_dutch_and_input_kept(client, auth, school_setup):
    s = school_setup
    factories.student(s["school"], number="L-100")
    other_school_group = factories.group(factories.school(), "Vreemde groep")
    auth.login(s["admin"].email)
    html = client.get("/leerlingen/nieuw").get_data(as_text=True)
    assert "BSN" not in html and "Vreemde groep" not in html and "Groep 7a" in html
    response = client.post("/leerlingen/nieuw", data=factories.student_form(
        s["own"], s["mentor"], birth_date="1950-01-01", first_name="", last_name="Bijzonder<b>"))
    html = response.get_data(as_text=True)
    errors = form_errors(html)
    assert "Dit leerlingnummer is op deze school al in gebruik." in errors
    assert "Vul een voornaam in." in errors
    assert any("geboortedatum is niet aannemelijk" in e for e in errors)
    assert 'value="Bijzonder&lt;b&gt;"' in html  # kept and escaped
    assert 'value="L-100"' in html
    bad_date = client.post("/leerlingen/nieuw", data=factories.student_form(s["own"], s["mentor"], student_number="L-2",
                                                                            birth_date="31-02-x"))
    assert "Vul een geldige datum in (dag-maand-jaar)." in form_errors(bad_date.get_data(as_text=True))
    foreign = client.post("/leerlingen/nieuw", data=factories.student_form(s["own"], s["mentor"], student_number="L-3",
                                                                           group=str(other_school_group.id)))
    assert foreign.status_code == 200 and Student.get_or_none(Student.student_number == "L-3") is None
    assert Student.select().count() == 1


@pytest.fixture
def app_overrides(request):
    return {"BSN_ENABLED": True} if request.node.name.startswith("test_bsn") else {}


def test_bsn_only_when_enabled_and_elfproef(client, auth, school_setup):
    s = school_setup
    auth.login(s["admin"].email)
    assert 'id="bsn"' in client.get("/leerlingen/nieuw").get_data(as_text=True)
    wrong = client.post("/leerlingen/nieuw", data=factories.student_form(s["own"], s["mentor"], bsn="123456789"))
    assert "Een BSN heeft 9 cijfers en moet de elfproef doorstaan." in form_errors(wrong.get_data(as_text=True))
    ok = client.post("/leerlingen/nieuw", data=factories.student_form(s["own"], s["mentor"], bsn="111222333"))
    assert ok.status_code == 303
    assert Student.get(Student.student_number == "L-100").bsn == "111222333"


def test_edit_student(client, auth, school_setup):
    s = school_setup
    student = factories.student(s["school"], s["own"], number="L-1")
    factories.student(s["school"], number="L-2")
    auth.login(s["care"].email)
    form = client.get(f"/leerlingen/{student.id}/bewerken").get_data(as_text=True)
    assert 'value="L-1"' in form
    clash = client.post(f"/leerlingen/{student.id}/bewerken",
                        data=factories.student_form(s["own"], s["mentor"], student_number="L-2"))
    assert "Dit leerlingnummer is op deze school al in gebruik." in form_errors(clash.get_data(as_text=True))
    same = client.post(f"/leerlingen/{student.id}/bewerken", data=factories.student_form(
        s["own"], s["mentor"], student_number="L-1", first_name="Nieuw", version="1"))
    assert same.status_code == 303
    assert Student.get_by_id(student.id).first_name == "Nieuw"


def test_unenrol_keeps_record(client, auth, school_setup):
    s = school_setup
    student = factories.student(s["school"], s["own"], first="Daan", last="Jansen")
    auth.login(s["care"].email)
    assert client.post(f"/leerlingen/{student.id}/uitschrijven", csrf=False).status_code == 400
    assert client.post(f"/leerlingen/{student.id}/uitschrijven").status_code == 303
    kept = Student.get_by_id(student.id)
    assert kept.left_on is not None
    assert _names(client.get("/leerlingen/").get_data(as_text=True)) == []
    assert _names(client.get("/leerlingen/?status=uitgeschreven").get_data(as_text=True)) == ["Daan Jansen"]
    assert "Uitgeschreven op" in client.get(f"/leerlingen/{student.id}").get_data(as_text=True)


def test_guardians_add_edit_remove(client, auth, school_setup):
    """Guardians with and without gezag (R-LAW-AVG-1)."""
    s = school_setup
    student = factories.student(s["school"], s["own"])
    auth.login(s["care"].email)
    bad = client.post(f"/leerlingen/{student.id}/verzorgers/nieuw", data={"name": "", "relation": "vader",
                                                                          "email": "geen-mail"})
    assert "Vul een naam in." in form_errors(bad.get_data(as_text=True))
    assert "Dit is geen geldig e-mailadres." in form_errors(bad.get_data(as_text=True))
    added = client.post(f"/leerlingen/{student.id}/verzorgers/nieuw",
                        data={"name": "Piet de Vries", "relation": "vader"})  # box unchecked: no gezag
    assert added.status_code == 303
    piet = Guardian.get(Guardian.name == "Piet de Vries")
    assert piet.has_authority is False
    assert "Zonder gezag" in client.get(f"/leerlingen/{student.id}").get_data(as_text=True)
    client.post(f"/leerlingen/{student.id}/verzorgers/{piet.id}/bewerken",
                data={"name": "Piet de Vries", "relation": "vader", "has_authority": "y", "version": "1"})
    assert Guardian.get_by_id(piet.id).has_authority is True
    assert client.post(f"/leerlingen/{student.id}/verzorgers/{piet.id}/verwijderen").status_code == 303
    assert Guardian.get_or_none(Guardian.id == piet.id) is None
    other = factories.student(s["school"])
    other_guardian = Guardian.get(Guardian.student == other.id)
    assert client.post(f"/leerlingen/{student.id}/verzorgers/{other_guardian.id}/verwijderen").status_code == 404


def test_list_query_count_is_constant(client, auth, school_setup, monkeypatch):
    """The list joins group and mentor: its query count does not grow with the number of students."""
    s = school_setup
    auth.login(s["care"].email)

    def count_queries() -> int:
        calls = []
        original = database.obj.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            calls.append(sql)
            return original(sql, params, *args, **kwargs)

        monkeypatch.setattr(database.obj, "execute_sql", counting)
        assert client.get("/leerlingen/").status_code == 200
        monkeypatch.undo()
        return len(calls)

    factories.student(s["school"], s["own"], mentor=s["mentor"])
    few = count_queries()
    for _ in range(15):
        factories.student(s["school"], s["own"], mentor=s["mentor"])
    assert count_queries() == few


def test_the_list_filters_show_only_what_the_viewers_scope_sees(app, client, auth):
    """R-DRE-AVG: a jeugdhulp professional at the school who sees no student there finds no group or teacher name
    in the student list's filters; the care coordinator, who sees the whole school, finds them all."""
    school = factories.school()
    teacher = factories.user("mentor", school, name="Juf Geheimnaam")
    group = factories.group(school, name="groep 7 Zonnebloem", teachers=[teacher])
    factories.student(school, group, mentor=teacher)
    outsider = factories.user("jeugdhulp", school)
    auth.login(outsider.email)
    page = client.get("/leerlingen/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "groep 7 Zonnebloem" not in html and "Juf Geheimnaam" not in html
    auth.logout()
    auth.login(factories.user("zorg", school).email)
    html = client.get("/leerlingen/").get_data(as_text=True)
    assert "groep 7 Zonnebloem" in html and "Juf Geheimnaam" in html
