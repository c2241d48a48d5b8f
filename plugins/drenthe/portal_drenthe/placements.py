"""The region's other requests, as application types of the framework: onderwijstijdverkorting (OTV, annex 3),
vrijstelling leerplicht (§3.2) and the transfer to MBO or HBO (§3.1); with the reminders each one needs.

None of them is the SWV's decision (seed 004 §3.1, §3.2, annex 3), so each type names its real ``decider``: the
school board decides an OTV (with the inspectorate's instemming through the ISD where its decision aid says so),
the leerplicht officer a vrijstelling on the parents' request (the school advises), the receiving institution an
admission to MBO or HBO. The school records the outcome itself; there is no "Toekennen" at the SWV and no objection
with the SWV. An OTV (named in phase 2.3, the external consultation with the SWV) and a vrijstelling (the SWV
registers such a young person at WEL in Ontwikkeling, §2.4) are shared with the SWV for information.
Sources: ``docs/route-sources.md``.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import NumberRange, Optional

from portal.plugin import at_most
from portal.plugin import StringField
from portal.plugin import (FILING_ACTIONS, RECORDED, ApplicationForm, ApplicationType, DecisionField, DocumentNeed,
                           DueItem, FALLBACK_ROLE, ReminderKind, Scope, WholeNumberField, applications_of, is_real_text,
                           opp_facts, today)

from portal_drenthe.fields import date, named, text

SEED = "Seed 004 (SWV VO 22.02)"
OTV = "drenthe.otv"
VRIJSTELLING = "drenthe.vrijstelling_leerplicht"
MBO_HBO = "drenthe.overdracht_mbo_hbo"
DECISION_AID = "https://isd.owinsp.nl/#/public/keuzehulp-onderwijstijd/"
# The free-text descriptions: these must say something (``is_real_text``), not hold a single character.
DESCRIPTIONS = frozenset({"reason_text", "school_advice", "place_outside", "return_prospects", "support_agreed"})
OPEN = ("submitted", "in_review", "addition_requested", "granted", "objection")  # not a concept, not ended

START = DecisionField(key="start", label="Begindatum", kind="date")
END = DecisionField(key="end", label="Einddatum", kind="date")



def _missing(facts, labels: dict[str, str]) -> list[str]:
    """'Vul in: ...' for each named field the school left empty; a description must be real text."""
    reasons = []
    for key, label in labels.items():
        value = facts.data.get(key)
        filled = is_real_text(value) if key in DESCRIPTIONS else value not in (None, "", [])
        if not filled:
            reasons.append(f"Vul in: {label}.")
    return reasons


def _day(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# --- onderwijstijdverkorting (annex 3) --------------------------------------------------------------------------

OTV_REASONS = (("", _l("— kies —")), ("medisch", _l("Medische aandoening")), ("beperking", _l("Beperking")),
               ("persoonlijk", _l("Bijzondere persoonlijke situatie")))
AID_ANSWERS = (("", _l("— kies —")), ("nodig", _l("Instemming van de inspectie is nodig")),
               ("niet_nodig", _l("Instemming van de inspectie is niet nodig")))


class OtvForm(ApplicationForm):
    reason = SelectField(_l("Reden"), choices=OTV_REASONS, validate_choice=False)
    reason_text = text(_l("Toelichting"), _l("Waarom kan de leerling niet alle lesuren volgen?"))
    hours_less = WholeNumberField(
        _l("Lesuren per week minder"), description=_l("Zoals in het handelingsdeel van het OPP."),
        validators=[Optional(), NumberRange(1, 40, message=_l("Vul een aantal uren in van 1 tot en met 40."))],
        render_kw={"min": 1, "max": 40, "inputmode": "numeric"})
    starts_on = date(_l("Begint op"))
    ends_on = date(_l("Eindigt op"), _l("Een OTV is tijdelijk: zij heeft een einddatum."))
    aid_answer = SelectField(_l("Uitkomst van de keuzehulp afwijking onderwijstijd"), choices=AID_ANSWERS,
                             validate_choice=False,
                             description=_l("De keuzehulp van de inspectie: https://isd.owinsp.nl/#/public/"
                                            "keuzehulp-onderwijstijd/"))
    isd_requested_on = date(_l("Instemming aangevraagd via het Internet Schooldossier op"),
                             _l("Alleen als de keuzehulp zegt dat instemming nodig is."), RECORDED)
    first_evaluation_on = date(_l("Eerste evaluatie op"))
    second_evaluation_on = date(_l("Tweede evaluatie op (optioneel)"))


OTV_REQUIRED = {"reason": "de reden", "reason_text": "de toelichting", "hours_less": "de lesuren per week minder",
                "starts_on": "de begindatum", "ends_on": "de einddatum",
                "aid_answer": "de uitkomst van de keuzehulp van de inspectie",
                "first_evaluation_on": "de datum van de eerste evaluatie"}


def otv_guard(facts, action, data):
    """Before recording the decision: the whole request, a temporary period, the decision aid's answer and the
    OPP."""
    if action not in FILING_ACTIONS:
        return []
    reasons = _missing(facts, OTV_REQUIRED)
    start, end = _day(facts.data.get("starts_on")), _day(facts.data.get("ends_on"))
    if start and end and end <= start:
        reasons.append("De einddatum van de OTV ligt niet na de begindatum.")
    first = _day(facts.data.get("first_evaluation_on"))
    if first and start and end and not start < first <= end:
        reasons.append("Plan de eerste evaluatie binnen de periode van de OTV.")
    if facts.data.get("aid_answer") == "nodig" and not facts.data.get("isd_requested_on"):
        reasons.append("De keuzehulp zegt dat instemming van de inspectie nodig is: vul in wanneer de school die "
                       "via het Internet Schooldossier aanvroeg.")
    return reasons + _opp_reasons(facts)


def _opp_reasons(facts) -> list[str]:
    """An OTV is part of the OPP's handelingsdeel, with the instemming that needs: the OPP holds the same OTV."""
    opp = opp_facts(facts.student_id)
    if not opp.present or not opp.otv_hours:
        return ["Een OTV maakt deel uit van het OPP: neem haar op in het handelingsdeel (uren, periode en reden)."]
    reasons = []
    asked = (_whole(facts.data.get("hours_less")), _day(facts.data.get("starts_on")), _day(facts.data.get("ends_on")))
    if asked != (opp.otv_hours, opp.otv_from, opp.otv_until):
        reasons.append(f"De aanvraag wijkt af van de OTV in het OPP ({opp.otv_hours} uur per week minder, van "
                       f"{_shown(opp.otv_from)} tot en met {_shown(opp.otv_until)}): pas de aanvraag of het OPP aan.")
    if not opp.handelingsdeel_agreed:
        reasons.append("Er is nog geen instemming met het handelingsdeel van het OPP waarin de OTV staat: leg die "
                       "eerst vast bij het OPP.")
    return reasons


def _whole(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _shown(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "?"


OTV_TYPE = ApplicationType(
    **named(OTV),
    form=OtvForm,
    opp_fields={"hours_less": "otv_hours", "starts_on": "otv_from", "ends_on": "otv_until", "reason": "otv_reason"},
    ending_notice_days=14,
    documents=(DocumentNeed("opp", "het ontwikkelingsperspectiefplan (OPP) met de OTV in het handelingsdeel"),
               DocumentNeed("medisch", "een medische verklaring of ander onderzoek", required=False)),
    guards=(otv_guard,),
    decision_fields=(START, END),
    decider="school",
    inform_swv=True,
    legal_basis="Wet voortgezet onderwijs 2020 en het Inrichtingsbesluit WVO 2020 over de onderwijstijd: het "
                "bevoegd gezag mag voor een leerling tijdelijk afwijken van de onderwijstijd, als deel van het "
                "ontwikkelingsperspectief, en vraagt waar nodig instemming van de inspectie.",
)


# --- vrijstelling leerplicht (§3.2) -----------------------------------------------------------------------------

class VrijstellingForm(ApplicationForm):
    parents_requested_on = date(_l("Ouders vroegen de vrijstelling aan op"), window=RECORDED)
    attendance_officer = StringField(_l("Leerplichtambtenaar (naam en gemeente)"), validators=[
        at_most(200)])
    school_advice = text(_l("Advies van de school"),
                          _l("Waarom de ondersteuningsbehoefte ook het VSO met maatwerk overstijgt."))
    place_outside = text(_l("Plek buiten het onderwijs"),
                          _l("Waar en hoe de leerling zich buiten het onderwijs verder ontwikkelt."))
    return_prospects = text(_l("Terugkeer naar het onderwijs"),
                             _l("Wat er nodig is voor een mogelijke terugkeer; dit komt bij elke evaluatie terug."))
    first_evaluation_on = date(_l("Eerste evaluatie op"), _l("Daarna elk jaar opnieuw, zolang de vrijstelling "
                                                               "loopt."))


VRIJSTELLING_REQUIRED = {"parents_requested_on": "wanneer de ouders de vrijstelling aanvroegen",
                         "attendance_officer": "de leerplichtambtenaar", "school_advice": "het advies van de school",
                         "place_outside": "de plek buiten het onderwijs",
                         "return_prospects": "wat nodig is voor een terugkeer naar het onderwijs",
                         "first_evaluation_on": "de datum van de eerste evaluatie"}


def vrijstelling_guard(facts, action, data):
    return _missing(facts, VRIJSTELLING_REQUIRED) if action in FILING_ACTIONS else []


VRIJSTELLING_TYPE = ApplicationType(
    **named(VRIJSTELLING),
    form=VrijstellingForm,
    documents=(DocumentNeed("onderbouwing", "de onderbouwing uit het dossier (OPP, verslagen van het overleg)"),),
    guards=(vrijstelling_guard,),
    decision_fields=(START, DecisionField(key="end", label="Einddatum", kind="date", required=False)),
    decider="leerplicht",
    inform_swv=True,
    legal_basis="Leerplichtwet 1969: vrijstelling op verzoek van de ouders, beoordeeld door de leerplichtambtenaar.",
)


# --- transfer to MBO or HBO (§3.1) ------------------------------------------------------------------------------

EVALUATION_WEEKS = 8  # "in de eerste maanden na de plaatsing": the default evaluation date
EVALUATION_MAX_DAYS = 183  # an evaluation later than half a year is no longer "in the first months"


class MboHboForm(ApplicationForm):
    institution = StringField(_l("Ontvangende instelling"), validators=[
        at_most(200)])
    programme = StringField(_l("Opleiding en niveau"), validators=[
        at_most(200)])
    contact = StringField(_l("Contactpersoon bij de instelling"), validators=[
        at_most(200)])
    placed_on = date(_l("Start van de plaatsing"))
    support_agreed = text(_l("Afgesproken ondersteuning"),
                           _l("Extra begeleiding, arbeidstoeleiding of andere afspraken met de instelling."))
    evaluation_on = date(_l("Evaluatie op"), _l("In de eerste maanden na de plaatsing; leeg: acht weken na de "
                                                 "start."))


MBO_HBO_REQUIRED = {"institution": "de ontvangende instelling", "programme": "de opleiding",
                    "placed_on": "de start van de plaatsing", "support_agreed": "de afgesproken ondersteuning"}


def mbo_hbo_guard(facts, action, data):
    if action not in FILING_ACTIONS:
        return []
    reasons = _missing(facts, MBO_HBO_REQUIRED)
    placed, evaluation = _day(facts.data.get("placed_on")), _day(facts.data.get("evaluation_on"))
    if placed and evaluation and not 0 < (evaluation - placed).days <= EVALUATION_MAX_DAYS:
        reasons.append("Plan de evaluatie in de eerste maanden na de plaatsing (binnen een half jaar na de start).")
    return reasons


MBO_HBO_TYPE = ApplicationType(
    **named(MBO_HBO),
    form=MboHboForm,
    documents=(DocumentNeed("overdracht", "het overdrachtsdossier of het OPP", required=False),),
    guards=(mbo_hbo_guard,),
    decision_fields=(START,),
    decider="receiving_institution",
)

TYPES = [OTV_TYPE, VRIJSTELLING_TYPE, MBO_HBO_TYPE]



# --- reminders --------------------------------------------------------------------------------------------------

def _otv_evaluations(scope: Scope):
    for item in applications_of(scope, [OTV], OPEN):
        for n, key in enumerate(("first_evaluation_on", "second_evaluation_on"), start=1):
            day = _day(item.data.get(key))
            if day:
                yield DueItem(object_id=f"{item.id}-{n}", due_date=day, school_id=item.school_id,
                              student_id=item.student_id, title=f"Evaluatie van de OTV van {item.student_name}",
                              link=item.link, roles=(FALLBACK_ROLE,))


def next_yearly(first: dt.date, today: dt.date) -> dt.date:
    """The first of the yearly dates from ``first`` that is not more than two weeks past."""
    day, years = first, 0
    while day < today - dt.timedelta(days=14):
        years += 1
        day = _add_years(first, years)
    return day


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _vrijstelling_evaluations(scope: Scope):
    day = today()
    for item in applications_of(scope, [VRIJSTELLING], OPEN):
        first = _day(item.data.get("first_evaluation_on"))
        end = _day(item.decision.get("end"))
        if first is None or (end and end < day):
            continue
        yield DueItem(object_id=item.id, due_date=next_yearly(first, day), school_id=item.school_id,
                      student_id=item.student_id,
                      title=f"Evaluatie van de vrijstelling van {item.student_name}: is terugkeer naar het "
                            f"onderwijs mogelijk?", link=item.link, roles=(FALLBACK_ROLE,))


def _mbo_hbo_evaluations(scope: Scope):
    for item in applications_of(scope, [MBO_HBO], OPEN):
        placed = _day(item.decision.get("start")) or _day(item.data.get("placed_on"))
        due = _day(item.data.get("evaluation_on")) or (placed + dt.timedelta(weeks=EVALUATION_WEEKS) if placed
                                                       else None)
        if due:
            yield DueItem(object_id=item.id, due_date=due, school_id=item.school_id, student_id=item.student_id,
                          title=f"Evaluatie van de plaatsing in het MBO of HBO van {item.student_name}",
                          link=item.link, roles=(FALLBACK_ROLE,))


REMINDERS = [
    ReminderKind(key="drenthe.otv_evaluation", label="Evaluatie van een onderwijstijdverkorting",
                 items=_otv_evaluations, offsets=(-7, 1),
                 recipients_label="De zorgcoördinator(en) van de school, een week voor en een dag na de datum"),
    ReminderKind(key="drenthe.vrijstelling_evaluation", label="Jaarlijkse evaluatie van een vrijstelling",
                 items=_vrijstelling_evaluations, offsets=(-14, 1),
                 recipients_label="De zorgcoördinator(en) van de school, twee weken voor de evaluatie"),
    ReminderKind(key="drenthe.mbo_hbo_evaluation", label="Evaluatie na een overstap naar MBO of HBO",
                 items=_mbo_hbo_evaluations, offsets=(-7, 1),
                 recipients_label="De zorgcoördinator(en) van de school, een week voor de evaluatie"),
]
