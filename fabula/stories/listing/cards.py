"""Story cards: what one story shows in a list, read as plain values and rendered once.

A card holds copies of its story's authors and tags (`CardAuthor`, `CardTag`, grouped by kind in
`CardTagLine`), not model instances: they are cheap to make by the hundred and make the card's
cache key (`Card.shown`). Headers of a single story (`selectors.story_header`) use the models.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from fabula.conf.models import site_settings
from fabula.stories.languages import native_name
from fabula.stories.models import Story, StoryAuthor, StoryTag, shown_authors

CARD_CACHE_SECONDS = 24 * 3600  # rendered cards; their keys never go stale, this frees memory


class Addresses:
    """`reverse()` once per address a list of cards shows: the same tags, ratings and authors
    come back card after card, and reversing an address cost a quarter of rendering a card."""

    def __init__(self) -> None:
        self._known: dict[tuple, str] = {}

    def __call__(self, name: str, *args: object) -> str:
        key = (name, *args)
        url = self._known.get(key)
        if url is None:
            url = self._known[key] = reverse(name, args=args)
        return url


@dataclass(frozen=True)
class CardAuthor:
    """A byline on a card: the member (`pk`) and the pseud they sign this story with."""

    pk: int
    pseud_id: int
    name: str
    url: str = ""  # the pseud's page: given by a list of cards (`Addresses`), else reversed

    def __post_init__(self) -> None:
        if not self.url:
            object.__setattr__(self, "url", reverse("pseud", args=[self.pk, self.pseud_id]))


@dataclass(frozen=True)
class CardKind:
    name: str
    slug: str
    order: int


@dataclass(frozen=True)
class CardTag:
    pk: int
    name: str
    url: str  # the tag's page


@dataclass
class CardTagLine:
    kind: CardKind
    tags: list[CardTag]


@dataclass
class Card:
    """What one story card shows."""

    story: Story
    authors: list
    tag_lines: list[CardTagLine]
    is_new: bool
    url: str  # the story's page
    rating_url: str

    def shown(self) -> tuple:
        """Everything the card's HTML is made from (and so, its cache key)."""
        story = self.story
        return (
            story.pk,
            story.title,
            story.summary,
            story.status,
            story.chapter_count,
            story.word_count,
            story.updated_at,
            story.completed,
            story.language,
            story.locked,
            story.rating_id,
            story.rating.name,
            self.is_new,
            site_settings().date_format,
            [(author.pk, author.url, author.name) for author in self.authors],
            [
                (line.kind.name, line.kind.slug, [(tag.pk, tag.name, tag.url) for tag in line.tags])
                for line in self.tag_lines
            ],
            self.url,
            self.rating_url,
        )

    @property
    def language_name(self) -> str:
        """The story's language in its own tongue ("Deutsch")."""
        return native_name(self.story.language)

    @cached_property
    def html(self) -> SafeString:
        """The card as HTML. Lists show the same cards again and again, and rendering one costs
        more than the queries behind it, so a card once rendered is kept in the cache under a
        key drawn from everything it shows: an edit, a renamed tag or pseud makes a new key,
        never a stale card."""
        digest = hashlib.blake2b(repr(self.shown()).encode(), digest_size=12).hexdigest()
        # The interface speaks the reader's language: one card per language.
        key = f"card:{translation.get_language()}:{self.story.pk}:{digest}"
        html = cache.get(key)
        if html is None:
            html = render_to_string("stories/includes/story_card.html", {"card": self})
            cache.set(key, html, CARD_CACHE_SECONDS)
        return mark_safe(html)


def credited_names(
    story_ids: list[int], address: Addresses | None = None
) -> dict[int, list[CardAuthor]]:
    """Each story's credited members with the pseud they sign it with, in credit order, as
    plain values in one query (pass them through `models.shown_authors` before showing them)."""
    if address is None:
        address = Addresses()
    authors: dict[int, list[CardAuthor]] = defaultdict(list)
    for story_id, user_id, pseud_id, name in (
        StoryAuthor.objects.filter(story_id__in=story_ids)
        .order_by("story_id", "position")
        .values_list("story_id", "user_id", "pseud_id", "pseud__name")
    ):
        authors[story_id].append(
            CardAuthor(user_id, pseud_id, name, address("pseud", user_id, pseud_id))
        )
    return authors


def make_cards(stories: Iterable[Story]) -> list[Card]:
    """Cards for stories (fetched with their rating), in two more queries. Authors and tags are
    read as plain values: a page of 25 cards holds hundreds of tags, and making a model
    instance of each (with its kind) cost more than everything else on a search page."""
    stories = list(stories)
    ids = [story.pk for story in stories]
    address = Addresses()
    authors = credited_names(ids, address)
    lines: dict[int, dict[int, CardTagLine]] = defaultdict(dict)
    kinds: dict[int, CardKind] = {}
    for story_id, tag_id, name, kind_id, kind_name, kind_slug, kind_order in (
        StoryTag.objects.filter(story_id__in=ids)
        .order_by("story_id", "position")
        .values_list(
            "story_id",
            "tag_id",
            "tag__name",
            "tag__kind_id",
            "tag__kind__name",
            "tag__kind__slug",
            "tag__kind__order",
        )
    ):
        kind = kinds.setdefault(kind_id, CardKind(kind_name, kind_slug, kind_order))
        lines[story_id].setdefault(kind_id, CardTagLine(kind, [])).tags.append(
            CardTag(tag_id, name, address("browse-tag", kind_slug, tag_id))
        )
    new_since = timezone.now() - timedelta(days=site_settings().new_story_days)
    return [
        Card(
            story=story,
            authors=shown_authors(story, authors[story.pk]),
            tag_lines=sorted(
                lines[story.pk].values(), key=lambda line: (line.kind.order, line.kind.slug)
            ),
            is_new=bool(story.updated_at and story.updated_at >= new_since),
            url=address("story", story.pk),
            rating_url=address("browse-rating", story.rating_id),
        )
        for story in stories
    ]
