"""The queue of background work `fabula worker` runs when `FABULA_JOBS = "queue"`."""

from django.db import models
from django.utils import timezone


class Job(models.Model):
    """A piece of background work waiting for `fabula worker` (see `fabula.jobs.runner`)."""

    name = models.CharField(
        max_length=100, help_text="A name registered with fabula.jobs.runner.register."
    )
    arguments = models.JSONField(default=dict)
    run_after = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "stories_job"  # the table the stories app created; kept so queued rows stay
        ordering = ["run_after", "pk"]
        indexes = [
            models.Index(fields=["done_at", "run_after"], name="stories_job_done_at_74fca8_idx")
        ]

    def __str__(self) -> str:
        return self.name
