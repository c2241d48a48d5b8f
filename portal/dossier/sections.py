"""The core sections of the student dossier, after annex 1 of the SWV 22.02 route document (seed 004).

Every school keeps the same sections (seed 004, §1: the dossier additions are equal for every school);
plugins may add their own sections next to these. Pure data: no Flask, no database.
"""

from __future__ import annotations

from typing import NamedTuple


class Section(NamedTuple):
    key: str
    label: str
    description: str
    source: str


# Keys of core sections that services file into (``dossier.services.file_source``): a caller names one of these,
# never a literal of its own.
SUPPORT = "support"

CORE_SECTIONS: tuple[Section, ...] = (
    Section(
        "personal", "Persoonsgegevens",
        "Naam, geboortedatum en geslacht van de leerling, adres en contactgegevens van ouders/verzorgers, "
        "nationaliteit en geboorteland; het BSN alleen als bekostiging of identificatie het vereist.",
        "seed 004, bijlage 1 (persoonsgegevens)",
    ),
    Section(
        "education", "Onderwijsgegevens",
        "Inschrijving en schoolloopbaan met start, einde en schoolwisselingen; toets- en examenresultaten; "
        "overgangsbeslissingen en cijfers; faciliteiten zoals een dyslexieverklaring of LWOO-indicatie.",
        "seed 004, bijlage 1 (onderwijsgegevens)",
    ),
    Section(
        SUPPORT, "Begeleiding en ondersteuning",
        "Handelingsplannen en zo nodig het OPP, verslagen van zorgoverleg en het interne ondersteuningsteam, "
        "evaluaties van de extra begeleiding en indicaties voor speciaal of passend onderwijs.",
        "seed 004, bijlage 1 (begeleiding en ondersteuning)",
    ),
    Section(
        "absence_behaviour", "Verzuim en gedrag",
        "Geoorloofd en ongeoorloofd verzuim, zorgsignalen en meldingen aan de leerplichtambtenaar, "
        "gedrags- en incidentverslagen, afspraken over pesten en sociale veiligheid.",
        "seed 004, bijlage 1 (verzuim en gedrag)",
    ),
    Section(
        "communication", "Communicatie en overleg",
        "Briefwisseling en gesprekken met ouders/verzorgers over resultaten en begeleiding, verslagen van "
        "oudergesprekken en multidisciplinair overleg, contacten met externe instanties.",
        "seed 004, bijlage 1 (communicatie en overleg)",
    ),
    Section(
        "transfer", "Overdracht en administratie",
        "Overdrachtsgegevens bij een schoolwissel, verklaringen en toestemmingsformulieren, en het einddossier "
        "met advies voor vervolgonderwijs bij het verlaten van de school.",
        "seed 004, bijlage 1 (overdracht en administratieve gegevens)",
    ),
)

# Sections other packages file their documents into (``dossier.services.file_source`` checks them against the
# registered sections): the meeting report goes to communication and consultation.
COMMUNICATION = "communication"
