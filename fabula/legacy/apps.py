from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.legacy"
    label = "legacy"
