"""The rate limiter's counters live in the database cache "limits" (settings.CACHES): its table
is made with the schema, so `fabula migrate` is all a new or upgraded archive needs."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # createcachetable skips tables that exist, and does nothing for caches of other kinds.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("conf", "0003_allowed_tags")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
