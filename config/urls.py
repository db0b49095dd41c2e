from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.views import LogoutView
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms.security_txt import security_txt
from cooperative.accounts import views as account_views
from cooperative.accounts.second_factor import second_factor_required
from participation.comments import urls as comment_urls
from participation.consultations import urls as consultation_urls


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def admin_view_guarded(view):
    """Every view of the Wagtail admin (its own and those apps add through hooks) is
    staff-only: it asks for the second factor first, as Wagtail adds its access check.
    Signing out is the exception: it must work for everyone."""
    if issubclass(getattr(view, "view_class", type(None)), LogoutView):
        return lambda request, *args, **kwargs: view(request, *args, **kwargs)
    return second_factor_required(view)


decorate_urlpatterns(wagtailadmin_urls.urlpatterns, admin_view_guarded)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("i18n/setlang/", set_language, name="set_language"),
    # One login for the whole site (allauth's): Wagtail's login and password reset are
    # never reached; its password and e-mail forms are switched off in the settings.
    path(
        "admin/login/",
        account_views.sign_in_elsewhere,
        {"default_next": "wagtailadmin_home"},
    ),
    re_path(r"^admin/password_reset/(?P<rest>.*)$", account_views.password_reset_elsewhere),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("participation.api.urls")),
]


def media_urlpatterns() -> list:
    """Uploads for the development server (production's proxy serves them, docs/deployment.md).

    Documents are left out: a document in a restricted collection may only be read through
    Wagtail's serve view, which asks the collection's privacy first."""
    from django.views.static import serve

    prefix = settings.MEDIA_URL.lstrip("/")
    return [
        re_path(
            rf"^{prefix}(?!documents/)(?P<path>.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]


if settings.DEBUG:
    urlpatterns += media_urlpatterns()

urlpatterns += i18n_patterns(
    path("konto/", include("cooperative.accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("", include(consultation_urls)),
    path("", include(comment_urls)),
    path("", include("participation.polls.urls")),
    path("", include("participation.results.urls")),
    path("", include("participation.proposals.urls")),
    path("", include("participation.notifications.urls")),
    path("", include("participation.guard.urls")),
    path("", include("participation.moderation.transparency_urls")),
    path("", include("participation.moderation.urls")),
    path("", include("participation.api.public_urls")),
    path("genossenschaft/", include("cooperative.urls")),
    # Wagtail's login for private pages: allauth's, like every other.
    path("_util/login/", account_views.sign_in_elsewhere),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
