"""Background jobs in their own process (``portal scheduler``), never inside create_app.

Web workers and the reloader would otherwise run every job again. Each run is recorded in ``SchedulerRun``;
jobs claim their work with unique keys, so two schedulers or a restart never do anything twice.

A job processes its items one by one (``each``): an item that fails (an impossible stored date, a send that
raises) is logged, recorded as a ``SchedulerProblem`` with a Dutch message for the administrator's reminder
page, and the job goes on with the other items. One bad row never stops a job for the whole install.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from flask_babel import gettext as _

from portal import bounds
from portal.db import database, utcnow
from portal.notifications.models import SchedulerProblem, SchedulerRun

log = logging.getLogger("portal.scheduler")

INTERVAL = "interval"  # every SCHEDULER_INTERVAL_MINUTES
DAILY = "daily"  # once a day at DIGEST_HOUR (Europe/Amsterdam)


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    run: Callable[[], object]  # called in an app context with the database connected; may return a count
    schedule: str = INTERVAL


def jobs(app) -> list[Job]:
    """Every registered job, the core's first (contributed by ``portal.core_plugin`` like a plugin's)."""
    return list(app.extensions["registry"].jobs.values())


def describe_error(exc: BaseException) -> str:
    """A Dutch message for the administrator; the technical details go to the scheduler's log."""
    if isinstance(exc, bounds.OutOfRange):
        return str(exc)
    if isinstance(exc, OverflowError):
        return _("Een datum ligt zo ver weg dat er niet mee kan worden gerekend. Pas de datum aan.")
    return _("Onverwachte fout (%(type)s). De details staan in het logboek van de planner.",
             type=type(exc).__name__)


def record_problem(job: str, exc: BaseException, kind: str = "", object_id: object = "", link: str = "") -> None:
    """Log one failing item and record it for the administrator (one row per job, kind and object)."""
    log.error("Job %s: %s %s failed: %s", job, kind, object_id, exc, exc_info=exc)
    message, now = describe_error(exc), utcnow()
    key = (SchedulerProblem.job == job) & (SchedulerProblem.kind == kind[:80]) & \
        (SchedulerProblem.object_id == str(object_id)[:80])
    try:
        with database.atomic():
            updated = (SchedulerProblem.update(message=message, link=link[:500], last_seen=now,
                                               times=SchedulerProblem.times + 1).where(key).execute())
            if not updated:
                SchedulerProblem.create(job=job, kind=kind[:80], object_id=str(object_id)[:80], link=link[:500],
                                        message=message, first_seen=now, last_seen=now)
    except Exception:  # recording must never stop the job either (e.g. two schedulers recording at once)
        log.exception("Could not record the problem of job %s", job)


def each(job: str, items: Iterable, handle: Callable[[object], object], kind: str = "",
         key: Callable[[object], object] = lambda item: getattr(item, "object_id", ""),
         link: Callable[[object], str] = lambda item: getattr(item, "link", "")) -> tuple[int, int]:
    """Call ``handle`` for every item, isolating failures; returns (handled, failed).

    An exception from ``handle`` is recorded against the item; one raised while producing the items (a broken
    row in a generator) is recorded against the kind, and the items produced before it are still handled.
    """
    handled = failed = 0
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            break
        except Exception as exc:
            record_problem(job, exc, kind, "")
            failed += 1
            break
        try:
            handle(item)
            handled += 1
        except Exception as exc:
            record_problem(job, exc, kind, key(item), link(item) or "")
            failed += 1
    return handled, failed


def problems(limit: int = 100) -> list:
    """The open problems of every job, newest first."""
    return list(SchedulerProblem.select().order_by(SchedulerProblem.last_seen.desc(), SchedulerProblem.id.desc())
                .limit(limit))


def run_job(app, job: Job) -> bool:
    """Run one job and record the run; an error is logged and recorded, never raised.

    After a run that completed, the problems of this job not recorded again in it are resolved (removed); the run's
    detail says how many items failed.
    """
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            run = SchedulerRun.create(job=job.key, started_at=utcnow())
            earlier = {p.id: p.times for p in SchedulerProblem.select().where(SchedulerProblem.job == job.key)}
            try:
                result = job.run()
                ok, detail = True, "" if result is None else str(result)
            except Exception as exc:  # a failing job must not stop the scheduler
                log.exception("Job %s failed", job.key)
                ok, detail = False, describe_error(exc)[:500]
            if ok:
                seen_again = {p.id for p in SchedulerProblem.select().where(SchedulerProblem.id.in_(list(earlier)))
                              if p.times != earlier[p.id]}
                resolved = [pid for pid in earlier if pid not in seen_again]
                if resolved:
                    SchedulerProblem.delete().where(SchedulerProblem.id.in_(resolved)).execute()
                failed = SchedulerProblem.select().where(SchedulerProblem.job == job.key).count()
                if failed:
                    detail = _("%(detail)s; %(n)s onderdeel/onderdelen met een fout, zie hieronder",
                               detail=detail or "0", n=failed)
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

    latest = SchedulerRun.select(pw.fn.MAX(SchedulerRun.id)).group_by(SchedulerRun.job)
    return list(SchedulerRun.select().where(SchedulerRun.id.in_(latest)).order_by(SchedulerRun.job))
