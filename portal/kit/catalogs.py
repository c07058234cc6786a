"""Catalog upkeep: the English catalog mirrors its source strings; report what is untranslated.

`python -m portal.kit.catalogs` fills empty English entries (the msgids are English) and lists every
message still untranslated in any catalog; `make messages` runs it after extraction.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from portal.kit.i18n import DOMAIN, LANGS, LOCALES_DIR

SOURCE_LANG = "en"


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def template() -> Catalog:
    return load(LOCALES_DIR / f"{DOMAIN}.pot")


def untranslated(lang: str) -> list[str]:
    """msgids of the template that the language's catalog lacks, leaves empty or marks fuzzy."""
    catalog = load(po_path(lang))
    problems = []
    for message in template():
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(texts):
            problems.append(str(message.id))
    return problems


def fill_source_language() -> int:
    path = po_path(SOURCE_LANG)
    catalog = load(path)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):  # plural: singular and plural forms as written
            if not all(message.string):
                message.string = message.id
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
    with path.open("wb") as f:
        write_po(f, catalog, width=76, omit_header=False)
    return filled


def main() -> int:
    filled = fill_source_language()
    print(f"{SOURCE_LANG}: filled {filled} entries from their source strings")
    missing = {lang: untranslated(lang) for lang in LANGS}
    for lang, ids in missing.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid}")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
