"""The application workflow: an application's status, as pure data and one explicit transition table.

Reasons are Dutch, as the route engine's; labels are marked with ``N_`` and translated where they are shown.

Like the route engine, nothing here touches the database. The core loads an ``ApplicationState``, asks ``check``
for every veto reason at once, and stores what ``apply`` returns; every step records who, when and why. An
application type (contributed by a plugin) adds its own guards, e.g. "the advices it needs are in" before a
decision, and its own decision fields; the table below is the same for every type.

The table follows the ordinary course of a decision under the Awb: the school submits, the SWV takes it up, may
send it back for an addition (with the question), decides, and a decision can be objected to within six weeks
(Awb art. 6:7). A well-founded objection sends the application back to be decided again; an unfounded one leaves
the decision standing. A granted TLV ends on its end date.

Not every type is the SWV's decision (``ApplicationType.decider``): for an OTV, a vrijstelling or a transfer to
MBO/HBO the school records the real decider's outcome itself (``RECORD_GRANTED``, ``RECORD_REFUSED``); such a
record is never submitted to, decided by or objected to with the SWV (``ApplicationState.swv_decides``).
Objections are recorded, late ones too (Awb 6:11 is the SWV's judgement, not the portal's); their own steps
(the LBT's advice, the term, the outcome) live in ``objection_rules.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable, Iterable, Mapping

from portal.route.engine import N_, is_real_text

OBJECTION_DAYS = 42  # six weeks after the decision was sent (Awb art. 6:7)


class Status(StrEnum):
    CONCEPT = "concept"
    SUBMITTED = "submitted"  # ingediend
    IN_REVIEW = "in_review"  # in behandeling
    ADDITION_REQUESTED = "addition_requested"  # aanvulling gevraagd: back with the school
    GRANTED = "granted"  # besluit: toegekend
    REFUSED = "refused"  # besluit: afgewezen
    OBJECTION = "objection"  # bezwaar ingediend
    EXPIRED = "expired"  # verlopen: a granted period has ended
    WITHDRAWN = "withdrawn"  # ingetrokken by the school


class Action(StrEnum):
    SUBMIT = "submit"
    TAKE_UP = "take_up"
    REQUEST_ADDITION = "request_addition"
    SUPPLEMENT = "supplement"
    GRANT = "grant"
    REFUSE = "refuse"
    OBJECT = "object"  # the school records an objection of the parents (or the school board)
    RECORD_OBJECTION = "record_objection"  # the SWV records an objection it received
    UPHOLD_OBJECTION = "uphold_objection"  # gegrond: decide again
    DISMISS_OBJECTION = "dismiss_objection"  # ongegrond: the decision stands
    EXPIRE = "expire"
    WITHDRAW = "withdraw"
    RECORD_GRANTED = "record_granted"  # the school records the outcome of a decision taken outside the SWV
    RECORD_REFUSED = "record_refused"


class Side(StrEnum):
    """Who may take an action: the school's side, the SWV's side, or the portal itself (the scheduler)."""

    SCHOOL = "school"
    SWV = "swv"
    SYSTEM = "system"


STATUS_LABELS = {
    Status.CONCEPT: N_("concept"), Status.SUBMITTED: N_("ingediend"), Status.IN_REVIEW: N_("in behandeling"),
    Status.ADDITION_REQUESTED: N_("aanvulling gevraagd"), Status.GRANTED: N_("toegekend"),
    Status.REFUSED: N_("afgewezen"), Status.OBJECTION: N_("bezwaar ingediend"), Status.EXPIRED: N_("verlopen"),
    Status.WITHDRAWN: N_("ingetrokken"),
}
ACTION_LABELS = {
    Action.SUBMIT: N_("Indienen"), Action.TAKE_UP: N_("In behandeling nemen"),
    Action.REQUEST_ADDITION: N_("Aanvulling vragen"), Action.SUPPLEMENT: N_("Aanvulling insturen"),
    Action.GRANT: N_("Toekennen"), Action.REFUSE: N_("Afwijzen"), Action.OBJECT: N_("Bezwaar indienen"),
    Action.UPHOLD_OBJECTION: N_("Bezwaar gegrond: opnieuw besluiten"),
    Action.DISMISS_OBJECTION: N_("Bezwaar ongegrond: het besluit blijft"), Action.EXPIRE: N_("Laten verlopen"),
    Action.WITHDRAW: N_("Intrekken"), Action.RECORD_OBJECTION: N_("Bezwaar vastleggen"),
    Action.RECORD_GRANTED: N_("Besluit vastleggen: toegestaan"),
    Action.RECORD_REFUSED: N_("Besluit vastleggen: niet toegestaan"),
}

SIDE_NAMES = {Side.SCHOOL: "de school", Side.SWV: "het samenwerkingsverband", Side.SYSTEM: "het portaal zelf"}

# The transition table: (status, action) -> (new status, side, the data field that must hold a real reason).
# Every pair not listed is refused; pages offer ``allowed_actions`` and nothing else.
# DISMISS_OBJECTION returns to the decision objected to (``ApplicationState.decision``), shown as None here.
TRANSITIONS: dict[tuple[Status, Action], tuple[Status | None, Side, str | None]] = {
    (Status.CONCEPT, Action.SUBMIT): (Status.SUBMITTED, Side.SCHOOL, None),
    (Status.CONCEPT, Action.WITHDRAW): (Status.WITHDRAWN, Side.SCHOOL, None),
    (Status.CONCEPT, Action.RECORD_GRANTED): (Status.GRANTED, Side.SCHOOL, None),
    (Status.CONCEPT, Action.RECORD_REFUSED): (Status.REFUSED, Side.SCHOOL, "motivation"),
    (Status.SUBMITTED, Action.TAKE_UP): (Status.IN_REVIEW, Side.SWV, None),
    (Status.SUBMITTED, Action.WITHDRAW): (Status.WITHDRAWN, Side.SCHOOL, "reason"),
    (Status.IN_REVIEW, Action.REQUEST_ADDITION): (Status.ADDITION_REQUESTED, Side.SWV, "question"),
    (Status.IN_REVIEW, Action.GRANT): (Status.GRANTED, Side.SWV, None),
    (Status.IN_REVIEW, Action.REFUSE): (Status.REFUSED, Side.SWV, "motivation"),
    (Status.IN_REVIEW, Action.WITHDRAW): (Status.WITHDRAWN, Side.SCHOOL, "reason"),
    (Status.ADDITION_REQUESTED, Action.SUPPLEMENT): (Status.IN_REVIEW, Side.SCHOOL, "answer"),
    (Status.ADDITION_REQUESTED, Action.WITHDRAW): (Status.WITHDRAWN, Side.SCHOOL, "reason"),
    (Status.GRANTED, Action.OBJECT): (Status.OBJECTION, Side.SCHOOL, "grounds"),
    (Status.GRANTED, Action.EXPIRE): (Status.EXPIRED, Side.SYSTEM, None),
    (Status.REFUSED, Action.OBJECT): (Status.OBJECTION, Side.SCHOOL, "grounds"),
    (Status.GRANTED, Action.RECORD_OBJECTION): (Status.OBJECTION, Side.SWV, "grounds"),
    (Status.REFUSED, Action.RECORD_OBJECTION): (Status.OBJECTION, Side.SWV, "grounds"),
    (Status.OBJECTION, Action.UPHOLD_OBJECTION): (Status.IN_REVIEW, Side.SWV, "motivation"),
    (Status.OBJECTION, Action.DISMISS_OBJECTION): (None, Side.SWV, "motivation"),
}
DECISIONS = (Status.GRANTED, Status.REFUSED)
DECIDING = (Action.GRANT, Action.REFUSE, Action.RECORD_GRANTED, Action.RECORD_REFUSED)  # steps that set a decision
# Steps that exist only when the SWV decides, and those only when someone else does (the school records it).
SWV_DECIDES_ONLY = frozenset({Action.SUBMIT, Action.TAKE_UP, Action.REQUEST_ADDITION, Action.SUPPLEMENT, Action.GRANT,
                              Action.REFUSE, Action.OBJECT, Action.RECORD_OBJECTION, Action.UPHOLD_OBJECTION,
                              Action.DISMISS_OBJECTION})
RECORD_ONLY = frozenset({Action.RECORD_GRANTED, Action.RECORD_REFUSED})
# The school completes its part: what a type checks before submitting is checked before recording the outcome too.
FILING = frozenset({Action.SUBMIT, Action.RECORD_GRANTED, Action.RECORD_REFUSED})
OBJECTING = frozenset({Action.OBJECT, Action.RECORD_OBJECTION})
OBJECTION_STEPS = OBJECTING | {Action.UPHOLD_OBJECTION, Action.DISMISS_OBJECTION}  # none against an advice
FINAL = frozenset({Status.EXPIRED, Status.WITHDRAWN})


@dataclass(frozen=True)
class Step:
    """One recorded step: who (a user id, None for the portal itself), when (a date), what and why."""

    action: Action
    from_status: Status
    to_status: Status
    by: int | None
    on: dt.date
    reason: str = ""


@dataclass(frozen=True)
class ApplicationState:
    status: Status = Status.CONCEPT
    decision: Status | None = None  # the last decision (granted or refused), kept through an objection
    decided_on: dt.date | None = None  # the day the decision was sent: the objection term runs from here
    history: tuple[Step, ...] = ()
    swv_decides: bool = True  # False: decided outside the SWV, the school records the outcome (``RECORD_ONLY``)
    advice_only: bool = False  # the SWV's outcome is an advice, not a besluit (Awb 1:3): no objection against it


def exists(state: ApplicationState, action: Action) -> bool:
    """Whether the step is one of this application's kind at all (the SWV's decision, or the school's record)."""
    if state.advice_only and action in OBJECTION_STEPS:
        return False
    return action not in (RECORD_ONLY if state.swv_decides else SWV_DECIDES_ONLY)


# A guard of an application type: (state, action, data) -> Dutch veto reasons ("" or none when it does not apply).
Guard = Callable[[ApplicationState, Action, Mapping[str, Any]], Iterable[str]]


class Refused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def allowed_actions(state: ApplicationState, side: Side) -> list[Action]:
    """The actions the table offers this side in this status (guards may still refuse one)."""
    return [action for (status, action), (_, who, _) in TRANSITIONS.items() if status == state.status
            and who == side and exists(state, action)]


def check(state: ApplicationState, action: Action, side: Side, data: Mapping[str, Any], today: dt.date,
          guards: Iterable[Guard] = ()) -> list[str]:
    """Every reason the step cannot be taken now, all at once (empty: it can)."""
    rule = TRANSITIONS.get((state.status, action))
    if rule is None:
        return [f"'{ACTION_LABELS[action]}' kan niet bij een aanvraag met status '{STATUS_LABELS[state.status]}'."]
    if not exists(state, action):
        return [f"'{ACTION_LABELS[action]}' hoort niet bij deze aanvraag: " + (
            "het samenwerkingsverband geeft hierover een advies, geen besluit; tegen een advies staat geen bezwaar "
            "open." if state.advice_only else
            "het samenwerkingsverband neemt hierover geen besluit; de school legt het besluit vast."
            if not state.swv_decides else "het samenwerkingsverband neemt het besluit.")]
    _, who, reason_field = rule
    if who != side:
        return [f"'{ACTION_LABELS[action]}' is een stap van {SIDE_NAMES[who]}."]
    reasons = []
    if reason_field and not is_real_text(str(data.get(reason_field) or "")):
        reasons.append("Licht deze stap toe in een paar zinnen (minstens 20 tekens en drie woorden).")
    for guard in guards:
        reasons += [reason for reason in guard(state, action, data) or () if reason]
    return reasons


def apply(state: ApplicationState, action: Action, side: Side, data: Mapping[str, Any], today: dt.date,
          by: int | None, guards: Iterable[Guard] = ()) -> ApplicationState:
    """The state after the step, with the step in its history; Refused with every reason when it cannot be."""
    guards = list(guards)
    reasons = check(state, action, side, data, today, guards)
    if reasons:
        raise Refused(reasons)
    target, _, reason_field = TRANSITIONS[(state.status, action)]
    target = target or state.decision  # an unfounded objection: the decision objected to stands
    step = Step(action, state.status, target, by, today, str(data.get(reason_field) or "") if reason_field else "")
    changes: dict[str, Any] = {"status": target, "history": (*state.history, step)}
    if target in DECISIONS and action in DECIDING:
        changes.update(decision=target, decided_on=today)
    return dataclasses.replace(state, **changes)
