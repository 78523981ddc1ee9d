from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.audit"
    label = "audit"
    verbose_name = "Audit log"
