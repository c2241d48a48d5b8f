"""Share links for outside participants: consent first, only a hash stored, re-issue, expiry, revocation,
cancellation, the mailed code with its limits, and the audit trail. Mail goes over a real loopback SMTP server."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from portal.audit.models import AuditEvent
from portal.db import utcnow
from portal.dossier.models import Attachment
from portal.meetings.models import Meeting, Participant
from portal.sharing.models import ShareCode, ShareLink
from tests import factories
from tests.factories import build_meeting, code_from, create_link, give_consent, mailed_link, open_with_code, token_from


@pytest.fixture
def s(app):
    return build_meeting()


@pytest.fixture
def chair(client, auth, s):
    auth.login(s["chair"].email)
    return client


# --- creating links ----------------------------------------------------------------------------------------

def test_link_refused_without_consent(chair, s, smtp):
    """R-DRE-AVG, R-DRE-2.4-c: without a recorded consent for this recipient and purpose the link is not made and
    the chair is told why, in Dutch; a consent for another recipient or another meeting type does not count."""
    give_consent(s, recipient="Leerplicht Assen")
    give_consent(s, purpose="po.oudergesprek")
    response = create_link(chair, s)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "geen geldige toestemming" in html and "Wijkteam Assen" in html
    assert ShareLink.select().count() == 0 and smtp.messages == []


def test_link_mailed_hashed_and_used(chair, app, s, smtp):
    """R-ROUTE-8, R-DRE-2.3-c: the chair makes a link for the outside participant; the mail (real SMTP) has the
    link but not the student's name; only the SHA-256 of a 256-bit token is stored; the chair sees when it was
    last used."""
    give_consent(s, purpose="po.mdo")
    assert "geen link" in chair.get(f"/overleg/{s['meeting'].id}/links").get_data(as_text=True)
    response = create_link(chair, s)
    assert response.status_code == 303
    (message,) = smtp.wait_for(1)
    body = smtp.body(message)
    assert message["To"] == "petra@wijkteam.example"
    assert "Daan" not in body and "Jansen" not in body and "Daan" not in message["Subject"]
    token = token_from(smtp)
    assert len(token) >= 43  # secrets.token_urlsafe(32): 256 bits
    link = ShareLink.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not link.code_required
    panel = chair.get(f"/overleg/{s['meeting'].id}/links").get_data(as_text=True)
    assert "actief tot" in panel and "nog niet" in panel
    guest = app.test_client()
    page = guest.get(f"/gast/{token}")
    assert page.status_code == 200 and "Zorgen over de thuissituatie" in page.get_data(as_text=True)
    assert ShareLink.get_by_id(link.id).last_used_at is not None
    panel = chair.get(f"/overleg/{s['meeting'].id}/links").get_data(as_text=True)
    assert "nog niet" not in panel


def test_chair_or_care_only(client, auth, app, s, smtp):
    """Only the chair or a care coordinator of the school manages links: another mentor gets 403, staff of
    another school 404."""
    give_consent(s)
    other = factories.user("mentor", s["school"])
    auth.login(other.email)
    assert create_link(client, s).status_code in (403, 404)
    auth.logout()
    stranger = factories.user("zorg", factories.school())
    auth.login(stranger.email)
    assert create_link(client, s).status_code == 404
    auth.logout()
    auth.login(s["care"].email)
    assert create_link(client, s).status_code == 303
    staff = Participant.get((Participant.meeting == s["meeting"].id) & (Participant.kind == "staff"))
    refused = client.post(f"/overleg/{s['meeting'].id}/links/deelnemer/{staff.id}")
    assert refused.status_code == 409 and "Alleen externe deelnemers, ouders en de leerling" in refused.get_data(as_text=True)


def test_reissue_replaces_old_link(chair, app, s, smtp):
    """A lost link is re-issued: the new one works, the old one answers 404."""
    give_consent(s)
    create_link(chair, s)
    create_link(chair, s)
    smtp.wait_for(2)
    old, new = token_from(smtp, 0), token_from(smtp, 1)
    guest = app.test_client()
    assert guest.get(f"/gast/{old}").status_code == 404
    assert guest.get(f"/gast/{new}").status_code == 200
    assert ShareLink.select().count() == 1


def test_failures_are_identical(chair, app, s, smtp):
    """Expired, revoked, cancelled and wrong tokens fail the same way: status 404 and the same body."""
    give_consent(s)
    other = build_meeting()
    give_consent(other)
    token = mailed_link(chair, s, smtp)
    guest = app.test_client()
    assert guest.get(f"/gast/{token}").status_code == 200
    answers = {"wrong": guest.get("/gast/" + "x" * 43)}
    link = ShareLink.get()
    revoke = chair.post(f"/overleg/{s['meeting'].id}/links/{link.id}/intrekken")
    assert revoke.status_code == 303
    answers["revoked"] = guest.get(f"/gast/{token}")
    create_link(chair, s)
    smtp.wait_for(2)
    token = token_from(smtp)
    assert guest.get(f"/gast/{token}").status_code == 200
    Meeting.update(starts_at=dt.datetime.now() - dt.timedelta(days=8)).where(Meeting.id == s["meeting"].id).execute()
    answers["expired"] = guest.get(f"/gast/{token}")
    Meeting.update(starts_at=dt.datetime.now() + dt.timedelta(days=1), status="cancelled") \
        .where(Meeting.id == s["meeting"].id).execute()
    answers["cancelled"] = guest.get(f"/gast/{token}")
    answers["sub-url"] = guest.get(f"/gast/{token}/inbreng/bijlage")
    answers["fresh browser"] = app.test_client().get(f"/gast/{token}")
    bodies = {name: (r.status_code, r.get_data()) for name, r in answers.items()}
    assert {status for status, _ in bodies.values()} == {404}
    assert len({body for _, body in bodies.values()}) == 1, bodies.keys()
    assert b"Daan" not in bodies["wrong"][1]


def test_expiry_default_later_of_meeting_and_report(chair, app, s, smtp):
    """The link expires 7 days after the meeting or after the report was shared, whichever is later; the number
    of days is configurable (SHARE_LINK_DAYS)."""
    give_consent(s)
    token = mailed_link(chair, s, smtp)
    guest = app.test_client()
    Meeting.update(starts_at=dt.datetime.now() - dt.timedelta(days=6)).where(Meeting.id == s["meeting"].id).execute()
    assert guest.get(f"/gast/{token}").status_code == 200
    app.config["SHARE_LINK_DAYS"] = 5
    assert guest.get(f"/gast/{token}").status_code == 404
    Meeting.update(report_shared_at=utcnow() - dt.timedelta(days=1)).where(Meeting.id == s["meeting"].id).execute()
    assert guest.get(f"/gast/{token}").status_code == 200
    app.config["SHARE_LINK_DAYS"] = 7


def test_withdrawn_consent_stops_link_and_blocks_new_ones(chair, auth, client, app, s, smtp):
    """R-LAW-AVG-1, R-DRE-AVG: withdrawing the consent takes effect at once: the existing link answers 404 and a
    new link is refused with the reason."""
    consent = give_consent(s)
    token = mailed_link(chair, s, smtp)
    guest = app.test_client()
    assert guest.get(f"/gast/{token}").status_code == 200
    auth.logout()
    auth.login(s["care"].email)
    assert client.post(f"/leerlingen/{s['student'].id}/toestemmingen/{consent.id}/intrekken").status_code == 303
    assert guest.get(f"/gast/{token}").status_code == 404
    refused = create_link(client, s)
    assert refused.status_code == 409 and "geen geldige toestemming" in refused.get_data(as_text=True)


def test_htmx_panel(chair, s, smtp):
    """The panel the meeting page includes answers htmx posts with itself (refusal included, status 200), so the
    chair creates and revokes links without a reload."""
    response = chair.post(f"/overleg/{s['meeting'].id}/links/deelnemer/{s['external'].id}",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="share-links"' in html and "geen geldige toestemming" in html and "<html" not in html
    give_consent(s)
    made = chair.post(f"/overleg/{s['meeting'].id}/links/deelnemer/{s['external'].id}",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "De link is gemaakt" in made and "actief tot" in made
    link = ShareLink.get()
    revoked = chair.post(f"/overleg/{s['meeting'].id}/links/{link.id}/intrekken", headers={"HX-Request": "true"})
    assert "ingetrokken" in revoked.get_data(as_text=True) and ShareLink.get().revoked_at is not None


# --- the mailed code ---------------------------------------------------------------------------------------

@pytest.fixture
def coded(chair, app, s, smtp):
    give_consent(s)
    return mailed_link(chair, s, smtp, code=True)


def test_code_required_before_first_view(app, coded, smtp):
    """R-DRE-AVG: with a code, the meeting is hidden until the six-digit code from the mail is entered; a fresh
    browser must enter a code again."""
    guest = app.test_client()
    page = guest.get(f"/gast/{coded}").get_data(as_text=True)
    assert "Stuur mij een code" in page and "Zorgen over de thuissituatie" not in page
    assert guest.get(f"/gast/{coded}/inbreng/bijlage").status_code == 303
    assert guest.post(f"/gast/{coded}/code", csrf=False).status_code == 400
    open_with_code(guest, smtp, coded)
    assert ShareCode.get().code_hash != code_from(smtp) and len(ShareCode.get().code_hash) == 64
    assert "Zorgen over de thuissituatie" in guest.get(f"/gast/{coded}").get_data(as_text=True)
    fresh = app.test_client()
    assert "Stuur mij een code" in fresh.get(f"/gast/{coded}").get_data(as_text=True)


def test_wrong_code_five_times_blocks(app, coded, smtp):
    """Brute force is throttled: after five wrong codes even the right code is refused, and no new code is sent."""
    guest = app.test_client()
    guest.get(f"/gast/{coded}")
    guest.post(f"/gast/{coded}/code")
    smtp.wait_for(2)
    right = code_from(smtp)
    wrong = f"{(int(right) + 1) % 10 ** 6:06d}"
    for _ in range(5):
        response = guest.post(f"/gast/{coded}/code/controle", data={"code": wrong})
        assert response.status_code == 422 and "Deze code klopt niet." in response.get_data(as_text=True)
    blocked = guest.post(f"/gast/{coded}/code/controle", data={"code": right})
    assert blocked.status_code == 429 and "Te veel onjuiste codes" in blocked.get_data(as_text=True)
    assert guest.post(f"/gast/{coded}/code").status_code == 429
    assert len(smtp.messages) == 2
    assert "Stuur" in guest.get(f"/gast/{coded}").get_data(as_text=True)
    fails = AuditEvent.select().where(AuditEvent.action == "share_code.fail").count()
    assert fails == 5


def test_expired_code_refused_and_codes_throttled(app, coded, smtp):
    """A code expires after 10 minutes; new codes per link are limited per hour."""
    guest = app.test_client()
    guest.get(f"/gast/{coded}")
    guest.post(f"/gast/{coded}/code")
    smtp.wait_for(2)
    ShareCode.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    expired = guest.post(f"/gast/{coded}/code/controle", data={"code": code_from(smtp)})
    assert expired.status_code == 429 and "verlopen" in expired.get_data(as_text=True)
    for _ in range(4):
        assert guest.post(f"/gast/{coded}/code").status_code == 303
    throttled = guest.post(f"/gast/{coded}/code")
    assert throttled.status_code == 429 and "te veel codes" in throttled.get_data(as_text=True)
    bad = guest.post(f"/gast/{coded}/code/controle", data={"code": "12ab"})
    assert "zes cijfers" in bad.get_data(as_text=True)


def test_guest_use_is_audited(app, coded, smtp, s):
    """R-DRE-AVG: every use of a link is in the audit log: which link (actor), what was viewed, when, the IP."""
    guest = app.test_client()
    open_with_code(guest, smtp, coded)
    guest.get(f"/gast/{coded}")
    link = ShareLink.get()
    rows = list(AuditEvent.select().where(AuditEvent.actor_type == "guest").order_by(AuditEvent.id))
    assert {r.action for r in rows} >= {"guest.code_page", "share_code.send", "share_code.verify",
                                        "guest.meeting.view"}
    assert {r.actor_id for r in rows} == {link.id}
    assert all(r.ip == "127.0.0.1" and r.student_id == s["student"].id and r.at for r in rows)
    view = next(r for r in rows if r.action == "guest.meeting.view")
    assert (view.object_type, view.object_id) == ("meeting", s["meeting"].id)
    assert Attachment.select().count() == 0


def test_parent_gets_a_link_without_consent(chair, app, s, smtp):
    """A parent without an account is invited the same way until parents get accounts: no consent is needed for
    the family's own side, and the parent's link opens the meeting."""
    guardian = s["student"].guardians.first()
    parent = Participant.create(meeting=s["meeting"], kind="guardian", guardian=guardian, name=guardian.name,
                                email="moeder@example.nl")
    response = chair.post(f"/overleg/{s['meeting'].id}/links/deelnemer/{parent.id}")
    assert response.status_code == 303
    (message,) = smtp.wait_for(1)
    assert message["To"] == "moeder@example.nl"
    guest = app.test_client()
    page = guest.get(f"/gast/{token_from(smtp)}")
    assert page.status_code == 200 and "Zorgen over de thuissituatie" in page.get_data(as_text=True)
