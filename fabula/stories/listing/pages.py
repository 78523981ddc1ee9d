"""Lists of stories: in which order, which page of them, and what each card shows.

Every list of stories on the site (browse, recent, titles, a tag, a rating, an author) is built
the same way: a queryset of the stories this reader may see goes in, a `StoryPage` comes out.
Bad input from the address bar never breaks a page: an unknown sort falls back to the list's
default and a page number that is not a number means the first page; only a page past the end
(or below 1) is a 404, since that page really does not exist.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from fabula.accounts.models import STORY_SORTS
from fabula.conf.models import site_settings
from fabula.stories.listing.filters import Sidebar, apply_filters, read_filters, sidebar
from fabula.stories.models import Story, StoryAuthor, StoryTag

# The orders a reader may pick: the key in `?sort=`, its label (both from accounts' STORY_SORTS,
# which a member's preference chooses among), and the ORDER BY. The primary key comes last so
# that stories with equal values keep one stable order across pages.
_ORDER_BY: dict[str, tuple] = {
    "title": (Lower("title").asc(), "pk"),
    "updated": (F("updated_at").desc(nulls_last=True), "-pk"),
    "published": (F("published_at").desc(nulls_last=True), "-pk"),
    "words": ("-word_count", "-pk"),
    "reads": ("-read_count", "-pk"),
}
SORTS: dict[str, tuple[str, tuple]] = {
    key: (label, _ORDER_BY[key]) for key, label in STORY_SORTS.items()
}

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CARD_CACHE_SECONDS = 24 * 3600  # rendered cards; their keys never go stale, this frees memory
OTHER = "other"  # titles that do not start with a letter A-Z; "#" means the same


def choose_sort(requested: str | None, default: str, preferred: str = "") -> str:
    """The sort to use: the one asked for if known, else the member's preference, else the
    list's own default."""
    for candidate in (requested, preferred):
        if candidate in SORTS:
            return candidate
    return default


def order_stories(stories: QuerySet[Story], sort: str) -> QuerySet[Story]:
    return stories.order_by(*SORTS[sort][1])


def normalise_letter(letter: str) -> str:
    """ "a" -> "A"; "#" or "other" -> OTHER. Anything else is not a letter page: 404."""
    if letter in ("#", OTHER):
        return OTHER
    if len(letter) == 1 and letter.upper() in LETTERS:
        return letter.upper()
    raise Http404(f"There is no title list for {letter!r}: use a letter A-Z or 'other'.")


def filter_by_letter(stories: QuerySet[Story], letter: str) -> QuerySet[Story]:
    """Stories whose title starts with `letter` (normalised), or with no letter A-Z for OTHER."""
    if letter == OTHER:
        return stories.exclude(title__regex=r"^[A-Za-z]")
    return stories.filter(title__istartswith=letter)


def page_number(raw: str | None) -> int:
    """The page asked for: a number, or 1 when the value is missing or not a number."""
    try:
        return int(raw or 1)
    except ValueError:
        return 1


def paginate(items, raw_page: str | None, per_page: int | None = None) -> Page:
    """One page of `items`; a page past the end (or below 1) is a 404."""
    paginator = Paginator(items, per_page or site_settings().items_per_page)
    try:
        return paginator.page(page_number(raw_page))
    except EmptyPage as error:
        raise Http404(f"No such page: {error}") from error


def url_with(query: QueryDict, **changes) -> str:
    """The current query string with some parameters changed; None removes one."""
    params = query.copy()
    for key, value in changes.items():
        params.pop(key, None)  # then set again, so the changed one comes last
        if value is not None:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass
class Link:
    label: str
    url: str
    current: bool = False


def sort_links(query: QueryDict, current: str) -> list[Link]:
    """A link per sort; changing the order starts again at page 1."""
    return [
        Link(label, url_with(query, sort=key, page=None), key == current)
        for key, (label, _) in SORTS.items()
    ]


def page_links(query: QueryDict, page: Page) -> list[Link]:
    """Previous, nearby pages, the first and the last, next; "…" stands for pages left out.
    None at all when everything fits on one page."""
    if page.paginator.num_pages <= 1:
        return []

    def to(number: int) -> str:
        return url_with(query, page=number if number > 1 else None)

    links = [Link("‹ Previous", to(page.number - 1))] if page.has_previous() else []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if isinstance(number, int):
            links.append(Link(str(number), to(number), number == page.number))
        else:  # Paginator.ELLIPSIS (a lazy string)
            links.append(Link("…", ""))
    if page.has_next():
        links.append(Link("Next ›", to(page.number + 1)))
    return links


@dataclass(frozen=True)
class CardAuthor:
    pk: int
    pen_name: str


@dataclass(frozen=True)
class CardKind:
    name: str
    slug: str
    order: int


@dataclass(frozen=True)
class CardTag:
    pk: int
    name: str


@dataclass
class TagLine:
    kind: CardKind
    tags: list[CardTag]


@dataclass
class Card:
    """What one story card shows."""

    story: Story
    authors: list
    tag_lines: list[TagLine]
    is_new: bool

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
            story.rating_id,
            story.rating.name,
            self.is_new,
            site_settings().date_format,
            [(author.pk, author.pen_name) for author in self.authors],
            [
                (line.kind.name, line.kind.slug, [(tag.pk, tag.name) for tag in line.tags])
                for line in self.tag_lines
            ],
        )

    @cached_property
    def html(self) -> SafeString:
        """The card as HTML. Lists show the same cards again and again, and rendering one costs
        more than the queries behind it, so a card once rendered is kept in the cache under a
        key drawn from everything it shows: an edit, a renamed tag or pen name makes a new key,
        never a stale card."""
        digest = hashlib.blake2b(repr(self.shown()).encode(), digest_size=12).hexdigest()
        key = f"card:{self.story.pk}:{digest}"
        html = cache.get(key)
        if html is None:
            html = render_to_string("includes/story_card.html", {"card": self})
            cache.set(key, html, CARD_CACHE_SECONDS)
        return mark_safe(html)


def make_cards(stories: Iterable[Story]) -> list[Card]:
    """Cards for stories (fetched with their rating), in two more queries. Authors and tags are
    read as plain values: a page of 25 cards holds hundreds of tags, and making a model
    instance of each (with its kind) cost more than everything else on a search page."""
    stories = list(stories)
    ids = [story.pk for story in stories]
    authors: dict[int, list[CardAuthor]] = defaultdict(list)
    for story_id, user_id, pen_name in (
        StoryAuthor.objects.filter(story_id__in=ids)
        .order_by("story_id", "position")
        .values_list("story_id", "user_id", "user__pen_name")
    ):
        authors[story_id].append(CardAuthor(user_id, pen_name))
    lines: dict[int, dict[int, TagLine]] = defaultdict(dict)
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
        lines[story_id].setdefault(kind_id, TagLine(kind, [])).tags.append(CardTag(tag_id, name))
    new_since = timezone.now() - timedelta(days=site_settings().new_story_days)
    return [
        Card(
            story=story,
            authors=authors[story.pk],
            tag_lines=sorted(
                lines[story.pk].values(), key=lambda line: (line.kind.order, line.kind.slug)
            ),
            is_new=bool(story.updated_at and story.updated_at >= new_since),
        )
        for story in stories
    ]


@dataclass
class StoryPage:
    """One page of a story list, ready for `includes/story_list.html`."""

    cards: list[Card]
    page: Page
    sort: str
    sorts: list[Link]
    pages: list[Link]
    sidebar: Sidebar | None = None

    @property
    def total(self) -> int:
        return self.page.paginator.count


def story_page(
    request,
    stories: QuerySet[Story],
    *,
    default_sort: str = "title",
    use_preference: bool = True,
    filters: bool = True,
) -> StoryPage:
    """Sort, paginate and prepare `stories` (already filtered for this reader) for display.

    A member's preferred order applies to general lists; lists whose order is their point
    (recent stories, titles by letter) pass `use_preference=False`. Costs four queries whatever
    the page size: the count, the page, its authors, its tags; and with `filters` the filters
    of the address bar apply (`listing.filters`) and the sidebar with its counts costs two
    more (three or four when tags are chosen).
    """
    user = request.user
    preferred = user.default_sort if use_preference and user.is_authenticated else ""
    sort = choose_sort(request.GET.get("sort"), default_sort, preferred)
    state = read_filters(request.GET) if filters else None
    if state is not None:
        stories = apply_filters(stories, state)
    page = paginate(order_stories(stories, sort).select_related("rating"), request.GET.get("page"))
    return StoryPage(
        cards=make_cards(page.object_list),
        page=page,
        sort=sort,
        sorts=sort_links(request.GET, sort),
        pages=page_links(request.GET, page),
        sidebar=sidebar(stories, state, request.GET) if state is not None else None,
    )
