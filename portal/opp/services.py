"""The OPP: drawing it up (versioned), the instemming with its handelingsdeel and the consultation about the rest,
evaluations, the status and why, the dossier entry, the ROD list and the values an application is prefilled with.

Rules (WPO art. 40a, WVO 2020 art. 8.11/8.12; docs/route-sources.md "OPP"): the OPP holds the
uitstroomperspectief with its onderbouwing and the bevorderende and belemmerende factoren; the handelingsdeel
needs the instemming of a parent with gezag, or of the student alone once of age (18; portal.students.deciders),
recorded in the consent register for the handelingsdeel as it then read, unless it sets no individual support;
the rest needs a recorded op overeenstemming gericht overleg. Without all of it the OPP is a concept. Every
service takes the actor and audits with it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import peewee as pw
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock, policy, versioning
from portal.audit import services as audit
from portal.consent import rules as consent_rules
from portal.consent import services as consent_services
from portal.consent.models import Consent
from portal.db import database, utcnow
from portal.dossier import services as dossier
from portal.dossier.sections import SUPPORT
from portal.language import portal_language
from portal.auth.models import User
from portal.opp.models import Opp, OppEvaluation, OppResponse
from portal.route.engine import has_text
from portal.students import deciders
from portal.schools.models import School
from portal.students.models import Guardian, Student

SOURCE_TYPE = "opp"  # dossier source type (label in portal.labels.SOURCE_TYPES)
DRAW_UP_DAYS = 42  # drawn up within six weeks after the additional support started
EVALUATION_DAYS = 365  # evaluated with the parents at least once a school year
CONCEPT, AGREED = "concept", "vastgesteld"

DIRECTIONS = {
    "vervolgonderwijs": _l("vervolgonderwijs"),
    "arbeidsmarkt": _l("arbeidsmarkt"),
    "dagbesteding": _l("dagbesteding"),
}
DOMAINS = {
    "leren": _l("Leren (taal, rekenen en de andere vakken)"),
    "sociaal_emotioneel": _l("Sociaal-emotionele ontwikkeling"),
    "werkhouding": _l("Werkhouding en leren leren"),
    "zelfredzaamheid": _l("Zelfredzaamheid en communicatie"),
}
OTV_REASONS = {
    "medisch": _l("medische redenen"),
    "beperking": _l("een beperking"),
    "persoonlijk": _l("de persoonlijke situatie van de leerling"),
}
STATUS_LABELS = {CONCEPT: _l("concept"), AGREED: _l("vastgesteld")}


class Refused(Exception):
    """What the rules do not allow, with every Dutch reason (shown next to the form); ``fields``: the reason that
    belongs next to a field, by the OPP field's name."""

    def __init__(self, reasons: list[str], fields: dict[str, str] | None = None):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.fields = fields or {}


# The uitstroomperspectief an OPP needs before it is vastgesteld (R-LAW-OPP-1), with the message for each field.
PERSPECTIVE_REQUIRED = {
    "perspective_level": _l("Vul het verwachte uitstroomniveau in: zonder uitstroomperspectief wordt het OPP niet "
                            "vastgesteld."),
    "rationale": _l("Vul de onderbouwing van het uitstroomperspectief in: die is nodig voordat het OPP wordt "
                    "vastgesteld."),
    "promoting_factors": _l("Vul de bevorderende factoren in: die zijn nodig voordat het OPP wordt vastgesteld."),
    "hindering_factors": _l("Vul de belemmerende factoren in: die zijn nodig voordat het OPP wordt vastgesteld."),
}


# --- reading ---------------------------------------------------------------------------------------------------

def opp_of(student) -> Opp | None:
    return Opp.get_or_none(Opp.student == getattr(student, "id", student))


def goals_of(opp: Opp) -> dict[str, str]:
    try:
        stored = json.loads(opp.goals or "{}")
    except ValueError:
        stored = {}
    return {key: str(stored.get(key) or "") for key in DOMAINS}


def responses_of(opp: Opp) -> list[OppResponse]:
    return responses_by_opp([opp.id]).get(opp.id, [])


def responses_by_opp(opp_ids: list[int]) -> dict[int, list[OppResponse]]:
    """The answers to these OPPs, newest first, with their consent and its giver joined: one query for a page or
    a list of OPPs, however many answers each has."""
    result: dict[int, list[OppResponse]] = {}
    if not opp_ids:
        return result
    giver = Guardian.alias()
    query = (OppResponse.select(OppResponse, Guardian, Consent, giver)
             .join_from(OppResponse, Guardian, pw.JOIN.LEFT_OUTER, on=(OppResponse.guardian == Guardian.id),
                        attr="guardian")
             .join_from(OppResponse, Consent, pw.JOIN.LEFT_OUTER, on=(OppResponse.consent == Consent.id),
                        attr="consent")
             .join_from(Consent, giver, pw.JOIN.LEFT_OUTER, on=(Consent.guardian == giver.id), attr="guardian")
             .where(OppResponse.opp.in_(opp_ids))
             .order_by(OppResponse.given_on.desc(), OppResponse.id.desc()))
    for response in query:
        result.setdefault(response.opp_id, []).append(response)
    return result


def evaluations_of(opp: Opp) -> list[OppEvaluation]:
    return list(OppEvaluation.select().where(OppEvaluation.opp == opp.id)
                .order_by(OppEvaluation.held_on.desc(), OppEvaluation.id.desc()))


def handelingsdeel_of(values) -> str:
    """The fingerprint of the handelingsdeel (an Opp or a dict of its fields): an instemming answers this text."""
    get = values.get if isinstance(values, dict) else (lambda name: getattr(values, name))
    return versioning.fingerprint({name: get(name) for name in Opp.HANDELINGSDEEL})


def has_handelingsdeel(opp: Opp) -> bool:
    return bool((opp.support or "").strip())


def needs_instemming(opp: Opp) -> bool:
    """A handelingsdeel that sets no individual support needs no instemming (R-LAW-OPP-2)."""
    return not opp.no_individual_support


def perspective_missing(values) -> dict[str, str]:
    """The uitstroomperspectief's parts still empty (an Opp or a dict of its fields): {field: Dutch message}."""
    get = values.get if isinstance(values, dict) else (lambda name: getattr(values, name))
    return {name: str(message) for name, message in PERSPECTIVE_REQUIRED.items() if not has_text(get(name))}


def may_write(student, actor: policy.Actor) -> bool:
    """May this actor draw up this student's OPP (the page offers its forms only then)?"""
    return actor.can("opp", "write") and policy.sees_student(("opp", "write"), actor, student.id)


def recipient_of(opp: Opp) -> str:
    """The consent register's recipient of an instemming: the school that carries out the handelingsdeel."""
    return opp.school.name


@dataclass(frozen=True)
class Status:
    """The OPP's status and every reason it is still a concept (empty when vastgesteld)."""

    key: str
    reasons: tuple[str, ...]
    agreement: OppResponse | None  # the instemming that counts now
    handelingsdeel_agreed: bool
    consultation_recorded: bool
    needs_instemming: bool = True  # False: the handelingsdeel sets no individual support

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.key])


def status_of(opp: Opp, on: dt.date | None = None, responses: list[OppResponse] | None = None) -> Status:
    """Concept or vastgesteld, with the reasons; ``responses`` as ``responses_by_opp`` gives them (a list)."""
    day = on or clock.today()
    agreement, consent_reason = _agreement(opp, day, responses_of(opp) if responses is None else responses)
    reasons = list(perspective_missing(opp).values())
    if not needs_instemming(opp):
        agreement = None  # nothing to agree to: no individual support
    elif not has_handelingsdeel(opp):
        reasons.append(_("Het handelingsdeel is nog niet beschreven: welke ondersteuning de leerling krijgt (of "
                         "dat het OPP geen individuele ondersteuning inzet)."))
    elif consent_reason:
        reasons.append(consent_reason)
    consulted = opp.consultation_on is not None and bool(opp.consultation_with.strip())
    if not consulted:
        reasons.append(_("Het op overeenstemming gericht overleg met de ouders (en de leerling) over het OPP is nog "
                         "niet vastgelegd: vul de datum in en met wie is overlegd."))
    return Status(key=CONCEPT if reasons else AGREED, reasons=tuple(reasons), agreement=agreement,
                  handelingsdeel_agreed=agreement is not None and has_handelingsdeel(opp),
                  consultation_recorded=consulted, needs_instemming=needs_instemming(opp))


def _agreement(opp: Opp, day: dt.date, responses: list[OppResponse]) -> tuple[OppResponse | None, str]:
    """The instemming that counts today, or None with the reason none does (the latest one's problem)."""
    student = opp.student
    current = handelingsdeel_of(opp)
    agreeing = [r for r in responses if r.agrees and r.consent_id]
    if not agreeing:
        who = (_("de leerling zelf (18 jaar of ouder)") if deciders.decides_under_education_law(student, day)
               else _("een ouder of verzorger met gezag"))
        return None, _("Er is geen instemming met het handelingsdeel vastgelegd. Instemming is nodig van %(who)s.",
                       who=who)
    for response in agreeing:
        consent = response.consent  # linked explicitly: its own recipient (the school, as it was then named)
        guardian = response.guardian if response.guardian_id else None
        if consent.given_by == "guardian" and guardian is None:
            continue  # the parent was removed from the student: never read as the student's own instemming
        if response.handelingsdeel == current and consent_rules.is_valid(
                consent, (consent_rules.OPP_HANDELINGSDEEL,), consent.recipient, day, student):
            return response, ""  # the register's rule: the giver was a decider on the day they agreed
    latest = agreeing[0]
    if latest.handelingsdeel != current:
        return None, _("Het handelingsdeel is gewijzigd na de instemming van %(name)s op %(day)s. Voor het "
                       "gewijzigde handelingsdeel is opnieuw instemming nodig.", name=latest.name,
                       day=clock.show(latest.given_on, "date"))
    if latest.consent.withdrawn_at is not None:
        return None, _("De instemming van %(name)s met het handelingsdeel is ingetrokken op %(day)s. Leg opnieuw "
                       "instemming vast.", name=latest.name, day=clock.show(latest.consent.withdrawn_at, "date"))
    guardian = latest.guardian if latest.guardian_id else None
    if latest.consent.given_by == "guardian" and guardian is None:
        return None, _("De ouder of verzorger die instemde, staat niet meer bij de leerling. Leg opnieuw instemming "
                       "vast.")
    giver = consent_rules.counts(latest.consent, student, day)
    if giver:
        return None, giver[0]
    return None, _("De instemming van %(name)s met het handelingsdeel geldt vandaag niet (meer).", name=latest.name)


# --- drawing up ------------------------------------------------------------------------------------------------

def create(student: Student, support_start: dt.date, *, actor: policy.Actor) -> Opp:
    """A new OPP (a concept), from the day the additional support started; one per student."""
    if opp_of(student) is not None:
        raise Refused([_("Deze leerling heeft al een OPP; werk dat bij.")])
    try:
        with database.atomic():
            opp = Opp.create(student=student.id, school=student.school_id, support_start=support_start,
                             created_by=actor.id)
            audit.write("opp.create", "opp", opp.id, student_id=student.id, actor=actor)
            file_in_dossier(opp, actor)
    except pw.IntegrityError:  # started at the same moment by another request: that one is the student's OPP
        raise Refused([_("Deze leerling heeft al een OPP; werk dat bij.")]) from None
    return opp


FINALISING = ("consultation_on", "consultation_with")  # recording the overleg about the rest finalises the OPP


def save_refusals(opp: Opp, changes: dict) -> dict[str, str]:
    """What this save may not store, by field (Dutch): the overleg that finalises the OPP recorded (or kept) while
    the uitstroomperspectief is incomplete (R-LAW-OPP-1); "no individual support" with a handelingsdeel that sets
    some. Only the part being saved is judged, so another part of an older, incomplete OPP still saves."""
    after = {name: changes.get(name, getattr(opp, name)) for name in Opp.VERSIONED_FIELDS}
    found: dict[str, str] = {}
    if set(changes) & {*PERSPECTIVE_REQUIRED, *FINALISING} and after["consultation_on"]:
        found.update(perspective_missing(after))
    if set(changes) & {"no_individual_support", *Opp.HANDELINGSDEEL} and after["no_individual_support"] and any(
            has_text(str(after[name])) for name in Opp.HANDELINGSDEEL if after[name] is not None):
        found["no_individual_support"] = _("U koos voor geen individuele ondersteuning, maar het handelingsdeel "
                                           "beschrijft ondersteuning, een afwijking of een OTV: maak die leeg of "
                                           "zet het vinkje uit.")
    return found


def save(opp: Opp, expected_version: int, changes: dict, *, actor: policy.Actor) -> Opp:
    """Store a part of the OPP (EditConflict when someone saved in between); the dossier entry follows.
    Refused (with the message by field) for what ``save_refusals`` finds; nothing is stored then."""
    unknown = set(changes) - set(Opp.VERSIONED_FIELDS)
    if unknown:
        raise ValueError(f"not OPP fields: {sorted(unknown)}")
    refusals = save_refusals(opp, changes)
    if refusals:
        raise Refused(list(refusals.values()), refusals)
    # An empty text is "" (the columns are NOT NULL); a number or date may be empty.
    changes = {k: ("" if v is None and not Opp._meta.fields[k].null else v) for k, v in changes.items()}
    if "goals" in changes and isinstance(changes["goals"], dict):
        changes = {**changes, "goals": json.dumps({k: changes["goals"].get(k, "") for k in DOMAINS},
                                                  ensure_ascii=False, sort_keys=True)}
    with database.atomic():
        saved = versioning.save_version(opp, expected_version, changes, actor.id, extra={"updated_at": utcnow()})
        audit.write("opp.update", "opp", opp.id, student_id=opp.student_id, actor=actor)
        file_in_dossier(saved, actor)
    return saved


def record_response(opp: Opp, *, guardian_id: int | None, given_on: dt.date, agrees: bool, view: str,
                    scan=None, actor: policy.Actor) -> OppResponse:
    """A parent's (with gezag) or, once of age (18), the student's answer to the handelingsdeel as it reads now.

    Instemming goes into the consent register (purpose OPP_HANDELINGSDEEL) and is linked to this handelingsdeel;
    a disagreement is kept with their view and shown on the OPP, never dropped."""
    student = opp.student
    guardian = None
    reasons = []
    if guardian_id is not None:
        guardian = Guardian.get_or_none((Guardian.id == guardian_id) & (Guardian.student == student.id))
        if guardian is None:
            raise Refused([_("Kies een ouder of verzorger van deze leerling.")])
    if not needs_instemming(opp):
        reasons.append(_("Het handelingsdeel zet geen individuele ondersteuning in: daarvoor is geen instemming "
                         "nodig."))
    elif not has_handelingsdeel(opp):
        reasons.append(_("Beschrijf eerst het handelingsdeel; daarmee stemmen ouders of de leerling in."))
    if given_on > clock.today():
        reasons.append(_("De datum mag niet in de toekomst liggen."))
    if agrees:
        reasons += consent_services.giver_reasons(student, guardian, given_on, consent_services.OPP_HANDELINGSDEEL)
    elif not view.strip():
        reasons.append(_("Schrijf op waarom de ouder of de leerling het niet eens is (hun mening in hun woorden)."))
    if reasons:
        raise Refused(reasons)
    name = guardian.name if guardian else student.full_name
    with database.atomic():
        consent = None
        if agrees:
            consent = consent_services.record(student, {
                "given_by": "guardian" if guardian else "student", "guardian": guardian,
                "purpose": consent_services.OPP_HANDELINGSDEEL, "recipient": recipient_of(opp),
                "given_on": given_on, "valid_until": None}, scan=scan, actor=actor)
        response = OppResponse.create(opp=opp.id, guardian=guardian.id if guardian else None, name=name,
                                      given_on=given_on, agrees=agrees, view=view.strip(),
                                      consent=consent.id if consent else None,
                                      handelingsdeel=handelingsdeel_of(opp), opp_version=opp.version,
                                      recorded_by=actor.id)
        audit.write("opp.response", "opp", opp.id, student_id=student.id, actor=actor)
        file_in_dossier(opp, actor)
    return response


def add_evaluation(opp: Opp, *, held_on: dt.date, with_whom: str, with_parents: bool, outcome: str,
                   actor: policy.Actor) -> OppEvaluation:
    with database.atomic():
        evaluation = OppEvaluation.create(opp=opp.id, held_on=held_on, with_whom=with_whom.strip()[:300],
                                          with_parents=with_parents, outcome=outcome.strip(), recorded_by=actor.id)
        audit.write("opp.evaluation", "opp", opp.id, student_id=opp.student_id, actor=actor)
        file_in_dossier(opp, actor)
    return evaluation


# --- deadlines -------------------------------------------------------------------------------------------------

def draw_up_due(opp: Opp) -> dt.date:
    return opp.support_start + dt.timedelta(days=DRAW_UP_DAYS)


def evaluation_due(opp: Opp, evaluations: list[OppEvaluation] | None = None) -> dt.date:
    """A year after the latest evaluation with the parents; the first a year after the OPP was due."""
    rows = evaluations_of(opp) if evaluations is None else evaluations
    with_parents = [e.held_on for e in rows if e.with_parents]
    base = max(with_parents) if with_parents else draw_up_due(opp)
    return base + dt.timedelta(days=EVALUATION_DAYS)


# --- the document: dossier entry, text and PDF context ------------------------------------------------------------

def title_of(opp: Opp) -> str:
    return _("Ontwikkelingsperspectief (OPP): %(status)s", status=status_of(opp).label)


def sections_of(opp: Opp) -> list[tuple[str, list[tuple[str, str]]]]:
    """The OPP as (heading, [(label, text)]) in reading order: the page, the dossier text and the PDF."""
    def day(value):
        return clock.show(value, "date") if value else "—"

    otv = "—"
    if opp.otv_hours:
        otv = _("%(hours)s uur per week minder, van %(start)s tot en met %(end)s, vanwege %(reason)s",
                hours=opp.otv_hours, start=day(opp.otv_from), end=day(opp.otv_until),
                reason=str(OTV_REASONS.get(opp.otv_reason, "—")))
    goals = goals_of(opp)
    return [
        (_("Uitstroomperspectief"), [
            (_("Verwacht niveau"), opp.perspective_level),
            (_("Richting"), str(DIRECTIONS.get(opp.perspective_direction, ""))),
            (_("Onderbouwing"), opp.rationale),
            (_("Bevorderende factoren"), opp.promoting_factors),
            (_("Belemmerende factoren"), opp.hindering_factors),
            (_("Op overeenstemming gericht overleg"),
             f"{day(opp.consultation_on)}: {opp.consultation_with}" if opp.consultation_on else "")]),
        (_("Doelen per ontwikkelingsgebied"), [(str(DOMAINS[key]), goals[key]) for key in DOMAINS]),
        (_("Handelingsdeel"), [
            *([(_("Individuele ondersteuning"), _("geen: het OPP zet geen individuele ondersteuning in, er is geen "
                                                  "instemming nodig"))] if opp.no_individual_support else []),
            (_("Ondersteuning en begeleiding"), opp.support),
            (_("Afwijking van het onderwijsprogramma"), opp.deviation),
            (_("Onderwijstijdverkorting (OTV)"), otv)]),
        (_("Looptijd en registratie in het ROD"), [
            (_("Start van de extra ondersteuning"), day(opp.support_start)),
            (_("Einde van het OPP"), day(opp.ends_on)),
            (_("Aangemeld in het ROD op"), day(opp.rod_registered_on)),
            (_("Afgemeld in het ROD op"), day(opp.rod_deregistered_on))]),
    ]


def text_of(opp: Opp) -> str:
    status = status_of(opp)
    lines = [title_of(opp)]
    lines += [f"- {reason}" for reason in status.reasons]
    for heading, rows in sections_of(opp):
        lines += ["", heading]
        lines += [f"{label}: {value or '—'}" for label, value in rows]
    answers = responses_of(opp)
    if answers:
        lines += ["", _("Instemming en mening")]
    for r in answers:
        verdict = _("stemt in met het handelingsdeel") if r.agrees else _("is het niet eens met het handelingsdeel")
        lines.append(f"{clock.show(r.given_on, 'date')}: {r.name} {verdict}" + (f" ({r.view})" if r.view else ""))
    evaluations = evaluations_of(opp)
    if evaluations:
        lines += ["", _("Evaluaties")]
    for e in evaluations:
        lines.append(f"{clock.show(e.held_on, 'date')} ({e.with_whom}): {e.outcome}")
    return "\n".join(lines)


def file_in_dossier(opp: Opp, actor: policy.Actor):
    """The OPP's one entry in the dossier, a new version whenever the OPP (or its status) changes."""
    opp = Opp.get_by_id(opp.id)
    with portal_language():
        return dossier.file_source(opp.student_id, source_type=SOURCE_TYPE, source_id=opp.id, section=SUPPORT,
                                   kind=SOURCE_TYPE, title=title_of(opp), body=text_of(opp), actor=actor)


# --- prefill of applications -------------------------------------------------------------------------------------

def _joined(*parts: tuple[str, str]) -> str:
    return "\n\n".join(f"{label}: {text}" for label, text in parts if (text or "").strip())


PREFILL = {
    "perspective": lambda o: _joined((_("Verwacht niveau"), o.perspective_level),
                                     (_("Richting"), str(DIRECTIONS.get(o.perspective_direction, "")))),
    "rationale": lambda o: _joined((_("Onderbouwing"), o.rationale),
                                   (_("Bevorderende factoren"), o.promoting_factors),
                                   (_("Belemmerende factoren"), o.hindering_factors)),
    "promoting_factors": lambda o: o.promoting_factors,
    "hindering_factors": lambda o: o.hindering_factors,
    "goals": lambda o: _joined(*((str(DOMAINS[k]), v) for k, v in goals_of(o).items())),
    "support": lambda o: o.support,
    "deviation": lambda o: o.deviation,
    "handelingsdeel": lambda o: _joined((_("Ondersteuning en begeleiding"), o.support),
                                        (_("Afwijking van het onderwijsprogramma"), o.deviation)),
    # the OTV of the handelingsdeel, as the values an application's fields take (a number, ISO dates, the key)
    "otv_hours": lambda o: str(o.otv_hours) if o.otv_hours else "",
    "otv_from": lambda o: o.otv_from.isoformat() if o.otv_from else "",
    "otv_until": lambda o: o.otv_until.isoformat() if o.otv_until else "",
    "otv_reason": lambda o: o.otv_reason,
}
"""The OPP field names an ``ApplicationType.opp_fields`` may name, each giving plain text."""


def prefill(student, opp_fields) -> dict[str, str]:
    """An application's first values from the student's OPP: {form field: text} for the named OPP fields."""
    opp = opp_of(student) if opp_fields else None
    if opp is None:
        return {}
    with portal_language():
        values = {name: PREFILL[source](opp) for name, source in dict(opp_fields).items() if source in PREFILL}
    return {name: value for name, value in values.items() if value}


# --- the ROD list ----------------------------------------------------------------------------------------------

REGISTER, DEREGISTER = "aanmelden", "afmelden"
ROD_ACTIONS = {REGISTER: _l("aanmelden"), DEREGISTER: _l("afmelden")}


@dataclass(frozen=True)
class RodRow:
    action: str  # REGISTER | DEREGISTER
    opp: Opp
    student: Student


def registers_in_rod(school_id: int | None) -> bool:
    """Whether this school registers its OPPs in the ROD: the plugins' answer (``opp_in_rod``), else yes."""
    school = School.get_or_none(School.id == school_id) if school_id else None
    return school is None or current_app.extensions["plugin_manager"].hook.opp_in_rod(school=school) is not False


def rod_rows(*, actor: policy.Actor) -> list[RodRow]:
    """The school's OPPs to register in the ROD (vastgesteld, not registered yet) and to deregister (ended,
    still registered), by student number: the order the school enters them. None at a school that does not
    register its OPPs (``registers_in_rod``)."""
    if not registers_in_rod(actor.school_id):
        audit.read("opp.rod", "opp", None, actor=actor)
        return []
    visible = policy.students(("opp", "write"), actor=actor).select(Student.id)
    query = (Opp.select(Opp, Student).join(Student, on=(Opp.student == Student.id))
             .where(Opp.student.in_(visible) & (Opp.school == actor.school_id)))
    opps = list(query)
    answers = responses_by_opp([o.id for o in opps if o.rod_registered_on is None])
    rows = []
    for opp in opps:
        if opp.rod_registered_on is None and status_of(opp, responses=answers.get(opp.id, [])).key == AGREED:
            rows.append(RodRow(REGISTER, opp, opp.student))
        elif opp.rod_registered_on and opp.rod_deregistered_on is None and opp.ends_on is not None:
            rows.append(RodRow(DEREGISTER, opp, opp.student))
    rows.sort(key=lambda r: (r.action != REGISTER, r.student.student_number, r.opp.id))
    audit.read("opp.rod", "opp", None, actor=actor)
    return rows


ROD_HEADERS = ("Leerlingnummer", "Achternaam", "Voornaam", "Geboortedatum", "Begindatum OPP", "Einddatum OPP",
               "Actie")


def rod_values(row: RodRow) -> list[str]:
    s, o = row.student, row.opp
    return [s.student_number, s.last_name, s.first_name, clock.show(s.birth_date, "date"),
            clock.show(o.support_start, "date"), clock.show(o.ends_on, "date") if o.ends_on else "",
            str(ROD_ACTIONS[row.action])]


# --- history ---------------------------------------------------------------------------------------------------

FIELD_LABELS = {
    "support_start": _l("Start van de extra ondersteuning"), "perspective_level": _l("Verwacht uitstroomniveau"),
    "perspective_direction": _l("Richting"), "rationale": _l("Onderbouwing"),
    "promoting_factors": _l("Bevorderende factoren"), "hindering_factors": _l("Belemmerende factoren"),
    "goals": _l("Doelen"), "consultation_on": _l("Datum van het overleg met ouders"),
    "consultation_with": _l("Met wie is overlegd"), "support": _l("Ondersteuning en begeleiding"),
    "deviation": _l("Afwijking van het onderwijsprogramma"), "otv_hours": _l("OTV: uren per week"),
    "otv_from": _l("OTV van"), "otv_until": _l("OTV tot en met"), "otv_reason": _l("Reden van de OTV"),
    "ends_on": _l("Einde van het OPP"), "rod_registered_on": _l("Aangemeld in het ROD op"),
    "rod_deregistered_on": _l("Afgemeld in het ROD op"),
    "no_individual_support": _l("Geen individuele ondersteuning"),
}


@dataclass(frozen=True)
class Version:
    number: int
    saved_at: dt.datetime | None
    author: str
    changed: tuple[tuple[str, str, str], ...]  # (label, before, after) of the fields this version changed


def history(opp: Opp, *, actor: policy.Actor) -> list[Version]:
    """Every version, newest first, with what it changed compared with the one before (audited as a read)."""
    revisions = versioning.history(opp)  # newest first: revision N holds version N as it was
    states = [(opp.version, versioning.snapshot(opp))] + [(r.version, r.fields) for r in revisions]
    authors = {r.version + 1: r.author_id for r in revisions}  # who saved the version after it
    authors[1] = opp.created_by_id
    names = {u.id: u.name for u in User.select(User.id, User.name).where(User.id.in_(
        [a for a in authors.values() if a]))}
    saved_at = {r.version + 1: r.created_at for r in revisions}
    saved_at[1] = opp.created_at

    dates = {"support_start", "consultation_on", "otv_from", "otv_until", "ends_on", "rod_registered_on",
             "rod_deregistered_on"}

    def norm(value) -> str:
        return "" if value in (None, "", "{}") or value is False else str(value)

    def shown(name, value) -> str:
        if norm(value) == "":
            return "—"
        if name == "goals":
            goals = json.loads(value) if isinstance(value, str) else value
            return "; ".join(f"{DOMAINS[k]}: {v}" for k, v in goals.items() if v and k in DOMAINS) or "—"
        if name == "perspective_direction":
            return str(DIRECTIONS.get(value, value))
        if name == "otv_reason":
            return str(OTV_REASONS.get(value, value))
        if name == "no_individual_support":
            return _("ja") if value in (True, 1, "1", "true", "True") else _("nee")
        if name in dates:
            return clock.show(value if isinstance(value, dt.date) else dt.date.fromisoformat(value), "date")
        return str(value)

    versions = []
    for index, (number, state) in enumerate(states):
        before = states[index + 1][1] if index + 1 < len(states) else {}
        changed = tuple((str(FIELD_LABELS[name]), shown(name, before.get(name)), shown(name, state.get(name)))
                        for name in Opp.VERSIONED_FIELDS if norm(before.get(name)) != norm(state.get(name)))
        versions.append(Version(number=number, saved_at=saved_at.get(number),
                                author=names.get(authors.get(number), ""), changed=changed))
    audit.read("opp.history", "opp", opp.id, student_id=opp.student_id, actor=actor)
    return versions
