"""One ASGI application for HTTP and WebSockets, served by daphne."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from participation.live.limits import SocketLimitMiddleware  # noqa: E402
from participation.live.server import (  # noqa: E402
    LiveAuthMiddlewareStack,
    defer_autobahn_debug_formatting,
    tune_garbage_collection,
)

defer_autobahn_debug_formatting()

http_app = django_asgi_app
if settings.DEBUG or os.environ.get("SERVE_STATIC") == "1":
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    http_app = ASGIStaticFilesHandler(django_asgi_app)

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(
            SocketLimitMiddleware(LiveAuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)

tune_garbage_collection()
