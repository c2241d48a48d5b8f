"""The route engine: a student's traject through a route, as pure data and an explicit transition table.

Nothing here touches the database. The core loads a ``TrajectState`` (with the route snapshot the traject
started under), asks ``check`` for every veto reason, shows them all at once, and stores what ``apply``
returns. There is no override: the only ways past a veto are the alternatives its reason names.

A phase counts as completed once it is evaluated; a skipped phase is not completed. One rule for leaving a
phase: it is evaluated first, whether the traject moves to the next phase or skips phases after it; only acute
nood (escalate, with a written justification) leaves a phase without its evaluation. Every refusal names the one
way that does work.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable, Iterable, Mapping

from portal.route.definition import Phase, Route


def N_(text: str) -> str:
    """Mark a label for translation; the interface translates it where it is shown (this module stays pure)."""
    return text


class Status(StrEnum):
    NEW = "new"  # created, not started yet
    ACTIVE = "active"
    STOPPED = "stopped"  # stopped early: goal reached or no longer needed
    COMPLETED = "completed"  # the cycle ran through its last phase


class Action(StrEnum):
    START = "start"
    ADVANCE = "advance"
    SKIP = "skip"
    ESCALATE = "escalate"
    STOP = "stop"
    NEW_CYCLE = "new_cycle"
    EVALUATE = "evaluate"


class PhaseStatus(StrEnum):
    VISITED = "visited"
    EVALUATED = "evaluated"
    SKIPPED = "skipped"


STATUS_LABELS = {
    Status.NEW: N_("nog niet gestart"),
    Status.ACTIVE: N_("lopend"),
    Status.STOPPED: N_("gestopt"),
    Status.COMPLETED: N_("cyclus afgerond"),
}
ACTION_LABELS = {
    Action.START: N_("Traject starten"),
    Action.ADVANCE: N_("Naar de volgende fase"),
    Action.SKIP: N_("Fase(n) overslaan"),
    Action.ESCALATE: N_("Acute nood: direct opschalen"),
    Action.STOP: N_("Traject stoppen"),
    Action.NEW_CYCLE: N_("Nieuwe cyclus starten"),  # after a completed cycle
    Action.EVALUATE: N_("Fase evalueren"),
}
PHASE_STATUS_LABELS = {
    PhaseStatus.VISITED: N_("verlaten zonder evaluatie"),  # the current phase shows CURRENT_PHASE_LABEL instead
    PhaseStatus.EVALUATED: N_("geëvalueerd"),
    PhaseStatus.SKIPPED: N_("overgeslagen"),
}
NEW_TRAJECT_LABEL = N_("Nieuw traject starten")  # START after a stopped traject (see FRESH_STARTS)
CURRENT_PHASE_LABEL = N_("loopt nu")  # the phase an active traject is in: neither completed nor left
STOP_REASONS = {"goal_reached": N_("Doel bereikt"), "no_longer_needed": N_("Niet langer nodig")}

# The transition table: (from status, action) -> allowed. Every pair is listed; tests walk all of them. It is the
# whole truth about which actions exist in a status: pages offer ``allowed_actions`` and nothing else.
# One way on after the end, never two: a stopped traject is finished, so a new concern starts a fresh traject with
# its own signal; a completed cycle goes on with a new cycle of the same traject.
_ALLOWED = {
    Status.NEW: {Action.START},
    Status.ACTIVE: {Action.ADVANCE, Action.SKIP, Action.ESCALATE, Action.STOP, Action.EVALUATE},
    Status.STOPPED: {Action.START},
    Status.COMPLETED: {Action.NEW_CYCLE},
}
TRANSITIONS: dict[tuple[Status, Action], bool] = {
    (status, action): action in _ALLOWED[status] for status in Status for action in Action
}
# Allowed transitions that begin a fresh traject instead of continuing this one: the core stores a new traject,
# on the route as it is defined now (not the old snapshot), and the old one stays as it ended.
FRESH_STARTS = frozenset({(Status.STOPPED, Action.START)})
# Labels of an action that reads differently in one status than ACTION_LABELS says.
_LABELS_IN_STATUS = {(Status.STOPPED, Action.START): NEW_TRAJECT_LABEL}
_REFUSAL_HINTS = {
    Status.NEW: "Start het traject eerst met een signaal.",
    Status.ACTIVE: "Het traject loopt al; stop het eerst of rond de laatste fase af.",
    Status.STOPPED: "Start een nieuw traject om verder te gaan.",
    Status.COMPLETED: "Start een nieuwe cyclus om verder te gaan.",
}

# Keys of the transition data the engine itself reads; plugins read their own keys.
SIGNAL, JUSTIFICATION, REASON, EXPLANATION, EVALUATION, ENTRY = (
    "signal", "justification", "reason", "explanation", "evaluation", "entry")
JUSTIFICATION_MIN_CHARS = 20
# Fields of the transition form a reason can concern besides the data keys above.
ACTION, TARGET = "action", "target"

GuardFn = Callable[[Route, "TrajectState", Action, Phase | None, Mapping[str, Any]], Iterable[str]]


@dataclass(frozen=True)
class PhaseRecord:
    """What happened to one phase in one cycle."""

    phase_key: str
    status: PhaseStatus
    cycle: int
    note: str = ""  # the justification of a skip, or the latest evaluation


@dataclass(frozen=True)
class BindingAdvice:
    """An advice in force for the traject: given in a phase with ``binding_advice``, naming the advised next step.

    The core builds it from a decided application (``route.services.binding_advices``); the engine only reads it:
    a transition to another phase than ``advised`` needs a recorded reason (``binding_advice_reasons``).
    """

    phase_key: str  # the phase whose advice it is (DOA VO, RET)
    advised: str  # the phase key of the advised next step
    title: str  # "Bindend advies DOA VO (12-03-2026)", as the traject page shows it
    text: str = ""  # the advice in the team's words
    weight: str = "bindend"  # "bindend" or "zwaarwegend": how the source names it
    link: str = ""  # the application page


@dataclass(frozen=True)
class TrajectState:
    """A student's traject under one route snapshot."""

    route: Route
    status: Status = Status.NEW
    current: str | None = None
    cycle: int = 0
    history: tuple[PhaseRecord, ...] = ()
    signal: str = ""
    entry: str | None = None
    stop_reason: str | None = None
    student_id: int | None = None  # whose traject it is, for guards that consult the student's data (the OPP)
    advices: tuple[BindingAdvice, ...] = ()  # binding advices in force (not yet followed), newest first

    @property
    def current_phase(self) -> Phase | None:
        return self.route.phase(self.current) if self.current else None

    def records(self, cycle: int | None = None) -> tuple[PhaseRecord, ...]:
        wanted = self.cycle if cycle is None else cycle
        return tuple(r for r in self.history if r.cycle == wanted)

    def phase_status(self, key: str) -> PhaseStatus | None:
        """The status of a phase in the current cycle, or None if the cycle has not reached it."""
        found = [r.status for r in self.records() if r.phase_key == key]
        return found[-1] if found else None

    def is_completed(self, key: str, any_cycle: bool = False) -> bool:
        records = self.history if any_cycle else self.records()
        return any(r.phase_key == key and r.status == PhaseStatus.EVALUATED for r in records)


class Reason(str):
    """A veto reason (Dutch) that knows which field of the transition form it concerns, if any.

    It is a ``str``: callers that only show text need nothing else; the form puts it next to ``field``.
    """

    field: str | None

    def __new__(cls, text: str, field: str | None = None):
        reason = super().__new__(cls, text)
        reason.field = field
        return reason


def about(field: str, reasons: list[str]) -> list[str]:
    return [Reason(r, field) for r in reasons]


class TransitionRefused(Exception):
    """Raised by ``apply``; ``reasons`` holds every veto, in Dutch, to show the user at once."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def new_traject(route: Route, student_id: int | None = None) -> TrajectState:
    return TrajectState(route=route, student_id=student_id)


def allowed_actions(state: TrajectState) -> tuple[Action, ...]:
    """The actions the table allows from the state's status (guards may still veto them)."""
    return tuple(a for a in Action if TRANSITIONS[(state.status, a)])


def starts_fresh(state: TrajectState, action: Action | str) -> bool:
    """Whether this allowed transition begins a fresh traject (``FRESH_STARTS``) rather than continuing this one."""
    return (state.status, Action(action)) in FRESH_STARTS


def action_label(state: TrajectState, action: Action | str) -> str:
    """The (untranslated) label of an action as offered in the state's status."""
    action = Action(action)
    return _LABELS_IN_STATUS.get((state.status, action), ACTION_LABELS[action])


def is_real_text(text: str | None, minimum: int = JUSTIFICATION_MIN_CHARS, words: int = 3) -> bool:
    """At least ``minimum`` letters or digits, ``words`` words, and not one character repeated."""
    text = text or ""
    chars = [c.lower() for c in text if c.isalnum()]
    return len(chars) >= minimum and len(set(chars)) >= 5 and len(re.findall(r"\w{2,}", text)) >= words


# A phase's plan and evaluation are written like a justification (``is_real_text``), with lower minimums: a goal
# is often a short phrase ("Huiswerk af."), but never "x" or one word.
PLAN_TEXT_MIN_CHARS = 10
PLAN_TEXT_MIN_WORDS = 2
PLAN_TEXT_FIELDS = ("goals", "interventions", "worked", "not_worked", "next_steps")
PLAN_TEXT_MESSAGE = N_("Schrijf hier in eigen woorden wat je bedoelt: minstens twee woorden en %(minimum)s letters "
                       "of cijfers.")


def plan_text_reasons(changes: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The plan or evaluation texts that are filled in, new, and no real text (each about its field). A text
    stored before this rule existed may stay as it is."""
    reasons = []
    for name in PLAN_TEXT_FIELDS:
        value = (changes.get(name) or "").strip()
        new = value and value != (stored.get(name) or "").strip()
        if new and not is_real_text(value, PLAN_TEXT_MIN_CHARS, PLAN_TEXT_MIN_WORDS):
            reasons += about(name, [PLAN_TEXT_MESSAGE % {"minimum": PLAN_TEXT_MIN_CHARS}])
    return reasons


def has_text(text: str | None) -> bool:
    """Some letters or digits, not only blanks or punctuation."""
    return any(c.isalnum() for c in text or "")


def _label(route: Route, key: str) -> str:
    return route.phase(key).label


# --- targets ---------------------------------------------------------------------------------------------

def resolve_target(state: TrajectState, action: Action, target: str | None = None,
                   data: Mapping[str, Any] | None = None) -> Phase | None:
    """The phase a transition leads to; None for stop, for completing the cycle, or for an unknown target."""
    route, data = state.route, data or {}
    if action == Action.START:
        entry = data.get(ENTRY)
        return route.phase(route.entry_point(entry).start_phase) if _entry_known(route, entry) else route.first
    if action == Action.NEW_CYCLE:
        return route.first
    if action == Action.EVALUATE:
        return state.current_phase
    if action == Action.ADVANCE:
        if target and state.current and route.has_phase(target) and route.is_alternative(state.current, target):
            return route.phase(target)  # a choice among the follow-up options, not the next phase in order
        return None if route.is_last(state.current) else route.next_phase(state.current)
    if action in (Action.SKIP, Action.ESCALATE) and target and route.has_phase(target):
        return route.phase(target)
    return None


def _entry_known(route: Route, entry: str | None) -> bool:
    return bool(entry) and entry in {e.key for e in route.entry_points}


# --- validation per action -------------------------------------------------------------------------------

def _validate_start(state, target, data) -> list[str]:
    reasons = [] if has_text(data.get(SIGNAL)) else about(SIGNAL, [
        "Beschrijf het signaal waarmee het traject start."])
    entry = data.get(ENTRY)
    if entry and not _entry_known(state.route, entry):
        reasons += about(ENTRY, [f"Onbekende ingang '{entry}' voor deze route."])
    return reasons


def _not_evaluated(state, then: str) -> list[str]:
    """The one rule for leaving a phase: it is evaluated first (only acute nood leaves it without evaluation)."""
    if state.is_completed(state.current):
        return []
    return about(ACTION, [f"Fase '{_label(state.route, state.current)}' is nog niet geëvalueerd. Leg eerst de "
                          f"evaluatie vast bij 'Plan en evaluatie van deze fase' en kies dan {then}."])


def _validate_advance(state, target, data) -> list[str]:
    route, current = state.route, state.current
    alternative = bool(target) and route.has_phase(target) and route.is_alternative(current, target)
    if target and not alternative and (route.is_last(current) or target != route.next_phase(current).key):
        wrong_target = about(TARGET, ["'Naar de volgende fase' gaat alleen naar de eerstvolgende fase of naar een "
                                      "van de vervolgopties van deze fase; kies 'Fase(n) overslaan' om verder te "
                                      "springen."])
        return wrong_target + _not_evaluated(state, "'Fase(n) overslaan'")
    return _not_evaluated(state, "opnieuw 'Naar de volgende fase'")


def _validate_jump(state, target, data, *, minimum_gap: int) -> list[str]:
    route, current = state.route, state.current
    if not target:
        return about(TARGET, ["Kies de fase waar het traject naartoe gaat."])
    if not route.has_phase(target):
        return about(TARGET, [f"Onbekende fase '{target}' in deze route."])
    if route.is_alternative(current, target) and minimum_gap > 1:
        return about(TARGET, [f"Fase '{_label(route, target)}' is een vervolgoptie van deze fase: een keuze, geen "
                              "overgeslagen fasen. Evalueer de fase en kies 'Naar de volgende fase' met deze fase."])
    if route.is_alternative(current, target):
        return []  # acute nood straight into a follow-up option: nothing in between is skipped
    gap = route.index(target) - route.index(current)
    if gap <= 0:
        return about(TARGET, [f"Fase '{_label(route, target)}' ligt niet na de huidige fase; terug kan alleen "
                              "met een nieuwe cyclus."])
    if gap < minimum_gap:
        if not state.is_completed(current):
            return _not_evaluated(state, "'Naar de volgende fase'")
        return about(TARGET, [f"Fase '{_label(route, target)}' is de volgende fase; daar sla je niets over. "
                              "Kies 'Naar de volgende fase'."])
    return []


def _validate_justification(data, what: str) -> list[str]:
    if is_real_text(data.get(JUSTIFICATION)):
        return []
    return about(JUSTIFICATION, [f"Onderbouw schriftelijk waarom {what}, in minstens {JUSTIFICATION_MIN_CHARS} "
                                 "tekens en eigen woorden."])


def _validate_skip(state, target, data) -> list[str]:
    jump = _validate_jump(state, target, data, minimum_gap=2)
    if not jump:  # a valid target: the current phase is still evaluated before the traject moves on
        jump = _not_evaluated(state, "opnieuw 'Fase(n) overslaan'")
    return jump + _validate_justification(data, "fasen worden overgeslagen")


def _validate_escalate(state, target, data) -> list[str]:
    return (_validate_jump(state, target, data, minimum_gap=1)
            + _validate_justification(data, "er sprake is van acute nood"))


def _validate_stop(state, target, data) -> list[str]:
    reasons = []
    if data.get(REASON) not in STOP_REASONS:
        reasons += about(REASON, ["Kies een reden om te stoppen: "
                                  + " of ".join(f"'{v}'" for v in STOP_REASONS.values()) + "."])
    if not is_real_text(data.get(EXPLANATION)):
        reasons += about(JUSTIFICATION, [f"Licht het stoppen toe in minstens {JUSTIFICATION_MIN_CHARS} tekens."])
    return reasons


def _validate_evaluate(state, target, data) -> list[str]:
    return [] if has_text(data.get(EVALUATION)) else about(EVALUATION, [
        "Beschrijf de evaluatie: wat werkte wel en wat niet."])


_VALIDATORS = {
    Action.START: _validate_start,
    Action.ADVANCE: _validate_advance,
    Action.SKIP: _validate_skip,
    Action.ESCALATE: _validate_escalate,
    Action.STOP: _validate_stop,
    Action.NEW_CYCLE: lambda state, target, data: [],
    Action.EVALUATE: _validate_evaluate,
}


def check(state: TrajectState, action: Action | str, target: str | None = None,
          data: Mapping[str, Any] | None = None, guards: Iterable[GuardFn] = ()) -> list[str]:
    """Every reason (Dutch) why the transition may not happen: table, validation and plugin guards.

    ``target`` is a phase key, needed for skip and escalate only. Guards are called with the resolved target
    phase (None for stop, for completing the cycle, or when the target is invalid).
    """
    action, data = Action(action), data or {}
    if not TRANSITIONS[(state.status, action)]:
        return about(ACTION, [f"'{ACTION_LABELS[action]}' kan niet bij status '{STATUS_LABELS[state.status]}'. "
                              + _REFUSAL_HINTS[state.status]])
    reasons = _VALIDATORS[action](state, target, data)
    target_phase = resolve_target(state, action, target, data)
    for guard in guards:
        reasons.extend(guard(state.route, state, action, target_phase, data))
    return reasons


# --- core rules that read more than the route: the lead roles and a binding advice ---------------------------

INTO = frozenset({Action.START, Action.ADVANCE, Action.SKIP, Action.ESCALATE, Action.NEW_CYCLE})
DEVIATION = "binding_advice_deviation"  # transition data: why the traject departs from a binding advice
DEVIATION_LABEL = N_("Reden om af te wijken van het bindend advies")


def lead_role_reasons(state: TrajectState, action: Action, target: Phase | None, roles: Iterable[str],
                      role_names: Mapping[str, str]) -> list[str]:
    """A transition into a phase is made by someone who leads it (``Phase.lead_roles``); ``roles`` are the roles
    the actor acts in (a care coordinator also counts for the mentor, see ``policy.acting_roles``)."""
    if action not in INTO or target is None or target.key == state.current or set(roles) & set(target.lead_roles):
        return []
    leads = target.lead_label or ", ".join(role_names.get(r, r) for r in target.lead_roles)
    return [f"Fase '{target.label}' wordt geleid door: {leads}. Alleen wie deze fase leidt, zet een leerling in "
            "deze fase; vraag hen de overgang te maken."]


def binding_advice_reasons(route: Route, state: TrajectState, action: Action, target: Phase | None,
                           data: Mapping[str, Any]) -> list[str]:
    """A move to another phase than a binding advice names needs a written reason (the advice binds the next
    steps, seed 004 §2.4; the RET's advice is weighty and commits all parties, §3.3)."""
    if action not in (Action.ADVANCE, Action.SKIP, Action.ESCALATE) or target is None or not state.advices:
        return []
    advice = state.advices[0]
    if target.key in (advice.advised, advice.phase_key) or is_real_text(data.get(DEVIATION)):
        return []
    advised = route.phase(advice.advised).label if route.has_phase(advice.advised) else advice.advised
    return [Reason(f"Het {advice.weight}e advies ({advice.title}) noemt als volgende stap '{advised}', niet "
                   f"'{target.label}'. Afwijken kan alleen met een vastgelegde reden (minstens "
                   f"{JUSTIFICATION_MIN_CHARS} tekens, in eigen woorden).", DEVIATION)]


# --- effects ---------------------------------------------------------------------------------------------

def apply(state: TrajectState, action: Action | str, target: str | None = None,
          data: Mapping[str, Any] | None = None, guards: Iterable[GuardFn] = ()) -> TrajectState:
    """The state after the transition; raises TransitionRefused with every reason if ``check`` finds any."""
    action, data, guards = Action(action), data or {}, tuple(guards)
    reasons = check(state, action, target, data, guards)
    if reasons:
        raise TransitionRefused(reasons)
    return _EFFECTS[action](state, resolve_target(state, action, target, data), data)


def _visit(state: TrajectState, phase: Phase, before: tuple[PhaseRecord, ...] = (), **changes) -> TrajectState:
    """Enter ``phase``; ``before`` holds records to add first (skipped phases)."""
    state = dataclasses.replace(state, **changes)
    record = PhaseRecord(phase.key, PhaseStatus.VISITED, state.cycle)
    return dataclasses.replace(state, current=phase.key, history=state.history + before + (record,))


def _start(state, phase, data):
    """Cycle 1 of a traject with nothing behind it (after a stop the history belongs to the old traject)."""
    return _visit(new_traject(state.route), phase, status=Status.ACTIVE, cycle=1, signal=data[SIGNAL].strip(),
                  entry=data.get(ENTRY) or None)


def _advance(state, phase, data):
    if phase is None:
        return dataclasses.replace(state, status=Status.COMPLETED)
    return _visit(state, phase)


def _jump(state, phase, data):
    note = data[JUSTIFICATION].strip()
    between = () if state.route.is_alternative(state.current, phase.key) else state.route.between(
        state.current, phase.key)
    skipped = tuple(PhaseRecord(p.key, PhaseStatus.SKIPPED, state.cycle, note) for p in between)
    return _visit(state, phase, before=skipped)


def _stop(state, phase, data):
    return dataclasses.replace(state, status=Status.STOPPED, stop_reason=data[REASON])


def _new_cycle(state, phase, data):
    return _visit(state, phase, status=Status.ACTIVE, cycle=state.cycle + 1, entry=None, stop_reason=None)


def _evaluate(state, phase, data):
    history = list(state.history)
    index = max(i for i, r in enumerate(history) if r.phase_key == phase.key and r.cycle == state.cycle)
    history[index] = dataclasses.replace(history[index], status=PhaseStatus.EVALUATED,
                                         note=data[EVALUATION].strip())
    return dataclasses.replace(state, history=tuple(history))


_EFFECTS = {
    Action.START: _start,
    Action.ADVANCE: _advance,
    Action.SKIP: _jump,
    Action.ESCALATE: _jump,
    Action.STOP: _stop,
    Action.NEW_CYCLE: _new_cycle,
    Action.EVALUATE: _evaluate,
}
