"""The route engine's transition table and the po, vo and drenthe route data and guards.

Pure Python: no app, no database. The plugin route modules are loaded from their files, so these tests do not
depend on how the plugins are installed. Only the last test uses the app: the traject page offers exactly the
table's actions.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path

import pytest

from portal.dossier.sections import CORE_SECTIONS
from portal.route.definition import Phase, Route
from portal.route.engine import (
    FRESH_STARTS, TRANSITIONS, Action, PhaseStatus, Status, TransitionRefused, action_label, allowed_actions,
    apply, check, is_real_text, new_traject, starts_fresh,
)
from tests.factories import EVAL, SIGNAL, STOP, TOY_ROUTE, WHY

ROOT = Path(__file__).resolve().parents[1]
ROUTE_FILES = {
    "po": ROOT / "plugins" / "po" / "route.py",
    "vo": ROOT / "plugins" / "vo" / "route.py",
    "drenthe": ROOT / "plugins" / "drenthe" / "portal_drenthe" / "route.py",
}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_route_under_test_{name}", ROUTE_FILES[name])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PO, VO, DRENTHE = _load("po"), _load("vo"), _load("drenthe")
PLUGINS = {"po": PO, "vo": VO, "drenthe": DRENTHE}


def _run(state, *steps):
    """Apply (action, target, data) steps in order."""
    for action, target, data in steps:
        state = apply(state, action, target, data)
    return state


def state_in(status: Status, route: Route = TOY_ROUTE):
    """A traject in ``status``; an active one stands at its first phase, already evaluated."""
    state = new_traject(route)
    if status == Status.NEW:
        return state
    state = _run(state, (Action.START, None, SIGNAL), (Action.EVALUATE, None, EVAL))
    if status == Status.STOPPED:
        return apply(state, Action.STOP, data=STOP)
    while status == Status.COMPLETED and state.status == Status.ACTIVE:
        state = apply(state, Action.ADVANCE)
        if state.status == Status.ACTIVE:
            state = apply(state, Action.EVALUATE, data=EVAL)
    return state


# A valid request per action (target, data) for the states of ``state_in``.
VALID_REQUEST = {
    Action.START: (None, SIGNAL),
    Action.ADVANCE: (None, {}),
    Action.SKIP: ("t.c", WHY),
    Action.ESCALATE: ("t.b", WHY),
    Action.STOP: (None, STOP),
    Action.NEW_CYCLE: (None, {}),
    Action.EVALUATE: (None, EVAL),
}
STATUS_AFTER = {action: Status.ACTIVE for action in Action} | {Action.STOP: Status.STOPPED}
EXPECTED_ALLOWED = {
    (Status.NEW, Action.START),
    (Status.ACTIVE, Action.ADVANCE), (Status.ACTIVE, Action.SKIP), (Status.ACTIVE, Action.ESCALATE),
    (Status.ACTIVE, Action.STOP), (Status.ACTIVE, Action.EVALUATE),
    (Status.STOPPED, Action.START),
    (Status.COMPLETED, Action.NEW_CYCLE),
}


# --- the transition table --------------------------------------------------------------------------------

def test_table_lists_every_status_action_pair_and_allows_exactly_these():
    """R-ROUTE-1, R-ROUTE-2: the table is explicit and complete; changing it must change this test."""
    assert set(TRANSITIONS) == {(s, a) for s in Status for a in Action}
    assert {pair for pair, allowed in TRANSITIONS.items() if allowed} == EXPECTED_ALLOWED


@pytest.mark.parametrize(("status", "action"), sorted(TRANSITIONS), ids=lambda v: str(v))
def test_every_table_transition(status, action):
    """R-ROUTE-1, R-ROUTE-2, R-ROUTE-3: each (status, action) pair is allowed or refused as the table says."""
    state = state_in(status)
    target, data = VALID_REQUEST[action]
    if TRANSITIONS[(status, action)]:
        assert check(state, action, target, data) == []
        assert apply(state, action, target, data).status == STATUS_AFTER[action]
    else:
        reasons = check(state, action, target, data)
        assert len(reasons) == 1 and "kan niet bij status" in reasons[0]
        with pytest.raises(TransitionRefused) as refused:
            apply(state, action, target, data)
        assert refused.value.reasons == reasons


def test_allowed_actions_follow_the_table():
    """R-ROUTE-2: the actions offered to the user are the table's allowed actions for the status."""
    assert allowed_actions(state_in(Status.NEW)) == (Action.START,)
    assert allowed_actions(state_in(Status.STOPPED)) == (Action.START,)
    assert allowed_actions(state_in(Status.COMPLETED)) == (Action.NEW_CYCLE,)
    assert Action.START not in allowed_actions(state_in(Status.ACTIVE))


def test_refusal_hint_names_the_way_forward():
    """R-ROUTE-1: a stopped traject is told to start a new traject, a completed one a new cycle."""
    assert "nieuw traject" in check(state_in(Status.STOPPED), Action.ADVANCE)[0]
    assert "nieuwe cyclus" in check(state_in(Status.COMPLETED), Action.ADVANCE)[0]


# --- starting again after the end (the table is the whole truth) ----------------------------------------------

def test_fresh_starts_are_allowed_transitions_of_the_table():
    """Only the table says that starting after a stop begins a fresh traject."""
    assert FRESH_STARTS == {(Status.STOPPED, Action.START)}
    assert all(TRANSITIONS[pair] for pair in FRESH_STARTS)
    assert starts_fresh(state_in(Status.STOPPED), "start")
    assert not starts_fresh(new_traject(TOY_ROUTE), Action.START)
    assert not starts_fresh(state_in(Status.COMPLETED), Action.NEW_CYCLE)


def test_restart_after_stop_comes_from_the_table():
    """R-ROUTE-1, R-ROUTE-2: after an early stop the one way on is a fresh traject with its own
    signal at the first phase; a new cycle is refused by the table."""
    stopped = state_in(Status.STOPPED)
    assert check(stopped, Action.NEW_CYCLE, data={})[0].startswith("'Nieuwe cyclus starten' kan niet")
    fresh = apply(stopped, Action.START, data={"signal": "Een nieuwe zorg over de leerling"})
    assert (fresh.status, fresh.current, fresh.cycle, fresh.stop_reason) == (Status.ACTIVE, "t.a", 1, None)
    assert fresh.signal == "Een nieuwe zorg over de leerling" and len(fresh.history) == 1
    assert action_label(stopped, Action.START) == "Nieuw traject starten"
    assert action_label(new_traject(TOY_ROUTE), Action.START) == "Traject starten"


def test_restart_after_completion_comes_from_the_table():
    """R-ROUTE-1: a completed cycle goes on with a new cycle of the same traject; starting a
    fresh traject instead is refused by the table."""
    completed = state_in(Status.COMPLETED)
    assert check(completed, Action.START, data=SIGNAL)[0].startswith("'Traject starten' kan niet")
    again = apply(completed, Action.NEW_CYCLE)
    assert (again.status, again.cycle, again.current) == (Status.ACTIVE, 2, "t.a") and again.records(1)


# --- start, advance, evaluate, complete, new cycle -------------------------------------------------------

def test_start_records_signal_and_visits_first_phase():
    """R-ROUTE-1: a traject starts with its signal at the first phase of cycle 1."""
    state = apply(new_traject(TOY_ROUTE), Action.START, data=SIGNAL)
    assert (state.status, state.current, state.cycle, state.signal) == (Status.ACTIVE, "t.a", 1, SIGNAL["signal"])
    assert state.phase_status("t.a") == PhaseStatus.VISITED


def test_start_needs_a_signal():
    """R-ROUTE-1: starting without a signal is refused."""
    assert check(new_traject(TOY_ROUTE), Action.START, data={"signal": "   "}) == [
        "Beschrijf het signaal waarmee het traject start."]


def test_start_through_an_entry_point_begins_at_its_phase():
    """R-ROUTE-2: an entry point starts the traject at a later phase without skipping records."""
    state = apply(new_traject(TOY_ROUTE), Action.START, data=SIGNAL | {"entry": "t.ingang"})
    assert (state.current, state.entry, len(state.history)) == ("t.c", "t.ingang", 1)


def test_start_with_unknown_entry_is_refused():
    """R-ROUTE-2: an entry point must belong to the route."""
    reasons = check(new_traject(TOY_ROUTE), Action.START, data=SIGNAL | {"entry": "x"})
    assert any("Onbekende ingang" in r for r in reasons)


def test_advance_needs_the_current_phase_evaluated():
    """R-ROUTE-4: a phase has an evaluation before the route moves on; the refusal names the one way that works
    (not 'overslaan', which needs the evaluation too)."""
    state = apply(new_traject(TOY_ROUTE), Action.START, data=SIGNAL)
    [reason] = check(state, Action.ADVANCE)
    assert "nog niet geëvalueerd" in reason and "Leg eerst de evaluatie vast" in reason and "overslaan" not in reason


def test_advance_moves_to_the_next_phase_only():
    """R-ROUTE-1: advance goes to the next phase; a farther target is refused."""
    state = state_in(Status.ACTIVE)
    assert apply(state, Action.ADVANCE).current == "t.b"
    assert any("eerstvolgende fase" in r for r in check(state, Action.ADVANCE, "t.c"))


def test_evaluate_completes_the_phase_and_may_be_repeated():
    """R-ROUTE-4: evaluating marks the phase completed; a later evaluation replaces the note."""
    state = state_in(Status.ACTIVE)
    assert state.is_completed("t.a")
    again = apply(state, Action.EVALUATE, data={"evaluation": "Bijgesteld"})
    assert again.records()[-1].note == "Bijgesteld" and len(again.history) == len(state.history)


def test_evaluate_needs_text():
    """R-ROUTE-4: an evaluation says what worked and what did not."""
    assert check(state_in(Status.ACTIVE), Action.EVALUATE, data={}) == [
        "Beschrijf de evaluatie: wat werkte wel en wat niet."]


def test_advance_after_last_evaluated_phase_completes_the_cycle():
    """R-ROUTE-1: after executing and evaluating the last phase the cycle is completed."""
    state = state_in(Status.COMPLETED)
    assert (state.status, state.current) == (Status.COMPLETED, "t.d")
    assert all(r.status == PhaseStatus.EVALUATED for r in state.records())


def test_new_cycle_after_completion_starts_at_phase_one():
    """R-ROUTE-1: the route is cyclic; a new cycle starts again at the first phase."""
    state = apply(state_in(Status.COMPLETED), Action.NEW_CYCLE)
    assert (state.status, state.current, state.cycle) == (Status.ACTIVE, "t.a", 2)
    assert state.phase_status("t.b") is None and state.records(1)


def test_next_phase_is_cyclic():
    """R-ROUTE-1: after the last phase comes the first."""
    assert TOY_ROUTE.next_phase("t.d").key == "t.a" and TOY_ROUTE.next_phase("t.a").key == "t.b"


# --- skip, escalate, stop ----------------------------------------------------------------------------------

def test_skip_records_skipped_phases_with_the_justification():
    """R-ROUTE-2, R-ROUTE-3: skipped phases are recorded with the written justification."""
    state = apply(state_in(Status.ACTIVE), Action.SKIP, "t.d", WHY)
    assert state.current == "t.d"
    assert [(r.phase_key, r.status) for r in state.records()] == [
        ("t.a", PhaseStatus.EVALUATED), ("t.b", PhaseStatus.SKIPPED), ("t.c", PhaseStatus.SKIPPED),
        ("t.d", PhaseStatus.VISITED)]
    assert state.records()[1].note == WHY["justification"]


def test_a_skipped_phase_is_not_completed():
    """R-ROUTE-3: a skipped phase does not count as completed."""
    state = apply(state_in(Status.ACTIVE), Action.SKIP, "t.c", WHY)
    assert not state.is_completed("t.b")


@pytest.mark.parametrize("text", ["", "te kort", "x" * 40, "a b c d e f g h i j k l m n o p q r s t u v",
                                  "!!! ??? ..."])
def test_skip_without_real_justification_is_refused(text):
    """R-ROUTE-3: a skip needs a well-founded justification of at least 20 characters of real text."""
    reasons = check(state_in(Status.ACTIVE), Action.SKIP, "t.c", {"justification": text})
    assert reasons == ["Onderbouw schriftelijk waarom fasen worden overgeslagen, in minstens 20 tekens en eigen "
                       "woorden."]


def test_real_text_rule():
    """R-ROUTE-3: the justification rule counts letters, words and variety."""
    assert is_real_text(WHY["justification"]) and not is_real_text("aaaaaaaaaaaaaaaaaaaaaaaa bb cc")


@pytest.mark.parametrize(("target", "fragment"), [
    (None, "Kies de fase"), ("t.x", "Onbekende fase"), ("t.a", "niet na de huidige fase"),
    ("t.b", "is de volgende fase"),
])
def test_skip_target_must_be_a_later_phase_beyond_the_next(target, fragment):
    """R-ROUTE-2: a skip goes forward over at least one phase; backwards only by a new cycle."""
    reasons = check(state_in(Status.ACTIVE), Action.SKIP, target, WHY)
    assert len(reasons) == 1 and fragment in reasons[0]


def test_escalate_may_go_to_the_next_phase_without_evaluation():
    """R-ROUTE-2, R-ROUTE-3: acute nood moves on at once, with its justification, evaluated or not."""
    state = apply(new_traject(TOY_ROUTE), Action.START, data=SIGNAL)
    after = apply(state, Action.ESCALATE, "t.b", WHY)
    assert after.current == "t.b" and after.phase_status("t.a") == PhaseStatus.VISITED


def test_escalate_jumps_to_any_later_phase_marking_skipped_ones():
    """R-ROUTE-3: on escalation the skipped phases are recorded with the justification."""
    after = apply(state_in(Status.ACTIVE), Action.ESCALATE, "t.d", WHY)
    assert [r.status for r in after.records()[1:3]] == [PhaseStatus.SKIPPED, PhaseStatus.SKIPPED]


def test_escalate_needs_a_justification_and_a_later_target():
    """R-ROUTE-3: acute nood without justification or to an earlier phase is refused with both reasons."""
    state = apply(state_in(Status.ACTIVE), Action.ADVANCE)
    reasons = check(state, Action.ESCALATE, "t.a", {})
    assert len(reasons) == 2 and "niet na de huidige fase" in reasons[0] and "acute nood" in reasons[1]


def test_stop_records_its_reason():
    """R-ROUTE-2: a traject can stop early because the goal is reached or it is no longer needed."""
    state = apply(state_in(Status.ACTIVE), Action.STOP, data=STOP | {"reason": "no_longer_needed"})
    assert (state.status, state.stop_reason) == (Status.STOPPED, "no_longer_needed")


def test_stop_needs_a_known_reason_and_an_explanation():
    """R-ROUTE-2: both the reason and the explanation are required; both vetoes are shown."""
    reasons = check(state_in(Status.ACTIVE), Action.STOP, data={"reason": "zomaar"})
    assert len(reasons) == 2 and "Doel bereikt" in reasons[0] and "Licht het stoppen toe" in reasons[1]


# --- guards ----------------------------------------------------------------------------------------------

def test_all_vetoes_are_collected_from_validation_and_every_guard():
    """R-ROUTE-3: validation and all guards report together, so the user sees every reason at once."""
    calls = []

    def guard_one(route, state, action, target, data):
        calls.append((route.key, state.current, action, target.key, dict(data)))
        return ["eerste"]

    reasons = check(state_in(Status.ACTIVE), Action.SKIP, "t.c", {}, [guard_one, lambda *a: ["tweede"]])
    assert reasons[1:] == ["eerste", "tweede"] and "Onderbouw" in reasons[0]
    assert calls == [("t.route", "t.a", Action.SKIP, "t.c", {})]


def test_guards_are_not_asked_when_the_table_refuses():
    """R-ROUTE-2: a refused table transition gives only the table's reason."""
    def boom(*args):
        raise AssertionError("guard called")

    assert len(check(state_in(Status.STOPPED), Action.ADVANCE, guards=[boom])) == 1


def test_there_is_no_override():
    """R-ROUTE-3: no data key lets a transition past a guard."""
    reasons = check(state_in(Status.ACTIVE), Action.ADVANCE, data={"override": True, "force": True},
                    guards=[lambda *a: ["nee"]])
    assert reasons == ["nee"]
    with pytest.raises(TransitionRefused):
        apply(state_in(Status.ACTIVE), Action.ADVANCE, data={"override": True}, guards=[lambda *a: ["nee"]])


def test_guard_sees_no_target_on_stop_and_on_completing_the_cycle():
    """R-ROUTE-1: guards get target None when the transition leads to no phase."""
    seen = []
    guard = lambda route, state, action, target, data: seen.append(target) or []  # noqa: E731
    check(state_in(Status.ACTIVE), Action.STOP, data=STOP, guards=[guard])
    last = _run(state_in(Status.ACTIVE), (Action.SKIP, "t.d", WHY), (Action.EVALUATE, None, EVAL))
    check(last, Action.ADVANCE, guards=[guard])
    assert seen == [None, None]


# --- route definitions -----------------------------------------------------------------------------------

def test_route_sorts_phases_by_order_and_rejects_duplicates():
    """R-DRE-1: a region may add phases; they fall into place by order, and a key can exist only once."""
    extra = Phase("t.bb", "BB", "doel", ("zorg",), order=25)
    assert TOY_ROUTE.extend([extra], version="2").keys == ("t.a", "t.b", "t.bb", "t.c", "t.d")
    with pytest.raises(ValueError, match="dubbele"):
        TOY_ROUTE.extend([TOY_ROUTE.phases[0]])
    with pytest.raises(KeyError):
        TOY_ROUTE.phase("t.x")


def test_route_snapshot_round_trips_through_json():
    """R-DRE-2: a traject keeps the definition it started under, stored as a JSON snapshot."""
    for module in PLUGINS.values():
        snapshot = json.loads(json.dumps(module.ROUTE.to_dict()))
        assert Route.from_dict(snapshot) == module.ROUTE


def test_a_traject_keeps_its_route_version():
    """R-DRE-2: a revised route does not change a traject that started under the old one."""
    state = state_in(Status.ACTIVE)
    revised = TOY_ROUTE.extend([Phase("t.aa", "AA", "doel", ("mentor",), order=15)], version="2")
    assert apply(state, Action.ADVANCE).current == "t.b" and state.route.version == "1" and revised.version == "2"


# --- all three plugins -------------------------------------------------------------------------------------

def _items(module):
    return (*module.ROUTE.phases, *module.MEETING_TYPES, *module.FORMS, *module.GUARDS,
            *module.ROUTE.entry_points)


@pytest.mark.parametrize("name", PLUGINS)
def test_plugin_keys_are_namespaced_and_sourced(name):
    """Every phase, meeting type, form, guard and entry point carries its plugin prefix and a seed."""
    seeds = {"po": ("001",), "vo": ("000", "002", "003"), "drenthe": ("004",)}[name]
    for item in _items(PLUGINS[name]):
        assert item.key.startswith(f"{name}."), item.key
        assert item.source.startswith("seed ") and any(s in item.source for s in seeds), item.key


def test_keys_are_unique_per_kind_across_plugins():
    """Two plugins never define the same phase, meeting type or form."""
    for attribute in ("MEETING_TYPES", "FORMS", "GUARDS"):
        keys = [item.key for m in PLUGINS.values() for item in getattr(m, attribute)]
        assert len(keys) == len(set(keys)), attribute
    phases = [k for m in PLUGINS.values() for k in m.ROUTE.keys]
    assert len(phases) == len(set(phases))


@pytest.mark.parametrize(("name", "providers"), [("po", ("po",)), ("vo", ("vo",)), ("drenthe", ("drenthe", "vo"))])
def test_referenced_meeting_types_and_forms_exist(name, providers):
    """Every meeting type and form a phase names is registered by the plugin or one it requires."""
    meetings = {m.key for p in providers for m in PLUGINS[p].MEETING_TYPES}
    forms = {f.key for p in providers for f in PLUGINS[p].FORMS}
    route = PLUGINS[name].ROUTE
    assert set(route.meeting_type_keys()) <= meetings and set(route.form_keys()) <= forms
    own = {m.key for m in PLUGINS[name].MEETING_TYPES} | {f.key for f in PLUGINS[name].FORMS}
    assert own <= set(route.meeting_type_keys()) | set(route.form_keys()), "unused meeting type or form"


@pytest.mark.parametrize("name", PLUGINS)
def test_route_modules_import_only_the_route_core(name):
    """Plugin route modules depend on the plugin API only; drenthe never imports vo."""
    tree = ast.parse(ROUTE_FILES[name].read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert modules <= {"__future__", "portal.plugin"}


@pytest.mark.parametrize("name", ["po", "vo"])
def test_sector_routes_have_six_phases_with_jeugdhulp_contributions(name):
    """The sector routes have six phases, each with a purpose, its lead and jeugdhulp contributions."""
    route = PLUGINS[name].ROUTE
    assert len(route.phases) == 6 and route.sector == name.upper()
    assert all(p.jeugdhulp_contributions and p.purpose and p.lead_roles for p in route.phases)


def test_docs_trace_every_key_to_its_source():
    """docs/route-sources.md names every phase, meeting type, form, guard and entry point."""
    text = (ROOT / "docs" / "route-sources.md").read_text(encoding="utf-8")
    missing = [item.key for m in PLUGINS.values() for item in _items(m) if f"`{item.key}`" not in text]
    assert not missing


# The po and vo phases as people walk them: tests/test_sector_routes.py (over HTTP).


# --- drenthe (seed 004) ----------------------------------------------------------------------------------------

D = DRENTHE
CONSULT = {"doa_core_team_on": "12-03-2026", "doa_core_team_who": "Voorzitter en jeugdarts van het kernteam",
           "doa_core_team_why": "Acute veiligheidszorgen: het kernteam adviseert direct een DOA VO."}


def _drenthe_at(phase_key: str, evaluated: bool = True):
    """A Drenthe traject that evaluated every phase up to ``phase_key``."""
    state = apply(new_traject(D.ROUTE), Action.START, data=SIGNAL)
    while state.current != phase_key:
        state = apply(apply(state, Action.EVALUATE, data=EVAL), Action.ADVANCE, guards=D.GUARDS)
    return apply(state, Action.EVALUATE, data=EVAL) if evaluated else state


def test_drenthe_opp_guard_needs_a_student_to_consult():
    """R-DRE-2.2-b: the OPP guard reads the student's OPP (tests/test_opp.py over HTTP); a route checked without
    a student has no OPP to consult, and the guard asks no checkboxes on the transition form any more."""
    state = _drenthe_at("drenthe.intern_aanvullend", evaluated=False)
    assert check(state, Action.EVALUATE, data=EVAL, guards=D.GUARDS) == []
    [guard] = [g for g in D.GUARDS if g.key == "drenthe.opp_bij_aanvullende_ondersteuning"]
    assert [f.key for f in guard.fields] == ["no_additional_support"]  # the team's finding, not OPP checkboxes


def test_drenthe_extern_extra():
    """R-DRE-2.3-a, R-DRE-2.3-b, R-DRE-2.3-c, R-DRE-2.3-d: APO dossier, casusoverleg with OTV, MDO reused from vo."""
    phase = D.ROUTE.phase("drenthe.extern_extra")
    assert phase.meeting_types == ("drenthe.apo_overleg", "drenthe.casusoverleg", "vo.mdo")
    assert phase.forms == ("drenthe.apo_dossier", "drenthe.otv", "vo.lwoo")  # the LWOO goes through the SWV
    assert any("OTV" in c for c in phase.jeugdhulp_contributions)
    assert any("Veilig Thuis" in c for c in phase.jeugdhulp_contributions)
    assert any("integraal plan" in item for item in phase.dossier_items)


def test_drenthe_otv_form():
    """R-DRE-B3: OTV for medical reasons, a disability or a special situation, through the ISD."""
    otv = {f.key: f for f in D.FORMS}["drenthe.otv"]
    assert "ISD" in otv.description and "beperking" in otv.description


def test_doa_vo_allowed_after_all_earlier_phases_are_evaluated():
    """R-DRE-2.4-a, R-DRE-2.4-b: with 2.1-2.3 evaluated the DOA VO may follow."""
    state = _drenthe_at("drenthe.extern_extra")
    assert apply(state, Action.ADVANCE, guards=D.GUARDS).current == "drenthe.doa_vo"


def test_doa_vo_refused_without_earlier_phases_unless_acute_nood():
    """R-DRE-2.4-b: DOA VO refused without earlier phases unless acute nood with a core-team consultation."""
    state = _drenthe_at("drenthe.intern_basis")
    reasons = check(state, Action.SKIP, "drenthe.doa_vo", WHY, D.GUARDS)
    assert len(reasons) == 1 and "nog niet afgerond" in reasons[0] and "acute nood" in reasons[0]
    assert "2.2" in reasons[0] and "2.3" in reasons[0]
    acute = check(state, Action.ESCALATE, "drenthe.doa_vo", WHY, D.GUARDS)
    assert len(acute) == 3 and all("kernteam" in reason for reason in acute)  # date, who and why, as the request
    one_character = check(state, Action.ESCALATE, "drenthe.doa_vo", WHY | CONSULT | {"doa_core_team_why": "x"},
                          D.GUARDS)
    assert len(one_character) == 1 and "onderbouw" in one_character[0]
    after = apply(state, Action.ESCALATE, "drenthe.doa_vo", WHY | CONSULT, D.GUARDS)
    assert after.current == "drenthe.doa_vo"
    assert after.phase_status("drenthe.intern_aanvullend") == PhaseStatus.SKIPPED


def test_doa_vo_refused_when_an_earlier_phase_was_only_visited():
    """R-DRE-2.4-b: a phase left by acute nood without evaluation is not completed."""
    state = _drenthe_at("drenthe.intern_aanvullend", evaluated=False)
    state = apply(state, Action.ESCALATE, "drenthe.extern_extra", WHY, D.GUARDS)
    state = apply(state, Action.EVALUATE, data=EVAL)
    [reason] = check(state, Action.ADVANCE, guards=D.GUARDS)
    assert "2.2 Intern overleg" in reason and "2.3" not in reason


def test_doa_vo_phase_data():
    """R-DRE-2.4-c, R-DRE-2.4-d, R-DRE-2.4-e, R-DRE-2.4-f, R-DRE-2.4-g: request, sharing, analysis, evaluation
    after 6-12 weeks, binding advice."""
    phase = D.ROUTE.phase("drenthe.doa_vo")
    assert phase.evaluation_weeks == (6, 12) and phase.binding_advice
    assert phase.forms == ("drenthe.aanvraag_doa_vo",)
    assert "toestemmingsformulier" in {f.key: f for f in D.FORMS}["drenthe.aanvraag_doa_vo"].description
    assert any("zienswijze" in item for item in phase.dossier_items)
    assert any("verklarende analyse" in note for note in phase.notes)


def test_wel_in_ontwikkeling_entry_starts_at_doa_vo():
    """R-DRE-2.4-h: a student without a school enters via WEL in Ontwikkeling through the SWV, at the DOA VO."""
    [entry] = D.ROUTE.entry_points
    assert entry.key == "drenthe.wel_in_ontwikkeling" and entry.start_phase == "drenthe.doa_vo"
    state = apply(new_traject(D.ROUTE), Action.START, data=SIGNAL | {"entry": entry.key}, guards=D.GUARDS)
    assert state.current == "drenthe.doa_vo"


def test_drenthe_vervolg_reuses_vo_by_key():
    """R-DRE-3.1-a, R-DRE-3.1-b, R-DRE-3.2: TLV VSO (vo's form), transfer MBO/HBO with evaluation, vrijstelling."""
    phase = D.ROUTE.phase("drenthe.vervolg")
    assert phase.forms == ("vo.tlv_vso", "vo.tlv_pro", "drenthe.overdracht_mbo_hbo",
                           "drenthe.vrijstelling_leerplicht")
    assert "vo.mdo_t" in phase.meeting_types and "drenthe.evaluatie_plaatsing" in phase.meeting_types
    assert any("terugkeer" in note for note in phase.notes)


def test_ret_refused_without_doa_and_shortfall_unless_acute_nood():
    """R-DRE-3.3-a: RET-Drenthe only when earlier advice fell short, or acute nood after consulting the RET chair."""
    state = _drenthe_at("drenthe.intern_basis")
    assert len(check(state, Action.SKIP, "drenthe.ret", WHY, D.GUARDS)) == 2
    acute = check(state, Action.ESCALATE, "drenthe.ret", WHY, D.GUARDS)
    assert len(acute) == 2 and all("voorzitter" in reason for reason in acute)  # date and why, as the request
    consult = {"ret_chair_on": "03-04-2026", "ret_chair_why": "De voorzitter van het RET ziet geen tijd voor een DOA VO."}
    assert apply(state, Action.ESCALATE, "drenthe.ret", WHY | consult, D.GUARDS).current == "drenthe.ret"


def test_ret_allowed_after_doa_when_advice_fell_short():
    """R-DRE-3.3-a, R-DRE-3.3-b: after an evaluated DOA VO whose advice fell short, the RET may follow."""
    state = _drenthe_at("drenthe.vervolg")
    [reason] = check(state, Action.ADVANCE, guards=D.GUARDS)
    assert "niet toereikend" in reason
    shortfall = {"advice_shortfall": "De benodigde onderwijsplek bestaat niet in het regionale aanbod"}
    assert apply(state, Action.ADVANCE, data=shortfall, guards=D.GUARDS).current == "drenthe.ret"


def test_ret_advice_is_binding_and_uses_the_doa_analysis():
    """R-DRE-3.3-c, R-DRE-3.3-d: the RET builds on the DOA VO's analysis; its advice binds all parties."""
    phase = D.ROUTE.phase("drenthe.ret")
    assert phase.binding_advice and any("verklarende analyse" in note for note in phase.notes)


def test_drenthe_full_cycle_with_skip_refusal_and_new_cycle():
    """R-ROUTE-1, R-ROUTE-3, R-DRE-2.4-b: a demo cycle with one refused transition showing every veto reason."""
    state = _drenthe_at("drenthe.intern_aanvullend", evaluated=False)
    refused = check(state, Action.SKIP, "drenthe.doa_vo", {}, D.GUARDS)
    assert len(refused) == 3  # 2.2 not evaluated, missing justification, DOA prerequisites
    state = apply(state, Action.EVALUATE, data=EVAL, guards=D.GUARDS)
    state = apply(state, Action.ADVANCE, guards=D.GUARDS)
    state = apply(apply(state, Action.EVALUATE, data=EVAL), Action.ADVANCE, guards=D.GUARDS)
    assert state.current == "drenthe.doa_vo"
    state = apply(state, Action.EVALUATE, data=EVAL)
    # Chapter 3's options are alternatives: the RET is a choice after the DOA VO, not a skip of 3.1-3.2.
    assert "vervolgoptie" in check(state, Action.SKIP, "drenthe.ret", WHY, D.GUARDS)[0]
    state = apply(state, Action.ADVANCE, "drenthe.ret", {"advice_shortfall": WHY["justification"]}, D.GUARDS)
    assert state.current == "drenthe.ret" and state.phase_status("drenthe.vervolg") is None
    state = apply(apply(state, Action.EVALUATE, data=EVAL), Action.ADVANCE, guards=D.GUARDS)
    assert state.status == Status.COMPLETED
    assert apply(state, Action.NEW_CYCLE).current == "drenthe.intern_basis"


# --- dossier sections --------------------------------------------------------------------------------------

def test_core_dossier_sections_follow_annex_1():
    """The six core sections of annex 1 with their seed source (the dossier pages: tests/test_dossier.py)."""
    assert [s.key for s in CORE_SECTIONS] == ["personal", "education", "support", "absence_behaviour",
                                              "communication", "transfer"]
    assert all(s.label and s.description and s.source.startswith("seed 004, bijlage 1") for s in CORE_SECTIONS)
    assert "BSN alleen" in CORE_SECTIONS[0].description


# --- the traject page offers exactly the table's actions (over HTTP) --------------------------------------------

def _offered(client, student) -> set[str]:
    """The actions the traject page offers: the transition form's choices and the plan form's evaluate button."""
    page = client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="action"[^>]*>(.*?)</select>', page, re.S)
    offered = set(re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))) if select else set()
    return offered | ({Action.EVALUATE.value} if 'name="evaluate"' in page else set())


def _engine_actions(student) -> set[str]:
    from portal.route import services

    _traject, state = services.state_for(student)
    return {a.value for a in allowed_actions(state)}


def test_traject_page_offers_exactly_the_engines_actions(client, auth):
    """R-ROUTE-2: in every status (new, active, stopped, completed) the traject page offers the
    engine's allowed actions and no other; the labels come from the engine too."""
    from portal import policy
    from portal.route import services
    from tests import factories

    world = factories.school_with_staff()
    student, care = world["student"], world["care"]
    actor = policy.Actor(kind="user", user=care, school_id=world["school"].id, roles=frozenset({"zorg"}))
    auth.login(care.email)
    seen = {}

    def look():
        state = services.state_for(student)[1]
        assert _offered(client, student) == _engine_actions(student), state.status
        seen[state.status] = _offered(client, student)

    look()
    services.transition(student, Action.START, None, dict(SIGNAL), actor)
    look()
    services.transition(student, Action.STOP, None, dict(STOP), actor)
    look()
    assert "Nieuw traject starten" in client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True)
    services.transition(student, Action.START, None, dict(SIGNAL), actor)
    while services.state_for(student)[1].status == Status.ACTIVE:
        services.transition(student, Action.EVALUATE, None, dict(EVAL), actor)
        services.transition(student, Action.ADVANCE, None, {}, actor)
    look()
    assert seen == {Status.NEW: {"start"}, Status.ACTIVE: {"advance", "skip", "escalate", "stop", "evaluate"},
                    Status.STOPPED: {"start"}, Status.COMPLETED: {"new_cycle"}}


# --- alternative targets, lead roles, binding advice (pure engine) ----------------------------------------------

def test_alternatives_are_choices_not_skips():
    """Chapter 3's options are alternatives; the RET after the DOA VO skips nothing, a back-choice from the
    RET to the DOA VO is allowed, and an unknown alternative stops the route from being defined."""
    from portal.route.engine import resolve_target

    state = apply(_drenthe_at("drenthe.doa_vo"), Action.EVALUATE, data=EVAL)
    assert resolve_target(state, Action.ADVANCE, "drenthe.ret").key == "drenthe.ret"
    assert resolve_target(state, Action.ADVANCE).key == "drenthe.vervolg"  # the next phase stays the default
    moved = apply(state, Action.ADVANCE, "drenthe.ret", {"advice_shortfall": WHY["justification"]}, D.GUARDS)
    assert moved.current == "drenthe.ret" and moved.phase_status("drenthe.vervolg") is None
    back = apply(apply(moved, Action.EVALUATE, data=EVAL), Action.ADVANCE, "drenthe.doa_vo")
    assert back.current == "drenthe.doa_vo"
    not_an_option = check(state, Action.ADVANCE, "drenthe.intern_basis")
    assert any("vervolgopties" in r for r in not_an_option)
    with pytest.raises(KeyError):
        Route("t.r", "T", "VO", "1", (Phase("t.a", "A", "p", ("zorg",), alternatives=("t.nowhere",)),))


def test_lead_roles_are_enforced_for_transitions_into_a_phase():
    """A mentor (or a care coordinator) does not move a traject into a phase the SWV leads; the message
    names who leads; the care coordinator acts for the mentor in the mentor's phases."""
    from portal.route.engine import lead_role_reasons

    state = _drenthe_at("drenthe.extern_extra")
    doa = D.ROUTE.phase("drenthe.doa_vo")
    refused = lead_role_reasons(state, Action.ESCALATE, doa, {"mentor"}, {})
    assert refused and "Samenwerkingsverband (DOA VO)" in refused[0]
    assert lead_role_reasons(state, Action.ADVANCE, doa, {"swv"}, {}) == []
    assert lead_role_reasons(state, Action.EVALUATE, state.current_phase, {"mentor"}, {}) == []  # not into
    basis = D.ROUTE.phase("drenthe.intern_basis")
    from portal.policy import Actor, acting_roles

    assert lead_role_reasons(new_traject(D.ROUTE), Action.START, basis,
                             acting_roles(Actor(kind="user", roles=frozenset({"zorg"}))), {}) == []


def test_a_binding_advice_needs_a_reason_to_depart_from():
    """R-DRE-2.4-g, R-DRE-3.3-d: a move to another phase than the binding advice names needs a real reason; the
    advised step and the advice's own phase need none."""
    import dataclasses

    from portal.route.engine import DEVIATION, BindingAdvice, binding_advice_reasons

    state = apply(_drenthe_at("drenthe.doa_vo"), Action.EVALUATE, data=EVAL)
    advice = BindingAdvice(phase_key="drenthe.doa_vo", advised="drenthe.ret", title="Aanvraag DOA VO van 01-12-2026")
    state = dataclasses.replace(state, advices=(advice,))
    vervolg, ret = D.ROUTE.phase("drenthe.vervolg"), D.ROUTE.phase("drenthe.ret")
    refused = binding_advice_reasons(D.ROUTE, state, Action.ADVANCE, vervolg, {})
    assert refused and "Het bindende advies" in refused[0] and refused[0].field == DEVIATION
    assert binding_advice_reasons(D.ROUTE, state, Action.ADVANCE, vervolg, {DEVIATION: "x"})
    assert binding_advice_reasons(D.ROUTE, state, Action.ADVANCE, vervolg, {DEVIATION: WHY["justification"]}) == []
    assert binding_advice_reasons(D.ROUTE, state, Action.ADVANCE, ret, {}) == []
    weighty = dataclasses.replace(state, advices=(dataclasses.replace(advice, weight="zwaarwegend"),))
    assert "Het zwaarwegende advies" in binding_advice_reasons(D.ROUTE, weighty, Action.SKIP, vervolg, {})[0]
