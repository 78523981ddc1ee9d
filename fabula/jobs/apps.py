from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
