# The Job model, moved from the stories app with its table (stories_job): state only.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("stories", "0004_job_moves_to_jobs_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Job",
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
                            "name",
                            models.CharField(
                                help_text="A name registered with fabula.jobs.runner.register.",
                                max_length=100,
                            ),
                        ),
                        ("arguments", models.JSONField(default=dict)),
                        ("run_after", models.DateTimeField(default=django.utils.timezone.now)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("done_at", models.DateTimeField(blank=True, null=True)),
                        ("error", models.TextField(blank=True)),
                    ],
                    options={
                        "db_table": "stories_job",
                        "ordering": ["run_after", "pk"],
                        "indexes": [
                            models.Index(
                                fields=["done_at", "run_after"],
                                name="stories_job_done_at_74fca8_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
