"""Malformed input at the edge gives a 404 or a Dutch field message, on both databases."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

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


def test_simultaneous_starts_of_an_opp_lead_to_the_one_opp(app, vo_world):
    """R-LAW-OPP-1: many "start OPP" posts for one student at the same moment (a double click, two colleagues)
    all answer with the way to the student's one OPP, never a 500; exactly one OPP and one dossier entry exist."""
    import threading

    from portal.opp.models import Opp

    student = vo_world["student"]
    browsers = [factories.logged_in(app, vo_world["zorg"]) for _ in range(12)]
    start = threading.Barrier(len(browsers))
    answers = []

    def post(browser):
        start.wait()
        response = browser.post(f"/leerlingen/{student.id}/opp", data={"support_start": "2026-10-01"})
        answers.append((response.status_code, response.headers.get("Location")))

    threads = [threading.Thread(target=post, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [(303, f"/leerlingen/{student.id}/opp")] * len(browsers)
    assert Opp.select().where(Opp.student == student.id).count() == 1
    assert Entry.select().where((Entry.student == student.id) & (Entry.source_type == "opp")).count() == 1


# --- one-line names, file names, download names, bidi controls -----------------------------------------------

LINE_BREAK_MESSAGE = "Dit veld is één regel: haal de regelovergang weg."


def test_single_line_fields_refuse_a_line_break_before_anything_is_written(app, client, auth, smtp):
    """R-DRE-AVG: a line break in a school's or the SWV's name, or in a person's name, is refused beside the field
    with a Dutch message; nothing is stored and no invitation goes out (it broke every mail using the name after
    the account was already written)."""
    from portal.applications.models import SwvSettings
    from portal.auth.models import User
    from portal.schools.models import School

    school = factories.school("De Regenboog")
    name = school.name
    admin = factories.user(is_admin=True)
    auth.login(admin.email)
    for path, data in ((f"/beheer/scholen/{school.id}", {"name": "De Regenboog\r\nBcc: x@example.nl",
                                                          "brin": "12AB", "sector": "PO"}),
                       ("/beheer/scholen/nieuw", {"name": "Het\nAnker", "brin": "34CD", "sector": "PO"}),
                       ("/beheer/swv", {"name": "SWV\nDrenthe", "address": "Straat 1\n9400 AA Assen",
                                        "objection_address": "Postbus 1\nAssen", "signatory": "A. Bakker"})):
        response = client.post(path, data=data)
        assert response.status_code in (200, 422), path
        assert LINE_BREAK_MESSAGE in form_errors(response.get_data(as_text=True)), path
    assert School.get_by_id(school.id).name == name and School.select().count() == 1
    assert not SwvSettings.select().where(SwvSettings.name.contains("\n")).exists()
    auth.logout()
    auth.login(factories.user("beheerder", school).email)
    users = User.select().count()
    response = client.post("/beheer/medewerkers/nieuw", data={"name": "Jan\r\nJansen", "email": "jan@example.nl",
                                                              "role": "mentor"})
    assert LINE_BREAK_MESSAGE in form_errors(response.get_data(as_text=True))
    assert User.select().count() == users and not smtp.messages
    # A multi-line field keeps its lines.
    assert client.post("/beheer/medewerkers/nieuw", data={"name": "Jan Jansen", "email": "jan@example.nl",
                                                          "role": "mentor"}).status_code == 303


def test_every_single_line_field_of_every_form_refuses_line_breaks(app):
    """R-DRE-AVG: every one-line text field of every form (core and plugins) is the portal's StringField, which
    refuses a line break; wtforms' own StringField would let one through to mail headers and letters."""
    import wtforms
    from wtforms.fields.core import UnboundField

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    multi_line = (wtforms.TextAreaField, wtforms.PasswordField, wtforms.EmailField, wtforms.HiddenField)
    plain, checked = [], 0
    for form in set(subclasses(wtforms.Form)):
        if not form.__module__.startswith(("portal", "portal_")):
            continue
        for name in dir(form):
            unbound = getattr(form, name, None)
            if not isinstance(unbound, UnboundField) or not issubclass(unbound.field_class, wtforms.StringField):
                continue
            if issubclass(unbound.field_class, multi_line) or unbound.field_class.__module__ != "wtforms.fields.simple" \
                    and not issubclass(unbound.field_class, inputs.StringField):
                continue
            checked += 1
            if not issubclass(unbound.field_class, inputs.StringField):
                plain.append(f"{form.__module__}.{form.__name__}.{name}")
    assert checked > 20
    assert not plain, f"use portal.inputs.StringField (plugins: portal.plugin.StringField) for: {plain}"


def test_file_names_lose_nul_bytes_control_and_bidi_characters(app, client, auth, backend):
    """R-DRE-AVG: an uploaded file named with a NUL byte (a 500 on PostgreSQL, stored raw on SQLite) or a bidi
    override ("B1\\u202egpj.pdf" reads "B1fdp.jpg") is stored and shown by its cleaned name, on both databases."""
    from portal.dossier.models import Attachment

    school = factories.school()
    care = factories.user("zorg", school)
    student = factories.student(school)
    auth.login(care.email)
    response = client.post(f"/leerlingen/{student.id}/dossier/bijlagen", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(factories.PDF), "B1\u202egpj\x00\t.pdf")})
    assert response.status_code == 303
    attachment = Attachment.get(Attachment.student == student.id)
    assert attachment.filename == "B1gpj .pdf"
    download = client.get(f"/leerlingen/{student.id}/bijlagen/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="B1gpj .pdf"'


def test_a_guest_uploads_a_file_named_with_a_nul_byte(app, smtp, backend):
    """R-VO-10: an anonymous share-link guest whose file name holds a NUL byte and a bidi override gets their
    contribution stored under the cleaned name (was a 500 on PostgreSQL)."""
    from portal.dossier.models import Attachment

    world = factories.build_meeting()
    factories.give_consent(world)
    chair = factories.logged_in(app, world["chair"])
    token = factories.mailed_link(chair, world, smtp)
    guest = app.test_client()
    assert guest.get(f"/gast/{token}").status_code == 200
    response = guest.post(f"/gast/{token}/inbreng", content_type="multipart/form-data",
                          data={"text": "Onze observaties.", "file": (io.BytesIO(factories.PDF), "x\x00\u202eb.pdf")})
    assert response.status_code == 303
    assert Attachment.get(Attachment.student == world["student"].id).filename == "xb.pdf"


@pytest.mark.parametrize("number", ["Ж-2026-7", '1"; filename=a.exe', "٣٤٥"])
def test_download_names_outside_latin1_are_encoded(client, auth, vo_world, number):
    """R-LAW-OPP-1: the OPP's PDF is named after the student number; a number outside Latin-1 (a 500 for
    everyone) or one holding a quote and a semicolon (a second header parameter) gives a safe RFC 6266 name."""
    from urllib.parse import unquote

    from portal.students.models import Student

    student = vo_world["student"]
    Student.update(student_number=number).where(Student.id == student.id).execute()
    auth.login(vo_world["zorg"].email)
    assert client.post(f"/leerlingen/{student.id}/opp", data={"support_start": "2026-10-01"}).status_code == 303
    response = client.get(f"/leerlingen/{student.id}/opp.pdf")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")
    fallback = re.fullmatch(r'attachment; filename="([A-Za-z0-9._ ()+-]+)"; filename\*=UTF-8\'\'(\S+)', header)
    assert fallback, header
    assert unquote(fallback[2]) == f"opp-{number}.pdf"


def test_bidi_overrides_are_neutralised_in_what_others_read(app, client, auth):
    """R-DRE-AVG: a bidi override typed into a title is removed at input; one already stored (before) is not
    printed by any page."""
    school = factories.school()
    care = factories.user("zorg", school)
    student = factories.student(school)
    auth.login(care.email)
    assert client.post(f"/leerlingen/{student.id}/dossier/nieuw", data={
        "section": "support", "kind": "note", "title": "Plan \u202eA", "body": "r\u2066l"}).status_code == 303
    entry = Entry.get(Entry.student == student.id)
    assert (entry.title, entry.body) == ("Plan A", "rl")
    Entry.update(title="Oud \u202etxt.exe").where(Entry.id == entry.id).execute()
    page = client.get(f"/leerlingen/{student.id}/dossier/{entry.id}").get_data(as_text=True)
    assert "Oud txt.exe" in page and "\u202e" not in page
