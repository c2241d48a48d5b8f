"""The VO support route: the six phases of the NJI reference model for secondary education.

Seed 000 gives the six phases and the roles; seed 003, a regional variant of the same model, adds detail
(signals on results and absence, recorded handelingsadviezen, the mdo's preparation, the OPP under the
ondersteuningscoördinator, the MDO-T and the Loket Passend Onderwijs). Pure data; texts paraphrase the seeds. The
forms' fields, advices and decisions live in ``applications.py``; seed 000's "beschikking" for PrO is, since 2016, the
TLV praktijkonderwijs (``vo.tlv_pro``).
"""

from __future__ import annotations

from portal.plugin import FormType, MeetingType, Phase, Route

MENTOR = "Mentor of (vak)docent"
BOTH = "Mentor/(vak)docent en zorg- of ondersteuningscoördinator"

PHASES = (
    Phase(
        key="vo.signaleren",
        label="Begeleiden, observeren en signaleren",
        purpose="De mentor of (vak)docent begeleidt, spreekt en volgt de leerling en merkt op waar de "
                "ontwikkeling, de resultaten of de aanwezigheid (verzuim) achterblijven. Docenten passen zo "
                "nodig hun pedagogische aanpak, instructie of leeromgeving aan, binnen de basisondersteuning.",
        lead_roles=("mentor",),
        lead_label=MENTOR,
        meeting_types=("vo.mentorgesprek", "vo.oudergesprek"),
        jeugdhulp_contributions=(
            "Mentoren en docenten toerusten om opvoed- en opgroeiproblemen vroeg te herkennen.",
            "Meedenken over lichamelijke en psychische gezondheid, schoolse vaardigheden, ziekteverzuim en "
            "opvoeding.",
            "Voorlichting en (groeps)training ter preventie.",
            "Onderzoek door de JGZ, bijvoorbeeld naar gezondheid, belastbaarheid, veiligheid of leefstijl.",
            "Kortdurende hulp op school bieden.",
        ),
        source="seed 000, fase 'begeleiden, observeren en signaleren'; seed 003, fase 1",
        order=10,
        notes=("Alles gebeurt in nauwe samenwerking en afstemming met ouders en leerling.",),
    ),
    Phase(
        key="vo.collegiaal",
        label="Collegiale consultatie en afstemming",
        purpose="De mentor of docent bespreekt de signalen met collega's en de zorg- of "
                "ondersteuningscoördinator. Na een gesprek met leerling en ouders stemmen mentor en "
                "docententeam de aanpak, de instructie of de leeromgeving daarop af.",
        lead_roles=("mentor",),
        lead_label=MENTOR,
        meeting_types=("vo.collegiaal_overleg", "vo.oudergesprek"),
        jeugdhulp_contributions=(
            "Consultatie voor docenten, mentor of coördinator; aanschuiven bij het interne ondersteuningsteam.",
            "Helpen begrijpen wat achter complex gedrag kan zitten, ook vanuit het sociale netwerk.",
            "Adviseren over complex gedrag, verzuim en opvoeding.",
            "Aansluiten bij het gesprek met leerling en ouders; zo nodig ouders zelf spreken of uitnodigen.",
        ),
        source="seed 000, fase 'collegiale consultatie'; seed 003, fase 2",
        order=20,
    ),
    Phase(
        key="vo.leerlingbespreking",
        label="Interne groeps- of leerlingbespreking",
        purpose="Mentor en zorgcoördinator (of het docententeam met het interne ondersteuningsteam) bepalen "
                "wat leerling en docent nodig hebben. Handelingsadviezen en afspraken over de gezamenlijke "
                "aanpak worden vastgelegd, later geëvalueerd en waar nodig aangepast. Daarna volgt zo nodig "
                "observatie, analyse of een besluit tot een mdo.",
        lead_roles=("mentor", "zorg"),
        lead_label=BOTH,
        meeting_types=("vo.leerlingbespreking", "vo.ondersteuningsteam"),
        jeugdhulp_contributions=(
            "Jeugdhulp die in de school werkt, zoals schoolmaatschappelijk werk, kan aanschuiven.",
            "Adviseren over complex gedrag en over de communicatie met ouders en leerling.",
            "Adviseren welke extra hulp of welk onderzoek nodig en beschikbaar is, en die inschakelen.",
            "Adviseren of een mdo nodig is en wie daarbij hoort; het mdo eventueel met ouders en leerling "
            "voorbereiden.",
        ),
        source="seed 000, fase 'interne leerlingbespreking'; seed 003, fase 3",
        order=30,
    ),
    Phase(
        key="vo.mdo",
        label="Multidisciplinair overleg (mdo)",
        purpose="Op initiatief van de school overleggen betrokken professionals, leerling en ouders. Vooraf "
                "worden de ontwikkelingsgebieden in kaart gebracht; behoeften en sterke kanten van leerling, "
                "ouders en mentor worden geanalyseerd. Het mdo eindigt met concrete afspraken over doelen, "
                "ondersteuning, evaluatie en de rol van ouders en leerling, vastgelegd in een verslag of "
                "handelingsplan; zo nodig wordt het OPP opgesteld of bijgesteld.",
        lead_roles=("zorg",),
        lead_label="Zorg- of ondersteuningscoördinator (de school initieert het mdo)",
        meeting_types=("vo.mdo",),
        jeugdhulp_contributions=(
            "Expertise en dossierkennis inbrengen om samen de ondersteuningsbehoeften te analyseren.",
            "Vanuit het eigen vak meedenken over hulp voor leerling en ouders, en over hoe die hulp en de "
            "ondersteuning op school op elkaar aansluiten.",
        ),
        source="seed 000, fase 'multidisciplinair overleg'; seed 003, fase 4",
        order=40,
        notes=(
            "Voor vragen die de school overstijgen, of hulp bij het vinden of organiseren van een zo passend "
            "mogelijk onderwijs(zorg)aanbod, kan de school het Loket Passend Onderwijs inschakelen.",
            "Soms is eerst meer onderzoek nodig.",
        ),
    ),
    Phase(
        key="vo.arrangeren",
        label="(Integraal) arrangeren, toeleiden en toegang",
        purpose="Besluiten over extra ondersteuning op school, via het interne ondersteuningsteam, ook met "
                "externe partners, en die in gang zetten. De extra ondersteuning wordt vastgelegd in een OPP "
                "waarover de ondersteuningscoördinator de regie voert. Voor plaatsing in het praktijkonderwijs "
                "een TLV PrO (vroeger: beschikking), voor leerwegondersteuning een aanwijzing LWOO en voor het "
                "VSO een TLV aanvragen; zo nodig integraal overleg, "
                "specialistische jeugdhulp, medische zorg op school of leerlingenvervoer regelen.",
        lead_roles=("zorg",),
        lead_label="Zorg- of ondersteuningscoördinator (regie op het OPP)",
        meeting_types=("vo.ondersteuningsteam", "vo.integraal_overleg", "vo.mdo_t"),
        forms=("vo.tlv_pro", "vo.lwoo", "vo.tlv_vso"),
        jeugdhulp_contributions=(
            "Samen inschatten of acties en adviezen in de onderwijssituatie haalbaar zijn.",
            "Zo nodig meewerken aan het deskundigenadvies voor een toelaatbaarheidsaanvraag.",
            "Het zorgdeel van het OPP opstellen: de hulpvraag voor jeugdhulp en de zorgdoelen afstemmen op de "
            "doelen voor schoolsucces.",
            "De regie nemen op integraal overleg en zo nodig specialistische jeugdhulp ontsluiten.",
            "Overleg over medische en andere zorg organiseren, met het aanspreekpunt van de gemeente.",
        ),
        source="seed 000, fase 'arrangeren, toeleiden en toegang'; seed 003, fase 5",
        order=50,
        notes=("Over een TLV VSO of een verwijzing naar een bovenschools arrangement kan worden besloten in "
               "een MDO-T (T van toelating).",),
    ),
    Phase(
        key="vo.uitvoeren",
        label="Uitvoeren, monitoren en evalueren",
        purpose="Onderwijsarrangement, jeugdhulp, aanvullend onderzoek en zo nodig medische zorg zo veel "
                "mogelijk in samenhang bieden; casusregie voeren, voortgang en afspraken volgen, resultaat en "
                "proces evalueren en de aanpak met alle betrokkenen bijstellen.",
        lead_roles=("mentor", "zorg"),
        lead_label=BOTH,
        meeting_types=("vo.evaluatie",),
        jeugdhulp_contributions=(
            "Hulp bieden aan leerling of ouders, van licht tot specialistisch.",
            "Aanvullend onderzoek of diagnostiek doen.",
            "Bijdragen aan doelen voor schoolsucces en deelname naast de zorgdoelen.",
            "De verbinding tussen zorgdomeinen en school bewaken en de ingezette hulp coördineren; zo nodig "
            "casusregisseur zijn.",
            "Bijdragen aan monitoring en aan het evalueren en bijstellen van de aanpak.",
        ),
        source="seed 000, fase 'uitvoeren en evalueren'; seed 003, fase 6",
        order=60,
    ),
)

MEETING_TYPES = (
    MeetingType(
        key="vo.mentorgesprek",
        label="Gesprek mentor met leerling",
        description="De mentor of docent spreekt de leerling over de signalen en wat zou helpen.",
        default_participants=("Mentor", "Leerling"),
        default_agenda=("Signalen: ontwikkeling, resultaten, verzuim", "Wat helpt?", "Afspraken"),
        source="seed 003, fase 1 (mentor/docent begeleidt, spreekt en volgt de leerling)",
    ),
    MeetingType(
        key="vo.oudergesprek",
        label="Gesprek met leerling en ouders",
        description="De mentor bespreekt de signalen met leerling en ouders en stemt de aanpak af.",
        default_participants=("Mentor", "Leerling", "Ouders/verzorgers"),
        default_agenda=("Signalen", "Ervaringen thuis en op school", "Aanpassing van de aanpak"),
        source="seed 000 en 003, fase 2 (na bespreking met leerling en ouders)",
    ),
    MeetingType(
        key="vo.collegiaal_overleg",
        label="Collegiaal overleg",
        description="De mentor of docent deelt signalen met collega's en de zorg- of ondersteuningscoördinator.",
        default_participants=("Mentor", "(Vak)docenten", "Zorg- of ondersteuningscoördinator"),
        default_agenda=("Signalen", "Ervaringen van collega's", "Afstemming van de aanpak in de klas"),
        source="seed 000, fase 'collegiale consultatie'; seed 003, fase 2",
    ),
    MeetingType(
        key="vo.leerlingbespreking",
        label="Interne groeps- of leerlingbespreking",
        description="Mentor, docententeam en coördinator stellen de ondersteuningsbehoefte vast en leggen "
                    "handelingsadviezen vast.",
        default_participants=("Mentor", "Docententeam", "Zorg- of ondersteuningscoördinator"),
        default_agenda=("Ondersteuningsbehoefte van leerling en docent", "Handelingsadviezen en afspraken",
                        "Evaluatie van eerdere adviezen", "Observatie, analyse of mdo?"),
        source="seed 000, fase 'interne leerlingbespreking'; seed 003, fase 3",
    ),
    MeetingType(
        key="vo.ondersteuningsteam",
        label="Overleg intern ondersteuningsteam",
        description="Het ondersteuningsteam van de school bespreekt de leerling en besluit over extra "
                    "ondersteuning, zo nodig met externe partners.",
        default_participants=("Zorg- of ondersteuningscoördinator", "Mentor", "Interne specialisten",
                              "Jeugdhulp in de school"),
        default_agenda=("Analyse", "Extra ondersteuning op school", "OPP", "Betrokkenheid externe partners"),
        source="seed 003, fasen 2, 3 en 5 (intern ondersteuningsteam)",
    ),
    MeetingType(
        key="vo.mdo",
        label="Multidisciplinair overleg (mdo)",
        description="Door de school belegd overleg van professionals, leerling en ouders dat eindigt in "
                    "concrete afspraken en een verslag of handelingsplan.",
        default_participants=("Zorg- of ondersteuningscoördinator", "Mentor", "Leerling",
                              "Ouders/verzorgers", "Jeugdhulp", "Leerplicht of JGZ (indien betrokken)"),
        default_agenda=("Ontwikkelingsgebieden (vooraf in kaart gebracht)",
                        "Ondersteuningsbehoeften en sterke kanten van leerling, ouders en mentor",
                        "Doelen, inzet en evaluatie van de ondersteuning", "Rol van ouders en leerling",
                        "OPP opstellen of bijstellen?"),
        source="seed 003, fase 4; seed 002 (definitie mdo)",
    ),
    MeetingType(
        key="vo.integraal_overleg",
        label="Integraal overleg",
        description="Overleg over onderwijs, jeugdhulp en zorg in samenhang, zo nodig met de gemeente.",
        default_participants=("Zorg- of ondersteuningscoördinator", "Ouders/verzorgers", "Leerling",
                              "Jeugdhulp", "Aanspreekpunt gemeente"),
        default_agenda=("Extra ondersteuning en jeugdhulp", "Toegang tot specialistische hulp",
                        "Medische zorg en leerlingenvervoer"),
        source="seed 000, fase 'arrangeren, toeleiden en toegang'",
    ),
    MeetingType(
        key="vo.mdo_t",
        label="MDO-T (toelating)",
        description="Mdo waarin wordt besloten over een aanvraag TLV VSO of een verwijzing naar een "
                    "bovenschools arrangement.",
        default_participants=("Zorg- of ondersteuningscoördinator", "Ouders/verzorgers", "Leerling",
                              "Samenwerkingsverband", "Deskundige(n)"),
        default_agenda=("Ondersteuningsbehoefte en benutte mogelijkheden", "Deskundigenadvies",
                        "Besluit: TLV VSO of bovenschools arrangement"),
        source="seed 003, fase 5 (MDO-T, de T van toelating)",
    ),
    MeetingType(
        key="vo.evaluatie",
        label="Evaluatieoverleg",
        description="Nagaan met alle betrokkenen of de doelen gehaald worden en de aanpak bijstellen.",
        default_participants=("Mentor", "Zorg- of ondersteuningscoördinator", "Leerling", "Ouders/verzorgers",
                              "Jeugdhulp (indien betrokken)"),
        default_agenda=("Voortgang en afspraken", "Resultaat en proces", "Bijstelling van de aanpak"),
        source="seed 000, fase 'uitvoeren en evalueren'; seed 003, fase 6",
    ),
)

# The forms the route names. Each is an application to the SWV: ``applications.py`` gives it its fields, advices,
# guards and decision (an ``ApplicationType`` with the same key, label and source), and ``plugin.py`` registers that.
FORMS = (
    FormType(
        key="vo.tlv_pro",
        label="Aanvraag toelaatbaarheidsverklaring praktijkonderwijs (TLV PrO)",
        description="Voor plaatsing in het praktijkonderwijs vraagt de school bij het samenwerkingsverband een "
                    "TLV PrO aan; de berekening van de leerachterstand toetst aan de criteria.",
        source="seed 000, fase 'arrangeren, toeleiden en toegang' (bij plaatsing PRO een beschikking, sinds 2016 "
               "een TLV PrO van het samenwerkingsverband); landelijke criteria PrO",
    ),
    FormType(
        key="vo.lwoo",
        label="Aanwijzing leerwegondersteunend onderwijs (LWOO)",
        description="Voor leerwegondersteunend onderwijs vraagt de school bij het samenwerkingsverband een "
                    "aanwijzing aan; de berekening van de leerachterstand toetst aan de criteria.",
        source="seed 000, fase 'arrangeren, toeleiden en toegang' (besluiten over extra ondersteuning); "
               "de landelijke criteria LWOO (sinds 2016 wijst het samenwerkingsverband aan)",
    ),
    FormType(
        key="vo.tlv_vso",
        label="Aanvraag toelaatbaarheidsverklaring (TLV) VSO",
        description="Voor plaatsing in het voortgezet speciaal onderwijs vraagt de school bij het "
                    "samenwerkingsverband een TLV aan.",
        source="seed 000, fase 'arrangeren, toeleiden en toegang'; seed 003, fase 5 (MDO-T); seed 004, §3.1",
    ),
)

GUARDS = ()

ROUTE = Route(
    key="vo.route",
    label="Ondersteuningsroute voortgezet onderwijs",
    sector="VO",
    version="1",
    phases=PHASES,
    source="seed 000 (NJI referentiemodel VO), seed 002 (inleiding), seed 003 (regionale variant)",
    documents={"seed 000": "NJI-referentiemodel ondersteuningsroute VO",
               "seed 002": "NJI-referentiemodel VO (inleiding)",
               "seed 003": "Regionale ondersteuningsroute VO"},
    terms={"mentor": "Mentor", "mentors": "Mentoren"},
)
