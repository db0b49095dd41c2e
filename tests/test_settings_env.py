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
    "SECRET_KEY_FILE",
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
    "ACCOUNT_RATE_LIMITS": s.ACCOUNT_RATE_LIMITS,
    "ACCOUNT_EMAIL_VERIFICATION": s.ACCOUNT_EMAIL_VERIFICATION,
    "MFA_SUPPORTED_TYPES": s.MFA_SUPPORTED_TYPES,
    "REST_FRAMEWORK": s.REST_FRAMEWORK,
}, default=str))
"""
PRINT_KEY = "import config.settings as s; print(s.SECRET_KEY)"


def load_settings(script: str = PRINT_SETTINGS, **variables: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", script],
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


@pytest.mark.parametrize(
    "variables",
    [{}, {"ALLMENDE_DEV": "1"}, {"DEBUG": "0", "ALLMENDE_DEV": "1"}, {"SECRET_KEY": ""}],
)
def test_missing_secret_key_stops_every_start_but_a_development_server(variables):
    """ALLMENDE_DEV=1 used to stand in for a key: the committed development key then
    signed sessions, e-mail confirmations and password-reset links of a server that
    believed itself in production."""
    result = load_settings(**variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY" in result.stderr


def test_a_development_server_makes_its_own_key_once_and_keeps_it_private(tmp_path):
    key_file = tmp_path / "var" / "secret_key"

    first = load_settings(PRINT_KEY, DEBUG="1", SECRET_KEY_FILE=str(key_file))
    second = load_settings(PRINT_KEY, DEBUG="1", SECRET_KEY_FILE=str(key_file))

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    key = first.stdout.strip()
    assert len(key) >= 50 and len(set(key)) >= 20
    assert key_file.read_text().strip() == key
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert second.stdout.strip() == key  # sessions survive a restart
    assert [path.name for path in key_file.parent.iterdir()] == ["secret_key"]


def test_every_development_checkout_has_a_key_of_its_own(tmp_path):
    """The key of `make run` was written in the code: anyone could forge this server's
    e-mail confirmations and signed values."""
    keys = {
        load_settings(PRINT_KEY, DEBUG="1", SECRET_KEY_FILE=str(tmp_path / name)).stdout
        for name in ("one", "two")
    }
    assert len(keys) == 2


def test_a_key_from_the_environment_wins_even_in_development(tmp_path):
    result = load_settings(
        PRINT_KEY, DEBUG="1", SECRET_KEY=SECRET, SECRET_KEY_FILE=str(tmp_path / "secret_key")
    )
    assert result.stdout.strip() == SECRET
    assert not (tmp_path / "secret_key").exists()


def test_logins_are_rate_limited_and_addresses_verified_in_production():
    values = settings_with()

    limits = values["ACCOUNT_RATE_LIMITS"]
    # Failed logins: per address, and a lockout per account (the "key").
    assert "/ip" in limits["login_failed"] and "/key" in limits["login_failed"]
    for action in ("login", "signup", "reset_password"):
        assert limits[action], action
    assert values["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert "totp" in values["MFA_SUPPORTED_TYPES"]
    assert values["REST_FRAMEWORK"]["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework.authentication.SessionAuthentication"
    ]


def test_development_runs_without_any_configuration(tmp_path):
    result = load_settings(DEBUG="1", SECRET_KEY_FILE=str(tmp_path / "secret_key"))

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
