"""Share links: one outside participant's access to one meeting, and the code that guards the first view.

Only the SHA-256 of a link's token is stored, and only an HMAC of a code. A link works while it is not revoked,
not expired, its meeting is not cancelled and the consent it relies on is still valid: withdrawing the consent
stops the link at once.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from flask_babel import gettext as _

from portal import clock, links, mail, policy, tokens
from portal.audit import services as audit
from portal.auth import services as auth_services
from portal.auth.models import User
from portal.consent import rules as consent
from portal.db import database, utcnow
from portal.language import portal_language
from portal.meetings import services as meetings
from portal.meetings.models import Meeting, Participant
from portal.schools.models import School
from portal.sharing.models import ShareCode, ShareLink
from portal.students import deciders
from portal.students.models import Guardian

CODE_MINUTES = 10
CODE_ATTEMPTS = 5  # per code
CODES_PER_HOUR = 5  # new codes per link


class ShareRefused(Exception):
    """The link cannot be made; the message (Dutch) tells the chair why."""


class CodeRefused(Exception):
    """No code now (too many requests or attempts); the message tells the guest when to try again."""


# --- the link's lifetime ---------------------------------------------------------------------------------

def expiry(link: ShareLink, meeting: Meeting) -> dt.datetime:
    """Stored expiry, or SHARE_LINK_DAYS after the meeting or the shared report, whichever is later."""
    if link.expires_at:
        return link.expires_at
    base = max(clock.to_utc(meeting.starts_at), meeting.report_shared_at or dt.datetime.min)
    try:
        return base + dt.timedelta(days=int(current_app.config["SHARE_LINK_DAYS"]))
    except OverflowError:
        return dt.datetime.max


def recipient_of(participant: Participant) -> str:
    """The recipient a consent must name: the participant's organisation (their name when they have none)."""
    return participant.organisation.strip() or participant.name.strip()


def purposes_of(meeting: Meeting) -> tuple[str, str]:
    """The purposes a consent for this meeting can name (a general SHARE consent with the recipient also covers
    it: consent.valid_consent adds it)."""
    return meeting.type_key, consent.ANY_MEETING


def consent_for(meeting: Meeting, participant: Participant, consents: list | None = None):
    """The valid consent this participant's link relies on; ``consents`` (the student's) saves a query per row."""
    if consents is None:
        return consent.valid_consent(meeting.student, purposes_of(meeting), recipient_of(participant))
    today = clock.today()
    wanted = (*purposes_of(meeting), consent.SHARE)
    return next((c for c in consents
                 if consent.is_valid(c, wanted, recipient_of(participant), today, meeting.student)), None)


def without_gezag(participant: Participant) -> bool:
    """A parent or carer without gezag: the school may inform them in general, nothing more without consent."""
    if participant.kind != "guardian" or not participant.guardian_id:
        return False
    try:
        guardian = participant.guardian  # loaded once per participant object, however often a page asks
    except Guardian.DoesNotExist:
        return True
    return not guardian.has_authority


def needs_consent(participant: Participant) -> bool:
    """Sharing with an outside party needs consent; so does a link for a parent without gezag (the consent of one
    with gezag, naming them). Parents with gezag and the student are the family's own side."""
    return participant.kind == "external" or without_gezag(participant)


def is_usable(link: ShareLink, meeting: Meeting, participant: Participant) -> bool:
    """Every use re-checks the consent: a withdrawn (or no longer counting) consent stops the link at once."""
    return (link.revoked_at is None and meeting.status != "cancelled" and utcnow() < expiry(link, meeting)
            and (not needs_consent(participant) or consent_for(meeting, participant) is not None))


def status(link: ShareLink | None, meeting: Meeting) -> str:
    """For the chair's overview: none, active, revoked, expired or cancelled."""
    if link is None:
        return "none"
    if link.revoked_at:
        return "revoked"
    if meeting.status == "cancelled":
        return "cancelled"
    return "active" if utcnow() < expiry(link, meeting) else "expired"


# --- the chair's side ------------------------------------------------------------------------------------

# Participants without an account who can get a link: outside professionals, and parents and the student until
# they have accounts of their own. Sharing with an outside party needs consent; the family's own side does not.
GUEST_KINDS = ("external", "guardian", "student")


def guest_participants(meeting: Meeting) -> list[Participant]:
    return list(Participant.select().where((Participant.meeting == meeting.id)
                                           & Participant.kind.in_(GUEST_KINDS) & Participant.user.is_null())
                .order_by(Participant.kind, Participant.name))


def links_by_participant(meeting: Meeting) -> dict[int, ShareLink]:
    return {link.participant_id: link for link in ShareLink.select().where(ShareLink.meeting == meeting.id)}


def link_of(meeting: Meeting, link_id: int) -> ShareLink | None:
    return ShareLink.get_or_none((ShareLink.id == link_id) & (ShareLink.meeting == meeting.id))


def link_rows(meeting: Meeting) -> list[dict]:
    """The chair's overview: per guest participant its link, status, expiry and why no link can be made (three
    queries, whatever the number of participants)."""
    links_ = links_by_participant(meeting)
    consents = consent.of_student(meeting.student)
    rows = []
    for participant in guest_participants(meeting):
        link = links_.get(participant.id)
        rows.append({"participant": participant, "link": link, "status": status(link, meeting),
                     "expires": expiry(link, meeting) if link else None,
                     "refusal": refusal(meeting, participant, consents)})
    return rows


def refusal(meeting: Meeting, participant: Participant, consents: list | None = None) -> str | None:
    """Why no link can be made for this participant now (Dutch), or None."""
    if participant.meeting_id != meeting.id or participant.kind not in GUEST_KINDS or participant.user_id:
        return _("Alleen externe deelnemers, ouders en de leerling krijgen een link.")
    if meeting.status == "cancelled":
        return _("Het overleg is geannuleerd.")
    if not participant.email:
        return _("Van %(name)s is geen e-mailadres bekend.", name=participant.name)
    if without_gezag(participant) and consent_for(meeting, participant, consents) is None:
        return _("%(name)s heeft geen gezag: de school kan hem of haar algemeen informeren, maar een link naar het "
                 "dossier of het verslag kan alleen met toestemming van een ouder met gezag (of van de leerling "
                 "vanaf 16 jaar) die %(name)s noemt, onder Toestemmingen.", name=participant.name)
    if needs_consent(participant) and consent_for(meeting, participant, consents) is None \
            and deciders.decides_own_data(meeting.student, clock.today()):
        return _("Er is geen geldige toestemming van de leerling om gegevens te delen met %(recipient)s voor dit "
                 "overleg. De leerling is 16 jaar of ouder en beslist zelf: de toestemming van een ouder telt niet "
                 "meer. Leg de toestemming van de leerling vast, onder Toestemmingen.",
                 recipient=recipient_of(participant))
    if needs_consent(participant) and consent_for(meeting, participant, consents) is None:
        return _("Er is geen geldige toestemming om gegevens van deze leerling te delen met %(recipient)s voor "
                 "dit overleg. Leg eerst de toestemming van een ouder met gezag (of van de leerling vanaf 16 "
                 "jaar) vast bij de leerling, onder Toestemmingen.", recipient=recipient_of(participant))
    return None


def create(meeting: Meeting, participant: Participant, code_required: bool, actor: policy.Actor) -> ShareLink:
    """Make (or re-issue) the participant's link and mail it; the previous link stops working."""
    reason = refusal(meeting, participant)
    if reason:
        raise ShareRefused(reason)
    token = tokens.new_token()
    with database.atomic():
        ShareLink.delete().where((ShareLink.meeting == meeting.id)
                                 & (ShareLink.participant == participant.id)).execute()
        link = ShareLink.create(meeting=meeting.id, participant=participant.id, token_hash=tokens.digest(token),
                                code_required=code_required, created_by=actor.id)
        audit.record("share_link.create", "share_link", link.id, kind="write", student_id=meeting.student_id,
                     actor=actor)
    _mail_link(meeting, participant, link, token, actor)
    return link


def revoke(link: ShareLink, actor: policy.Actor) -> None:
    ShareLink.update(revoked_at=utcnow()).where((ShareLink.id == link.id) & ShareLink.revoked_at.is_null()).execute()
    audit.record("share_link.revoke", "share_link", link.id, kind="write", student_id=link.meeting.student_id,
                 actor=actor)


def _mail_link(meeting: Meeting, participant: Participant, link: ShareLink, token: str,
               actor: policy.Actor) -> None:
    """The mail names the meeting type, time and link: never the student (data minimisation). It is written in
    the portal's language, never in that of whoever clicked."""
    url = links.absolute("guest.open", token=token)
    chair = User.get_by_id(meeting.chair_id)
    with portal_language():
        body = _("Beste %(name)s,\n\n%(chair)s van %(school)s nodigt u uit voor een overleg (%(kind)s) op "
                 "%(day)s om %(time)s.\n"
                 "Via deze persoonlijke link ziet u de agenda en de gedeelde stukken, en kunt u uw inbreng geven:\n"
                 "%(url)s\n\nDe link werkt tot en met %(until)s. Stuur deze link niet door.\n",
                 name=participant.name, chair=chair.name, school=School.get_by_id(meeting.school_id).name,
                 kind=str(meetings.type_label(meeting.type_key)),
                 day=meeting.starts_at.strftime("%d-%m-%Y"), time=meeting.starts_at.strftime("%H:%M"), url=url,
                 until=clock.show(expiry(link, meeting), "date"))
        if link.code_required:
            body += _("\nBij het openen vragen wij een code; die sturen wij dan naar dit e-mailadres.\n")
        mail.send(participant.email, _("Uitnodiging voor een overleg"), body, secrets=[url, token],
                  caused_by=actor.id)


# --- the guest's side ------------------------------------------------------------------------------------

def resolve(token: str) -> ShareLink | None:
    """The usable link for this token, with its meeting and participant, or None (for every failure alike)."""
    if not token or len(token) > 100:
        return None
    link = (ShareLink.select(ShareLink, Meeting, Participant)
            .join(Meeting, on=(ShareLink.meeting == Meeting.id), attr="meeting")
            .switch(ShareLink)
            .join(Participant, on=(ShareLink.participant == Participant.id), attr="participant")
            .where(ShareLink.token_hash == tokens.digest(token)).first())
    if link is None or not is_usable(link, link.meeting, link.participant):
        return None
    return link


def touch(link: ShareLink) -> None:
    ShareLink.update(last_used_at=utcnow()).where(ShareLink.id == link.id).execute()


def _throttle_key(link: ShareLink) -> str:
    return f"share-link:{link.id}"


def _code_digest(link: ShareLink, code: str) -> str:
    return tokens.keyed_digest(current_app.secret_key, f"{link.id}:{code}")


def _check_lock(link: ShareLink) -> None:
    until = auth_services.locked_until(_throttle_key(link))
    if until:
        raise CodeRefused(_("Te veel onjuiste codes. Probeer het na %(time)s opnieuw.",
                            time=clock.show(until, "time")))


def send_code(link: ShareLink, actor: policy.Actor) -> None:
    """Mail a fresh six-digit code; earlier codes stop working. Throttled per link; audited as ``actor`` (the
    link's guest)."""
    _check_lock(link)
    now = utcnow()
    recent = ShareCode.select().where((ShareCode.link == link.id)
                                      & (ShareCode.created_at > now - dt.timedelta(hours=1))).count()
    if recent >= CODES_PER_HOUR:
        raise CodeRefused(_("Er zijn het afgelopen uur te veel codes aangevraagd. Probeer het later opnieuw."))
    code = f"{secrets.randbelow(10 ** 6):06d}"
    with database.atomic():
        ShareCode.update(expires_at=now).where((ShareCode.link == link.id) & (ShareCode.expires_at > now)).execute()
        ShareCode.create(link=link.id, code_hash=_code_digest(link, code),
                         expires_at=now + dt.timedelta(minutes=CODE_MINUTES))
    audit.record("share_code.send", "share_link", link.id, kind="write", student_id=link.meeting.student_id,
                 actor=actor)
    with portal_language():
        mail.send(link.participant.email, _("Uw code voor het overleg"),
                  _("Uw code is: %(code)s\n\nDe code is %(minutes)s minuten geldig. Heeft u geen code aangevraagd? "
                    "Dan kunt u dit bericht negeren.\n", code=code, minutes=CODE_MINUTES),
                  secrets=[code], caused_by=None)


def verify_code(link: ShareLink, code: str, actor: policy.Actor) -> bool:
    """True when the code is right. Each code allows CODE_ATTEMPTS tries; failures also lock the link a while."""
    _check_lock(link)
    now = utcnow()
    row = (ShareCode.select().where((ShareCode.link == link.id) & (ShareCode.expires_at > now)
                                    & ShareCode.verified_at.is_null())
           .order_by(ShareCode.id.desc()).first())
    if row is None:
        raise CodeRefused(_("Deze code is verlopen of al gebruikt. Vraag een nieuwe code aan."))
    claimed = (ShareCode.update(attempts=ShareCode.attempts + 1)
               .where((ShareCode.id == row.id) & (ShareCode.attempts < CODE_ATTEMPTS)).execute())
    if claimed != 1:
        raise CodeRefused(_("Te veel onjuiste codes. Vraag later een nieuwe code aan."))
    if tokens.same(row.code_hash, _code_digest(link, "".join(code.split()))):
        ShareCode.update(verified_at=now).where(ShareCode.id == row.id).execute()
        auth_services.clear_failures(_throttle_key(link))
        audit.record("share_code.verify", "share_link", link.id, kind="write", student_id=link.meeting.student_id,
                     actor=actor)
        return True
    auth_services.register_failure(_throttle_key(link))
    audit.record("share_code.fail", "share_link", link.id, kind="write", student_id=link.meeting.student_id,
                 actor=actor)
    return False


def outside_recipients(student) -> list[tuple[str, str]]:
    """The recipients a consent for this student can name, as the student's meetings name them: per outside
    participant ``(recipient, label)``, newest meeting first, each recipient once."""
    rows = (Participant.select(Participant, Meeting).join(Meeting)
            .where((Meeting.student == getattr(student, "id", student)) & (Participant.kind == "external"))
            .order_by(Meeting.starts_at.desc(), Participant.id))
    found: dict[str, str] = {}
    for participant in rows:
        recipient = recipient_of(participant)
        if recipient and recipient.casefold() not in {r.casefold() for r in found}:
            found[recipient] = _("%(recipient)s (%(name)s, overleg van %(day)s)", recipient=recipient,
                                 name=participant.name,
                                 day=clock.show(participant.meeting.starts_at, "date", stored=clock.LOCAL_STORED))
    return list(found.items())
