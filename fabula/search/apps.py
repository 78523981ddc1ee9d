from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.search"
    label = "search"
