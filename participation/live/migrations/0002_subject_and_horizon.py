from django.db import migrations, models
from django.db.models import Max


def forget_unredactable_history(apps, schema_editor):
    """Events stored before they named their subject cannot be redacted later, and some of
    them carry content that has been hidden or removed since. They go; the horizon moves
    past them, so a reader who asks for what came after one of them reloads instead."""
    LiveEvent = apps.get_model("participation_live", "LiveEvent")
    LiveHorizon = apps.get_model("participation_live", "LiveHorizon")
    last = LiveEvent.objects.aggregate(last=Max("pk"))["last"]
    if last is None:
        return
    LiveHorizon.objects.update_or_create(pk=1, defaults={"pruned_through": last})
    LiveEvent.objects.filter(pk__lte=last).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participation_live", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LiveHorizon",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pruned_through", models.BigIntegerField(default=0)),
                ("pruned_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="liveevent",
            name="subject",
            field=models.CharField(blank=True, default="", max_length=80),
        ),
        migrations.AddIndex(
            model_name="liveevent",
            index=models.Index(
                condition=models.Q(("subject", ""), _negated=True),
                fields=["subject"],
                name="live_event_subject_idx",
            ),
        ),
        migrations.RunPython(forget_unredactable_history, migrations.RunPython.noop),
    ]
