"""The route of SWV 22.02 Sterk VO Zuidoost-Drenthe for its VO schools (seed 004).

The overlegstructuur of chapter 2 (2.1 intern basis, 2.2 intern aanvullend, 2.3 extern extra, 2.4 DOA VO) and
the follow-up options of chapter 3. Meeting types and forms of the vo plugin ("vo.mdo", "vo.mdo_t",
"vo.tlv_vso") are named by key only and resolved through the core's registry: this module never imports the vo
plugin. Pure data plus three guards; texts paraphrase the seed.
"""

from __future__ import annotations

from portal.plugin import (JUSTIFICATION_MIN_CHARS, day_of, Action, EntryPoint, FormType, Guard, MeetingType, Phase, Route,
                           TrajectState, TransitionField, has_text, is_real_text, latest_application, opp_facts,
                           school_info, student_info, today)

SEED = "seed 004"

INTERN_BASIS = "drenthe.intern_basis"
INTERN_AANVULLEND = "drenthe.intern_aanvullend"
EXTERN_EXTRA = "drenthe.extern_extra"
DOA_VO = "drenthe.doa_vo"
VERVOLG = "drenthe.vervolg"
RET = "drenthe.ret"

# Keys of the transition data these guards read (the core's forms fill them). The acute-nood consultation asks what
# the request asks (``rules.acute_reasons``): its date, with whom, and a real reason.
DOA_CORE_TEAM_ON = "doa_core_team_on"  # date of the consultation with the DOA VO core team
DOA_CORE_TEAM_WHO = "doa_core_team_who"  # with whom of the core team
DOA_CORE_TEAM_WHY = "doa_core_team_why"  # the justification from that consultation
RET_CHAIR_ON = "ret_chair_on"  # date of the consultation with the RET chair
RET_CHAIR_WHY = "ret_chair_why"  # the justification from that consultation
ADVICE_SHORTFALL = "advice_shortfall"  # text: why school, SWV and DOA VO advice fell short
NO_ADDITIONAL_SUPPORT = "no_additional_support"  # text: why the ondersteuningsteam found none is needed (2.2)

# The requests whose answers the transition form offers (their field name -> the transition field), so the SWV
# moving the traject reads what the school recorded instead of typing it again.
DOA_REQUEST, RET_REQUEST = "drenthe.aanvraag_doa_vo", "drenthe.aanvraag_ret"
DOA_REQUEST_FIELDS = {"core_team_on": DOA_CORE_TEAM_ON, "core_team_who": DOA_CORE_TEAM_WHO,
                      "core_team_why": DOA_CORE_TEAM_WHY}
RET_REQUEST_FIELDS = {"chair_on": RET_CHAIR_ON, "chair_why": RET_CHAIR_WHY}
SUBMITTED = ("submitted", "in_review", "addition_requested", "granted")

PHASES = (
    Phase(
        key=INTERN_BASIS,
        label="2.1 Intern overleg – basisondersteuning",
        purpose="De mentor of docent ziet een probleem (leerprestaties, gedrag, sociaal-emotionele "
                "ontwikkeling, verzuim), verkent met de leerling wat nodig is, stemt met de ouders eenvoudige "
                "interventies af en brengt de leerling in bij het docententeam of kernteam.",
        lead_roles=("mentor",),
        lead_label="Mentor of docent",
        meeting_types=("drenthe.mentorgesprek", "drenthe.oudercontact", "drenthe.teambespreking"),
        source=f"{SEED}, §2.1",
        order=10,
        dossier_items=(
            "De ingezette ondersteuning, de doelen en de evaluatie daarvan: wat werkt wel en wat niet.",
            "Een verzuimoverzicht, als verzuim een rol speelt.",
        ),
        notes=("Wat onder basisondersteuning valt, staat in het ondersteuningsplan van het "
               "samenwerkingsverband.",),
    ),
    Phase(
        key=INTERN_AANVULLEND,
        label="2.2 Intern overleg – aanvullende ondersteuning",
        purpose="Als de basisondersteuning niet volstaat, analyseert het ondersteuningsteam van de school de "
                "problematiek en stelt aanvullende ondersteuning voor: didactisch, sociaal-emotioneel of "
                "fysiek, of extra tijd en aanpassingen bij toetsen en examens. Zo nodig krijgen ouders het "
                "advies om diagnostiek te laten doen, of volgt een verwijzing als de behoefte de schoolgids "
                "overstijgt.",
        lead_roles=("zorg",),
        lead_label="Ondersteuningscoördinator, met het ondersteuningsteam",
        meeting_types=("drenthe.ondersteuningsteam",),
        jeugdhulp_contributions=(
            "Schoolmaatschappelijk werk kan deelnemen aan het ondersteuningsteam.",
            "Een orthopedagoog of gedragsdeskundige kan observeren en handelingsadviezen geven.",
            "Adviezen van bijvoorbeeld een orthopedagoog of jeugdarts worden in het dossier bewaard.",
        ),
        source=f"{SEED}, §2.2",
        order=20,
        dossier_items=(
            "Signalen en observaties: een beschrijving van de leer- of gedragsproblemen en de informatie van "
            "docenten, mentor, ouders en deskundigen.",
            "Verslagen van onderzoek en diagnostiek en de adviezen van deskundigen, voor zover van toepassing.",
            "Het OPP, opgesteld in overleg met ouders, leerling en deskundigen.",
            "Evaluaties en bijstellingen op grond van de voortgang.",
            "Verslagen van oudergesprekken en de vastgelegde toestemming voor aanvullende of extra "
            "ondersteuning of een verwijzing.",
        ),
        notes=(
            "Aanvullende ondersteuning in het regulier VO vraagt een OPP, dat in het Register "
            "Onderwijsdeelnemers (ROD) wordt geregistreerd.",
            "Scholen voor PRO en VSO stellen voor iedere leerling een OPP op en registreren dat niet apart.",
        ),
    ),
    Phase(
        key=EXTERN_EXTRA,
        label="2.3 Extern overleg – extra ondersteuning",
        purpose="De school start een dossier APO bij het samenwerkingsverband en schakelt expertise in, direct "
                "of via het SWV, ook van andere scholen; het advies kan gaan over extra ondersteuning, een "
                "arrangement of een TLV VSO. In een casusoverleg met externe partners wordt een integrale "
                "aanpak gezocht; bij complexe of meervoudige problematiek volgt een MDO met alle relevante "
                "partners.",
        lead_roles=("zorg", "swv"),
        lead_label="Ondersteuningscoördinator, met het samenwerkingsverband",
        meeting_types=("drenthe.apo_overleg", "drenthe.casusoverleg", "vo.mdo"),
        forms=("drenthe.apo_dossier", "drenthe.otv", "vo.lwoo"),
        jeugdhulp_contributions=(
            "Jeugdarts, leerplichtambtenaar, maatschappelijk werk en sociale en wijkteams zoeken in het "
            "casusoverleg samen naar een aanpak die thuis en school verbindt.",
            "Het overleg kan leiden tot jeugdhulp, een zorgindicatie, een traject met leerplicht, maatwerk of "
            "onderwijstijdverkorting (OTV).",
            "Bij het MDO kunnen ook GGD, Veilig Thuis of Jeugdbescherming aanschuiven.",
        ),
        source=f"{SEED}, §2.3",
        order=30,
        dossier_items=(
            "Een integraal plan van aanpak waarmee de betrokken partijen hebben ingestemd.",
            "Evaluaties en bijstellingen van het plan op grond van de voortgang.",
            "Na afloop van het plan: de richting voor het vervolg.",
        ),
        notes=("Dagbesteding via de sociale teams is mogelijk, maar hoort niet bij het onderwijs.",),
    ),
    Phase(
        key=DOA_VO,
        label="2.4 DOA VO (Domein Overstijgend Analyseteam)",
        purpose="Bij complexe, meervoudige problematiek die meerdere domeinen raakt, analyseert het DOA VO de "
                "situatie breed en multidisciplinair, met zorginstanties die nog niet betrokken hoeven te zijn. "
                "De aanvraag loopt via het SWV; alle eerdere plannen en evaluaties en de volledige stand van "
                "onderwijs, zorg en leerplicht worden gedeeld.",
        lead_roles=("swv",),
        lead_label="Samenwerkingsverband (DOA VO), op aanvraag van de school",
        meeting_types=("drenthe.doa_kernteam", "drenthe.doa_bespreking", "drenthe.doa_evaluatie"),
        forms=("drenthe.aanvraag_doa_vo",),
        jeugdhulp_contributions=(
            "Meerdere zorginstanties nemen deel aan het DOA VO, ook als zij de leerling nog niet kennen.",
        ),
        source=f"{SEED}, §2.4",
        order=40,
        evaluation_weeks=(6, 12),
        binding_advice=True,
        alternatives=(RET,),  # ch. 3: RET is a choice next to the follow-up options, not a skip of 3.1-3.2
        dossier_items=(
            "De aanvraag met het toestemmingsformulier, ondertekend door het bevoegd gezag.",
            "De gedeelde plannen van aanpak en evaluaties.",
            "De zienswijze van ouders en leerling en of zij bij het overleg aanwezig waren.",
        ),
        notes=(
            "Eerst moeten de eerdere overlegfasen volledig zijn doorlopen; bij acute nood overlegt de school "
            "vooraf met het kernteam van het DOA VO om de aanvraag te onderbouwen.",
            "Het DOA VO werkt (op termijn) met een verklarende analyse.",
            "Na 6 tot 12 weken volgt een evaluatie: werkt het traject, is bijstelling nodig, of is een nieuw "
            "DOA VO nodig?",
            "Het advies van het DOA VO is bindend voor de volgende stappen.",
            "Het DOA VO is er onder meer voor leerlingen na de overgang PO-VO bij wie intern en extern overleg "
            "niet hielp, voor wie terugkomt uit het RET-Drenthe of uit een residentiële plaatsing, voor "
            "thuiszitters, en voor leerlingen zonder school (zie de ingang WEL in Ontwikkeling).",
        ),
    ),
    Phase(
        key=VERVOLG,
        label="3.1–3.2 Vervolgopties: doorstroom, toeleiding of vrijstelling",
        purpose="Als het regulier VO niet genoeg ondersteuning kan bieden, zorgvuldig en onderbouwd zoeken "
                "naar een andere plek: een school met passende ondersteuning (TLV VSO), een overstap naar MBO "
                "of HBO met extra begeleiding, een zorgtraject, of als uiterste optie vrijstelling van de "
                "leerplicht.",
        lead_roles=("zorg", "swv"),
        lead_label="Ondersteuningscoördinator, met het samenwerkingsverband",
        meeting_types=("vo.mdo_t", "drenthe.evaluatie_plaatsing"),
        forms=("vo.tlv_vso", "vo.tlv_pro", "drenthe.overdracht_mbo_hbo", "drenthe.vrijstelling_leerplicht"),
        jeugdhulp_contributions=(
            "De leerplichtinstantie ondersteunt ouders bij een aanvraag voor vrijstelling.",
        ),
        source=f"{SEED}, §3.1 en §3.2",
        order=50,
        notes=(
            "Een TLV VSO wordt bij het SWV aangevraagd als de behoefte het regulier VO overstijgt en alle "
            "mogelijkheden daar zijn benut.",
            "Na een overstap naar MBO of HBO wordt in de eerste maanden geëvalueerd of de leerling goed "
            "functioneert.",
            "Bij vrijstelling wordt onderzocht waar de leerling buiten het onderwijs tot ontwikkeling kan "
            "komen; een mogelijke terugkeer naar het onderwijs hoort bij elke evaluatie.",
        ),
    ),
    Phase(
        key=RET,
        label="3.3 RET-Drenthe (Regionaal Expertteam Jeugd)",
        purpose="Als school, SWV en het DOA VO geen toereikende oplossing vinden, zoekt het RET-Drenthe, een "
                "provinciale samenwerking van onderwijs en jeugdhulp, een passende oplossing met perspectief, "
                "vertrekkend vanuit het gewone leven van de leerling en de vraag van leerling en ouders.",
        lead_roles=("swv",),
        lead_label="Samenwerkingsverband, met het RET-Drenthe",
        meeting_types=("drenthe.ret_voorzitter", "drenthe.ret_overleg"),
        forms=("drenthe.aanvraag_ret",),
        jeugdhulp_contributions=(
            "Experts uit onderwijs en jeugdhulp adviseren over passende jeugdhulp of onderwijs voor leerling "
            "en gezin.",
            "Zij doen voorstellen om de samenwerking te versterken, bedenken interventies buiten het "
            "standaardaanbod en bemiddelen als de samenwerking vastloopt.",
            "Zij helpen de adviezen uit te voeren.",
        ),
        source=f"{SEED}, §3.3",
        order=60,
        binding_advice=True,
        alternatives=(VERVOLG, DOA_VO),  # its advice may lead to a placement, or back to the DOA VO (§2.4)
        notes=(
            "Typische situaties: professionals missen kennis of ervaring, partijen werken niet goed samen, of "
            "de nodige zorg of onderwijsplek bestaat niet in het huidige (regionale) aanbod.",
            "Het RET gebruikt de verklarende analyse van het DOA VO als vertrekpunt.",
            "Het advies is zwaarwegend: alle partijen verbinden zich eraan, ook wie niet bij het overleg was.",
        ),
    ),
)

ENTRY_POINTS = (
    EntryPoint(
        key="drenthe.wel_in_ontwikkeling",
        label="Aanmelding via WEL in Ontwikkeling",
        description="Voor een leerling met een vrijstelling die bij geen school staat ingeschreven maar wel kan "
                    "ontwikkelen. Eerdere overleggen zijn dan niet mogelijk; het SWV meldt de leerling aan en "
                    "het traject begint bij het DOA VO.",
        start_phase=DOA_VO,
        source=f"{SEED}, §2.4 (voor wie het DOA VO kan worden ingezet)",
    ),
)

MEETING_TYPES = (
    MeetingType(
        key="drenthe.mentorgesprek",
        label="Mentor- of coachgesprek met de leerling",
        description="De mentor of docent verkent met de leerling wat er speelt en wat kan helpen.",
        default_participants=("Mentor of docent", "Leerling"),
        default_agenda=("Signaal: leerprestaties, gedrag, sociaal-emotionele ontwikkeling of verzuim",
                        "Behoeften van de leerling", "Mogelijke oplossingen"),
        source=f"{SEED}, §2.1 (mentor-/coachgesprek)",
    ),
    MeetingType(
        key="drenthe.oudercontact",
        label="Oudercontact",
        description="De mentor of docent informeert de ouders en spreekt eenvoudige interventies af.",
        default_participants=("Mentor of docent", "Ouders/verzorgers"),
        default_agenda=("Mogelijke oorzaken", "Ondersteuning door mentor of docent",
                        "Eenvoudige interventies (extra begeleiding, aanpassingen in klas of lesaanbod)"),
        source=f"{SEED}, §2.1 (oudercontact)",
    ),
    MeetingType(
        key="drenthe.teambespreking",
        label="Bespreking in het docententeam of kernteam",
        description="De mentor brengt de leerling in; docenten delen observaties en aanpakken.",
        default_participants=("Mentor", "Vakdocenten", "Interne begeleider"),
        default_agenda=("Inbreng van de casus", "Observaties", "Mogelijke strategieën"),
        source=f"{SEED}, §2.1 (bespreking docententeam of kernteam)",
    ),
    MeetingType(
        key="drenthe.ondersteuningsteam",
        label="Ondersteuningsteam binnen de school",
        description="Het team analyseert de problematiek en stelt aanvullende ondersteuning voor.",
        default_participants=("Mentor", "Ondersteuningscoördinator", "Schoolmaatschappelijk werker",
                              "Interne begeleider", "Interne specialisten", "Gedragsdeskundige of orthopedagoog"),
        default_agenda=("Analyse van de problematiek", "Voorstel aanvullende ondersteuning",
                        "Extra tijd of aanpassingen bij toetsen en examens", "Advies over diagnostiek",
                        "Observatie door de orthopedagoog", "Verwijzing nodig?", "OPP"),
        source=f"{SEED}, §2.2 (ondersteuningsteam binnen school)",
    ),
    MeetingType(
        key="drenthe.apo_overleg",
        label="Overleg met het samenwerkingsverband (dossier APO)",
        description="Overleg met het SWV over expertise en advies, na het starten van een dossier APO.",
        default_participants=("Ondersteuningscoördinator", "Medewerker samenwerkingsverband"),
        default_agenda=("Inzet van expertise, ook van andere scholen",
                        "Advies: extra ondersteuning, arrangement of TLV VSO"),
        source=f"{SEED}, §2.3 (overleg met het samenwerkingsverband)",
    ),
    MeetingType(
        key="drenthe.casusoverleg",
        label="Casusoverleg met externe partners",
        description="Overleg met brede zorgpartners, gemeente en jeugdhulp over een integrale aanpak.",
        default_participants=("Ondersteuningscoördinator", "Jeugdarts", "Leerplichtambtenaar",
                              "Maatschappelijk werk", "Sociaal team of wijkteam", "Ouders/verzorgers"),
        default_agenda=("Integrale aanpak thuis en op school",
                        "Mogelijke trajecten: jeugdhulp, zorgindicatie, leerplichttraject, maatwerk, OTV"),
        source=f"{SEED}, §2.3 (casusoverleg)",
    ),
    MeetingType(
        key="drenthe.doa_kernteam",
        label="Overleg met het kernteam DOA VO (acute nood)",
        description="Bij acute nood overlegt de school vooraf met het kernteam om de aanvraag te onderbouwen.",
        default_participants=("Ondersteuningscoördinator", "Kernteam DOA VO"),
        default_agenda=("Acute situatie", "Onderbouwing van de aanvraag DOA VO"),
        source=f"{SEED}, §2.4 (acute nood: overleg met het kernteam)",
    ),
    MeetingType(
        key="drenthe.doa_bespreking",
        label="Bespreking in het DOA VO",
        description="Domeinoverstijgende analyse met school, ouders, leerling en zorginstanties; het advies is "
                    "bindend.",
        default_participants=("Ondersteuningscoördinator", "Ouders/verzorgers", "Leerling",
                              "Samenwerkingsverband", "Zorginstanties", "Leerplicht"),
        default_agenda=("Stand van zaken onderwijs, zorg en leerplicht", "Eerdere plannen en evaluaties",
                        "Zienswijze van ouders en leerling", "Verklarende analyse", "Bindend advies",
                        "Evaluatiedatum (over 6 tot 12 weken)"),
        source=f"{SEED}, §2.4",
    ),
    MeetingType(
        key="drenthe.doa_evaluatie",
        label="Evaluatie DOA VO",
        description="Na 6 tot 12 weken: werkt het traject, is bijstelling nodig of een nieuw DOA VO?",
        default_participants=("Ondersteuningscoördinator", "Ouders/verzorgers", "Leerling",
                              "Samenwerkingsverband"),
        default_agenda=("Werkt het gekozen traject?", "Aanpassingen", "Opnieuw DOA VO?"),
        source=f"{SEED}, §2.4 (evaluatie na 6 tot 12 weken)",
    ),
    MeetingType(
        key="drenthe.evaluatie_plaatsing",
        label="Evaluatie na plaatsing MBO/HBO",
        description="In de eerste maanden na de overstap nagaan of de leerling goed functioneert.",
        default_participants=("Ondersteuningscoördinator", "Leerling", "Ouders/verzorgers",
                              "Begeleider nieuwe opleiding"),
        default_agenda=("Functioneren in de nieuwe setting", "Nodige aanpassingen"),
        source=f"{SEED}, §3.1 (overdracht MBO/HBO)",
    ),
    MeetingType(
        key="drenthe.ret_voorzitter",
        label="Overleg met de voorzitter van het RET (acute nood)",
        description="Bij acute nood overlegt het SWV vooraf met de voorzitter van het RET om de aanvraag te "
                    "onderbouwen.",
        default_participants=("Samenwerkingsverband", "Voorzitter RET-Drenthe"),
        default_agenda=("Acute situatie", "Onderbouwing van de aanvraag RET"),
        source=f"{SEED}, §3.3 (acute nood: overleg met de voorzitter)",
    ),
    MeetingType(
        key="drenthe.ret_overleg",
        label="Bespreking in het RET-Drenthe",
        description="Experts uit onderwijs en jeugdhulp zoeken een toekomstgerichte oplossing.",
        default_participants=("Experts RET-Drenthe", "Samenwerkingsverband", "School", "Ouders/verzorgers",
                              "Leerling", "Jeugdhulp"),
        default_agenda=("Vraag van leerling en ouders", "Verklarende analyse van het DOA VO",
                        "Advies (zwaarwegend)", "Uitvoering van het advies"),
        source=f"{SEED}, §3.3",
    ),
)

FORMS = (
    FormType(
        key="drenthe.apo_dossier",
        label="Dossier APO bij het samenwerkingsverband",
        description="Het dossier waarmee de school het overleg met het SWV over extra ondersteuning start.",
        source=f"{SEED}, §2.3 (opstarten dossier APO)",
    ),
    FormType(
        key="drenthe.otv",
        label="Aanvraag onderwijstijdverkorting (OTV)",
        description="Als een leerling wegens ziekte, een beperking of bijzondere persoonlijke omstandigheden "
                    "niet alle lesuren kan volgen. De keuzehulp van de inspectie wijst uit of instemming nodig "
                    "is; zo ja, dan dient de school de aanvraag in via het Internet Schooldossier (ISD).",
        source=f"{SEED}, §2.3 en bijlage 3",
    ),
    FormType(  # an ApplicationType in applications.py (DOA_VO), made from these texts
        key="drenthe.aanvraag_doa_vo",
        label="Aanvraag DOA VO",
        description="Aanvraag via het samenwerkingsverband, met een door het bevoegd gezag ondertekend "
                    "toestemmingsformulier.",
        source=f"{SEED}, §2.4",
    ),
    FormType(
        key="drenthe.overdracht_mbo_hbo",
        label="Overdracht naar MBO of HBO",
        description="Overdracht naar een opleiding die passende ondersteuning, extra begeleiding of "
                    "arbeidstoeleiding kan bieden; evaluatie in de eerste maanden na de plaatsing.",
        source=f"{SEED}, §3.1 (overdracht MBO/HBO)",
    ),
    FormType(
        key="drenthe.vrijstelling_leerplicht",
        label="Advies vrijstelling leerplicht",
        description="Als ook het VSO met maatwerk niet volstaat, kan het onderwijs vrijstelling adviseren; "
                    "ouders vragen die aan met steun van de leerplichtinstantie.",
        source=f"{SEED}, §3.2",
    ),
    FormType(  # an ApplicationType in applications.py (RET)
        key="drenthe.aanvraag_ret",
        label="Aanvraag RET-Drenthe",
        description="Aanvraag bij het Regionaal Expertteam Jeugd Drenthe.",
        source=f"{SEED}, §3.3",
    ),
)


# --- guards ------------------------------------------------------------------------------------------------

# The prerequisites that hold for a traject and for a request alike (seed 004 §2.4 and §3.3): the traject's guards
# below and the requests' guards (``applications.py``) call the same functions, so moving a traject into the DOA VO
# or the RET asks exactly what the request for it asks.

REAL_TEXT = f"minstens {JUSTIFICATION_MIN_CHARS} tekens en drie woorden"


def earlier_phases_open(state: TrajectState | None, phase_key: str) -> list[str]:
    """The phases before ``phase_key`` that the traject has not completed (evaluated) in its current cycle.

    A traject that began at ``phase_key`` through an entry point (WEL in Ontwikkeling: no school, so no earlier
    meetings can take place) has none open."""
    if state is None or not state.route.has_phase(phase_key):
        return []
    if state.entry and state.entry in {e.key for e in state.route.entry_points}:
        if state.route.entry_point(state.entry).start_phase == phase_key:
            return []
    return [p.label for p in state.route.before(phase_key) if not state.is_completed(p.key)]


def acute_reasons(data, *, on: str, who: str | None, why: str, whom: str) -> list[str]:
    """Acute nood counts only with the consultation written down: its date (a day that has been), with whom, and a
    real reason from it."""
    reasons = []
    day = day_of(data.get(on))
    if not data.get(on):
        reasons.append(f"Bij acute nood: vul de datum in van het overleg met {whom}.")
    elif day is None:
        reasons.append(f"Bij acute nood: de datum van het overleg met {whom} is geen geldige datum (dag-maand-jaar).")
    elif day > today():
        reasons.append(f"Bij acute nood: het overleg met {whom} ging aan de aanvraag vooraf; de datum ligt nog in "
                       "de toekomst.")
    if who and not has_text(data.get(who)):
        reasons.append(f"Bij acute nood: vul in met wie van {whom} is overlegd.")
    if not is_real_text(data.get(why)):
        reasons.append(f"Bij acute nood: onderbouw de aanvraag met de uitkomst van het overleg met {whom} "
                       f"({REAL_TEXT}).")
    return reasons



_INTO = (Action.ADVANCE, Action.SKIP, Action.ESCALATE)
# School types whose every student has an OPP, not registered in the ROD (seed 004 §2.2): VSO and praktijkonderwijs.
OPP_FOR_EVERY_STUDENT = frozenset({"vso", "pro"})


def _opp_required(route, state, action, target, data) -> list[str]:
    """Leaving phase 2.2 asks the student's OPP when additional support is given: present, handelingsdeel agreed,
    and (regular VO) registered in the ROD, each missing item its own reason. In regular VO the ondersteuningsteam
    may instead record why no additional support is needed; at a VSO or PrO school every student has an OPP, which
    is not registered in the ROD (seed 004 §2.2)."""
    if state.current != INTERN_AANVULLEND or action not in (Action.ADVANCE, Action.SKIP):
        return []
    if state.student_id is None:  # a route checked without a student (a definition test): nothing to consult
        return []
    every_student = school_type_of(state.student_id) in OPP_FOR_EVERY_STUDENT
    if not every_student and is_real_text(data.get(NO_ADDITIONAL_SUPPORT)):
        return []
    facts = opp_facts(state.student_id)
    if not facts.present:
        if every_student:
            return ["Op een school voor VSO of praktijkonderwijs heeft iedere leerling een ontwikkelingsperspectief "
                    "(OPP). Stel eerst het OPP op met ouders en leerling."]
        return ["Bij aanvullende ondersteuning in het regulier VO is een ontwikkelingsperspectief (OPP) verplicht. "
                "Stel eerst het OPP op met ouders en leerling, of leg vast waarom het ondersteuningsteam geen "
                "aanvullende ondersteuning nodig vindt."]
    reasons = []
    if not facts.handelingsdeel_agreed:
        reasons.append("Het handelingsdeel van het OPP heeft nog geen geldige instemming van een ouder met gezag "
                       "(of van de leerling vanaf 18 jaar). Leg de instemming vast bij het OPP.")
    if not every_student and not facts.registered_in_rod:
        reasons.append("Het OPP is nog niet geregistreerd in het ROD. Meld het OPP aan in het ROD en vul de "
                       "datum van aanmelding in bij het OPP.")
    return reasons


def school_type_of(student_id: int) -> str:
    student = student_info(student_id)
    school = school_info(student.school_id) if student else None
    return school.school_type if school else ""


def _doa_prerequisites(route, state, action, target, data) -> list[str]:
    """The DOA VO's prerequisite, the same rule as its request's (``rules``): the earlier phases completed in this
    cycle, or acute nood after a recorded consultation with the core team (seed 004 §2.4)."""
    if target is None or target.key != DOA_VO or action not in _INTO:
        return []
    if action == Action.ESCALATE:
        return acute_reasons(data, on=DOA_CORE_TEAM_ON, who=DOA_CORE_TEAM_WHO, why=DOA_CORE_TEAM_WHY,
                             whom="het kernteam van het DOA VO")
    open_phases = earlier_phases_open(state, DOA_VO)
    if not open_phases:
        return []
    return [f"Het DOA VO kan pas als de eerdere overlegfasen in deze cyclus zijn afgerond (geëvalueerd); nog niet "
            f"afgerond: {', '.join(open_phases)}. Alternatief: kies 'acute nood' en leg het overleg met het kernteam "
            "van het DOA VO vast."]


def _ret_prerequisites(route, state, action, target, data) -> list[str]:
    if target is None or target.key != RET or action not in _INTO:
        return []
    if action == Action.ESCALATE:
        return acute_reasons(data, on=RET_CHAIR_ON, who=None, why=RET_CHAIR_WHY,
                             whom="de voorzitter van het RET-Drenthe")
    alternative = " Alternatief: kies 'acute nood' na overleg met de voorzitter van het RET-Drenthe."
    reasons = []
    if not state.is_completed(DOA_VO, any_cycle=True):
        reasons.append("Het RET-Drenthe komt pas in beeld als het advies van een afgerond DOA VO niet "
                       "toereikend bleek." + alternative)
    if not is_real_text(data.get(ADVICE_SHORTFALL)):
        reasons.append("Beschrijf waarom de ondersteuning van school en samenwerkingsverband en de adviezen van "
                       "het DOA VO niet toereikend zijn." + alternative)
    return reasons


def _from_request(state, type_key: str, fields: dict[str, str], phase_key: str) -> dict:
    """What the student's submitted request recorded, for the transition fields it answers, while the traject has
    not yet entered ``phase_key`` in this cycle."""
    if state.student_id is None or state.phase_status(phase_key) is not None:
        return {}
    request = latest_application(state.student_id, type_key)
    if request is None or request.status not in SUBMITTED:
        return {}
    return {key: str(request.data.get(name) or "") for name, key in fields.items()}


def _doa_prefill(state) -> dict:
    values = _from_request(state, DOA_REQUEST, DOA_REQUEST_FIELDS, DOA_VO)
    if not values.get(DOA_CORE_TEAM_WHY):
        return {}  # no acute nood in the request: nothing to offer
    return {**values, "justification": values[DOA_CORE_TEAM_WHY]}


def _ret_prefill(state) -> dict:
    values = _from_request(state, RET_REQUEST, {**RET_REQUEST_FIELDS, "advice_shortfall": ADVICE_SHORTFALL}, RET)
    if values.get(RET_CHAIR_WHY):
        values["justification"] = values[RET_CHAIR_WHY]
    return values


GUARDS = (
    Guard(
        key="drenthe.opp_bij_aanvullende_ondersteuning",
        label="OPP verplicht bij aanvullende ondersteuning",
        description="Wie fase 2.2 verlaat, heeft bij aanvullende ondersteuning in het regulier VO een OPP waarvan het "
                    "handelingsdeel de instemming van ouders (of van de leerling vanaf 18) heeft en dat in het ROD "
                    "is geregistreerd, of legt vast waarom het ondersteuningsteam geen aanvullende ondersteuning "
                    "nodig vindt. Op een school voor VSO of praktijkonderwijs heeft iedere leerling een OPP, dat "
                    "niet in het ROD wordt geregistreerd.",
        source=f"{SEED}, §2.2",
        check=_opp_required,
        fields=(
            TransitionField(NO_ADDITIONAL_SUPPORT, "Geen aanvullende ondersteuning nodig (fase 2.2): waarom niet",
                            help="Alleen in het regulier VO, als het ondersteuningsteam vaststelde dat de leerling "
                                 "geen aanvullende ondersteuning (en dus geen OPP) nodig heeft."),
        ),
        targets=(INTERN_AANVULLEND,),
    ),
    Guard(
        key="drenthe.doa_vo_voorwaarden",
        label="DOA VO: eerdere fasen afgerond of acute nood",
        description="Naar het DOA VO alleen als alle eerdere fasen in deze cyclus zijn geëvalueerd, of bij acute nood "
                    "met een vastgelegd overleg met het kernteam van het DOA VO (datum, met wie en de onderbouwing), "
                    "zoals de aanvraag DOA VO het vraagt.",
        source=f"{SEED}, §2.4",
        check=_doa_prerequisites,
        fields=(
            TransitionField(DOA_CORE_TEAM_ON, "Acute nood: datum van het overleg met het kernteam DOA VO",
                            kind="date"),
            TransitionField(DOA_CORE_TEAM_WHO, "Acute nood: met wie van het kernteam is overlegd"),
            TransitionField(DOA_CORE_TEAM_WHY, "Acute nood: onderbouwing uit dat overleg"),
        ),
        targets=(DOA_VO,),
        prefill=_doa_prefill,
    ),
    Guard(
        key="drenthe.ret_voorwaarden",
        label="RET-Drenthe: adviezen ontoereikend of acute nood",
        description="Naar het RET-Drenthe alleen na een afgerond DOA VO waarvan de adviezen, net als de "
                    "ondersteuning van school en SWV, niet toereikend bleken (met toelichting), of bij acute "
                    "nood na overleg met de voorzitter van het RET (datum en onderbouwing).",
        source=f"{SEED}, §3.3",
        check=_ret_prerequisites,
        fields=(
            TransitionField(ADVICE_SHORTFALL, "Waarom de ondersteuning en de adviezen van het DOA VO niet toereikend zijn"),
            TransitionField(RET_CHAIR_ON, "Acute nood: datum van het overleg met de voorzitter van het RET-Drenthe",
                            kind="date"),
            TransitionField(RET_CHAIR_WHY, "Acute nood: onderbouwing uit het overleg met de voorzitter"),
        ),
        targets=(RET,),
        prefill=_ret_prefill,
    ),
)

ROUTE = Route(
    key="drenthe.route",
    label="Ondersteuningsroute SWV 22.02 Sterk VO Zuidoost-Drenthe",
    sector="VO",
    version="2",  # 2: alternatives (ch. 3 options are choices)
    phases=PHASES,
    entry_points=ENTRY_POINTS,
    source=f"{SEED} (ondersteuningsroute SWV 22.02, hoofdstukken 2 en 3)",
    documents={SEED: "Ondersteuningsroute SWV 22.02"},
    terms={"mentor": "Mentor", "mentors": "Mentoren"},
)
