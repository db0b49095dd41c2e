#!/usr/bin/env python
import os
import sys

# Commands that only read the code (no request is served, nothing is signed): they load
# the project without a SECRET_KEY, so `makemigrations --check` works on a bare checkout.
CODE_ONLY_COMMANDS = {"makemigrations", "check", "showmigrations", "help"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command in CODE_ONLY_COMMANDS and not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("ALLMENDE_DEV", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
