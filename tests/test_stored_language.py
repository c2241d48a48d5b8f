"""Stored text is in the portal's language: a user who reads the portal in English still writes
Dutch dossier entries and sends Dutch mails, because what is stored or sent never follows who clicked."""

from __future__ import annotations

from portal.dossier.models import Entry
from portal.notifications.models import OutboxMail
from portal.route.models import PhaseVisit, Traject
from tests import factories


def _in_english(client, auth, user) -> None:
    auth.login(user.email)
    client.post("/taal", data={"lang": "en", "next": "/"})


def test_an_english_session_files_dutch_route_entries(client, auth):
    """A coordinator with an English screen starts a traject and saves a plan; the transition and
    the plan in the dossier are Dutch (the plan form itself shows English labels)."""
    school = factories.school("Het Drents College", sector="VO")
    care = factories.user("zorg", school)
    student = factories.student(school, first="Daan", last="Bakker")
    _in_english(client, auth, care)
    page = client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True)
    assert 'lang="en"' in page

    assert client.post(f"/leerlingen/{student.id}/traject/overgang",
                       data={"action": "start", "signal": "Daan trekt zich terug."}).status_code == 303
    visit = PhaseVisit.select().join(Traject).where(Traject.student == student.id).get()
    assert "Goals" in client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True)
    assert client.post(f"/leerlingen/{student.id}/traject/fase/{visit.id}",
                       data={"version": visit.version, "goals": "Huiswerk af.",
                             "parent_view": "Ouders zien het ook."}).status_code == 303

    transition = Entry.get(Entry.source_type == "route_transition")
    assert transition.title.startswith("Route: Traject starten")
    assert "Start the support plan" not in transition.title and "Route: " in transition.body
    plan = Entry.get(Entry.source_type == "phase_plan")
    assert plan.title.startswith("Plan en evaluatie: ") and "(cyclus " in plan.title
    assert "Doelen: Huiswerk af." in plan.body and "Visie van ouders: Ouders zien het ook." in plan.body
    assert "Goals" not in plan.body and "The parents' view" not in plan.body


def test_an_english_session_sends_a_dutch_invitation(client, auth):
    """A beheerder with an English screen invites a colleague; the invitation is Dutch."""
    school = factories.school()
    _in_english(client, auth, factories.user("beheerder", school))
    assert "Staff" in client.get("/beheer/medewerkers").get_data(as_text=True)
    response = client.post("/beheer/medewerkers/nieuw", data={"name": "Mo Mentor", "email": "mo@example.nl",
                                                               "role": "mentor"})
    assert response.status_code == 303
    invitation = OutboxMail.get(OutboxMail.recipient == "mo@example.nl")
    assert invitation.subject == f"Uitnodiging van {school.name} voor het ondersteuningsportaal"
    assert invitation.body.startswith("Beste Mo Mentor,\n\n") and "Kies je wachtwoord via deze link" in invitation.body


def test_a_reset_asked_in_english_is_mailed_in_dutch(client):
    """The password-reset mail follows the portal's language, not the visitor's choice."""
    user = factories.user("mentor", factories.school())
    client.post("/taal", data={"lang": "en", "next": "/login"})
    assert 'lang="en"' in client.get("/wachtwoord-vergeten").get_data(as_text=True)
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    reset = OutboxMail.get(OutboxMail.recipient == user.email)
    assert reset.subject == "Wachtwoord opnieuw instellen"
    assert reset.body.startswith("Via deze link stel je een nieuw wachtwoord in")
