"""The WebSocket routes, composed here as config/urls.py composes the pages: the live
transport (participation.live) knows no kind and no moderation."""

from django.urls import path

from participation.live.consumers import ConsultationLiveConsumer
from participation.moderation.consumers import ModerationQueueConsumer

websocket_urlpatterns = [
    path("ws/consultations/<int:page_id>/", ConsultationLiveConsumer.as_asgi()),
    # The first clients (presence only) used this address; it is the same stream.
    path("ws/consultations/<int:page_id>/presence/", ConsultationLiveConsumer.as_asgi()),
    # The moderators' queue: one stream per moderator, groups by mandate scope.
    path("ws/moderation/", ModerationQueueConsumer.as_asgi()),
]
