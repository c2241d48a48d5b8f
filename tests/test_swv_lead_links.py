"""SWV staff who lead a DOA VO phase for a request they handle: from the request to the traject and back, every
link on either page opens (nothing answers 403 or 404)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from portal.route.models import Traject
from tests.factories import (BOARD, DOA_FORM, drenthe_request_world, request_consent as _consent,
                             request_desk_step as _desk, request_fill as _fill, request_new as _new,
                             request_sign as _sign, request_submit as _submit,
                             through_the_school_phases as _through_the_school_phases)


@pytest.fixture
def world(app):
    return drenthe_request_world()


def _links(html: str) -> list[str]:
    """The portal's own links on a page (not anchors, static files or downloads of other kinds)."""
    found = []
    for href in re.findall(r'<a [^>]*href="([^"]+)"', html):
        href = unescape(href)
        if href.startswith("/") and not href.startswith(("/static/", "//")):
            found.append(href.split("#", 1)[0])
    return list(dict.fromkeys(found))


def _walk(client, url: str) -> dict[str, int]:
    page = client.get(url)
    assert page.status_code == 200, url
    return {link: client.get(link, follow_redirects=True).status_code for link in _links(page.get_data(as_text=True)) if link != "/logout"}


def test_swv_staff_reach_the_traject_from_the_request_and_every_link_opens(client, auth, world):
    """R-DRE-2.4-c, R-DRE-AVG: the SWV staff member handling a DOA VO request finds the traject linked on the
    request's page; on the request and on the traject page every link answers 200, none leads to a student's file
    the SWV may not open."""
    student = world["student"]
    auth.login(world["zorg"].email)
    _through_the_school_phases(client, student)
    application = _new(client, student)
    _fill(client, application, **DOA_FORM, **BOARD)
    _sign(client, application, student)
    _consent(world)
    assert _submit(client, application).status_code == 303
    auth.login(world["swv"].email)
    assert _desk(client, application, "take_up").status_code == 303

    request_page = client.get(f"/swv/aanvragen/{application.id}").get_data(as_text=True)
    traject_url = f"/leerlingen/{student.id}/traject"
    assert traject_url in _links(request_page)
    walked = {**_walk(client, f"/swv/aanvragen/{application.id}"), **_walk(client, traject_url)}
    assert {link: status for link, status in walked.items() if status != 200} == {}
    assert f"/leerlingen/{student.id}" not in walked  # the student's file is not the SWV's
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.extern_extra"
