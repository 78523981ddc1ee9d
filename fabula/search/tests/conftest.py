"""Fixtures for the search tests: stories written through the actions, with the index work
they queue for the commit run at once (tests run inside a transaction that never commits)."""

import pytest

from fabula.stories import actions
from fabula.stories.models import Status


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """`with indexed(): ...` runs the index work queued inside the block when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def write_story(archive, indexed):
    """write_story(author, title, [chapter bodies...], **story fields) -> indexed story."""

    def write(
        author,
        title,
        bodies=("<p>Plain words.</p>",),
        *,
        chapter_status=Status.PUBLISHED,
        release_at=None,
        **fields,
    ):
        fields.setdefault("rating", archive.general)
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("tags", [archive.fandom])
        with indexed():
            story = actions.story_create(authors=[author], title=title, **fields)
            for n, body in enumerate(bodies, start=1):
                actions.chapter_add(
                    story=story,
                    title=f"Part {n}",
                    body=body,
                    status=chapter_status,
                    release_at=release_at if n == len(bodies) else None,
                )
        story.refresh_from_db()
        return story

    return write
