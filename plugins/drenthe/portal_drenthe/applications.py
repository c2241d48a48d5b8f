"""The region's requests to the SWV as application types of the core's framework: DOA VO (seed 004 §2.4) and
RET-Drenthe (§3.3).

Both are led for the SWV (``lead_request``): the SWV user who takes the request up sees and moves the student's
traject in that phase. Their decision records the advice, which binds the next steps (DOA VO: bindend; RET:
zwaarwegend); the core shows it on the traject and refuses a step that departs from it without a reason.
Sources: ``docs/route-sources.md``.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import Length

from portal.plugin import StringField
from portal.plugin import (ADVICE_TEXT, ADVISED_STEP, JUSTIFICATION_MIN_CHARS, ApplicationForm, ApplicationType,
                           DecisionField, DocumentNeed, RECORDED, has_text, is_real_text, today, traject_state)

from portal_drenthe import reminders, route
from portal_drenthe.fields import date, named, text

REAL_TEXT = f"minstens {JUSTIFICATION_MIN_CHARS} tekens en drie woorden"


def _phase_label(key):
    return {p.key: p.label for p in route.PHASES}[key]


# --- DOA VO ----------------------------------------------------------------------------------------------------

class DoaVoForm(ApplicationForm):
    question = text(_l("Hulpvraag: de structurele problemen die het onderwijs belemmeren"))
    situation = text(_l("Stand van zaken: onderwijs, zorg en leerplicht"),
                      _l("De complete stand van zaken; de eerdere plannen en evaluaties gaan automatisch mee."))
    parents_view = text(_l("Zienswijze van de ouders"))
    parents_attend = BooleanField(_l("De ouders zijn bij het overleg aanwezig"))
    student_view = text(_l("Zienswijze van de leerling"))
    student_attends = BooleanField(_l("De leerling is bij het overleg aanwezig"))
    acute = BooleanField(_l("Acute nood: de eerdere overlegfasen zijn niet (alle) doorlopen"))
    core_team_on = date(_l("Acute nood: datum van het overleg met het kernteam DOA VO"), window=RECORDED)
    core_team_who = StringField(_l("Acute nood: met wie van het kernteam is overlegd"),
                                validators=[Length(max=200, message=_l("Hooguit 200 tekens."))])
    core_team_why = text(_l("Acute nood: onderbouwing uit dat overleg"))


DOA_TEXT_FIELDS = {"question": "de hulpvraag", "situation": "de stand van zaken van onderwijs, zorg en leerplicht",
                   "parents_view": "de zienswijze van de ouders", "student_view": "de zienswijze van de leerling"}


def earlier_phases_open(student_id: int | None) -> list[str]:
    """The phases before the DOA VO the student's traject has not completed (evaluated) in any cycle."""
    state = traject_state(student_id) if student_id else None
    if state is None or not state.route.has_phase(route.DOA_VO):
        return []
    return [p.label for p in state.route.before(route.DOA_VO) if not state.is_completed(p.key, any_cycle=True)]


def acute_reasons(data, *, on: str, who: str | None, why: str, whom: str) -> list[str]:
    """Acute nood counts only with the consultation written down: its date, with whom, and a real reason."""
    reasons = []
    if not data.get(on):
        reasons.append(f"Bij acute nood: vul de datum in van het overleg met {whom}.")
    if who and not has_text(data.get(who)):
        reasons.append(f"Bij acute nood: vul in met wie van {whom} is overlegd.")
    if not is_real_text(data.get(why)):
        reasons.append(f"Bij acute nood: onderbouw de aanvraag met de uitkomst van het overleg met {whom} "
                       f"({REAL_TEXT}).")
    return reasons


def doa_submit_guard(facts, action, data):
    """Before submitting: every part described, and the earlier phases completed or acute nood after consulting
    the DOA VO core team (seed 004 §2.4)."""
    if action != "submit":
        return []
    values = facts.data
    reasons = [f"Beschrijf {label} ({REAL_TEXT})." for key, label in DOA_TEXT_FIELDS.items()
               if not is_real_text(values.get(key))]
    if values.get("acute"):
        return reasons + acute_reasons(values, on="core_team_on", who="core_team_who", why="core_team_why",
                                       whom="het kernteam van het DOA VO")
    open_phases = earlier_phases_open(facts.student_id)
    if open_phases:
        reasons.append("Een DOA VO vraagt u aan als de eerdere overlegfasen volledig zijn doorlopen; nog niet "
                       f"afgerond: {', '.join(open_phases)}. Alternatief: kies 'acute nood' en leg het overleg "
                       "met het kernteam van het DOA VO vast.")
    return reasons


def doa_decision_guard(facts, action, data):
    """The advice plans its evaluation 6 to 12 weeks ahead (seed 004 §2.4)."""
    day = data.get("evaluation_on")
    if action != "grant" or not isinstance(day, dt.date):
        return []
    weeks = (day - today()).days / 7
    if reminders.EARLIEST <= weeks <= reminders.LATEST:
        return []
    return [f"Plan de evaluatie {reminders.EARLIEST} tot {reminders.LATEST} weken na het advies."]


DOA_ADVICE_STEPS = (
    (route.EXTERN_EXTRA, "Verder in 2.3 extern overleg, met het bijgestelde plan"),
    (route.VERVOLG, _phase_label(route.VERVOLG)),
    (route.RET, _phase_label(route.RET)),
    (route.DOA_VO, "Opnieuw een DOA VO (na de evaluatie)"),
)

DOA_VO = ApplicationType(
    **named("drenthe.aanvraag_doa_vo"),
    form=DoaVoForm,
    opp_fields={"situation": "handelingsdeel"},  # the support given so far, as the OPP describes it
    documents=(DocumentNeed("plannen", "alle eerdere plannen van aanpak en evaluaties",
                            help="Gaan automatisch mee: de plannen en evaluaties van de fasen van het traject.",
                            required=False, source_types=("phase_plan",)),),
    guards=(doa_submit_guard, doa_decision_guard),
    decision_fields=(
        DecisionField(ADVICE_TEXT, "Advies van het DOA VO"),
        DecisionField(ADVISED_STEP, "Bindend advies: de volgende stap", kind="choice", choices=DOA_ADVICE_STEPS),
        DecisionField("evaluation_on", "Evaluatie (6 tot 12 weken na het advies)", kind="date"),
    ),
    legal_basis="Ondersteuningsplan SWV 22.02 Sterk VO Zuidoost-Drenthe, §2.4: het advies van het DOA VO is "
                "bindend voor de verdere stappen in de overlegstructuur.",
    signatures=True,
    board_signature=True,
    consent_purpose=True,
    lead_request=True,
    starts_from_previous=True,
    follow_ups=(reminders.DOA_VO_EVALUATION.key,),
)


# --- RET-Drenthe -----------------------------------------------------------------------------------------------

class RetForm(ApplicationForm):
    question = text(_l("Hulpvraag van leerling en ouders"))
    advice_shortfall = text(_l("Waarom het advies van het DOA VO niet toereikend bleek"),
                             _l("Wat school, samenwerkingsverband en het DOA VO deden en waarom dat niet genoeg was."))
    acute = BooleanField(_l("Acute nood: eerst overlegd met de voorzitter van het RET-Drenthe"))
    chair_on = date(_l("Acute nood: datum van het overleg met de voorzitter van het RET"), window=RECORDED)
    chair_why = text(_l("Acute nood: onderbouwing uit dat overleg"))


def ret_submit_guard(facts, action, data):
    """Before submitting: the DOA VO advice proved insufficient (a completed DOA VO and why), or acute nood after
    consulting the RET chair (seed 004 §3.3)."""
    if action != "submit":
        return []
    values = facts.data
    reasons = [] if is_real_text(values.get("question")) else [f"Beschrijf de hulpvraag ({REAL_TEXT})."]
    if values.get("acute"):
        return reasons + acute_reasons(values, on="chair_on", who=None, why="chair_why",
                                       whom="de voorzitter van het RET-Drenthe")
    state = traject_state(facts.student_id) if facts.student_id else None
    alternative = " Alternatief: kies 'acute nood' na overleg met de voorzitter van het RET-Drenthe."
    if state is None or not state.is_completed(route.DOA_VO, any_cycle=True):
        reasons.append("Het RET-Drenthe vraagt u aan als het advies van een afgerond (geëvalueerd) DOA VO niet "
                       "toereikend bleek." + alternative)
    if not is_real_text(values.get("advice_shortfall")):
        reasons.append(f"Licht toe waarom het advies van het DOA VO niet toereikend bleek ({REAL_TEXT})."
                       + alternative)
    return reasons


RET_ADVICE_STEPS = (
    (route.VERVOLG, _phase_label(route.VERVOLG)),
    (route.DOA_VO, "Terug naar het DOA VO, met extra ondersteuning"),
    (route.EXTERN_EXTRA, "Verder in 2.3 extern overleg, met het advies van het RET"),
)

RET = ApplicationType(
    **named("drenthe.aanvraag_ret"),
    form=RetForm,
    documents=(DocumentNeed("plannen", "de plannen en evaluaties, met de verklarende analyse van het DOA VO",
                            required=False, source_types=("phase_plan",)),),
    guards=(ret_submit_guard,),
    decision_fields=(
        DecisionField(ADVICE_TEXT, "Advies van het RET-Drenthe"),
        DecisionField(ADVISED_STEP, "Zwaarwegend advies: de volgende stap", kind="choice", choices=RET_ADVICE_STEPS),
    ),
    legal_basis="Ondersteuningsplan SWV 22.02 Sterk VO Zuidoost-Drenthe, §3.3: het advies van het RET-Drenthe is "
                "zwaarwegend en niet vrijblijvend; alle partijen committeren zich eraan.",
    signatures=True,
    consent_purpose=True,
    lead_request=True,
    advice_weight="zwaarwegend",
)

TYPES = (DOA_VO, RET)
