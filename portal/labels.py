"""What a user reads instead of an internal key: one label table per kind of key, looked up where it is shown.

Keys stay in the database and the audit log (``entry.view``, ``meeting_report``); pages, mails and PDFs show
these labels. A key missing from a table never shows as itself: ``label`` falls back to a generic Dutch word.
Plugins bring their own labels with their registrations (phase, meeting type, guard, job, reminder kind).
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal import scheduler

# Dossier entries: the kind of an entry and the source it was filed from (one table for both).
SOURCE_TYPES = {
    "note": _l("Aantekening"),
    "conversation": _l("Gesprek"),
    "report": _l("Verslag"),
    "observation": _l("Observatie"),
    "plan": _l("Plan"),
    "evaluation": _l("Evaluatie"),
    "document": _l("Document"),
    "meeting_report": _l("Verslag van een overleg"),
    "route_transition": _l("Stap in de ondersteuningsroute"),
    "phase_plan": _l("Plan en evaluatie van een fase"),
    "application": _l("Aanvraag bij het samenwerkingsverband"),
    "application_advice": _l("Advies van een deskundige"),
    "application_decision": _l("Besluit van het samenwerkingsverband"),
    "opp": _l("Ontwikkelingsperspectief (OPP)"),
}

# Audit actions, as "<who> <does what>": %(object)s is the described record ("het verslag van 15-12").
AUDIT_ACTIONS = {
    "dossier.view": _l("bekeek het dossier"),
    "dossier.withdrawn": _l("bekeek de ingetrokken aantekeningen"),
    "entry.view": _l("las %(object)s"),
    "entry.history": _l("bekeek de geschiedenis van %(object)s"),
    "entry.create": _l("schreef %(object)s"),
    "entry.update": _l("wijzigde %(object)s"),
    "entry.withdraw": _l("trok %(object)s in"),
    "dossier.entry.create": _l("zette %(object)s in het dossier"),
    "dossier.entry.update": _l("werkte %(object)s in het dossier bij"),
    "attachment.download": _l("opende %(object)s"),
    "attachment.upload": _l("voegde %(object)s toe"),
    "attachment.delete": _l("verwijderde %(object)s"),
    "audit.view": _l("bekeek wie het dossier heeft ingezien"),
    "student.view": _l("bekeek de gegevens van de leerling"),
    "student.create": _l("schreef de leerling in"),
    "student.update": _l("wijzigde de gegevens van de leerling"),
    "student.unenrol": _l("schreef de leerling uit"),
    "guardian.create": _l("voegde %(object)s toe"),
    "guardian.update": _l("wijzigde %(object)s"),
    "guardian.delete": _l("verwijderde %(object)s"),
    "route.view": _l("bekeek het ondersteuningstraject"),
    "route.transition": _l("zette een stap in het ondersteuningstraject"),
    "route.plan": _l("werkte het plan van een fase bij"),
    "meeting.plan.form": _l("opende het formulier om een overleg te plannen"),
    "meeting.list": _l("bekeek de lijst met overleggen"),
    "meeting.view": _l("bekeek %(object)s"),
    "meeting.plan": _l("plande %(object)s"),
    "meeting.record": _l("legde %(object)s achteraf vast"),
    "meeting.update": _l("wijzigde %(object)s"),
    "meeting.cancel": _l("annuleerde %(object)s"),
    "meeting.contribution": _l("gaf een inbreng voor een overleg"),
    "meeting.documents": _l("deelde documenten voor %(object)s"),
    "meeting.attendance": _l("legde de aanwezigheid vast bij %(object)s"),
    "meeting.attachment.download": _l("opende %(object)s"),
    "meeting.report.view": _l("las %(object)s"),
    "meeting.report.pdf": _l("downloadde %(object)s als pdf"),
    "meeting.report.save": _l("werkte %(object)s bij"),
    "meeting.report.share": _l("deelde het verslag van %(object)s met de deelnemers"),
    "consent.list": _l("bekeek de toestemmingen"),
    "consent.record": _l("legde een toestemming vast"),
    "consent.withdraw": _l("trok een toestemming in"),
    "share_link.create": _l("maakte een gedeelde link"),
    "share_link.revoke": _l("trok een gedeelde link in"),
    "share_code.send": _l("vroeg een inlogcode aan"),
    "share_code.verify": _l("voerde de inlogcode in"),
    "share_code.fail": _l("voerde een onjuiste inlogcode in"),
    "guest.code_page": _l("opende de gedeelde link"),
    "guest.open": _l("opende de gedeelde link"),
    "guest.meeting.view": _l("bekeek %(object)s"),
    "guest.report.view": _l("las %(object)s"),
    "guest.contribution.save": _l("gaf een inbreng voor een overleg"),
    "guest.attachment.download": _l("opende %(object)s"),
    # administration (portal.admin.services; route.settings from portal.route.services)
    "school.create": _l("maakte %(object)s aan"),
    "school.update": _l("wijzigde de gegevens van %(object)s"),
    "group.create": _l("maakte %(object)s aan"),
    "group.update": _l("wijzigde de naam of het schooljaar van %(object)s"),
    "group.teachers": _l("wijzigde de leerkrachten van %(object)s"),
    "user.invite": _l("nodigde %(object)s uit"),
    "user.reactivate": _l("gaf %(object)s opnieuw toegang"),
    "user.create": _l("maakte een account aan voor %(object)s"),
    "user.leave": _l("meldde %(object)s uit dienst"),
    "user.deactivate": _l("zette het account van %(object)s uit"),
    "user.organisation": _l("legde de organisatie van %(object)s vast"),
    "user.second_factor_reset": _l("herstelde de tweede factor van %(object)s (opnieuw instellen bij inloggen)"),
    "user.recovery_codes": _l("maakte nieuwe herstelcodes voor de tweede factor van %(object)s"),
    "role.grant": _l("kende %(object)s toe"),
    "role.revoke": _l("trok %(object)s in"),
    "route.settings": _l("wijzigde de instellingen van de ondersteuningsroute van %(object)s"),
    # applications to the SWV (portal.applications.services)
    "application.create": _l("begon %(object)s"),
    "application.update": _l("werkte %(object)s bij"),
    "application.view": _l("bekeek %(object)s"),
    "application.share": _l("deelde een stuk uit het dossier bij %(object)s"),
    "application.unshare": _l("deelde een stuk niet langer bij %(object)s"),
    "application.sign": _l("legde een ondertekening vast bij %(object)s"),
    "application.document": _l("opende een gedeeld stuk van %(object)s"),
    "application.assign": _l("vroeg een deskundige om advies over %(object)s"),
    "application.advice": _l("gaf een advies over %(object)s"),
    "application.letter": _l("downloadde de besluitbrief van %(object)s"),
    "application.letter.send": _l("verstuurde de besluitbrief van %(object)s"),
    "application.submit": _l("diende %(object)s in"),
    "application.take_up": _l("nam %(object)s in behandeling"),
    "application.request_addition": _l("vroeg een aanvulling op %(object)s"),
    "application.supplement": _l("vulde %(object)s aan"),
    "application.grant": _l("kende %(object)s toe"),
    "application.refuse": _l("wees %(object)s af"),
    "application.object": _l("legde een bezwaar vast tegen het besluit over %(object)s"),
    "application.uphold_objection": _l("verklaarde het bezwaar over %(object)s gegrond"),
    "application.dismiss_objection": _l("verklaarde het bezwaar over %(object)s ongegrond"),
    "application.expire": _l("liet %(object)s verlopen"),
    "application.withdraw": _l("trok %(object)s in"),
    "application.queue": _l("bekeek de aanvragen bij het samenwerkingsverband"),
    "application.csv": _l("downloadde de lijst met aanvragen"),
    "swv.settings": _l("wijzigde de gegevens van het samenwerkingsverband"),
    "swv.advisor": _l("wijzigde de gegevens van een deskundige"),
    # the OPP (portal.opp.services and views)
    "opp.view": _l("bekeek het OPP"),
    "opp.history": _l("bekeek de geschiedenis van het OPP"),
    "opp.pdf": _l("downloadde het OPP als pdf"),
    "opp.create": _l("begon het OPP"),
    "opp.update": _l("werkte het OPP bij"),
    "opp.response": _l("legde de instemming of de mening over het handelingsdeel van het OPP vast"),
    "opp.evaluation": _l("legde een evaluatie van het OPP vast"),
    "opp.rod": _l("bekeek de OPP's om aan of af te melden in het ROD"),
}
GENERIC_ACTIONS = {"read": _l("bekeek %(object)s"), "write": _l("wijzigde %(object)s")}

# What a record is called when no more is known of it (it was deleted, or it is of a kind not described).
OBJECT_TYPES = {
    "student": _l("de gegevens van de leerling"),
    "entry": _l("een aantekening"),
    "attachment": _l("een bijlage"),
    "meeting": _l("een overleg"),
    "report": _l("een verslag"),
    "contribution": _l("een inbreng"),
    "consent": _l("een toestemming"),
    "guardian": _l("een ouder of verzorger"),
    "traject": _l("het ondersteuningstraject"),
    "phase_visit": _l("het plan van een fase"),
    "share_link": _l("een gedeelde link"),
    "school": _l("een school"),
    "group": _l("een groep"),
    "user": _l("een medewerker"),
    "membership": _l("een rol"),
    "application": _l("een aanvraag"),
    "advisor": _l("een deskundige"),
    "swv_settings": _l("de gegevens van het samenwerkingsverband"),
    "opp": _l("het OPP"),
}

# The core's reminder claims that are not reminder kinds of a plugin.
CLAIM_KINDS = {"core.digest": _l("Dagelijkse samenvatting per mail")}

# The hook specifications, for the plugins page of beheer (hookspec docstrings are English, for developers).
HOOKS = {
    "register_dossier_sections": _l("Dossiersecties die de plugin toevoegt naast de kernsecties."),
    "register_blueprints": _l("Eigen pagina's van de plugin."),
    "register_template_folder": _l("De map met de sjablonen van de plugin."),
    "register_migrations": _l("Databasewijzigingen voor de eigen gegevens van de plugin."),
    "nav_items": _l("Extra onderdelen in het hoofdmenu."),
    "register_routes": _l("Ondersteuningsroutes die de plugin definieert."),
    "extend_routes": _l("Fasen die de plugin toevoegt aan de route van een andere plugin."),
    "register_meeting_types": _l("Overlegvormen die fasen van een route kunnen gebruiken."),
    "register_forms": _l("Formulieren en aanvragen (zoals een TLV) die fasen kunnen gebruiken."),
    "adjust_application_type": _l("Een aanvraag van een andere plugin aanpassen, zoals eigen criteria."),
    "register_guards": _l("Regels die een stap in het traject kunnen tegenhouden, met de reden."),
    "route_for_student": _l("Welke route een nieuw traject van een leerling volgt."),
    "after_transition": _l("Wat de plugin doet nadat een stap in het traject is vastgelegd."),
    "register_reminder_kinds": _l("Soorten herinneringen en acties met een uiterste datum."),
    "register_jobs": _l("Taken die de planner op de achtergrond uitvoert."),
}

FALLBACK = _l("overig")


# Kinds of outside professional in an mdo: jeugdhulp means every provision under the Jeugdwet, the JGZ, leerplicht
# and the police (seed 002; docs/route-sources.md cites the Jeugdwet and the Wmo 2015 for Veilig Thuis).
JEUGDHULP_KINDS = {
    "wijkteam": _l("Sociaal team of wijkteam (toegang tot jeugdhulp)"),
    "jeugdhulp": _l("Jeugdhulp (ambulant of dagbehandeling)"),
    "jeugd_ggz": _l("Jeugd-GGZ"),
    "jeugdhulp_verblijf": _l("Jeugdhulp met verblijf (pleegzorg, gezinshuis, residentieel)"),
    "gesloten_jeugdhulp": _l("Gesloten jeugdhulp (jeugdzorgplus)"),
    "jeugdbescherming": _l("Jeugdbescherming (gecertificeerde instelling)"),
    "jeugdreclassering": _l("Jeugdreclassering"),
    "veilig_thuis": _l("Veilig Thuis"),
    "schoolmaatschappelijk_werk": _l("Schoolmaatschappelijk werk"),
    "jgz": _l("Jeugdgezondheidszorg (JGZ, GGD)"),
    "leerplicht": _l("Leerplicht (leerplichtambtenaar, RMC)"),
    "politie": _l("Politie"),
    "overig": _l("Andere organisatie"),
}


def jeugdhulp_kind(key: str | None) -> str:
    """The label of an outside professional's kind; empty when none was chosen."""
    return label(JEUGDHULP_KINDS, key) if key else ""


def label(table: dict, key: str | None, fallback=None) -> str:
    """The label of ``key`` in ``table``; never the key itself."""
    found = table.get(key or "")
    return str(found if found is not None else (fallback if fallback is not None else FALLBACK))


def source_type(key: str | None) -> str:
    return label(SOURCE_TYPES, key)


def audit_action(action: str, kind: str, object_text: str) -> str:
    template = AUDIT_ACTIONS.get(action) or GENERIC_ACTIONS.get(kind, GENERIC_ACTIONS["read"])
    return str(template) % {"object": object_text}


def object_type(key: str | None) -> str:
    return label(OBJECT_TYPES, key, _l("een gegeven"))


def hook(name: str) -> str:
    return label(HOOKS, name, "")


def _registry():
    return current_app.extensions["registry"]


def job(key: str) -> str:
    """The label of a background job (the core's own and the plugins')."""
    found = {j.key: j for j in scheduler.jobs(current_app)}.get(key)
    return str(found.label) if found else label(CLAIM_KINDS, key, _l("Taak"))


def reminder_kind(key: str) -> str:
    found = _registry().reminder_kinds.get(key)
    return str(found.label) if found else label(CLAIM_KINDS, key, _l("Herinnering"))


# --- source references ("seed 004, §2.1") ---------------------------------------------------------------

_SEED = re.compile(r"\bseeds? ((?:\d{3})(?:(?:, | en )\d{3})*)")


def documents() -> dict[str, str]:
    """Citation key -> document title, from every registered route (``Route.documents``)."""
    merged: dict[str, str] = {}
    for route in _registry().routes.values():
        merged.update(route.documents)
    return merged


def citation(source: str, route=None) -> str:
    """A source reference as a reader knows it: "seed 004, §2.1" -> "Ondersteuningsroute SWV 22.02, §2.1"."""
    if not source:
        return ""
    titles = {**documents(), **(getattr(route, "documents", None) or {})}

    def title(match: re.Match) -> str:
        numbers = re.split(r", | en ", match.group(1))
        names = [titles.get(f"seed {n}") for n in numbers]
        if any(n is None for n in names):
            return str(_l("brondocument"))
        return " en ".join(names)

    return _SEED.sub(title, source)
