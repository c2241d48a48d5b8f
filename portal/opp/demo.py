"""A demo OPP at the VO school, made through the same services as the pages: drawn up with the parents, its
handelingsdeel (with an onderwijstijdverkorting) agreed by a parent with gezag (the instemming in the consent
register), evaluated, and registered in the ROD. The Drenthe demo's OTV request is for the same student."""

from __future__ import annotations

import datetime as dt

from portal import clock, policy
from portal.opp import services
from portal.students.models import Guardian, Student

PERSPECTIVE = {
    "perspective_level": "vmbo kaderberoepsgerichte leerweg",
    "perspective_direction": "vervolgonderwijs",
    "rationale": "De toetsen en het onderzoek van vorig jaar wijzen op een niveau rond kader; met structuur en "
                 "begeleiding bij plannen haalt {n} dat niveau.",
    "promoting_factors": "Gemotiveerd voor praktische vakken, betrokken ouders, een goede band met de mentor.",
    "hindering_factors": "Snel overprikkeld in drukke lessen; plannen en huiswerk bijhouden lukt zelfstandig nog "
                         "niet.",
    "consultation_with": "moeder, {n} zelf, de mentor en de zorgcoördinator",
}
GOALS = {"leren": "{n} rondt de periodetoetsen voor Nederlands en wiskunde af op kaderniveau.",
         "werkhouding": "{n} plant het huiswerk van een week zelf in de agenda, met een wekelijkse check.",
         "sociaal_emotioneel": "{n} meldt zelf bij de mentor wanneer een les te druk wordt."}
HANDELINGSDEEL = {
    "support": "Twee keer per week een half uur begeleiding door de ondersteuningscoördinator bij plannen; een "
               "rustige werkplek in het ondersteuningslokaal bij drukte; verlengde toetstijd.",
    "deviation": "Geen afwijking van het onderwijsprogramma.",
}
OTV = {"deviation": "Tijdelijk een kortere lesweek (zie de OTV); de gemiste lesstof volgt via een weekplanning "
                    "thuis.", "otv_reason": "medisch"}
OTV_HOURS, OTV_FROM_DAYS, OTV_UNTIL_DAYS = 8, -14, 76  # the OTV of the handelingsdeel, days from today


def load(vo_school, coordinator) -> int:
    """The demo's OPP (on the fifth VO student, in 1A: no traject, meeting or application of the other demos), with
    an onderwijstijdverkorting in its handelingsdeel; 1 when made."""
    student = (Student.select().where((Student.school == vo_school.id) & Student.left_on.is_null())
               .order_by(Student.id).offset(4).first())
    if student is None or services.opp_of(student) is not None:
        return 0
    actor = policy.Actor(kind="user", user=coordinator, school_id=vo_school.id, roles=frozenset({"zorg"}))
    today = clock.today()
    otv = {"otv_hours": OTV_HOURS, "otv_from": today + dt.timedelta(days=OTV_FROM_DAYS),
           "otv_until": today + dt.timedelta(days=OTV_UNTIL_DAYS)}
    if agreed_opp(student, actor, handelingsdeel={**HANDELINGSDEEL, **OTV, **otv}) is None:
        return 0
    services.add_evaluation(services.opp_of(student), held_on=today - dt.timedelta(days=7),
                            with_whom="moeder, de mentor en de zorgcoördinator", with_parents=True,
                            outcome="Het plannen gaat beter; de rustige werkplek blijft nodig.", actor=actor)
    return 1


def agreed_opp(student, actor: policy.Actor, *, handelingsdeel: dict | None = None):
    """An OPP drawn up with the parents, its handelingsdeel agreed by a parent with gezag and registered in the
    ROD (what additional support asks for, e.g. the Drenthe route's phase 2.2); None without such a parent."""
    parent = Guardian.select().where((Guardian.student == student.id) & Guardian.has_authority).first()
    if parent is None:
        return None
    today = clock.today()
    n = student.first_name
    opp = services.create(student, today - dt.timedelta(days=70), actor=actor)
    opp = services.save(opp, opp.version, {**{k: v.format(n=n) for k, v in PERSPECTIVE.items()},
                                           "consultation_on": today - dt.timedelta(days=40)}, actor=actor)
    opp = services.save(opp, opp.version, {"goals": {k: v.format(n=n) for k, v in GOALS.items()}}, actor=actor)
    opp = services.save(opp, opp.version, handelingsdeel or HANDELINGSDEEL, actor=actor)
    services.record_response(opp, guardian_id=parent.id, given_on=today - dt.timedelta(days=38), agrees=True,
                             view="Moeder is blij met de vaste begeleiding bij het plannen.", actor=actor)
    opp = services.opp_of(student)
    return services.save(opp, opp.version, {"rod_registered_on": today - dt.timedelta(days=35)}, actor=actor)
