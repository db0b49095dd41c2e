# CalmMode moved to the gate (participation_gate), keeping its table: state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation_guard", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CalmMode"),
            ],
            database_operations=[],
        ),
    ]
