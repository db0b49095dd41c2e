"""Print the current two-factor code of a demo staff account, on a development server.

Staff act only with a second factor (cooperative/accounts/second_factor.py); the demo's
staff accounts get a TOTP authenticator from `demo_content`. Testers add its key to an
authenticator app, or ask this command for the code of the moment. It refuses unless
DEBUG is on, and for any account that is not one of the demo's.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.management.commands.demo_content import PEOPLE
from cooperative.accounts.totp import totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo staff account (DEBUG only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="the demo account's e-mail address")

    def handle(self, *args, email: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Only on a development server (DEBUG=1): elsewhere, codes come from the "
                "account holder's authenticator app."
            )
        if email not in {person[0] for person in PEOPLE}:
            raise CommandError(f"{email} is not a demo account.")
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no second factor (run `manage.py demo_content`).")
        self.stdout.write(totp_code(decrypt(authenticator.data["secret"])))
