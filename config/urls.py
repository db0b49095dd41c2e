from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from participation.comments import urls as comment_urls
from participation.consultations import urls as consultation_urls


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("participation.api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

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
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
