from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cooperative.accounts.second_factor import second_factor_page, staff_without_second_factor
from cooperative.permissions import allowed
from participation.comments.context import discussion_context, draft_text_context
from participation.comments.forms import (
    CommentForm,
    DraftTextQueryForm,
    ReactionForm,
    ThreadQueryForm,
)
from participation.comments.models import Comment
from participation.comments.selectors import comment_for_user, comment_thread_page
from participation.comments.services import (
    comment_create,
    comment_delete_by_author,
    comment_edit,
    reaction_toggle,
)
from participation.consultations.selectors import consultation_for_user
from participation.contributions import ratelimit
from participation.contributions.targets import (
    CONSULTATION,
    Target,
    target_page_url,
    target_resolve,
)
from participation.gate.policy import ContributionRefused, contribution_gate
from participation.offload import offloaded


def _consultation_or_404(request, consultation_id: int):
    consultation = consultation_for_user(request.user, consultation_id)
    if consultation is None:
        raise Http404
    return consultation


def _comment_or_404(request, consultation, comment_id: int) -> Comment:
    comment = comment_for_user(request.user, consultation, comment_id)
    if comment is None:
        raise Http404
    return comment


def _closed_reason(request, consultation) -> str:
    phase = consultation.current_phase()
    if phase is None or not phase.allows("comment"):
        return _("Contributions are not possible in the current phase of this consultation.")
    return _("You cannot write contributions here.")


def _form_error_response(
    request, consultation, form, *, status: int, parent=None, comment=None, target=CONSULTATION
):
    context = {
        **discussion_context(request, consultation, form=form, with_thread=False, target=target),
        "parent": parent,
        "comment": comment,
        "back_url": target_page_url(consultation, target),
    }
    if request.htmx:
        response = render(
            request, "participation_comments/comment_form.html", context, status=status
        )
        response["HX-Retarget"] = "this"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "participation_comments/comment_form_page.html", context, status=status)


def _denied(request, consultation, message: str):
    return render(
        request,
        "participation_comments/comment_denied.html",
        {"consultation": consultation, "message": message},
        status=403,
    )


def _comment_partial(request, consultation, comment: Comment, template: str, **extra):
    """One contribution (or its reactions) for htmx, rendered as the page renders it."""
    comment.children = getattr(comment, "children", [])
    comment.my_reactions = getattr(comment, "my_reactions", set())
    try:
        target = target_resolve(consultation, comment.target)
    except ValidationError:
        target = comment.target  # revised away meanwhile: the form still names it
    context = {
        **discussion_context(request, consultation, with_thread=False, target=target),
        "comment": comment,
        **extra,
    }
    return render(request, f"participation_comments/{template}.html", context)


def _posted_target(request, consultation) -> tuple[Target, ValidationError | None]:
    """The target the form names, checked; if it is not valid here, the target as given
    (so that the form shown again still names it) and the reason."""
    raw = request.POST.get("target")
    try:
        return target_resolve(consultation, raw), None
    except ValidationError as error:
        try:
            return Target.parse(raw), error
        except ValidationError:
            return CONSULTATION, error


@require_POST
@offloaded
def comment_create_view(request, consultation_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    target, target_error = _posted_target(request, consultation)
    if not request.user.is_authenticated:
        return redirect_to_login(target_page_url(consultation, target))
    form = CommentForm(request.POST)
    parent = None
    if not allowed(request.user, "participation_comments.add_comment", consultation):
        form.add_error(None, _closed_reason(request, consultation))
        return _form_error_response(request, consultation, form, status=403, target=target)
    if target_error is not None:
        form.add_error(None, target_error)
    if form.is_valid():
        official = form.cleaned_data["official"]
        if official and not allowed(
            request.user, "participation_comments.add_official_comment", consultation
        ):
            form.add_error(
                "official", _("Only speakers of the organisation can publish official statements.")
            )
        elif official and staff_without_second_factor(request):
            # The organisation's voice, like every staff act: only with the second factor.
            form.add_error(
                "official",
                _(
                    "Official statements are published only with two-factor authentication. "
                    "Set it up under “Two-factor authentication” in your account, or confirm "
                    "this session with a code from your app; your text is kept."
                ),
            )
        if form.cleaned_data.get("parent"):
            parent = comment_for_user(request.user, consultation, form.cleaned_data["parent"])
            if parent is None:
                form.add_error(None, _("The contribution you wanted to answer no longer exists."))
            else:
                target = parent.target
    if form.is_valid():
        exceeded = ratelimit.action_hit("comment", request)
        if exceeded:
            form.add_error(
                None,
                _(
                    "You are writing very quickly. Please wait %(seconds)d seconds and send again; "
                    "your text is kept."
                )
                % {"seconds": exceeded.retry_after},
            )
            response = _form_error_response(
                request, consultation, form, status=429, parent=parent, target=target
            )
            response["Retry-After"] = str(exceeded.retry_after)
            return response
        try:
            comment = comment_create(
                author=request.user,
                consultation=consultation,
                body=form.cleaned_data["body"],
                parent=parent,
                official=form.cleaned_data["official"],
                target=None if parent else target,
            )
        except ContributionRefused as refusal:
            form.add_error("body", refusal)
            if refusal.retry_after:
                # Slow mode: the writer may send again after the wait; the text is kept.
                response = _form_error_response(
                    request, consultation, form, status=429, parent=parent, target=target
                )
                response["Retry-After"] = str(refusal.retry_after)
                return response
        except ValidationError as error:
            form.add_error("body", error)
    if not form.is_valid():
        return _form_error_response(
            request, consultation, form, status=422, parent=parent, target=target
        )
    waiting = ""
    if comment.status == Comment.Status.PENDING:
        waiting = comment.hold_reason or _(
            "Thank you. Your contribution will appear once the moderators have checked it."
        )
    if request.htmx:
        return _comment_partial(
            request, consultation, comment, "comment_created", parent=parent, form_status=waiting
        )
    if waiting:
        messages.info(request, waiting)
    else:
        messages.success(request, _("Your contribution has been published."))
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
@offloaded
def comment_edit_view(request, consultation_id: int, comment_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    comment = _comment_or_404(request, consultation, comment_id)
    if not allowed(request.user, "participation_comments.change_comment", comment):
        return _denied(request, consultation, _("This contribution can no longer be edited."))
    if comment.is_official and staff_without_second_factor(request):
        # Changing the organisation's voice is a staff act, as publishing it was.
        return second_factor_page(request)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    status = 200
    retry_after = 0
    if request.method == "GET":
        # Say at once what the gate would say on sending (a suspension, a locked thread),
        # rather than after the text was rewritten.
        verdict = contribution_gate(user=request.user, consultation=consultation, editing=comment)
        if verdict.refusal and not verdict.retry_after:
            return _denied(request, consultation, verdict.refusal)
    elif form.is_valid():
        exceeded = ratelimit.action_hit("comment", request)
        if exceeded:
            form.add_error(
                None,
                _(
                    "You are writing very quickly. Please wait %(seconds)d seconds and send again; "
                    "your text is kept."
                )
                % {"seconds": exceeded.retry_after},
            )
            status, retry_after = 429, exceeded.retry_after
        else:
            try:
                comment_edit(comment=comment, body=form.cleaned_data["body"])
            except ContributionRefused as refusal:
                form.add_error("body", refusal)
                if refusal.retry_after:
                    # Slow mode: the change may be sent again after the wait; it is kept.
                    status, retry_after = 429, refusal.retry_after
            except ValidationError as error:
                form.add_error("body", error)
            else:
                return _edited(request, consultation, comment)
    if request.method == "POST" and status == 200:
        status = 422
    response = render(
        request,
        "participation_comments/comment_edit_page.html",
        {"consultation": consultation, "form": form, "comment": comment},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _edited(request, consultation, comment: Comment):
    """After a change: htmx gets the item as it is now (for its author: waiting, with the
    reason in the form status); a plain form goes back to the contribution."""
    waiting = ""
    if comment.status == Comment.Status.PENDING:
        waiting = comment.hold_reason or _(
            "Thank you. Your change will appear once the moderators have checked it."
        )
    if request.htmx:
        return _comment_partial(
            request,
            consultation,
            comment,
            "comment_item",
            edit_status=waiting,
            edited_comment=comment.pk,
        )
    if waiting:
        messages.info(request, waiting)
    else:
        messages.success(request, _("Your contribution has been changed."))
    return redirect(comment.get_absolute_url())


@require_POST
@offloaded
def comment_delete_view(request, consultation_id: int, comment_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    comment = _comment_or_404(request, consultation, comment_id)
    if not allowed(request.user, "participation_comments.delete_comment", comment):
        return _denied(request, consultation, _("You cannot delete this contribution."))
    comment_delete_by_author(comment=comment)
    if request.htmx:
        return _comment_partial(request, consultation, comment, "comment_item")
    messages.success(request, _("Your contribution has been deleted."))
    return redirect(comment.get_absolute_url())


@require_POST
@offloaded
def comment_react_view(request, consultation_id: int, comment_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{consultation.url}#comment-{comment_id}")
    comment = _comment_or_404(request, consultation, comment_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Unknown reaction."), status=400, content_type="text/plain; charset=utf-8"
        )
    if not allowed(request.user, "participation_comments.react_comment", comment):
        return _denied(request, consultation, _("You cannot react to this contribution."))
    exceeded = ratelimit.action_hit("reaction", request)
    if exceeded:
        return HttpResponse(
            _("Too many reactions. Please wait %(seconds)d seconds.")
            % {"seconds": exceeded.retry_after},
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    counts = reaction_toggle(user=request.user, comment=comment, kind=form.cleaned_data["kind"])
    if request.htmx:
        comment.agree_count = counts["agree_count"]
        comment.disagree_count = counts["disagree_count"]
        comment.helpful_count = counts["helpful_count"]
        comment.my_reactions = set(
            comment.reactions.filter(user=request.user).values_list("kind", flat=True)
        )
        return _comment_partial(request, consultation, comment, "comment_reactions")
    return redirect(comment.get_absolute_url())


@require_GET
def comment_thread_view(request, consultation_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    query = ThreadQueryForm(request.GET)
    query.is_valid()
    data = query.cleaned_data
    try:
        target = target_resolve(consultation, data.get("target"))
    except ValidationError:
        raise Http404 from None
    thread = comment_thread_page(
        request.user,
        consultation,
        sort=data.get("sort") or "newest",
        page_number=data.get("page") or 1,
        official_only=bool(data.get("official")),
        target=target,
    )
    return render(
        request,
        "participation_comments/comment_thread.html",
        discussion_context(request, consultation, thread=thread, target=target),
    )


@require_GET
def draft_text_view(request, consultation_id: int):
    """The draft text (Textentwurf), paragraph by paragraph, each with its thread: under the
    paragraph (inline) or beside it on wide screens (aside)."""
    consultation = _consultation_or_404(request, consultation_id)
    if not consultation.draft_paragraphs():
        raise Http404
    query = DraftTextQueryForm(request.GET)
    query.is_valid()
    data = query.cleaned_data
    return render(
        request,
        "participation_comments/draft_text_review.html",
        draft_text_context(
            request, consultation, view=data.get("view") or "inline", open_key=data.get("open")
        ),
    )
