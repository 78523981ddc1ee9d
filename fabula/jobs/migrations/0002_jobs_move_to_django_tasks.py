# Background jobs move to Django's task framework (django-tasks' database backend): jobs still
# waiting in the old table become tasks, then the table goes.

from django.db import migrations


def move_waiting_jobs(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    waiting = Job.objects.filter(done_at__isnull=True, attempts__lt=3)  # the old runner's limit
    TaskResult.objects.bulk_create(
        TaskResult(
            task_path="fabula.jobs.runner.run_job",
            args_kwargs={
                "args": [],
                "kwargs": {"name": job.name, "arguments": job.arguments, "attempt": job.attempts + 1},
            },
            backend_name="default",
            queue_name="default",
            run_after=job.run_after,
            exception_class_path="",
            traceback="",
        )
        for job in waiting
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(move_waiting_jobs, migrations.RunPython.noop),
        migrations.DeleteModel(name="Job"),
    ]
