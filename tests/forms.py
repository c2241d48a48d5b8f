"""The forms the portal renders, harvested from its pages: shared by the standing suites (fuzz, CSRF, payloads) that
post to every form (moved here from tests/test_fuzz.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlparse

from tests import walk

# Not walked: static files, and pages that end the session (the rest of the walk would be anonymous;
# tests/test_auth.py covers them).
NOT_WALKED = {"static", "auth.logout", "guest.leave"}


class FormParser(HTMLParser):
    """Every <form method=post> of a page: its action, its fields (name -> value) and its file fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict, set]] = []
        self.texts: dict[int, set] = {}  # id(form fields) -> names of its free-text inputs and textareas
        self._current = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = (a.get("action") or "", {}, set())
            self.forms.append(self._current)
        if self._current is None:
            return
        fields, name = self._current[1], a.get("name")
        if tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a or not fields.get(self._select):
                fields[self._select] = a.get("value", "")
        elif tag in ("input", "textarea") and name and name != "csrf_token":
            if a.get("type") == "file":
                self._current[2].add(name)
            elif a.get("type") in ("checkbox", "radio"):
                if "checked" in a or name not in fields:
                    fields[name] = a.get("value") or "y"
            else:
                fields.setdefault(name, a.get("value") or "Tekst")
                if tag == "textarea" or (a.get("type") or "text") in ("text", "search"):
                    self.texts.setdefault(id(fields), set()).add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def harvest(app, clients, texts: dict | None = None) -> dict[str, list[tuple[dict, set]]]:
    """action path -> the forms posting to it, as rendered on any GET page for any of the actors. With ``texts``
    also (action path -> names of the free-text fields of its forms)."""
    forms: dict[str, list[tuple[dict, set]]] = {}
    ctxs, base = walk.contexts(), walk.globals_()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_WALKED:
            continue
        for url in walk.urls(app, rule, ctxs, base, per_rule=1):
            for client in clients:
                response = client.get(url)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                parser = FormParser()
                parser.feed(response.get_data(as_text=True))
                for action, fields, files in parser.forms:
                    path = urlparse(action).path or urlparse(url).path
                    forms.setdefault(path, []).append((fields, files))
                    if texts is not None:
                        texts.setdefault(path, set()).update(parser.texts.get(id(fields), ()))
    return forms
