from django.db import migrations
from django.db.models import F


def copy_display_names(apps, schema_editor):
    # Wagtail's sidebar shows `first_name`: the pseudonym, as User.save keeps it from now on.
    apps.get_model("cooperative_accounts", "User").objects.update(first_name=F("display_name"))


class Migration(migrations.Migration):
    dependencies = [("cooperative_accounts", "0003_name_skeletons")]

    operations = [migrations.RunPython(copy_display_names, migrations.RunPython.noop)]
