"""Attachments: type checked by content, size limit, SHA-256, stored outside static/, audited download."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from portal import paths
from portal.audit.models import AuditEvent
from portal.dossier.models import Attachment, Entry
from tests import factories

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def app_overrides():
    return {"MAX_ATTACHMENT_MB": 1}


@pytest.fixture
def setup(app, client, auth):
    school = factories.school()
    care = factories.user("zorg", school)
    mentor = factories.user("mentor", school)
    group = factories.group(school, teachers=[mentor])
    student = factories.student(school, group)
    auth.login(care.email)
    return {"school": school, "care": care, "mentor": mentor, "student": student, "app": app}


def _upload(client, student_id, content: bytes, name: str, entry_id=None):
    url = f"/leerlingen/{student_id}/dossier/{entry_id}/bijlagen" if entry_id \
        else f"/leerlingen/{student_id}/dossier/bijlagen"
    return client.post(url, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("content,name,mime", [
    (factories.PDF, "verslag.pdf", "application/pdf"),
    (PNG, "tekening.png", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "foto.jpg", "image/jpeg"),
    (_docx(), "brief.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_allowed_types_stored_with_sha256_outside_static(client, setup, content, name, mime):
    """Attachments are stored outside static/ with a random name and a SHA-256."""
    response = _upload(client, setup["student"].id, content, name)
    assert response.status_code == 303
    attachment = Attachment.get()
    assert (attachment.filename, attachment.content_type, attachment.size) == (name, mime, len(content))
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(setup["app"].instance_path) / "attachments" / attachment.storage_name
    assert stored.read_bytes() == content
    assert name not in attachment.storage_name and len(attachment.storage_name) >= 32
    assert paths.STATIC_DIR.resolve() not in stored.resolve().parents
    event = AuditEvent.get(AuditEvent.action == "attachment.upload")
    assert (event.kind, event.object_id) == ("write", attachment.id)


@pytest.mark.parametrize("content,name", [(PNG, "stiekem.pdf"), (EXE, "factuur.pdf"), (b"hallo", "brief.docx"),
                                          (b"<html><script>x</script></html>", "pagina.png")])
def test_type_is_checked_by_content_not_name(client, setup, content, name):
    response = _upload(client, setup["student"].id, content, name)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    if content == PNG:  # a real PNG, but named .pdf: the name would mislead whoever downloads it
        assert "De inhoud van het bestand past niet bij de naam: dit is geen .pdf-bestand." in html
    else:
        assert "Dit bestandstype is niet toegestaan." in html
    assert Attachment.select().count() == 0
    assert list((Path(setup["app"].instance_path) / "attachments").iterdir()) == []


def test_size_limit_field_error_and_413(client, setup):
    over_limit = factories.PDF + b"0" * (1024 * 1024)  # just over the 1 MB limit, under Flask's hard cap
    response = _upload(client, setup["student"].id, over_limit, "groot.pdf")
    assert "Het bestand is groter dan 1 MB." in response.get_data(as_text=True)
    far_over = factories.PDF + b"0" * (3 * 1024 * 1024)  # beyond MAX_CONTENT_LENGTH: Flask's 413
    refused = _upload(client, setup["student"].id, far_over, "enorm.pdf")
    assert refused.status_code == 413
    assert "groter dan 1 MB" in refused.get_data(as_text=True)
    assert Attachment.select().count() == 0


def test_download_is_authorised_and_audited(client, auth, setup):
    sid = setup["student"].id
    entry = Entry.create(student=sid, author=setup["care"], section="support", title="Met bijlage")
    assert _upload(client, sid, factories.PDF, "verslag.pdf", entry_id=entry.id).status_code == 303
    attachment = Attachment.get()
    assert attachment.entry_id == entry.id
    assert "verslag.pdf" in client.get(f"/leerlingen/{sid}/dossier/{entry.id}").get_data(as_text=True)
    response = client.get(f"/leerlingen/{sid}/bijlagen/{attachment.id}")
    assert response.status_code == 200 and response.data == factories.PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.get(AuditEvent.action == "attachment.download")
    assert (event.kind, event.object_id, event.actor_id, event.student_id) == (
        "read", attachment.id, setup["care"].id, sid)
    # a confidential entry hides its attachment from the mentor; another student's URL gives 404
    Entry.update(confidential=True).where(Entry.id == entry.id).execute()
    other = factories.student(setup["school"])
    assert client.get(f"/leerlingen/{other.id}/bijlagen/{attachment.id}").status_code == 404
    auth.logout()
    auth.login(setup["mentor"].email)
    assert client.get(f"/leerlingen/{sid}/bijlagen/{attachment.id}").status_code == 404
    auth.logout()
    auth.login(factories.user("beheerder", setup["school"]).email)
    assert client.get(f"/leerlingen/{sid}/bijlagen/{attachment.id}").status_code == 403
    assert client.get(f"/static/../instance/attachments/{attachment.storage_name}").status_code == 404


def test_upload_needs_write_permission_and_csrf(client, auth, setup):
    sid = setup["student"].id
    response = client.post(f"/leerlingen/{sid}/dossier/bijlagen", csrf=False,
                           data={"file": (io.BytesIO(factories.PDF), "x.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400
    auth.logout()
    auth.login(factories.user("beheerder", setup["school"]).email)
    assert _upload(client, sid, factories.PDF, "x.pdf").status_code == 403
    assert Attachment.select().count() == 0
