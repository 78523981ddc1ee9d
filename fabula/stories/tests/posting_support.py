"""Shared set-up for the posting tests: forms as a browser would send them."""

from __future__ import annotations

from django.urls import reverse

from fabula.stories.models import Story


def story_data(archive, **overrides) -> dict:
    data = {
        "title": "Beach Games",
        "summary": "<p>Michael holds a contest.</p>",
        "notes": "",
        "rating": archive.general.pk,
        "tags_categories": [archive.fandom.pk],
        "tags_characters": [archive.jim.pk],
        "tags_genres": [archive.humor.pk],
        "coauthors": "",
        "chapter-title": "The Contest",
        "chapter-text_format": "html",
        "chapter-body": "<p>Everyone walked to the beach.</p>",
        "chapter-notes": "",
        "chapter-end_notes": "",
        "publish": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_story(client, archive, **overrides):
    return client.post(reverse("stories:new"), story_data(archive, **overrides))


def newest_story() -> Story:
    return Story.objects.latest("pk")
