import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from cooperative.permissions import allowed
from participation.consultations.selectors import consultation_for_user
from participation.results.export import results_csv, results_json
from participation.results.selectors import consultation_results


def _consultation_with_results(request, consultation_id: int):
    consultation = consultation_for_user(request.user, consultation_id)
    if consultation is None or not allowed(
        request.user, "participation_results.view_results", consultation
    ):
        raise Http404
    return consultation


@require_GET
def results_view(request, consultation_id: int, fmt: str = "html"):
    consultation = _consultation_with_results(request, consultation_id)
    results = consultation_results(consultation)
    name = f"ergebnisse-{slugify(consultation.title)[:60]}"
    if fmt == "json":
        data = results_json(results, url=consultation.get_full_url(request))
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if fmt == "csv":
        response = HttpResponse(results_csv(results), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    return render(
        request,
        "participation_results/results_page.html",
        {
            "consultation": consultation,
            "results": results,
            "published": consultation.state() == "finished",
        },
    )
