"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Python's JSON decoder descends once per `[` or `{`; a body of 100,000 `[` (100 kB, well
within the upload limit) made it raise RecursionError, which DRF does not catch, and the
request ended in a 500. The nesting is measured before decoding, in one pass that stops at
the first level too deep, and such a body is a 400 that says why.

MAX_JSON_DEPTH = 32: the deepest body the API takes is two levels (an object holding a list
of strings, e.g. a proposal's tags), and no client has reason to send more than a handful;
32 leaves room for any future field, and stays far below Python's recursion limit (1,000),
so neither the decoder nor the serializers that walk the result come near it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

MAX_JSON_DEPTH = 32

# A JSON string (its brackets do not count) or one bracket.
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def json_nesting_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text opens more than `limit` arrays or objects inside each other.

    For valid JSON the scan is exact; for invalid JSON it may count a bracket inside an
    unterminated string, which the decoder refuses anyway."""
    depth = 0
    for match in _STRUCTURE.finditer(text):
        piece = match.group()
        if piece in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif piece in ("]", "}"):
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the nesting limit; the only parser of the API."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(
                _("The request body is not valid %(encoding)s.") % {"encoding": encoding}
            ) from exc
        if json_nesting_exceeds(text, self.max_depth):
            raise ParseError(
                _(
                    "The JSON in the request body is nested more than %(limit)d levels "
                    "deep; the API accepts at most %(limit)d."
                )
                % {"limit": self.max_depth}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
