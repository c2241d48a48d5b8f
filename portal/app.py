"""The application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app, has_request_context, jsonify, render_template, request, session
from flask_babel import Babel
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config as config_module
from portal import clock, db, htmx, inputs, paths, plugins, ui
from portal.auth import session as auth_session
from portal.auth import throttle

log = logging.getLogger("portal")
csrf = CSRFProtect()
babel = Babel()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(overrides: dict | None = None) -> Flask:
    instance = Path(overrides.get("INSTANCE_PATH")) if overrides and overrides.get("INSTANCE_PATH") \
        else config_module.instance_path()
    app = Flask("portal", instance_path=str(instance), template_folder=str(paths.TEMPLATES_DIR),
                static_folder=str(paths.STATIC_DIR), static_url_path="/static")
    settings = config_module.load(instance, overrides)
    config_module.check_secret_key(settings)
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=str(app.config["BASE_URL"]).startswith("https://"),
        MAX_CONTENT_LENGTH=(int(app.config["MAX_ATTACHMENT_MB"]) + 1) * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the session lifetime bounds the token
        BABEL_DEFAULT_LOCALE=app.config["DEFAULT_LOCALE"],
        BABEL_TRANSLATION_DIRECTORIES=str(paths.TRANSLATIONS_DIR),
        BABEL_DEFAULT_TIMEZONE=clock.TZ_NAME,  # Babel's own filters also show Amsterdam time
    )
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    htmx.init_app(app)
    auth_session.init_app(app)
    throttle.init_app(app)
    inputs.init_app(app)  # after htmx's request class, before the blueprints' rules (the converters bind to them)

    plugins.init_app(app)  # builds the frozen registry from the enabled plugins
    _init_templates(app)
    _register_blueprints(app)
    plugins.check_endpoints(app)
    _register_handlers(app)
    _warn_without_htmx(app)
    for warning in config_module.base_url_problems(app.config):
        log.warning(warning)
    if app.config["TRUSTED_PROXIES"]:
        # Behind nginx or another reverse proxy: take the client's address (for the audit log) and scheme from
        # the X-Forwarded-* headers that this many proxies set; never trust them without a proxy in front.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _select_locale() -> str:
    """The language chosen in this session; outside a request (CLI, scheduler) the configured default."""
    lang = session.get("lang") if has_request_context() else None
    return lang if lang in ("nl", "en") else current_app.config["DEFAULT_LOCALE"]


def _init_templates(app: Flask) -> None:
    """Instance overrides first, then core templates, then each plugin under its own prefix.

    ``original:<name>`` skips the instance folder, so an override can extend the template it replaces.
    """
    registry = app.extensions["registry"]
    plugin_loaders = {name: FileSystemLoader(str(folder)) for name, folder in registry.template_folders.items()}
    shipped = [FileSystemLoader(str(paths.TEMPLATES_DIR)), PrefixLoader(plugin_loaders)]
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(Path(app.instance_path) / "templates")),
        *shipped,
        PrefixLoader({"original": ChoiceLoader(shipped)}, delimiter=":"),
    ])

    ui.init_app(app)


def _register_blueprints(app: Flask) -> None:
    # The core's blueprints first, then the plugins' (all through the hook register_blueprints).
    for blueprint in app.extensions["registry"].blueprints:
        app.register_blueprint(blueprint)

    @app.get("/favicon.ico")
    @auth_session.public
    def favicon():
        """Browsers ask for /favicon.ico on their own (e.g. for a PDF or the guest pages): the portal's icon."""
        return app.send_static_file("favicon.svg")

    @app.get("/healthz")
    @auth_session.public
    def healthz():
        ok = db.ping()
        return jsonify(status="ok" if ok else "database unreachable"), (200 if ok else 503)


def _register_handlers(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page(code))

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_template("errors/error.html", code=400, csrf=True), 400

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.path.startswith("/static/"):
            # Classroom PCs are shared: never keep personal pages in a cache.
            response.headers["Cache-Control"] = "no-store"
        return response


def _error_page(code: int):
    def handler(exc):
        original = getattr(exc, "original_exception", None)
        if code == 500 and original is not None and db.is_unavailable(original):
            return db.unavailable(original)  # the database went away outside a view (e.g. opening the session)
        if code == 500:
            log.exception("Unhandled error", exc_info=exc)
        return render_template("errors/error.html", code=code), code

    return handler


def _warn_without_htmx(app: Flask) -> None:
    app.config["HTMX_AVAILABLE"] = paths.HTMX_FILE.exists()
    if not app.config["HTMX_AVAILABLE"] and not app.config.get("TESTING"):
        log.warning("htmx not found at %s: the portal works without JavaScript; run scripts/install.sh "
                    "to install htmx from the npm registry.", paths.HTMX_FILE)
