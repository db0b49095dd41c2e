"""Open data views under the language prefixes: a consultation's export, the catalogue."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from participation.api import selectors
from participation.api.export import consultation_json, stream_csv


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
