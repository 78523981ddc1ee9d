from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.news"
    label = "news"
    verbose_name = "News and pages"
