from tests.participation.comments.conftest import (  # noqa: F401 (fixtures)
    PHASES,
    ROLES,
    _fresh_cache,
    make_consultation,
    make_person,
)
