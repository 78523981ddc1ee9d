from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.stories"
    label = "stories"
