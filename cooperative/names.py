"""Names that people and organisations are known by: visible, and no look-alike of another.

Look-alikes are compared by their skeleton as Unicode Technical Standard #39 defines it
(section 4, "Confusable Detection"), computed by ICU's spoof checker from Unicode's
confusables data (PyICU, from the pyicu-wheels package): "Redaktion Musterst\\u0430dt"
with a Cyrillic a has the skeleton of "Redaktion Musterstadt", "B0b" that of "BOb", "rn"
that of "m". Two keys are kept per name,
each in an indexed column filled on every save (`NameSkeletonField`), so that a new name is
compared with all others by two index look-ups, not by reading every name:

- the skeleton of the name as written (NFKC): what UTS #39 compares; it keeps "Ian" and
  "lan" together, which look alike in most fonts;
- the skeleton of the case-folded name: "REDAKTION MUSTERST\\u0410DT" and "redaktion
  musterstadt" look like the same name in other letters.

A name is visible when, after removing default-ignorable code points (the Unicode property
Default_Ignorable_Code_Point: zero-width characters, the Hangul fillers U+3164, U+115F,
U+1160 and U+FFA0, variation selectors ...), format and control characters and white
space, at least one character of the categories L, N, P or S is left. Names may not contain
such invisible characters at all: they serve no purpose in a name and make two names that
look the same differ.
"""

from __future__ import annotations

import re
import unicodedata

import icu
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_SPOOF_CHECKER = icu.SpoofChecker()  # getSkeleton is safe to call from several threads
_DEFAULT_IGNORABLE = icu.UnicodeSet("[:Default_Ignorable_Code_Point:]")
_DEFAULT_IGNORABLE.freeze()
# Control, format, surrogate, private use, unassigned, line and paragraph separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_VISIBLE_CLASSES = {"L", "N", "P", "S"}
_WHITESPACE = re.compile(r"\s+")


def is_invisible(char: str) -> bool:
    """A character that shows nothing (and is not a plain space)."""
    if _DEFAULT_IGNORABLE.contains(char):
        return True
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES


def invisible_characters(name: str) -> list[str]:
    """The invisible characters in `name`, as U+XXXX, each once, in order."""
    found: list[str] = []
    for char in name:
        code = f"U+{ord(char):04X}"
        if is_invisible(char) and code not in found:
            found.append(code)
    return found


def has_visible_character(name: str) -> bool:
    return any(
        unicodedata.category(char)[0] in _VISIBLE_CLASSES
        for char in name
        if not is_invisible(char) and not char.isspace()
    )


def validate_visible_name(value: str) -> None:
    """No invisible characters, and at least one that shows (for every kind of name)."""
    invisible = invisible_characters(value)
    if invisible:
        raise ValidationError(
            _(
                "A name cannot contain invisible characters (such as zero-width spaces or "
                "fillers); this one contains %(characters)s."
            ),
            params={"characters": ", ".join(invisible)},
            code="invisible",
        )
    if not has_visible_character(value):
        raise ValidationError(
            _("A name needs at least one visible letter, digit or sign."), code="blank"
        )


def _prepared(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if not is_invisible(char))
    return _WHITESPACE.sub(" ", text).strip()


def _skeleton(text: str) -> str:
    return _SPOOF_CHECKER.getSkeleton(0, text)


def name_skeleton(name: str) -> str:
    """The UTS #39 skeleton of the name as written ("" for a blank name)."""
    text = _prepared(name)
    return _skeleton(text) if text else ""


def name_skeleton_folded(name: str) -> str:
    """The skeleton of the case-folded name, folded again until it no longer changes (a
    skeleton may hold capitals, such as "O" for "0")."""
    text = _prepared(name).casefold()
    for _round in range(4):
        folded = _skeleton(text).casefold()
        if folded == text:
            break
        text = folded
    return text


def lookalikes(prefix: str, name: str) -> Q:
    """Rows whose name has one of `name`'s skeletons (in the columns `<prefix>_skeleton`
    and `<prefix>_skeleton_folded`); nothing for a blank name."""
    visual, folded = name_skeleton(name), name_skeleton_folded(name)
    if not folded:
        return Q(pk__in=[])
    return Q(**{f"{prefix}_skeleton": visual}) | Q(**{f"{prefix}_skeleton_folded": folded})


def skeletons_unchanged(instance: models.Model, source: str, prefix: str) -> bool:
    """Whether the name of a saved row still has the skeletons stored with it (a change of
    case or spacing that keeps them is no new name). A new row has none stored."""
    name = getattr(instance, source) or ""
    return getattr(instance, f"{prefix}_skeleton") == name_skeleton(name) and getattr(
        instance, f"{prefix}_skeleton_folded"
    ) == name_skeleton_folded(name)


class NameSkeletonField(models.TextField):
    """A skeleton of another field of the same row, computed on every save (as `auto_now`
    is), so that no path that saves a name can leave it out. A save restricted by
    `update_fields` must name this field beside the name; `QuerySet.update` bypasses it."""

    def __init__(self, *args, source: str, folded: bool = False, **kwargs) -> None:
        self.source = source
        self.folded = folded
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.folded:
            kwargs["folded"] = True
        kwargs.pop("editable", None)
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        name = getattr(model_instance, self.source) or ""
        value = name_skeleton_folded(name) if self.folded else name_skeleton(name)
        setattr(model_instance, self.attname, value)
        return value
