"""Query parameters, checked strictly: what the schema promises is exactly what is taken.

DRF's own fields are lenient (an integer field takes "5.0", a boolean "1"); an open
interface that accepts what its schema forbids invites clients to depend on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

MAX_PAGE_SIZE = 200
_INT = re.compile(r"0|[1-9][0-9]{0,9}")
_SLUG = re.compile("^[-0-9A-Za-z_\\u00C0-\\u024F]{1,100}$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # int, slug, datetime, enum, bool
    description: str
    choices: tuple[str, ...] = ()
    minimum: int = 1
    maximum: int = MAX_PAGE_SIZE

    def openapi(self) -> OpenApiParameter:
        if self.kind == "int":
            schema = {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        elif self.kind == "slug":
            schema = {"type": "string", "pattern": _SLUG.pattern, "maxLength": 100}
        elif self.kind == "datetime":
            schema = {"type": "string", "format": "date-time"}
        elif self.kind == "bool":
            schema = {"type": "boolean"}
        else:
            schema = {"type": "string", "enum": list(self.choices)}
        return OpenApiParameter(
            self.name, type=schema, location=OpenApiParameter.QUERY, description=self.description
        )

    def parse(self, raw: str):
        if self.kind == "int":
            if not _INT.fullmatch(raw) or not self.minimum <= int(raw) <= self.maximum:
                raise ValueError(
                    _("A whole number from %(min)d to %(max)d, please.")
                    % {"min": self.minimum, "max": self.maximum}
                )
            return int(raw)
        if self.kind == "slug":
            if not _SLUG.fullmatch(raw):
                raise ValueError(_("Letters, digits and hyphens only, please."))
            return raw
        if self.kind == "datetime":
            return parse_datetime(raw)
        if self.kind == "bool":
            if raw not in ("true", "false"):
                raise ValueError(_("true or false, please."))
            return raw == "true"
        if raw not in self.choices:
            raise ValueError(_("One of: %(choices)s.") % {"choices": ", ".join(self.choices)})
        return raw


def parse_datetime(raw: str) -> datetime:
    """An RFC 3339 date-time; times beyond what the database holds are clamped."""
    match = _DATETIME.fullmatch(raw)
    if not match:
        raise ValueError(_("A date and time as in RFC 3339, e.g. 2026-05-01T08:00:00Z."))
    text = raw.upper().replace("Z", "+00:00")
    if match.group(6) == "60":  # a leap second: the last second of that minute
        text = f"{text[:17]}59{text[19:]}"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_("This date does not exist.")) from None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return (
            datetime.min.replace(tzinfo=UTC) if value.year < 2 else datetime.max.replace(tzinfo=UTC)
        )


CURSOR_PARAMETER = OpenApiParameter(
    "cursor",
    type={"type": "string"},
    location=OpenApiParameter.QUERY,
    description="The page: the cursor in `next` or `previous` of the page before.",
)
PAGE_SIZE = Param("page_size", "int", "How many objects per page (1 to 200).")
UPDATED_SINCE = Param(
    "updated_since", "datetime", "Only objects created or changed at or after this moment."
)


def list_parameters(params: tuple[Param, ...]) -> list[OpenApiParameter]:
    """The parameters of a paginated list: its filters, the cursor and the page size."""
    return [*(param.openapi() for param in params), PAGE_SIZE.openapi(), CURSOR_PARAMETER]


def parse_params(request, params: tuple[Param, ...]) -> dict:
    values: dict = {}
    errors: dict[str, list[str]] = {}
    for param in params:
        raw_values = request.query_params.getlist(param.name)
        if not raw_values:
            continue
        if len(raw_values) > 1:
            errors[param.name] = [_("Give this parameter once.")]
            continue
        try:
            values[param.name] = param.parse(raw_values[0])
        except ValueError as error:
            errors[param.name] = [str(error)]
    if errors:
        raise ValidationError(errors)
    return values
