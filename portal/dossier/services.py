"""The student dossier: sections, the visible timeline, versioned edits, withdrawal and attachments.

Every write here is audited with IDs only; views audit the reads. Every function that depends on who asks takes
the acting ``policy.Actor`` (a view passes ``policy.current()``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import peewee as pw
from flask import abort, current_app
from flask_babel import lazy_gettext as _l

from portal import inputs, labels, policy, versioning
from portal.audit import services as audit
from portal.auth.models import User
from portal.db import database, utcnow
from portal.dossier import storage
from portal.dossier.models import Attachment, Entry
from portal.dossier.sections import CORE_SECTIONS

KINDS = (
    ("note", _l("Aantekening")),
    ("conversation", _l("Gesprek")),
    ("report", _l("Verslag")),
    ("observation", _l("Observatie")),
    ("plan", _l("Plan")),
    ("evaluation", _l("Evaluatie")),
    ("document", _l("Document")),
)


def sections() -> list:
    """The core sections plus those plugins register (the registry holds both, core first)."""
    registry = current_app.extensions.get("registry")
    registered = list(registry.dossier_sections.values()) if registry else []
    return registered or list(CORE_SECTIONS)


def section_labels() -> dict[str, str]:
    return {section.key: section.label for section in sections()}


def kind_labels() -> dict[str, str]:
    """Labels of every entry kind, including those filed by routes and meetings (portal.labels.SOURCE_TYPES)."""
    return {key: str(label) for key, label in labels.SOURCE_TYPES.items()}


def can_see_confidential(actor: policy.Actor) -> bool:
    return actor.can("dossier", "confidential")


def visible_attachments(student, actor: policy.Actor) -> list[Attachment]:
    """The student's attachments the actor may see in the dossier, newest first: not of a withdrawn entry, and of a
    confidential entry only for the care roles (the same rule as for entries)."""
    query = (Attachment.select(Attachment).join(Entry, pw.JOIN.LEFT_OUTER, on=(Attachment.entry == Entry.id))
             .where((Attachment.student == student.id)
                    & (Attachment.entry.is_null() | Entry.withdrawn_at.is_null())))
    if not can_see_confidential(actor):
        query = query.where(Attachment.entry.is_null() | (Entry.confidential == False))  # noqa: E712
    return list(query.order_by(Attachment.created_at.desc(), Attachment.id.desc()))


def has_written_in(user_id: int, student_id: int) -> bool:
    """Whether this user wrote an entry in the student's dossier (a deskundige was then involved before)."""
    return Entry.select().where((Entry.student == student_id) & (Entry.author == user_id)).exists()


def _visible(query, actor: policy.Actor):
    """Limit an entry query to what the actor may see, in SQL (confidential only for care roles)."""
    if not can_see_confidential(actor):
        query = query.where(Entry.confidential == False)  # noqa: E712  (peewee expression)
    return query


def timeline(student, section: str | None = None, withdrawn: bool = False, *, actor: policy.Actor) -> list[Entry]:
    """Entries of a student, newest first, with their authors joined."""
    query = (Entry.select(Entry, User)
             .join(User, on=(Entry.author == User.id), attr="author")
             .where(Entry.student == student.id))
    query = query.where(Entry.withdrawn_at.is_null(False) if withdrawn else Entry.withdrawn_at.is_null())
    if section:
        query = query.where(Entry.section == section)
    return list(_visible(query, actor).order_by(Entry.created_at.desc(), Entry.id.desc()))


TIMELINE_PAGE = 25  # entries on the dossier's first screen, and per "oudere aantekeningen"


@dataclass
class TimelinePage:
    entries: list
    next_cursor: int | None  # the id of the last entry shown, when older ones follow


def timeline_page(student, section: str | None, before: int | None, *, actor: policy.Actor,
                  size: int = TIMELINE_PAGE) -> TimelinePage:
    """One page of the timeline, newest first, older than the entry ``before`` (keyset: the cost of a page never
    depends on how long the dossier is; the index on (student, created_at) serves it)."""
    query = (Entry.select(Entry, User).join(User, on=(Entry.author == User.id), attr="author")
             .where((Entry.student == student.id) & Entry.withdrawn_at.is_null()))
    if section:
        query = query.where(Entry.section == section)
    cursor = Entry.get_or_none((Entry.id == before) & (Entry.student == student.id)) if before else None
    if cursor is not None:
        query = query.where((Entry.created_at < cursor.created_at)
                            | ((Entry.created_at == cursor.created_at) & (Entry.id < cursor.id)))
    rows = list(_visible(query, actor).order_by(Entry.created_at.desc(), Entry.id.desc()).limit(size + 1))
    return TimelinePage(rows[:size], rows[size - 1].id if len(rows) > size else None)


def attachments_by_entry(student, entry_ids=None) -> dict:
    """A student's attachments in one query, keyed by entry id (None: on the student itself); with ``entry_ids``
    only those entries' and the student's own."""
    grouped = defaultdict(list)
    query = Attachment.select().where(Attachment.student == student.id)
    if entry_ids is not None:
        query = query.where(Attachment.entry.in_(list(entry_ids)) | Attachment.entry.is_null())
    for attachment in query.order_by(Attachment.created_at, Attachment.id):
        grouped[attachment.entry_id].append(attachment)
    return grouped


def entry_or_404(student, entry_id: int, allow_withdrawn: bool = False, *, actor: policy.Actor) -> Entry:
    """An entry of this student the actor may see; withdrawn entries only for care roles."""
    entry = (_visible(Entry.select(Entry, User).join(User, on=(Entry.author == User.id), attr="author"), actor)
             .where((Entry.id == entry_id) & (Entry.student == student.id)).first())
    if entry is None or not policy.entry_visible(entry, actor):
        abort(404)
    if entry.withdrawn_at is not None and not (allow_withdrawn and can_see_confidential(actor)):
        abort(404)
    return entry


def add_entry(student, values: dict, *, actor: policy.Actor) -> Entry:
    with database.atomic():
        entry = Entry.create(student=student.id, author=actor.id, **values)
        audit.write("entry.create", "entry", entry.id, student_id=student.id, actor=actor)
    return entry


def edit_entry(entry: Entry, expected_version: int, values: dict, *, actor: policy.Actor) -> Entry:
    """Save a new version; raises versioning.EditConflict when someone saved in between."""
    updated = versioning.save_version(entry, expected_version, values, actor.id,
                                      extra={"updated_at": utcnow(), "updated_by": actor.id})
    audit.write("entry.update", "entry", entry.id, student_id=entry.student_id, actor=actor)
    return updated


def withdraw_entry(entry: Entry, reason: str, *, actor: policy.Actor) -> None:
    """Hide a misfiled entry from the timeline; the previous version and the reason stay on record."""
    versioning.save_version(entry, entry.version, {}, actor.id,
                            extra={"withdrawn_at": utcnow(), "withdrawn_by": actor.id, "withdrawn_reason": reason})
    audit.write("entry.withdraw", "entry", entry.id, student_id=entry.student_id, actor=actor)


def file_source(student_id: int, *, source_type: str, source_id: int, section: str, kind: str, title: str,
                body: str, actor: policy.Actor) -> Entry:
    """The one way other packages file a document in the dossier (a route plan, a meeting report, later an
    application or an OPP): the entry of ``(source_type, source_id)`` is created once and versioned after.

    ``section`` must be a registered section (``sections()``); ``title`` and ``body`` are stored as given, so the
    caller writes them in the portal's language. Unchanged text stores no new version. Audited with ``actor``.
    """
    if section not in section_labels():
        raise ValueError(f"unknown dossier section {section!r}")
    title = title[:200]
    with database.atomic():
        entry = Entry.get_or_none((Entry.source_type == source_type) & (Entry.source_id == source_id))
        if entry is None:
            entry = Entry.create(student=student_id, section=section, kind=kind, title=title, body=body,
                                 author=actor.id, source_type=source_type, source_id=source_id)
            audit.record("dossier.entry.create", "entry", entry.id, kind="write", student_id=student_id,
                         actor=actor)
        elif (entry.title, entry.body) != (title, body):
            entry = versioning.save_version(entry, entry.version, {"title": title, "body": body}, actor.id,
                                            extra={"updated_at": utcnow(), "updated_by": actor.id})
            audit.record("dossier.entry.update", "entry", entry.id, kind="write", student_id=student_id,
                         actor=actor)
    return entry


def revisions(entry: Entry) -> list:
    """Earlier versions, newest first, with their authors' names (one query for the names)."""
    rows = versioning.history(entry)
    author_ids = {row.author_id for row in rows if row.author_id}
    names = {u.id: u.name for u in User.select(User.id, User.name).where(User.id.in_(author_ids))} \
        if author_ids else {}
    for row in rows:
        row.author_name = names.get(row.author_id, "")
    return rows


def add_attachment(student, upload, entry: Entry | None = None, uploaded_by: int | None = None, *,
                   actor: policy.Actor) -> Attachment:
    """Store an uploaded file (raises storage.StorageError with a Dutch message when refused).

    ``uploaded_by`` names the responsible account when the uploader has none (a guest of a share link).
    """
    # Cleaned like every other text: no NUL (an error in PostgreSQL), no control characters, no bidi override
    # that would make "B1\u202egpj.pdf" read as "B1fdp.jpg" to the next person.
    filename = inputs.one_line(upload.filename).replace("/", "_").replace("\\", "_")[-255:] or "bijlage"
    stored = storage.save(upload.stream, filename)
    try:
        with database.atomic():
            attachment = Attachment.create(
                student=student.id, entry=entry.id if entry else None, filename=filename,
                content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
                storage_name=stored.storage_name, uploaded_by=uploaded_by or actor.id)
            audit.write("attachment.upload", "attachment", attachment.id, student_id=student.id, actor=actor)
    except Exception:
        storage.remove(stored.storage_name)
        raise
    return attachment


def attachment_or_404(student, attachment_id: int, *, actor: policy.Actor) -> Attachment:
    """An attachment of this student whose entry (if any) the actor may see."""
    attachment = Attachment.get_or_none((Attachment.id == attachment_id) & (Attachment.student == student.id))
    if attachment is None:
        abort(404)
    if attachment.entry_id:
        entry_or_404(student, attachment.entry_id, allow_withdrawn=True, actor=actor)
    return attachment
