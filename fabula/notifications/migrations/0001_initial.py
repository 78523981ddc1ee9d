# Notification, moved from the community app with its table (community_notification): state
# only. Two kinds are new (a story validated, sent back); kinds are not a database constraint.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("community", "0003_notification_moves_alerts_to_user"),
        ("stories", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("chapter", "New chapter"),
                                    ("review", "New review"),
                                    ("reply", "Reply to a review"),
                                    ("coauthor", "Co-author invitation"),
                                    ("validated", "Story validated"),
                                    ("rejected", "Story sent back"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "text",
                            models.CharField(
                                help_text="One plain line shown on the page and in emails.",
                                max_length=300,
                            ),
                        ),
                        (
                            "url",
                            models.CharField(
                                help_text="Where the notification leads, a path on this site.",
                                max_length=300,
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "review",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="community.review",
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
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "community_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["user", "-created_at"],
                                name="community_n_user_id_6c2efb_idx",
                            ),
                            models.Index(
                                fields=["emailed_at", "user"],
                                name="community_n_emailed_d4021b_idx",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
