"""Trajecten stored and moved: the bridge between the pure route engine and the database, dossier and audit."""

from __future__ import annotations

import dataclasses
import json

from flask import current_app
from flask_babel import gettext as _

from portal import clock, policy
from portal.applications import decisions as applications
from portal.audit import services as audit
from portal.auth.models import User
from portal.db import database, is_sqlite, utcnow
from portal.dossier import sections
from portal.dossier import services as dossier
from portal.language import portal_language
from portal.notifications import events
from portal.route import diagram, engine
from portal.route.definition import Route
from portal.route.models import PhaseVisit, RouteVersion, SchoolPhaseSetting, Traject, Transition
from portal.schools.models import School
from portal.versioning import check_fingerprint, fingerprint, save_version

DOSSIER_SECTION = sections.SUPPORT  # transitions and phase plans are filed under "Begeleiding en ondersteuning"


def registry():
    return current_app.extensions["registry"]


def route_for(student, school=None) -> Route | None:
    """The route a new traject of this student follows (first answer of the route_for_student hook)."""
    routes = registry().routes
    key = current_app.extensions["plugin_manager"].hook.route_for_student(
        student=student, school=school or student.school, routes=routes)
    return routes.get(key) if key else None


def school_settings(school_id: int, route_key: str) -> dict[str, SchoolPhaseSetting]:
    return {s.phase_key: s for s in SchoolPhaseSetting.select().where(
        (SchoolPhaseSetting.school == school_id) & (SchoolPhaseSetting.route_key == route_key))}


def adapted(route: Route, school_id: int) -> Route:
    """The route as this school runs it: its own phase labels and the meeting types it chose (R-DRE-1)."""
    settings = school_settings(school_id, route.key)
    if not settings:
        return route
    phases = []
    for phase in route.phases:
        setting = settings.get(phase.key)
        if setting is None:
            phases.append(phase)
            continue
        chosen = json.loads(setting.meeting_types) if setting.meeting_types is not None else None
        meeting_types = phase.meeting_types if chosen is None else tuple(k for k in phase.meeting_types if k in chosen)
        phases.append(dataclasses.replace(phase, label=setting.label or phase.label, meeting_types=meeting_types))
    return dataclasses.replace(route, phases=tuple(phases))


def settings_state(school_id: int, route_key: str) -> dict | None:
    """The school's stored settings of a route as plain data (None: none stored), for the conflict check."""
    state = {key: {"label": s.label, "meeting_types": json.loads(s.meeting_types) if s.meeting_types is not None
                   else None} for key, s in school_settings(school_id, route_key).items()}
    return state or None


def settings_fingerprint(school_id: int, route_key: str) -> str:
    return fingerprint(settings_state(school_id, route_key))


_UNCHECKED = object()


SETTINGS_SAVE = "route.settings"  # audited (object: the school) when a school adapts its route


def save_school_settings(school_id: int, route: Route, values: dict[str, tuple[str, list[str]]],
                         expected=_UNCHECKED, *, actor: policy.Actor) -> None:
    """Store per phase key the school's label and chosen meeting types, audited with the actor.

    ``expected`` is the fingerprint of the settings the form showed: when someone else saved in between,
    EditConflict (holding their settings) is raised and nothing is written. Callers without a form (demo, CLI)
    leave it out.
    """
    with database.atomic():
        if not is_sqlite():  # SQLite's immediate transaction already serialises the writers
            # Two saves at once wait for each other here, so the second compares with what the first stored.
            School.select(School.id).where(School.id == school_id).for_update().execute()
        if expected is not _UNCHECKED:
            check_fingerprint(settings_state(school_id, route.key), expected)
        SchoolPhaseSetting.delete().where((SchoolPhaseSetting.school == school_id)
                                          & (SchoolPhaseSetting.route_key == route.key)).execute()
        for phase in route.phases:
            label, chosen = values.get(phase.key, ("", list(phase.meeting_types)))
            if label == "" and set(chosen) == set(phase.meeting_types):
                continue
            SchoolPhaseSetting.create(school=school_id, route_key=route.key, phase_key=phase.key, label=label,
                                      meeting_types=json.dumps([k for k in phase.meeting_types if k in chosen]))
        audit.record(SETTINGS_SAVE, "school", school_id, kind="write", actor=actor)


def current_traject(student) -> Traject | None:
    return (Traject.select(Traject, RouteVersion).join(RouteVersion)
            .where(Traject.student == student.id)
            .order_by(Traject.started_at.desc(), Traject.id.desc()).first())


def visits_of(traject: Traject) -> list[PhaseVisit]:
    return list(PhaseVisit.select().where(PhaseVisit.traject == traject.id).order_by(PhaseVisit.seq))


def transitions_of(traject: Traject) -> list[Transition]:
    """The traject's transitions, newest first, with who made them (one query)."""
    return list(Transition.select(Transition, User).join(User, on=(Transition.actor == User.id))
                .where(Transition.traject == traject.id).order_by(Transition.at.desc(), Transition.id.desc()))


def route_of(traject: Traject) -> Route:
    """The route definition the traject started under (its snapshot, not the plugins' current one)."""
    return Route.from_dict(json.loads(traject.route_version.snapshot))


def load_state(traject: Traject, visits: list[PhaseVisit] | None = None) -> engine.TrajectState:
    route = route_of(traject)
    visits = visits_of(traject) if visits is None else visits
    history = tuple(engine.PhaseRecord(v.phase_key, engine.PhaseStatus(v.status), v.cycle, v.note) for v in visits)
    return engine.TrajectState(route=route, status=engine.Status(traject.status), current=traject.current_phase,
                               cycle=traject.cycle, history=history, signal=traject.signal,
                               entry=traject.entry_point, stop_reason=traject.stop_reason,
                               student_id=traject.student_id, advices=binding_advices(traject, route, visits))


def binding_advices(traject: Traject, route: Route, visits: list[PhaseVisit]) -> tuple[engine.BindingAdvice, ...]:
    """The binding advices in force for the traject, newest first: decisions since the traject started, of an
    application type a ``binding_advice`` phase names, whose advised step the traject has not entered since."""
    kinds = {key: phase for phase in route.phases if phase.binding_advice for key in phase.forms}
    found = []
    for decided in applications.binding_decisions(traject.student_id, kinds, since=traject.started_at):
        advised = decided.advised
        if not route.has_phase(advised):
            continue
        if any(v.phase_key == advised and v.entered_at >= decided.decided_at for v in visits):
            continue  # followed: the traject entered the advised step after the advice
        found.append(engine.BindingAdvice(
            phase_key=kinds[decided.type_key].key, advised=advised, text=decided.text, weight=decided.weight,
            title=f"{decided.label} van {clock.local(decided.decided_at):%d-%m-%Y}", link=decided.link))
    return tuple(found)


def state_for(student) -> tuple[Traject | None, engine.TrajectState | None]:
    """The student's open or latest traject and its state; a fresh state on the student's route if none."""
    traject, state, _visits = with_visits(student)
    return traject, state


def with_visits(student) -> tuple[Traject | None, engine.TrajectState | None, list[PhaseVisit]]:
    """As ``state_for``, plus the traject's phase visits (loaded once, for pages that show them)."""
    traject = current_traject(student)
    if traject is not None:
        visits = visits_of(traject)
        return traject, load_state(traject, visits), visits
    route = route_for(student)
    return None, engine.new_traject(route, student.id) if route else None, []


def route_of_student(student) -> Route | None:
    """The route the student's traject follows (its snapshot), or the one a new traject would follow; as the
    student's school runs it."""
    traject = current_traject(student)
    route = route_of(traject) if traject is not None else route_for(student)
    return adapted(route, student.school_id) if route else None


def terms_of_school(school_id: int | None) -> dict[str, str]:
    """The sector's own words the school's route brings (``Route.terms``, e.g. "Leerkracht" for "mentor")."""
    school = School.get_or_none(School.id == school_id) if school_id else None
    route = route_for(None, school) if school else None
    return dict(route.terms) if route else {}


def guard_functions():
    return registry().guards


def actor_guards(actor: policy.Actor):
    """The core's rules about who moves a traject: the lead roles of the phase it moves into, and an SWV user who
    takes part through a lead request moves only into, or while the traject is in, a phase the SWV leads."""
    if actor.kind != "user":
        return ()  # the CLI, demo and scheduler act for the install
    roles = policy.acting_roles(actor)

    def leads(route, state, action, target, data):
        names = {key: str(label) for key, label in policy.ROLES.items()}
        return engine.lead_role_reasons(state, engine.Action(action), target, roles, names)

    def participant(route, state, action, target, data):
        phase = state.current_phase
        if actor.scope_for("route", "move") != policy.PARTICIPANT or phase is None or roles & set(phase.lead_roles):
            return []
        if target is not None and target.key != phase.key and roles & set(target.lead_roles):
            return []  # into the phase they lead (the lead-role rule above is then met)
        return [f"U bent bij dit traject betrokken voor een aanvraag van het samenwerkingsverband; de huidige fase "
                f"'{phase.label}' leidt u niet, dus die zet u niet verder."]

    return (leads, participant)


def transition(student, action: str, target: str | None, data: dict, actor: policy.Actor) -> Traject:
    """Apply a transition and store it with a dossier entry and an audit record; raises TransitionRefused."""
    with database.atomic():
        traject, state = state_for(student)
        if traject is not None and engine.starts_fresh(state, action):
            # A fresh traject follows the route as it is defined now, not the old snapshot.
            route = route_for(student)
            if route is None:
                raise engine.TransitionRefused(["Voor deze school is geen ondersteuningsroute ingeschakeld."])
            traject, state = None, engine.new_traject(route, student.id)
        before = state
        after = engine.apply(state, action, target, data,
                             (*guard_functions(), engine.binding_advice_reasons, *actor_guards(actor)))
        traject = _store(student, traject, before, after, actor)
        log = Transition.create(traject=traject, action=action, from_phase=before.current,
                                to_phase=after.current if after.current != before.current else None,
                                cycle=after.cycle, justification=_justification(data),
                                data=json.dumps(_plugin_data(data), ensure_ascii=False), actor=actor.id)
        audit.record("route.transition", "traject", traject.id, kind="write", student_id=student.id, actor=actor)
        with portal_language():  # stored text: never in the language of whoever clicked
            title, body = _entry_title(action, after), _entry_body(after.route, before, after, data)
        dossier.file_source(student.id, source_type="route_transition", source_id=log.id, section=DOSSIER_SECTION,
                            kind="route_transition", title=title, body=body, actor=actor)
        current_app.extensions["plugin_manager"].hook.after_transition(traject=traject, action=action, actor=actor)
    if action in (engine.Action.START, engine.Action.NEW_CYCLE) and (data.get(engine.SIGNAL) or "").strip():
        events.signal_recorded(student, log.id, actor)  # after the commit: nobody is told of a refused step
    return traject


def _store(student, traject, before, after, actor) -> Traject:
    fields = dict(status=after.status.value, current_phase=after.current, cycle=after.cycle, signal=after.signal,
                  entry_point=after.entry, stop_reason=after.stop_reason, updated_at=utcnow())
    if traject is None:
        traject = Traject.create(student=student, route_version=RouteVersion.for_route(after.route),
                                 started_by=actor.id, **fields)
    else:
        Traject.update(fields).where(Traject.id == traject.id).execute()
        traject = Traject.get_by_id(traject.id)
    visits = visits_of(traject)
    for seq, record in enumerate(after.history):
        if seq >= len(visits):
            PhaseVisit.create(traject=traject, seq=seq, phase_key=record.phase_key, cycle=record.cycle,
                              status=record.status.value, note=record.note)
        elif (visits[seq].status, visits[seq].note) != (record.status.value, record.note):
            evaluated = utcnow() if record.status == engine.PhaseStatus.EVALUATED else None
            PhaseVisit.update(status=record.status.value, note=record.note, evaluated_at=evaluated).where(
                PhaseVisit.id == visits[seq].id).execute()
    return traject


ENGINE_KEYS = {engine.SIGNAL, engine.JUSTIFICATION, engine.REASON, engine.EXPLANATION, engine.EVALUATION,
               engine.ENTRY}


def _plugin_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ENGINE_KEYS and v not in (None, "", False)}


def _justification(data: dict) -> str:
    return (data.get(engine.JUSTIFICATION) or data.get(engine.EXPLANATION) or data.get(engine.SIGNAL)
            or data.get(engine.EVALUATION) or "").strip()


def _entry_title(action: str, after) -> str:
    """The dossier title of a transition; called inside ``portal_language()``."""
    label = _(engine.ACTION_LABELS[engine.Action(action)])
    phase = after.current_phase
    if phase:
        return _("Route: %(action)s (%(phase)s)", action=label, phase=phase.label)
    return _("Route: %(action)s", action=label)


def _entry_body(route: Route, before, after, data: dict) -> str:
    """The dossier text of a transition: route, from and to, skipped phases, reason and the plugins' answers."""
    lines = [_("Route: %(route)s", route=route.label)]
    if before.current != after.current or before.status != after.status:
        old = route.phase(before.current).label if before.current else "-"
        new = route.phase(after.current).label if after.current else _(engine.STATUS_LABELS[after.status])
        lines.append(_("Van: %(old)s\nNaar: %(new)s", old=old, new=new))
    skipped = [route.phase(r.phase_key).label for r in after.history[len(before.history):]
               if r.status == engine.PhaseStatus.SKIPPED]
    if skipped:
        lines.append(_("Overgeslagen: %(phases)s", phases=", ".join(skipped)))
    if data.get(engine.REASON) in engine.STOP_REASONS:
        lines.append(_("Reden: %(reason)s", reason=_(engine.STOP_REASONS[data[engine.REASON]])))
    text = _justification(data)
    if text:
        lines.append(text)
    labels, yes = {f.key: f.label for g in guard_functions() for f in g.fields}, _("ja")
    labels[engine.DEVIATION] = _(engine.DEVIATION_LABEL)
    for key, value in _plugin_data(data).items():
        lines.append(f"{labels.get(key, key)}: {yes if value is True else value}")
    return "\n\n".join(lines)


def save_plan(student, visit: PhaseVisit, expected_version: int, changes: dict, actor: policy.Actor) -> PhaseVisit:
    """Store the plan, evaluation and views of one phase (versioned) and keep its dossier entry in step.

    An SWV user taking part through a lead request writes only the plan of a phase they lead. A new plan or
    evaluation text must be real text (``engine.plan_text_reasons``); TransitionRefused otherwise."""
    phase = route_of(visit.traject).phase(visit.phase_key)
    if (actor.kind == "user" and actor.scope_for("route", "move") == policy.PARTICIPANT
            and not policy.acting_roles(actor) & set(phase.lead_roles)):
        raise engine.TransitionRefused([f"Het plan van fase '{phase.label}' schrijft wie die fase leidt; u bent bij "
                                        "dit traject betrokken voor een aanvraag van het samenwerkingsverband."])
    vague = engine.plan_text_reasons(changes, {name: getattr(visit, name) for name in engine.PLAN_TEXT_FIELDS})
    if vague:
        raise engine.TransitionRefused(vague)
    with database.atomic():
        visit = save_version(visit, expected_version, changes, actor.id)
        _file_plan(student.id, visit, actor)
    return visit


def set_evaluation_date(traject_id: int, phase_key: str, date, actor: policy.Actor) -> PhaseVisit | None:
    """The evaluation date a meeting agreed for its phase (the newest visit of that phase in the traject): stored
    on the plan (versioned) and filed, so the dossier's phase-plan entry shows it (R-ROUTE-4). None when the
    traject never visited the phase; nothing is written when the date is already the plan's."""
    visit = (PhaseVisit.select().where((PhaseVisit.traject == traject_id) & (PhaseVisit.phase_key == phase_key))
             .order_by(PhaseVisit.seq.desc()).first())
    if visit is None or visit.evaluation_date == date:
        return visit
    with database.atomic():
        visit = save_version(visit, visit.version, {"evaluation_date": date}, actor.id)
        _file_plan(visit.traject.student_id, visit, actor)
    return visit


def _file_plan(student_id: int, visit: PhaseVisit, actor: policy.Actor) -> None:
    """Audit a change of a phase's plan and keep its one dossier entry in step (one way into the dossier)."""
    audit.record("route.plan", "phase_visit", visit.id, kind="write", student_id=student_id, actor=actor)
    phase = route_of(visit.traject).phase(visit.phase_key)
    with portal_language():  # stored text: never in the language of whoever clicked
        title = _("Plan en evaluatie: %(phase)s (cyclus %(cycle)s)", phase=phase.label, cycle=visit.cycle)
        body = plan_text(visit)
    dossier.file_source(student_id, source_type="phase_plan", source_id=visit.id, section=DOSSIER_SECTION,
                        kind="phase_plan", title=title, body=body, actor=actor)


PLAN_LABELS = {
    "goals": engine.N_("Doelen"), "interventions": engine.N_("Interventies en afspraken"),
    "evaluation_date": engine.N_("Evaluatiedatum"), "worked": engine.N_("Wat werkte"),
    "not_worked": engine.N_("Wat werkte niet"), "parent_view": engine.N_("Visie van ouders"),
    "student_view": engine.N_("Visie van de leerling"), "next_steps": engine.N_("Vervolgstappen"),
}


def plan_text(visit: PhaseVisit) -> str:
    """The dossier text of a phase plan (labels translated: call inside ``portal_language()``)."""
    parts = []
    for name, label in PLAN_LABELS.items():
        value = getattr(visit, name)
        if value:
            shown = value.strftime("%d-%m-%Y") if hasattr(value, "strftime") else value
            parts.append(f"{_(label)}: {shown}")
    return "\n\n".join(parts)


def phase_states(state: engine.TrajectState) -> dict[str, str]:
    """Per phase key its status in the current cycle, and 'current' for the phase the traject is in."""
    result = {r.phase_key: r.status.value for r in state.records()}
    if state.current and state.status == engine.Status.ACTIVE:
        result[state.current] = "current"
    return result


def summary(student) -> dict | None:
    """What the student's page shows of the route: the state and the diagram with the current phase marked."""
    traject, state = state_for(student)
    if state is None:
        return None
    route = adapted(state.route, student.school_id)
    return {"traject": traject, "state": state, "route": route,
            "diagram": diagram.layout(route, phase_states(state))}
