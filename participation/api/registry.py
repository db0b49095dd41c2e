"""The content types the open interfaces serve, each declared once with its serializer.

A new content type plugs in by declaring one `PublicContent`: the REST API, the open-data
export (JSON, CSV) and the DCAT catalogue's distributions all read this registry. A
serializer needs a fast `to_representation` (lists serialize many objects) and declared
fields (they are what the OpenAPI schema says).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class PublicContent:
    name: str  # "comment": the `type` of every object of this kind in the API
    model: type[Model]
    serializer: type
    # The public objects of one consultation, ready to serialize (for the export).
    of_consultation: Callable[[Any], QuerySet] | None = None
    # Flat columns for CSV: (column, function of the serialized dict).
    csv_columns: tuple[tuple[str, Callable[[dict], Any]], ...] = field(default=())


_registry: dict[str, PublicContent] = {}


def register(content: PublicContent) -> PublicContent:
    _registry[content.name] = content
    return content


def registered() -> list[PublicContent]:
    return list(_registry.values())


def content_for(name: str) -> PublicContent:
    return _registry[name]
