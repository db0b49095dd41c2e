"""Dates and times in both languages end without a full stop of their own, so that the
sentences that end on one (phases, notices, calm mode, e-mails) end with exactly one."""

from datetime import datetime

import pytest
from django.utils import formats, translation

EVENING = datetime(2026, 12, 6, 18, 27)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Dec. 6, 2026, 18:27"), ("de", "6. Dezember 2026 18:27")],
)
def test_date_and_time_formats(language, expected):
    with translation.override(language):
        text = formats.date_format(EVENING, "DATETIME_FORMAT")
        assert text == expected
        assert not formats.time_format(EVENING).endswith(".")
        assert not formats.date_format(EVENING, "SHORT_DATETIME_FORMAT").endswith(".")
