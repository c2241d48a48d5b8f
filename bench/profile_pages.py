"""Where one request's time goes: each key page in-process at SWV volume, timed and profiled.

    make profile                                   # SQLite at full volume, kept in .bench/ for the next run
    PROFILE_PAGES="mijn acties,SWV queue" make profile
    PROFILE_TOP=30 make profile                    # longer cProfile listing

Per page: milliseconds per request over PROFILE_REPEAT requests (test client, no server, no network), the
queries it runs, and the functions taking the most cumulative time, grouped as SQL building (peewee), database
(the driver), templates (Jinja), session and the rest. The grown instance is kept in ``.bench/profile`` so a
second run starts at once (new migrations are applied to it); PROFILE_FRESH=1 grows a new one. Figures only.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/ is not a package)

FOLDER = ROOT / ".bench" / "profile"
REPEAT = int(os.environ.get("PROFILE_REPEAT", "30"))
TOP = int(os.environ.get("PROFILE_TOP", "12"))
GROUPS = (("peewee", "SQL building"), ("sqlite3", "database"), ("psycopg", "database"),
          ("jinja2", "templates"), ("werkzeug", "werkzeug"), ("flask", "flask"))


def instance() -> tuple[object, dict]:
    """The grown instance: built once, then reused (its ids in ids.json)."""
    if os.environ.get("PROFILE_FRESH") == "1":
        shutil.rmtree(FOLDER, ignore_errors=True)
    ids_file, url = FOLDER / "ids.json", f"sqlite:///{FOLDER / 'portal.db'}"
    secret = "profile-secret-key-not-for-production-use-0123456789"
    if ids_file.exists():
        app = load._make_app(FOLDER / "instance", url, secret)
        with app.app_context():  # migrations added since the instance was grown
            from portal import migrations
            from portal.db import database, refresh_statistics

            database.connect(reuse_if_open=True)
            if migrations.apply(list(app.extensions["registry"].migrations)):
                refresh_statistics()
            database.close()
        return app, json.loads(ids_file.read_text())
    FOLDER.mkdir(parents=True, exist_ok=True)
    app, ids = load.prepare(FOLDER / "instance", url, secret)
    ids_file.write_text(json.dumps(ids))
    return app, ids


def grouped(stats: pstats.Stats) -> dict[str, float]:
    """Own time (tottime) per library group, in seconds."""
    result: dict[str, float] = {}
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():
        where = filename if filename != "~" else function  # C functions: "<method 'execute' of 'sqlite3...'>"
        group = next((name for key, name in GROUPS if f"/{key}" in where or f"'{key}" in where), None)
        if group is None:
            group = "portal" if "/portal/" in filename or "/plugins/" in filename else "other"
        result[group] = result.get(group, 0.0) + tottime
    return result


def profile(app, name: str, user: str, path: str) -> None:
    client = app.test_client()
    client.post("/login", data={"email": user, "password": load.PASSWORD})
    assert client.get(path).status_code == 200, path
    started = time.perf_counter()
    for _ in range(REPEAT):
        client.get(path)
    per_request = (time.perf_counter() - started) / REPEAT * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REPEAT):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups = grouped(stats)
    total = sum(groups.values()) or 1
    shares = ", ".join(f"{g} {v / total:.0%}" for g, v in sorted(groups.items(), key=lambda kv: -kv[1]))
    print(f"\n## {name}: {per_request:.1f} ms per request ({path})\n   own time: {shares}")
    stats.sort_stats("cumulative").print_stats(r"(portal|plugins)/", TOP)


def main() -> None:
    app, ids = instance()
    wanted = [p.strip() for p in os.environ.get("PROFILE_PAGES", "").split(",") if p.strip()]
    for name, (user, path) in load.pages(app, ids).items():
        if not wanted or name in wanted:
            profile(app, name, user, path)


if __name__ == "__main__":
    main()
