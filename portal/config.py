"""Configuration: defaults < instance/portal.toml < environment variables.

Every setting has one name; the environment spelling is ``PORTAL_<NAME>``.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path

KNOWN_BAD_SECRETS = {"", "dev", "changeme", "secret", "development", "please-change-me"}
SECRET_KEY_FILE = "secret_key"

DEFAULTS: dict[str, object] = {
    "DATABASE_URL": None,  # None: sqlite file portal.db in the instance folder
    "DATABASE_POOL_SIZE": 0,  # connections kept open for reuse, SQLite or PostgreSQL (0: a connection per request)
    "PLUGINS": ["po", "vo"],
    "MAIL_HOST": None,  # None: mail goes to the local outbox
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "portal@localhost",
    "MAIL_FROM_NAME": "Ondersteuningsportaal",  # the sender's name shown by mail programs
    "MAIL_DIR": None,  # without MAIL_HOST: Maildir folder that receives the mail (default <instance>/mail)
    "MAIL_MAX_ATTEMPTS": 5,  # tries before a mail counts as failed
    "MAIL_RETRY_MINUTES": 5,  # pause after the first failed try, doubled after every further one
    "MAIL_RETENTION_DAYS": 30,  # delivered and failed mail is deleted from the outbox after this many days
    "BASE_URL": "http://127.0.0.1:5000",
    "IDLE_TIMEOUT_MINUTES": 30,
    # argon2id cost: OWASP's first profile (19 MiB, 2 passes, 1 lane), about 30 ms here. Hashes made with other
    # costs are rehashed at the next successful login. At most PASSWORD_HASH_CONCURRENCY hashes run at once per
    # process, so logins can never take more than that many times 19 MiB (eight at 64 MiB took 580 MB).
    "PASSWORD_HASH_TIME_COST": 2,
    "PASSWORD_HASH_MEMORY_KIB": 19456,
    "PASSWORD_HASH_PARALLELISM": 1,
    "PASSWORD_HASH_CONCURRENCY": 2,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,  # with LOGIN_MAX_FAILURES: failed logins per account and client in this window
    "LOGIN_SLOWDOWN_AFTER": 10,  # failed logins per account an hour (all clients) before each one starts a pause
    "LOGIN_SLOWDOWN_MAX_SECONDS": 3,  # the longest pause; logins to the account in it get 429 (nothing sleeps)
    "LOGIN_CLIENT_LIMIT": "30 per 10 minutes",  # login posts per client address
    "RESET_CLIENT_LIMIT": "10 per hour",  # password-reset requests per client address
    "RESET_MAILS_PER_ADDRESS": "2 per hour",
    "INVITE_MAILS_PER_ADDRESS": "3 per day",
    "RATELIMIT_STORAGE_URI": "portaldb://",  # shared by every process; redis://... also works, memory:// tests only
    "RESET_TOKEN_HOURS": 2,
    "INVITE_TOKEN_DAYS": 7,
    "SHARE_LINK_DAYS": 7,  # a share link works until this many days after the meeting or the shared report
    "SHARE_LINK_CODE": True,  # share links ask for a code sent by mail before the first view
    "MAX_ATTACHMENT_MB": 10,
    "PAGE_SIZE": 25,
    "BSN_ENABLED": False,
    "DEFAULT_LOCALE": "nl",
    "SCHEDULER_INTERVAL_MINUTES": 5,  # how often `portal scheduler` looks for due reminders
    "DIGEST_HOUR": 7,  # hour (Europe/Amsterdam) of the daily notification digest
    "TRUSTED_PROXIES": 0,  # reverse proxies in front of the portal whose X-Forwarded-For may be believed
    # Roles that sign in with a second factor (TOTP app) after the password; "admin" stands for the SWV
    # administrator (is_admin). An account needs one when any of its active roles is listed. [] turns it off.
    "SECOND_FACTOR_ROLES": ["zorg", "swv", "deskundige", "beheerder", "admin"],
}

# Settings whose environment value is not a plain string.
_INT_KEYS = {"DATABASE_POOL_SIZE", "MAIL_PORT", "IDLE_TIMEOUT_MINUTES", "LOGIN_MAX_FAILURES", "LOGIN_LOCK_MINUTES",
             "MAIL_MAX_ATTEMPTS", "MAIL_RETRY_MINUTES", "MAIL_RETENTION_DAYS", "LOGIN_SLOWDOWN_AFTER",
             "LOGIN_SLOWDOWN_MAX_SECONDS", "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB",
             "PASSWORD_HASH_PARALLELISM", "PASSWORD_HASH_CONCURRENCY",
             "RESET_TOKEN_HOURS", "INVITE_TOKEN_DAYS", "SHARE_LINK_DAYS", "MAX_ATTACHMENT_MB", "PAGE_SIZE",
             "SCHEDULER_INTERVAL_MINUTES", "DIGEST_HOUR", "TRUSTED_PROXIES"}
_BOOL_KEYS = {"MAIL_USE_TLS", "MAIL_USE_SSL", "BSN_ENABLED", "SHARE_LINK_CODE"}
_LIST_KEYS = {"PLUGINS", "SECOND_FACTOR_ROLES"}


class ConfigError(RuntimeError):
    """Raised when the portal cannot start with the given configuration."""


def instance_path() -> Path:
    return Path(os.environ.get("PORTAL_INSTANCE_PATH", "instance")).resolve()


def _parse_env(key: str, raw: str) -> object:
    if key in _INT_KEYS:
        return int(raw)
    if key in _BOOL_KEYS:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if key in _LIST_KEYS:
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def load(instance: Path, overrides: dict | None = None) -> dict:
    """Merge defaults, the instance's portal.toml and the environment, in that order."""
    settings = dict(DEFAULTS)
    toml_file = instance / "portal.toml"
    if toml_file.exists():
        with toml_file.open("rb") as fh:
            settings.update({key.upper(): value for key, value in tomllib.load(fh).items()})
    for key in set(DEFAULTS) | {"SECRET_KEY"}:
        raw = os.environ.get(f"PORTAL_{key}")
        if raw is not None:
            settings[key] = _parse_env(key, raw)
    if "SECRET_KEY" not in settings:
        key_file = instance / SECRET_KEY_FILE
        if key_file.exists():
            settings["SECRET_KEY"] = key_file.read_text().strip()
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance / 'portal.db'}"
    settings.update(overrides or {})
    return settings


def base_url_problems(settings: dict, host: str | None = None, port: int | None = None) -> list[str]:
    """Why BASE_URL (the address in every mailed link and .ics) cannot be this portal's own address.

    With ``host`` and ``port`` (``portal run``) also: a loopback BASE_URL must name the port the portal serves on.
    """
    from urllib.parse import urlsplit

    url = str(settings.get("BASE_URL") or "")
    try:
        parts = urlsplit(url)
        url_port = parts.port
    except ValueError:
        return [f"PORTAL_BASE_URL {url!r} is geen geldig adres; links in mails werken niet."]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [f"PORTAL_BASE_URL {url!r} is geen http(s)-adres; links in mails werken niet."]
    if parts.path.strip("/") or parts.query or parts.fragment:
        return [f"PORTAL_BASE_URL {url!r} bevat een pad; het portaal draait op de wortel van het adres."]
    problems = []
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if port is not None and loopback:
        url_port = url_port or (443 if parts.scheme == "https" else 80)
        if url_port != port:
            problems.append(f"PORTAL_BASE_URL {url} wijst naar poort {url_port}, maar het portaal draait op poort "
                            f"{port}: links in mails en agenda-uitnodigingen komen niet bij dit portaal uit. "
                            f"Zet PORTAL_BASE_URL=http://{host or parts.hostname}:{port}.")
    if host is not None and loopback and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::") \
            and not settings.get("TRUSTED_PROXIES"):
        problems.append(f"PORTAL_BASE_URL {url} is een adres op deze machine, maar het portaal luistert op {host}: "
                        "anderen kunnen de links in mails niet openen.")
    return problems


def check_secret_key(settings: dict) -> None:
    """Refuse a missing or well-known secret key outside debug and testing."""
    if settings.get("TESTING") or settings.get("DEBUG"):
        return
    key = str(settings.get("SECRET_KEY") or "")
    if key.lower() in KNOWN_BAD_SECRETS or len(key) < 16:
        raise ConfigError(
            "Geen veilige geheime sleutel ingesteld. Zet PORTAL_SECRET_KEY, of laat 'portal init-db' "
            "een willekeurige sleutel aanmaken in de instance-map (bestand 'secret_key')."
        )


def ensure_instance(instance: Path) -> None:
    """Create the instance folder and a random secret key on first run."""
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "attachments").mkdir(exist_ok=True)
    _write_default_toml(instance / "portal.toml")
    key_file = instance / SECRET_KEY_FILE
    if not key_file.exists() and not os.environ.get("PORTAL_SECRET_KEY"):
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)


def _write_default_toml(path: Path) -> None:
    """A commented starting point for the administrator, enabling every installed plugin."""
    if path.exists():
        return
    from importlib.metadata import entry_points

    installed = sorted(ep.name for ep in entry_points(group="portal.plugins"))
    plugins = ", ".join(f'"{name}"' for name in installed)
    path.write_text(
        "# Instellingen van dit portaal. Omgevingsvariabelen (PORTAL_...) gaan voor.\n"
        f"plugins = [{plugins}]\n"
        "# base_url = \"https://portaal.example.nl\"\n"
        "# database_url = \"postgresql://portal:wachtwoord@127.0.0.1/portal\"\n"
        "# mail_host = \"smtp.example.nl\"\n"
        "# mail_port = 587\n"
        "# mail_use_tls = true\n"
        "# mail_from = \"portaal@example.nl\"\n"
    )


DEMO_SECOND_FACTOR = (
    "# Tweede factor (authenticator-app) bij het inloggen: in de demo uit, zodat de demo-accounts met alleen een\n"
    "# wachtwoord inloggen. Aanzetten: vul de rollen in, bijvoorbeeld\n"
    "# second_factor_roles = [\"zorg\", \"swv\", \"deskundige\", \"beheerder\", \"admin\"]\n"
    "second_factor_roles = []\n"
)


def write_demo_second_factor(instance: Path) -> None:
    """The demo instance's portal.toml turns the second factor off (with how to turn it on), unless it already
    says something about it. Written at the top, so it never lands inside a [table] of the file."""
    path = instance / "portal.toml"
    text = path.read_text() if path.exists() else ""
    if "second_factor_roles" not in text:
        path.write_text(DEMO_SECOND_FACTOR + text)
