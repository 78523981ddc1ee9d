"""What an import brought over: one row per item, so that a rerun skips what is done.

An item of a dump is named by its kind and its key in the dump (an eFiction sid, a tag's
"category:4", a review's "5/response"); `new_id` is the row it became. Ids are kept where
Fabula can keep them (stories, chapters, members, series, reviews), so `new_id` mostly equals
the old number; tags, tag kinds and review replies get new ones.
"""

from django.db import models


class ImportRecord(models.Model):
    source = models.CharField(
        max_length=200, help_text="The dump's source, e.g. efiction:sitekey:prefix."
    )
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=100, help_text="The item's id or key in the dump.")
    new_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="import_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.key} -> {self.new_id}"
