"""The portal's language for text that is stored or sent (dossier entries, mails, invitations, letters).

What a user sees on screen follows their own choice; what the portal writes down follows ``DEFAULT_LOCALE``, so a
dossier entry or a mail never depends on who happened to click.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale


def portal_language():
    """Context manager: ``with portal_language(): title = _("...")``."""
    return force_locale(current_app.config.get("DEFAULT_LOCALE") or "nl")
