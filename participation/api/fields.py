"""Request fields that take exactly the JSON type their schema names (DRF's own coerce:
a CharField takes 5, an IntegerField "5", a BooleanField "yes")."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_ID = 2**53 - 1  # the largest integer every JSON client reads exactly


class MinTextValidator(RegexValidator):
    """At least `length` characters once surrounding whitespace is stripped, and no NUL
    (the services strip; PostgreSQL cannot store NUL)."""

    message = _("Please write at least %(count)d characters (spaces do not count).")

    def __init__(self, length: int) -> None:
        middle = "[^\\x00]*" if length <= 2 else f"[^\\x00]{{{length - 2},}}"
        pattern = f"^[^\\x00]*[^\\s\\x00]{middle}[^\\s\\x00][^\\x00]*$"
        super().__init__(pattern)
        self.length = length
        self.compiled = re.compile(pattern)

    def __call__(self, value) -> None:
        if not self.compiled.search(str(value)):
            raise ValidationError(self.message, code=self.code, params={"count": self.length})


NO_NUL = RegexValidator("^[^\\x00]*$", message=_("Please remove the NUL characters."))


class StrictCharField(serializers.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictListField(serializers.ListField):
    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)
