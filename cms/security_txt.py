"""`/.well-known/security.txt` (RFC 9116): where to report a vulnerability of this instance.

The operator names the contact (`SECURITY_CONTACT`: mailto: or https: URIs); without one
the file does not exist rather than point people nowhere, and `check --deploy` says so.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

# RFC 9116 2.5.5: Expires should be less than a year ahead; the file is made per request,
# so it never goes stale.
VALID_FOR = timedelta(days=180)


def contact_uris() -> list[str]:
    return [
        uri for uri in settings.SECURITY_CONTACT if uri.startswith(("mailto:", "https://", "tel:"))
    ]


@require_GET
def security_txt(request) -> HttpResponse:
    contacts = contact_uris()
    if not contacts:
        raise Http404("No security contact is configured.")
    expires = (timezone.now() + VALID_FOR).replace(microsecond=0)
    lines = [f"Contact: {uri}" for uri in contacts]
    lines += [
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: de, en",
        f"Canonical: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/.well-known/security.txt",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@register(Tags.security, deploy=True)
def security_contact_check(app_configs, **kwargs) -> list[Warning]:
    if contact_uris() and len(contact_uris()) == len(settings.SECURITY_CONTACT):
        return []
    return [
        Warning(
            "SECURITY_CONTACT names no usable contact (mailto:, https: or tel: URIs, "
            "comma-separated): /.well-known/security.txt is missing, so nobody knows where "
            "to report a vulnerability.",
            id="allmende.W001",
        )
    ]
