"""Bench-only database preparation: posting users with ready sessions, no management command.

Run with the bench server's environment (DATABASE_URL, ...) after `migrate` and
`demo_content`:

    python -m bench.setup_db --users 600 --out /tmp/.../bench-users.json

It creates `--users` verified accounts (bench-0001@bench.invalid, ...), one logged-in
session for each (what a login through /konto/login/ would leave behind) and writes
their session keys plus the id of the demo consultation
/partei-nachhaltigkeit/wahlprogramm-2027/ as JSON. The comment rate limits (5/min and
60/h per person, 30/min per IP) stay as they are: the load generator spreads its posts
over these people and over several loopback source addresses.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

DEMO_PATH = "/partei-nachhaltigkeit/wahlprogramm-2027/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=600)
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--poll", action="store_true", help="also add a poll with live results to the page"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils.module_loading import import_string

    from participation.consultations.models import ConsultationPage

    page = next(
        (p for p in ConsultationPage.objects.live().specific() if p.url.endswith(DEMO_PATH)),
        None,
    )
    if page is None:
        print(f"setup_db: no live consultation at {DEMO_PATH}; run demo_content", file=sys.stderr)
        return 2

    User = get_user_model()
    password = make_password(None)  # unusable: these people only ever have a session
    names = [f"bench-{n:04d}" for n in range(args.users)]
    with transaction.atomic():
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        new = [
            User(
                username=name,
                email=f"{name}@bench.invalid",
                display_name=f"Bench {name[6:]}",
                password=password,
            )
            for name in names
            if name not in existing
        ]
        User.objects.bulk_create(new, batch_size=500)
        users = list(User.objects.filter(username__in=names).order_by("username"))
        have = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=u, email=u.email, verified=True, primary=True)
                for u in users
                if u.pk not in have
            ],
            batch_size=500,
        )

    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    backend = "cooperative.accounts.backends.ModelBackend"
    sessions = []
    for user in users:
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)

    poll_info = {}
    if args.poll:
        from participation.polls.models import Poll, PollChoice

        poll = Poll(
            page=page,
            question="Bench: welche Variante?",
            results_visibility=Poll.Visibility.LIVE,
            allow_change=False,
        )
        poll.save()
        choices = [PollChoice(poll=poll, text=f"Variante {n}", sort_order=n) for n in range(4)]
        for choice in choices:
            choice.save()
        poll_info = {"poll_id": poll.pk, "choice_ids": [c.pk for c in choices]}

    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(
            {
                **poll_info,
                "consultation_id": page.pk,
                "consultation_url": page.url,
                "sessions": sessions,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
            },
            handle,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
