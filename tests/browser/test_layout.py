"""The portal on a phone: at 390 px no page scrolls sideways and the header stays small; the
transition form shows only the fields of the chosen action."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal import demo
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MAX_HEADER_PX = 120  # two rows: name and tools, then the menu


def _overflow(page) -> int:
    """How many pixels the document is wider than the window (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _student_links(page, count: int) -> list[str]:
    page.goto("/leerlingen/")
    hrefs = page.locator("#student-results a[href^='/leerlingen/']").evaluate_all("els => els.map(e => e.href)")
    return [h for h in hrefs if re.search(r"/leerlingen/\d+$", h)][:count]


@pytest.mark.parametrize("email", [f"zorg@{demo.VO.domain}", f"ib@{demo.PO.domain}", f"swv@{demo.SWV_DOMAIN}"])
def test_pages_fit_a_phone(page, live_server, email):
    """At 390 px wide no page overflows the window sideways and the header is at most two rows."""
    page.set_viewport_size(PHONE)
    login(page, email, live_server.password)
    urls = ["/leerlingen/", "/overleg", "/overleg?periode=gehouden", "/mijn-acties", "/meldingen",
            "/ondersteuningsroute"]
    for student in _student_links(page, 2):
        urls += [student, f"{student}/dossier", f"{student}/traject", f"{student}/toestemmingen",
                 f"{student}/inzage"]
    page.goto("/overleg?periode=alle")
    urls += page.locator("#meeting-results a[href^='/overleg/']").evaluate_all("els => els.map(e => e.href)")[:2]
    problems = {}
    for url in urls:
        response = page.goto(url)
        if response.status in (403, 404):  # not every role may open every page
            continue
        assert response.status == 200, url
        header = page.locator("header.site-header").bounding_box()
        wide = _overflow(page)
        if wide > 0 or header["height"] > MAX_HEADER_PX:
            problems[url] = {"overflow_px": wide, "header_px": header["height"]}
    assert not problems, problems


def test_admin_pages_fit_a_phone(page, live_server):
    """The beheer pages fit a phone too."""
    page.set_viewport_size(PHONE)
    login(page, f"admin@{demo.SWV_DOMAIN}", live_server.password)
    for url in ("/beheer/plugins", "/beheer/herinneringen", "/beheer/uitgaande-mail"):
        response = page.goto(url)
        if response.status == 404:
            continue
        assert response.status == 200, url
        assert _overflow(page) <= 0, url
        assert page.locator("header.site-header").bounding_box()["height"] <= MAX_HEADER_PX, url


def test_transition_form_shows_the_fields_of_the_chosen_action(page, live_server):
    """With JavaScript the form shows only what the chosen action needs."""
    login(page, f"zorg@{demo.VO.domain}", live_server.password)
    form = page.locator("form.transition-form")
    for student in _student_links(page, 30):  # a student whose demo traject is running
        page.goto(f"{student}/traject")
        if form.count() and form.get_by_label("Wat wil je doen?").evaluate(
                "el => [...el.options].some(o => o.value == 'stop')"):
            break
    else:
        pytest.fail("no running traject in the demo data")
    form.get_by_label("Wat wil je doen?").select_option("stop")
    expect(form.get_by_label("Reden om te stoppen")).to_be_visible()
    expect(form.get_by_label("Onderbouwing of toelichting")).to_be_visible()
    target = form.get_by_label("Naar fase (bij een vervolgoptie, overslaan of acute nood)")
    expect(target).to_be_hidden()
    form.get_by_label("Wat wil je doen?").select_option("advance")
    expect(form.get_by_label("Reden om te stoppen")).to_be_hidden()
    expect(form.get_by_label("Onderbouwing of toelichting")).to_be_hidden()
    expect(target).to_be_visible()  # "next" may choose one of the phase's alternatives
    form.get_by_label("Wat wil je doen?").select_option("skip")
    expect(target).to_be_visible()
    expect(form.get_by_label("Onderbouwing of toelichting")).to_be_visible()


def test_the_portal_has_a_favicon(page, live_server):
    """A favicon, linked from every page and at /favicon.ico."""
    page.goto("/login")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + href).status == 200
    response = page.request.get(live_server.url + "/favicon.ico")
    assert response.status == 200 and "svg" in response.headers["content-type"]
