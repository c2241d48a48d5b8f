#!/usr/bin/env bash
# Install everything, create the demo data on first run, and start the portal on http://127.0.0.1:5000
# (or PORTAL_HOST:PORTAL_PORT; mailed links follow them through PORTAL_BASE_URL)
#
#   scripts/demo.sh
#
# Environment: PORTAL_INSTANCE_PATH (default ./instance), PORTAL_DEMO_PASSWORD (password of every demo account;
# otherwise random passwords are printed once, on the run that creates them), PORTAL_HOST / PORTAL_PORT.
# Running it again reuses the instance folder: no duplicate demo data, same secret key.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '==> %s\n' "$*"; }

"$ROOT/scripts/install.sh"

export PORTAL_INSTANCE_PATH="${PORTAL_INSTANCE_PATH:-$ROOT/instance}"
HOST="${PORTAL_HOST:-127.0.0.1}"
PORT="${PORTAL_PORT:-5000}"
# Mailed links and .ics files carry this address: derive it from the host and port the portal really runs on
# (an explicit PORTAL_BASE_URL, e.g. behind a proxy, wins).
case "$HOST" in
    0.0.0.0|::) LINK_HOST=127.0.0.1 ;;
    *:*) LINK_HOST="[$HOST]" ;;
    *) LINK_HOST="$HOST" ;;
esac
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://$LINK_HOST:$PORT}"

log "demo: links in mails point to $PORTAL_BASE_URL"
log "demo: preparing $PORTAL_INSTANCE_PATH (database, secret key, demo data where absent)"
"$ROOT/.venv/bin/portal" demo

# Every process started below is stopped when this script ends (Ctrl-C, SIGTERM, or one of them exiting).
pids=()
cleanup() {
    trap - EXIT INT TERM
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The background scheduler (reminders, digest) runs as its own process beside the web server, never inside it.
log "demo: starting the scheduler"
"$ROOT/.venv/bin/portal" scheduler & pids+=("$!")

log "demo: starting the portal on http://$HOST:$PORT (Ctrl-C stops it)"
"$ROOT/.venv/bin/portal" run --host "$HOST" --port "$PORT" & pids+=("$!")

# Return as soon as any process ends; the EXIT trap then stops the others. The script's exit status is theirs.
wait -n "${pids[@]}"
