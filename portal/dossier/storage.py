"""Attachment files: checked by content, stored outside static/ under a random name with a SHA-256."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import abort, current_app, send_file
from flask_babel import gettext as _

from portal import downloads

# Content types we accept, detected from the bytes (never from the name or the browser's claim).
# The file name's extension must agree with the detected content (a PNG called .pdf is refused).
ALLOWED_TYPES = {
    "application/pdf": {"pdf"},
    "image/png": {"png"},
    "image/jpeg": {"jpg", "jpeg"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
}
CHUNK = 64 * 1024


class StorageError(ValueError):
    """The upload is refused; the message is shown to the user."""


@dataclass
class StoredFile:
    storage_name: str
    content_type: str
    size: int
    sha256: str


def folder() -> Path:
    path = Path(current_app.instance_path) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def download(attachment):
    """The stored file as a download (never rendered inline); 404 when the file is gone."""
    path = path_of(attachment.storage_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=attachment.content_type, conditional=False, etag=False)
    downloads.attach(response, attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def max_bytes() -> int:
    return int(current_app.config["MAX_ATTACHMENT_MB"]) * 1024 * 1024


def path_of(storage_name: str) -> Path:
    return folder() / storage_name


def _detect(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in ALLOWED_TYPES else None


def save(stream, filename: str) -> StoredFile:
    """Copy an uploaded stream to the attachment folder; refuse wrong types and oversize files."""
    limit = max_bytes()
    storage_name = secrets.token_hex(24)
    target = path_of(storage_name)
    partial = target.with_suffix(".part")
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise StorageError(_("Het bestand is groter dan %(mb)s MB.",
                                         mb=current_app.config["MAX_ATTACHMENT_MB"]))
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise StorageError(_("Het bestand is leeg."))
        content_type = _detect(head)
        if content_type is None:
            raise StorageError(_("Dit bestandstype is niet toegestaan. Kies een PDF, PNG, JPEG of "
                                 "Word-bestand (DOCX)."))
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension not in ALLOWED_TYPES[content_type]:
            raise StorageError(_("De inhoud van het bestand past niet bij de naam: dit is geen .%(ext)s-bestand.",
                                 ext=extension or "?"))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return StoredFile(storage_name=storage_name, content_type=content_type, size=size, sha256=digest.hexdigest())


def remove(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)
