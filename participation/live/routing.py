from django.urls import path

from participation.live.consumers import PresenceConsumer

websocket_urlpatterns = [
    path("ws/consultations/<int:page_id>/presence/", PresenceConsumer.as_asgi()),
]
