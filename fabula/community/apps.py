from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.community"
    label = "community"

    def ready(self):
        from fabula.community import signals  # noqa: F401  (connects the receivers)
