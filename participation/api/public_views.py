"""Open data views under the language prefixes: a consultation's export, the catalogue."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from participation.api import selectors
from participation.api.export import PLATFORM_CSV, PLATFORM_JSON, consultation_json, stream_csv


@require_GET
def consultation_export(request, consultation_id: int, fmt: str):
    page = selectors.public_consultation(consultation_id)
    if page is None or fmt not in ("json", "csv"):
        raise Http404
    name = f"beteiligung-{page.pk}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "json":
        response = HttpResponse(consultation_json(request, page), content_type="application/json")
    else:
        response = StreamingHttpResponse(
            stream_csv(request, [page]), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def open_data_view(request):
    """Where an ordinary visitor finds every open interface: feeds, calendar, API, the
    data catalogue and the platform's export (the catalogue's landing page)."""
    return render(
        request,
        "participation_api/open_data.html",
        {
            "export_json_url": f"{settings.MEDIA_URL}{PLATFORM_JSON}",
            "export_csv_url": f"{settings.MEDIA_URL}{PLATFORM_CSV}",
            "export_ready": default_storage.exists(PLATFORM_JSON),
        },
    )
