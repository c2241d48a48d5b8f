"""The region's requests to the SWV as application types of the core's framework: DOA VO (seed 004 §2.4),
RET-Drenthe (§3.3) and the dossier APO (§2.3).

The dossier APO asks the SWV for expertise and advice (extra support, an arrangement or a TLV VSO); the SWV's
answer ("Toekennen" records the advice) is filed in the dossier like every decision. DOA VO and RET are led for the SWV (``lead_request``): the SWV user who takes the request up sees and moves the student's
traject in that phase. Their decision records the advice, which binds the next steps (DOA VO: bindend; RET:
zwaarwegend); the core shows it on the traject and refuses a step that departs from it without a reason.
Sources: ``docs/route-sources.md``.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField

from portal.plugin import at_most
from portal.plugin import StringField
from portal.plugin import (ADVICE_TEXT, ADVISED_STEP, ApplicationForm, ApplicationType, DecisionField, DocumentNeed,
                           RECORDED, is_real_text, latest_application, today, traject_state)

from portal_drenthe import reminders, route
from portal_drenthe.fields import date, named, text
from portal_drenthe.route import REAL_TEXT, acute_reasons, earlier_phases_open


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
                                validators=[at_most(200)])
    core_team_why = text(_l("Acute nood: onderbouwing uit dat overleg"))


DOA_TEXT_FIELDS = {"question": "de hulpvraag", "situation": "de stand van zaken van onderwijs, zorg en leerplicht",
                   "parents_view": "de zienswijze van de ouders", "student_view": "de zienswijze van de leerling"}


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
    open_phases = earlier_phases_open(traject_state(facts.student_id) if facts.student_id else None, route.DOA_VO)
    if open_phases:
        reasons.append("Een DOA VO vraagt u aan als de eerdere overlegfasen in deze cyclus volledig zijn doorlopen; nog niet "
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


ANALYSIS = "verklarende_analyse"  # decision field: the DOA VO's verklarende analyse (seed 004 §2.4)

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
        DecisionField(ANALYSIS, "Verklarende analyse van het DOA VO",
                      when=("granted",)),  # the RET's starting point (§3.3): the RET request offers it again
        DecisionField(ADVICE_TEXT, "Advies van het DOA VO"),
        DecisionField(ADVISED_STEP, "Bindend advies: de volgende stap", kind="choice", choices=DOA_ADVICE_STEPS),
        DecisionField("evaluation_on", "Evaluatie (6 tot 12 weken na het advies)", kind="date"),
    ),
    advice_only=True,  # an advice of the SWV's team, not a besluit: no objection (Awb 1:3)
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
    doa_analysis = text(_l("Verklarende analyse van het DOA VO"),
                        _l("Het vertrekpunt van het RET; overgenomen uit het advies van het DOA VO."))
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

def doa_analysis(student_id: int) -> dict:
    """A new RET request starts from the verklarende analyse of the student's latest DOA VO advice (§3.3)."""
    doa = latest_application(student_id, DOA_VO.key)
    analysis = doa.decision.get(ANALYSIS) if doa is not None and doa.status in ADVISED else None
    return {"doa_analysis": analysis} if analysis else {}


ADVISED = ("granted", "objection", "expired")  # a decision recorded and still readable

RET = ApplicationType(
    **named("drenthe.aanvraag_ret"),
    form=RetForm,
    starts_with=doa_analysis,
    documents=(DocumentNeed("plannen", "de plannen en evaluaties, met de verklarende analyse van het DOA VO",
                            required=False, source_types=("phase_plan",)),),
    guards=(ret_submit_guard,),
    decision_fields=(
        DecisionField(ADVICE_TEXT, "Advies van het RET-Drenthe"),
        DecisionField(ADVISED_STEP, "Zwaarwegend advies: de volgende stap", kind="choice", choices=RET_ADVICE_STEPS),
    ),
    advice_only=True,  # an advice of the SWV's team, not a besluit: no objection (Awb 1:3)
    legal_basis="Ondersteuningsplan SWV 22.02 Sterk VO Zuidoost-Drenthe, §3.3: het advies van het RET-Drenthe is "
                "zwaarwegend en niet vrijblijvend; alle partijen committeren zich eraan.",
    signatures=True,
    consent_purpose=True,
    lead_request=True,
    advice_weight="zwaarwegend",
)

# --- dossier APO: expertise and advice from the SWV (§2.3) -------------------------------------------------------

APO_TOPICS = (("", _l("— kies —")), ("extra_ondersteuning", _l("Extra (aanvullende) ondersteuning, externe dienstverlening")),
              ("arrangement", _l("Een arrangement")), ("tlv_vso", _l("Een toelaatbaarheidsverklaring (TLV) voor het VSO")),
              ("expertise", _l("Inzet van expertise (binnen de school of van andere scholen)")))
APO_ADVICE = (("extra_ondersteuning", "Extra ondersteuning (externe dienstverlening)"),
              ("arrangement", "Een arrangement"), ("tlv_vso", "Een TLV VSO aanvragen"),
              ("expertise", "Inzet van expertise binnen de school of van een andere school"),
              ("binnen_school", "Verder met de ondersteuning die de school al biedt"))


class ApoForm(ApplicationForm):
    question = text(_l("Hulpvraag aan het samenwerkingsverband"),
                    _l("Waarover wil de school expertise en advies van het samenwerkingsverband?"))
    topic = SelectField(_l("Advies gevraagd over"), choices=APO_TOPICS, validate_choice=False)
    support_so_far = text(_l("Ondersteuning tot nu toe en het effect"),
                          _l("De basis- en aanvullende ondersteuning, zoals het OPP die beschrijft."))
    parents_view = text(_l("Zienswijze van de ouders"))
    student_view = text(_l("Zienswijze van de leerling"))


APO_TEXT_FIELDS = {"question": "de hulpvraag", "support_so_far": "de ondersteuning tot nu toe en het effect",
                   "parents_view": "de zienswijze van de ouders"}


def apo_submit_guard(facts, action, data):
    """Before submitting: the question, what was done so far and the parents' view, and what advice is asked;
    a dossier APO is started in phase 2.3 (extern overleg) of the traject."""
    if action != "submit":
        return []
    values = facts.data
    reasons = [f"Beschrijf {label} ({REAL_TEXT})." for key, label in APO_TEXT_FIELDS.items()
               if not is_real_text(values.get(key))]
    if values.get("topic") not in {key for key, _label in APO_TOPICS if key}:
        reasons.append("Kies waarover de school advies vraagt.")
    state = traject_state(facts.student_id) if facts.student_id else None
    if state is None or state.current != route.EXTERN_EXTRA:
        reasons.append("Een dossier APO start de school in fase 2.3 (extern overleg, extra ondersteuning). Breng "
                       "het traject eerst in die fase.")
    return reasons


APO = ApplicationType(
    **named("drenthe.apo_dossier"),
    form=ApoForm,
    opp_fields={"support_so_far": "handelingsdeel"},
    documents=(DocumentNeed("plannen", "de plannen en evaluaties van de fasen van het traject",
                            help="Gaan automatisch mee: de plannen en evaluaties van de fasen van het traject.",
                            required=False, source_types=("phase_plan",)),),
    guards=(apo_submit_guard,),
    decision_fields=(
        DecisionField(ADVICE_TEXT, "Advies van het samenwerkingsverband"),
        DecisionField("advice_kind", "Het advies gaat over", kind="choice", choices=APO_ADVICE),
        DecisionField("expertise", "Ingezette of in te zetten expertise", required=False),
    ),
    advice_only=True,  # an advice of the SWV's team, not a besluit: no objection (Awb 1:3)
    legal_basis="Ondersteuningsplan SWV 22.02 Sterk VO Zuidoost-Drenthe, §2.3: de school start een dossier APO bij "
                "het samenwerkingsverband voor expertise en advies over extra ondersteuning, een arrangement of "
                "een TLV VSO.",
    signatures=False,
    ending_notice_days=None,
)

TYPES = (DOA_VO, RET, APO)
