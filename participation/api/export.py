"""Open data: everything public of a consultation, or of the platform, as JSON and CSV.

The objects are those the API serves, serialized by the same serializers (the registry
in participation/api/registry.py): pseudonyms only, nothing pending, hidden or removed.
A consultation's export streams; the platform's is written by a background task to
MEDIA_ROOT/open-data/ (see `open_data_export`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone
from django_tasks import task

from cooperative.exports import CsvDictWriter
from participation.api import selectors
from participation.api.links import Links
from participation.api.registry import content_for, registered

EXPORT_DIR = "open-data"
PLATFORM_JSON = f"{EXPORT_DIR}/allmende.json"
PLATFORM_CSV = f"{EXPORT_DIR}/allmende.csv"


def _context(request) -> dict:
    return {"request": request, "links": Links(request)}


def consultation_records(request, page, context=None) -> dict:
    """The consultation and each registered content type of it, serialized."""
    context = context or _context(request)
    data = {
        "consultation": content_for("consultation").serializer(page, context=context).data,
    }
    for content in registered():
        if content.of_consultation is None:
            continue
        objects = list(content.of_consultation(page))
        for obj in objects:
            for attribute in ("consultation", "page"):
                if hasattr(obj, f"{attribute}_id"):
                    setattr(obj, attribute, page)
        data[f"{content.name}s"] = content.serializer(objects, many=True, context=context).data
    return data


def csv_header() -> list[str]:
    columns = ["type"]
    for content in registered():
        for name, _getter in content.csv_columns:
            if name not in columns:
                columns.append(name)
    return columns


def csv_rows(records: dict) -> Iterator[dict]:
    yield {"type": "consultation", **_columns("consultation", records["consultation"])}
    for content in registered():
        for row in records.get(f"{content.name}s", []):
            yield {"type": content.name, **_columns(content.name, row)}


def _columns(name: str, row: dict) -> dict:
    return {column: getter(row) for column, getter in content_for(name).csv_columns}


def consultation_json(request, page) -> str:
    data = {
        "generated_at": timezone.now().isoformat(),
        "licence": licence_url(),
        **consultation_records(request, page),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def stream_csv(request, pages) -> Iterator[str]:
    """The CSV, one consultation at a time (never the whole platform in memory)."""
    header = csv_header()
    buffer = io.StringIO()
    writer = CsvDictWriter(buffer, fieldnames=header)
    writer.writeheader()
    context = _context(request)
    for page in pages:
        for row in csv_rows(consultation_records(request, page, context)):
            writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def licence_url() -> str:
    from participation.api.dcat import licence

    return licence().uri


def _export_request():
    from django.conf import settings

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    scheme, _sep, host = base.partition("://")
    return RequestFactory().get("/", HTTP_HOST=host or "localhost", secure=scheme == "https")


def platform_export_write() -> dict:
    """Write the platform's export (JSON and CSV) under MEDIA_ROOT; returns the paths."""
    request = _export_request()
    pages = list(selectors.public_consultations().order_by("pk"))
    selectors.attach_areas(pages)
    context = _context(request)
    data = {
        "generated_at": timezone.now().isoformat(),
        "licence": licence_url(),
        "consultations": [consultation_records(request, page, context) for page in pages],
    }
    for path in (PLATFORM_JSON, PLATFORM_CSV):
        if default_storage.exists(path):
            default_storage.delete(path)
    default_storage.save(PLATFORM_JSON, ContentFile(json.dumps(data, ensure_ascii=False).encode()))
    default_storage.save(
        PLATFORM_CSV, ContentFile("".join(stream_csv(request, pages)).encode("utf-8"))
    )
    return {"json": PLATFORM_JSON, "csv": PLATFORM_CSV, "consultations": len(pages)}


@task()
def open_data_export() -> dict:
    """The platform export in the background (`manage.py db_worker` runs it)."""
    return platform_export_write()
