from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from participation.consultations.models import ConsultationPage


@require_GET
def one(request, pk: int):
    row = ConsultationPage.objects.filter(pk=pk).values("id", "title", "last_published_at").first()
    return JsonResponse({"id": row["id"], "title": row["title"]} if row else {}, status=200)


urlpatterns = [path("json/<int:pk>/", one)]
