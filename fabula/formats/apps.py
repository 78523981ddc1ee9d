from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.formats"
    label = "formats"
