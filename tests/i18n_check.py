"""Checks that the German catalogue is complete and compiled.

English is the source language (msgids); German, the default language of the
interface, must translate every string. frontend/locale_overrides holds formal
("Sie") German for allauth's strings and must be complete and compiled as well.
Run as `python -m tests.i18n_check` (part of `make lint`); tests/test_i18n.py runs
the same checks in the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "frontend" / "locale"
PO_FILE = LOCALE_DIR / "de" / "LC_MESSAGES" / "django.po"
OVERRIDE_PO_FILE = ROOT / "frontend" / "locale_overrides" / "de" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "tests", "bench", "var", "docs", "node_modules"]
SOURCES = ["manage.py", "config", "cms", "participation", "cooperative", "frontend"]


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _compile_problems(po_file: Path) -> list[str]:
    """Fuzzy or untranslated entries, and entries the .mo next to the .po lacks."""
    if not po_file.exists():
        return [f"{po_file} is missing"]
    po = polib.pofile(str(po_file))
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"untranslated: {entry.msgid!r}")
    mo_file = po_file.with_suffix(".mo")
    if not mo_file.exists():
        problems.append(f"{mo_file} is missing: run `make messages`")
    else:
        mo = {
            _key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.mofile(str(mo_file))
        }
        for entry in po.translated_entries():
            compiled = mo.get(_key(entry))
            expected = (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            if compiled != expected:
                problems.append(f"not compiled: {entry.msgid!r} (run `make messages`)")
    return problems


def catalogue_problems() -> list[str]:
    return _compile_problems(PO_FILE)


def override_problems() -> list[str]:
    """The formal-German overrides of allauth's strings: complete, compiled, not shadowed."""
    problems = [f"overrides: {p}" for p in _compile_problems(OVERRIDE_PO_FILE)]
    if OVERRIDE_PO_FILE.exists() and PO_FILE.exists():
        # LOCALE_PATHS lists frontend/locale first, so its translation of a msgid wins.
        main = {_key(e): e.msgstr for e in polib.pofile(str(PO_FILE)) if e.translated()}
        for entry in polib.pofile(str(OVERRIDE_PO_FILE)):
            if main.get(_key(entry), entry.msgstr) != entry.msgstr:
                problems.append(
                    f"overrides: {entry.msgid!r} is shadowed by {PO_FILE.relative_to(ROOT)}"
                )
    return problems


def missing_msgids() -> list[str] | None:
    """Strings in the code that the catalogue lacks; None when xgettext is unavailable."""
    if shutil.which("xgettext") is None:
        return None
    # makemessages writes next to the sources (an app's own locale/ wins over
    # LOCALE_PATHS), so it runs on a copy of the sources, never on the real catalogue.
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for name in SOURCES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, copy / name)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location"]
        command += [f"--ignore={name}" for name in IGNORE]
        subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
        fresh = polib.pofile(str(copy / PO_FILE.relative_to(ROOT)))
    known = {_key(e) for e in polib.pofile(str(PO_FILE)) if not e.obsolete and e.translated()}
    return [e.msgid for e in fresh if not e.obsolete and _key(e) not in known]


def main() -> int:
    problems = catalogue_problems() + override_problems()
    missing = missing_msgids()
    if missing is None:
        print("i18n: xgettext not found, skipped the search for new strings", file=sys.stderr)
        if os.environ.get("CI"):
            problems.append("xgettext (GNU gettext) is required in CI")
    else:
        problems += [f"not in the catalogue: {msgid!r} (run `make messages`)" for msgid in missing]
    for problem in problems:
        print(f"i18n: {problem}", file=sys.stderr)
    if not problems:
        print("i18n: German catalogues complete and compiled")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
