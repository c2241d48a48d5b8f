"""CSRF over every state-changing route of app.url_map. A POST (PUT, PATCH, DELETE)
without a token answers 400 for every actor (anonymous, staff, administrator, guest link) and changes nothing in
the database, even with the complete form of the page filled in. New routes are covered by construction."""

from __future__ import annotations

import hashlib

from portal.db import database
from tests import walk
from tests.forms import harvest

ACTORS = ("zorg@esker.demo.nl", "admin@swv.demo.nl")


def _snapshot() -> str:
    """A digest of every row of every table (the schema_migration bookkeeping aside)."""
    digest = hashlib.sha256()
    for table in sorted(database.get_tables()):
        if table == "schema_migration":
            continue
        cursor = database.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1')
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_every_state_change_needs_the_token(app, demo_world, backend, record_property):
    """Every state-changing route refuses a request without CSRF token with 400 and changes nothing."""
    staff = [demo_world["clients"][email] for email in ACTORS]
    forms = harvest(app, staff + [demo_world["guest"]])
    actors = {"anonymous": app.test_client(), **dict(zip(ACTORS, staff)), "guest": demo_world["guest"]}
    ctxs, base = walk.contexts(), walk.globals_(demo_world["token"])
    before = _snapshot()
    tried, wrong, routes = 0, [], 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        changing = [m for m in walk.methods(rule) if m != "GET"]
        if not changing:
            continue
        routes += 1
        for url in walk.urls(app, rule, ctxs, base, per_rule=1):
            fields = next(iter(forms.get(url.split("?")[0], [])), ({}, set()))[0]
            for method in changing:
                for name, client in actors.items():
                    response = client.open(url, method=method, data=dict(fields), csrf=False)
                    tried += 1
                    if response.status_code != 400:
                        wrong.append(f"{name} {method} {url}: {response.status_code}")
        after = _snapshot()
        if after != before:
            wrong.append(f"{rule.endpoint} {rule.rule}: the database changed without a token")
            before = after
    walk.report(record_property, "csrf (every state-changing route)", backend, tried, len(wrong))
    print(f"\ncsrf [{backend}]: {tried} requests over {routes} state-changing routes, {len(wrong)} unexpected")
    assert routes > 30
    assert not wrong, "\n".join(wrong)
    # The staff sessions still work: the refused requests did not log anyone out either.
    assert demo_world["clients"][ACTORS[0]].get("/leerlingen/").status_code == 200
