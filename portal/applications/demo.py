"""Demo applications, made through the same services as the pages: a decided TLV SO with its two advices and its
letter, a TLV PrO with its worked calculation, a TLV VSO waiting for an addition, an LWOO concept, an OTV with its
evaluations (Drenthe); the SWV's letter details and its deskundigen."""

from __future__ import annotations

import datetime as dt

from portal import clock, policy
from portal.applications import letters, services
from portal.applications.models import Application
from portal.applications.workflow import Action
from portal.consent import services as consent
from portal.dossier.models import Entry
from portal.opp import demo as opp_demo
from portal.opp import services as opp
from portal.route import demo as route_demo
from portal.route import engine
from portal.route import services as route
from portal.students.models import Guardian, Student

ADVISORS = (("deskundige", "orthopedagoog", "Bureau Passend Onderwijs Drenthe"),
            ("deskundige2", "kinderpsychiater", "Kinder- en jeugdpsychiatrie Assen"))

TLV_TEXT = {
    "support_needs": "{n} heeft een kleine groep nodig met veel voorspelbaarheid, korte instructies en een vaste "
                     "begeleider bij overgangen tussen activiteiten.",
    "done_so_far": "Twee perioden een handelingsplan met een eigen werkplek en beeldende planning; ambulante "
                   "begeleiding vanuit het samenwerkingsverband; een mdo met het wijkteam en de ouders.",
    "why_not_regular": "Ook met deze extra ondersteuning lukt het {n} niet om in een groep van 28 tot leren te "
                       "komen; de spanning thuis en op school neemt toe.",
    "parents_involvement": "Ouders hebben aan elk gesprek deelgenomen en steunen de aanvraag; {n} is gevraagd "
                           "wat helpt en heeft meegedacht over de nieuwe school.",
}


def _actor(user, school_id, *roles) -> policy.Actor:
    return policy.Actor(kind="user", user=user, school_id=school_id, roles=frozenset(roles))


def _text(template: dict, student: Student) -> dict:
    return {key: value.format(n=student.first_name) for key, value in template.items()}


def load(schools: dict, users: dict, po_domain: str, vo_domain: str, swv_domain: str) -> int:
    """The demo's applications; returns how many were made (none when the types' plugins are not enabled)."""
    kinds = services.types()
    if not {"po.tlv_sbo_so", "vo.tlv_vso"} <= set(kinds) or Application.select().exists():
        return 0
    admin = policy.Actor(kind="user", user=users[f"admin@{swv_domain}"], is_admin=True)
    services.save_settings({"name": "Samenwerkingsverband Passend Onderwijs Demo", "address":
                            "Postbus 100, 9400 AC Assen", "objection_address": "Bezwaarcommissie, Postbus 100, "
                            "9400 AC Assen (of bezwaar@swv.demo.nl)", "signatory": "drs. M. (Marjan) Kloosterman",
                            "signatory_role": "directeur-bestuurder", "email": f"info@{swv_domain}"}, actor=admin)
    advisors = [services.save_advisor(users[f"{local}@{swv_domain}"].id, profession, organisation, True, actor=admin)
                for local, profession, organisation in ADVISORS]
    swv_user = users[f"swv@{swv_domain}"]
    made = 0
    po, vo = schools["po"], schools["vo"]
    po_care = _actor(users[f"ib@{po_domain}"], po.id, "zorg")
    vo_care = _actor(users[f"zorg@{vo_domain}"], vo.id, "zorg")
    po_students, vo_students = _students(po), _students(vo)
    made += _decided_tlv(po_students[5], po_care, _actor(swv_user, po.id, "swv"), advisors, users, swv_domain)
    made += _waiting_vso(vo_students[5], vo_care, _actor(swv_user, vo.id, "swv"))
    if {"vo.tlv_pro", "vo.lwoo"} <= set(kinds):
        made += _pro(vo_students[6], vo_care, _actor(swv_user, vo.id, "swv"))
        made += _lwoo_concept(vo_students[7], vo_care)
    if "drenthe.otv" in kinds:
        made += _otv(vo_students[4], vo_care)
    if "drenthe.aanvraag_doa_vo" in kinds and len(vo_students) > 9:
        made += _doa_vo(vo_students[9], vo_care, _actor(swv_user, vo.id, "swv"))
    return made


def _students(school) -> list[Student]:
    return list(Student.select().where((Student.school == school.id) & Student.left_on.is_null()).order_by(Student.id))


def _concept(student: Student, type_key: str, values: dict, actor, receiving: str = "") -> Application:
    application = services.create(student, type_key, actor=actor)
    application = services.save(application, application.version, values, receiving, actor=actor)
    kind = services.type_of(application)
    entries = list(Entry.select().where((Entry.student == student.id) & ~Entry.confidential
                                        & Entry.withdrawn_at.is_null()).order_by(Entry.id))
    for need, entry in zip([n.key for n in kind.documents], entries):
        services.share(application, entry_id=entry.id, need=need, actor=actor)
    return application


def _sign(application: Application, actor, *, agrees: bool = True, view: str = "") -> None:
    guardian = Guardian.select().where((Guardian.student == application.student_id) & Guardian.has_authority) \
        .order_by(Guardian.id).first()
    services.record_signature(application, guardian_id=guardian.id, name="", signed_on=clock.today()
                              - dt.timedelta(days=20), agrees=agrees, view=view, actor=actor)


def _decided_tlv(student, care, swv, advisors, users, swv_domain) -> int:
    values = {"school_type": "so", **_text(TLV_TEXT, student)}
    application = _concept(student, "po.tlv_sbo_so", values, care, receiving="SO De Boei")
    _sign(application, care, view="Wij zien dat onze zoon vastloopt en steunen de aanvraag voor het SO.")
    application = services.act(application, Action.SUBMIT, {}, actor=care)
    application = services.act(application, Action.TAKE_UP, {}, actor=swv)
    kind = services.type_of(application)
    texts = ("{n} is aangewezen op een setting met een kleine groep en intensieve begeleiding; de basisschool heeft "
             "haar mogelijkheden benut. Toelaatbaar tot het SO, categorie midden.",
             "Vanuit de kinderpsychiatrie: de prikkelgevoeligheid en spanningsklachten van {n} vragen om een "
             "voorspelbare, kleine setting. Toelaatbaarheid tot het SO is passend.")
    for need, advisor, text in zip(kind.advices, advisors, texts):
        advice = services.assign(application, need.key, advisor.id, clock.today() + dt.timedelta(days=7), actor=swv)
        services.give_advice(advice, conclusion="toelaatbaar", text=text.format(n=student.first_name),
                             signed_name=advisor.user.name, actor=_actor(advisor.user, None, "deskundige"))
    start = clock.today() + dt.timedelta(days=14)
    application = services.act(application, Action.GRANT, {
        "category": "midden", "start": start, "end": dt.date(start.year + 2, 7, 31),
        "motivation": "Beide deskundigen adviseren toelating; de school heeft haar mogelijkheden aantoonbaar "
                      "benut."}, actor=swv)
    letters.send(application, actor=swv)
    return 1


def _waiting_vso(student, care, swv) -> int:
    application = _concept(student, "vo.tlv_vso", _text(TLV_TEXT, student), care, receiving="VSO De Atlas")
    _sign(application, care)
    application = services.act(application, Action.SUBMIT, {}, actor=care)
    application = services.act(application, Action.TAKE_UP, {}, actor=swv)
    services.act(application, Action.REQUEST_ADDITION, {
        "question": "Wilt u het verslag van het laatste MDO-T delen, met de evaluatie van het arrangement?"},
        actor=swv)
    return 1


CALCULATION = {
    "iq": 72, "iq_test": "WISC-V, afgenomen op 12-10-2026",
    "dl_inzichtelijk_rekenen": 60, "dle_inzichtelijk_rekenen": 26,
    "dl_begrijpend_lezen": 60, "dle_begrijpend_lezen": 28,
    "dl_technisch_lezen": 60, "dle_technisch_lezen": 41,
    "dl_spellen": 60, "dle_spellen": 35,
    "social_emotional": False, "social_emotional_evidence": "",
    "motivation": "",
}


def _pro(student, care, swv) -> int:
    application = _concept(student, "vo.tlv_pro", CALCULATION, care, receiving="Praktijkschool De Vaart")
    _sign(application, care, view="We hebben de praktijkschool bezocht; onze dochter wil daar graag naartoe.")
    application = services.act(application, Action.SUBMIT, {}, actor=care)
    services.act(application, Action.TAKE_UP, {}, actor=swv)
    return 1


def _lwoo_concept(student, care) -> int:
    values = {**CALCULATION, "iq": 86, "dle_inzichtelijk_rekenen": 40, "dle_begrijpend_lezen": 42,
              "dle_technisch_lezen": 50, "dle_spellen": 48}
    _concept(student, "vo.lwoo", values, care)
    return 1


def _otv(student, care) -> int:
    """An OTV the school decided (the Drenthe plugin's type), started from the OTV in the student's OPP (portal/opp/demo.py),
    with two evaluations ahead; 0 when the student has no OPP with an OTV."""
    plan = opp.opp_of(student)
    if plan is None or not plan.otv_hours:
        return 0
    application = services.create(student, "drenthe.otv", actor=care)
    prefilled = services.data_of(application)  # hours, period and reason from the OPP's handelingsdeel
    today = clock.today()
    start, end = dt.date.fromisoformat(prefilled["starts_on"]), dt.date.fromisoformat(prefilled["ends_on"])
    values = {**prefilled, "hours_less": int(prefilled["hours_less"]), "starts_on": start, "ends_on": end,
              "reason_text": f"{student.first_name} herstelt van een langdurige ziekte en bouwt de lesuren op; de "
                             "jeugdarts adviseert vier dagdelen per week, met thuis een vast werkprogramma.",
              "aid_answer": "nodig", "isd_requested_on": start - dt.timedelta(days=7),
              "first_evaluation_on": today + dt.timedelta(days=16), "second_evaluation_on": today + dt.timedelta(days=58)}
    application = services.save(application, application.version, values, "", actor=care)
    entry = Entry.get((Entry.student == student.id) & (Entry.source_type == opp.SOURCE_TYPE))
    services.share(application, entry_id=entry.id, need="opp", actor=care)
    _sign(application, care, view="Wij stemmen in met de kortere lesdagen zolang het herstel dat vraagt.")
    # The school board decides an OTV (the SWV takes no decision on it); the school records it, shared with the SWV.
    services.act(application, Action.RECORD_GRANTED, {"start": start, "end": end, services.OUTCOME_ON: today},
                 actor=care)
    return 1



DOA_TEXT = {
    "question": "{n} verzuimt structureel, er zijn conflicten thuis en op school, en de ingezette hulp sluit niet "
                "op elkaar aan.",
    "situation": "Onderwijs: OPP met aanvullende ondersteuning, nauwelijks voortgang. Zorg: wijkteam en jeugd-GGZ "
                 "betrokken. Leerplicht: melding gedaan, gesprek met de leerplichtambtenaar gevoerd.",
    "parents_view": "Ouders willen dat school en hulpverlening samen één plan maken en komen naar het overleg.",
    "student_view": "{n} wil weer naar school, maar in een kleinere groep en met één vaste begeleider.",
    "board_name": "mr. H. (Hester) Zandstra", "board_function": "voorzitter college van bestuur",
}


def _doa_vo(student, care, swv) -> int:
    """A DOA VO request (Drenthe, seed 004 §2.4) after the school's own phases, decided with its binding advice."""
    if route.current_traject(student) is not None:
        return 0
    opp_demo.agreed_opp(student, care)  # the additional support of phase 2.2 has its OPP, registered in the ROD
    route.transition(student, engine.Action.START, None, {engine.SIGNAL: route_demo.SIGNAL}, care)
    for _phase in range(2):
        route_demo._evaluate(student, care)
        route.transition(student, engine.Action.ADVANCE, None, {}, care)
    route_demo._evaluate(student, care)
    guardian = Guardian.select().where((Guardian.student == student.id) & Guardian.has_authority).first()
    consent.record(student, {"given_by": "guardian", "guardian": guardian, "purpose": "drenthe.aanvraag_doa_vo",
                             "recipient": "Samenwerkingsverband (DOA VO)", "given_on": clock.today()}, actor=care)
    values = {**_text(DOA_TEXT, student), "parents_attend": True, "student_attends": True,
              "board_signed_on": clock.today().isoformat()}
    application = _concept(student, "drenthe.aanvraag_doa_vo", values, care)
    _sign(application, care, view="Wij willen graag dat iedereen samen naar ons kind kijkt.")
    application = services.act(application, Action.SUBMIT, {}, actor=care)
    application = services.act(application, Action.TAKE_UP, {}, actor=swv)
    route.transition(student, engine.Action.ADVANCE, None, {}, swv)  # the SWV leads the DOA VO phase
    services.act(application, Action.GRANT, {
        "advice": "Het DOA VO adviseert een RET-traject: de zorgvraag van {n} overstijgt het bestaande aanbod; de "
                  "school houdt het onderwijs op afstand gaande.".format(n=student.first_name),
        "advised_step": "drenthe.ret", "evaluation_on": clock.today() + dt.timedelta(weeks=8),
        "verklarende_analyse": "Verzuim, spanningen thuis en een te grote klas versterken elkaar; {n} raakt "
                               "overprikkeld en trekt zich terug.".format(n=student.first_name)}, actor=swv)
    return 1
