from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.search"
    label = "search"

    def ready(self) -> None:
        # The search index follows what the actions say they changed (lib.changes), so the apps
        # below this one, stories first, need not import it.
        from fabula.lib import changes
        from fabula.search import indexing

        changes.listen(indexing.follow)
