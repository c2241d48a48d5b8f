"""Consent per student: who may give it (a parent with gezag, the student from 16), purpose, recipient, period,
the scanned form, and withdrawal that takes effect at once."""

from __future__ import annotations

import datetime as dt
import io

import pytest

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
        (_form(f"guardian:{s['no_gezag'].id}"), "ouder of verzorger met gezag"),
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
