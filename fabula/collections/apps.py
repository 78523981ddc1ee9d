from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.collections"
    label = "collections"

    def ready(self) -> None:
        # Maintainers read the unrevealed works of their collections: the rule lives in
        # stories.permissions, below this app, which is told here who they are.
        from fabula.collections.permissions import maintained_stories
        from fabula.stories.permissions import let_read_unrevealed

        let_read_unrevealed(maintained_stories)
