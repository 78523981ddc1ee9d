from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.community"
    label = "community"
