from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.moderation"
    label = "moderation"
