from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.stories"
    label = "stories"

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which Django allows only
        # once every app is loaded.
        from fabula.jobs.runner import register_round
        from fabula.stories.actions import release_due_chapters
        from fabula.stories.reads import flush_reads

        register_round("chapter(s) released", release_due_chapters)
        # With Redis, the reads every web process noted wait there: one worker stores them.
        register_round("new read(s) counted", flush_reads)
