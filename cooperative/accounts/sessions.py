"""The session engine: Django's cached_db (the cache first, the database behind it), with
the database read from prebuilt SQL (cooperative/sql.py). A session is read on every request of
a signed-in person, and from the database whenever the cache lacks it: after a restart,
on another process in development (each has its own memory cache), after eviction."""

from __future__ import annotations

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.utils import timezone

from cooperative.sql import KeyedRows

_rows: dict[type, KeyedRows] = {}


class SessionStore(CachedDBStore):
    def _get_session_from_db(self):
        model = self.model
        rows = _rows.get(model)
        if rows is None:
            rows = _rows[model] = KeyedRows(model, ("session_key", "="), ("expire_date", ">"))
        session = rows.get(self.session_key, timezone.now())
        if session is None:
            self._session_key = None
        return session
