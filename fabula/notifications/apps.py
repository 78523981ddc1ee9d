from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which Django allows only
        # once every app is loaded.
        from fabula.jobs.runner import register
        from fabula.notifications import emails

        register("email-notification", emails.send_notification)
        register("email-digest", emails.send_digest)
