#!/usr/bin/env bash
# Install everything the portal needs, on a Debian machine (run as root, or with sudo available).
#
#   scripts/install.sh          system libraries, .venv with the portal (editable) and the Drenthe plugin, htmx
#   scripts/install.sh --test   the same plus the test extra, PostgreSQL and Debian's chromium
#
# Idempotent and non-interactive: apt runs only for packages that are missing, the virtualenv is created only
# when absent, and a second run changes nothing that is already in place. Works from any working directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_TEST=0
for arg in "$@"; do
    case "$arg" in
        --test) WITH_TEST=1 ;;
        -h|--help)
            sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "install.sh: unknown argument: $arg (use --test or --help)" >&2
            exit 2
            ;;
    esac
done

log() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------------------------- system packages
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo -n)
    fi
fi

deb_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

python_has_venv() {
    # pyenv/python.org builds carry venv + ensurepip; Debian's own python3 needs the python3-venv package.
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1
}

postgres_present() {
    command -v pg_ctlcluster >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

command -v python3 >/dev/null 2>&1 || die "python3 not found (Python 3.11 or newer is required)"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "Python 3.11 or newer is required, found $(python3 --version 2>&1)"

missing=()
# WeasyPrint (PDF exports) needs Pango and HarfBuzz-subset at run time, and fonts to render with.
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2; do
    deb_installed "$pkg" || missing+=("$pkg")
done
python_has_venv || missing+=(python3-venv)
if [ "$WITH_TEST" -eq 1 ]; then
    postgres_present || missing+=(postgresql)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "missing system packages (${missing[*]}) and no apt-get to install them"
    if [ "$(id -u)" -ne 0 ] && [ "${#SUDO[@]}" -eq 0 ]; then
        die "missing system packages (${missing[*]}): run as root or install them with apt-get"
    fi
    log "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    log "apt: system packages already present"
fi
python_has_venv || die "python3 cannot create virtualenvs even after installing python3-venv"

# --------------------------------------------------------------------------------------------- virtualenv
VENV="$ROOT/.venv"
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "virtualenv: .venv is broken (its Python moved?), recreating it"
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    log "virtualenv: creating .venv with $(python3 --version 2>&1)"
    python3 -m venv "$VENV"
else
    log "virtualenv: .venv exists"
fi

[ -f "$ROOT/pyproject.toml" ] || die "pyproject.toml not found in $ROOT"

pip_args=(-e ".")
[ "$WITH_TEST" -eq 1 ] && pip_args=(-e ".[test]")
if [ -f "$ROOT/plugins/drenthe/pyproject.toml" ]; then
    pip_args+=(-e "./plugins/drenthe")
else
    log "pip: plugins/drenthe/pyproject.toml does not exist yet, skipping the Drenthe plugin"
fi

# Skip pip when the project files did not change since the last successful run (a test install also covers a
# plain one, so scripts/demo.sh after scripts/test.sh does not reinstall).
stamp_file="$VENV/.portal-install-stamp"
stamp="$( { printf '%s\n' "${pip_args[*]//\[test\]/}"; cat "$ROOT/pyproject.toml";
            [ -f "$ROOT/plugins/drenthe/pyproject.toml" ] && cat "$ROOT/plugins/drenthe/pyproject.toml";
            "$VENV/bin/python" --version; } | sha256sum | cut -d' ' -f1)"
mode=plain
[ "$WITH_TEST" -eq 1 ] && mode=test
read -r old_stamp old_mode _ 2>/dev/null <"$stamp_file" || true
if [ "${old_stamp:-}" = "$stamp" ] && { [ "$mode" = plain ] || [ "${old_mode:-}" = test ]; }; then
    log "pip: packages up to date (${pip_args[*]})"
else
    log "pip: installing ${pip_args[*]}"
    rm -f "$stamp_file"
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
        "$VENV/bin/python" -m pip install -q "${pip_args[@]}"
    printf '%s %s\n' "$stamp" "$mode" >"$stamp_file"
fi

# --------------------------------------------------------------------------------------------- htmx (npm)
command -v npm >/dev/null 2>&1 || die "npm not found: it is needed to fetch htmx from the npm registry"
[ -f "$ROOT/package-lock.json" ] || die "package-lock.json missing: htmx must come from the committed lock file"
log "npm: installing htmx from package-lock.json"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
htmx_src="$ROOT/node_modules/htmx.org/dist/htmx.min.js"
[ -f "$htmx_src" ] || die "npm ci did not produce $htmx_src"
mkdir -p "$ROOT/static/vendor"
cp "$htmx_src" "$ROOT/static/vendor/htmx.min.js"
log "htmx: copied to static/vendor/htmx.min.js"

if [ "$WITH_TEST" -eq 1 ]; then
    log "install complete (with test tools)"
else
    log "install complete"
fi
