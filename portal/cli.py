"""The ``portal`` command: run the server, manage the database, demo data, users, backups."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from portal import backup as backup_module
from portal import config as config_module
from portal import demo as demo_module
from portal import migrations, policy
from portal import scheduler as scheduler_module
from portal import serve as serving
from portal.admin import services as admin_services
from portal.app import create_app
from portal.auth import accounts
from portal.db import database, discard_connections, refresh_statistics


def _make_app():
    """Create the instance folder (and its secret key) on first use, then the app."""
    config_module.ensure_instance(config_module.instance_path())

    try:
        return create_app()
    except (config_module.ConfigError, RuntimeError) as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(2)


class AppContext:
    def __init__(self):
        self._app = None

    @property
    def app(self):
        if self._app is None:
            self._app = _make_app()
        return self._app


@click.group()
@click.pass_context
def main(ctx):
    """Ondersteuningsroute portal."""
    ctx.obj = AppContext()


def with_app(fn):
    """Run the command inside an app context with an open database connection."""

    @click.pass_obj
    def wrapper(obj, *args, **kwargs):
        with obj.app.app_context():
            database.connect(reuse_if_open=True)
            try:
                return fn(obj.app, *args, **kwargs)
            finally:
                database.close()

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _migrate(app) -> list[str]:
    applied = migrations.apply(list(app.extensions["registry"].migrations))
    refresh_statistics()
    return applied


@main.command("init-db")
@with_app
def init_db(app):
    """Create the database schema (runs all migrations)."""
    applied = _migrate(app)
    click.echo(f"Database klaar ({len(applied)} migraties toegepast).")


@main.command("migrate")
@with_app
def migrate(app):
    """Apply new migrations; running it again changes nothing."""
    applied = _migrate(app)
    click.echo("\n".join(applied) if applied else "Geen nieuwe migraties.")


@main.command("demo")
@with_app
def demo(app):
    """Load demo data (idempotent); the demo's portal.toml turns the second factor off."""
    _migrate(app)
    config_module.write_demo_second_factor(Path(app.instance_path))
    demo_module.load(echo=click.echo)


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--admin", is_flag=True, help="SWV-beheerder van de hele installatie")
@click.option("--school", "brin", help="BRIN van de school voor het lidmaatschap")
@click.option("--role", help="Rol op die school")
@click.password_option()
@with_app
def create_user(app, email, name, admin, brin, role, password):
    """Create an account (optionally with a school role); audited as the server's administrator."""
    try:
        user = admin_services.create_account(email=email, name=name, password=password, is_admin=admin,
                                             brin=brin, role=role, actor=policy.CLI)
    except accounts.AccountError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Account {user.email} aangemaakt.")


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.pass_obj
def run(obj, host, port, threads):
    """Serve the portal with waitress (a production WSGI server)."""
    from waitress import serve

    app = obj.app
    _refuse_pending_migrations(app)
    for problem in config_module.base_url_problems(app.config, host, port):
        click.echo(f"Waarschuwing: {problem}", err=True)
    click.echo(f"Portaal draait op http://{host}:{port}")
    # waitress removes X-Forwarded-* headers it was not told to trust; behind trusted proxies they must reach the
    # app, where ProxyFix reads them exactly as under `portal serve` (one place decides which hops count).
    serve(app, host=host, port=port, threads=threads, ident="portal",
          clear_untrusted_proxy_headers=not app.config["TRUSTED_PROXIES"])


@main.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="Adres:poort (of unix:/pad/naar/socket)")
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Processen (standaard: één per kern, minstens 2)")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Threads per proces")
@click.option("--access-log", is_flag=True, help="Elk verzoek loggen (bevat de adressen van deellinks)")
@click.pass_obj
def serve(obj, bind, workers, threads, access_log):
    """Serve the portal in production: gunicorn, several worker processes with threads each."""
    app = obj.app
    _refuse_pending_migrations(app)

    with app.app_context():
        discard_connections()  # the workers are forked from here: they must not share a pooled connection
    host, _, port = bind.rpartition(":")
    if not bind.startswith("unix:") and port.isdigit():
        for problem in config_module.base_url_problems(app.config, host, int(port)):
            click.echo(f"Waarschuwing: {problem}", err=True)
    workers = workers or serving.default_workers()
    click.echo(f"Portaal draait op {bind} met {workers} processen van {threads} threads")
    serving.serve(_make_app, bind=bind, workers=workers, threads=threads, access_log=access_log)


def _refuse_pending_migrations(app) -> None:
    """Stop with a clear message when the database lacks migrations (serving it would fail halfway)."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        waiting = migrations.pending(list(app.extensions["registry"].migrations))
        database.close()
    if waiting:
        click.echo(f"Fout: de database mist migraties ({', '.join(waiting)}). Draai eerst 'portal migrate'.",
                   err=True)
        sys.exit(2)


@main.command("scheduler")
@click.option("--once", is_flag=True, help="Alle taken één keer uitvoeren en stoppen (voor cron en tests)")
@click.pass_obj
def scheduler(obj, once):
    """Run the background jobs (reminders, digest) in this process; never inside the web server."""
    app = obj.app
    _refuse_pending_migrations(app)
    if once:
        sys.exit(0 if scheduler_module.run_once(app) else 1)
    click.echo("Planner draait (Ctrl-C stopt hem).")
    scheduler_module.run_forever(app)


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_app
def backup(app, path):
    """Write a backup (database and attachments) to one archive file."""
    try:
        backup_module.create(app, path)
    except backup_module.BackupError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Back-up geschreven naar {path}")


@main.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Niet vragen: de huidige gegevens worden vervangen")
@with_app
def restore(app, path, yes):
    """Restore a backup made with 'portal backup' (replaces the current data)."""
    if not yes:
        click.confirm("Alle huidige gegevens worden vervangen. Doorgaan?", abort=True)
    try:
        backup_module.restore(app, path)
    except backup_module.BackupError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(1)
    click.echo("Back-up teruggezet.")


from portal.route.cli import route as _route_group  # noqa: E402

main.add_command(_route_group)

if __name__ == "__main__":  # pragma: no cover
    main()
