from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from participation.live.models import LiveEvent


@csrf_exempt
@require_POST
def insert(request):
    LiveEvent.objects.create(room="bench.bare", type="bench", data="{}")
    return HttpResponse(status=204)


urlpatterns = [path("insert/", insert)]
