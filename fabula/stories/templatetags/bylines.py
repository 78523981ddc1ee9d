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
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from fabula.stories.models import shown_authors

register = template.Library()


def bylines(authors: Iterable, story=None) -> list:
    """The names a page shows for `story`'s authors, in credit order (or "Anonymous")."""
    return shown_authors(story, list(authors)) if story is not None else list(authors)


def byline_html(authors: list) -> SafeString:
    """Names linked to their pages, "A, B and C". Built here, not in a template: a story
    index names the writer of each chapter, and a list page each card's authors, and an
    included template for each cost more than the rest of the line."""
    names = [
        format_html('<a href="{}">{}</a>', url, author.name)
        if (url := getattr(author, "url", None))
        else conditional_escape(author.name)
        for author in authors
    ]
    if len(names) < 2:
        return mark_safe("".join(names))
    last = conditional_escape(pgettext("between the last two authors of a byline", "and"))
    return mark_safe(f"{', '.join(names[:-1])} {last} {names[-1]}")


@register.simple_tag
def byline(authors: Iterable, story=None) -> SafeString:
    return byline_html(bylines(authors, story))


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


@register.simple_tag
def chapter_byline(chapter, authors: Iterable, story=None) -> SafeString:
    """Who wrote one chapter: the pseud its writer signs the story with, else their pen name."""
    signed = next((a for a in authors if _member_of(a) == chapter.author_id), None)
    if signed is None:
        signed = _Unsigned(chapter.author.pen_name, reverse("author", args=[chapter.author_id]))
    return byline_html(bylines([signed], story))


def _member_of(author) -> int | None:
    """The member behind a byline: a Pseud's `user_id`, a card author's `pk`."""
    return getattr(author, "user_id", None) or getattr(author, "pk", None)
