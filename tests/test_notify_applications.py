"""People asked to act on an application are told, in the bell and by mail as each chose, exactly once: the SWV's
staff when a school submits it, the deskundige asked for an advice, the handler when an objection is filed."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.applications.models import Advisor, Application
from portal.notifications import digest, events, services
from portal.notifications.models import MAIL_DIGEST, Notification
from tests import factories
from tests.plugin_example import applications as example
from tests.factories import example_tlv_ready as _ready


@pytest.fixture
def app_overrides():
    return {"PLUGINS": ["po", "vo"], "EXTRA_PLUGIN_MODULES": {"example": example.Tlv}}


@pytest.fixture
def world(app, smtp):
    from portal.dossier.models import Entry
    from portal.students.models import Guardian

    s = factories.po_school()
    s["swv"] = factories.user("swv", s["school"], name="Bert Kuiper")
    s["swv_digest"] = factories.user("swv", factories.school("Andere school"), name="Ria Digest")
    services.set_mail_preference(s["swv_digest"].id, MAIL_DIGEST)
    s["entry"] = Entry.create(student=s["student"], section="begeleiding", kind="plan", title="OPP van Sanne",
                              body="Uitstroomperspectief: vso.", author=s["zorg"])
    Guardian.create(student=s["student"], name="Stiefvader Kees", has_authority=False)
    s["smtp"] = smtp
    return s


def _bell(client, user) -> str:
    factories.login(client, user)
    return client.get("/meldingen").get_data(as_text=True)


def _mails_to(smtp, user) -> list:
    return [m for m in smtp.messages if m["To"] == user.email]


def _submitted(client, world) -> Application:
    factories.login(client, world["zorg"])
    application = _ready(client, world)
    assert client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"}).status_code == 303
    return Application.get_by_id(application.id)


def test_swv_staff_hear_of_a_submitted_application_once(client, world):
    """The SWV's staff are told a request waits for them: a bell notice for each, a mail at once for whoever chose
    that and in the digest for whoever chose the digest; the event told again (a retried service) sends nothing."""
    application = _submitted(client, world)
    smtp = world["smtp"]
    smtp.wait_for(1)
    assert len(_mails_to(smtp, world["swv"])) == 1 and _mails_to(smtp, world["swv_digest"]) == []
    assert "Er staat iets voor u klaar" in str(_mails_to(smtp, world["swv"])[0]["Subject"])
    page = _bell(client, world["swv"])
    assert f'<a href="/swv/aanvragen/{application.id}">Nieuwe aanvraag ingediend: Test-TLV voor Sanne de Vries</a>' \
        in page
    assert "Nieuwe aanvraag ingediend" in _bell(client, world["swv_digest"])
    assert Notification.select().where(Notification.kind == "application.submitted").count() == 2

    events.application_submitted(application, "Test-TLV", "Sanne de Vries")  # the service runs again
    assert Notification.select().where(Notification.kind == "application.submitted").count() == 2
    assert digest.send_digests(dt.date.today()) == 1
    smtp.wait_for(2)
    assert len(_mails_to(smtp, world["swv"])) == 1 and len(_mails_to(smtp, world["swv_digest"])) == 1


def test_a_deskundige_asked_for_an_advice_hears_of_it_once(client, world):
    """R-LAW-TLV-1: the deskundige the SWV asks for an advice is told (bell and mail); asking the same deskundige
    again for the same advice tells nobody twice."""
    application = _submitted(client, world)
    world["smtp"].wait_for(1)
    user = factories.user("deskundige", factories.school("SWV-bureau"), name="Drs. Ortho")
    advisor = Advisor.create(user=user, profession="orthopedagoog", organisation="Bureau Passend Onderwijs")
    factories.login(client, world["swv"])
    for _ in range(2):
        assigned = client.post(f"/swv/aanvragen/{application.id}/deskundige",
                               data={"need": "first", "need-first-advisor": str(advisor.id)})
        assert assigned.status_code == 303
    world["smtp"].wait_for(2)
    assert len(_mails_to(world["smtp"], user)) == 1
    page = _bell(client, user)
    assert "Gevraagd om advies: Test-TLV voor Sanne de Vries" in page and 'href="/advies/' in page
    assert Notification.select().where(Notification.user == user.id).count() == 1


def test_the_handler_hears_of_an_objection_once(client, world):
    """R-LAW-TLV-7: an objection against the decision reaches the SWV staff member handling the application."""
    application = _submitted(client, world)
    Application.update(status="granted", decision="granted", decided_on=dt.date.today(),
                       handler=world["swv"].id).where(Application.id == application.id).execute()
    factories.login(client, world["zorg"])
    objected = client.post(f"/aanvragen/{application.id}/stap",
                           data={"action": "object", "reason": "Ouders vinden de termijn te kort voor Sanne."})
    assert objected.status_code == 303, objected.get_data(as_text=True)
    assert "Bezwaar ingediend: Test-TLV voor Sanne de Vries" in _bell(client, world["swv"])
    assert "Bezwaar ingediend" not in _bell(client, world["swv_digest"])  # not the handler
    world["smtp"].wait_for(2)
    assert len(_mails_to(world["smtp"], world["swv"])) == 2  # the submission, then the objection
