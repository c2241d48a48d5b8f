"""The dossier sections of annex 1 of the SWV 22.02 route document (seed 004, bijlage 1).

Every school files the same sections (R-DRE-1); plugins may add their own through
``register_dossier_sections``.
"""

from __future__ import annotations

from typing import NamedTuple


class Section(NamedTuple):
    key: str
    label: str
    description: str
    source: str


CORE_SECTIONS: tuple[Section, ...] = (
    Section("personal", "Persoonsgegevens",
            "Naam, geboortedatum, geslacht, adres en contactgegevens van ouders; BSN alleen als het nodig is; "
            "nationaliteit en geboorteland.", "seed 004, bijlage 1"),
    Section("education", "Onderwijs",
            "Inschrijving en schoolloopbaan, toets- en examenresultaten, overgangsbesluiten en cijfers, "
            "faciliteiten zoals een dyslexieverklaring of LWOO-indicatie.", "seed 004, bijlage 1"),
    Section("support", "Ondersteuning",
            "Handelingsplannen, OPP, verslagen van overleg, evaluaties en indicaties.", "seed 004, bijlage 1"),
    Section("absence_behaviour", "Verzuim en gedrag",
            "Geoorloofd en ongeoorloofd verzuim, meldingen aan de leerplichtambtenaar, gedrags- en "
            "incidentmeldingen, afspraken over pesten en sociale veiligheid.", "seed 004, bijlage 1"),
    Section("communication", "Communicatie en overleg",
            "Correspondentie en gesprekken met ouders, mdo-verslagen, contacten met externe instanties.",
            "seed 004, bijlage 1"),
    Section("transfer", "Overdracht",
            "Overdrachtsgegevens, toestemmingsformulieren, eindgesprek en advies voor vervolgonderwijs.",
            "seed 004, bijlage 1"),
)
