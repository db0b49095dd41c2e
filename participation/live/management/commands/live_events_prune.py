from django.core.management.base import BaseCommand

from participation.live.retention import events_prune, retention


class Command(BaseCommand):
    help = (
        "Delete stored live events older than LIVE_EVENT_RETENTION_HOURS; readers who ask "
        "for older ones are told to reload."
    )

    def handle(self, *args, **options):
        deleted = events_prune()
        hours = retention().total_seconds() / 3600
        self.stdout.write(f"Live events deleted: {deleted} (kept: the last {hours:g} h)")
