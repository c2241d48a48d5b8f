"""The school's side of an application to the SWV, over HTTP, and the framework's rules of a decision.

The application type is the test plugin's ``example.tlv`` (tests/plugin_example/applications.py) on the PO route:
two advices, a needed document (the OPP), decision fields with a period of at least 300 days.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from portal import clock, policy
from portal.applications import services
from portal.applications.models import Advisor, Application, ApplicationStep
from portal.applications.workflow import Action, Status
from portal.auth.models import Membership
from portal.dossier.models import Entry
from portal.meetings.models import Meeting, Participant
from portal.students.models import Guardian
from tests import factories
from tests.factories import example_tlv_fill as _fill, example_tlv_new as _new, example_tlv_ready as _ready
from tests.factories import guardian_of as _guardian
from tests.conftest import form_errors
from tests.plugin_example import applications as example


@pytest.fixture
def app_overrides():
    return {"PLUGINS": ["po", "vo"], "EXTRA_PLUGIN_MODULES": {"example": example.Tlv}}


@pytest.fixture
def world(app):
    s = factories.po_school()
    s["swv"] = factories.user("swv", s["school"], name="Bert Kuiper")
    s["other_zorg"] = factories.user("zorg", factories.school("Andere school"))
    s["entry"] = Entry.create(student=s["student"], section="begeleiding", kind="plan", title="OPP van Sanne",
                              body="Uitstroomperspectief: vso.", author=s["zorg"])
    Guardian.create(student=s["student"], name="Stiefvader Kees", has_authority=False)
    return s


def actor(user, roles, school=None) -> policy.Actor:
    return policy.Actor(kind="user", user=user, school_id=school.id if school else None, roles=frozenset(roles))


def test_a_care_coordinator_draws_up_shares_signs_and_submits(client, world):
    """R-LAW-TLV-3: the application is signed by a parent with gezag; what the school shares is logged and lands
    with the submission in the dossier."""
    factories.login(client, world["zorg"])
    page = client.get(f"/leerlingen/{world['student'].id}/aanvragen").get_data(as_text=True)
    assert "Test-TLV" in page
    application = _ready(client, world)
    response = client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    assert response.status_code == 303
    application = Application.get_by_id(application.id)
    assert application.status == Status.SUBMITTED and application.submitted_at is not None
    entry = Entry.get((Entry.source_type == "application") & (Entry.source_id == application.id))
    assert entry.title == "Test-TLV: ingediend"
    assert "Onderwijsbehoeften: Sanne heeft een kleine groep" in entry.body
    assert "Ondertekend door Ouder van Sanne op 20-11-2026" in entry.body
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "ingediend" in page and "OPP van Sanne" in page and "SBO De Wissel" in page
    assert "Speciaal basisonderwijs" in page  # the choice's label, never its key
    steps = [s.action for s in ApplicationStep.select().where(ApplicationStep.application == application.id)]
    assert steps == ["create", "submit"]


def test_submitting_without_the_document_and_the_signature_names_both(client, world):
    """Prerequisites as data, every reason at once, shown next to the step."""
    factories.login(client, world["zorg"])
    application = _new(client, world)
    _fill(client, application)
    response = client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert "Deel eerst uit het dossier: Het ontwikkelingsperspectiefplan." in errors
    assert "Leg eerst de ondertekening vast van een ouder of verzorger met gezag." in errors
    assert Application.get_by_id(application.id).status == Status.CONCEPT


def test_a_parent_without_gezag_cannot_sign(client, world):
    """R-LAW-CONSENT-1: a guardian without gezag can be informed but cannot sign the application."""
    factories.login(client, world["zorg"])
    application = _new(client, world)
    response = client.post(f"/aanvragen/{application.id}/ondertekening",
                           data={"who": str(_guardian(world, authority=False).id), "signed_on": "2026-11-20",
                                 "agrees": "ja"})
    assert response.status_code == 422
    assert ("Stiefvader Kees heeft geen ouderlijk gezag en kan de aanvraag niet ondertekenen; wel kan hij of zij "
            "worden geïnformeerd.") in form_errors(response.get_data(as_text=True))
    assert not services.signatures_of(application)


def _aged(world, years: int):
    """Make the world's student ``years`` old today (Amsterdam), the birthday a month or more ago."""
    today = clock.today()
    student = world["student"]
    student.birth_date = today.replace(year=today.year - years, day=1) - dt.timedelta(days=31)
    student.save()
    return student


def _sign(client, application, who, **values):
    return client.post(f"/aanvragen/{application.id}/ondertekening", data={
        "who": str(who), "signed_on": clock.today().isoformat(), "agrees": "ja", **values})


def test_a_parent_of_a_seventeen_year_old_signs_not_the_student_alone(client, world):
    """R-LAW-TLV-3, R-LAW-CONSENT-1: until 18 a parent with gezag signs the application (education law): the
    parent of a 17-year-old signs and the school submits; the 17-year-old alone cannot sign."""
    _aged(world, 17)
    factories.login(client, world["zorg"])
    application = _new(client, world)
    alone = _sign(client, application, "student", view="Ik wil dit zelf tekenen.")
    assert alone.status_code == 422
    assert ("De leerling is jonger dan 18 jaar (minderjarig); een ouder of verzorger met gezag ondertekent."
            in form_errors(alone.get_data(as_text=True)))
    assert not services.signatures_of(application)
    application = _ready(client, world)
    assert client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"}).status_code == 303
    assert Application.get_by_id(application.id).status == Status.SUBMITTED


def test_a_student_of_eighteen_signs_for_themselves(client, world):
    """R-LAW-TLV-3: from 18 (meerderjarig) the student signs alone: a parent's signature is refused, and without
    the student's own the application cannot be submitted; with it, it can, with the student's view."""
    _aged(world, 18)
    factories.login(client, world["zorg"])
    application = _new(client, world)
    assert _fill(client, application).status_code == 303
    client.post(f"/aanvragen/{application.id}/delen", data={"items": [f"entry:{world['entry'].id}"], "need": "opp"})
    parent = _sign(client, application, _guardian(world).id)
    assert parent.status_code == 422
    assert ("De leerling is 18 jaar of ouder (meerderjarig) en ondertekent zelf; een ouder ondertekent niet meer."
            in form_errors(parent.get_data(as_text=True)))
    refused = client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    assert ("De leerling is 18 jaar of ouder (meerderjarig): leg de ondertekening en de mening van de leerling zelf "
            "vast." in form_errors(refused.get_data(as_text=True)))
    assert _sign(client, application, "student", agrees="nee",
                 view="Ik wil liever op mijn eigen school blijven.").status_code == 303
    assert client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"}).status_code == 303
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "niet eens met de aanvraag" in page and "Ik wil liever op mijn eigen school blijven." in page


def test_concurrent_edits_of_a_concept_are_detected(client, world):
    """Versioning applied to applications: a stale form never overwrites, and the input is kept."""
    factories.login(client, world["zorg"])
    application = _new(client, world)
    assert _fill(client, application).status_code == 303
    stale = _fill(client, application, needs="Een oudere versie van de onderwijsbehoeften.")
    assert stale.status_code == 409
    assert "Een oudere versie van de onderwijsbehoeften." in stale.get_data(as_text=True)
    assert "kleine groep" in Application.get_by_id(application.id).data


def test_the_swv_side_and_other_schools_do_not_reach_the_school_pages(client, world):
    """R-DRE-AVG: SWV staff work in their own queue and never reach a student's pages or the school's side of an
    application; another school's care coordinator finds nothing (404)."""
    factories.login(client, world["zorg"])
    application = _ready(client, world)
    client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    for user in (world["swv"], world["other_zorg"]):
        factories.login(client, user)
        assert client.get(f"/aanvragen/{application.id}").status_code == 404
        assert client.get(f"/leerlingen/{world['student'].id}/aanvragen").status_code == 404
    factories.login(client, world["swv"])
    assert client.get(f"/leerlingen/{world['student'].id}/dossier").status_code in (403, 404)
    assert client.get(f"/leerlingen/{world['student'].id}/traject").status_code in (403, 404)


def test_the_mentor_reads_but_does_not_change(client, world):
    factories.login(client, world["zorg"])
    application = _new(client, world)
    factories.login(client, world["mentor"])
    page = client.get(f"/aanvragen/{application.id}")
    assert page.status_code == 200 and "Opslaan" not in page.get_data(as_text=True)
    assert _fill(client, application).status_code == 403


# --- the SWV's decision, through the services (the desk's pages have their own tests) ------------------------

@pytest.fixture
def submitted(client, world):
    factories.login(client, world["zorg"])
    application = _ready(client, world)
    client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    return Application.get_by_id(application.id)


def _advisor(profession: str, school=None, name=None) -> Advisor:
    user = factories.user("deskundige", school or factories.school("SWV-bureau"), name=name)
    return Advisor.create(user=user, profession=profession, organisation="Bureau Passend Onderwijs")


def test_advisors_must_be_qualified_independent_and_uninvolved(world, submitted):
    """R-LAW-TLV-1 and R-LAW-TLV-2: the first advice is an orthopedagoog's or psycholoog's; an advisor of the
    applying school, of the receiving school, or who took part in the student's meeting is refused, with the
    reason."""
    swv = actor(world["swv"], {"swv"}, world["school"])
    services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    wrong = _advisor("arts", name="Dokter Jansen")
    with pytest.raises(services.Refused) as refused:
        services.assign(submitted, "first", wrong.id, None, actor=swv)
    assert refused.value.reasons == ["Het eerste advies geeft een orthopedagoog, psycholoog; Dokter Jansen is arts."]
    colleague = _advisor("orthopedagoog", name="Ortho van School")
    Membership.create(user=colleague.user, school=world["school"], role="mentor")
    with pytest.raises(services.Refused, match="werkt voor de aanvragende school"):
        services.assign(submitted, "first", colleague.id, None, actor=swv)
    receiving = _advisor("psycholoog", name="Psych Wissel")
    receiving.organisation = "SBO De Wissel"
    receiving.save()
    with pytest.raises(services.Refused, match=r"werkt voor de ontvangende school \(SBO De Wissel\)"):
        services.assign(submitted, "first", receiving.id, None, actor=swv)
    involved = _advisor("orthopedagoog", name="Ortho uit het mdo")
    meeting = Meeting.create(student=world["student"], school=world["school"], type_key="po.mdo",
                             starts_at=dt.datetime(2026, 10, 1, 9),
                             chair=world["zorg"], created_by=world["zorg"], ical_uid="x@test")
    Participant.create(meeting=meeting, user=involved.user, name=involved.user.name, kind="staff")
    with pytest.raises(services.Refused, match="was eerder bij deze leerling betrokken"):
        services.assign(submitted, "first", involved.id, None, actor=swv)
    fine = _advisor("orthopedagoog", name="Ortho Onafhankelijk")
    assert services.assign(submitted, "first", fine.id, None, actor=swv).advisor_id == fine.id
    with pytest.raises(services.Refused, match="geeft al het andere advies"):
        services.assign(submitted, "second", fine.id, None, actor=swv)


def _advise(application, need, profession, name):
    advisor = _advisor(profession, name=name)
    swv_user = application.handler
    services.assign(application, need, advisor.id, None, actor=actor(swv_user, {"swv"}))
    advice = [a for a in services.advices_of(application) if a.need == need][0]
    return services.give_advice(advice, conclusion="toelaatbaar", signed_name=name,
                                text="Sanne is aangewezen op speciaal basisonderwijs; de school deed wat kon.",
                                actor=actor(advisor.user, {"deskundige"}))


def test_a_decision_needs_both_signed_advices_and_a_period_of_at_least_the_minimum(world, submitted):
    """R-LAW-TLV-1, R-LAW-TLV-4, R-LAW-TLV-5: no decision without each separate written advice; a grant records
    its category, start and end date, the period at least the type's minimum; the decision lands in the dossier."""
    swv = actor(world["swv"], {"swv"}, world["school"])
    application = services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    _advise(application, "first", "orthopedagoog", "Anna Ortho")
    period = {"category": "laag", "start": dt.date(2027, 1, 1), "end": dt.date(2027, 6, 30)}
    with pytest.raises(services.Refused) as refused:
        services.act(application, Action.GRANT, period, actor=swv)
    assert any(r.startswith("Het tweede advies ontbreekt") for r in refused.value.reasons)
    assert "Een toelaatbaarheidsverklaring geldt minstens een schooljaar; kies een latere einddatum." in \
        refused.value.reasons
    _advise(application, "second", "kinderpsychiater", "Bas Psychiater")
    with pytest.raises(services.Refused) as refused:
        services.act(application, Action.GRANT, {"category": "laag"}, actor=swv)
    assert refused.value.reasons == ["Vul in: ingangsdatum.", "Vul in: einddatum."]
    granted = services.act(application, Action.GRANT, {**period, "end": dt.date(2028, 7, 31)}, actor=swv)
    assert granted.status == Status.GRANTED and granted.decided_on == dt.date.today()
    assert services.decision_of(granted) == {"category": "laag", "start": "2027-01-01", "end": "2028-07-31",
                                             "motivation": None}
    entry = Entry.get((Entry.source_type == "application_decision") & (Entry.source_id == granted.id))
    assert entry.title == "Test-TLV: toegekend" and "Einddatum: 31-07-2028" in entry.body
    assert Entry.select().where(Entry.source_type == "application_advice").count() == 2


def test_the_types_own_guard_vetoes_a_grant(world, submitted):
    """A type's prerequisites as guards, with their reasons, next to the core's."""
    Application.update(data='{"needs": "geen"}').where(Application.id == submitted.id).execute()
    swv = actor(world["swv"], {"swv"}, world["school"])
    application = services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    with pytest.raises(services.Refused) as refused:
        services.act(application, Action.GRANT, {}, actor=swv)
    assert "Deze test-aanvraag wordt niet toegekend als er 'geen' behoeften zijn." in refused.value.reasons


def test_an_advice_is_signed_by_the_advisor_in_their_own_name(world, submitted):
    """R-LAW-TLV-5: each advice is a separate written advice of a named deskundige."""
    swv = actor(world["swv"], {"swv"}, world["school"])
    services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    advisor = _advisor("psycholoog", name="Carla Psycholoog")
    advice = services.assign(submitted, "first", advisor.id, None, actor=swv)
    with pytest.raises(services.Refused) as refused:
        services.give_advice(advice, conclusion="toelaatbaar", text="De commissie adviseert toelating tot sbo.",
                             signed_name="De commissie", actor=actor(advisor.user, {"deskundige"}))
    assert refused.value.reasons == ["Onderteken met uw eigen naam, zoals die in het portaal staat."]
    other = factories.user("deskundige", factories.school())
    with pytest.raises(services.Refused, match="Alleen de gevraagde deskundige"):
        services.give_advice(advice, conclusion="toelaatbaar", text="Een advies van iemand anders dan gevraagd.",
                             signed_name=other.name, actor=actor(other, {"deskundige"}))


def test_an_extension_starts_from_the_granted_application(client, world, submitted):
    """An extension is a new application that starts from the old one."""
    Application.update(status="granted", decision="granted", decided_on=dt.date.today()).where(
        Application.id == submitted.id).execute()
    factories.login(client, world["zorg"])
    response = client.post(f"/aanvragen/{submitted.id}/verlengen")
    assert response.status_code == 303
    new = Application.select().order_by(Application.id.desc()).first()
    assert new.previous_id == submitted.id and new.status == Status.CONCEPT
    assert new.receiving_school == "SBO De Wissel" and "kleine groep" in new.data


def test_an_uploaded_signed_form_is_kept(client, world):
    factories.login(client, world["zorg"])
    application = _new(client, world)
    response = client.post(f"/aanvragen/{application.id}/ondertekening",
                           data={"who": str(_guardian(world).id), "signed_on": "2026-11-20", "agrees": "ja",
                                 "scan": (io.BytesIO(factories.PDF), "handtekening.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    assert services.signatures_of(application)[0].attachment.filename == "handtekening.pdf"


# --- reminders and tasks ----------------------------------------------------------

def _notified(kind: str) -> list[tuple[int, str]]:
    from portal.notifications.models import Notification

    return [(n.user_id, n.title) for n in Notification.select().where(Notification.kind == kind)]


def test_the_objection_term_reminder_fires_once_a_week_before_the_end(client, world, submitted):
    """R-LAW-TLV-4 (six weeks to object): the care coordinator is reminded once, a week before the term ends;
    a second run and the days after send nothing more."""
    from portal.notifications import reminders

    decided = dt.date(2027, 1, 4)
    Application.update(status="granted", decision="granted", decided_on=decided).where(
        Application.id == submitted.id).execute()
    def run(days: int):
        day = decided + dt.timedelta(days=days)
        with factories.at(day.isoformat()):
            reminders.send_due(day)

    run(34)
    assert _notified("core.application_objection") == []
    for days in (35, 35, 36, 41, 42, 43):
        run(days)
    sent = _notified("core.application_objection")
    assert sent == [(world["zorg"].id, "Binnenkort (15-02-2027): Bezwaartermijn van het besluit over Test-TLV voor "
                                       "Sanne de Vries")]


def test_a_late_advice_lands_in_the_deskundiges_own_task_list(client, world, submitted):
    """The person who must act sees it under "mijn acties"; nobody else's advice shows there."""
    swv = actor(world["swv"], {"swv"}, world["school"])
    services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    advisor = _advisor("orthopedagoog", name="Anna Ortho")
    other = _advisor("psycholoog", name="Piet Psycholoog")
    services.assign(submitted, "first", advisor.id, dt.date(2026, 1, 5), actor=swv)
    factories.login(client, advisor.user)
    tasks = client.get("/mijn-acties").get_data(as_text=True)
    assert "Advies over Test-TLV voor Sanne de Vries" in tasks
    factories.login(client, other.user)
    assert "Advies over Test-TLV" not in client.get("/mijn-acties").get_data(as_text=True)


def test_an_addition_the_swv_asked_for_is_the_schools_task(client, world, submitted):
    swv = actor(world["swv"], {"swv"}, world["school"])
    application = services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    services.act(application, Action.REQUEST_ADDITION,
                 {"question": "Wilt u het verslag van het laatste mdo met de ouders delen?"}, actor=swv)
    factories.login(client, world["zorg"])
    assert "Aanvulling op Test-TLV voor Sanne de Vries" in client.get("/mijn-acties").get_data(as_text=True)
    page = client.get(f"/aanvragen/{submitted.id}").get_data(as_text=True)
    assert "Wilt u het verslag van het laatste mdo met de ouders delen?" in page
    answered = client.post(f"/aanvragen/{submitted.id}/stap",
                           data={"action": "supplement", "reason": "Het verslag van het mdo is nu gedeeld."})
    assert answered.status_code == 303
    assert Application.get_by_id(submitted.id).status == Status.IN_REVIEW
    assert "Aanvulling op Test-TLV" not in client.get("/mijn-acties").get_data(as_text=True)


def test_a_tlv_ending_within_three_months_asks_for_an_extension_and_then_expires(client, world, submitted):
    """R-LAW-TLV-4: three months before the end the school is reminded; after the end date
    the portal lets it expire (a step in the history, by the portal itself)."""
    from portal.applications.reminders import expire_ended
    from portal.notifications import reminders

    end = dt.date(2027, 7, 31)
    Application.update(status="granted", decision="granted", decided_on=dt.date(2026, 7, 1), ends_on=end).where(
        Application.id == submitted.id).execute()
    def run(days_before: int):
        day = end - dt.timedelta(days=days_before)
        with factories.at(day.isoformat()):
            reminders.send_due(day)

    run(92)
    assert _notified("core.application_ending") == []
    run(91)
    run(30)
    assert [title for _, title in _notified("core.application_ending")] == [
        "Binnenkort (31-07-2027): Test-TLV van Sanne de Vries loopt af: vraag op tijd een verlenging aan"]
    assert expire_ended(end) == 0
    assert expire_ended(end + dt.timedelta(days=1)) == 1
    application = Application.get_by_id(submitted.id)
    assert application.status == Status.EXPIRED
    last = ApplicationStep.select().where(ApplicationStep.application == application.id).order_by(
        ApplicationStep.id.desc()).first()
    assert (last.action, last.by_id) == ("expire", None)


def test_a_deskundige_role_held_at_the_school_is_not_working_for_it(world, submitted):
    """R-LAW-TLV-2: the SWV's deskundige holds the deskundige role at the schools it advises (for access); that is
    not working for the applying school, a staff role there is."""
    swv = actor(world["swv"], {"swv"}, world["school"])
    services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    advisor = _advisor("orthopedagoog", school=world["school"], name="Ingrid van het SWV")
    assert services.assign(submitted, "first", advisor.id, None, actor=swv).advisor_id == advisor.id


def test_the_school_downloads_the_decision_letter(client, world, submitted):
    """The letter the SWV sends is the school's to download too (audited as a read)."""
    from portal.audit.models import AuditEvent

    swv = actor(world["swv"], {"swv"}, world["school"])
    application = services.act(submitted, Action.TAKE_UP, {}, actor=swv)
    factories.login(client, world["zorg"])
    assert client.get(f"/aanvragen/{application.id}/besluit.pdf").status_code == 404  # no decision yet
    _advise(application, "first", "orthopedagoog", "Anna Ortho")
    _advise(application, "second", "arts", "Bas Arts")
    services.act(application, Action.GRANT, {"category": "midden", "start": dt.date(2027, 1, 1),
                                             "end": dt.date(2028, 7, 31)}, actor=swv)
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Besluitbrief (pdf)" in page
    response = client.get(f"/aanvragen/{application.id}/besluit.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert AuditEvent.select().where(AuditEvent.action == "application.letter").count() == 1


def test_an_extension_is_started_once(client, world, submitted):
    """A second click on "Verlenging aanvragen" leads to the extension already begun, never a duplicate."""
    Application.update(status="granted", decision="granted", decided_on=dt.date.today()).where(
        Application.id == submitted.id).execute()
    factories.login(client, world["zorg"])
    first = client.post(f"/aanvragen/{submitted.id}/verlengen")
    again = client.post(f"/aanvragen/{submitted.id}/verlengen", follow_redirects=True)
    assert Application.select().where(Application.previous == submitted.id).count() == 1
    assert "Voor deze aanvraag is al een verlenging begonnen" in again.get_data(as_text=True)
    assert again.request.path == first.headers["Location"]


def test_a_failed_step_is_named_at_the_top_of_the_page(client, world):
    """A refusal shows at the top as well as beside its form (the form can be far below), and the page keeps
    what was typed."""
    factories.login(client, world["zorg"])
    application = _new(client, world)
    response = client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    html = response.get_data(as_text=True)
    top = html[html.index('id="problemen"'):html.index("</div>", html.index('id="problemen"'))]
    assert "Leg eerst de ondertekening vast van een ouder of verzorger met gezag." in top


def test_the_swv_task_list_shows_the_longest_waiting_and_points_to_the_queue(client, world, submitted,
                                                                              monkeypatch):
    """What waits for the SWV comes from every school: a task list shows the longest waiting first, at most
    TASK_LIST_MOST (here 1), says so and links to the queue, so the page does not grow with the install."""
    from portal.notifications import reminders

    newer = Application.create(student=world["student"], school=world["school"], type_key="example.tlv",
                               status="submitted", created_by=world["zorg"],
                               submitted_at=submitted.submitted_at + dt.timedelta(days=1))
    factories.login(client, world["swv"])
    page = client.get("/mijn-acties").get_data(as_text=True)
    assert page.count("in behandeling nemen") == 2 and "Bekijk ze allemaal" not in page
    monkeypatch.setattr(reminders, "TASK_LIST_MOST", 1)
    page = client.get("/mijn-acties").get_data(as_text=True)
    assert page.count("in behandeling nemen") == 1 and f"/swv/aanvragen/{submitted.id}" in page
    assert f"/swv/aanvragen/{newer.id}" not in page
    assert "de 1 die het langst wachten" in page and 'href="/swv/aanvragen">Bekijk ze allemaal</a>' in page


def test_what_waits_for_the_swv_is_in_its_task_list(client, world, submitted):
    """A submitted application waits in "mijn acties" of SWV staff until it is taken up; a
    school's care coordinator does not get it."""
    factories.login(client, world["swv"])
    assert "Test-TLV van Sanne de Vries in behandeling nemen" in client.get("/mijn-acties").get_data(as_text=True)
    factories.login(client, world["other_zorg"])
    assert "in behandeling nemen" not in client.get("/mijn-acties").get_data(as_text=True)
    services.act(submitted, Action.TAKE_UP, {}, actor=actor(world["swv"], {"swv"}, world["school"]))
    factories.login(client, world["swv"])
    assert "in behandeling nemen" not in client.get("/mijn-acties").get_data(as_text=True)
