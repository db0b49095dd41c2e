"""The base of every API view: token authentication, JSON only, one error shape,
conditional GET (ETag, Last-Modified, 304) and cursor pagination."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from participation.api.authentication import ApiTokenAuthentication
from participation.api.fields import MAX_ID
from participation.api.params import PAGE_SIZE, Param, parse_params
from participation.api.parsers import JSONParser


def api_language(request) -> str:
    """The language of the API's messages: the first language of `Accept-Language` that
    the platform speaks, else German. The API lives outside the language prefixes (one URL
    per resource), so LocaleMiddleware would always choose the default language there; a
    language cookie of the web pages does not apply either."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:500]):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per field: what is wrong with it.",
    )


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        out = {}
        for index, value in enumerate(detail):
            out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "non_field_errors": [str(detail)]}


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(data)
        response.data = {"detail": _("The request is not valid."), "errors": errors}
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"])}
    else:
        response.data = {"detail": str(data)}
    return response


_pages: dict[type, type] = {}


def page_of(serializer_class: type) -> type:
    """The schema of one page of a cursor-paginated list of `serializer_class`."""
    if serializer_class not in _pages:
        name = serializer_class.__name__.removesuffix("Serializer") + "PageSerializer"
        _pages[serializer_class] = type(
            name,
            (serializers.Serializer,),
            {
                "next": serializers.URLField(allow_null=True, help_text="The next page."),
                "previous": serializers.URLField(allow_null=True, help_text="The page before."),
                "results": serializer_class(many=True),
            },
        )
    return _pages[serializer_class]


class ApiPagination(CursorPagination):
    """Cursor pagination by id: stable under inserts, cheap at any depth."""

    page_size = 20
    ordering = "-pk"
    cursor_query_param = "cursor"

    def __init__(self, *, ordering: str = "-pk", page_size: int = 20) -> None:
        self.ordering = ordering
        self.page_size = page_size

    def get_page_size(self, request) -> int:
        return getattr(request, "api_page_size", None) or self.page_size

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            cursor = super().decode_cursor(request)
        except (exceptions.NotFound, ValueError, UnicodeDecodeError):
            raise exceptions.NotFound(_("This cursor is not valid.")) from None
        if cursor is not None and cursor.position is not None:
            position = str(cursor.position)
            if not position.isascii() or not position.isdigit() or len(position) > 18:
                raise exceptions.NotFound(_("This cursor is not valid."))
        return cursor

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The cursor of the page, from `next` or `previous`.",
                "schema": {"type": "string"},
            }
        ]


class ApiView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes: list = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]  # with the nesting limit
    params: tuple[Param, ...] = ()
    paginated = False
    ordering = "-pk"
    default_page_size = 20

    def get_exception_handler(self):
        return api_exception_handler

    def dispatch(self, request, *args, **kwargs):
        language = api_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])  # for caches between
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Ids beyond what the database holds exist nowhere (SQLite would overflow on them).
        if kwargs.get("pk", 0) > MAX_ID:
            raise exceptions.NotFound(_("There is no public object with this id."))

    def query(self, request) -> dict:
        params = self.params + ((PAGE_SIZE,) if self.paginated else ())
        values = parse_params(request, params)
        request.api_page_size = values.get("page_size")
        return values

    def paginate(self, request, queryset):
        self.paginator = ApiPagination(ordering=self.ordering, page_size=self.default_page_size)
        return self.paginator.paginate_queryset(queryset, request, view=self)

    def paginated_response(self, data) -> Response:
        return self.paginator.get_paginated_response(data)

    def serializer_context(self) -> dict:
        return {"request": self.request, "view": self}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            patch_vary_headers(response, ("Authorization", "Accept-Language"))
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        last_modified = getattr(self, "last_modified", None)
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        response["Cache-Control"] = "public, max-age=30"
        patch_vary_headers(response, ("Authorization", "Accept-Language"))
        conditional = get_conditional_response(
            request,
            etag=etag,
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,
        )
        return conditional
