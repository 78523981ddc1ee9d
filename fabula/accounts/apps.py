from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.accounts"
    label = "accounts"
