"""The one way pages show who wrote a story: `{% byline authors %}`.

`authors` are what the story is signed with, each with a `name` and a `url` (a `Pseud`, a
card's `CardAuthor`; `models.Byname`, with no url, for "Anonymous"). Every byline on every page
goes through here, and here through `models.shown_authors`, the one rule that hides a story's
authors (an anonymous collection, until its reveal).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.urls import reverse

from fabula.stories.models import shown_authors

register = template.Library()


def bylines(authors: Iterable, story=None) -> list:
    """The names a page shows for `story`'s authors, in credit order (or "Anonymous")."""
    return shown_authors(story, list(authors)) if story is not None else list(authors)


@register.inclusion_tag("includes/byline.html")
def byline(authors: Iterable, story=None) -> dict:
    return {"authors": bylines(authors, story)}


@register.filter
def byline_text(authors: Iterable, story=None) -> str:
    """The byline as plain text (a page title): names joined by commas."""
    return ", ".join(author.name for author in bylines(authors, story))


@dataclass(frozen=True)
class _Unsigned:
    """A chapter's writer who holds no credit on the story (a round robin's guest): their
    pen name and account page."""

    name: str
    url: str


@register.inclusion_tag("includes/byline.html")
def chapter_byline(chapter, authors: Iterable, story=None) -> dict:
    """Who wrote one chapter: the pseud its writer signs the story with, else their pen name."""
    signed = next((a for a in authors if _member_of(a) == chapter.author_id), None)
    if signed is None:
        signed = _Unsigned(chapter.author.pen_name, reverse("author", args=[chapter.author_id]))
    return {"authors": bylines([signed], story)}


def _member_of(author) -> int | None:
    """The member behind a byline: a Pseud's `user_id`, a card author's `pk`."""
    return getattr(author, "user_id", None) or getattr(author, "pk", None)
