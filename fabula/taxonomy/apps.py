from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.taxonomy"
    label = "taxonomy"
