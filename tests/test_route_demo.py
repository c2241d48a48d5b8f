"""Demo trajecten are made through the real route services and survive a second demo run."""

from portal.dossier.models import Entry
from portal.route import demo
from portal.route.models import Traject
from tests import factories


def test_demo_trajecten_in_four_states(app):
    """The demo shows a started, an advanced, a skipping and a stopped traject."""
    school = factories.school("Demo VO", sector="VO")
    coordinator = factories.user("zorg", school)
    students = [factories.student(school, first=f"Leerling{i}") for i in range(4)]
    with app.test_request_context():
        assert demo.load(students, coordinator) == 4
        assert demo.load(students, coordinator) == 0
    states = sorted((t.status, t.current_phase) for t in Traject.select())
    assert ("stopped", "drenthe.intern_basis") in states
    assert ("active", "drenthe.intern_aanvullend") in states
    assert ("active", "drenthe.extern_extra") in states
    assert Entry.select().where(Entry.source_type == "route_transition").count() >= 8
