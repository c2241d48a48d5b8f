"""The PO support route: the six phases of the NJI reference model for primary education (seed 001).

Pure data; the hook implementations in ``plugin.py`` hand it to the core. Texts paraphrase the seed.
"""

from __future__ import annotations

from portal.plugin import FormType, MeetingType, Phase, Route

SEED = "seed 001"
LEAD = "Leerkracht, met de intern begeleider (IB'er)"

PHASES = (
    Phase(
        key="po.signaleren",
        label="Begeleiden, observeren en signaleren",
        purpose="De leerkracht geeft basisondersteuning, volgt en observeert de leerling en merkt op waar de "
                "ontwikkeling stokt. Waar nodig past de leerkracht de pedagogische aanpak, de instructie of de "
                "leeromgeving aan.",
        lead_roles=("mentor",),
        lead_label="Leerkracht",
        meeting_types=("po.oudergesprek",),
        jeugdhulp_contributions=(
            "Leerkrachten toerusten om opvoed- en opgroeiproblemen vroeg te herkennen.",
            "Meedenken over de pedagogische aanpak en over het hanteren van complex gedrag.",
            "Leerlingen in de klas observeren.",
        ),
        source=f"{SEED}, fase 1 (begeleiden, observeren en signaleren)",
        order=10,
        notes=("Alles gebeurt in nauwe samenwerking en afstemming met ouders en leerling.",),
    ),
    Phase(
        key="po.consultatie",
        label="Collegiale consultatie",
        purpose="De leerkracht bespreekt de signalen met collega's, de IB'er of de jeugdhulp in de school. Na "
                "een gesprek met de ouders stemt de leerkracht de aanpak, de instructie of de leeromgeving af.",
        lead_roles=("mentor",),
        lead_label="Leerkracht",
        meeting_types=("po.collegiale_consultatie", "po.oudergesprek"),
        jeugdhulp_contributions=(
            "Consultatie voor leerkracht of IB'er.",
            "Helpen begrijpen wat achter complex gedrag kan zitten, en adviseren hoe ermee om te gaan.",
            "Het gesprek met leerling en ouders ondersteunen; zo nodig zelf ouders spreken of uitnodigen.",
        ),
        source=f"{SEED}, fase 2 (collegiale consultatie)",
        order=20,
    ),
    Phase(
        key="po.leerlingbespreking",
        label="Bespreken in de interne leerlingbespreking",
        purpose="Leerkracht en IB'er bepalen wat leerling en leerkracht nodig hebben, soms samen met interne "
                "ondersteuners of jeugdhulp in de school. De leerkracht krijgt adviezen voor de klas; extra "
                "ondersteuning kan worden aangevraagd, of er wordt besloten tot een mdo (en met wie). Vaak "
                "volgt dan een OPP.",
        lead_roles=("mentor", "zorg"),
        lead_label=LEAD,
        meeting_types=("po.leerlingbespreking",),
        jeugdhulp_contributions=(
            "Jeugdhulp die in de school werkt, zoals schoolmaatschappelijk werk, kan aanschuiven.",
            "Adviseren over complex gedrag en over de communicatie met ouders en leerling.",
            "Adviseren of een mdo nodig is en wie daarbij hoort; het mdo eventueel met ouders en leerling "
            "voorbereiden.",
        ),
        source=f"{SEED}, fase 3 (interne leerlingbespreking)",
        order=30,
    ),
    Phase(
        key="po.mdo",
        label="Bespreken in multidisciplinair overleg (mdo)",
        purpose="School en jeugdhulp bespreken samen met de ouders, en zo mogelijk de leerling, wat kind, "
                "ouders en leerkracht nodig hebben. Er komen afspraken over doelen en over de (extra) "
                "ondersteuning op school en door jeugdhulp.",
        lead_roles=("mentor", "zorg"),
        lead_label=LEAD,
        meeting_types=("po.mdo",),
        jeugdhulp_contributions=(
            "Expertise en dossierkennis inbrengen om samen de ondersteuningsbehoeften te analyseren.",
            "Vanuit het eigen vak meedenken over hulp voor kind en ouders en over de ondersteuning in het "
            "onderwijs.",
        ),
        source=f"{SEED}, fase 4 (multidisciplinair overleg)",
        order=40,
    ),
    Phase(
        key="po.arrangeren",
        label="Arrangeren, toeleiden en toegang",
        purpose="Besluiten over extra of speciale ondersteuning en jeugdhulp en die in gang zetten: een OPP "
                "opstellen, deskundigenadvies inwinnen en een TLV aanvragen als de leerling naar SBO of SO gaat. "
                "Waar nodig ook integraal overleg beleggen en specialistische jeugdhulp, zorg op school of "
                "vervoer regelen.",
        lead_roles=("mentor", "zorg"),
        lead_label=LEAD,
        meeting_types=("po.integraal_overleg",),
        forms=("po.tlv_sbo_so",),
        jeugdhulp_contributions=(
            "Zo nodig meewerken aan het deskundigenadvies.",
            "Meeschrijven aan de doelen en het OPP.",
            "Waar nodig de weg vrijmaken naar specialistische (jeugd)hulp, zorg op school of vervoer.",
            "Overleg over medische en andere zorg organiseren, met het aanspreekpunt van de gemeente.",
        ),
        source=f"{SEED}, fase 5 (arrangeren, toeleiden en toegang)",
        order=50,
    ),
    Phase(
        key="po.uitvoeren",
        label="Uitvoeren en evalueren",
        purpose="Onderwijs, onderzoek, ondersteuning, jeugdhulp en eventueel medische zorg op elkaar "
                "afgestemd aanbieden; de casus coördineren, de voortgang volgen, doelen en proces evalueren en "
                "de aanpak met alle betrokkenen bijstellen.",
        lead_roles=("mentor", "zorg"),
        lead_label=LEAD,
        meeting_types=("po.evaluatie",),
        jeugdhulp_contributions=(
            "Lichte hulp bieden aan kind of ouders.",
            "Aanvullend onderzoek of diagnostiek doen.",
            "Specialistische jeugdhulp bieden.",
            "Zo nodig de casusregie voeren en de school bij de voortgang betrekken.",
            "Bijdragen aan het volgen van de voortgang en aan het evalueren en bijstellen van de aanpak.",
        ),
        source=f"{SEED}, fase 6 (uitvoeren en evalueren)",
        order=60,
    ),
)

MEETING_TYPES = (
    MeetingType(
        key="po.oudergesprek",
        label="Gesprek met ouders (en leerling)",
        description="De leerkracht deelt signalen met de ouders en stemt de aanpak met hen af.",
        default_participants=("Leerkracht", "Ouders/verzorgers", "Leerling (waar passend)"),
        default_agenda=("Wat zien school en ouders?", "Wat helpt thuis en in de klas?", "Afspraken"),
        source=f"{SEED}, fasen 1-2 (samenwerking met ouders; bespreking met de ouders)",
    ),
    MeetingType(
        key="po.collegiale_consultatie",
        label="Collegiale consultatie",
        description="De leerkracht legt signalen voor aan collega's, de IB'er of schoolinterne jeugdhulp.",
        default_participants=("Leerkracht", "Collega-leerkracht(en)", "IB'er", "Schoolinterne jeugdhulp"),
        default_agenda=("Signalen", "Ervaringen en tips van collega's", "Aanpassing van de aanpak"),
        source=f"{SEED}, fase 2 (collegiale consultatie)",
    ),
    MeetingType(
        key="po.leerlingbespreking",
        label="Interne leerlingbespreking",
        description="Leerkracht en IB'er stellen de ondersteuningsbehoeften vast en bepalen de vervolgstap.",
        default_participants=("Leerkracht", "IB'er", "Interne onderwijsondersteuner", "Schoolmaatschappelijk werk"),
        default_agenda=("Ondersteuningsbehoeften van leerling en leerkracht", "Adviezen voor de klas",
                        "Extra ondersteuning of mdo (en met wie)", "OPP nodig?"),
        source=f"{SEED}, fase 3 (interne leerlingbespreking)",
    ),
    MeetingType(
        key="po.mdo",
        label="Multidisciplinair overleg (mdo)",
        description="School, ouders (en eventueel leerling) en jeugdhulp analyseren samen en spreken doelen "
                    "en ondersteuning af.",
        default_participants=("Leerkracht", "IB'er", "Ouders/verzorgers", "Leerling (eventueel)",
                              "Jeugdhulp", "Leerplicht of JGZ (indien betrokken)"),
        default_agenda=("Wat hebben kind, ouders en leerkracht nodig?", "Analyse",
                        "Doelen", "Ondersteuning op school en door jeugdhulp", "Evaluatiemoment"),
        source=f"{SEED}, fase 4 (multidisciplinair overleg); definitie mdo in de inleiding",
    ),
    MeetingType(
        key="po.integraal_overleg",
        label="Integraal overleg",
        description="Overleg over de inzet van onderwijs, jeugdhulp en zorg in samenhang, zo nodig met de "
                    "gemeente.",
        default_participants=("IB'er", "Ouders/verzorgers", "Jeugdhulp", "Aanspreekpunt gemeente"),
        default_agenda=("Besluit over extra of speciale ondersteuning", "Toegang tot jeugdhulp en zorg",
                        "Deskundigenadvies en TLV", "Leerlingenvervoer"),
        source=f"{SEED}, fase 5 (arrangeren, toeleiden en toegang)",
    ),
    MeetingType(
        key="po.evaluatie",
        label="Evaluatieoverleg",
        description="Samen met alle betrokkenen nagaan of de doelen gehaald worden en de aanpak bijstellen.",
        default_participants=("Leerkracht", "IB'er", "Ouders/verzorgers", "Jeugdhulp (indien betrokken)"),
        default_agenda=("Voortgang", "Doelbereik en proces", "Bijstelling van de aanpak"),
        source=f"{SEED}, fase 6 (uitvoeren en evalueren)",
    ),
)

# The forms the route names. Each is an application to the SWV: ``applications.py`` gives it its fields, advices,
# guards and decision (an ``ApplicationType`` with the same key, label and source), and ``plugin.py`` registers that.
FORMS = (
    FormType(
        key="po.tlv_sbo_so",
        label="Aanvraag toelaatbaarheidsverklaring (TLV) SBO/SO",
        description="Voor plaatsing in het speciaal basisonderwijs of speciaal onderwijs vraagt de school bij "
                    "het samenwerkingsverband een TLV aan.",
        source=f"{SEED}, fase 5 (bij plaatsing in SBO of SO een TLV aanvragen; OPP opstellen, deskundigenadvies "
               "vragen)",
    ),
)

GUARDS = ()

ROUTE = Route(
    key="po.route",
    label="Ondersteuningsroute primair onderwijs",
    sector="PO",
    version="1",
    phases=PHASES,
    source=f"{SEED} (NJI referentiemodel ondersteuningsroute PO)",
    documents={SEED: "NJI-referentiemodel ondersteuningsroute PO"},
    terms={"mentor": "Leerkracht", "mentors": "Leerkrachten"},
)
