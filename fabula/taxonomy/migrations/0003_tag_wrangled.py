from django.db import migrations, models


def free_form_tags_wait_for_wrangling(apps, schema_editor):
    """Tags authors made (free-form) are unwrangled, unless a tag is already their synonym."""
    Tag = apps.get_model("taxonomy", "Tag")
    Tag.objects.filter(
        kind__role="freeform", synonym_of__isnull=True, synonyms__isnull=True
    ).update(wrangled=False)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_first_run_defaults")]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="wrangled",
            field=models.BooleanField(
                default=True, help_text="A wrangler (or staff, making it) has looked at this tag."
            ),
        ),
        migrations.RunPython(free_form_tags_wait_for_wrangling, migrations.RunPython.noop),
    ]
