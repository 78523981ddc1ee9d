"""Followers hear of a new chapter the moment one is added.

Chapters are written by `fabula.stories.actions`, which knows nothing of followers; this one
receiver keeps the two apps apart. The alert leaves only once the chapter is committed.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from fabula.stories.models import Chapter


@receiver(post_save, sender=Chapter, dispatch_uid="community-chapter-released")
def _chapter_added(sender, instance: Chapter, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return
    from fabula.community.notifications import chapter_released

    def announce():
        chapter = Chapter.objects.select_related("story").filter(pk=instance.pk).first()
        if chapter is not None:  # gone again before the commit: nothing to announce
            chapter_released(chapter)

    transaction.on_commit(announce)
