"""`portal backup` / `restore`: database and attachments round-trip on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from portal import backup
from portal.dossier.models import Attachment, Entry
from portal.schools.models import School
from portal.students import search
from portal.students.models import Student
from tests import factories


def _fixture_data(app):
    school = factories.school()
    author = factories.user("zorg", school)
    student = factories.student(school, first="Lotte", last="van der Meer")
    entry = Entry.create(student=student, section="support", title="Handelingsplan", body="Doel: lezen",
                         author=author)
    folder = backup.attachments_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a1.bin").write_bytes(b"%PDF-1.4 verslag")
    Attachment.create(student=student, entry=entry, filename="verslag.pdf", content_type="application/pdf",
                      size=16, sha256="0" * 64, storage_name="a1.bin", uploaded_by=author)
    return school, student, entry


def test_round_trip(app, tmp_path, backend):
    """Changes and deletions after a backup are undone by restoring it, files included."""
    school, student, entry = _fixture_data(app)
    archive = backup.create(app, tmp_path / "backups" / "portal.tar.gz")

    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {"manifest.json", "attachments/a1.bin"} <= names
    assert manifest["backend"] == ("sqlite" if backend == "sqlite" else "postgresql")
    assert "core.m0001_initial" in manifest["migrations"]
    assert archive.stat().st_mode & 0o077 == 0

    folder = backup.attachments_dir(app)
    School.update(name="Hernoemd").where(School.id == school.id).execute()
    Student.update(last_name="Anders").where(Student.id == student.id).execute()
    Attachment.delete().execute()
    Entry.delete().execute()
    (folder / "a1.bin").unlink()
    (folder / "later.bin").write_bytes(b"na de back-up")

    backup.restore(app, archive)

    assert School.get_by_id(school.id).name == school.name
    assert Entry.get_by_id(entry.id).title == "Handelingsplan"
    assert Student.get_by_id(student.id).last_name == "van der Meer"
    # the search index (FTS5 table / trigram index with its function) comes back with the data.
    assert [s.id for s in Student.select().where(search.matches("der mee", school.id))] == [student.id]
    assert not Student.select().where(search.matches("anders", school.id)).exists()
    assert Attachment.get(Attachment.storage_name == "a1.bin").filename == "verslag.pdf"
    assert (folder / "a1.bin").read_bytes() == b"%PDF-1.4 verslag"
    assert not (folder / "later.bin").exists()


def _archive(tmp_path: Path, manifest: dict) -> Path:
    path = tmp_path / "other.tar.gz"
    data = json.dumps(manifest).encode()
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_refuses_other_backend(app, tmp_path, backend):
    """An archive of the other backend is refused with a clear message, and nothing changes."""
    factories.school(name="Blijft")
    other = "postgresql" if backend == "sqlite" else "sqlite"
    path = _archive(tmp_path, {"format": backup.FORMAT_VERSION, "backend": other, "migrations": []})
    with pytest.raises(backup.BackupError, match="gemaakt van een .*-database, maar dit portaal gebruikt"):
        backup.restore(app, path)
    assert School.select().where(School.name.startswith("Blijft")).count() == 1


def test_refuses_non_backup(app, tmp_path):
    (tmp_path / "rommel.tar.gz").write_bytes(b"geen archief")
    with pytest.raises(backup.BackupError, match="geen leesbare back-up"):
        backup.restore(app, tmp_path / "rommel.tar.gz")
    path = _archive(tmp_path, {"format": 99, "backend": "sqlite"})
    with pytest.raises(backup.BackupError, match="Onbekende versie"):
        backup.restore(app, path)
