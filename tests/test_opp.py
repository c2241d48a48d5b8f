"""The OPP over HTTP, as a care coordinator uses it: drawing it up in parts (versioned, conflicts detected), the
instemming with the handelingsdeel and its refusals, a parent's disagreement, the deadlines, the ROD list, the
PDF, the dossier entry, the prefill of a TLV, and the Drenthe 2.2 guard that reads the OPP."""

from __future__ import annotations

import csv
import datetime as dt
import io

from portal import clock
from portal.applications.models import Application
from portal.consent.models import Consent
from portal.dossier.models import Entry
from portal.opp.models import Opp, OppResponse
from portal.students.models import Guardian
from tests import factories
from tests.factories import traject_step
from tests.factories import OPP_PERSPECTIVE as PERSPECTIVE, OPP_SUPPORT as SUPPORT
from tests.factories import opp_drawn_up as _drawn_up, opp_of as _opp, opp_page as _page
from tests.factories import opp_respond as _respond, opp_save as _save, opp_url as _url
from tests.factories import parent_with_gezag as _parent

def _born(years: int) -> dt.date:
    """A birth date that makes the student ``years`` old today (Amsterdam), the birthday a month or more ago."""
    today = clock.today()
    return today.replace(year=today.year - years, day=1) - dt.timedelta(days=31)




def test_parts_are_versioned_and_a_stale_save_is_a_conflict(client, auth, vo_world):
    """R-LAW-OPP-1: the OPP holds the uitstroomperspectief with its onderbouwing and factors, goals per domain and
    the handelingsdeel; each save is a version, a save on an older version is refused with both texts shown."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    assert "OPP beginnen" in _page(client, student)
    _drawn_up(client, student)
    old = _opp(student).version
    assert _save(client, student, "doelen", leren="Leest op niveau 2F.", werkhouding="Plant zelf.").status_code == 303
    stale = client.post(_url(student, "/doelen"), data={"version": old, "leren": "Iets anders."})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Leest op niveau 2F." in body and "Iets anders." in body
    page = _page(client, student)
    for text in ("vmbo kader", "Gemotiveerd.", "Snel overprikkeld.", "Leest op niveau 2F.", SUPPORT):
        assert text in page
    history = client.get(_url(student, "/geschiedenis")).get_data(as_text=True)
    assert f"Versie {_opp(student).version}" in history and "Leest op niveau 2F." in history
    bad = _save(client, student, "handelingsdeel", support=SUPPORT, otv_hours="veel")
    assert bad.status_code == 422 and "Vul een heel getal in." in bad.get_data(as_text=True)
    no_reason = _save(client, student, "handelingsdeel", support=SUPPORT, otv_hours="4", otv_from="2026-12-01",
                      otv_until="2027-02-01")
    assert no_reason.status_code == 422 and "Kies de reden" in no_reason.get_data(as_text=True)


def test_without_instemming_the_opp_is_a_concept_and_says_why(client, auth, vo_world):
    """R-LAW-OPP-2: without recorded instemming with the handelingsdeel the OPP is a concept, and the page says
    why; a recorded consultation is needed for the rest."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    client.post(_url(student), data={"support_start": "2026-10-01"})
    page = _page(client, student)
    assert "Status: concept" in page
    assert "Het handelingsdeel is nog niet beschreven" in page
    assert "op overeenstemming gericht overleg" in page
    _save(client, student, "perspectief", **PERSPECTIVE)
    _save(client, student, "handelingsdeel", support=SUPPORT)
    page = _page(client, student)
    assert "Status: concept" in page
    assert "Er is geen instemming met het handelingsdeel vastgelegd" in page
    assert "een ouder of verzorger met gezag" in page


def test_parent_with_gezag_agrees_and_withdrawal_makes_it_a_concept_again(client, auth, vo_world):
    """R-LAW-OPP-2, R-LAW-CONSENT-1: a parent with gezag agrees (a consent in the register, purpose OPP
    handelingsdeel): vastgesteld; withdrawn in the consent register: a concept again, with the reason."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    assert _respond(client, student, _parent(student).id).status_code == 303
    consent = Consent.get(Consent.student == student.id)
    assert consent.purpose == "opp.handelingsdeel" and consent.given_by == "guardian"
    assert OppResponse.get().consent_id == consent.id
    assert "Status: vastgesteld" in _page(client, student)
    withdrawn = client.post(f"/leerlingen/{student.id}/toestemmingen/{consent.id}/intrekken")
    assert withdrawn.status_code == 303
    page = _page(client, student)
    assert "Status: concept" in page and "is ingetrokken op" in page


def test_a_changed_handelingsdeel_needs_new_instemming(client, auth, vo_world):
    """R-LAW-OPP-2: instemming is given for the handelingsdeel as it read; after a change it is a concept until
    someone agrees again."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    _respond(client, student, _parent(student).id)
    _save(client, student, "perspectief", **{**PERSPECTIVE, "rationale": "Aangevuld na nieuw onderzoek."})
    assert "Status: vastgesteld" in _page(client, student)  # the rest needs consultation, not instemming
    _save(client, student, "handelingsdeel", support=SUPPORT + " Plus verlengde toetstijd.")
    page = _page(client, student)
    assert "Status: concept" in page and "Het handelingsdeel is gewijzigd na de instemming" in page
    _respond(client, student, _parent(student).id)
    assert "Status: vastgesteld" in _page(client, student)


def test_a_parent_without_gezag_cannot_agree(client, auth, vo_world):
    """R-LAW-OPP-2, R-LAW-AVG-1: a parent without gezag can be informed but cannot agree to the handelingsdeel."""
    student = vo_world["student"]
    stepfather = Guardian.create(student=student, name="Stiefvader Kees", has_authority=False)
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    refused = _respond(client, student, stepfather.id)
    assert refused.status_code == 422
    assert "heeft geen gezag en beslist hierover niet" in refused.get_data(as_text=True)
    assert not Consent.select().exists() and not OppResponse.select().exists()
    assert "Status: concept" in _page(client, student)


def test_until_eighteen_a_parent_agrees_not_the_student_alone(client, auth, vo_world):
    """R-LAW-OPP-2, R-LAW-CONSENT-1: for a 17-year-old the instemming is the parents' (education law decides by
    the parents with gezag until 18): the student alone is refused with the reason, a parent's instemming makes
    the OPP vastgesteld."""
    student = factories.student(vo_world["school"], first="Noor", last="Zeventien", birth_date=_born(17))
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    assert "Instemming is nodig van een ouder of verzorger met gezag" in _page(client, student)
    refused = _respond(client, student, "student")
    assert refused.status_code == 422
    assert "jonger dan 18 jaar (minderjarig)" in refused.get_data(as_text=True)
    assert not Consent.select().exists() and "Status: concept" in _page(client, student)
    assert _respond(client, student, _parent(student).id).status_code == 303
    assert Consent.get(Consent.student == student.id).given_by == "guardian"
    assert "Status: vastgesteld" in _page(client, student)


def test_from_eighteen_the_student_agrees_alone(client, auth, vo_world):
    """R-LAW-OPP-2: once of age (18) the student decides alone: a parent's instemming is refused with the reason,
    the student's own makes the OPP vastgesteld."""
    student = factories.student(vo_world["school"], first="Noor", last="Achttien", birth_date=_born(18))
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    assert "de leerling zelf (18 jaar of ouder)" in _page(client, student)
    refused = _respond(client, student, _parent(student).id)
    assert refused.status_code == 422
    assert "18 jaar of ouder (meerderjarig) en beslist zelf" in refused.get_data(as_text=True)
    assert _respond(client, student, "student").status_code == 303
    assert Consent.get(Consent.student == student.id).given_by == "student"
    assert "Status: vastgesteld" in _page(client, student)


def test_a_parents_disagreement_is_recorded_and_shown(client, auth, vo_world):
    """R-LAW-OPP-2: a parent who does not agree keeps their view: recorded, shown on the OPP and in its PDF, not
    dropped; the OPP stays a concept."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    silent = _respond(client, student, _parent(student).id, agrees=False)
    assert silent.status_code == 422 and "Schrijf op waarom" in silent.get_data(as_text=True)
    view = "Moeder wil eerst een gesprek met de orthopedagoog voordat de begeleiding start."
    assert _respond(client, student, _parent(student).id, agrees=False, view=view).status_code == 303
    page = _page(client, student)
    assert view in page and "is het niet eens met het handelingsdeel" in page and "Status: concept" in page
    assert not Consent.select().exists()
    entry = Entry.get(Entry.source_type == "opp")
    assert view in entry.body


def test_deadlines_are_reminders_and_tasks(client, auth, app, vo_world):
    """R-LAW-OPP-3: the OPP is drawn up within six weeks after the support started and evaluated with the parents
    at least once a year; both are in the care coordinator's task list with those due dates."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    kinds = app.extensions["registry"].reminder_kinds
    from portal.notifications.reminders import install_scope

    [draw_up] = list(kinds["core.opp_draw_up"].items(install_scope()))
    assert draw_up.due_date == dt.date(2026, 11, 12)  # 1 October + six weeks
    [evaluation] = list(kinds["core.opp_evaluation"].items(install_scope()))
    assert evaluation.due_date == dt.date(2027, 11, 12)
    tasks = client.get("/mijn-acties").get_data(as_text=True)
    assert f"OPP van {student.full_name} vaststellen" in tasks
    _respond(client, student, _parent(student).id)
    assert list(kinds["core.opp_draw_up"].items(install_scope())) == []
    client.post(_url(student, "/evaluatie"), data={"held_on": "2026-11-20", "with_whom": "moeder en mentor",
                                                   "with_parents": "y", "outcome": "Het plannen gaat beter."})
    [evaluation] = list(kinds["core.opp_evaluation"].items(install_scope()))
    assert evaluation.due_date == dt.date(2027, 11, 20)


def test_rod_list_in_entry_order_with_formulas_neutralised(client, auth, vo_world):
    """R-LAW-OPP-3: the school's OPPs to register in the ROD (vastgesteld) and to deregister (ended), as CSV in
    the order the school enters them; a cell a spreadsheet would evaluate starts with an apostrophe."""
    school = vo_world["school"]
    late = factories.student(school, first="Bram", last="=HYPERLINK(\"x\")", number="00200")
    early = factories.student(school, first="Anna", last="Aalders", number="00100")
    ended = factories.student(school, first="Cas", last="Cuppen", number="00050")
    auth.login(vo_world["zorg"].email)
    for pupil in (late, early, ended):
        _drawn_up(client, pupil)
        _respond(client, pupil, _parent(pupil).id)
    _save(client, ended, "registratie", support_start="2026-10-01", ends_on="2026-11-30",
          rod_registered_on="2026-10-20")
    response = client.get("/opp/rod.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:6] == ["Leerlingnummer", "Achternaam", "Voornaam", "Geboortedatum", "Begindatum OPP",
                           "Einddatum OPP"]
    assert [(r[0], r[-1]) for r in rows[1:]] == [("00100", "aanmelden"), ("00200", "aanmelden"),
                                                 ("00050", "afmelden")]
    assert rows[2][1] == "'=HYPERLINK(\"x\")"
    assert rows[3][5] == "30-11-2026"
    assert "Aalders" in client.get("/opp/rod").get_data(as_text=True)
    auth.logout()
    auth.login(vo_world["mentor"].email)
    assert client.get("/opp/rod.csv").status_code == 403


def test_pdf_and_dossier_entry(client, auth, vo_world):
    """R-LAW-OPP-1: the OPP as a PDF, and one entry in the dossier that gets a new version when the OPP changes."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    response = client.get(_url(student, ".pdf"))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    [entry] = Entry.select().where(Entry.source_type == "opp")
    assert SUPPORT in entry.body and entry.section == "support"
    version = entry.version
    _respond(client, student, _parent(student).id)
    entry = Entry.get_by_id(entry.id)
    assert entry.version > version and "vastgesteld" in entry.title
    assert Entry.select().where(Entry.source_type == "opp").count() == 1


def test_the_opp_prefills_a_tlv(client, auth, vo_world):
    """R-VO-11: a new TLV VSO starts with the OPP's onderbouwing and handelingsdeel (ApplicationType.opp_fields)."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    assert client.post(f"/leerlingen/{student.id}/aanvragen", data={"type_key": "vo.tlv_vso"}).status_code == 303
    application = Application.get(Application.student == student.id)
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Toetsen wijzen op kaderniveau met structuur." in page and "Snel overprikkeld." in page
    assert SUPPORT in page


def test_drenthe_2_2_asks_the_opp_itself(client, auth, vo_world):
    """R-DRE-2.2-b: leaving phase 2.2 (aanvullende ondersteuning) needs an OPP, with its handelingsdeel agreed and
    registered in the ROD, each missing item its own reason; the checkboxes are gone."""
    student = vo_world["student"]
    factories.enter_phase(student, factories.drenthe_route(), "drenthe.intern_aanvullend",
                          entered=dt.datetime(2026, 10, 1, 9), by=vo_world["zorg"], status="active")
    auth.login(vo_world["zorg"].email)
    assert "opp_present" not in client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True)
    refused = traject_step(client, student, "advance").get_data(as_text=True)
    assert "een ontwikkelingsperspectief (OPP) verplicht" in refused
    _drawn_up(client, student)
    refused = traject_step(client, student, "advance").get_data(as_text=True)
    assert "geen geldige instemming" in refused and "nog niet geregistreerd in het ROD" in refused
    _respond(client, student, _parent(student).id)
    refused = traject_step(client, student, "advance").get_data(as_text=True)
    assert "geen geldige instemming" not in refused and "nog niet geregistreerd in het ROD" in refused
    _save(client, student, "registratie", support_start="2026-10-01", rod_registered_on="2026-11-15")
    refused = traject_step(client, student, "advance").get_data(as_text=True)
    assert "is nog niet geëvalueerd" in refused
    assert not any(text in refused for text in ("Stel eerst het OPP op", "geen geldige instemming", "nog niet geregistreerd in het ROD"))


def test_a_mentor_reads_but_does_not_write(client, auth, vo_world):
    """R-VO-11: the care coordinator holds the regie over the OPP; the mentor of the group reads it."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _drawn_up(client, student)
    auth.logout()
    auth.login(vo_world["mentor"].email)
    page = _page(client, student)
    assert SUPPORT in page and "Bewerken" not in page
    assert _save(client, student, "handelingsdeel", support="Anders.").status_code == 403
    assert client.get(_url(vo_world["other"])).status_code == 404  # not in the mentor's group


def test_the_demo_has_an_agreed_opp_registered_in_the_rod(app, monkeypatch, fast_hashing):
    """R-LAW-OPP-2, R-LAW-OPP-3: the demo's VO school has OPPs whose handelingsdeel a parent agreed to (a consent
    in the register), registered in the ROD, made through the services: one with an OTV, and the one of the
    student whose traject passed phase 2.2 on its way to the DOA VO."""
    from portal import demo
    from portal.plugin import opp_facts
    from portal.schools.models import School

    monkeypatch.setenv(demo.PASSWORD_ENV, factories.DEMO_PASSWORD)
    assert demo.load(echo=lambda line: None)
    opps = list(Opp.select().join(School, on=(Opp.school == School.id)).where(School.sector == "VO"))
    assert len(opps) == 2 and len([o for o in opps if o.otv_hours]) == 1
    for opp in opps:
        facts = opp_facts(opp.student_id)
        assert (facts.status, facts.handelingsdeel_agreed, facts.registered_in_rod) == ("vastgesteld", True, True)
        assert "opp.handelingsdeel" in {c.purpose for c in Consent.select().where(Consent.student == opp.student_id)}


def test_every_opp_field_an_application_type_names_exists(app):
    """The OPP fields the registered application types prefill from are fields the OPP gives."""
    from portal.opp.services import PREFILL

    named = {key: set(kind.opp_fields.values()) for key, kind in app.extensions["registry"].application_types.items()
             if kind.opp_fields}
    assert {"po.tlv_sbo_so", "vo.tlv_vso"} <= set(named)
    assert all(fields <= set(PREFILL) for fields in named.values()), named
