"""Background jobs in their own process (``portal scheduler``), never inside create_app.

Web workers and the reloader would otherwise run every job again. Each run is recorded in ``SchedulerRun``;
jobs claim their work with unique keys, so two schedulers or a restart never do anything twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from portal import clock
from portal.db import database, utcnow

log = logging.getLogger("portal.scheduler")

INTERVAL = "interval"  # every SCHEDULER_INTERVAL_MINUTES
DAILY = "daily"  # once a day at DIGEST_HOUR (Europe/Amsterdam)


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    run: Callable[[], object]  # called in an app context with the database connected; may return a count
    schedule: str = INTERVAL


def _reminders():
    from portal.notifications import reminders

    return reminders.send_due(clock.today())


def _digest():
    from portal.notifications import services

    return services.send_digests(clock.today())


def _outbox():
    from portal import mail
    from portal.auth import session, throttle

    throttle.purge_expired()
    session.purge_sessions()
    return mail.deliver_due()


CORE_JOBS = (
    Job("core.reminders", "Herinneringen versturen", _reminders, INTERVAL),
    Job("core.outbox", "Mail opnieuw proberen, oude mail en sessies opruimen", _outbox, INTERVAL),
    Job("core.digest", "Dagelijkse samenvatting per mail", _digest, DAILY),
)


def jobs(app) -> list[Job]:
    return list(CORE_JOBS) + list(app.extensions["registry"].jobs.values())


def run_job(app, job: Job) -> bool:
    """Run one job and record the run; an error is logged and recorded, never raised."""
    from portal.notifications.models import SchedulerRun

    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            run = SchedulerRun.create(job=job.key, started_at=utcnow())
            try:
                result = job.run()
                ok, detail = True, "" if result is None else str(result)
            except Exception as exc:  # a failing job must not stop the scheduler
                log.exception("Job %s failed", job.key)
                ok, detail = False, f"{type(exc).__name__}: {exc}"[:500]
            SchedulerRun.update(finished_at=utcnow(), ok=ok, detail=detail).where(SchedulerRun.id == run.id).execute()
            return ok
        finally:
            database.close()


def run_once(app) -> bool:
    """Every job once (for cron and tests); True when all succeeded."""
    return all([run_job(app, job) for job in jobs(app)])


def run_forever(app) -> None:
    """Run every job now (catch-up after downtime), then on schedule until stopped."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    run_once(app)
    scheduler = BlockingScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
    minutes = int(app.config.get("SCHEDULER_INTERVAL_MINUTES") or 5)
    hour = int(app.config.get("DIGEST_HOUR") or 7)
    for job in jobs(app):
        if job.schedule == DAILY:
            scheduler.add_job(run_job, "cron", args=(app, job), id=job.key, hour=hour, timezone="Europe/Amsterdam")
        else:
            scheduler.add_job(run_job, "interval", args=(app, job), id=job.key, minutes=minutes)
    log.info("Scheduler started: %d jobs, every %d minutes", len(scheduler.get_jobs()), minutes)
    scheduler.start()


def last_runs() -> list:
    """The latest run of every job (one query)."""
    import peewee as pw

    from portal.notifications.models import SchedulerRun

    latest = SchedulerRun.select(pw.fn.MAX(SchedulerRun.id)).group_by(SchedulerRun.job)
    return list(SchedulerRun.select().where(SchedulerRun.id.in_(latest)).order_by(SchedulerRun.job))
