"""The example plugin tested the way a third party tests theirs: through ``portal.testing`` only.

Nothing here comes from the portal's own test set-up (tests/conftest.py, tests/factories.py): the fixtures
``portal_*`` build a live app with the chosen plugins on SQLite in a tmp folder.
"""

from __future__ import annotations

import re

import pytest

from portal.testing import make_school
from tests.plugin_example import example

pytest_plugins = ["portal.testing"]

SIGNAL = "Noor is stil in de klas en haalt haar werk niet af."
WHY = "Ouders vragen zelf om een gesprek thuis; de zorgen zijn groot."


@pytest.fixture
def portal_plugins():
    return ["po"]  # installed, enabled by name


@pytest.fixture
def portal_plugin_modules():
    return {"example": example}  # the plugin under test, straight from its source tree


def _move(client, student, action, **fields):
    return client.post(f"/leerlingen/{student.id}/traject/overgang", data={"action": action, **fields})


def _nav(html: str) -> list[str]:
    menu = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', menu)


def test_the_page_is_behind_the_login_and_the_policy(portal_client, portal_login):
    """The plugin's blueprint and template are served to who holds its feature, behind the login."""
    assert portal_client.get("/voorbeeld").status_code in (302, 303)
    portal_login("zorg")
    page = portal_client.get("/voorbeeld")
    assert page.status_code == 200 and "Tekst van de plugin." in page.get_data(as_text=True)
    portal_login(None, is_admin=True)
    assert portal_client.get("/voorbeeld").status_code == 403


def test_the_nav_item_sits_between_the_core_pages_and_the_lists(portal_client, portal_user):
    """The plugin's nav item (default order) comes after the core's pages and before "Mijn acties"."""
    nav = _nav(portal_client.get("/leerlingen/").get_data(as_text=True))
    assert nav == ["Leerlingen", "Overleg", "Onze route", "OPP's in het ROD", "Voorbeeldpagina", "Mijn acties"]


def test_the_dossier_shows_the_plugins_section(portal_client, portal_user, portal_student):
    page = portal_client.get(f"/leerlingen/{portal_student.id}/dossier").get_data(as_text=True)
    assert "Huisbezoeken" in page and "Begeleiding en ondersteuning" in page


def test_the_home_visit_needs_the_parents_consent(portal_client, portal_user, portal_student):
    """The phase the plugin adds to the po route is reached only past its guard, whose field the form asks."""
    assert _move(portal_client, portal_student, "start", signal=SIGNAL).status_code == 303
    refused = _move(portal_client, portal_student, "escalate", target=example.PHASE, justification=WHY)
    assert refused.status_code == 422
    assert "Een huisbezoek kan alleen met toestemming van de ouders." in refused.get_data(as_text=True)
    allowed = _move(portal_client, portal_student, "escalate", target=example.PHASE, justification=WHY,
                    **{"extra-example_consent": "1"})
    assert allowed.status_code == 303
    page = portal_client.get(f"/leerlingen/{portal_student.id}/traject").get_data(as_text=True)
    assert "<strong>Verslag huisbezoek</strong>: Kort verslag." in page


@pytest.mark.parametrize("portal_role", ["mentor"])
def test_a_mentor_sees_only_the_students_they_teach(portal_client, portal_user, portal_student):
    """``portal_role`` chooses the logged-in user's role: a mentor who does not teach the student gets a 404."""
    assert portal_client.get(f"/leerlingen/{portal_student.id}/dossier").status_code == 404


def test_the_care_coordinator_of_another_school_does_not_see_the_student(portal_client, portal_login,
                                                                        portal_student):
    portal_login("zorg", make_school("Andere school"))
    assert portal_client.get(f"/leerlingen/{portal_student.id}/dossier").status_code == 404
