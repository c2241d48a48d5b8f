"""The application workflow is one explicit table (every application, a TLV among them, is applied for and
decided through it). Pure: no database, no Flask; every (status, action) pair is walked."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from portal.applications.workflow import (ACTION_LABELS, OBJECTION_DAYS, STATUS_LABELS, TRANSITIONS, Action,
                                          ApplicationState, Refused, Side, Status, allowed_actions, apply, check)

DAY = dt.date(2027, 3, 1)
WHY = "De school heeft de gevraagde verslagen en de visie van ouders toegevoegd."
SCHOOL, SWV = Side.SCHOOL, Side.SWV


def run(*steps, state=ApplicationState(), today=DAY):
    """Apply (action, side[, data]) steps in turn, all on ``today``."""
    for step in steps:
        action, side, data = (*step, {})[:3]
        state = apply(state, action, side, data, today, by=7)
    return state


def decided(outcome=Action.GRANT, today=DAY):
    steps = [(Action.SUBMIT, SCHOOL), (Action.TAKE_UP, SWV)]
    steps.append((outcome, SWV, {"motivation": WHY}))
    return run(*steps, today=today)


def test_every_status_and_action_has_a_label_and_every_pair_is_decided_by_the_table():
    """The table alone says which step exists; a pair it does not list is refused with a Dutch reason."""
    assert set(STATUS_LABELS) == set(Status) and set(ACTION_LABELS) == set(Action)
    for status, action in itertools.product(Status, Action):
        state = ApplicationState(status=status, decision=Status.GRANTED, decided_on=DAY)
        if (status, action) not in TRANSITIONS:
            assert check(state, action, SCHOOL, {}, DAY)[0].endswith(f"status '{STATUS_LABELS[status]}'.")
            assert all(action not in allowed_actions(state, side) for side in Side)


def test_the_ordinary_course_records_who_when_and_why():
    """Concept -> ingediend -> in behandeling -> aanvulling gevraagd -> in behandeling -> toegekend;
    every step records who, when and (where the table asks one) why."""
    state = run((Action.SUBMIT, SCHOOL), (Action.TAKE_UP, SWV),
                (Action.REQUEST_ADDITION, SWV, {"question": "Graag het verslag van het laatste mdo toevoegen."}),
                (Action.SUPPLEMENT, SCHOOL, {"answer": WHY}), (Action.GRANT, SWV))
    assert state.status == Status.GRANTED and state.decision == Status.GRANTED and state.decided_on == DAY
    assert [(s.from_status, s.to_status) for s in state.history] == [
        (Status.CONCEPT, Status.SUBMITTED), (Status.SUBMITTED, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.ADDITION_REQUESTED), (Status.ADDITION_REQUESTED, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.GRANTED)]
    assert state.history[2].reason.startswith("Graag het verslag") and state.history[3].reason == WHY
    assert all(s.by == 7 and s.on == DAY for s in state.history)


def test_each_side_takes_only_its_own_steps():
    """The school submits and supplements; the SWV takes up, asks, decides; the portal lets a TLV expire."""
    submitted = run((Action.SUBMIT, SCHOOL))
    assert allowed_actions(submitted, SWV) == [Action.TAKE_UP]
    assert allowed_actions(submitted, SCHOOL) == [Action.WITHDRAW]
    assert check(submitted, Action.TAKE_UP, SCHOOL, {}, DAY) == [
        "'In behandeling nemen' is een stap van het samenwerkingsverband."]
    assert allowed_actions(decided(), Side.SYSTEM) == [Action.EXPIRE]
    assert run((Action.EXPIRE, Side.SYSTEM), state=decided()).status == Status.EXPIRED


@pytest.mark.parametrize("action,field,status", [
    (Action.REQUEST_ADDITION, "question", Status.IN_REVIEW),
    (Action.REFUSE, "motivation", Status.IN_REVIEW),
    (Action.WITHDRAW, "reason", Status.IN_REVIEW),
])
def test_a_question_refusal_or_withdrawal_needs_a_real_reason(action, field, status):
    """A step that sends work back, refuses or ends the application needs a written reason, not a character."""
    state = run((Action.SUBMIT, SCHOOL), (Action.TAKE_UP, SWV))
    side = SCHOOL if action == Action.WITHDRAW else SWV
    for poor in ({}, {field: "x"}, {field: "aaaaaaaaaaaaaaaaaaaaaaaa"}):
        with pytest.raises(Refused) as refused:
            apply(state, action, side, poor, DAY, by=7)
        assert "Licht deze stap toe" in refused.value.reasons[0]
    assert apply(state, action, side, {field: WHY}, DAY, by=7).history[-1].reason == WHY


def test_a_late_objection_is_not_refused_by_the_table():
    """R-LAW-TLV-7: an objection after six weeks is recorded (the SWV judges it, Awb 6:11), not refused."""
    granted = decided()
    late_day = DAY + dt.timedelta(days=OBJECTION_DAYS + 30)
    assert apply(granted, Action.OBJECT, SCHOOL, {"grounds": WHY}, late_day, by=7).status == Status.OBJECTION


def test_a_decision_taken_elsewhere_has_no_swv_steps():
    """R-DRE-OTV-1: for a type the SWV does not decide, the school records the outcome; it is never submitted to,
    decided by or objected to with the SWV."""
    record = ApplicationState(swv_decides=False)
    assert Action.SUBMIT not in allowed_actions(record, SCHOOL)
    assert set(allowed_actions(record, SCHOOL)) >= {Action.RECORD_GRANTED, Action.RECORD_REFUSED}
    granted = apply(record, Action.RECORD_GRANTED, SCHOOL, {}, DAY, by=7)
    assert granted.status == Status.GRANTED
    assert allowed_actions(granted, SCHOOL) == [] and allowed_actions(granted, SWV) == []
    assert check(granted, Action.OBJECT, SCHOOL, {"grounds": WHY}, DAY)[0].startswith("'Bezwaar indienen' hoort niet")
    assert Action.RECORD_GRANTED not in allowed_actions(ApplicationState(), SCHOOL)


@pytest.mark.parametrize("outcome,kept", [(Action.GRANT, Status.GRANTED), (Action.REFUSE, Status.REFUSED)])
def test_an_unfounded_objection_leaves_the_decision_and_a_founded_one_decides_again(outcome, kept):
    """Bezwaar ongegrond: the decision objected to stands; gegrond: the application is decided again."""
    objected = run((Action.OBJECT, SCHOOL, {"grounds": WHY}), state=decided(outcome))
    dismissed = run((Action.DISMISS_OBJECTION, SWV, {"motivation": WHY}), state=objected)
    assert dismissed.status == kept and dismissed.decided_on == DAY
    again = run((Action.UPHOLD_OBJECTION, SWV, {"motivation": WHY}), state=objected)
    assert again.status == Status.IN_REVIEW
    assert run((Action.GRANT, SWV), state=again, today=DAY + dt.timedelta(days=30)).decided_on == \
        DAY + dt.timedelta(days=30)


def test_every_guard_reason_is_reported_at_once():
    """Like the route's guards: the application type's guards add their reasons to the table's, all at once."""
    state = run((Action.SUBMIT, SCHOOL), (Action.TAKE_UP, SWV))

    def advices(state, action, data):
        return ["Het advies van de tweede deskundige ontbreekt."] if action == Action.GRANT else []

    def dates(state, action, data):
        return ["" if data.get("end") else "Vul de einddatum van de toelaatbaarheid in."]

    assert check(state, Action.GRANT, SWV, {}, DAY, [advices, dates]) == [
        "Het advies van de tweede deskundige ontbreekt.", "Vul de einddatum van de toelaatbaarheid in."]
    with pytest.raises(Refused):
        apply(state, Action.GRANT, SWV, {}, DAY, by=7, guards=[advices])
    assert apply(state, Action.REQUEST_ADDITION, SWV, {"question": WHY}, DAY, by=7, guards=[advices]).status \
        == Status.ADDITION_REQUESTED
