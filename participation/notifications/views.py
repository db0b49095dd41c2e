from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participation.notifications.selectors import notification_for_user, notifications_page
from participation.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
)


@require_GET
@login_required
def notification_list_view(request):
    page = notifications_page(request.user, page_number=request.GET.get("page"))
    return render(
        request,
        "participation_notifications/notification_list.html",
        {"page_obj": page},
    )


@require_GET
@login_required
def notification_open_view(request, notification_id: int):
    """Opening a notification marks it as read and goes where it points."""
    notification = notification_for_user(request.user, notification_id)
    if notification is None:
        raise Http404
    notification_mark_read(notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notification_list")
    return redirect(target)


@require_POST
@login_required
def notification_read_view(request, notification_id: int):
    notification = notification_for_user(request.user, notification_id)
    if notification is None:
        raise Http404
    notification_mark_read(notification=notification)
    return redirect("notification_list")


@require_POST
@login_required
def notifications_read_all_view(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")
