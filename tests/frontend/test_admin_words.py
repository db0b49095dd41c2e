"""The editorial approval of pages is "Freigabe" in German, everywhere in Wagtail's admin:
"Moderation" is the moderation of contributions (../shared/GLOSSARY.md)."""

import re
from pathlib import Path

import polib
import wagtail
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext


def _wagtail_entries_saying_moderation():
    root = Path(wagtail.__file__).parent
    for path in sorted(root.glob("**/locale/de/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(path)):
            text = entry.msgstr + " ".join(entry.msgstr_plural.values())
            if entry.translated() and re.search("Moderation", text):
                yield entry


def _as_shown(entry) -> str:
    if entry.msgid_plural:
        return " ".join(ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2))
    if entry.msgctxt:
        return pgettext(entry.msgctxt, entry.msgid)
    return gettext(entry.msgid)


def test_wagtail_never_calls_the_editorial_approval_moderation():
    entries = list(_wagtail_entries_saying_moderation())
    assert len(entries) >= 20  # Wagtail still words it so: the overrides are needed
    with translation.override("de"):
        shown = {entry.msgid: _as_shown(entry) for entry in entries}
    assert {msgid: text for msgid, text in shown.items() if "Moderation" in text} == {}
    assert shown["Submit for moderation"] == "Zur Freigabe einreichen"
