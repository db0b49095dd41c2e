# Suspension, ThreadLock and Premoderation moved to the gate (participation_gate), keeping
# their tables: state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation_moderation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Premoderation"),
                migrations.DeleteModel(name="Suspension"),
                migrations.DeleteModel(name="ThreadLock"),
            ],
            database_operations=[],
        ),
    ]
