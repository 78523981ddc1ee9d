from django.apps import AppConfig


class Config(AppConfig):
    name = "fabula.api"
    label = "api"

    def ready(self) -> None:
        # Each EPUB the formats app builds is remembered by the digest KOReader computes for
        # it, so a sync request names its story (formats does not import this app).
        from fabula.api import actions
        from fabula.formats import downloads
        from fabula.lib import limits

        downloads.listen_built(actions.book_digest_record)
        # The API counts each request per token or address itself (api/limits.py).
        for prefix in ("/api/", "/kosync/"):
            limits.counts_its_own(prefix)
