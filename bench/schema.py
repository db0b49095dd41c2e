"""Bench-only: a new SQLite database with every model's table, without replaying history.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m bench.schema [--demo]

`manage.py migrate` replays some 300 migrations (Wagtail's history mostly) and takes
about 20 s of CPU here, a third of `--quick`'s minute. The bench needs the schema the
models define now, not its history: this creates the tables directly (what
`migrate --run-syncdb` does for apps without migrations, and pytest-django's
`--nomigrations`), then adds the rows that data migrations would have left and
`demo_content` builds on (Wagtail's default locale, root page and root collection,
Allmende's home page and default site, as cms/migrations/0002_create_homepage.py).
With `--demo` it then loads the demo content in the same process, with a fast password
hasher for the demo accounts (their passwords are never used here; hashing eight of
them with the production hasher takes five seconds).
Never for a real database: it records no migrations, so `migrate` would not work on it.
"""

from __future__ import annotations

import os
import sys


class NoMigrations(dict):
    """MIGRATION_MODULES that says every app has none."""

    def __contains__(self, item: object) -> bool:
        return True

    def __getitem__(self, item: str) -> None:
        return None


def main(argv: list[str] | None = None) -> int:
    demo = "--demo" in (sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not (url.startswith("sqlite:") or "/allmende_bench" in url):
        print(
            "bench.schema: only for a temporary SQLite database or a PostgreSQL database "
            "the bench made (allmende_bench...)",
            file=sys.stderr,
        )
        return 2
    from django.conf import settings

    settings.MIGRATION_MODULES = NoMigrations()
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import transaction
    from wagtail.models import Collection, Locale, Page, Site

    from cms.models import HomePage

    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    with transaction.atomic():
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        Collection.add_root(name="Root")
        home = root.add_child(
            instance=HomePage(title="Allmende", slug="home", locale=locale, live=True)
        )
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            site_name="Allmende",
            is_default_site=True,
        )
    if demo:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return 0


if __name__ == "__main__":
    sys.exit(main())
