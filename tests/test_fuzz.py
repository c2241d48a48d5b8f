"""Malformed input never gives a 500. A hypothesis fuzz over every rule in app.url_map (so new
routes are covered by construction): path arguments (huge ids, control characters), query strings and, for
state-changing methods, every field of the forms the portal renders for that URL (harvested from its pages),
with a few fields replaced by malformed values. Runs on SQLite and PostgreSQL; derandomized, so reproducible.
"""

from __future__ import annotations

import io
import time
from urllib.parse import urlencode, urlparse

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import NumberConverter

from portal import inputs
from tests import forms as harvested, walk

EXAMPLES = 4  # random examples per rule and method, after the fixed edge cases below
# Fixed edge cases, tried on every route: in each path id, in every query key, and in each form field in turn.
EDGE_IDS = (inputs.MAX_ID + 1,)
EDGE_TEXT = ("a\x00b", str(2**63 + 1), "line\r\nbreak", "B1\u202egpj.pdf", "Ж\u0663€")
QUERY_KEYS = ("pagina", "groep", "mentor", "q", "status", "sectie", "type_key", "type", "agenda", "route", "next")

NASTY = st.one_of(
    st.sampled_from(["", " ", "\x00", "a\x00b", "\x1b[31m", "line\r\nbreak", "9" * 30, str(inputs.MAX_ID),
                     str(inputs.MAX_ID + 1), str(2**64), "-1", "-9223372036854775809", "0", "1e309", "NaN",
                     "2026-2027\n", "20262027", "2026-2028", "31-02-2026", "2026-02-31", "0000-00-00", "9999-12-31",
                     "00:00", "25:99", "٣", "𝟘𝟙", "x" * 5000, '"><svg onload=alert(1)>', "{{7*7}}", "null",
                     "\u202e\u2066x", "Ж€ 漢字", 'a"; filename=b.exe', "naam\nBcc: x@example.nl"]),
    st.text(max_size=40),
    st.integers(-2**70, 2**70).map(str),
)
IDS = st.one_of(st.sampled_from([0, 1, inputs.MAX_ID, inputs.MAX_ID + 1, 2**64, 10**30]),
                st.integers(0, 2**70))


def test_no_500_for_any_parameter(app, demo_world, backend, record_property):
    """Ids above 2**63-1, control characters, malformed numbers, dates and school years in any
    path argument, query string or form field answer a 404, a 400 or the form with a Dutch message; never a 500."""
    assert not walk.unknown_arguments(app), walk.unknown_arguments(app)
    clients = list(demo_world["clients"].values())
    # The mentor (the last of tests/fixtures.DEMO_ACTORS) sees a subset of the coordinator's forms.
    forms = harvested.harvest(app, clients[:3] + [demo_world["guest"]])
    ctxs, base = walk.contexts(), walk.globals_(demo_world["token"])
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
                    values[name] = data.draw(st.one_of(st.just(demo_world["token"]), st.text(min_size=1, max_size=60)))
                else:
                    values[name] = data.draw(st.text(min_size=1, max_size=30))
            keep_real = data.draw(st.booleans())
            url = real if keep_real or not values else _build(rule, values)
            query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS), NASTY, max_size=3))
            if query:
                url += ("&" if "?" in url else "?") + urlencode(query)
            client = demo_world["guest"] if guest_rule else data.draw(st.sampled_from(clients))
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
                                                            "<svg onload=1>.png", ".pdf", "a.exe",
                                                            "B1\u202egpj.pdf", "Ж\x00€.pdf", 'a";b.pdf'])))
                kwargs = {"data": form, "content_type": "multipart/form-data" if files else None}
            send(client, url, method, **kwargs)

        # The fixed edge cases first: every path id too large, every query key malformed, each field in turn.
        client = demo_world["guest"] if guest_rule else clients[0]
        ids = {name: EDGE_IDS[0] for name, c in rule._converters.items() if isinstance(c, NumberConverter)}
        if ids:
            send(client, _build(rule, {**{n: 1 for n in rule._converters}, **ids, **(
                {"token": demo_world["token"]} if "token" in rule._converters else {})}), method)
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
        if rule.endpoint in harvested.NOT_WALKED:
            continue
        for method in walk.methods(rule):
            one(rule, method)
    walk.report(record_property, "fuzz (every route, parameter and form field)", backend, tried, len(failures))
    print(f"\nfuzz [{backend}]: {tried} requests over {len(rules)} rules in {time.monotonic() - started:.0f} s, "
          f"{len(failures)} gave a 500")
    assert tried > 500
    assert not failures, "\n".join(dict.fromkeys(failures[:60]))
