"""Background jobs: the registry of jobs by name, the one task that runs them on Django's task
framework (django-tasks), and `fabula worker`, below every other app.

Apps register their job functions by name in `AppConfig.ready()`; code that wants work done
later enqueues it by that name (`fabula.jobs.runner`), so no app imports another to run it.
"""
