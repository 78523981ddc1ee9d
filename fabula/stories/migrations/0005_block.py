"""The blocklist's model moves from the community app to the stories app (every list filters on
it in `stories.permissions`). State only: the table `community_block` and its rows stay."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0004_job_moves_to_jobs_app"),
        ("community", "0003_notification_moves_alerts_to_user"),
        ("taxonomy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Block",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "author",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "story",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="stories.story",
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="taxonomy.tag",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="blocks",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "community_block",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("author__isnull", True),
                                        ("story__isnull", False),
                                        ("tag__isnull", True),
                                    ),
                                    models.Q(
                                        ("author__isnull", True),
                                        ("story__isnull", True),
                                        ("tag__isnull", False),
                                    ),
                                    models.Q(
                                        ("author__isnull", False),
                                        ("story__isnull", True),
                                        ("tag__isnull", True),
                                    ),
                                    _connector="OR",
                                ),
                                name="block_has_one_target",
                            ),
                            models.UniqueConstraint(
                                fields=("user", "story"), name="block_story_once"
                            ),
                            models.UniqueConstraint(fields=("user", "tag"), name="block_tag_once"),
                            models.UniqueConstraint(
                                fields=("user", "author"), name="block_author_once"
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
