from django.urls import path

from participation.live.consumers import ConsultationLiveConsumer

websocket_urlpatterns = [
    path("ws/consultations/<int:page_id>/", ConsultationLiveConsumer.as_asgi()),
    # The first clients (presence only) used this address; it is the same stream.
    path("ws/consultations/<int:page_id>/presence/", ConsultationLiveConsumer.as_asgi()),
]
