# The Job model moves to the jobs app; its table (stories_job) stays where it is.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_story_moderation_note_story_status_before_hiding_job_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Job")],
            database_operations=[],
        ),
    ]
