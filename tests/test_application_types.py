"""The application types of the po and vo plugins, through the core's application services.

po.tlv_sbo_so (TLV SBO or SO, with the SO's category), vo.tlv_vso, vo.tlv_pro and vo.lwoo (the worked
calculation of ``portal_vo.criteria``): each from the school's concept to the SWV's decision, with the refusals
the type adds (a missing description, the SO's category, a TLV shorter than a school year, the calculation's
missing values, granting against the calculation without a motivation). The app runs the po and vo plugins only,
so a VO student follows the generic VO route, whose arrangeren phase names the PrO, LWOO and VSO applications.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from portal import policy
from portal.applications import letters, services
from portal.applications.models import Application
from portal.applications.workflow import Action, Status
from portal.dossier import services as dossier
from portal.dossier.models import Entry
from portal.dossier.sections import SUPPORT
from portal.plugin import ApplicationType, hookimpl
from portal_po import applications as po_applications
from portal_vo import applications as vo_applications
from portal_vo import criteria
from tests import factories
from tests.conftest import form_errors

TEXT = "Een uitgebreide beschrijving van wat de leerling nodig heeft en wat er al is gedaan."
YEAR_START, YEAR_END = dt.date(2027, 8, 1), dt.date(2028, 7, 31)


@pytest.fixture
def app_overrides() -> dict:
    return {"PLUGINS": ["po", "vo"]}


def _actor(user, school, role):
    return policy.Actor(kind="user", user=user, school_id=school.id, roles=frozenset({role}))


def _world(sector):
    school = factories.school("Testschool", sector=sector)
    care = factories.user("zorg", school, name="Ilse Zorg")
    swv = factories.user("swv", school, name="Sam SWV")
    pupil = factories.student(school, first="Noor", last="Visser")
    return {"school": school, "student": pupil, "care": _actor(care, school, "zorg"),
            "swv": _actor(swv, school, "swv"), "guardian": pupil.guardians.first(), "care_user": care,
            "swv_user": swv}


@pytest.fixture
def po(app):
    return _world("PO")


@pytest.fixture
def vo(app):
    return _world("VO")


def _refused(call, *args, **kwargs) -> list[str]:
    with pytest.raises(services.Refused) as info:
        call(*args, **kwargs)
    return info.value.reasons


def _draw_up(world, key, values, *, share=("opp",)):
    """A concept with these values, the needed documents shared and a parent with gezag's signature."""
    care, pupil = world["care"], world["student"]
    application = services.create(pupil, key, actor=care)
    application = services.save(application, application.version, values, "De Brug", actor=care)
    for need in share:
        entry = dossier.add_entry(pupil, {"section": SUPPORT, "kind": "note", "title": f"Stuk {need}",
                                          "body": "Inhoud."}, actor=care)
        services.share(application, entry_id=entry.id, need=need, actor=care)
    services.record_signature(application, guardian_id=world["guardian"].id, name="", signed_on=dt.date.today(),
                              agrees=True, view="Wij steunen de aanvraag.", actor=care)
    return Application.get_by_id(application.id)


def _advisor(world, profession, name):
    office = factories.school("SWV-bureau")
    user = factories.user("deskundige", office, name=name)
    row = services.save_advisor(user.id, profession, "Praktijk Elders", True, actor=world["swv"])
    return row, _actor(user, office, "deskundige")


def _advise(world, application, need, profession, name):
    advisor, actor = _advisor(world, profession, name)
    advice = services.assign(application, need, advisor.id, None, actor=world["swv"])
    services.give_advice(advice, conclusion="toelaatbaar", text=TEXT, signed_name=name, actor=actor)


def _submit_and_take_up(world, application):
    application = services.act(application, Action.SUBMIT, {}, actor=world["care"])
    return services.act(application, Action.TAKE_UP, {}, actor=world["swv"])


TLV_VALUES = {"support_needs": TEXT, "done_so_far": TEXT, "why_not_regular": TEXT, "parents_involvement": TEXT}


# --- registration ----------------------------------------------------------------------------------------------

def test_route_forms_are_registered_as_application_types(app):
    """Every form the po and vo routes name is registered as an application type with the route's key, label
    and source; vo.beschikking_pro is now vo.tlv_pro, and vo.lwoo is new."""
    registered = app.extensions["registry"].application_types
    assert {"po.tlv_sbo_so", "vo.tlv_vso", "vo.tlv_pro", "vo.lwoo"} <= set(registered)
    assert "vo.beschikking_pro" not in app.extensions["registry"].forms
    for module in (po_applications, vo_applications):
        for kind in module.TYPES:
            named = {f.key: f for f in module.route.FORMS}[kind.key]
            assert (kind.label, kind.description, kind.source) == (named.label, named.description, named.source)
    assert registered["vo.tlv_pro"].label == "Aanvraag toelaatbaarheidsverklaring praktijkonderwijs (TLV PrO)"
    assert registered["vo.lwoo"].label == "Aanwijzing leerwegondersteunend onderwijs (LWOO)"


def test_tlvs_need_two_independent_advices_from_the_right_professions():
    """R-LAW-TLV-1, R-LAW-TLV-2: the first advice by an orthopedagoog or psycholoog, the second by a kinder- of
    jeugdpsycholoog, pedagoog, kinderpsychiater, maatschappelijk werker or arts; both independent."""
    for kind in (po_applications.TLV_SBO_SO, vo_applications.TLV_VSO):
        first, second = kind.advices
        assert set(first.professions) == {"orthopedagoog", "psycholoog"}
        assert set(second.professions) == {"kinderpsycholoog", "pedagoog", "kinderpsychiater",
                                           "maatschappelijk_werker", "arts"}
        assert first.independent and second.independent
        assert kind.min_period_days == 364 and kind.receiving_school and kind.extendable
        assert {f.key for f in kind.decision_fields} == {"category", "start", "end"}
    assert "artikel 18a" in po_applications.TLV_SBO_SO.legal_basis
    assert "artikel 40" in po_applications.TLV_SBO_SO.legal_basis
    assert "Wet voortgezet onderwijs 2020" in vo_applications.TLV_VSO.legal_basis


def test_calculation_form_has_the_fields_assess_reads():
    """The PrO / LWOO form holds exactly the values of the worked calculation."""
    form_fields = {name for name, value in vars(vo_applications.CalculationForm).items()
                   if hasattr(value, "field_class")}
    assert form_fields == set(criteria.FIELDS)
    for kind in (vo_applications.TLV_PRO, vo_applications.LWOO):
        assert kind.assessment.compute is criteria.assess and kind.assessment.criteria is criteria.NATIONAL
        assert kind.assessment.template == "vo/assessment.html"
    assert [f.key for f in vo_applications.LWOO.decision_fields] == ["start"]
    assert [f.key for f in vo_applications.TLV_PRO.decision_fields] == ["start", "end"]


def test_calculation_form_gives_dutch_messages(app):
    with app.test_request_context("/", method="POST", data={"iq": "honderd", "dl_spellen": "0",
                                                             "dle_spellen": "121", "iq_test": "x" * 201}):
        form = vo_applications.CalculationForm(meta={"csrf": False})
        assert not form.validate()
        assert form.iq.errors == ["Vul een heel getal in."]
        assert form.dl_spellen.errors == ["Vul een aantal maanden in van 1 tot en met 120."]
        assert form.dle_spellen.errors == ["Vul een aantal maanden in van 0 tot en met 120."]
        assert form.iq_test.errors == ["Hooguit 200 tekens."]


# --- po.tlv_sbo_so --------------------------------------------------------------------------------------------

def test_tlv_so_from_concept_to_decision_with_category(po):
    """R-LAW-TLV-1, R-LAW-TLV-4: a TLV SO is submitted with its description, the OPP and a parent's signature;
    decided after two advices, with its category and a period of at least a school year."""
    application = _draw_up(po, "po.tlv_sbo_so", {**TLV_VALUES, "school_type": "so"})
    application = _submit_and_take_up(po, application)
    _advise(po, application, "advies_1", "orthopedagoog", "Olga Orthopedagoog")
    assert "Het tweede deskundigenadvies ontbreekt; een besluit vraagt om elk schriftelijk advies van een " \
           "afzonderlijke deskundige." in _refused(services.act, application, Action.GRANT,
                                                   {"category": "midden", "start": YEAR_START, "end": YEAR_END},
                                                   actor=po["swv"])
    _advise(po, application, "advies_2", "arts", "Anton Arts")

    grant = {"start": YEAR_START, "end": YEAR_END}
    assert _refused(services.act, application, Action.GRANT, grant, actor=po["swv"]) == [
        "Kies de categorie van de TLV SO (laag, midden of hoog)."]
    short = {**grant, "category": "hoog", "end": dt.date(2028, 6, 30)}
    assert _refused(services.act, application, Action.GRANT, short, actor=po["swv"]) == [
        "Een toelaatbaarheidsverklaring geldt minstens een schooljaar; kies een latere einddatum."]

    decided = services.act(application, Action.GRANT, {**grant, "category": "hoog"}, actor=po["swv"])
    assert decided.status == Status.GRANTED
    assert services.decision_of(decided) == {"category": "hoog", "start": "2027-08-01", "end": "2028-07-31",
                                             "motivation": None}
    entry = Entry.get((Entry.source_type == services.SOURCE_DECISION) & (Entry.source_id == decided.id))
    assert "Categorie (alleen SO): hoog" in entry.body and "Begindatum: 01-08-2027" in entry.body


def test_tlv_sbo_has_no_category_and_one_school_year_is_enough(po):
    """R-LAW-TLV-4: 1 August to 31 July is one school year (364 days apart outside a leap year)."""
    application = _draw_up(po, "po.tlv_sbo_so", {**TLV_VALUES, "school_type": "sbo"})
    application = _submit_and_take_up(po, application)
    _advise(po, application, "advies_1", "psycholoog", "Petra Psycholoog")
    _advise(po, application, "advies_2", "pedagoog", "Piet Pedagoog")
    year = {"start": dt.date(2026, 8, 1), "end": dt.date(2027, 7, 31)}
    assert _refused(services.act, application, Action.GRANT, {**year, "category": "laag"}, actor=po["swv"]) == [
        "Een TLV voor het SBO heeft geen categorie; laat de categorie leeg."]
    assert services.act(application, Action.GRANT, year, actor=po["swv"]).status == Status.GRANTED


def test_tlv_submit_asks_for_the_choice_and_every_description(po):
    """The school cannot submit a TLV without SBO/SO and the four descriptions; every reason at once."""
    application = _draw_up(po, "po.tlv_sbo_so", {"support_needs": TEXT, "done_so_far": "kort"})
    assert _refused(services.act, application, Action.SUBMIT, {}, actor=po["care"]) == [
        "Kies of de aanvraag voor het SBO of het SO is.",
        "Beschrijf wat de school al heeft gedaan.",
        "Beschrijf waarom de school dit niet (meer) kan bieden.",
        "Beschrijf de betrokkenheid van ouders en leerling.",
    ]


def test_tlv_second_advice_not_from_an_orthopedagoog(po):
    """R-LAW-TLV-1: the second advice comes from another profession than the first."""
    application = _submit_and_take_up(po, _draw_up(po, "po.tlv_sbo_so", {**TLV_VALUES, "school_type": "so"}))
    advisor, _ = _advisor(po, "orthopedagoog", "Otto Orthopedagoog")
    reasons = _refused(services.assign, application, "advies_2", advisor.id, None, actor=po["swv"])
    assert reasons == ["Het tweede deskundigenadvies geeft een kinder- of jeugdpsycholoog, pedagoog, "
                       "kinderpsychiater, maatschappelijk werker, arts; Otto Orthopedagoog is orthopedagoog."]


# --- vo.tlv_vso -----------------------------------------------------------------------------------------------

def test_tlv_vso_decision_needs_its_category(vo):
    """R-LAW-TLV-1, R-LAW-TLV-4: a TLV VSO records its category (laag, midden, hoog), start and end date."""
    application = _submit_and_take_up(vo, _draw_up(vo, "vo.tlv_vso", TLV_VALUES))
    _advise(vo, application, "advies_1", "psycholoog", "Petra Psycholoog")
    _advise(vo, application, "advies_2", "kinderpsychiater", "Karel Kinderpsychiater")
    assert _refused(services.act, application, Action.GRANT, {}, actor=vo["swv"]) == [
        "Vul in: bekostigingscategorie.", "Vul in: begindatum.", "Vul in: einddatum."]
    decided = services.act(application, Action.GRANT, {"category": "laag", "start": YEAR_START, "end": YEAR_END},
                           actor=vo["swv"])
    assert decided.status == Status.GRANTED


# --- vo.tlv_pro and vo.lwoo: the worked calculation --------------------------------------------------------

PRO_VALUES = {"iq": 70, "iq_test": "WISC-V (maart 2026)", "dl_inzichtelijk_rekenen": 60,
              "dle_inzichtelijk_rekenen": 28, "dl_begrijpend_lezen": 60, "dle_begrijpend_lezen": 30,
              "dl_spellen": 60, "dle_spellen": 40, "social_emotional": False}


def test_tlv_pro_submit_needs_what_the_calculation_needs(vo):
    """R-LAW-PRO-2: the school submits a TLV PrO with the IQ and its test, two domains, and in the 75-80 overlap
    its motivation; all missing values are named at once."""
    application = _draw_up(vo, "vo.tlv_pro", {"iq": 78, "dl_spellen": 60}, share=("onderzoek",))
    assert _refused(services.act, application, Action.SUBMIT, {}, actor=vo["care"]) == [
        "Noem de intelligentietest waarmee het IQ is gemeten.",
        "Vul voor ten minste twee domeinen de DL en de DLE in.",
        "Spellen: vul zowel de DL als de DLE in (hele maanden).",
        "Het IQ valt in het overlapgebied 75-80: geef de motivatie van de school voor PrO of LWOO.",
    ]


def test_tlv_pro_research_report_must_be_shared(vo):
    application = _draw_up(vo, "vo.tlv_pro", PRO_VALUES, share=())
    assert _refused(services.act, application, Action.SUBMIT, {}, actor=vo["care"]) == [
        "Deel eerst uit het dossier: het verslag van het intelligentie- en didactisch onderzoek."]


def test_tlv_pro_from_concept_to_decision(vo):
    """R-LAW-PRO-1, R-LAW-PRO-2, R-VO-7: the calculation both sides see meets PrO; the SWV grants the TLV PrO
    with start and end."""
    application = _submit_and_take_up(vo, _draw_up(vo, "vo.tlv_pro", PRO_VALUES, share=("onderzoek",)))
    result = vo_applications.result_of(services.facts_of(application))
    assert result.pro.met and not result.lwoo.met and not result.needs_motivation
    assert [row.percent_text for row in result.rows] == ["53,3%", "50,0%", "", "33,3%"]
    assert _refused(services.act, application, Action.GRANT, {"start": YEAR_START}, actor=vo["swv"]) == [
        "Vul in: einddatum."]
    decided = services.act(application, Action.GRANT, {"start": YEAR_START, "end": YEAR_END}, actor=vo["swv"])
    assert decided.status == Status.GRANTED


def test_granting_against_the_calculation_needs_a_motivation(vo):
    """R-LAW-PRO-2: the calculation advises; the SWV may decide otherwise, with its reasons."""
    values = {**PRO_VALUES, "iq": 84}  # outside 55-80: PrO not met
    application = _submit_and_take_up(vo, _draw_up(vo, "vo.tlv_pro", values, share=("onderzoek",)))
    grant = {"start": YEAR_START, "end": YEAR_END}
    assert _refused(services.act, application, Action.GRANT, grant, actor=vo["swv"]) == [
        "Volgens de berekening voldoet de leerling niet aan de criteria voor praktijkonderwijs (PrO); motiveer "
        "waarom het samenwerkingsverband toch toekent."]
    motivated = {**grant, "motivation": "Het onderzoek onderschat de leerling niet; de praktijkgerichte aanpak "
                                        "past bij wat zij nodig heeft."}
    assert services.act(application, Action.GRANT, motivated, actor=vo["swv"]).status == Status.GRANTED


def test_lwoo_granted_with_start_date_only(vo):
    """R-LAW-LWOO-1: IQ 95 with demonstrated social-emotional problems and a delay in the 25-50% band in
    begrijpend lezen and spellen meets LWOO; the aanwijzing records its start date."""
    values = {"iq": 95, "iq_test": "WISC-V", "social_emotional": True,
              "social_emotional_evidence": "Faalangst, vastgesteld door de GZ-psycholoog.",
              "dl_begrijpend_lezen": 60, "dle_begrijpend_lezen": 40, "dl_spellen": 60, "dle_spellen": 45}
    application = _submit_and_take_up(vo, _draw_up(vo, "vo.lwoo", values, share=("onderzoek",)))
    result = vo_applications.result_of(services.facts_of(application))
    assert result.lwoo.met and not result.pro.met
    assert _refused(services.act, application, Action.GRANT, {}, actor=vo["swv"]) == ["Vul in: begindatum."]
    decided = services.act(application, Action.GRANT, {"start": YEAR_START}, actor=vo["swv"])
    assert decided.status == Status.GRANTED and services.decision_of(decided)["start"] == "2027-08-01"


def test_lwoo_refused_without_a_date(vo):
    values = {"iq": 85, "iq_test": "WISC-V", "dl_technisch_lezen": 60, "dle_technisch_lezen": 40,
              "dl_spellen": 60, "dle_spellen": 40}
    application = _submit_and_take_up(vo, _draw_up(vo, "vo.lwoo", values, share=("onderzoek",)))
    assert not vo_applications.result_of(services.facts_of(application)).lwoo.met  # technisch lezen + spellen
    refused = services.act(application, Action.REFUSE, {
        "motivation": "Alleen technisch lezen en spellen blijven achter; dat is geen grond voor LWOO."},
        actor=vo["swv"])
    assert refused.status == Status.REFUSED


class OwnCriteria:
    """An SWV's own PrO criteria (IQ up to 85) through adjust_application_type."""

    @staticmethod
    @hookimpl
    def adjust_application_type(application_type: ApplicationType):
        if application_type.key != "vo.tlv_pro":
            return None
        own = dataclasses.replace(application_type.assessment.criteria, label="Criteria SWV Voorbeeld",
                                  pro=dataclasses.replace(application_type.assessment.criteria.pro,
                                                          iq=criteria.IQRange(55, 85)))
        return dataclasses.replace(application_type,
                                   assessment=dataclasses.replace(application_type.assessment, criteria=own))


@pytest.mark.parametrize("app_overrides", [{"PLUGINS": ["po", "vo"],
                                             "EXTRA_PLUGIN_MODULES": {"eigen": OwnCriteria}}], ids=["own"])
def test_an_swv_sets_its_own_criteria(vo):
    """R-LAW-PRO-2: with an SWV's own criteria (IQ up to 85) an IQ of 84 meets PrO, and no motivation is asked
    for granting it; the overlap with LWOO is now 75-85, so the school's motivation is asked for."""
    draft = _draw_up(vo, "vo.tlv_pro", {**PRO_VALUES, "iq": 84}, share=("onderzoek",))
    assert _refused(services.act, draft, Action.SUBMIT, {}, actor=vo["care"]) == [
        "Het IQ valt in het overlapgebied 75-85: geef de motivatie van de school voor PrO of LWOO."]
    motivated = {**PRO_VALUES, "iq": 84, "motivation": "Zij leert het best door te doen, in kleine groepen."}
    application = _submit_and_take_up(vo, _draw_up(vo, "vo.tlv_pro", motivated, share=("onderzoek",)))
    result = vo_applications.result_of(services.facts_of(application))
    assert result.pro.met and result.needs_motivation and result.criteria_label == "Criteria SWV Voorbeeld"
    decided = services.act(application, Action.GRANT, {"start": YEAR_START, "end": YEAR_END}, actor=vo["swv"])
    assert decided.status == Status.GRANTED


# --- over HTTP: the school's pages ----------------------------------------------------------------------------

def _new_over_http(client, world, key) -> Application:
    factories.login(client, world["care_user"])
    response = client.post(f"/leerlingen/{world['student'].id}/aanvragen", data={"type_key": key})
    assert response.status_code == 303, response.get_data(as_text=True)
    return Application.get_by_id(int(re.search(r"/aanvragen/(\d+)", response.headers["Location"])[1]))


def test_the_school_offers_pro_lwoo_and_vso_on_the_vo_route(client, vo):
    """R-VO-7: a VO student's page offers the TLV PrO, the aanwijzing LWOO and the TLV VSO."""
    factories.login(client, vo["care_user"])
    page = client.get(f"/leerlingen/{vo['student'].id}/aanvragen").get_data(as_text=True)
    for label in ("Aanvraag toelaatbaarheidsverklaring praktijkonderwijs (TLV PrO)",
                  "Aanwijzing leerwegondersteunend onderwijs (LWOO)", "Aanvraag toelaatbaarheidsverklaring (TLV) VSO"):
        assert label in page
    assert "beschikking" not in page.lower()


def test_the_school_fills_in_the_calculation_and_sees_it_worked_out(client, vo):
    """R-LAW-PRO-1, R-LAW-PRO-2: the school enters IQ, test, DL and DLE per domain on the application's page, and
    the page shows the worked calculation (table and verdicts) with the note that the SWV decides."""
    application = _new_over_http(client, vo, "vo.tlv_pro")
    form = {"version": application.version, "iq": "78", "iq_test": "WISC-V (maart 2026)",
            "dl_inzichtelijk_rekenen": "60", "dle_inzichtelijk_rekenen": "30",
            "dl_begrijpend_lezen": "60", "dle_begrijpend_lezen": "45", "dl_spellen": "60", "dle_spellen": "20",
            "motivation": ""}
    assert client.post(f"/aanvragen/{application.id}", data=form).status_code == 303
    stored = services.data_of(Application.get_by_id(application.id))
    assert stored["iq"] == 78 and stored["dle_spellen"] == 20 and stored["dl_technisch_lezen"] is None
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    for text in ("Berekening leerachterstand en criteria PrO en LWOO", "(60 − 30) / 60 = 0,50", "50,0%", "25,0%",
                 "66,6%", "Voldoet aan de criteria voor praktijkonderwijs (PrO).",
                 "Voldoet niet aan de criteria voor leerwegondersteunend onderwijs (LWOO).",
                 "IQ 78 valt in het overlapgebied 75-80", "De school heeft nog geen motivatie gegeven.",
                 "Het samenwerkingsverband besluit"):
        assert text in page, text
    assert page.count("<h2 ") == page.count("</h2>")


def test_bad_calculation_input_gets_a_dutch_message_next_to_the_field(client, vo):
    application = _new_over_http(client, vo, "vo.lwoo")
    response = client.post(f"/aanvragen/{application.id}", data={
        "version": application.version, "iq": "negentig", "dl_spellen": "200", "dle_spellen": "-1"})
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul een heel getal in." in errors
    assert "Vul een aantal maanden in van 1 tot en met 120." in errors
    assert "Vul een aantal maanden in van 0 tot en met 120." in errors
    assert services.data_of(Application.get_by_id(application.id)) == {}


def test_the_school_fills_in_a_tlv_so(client, po):
    """The TLV SBO/SO form asks SBO or SO, the four descriptions and the receiving school."""
    application = _new_over_http(client, po, "po.tlv_sbo_so")
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    for label in ("Soort onderwijs", "Onderwijs- en ondersteuningsbehoeften van de leerling",
                  "Wat de school al heeft gedaan", "Waarom de school dit niet (meer) kan bieden",
                  "Betrokkenheid van ouders en leerling", "Ontvangende school"):
        assert label in page, label
    bad = client.post(f"/aanvragen/{application.id}", data={"version": application.version, "school_type": "vso"})
    assert bad.status_code == 422 and "Kies SBO of SO." in form_errors(bad.get_data(as_text=True))
    good = client.post(f"/aanvragen/{application.id}", data={
        "version": application.version, "school_type": "so", "receiving_school": "SO De Brug", **TLV_VALUES})
    assert good.status_code == 303
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "speciaal onderwijs (SO)" in page and "SO De Brug" in page


# --- over HTTP: the SWV's desk ----------------------------------------------------------------------------------

def _desk_step(client, application, action, **fields):
    data = {"action": action, **{f"{action}-{key}": value for key, value in fields.items()}}
    return client.post(f"/swv/aanvragen/{application.id}/stap", data=data)


def test_the_swv_decides_a_tlv_so_on_its_desk_with_category_and_period(client, po):
    """R-LAW-TLV-1, R-LAW-TLV-4: on the SWV's desk a TLV SO is taken up, both advisors are asked, and the decision
    form asks the category and the period; without a category, or shorter than a school year, the page says why;
    the letter cites the legal basis of the type."""
    application = services.act(_draw_up(po, "po.tlv_sbo_so", {**TLV_VALUES, "school_type": "so"}), Action.SUBMIT,
                               {}, actor=po["care"])
    factories.login(client, po["swv_user"])
    assert _desk_step(client, application, "take_up").status_code == 303
    for need, profession, name in (("advies_1", "orthopedagoog", "Olga Orthopedagoog"),
                                   ("advies_2", "maatschappelijk_werker", "Mira Maatschappelijk")):
        advisor, actor = _advisor(po, profession, name)
        assigned = client.post(f"/swv/aanvragen/{application.id}/deskundige",
                               data={"need": need, f"need-{need}-advisor": str(advisor.id)})
        assert assigned.status_code == 303, form_errors(assigned.get_data(as_text=True))
        advice = services.advices_of(application)[-1]
        services.give_advice(advice, conclusion="toelaatbaar", text=TEXT, signed_name=name, actor=actor)

    page = client.get(f"/swv/aanvragen/{application.id}").get_data(as_text=True)
    for label in ("Categorie (alleen SO)", "Begindatum", "Einddatum"):
        assert label in page, label
    missing = _desk_step(client, application, "grant", start="2027-08-01", end="2028-07-31")
    assert missing.status_code == 422
    assert "Kies de categorie van de TLV SO (laag, midden of hoog)." in missing.get_data(as_text=True)
    short = _desk_step(client, application, "grant", category="midden", start="2027-08-01", end="2028-01-31")
    assert short.status_code == 422
    assert "Een toelaatbaarheidsverklaring geldt minstens een schooljaar" in short.get_data(as_text=True)
    granted = _desk_step(client, application, "grant", category="midden", start="2027-08-01", end="2028-07-31")
    assert granted.status_code == 303
    decided = Application.get_by_id(application.id)
    assert decided.status == Status.GRANTED and services.decision_of(decided)["category"] == "midden"
    with client.application.test_request_context("/"):
        html = letters.render_html(decided)
    assert "Wet op het primair onderwijs, artikel 18a" in html and "Wet op de expertisecentra, artikel 40" in html


def test_the_swv_sees_the_worked_calculation_and_decides_a_pro(client, vo):
    """R-LAW-PRO-1, R-LAW-PRO-2: the SWV sees the same worked calculation as the school, and decides the TLV PrO
    with a start and an end date; against the calculation only with a motivation."""
    values = {**PRO_VALUES, "iq": 83}
    application = services.act(_draw_up(vo, "vo.tlv_pro", values, share=("onderzoek",)), Action.SUBMIT, {},
                               actor=vo["care"])
    factories.login(client, vo["swv_user"])
    assert _desk_step(client, application, "take_up").status_code == 303
    page = client.get(f"/swv/aanvragen/{application.id}").get_data(as_text=True)
    for text in ("Berekening leerachterstand en criteria PrO en LWOO", "(60 − 28) / 60 = 0,53",
                 "IQ 83 ligt buiten 55-80.", "Voldoet niet aan de criteria voor praktijkonderwijs (PrO).", "Het samenwerkingsverband besluit"):
        assert text in page, text
    against = _desk_step(client, application, "grant", start="2027-08-01", end="2028-07-31")
    assert against.status_code == 422
    assert "motiveer waarom het samenwerkingsverband toch toekent" in against.get_data(as_text=True)
    granted = _desk_step(client, application, "grant", start="2027-08-01", end="2028-07-31",
                         motivation="Het onderzoek toont een praktische leerstijl; PrO past het best bij haar.")
    assert granted.status_code == 303
    assert Application.get_by_id(application.id).status == Status.GRANTED
