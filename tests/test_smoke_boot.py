"""The app boots on both databases and answers its health check."""

from tests import factories


def test_healthz_ok(client):
    """GET /healthz answers 200 when the database is reachable (Foundation issue, item 2)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_login_and_see_students(client, auth):
    school = factories.school()
    care = factories.user("zorg", school)
    factories.student(school, first="Daan", last="Jansen")
    response = auth.login(care.email)
    assert response.status_code == 303
    page = client.get("/leerlingen/")
    assert "Daan Jansen" in page.get_data(as_text=True)
