"""Translations: Dutch msgids are the source; the English catalog covers every string in the code.

A Dutch UI through Flask-Babel with English selectable, and compiled translations.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
FIX = "run scripts/i18n.sh, translate the new msgids in portal/translations/en/LC_MESSAGES/messages.po, " \
      "then run scripts/i18n.sh compile"


def _source_msgids() -> set:
    with open(ROOT / "babel.cfg") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalog():
    with open(CATALOG / "messages.po", "rb") as fh:
        return read_po(fh)


def _plain(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def test_english_catalog_covers_every_string_in_the_code():
    catalog = _catalog()
    by_id = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog if m.id}
    missing = sorted(msgid for msgid in _source_msgids() if msgid not in by_id)
    untranslated = sorted(msgid for msgid, m in by_id.items() if not _translated(m))
    assert not missing, f"{len(missing)} string(s) not in the English catalog: {missing[:10]}; {FIX}"
    assert not untranslated, f"{len(untranslated)} untranslated or fuzzy: {untranslated[:10]}; {FIX}"
    broken = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not broken, f"translations whose placeholders do not match the msgid: {broken[:5]}"


def test_compiled_catalog_matches_the_po_file():
    with open(CATALOG / "messages.mo", "rb") as fh:
        compiled = read_mo(fh)
    po = {_plain(m.id): _plain(m.string) for m in _catalog() if m.id and _translated(m)}
    mo = {_plain(m.id): _plain(m.string) for m in compiled if m.id}
    assert mo == po, "messages.mo is stale: run scripts/i18n.sh compile"


def test_dutch_is_the_source_language():
    ids = _source_msgids()
    assert "Inloggen" in ids and "Leerlingen" in ids
