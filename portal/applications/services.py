"""Applications to the SWV: drawing up, sharing, signing, the workflow's steps, advices and the decision.

Every service takes the actor and audits with it. The workflow's table lives in ``workflow.py``; this module
loads an application's state, adds the core's rules (what must be in before a step) and the type's own guards,
and stores the result with its step, its dossier entry and its mail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import json
from dataclasses import dataclass, field

import peewee as pw

from portal import clock, policy, versioning
from portal.applications import fields, workflow
from portal.applications.catalog import available_types, settings
from portal.applications.decisions import decision_of, type_label, type_of, types
from portal.applications.models import Advice, Advisor, Application, ApplicationStep, SharedItem, Signature, SwvSettings
from portal.applications.types import DECIDERS, PROFESSIONS, SWV, ApplicationType
from portal.applications.workflow import Action, Side, Status
from portal.audit import services as audit
from portal.auth.models import Membership, User
from portal.consent import rules as consent
from portal.db import database, utcnow
from portal.dossier import services as dossier
from portal.dossier.sections import SUPPORT
from portal.language import portal_language
from portal.notifications import events
from portal.meetings import services as meeting_services
from portal.opp import services as opp
from portal.route.engine import has_text, is_real_text
from portal.schools.models import School
from portal.students import deciders
from portal.students.models import Guardian, Student

if TYPE_CHECKING:  # only named in a signature
    from portal.dossier.models import Attachment, Entry

SOURCE_SUBMISSION = "application"  # dossier source types (labels in portal.labels.SOURCE_TYPES)
SOURCE_ADVICE = "application_advice"
SOURCE_DECISION = "application_decision"
ADVICE_DAYS = 21  # default term of an advice, from the day it was asked
OUTCOME_ON = "outcome_on"  # the day the real decider decided, as the school records it (a type not decided by the SWV)
CONCLUSIONS = {"toelaatbaar": "toelaatbaar", "niet_toelaatbaar": "niet toelaatbaar"}


class Refused(workflow.Refused):
    """A step or change the rules do not allow, with every Dutch reason (shown next to the form)."""


# --- reading -------------------------------------------------------------------------------------------------

def data_of(application: Application) -> dict:
    return json.loads(application.data or "{}")


def state_of(application: Application) -> workflow.ApplicationState:
    steps = tuple(workflow.Step(Action(s.action), Status(s.from_status), Status(s.to_status), s.by_id,
                                clock.local_date(s.at), s.reason)
                  for s in steps_of(application) if s.action in Action.__members__.values())
    return workflow.ApplicationState(status=Status(application.status),
                                     decision=Status(application.decision) if application.decision else None,
                                     decided_on=application.decided_on, history=steps,
                                     swv_decides=swv_decides(application),
                                     advice_only=type_of(application).advice_only)


def swv_decides(application: Application) -> bool:
    """Whether the SWV takes this application's decision (its type's ``decider``), or the school records it."""
    return type_of(application).decider == SWV


def decider_label(application: Application) -> str:
    return str(DECIDERS[type_of(application).decider])


def steps_of(application: Application) -> list[ApplicationStep]:
    return list(ApplicationStep.select(ApplicationStep, User).join(User, pw.JOIN.LEFT_OUTER, on=(ApplicationStep.by == User.id))
                .where(ApplicationStep.application == application.id).order_by(ApplicationStep.at, ApplicationStep.id))


def shared_of(application: Application) -> list[SharedItem]:
    return list(SharedItem.select().where(SharedItem.application == application.id).order_by(SharedItem.id))


def advices_of(application: Application) -> list[Advice]:
    return list(Advice.select(Advice, Advisor, User).join(Advisor).join(User)
                .where(Advice.application == application.id).order_by(Advice.id))


def signatures_of(application: Application) -> list[Signature]:
    return list(Signature.select().where(Signature.application == application.id).order_by(Signature.id))


def is_adult(student: Student, day: dt.date | None = None) -> bool:
    """Signs the application alone: of age (18) on this Amsterdam date (education law, portal.students.deciders);
    until then a parent with gezag signs, also for a student of 16 or 17."""
    return deciders.decides_under_education_law(student, day)


@dataclass(frozen=True)
class ApplicationFacts:
    """What the rules of a step read: the type, the student's age, what is shared, signed and advised."""

    kind: ApplicationType
    student_adult: bool
    shared_needs: frozenset[str]
    shared_count: int
    signatures: tuple[Signature, ...]
    given_advices: dict[str, Advice]  # need key -> the signed advice
    data: dict = field(default_factory=dict)
    receiving_school: str = ""
    student_id: int | None = None
    consent: bool = False  # a valid consent for the type's purpose (``consent_purpose``) is recorded


def facts_of(application: Application) -> ApplicationFacts:
    shared = shared_of(application)
    advices = {a.need: a for a in advices_of(application) if a.signed_at is not None}
    return ApplicationFacts(kind=type_of(application), student_adult=is_adult(application.student),
                            shared_needs=frozenset(s.need for s in shared if s.need), shared_count=len(shared),
                            signatures=tuple(signatures_of(application)), given_advices=advices,
                            data=data_of(application), receiving_school=application.receiving_school,
                            student_id=application.student_id,
                            consent=bool(type_of(application).consent_purpose and has_consent(application)))


# --- the core's rules of a step (besides the table and the type's own guards) ---------------------------------

def core_reasons(facts: ApplicationFacts, action: Action, data: dict) -> list[str]:
    kind = facts.kind
    reasons: list[str] = []
    if action in workflow.FILING:
        missing = [need.label for need in kind.documents if need.required and need.key not in facts.shared_needs]
        reasons += [f"Deel eerst uit het dossier: {label}." for label in missing]
        if kind.signatures:
            reasons += signature_reasons(facts)
        if kind.board_signature:
            reasons += board_signature_reasons(facts)
        if kind.consent_purpose and not facts.consent:
            reasons.append(f"Er is geen geldige toestemming vastgelegd voor '{kind.label}'. Leg in het "
                           "toestemmingsregister vast dat de ouders met gezag (of de leerling van 16 of ouder) "
                           "hiervoor toestemming gaven.")
    if action in (Action.GRANT, Action.REFUSE):
        for need in kind.advices:
            if need.key not in facts.given_advices:
                reasons.append(f"Het {need.label.lower()} ontbreekt; een besluit vraagt om elk schriftelijk advies "
                               "van een afzonderlijke deskundige.")
        reasons += decision_reasons(kind, "granted" if action == Action.GRANT else "refused", data)
    if action in workflow.RECORD_ONLY:
        reasons += decision_reasons(kind, "granted" if action == Action.RECORD_GRANTED else "refused", data)
        if not isinstance(data.get(OUTCOME_ON), dt.date):
            reasons.append(f"Vul in op welke dag {DECIDERS[kind.decider]} besloot.")
        elif data[OUTCOME_ON] > clock.today():
            reasons.append("De dag van het besluit ligt in de toekomst; leg het besluit vast als het genomen is.")
    return reasons


def signature_reasons(facts: ApplicationFacts) -> list[str]:
    """A signature by who decides for the student when the application is submitted: a parent with gezag while
    the student is a minor, also at 16 or 17; the student alone from the 18th birthday (the submission is their
    application then, so a parent's earlier signature no longer suffices)."""
    signed = [s for s in facts.signatures if s.attachment_id or s.name]
    if facts.student_adult:
        if not any(s.guardian_id is None for s in signed):
            return ["De leerling is 18 jaar of ouder (meerderjarig): leg de ondertekening en de mening van de "
                    "leerling zelf vast."]
        return []
    if not any(s.guardian_id is not None for s in signed):
        return ["Leg eerst de ondertekening vast van een ouder of verzorger met gezag."]
    return []


def board_signature_reasons(facts: ApplicationFacts) -> list[str]:
    """The school board (bevoegd gezag) signs a DOA VO request's consent form: who, in which function, when."""
    data = facts.data
    if all(has_text(data.get(key)) for key in ("board_name", "board_function", "board_signed_on")):
        return []
    return ["Leg de ondertekening door het bevoegd gezag vast: naam, functie en datum."]


def has_consent(application: Application) -> bool:
    """A consent that counts for the type's purpose (its key), to any recipient; the register's rules decide."""
    return consent.valid_consent(application.student, application.type_key, None) is not None


def decision_reasons(kind: ApplicationType, decision: str, data: dict) -> list[str]:
    reasons = []
    for item in kind.decision_fields:
        if decision in item.when and item.required and not data.get(item.key):
            reasons.append(f"Vul in: {item.label.lower()}.")
    start, end = data.get("start"), data.get("end")
    if decision == "granted" and isinstance(start, dt.date) and isinstance(end, dt.date):
        if end <= start:
            reasons.append("De einddatum ligt niet na de begindatum.")
        elif kind.min_period_days and (end - start).days < kind.min_period_days:
            reasons.append("Een toelaatbaarheidsverklaring geldt minstens een schooljaar; kies een latere einddatum.")
    return reasons


def check_step(application: Application, action: Action, side: Side, data: dict) -> list[str]:
    if application.type_key not in types() and action != Action.WITHDRAW:
        # A disabled type's rules (advices, decision fields, guards) are unknown: no step may skip them.
        return ["De plugin van deze soort aanvraag is uitgeschakeld; deze stap kan pas weer als de plugin aan staat."]
    facts = facts_of(application)
    guards = [lambda _state, act, values: core_reasons(facts, act, dict(values))]
    guards += [lambda _state, act, values, guard=guard: guard(facts, act.value, values) for guard in facts.kind.guards]
    return workflow.check(state_of(application), action, side, data, clock.today(), guards)


def offered_actions(application: Application, side: Side | None) -> list[Action]:
    return workflow.allowed_actions(state_of(application), side) if side else []


# --- the school's side: drawing up --------------------------------------------------------------------------

def create(student: Student, type_key: str, *, actor: policy.Actor, previous: Application | None = None) -> Application:
    """A new concept; an extension starts from the application it extends (its values, receiving school)."""
    if type_key not in {t.key for t in available_types(student)}:
        raise Refused(["Deze aanvraag hoort niet bij de ondersteuningsroute van deze leerling."])
    if previous is not None and extension_of(previous) is not None:
        raise Refused(["Voor deze aanvraag is al een verlenging begonnen; ga verder met die verlenging."])
    if previous is None and types()[type_key].starts_from_previous:
        previous = latest_of_type(student, type_key)  # a second DOA VO starts from the first
    with database.atomic():
        application = Application.create(
            student=student.id, school=student.school_id, type_key=type_key, created_by=actor.id,
            data=previous.data if previous else _dumps(_from_opp(student, types()[type_key])),
            receiving_school=previous.receiving_school if previous else "",
            previous=previous.id if previous else None)
        _step(application, "create", Status.CONCEPT, Status.CONCEPT, actor, "")
        audit.write("application.create", "application", application.id, student_id=student.id, actor=actor)
        share_automatic(application, actor=actor)
    return application


def _from_opp(student: Student, kind: ApplicationType) -> dict:
    """The type's ``opp_fields`` filled from the student's OPP (the OPP's one home is portal.opp)."""
    values = opp.prefill(student, kind.opp_fields)
    if kind.starts_with is not None:
        values.update({k: v for k, v in (kind.starts_with(student.id) or {}).items() if v})
    return values


def latest_of_type(student: Student, type_key: str) -> Application | None:
    """The student's latest application of this type that was not withdrawn."""
    return (Application.select().where((Application.student == student.id) & (Application.type_key == type_key)
                                       & (Application.status != Status.WITHDRAWN))
            .order_by(Application.created_at.desc(), Application.id.desc()).first())


def share_automatic(application: Application, *, actor: policy.Actor) -> int:
    """Share the dossier entries a ``DocumentNeed`` names by kind (e.g. every phase plan and evaluation)."""
    needs = [n for n in type_of(application).documents if n.source_types]
    if not needs:
        return 0
    entries, _attachments = shareable(application, actor)
    done = {s.entry_id for s in shared_of(application)}
    count = 0
    for need in needs:
        for entry in entries:
            if entry.source_type in need.source_types and entry.id not in done:
                share(application, entry_id=entry.id, need=need.key, actor=actor)
                done.add(entry.id)
                count += 1
    return count


def extension_of(application: Application) -> Application | None:
    """The extension that follows this application (not withdrawn), if one was started."""
    return Application.select().where((Application.previous == application.id)
                                      & (Application.status != Status.WITHDRAWN)).first()


def save(application: Application, expected_version: int, values: dict, receiving_school: str, *,
         actor: policy.Actor) -> Application:
    """Store the type's form values (a concept, or while an addition is asked); EditConflict when someone saved
    in between."""
    if application.status not in (Status.CONCEPT, Status.ADDITION_REQUESTED):
        raise Refused(["Een ingediende aanvraag wijzigt u niet meer; vraag het samenwerkingsverband om een "
                       "aanvulling te vragen."])
    if application.type_key not in types():
        raise Refused(["De plugin van deze soort aanvraag is uitgeschakeld; de aanvraag kan niet meer worden "
                       "gewijzigd."])
    saved = versioning.save_version(application, expected_version,
                                    {"data": _dumps(values), "receiving_school": receiving_school[:200]}, actor.id,
                                    extra={"updated_at": utcnow()})
    audit.write("application.update", "application", application.id, student_id=application.student_id,
                actor=actor)
    return saved


def _dumps(values: dict) -> str:
    def plain(value):
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return json.dumps({k: plain(v) for k, v in values.items() if k not in ("csrf_token", "version", "submit")},
                      ensure_ascii=False, sort_keys=True)


def shareable(application: Application, actor: policy.Actor) -> tuple[list[Entry], list[Attachment]]:
    """What the school may pick from the student's dossier: the entries the actor sees, and their attachments."""
    entries = [e for e in dossier.timeline(application.student, actor=actor)
               if not (e.source_type == SOURCE_SUBMISSION and e.source_id == application.id)]  # not itself
    visible = {e.id for e in entries}
    attachments = sorted((a for a in dossier.visible_attachments(application.student, actor)
                          if a.entry_id is None or a.entry_id in visible), key=lambda a: a.id)
    return entries, attachments


def share(application: Application, *, entry_id: int | None = None, attachment_id: int | None = None,
          need: str = "", actor: policy.Actor) -> SharedItem:
    """Share one dossier entry or attachment with the SWV for this application (logged)."""
    if application.status not in (Status.CONCEPT, Status.ADDITION_REQUESTED, Status.SUBMITTED, Status.IN_REVIEW):
        raise Refused(["Na het besluit deelt u geen stukken meer bij deze aanvraag."])
    entries, attachments = shareable(application, actor)
    if entry_id is not None and entry_id not in {e.id for e in entries}:
        raise Refused(["Dit stuk staat niet in het dossier van deze leerling."])
    if attachment_id is not None and attachment_id not in {a.id for a in attachments}:
        raise Refused(["Deze bijlage staat niet in het dossier van deze leerling."])
    kind = type_of(application)
    if need and need not in {n.key for n in kind.documents}:
        need = ""
    with database.atomic():
        existing = SharedItem.select().where(SharedItem.application == application.id)
        existing = existing.where(SharedItem.entry == entry_id) if entry_id else existing.where(
            SharedItem.attachment == attachment_id)
        item = existing.first()
        if item is None:
            item = SharedItem.create(application=application.id, entry=entry_id, attachment=attachment_id,
                                     need=need, shared_by=actor.id)
        elif need and item.need != need:
            item.need = need
            item.save()
        audit.write("application.share", "application", application.id, student_id=application.student_id,
                    actor=actor)
    return item


def unshare(application: Application, item_id: int, *, actor: policy.Actor) -> None:
    if application.status not in (Status.CONCEPT, Status.ADDITION_REQUESTED):
        raise Refused(["Wat bij de indiening gedeeld is, blijft bij de aanvraag."])
    deleted = SharedItem.delete().where((SharedItem.id == item_id) & (SharedItem.application == application.id)) \
        .execute()
    if deleted:
        audit.write("application.unshare", "application", application.id, student_id=application.student_id,
                    actor=actor)


def record_signature(application: Application, *, guardian_id: int | None, name: str, signed_on: dt.date,
                     agrees: bool, view: str, upload=None, actor: policy.Actor) -> Signature:
    """The signature and view of who decides for the student on the day they signed (education law,
    portal.students.deciders): a parent with gezag until the student is 18, then the student alone; or their
    uploaded signed form. A guardian without gezag is informed, never signs."""
    student = application.student
    reasons = []
    if application.status not in (Status.CONCEPT, Status.ADDITION_REQUESTED):
        reasons.append("Een ondertekening legt u vast voordat de aanvraag is ingediend.")
    if guardian_id is None:
        if not is_adult(student, signed_on):
            reasons.append("De leerling is jonger dan 18 jaar (minderjarig); een ouder of verzorger met gezag "
                           "ondertekent.")
        name = name or student.full_name
    else:
        guardian = Guardian.get_or_none((Guardian.id == guardian_id) & (Guardian.student == student.id))
        if guardian is None:
            reasons.append("Kies een ouder of verzorger van deze leerling.")
        elif not guardian.has_authority:
            reasons.append(f"{guardian.name} heeft geen ouderlijk gezag en kan de aanvraag niet ondertekenen; "
                           "wel kan hij of zij worden geïnformeerd.")
        elif is_adult(student, signed_on):
            reasons.append("De leerling is 18 jaar of ouder (meerderjarig) en ondertekent zelf; een ouder "
                           "ondertekent niet meer.")
        else:
            name = guardian.name
    if reasons:
        raise Refused(reasons)
    with database.atomic():
        attachment = dossier.add_attachment(student, upload, actor=actor) if upload else None
        signature = Signature.create(application=application.id, guardian=guardian_id, name=name,
                                     signed_on=signed_on, agrees=agrees, view=view,
                                     attachment=attachment.id if attachment else None, recorded_by=actor.id)
        audit.write("application.sign", "application", application.id, student_id=student.id, actor=actor)
    return signature


# --- the workflow's steps -------------------------------------------------------------------------------------

def act(application: Application, action: Action, data: dict, *, actor: policy.Actor) -> Application:
    """Take one step of the workflow (Refused with every reason when it cannot be taken now)."""
    rights = policy.application_rights(application, actor)
    side = Side.SYSTEM if actor.kind == "system" else Side(rights.side) if rights.side else None
    if side is None:
        raise Refused(["U kunt bij deze aanvraag geen stappen zetten."])
    if action in (Action.SUBMIT, Action.SUPPLEMENT) and side == Side.SCHOOL:
        share_automatic(application, actor=actor)  # plans written since the concept started go along too
    reasons = check_step(application, action, side, data)
    if reasons:
        raise Refused(reasons)
    before = Status(application.status)
    after = workflow.apply(state_of(application), action, side, data, clock.today(), actor.id,
                           guards=()).status  # the rules were checked above, with the facts
    reason_field = workflow.TRANSITIONS[(before, action)][2]
    reason = str(data.get(reason_field) or "") if reason_field else ""
    changes = {"status": after.value, "updated_at": utcnow()}
    if action == Action.SUBMIT and application.submitted_at is None:
        changes["submitted_at"] = utcnow()
    if action == Action.TAKE_UP:
        changes["handler"] = actor.id
    if action in workflow.DECIDING:
        end = data.get("end") if action in (Action.GRANT, Action.RECORD_GRANTED) else None
        changes.update(decision=after.value, decided_on=data.get(OUTCOME_ON) or clock.today(),
                       ends_on=end if isinstance(end, dt.date) else None,
                       decision_data=_dumps({k: data.get(k) for k in _decision_keys(application)}))
    if action in workflow.RECORD_ONLY and type_of(application).inform_swv and application.submitted_at is None:
        changes["submitted_at"] = utcnow()  # shared with the SWV for information: it reads, it does not decide
    with database.atomic():
        Application.update({getattr(Application, k): v for k, v in changes.items()}).where(
            Application.id == application.id).execute()
        application = Application.get_by_id(application.id)
        step = _step(application, action.value, before, after, actor, reason)
        audit.write(f"application.{action.value}", "application", application.id,
                    student_id=application.student_id, actor=actor)
        _file(application, action, actor)
    _tell(application, action, step)
    return application


def _tell(application: Application, action: Action, step: ApplicationStep) -> None:
    """Those asked to act next hear of it (bell and mail, once per event)."""
    if action == Action.SUBMIT:
        events.application_submitted(application, type_label(application.type_key), application.student.full_name)
    elif action == Action.OBJECT:
        events.objection_filed(application, type_label(application.type_key), application.student.full_name,
                               objection_key=f"step{step.id}")


def _decision_keys(application: Application) -> list[str]:
    return [item.key for item in type_of(application).decision_fields] + ["motivation"]


def _step(application, action: str, before, after, actor: policy.Actor, reason: str) -> ApplicationStep:
    return ApplicationStep.create(application=application.id, action=action, from_status=str(before), to_status=str(after),
                           by=actor.id if actor.kind == "user" else None, reason=reason)


def _file(application: Application, action: Action, actor: policy.Actor) -> None:
    """The submission and the decision land in the dossier (versioned like other entries)."""
    with portal_language():
        if action in (Action.SUBMIT, Action.SUPPLEMENT):
            dossier.file_source(application.student_id, source_type=SOURCE_SUBMISSION, source_id=application.id,
                                section=SUPPORT, kind=SOURCE_SUBMISSION, title=submission_title(application),
                                body=submission_text(application), actor=actor)
        if action in workflow.DECIDING:
            dossier.file_source(application.student_id, source_type=SOURCE_DECISION, source_id=application.id,
                                section=SUPPORT, kind=SOURCE_DECISION, title=decision_title(application),
                                body=decision_text(application), actor=actor)


def submission_title(application: Application) -> str:
    return f"{type_label(application.type_key)}: ingediend"


def submission_text(application: Application) -> str:
    kind = type_of(application)
    lines = [kind.label, ""]
    lines += [f"{row.label}: {row.value}" for row in fields.data_rows(kind, data_of(application))]
    if application.receiving_school:
        lines.append(f"Ontvangende school: {application.receiving_school}")
    for signature in signatures_of(application):
        lines.append(f"Ondertekend door {signature.name} op {signature.signed_on:%d-%m-%Y}"
                     f"{'' if signature.agrees else ' (niet eens met de aanvraag)'}")
    lines.append(f"Gedeelde stukken: {len(shared_of(application))}")
    return "\n".join(lines)


def decision_title(application: Application) -> str:
    verdict = "toegekend" if application.decision == Status.GRANTED else "afgewezen"
    return f"{type_label(application.type_key)}: {verdict}"


def decision_text(application: Application) -> str:
    kind = type_of(application)
    values = decision_of(application)
    lines = [decision_title(application), f"Besluit van {application.decided_on:%d-%m-%Y}"]
    lines += [f"{row.label}: {row.value}" for row in fields.decision_rows(kind, values)]
    if values.get("motivation"):
        lines += ["", values["motivation"]]
    return "\n".join(lines)


# --- the SWV's side: advisors and advices ----------------------------------------------------------------------

def independence_reasons(application: Application, advisor: Advisor) -> list[str]:
    """Why this advisor may not advise on this application (R-LAW-TLV-2): they work for the applying or the
    receiving school, or took part in the case before (a meeting of the student)."""
    reasons = []
    name = advisor.user.name
    # A deskundige's or SWV role is held at a school for access only; working for it means a staff role there.
    works_at = Membership.select().where((Membership.user == advisor.user_id) & Membership.active
                                         & Membership.role.in_(policy.SCHOOL_STAFF_ROLES))
    if works_at.where(Membership.school == application.school_id).exists():
        reasons.append(f"{name} werkt voor de aanvragende school en is daarom niet onafhankelijk.")
    receiving = application.receiving_school.strip().lower()
    if receiving:
        at_receiving = works_at.join(School).where(pw.fn.LOWER(School.name) == receiving).exists()
        if at_receiving or advisor.organisation.strip().lower() == receiving:
            reasons.append(f"{name} werkt voor de ontvangende school ({application.receiving_school}).")
    took_part = meeting_services.took_part_for(advisor.user_id, application.student_id)
    if took_part:
        reasons.append(f"{name} was eerder bij deze leerling betrokken (deelnemer aan een overleg, zoals het mdo).")
    if dossier.has_written_in(advisor.user_id, application.student_id) and not took_part:
        reasons.append(f"{name} schreef eerder in het dossier van deze leerling en is dus al betrokken.")
    return reasons


def assign(application: Application, need_key: str, advisor_id: int, due_on: dt.date | None, *,
           actor: policy.Actor) -> Advice:
    """Ask one deskundige for one of the type's advices (refused with the reason when not qualified or not
    independent)."""
    kind = type_of(application)
    need = kind.advice_need(need_key)
    advisor = Advisor.get_or_none((Advisor.id == advisor_id) & Advisor.active)
    reasons = []
    if application.status not in (Status.SUBMITTED, Status.IN_REVIEW, Status.OBJECTION):
        reasons.append("Deskundigen vraagt u om advies zolang de aanvraag in behandeling is.")
    if need is None:
        reasons.append("Deze aanvraag vraagt niet om dit advies.")
    if advisor is None:
        reasons.append("Kies een deskundige uit de lijst.")
    if reasons:
        raise Refused(reasons)
    if advisor.profession not in need.professions:
        allowed = ", ".join(str(PROFESSIONS.get(p, p)) for p in need.professions)
        reasons.append(f"Het {need.label.lower()} geeft een {allowed}; {advisor.user.name} is "
                       f"{PROFESSIONS.get(advisor.profession, advisor.profession)}.")
    if need.independent:
        reasons += independence_reasons(application, advisor)
    others = [a for a in advices_of(application) if a.need != need_key]
    if any(a.advisor_id == advisor.id for a in others):
        reasons.append(f"{advisor.user.name} geeft al het andere advies; elk advies komt van een andere deskundige.")
    current = Advice.get_or_none((Advice.application == application.id) & (Advice.need == need_key))
    if current is not None and current.signed_at is not None:
        reasons.append("Dit advies is al gegeven en ondertekend.")
    if reasons:
        raise Refused(reasons)
    due_on = due_on or clock.today() + dt.timedelta(days=ADVICE_DAYS)
    with database.atomic():
        if current is None:
            advice = Advice.create(application=application.id, need=need_key, advisor=advisor.id,
                                   assigned_by=actor.id, due_on=due_on)
        else:
            Advice.update(advisor=advisor.id, assigned_by=actor.id, assigned_at=utcnow(), due_on=due_on).where(
                Advice.id == current.id).execute()
            advice = Advice.get_by_id(current.id)
        audit.write("application.assign", "application", application.id, student_id=application.student_id,
                    actor=actor)
    events.advice_requested(advice, type_label(application.type_key), application.student.full_name)
    return advice


def give_advice(advice: Advice, *, conclusion: str, text: str, signed_name: str, actor: policy.Actor) -> Advice:
    """The deskundige's own written advice, signed with their name (R-LAW-TLV-5: never a collective one)."""
    reasons = []
    if advice.advisor.user_id != actor.id:
        reasons.append("Alleen de gevraagde deskundige schrijft dit advies.")
    if advice.signed_at is not None:
        reasons.append("Dit advies is al ondertekend.")
    if advice.application.status not in (Status.SUBMITTED, Status.IN_REVIEW, Status.ADDITION_REQUESTED,
                                         Status.OBJECTION):
        reasons.append("Over deze aanvraag wordt geen advies meer gevraagd.")
    if conclusion not in CONCLUSIONS:
        reasons.append("Kies de conclusie van het advies.")
    if not is_real_text(text):
        reasons.append("Schrijf het advies uit (minstens 20 tekens en drie woorden).")
    if signed_name.strip().casefold() != advice.advisor.user.name.strip().casefold():
        reasons.append("Onderteken met uw eigen naam, zoals die in het portaal staat.")
    if reasons:
        raise Refused(reasons)
    with database.atomic():
        Advice.update(conclusion=conclusion, text=text, signed_name=signed_name.strip(), signed_at=utcnow()).where(
            Advice.id == advice.id).execute()
        advice = Advice.get_by_id(advice.id)
        application = advice.application
        audit.write("application.advice", "application", application.id, student_id=application.student_id,
                    actor=actor)
        with portal_language():
            need = type_of(application).advice_need(advice.need)
            dossier.file_source(application.student_id, source_type=SOURCE_ADVICE, source_id=advice.id,
                                section=SUPPORT, kind=SOURCE_ADVICE,
                                title=f"{type_label(application.type_key)}: {need.label if need else 'advies'}",
                                body=f"Advies van {advice.signed_name} "
                                     f"({PROFESSIONS.get(advice.advisor.profession, '')}): "
                                     f"{CONCLUSIONS[conclusion]}\n\n{text}", actor=actor)
    return advice


# --- the SWV's details ----------------------------------------------------------------------------------------

def save_settings(values: dict, *, actor: policy.Actor) -> SwvSettings:
    row = settings()
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    row.save()
    audit.write("swv.settings", "swv_settings", row.id, actor=actor)
    return row


ADVISOR_ROLE = "deskundige"


def all_advisors() -> list[Advisor]:
    return list(Advisor.select(Advisor, User).join(User).order_by(User.name, Advisor.id))


def active_advisors() -> list[Advisor]:
    return list(Advisor.select(Advisor, User).join(User).where(Advisor.active & User.active)
                .order_by(User.name, Advisor.id))


def advisor_or_none(advisor_id: int) -> Advisor | None:
    return Advisor.select(Advisor, User).join(User).where(Advisor.id == advisor_id).first()


def advisor_accounts(include: int | None = None) -> list[User]:
    """Active accounts with the deskundige role that have no advisor profile yet (and ``include``'s own)."""
    with_role = Membership.select(Membership.user).where((Membership.role == ADVISOR_ROLE) & Membership.active)
    profiled = Advisor.select(Advisor.user)
    where = User.id.in_(with_role) & User.active & ~User.id.in_(profiled)
    if include:
        where = where | (User.id == include)
    return list(User.select().where(where).order_by(User.name, User.id))


def advices_for(actor: policy.Actor) -> list[Advice]:
    """The deskundige's own advices on submitted applications, the open ones first, by due date."""
    visible = policy.applications(("application", "advise"), actor).select(Application.id)
    return list(Advice.select(Advice, Advisor, Application, Student)
                .join_from(Advice, Advisor).join_from(Advice, Application).join_from(Application, Student)
                .where((Advisor.user == actor.id) & Advice.application.in_(visible))
                .order_by(Advice.signed_at.is_null(False), Advice.due_on, Advice.id))


def save_advisor(user_id: int, profession: str, organisation: str, active: bool, *,
                 actor: policy.Actor) -> Advisor:
    if profession not in PROFESSIONS:
        raise Refused(["Kies een beroep uit de lijst."])
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise Refused(["Kies een account."])
    existing = Advisor.get_or_none(Advisor.user == user_id)
    if (existing is None or active) and not Membership.select().where(
            (Membership.user == user_id) & (Membership.role == ADVISOR_ROLE) & Membership.active).exists():
        raise Refused([f"{user.name} heeft geen account met de rol deskundige; geef het account eerst die rol."])
    row = existing or Advisor(user=user_id)
    row.profession, row.organisation, row.active = profession, organisation[:200], active
    row.save()
    audit.write("swv.advisor", "advisor", row.id, actor=actor)
    return row
