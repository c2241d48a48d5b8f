"""The meeting journey (plan, contribute, report, share) in a real browser, through the UI only.

The care coordinator of the demo VO school records a parent's consent, plans an mdo with a parent and an outside
professional (R-ROUTE-8, R-VO-10, R-DRE-2.3-c) and mails the professional a share link. The professional opens it
in a fresh browser without an account, enters the mailed code and adds a contribution. The chair writes the report
with two actions, one owned by the professional, and makes it final: it lands in the dossier (R-ROUTE-6). After
revocation the link answers the not-found page. Consent before sharing with an outside party (R-DRE-AVG).
"""

from __future__ import annotations

import datetime as dt
import mailbox
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from portal import demo
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

COORDINATOR = ("zorg@esker.demo.nl", "Annemiek Drenth")
PRO = {"Naam": "Femke Bosma", "Organisatie": "Wijkteam Assen", "Rol": "Jeugdconsulent",
       "E-mailadres": "f.bosma@wijkteam.demo.nl"}
MDO = "Multidisciplinair overleg (mdo)"


def _outbox(live_server, recipient: str, subject: str) -> str:
    """The body of the newest mail to ``recipient`` with ``subject`` that the live server delivered.

    Without SMTP the portal delivers to the Maildir <instance>/mail; the outbox table keeps only a redacted copy.
    """
    box = mailbox.Maildir(str(live_server.database_path.parent / "instance" / "mail"), create=False)
    found = [m for m in box if m["To"] == recipient and m["Subject"] == subject]
    assert found, f"no mail {subject!r} to {recipient}"
    newest = max(found, key=lambda m: m.get_date())  # the time the message was delivered
    return newest.get_payload(decode=True).decode()


def _mdo_student_id(live_server) -> int:
    """A VO demo student whose traject is in a phase that holds an mdo (the third one, skipped ahead)."""
    with sqlite3.connect(live_server.database_path) as db:
        rows = db.execute("SELECT s.id FROM student s JOIN school c ON c.id = s.school_id WHERE c.brin = ? "
                          "ORDER BY s.id LIMIT 3", (demo.VO.brin,)).fetchall()
    return rows[2][0]


def _option_value(select, text: str) -> str:
    """The value of the option of ``select`` whose label contains ``text``."""
    return select.locator("option", has_text=text).first.get_attribute("value")


def _record_consent(page, student_id: int) -> None:
    page.goto(f"/leerlingen/{student_id}/toestemmingen")
    given_by = page.get_by_label("Gegeven door")
    given_by.select_option(index=0)
    expect(given_by.locator("option:checked")).to_contain_text("met gezag")
    page.get_by_label("Doel").select_option(label="Overleg over de leerling (alle soorten)")
    page.get_by_label("Of een andere ontvanger").fill(PRO["Organisatie"])
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator("table.consents")).to_contain_text(PRO["Organisatie"])
    expect(page.locator("table.consents")).to_contain_text("geldig")


def _plan_mdo(page, student_id: int, day: dt.date) -> None:
    page.goto(f"/leerlingen/{student_id}/overleg/nieuw")
    with page.expect_response(lambda r: "agenda=1" in r.url):  # htmx fills in the mdo's standard agenda
        page.get_by_label("Soort overleg", exact=True).select_option(label=MDO)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Begintijd").fill("14:00")
    page.get_by_label("Plaats").fill("Spreekkamer 2")
    chair = page.get_by_label("Voorzitter")
    chair.select_option(_option_value(chair, COORDINATOR[1]))
    page.get_by_label(re.compile(r"\(moeder\)$")).check()
    external = page.locator(".external-row").first
    for label, value in PRO.items():
        external.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page).to_have_url(re.compile(r"/overleg/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(MDO)
    expect(page.locator("#attendance")).to_contain_text(PRO["Naam"])
    expect(page.locator("#attendance")).to_contain_text("ouder/verzorger")


def _hold_meeting(live_server, meeting_id: int) -> dt.datetime:
    """Let the meeting have started an hour ago (local time, as the portal stores it); returns the new start."""
    from portal.meetings.ics import TZ

    start = (dt.datetime.now(TZ) - dt.timedelta(hours=1)).replace(tzinfo=None, second=0, microsecond=0)
    with sqlite3.connect(live_server.database_path) as db:
        db.execute("UPDATE meeting SET starts_at = ? WHERE id = ?", (start.strftime("%Y-%m-%d %H:%M:%S"), meeting_id))
    return start


def _write_report(page, day: dt.date) -> None:
    report = page.locator("#report")
    report.get_by_label("Samenvatting").fill("Zorgen over terugtrekken en achterstand besproken.")
    report.get_by_label("Visie van ouders").fill("Moeder herkent het beeld en wil hulp thuis.")
    report.get_by_label("Besluiten").fill("Wijkteam start gezinsbegeleiding; school past het rooster aan.")
    owners = report.get_by_label("Wie", exact=True)
    rows = (("Rooster aanpassen", COORDINATOR[1]), ("Intake gezinsbegeleiding plannen", PRO["Naam"]))
    for index, (text, owner) in enumerate(rows):
        report.get_by_label("Actie", exact=True).nth(index).fill(text)
        owners.nth(index).select_option(_option_value(owners.nth(index), owner))
        report.get_by_label("Uiterlijk", exact=True).nth(index).fill((day + dt.timedelta(days=14)).isoformat())
    report.get_by_role("button", name="Definitief maken").click()
    report = page.locator("#report")
    expect(report.get_by_role("heading", name="Verslag")).to_contain_text("definitief")
    expect(report.get_by_label("Actie", exact=True).nth(1)).to_have_value("Intake gezinsbegeleiding plannen")


def test_mdo_with_parent_and_outside_professional(page, second_page, live_server):
    student_id = _mdo_student_id(live_server)
    day = dt.date.today() + dt.timedelta(days=7)
    login(page, COORDINATOR[0], live_server.password)
    _record_consent(page, student_id)
    _plan_mdo(page, student_id, day)
    meeting_url = page.url

    # The chair mails the professional a link that asks for a code.
    panel = page.locator("#share-links")
    row = panel.locator("tr", has_text=PRO["Naam"])
    expect(row.get_by_label("Code per e-mail vragen bij het openen")).to_be_checked()
    row.get_by_role("button", name="Link maken en mailen").click()
    expect(page.locator("#share-links")).to_contain_text(f"De link is gemaakt en gemaild naar {PRO['E-mailadres']}")
    expect(page.locator("#share-links tr", has_text=PRO["Naam"])).to_contain_text("met code")
    invitation = _outbox(live_server, PRO["E-mailadres"], "Uitnodiging voor een overleg")
    link = re.search(r"https?://\S+(/gast/\S+)", invitation).group(1)

    # The professional, in a browser that never logged in: code first, then the meeting and a contribution.
    guest, guest_errors = second_page
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_have_text("Toegang tot het overleg")
    guest.get_by_role("button", name="Stuur mij een code").click()
    code = re.search(r"Uw code is: (\d{6})", _outbox(live_server, PRO["E-mailadres"], "Uw code voor het overleg"))
    guest.get_by_label("Code uit de e-mail").fill(code.group(1))
    guest.get_by_role("button", name="Doorgaan").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text(MDO)
    expect(guest.locator("body")).not_to_contain_text("Dossier")
    contribution = "Het wijkteam kent het gezin; wij kunnen binnen twee weken starten."
    guest.get_by_role("textbox", name="Uw inbreng").fill(contribution)
    guest.get_by_role("button", name="Inbreng opslaan").click()
    expect(guest.get_by_role("status")).to_contain_text("Uw inbreng is opgeslagen.")
    expect(guest.get_by_role("textbox", name="Uw inbreng")).to_have_value(contribution)

    # The chair sees the contribution on the meeting page. The meeting takes place (moved to an hour ago: a
    # report is final only after the meeting, with attendance recorded); the chair records who
    # came, writes the report and finds it in the dossier.
    page.goto(meeting_url)
    expect(page.locator("#agenda")).to_contain_text(contribution)
    expect(page.locator("#share-links tr", has_text=PRO["Naam"])).not_to_contain_text("nog niet")
    held = _hold_meeting(live_server, int(meeting_url.rsplit("/", 1)[1]))
    page.goto(meeting_url)
    attendance = page.locator("#attendance")
    for box in attendance.get_by_role("checkbox").all():
        box.check()
    attendance.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.locator("#attendance")).to_contain_text("Aanwezigheid opslaan")
    expect(page.locator("#attendance").get_by_role("checkbox").first).to_be_checked()
    _write_report(page, day)
    page.goto(f"/leerlingen/{student_id}/dossier")
    timeline = page.locator("#dossier-timeline")
    expect(timeline).to_contain_text(f"Verslag: {MDO} van {held.strftime('%d-%m-%Y')}")
    expect(timeline).to_contain_text("Zorgen over terugtrekken")

    # The professional's own actions show through the link; after revocation the link is gone.
    guest.reload()
    expect(guest.get_by_role("heading", name="Uw acties")).to_be_visible()
    expect(guest.locator("body")).to_contain_text("Intake gezinsbegeleiding plannen")
    expect(guest.locator("body")).not_to_contain_text("Rooster aanpassen")
    page.goto(meeting_url)
    page.locator("#share-links tr", has_text=PRO["Naam"]).get_by_role("button", name="Intrekken").click()
    expect(page.locator("#share-links")).to_contain_text("De link is ingetrokken en werkt niet meer.")
    expect(page.locator("#share-links tr", has_text=PRO["Naam"])).to_contain_text("ingetrokken")
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(guest.locator("body")).not_to_contain_text(contribution)
    guest_errors.remove(f"404 {live_server.url}{link}")  # the one not-found answer this test expects
