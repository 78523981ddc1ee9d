"""Story cards: what one story shows in a list, read as plain values and rendered once.

A card holds copies of its story's authors and tags (`CardAuthor`, `CardTag`, grouped by kind in
`CardTagLine`), not model instances: they are cheap to make by the hundred and make the card's
cache key (`Card.shown`). Headers of a single story (`selectors.story_header`) use the models.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from fabula.conf.models import site_settings
from fabula.stories.languages import native_name
from fabula.stories.models import Status, Story, shown_authors
from fabula.stories.selectors import card_tag_rows, credit_rows
from fabula.stories.templatetags.bylines import byline_html, bylines
from fabula.stories.templatetags.reading import time_element
from fabula.stories.words import story_words

CARD_CACHE_SECONDS = 24 * 3600  # rendered cards; their keys never go stale, this frees memory


class Addresses:
    """The addresses a list of cards (or a page of search hits) shows, each route reversed
    once. A page of 25 cards links about a hundred stories, tags, ratings and pseuds, and
    `reverse()` of each cost more than rendering its card; every one of them is its route's
    shape with whole numbers and slugs put in. So the first address of a route is reversed with
    stand-ins for its values, and the rest are that shape filled in. A value an address does not
    carry as it is (one to be quoted) goes through `reverse()`."""

    def __init__(self) -> None:
        self._shapes: dict[tuple[str, int], str] = {}

    def __call__(self, name: str, *args: int | str) -> str:
        if not all(_carried_as_is(arg) for arg in args):
            return reverse(name, args=args)
        shape = self._shapes.get((name, len(args)))
        if shape is None:
            shape = self._shapes[name, len(args)] = _shape(name, len(args))
        return shape.format(*args)


# Stand-ins for a route's values while its shape is reversed: numbers, which every converter
# of the archive's routes takes (int, slug, str), long enough that no address holds one by chance.
_STAND_IN = 7_310_000_000
_AS_IS = re.compile(r"[-a-zA-Z0-9_]+")  # what the slug converter takes, quoted by nothing


def _carried_as_is(value: object) -> bool:
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and _AS_IS.fullmatch(value) is not None


def _shape(name: str, count: int) -> str:
    """The route's address as a `str.format` pattern, `{0}`, `{1}`... where its values go."""
    stand_ins = [str(_STAND_IN + n) for n in range(count)]
    shape = reverse(name, args=stand_ins).replace("{", "{{").replace("}", "}}")
    for n, stand_in in enumerate(stand_ins):
        shape = shape.replace(stand_in, f"{{{n}}}")
    return shape


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
            html = card_html(self)
            cache.set(key, html, CARD_CACHE_SECONDS)
        return mark_safe(html)


def card_html(card: Card) -> SafeString:
    """The card's markup, built here rather than in a template: a list page shows 25 of them,
    a search as many, and Django's template engine took 0.23 ms a card where this takes a
    fraction of it (docs/decisions.md). Every text is escaped (`escape`) but the byline,
    built as HTML by `byline_html`, and the summary, the story's sanitised HTML."""
    story = card.story
    text = story_words()
    language = escape(story.language)
    badges = ""
    if card.is_new:
        badges += f' <span class="badge new">{text["new"]}</span>'
    if story.locked:
        badges += (
            f' <span class="badge locked" title="{text["members_only_title"]}">'
            f"{text['members_only']}</span>"
        )
    if story.status != Status.PUBLISHED:
        badges += f' <span class="badge status">{escape(story.get_status_display())}</span>'
    elif not story.chapter_count:
        badges += f' <span class="badge status">{text["not_released"]}</span>'
    summary = (
        f'<div class="summary" lang="{language}" dir="auto">{story.summary}</div>'
        if story.summary
        else ""
    )
    tag_lines = "".join(
        f"<div><dt>{escape(line.kind.name)}</dt> <dd>"
        + ", ".join(f'<a href="{escape(tag.url)}">{escape(tag.name)}</a>' for tag in line.tags)
        + "</dd></div>\n    "
        for line in card.tag_lines
    )
    updated = ""
    if story.updated_at:
        updated = f"<div><dt>{text['updated']}</dt> <dd>{time_element(story.updated_at)}</dd></div>"
    byline = byline_html(bylines(card.authors, story))
    url, title, rating_url = escape(card.url), escape(story.title), escape(card.rating_url)
    rating, tongue = escape(story.rating.name), escape(card.language_name)
    chapters = escape(formats.localize(story.chapter_count))
    words = escape(intcomma(story.word_count))
    completed = text["yes"] if story.completed else text["no"]
    return mark_safe(f"""
<article class="story-card">
  <header class="card-head">
    <h3><a href="{url}" lang="{language}" dir="auto">{title}</a>{badges}</h3>
    <p class="byline">{text["by"]} {byline}</p>
  </header>
  {summary}
  <dl class="meta tags">
    <div><dt>{text["rated"]}</dt> <dd><a href="{rating_url}">{rating}</a></dd></div>
    {tag_lines}
  </dl>
  <dl class="meta stats">
    <div><dt>{text["language"]}</dt> <dd lang="{language}" dir="auto">{tongue}</dd></div>
    <div><dt>{text["chapters"]}</dt> <dd>{chapters}</dd></div>
    <div><dt>{text["words"]}</dt> <dd>{words}</dd></div>
    {updated}
    <div><dt>{text["completed"]}</dt> <dd>{completed}</dd></div>
  </dl>
</article>
""")


def credited_names(
    story_ids: list[int], address: Addresses | None = None
) -> dict[int, list[CardAuthor]]:
    """Each story's credited members with the pseud they sign it with, in credit order, as
    plain values in one query (`selectors.credit_rows`; pass them through
    `models.shown_authors` before showing them)."""
    if address is None:
        address = Addresses()
    authors: dict[int, list[CardAuthor]] = defaultdict(list)
    for story_id, user_id, pseud_id, name in credit_rows(story_ids):
        authors[story_id].append(
            CardAuthor(user_id, pseud_id, name, address("pseud", user_id, pseud_id))
        )
    return authors


def make_cards(stories: Iterable[Story]) -> list[Card]:
    """Cards for stories (fetched with their rating), in two more queries. Authors and tags are
    read as plain values, in SQL written by hand: a page of 25 cards holds hundreds of tags,
    and making a model instance of each (with its kind) cost more than everything else on a
    search page."""
    stories = list(stories)
    ids = [story.pk for story in stories]
    address = Addresses()
    authors = credited_names(ids, address)
    lines: dict[int, dict[int, CardTagLine]] = defaultdict(dict)
    kinds: dict[int, CardKind] = {}
    for story_id, tag_id, name, kind_id, kind_name, kind_slug, kind_order in card_tag_rows(ids):
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
