#!/usr/bin/env python
import os
import secrets
import sys

# Commands that only read the code (no request is served, nothing is signed or kept): they
# load the project with a key made at random for this one process, so that `makemigrations
# --check` or `makemessages` work on a bare checkout. `check --deploy` is not one of them:
# it judges the configuration the server would start with, key included.
CODE_ONLY_COMMANDS = {
    "makemigrations",
    "check",
    "showmigrations",
    "help",
    "makemessages",
    "compilemessages",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    code_only = command in CODE_ONLY_COMMANDS and "--deploy" not in sys.argv
    if code_only and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
