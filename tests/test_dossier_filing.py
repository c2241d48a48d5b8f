"""One way into the dossier: ``dossier.services.file_source`` files a source (a route plan, a
transition, later a meeting report or an application) find-or-create, versioned, into a registered section, and
audits with the actor it is given."""

from __future__ import annotations

import pytest

from portal import policy, versioning
from portal.audit.models import AuditEvent
from portal.dossier import sections
from portal.dossier import services as dossier
from portal.dossier.models import Entry
from portal.route.models import PhaseVisit, Traject
from tests import factories


@pytest.fixture
def filed(app):
    school = factories.school("Het Drents College", sector="VO")
    care = factories.user("zorg", school)
    student = factories.student(school, first="Daan", last="Bakker")
    actor = policy.Actor(kind="user", user=care, school_id=school.id, roles=frozenset({"zorg"}), ip="192.0.2.7")
    return {"school": school, "care": care, "student": student, "actor": actor}


def _file(filed, title="Plan fase 1", body="Doelen: lezen"):
    return dossier.file_source(filed["student"].id, source_type="phase_plan", source_id=41, section=sections.SUPPORT,
                               kind="phase_plan", title=title, body=body, actor=filed["actor"])


def _events(student):
    return list(AuditEvent.select().where(AuditEvent.student_id == student.id).order_by(AuditEvent.id))


def test_a_source_is_filed_once_and_versioned_after(filed):
    """The first filing creates the entry, a second with other text makes a new version of the
    same entry (the old text in its history), and filing unchanged text stores no version."""
    first = _file(filed)
    assert (first.section, first.kind, first.version) == ("support", "phase_plan", 1)
    assert first.author_id == filed["care"].id

    again = _file(filed)
    assert again.id == first.id and Entry.get_by_id(first.id).version == 1
    assert versioning.history(first) == []

    changed = _file(filed, body="Doelen: lezen en rekenen")
    assert changed.id == first.id
    stored = Entry.get_by_id(first.id)
    assert (stored.version, stored.body, stored.updated_by_id) == (2, "Doelen: lezen en rekenen", filed["care"].id)
    assert [r.version for r in versioning.history(stored)] == [1]
    assert Entry.select().where(Entry.source_type == "phase_plan").count() == 1


def test_an_unknown_section_is_refused(filed):
    """The section is one of the registered sections; a key nobody registered stores nothing."""
    with pytest.raises(ValueError, match="unknown dossier section"):
        dossier.file_source(filed["student"].id, source_type="phase_plan", source_id=41, section="nergens",
                            kind="phase_plan", title="Plan", body="Tekst", actor=filed["actor"])
    assert Entry.select().count() == 0
    assert _events(filed["student"]) == []


def test_filing_is_audited_with_the_given_actor(filed):
    """The create and the new version are audited with the actor the caller passed (its account,
    school and address), not with whoever the request holds; unchanged text is no change, so no audit."""
    entry = _file(filed)
    _file(filed)
    _file(filed, body="Andere tekst")
    events = _events(filed["student"])
    assert [(e.action, e.kind, e.object_type, e.object_id) for e in events] == [
        ("dossier.entry.create", "write", "entry", entry.id), ("dossier.entry.update", "write", "entry", entry.id)]
    assert {(e.actor_type, e.actor_id, e.school_id, e.ip) for e in events} == {
        ("user", filed["care"].id, filed["school"].id, "192.0.2.7")}


def test_the_route_files_its_plan_through_the_one_way(client, auth, filed):
    """A phase plan saved over HTTP lands in the support section through ``file_source``: saving it
    again unchanged keeps one entry without a new version; a changed plan is a new version of that entry."""
    student = filed["student"]
    auth.login(filed["care"].email)
    assert client.post(f"/leerlingen/{student.id}/traject/overgang",
                       data={"action": "start", "signal": "Daan trekt zich terug in de klas."}).status_code == 303
    transition = Entry.get(Entry.source_type == "route_transition")
    assert (transition.section, transition.author_id) == (sections.SUPPORT, filed["care"].id)

    def save(goals):
        visit = PhaseVisit.select().join(Traject).where(Traject.student == student.id).get()
        return client.post(f"/leerlingen/{student.id}/traject/fase/{visit.id}",
                           data={"version": visit.version, "goals": goals})

    assert save("Huiswerk elke week af.").status_code == 303
    plan = Entry.get(Entry.source_type == "phase_plan")
    assert (plan.section, plan.version) == (sections.SUPPORT, 1) and "Huiswerk elke week af." in plan.body
    assert save("Huiswerk elke week af.").status_code == 303
    assert Entry.get_by_id(plan.id).version == 1
    assert save("Huiswerk en planning elke week af.").status_code == 303
    assert Entry.get_by_id(plan.id).version == 2
    assert Entry.select().where(Entry.source_type == "phase_plan").count() == 1
    actions = [e.action for e in _events(student) if e.object_type == "entry" and e.object_id == plan.id]
    assert actions == ["dossier.entry.create", "dossier.entry.update"]
