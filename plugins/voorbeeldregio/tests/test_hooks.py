"""Every hook of the example plugin, as a school and the SWV meet it (through HTTP where there is a page)."""

import datetime as dt

from portal.testing import make_school, make_student, move, run_job, travel

from portal_voorbeeldregio import table

TABLE = {"target": "voorbeeldregio.arrangeertafel", "justification": "Acute nood: drie weken thuis, de school "
         "kan niet verder.", "extra-chair_call": "Maandag met de voorzitter gebeld."}


def _to_the_table(client, student):
    assert move(client, student, "start", signal="Sanne zit veel thuis.").status_code == 303
    assert move(client, student, "escalate", **TABLE).status_code == 303


def test_the_table_page_lists_only_the_students_the_user_may_follow(portal_app, portal_client, portal_login,
                                                                     portal_school, portal_student):
    """register_blueprints, register_template_folder, nav_items, register_migrations, after_transition: the page
    in the menu lists the school's student at the table, never another school's, and the entry is counted once."""
    portal_login("zorg")
    _to_the_table(portal_client, portal_student)
    other_school = make_school("Het Kompas", sector="VO")
    other = make_student(other_school, first="Tijn", last="Vos")
    portal_login("zorg", other_school)
    _to_the_table(portal_client, other)
    page = portal_client.get("/voorbeeldregio/arrangeertafel")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tijn Vos" in html and portal_student.full_name not in html
    assert 'href="/voorbeeldregio/arrangeertafel"' in html  # the menu item
    assert table.Referral.select().where(table.Referral.student_id == other.id).count() == 1
    portal_login("mentor")
    assert "Tijn Vos" not in portal_client.get("/voorbeeldregio/arrangeertafel").get_data(as_text=True)


def test_the_evaluation_reminder_is_in_the_task_list_eight_weeks_on(portal_client, portal_login, portal_student):
    """register_reminder_kinds: eight weeks after entering the table the care coordinator's task list asks for
    the evaluation, with the Amsterdam date it is due."""
    with travel("2027-01-11"):
        portal_login("zorg")
        _to_the_table(portal_client, portal_student)
        tasks = portal_client.get("/mijn-acties").get_data(as_text=True)
    assert f"Evaluatie arrangeertafel voor {portal_student.full_name}" in tasks
    assert "08-03-2027" in tasks


def test_the_daily_job_forgets_table_dates_after_a_year(portal_app):
    """register_jobs: run as the scheduler would, the job removes dates older than a year and keeps the rest."""
    table.TableDate.create(day=dt.date(2025, 1, 6), note="Oud")
    table.TableDate.create(day=dt.date(2026, 12, 7), note="Recent")
    with travel("2027-01-11"):
        assert run_job(portal_app, "voorbeeldregio.opruimen")
    assert [d.note for d in table.TableDate.select()] == ["Recent"]


def test_the_region_adds_to_the_vo_route_its_forms_and_sections(portal_app, portal_client, portal_user,
                                                                  portal_student):
    """extend_routes, register_forms, register_dossier_sections, adjust_application_type, route_for_student: the
    loket joins the generic VO route, the table's form and the arrangements section exist, the TLV VSO asks for
    the table first, and a VO school's student follows the region's route."""
    registry = portal_app.extensions["registry"]
    assert "voorbeeldregio.loket" in [p.key for p in registry.routes["vo.route"].phases]
    assert "voorbeeldregio.arrangementen" in registry.dossier_sections
    assert registry.application_types["vo.tlv_vso"].description.endswith("eerst aan de arrangeertafel.")
    _to_the_table(portal_client, portal_student)
    page = portal_client.get(f"/leerlingen/{portal_student.id}/traject").get_data(as_text=True)
    assert "Ondersteuningsroute SWV Voorbeeldregio" in page and "Aanmelding arrangeertafel" in page


def test_the_plugin_speaks_english_from_its_own_catalog(portal_client, portal_user):
    """TRANSLATIONS: with English chosen, the plugin's page and menu item come from the plugin's own catalog, and
    the core's strings from the core's."""
    portal_client.post("/taal", data={"lang": "en"})
    html = portal_client.get("/voorbeeldregio/arrangeertafel").get_data(as_text=True)
    assert "Students at the table" in html and "Arrangement table" in html
    assert "Leerlingen aan tafel" not in html


def test_a_school_for_praktijkonderwijs_keeps_its_opps_out_of_the_rod(portal_client, portal_login, portal_school):
    """opp_in_rod: at a PrO school of the region the ROD list says the OPPs are not registered there; a regular
    school's list does not."""
    portal_login("zorg")
    assert "rod-not-registered" not in portal_client.get("/opp/rod").get_data(as_text=True)
    portal_school.school_type = "pro"
    portal_school.save()
    assert "rod-not-registered" in portal_client.get("/opp/rod").get_data(as_text=True)
