from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cooperative_audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="salt",
            field=models.CharField(
                default="", max_length=64, verbose_name="salt of the personal details"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="commitment",
            field=models.CharField(
                default="", max_length=64, verbose_name="commitment to the personal details"
            ),
            preserve_default=False,
        ),
    ]
