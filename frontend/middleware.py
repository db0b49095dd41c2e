import re
from collections.abc import Awaitable, Callable, Iterable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

# Public pages: nothing inline, nothing from another host.
PUBLIC_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
]
PUBLIC_POLICY = "; ".join(PUBLIC_DIRECTIVES)
# A page previewed in the admin is a public page that the admin's preview panel frames.
PREVIEW_POLICY = PUBLIC_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
# Wagtail's admin relies on inline scripts (its templates set up editors and choosers
# in <script> elements) and inline styles; it runs no code built from strings, so no
# 'unsafe-eval' (tests/e2e/test_admin_csp.py works through the editor without it). Images
# from blob: are upload previews, data: fonts and images its icons. Closed to other hosts.
# docs/deployment.md quotes both policies; tests/test_csp.py keeps the two the same.
ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "frame-src 'self'",
    ]
)
ADMIN_PREFIXES = ("/admin/", "/en/admin/")

# A source the embed policy accepts: scheme://host[:port] and nothing that could end the
# directive or start another (the origins are checked when saved; this is the last guard).
_FRAME_SOURCE = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?")


def embed_policy(origins: Iterable[str]) -> str:
    """The public policy, except that the listed origins may frame the response; no
    origin: nobody may, as everywhere else."""
    sources = [origin for origin in origins if _FRAME_SOURCE.fullmatch(origin)]
    ancestors = " ".join(sources) if sources else "'none'"
    return PUBLIC_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")


def framing_allow(response: HttpResponse, origins: Iterable[str]) -> HttpResponse:
    """Let `origins` frame this one response (the consultation's embed view). The policy
    says which origins may; X-Frame-Options cannot name an origin, so the response goes
    without it when any origin is allowed (browsers too old for frame-ancestors then
    allow framing from anywhere: docs/security.md), and keeps DENY when none is."""
    allowed = tuple(origins)
    response.csp_frame_ancestors = allowed  # type: ignore[attr-defined]
    if any(_FRAME_SOURCE.fullmatch(origin) for origin in allowed):
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
    return response


class ContentSecurityPolicyMiddleware:
    """Sets the policy headers. Works both ways, as Django asks of middleware: under ASGI
    it runs synchronously with the rest of the chain, in one thread per request
    (config/middleware.py), and asynchronously wherever a chain is asynchronous."""

    sync_capable = True
    async_capable = True

    def __init__(
        self,
        get_response: Callable[[HttpRequest], HttpResponse]
        | Callable[[HttpRequest], Awaitable[HttpResponse]],
    ) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self.__acall__(request)
        return self._headers(request, self.get_response(request))  # type: ignore[arg-type]

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        response = await self.get_response(request)  # type: ignore[misc]
        return self._headers(request, response)

    @staticmethod
    def _headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if "Content-Security-Policy" not in response:
            if getattr(request, "is_preview", False):
                # Wagtail renders a preview through the middleware with a dummy request for
                # the page's own path, and marks it; the admin's response keeps this header.
                policy = PREVIEW_POLICY
            elif request.path.startswith(ADMIN_PREFIXES):
                policy = ADMIN_POLICY
            elif hasattr(response, "csp_frame_ancestors"):
                policy = embed_policy(response.csp_frame_ancestors)
            else:
                policy = PUBLIC_POLICY
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
