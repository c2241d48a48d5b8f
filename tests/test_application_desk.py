"""The SWV's side of the desk over HTTP ("The SWV's workspace"): the queue with its filters, counts and
CSV, an application as the SWV sees it, assigning independent deskundigen, the deskundige's own advice, the decision
and its letter (PDF, mailed, kept in the dossier), the SWV administrator's pages.

The application is drawn up and submitted through the services (the school's pages are tested elsewhere); every
step on the SWV's side goes through its pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from portal import clock, policy
from portal.applications import services
from portal.applications.models import Advice, Advisor, Application, SharedItem, SwvSettings
from portal.db import database, utcnow
from portal.dossier.models import Attachment, Entry
from portal.meetings.models import Meeting, Participant
from portal.notifications.models import OutboxMail
from portal.students.models import Guardian
from tests import factories
from tests.factories import desk_actor as _actor, desk_advisor as _advisor, desk_application as _application
from tests.factories import desk_client as _client, desk_world as _world
from tests.plugin_example import desk_types

PLUGINS = {"PLUGINS": ["po", "vo", "drenthe"], "EXTRA_PLUGIN_MODULES": {"deskexample": desk_types}}
pytestmark = [pytest.mark.usefixtures("fast_hashing"),
              pytest.mark.parametrize("app_overrides", [PLUGINS], ids=["desk_types"])]


def _post_step(client, application, action, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/swv/aanvragen/{application.id}/stap", data=data)


def _assign(client, application, need, advisor, due=None):
    data = {"need": need, f"need-{need}-advisor": str(advisor.id)}
    if due:
        data[f"need-{need}-due_on"] = due
    return client.post(f"/swv/aanvragen/{application.id}/deskundige", data=data)


def _give_advice(app, advisor, application, conclusion="toelaatbaar"):
    advice = Advice.get((Advice.application == application.id) & (Advice.advisor == advisor.id))
    client = _client(app, advisor.user)
    page = client.get(f"/advies/{advice.id}")
    assert page.status_code == 200
    response = client.post(f"/advies/{advice.id}", data={
        "conclusion": conclusion, "text": "Daan heeft een kleine groep nodig met veel structuur en rust.",
        "signed_name": advisor.user.name})
    assert response.status_code == 303, response.get_data(as_text=True)
    return advice


# --- the queue --------------------------------------------------------------------------------------------------

def test_queue_shows_only_submitted_applications_with_counts_and_filters(app):
    """R-DRE-AVG: the SWV sees what schools submitted, never a concept; counts per status and school; filters."""
    w = _world()
    concept = _application(w["pupil_a"], w["care_a"], submit=False)
    first = _application(w["pupil_a"], w["care_a"])
    second = _application(w["pupil_b"], w["care_b"])
    client = _client(app, w["swv"])
    page = client.get("/swv/aanvragen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"/swv/aanvragen/{first.id}\"" in html and f"/swv/aanvragen/{second.id}\"" in html
    assert f"/swv/aanvragen/{concept.id}\"" not in html
    assert "2 aanvragen gevonden" in html
    assert w["a"].name in html and w["b"].name in html and "ingediend" in html
    assert client.get(f"/swv/aanvragen/{concept.id}").status_code == 404

    only_b = client.get(f"/swv/aanvragen?school={w['b'].id}").get_data(as_text=True)
    assert f"/swv/aanvragen/{second.id}\"" in only_b and f"/swv/aanvragen/{first.id}\"" not in only_b
    assert "1 aanvraag gevonden" in only_b
    client.post(f"/swv/aanvragen/{first.id}/stap", data={"action": "take_up"})
    in_review = client.get("/swv/aanvragen?status=in_review").get_data(as_text=True)
    assert f"/swv/aanvragen/{first.id}\"" in in_review and f"/swv/aanvragen/{second.id}\"" not in in_review
    assert "in behandeling" in in_review
    Application.update(submitted_at=utcnow() - dt.timedelta(days=30)).where(
        Application.id == second.id).execute()
    old = client.get("/swv/aanvragen?dagen=20").get_data(as_text=True)
    assert f"/swv/aanvragen/{second.id}\"" in old and f"/swv/aanvragen/{first.id}\"" not in old
    assert _assign(client, first, "first", w["ortho"]).status_code == 303
    by_advisor = client.get(f"/swv/aanvragen?deskundige={w['ortho'].id}").get_data(as_text=True)
    assert f"/swv/aanvragen/{first.id}\"" in by_advisor and f"/swv/aanvragen/{second.id}\"" not in by_advisor
    assert "Olga Ortho" in by_advisor
    nothing = client.get("/swv/aanvragen?soort=bestaat.niet&school=abc&dagen=-3&pagina=x")
    assert nothing.status_code == 200


def test_queue_csv_has_dutch_headers_local_dates_and_labels(app):
    """The queue as CSV: the same selection, Dutch headers, dd-mm-yyyy dates, labels instead of keys."""
    w = _world()
    _application(w["pupil_a"], w["care_a"], submit=False)
    first = _application(w["pupil_a"], w["care_a"])
    _application(w["pupil_b"], w["care_b"])
    client = _client(app, w["swv"])
    response = client.get(f"/swv/aanvragen.csv?school={w['a'].id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["Aanvraag", "Leerling", "Geboortedatum", "School", "Status"]
    assert len(rows) == 2  # the concept is not in it, nor the other school's
    assert rows[1][0] == "Toelaatbaarheidsverklaring (test)" and rows[1][1] == "Daan Jansen"
    assert rows[1][4] == "ingediend" and rows[1][5] == clock.today().strftime("%d-%m-%Y")
    assert desk_types.KEY not in response.get_data(as_text=True) and "submitted" not in rows[1]
    assert first.id  # the row is the submitted one


def test_queue_cost_does_not_grow_with_the_install(app, monkeypatch):
    """One query for the rows, grouped counts, no query per row: the same number for 2 and for 12 applications."""
    w = _world()
    client = _client(app, w["swv"])

    def count_queries() -> int:
        calls = []
        original = database.obj.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            calls.append(sql)
            return original(sql, params, *args, **kwargs)

        monkeypatch.setattr(database.obj, "execute_sql", counting)
        assert client.get("/swv/aanvragen").status_code == 200
        monkeypatch.undo()
        return len(calls)

    for pupil, care in ((w["pupil_a"], w["care_a"]), (w["pupil_b"], w["care_b"])):
        application = _application(pupil, care)
        Advice.create(application=application, need="first", advisor=w["ortho"], assigned_by=w["swv"],
                      due_on=clock.today())
    few = count_queries()
    for _ in range(10):
        pupil = factories.student(w["a"])
        application = _application(pupil, w["care_a"])
        Advice.create(application=application, need="first", advisor=w["ortho"], assigned_by=w["swv"],
                      due_on=clock.today())
    assert count_queries() == few


# --- what the SWV and the deskundige see ----------------------------------------------------------------------------

def test_swv_sees_the_application_and_only_what_was_shared(app):
    """R-DRE-AVG: the SWV sees the application's data, the shared entry, and nothing else of the student: no
    dossier, no traject, no entry or attachment that was not shared."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"], secret_too=True)
    unshared = Entry.get(Entry.title == "Niet gedeeld verslag")
    client = _client(app, w["swv"])
    html = client.get(f"/swv/aanvragen/{application.id}").get_data(as_text=True)
    assert "Daan Jansen" in html and w["a"].name in html and "Ouder van Daan" in html
    assert "Kleine groep, veel structuur." in html and "OPP van Daan" in html and "Wij steunen" in html
    assert "Niet gedeeld verslag" not in html
    assert f"/leerlingen/{w['pupil_a'].id}" not in html  # no link to the dossier or the traject
    item = SharedItem.get(SharedItem.application == application.id)
    shown = client.get(f"/swv/aanvragen/{application.id}/stukken/{item.id}")
    assert shown.status_code == 200 and "Het perspectief: vso." in shown.get_data(as_text=True)
    other = _application(w["pupil_b"], w["care_b"])
    other_item = SharedItem.get(SharedItem.application == other.id)
    assert client.get(f"/swv/aanvragen/{application.id}/stukken/{other_item.id}").status_code == 404
    for path in (f"/leerlingen/{w['pupil_a'].id}", f"/leerlingen/{w['pupil_a'].id}/dossier",
                 f"/leerlingen/{w['pupil_a'].id}/dossier/{unshared.id}", f"/leerlingen/{w['pupil_a'].id}/traject"):
        assert client.get(path).status_code in (403, 404), path
    Entry.update(withdrawn_at=utcnow(), withdrawn_reason="Bij de verkeerde leerling").where(
        Entry.id == item.entry_id).execute()
    assert client.get(f"/swv/aanvragen/{application.id}/stukken/{item.id}").status_code == 404


def test_swv_downloads_a_shared_attachment_and_never_an_unshared_one(app):
    """A shared attachment downloads through the application (audited); an unshared one of the same student
    is not reachable at all."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    from portal.dossier import storage

    def attach(name):
        stored = storage.save(io.BytesIO(factories.PDF), name)
        return Attachment.create(student=w["pupil_a"], filename=name, uploaded_by=w["care_a"], **vars(stored))

    shared, unshared = attach("onderzoek.pdf"), attach("prive.pdf")
    services.share(application, attachment_id=shared.id, actor=_actor(w["care_a"], w["a"], "zorg"))
    item = SharedItem.get(SharedItem.attachment == shared.id)
    client = _client(app, w["swv"])
    response = client.get(f"/swv/aanvragen/{application.id}/stukken/{item.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get(f"/leerlingen/{w['pupil_a'].id}/bijlagen/{unshared.id}").status_code in (403, 404)
    from portal.audit.models import AuditEvent
    assert AuditEvent.select().where(AuditEvent.action == "application.document").count() == 1


def test_deskundige_reaches_only_assigned_applications(app):
    """R-DRE-AVG, R-LAW-TLV-5: a deskundige sees the applications they were asked to advise on, nothing else (404),
    and never a dossier or traject page, nor the SWV's queue (403)."""
    w = _world()
    mine = _application(w["pupil_a"], w["care_a"])
    other = _application(w["pupil_b"], w["care_b"])
    swv = _client(app, w["swv"])
    assert _assign(swv, mine, "first", w["ortho"]).status_code == 303
    assert _assign(swv, other, "first", w["psy"]).status_code == 303
    own = Advice.get(Advice.application == mine.id)
    theirs = Advice.get(Advice.application == other.id)
    client = _client(app, w["ortho"].user)
    listing = client.get("/advies").get_data(as_text=True)
    assert "Daan Jansen" in listing and "Lotte Smit" not in listing
    assert client.get(f"/advies/{own.id}").status_code == 200
    assert client.get(f"/advies/{theirs.id}").status_code == 404
    own_item = SharedItem.get(SharedItem.application == mine.id)
    other_item = SharedItem.get(SharedItem.application == other.id)
    assert client.get(f"/advies/{own.id}/stukken/{own_item.id}").status_code == 200
    assert client.get(f"/advies/{own.id}/stukken/{other_item.id}").status_code == 404
    assert client.get(f"/advies/{theirs.id}/stukken/{other_item.id}").status_code == 404
    assert client.get("/swv/aanvragen").status_code == 403
    assert client.get(f"/swv/aanvragen/{mine.id}").status_code == 403
    for path in (f"/leerlingen/{w['pupil_a'].id}", f"/leerlingen/{w['pupil_a'].id}/dossier",
                 f"/leerlingen/{w['pupil_a'].id}/traject"):
        assert client.get(path).status_code in (403, 404), path


# --- assigning deskundigen (R-LAW-TLV-1, R-LAW-TLV-2) -----------------------------------------------------------

def test_assigning_a_dependent_or_unqualified_advisor_is_refused_with_the_reason(app):
    """R-LAW-TLV-2: not from the applying school, not someone who took part in the student's meeting;
    R-LAW-TLV-1: the first advice from an orthopedagoog or psycholoog. The refusal is shown beside the form."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    client = _client(app, w["swv"])
    insider = _advisor("Ingrid Intern", "orthopedagoog", w["office"])
    factories.add_membership(insider.user, w["a"], "zorg")  # she also works for the applying school
    accessing = _advisor("Anna Toegang", "orthopedagoog", w["a"])  # the deskundige role there is access only
    assert _assign(client, application, "first", accessing).status_code == 303
    Advice.delete().execute()
    refused = _assign(client, application, "first", insider)
    assert refused.status_code == 422
    assert "Ingrid Intern werkt voor de aanvragende school en is daarom niet onafhankelijk." in \
        refused.get_data(as_text=True)

    involved = _advisor("Bram Betrokken", "psycholoog", w["office"])
    meeting = Meeting.create(student=w["pupil_a"], school=w["a"], type_key="po.mdo", chair=w["care_a"],
                             starts_at=dt.datetime(2026, 1, 10, 9), ical_uid="mdo-desk@test", created_by=w["care_a"])
    Participant.create(meeting=meeting, user=involved.user, name=involved.user.name, kind="user")
    refused = _assign(client, application, "first", involved)
    assert refused.status_code == 422
    assert "Bram Betrokken was eerder bij deze leerling betrokken" in refused.get_data(as_text=True)

    wrong = _assign(client, application, "first", w["peda"])  # a pedagoog may give the second advice only
    assert wrong.status_code == 422
    assert "Het eerste advies geeft een orthopedagoog, psycholoog; Piet Peda is pedagoog." in \
        wrong.get_data(as_text=True)
    assert Advice.select().where(Advice.application == application.id).count() == 0
    assert _assign(client, application, "first", w["ortho"], due="2027-01-15").status_code == 303
    same = _assign(client, application, "second", w["ortho"])
    assert same.status_code == 422  # the same deskundige may not give both advices
    assert Advice.get(Advice.application == application.id).due_on == dt.date(2027, 1, 15)


# --- deciding, the letter (R-LAW-TLV-1, R-LAW-TLV-4, R-LAW-TLV-5) --------------------------------------------------

def test_decision_needs_both_signed_advices_and_dates(app):
    """R-LAW-TLV-1, R-LAW-TLV-4: no decision without the two advices; a grant without its dates and category is
    refused with every reason beside the form."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    client = _client(app, w["swv"])
    assert _post_step(client, application, "take_up").status_code == 303
    refused = _post_step(client, application, "grant", motivation="Het SWV volgt beide adviezen volledig.")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Het eerste advies ontbreekt" in html and "Het tweede advies ontbreekt" in html
    assert "Vul in: begindatum." in html and "Vul in: einddatum." in html and "Vul in: categorie." in html
    _assign(client, application, "first", w["ortho"])
    _assign(client, application, "second", w["peda"])
    _give_advice(app, w["ortho"], application)
    _give_advice(app, w["peda"], application)
    no_dates = _post_step(client, application, "grant", category="midden",
                          motivation="Het SWV volgt beide adviezen volledig.")
    assert no_dates.status_code == 422
    text = no_dates.get_data(as_text=True)
    assert "Vul in: begindatum." in text and "ontbreekt" not in text
    short = _post_step(client, application, "grant", category="midden", start="2026-08-01", end="2026-12-31",
                       motivation="Het SWV volgt beide adviezen volledig.")
    assert "minstens een schooljaar" in short.get_data(as_text=True)
    assert Application.get_by_id(application.id).status == "in_review"


def test_deskundige_signs_their_own_advice_with_their_own_name(app):
    """R-LAW-TLV-5: each advice is the named deskundige's own, signed with their own name."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    swv = _client(app, w["swv"])
    _assign(swv, application, "first", w["ortho"])
    advice = Advice.get(Advice.application == application.id)
    client = _client(app, w["ortho"].user)
    wrong = client.post(f"/advies/{advice.id}", data={"conclusion": "toelaatbaar", "text": "Kort.",
                                                     "signed_name": "Het team"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Onderteken met uw eigen naam" in html and "minstens 20 tekens" in html
    _give_advice(app, w["ortho"], application)
    signed = Advice.get_by_id(advice.id)
    assert signed.signed_at is not None and signed.signed_name == "Olga Ortho"
    assert Entry.select().where(Entry.source_type == "application_advice").count() == 1
    again = client.post(f"/advies/{advice.id}", data={"conclusion": "niet_toelaatbaar",
                                                     "text": "Toch anders want andere redenen genoeg.",
                                                     "signed_name": "Olga Ortho"})
    assert again.status_code == 422 and Advice.get_by_id(advice.id).conclusion == "toelaatbaar"


def test_grant_with_two_advices_sends_the_letter_and_keeps_it_in_the_dossier(app, smtp):
    """R-LAW-TLV-1, R-LAW-TLV-4, R-LAW-TLV-5: after two separate signed advices the SWV grants with category and
    period; the letter names the advisors, the legal basis and the six-week objection term, goes by mail (PDF
    attached) to the school's care coordinator and the parent with gezag, and lands with the decision in the
    dossier; the school can download it too."""
    w = _world()
    Guardian.create(student=w["pupil_a"], name="Stiefouder zonder gezag", email="stief@example.nl",
                    has_authority=False)
    application = _application(w["pupil_a"], w["care_a"])
    client = _client(app, w["swv"])
    _post_step(client, application, "take_up")
    _assign(client, application, "first", w["ortho"])
    _assign(client, application, "second", w["peda"])
    _give_advice(app, w["ortho"], application)
    _give_advice(app, w["peda"], application)
    start, end = clock.today() + dt.timedelta(days=30), clock.today() + dt.timedelta(days=30 + 400)
    granted = _post_step(client, application, "grant", category="midden", start=start.isoformat(),
                         end=end.isoformat(), motivation="Het SWV volgt beide adviezen: een kleine groep is nodig.")
    assert granted.status_code == 303, granted.get_data(as_text=True)
    application = Application.get_by_id(application.id)
    assert application.status == "granted"
    pdf = client.get(f"/swv/aanvragen/{application.id}/besluit.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    html = _letter_html(app, application)
    assert "SWV De Brug" in html and "toegekend" in html and "midden" in html
    assert start.strftime("%d-%m-%Y") in html and end.strftime("%d-%m-%Y") in html
    assert "Artikel 18a, zesde lid" in html and "Olga Ortho" in html and "Piet Peda" in html
    assert "orthopedagoog" in html and "pedagoog" in html
    assert "zes weken" in html and "6:7" in html and "6:8" in html and "Commissie bezwaar, Postbus 2" in html
    deadline = application.decided_on + dt.timedelta(days=42)
    assert deadline.strftime("%d-%m-%Y") in html and "J. Directeur" in html

    sent = client.post(f"/swv/aanvragen/{application.id}/besluit/versturen", data={})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    letters = [m for m in smtp.wait_for(4) if any(p.get_content_type() == "application/pdf" for p in m.walk())]
    messages = letters  # the deskundigen's two notices of their advice requests came first
    recipients = sorted(m["To"] for m in messages)
    assert recipients == sorted([w["care_a"].email, f"ouder{w['pupil_a'].id}@example.nl"])
    for message in messages:
        parts = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
        assert parts and parts[0].get_payload(decode=True).startswith(b"%PDF")
    entry = Entry.get((Entry.source_type == "application_decision") & (Entry.source_id == application.id))
    stored = Attachment.select().where(Attachment.entry == entry.id)
    assert stored.count() == 1 and stored.first().content_type == "application/pdf"
    assert OutboxMail.select().where(OutboxMail.recipient == "stief@example.nl").count() == 0
    again = client.post(f"/swv/aanvragen/{application.id}/besluit/versturen", data={})
    assert again.status_code == 303
    assert len([m for m in smtp.wait_for(6) if any(p.get_content_type() == "application/pdf" for p in m.walk())]) == 4
    assert Attachment.select().where(Attachment.entry == entry.id).count() == 1  # kept once per decision

    from portal.applications import letters
    care = _actor(w["care_a"], w["a"], "zorg")
    with app.test_request_context():  # what the school's download view calls
        name, body = letters.download(policy.application_or_404(application.id, actor=care), actor=care)
    assert body.startswith(b"%PDF") and name.endswith(".pdf")


def _letter_html(app, application) -> str:
    from portal.applications import letters

    with app.test_request_context():
        return letters.render_html(application)


def test_refusal_needs_a_motivation(app):
    """A refusal is motivated (the workflow's reason field), with the message beside the form."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    client = _client(app, w["swv"])
    _post_step(client, application, "take_up")
    refused = _post_step(client, application, "refuse", motivation="nee")
    assert refused.status_code == 422
    assert "Licht deze stap toe" in refused.get_data(as_text=True)
    asked = _post_step(client, application, "request_addition",
                       question="Stuur het verslag van het laatste mdo mee, met de handelingsadviezen.")
    assert asked.status_code == 303 and Application.get_by_id(application.id).status == "addition_requested"


# --- the SWV administrator ----------------------------------------------------------------------------------------

def test_administrator_manages_deskundigen_and_letter_details(app):
    """The SWV administrator adds a deskundige profile to an account with the deskundige role (never another
    account), edits it, and sets the letter details; SWV staff may not (403)."""
    w = _world()
    newcomer = factories.user("deskundige", w["office"], name="Nina Nieuw")
    teacher = factories.user("mentor", w["a"], name="Meester Mentor")
    client = _client(app, w["admin"])
    page = client.get("/beheer/deskundigen").get_data(as_text=True)
    assert "Nina Nieuw" in page and "Meester Mentor" not in page and "Olga Ortho" in page
    added = client.post("/beheer/deskundigen", data={"user": str(newcomer.id), "profession": "arts",
                                                     "organisation": "GGD", "active": "y"})
    assert added.status_code == 303
    assert Advisor.get(Advisor.user == newcomer.id).profession == "arts"
    refused = client.post("/beheer/deskundigen", data={"user": str(teacher.id), "profession": "arts"})
    assert refused.status_code == 422 and "geen account met de rol deskundige" in refused.get_data(as_text=True)
    bad = client.post("/beheer/deskundigen", data={"user": str(newcomer.id), "profession": "tovenaar"})
    assert bad.status_code == 422 and "Kies een beroep uit de lijst." in bad.get_data(as_text=True)
    advisor = Advisor.get(Advisor.user == newcomer.id)
    edited = client.post(f"/beheer/deskundigen/{advisor.id}", data={"user": str(teacher.id), "profession": "psycholoog",
                                                                    "organisation": "GGD Drenthe"})
    assert edited.status_code == 303
    advisor = Advisor.get_by_id(advisor.id)
    assert (advisor.user_id, advisor.profession, advisor.active) == (newcomer.id, "psycholoog", False)
    settings = client.post("/beheer/swv", data={"name": "SWV Nieuw", "address": "Straat 1", "objection_address": "",
                                                "signatory": "A. B."})
    assert settings.status_code == 422 and "Vul in waar een bezwaar heen gaat." in settings.get_data(as_text=True)
    saved = client.post("/beheer/swv", data={"name": "SWV Nieuw", "address": "Straat 1",
                                             "objection_address": "Postbus 9", "signatory": "A. B.",
                                             "email": "Info@SWV.example.nl"})
    assert saved.status_code == 303 and services.settings().email == "info@swv.example.nl"
    staff = _client(app, w["swv"])
    assert staff.get("/beheer/deskundigen").status_code == 403 and staff.get("/beheer/swv").status_code == 403


# --- bad input and stored markup ------------------------------------------------------------------------------------

PAYLOAD = 'X7{{7*7}}"><svg onload=alert(1)><meta http-equiv=refresh content="0;url=//evil.example">'


def test_stored_markup_shows_as_text_on_every_desk_page_and_in_the_letter(app, smtp):
    """Stored markup on the desk: a name, an entry, an advice, a motivation and the SWV's details holding markup
    show escaped on the queue, the application, the deskundige's pages, in the CSV as text and in the letter."""
    w = _world()
    w["pupil_a"].first_name = PAYLOAD[:90]
    w["pupil_a"].save()
    Guardian.update(name=PAYLOAD).where(Guardian.student == w["pupil_a"].id).execute()
    SwvSettings.update(name=PAYLOAD, objection_address=PAYLOAD, signatory=PAYLOAD).execute()
    Advisor.update(organisation=PAYLOAD).execute()
    application = _application(w["pupil_a"], w["care_a"])
    Entry.update(title=PAYLOAD, body=PAYLOAD).where(Entry.student == w["pupil_a"].id).execute()
    client = _client(app, w["swv"])
    _post_step(client, application, "take_up")
    _assign(client, application, "first", w["ortho"])
    _assign(client, application, "second", w["peda"])
    advice = _give_advice(app, w["ortho"], application)
    _give_advice(app, w["peda"], application)
    start = clock.today() + dt.timedelta(days=10)
    assert _post_step(client, application, "grant", category="hoog", start=start.isoformat(),
                      end=(start + dt.timedelta(days=400)).isoformat(),
                      motivation=PAYLOAD + " en nog enkele woorden").status_code == 303
    item = SharedItem.get(SharedItem.application == application.id)
    pages = [client.get("/swv/aanvragen"), client.get(f"/swv/aanvragen/{application.id}"),
             client.get(f"/swv/aanvragen/{application.id}/stukken/{item.id}"), client.get("/beheer/swv")]
    deskundige = _client(app, w["ortho"].user)
    pages += [deskundige.get("/advies"), deskundige.get(f"/advies/{advice.id}")]
    admin = _client(app, w["admin"])
    pages += [admin.get("/beheer/deskundigen"), admin.get("/beheer/swv")]
    texts = [p.get_data(as_text=True) for p in pages] + [_letter_html(app, Application.get_by_id(application.id))]
    for text in texts:
        assert "<svg onload" not in text and "<meta http-equiv=refresh" not in text and "X749" not in text
    assert "&lt;svg onload=alert(1)&gt;" in texts[1]
    csv_text = client.get("/swv/aanvragen.csv").get_data(as_text=True)
    assert "X7{{7*7}}" in csv_text  # CSV is text, not HTML: the name as typed


@pytest.mark.parametrize("path, data", [
    ("stap", {"action": "grant", "grant-start": "31-02-2026", "grant-end": "99999-01-01", "grant-category": "xx"}),
    ("stap", {"action": "bestaat_niet"}),
    ("stap", {"action": "take_up", "take_up-motivation": "x" * 6000}),
    ("deskundige", {"need": "first", "need-first-advisor": "abc", "need-first-due_on": "morgen"}),
    ("deskundige", {"need": "first", "need-first-advisor": "999999999999", "need-first-due_on": "2090-01-01"}),
    ("deskundige", {"need": "bestaat_niet", "need-bestaat_niet-advisor": "1"}),
])
def test_bad_input_on_the_desk_is_a_dutch_message_never_a_500(app, path, data):
    """Bounded input: impossible dates, unknown steps and advisors, overlong text give a 422 with a message."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    client = _client(app, w["swv"])
    if data.get("action") == "grant":
        _post_step(client, application, "take_up")
    response = client.post(f"/swv/aanvragen/{application.id}/{path}", data=dict(data))  # the client adds a token
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)


def test_a_letter_sent_later_dates_the_objection_term_from_the_day_it_was_sent(app, smtp):
    """R-LAW-TLV-4 (Awb 6:8): the six weeks start the day after the letter is sent, not the day of the decision."""
    import time_machine

    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    client = _client(app, w["swv"])
    _post_step(client, application, "take_up")
    _assign(client, application, "first", w["ortho"])
    _assign(client, application, "second", w["peda"])
    _give_advice(app, w["ortho"], application, "niet_toelaatbaar")
    _give_advice(app, w["peda"], application, "niet_toelaatbaar")
    refused = _post_step(client, application, "refuse",
                         motivation="De school heeft de basisondersteuning nog niet ingezet.")
    assert refused.status_code == 303
    decided = Application.get_by_id(application.id).decided_on
    with time_machine.travel(dt.datetime.combine(decided + dt.timedelta(days=3), dt.time(10)), tick=False):
        client = _client(app, w["swv"])
        assert client.post(f"/swv/aanvragen/{application.id}/besluit/versturen", data={}).status_code == 303
        later = Application.get_by_id(application.id)
        assert later.decided_on == decided + dt.timedelta(days=3)
        assert (later.decided_on + dt.timedelta(days=42)).strftime("%d-%m-%Y") in _letter_html(app, later)


def test_an_application_of_a_disabled_type_stays_readable_on_the_desk(app):
    """An application whose plugin was switched off still shows, and refuses every step but withdrawing (its
    advices and decision fields are unknown: R-LAW-TLV-1 may not be skipped), with a message, never a 500."""
    w = _world()
    application = _application(w["pupil_a"], w["care_a"])
    Application.update(type_key="uitgeschakeld.tlv").where(Application.id == application.id).execute()
    client = _client(app, w["swv"])
    assert client.get("/swv/aanvragen").status_code == 200
    assert client.get("/swv/aanvragen.csv").status_code == 200
    page = client.get(f"/swv/aanvragen/{application.id}")
    assert page.status_code == 200 and "Daan Jansen" in page.get_data(as_text=True)
    assert _post_step(client, application, "take_up").status_code == 422
    Application.update(status="in_review").where(Application.id == application.id).execute()
    refused = _post_step(client, application, "grant", motivation="Toch toekennen want het kan.")
    assert refused.status_code == 422 and "uitgeschakeld" in refused.get_data(as_text=True)
    assert Application.get_by_id(application.id).status == "in_review"  # never decided without its rules
    assert _assign(client, application, "first", w["ortho"]).status_code == 422


def test_a_letter_sent_half_an_hour_after_midnight_in_winter_carries_the_amsterdam_date(app, smtp):
    """R-LAW-TLV-4: at 00:30 on 8 December in Amsterdam (23:30 UTC on the 7th) the decision is dated 8 December
    on the desk, in the letter and in the objection deadline (six weeks from that day), and the queue counts the
    application submitted "today" as 0 days."""
    import time_machine

    midnight = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(midnight, tick=False):
        w = _world()
        application = _application(w["pupil_a"], w["care_a"])
        client = _client(app, w["swv"])
        queue = client.get("/swv/aanvragen.csv").get_data(as_text=True)
        assert "08-12-2026" in queue and "07-12-2026" not in queue
        _post_step(client, application, "take_up")
        _assign(client, application, "first", w["ortho"])
        _assign(client, application, "second", w["peda"])
        _give_advice(app, w["ortho"], application, "niet_toelaatbaar")
        _give_advice(app, w["peda"], application, "niet_toelaatbaar")
        refused = _post_step(client, application, "refuse",
                             motivation="De school heeft de basisondersteuning nog niet ingezet.")
        assert refused.status_code == 303, refused.get_data(as_text=True)
        assert client.post(f"/swv/aanvragen/{application.id}/besluit/versturen", data={}).status_code == 303
        decided = Application.get_by_id(application.id)
        assert decided.decided_on == dt.date(2026, 12, 8)
        letter = _letter_html(app, decided)
        assert "08-12-2026" in letter and "19-01-2027" in letter  # 8 December + six weeks
        assert "07-12-2026" not in letter and "18-01-2027" not in letter
        page = client.get(f"/swv/aanvragen/{application.id}").get_data(as_text=True)
        assert "08-12-2026" in page and "07-12-2026" not in page
