from django.core.management.base import BaseCommand

from cooperative.governance.services import governance_advance


class Command(BaseCommand):
    help = "Open and close ballots whose time has come, and record rule versions coming into force."

    def handle(self, *args, **options):
        done = governance_advance()
        self.stdout.write(
            f"Ballots moved: {done['ballots']}; rule versions: {done['rule_versions']}"
        )
