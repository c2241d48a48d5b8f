"""`portal scheduler --once` in real processes against one database: every reminder goes out exactly once.

Runs on the SQLite file and on PostgreSQL (the database_url fixture), with the clock set by PORTAL_FAKE_NOW and
mail delivered to a real loopback SMTP server.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.notifications.models import Notification, ReminderClaim, SchedulerRun
from tests.conftest import TEST_SECRET
from tests import factories
from tests.factories import enter_phase

PORTAL = str(Path(sys.executable).with_name("portal"))


def scheduler_process(database_url, smtp, tmp_path, now: str) -> subprocess.Popen:
    env = {**os.environ, "PORTAL_TESTING": "1", "PORTAL_FAKE_NOW": now, "PORTAL_DATABASE_URL": database_url,
           "PORTAL_SECRET_KEY": TEST_SECRET, "PORTAL_PLUGINS": "po,vo,drenthe",
           "PORTAL_INSTANCE_PATH": str(tmp_path / "scheduler-instance"), "PORTAL_BASE_URL": "https://portaal.test",
           "PORTAL_MAIL_HOST": smtp.controller.hostname, "PORTAL_MAIL_PORT": str(smtp.controller.port)}
    return subprocess.Popen([PORTAL, "scheduler", "--once"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def run_together(count, database_url, smtp, tmp_path, now):
    procs = [scheduler_process(database_url, smtp, tmp_path, now) for _ in range(count)]
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, out


@pytest.fixture
def due(reminder_world):
    """Three reminders due on 2027-01-21: two overdue phase evaluations and a DOA VO evaluation at 6 weeks."""
    world = reminder_world
    factories.phase_evaluation(world, "2027-01-20")
    other = factories.student(world["po"], None, first="Lotte", last="Smit", mentor=world["mentor"])
    enter_phase(other, "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1), by=world["mentor"],
                evaluation_date=dt.date(2027, 1, 20))
    enter_phase(world["vo_student"], factories.drenthe_route(), "drenthe.doa_vo", entered=dt.datetime(2026, 12, 10),
                by=world["vo_zorg"])
    return world


def test_two_schedulers_at_once_send_each_reminder_once(due, smtp, database_url, tmp_path):
    """Two `portal scheduler --once` processes at the same moment: exactly one mail per due reminder, and the
    mails name no student (R-DRE-AVG); R-DRE-2.4-f and R-ROUTE-4 reminders both arrive."""
    run_together(2, database_url, smtp, tmp_path, "2027-01-21T08:00:00")
    messages = smtp.wait_for(3)
    assert len(messages) == 3
    recipients = sorted(str(m["To"]) for m in messages)
    assert recipients == sorted([due["mentor"].email] * 2 + [due["vo_zorg"].email])
    for message in messages:
        body = smtp.body(message)
        assert "Sanne" not in body and "Lotte" not in body and "Daan" not in body
        assert smtp.link_in(message).startswith("/leerlingen/")
    assert ReminderClaim.select().where(ReminderClaim.sent_at.is_null()).count() == 0
    assert Notification.select().count() == 3


def test_restart_never_sends_twice(due, smtp, database_url, tmp_path):
    """Running --once again (a restart) sends nothing new; the next day nothing new either."""
    run_together(1, database_url, smtp, tmp_path, "2027-01-21T08:00:00")
    smtp.wait_for(3)
    run_together(1, database_url, smtp, tmp_path, "2027-01-21T09:00:00")
    run_together(1, database_url, smtp, tmp_path, "2027-01-22T08:00:00")
    assert len(smtp.messages) == 3
    runs = list(SchedulerRun.select().where(SchedulerRun.job == "core.reminders").order_by(SchedulerRun.id))
    assert [r.detail for r in runs] == ["3", "0", "0"] and all(r.ok for r in runs)
    assert runs[0].started_at == dt.datetime(2027, 1, 21, 8, 0)  # the fake clock of the process


def test_the_daily_statistics_job_gives_the_planner_table_sizes(due, smtp, database_url, tmp_path):
    """Without statistics SQLite's planner scans the install's applications by status for one school's task
    list; the scheduler's daily core.statistics job runs ANALYZE (PostgreSQL: recorded as last_analyze)."""
    from portal.db import database, is_sqlite

    run_together(1, database_url, smtp, tmp_path, "2027-01-21T08:00:00")
    if is_sqlite():
        analyzed = {row[0] for row in database.execute_sql("SELECT tbl FROM sqlite_stat1")}
    else:
        analyzed = {row[0] for row in database.execute_sql(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")}
    assert {"student", "school", "membership"} <= analyzed  # SQLite records no empty table
    job = SchedulerRun.get(SchedulerRun.job == "core.statistics")
    assert job.ok


def test_scheduler_refuses_a_database_without_migrations(smtp, tmp_path):
    proc = scheduler_process(f"sqlite:///{tmp_path / 'empty.db'}", smtp, tmp_path, "2027-01-21T08:00:00")
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "portal migrate" in out


def test_create_app_starts_no_scheduler(app):
    """The web app never runs jobs itself: no APScheduler is imported or started by create_app."""
    import threading

    assert not any("scheduler" in t.name.lower() for t in threading.enumerate())
    assert "scheduler" not in app.extensions


def test_plugins_add_jobs_and_task_kinds_through_the_hooks(app, database_url, tmp_path, client):
    """A plugin's job runs with the scheduler; its task kind (no reminders) joins "mijn acties" of its owner."""
    import types

    from portal.db import database
    from portal.hookspecs import hookimpl
    from portal.notifications import reminders
    from portal import scheduler
    from tests.conftest import make_app

    school = factories.school("De Regenboog")
    owner = factories.user("mentor", school)
    ran = []
    module = types.ModuleType("example")
    module.register_jobs = hookimpl(lambda: [scheduler.Job("example.job", "Voorbeeld", lambda: ran.append(1) or 7)])
    module.register_reminder_kinds = hookimpl(lambda: [reminders.ReminderKind(
        key="example.action", label="Actie uit overleg", offsets=(),
        items=lambda scope: [reminders.DueItem(object_id=1, due_date=dt.date(2020, 1, 1), title="Bel de ouders",
                                               link="/overleggen/1", user_ids=(owner.id,))]
        if scope.user_id in (None, owner.id) else [])])
    database.close()
    plugged = make_app(database_url, tmp_path / "plugged", EXTRA_PLUGIN_MODULES={"example": module})
    assert scheduler.run_once(plugged) and ran == [1]
    with plugged.app_context():
        database.connect(reuse_if_open=True)
        assert SchedulerRun.get(SchedulerRun.job == "example.job").detail == "7"
        assert ReminderClaim.select().count() == 0  # a task kind without offsets is never reminded
        web = factories.logged_in(plugged, owner)
        page = web.get("/mijn-acties").get_data(as_text=True)
    assert '<a href="/overleggen/1">Bel de ouders</a>' in page and "te laat" in page
