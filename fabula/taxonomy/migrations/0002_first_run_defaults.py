"""A new archive starts with ratings and the Genres and Warnings kinds (fabula/taxonomy/defaults.py);
an archive that already has a taxonomy is left as it is."""

from django.db import migrations

from fabula.taxonomy import defaults


def install_defaults(apps, schema_editor):
    defaults.install(
        rating_model=apps.get_model("taxonomy", "Rating"),
        kind_model=apps.get_model("taxonomy", "TagKind"),
        tag_model=apps.get_model("taxonomy", "Tag"),
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
