"""Demo data (``portal demo``): one PO and one VO school, an account per role, students and dossier entries.

Everything is invented. The data is deterministic (seeded random) apart from the passwords, and loading it
twice changes nothing: the demo PO school's BRIN marks an install that already holds the demo.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
from dataclasses import dataclass
from typing import Callable

from portal import clock
from portal.applications import demo as applications_demo
from portal.auth.accounts import AccountError, add_membership, create_user
from portal.auth.models import User
from portal.consent import demo as consent_demo
from portal.db import database
from portal.dossier.models import Entry
from portal.dossier.sections import CORE_SECTIONS
from portal.meetings import demo as meetings_demo
from portal.opp import demo as opp_demo
from portal.route import demo as route_demo
from portal.schools.models import School
from portal.students.models import Group, GroupTeacher, Guardian, Student
from portal.versioning import save_version

SEED = 2026
STUDENTS_PER_SCHOOL = 32
PASSWORD_ENV = "PORTAL_DEMO_PASSWORD"


@dataclass(frozen=True)
class DemoSchool:
    key: str
    name: str
    brin: str
    sector: str
    domain: str
    # group name -> (teacher e-mail local parts, age range of the pupils on the first day of the school year)
    groups: dict[str, tuple[tuple[str, ...], tuple[int, int]]]


PO = DemoSchool("po", "OBS De Regenboog", "09RB", "PO", "regenboog.demo.nl", {
    "groep 1/2": (("leerkracht2",), (4, 5)),
    "groep 4": (("leerkracht2",), (7, 7)),
    "groep 6": (("leerkracht3",), (9, 9)),
    "groep 8": (("leerkracht", "leerkracht3"), (11, 11)),
})
VO = DemoSchool("vo", "Esker College", "21EK", "VO", "esker.demo.nl", {
    "1A": (("mentor",), (12, 12)),
    "2B": (("mentor",), (13, 13)),
    "4H": (("mentor2",), (15, 16)),
    "5V": (("mentor2",), (16, 17)),
})
SCHOOLS = (PO, VO)
MARKER_BRIN = PO.brin

# (e-mail, name, role, schools); role None with admin=True is the install-level SWV administrator.
SWV_DOMAIN = "swv.demo.nl"
ACCOUNTS: tuple[tuple[str, str, str | None, tuple[DemoSchool, ...]], ...] = (
    (f"admin@{SWV_DOMAIN}", "Hilde Wolters", None, ()),
    (f"beheerder@{PO.domain}", "Gerrit Lanting", "beheerder", (PO,)),
    (f"ib@{PO.domain}", "Marloes Hadders", "zorg", (PO,)),
    (f"leerkracht@{PO.domain}", "Joost van der Veen", "mentor", (PO,)),
    (f"leerkracht2@{PO.domain}", "Esther Oosting", "mentor", (PO,)),
    (f"leerkracht3@{PO.domain}", "Karim Bouzid", "mentor", (PO,)),
    (f"beheerder@{VO.domain}", "Petra Zwiers", "beheerder", (VO,)),
    (f"zorg@{VO.domain}", "Annemiek Drenth", "zorg", (VO,)),
    (f"mentor@{VO.domain}", "Wouter de Haan", "mentor", (VO,)),
    (f"mentor2@{VO.domain}", "Samira el Idrissi", "mentor", (VO,)),
    (f"swv@{SWV_DOMAIN}", "Bert Kuiper", "swv", (PO, VO)),
    (f"deskundige@{SWV_DOMAIN}", "dr. Ingrid Boersma", "deskundige", (PO, VO)),
    (f"deskundige2@{SWV_DOMAIN}", "drs. Yvonne Mulder", "deskundige", (PO, VO)),
    (f"jeugdhulp@{SWV_DOMAIN}", "Dennis Huisman", "jeugdhulp", (PO, VO)),
)

FIRST_NAMES = {
    "m": ["Daan", "Sem", "Noah", "Lucas", "Finn", "Bram", "Thijs", "Ruben", "Jesse", "Milan", "Mohammed",
          "Emre", "Liam", "Levi", "Jayden", "Ravi", "Stijn", "Gijs", "Mees", "Yusuf", "Hidde", "Jurre",
          "Teun", "Olivier", "Kai"],
    "v": ["Fenna", "Saar", "Yara", "Sophie", "Julia", "Tess", "Mila", "Nora", "Anouk", "Lotte", "Fleur",
          "Sanne", "Aylin", "Priya", "Zoë", "Noor", "Lieke", "Jasmijn", "Fatima", "Evi", "Femke", "Ilse",
          "Roos", "Hanna", "Elif"],
}
LAST_NAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
    "Dijkstra", "van der Meer", "van der Linden", "Kok", "de Haan", "Vermeulen", "van den Heuvel",
    "van den Broek", "Postma", "Hoekstra", "Bulut", "Yilmaz", "El Amrani", "Tahiri", "Nguyen", "Kramer",
    "Boersma", "Schaap", "ter Horst", "in 't Veld", "Lubbers", "Wolters", "Oosting", "Kuiper", "Seinen",
    "Zwiers", "Nijboer", "Pranger", "Koops",
]
PARENT_NAMES = {
    "moeder": ["Marieke", "Linda", "Sandra", "Esther", "Naima", "Monique", "Ilona", "Hatice", "Jolanda"],
    "vader": ["Erik", "Martijn", "Dennis", "Rachid", "Jeroen", "Arjan", "Mehmet", "Sander", "Roelof"],
}
STREETS = ["Brink", "Hoofdstraat", "Esweg", "Dorpsstraat", "Kerkpad", "Veenweg", "Heidelaan", "Wijk 2"]
TOWNS = ["Assen", "Emmen", "Meppel", "Beilen", "Hoogeveen", "Coevorden", "Westerbork", "Roden"]

# Per section: (title, body, confidential); {n} is the student's first name, {g} the group.
TEXTS: dict[str, list[tuple[str, str, bool]]] = {
    "personal": [
        ("Gegevens aangevuld bij inschrijving", "Adres en telefoonnummers van beide ouders gecontroleerd. "
         "{n} woont doordeweeks bij moeder, om het weekend bij vader.", False),
        ("Nieuw adres doorgegeven", "Moeder meldt een verhuizing binnen de gemeente. Nieuwe gegevens "
         "verwerkt in de administratie.", False),
        ("Medische bijzonderheid", "{n} heeft een pinda-allergie; de EpiPen ligt in de klassenkast. "
         "Alle invallers zijn hiervan op de hoogte gebracht.", True),
    ],
    "education": [
        ("Resultaten midden schooljaar", "{n} laat op rekenen een stijgende lijn zien. Begrijpend lezen "
         "blijft achter bij de verwachting; extra leesbegeleiding in {g} ingezet.", False),
        ("Dyslexieverklaring ontvangen", "De verklaring van het onderzoeksbureau is toegevoegd. {n} krijgt "
         "vanaf nu verlengde tijd en toetsen in vergroot lettertype.", False),
        ("Overgangsbespreking", "In de leerlingbespreking besloten dat {n} overgaat. Aandachtspunt voor "
         "volgend jaar: plannen en huiswerk bijhouden.", False),
    ],
    "support": [
        ("Handelingsplan lezen", "Doel: {n} leest aan het eind van de periode een AVI-niveau hoger. "
         "Drie keer per week tien minuten duolezen, evaluatie over zes weken.", False),
        ("Bespreking intern ondersteuningsteam", "Besproken met de IB'er en de orthopedagoog van het "
         "samenwerkingsverband. Advies: observatie in de klas en een gesprek met ouders.", False),
        ("Zorgen over thuissituatie", "{n} vertelde over spanningen thuis. Volgens de meldcode een "
         "collega geraadpleegd; vervolggesprek met moeder gepland.", True),
    ],
    "absence_behaviour": [
        ("Ongeoorloofd verzuim", "{n} was drie ochtenden zonder bericht afwezig. Ouders gebeld; bij "
         "herhaling volgt een melding bij de leerplichtambtenaar.", False),
        ("Incident op het plein", "Tijdens de pauze een conflict met een klasgenoot. Beide kinderen "
         "gehoord en afspraken gemaakt over het oplossen van ruzies.", False),
        ("Afspraken over sociale veiligheid", "{n} voelt zich buitengesloten in {g}. Met de klas gewerkt "
         "aan groepsvorming; {n} heeft een vast aanspreekpunt.", False),
    ],
    "communication": [
        ("Oudergesprek", "Gesproken met beide ouders over de voortgang. Ouders herkennen het beeld en "
         "oefenen thuis met lezen. Volgend gesprek over acht weken.", False),
        ("Contact met jeugdarts", "Met toestemming van ouders contact gehad met de jeugdarts over "
         "vermoeidheid in de klas. Jeugdarts nodigt {n} uit voor een consult.", True),
        ("Verslag multidisciplinair overleg", "Aanwezig: ouders, mentor, zorgcoördinator en "
         "jeugdprofessional. Afgesproken dat de jeugdprofessional het gezin thuis bezoekt.", False),
    ],
    "transfer": [
        ("Toestemmingsformulier ontvangen", "Ouders hebben getekend voor het delen van het dossier met "
         "het samenwerkingsverband ten behoeve van het arrangement.", False),
        ("Overdracht naar volgend schooljaar", "Warme overdracht met de nieuwe leerkracht/mentor gedaan. "
         "Handelingsplan en afspraken zijn doorgenomen.", False),
        ("Onderwijskundig rapport", "Rapport opgesteld voor de overstap. Advies en "
         "ondersteuningsbehoeften van {n} beschreven.", False),
    ],
}


def load(echo: Callable[[str], object] = print) -> bool:
    """Load the demo data unless it is there already; returns True when it was created."""
    if School.get_or_none(School.brin == MARKER_BRIN) is not None:
        echo("Demodata staan er al; er is niets toegevoegd.")
        return False
    password = os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(12)
    rng = random.Random(SEED)
    try:
        with database.atomic():
            schools = {s.key: School.create(name=s.name, brin=s.brin, sector=s.sector) for s in SCHOOLS}
            users = _accounts(schools, password)
            for spec in SCHOOLS:
                _fill_school(spec, schools[spec.key], users, rng)
                _trajecten(spec, schools[spec.key], users)
        _meetings(schools, users)
        _opp(schools, users)  # before the applications: the OTV request reads the OPP
        _applications(schools, users)
        _consents(schools, users)
    except AccountError as exc:
        raise SystemExit(f"Fout: {exc} (zet {PASSWORD_ENV} op een langer wachtwoord)") from exc
    _report(echo, password)
    return True


def _accounts(schools: dict[str, School], password: str) -> dict[str, object]:
    """Every account gets the same password; it is hashed once (argon2 is slow on purpose)."""
    users = {}
    for email, name, role, member_of in ACCOUNTS:
        user = create_user(email=email, name=name, password=None if users else password, is_admin=role is None)
        for spec in member_of:
            add_membership(user, schools[spec.key], role)
        users[email] = user
    first = next(iter(users.values()))
    User.update(password_hash=first.password_hash).where(User.id.in_([u.id for u in users.values()])).execute()
    return users


def _fill_school(spec: DemoSchool, school: School, users: dict, rng: random.Random) -> None:
    today = clock.today()
    year_start = dt.date(today.year if today.month >= 8 else today.year - 1, 9, 1)
    care = users[f"{'ib' if spec.sector == 'PO' else 'zorg'}@{spec.domain}"]
    groups = list(spec.groups.items())
    for index in range(STUDENTS_PER_SCHOOL):
        group_name, (teachers, ages) = groups[index % len(groups)]
        group = _group(school, group_name, [users[f"{t}@{spec.domain}"] for t in teachers])
        teacher = users[f"{teachers[0]}@{spec.domain}"]
        student = _student(spec, school, group, index, rng, year_start, ages,
                           mentor=teacher if spec.sector == "VO" else None)
        if index == STUDENTS_PER_SCHOOL - 1:
            student.left_on = today - dt.timedelta(days=30)
            student.save()
        _guardians(student, rng)
        # The first student of each school has an entry in every section; the others a few at random.
        sections = [s.key for s in CORE_SECTIONS] if index == 0 else \
            rng.sample([s.key for s in CORE_SECTIONS], rng.randint(1, 3))
        for section in sections:
            _entry(student, section, group_name, rng, author=rng.choice([teacher, care]), care=care)


def _trajecten(spec: DemoSchool, school: School, users: dict) -> None:
    """Four students of the school somewhere along the route of the enabled plugins."""
    care = users[f"{'ib' if spec.sector == 'PO' else 'zorg'}@{spec.domain}"]
    students = list(Student.select().where((Student.school == school) & Student.left_on.is_null())
                    .order_by(Student.id).limit(4))
    route_demo.load(students, care)


def _meetings(schools: dict[str, School], users: dict) -> None:
    """A held and a coming meeting at the VO school (after the main transaction: the invitations are mailed)."""
    spec = next(s for s in SCHOOLS if s.sector == "VO")
    students = list(Student.select().where((Student.school == schools[spec.key]) & Student.left_on.is_null())
                    .order_by(Student.id).limit(2))
    meetings_demo.load(students, users[f"zorg@{spec.domain}"], users[f"mentor@{spec.domain}"])


def _applications(schools: dict[str, School], users: dict) -> None:
    """Applications to the SWV in several states, with the SWV's deskundigen and letter details (after the main
    transaction: the decision letter is mailed)."""
    applications_demo.load(schools, users, PO.domain, VO.domain, SWV_DOMAIN)


def _opp(schools: dict[str, School], users: dict) -> None:
    """An OPP at the VO school with its handelingsdeel agreed and registered in the ROD."""
    spec = next(s for s in SCHOOLS if s.sector == "VO")
    opp_demo.load(schools[spec.key], users[f"zorg@{spec.domain}"])


def _consents(schools: dict[str, School], users: dict) -> None:
    """One withdrawn consent at the VO school (its held meeting's student), through the consent services."""
    students = list(Student.select().where((Student.school == schools[VO.key]) & Student.left_on.is_null())
                    .order_by(Student.id).limit(2))
    consent_demo.load(students[-1] if students else None, users[f"zorg@{VO.domain}"])


def _group(school: School, name: str, teachers: list) -> Group:
    group, created = Group.get_or_create(school=school, name=name)
    if created:
        for teacher in teachers:
            GroupTeacher.create(group=group, user=teacher)
    return group


def _student(spec, school, group, index, rng, year_start, ages, mentor) -> Student:
    gender = rng.choice("mv")
    age = rng.randint(ages[0], ages[1])
    birth = year_start - dt.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
    years_here = max(0, ages[0] - (4 if spec.sector == "PO" else 12))
    return Student.create(
        school=school, student_number=f"{spec.brin[2:]}{index + 1:04d}", gender=gender,
        first_name=rng.choice(FIRST_NAMES[gender]), last_name=rng.choice(LAST_NAMES), birth_date=birth,
        group=group, mentor=mentor, enrolled_on=year_start - dt.timedelta(days=365 * years_here),
    )


def _guardians(student: Student, rng: random.Random) -> None:
    """Usually two parents with authority; sometimes a parent without gezag, or a guardian (voogd)."""
    address = f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {rng.choice(TOWNS)}"
    situation = rng.random()
    for relation in ("moeder", "vader"):
        if relation == "vader" and situation < 0.15:
            continue  # one parent only
        without_authority = relation == "vader" and situation > 0.85
        name = f"{rng.choice(PARENT_NAMES[relation])} {student.last_name}"
        Guardian.create(student=student, name=name, relation=relation, has_authority=not without_authority,
                        email=f"{relation}.{student.student_number.lower()}@ouders.demo.nl",
                        phone=f"06-{rng.randint(10000000, 99999999)}",
                        address=None if without_authority else address)
    if situation > 0.95:
        Guardian.create(student=student, name="Stichting Jeugdbescherming Noord", relation="voogd",
                        has_authority=True, email="voogdij@jbnoord.demo.nl")


def _entry(student: Student, section: str, group_name: str, rng: random.Random, *, author, care) -> Entry:
    title, body, confidential = rng.choice(TEXTS[section])
    when = clock.utc_now() - dt.timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 600))
    # Confidential entries are written by the care coordinator, who is allowed to read them.
    entry = Entry.create(student=student, section=section, title=title,
                         body=body.format(n=student.first_name, g=group_name), confidential=confidential,
                         author=care if confidential else author, created_at=when, updated_at=when)
    if section == "support" and not confidential and rng.random() < 0.3:
        # A second version, so the history of an entry can be shown.
        save_version(entry, entry.version, {"body": entry.body + " Evaluatie: doel grotendeels gehaald."},
                     care.id, extra={"updated_by": care})
    return entry


def _report(echo: Callable[[str], object], password: str) -> None:
    echo(f"Demodata aangemaakt: {len(SCHOOLS)} scholen, {len(ACCOUNTS)} accounts, "
         f"{STUDENTS_PER_SCHOOL * len(SCHOOLS)} leerlingen.")
    for email, _name, role, member_of in ACCOUNTS:
        where = ", ".join(s.name for s in member_of) or "hele samenwerkingsverband"
        echo(f"  {email:<32} {role or 'admin':<11} {where}")
    if os.environ.get(PASSWORD_ENV):
        echo(f"Wachtwoord van elk demo-account: de waarde van {PASSWORD_ENV}.")
    else:
        echo(f"Wachtwoord van elk demo-account (wordt maar een keer getoond): {password}")
