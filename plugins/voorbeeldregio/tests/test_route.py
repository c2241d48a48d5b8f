import pytest

from portal.testing import move

JUSTIFICATION = "Acute nood: de leerling zit al drie weken thuis en de school kan niet verder."


@pytest.mark.parametrize("portal_role", ["zorg"])  # the default; "mentor", "beheerder", ... work the same way
def test_the_table_in_acute_need_needs_the_chairs_call(portal_client, portal_user, portal_student):
    assert move(portal_client, portal_student, "start", signal="Sanne zit veel thuis.").status_code == 303
    table = {"target": "voorbeeldregio.arrangeertafel", "justification": JUSTIFICATION}
    refused = move(portal_client, portal_student, "escalate", **table)
    assert refused.status_code == 422
    assert "overlegt de school eerst met de voorzitter" in refused.get_data(as_text=True)
    called = move(portal_client, portal_student, "escalate", **table, **{"extra-chair_call": "Maandag gebeld."})
    assert called.status_code == 303
    page = portal_client.get(f"/leerlingen/{portal_student.id}/traject").get_data(as_text=True)
    assert "Arrangeertafel" in page
