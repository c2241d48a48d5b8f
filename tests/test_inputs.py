"""Malformed input at the edge gives a 404 or a Dutch field message, on both databases."""

from __future__ import annotations

import datetime as dt

from portal import inputs
from portal.dossier.models import Entry
from portal.students.models import Group
from tests import factories
from tests.conftest import form_errors


def test_ids_beyond_bigint_are_404(app, client, auth):
    """An id above 2**63-1 in a URL is a 404 (was an overflow 500 on SQLite); numeric filters
    and page numbers beyond range fall back to their default (was a 500 on PostgreSQL)."""
    school = factories.school()
    admin = factories.user(is_admin=True)
    care = factories.user("zorg", school)
    auth.login(admin.email)
    big = inputs.MAX_ID + 1
    assert client.get(f"/beheer/scholen/{big}").status_code == 404
    assert client.get(f"/beheer/scholen/{inputs.MAX_ID}").status_code == 404
    assert client.get(f"/beheer/uitgaande-mail?pagina={big}").status_code == 200
    assert client.get("/beheer/uitgaande-mail?pagina=99999999999999999999").status_code == 200
    auth.logout()
    auth.login(care.email)
    assert client.get(f"/leerlingen/{big}").status_code == 404
    for query in (f"groep={big}", f"mentor={big}", f"pagina={big}", "groep=-1", "groep=%D9%A3"):
        assert client.get(f"/leerlingen/?{query}").status_code == 200, query


def test_control_characters_are_stripped_from_input(app, client, auth):
    """NUL bytes and other control characters never reach the database (a certain 500 on
    PostgreSQL): stripped from query strings and form fields, a path holding one is a 404."""
    school = factories.school()
    care = factories.user("zorg", school)
    student = factories.student(school)
    auth.login(care.email)
    assert client.get("/leerlingen/?q=a%00b").status_code == 200
    assert client.get("/gast/abc%00def").status_code == 404
    response = client.post(f"/leerlingen/{student.id}/dossier/nieuw",
                           data={"section": "support", "kind": "note", "title": "Plan\x00 A\x1b", "body": "r1\r\nr2\x00"})
    assert response.status_code == 303
    entry = Entry.get(Entry.student == student.id)
    assert (entry.title, entry.body) == ("Plan A", "r1\r\nr2")


def test_school_year_must_be_two_consecutive_years(app, client, auth, form_errors=form_errors):
    """The school year is exactly YYYY-YYYY with consecutive years, else a Dutch message beside
    the field (a trailing line break gave a 500 on PostgreSQL, '20262027' a 500 on both)."""
    school = factories.school()
    beheerder = factories.user("beheerder", school)
    auth.login(beheerder.email)
    for year, message in (("2026-2027\n2", "Schrijf het schooljaar als 2026-2027."),
                          ("20262027", "Schrijf het schooljaar als 2026-2027."),
                          ("2026-2028", "Het tweede jaar volgt direct op het eerste, bijvoorbeeld 2026-2027.")):
        response = client.post("/beheer/groepen/nieuw", data={"name": "groep 5", "school_year": year})
        assert response.status_code == 200, year
        assert message in form_errors(response.get_data(as_text=True)), year
    assert client.post("/beheer/groepen/nieuw", data={"name": "groep 5", "school_year": " 2026-2027\n"}).status_code == 303
    assert Group.get(Group.name == "groep 5").school_year == "2026-2027"


def test_an_application_saved_without_its_receiving_school_field_is_no_500(app, client, auth):
    """A post of a TLV's form that leaves out the receiving-school field (a hand-made or truncated request) saves
    what was sent, with no receiving school, instead of a 500."""
    from portal.applications.models import Application

    world = factories.vo_school()
    factories.enter_phase(world["student"], factories.drenthe_route(), "drenthe.vervolg",
                          entered=dt.datetime(2026, 11, 2), by=world["zorg"])
    factories.login(client, world["zorg"])
    assert client.post(f"/leerlingen/{world['student'].id}/aanvragen", data={"type_key": "vo.tlv_vso"}
                       ).status_code == 303
    application = Application.get(Application.student == world["student"].id)
    response = client.post(f"/aanvragen/{application.id}", data={
        "support_needs": "Een kleine groep en een vaste begeleider.", "version": application.version})
    assert response.status_code == 303
    application = Application.get_by_id(application.id)
    assert "Een kleine groep" in application.data and not application.receiving_school
