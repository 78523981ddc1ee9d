from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.conf"
    label = "conf"
    verbose_name = "Site settings"
