from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.stories"
    label = "stories"

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which Django allows only
        # once every app is loaded.
        from fabula.jobs.runner import register_round
        from fabula.stories.actions import release_due_chapters

        register_round("chapter(s) released", release_due_chapters)
