import os
import shutil

import pytest

from tests import i18n_check


def test_german_catalogue_is_complete_and_compiled():
    assert i18n_check.catalogue_problems() == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="GNU gettext (xgettext) is not installed; CI installs it",
)
def test_every_string_in_the_code_is_in_the_catalogue():
    assert i18n_check.missing_msgids() == []


def test_allauth_overrides_are_complete_and_compiled():
    assert i18n_check.override_problems() == []
