"""Settings for the test suite: fast and deterministic, real services when asked.

SQLite and the in-memory channel layer by default; PostgreSQL and Redis when
DATABASE_URL / REDIS_URL are set (CI sets both).
"""

import atexit
import os
import secrets
import shutil
import tempfile
from pathlib import Path

# Tests never serve: a key made at random for this run (and the servers some tests start),
# never one written down anywhere.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("TASKS_BACKEND", "immediate")

from config.settings import *  # noqa: F403
from config.settings import DATABASES, REDIS_URL

DEBUG = False
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploads on disk, in a folder of this test process's own: documents are served by Wagtail's
# view from their path, as in production (WAGTAILDOCS_SERVE_METHOD).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="allmende-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]  # allauth's switch for "none"
if not REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Live poll results: one update per vote, so tests see each at once
# (the coalescer has tests of its own).
POLL_LIVE_UPDATES_PER_SECOND = 0

# Stored live events are pruned only when a test asks (with immediate tasks a prune after
# the first event of the run would add queries to whichever test comes first).
LIVE_EVENT_PRUNE_INTERVAL_MINUTES = 0

# Offloaded write views run in the test's own thread, so they see its transaction.
OFFLOAD_VIEWS = False

# Parallel test workers (pytest-xdist) share one Redis: each gets its own key prefix, so
# that one worker's consultation 3 is not another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER and REDIS_URL:
    REDIS_PREFIX = f"{REDIS_PREFIX}-{_WORKER}"  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = REDIS_PREFIX  # type: ignore[index]
