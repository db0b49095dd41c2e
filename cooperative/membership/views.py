from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperative.accounts.second_factor import second_factor_required
from cooperative.exports import CsvWriter
from cooperative.membership.forms import ApplicationForm, DecisionForm, ExclusionForm, ResignForm
from cooperative.membership.models import Member
from cooperative.membership.selectors import (
    REGISTER_COLUMNS,
    applications_of,
    applications_pending,
    member_register,
    member_register_rows,
)
from cooperative.membership.services import (
    membership_admit,
    membership_apply,
    membership_exclude,
    membership_reject,
    membership_resign,
)
from cooperative.organisations.selectors import organisations_of
from cooperative.permissions import LoginRequired, allowed, login_or_403, require


def _application_form(request, data=None):
    organisations = [
        o
        for o in organisations_of(request.user, "representative")
        if allowed(request.user, "cooperative_membership.apply_for_organisation", o)
        and not o.memberships.filter(status__in=["applied", "admitted"]).exists()
    ]
    can_self = allowed(request.user, "cooperative_membership.apply_member")
    if not can_self and not organisations:
        return None, organisations
    form = ApplicationForm(data, organisations=organisations, can_apply_self=can_self)
    return form, {str(o.pk): o for o in organisations}


@login_or_403
def membership_mine_view(request):
    if not request.user.is_authenticated:
        raise LoginRequired
    form, organisations = _application_form(request, request.POST or None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            applicant = form.cleaned_data["applicant"]
            organisation = None
            if applicant.startswith("org:"):
                organisation = organisations.get(applicant[4:])
                if organisation is None:
                    raise PermissionDenied
            try:
                membership_apply(
                    applied_by=request.user,
                    organisation=organisation,
                    member_group=form.cleaned_data["member_group"],
                    shares=form.cleaned_data["shares"],
                    legal_name=form.cleaned_data["legal_name"],
                    address=form.cleaned_data["address"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Thank you. The board will decide on your application.")
                )
                return redirect("membership_mine")
    memberships = [
        (m, ResignForm(prefix=f"resign-{m.pk}"))
        for m in applications_of(request.user)
        if m.user_id == request.user.pk or m.organisation_id
    ]
    return render(
        request,
        "cooperative_membership/membership_mine.html",
        {"form": form, "memberships": memberships, "today": timezone.localdate()},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_or_403
def membership_resign_view(request, member_id: int):
    member = applications_of(request.user).filter(pk=member_id).first()
    if member is None:
        raise Http404
    require(request, "cooperative_membership.resign_member", member)
    form = ResignForm(request.POST, prefix=f"resign-{member.pk}")
    if form.is_valid():
        try:
            membership_resign(
                member=member, by=request.user, effective_on=form.cleaned_data["effective_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your notice of resignation has been recorded."))
    else:
        messages.error(request, _("Please give the date on which you leave."))
    return redirect("membership_mine")


@second_factor_required
@login_or_403
def member_register_view(request):
    require(request, "cooperative_membership.view_register")
    pending = [(m, DecisionForm(prefix=f"decide-{m.pk}")) for m in applications_pending()]
    register = [
        (m, ExclusionForm(prefix=f"exclude-{m.pk}") if m.status == Member.Status.ADMITTED else None)
        for m in member_register()
    ]
    return render(
        request,
        "cooperative_membership/member_register.html",
        {"pending": pending, "register": register},
    )


@second_factor_required
@require_POST
@login_or_403
def membership_decide_view(request, member_id: int):
    require(request, "cooperative_membership.decide_member")
    member = applications_pending().filter(pk=member_id).first()
    if member is None:
        raise Http404
    form = DecisionForm(request.POST, prefix=f"decide-{member.pk}")
    if not form.is_valid():
        messages.error(request, _("Please choose admit or reject."))
        return redirect("member_register")
    try:
        if form.cleaned_data["decision"] == "admit":
            member = membership_admit(member=member, by=request.user)
            messages.success(
                request,
                _("Admitted as member no. %(number)s.") % {"number": member.number},
            )
        else:
            membership_reject(member=member, by=request.user, reason=form.cleaned_data["reason"])
            messages.info(request, _("The application has been rejected."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("member_register")


@second_factor_required
@require_POST
@login_or_403
def membership_exclude_view(request, member_id: int):
    member = member_register().filter(pk=member_id).first()
    if member is None:
        raise Http404
    require(request, "cooperative_membership.exclude_member", member)
    form = ExclusionForm(request.POST, prefix=f"exclude-{member.pk}")
    if form.is_valid():
        try:
            membership_exclude(
                member=member,
                by=request.user,
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The exclusion has been recorded."))
    else:
        messages.error(request, _("Please give the date and the reason for the exclusion."))
    return redirect("member_register")


@second_factor_required
@login_or_403
def member_register_csv_view(request):
    require(request, "cooperative_membership.export_register")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mitgliederliste-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # spreadsheet programs read UTF-8 with the mark
    writer = CsvWriter(response)
    writer.writerow(REGISTER_COLUMNS)
    writer.writerows(member_register_rows())
    return response
