# Notification moves to the notifications app with its table (community_notification), state
# only; the alert choice moved to User.alerts (accounts 0003 carried it over), and the last
# digest's time is now read from the notifications emailed.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_memberpreferences_block_notification"),
        ("accounts", "0003_user_alerts"),
    ]

    operations = [
        migrations.RemoveField(model_name="memberpreferences", name="alerts"),
        migrations.RemoveField(model_name="memberpreferences", name="last_digest_at"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
