from django.core.management.base import BaseCommand, CommandError

from cooperative.audit.selectors import audit_chain_verify


def _anchor(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    digest = digest.strip().lower()
    if not seq.strip().isdigit() or len(digest) != 64:
        raise CommandError(f"--anchor {text!r}: expected SEQ:HASH, e.g. 42:3f9a… (64 hex digits)")
    return int(seq), digest


class Command(BaseCommand):
    help = (
        "Recompute the audit log's commitments and hash chain and report the first broken "
        "link. With --anchor SEQ:HASH (repeatable), also check that events whose hash was "
        "noted from the public log earlier are still there unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="an event's number and hash as published earlier",
        )

    def handle(self, *args, **options):
        check = audit_chain_verify([_anchor(text) for text in options["anchor"]])
        if not check.ok:
            raise CommandError(
                f"Audit chain broken at event #{check.broken_seq}: {check.reason} "
                f"({check.checked} events before it are intact)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {check.checked} events; "
                f"last #{check.head_seq} {check.head_hash}."
            )
        )
