"""People, consultations and tokens for the tests of the open interfaces."""

import pytest
from django.core.cache import cache

from cooperative.organisations.models import OrganisationRole
from participation.api.models import TokenScope
from participation.api.tokens import token_create
from participation.live.hub import hub_reset
from participation.live.presence import presence_store_reset
from tests.factories import UserFactory, consultation, grant

# Every scope of the back channel; `moderate` needs a mandate (tests/participation/moderation).
ALL_SCOPES = [scope for scope in TokenScope.values if scope != TokenScope.MODERATE]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the (locmem) cache and would leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_hub():
    hub_reset()
    presence_store_reset()
    yield
    hub_reset()
    presence_store_reset()


@pytest.fixture
def open_page(organisation_area):
    _org, index = organisation_area
    return consultation(index, title="Radwege", state="open", tags=("verkehr",))


@pytest.fixture
def pre_page(organisation_area):
    _org, index = organisation_area
    return consultation(index, title="Vorab", state="open", moderation_mode="pre")


@pytest.fixture
def closed_page(organisation_area):
    _org, index = organisation_area
    return consultation(index, title="Vorbei", state="evaluation")


@pytest.fixture
def citizen(db):
    return UserFactory(display_name="Frieda Feldweg")


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def citizen_token(citizen):
    return token_create(user=citizen, name="App", scopes=ALL_SCOPES).secret


@pytest.fixture
def speaker(organisation_area):
    org, _index = organisation_area
    user = UserFactory(display_name="Pressestelle")
    grant(user, org, OrganisationRole.Role.SPEAKER)
    return user


@pytest.fixture
def speaker_token(speaker, organisation_area):
    org, _index = organisation_area
    return token_create(user=speaker, name="Rathaus", scopes=ALL_SCOPES, organisation=org).secret
