"""Who decides for a student: the two ages the law sets, never mixed (docs/route-sources.md "Wie beslist voor de
leerling").

- Data (AVG/UAVG): consent to process or share the student's data and the data-subject rights (inzage, a copy,
  their own view) are the parents' with gezag under 16 and the student's alone from the 16th birthday.
- Education law: the instemming with the OPP's handelingsdeel, signing an application and objecting to a decision
  are the parents' with gezag until the student is of age (18), then the student's alone.

A guardian without gezag is informed, never decides. Ages compare on the Europe/Amsterdam date (``clock.today()``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.students.models import Guardian, Student

DATA_SUBJECT_AGE = 16  # AVG art. 8 lid 1 with UAVG art. 5 lid 1
MAJORITY_AGE = 18  # BW 1:233

DATA, EDUCATION = "data", "education"  # the two rules


def decides_own_data(student: Student, on: dt.date | None = None) -> bool:
    """Data-subject / consent age (16): from the 16th birthday the student alone consents to the processing and
    sharing of their data and exercises the data-subject rights; before it the parents with gezag do.

    Source: AVG (Verordening (EU) 2016/679) art. 8 lid 1 and UAVG art. 5 lid 1 (the Dutch age of 16, for every
    processing based on consent); BW 1:245 (the parents with gezag represent the minor)."""
    return student.age_on(on or clock.today()) >= DATA_SUBJECT_AGE


def decides_under_education_law(student: Student, on: dt.date | None = None) -> bool:
    """Education-law decision age (18): from the 18th birthday (meerderjarig) the student alone gives the
    instemming with the OPP's handelingsdeel, signs an application and objects to a decision; until then the
    parents with gezag do, also for a student of 16 or 17.

    Source: BW 1:233 (meerderjarig at 18) and 1:245 (gezag over a minor); WPO art. 40a, WVO art. 17a (WVO 2020:
    the OPP article, art. 8.11) and WEC art. 41a (the parents' instemming with the handelingsdeel; the student in
    their place once meerderjarig en handelingsbekwaam)."""
    return student.age_on(on or clock.today()) >= MAJORITY_AGE


def student_decides(student: Student, rule: str, on: dt.date | None = None) -> bool:
    """The student decides alone under ``rule`` (DATA or EDUCATION) on this Amsterdam date."""
    return (decides_own_data if rule == DATA else decides_under_education_law)(student, on)


@dataclass(frozen=True)
class Deciders:
    """Who decides for the student under one rule on one day."""

    rule: str  # DATA or EDUCATION
    student: bool  # the student decides alone
    guardians: tuple[Guardian, ...]  # the parents with gezag who decide (empty when the student does)
    informed: tuple[Guardian, ...]  # guardians without gezag: informed, never decide


def deciders(student: Student, rule: str, on: dt.date | None = None) -> Deciders:
    """Who decides for this student under ``rule`` on this Amsterdam date (default today)."""
    alone = student_decides(student, rule, on)
    everyone = list(Guardian.select().where(Guardian.student == student.id).order_by(Guardian.name))
    return Deciders(rule=rule, student=alone,
                    guardians=() if alone else tuple(g for g in everyone if g.has_authority),
                    informed=tuple(g for g in everyone if not g.has_authority))


def refusals(student: Student, guardian: Guardian | None, rule: str, on: dt.date | None = None) -> list[str]:
    """Why this person cannot decide for the student under ``rule`` on this day (empty: they can; Dutch).
    ``guardian`` None means the student. The one rule behind the consent register, the OPP's instemming, the
    signatures of applications and objections."""
    alone = student_decides(student, rule, on)
    age = DATA_SUBJECT_AGE if rule == DATA else MAJORITY_AGE
    if guardian is None:
        if alone:
            return []
        if rule == DATA:
            return [str(_l("De leerling is jonger dan 16 jaar: een ouder of verzorger met gezag moet toestemming "
                           "geven."))]
        return [_("De leerling is jonger dan %(age)s jaar (minderjarig): hierover beslist een ouder of verzorger "
                  "met gezag, niet de leerling alleen.", age=age)]
    if alone:
        if rule == DATA:
            return [str(_l("De leerling is 16 jaar of ouder en beslist zelf: de toestemming van een ouder telt niet "
                           "meer. Leg de toestemming van de leerling vast."))]
        return [_("De leerling is %(age)s jaar of ouder (meerderjarig) en beslist zelf: een ouder beslist hierover "
                  "niet meer. Leg het besluit van de leerling vast.", age=age)]
    if not guardian.has_authority:
        if rule == DATA:
            return [str(_l("Deze ouder of verzorger heeft geen gezag en kan geen toestemming geven; wel kan de "
                           "school hem of haar algemeen informeren."))]
        return [str(_l("Deze ouder of verzorger heeft geen gezag en beslist hierover niet; wel kan de school hem of "
                       "haar informeren."))]
    return []


def objectors(student: Student, on: dt.date | None = None) -> Deciders:
    """Who may object for this student to a decision (TLV, PrO, LWOO, ...) on this Amsterdam date: the parents
    with gezag until the 18th birthday, then the student alone (education law; guardians without gezag are
    informed). The school board's own right to object is not a matter of the student's age."""
    return deciders(student, EDUCATION, on)


def objection_refusals(student: Student, guardian: Guardian | None, on: dt.date | None = None) -> list[str]:
    """Why this person (``guardian`` None: the student) cannot object for the student on this day (empty: they
    can); Dutch, for the message next to the field."""
    return refusals(student, guardian, EDUCATION, on)
