from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.conf"
    label = "conf"
    verbose_name = "Site settings"

    def ready(self) -> None:
        from fabula.conf import checks  # noqa: F401  (registers the system checks)
