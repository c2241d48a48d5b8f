#!/usr/bin/env bash
# Translations: extract the Dutch source strings, update every catalog, compile the .mo files.
#   scripts/i18n.sh            extract -> update -> compile (run after adding or changing UI text)
#   scripts/i18n.sh compile    only compile (after editing a .po file)
# New strings arrive with an empty msgstr: translate them in portal/translations/<lang>/LC_MESSAGES/messages.po,
# then run "scripts/i18n.sh compile". The test suite fails while a string is untranslated or fuzzy.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYBABEL="$ROOT/.venv/bin/pybabel"
[ -x "$PYBABEL" ] || PYBABEL="$(command -v pybabel)" || { echo "i18n.sh: pybabel not found; run scripts/install.sh" >&2; exit 1; }
DIR=portal/translations
POT="$DIR/messages.pot"
LANGS=(en)

if [ "${1:-}" != "compile" ]; then
    "$PYBABEL" extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output --omit-header \
        --project ondersteuningsroute-portal -o "$POT" . 2>&1 | { grep -v "^extracting messages" || true; }
    for lang in "${LANGS[@]}"; do
        if [ -f "$DIR/$lang/LC_MESSAGES/messages.po" ]; then
            "$PYBABEL" update -i "$POT" -d "$DIR" -l "$lang" --no-fuzzy-matching --ignore-obsolete >/dev/null
        else
            "$PYBABEL" init -i "$POT" -d "$DIR" -l "$lang" >/dev/null
        fi
    done
    rm -f "$POT"
    # The extraction time changes on every run and would make every two branches' catalogs conflict.
    for lang in "${LANGS[@]}"; do sed -i '/^"POT-Creation-Date: /d' "$DIR/$lang/LC_MESSAGES/messages.po"; done
fi
"$PYBABEL" compile -d "$DIR" --statistics
