"""The TLV journey (school, SWV desk, deskundigen) in a real browser, through the UI only.

The IB'er of the demo PO school draws up a TLV SO for a student, shares a dossier entry as the OPP, records a
parent's signature and submits (R-LAW-TLV-3). SWV staff find it in their queue, take it up and ask two deskundigen
for advice; each writes and signs their own advice in their own browser (R-LAW-TLV-1, R-LAW-TLV-5). The SWV grants
the TLV with its category and period (R-LAW-TLV-4) and sends the decision letter; the IB'er then sees the decision
and can download the letter.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from portal import demo
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

IB = "ib@regenboog.demo.nl"
SWV = "swv@swv.demo.nl"
ADVISORS = (("deskundige@swv.demo.nl", "dr. Ingrid Boersma"), ("deskundige2@swv.demo.nl", "drs. Yvonne Mulder"))
TLV = "Aanvraag toelaatbaarheidsverklaring (TLV) SBO/SO"


def _po_student(live_server) -> tuple[int, str]:
    """A PO demo student without an application yet (the demo's own TLV is the sixth student's)."""
    with sqlite3.connect(live_server.database_path) as db:
        rows = db.execute("SELECT s.id, s.first_name || ' ' || s.last_name FROM student s JOIN school c "
                          "ON c.id = s.school_id WHERE c.brin = ? AND s.id NOT IN (SELECT student_id FROM "
                          "application) ORDER BY s.id LIMIT 1 OFFSET 8", (demo.PO.brin,)).fetchall()
    return rows[0]


def _draw_up(page, student_id: int) -> str:
    page.goto(f"/leerlingen/{student_id}")
    page.get_by_role("link", name="Aanvragen").click()
    page.get_by_label("Soort aanvraag").select_option(label=TLV)
    page.get_by_role("button", name="Aanvraag beginnen").click()
    expect(page.get_by_text("De aanvraag is begonnen als concept.")).to_be_visible()
    page.get_by_label("Soort onderwijs").select_option(value="so")
    page.get_by_label("Onderwijs- en ondersteuningsbehoeften van de leerling").fill(
        "Een kleine groep met veel structuur en een vaste begeleider bij overgangen.")
    page.get_by_label("Wat de school al heeft gedaan").fill(
        "Twee perioden een handelingsplan, ambulante begeleiding en een mdo met het wijkteam.")
    page.get_by_label("Waarom de school dit niet (meer) kan bieden").fill(
        "Ook met extra ondersteuning komt de leerling in een groep van dertig niet tot leren.")
    page.get_by_label("Betrokkenheid van ouders en leerling").fill(
        "Ouders waren bij elk gesprek en steunen de aanvraag; de leerling heeft meegedacht.")
    page.get_by_label("Ontvangende school (als die bekend is)").fill("SO De Boei")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De aanvraag is opgeslagen.")).to_be_visible()
    return page.url


def _share_and_sign(page) -> None:
    page.locator("input[name=items]").first.check()
    page.get_by_label("Hoort bij").select_option(label="het ontwikkelingsperspectiefplan (OPP)")
    page.get_by_role("button", name="Delen", exact=True).click()
    expect(page.get_by_text("De stukken worden gedeeld met het samenwerkingsverband.")).to_be_visible()
    who = page.get_by_label("Wie ondertekent")
    who.select_option(value=who.locator("option:not(:has-text('geen gezag'))").first.get_attribute("value"))
    page.get_by_label("Mening in eigen woorden").fill("Wij hopen dat onze zoon snel naar het SO kan.")
    page.get_by_role("button", name="Ondertekening vastleggen").click()
    expect(page.get_by_text("De ondertekening is vastgelegd.")).to_be_visible()


def _advise(tab, email: str, name: str, student: str, password: str) -> None:
    login(tab, email, password)
    tab.goto("/advies")
    tab.get_by_role("link", name=re.compile(re.escape(student))).first.click()
    tab.get_by_label("toelaatbaar", exact=True).check()
    tab.get_by_label("Uw schriftelijke advies").fill(
        f"De leerling is aangewezen op het speciaal onderwijs; advies van {name}, na dossierstudie.")
    tab.get_by_label("Ondertekend door (uw naam)").fill(name)
    tab.get_by_role("button", name="Advies ondertekenen en versturen").click()
    expect(tab.get_by_text("Uw advies is ondertekend en naar het samenwerkingsverband gestuurd.")).to_be_visible()


def test_a_tlv_from_the_ib_concept_to_the_swv_decision_letter(page, second_page, live_server):
    student_id, student = _po_student(live_server)
    login(page, IB, live_server.password)
    school_url = _draw_up(page, student_id)
    _share_and_sign(page)
    page.get_by_role("button", name="Indienen").click()
    expect(page.get_by_text("Indienen: gelukt.")).to_be_visible()

    swv, _errors = second_page
    login(swv, SWV, live_server.password)
    expect(swv).to_have_url(re.compile(r"/swv/aanvragen"))
    swv.get_by_role("link", name=student).first.click()
    swv.locator("form.step-take_up").get_by_role("button").click()
    expect(swv.get_by_text("Gedaan: In behandeling nemen.")).to_be_visible()
    for index, (_, name) in enumerate(ADVISORS):  # the first advice an orthopedagoog's, the second a psychiatrist's
        assign = swv.locator("form.assign").nth(index)
        assign.locator("select").first.select_option(
            value=assign.locator("option", has_text=name).first.get_attribute("value"))
        assign.locator("button").click()
        expect(swv.get_by_text("De deskundige is om advies gevraagd.")).to_be_visible()
    detail = swv.url

    for email, name in ADVISORS:
        context = swv.context.browser.new_context(base_url=live_server.url, locale="nl-NL")
        tab = context.new_page()
        _advise(tab, email, name, student, live_server.password)
        context.close()

    swv.goto(detail)
    grant = swv.locator("form.step-grant")
    grant.get_by_label("Categorie (alleen SO)").select_option(value="midden")
    start = dt.date.today() + dt.timedelta(days=30)
    grant.get_by_label("Begindatum").fill(start.isoformat())  # a date input takes the ISO form
    grant.get_by_label("Einddatum").fill(dt.date(start.year + 2, 7, 31).isoformat())
    grant.get_by_role("button", name="Toekennen").click()
    expect(swv.get_by_text("Gedaan: Toekennen.")).to_be_visible()
    swv.get_by_role("button", name="Besluitbrief versturen").click()
    expect(swv.get_by_text(re.compile(r"De besluitbrief is verstuurd aan .+"))).to_be_visible()

    page.goto(school_url)
    expect(page.locator("#app-student")).to_be_visible()
    expect(page.get_by_text("toegekend", exact=True).first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Besluitbrief (pdf)").click()
    assert download.value.suggested_filename.endswith(".pdf")
