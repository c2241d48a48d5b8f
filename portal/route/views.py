"""The traject page of a student, its transitions and phase plans, and the public route page."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, g, request, url_for
from flask_babel import gettext as _

from portal import bounds, idempotency, policy
from portal.audit import services as audit
from portal.auth.session import public
from portal.htmx import redirect_after_post, render
from portal.meetings import services as meeting_services
from portal.route import diagram, engine, services
from portal.route.definition import TransitionField
from portal.route.forms import PlanForm, TransitionForm
from portal.route.models import PhaseVisit
from portal.versioning import EditConflict

bp = Blueprint("route", __name__)

MOVE = ("route", "move")
VIEW = ("route", "view")
# Where the page offers the engine's actions: evaluating is the plan form's "Opslaan en fase evalueren", every other
# allowed action is a choice of the transition form. Which actions exist is the engine's table alone.
ON_PLAN_FORM = frozenset({engine.Action.EVALUATE})


@bp.get("/leerlingen/<int:student_id>/traject")
def traject(student_id: int):
    student = policy.student_or_404(student_id, VIEW)
    audit.read("route.view", "student", student.id, student_id=student.id, actor=policy.current())
    return _page(student)


@bp.post("/leerlingen/<int:student_id>/traject/overgang")
def transition(student_id: int):
    student = policy.student_or_404(student_id, MOVE)
    traject, state = services.state_for(student)
    if state is None:
        abort(404)
    form = _transition_form(state)
    if first := idempotency.replay(form, policy.current().id):
        return redirect_after_post(first)
    if not form.validate_on_submit():
        return _page(student, transition_form=form, status=422)
    data = {**form.engine_data(), **_guard_data(state.route)}
    actor = policy.current()

    def move() -> str:
        services.transition(student, form.action.data, form.target.data or None, data, actor)
        return url_for("route.traject", student_id=student.id)

    try:
        # A resubmitted transition (start, next phase) is not applied twice: the first result is shown.
        outcome = idempotency.once(form, actor.id, move)
    except engine.TransitionRefused as refused:
        general = form.place_reasons(refused.reasons)  # next to the field they concern; the rest above the form
        return _page(student, transition_form=form, reasons=general, status=422)
    return idempotency.answer(outcome, _("De overgang is vastgelegd in het dossier."))


@bp.post("/leerlingen/<int:student_id>/traject/fase/<int:visit_id>")
def plan(student_id: int, visit_id: int):
    student = policy.student_or_404(student_id, MOVE)
    visit = _visit_or_404(student, visit_id)
    route = services.route_of(visit.traject)
    form = PlanForm()
    # an old stored date, or a text stored before the real-text rule, may stay as it is
    bounds.keep_stored(form, {name: getattr(visit, name) for name in PlanForm.FIELDS})
    if not form.validate_on_submit():
        return _page(student, plan_form=form, status=422)
    try:
        version = int(form.version.data or 0)
        services.save_plan(student, visit, version, form.changes(), policy.current())
    except (EditConflict, ValueError) as conflict:
        current = getattr(conflict, "current", visit)
        return _page(student, plan_form=form, conflict=current, status=409)
    except engine.TransitionRefused as refused:
        return _page(student, plan_form=form, reasons=refused.reasons, status=422)
    if request.form.get("evaluate"):
        try:
            services.transition(student, engine.Action.EVALUATE, None,
                                {engine.EVALUATION: form.evaluation_text(), **_guard_data(route)},
                                policy.current())
        except engine.TransitionRefused as refused:
            form.version.data = str(PhaseVisit.get_by_id(visit.id).version)
            return _page(student, plan_form=form, reasons=refused.reasons, status=422)
        flash(_("Het plan is opgeslagen en de fase is geëvalueerd."), "success")
    else:
        flash(_("Het plan is opgeslagen."), "success")
    return redirect_after_post(url_for("route.traject", student_id=student.id))


@bp.route("/school/ondersteuningsroute", methods=["GET", "POST"])
def school_settings():
    """A school adapts its own steps within the SWV's route: phase labels and the meeting types it uses.

    Two coordinators editing at once: the form carries the fingerprint of the settings it showed; the second save
    gets the conflict screen (their settings beside the posted ones, nothing overwritten).
    """
    policy.require("route", "adapt")
    actor = policy.current()
    school = g.current_school  # the school chosen in this session (auth.session.load_actor)
    route = services.route_for(None, school)
    if route is None:
        return render("route/no_route.html", student=None)
    stored = _setting_values(route, services.settings_state(school.id, route.key))
    if request.method == "GET":
        return _settings_page(school, route, stored, services.settings_fingerprint(school.id, route.key))
    posted, errors = {}, {}
    for phase in route.phases:
        label = " ".join(request.form.get(f"label-{phase.key}", "").split())
        if len(label) > SETTING_LABEL_MAX:
            errors[phase.key] = _("Hooguit %(n)s tekens.", n=SETTING_LABEL_MAX)
        requested = set(request.form.getlist(f"meetings-{phase.key}"))
        chosen = [k for k in phase.meeting_types if k in requested]
        posted[phase.key] = (label, chosen)
    base = request.form.get("base", "")[:64]
    if errors:
        return _settings_page(school, route, posted, base, errors=errors, status=422)
    try:
        services.save_school_settings(school.id, route, posted, expected=base or None, actor=actor)
    except EditConflict as conflict:
        theirs = _setting_values(route, conflict.current)
        rows = [(phase.label, _describe_setting(theirs[phase.key]), _describe_setting(posted[phase.key]))
                for phase in route.phases if theirs[phase.key] != posted[phase.key]]
        return _settings_page(school, route, posted, services.settings_fingerprint(school.id, route.key),
                              conflict_rows=rows, status=409)
    flash(_("De instellingen van de route zijn opgeslagen."), "success")
    return redirect_after_post(url_for("route.school_settings"))


SETTING_LABEL_MAX = 200


def _setting_values(route, state: dict | None) -> dict[str, tuple[str, list[str]]]:
    """Per phase (label, chosen meeting types) as the form shows them; defaults where nothing is stored."""
    values = {}
    for phase in route.phases:
        setting = (state or {}).get(phase.key) or {}
        chosen = setting.get("meeting_types")
        values[phase.key] = (setting.get("label", ""),
                             [k for k in phase.meeting_types if chosen is None or k in chosen])
    return values


def _describe_setting(value) -> str:
    label, chosen = value
    registry = services.registry()
    names = [str(registry.meeting_types[k].label) if k in registry.meeting_types else k for k in chosen]
    return f"{label or _('(standaardnaam)')} · {', '.join(names) or _('geen overlegvormen')}"


def _settings_page(school, route, values, base, errors=None, conflict_rows=None, status=200):
    return render("route/school_settings.html", school=school, route=route, registry=services.registry(),
                  values=values, base=base, errors=errors or {}, conflict_rows=conflict_rows), status


@bp.get("/ondersteuningsroute")
@public
def public_route():
    """The whole route of each enabled configuration, for an SWV to link to parents."""
    routes = services.registry().routes
    chosen = routes.get(request.args.get("route", ""))
    shown = [chosen] if chosen else list(routes.values())
    return render("route/public.html", routes=shown, all_routes=routes, registry=services.registry(),
                  diagrams={r.key: diagram.layout(r) for r in shown})


# --- helpers ---------------------------------------------------------------------------------------------


def _visit_or_404(student, visit_id: int) -> PhaseVisit:
    traject = services.current_traject(student)
    visit = PhaseVisit.get_or_none((PhaseVisit.id == visit_id) & (PhaseVisit.traject == getattr(traject, "id", 0)))
    if visit is None:
        abort(404)
    return visit


def _transition_form(state: engine.TrajectState) -> TransitionForm:
    form = TransitionForm()
    actions = [a for a in engine.allowed_actions(state) if a not in ON_PLAN_FORM]
    form.action.choices = [(a.value, _(engine.action_label(state, a))) for a in actions]
    form.target.choices = [("", "—")] + [(p.key, p.label) for p in state.route.phases]
    form.entry.choices = [("", _("De eerste fase"))] + [(e.key, e.label) for e in state.route.entry_points]
    return form


def guard_fields(route, state=None):
    """The extra questions the enabled guards ask for this route (fields of guards about its phases); the core's
    reason to depart from a binding advice while one is in force (``state.advices``)."""
    keys = set(route.keys)
    fields = [f for g in services.guard_functions() if not g.targets or keys & set(g.targets) for f in g.fields]
    if state is None or state.advices:
        fields.append(TransitionField(engine.DEVIATION, _(engine.DEVIATION_LABEL),
                                      help=_("Alleen als u een andere stap kiest dan het advies noemt.")))
    return fields


def _guard_data(route) -> dict:
    data = {}
    for field in guard_fields(route):
        raw = request.form.get(f"extra-{field.key}", "")
        data[field.key] = bool(raw) if field.kind == "bool" else _day_text(raw) if field.kind == "date" else raw.strip()
    return data


def _day_text(raw: str) -> str:
    """A date field's answer as a reader writes it (dd-mm-jjjj); what is no date is passed on as typed, for the
    guard to name."""
    raw = raw.strip()
    try:
        return bounds.fmt(dt.date.fromisoformat(raw))
    except ValueError:
        return raw


def guard_prefill(state) -> dict:
    """What the enabled guards offer for their fields when the form opens (``Guard.prefill``), by field key."""
    keys, values = set(state.route.keys), {}
    for guard in services.guard_functions():
        if guard.prefill is not None and (not guard.targets or keys & set(guard.targets)):
            values.update({k: v for k, v in (guard.prefill(state) or {}).items() if v})
    return values


def _page(student, transition_form=None, plan_form=None, reasons=None, conflict=None, status=200):
    traject, state, visits = services.with_visits(student)
    if state is None:
        return render("route/no_route.html", student=student), status
    current_visit = next((v for v in reversed(visits) if v.phase_key == state.current
                          and v.cycle == state.cycle), None)
    can_move = policy.current().can(*MOVE)
    if plan_form is None and current_visit is not None:
        plan_form = PlanForm(obj=current_visit, formdata=None)
        plan_form.version.data = str(current_visit.version)
    registry = services.registry()
    route = services.adapted(state.route, student.school_id)
    prefilled = guard_prefill(state) if can_move and not request.form else {}
    transition_form = transition_form or _transition_form(state)
    if prefilled.get(engine.JUSTIFICATION) and not transition_form.justification.data:
        transition_form.justification.data = prefilled[engine.JUSTIFICATION]
    return render(
        "route/traject.html", student=student, traject=traject, state=state, route=route, visits=visits,
        current_visit=current_visit, registry=registry, engine=engine,
        transition_form=transition_form, plan_form=plan_form, reasons=reasons or [],
        conflict=conflict, guard_fields=guard_fields(state.route, state), posted=request.form, prefilled=prefilled,
        can_move=can_move, may_evaluate=engine.Action.EVALUATE in engine.allowed_actions(state),
        diagram=diagram.layout(route, services.phase_states(state)),
        transitions=services.transitions_of(traject) if traject else [],
        meetings=meeting_services.meetings_of_student(student, policy.current()),
        **_links(student, policy.current()),
    ), status


def _links(student, actor) -> dict:
    """Which of the student's other pages this actor may open: the page links to those only."""
    return {"opens_student": policy.opens_student(("student", "view"), actor, student.id),
            "may_plan_meeting": policy.opens_student(("meeting", "plan"), actor, student.id)}
