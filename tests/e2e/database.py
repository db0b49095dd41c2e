"""The browser tests' database: SQLite, migrated, with the demo content, built once per run.

Every server of a run (one per xdist worker) starts from a copy of one template, which
the first worker to ask builds while the others wait (a file lock in the directory the
workers share). CI builds the template ahead, on the core that linting leaves idle:

    python -m tests.e2e.database DIR      # DIR/e2e.sqlite3, then DIR/ready

and names DIR in E2E_TEMPLATE_DIR for the browser tests.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_DIR_ENV = "E2E_TEMPLATE_DIR"
TEMPLATE_NAME = "e2e.sqlite3"
READY_NAME = "ready"
# Settings the surrounding environment may carry that would take the server out of
# the embedded mode or away from its own temporary directory.
INHERITED_ENV_STRIPPED = (
    "DATABASE_URL",
    "DATABASE_POOL",
    "DATABASE_CONN_MAX_AGE",
    "REDIS_URL",
    "REDIS_PREFIX",
    "EMAIL_HOST",
    "ALLOWED_HOSTS",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "SERVE_STATIC",
)


class PreparationFailed(RuntimeError):
    pass


def server_env(tmp: Path) -> dict[str, str]:
    """The embedded mode with everything in `tmp`: database, mail, media, static files."""
    env = {k: v for k, v in os.environ.items() if k not in INHERITED_ENV_STRIPPED}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp / TEMPLATE_NAME}",
            "DEBUG": "1",
            "TASKS_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp / "mail"),
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise PreparationFailed(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


def build(directory: Path) -> Path:
    """Migrate and load the demo content into `directory`; the ready mark comes last."""
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / TEMPLATE_NAME
    for leftover in directory.glob(f"{TEMPLATE_NAME}*"):
        leftover.unlink()
    env = server_env(directory)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "demo_content")
    # Everything into the main file, so that a plain copy of it is the whole database.
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()
    (directory / READY_NAME).touch()
    return database


def template(shared: Path) -> Path:
    """The run's template in `shared`: built by the first to come, awaited by the rest."""
    shared.mkdir(parents=True, exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (shared / READY_NAME).exists():
                build(shared)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return shared / TEMPLATE_NAME


def copy_into(tmp: Path, shared: Path) -> dict[str, str]:
    """A server's own database in `tmp`, copied from the template; its environment."""
    ahead = os.environ.get(TEMPLATE_DIR_ENV)
    source = (
        Path(ahead) / TEMPLATE_NAME
        if ahead and (Path(ahead) / READY_NAME).exists()
        else template(shared)
    )
    shutil.copyfile(source, tmp / TEMPLATE_NAME)
    return server_env(tmp)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.e2e.database DIR")
    print(build(Path(sys.argv[1])))
