from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from participation.consultations.forms import ConsultationFilterForm
from participation.consultations.selectors import (
    attach_organisations,
    consultation_counts_by_state,
    consultation_tags_in_use,
    consultations_for_listing,
    organisations_with_consultations,
)

PAGE_SIZE = 12


def consultation_list(request):
    organisations = list(organisations_with_consultations())
    form = ConsultationFilterForm(
        request.GET or None, organisations=organisations, tags=consultation_tags_in_use()
    )
    filters: dict = {}
    if form.is_bound:
        # A bad value is reported and ignored; the valid filters still apply.
        form.is_valid()
        data = form.cleaned_data
        filters = {
            "state": data.get("state") or None,
            "tag": data.get("tag") or None,
            "query": data.get("q") or None,
            "organisation": next(
                (org for org in organisations if org.slug == data.get("organisation")), None
            ),
        }
    now = timezone.now()
    queryset = consultations_for_listing(request.user, now=now, **filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    attach_organisations(page.object_list)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "consultations": page.object_list,
        "state_counts": consultation_counts_by_state(request.user, now),
        "active_filters": {k: v for k, v in filters.items() if v},
        "query_without_page": query_without_page.urlencode(),
    }
    return render(request, "participation_consultations/consultation_list.html", context)
