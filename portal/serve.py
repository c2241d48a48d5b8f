"""Production serving: gunicorn with N worker processes of T threads each, every worker its own app.

Each worker builds the app itself (no preload): database connections, the pool and argon2's bounded slots are per
process, and a worker that dies is replaced without the others noticing. Nothing a request needs lives in one
process's memory: sessions are signed cookies checked against the database, CSRF tokens are signed with the shared
secret key, login throttling, share-link code attempts and rate limits are counters in the database, attachments
live in the instance folder (shared between servers), and the scheduler runs as its own service. So two workers,
or two machines on one PostgreSQL database, serve the same users. Where gunicorn cannot run (Windows), ``portal
run`` serves with waitress in one process.
"""

from __future__ import annotations

import os
from typing import Callable

DEFAULT_THREADS = 8


def default_workers() -> int:
    """One worker per core, at least two (a worker busy with a slow PDF never stalls every user)."""
    return max(2, os.cpu_count() or 1)


def serve(factory: Callable, *, bind: str, workers: int, threads: int, timeout: int = 60,
          access_log: bool = False) -> None:
    """Run gunicorn in this process (it becomes the master) until it is stopped."""
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread", "timeout": timeout,
        "graceful_timeout": 30, "keepalive": 5, "proc_name": "portal",
        # Off by default: a share link's token is part of its URL, and an access log would keep it in clear.
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        # gunicorn itself trusts no X-Forwarded-* header (by default it believes a scheme from 127.0.0.1): the
        # app's ProxyFix alone applies PORTAL_TRUSTED_PROXIES, the same under `portal run` (waitress).
        "forwarded_allow_ips": "",
        "max_requests": 2000, "max_requests_jitter": 200,  # recycle workers now and then: bounded memory
    }

    class Portal(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:
                # Recent gunicorn opens a control socket at one path in $HOME: a second server on the machine
                # would take over the first one's. The portal does not use it.
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return factory()

    Portal().run()
