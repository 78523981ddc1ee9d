"""The blocklist's model now lives in the stories app (`stories.0005_block` takes it over with
the same table); this forgets it here without touching the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_notification_moves_alerts_to_user"),
        ("stories", "0005_block"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Block")],
            database_operations=[],
        ),
    ]
