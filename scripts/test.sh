#!/usr/bin/env bash
# Set up everything the test suite needs and run it:  scripts/test.sh [pytest arguments, relative to the repo root]
#
# 1. scripts/install.sh --test (apt: PostgreSQL, chromium, WeasyPrint libraries; .venv with the test extra; htmx)
# 2. a PostgreSQL server on 127.0.0.1 (Debian's cluster, which runs as the postgres user: the server refuses root),
#    a role portal/portal with CREATEDB and a database portal_test owned by it
# 3. PORTAL_TEST_POSTGRES_URL=postgresql://portal:portal@127.0.0.1:5432/portal_test, then pytest
#
# Environment:
#   PORTAL_TEST_POSTGRES_URL   already set: use that server as it is, start nothing
#   PORTAL_TEST_SKIP_POSTGRES  set to 1: no PostgreSQL set-up; the suite then runs on SQLite only
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

"$ROOT/scripts/install.sh" --test

as_postgres() {
    # Run a command as the postgres OS user from a directory it can read.
    (cd / && su postgres -s /bin/sh -c "$1")
}

pg_ready() {
    pg_isready -q -h 127.0.0.1 -p "$1" -t 2 >/dev/null 2>&1
}

setup_postgres() {
    local port=5432 version cluster_line cluster_version cluster_name status

    [ "$(id -u)" -eq 0 ] || die "setting up PostgreSQL needs root (or set PORTAL_TEST_POSTGRES_URL / PORTAL_TEST_SKIP_POSTGRES=1)"
    command -v pg_lsclusters >/dev/null 2>&1 || die "pg_lsclusters not found: Debian's postgresql-common is missing"

    if pg_ready "$port"; then
        log "postgres: a server already answers on 127.0.0.1:$port, using it"
    else
        version="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null \
                   | awk -F/ '{print $5}' | sort -V | tail -n 1)"
        [ -n "$version" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql"

        # Prefer a cluster already configured for port 5432, else "<newest version> main", else create that.
        cluster_line="$(pg_lsclusters -h 2>/dev/null | awk -v p="$port" '$3 == p {print; exit}')"
        if [ -z "$cluster_line" ]; then
            cluster_line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" {print; exit}')"
        fi
        if [ -z "$cluster_line" ]; then
            log "postgres: creating cluster $version/main on port $port"
            pg_createcluster --port "$port" "$version" main >/dev/null
            cluster_line="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print; exit}')"
        fi
        [ -n "$cluster_line" ] || die "could not find or create a PostgreSQL cluster"
        read -r cluster_version cluster_name port status _ <<<"$cluster_line"

        if pg_ready "$port"; then
            log "postgres: cluster $cluster_version/$cluster_name already answers on port $port"
        else
            # /run/postgresql is a tmpfs on most machines: gone after a reboot, and the server needs it for its socket.
            install -d -o postgres -g postgres -m 2775 /var/run/postgresql
            case "$status" in
                online*) log "postgres: cluster $cluster_version/$cluster_name is online, waiting for it" ;;
                *)
                    log "postgres: starting cluster $cluster_version/$cluster_name on port $port"
                    pg_ctlcluster "$cluster_version" "$cluster_name" start
                    ;;
            esac
        fi
    fi

    local waited=0
    until pg_ready "$port"; do
        waited=$((waited + 1))
        [ "$waited" -le 60 ] || die "PostgreSQL did not answer on 127.0.0.1:$port within 60 s"
        sleep 1
    done

    log "postgres: ensuring role portal (CREATEDB) and database portal_test"
    if ! as_postgres "psql -X -q -v ON_ERROR_STOP=1 -p $port -d postgres" >/dev/null <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal') THEN
        CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal';
    ELSE
        ALTER ROLE portal LOGIN CREATEDB PASSWORD 'portal';
    END IF;
END
$$;
SELECT 'CREATE DATABASE portal_test OWNER portal'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'portal_test')\gexec
SQL
    then
        # Not a Debian cluster we administer (e.g. a server of its own on 5432): fine if the role already works.
        log "postgres: could not administer the server on port $port as the postgres user"
    fi

    PORTAL_TEST_POSTGRES_URL="postgresql://portal:portal@127.0.0.1:$port/portal_test"
    psql -X -q -d "$PORTAL_TEST_POSTGRES_URL" -c 'select 1' >/dev/null 2>&1 \
        || die "cannot connect to $PORTAL_TEST_POSTGRES_URL"
    export PORTAL_TEST_POSTGRES_URL
    log "postgres: ready at $PORTAL_TEST_POSTGRES_URL"
}

if [ -n "${PORTAL_TEST_POSTGRES_URL:-}" ]; then
    log "postgres: using PORTAL_TEST_POSTGRES_URL from the environment"
elif [ "${PORTAL_TEST_SKIP_POSTGRES:-}" = "1" ]; then
    log "postgres: PORTAL_TEST_SKIP_POSTGRES=1, the PostgreSQL tests will be skipped"
else
    setup_postgres
fi

log "pytest $*"
# The browser journey must run here, never be skipped silently: chromium was installed above.
export PORTAL_REQUIRE_BROWSER=1
exec "$ROOT/.venv/bin/python" -m pytest "$@"
