"""The scheduler's hooks: plugins add reminder kinds and jobs."""

from __future__ import annotations

import pytest

from portal import scheduler
from portal.notifications import reminders
from portal.notifications.models import Notification
from tests import factories
from tests.plugin_example import reminding

WITH_PLUGIN = pytest.mark.parametrize(
    "app_overrides", [{"PLUGINS": ["po", "vo"], "EXTRA_PLUGIN_MODULES": {"reminding": reminding}}],
    ids=["po+vo+reminding"])


@WITH_PLUGIN
def test_hook_register_reminder_kinds(app, client, auth):
    """A plugin's reminder kind is listed in "mijn acties" and reminded exactly once by the scheduler."""
    school = factories.school(sector="PO")
    coordinator = factories.user("zorg", school)
    student = factories.student(school, first="Mila", last="Visser")
    assert "reminding.home_visit" in app.extensions["registry"].reminder_kinds

    assert reminders.send_due() == 1
    assert reminders.send_due() == 0  # claimed once, never again
    notes = list(Notification.select().where(Notification.user == coordinator.id))
    assert [n.link for n in notes] == [f"/leerlingen/{student.id}"]

    auth.login(coordinator.email)
    assert "Huisbezoek Mila Visser" in client.get("/mijn-acties").get_data(as_text=True)


@WITH_PLUGIN
def test_hook_register_jobs(app):
    """A plugin's job runs with the core's jobs when the scheduler runs."""
    reminding.JOB_RUNS.clear()
    assert "reminding.count" in [job.key for job in scheduler.jobs(app)]
    assert scheduler.run_once(app)
    assert reminding.JOB_RUNS == ["ran"]
