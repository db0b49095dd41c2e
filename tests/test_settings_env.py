"""config.settings reads its configuration from the environment (12-factor).

Each case imports the settings module in a fresh interpreter with a controlled
environment and inspects the values it ends up with.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CONFIG_VARIABLES = {
    "DEBUG",
    "ALLMENDE_DEV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_POOL",
    "DATABASE_CONN_MAX_AGE",
    "REDIS_URL",
    "REDIS_PREFIX",
    "TASKS_BACKEND",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
}
SECRET = "s" * 20 + "e" * 20 + "c" * 20 + "r3t!"

PRINT_SETTINGS = """
import json
import config.settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "DATABASE": {k: s.DATABASES["default"].get(k) for k in ("ENGINE", "NAME", "HOST", "PORT",
                 "USER", "CONN_MAX_AGE", "OPTIONS")},
    "CHANNEL_LAYERS": s.CHANNEL_LAYERS,
    "CACHES": s.CACHES,
    "REDIS_PREFIX": s.REDIS_PREFIX,
    "TASKS": s.TASKS,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "SESSION_COOKIE_SECURE": getattr(s, "SESSION_COOKIE_SECURE", False),
    "CSRF_COOKIE_SECURE": getattr(s, "CSRF_COOKIE_SECURE", False),
    "SECURE_SSL_REDIRECT": getattr(s, "SECURE_SSL_REDIRECT", False),
    "SECURE_HSTS_SECONDS": getattr(s, "SECURE_HSTS_SECONDS", 0),
    "STATICFILES_BACKEND": s.STORAGES["staticfiles"]["BACKEND"],
}, default=str))
"""


def load_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(**variables: str) -> dict:
    variables.setdefault("SECRET_KEY", SECRET)
    result = load_settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_database_defaults_to_sqlite_in_the_project():
    values = settings_with()

    database = values["DATABASE"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")
    # Concurrent readers and one writer without "database is locked" errors.
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    # Connections stay open per thread instead of being reopened for every request.
    assert database["CONN_MAX_AGE"] == 600
    assert settings_with(DATABASE_CONN_MAX_AGE="0")["DATABASE"]["CONN_MAX_AGE"] == 0


def test_database_url_selects_postgresql():
    values = settings_with(
        DATABASE_URL="postgres://allmende:geheim@db.internal:5433/beteiligung",
        DATABASE_CONN_MAX_AGE="60",
    )

    database = values["DATABASE"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "beteiligung"
    assert database["HOST"] == "db.internal"
    assert database["PORT"] == 5433
    assert database["USER"] == "allmende"
    assert database["CONN_MAX_AGE"] == 60
    assert "transaction_mode" not in (database["OPTIONS"] or {})


def test_database_pool_replaces_persistent_connections():
    values = settings_with(
        DATABASE_URL="postgres://allmende@db.internal/allmende",
        DATABASE_CONN_MAX_AGE="60",
        DATABASE_POOL="1",
        DATABASE_POOL_SIZE="16",
    )

    assert values["DATABASE"]["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 16, "timeout": 10}
    # Django refuses persistent connections together with a pool.
    assert values["DATABASE"]["CONN_MAX_AGE"] == 0


def test_without_redis_everything_stays_in_process():
    values = settings_with()

    assert values["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert values["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


def test_redis_url_switches_channel_layer_and_cache_to_redis():
    values = settings_with(REDIS_URL="redis://cache.internal:6380/2")

    layer = values["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"].startswith("channels_redis.")
    assert layer["CONFIG"]["hosts"] == ["redis://cache.internal:6380/2"]
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6380/2"


def test_redis_prefix_keeps_instances_apart_everywhere():
    """Two instances on one Redis: the layer, the cache and the presence counts
    (participation.live.presence reads settings.REDIS_PREFIX) all use the prefix."""
    values = settings_with(REDIS_URL="redis://cache.internal:6379/0", REDIS_PREFIX="kreis")

    assert values["REDIS_PREFIX"] == "kreis"
    assert values["CHANNEL_LAYERS"]["default"]["CONFIG"]["prefix"] == "kreis"
    assert values["CACHES"]["default"]["KEY_PREFIX"] == "kreis"


def test_tasks_use_the_database_unless_told_otherwise():
    assert settings_with()["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert settings_with(TASKS_BACKEND="immediate")["TASKS"]["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )


def test_hosts_are_comma_separated_lists():
    values = settings_with(
        ALLOWED_HOSTS="allmende.example, www.allmende.example",
        CSRF_TRUSTED_ORIGINS="https://allmende.example",
    )

    assert values["ALLOWED_HOSTS"] == ["allmende.example", "www.allmende.example"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://allmende.example"]


def test_production_defaults_are_secure():
    values = settings_with()

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["STATICFILES_BACKEND"].endswith("ManifestStaticFilesStorage")


def test_missing_secret_key_stops_a_production_start():
    result = load_settings()

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize("variable", ["DEBUG", "ALLMENDE_DEV"])
def test_development_runs_without_any_configuration(variable):
    result = load_settings(**{variable: "1"})

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CHANNEL_LAYERS"]["default"]["BACKEND"] == (
        "channels.layers.InMemoryChannelLayer"
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_smtp_when_a_mail_host_is_configured():
    values = settings_with(EMAIL_HOST="mail.internal")

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
