"""The accessibility statement's page and its feedback form, served through the page
(`AccessibilityStatementPage`'s routes): parse, count the rate limit, call the service."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.forms import PAGE_URL_MAX_LENGTH, AccessibilityFeedbackForm
from cms.selectors import accessibility_feedback_by_id
from cms.services import accessibility_feedback_create
from participation.contributions.ratelimit import action_hit

LAST_FEEDBACK = "cms_last_accessibility_feedback"
FEEDBACK_ACTION = "accessibility_feedback"


def _page_concerned(request) -> str:
    """The page a person came from, as a start for the field: only an address of this
    site, and never the statement itself."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.get_host() or not referer.path:
        return ""
    if referer.path == request.path:
        return ""
    return referer.path[:PAGE_URL_MAX_LENGTH]


def accessibility_statement(request, *, page):
    status = 200
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        status = 422
        if form.is_valid():
            exceeded = action_hit(FEEDBACK_ACTION, request)
            if exceeded is not None:
                status = 429
                minutes = max(1, (exceeded.retry_after + 59) // 60)
                form.add_error(
                    None,
                    _(
                        "You have sent several messages in a short time. Please wait %(minutes)d "
                        "minutes and send it again; what you wrote is kept."
                    )
                    % {"minutes": minutes},
                )
            else:
                data = form.cleaned_data
                try:
                    feedback = accessibility_feedback_create(
                        message=data["message"],
                        name=data["name"],
                        email=data["email"],
                        page_url=data["page_url"],
                        language=translation.get_language() or "",
                        site=Site.find_for_request(request),
                    )
                except ValidationError as error:
                    for name, messages in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, messages)
                else:
                    request.session[LAST_FEEDBACK] = feedback.pk
                    return redirect(
                        page.get_url(request) + page.reverse_subpage("feedback_received")
                    )
    else:
        form = AccessibilityFeedbackForm(initial={"page_url": _page_concerned(request)})
    response = page.render(request, context_overrides={"form": form})
    response.status_code = status
    return response


def accessibility_feedback_received(request, *, page):
    """The confirmation for whoever just sent a message (nobody else sees one)."""
    feedback = accessibility_feedback_by_id(request.session.get(LAST_FEEDBACK))
    if feedback is None:
        return redirect(page.get_url(request))
    return TemplateResponse(
        request,
        "cms/accessibility_feedback_received.html",
        {"page": page, "self": page, "feedback": feedback},
    )
