"""Every date a person reads or a rule compares is the Europe/Amsterdam date, also in the hour after midnight
when the UTC date is still yesterday's. The one clock function for it is ``clock.today()``; the stored UTC
timestamp's own date cannot be taken by accident (the source check below)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine

from portal import clock
from portal.consent.models import Consent
from portal.students.models import Guardian
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
WINTER_NIGHT = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC)  # 00:30 on 8 December in Amsterdam
SUMMER_NIGHT = dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.UTC)  # 01:30 on 1 July in Amsterdam


@pytest.mark.parametrize("moment, expected", [(WINTER_NIGHT, dt.date(2026, 12, 8)),
                                              (SUMMER_NIGHT, dt.date(2027, 7, 1))])
def test_today_is_the_amsterdam_date_after_midnight(moment, expected):
    """At 00:30 in winter and 01:30 in summer "today" is already the next day in Amsterdam."""
    with time_machine.travel(moment, tick=False):
        assert clock.today() == expected
        assert clock.local_date(clock.utc_now()) == expected
        assert clock.utc_now().date() == expected - dt.timedelta(days=1)  # what the old "today" was


@pytest.fixture
def summer_world(app):
    with time_machine.travel(SUMMER_NIGHT, tick=False):
        school = factories.school()
        care = factories.user("zorg", school, name="Juf Zorg")
        group = factories.group(school, "Groep 8")
        young = factories.student(school, group, first="Daan", last="Jansen", birth_date=dt.date(2014, 3, 1))
        sixteen = factories.student(school, group, first="Eva", last="Smit", birth_date=dt.date(2011, 7, 1))
        yield {"school": school, "care": care, "young": young, "sixteen": sixteen}


def test_a_new_consent_defaults_to_and_accepts_the_amsterdam_date_at_half_past_one_in_summer(client, auth,
                                                                                           summer_world):
    """R-LAW-CONSENT-1: at 01:30 on 1 July (23:30 UTC on 30 June) the consent form proposes 01-07 as the date,
    accepts it (it is not "in the future"), and a student whose sixteenth birthday is 1 July already gives their
    own consent that night."""
    s = summer_world
    with time_machine.travel(SUMMER_NIGHT, tick=False):
        auth.login(s["care"].email)
        page = client.get(f"/leerlingen/{s['young'].id}/toestemmingen").get_data(as_text=True)
        assert 'value="2027-07-01"' in page and 'value="2027-06-30"' not in page
        parent = Guardian.get((Guardian.student == s["young"].id) & Guardian.has_authority)
        data = {"given_by": f"guardian:{parent.id}", "purpose": "overleg", "recipient": "Wijkteam Assen",
                "given_on": "2027-07-01", "valid_until": ""}
        response = client.post(f"/leerlingen/{s['young'].id}/toestemmingen", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)
        assert Consent.get(Consent.student == s["young"].id).given_on == dt.date(2027, 7, 1)

        own = {**data, "given_by": "student"}
        response = client.post(f"/leerlingen/{s['sixteen'].id}/toestemmingen", data=own)
        assert response.status_code == 303, response.get_data(as_text=True)
        assert Consent.get(Consent.student == s["sixteen"].id).given_by == "student"


# --- the source check -------------------------------------------------------------------------------------------

FORBIDDEN_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}
TIMESTAMP = re.compile(r"(^|_)(at|now|utcnow|utc_now)$")
WALL_CLOCK = {"starts_at"}  # a meeting's agreed time, stored as Amsterdam wall-clock time


def _receiver_name(node: ast.AST) -> str | None:
    """The name a ``.date()`` is taken of: ``x.submitted_at`` -> "submitted_at", ``clock.utc_now()`` -> "utc_now"."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def date_violations(source: str) -> list[str]:
    """Calls that take a date from the machine's or UTC's clock instead of ``clock.today()``/``clock.local_date``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (owner_name, node.func.attr) in FORBIDDEN_CALLS:
            found.append(f"{node.lineno}: {owner_name}.{node.func.attr}()")
        elif (node.func.attr == "date" and not node.args and TIMESTAMP.search(name := _receiver_name(owner) or "")
              and name not in WALL_CLOCK):
            found.append(f"{node.lineno}: {name}.date() is the UTC date")
    return found


def _sources() -> list[Path]:
    trees = [ROOT / "portal", ROOT / "plugins"]
    return sorted(p for tree in trees for p in tree.rglob("*.py") if p != ROOT / "portal" / "clock.py")


def test_no_code_takes_the_utc_or_machine_date():
    """No module outside portal/clock.py asks the machine for now/today or takes ``.date()`` of a UTC timestamp
    (a field ending in ``_at``, ``now``, ``utc_now()``): the wrong date cannot be called by accident."""
    offenders = {p.relative_to(ROOT).as_posix(): found for p in _sources()
                 if (found := date_violations(p.read_text(encoding="utf-8")))}
    assert offenders == {}


@pytest.mark.parametrize("line", ["day = dt.date.today()", "day = datetime.now().date()",
                                  "day = clock.utc_now().date()", "day = application.submitted_at.date()",
                                  "day = now.date()", "day = dt.datetime.utcnow()"])
def test_the_source_check_finds_a_utc_date(line):
    assert date_violations(line)


@pytest.mark.parametrize("line", ["day = clock.today()", "day = clock.local_date(application.submitted_at)",
                                  "day = meeting.starts_at.date()", "day = form.date.data"])
def test_the_source_check_lets_amsterdam_dates_pass(line):
    assert not date_violations(line)
