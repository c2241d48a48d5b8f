"""Issue 8 item 13: malformed input never gives a 500. A hypothesis fuzz over every rule in app.url_map (so new
routes are covered by construction): path arguments (huge ids, control characters), query strings and, for
state-changing methods, every field of the forms the portal renders for that URL (harvested from its pages),
with a few fields replaced by malformed values. Runs on SQLite and PostgreSQL; derandomized, so reproducible.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlparse

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import NumberConverter

from portal import demo, inputs
from portal.auth import accounts
from portal.consent.models import Consent
from portal.meetings.models import Meeting, Participant
from tests import walk

PASSWORD = "demo-wachtwoord-123"
EXAMPLES = 4  # random examples per rule and method, after the fixed edge cases below
# Fixed edge cases, tried on every route: in each path id, in every query key, and in each form field in turn.
EDGE_IDS = (inputs.MAX_ID + 1,)
EDGE_TEXT = ("a\x00b", str(2**63 + 1))
ACTORS = ("zorg@esker.demo.nl", "beheerder@esker.demo.nl", "admin@swv.demo.nl", "mentor@esker.demo.nl")
# Ending the session would leave the rest of the walk anonymous; tests/test_auth.py covers these.
SKIP = {"static", "auth.logout", "guest.leave"}
QUERY_KEYS = ("pagina", "groep", "mentor", "q", "status", "sectie", "type_key", "type", "agenda", "route", "next")

NASTY = st.one_of(
    st.sampled_from(["", " ", "\x00", "a\x00b", "\x1b[31m", "line\r\nbreak", "9" * 30, str(inputs.MAX_ID),
                     str(inputs.MAX_ID + 1), str(2**64), "-1", "-9223372036854775809", "0", "1e309", "NaN",
                     "2026-2027\n", "20262027", "2026-2028", "31-02-2026", "2026-02-31", "0000-00-00", "9999-12-31",
                     "00:00", "25:99", "٣", "𝟘𝟙", "x" * 5000, '"><svg onload=alert(1)>', "{{7*7}}", "null"]),
    st.text(max_size=40),
    st.integers(-2**70, 2**70).map(str),
)
IDS = st.one_of(st.sampled_from([0, 1, inputs.MAX_ID, inputs.MAX_ID + 1, 2**64, 10**30]),
                st.integers(0, 2**70))


class _Forms(HTMLParser):
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


@pytest.fixture(autouse=True)
def _hash_once(monkeypatch):
    monkeypatch.setattr(accounts, "hash_password", functools.lru_cache(maxsize=4)(accounts.hash_password))


@pytest.fixture
def world(app, monkeypatch, smtp):
    monkeypatch.setenv(demo.PASSWORD_ENV, PASSWORD)
    demo.load(echo=lambda line: None)
    clients = {}
    for email in ACTORS:
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303
        clients[email] = client
    # A guest with a real share link for the coming meeting (consent first), so the guest pages are reached too.
    meeting = Meeting.select().where(Meeting.status == "planned").first()
    external = Participant.get((Participant.meeting == meeting.id) & (Participant.kind == "external"))
    Consent.create(student=meeting.student_id, given_by="guardian", guardian=meeting.student.guardians.first(),
                   purpose="overleg", recipient=external.organisation, given_on=dt.date.today(), recorded_by=meeting.chair)
    before = len(smtp.messages)
    clients[ACTORS[0]].post(f"/overleg/{meeting.id}/links/deelnemer/{external.id}", data={})
    smtp.wait_for(before + 1)
    token = re.search(r"/gast/([A-Za-z0-9_-]+)", smtp.body(smtp.messages[-1])).group(1)
    guest = app.test_client()
    assert guest.get(f"/gast/{token}").status_code == 200
    return {"clients": clients, "guest": guest, "token": token}


def _harvest(app, clients, texts: dict | None = None) -> dict[str, list[tuple[dict, set]]]:
    """action path -> the forms posting to it, as rendered on any GET page for any of the actors. With ``texts``
    also (action path -> names of the free-text fields of its forms)."""
    forms: dict[str, list[tuple[dict, set]]] = {}
    ctxs, base = walk.contexts(), walk.globals_()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP:
            continue
        for url in walk.urls(app, rule, ctxs, base, per_rule=1):
            for client in clients:
                response = client.get(url)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                parser = _Forms()
                parser.feed(response.get_data(as_text=True))
                for action, fields, files in parser.forms:
                    path = urlparse(action).path or urlparse(url).path
                    forms.setdefault(path, []).append((fields, files))
                    if texts is not None:
                        texts.setdefault(path, set()).update(parser.texts.get(id(fields), ()))
    return forms


def test_no_500_for_any_parameter(app, world, backend, record_property):
    """Issue 8 item 13: ids above 2**63-1, control characters, malformed numbers, dates and school years in any
    path argument, query string or form field answer a 404, a 400 or the form with a Dutch message; never a 500."""
    assert not walk.unknown_arguments(app), walk.unknown_arguments(app)
    clients = list(world["clients"].values())
    forms = _harvest(app, clients[:3] + [world["guest"]])  # the mentor sees a subset of the coordinator's forms
    ctxs, base = walk.contexts(), walk.globals_(world["token"])
    tried, failures = 0, []
    started = time.monotonic()

    def one(rule, method):
        real = walk.urls(app, rule, ctxs, base, per_rule=1)[0]
        guest_rule = rule.endpoint.startswith("guest.")

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def run(data):
            values = {}
            for name, converter in rule._converters.items():
                if isinstance(converter, NumberConverter):
                    values[name] = data.draw(IDS)
                elif name == "token":
                    values[name] = data.draw(st.one_of(st.just(world["token"]), st.text(min_size=1, max_size=60)))
                else:
                    values[name] = data.draw(st.text(min_size=1, max_size=30))
            keep_real = data.draw(st.booleans())
            url = real if keep_real or not values else _build(rule, values)
            query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS), NASTY, max_size=3))
            if query:
                url += ("&" if "?" in url else "?") + urlencode(query)
            client = world["guest"] if guest_rule else data.draw(st.sampled_from(clients))
            kwargs = {}
            if method != "GET":
                candidates = forms.get(urlparse(real).path) or [({}, set())]
                fields, files = data.draw(st.sampled_from(candidates))
                form = dict(fields)
                names = sorted(set(form) | set(files)) or ["text"]
                for name in data.draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
                    form[name] = data.draw(NASTY)
                for name in files:
                    form[name] = (io.BytesIO(data.draw(st.binary(max_size=64))),
                                  data.draw(st.sampled_from(["a.pdf", "x\x00.pdf", "../../etc/passwd", "é" * 300,
                                                            "<svg onload=1>.png", ".pdf", "a.exe"])))
                kwargs = {"data": form, "content_type": "multipart/form-data" if files else None}
            send(client, url, method, **kwargs)

        # The fixed edge cases first: every path id too large, every query key malformed, each field in turn.
        client = world["guest"] if guest_rule else clients[0]
        ids = {name: EDGE_IDS[0] for name, c in rule._converters.items() if isinstance(c, NumberConverter)}
        if ids:
            send(client, _build(rule, {**{n: 1 for n in rule._converters}, **ids, **(
                {"token": world["token"]} if "token" in rule._converters else {})}), method)
        for value in EDGE_TEXT:
            send(client, real + ("&" if "?" in real else "?") + urlencode({key: value for key in QUERY_KEYS}),
                 "GET" if method == "GET" else method)
        if method != "GET":
            for fields, files in (forms.get(urlparse(real).path) or [])[:1]:
                for name in fields:
                    for value in EDGE_TEXT:
                        send(client, real, method, data={**fields, name: value})
        run()

    def send(client, url, method, **kwargs):
        nonlocal tried
        tried += 1
        if kwargs.get("content_type") is None:
            kwargs.pop("content_type", None)
        try:
            status = client.open(url, method=method, **kwargs).status_code
        except Exception as exc:  # noqa: BLE001 - in testing Flask re-raises what would be a 500
            status = f"500 ({type(exc).__name__}: {str(exc)[:100]})"
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{method} {url} {kwargs.get('data') if method != 'GET' else ''}: {status}")

    def _build(rule, values):
        try:
            return rule.build({**(rule.defaults or {}), **values}, append_unknown=False)[1]
        except Exception:  # noqa: BLE001 - a value the converter cannot build into a URL
            return walk.urls(app, rule, ctxs, base, per_rule=1)[0]

    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))
    for rule in rules:
        if rule.endpoint in SKIP:
            continue
        for method in walk.methods(rule):
            one(rule, method)
    walk.report(record_property, "fuzz (every route, parameter and form field)", backend, tried, len(failures))
    print(f"\nfuzz [{backend}]: {tried} requests over {len(rules)} rules in {time.monotonic() - started:.0f} s, "
          f"{len(failures)} gave a 500")
    assert tried > 500
    assert not failures, "\n".join(dict.fromkeys(failures[:60]))
