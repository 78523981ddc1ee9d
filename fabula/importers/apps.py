from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.importers"
    label = "importers"
