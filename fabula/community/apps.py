from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.community"
    label = "community"

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which Django allows only
        # once every app is loaded.
        from fabula.community import alerts
        from fabula.jobs.runner import register

        register("announce-chapter", alerts.chapter_announce)
