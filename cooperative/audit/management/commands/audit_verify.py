from django.core.management.base import BaseCommand, CommandError

from cooperative.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        check = audit_chain_verify()
        if not check.ok:
            raise CommandError(
                f"Audit chain broken at event #{check.broken_seq}: {check.reason} "
                f"({check.checked} events before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {check.checked} events."))
