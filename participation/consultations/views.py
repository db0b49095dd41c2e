from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from frontend.middleware import framing_allow
from participation.consultations.forms import ConsultationFilterForm
from participation.consultations.sections import (
    embed_parts,
    embed_sections,
    page_sections_context,
)
from participation.consultations.selectors import (
    attach_organisations,
    consultation_counts_by_state,
    consultation_for_user,
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


@require_GET
def consultation_embed(request, consultation_id: int):
    """The consultation's live parts (polls, discussion) on a compact page that the
    websites its organisation lists may frame; every other response forbids framing.

    Visible to whoever may see the page's other views (comment thread, proposals): a
    draft or a restricted consultation is a 404 for everyone else. A password form inside
    another site's frame would not work (the browser does not send the cookie it sets back
    to that frame), and would teach people to type passwords into frames."""
    consultation = consultation_for_user(request.user, consultation_id)
    if consultation is None:
        raise Http404
    part = request.GET.get("abschnitt", "")
    sections = embed_sections(part)
    unknown = bool(part) and not sections
    context = {
        "page": consultation,
        "embed_sections": sections,
        "unknown_part": part if unknown else "",
        "embed_parts": embed_parts(),
        "consultation_state": consultation.state(timezone.now()),
        **page_sections_context(request, consultation, only={s.name for s in sections}),
    }
    response = render(
        request,
        "participation_consultations/consultation_embed.html",
        context,
        status=400 if unknown else 200,
    )
    organisation = consultation.organisation
    return framing_allow(response, organisation.embed_origin_list if organisation else ())
