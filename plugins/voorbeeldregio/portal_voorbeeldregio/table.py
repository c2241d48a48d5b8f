"""The arrangeertafel's own data: the dates the table meets, the students referred to it, its page, reminder and
clean-up job. Its tables come from the plugin's own migrations."""

import datetime as dt

import peewee as pw
from flask import Blueprint, render_template

from portal.plugin import (FALLBACK_ROLE, BaseModel, DueItem, Migration, ReminderKind, audit, open_phase_visits,
                           require, run_ddl, scope_for, today)

from portal_voorbeeldregio.route import TABLE

EVALUATION_WEEKS = 8


class TableDate(BaseModel):
    day = pw.DateField()
    note = pw.CharField(max_length=200, default="")

    class Meta:
        table_name = "voorbeeldregio_table_date"


class Referral(BaseModel):
    traject_id = pw.IntegerField()
    student_id = pw.IntegerField()
    referred_on = pw.DateField()

    class Meta:
        table_name = "voorbeeldregio_referral"


def _create_tables(db):
    run_ddl(db,
            sqlite=['CREATE TABLE "voorbeeldregio_table_date" ("id" INTEGER NOT NULL PRIMARY KEY, '
                    '"day" DATE NOT NULL, "note" VARCHAR(200) NOT NULL DEFAULT \'\')',
                    'CREATE TABLE "voorbeeldregio_referral" ("id" INTEGER NOT NULL PRIMARY KEY, '
                    '"traject_id" INTEGER NOT NULL, "student_id" INTEGER NOT NULL, "referred_on" DATE NOT NULL)'],
            postgres=['CREATE TABLE "voorbeeldregio_table_date" ("id" SERIAL NOT NULL PRIMARY KEY, '
                      '"day" DATE NOT NULL, "note" VARCHAR(200) NOT NULL DEFAULT \'\')',
                      'CREATE TABLE "voorbeeldregio_referral" ("id" SERIAL NOT NULL PRIMARY KEY, '
                      '"traject_id" INTEGER NOT NULL, "student_id" INTEGER NOT NULL, "referred_on" DATE NOT NULL)'])


MIGRATIONS = (Migration("voorbeeldregio", "m0001_table", _create_tables),)

bp = Blueprint("voorbeeldregio", __name__, url_prefix="/voorbeeldregio")


@bp.get("/arrangeertafel")
def overview():
    """The students at the table that the current user may follow, and the table's next dates."""
    require("route", "view")
    visits = list(open_phase_visits(scope_for(("route", "view")), phase_key=TABLE))
    for visit in visits:
        audit("voorbeeldregio.table_view", "traject", visit.traject_id, kind="read", student_id=visit.student_id)
    dates = TableDate.select().where(TableDate.day >= today()).order_by(TableDate.day)
    return render_template("voorbeeldregio/tafel.html", visits=visits, dates=dates)


def record_referral(traject, action, actor):
    """after_transition: a traject that entered the table is counted once per entry."""
    if traject.current_phase == TABLE and action in ("advance", "skip", "escalate"):
        Referral.create(traject_id=traject.id, student_id=traject.student_id, referred_on=today())


def _evaluations(scope):
    for visit in open_phase_visits(scope, phase_key=TABLE):
        yield DueItem(object_id=visit.id, due_date=visit.entered_on + dt.timedelta(weeks=EVALUATION_WEEKS),
                      title=f"Evaluatie arrangeertafel voor {visit.student_name}", link=visit.link,
                      school_id=visit.school_id, student_id=visit.student_id, roles=(FALLBACK_ROLE,))


REMINDER_KINDS = (
    ReminderKind("voorbeeldregio.tafel_evaluatie", f"Evaluatie arrangeertafel na {EVALUATION_WEEKS} weken",
                 items=_evaluations, offsets=(-7, 1),
                 recipients_label="De zorgcoördinator(en) van de school"),
)


def forget_past_dates() -> int:
    """The daily job: table dates older than a year go."""
    return TableDate.delete().where(TableDate.day < today() - dt.timedelta(days=365)).execute()
