"""Smoke journey in a real browser: log in, search a student, open the dossier, add an entry.

Proves that the htmx enhancement works end to end in chromium (live search without a page load) and that
the dossier form saves through the real CSRF-protected POST (R-DRE-B1: the dossier sections of annex 1).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_login_search_open_dossier_add_entry(page, live_server):
    student = live_server.student
    login(page, "ib@regenboog.demo.nl", live_server.password)

    page.goto("/leerlingen/")
    assert page.evaluate("typeof htmx") == "object", "htmx did not load from static/vendor/htmx.min.js"
    page.evaluate("window.samePage = true")  # gone if the search reloaded the whole page
    results = page.locator("#student-results")
    expect(results).to_contain_text("leerlingen gevonden")
    page.get_by_label("Zoeken").press_sequentially(live_server.search_term, delay=40)
    expect(results).to_contain_text("1 leerling gevonden")
    assert page.evaluate("window.samePage") is True, "the search was not done by htmx"
    page.get_by_role("link", name=student.full_name).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(student.first_name)
    page.get_by_role("link", name="Dossier", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Dossier van {student.full_name}")

    page.get_by_role("link", name="Nieuwe aantekening").click()
    page.get_by_label("Sectie").select_option(label="Verzuim en gedrag")
    page.get_by_label("Titel").fill("Afspraak na te laat komen")
    page.get_by_label("Tekst").fill("Met de leerling afgesproken om voortaan om 8.20 uur op school te zijn.")
    page.get_by_role("button", name="Opslaan").click()

    timeline = page.locator("#dossier-timeline")
    expect(timeline).to_contain_text("Afspraak na te laat komen")
    expect(timeline).to_contain_text("Verzuim en gedrag")


def test_wrong_password_is_refused_in_dutch(page, live_server):
    page.goto("/login")
    page.get_by_label("E-mailadres").fill("ib@regenboog.demo.nl")
    page.get_by_label("Wachtwoord", exact=True).fill("niet-het-goede")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mailadres of wachtwoord klopt niet.")
