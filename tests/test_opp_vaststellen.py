"""When an OPP counts as vastgesteld: its uitstroomperspectief complete (expected level, onderbouwing, bevorderende
and belemmerende factoren), the overleg recorded, and the instemming with a handelingsdeel that sets individual
support; one that sets none needs no instemming. Through HTTP as the care coordinator."""

from __future__ import annotations

from portal.consent.models import Consent
from portal.opp.models import Opp, OppResponse
from tests.conftest import form_errors
from tests.factories import OPP_PERSPECTIVE as PERSPECTIVE, OPP_SUPPORT as SUPPORT
from tests.factories import opp_of as _opp, opp_page as _page
from tests.factories import opp_respond as _respond, opp_save as _save, opp_url as _url
from tests.factories import parent_with_gezag as _parent

INCOMPLETE = {**PERSPECTIVE, "rationale": "", "hindering_factors": "  "}


def test_an_opp_without_its_uitstroomperspectief_is_not_vastgesteld_nor_on_the_rod_list(client, auth, vo_world):
    """R-LAW-OPP-1: recording the overleg that finalises the OPP while the onderbouwing and the belemmerende
    factoren are empty is refused with a Dutch message next to each of those fields; what was typed stays in the
    form and nothing is stored. An OPP that lacks them anyway (emptied outside the form) stays a concept with the
    reasons and is not on the ROD list; completed, it is vastgesteld and listed."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    assert client.post(_url(student), data={"support_start": "2026-10-01"}).status_code == 303
    assert _save(client, student, "handelingsdeel", support=SUPPORT).status_code == 303
    assert _respond(client, student, _parent(student).id).status_code == 303
    version = _opp(student).version
    refused = _save(client, student, "perspectief", **INCOMPLETE)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    errors = form_errors(body)
    assert "Vul de onderbouwing van het uitstroomperspectief in: die is nodig voordat het OPP wordt vastgesteld." \
        in errors
    assert "Vul de belemmerende factoren in: die zijn nodig voordat het OPP wordt vastgesteld." in errors
    assert 'id="rationale-error"' in body and 'id="hindering_factors-error"' in body  # next to the fields
    assert "vmbo kader" in body and "Gemotiveerd." in body and "moeder en de leerling" in body  # input kept
    opp = _opp(student)
    assert opp.version == version and opp.consultation_on is None and opp.perspective_level == ""
    # Without the overleg the parts may be saved one at a time (a draft).
    assert _save(client, student, "perspectief", **{**INCOMPLETE, "consultation_on": "",
                                                    "consultation_with": ""}).status_code == 303
    Opp.update(consultation_on="2026-11-02", consultation_with="moeder").execute()  # an older OPP, say
    page = _page(client, student)
    assert "Status: concept" in page and "Vul de onderbouwing van het uitstroomperspectief in" in page
    assert student.last_name not in client.get("/opp/rod").get_data(as_text=True)
    assert _save(client, student, "perspectief", **PERSPECTIVE).status_code == 303
    assert "Status: vastgesteld" in _page(client, student)
    assert student.last_name in client.get("/opp/rod").get_data(as_text=True)


def test_a_handelingsdeel_without_individual_support_needs_no_instemming(client, auth, vo_world):
    """R-LAW-OPP-2: a handelingsdeel that sets no individual support needs no instemming: with the uitstroom-
    perspectief and the overleg the OPP is vastgesteld; recording an instemming with it is refused, and "no
    individual support" next to support that is described is refused with the message beside the checkbox."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    assert client.post(_url(student), data={"support_start": "2026-10-01"}).status_code == 303
    assert _save(client, student, "perspectief", **PERSPECTIVE).status_code == 303
    mixed = _save(client, student, "handelingsdeel", no_individual_support="y", support=SUPPORT)
    assert mixed.status_code == 422
    assert 'id="no_individual_support-error"' in mixed.get_data(as_text=True)
    assert not _opp(student).no_individual_support
    assert "Status: concept" in _page(client, student)
    assert _save(client, student, "handelingsdeel", no_individual_support="y").status_code == 303
    page = _page(client, student)
    assert "Status: vastgesteld" in page and "geen instemming nodig" in page
    refused = _respond(client, student, _parent(student).id)
    assert refused.status_code == 422 and "geen individuele ondersteuning" in refused.get_data(as_text=True)
    assert not Consent.select().exists() and not OppResponse.select().exists()
    assert student.last_name in client.get("/opp/rod").get_data(as_text=True)
