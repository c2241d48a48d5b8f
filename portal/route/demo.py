"""Demo trajecten: a few students of each school somewhere along their route, made through the real services."""

from __future__ import annotations

import datetime as dt

from portal import clock, policy
from portal.route import engine, services
from portal.route.models import PhaseVisit

SIGNAL = "Mentor en ouders zien dat de leerling zich terugtrekt en achterloopt met het werk."
SKIP_WHY = "Ouders en school hebben de zorgen al uitgebreid besproken; de leerlingbespreking is direct nodig."
PLAN = {"goals": "De leerling werkt zelfstandig twintig minuten aan een taak.",
        "interventions": "Vaste werkplek, dagplanning met de mentor, wekelijks kort gesprek.",
        "worked": "De dagplanning geeft rust.", "not_worked": "Huiswerk blijft lastig.",
        "parent_view": "Ouders herkennen het beeld en steunen de aanpak thuis.",
        "student_view": "De leerling vindt de vaste werkplek prettig.",
        "next_steps": "Bespreken in het ondersteuningsteam."}


def load(students: list, coordinator) -> int:
    """Give up to four students a traject in different states; returns how many were made."""
    actor = policy.Actor(kind="user", user=coordinator, school_id=students[0].school_id,
                         roles=frozenset({"zorg"})) if students else None
    steps = (_just_started, _evaluated_and_moved_on, _skipped_ahead, _stopped)
    made = 0
    for student, step in zip(students, steps):
        if services.current_traject(student) is None and services.route_for(student) is not None:
            step(student, actor)
            made += 1
    return made


def _start(student, actor):
    services.transition(student, engine.Action.START, None, {engine.SIGNAL: SIGNAL}, actor)


def _evaluate(student, actor):
    traject = services.current_traject(student)
    visit = services.visits_of(traject)[-1]
    changes = {**PLAN, "evaluation_date": clock.today() + dt.timedelta(weeks=6)}
    services.save_plan(student, visit, visit.version, changes, actor)
    services.transition(student, engine.Action.EVALUATE, None,
                        {engine.EVALUATION: PLAN["worked"] + "\n" + PLAN["not_worked"]}, actor)


def _just_started(student, actor):
    _start(student, actor)
    traject = services.current_traject(student)
    visit = services.visits_of(traject)[-1]
    services.save_plan(student, visit, visit.version,
                       {**{k: "" for k in PhaseVisit.VERSIONED_FIELDS}, "goals": PLAN["goals"],
                        "evaluation_date": clock.today() + dt.timedelta(days=10)}, actor)


def _evaluated_and_moved_on(student, actor):
    _start(student, actor)
    _evaluate(student, actor)
    services.transition(student, engine.Action.ADVANCE, None, {}, actor)


def _skipped_ahead(student, actor):
    _start(student, actor)
    _evaluate(student, actor)  # a phase is left only after its evaluation, also when phases after it are skipped
    route = services.state_for(student)[1].route
    services.transition(student, engine.Action.SKIP, route.phases[2].key, {engine.JUSTIFICATION: SKIP_WHY}, actor)


def _stopped(student, actor):
    _start(student, actor)
    services.transition(student, engine.Action.STOP, None, {
        engine.REASON: "goal_reached",
        engine.EXPLANATION: "De aanpak in de klas werkt; extra ondersteuning is niet meer nodig."}, actor)
