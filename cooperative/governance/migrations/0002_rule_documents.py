from django.db import migrations

DOCUMENTS = [
    ("netiquette", "Netiquette"),
    ("moderationsrichtlinie", "Moderationsrichtlinie"),
    ("nutzungsbedingungen", "Nutzungsbedingungen"),
    ("satzung", "Satzung"),
]


def create(apps, schema_editor):
    RuleDocument = apps.get_model("cooperative_governance", "RuleDocument")
    for order, (slug, title) in enumerate(DOCUMENTS):
        RuleDocument.objects.get_or_create(slug=slug, defaults={"title": title, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cooperative_governance", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
