"""The console shows a refused request as one line and a server error with its traceback."""

import io
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseForbidden
from django.test import RequestFactory
from django.utils.log import log_response

from config.logging import ClientErrorsWithoutTraceback


def console_output(response, exception) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ClientErrorsWithoutTraceback())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        try:
            raise exception
        except Exception as raised:
            log_response(
                "%s: %s",
                type(raised).__name__,
                "/moderation/",
                response=response,
                request=RequestFactory().get("/moderation/"),
                exception=raised,
            )
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_forbidden_request_is_one_line_without_traceback():
    output = console_output(HttpResponseForbidden(), PermissionDenied("not a moderator"))

    assert "PermissionDenied: /moderation/" in output
    assert "Traceback" not in output


def test_a_server_error_keeps_its_traceback():
    output = console_output(HttpResponse(status=500), RuntimeError("database gone"))

    assert "Traceback" in output
    assert "database gone" in output


def test_the_console_handler_uses_the_filter():
    assert "client_errors" in settings.LOGGING["handlers"]["console"]["filters"]
