"""Consent per student: who may give it (a parent with gezag, the student from 16), purpose, recipient, period,
the scanned form, and withdrawal that takes effect at once."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from portal import policy
from portal.audit.models import AuditEvent
from portal.consent import services
from portal.consent.models import Consent
from portal.dossier.models import Attachment
from portal.students.models import Guardian
from tests import factories
from tests.conftest import form_errors



@pytest.fixture
def setup(app):
    school = factories.school()
    care = factories.user("zorg", school, name="Juf Zorg")
    mentor = factories.user("mentor", school)
    other_mentor = factories.user("mentor", school)
    group = factories.group(school, "Groep 8", teachers=[mentor])
    young = factories.student(school, group, first="Daan", last="Jansen", birth_date=dt.date(2014, 3, 1))
    older = factories.student(school, group, first="Eva", last="Smit", birth_date=dt.date(2008, 1, 1))
    no_gezag = Guardian.create(student=young, name="Stiefouder", has_authority=False)
    return {"school": school, "care": care, "mentor": mentor, "other_mentor": other_mentor, "young": young,
            "older": older, "no_gezag": no_gezag, "parent": Guardian.get((Guardian.student == young.id)
                                                                         & Guardian.has_authority)}


def _form(who: str, **values) -> dict:
    return {"given_by": who, "purpose": "overleg", "recipient": "Wijkteam Assen", "given_on": "2026-09-01",
            "valid_until": "", **values}


def test_guardian_with_gezag_records_consent(client, auth, setup):
    """R-LAW-AVG-1, R-DRE-2.2-c, R-DRE-2.4-c: consent of a parent with gezag is recorded with purpose, recipient
    and date, with the signed form stored as a dossier attachment; reads and writes are audited."""
    s = setup
    sid = s["young"].id
    auth.login(s["care"].email)
    page = client.get(f"/leerlingen/{sid}/toestemmingen").get_data(as_text=True)
    assert f'value="guardian:{s["parent"].id}"' in page
    assert f'value="guardian:{s["no_gezag"].id}"' not in page  # only guardians with gezag are offered
    data = _form(f"guardian:{s['parent'].id}", scan=(io.BytesIO(factories.PDF), "toestemming.pdf"))
    response = client.post(f"/leerlingen/{sid}/toestemmingen", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    consent = Consent.get(Consent.student == sid)
    assert (consent.given_by, consent.guardian_id, consent.recipient) == ("guardian", s["parent"].id,
                                                                         "Wijkteam Assen")
    assert Attachment.get_by_id(consent.scan_id).filename == "toestemming.pdf"
    listing = client.get(f"/leerlingen/{sid}/toestemmingen").get_data(as_text=True)
    assert "Wijkteam Assen" in listing and "geldig" in listing
    assert client.get(f"/leerlingen/{sid}/bijlagen/{consent.scan_id}").data == factories.PDF
    assert services.valid_consent(s["young"], "overleg", " wijkteam  ASSEN ", on=dt.date(2026, 10, 1))
    assert services.valid_consent(s["young"], "overleg", "Wijkteam Emmen", on=dt.date(2026, 10, 1)) is None
    assert services.valid_consent(s["young"], "overleg", "Wijkteam Assen", on=dt.date(2026, 8, 1)) is None
    actions = {(e.action, e.kind) for e in AuditEvent.select().where(AuditEvent.student_id == sid)}
    assert {("consent.record", "write"), ("consent.list", "read"), ("attachment.upload", "write")} <= actions


def test_student_consents_only_from_sixteen(client, auth, setup):
    """R-LAW-AVG-1, R-DRE-AVG: a student under 16 cannot consent (Dutch message beside the field, input kept);
    from 16 on the date given, the student can."""
    s = setup
    auth.login(s["care"].email)
    young = client.post(f"/leerlingen/{s['young'].id}/toestemmingen", data=_form("student", recipient="JGZ Drenthe"))
    html = young.get_data(as_text=True)
    assert young.status_code == 422
    assert any("jonger dan 16 jaar" in e for e in form_errors(html)) and 'value="JGZ Drenthe"' in html
    older = client.post(f"/leerlingen/{s['older'].id}/toestemmingen", data=_form("student"))
    assert older.status_code == 303
    assert Consent.get(Consent.student == s["older"].id).given_by == "student"
    assert Consent.select().where(Consent.student == s["young"].id).count() == 0


def test_invalid_input_refused_in_dutch(client, auth, setup):
    """A guardian without gezag, an end before the start, a future date and a wrong file are refused in Dutch."""
    s = setup
    auth.login(s["care"].email)
    url = f"/leerlingen/{s['young'].id}/toestemmingen"
    cases = [
        (_form(f"guardian:{s['no_gezag'].id}"), "heeft geen gezag en kan geen toestemming geven"),
        (_form(f"guardian:{s['parent'].id}", valid_until="2026-08-01"), "vóór de datum"),
        (_form(f"guardian:{s['parent'].id}", given_on="2099-01-01"), "toekomst"),
        ({**_form(f"guardian:{s['parent'].id}"), "scan": (io.BytesIO(b"MZ not a pdf"), "x.exe")},
         "bestandstype is niet toegestaan"),
    ]
    for data, message in cases:
        response = client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 422
        assert any(message in e for e in form_errors(response.get_data(as_text=True))), message
    assert Consent.select().count() == 0


def test_withdrawal_takes_effect_at_once(client, auth, setup):
    """R-LAW-AVG-1: withdrawing consent makes it invalid immediately; the record stays, marked withdrawn."""
    s = setup
    auth.login(s["care"].email)
    sid = s["young"].id
    client.post(f"/leerlingen/{sid}/toestemmingen", data=_form(f"guardian:{s['parent'].id}"))
    consent = Consent.get(Consent.student == sid)
    assert services.valid_consent(s["young"], "overleg", "Wijkteam Assen")
    assert client.post(f"/leerlingen/{sid}/toestemmingen/{consent.id}/intrekken", csrf=False).status_code == 400
    response = client.post(f"/leerlingen/{sid}/toestemmingen/{consent.id}/intrekken")
    assert response.status_code == 303
    assert services.valid_consent(s["young"], "overleg", "Wijkteam Assen") is None
    assert "ingetrokken op" in client.get(f"/leerlingen/{sid}/toestemmingen").get_data(as_text=True)
    assert AuditEvent.get(AuditEvent.action == "consent.withdraw").object_id == consent.id


def test_access_rules(client, auth, setup):
    """A mentor sees the consents of their own group but cannot record (403); another mentor gets 404 for a
    student outside their groups."""
    s = setup
    sid = s["young"].id
    auth.login(s["mentor"].email)
    page = client.get(f"/leerlingen/{sid}/toestemmingen")
    assert page.status_code == 200 and "Toestemming vastleggen" not in page.get_data(as_text=True)
    assert client.post(f"/leerlingen/{sid}/toestemmingen", data=_form("student")).status_code == 403
    auth.logout()
    auth.login(s["other_mentor"].email)
    assert client.get(f"/leerlingen/{sid}/toestemmingen").status_code == 404
    other_school = factories.student(factories.school())
    auth.logout()
    auth.login(s["care"].email)
    assert client.get(f"/leerlingen/{other_school.id}/toestemmingen").status_code == 404


# --- the register for every purpose ("Consent register") -----------------------------------------------

def test_every_purpose_has_a_label_and_an_application_consent_names_the_swv(client, auth, setup):
    """R-LAW-AVG-1: the register offers sharing with a named recipient, meetings, the application types available
    to the student (purpose = the type's key) and the OPP's handelingsdeel, each by its label (never the key); an
    application consent without a recipient names the SWV."""
    s = setup
    sid = s["young"].id
    auth.login(s["care"].email)
    page = client.get(f"/leerlingen/{sid}/toestemmingen").get_data(as_text=True)
    for key, label in (("delen", "Gegevens delen met een organisatie of persoon"), ("overleg", "Overleg over de"),
                       ("po.tlv_sbo_so", "Aanvraag: "), (services.OPP_HANDELINGSDEEL, "handelingsdeel van het OPP")):
        assert f'value="{key}"' in page and label in page, key
    assert "<optgroup" in page and ">po.tlv_sbo_so<" not in page
    response = client.post(f"/leerlingen/{sid}/toestemmingen",
                           data=_form(f"guardian:{s['parent'].id}", purpose="po.tlv_sbo_so", recipient=""))
    assert response.status_code == 303
    consent = Consent.get(Consent.student == sid)
    assert consent.purpose == "po.tlv_sbo_so" and consent.recipient  # the SWV by default
    listing = client.get(f"/leerlingen/{sid}/toestemmingen").get_data(as_text=True)
    assert "Aanvragen" in listing and "Aanvraag: " in listing and ">po.tlv_sbo_so<" not in listing
    assert "Stiefouder" in listing and "kunnen geen toestemming geven" in listing  # the guardian without gezag


def test_a_parent_of_a_seventeen_year_old_cannot_consent(client, auth, setup):
    """R-LAW-AVG-1, R-LAW-CONSENT-1: from 16 the student alone consents to sharing their data: the page says so, a
    parent's consent to share is refused with the reason and the student's own is recorded; the instemming with
    the OPP's handelingsdeel stays the parent's until 18 (education law), so the parent is still offered for it."""
    s = setup
    seventeen = factories.student(s["school"], None, first="Mila", last="Kok", birth_date=dt.date(2009, 6, 1))
    parent = Guardian.get(Guardian.student == seventeen.id)
    auth.login(s["care"].email)
    url = f"/leerlingen/{seventeen.id}/toestemmingen"
    page = client.get(url).get_data(as_text=True)
    assert "beslist zelf" in page and "tot de leerling 18 is een ouder met gezag in" in page
    refused = client.post(url, data=_form(f"guardian:{parent.id}", given_on="2026-10-01"))
    assert refused.status_code == 422
    assert any("16 jaar of ouder en beslist zelf" in e for e in form_errors(refused.get_data(as_text=True)))
    assert Consent.select().where(Consent.student == seventeen.id).count() == 0
    assert client.post(url, data=_form("student", given_on="2026-10-01")).status_code == 303
    own = client.post(url, data=_form("student", purpose="opp.handelingsdeel", recipient="", given_on="2026-10-01"))
    assert own.status_code == 422 and any("jonger dan 18 jaar" in e for e in form_errors(own.get_data(as_text=True)))
    assert client.post(url, data=_form(f"guardian:{parent.id}", purpose="opp.handelingsdeel", recipient="",
                                       given_on="2026-10-01")).status_code == 303
    assert {(c.purpose, c.given_by) for c in Consent.select().where(Consent.student == seventeen.id)} == {
        ("overleg", "student"), ("opp.handelingsdeel", "guardian")}


def test_a_parents_earlier_consent_stops_counting_at_sixteen(app, setup):
    """R-LAW-AVG-1: a parent's consent given while the student was 15 counts until the 16th birthday and not from
    it (the student decides from then on); the register marks it "telt niet meer: leerling is 16"."""
    s = setup
    pupil = factories.student(s["school"], None, first="Noor", last="Wit", birth_date=dt.date(2010, 10, 1))
    parent = Guardian.get(Guardian.student == pupil.id)
    with factories.at("2026-09-01"):
        client = factories.logged_in(app, s["care"])
        response = client.post(f"/leerlingen/{pupil.id}/toestemmingen",
                               data=_form(f"guardian:{parent.id}", given_on="2026-09-01"))
        assert response.status_code == 303
        assert services.valid_consent(pupil, "overleg", "Wijkteam Assen") is not None
        assert "geldig" in client.get(f"/leerlingen/{pupil.id}/toestemmingen").get_data(as_text=True)
    with factories.at("2026-10-01"):
        assert services.valid_consent(pupil, "overleg", "Wijkteam Assen") is None
        client = factories.logged_in(app, s["care"])
        page = client.get(f"/leerlingen/{pupil.id}/toestemmingen").get_data(as_text=True)
        assert "telt niet meer: leerling is 16" in page and "beslist zelf" in page


def test_a_guardian_who_lost_gezag_no_longer_counts(setup):
    """R-LAW-AVG-1 (BW 1:245): only a parent with gezag can consent; a consent of one who no longer has it stops
    counting, and the service refuses to record one for a guardian without gezag."""
    s = setup
    consent = Consent.create(student=s["young"], given_by="guardian", guardian=s["parent"], purpose="overleg",
                             recipient="Wijkteam Assen", given_on=dt.date(2026, 9, 1), recorded_by=s["care"])
    assert services.valid_consent(s["young"], "overleg", "Wijkteam Assen", on=dt.date(2026, 10, 1)) == consent
    Guardian.update(has_authority=False).where(Guardian.id == s["parent"].id).execute()
    assert services.valid_consent(s["young"], "overleg", "Wijkteam Assen", on=dt.date(2026, 10, 1)) is None
    with pytest.raises(services.Refused, match="geen gezag"):
        services.record(s["young"], {"given_by": "guardian", "guardian": s["no_gezag"], "purpose": "overleg",
                                     "recipient": "X", "given_on": dt.date(2026, 9, 1), "valid_until": None},
                        actor=None)


def test_a_withdrawn_consent_shows_on_the_application_waiting_on_it(client, auth, setup):
    """R-LAW-AVG-1: withdrawal takes effect at once: the application of that type shows the withdrawal on its
    page (the school's and the SWV's), and the withdrawal is in the audit trail."""
    s = setup
    sid = s["young"].id
    auth.login(s["care"].email)
    created = client.post(f"/leerlingen/{sid}/aanvragen", data={"type_key": "po.tlv_sbo_so"})
    assert created.status_code == 303
    url = created.headers["Location"]
    assert "geen toestemming voor deze aanvraag" in client.get(url).get_data(as_text=True)
    client.post(f"/leerlingen/{sid}/toestemmingen",
                data=_form(f"guardian:{s['parent'].id}", purpose="po.tlv_sbo_so", recipient=""))
    consent = Consent.get(Consent.student == sid)
    assert "Toestemming voor deze aanvraag vastgelegd" in client.get(url).get_data(as_text=True)
    assert client.post(f"/leerlingen/{sid}/toestemmingen/{consent.id}/intrekken").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert 'id="consent-withdrawn"' in page and "is ingetrokken op" in page
    assert AuditEvent.get(AuditEvent.action == "consent.withdraw").object_id == consent.id


def test_consent_for_in_the_plugin_api(setup):
    """The plugin API answers the consent that counts as plain data, and None once withdrawn or for a parent's
    consent once the student is 16."""
    from portal import plugin

    s = setup
    consent = Consent.create(student=s["young"], given_by="guardian", guardian=s["parent"], purpose="drenthe.doa_vo",
                             recipient="SWV 22.02", given_on=dt.date(2026, 9, 1), valid_until=dt.date(2027, 7, 31),
                             recorded_by=s["care"])
    info = plugin.consent_for(s["young"].id, "drenthe.doa_vo", on=dt.date(2026, 10, 1))
    assert info == plugin.ConsentInfo(id=consent.id, given_by="guardian", guardian_name=s["parent"].name,
                                      purpose="drenthe.doa_vo", recipient="SWV 22.02", given_on=dt.date(2026, 9, 1),
                                      valid_until=dt.date(2027, 7, 31))
    assert plugin.consent_for(s["young"].id, "drenthe.doa_vo", "swv  22.02", on=dt.date(2026, 10, 1)) == info
    assert plugin.consent_for(s["young"].id, "drenthe.doa_vo", "Iemand anders", on=dt.date(2026, 10, 1)) is None
    assert plugin.consent_for(s["young"].id, "drenthe.doa_vo", on=dt.date(2030, 3, 1)) is None  # 16 from 2030-03-01
    services.withdraw(consent, actor=policy.SYSTEM)
    assert plugin.consent_for(s["young"].id, "drenthe.doa_vo", on=dt.date(2026, 10, 1)) is None
    assert plugin.consent_for(999999, "drenthe.doa_vo") is None


# --- meetings: outside roles, parents without gezag ----------------------------------------------------------------

@pytest.fixture
def outside(app):
    """An MDO (factories.build_meeting) with a jeugdhulp professional of Jeugdteam Noord taking part, the outside
    participant's contribution, a shared document and a final report."""
    from portal.auth.models import User
    from portal.meetings.models import Contribution, Participant, Report, SharedDocument

    s = factories.build_meeting()
    jeugdhulp = factories.user("jeugdhulp", s["school"], name="Jan Jeugdhulp")
    User.update(organisation="Jeugdteam Noord").where(User.id == jeugdhulp.id).execute()
    Participant.create(meeting=s["meeting"], kind="staff", user=jeugdhulp, name=jeugdhulp.name,
                       organisation="Jeugdteam Noord")
    Contribution.create(meeting=s["meeting"], participant=s["external"], text="Thuis is het onrustig.")
    attachment = Attachment.create(student=s["student"], filename="groeidocument.pdf", content_type="application/pdf",
                                   size=10, sha256="0" * 64, storage_name="x" * 48, uploaded_by=s["chair"])
    s["document"] = SharedDocument.create(meeting=s["meeting"], attachment=attachment, shared_by=s["chair"])
    Report.create(meeting=s["meeting"], status="final", summary="Besloten: een huisbezoek.", author=s["chair"])
    return {**s, "jeugdhulp": jeugdhulp}


def _seen(client, s) -> str:
    response = client.get(f"/overleg/{s['meeting'].id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_jeugdhulp_without_consent_sees_only_the_date_and_their_own_contribution(app, outside):
    """R-LAW-AVG-1, R-DRE-AVG: an outside role without a consent that covers them sees the meeting's date and their
    own contribution only: not the agenda, the other participants and their contributions, the documents or the
    report (the files and the printable report answer 404)."""
    s = outside
    client = factories.logged_in(app, s["jeugdhulp"])
    mid = s["meeting"].id
    from portal.meetings.models import Participant

    me = Participant.get((Participant.meeting == mid) & (Participant.user == s["jeugdhulp"].id))
    assert client.post(f"/overleg/{mid}/inbreng", data={"participant": str(me.id), "agenda_item": "0",
                                                         "text": "Wij kennen het gezin."}).status_code == 303
    page = _seen(client, s)
    assert "Er is geen toestemming vastgelegd die u" in page and "Wij kennen het gezin." in page
    assert s["meeting"].starts_at.strftime("%Y-%m-%d") in page
    for hidden in ("Zorgen over de thuissituatie", "Petra Wijk", "Thuis is het onrustig.", "groeidocument.pdf",
                   "Besloten: een huisbezoek.", "Daan"):
        assert hidden not in page, hidden
    listing = client.get("/overleg").get_data(as_text=True)
    assert f"/overleg/{mid}" in listing and "Daan" not in listing and "(geen toestemming)" in listing
    assert client.get(f"/overleg/{mid}/documenten/{s['document'].id}").status_code == 404
    assert client.get(f"/overleg/{mid}/verslag").status_code == 404
    assert client.get(f"/overleg/{mid}/verslag.pdf").status_code == 404


@pytest.mark.parametrize("purpose, recipient", [("overleg", "jeugdteam  noord"), ("po.mdo", "Jan Jeugdhulp"),
                                                ("delen", "Jeugdteam Noord")])
def test_jeugdhulp_with_a_consent_that_covers_them_sees_everything(app, outside, purpose, recipient):
    """R-LAW-AVG-1: a consent naming their organisation (or themselves) for this meeting, every meeting or sharing
    in general lets them see the whole meeting; withdrawing it limits the page again at once."""
    s = outside
    consent = Consent.create(student=s["student"], given_by="guardian", guardian=s["student"].guardians.first(),
                             purpose=purpose, recipient=recipient, given_on=dt.date.today() - dt.timedelta(days=1),
                             recorded_by=s["care"])
    client = factories.logged_in(app, s["jeugdhulp"])
    page = _seen(client, s)
    for shown in ("Zorgen over de thuissituatie", "Petra Wijk", "Thuis is het onrustig.", "groeidocument.pdf",
                  "Besloten: een huisbezoek."):
        assert shown in page, shown
    assert client.get(f"/overleg/{s['meeting'].id}/verslag").status_code == 200
    assert "Daan Jansen" in client.get("/overleg").get_data(as_text=True)
    services.withdraw(consent, actor=policy.SYSTEM)
    assert "Petra Wijk" not in _seen(client, s)


def test_a_consent_for_another_organisation_does_not_cover_them(app, outside):
    """The consent must name their organisation: one for the wijkteam leaves the jeugdhulp page limited."""
    s = outside
    factories.give_consent(s)  # Wijkteam Assen
    assert "Er is geen toestemming vastgelegd die u" in _seen(factories.logged_in(app, s["jeugdhulp"]), s)


def test_a_parent_without_gezag_is_not_preselected_and_gets_no_link_without_consent(client, auth, meeting_world,
                                                                                    smtp):
    """R-LAW-AVG-1 (BW 1:245): a guardian without gezag is offered but not preselected when planning, is marked on
    the meeting page as one the school informs in general, and gets a share link only with the consent of a parent
    with gezag that names them."""
    from portal.meetings.models import Participant

    w = meeting_world
    step_parent = Guardian.create(student=w["student"], name="Stiefvader Kees", relation="stiefvader",
                                  email="kees@example.nl", has_authority=False)
    parent = Guardian.get((Guardian.student == w["student"].id) & Guardian.has_authority)
    auth.login(w["zorg"].email)
    form = client.get(f"/leerlingen/{w['student'].id}/overleg/nieuw").get_data(as_text=True)
    boxes = {re.search(r'value="(\d+)"', tag)[1]: " checked" in tag
             for tag in re.findall(r'<input[^>]*name="guardians"[^>]*>', form)}
    assert boxes == {str(parent.id): True, str(step_parent.id): False}
    assert "geen gezag: alleen algemene informatie" in form
    meeting = factories.plan_meeting(client, w, guardians=[str(parent.id), str(step_parent.id)])
    page = client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    assert "geen gezag: alleen algemene informatie" in page
    kees = Participant.get((Participant.meeting == meeting.id) & (Participant.guardian == step_parent.id))
    refused = client.post(f"/overleg/{meeting.id}/links/deelnemer/{kees.id}")
    assert refused.status_code == 409 and "heeft geen gezag" in refused.get_data(as_text=True)
    own = Participant.get((Participant.meeting == meeting.id) & (Participant.guardian == parent.id))
    assert client.post(f"/overleg/{meeting.id}/links/deelnemer/{own.id}").status_code == 303  # family side
    consent_page = client.get(f"/leerlingen/{w['student'].id}/toestemmingen").get_data(as_text=True)
    assert 'value="Stiefvader Kees"' in consent_page
    assert client.post(f"/leerlingen/{w['student'].id}/toestemmingen", data={
        "given_by": f"guardian:{parent.id}", "purpose": "overleg", "known_recipient": "Stiefvader Kees",
        "recipient": "", "given_on": dt.date.today().isoformat(), "valid_until": ""}).status_code == 303
    assert client.post(f"/overleg/{meeting.id}/links/deelnemer/{kees.id}").status_code == 303


def test_the_organisation_of_an_account_is_set_by_the_beheerder(client, auth, setup):
    """The beheerder records the organisation an outside professional works for (what a consent names); too long
    is refused in Dutch; the change is in the administration log."""
    from portal.auth.models import User

    s = setup
    beheerder = factories.user("beheerder", s["school"])
    jeugdhulp = factories.user("jeugdhulp", s["school"])
    auth.login(beheerder.email)
    url = f"/beheer/medewerkers/{jeugdhulp.id}/organisatie"
    assert 'name="organisation"' in client.get(f"/beheer/medewerkers/{jeugdhulp.id}").get_data(as_text=True)
    assert client.post(url, data={"organisation": "  Jeugdteam   Noord "}).status_code == 303
    assert User.get_by_id(jeugdhulp.id).organisation == "Jeugdteam Noord"
    too_long = client.post(url, data={"organisation": "x" * 201})
    assert too_long.status_code == 422 and any("200 tekens" in e for e in form_errors(too_long.get_data(as_text=True)))
    assert AuditEvent.get(AuditEvent.action == "user.organisation").object_id == jeugdhulp.id
    auth.logout()
    auth.login(s["care"].email)
    assert client.post(url, data={"organisation": "X"}).status_code == 403


def test_a_parents_consent_gives_no_share_link_for_a_seventeen_year_old(client, auth, smtp):
    """R-LAW-CONSENT-1: for a student of 17 the parent's consent does not count: the chair's link is refused with
    the reason and the portal asks for the student's own consent; with it, the link is made."""
    from portal.students.models import Student

    s = factories.build_meeting()
    Student.update(birth_date=dt.date(2009, 6, 1)).where(Student.id == s["student"].id).execute()
    Consent.create(student=s["student"], given_by="guardian", guardian=s["student"].guardians.first(),
                   purpose="overleg", recipient="Wijkteam Assen", given_on=dt.date(2025, 1, 1), recorded_by=s["care"])
    auth.login(s["chair"].email)
    refused = factories.create_link(client, s)
    assert refused.status_code == 409 and "16 jaar of ouder en beslist zelf" in refused.get_data(as_text=True)
    Consent.create(student=s["student"], given_by="student", purpose="overleg", recipient="Wijkteam Assen",
                   given_on=dt.date.today(), recorded_by=s["care"])
    assert factories.create_link(client, s).status_code == 303
