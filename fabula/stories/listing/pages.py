"""Lists of stories: in which order, which page of them, and the links between pages.

Every list of stories on the site (browse, recent, titles, a tag, a rating, an author) is built
the same way: a queryset of the stories this reader may see goes in, a `StoryPage` comes out
(its cards are made by `listing.cards`).
Bad input from the address bar never breaks a page: an unknown sort falls back to the list's
default and a page number that is not a number means the first page; only a page past the end
(or below 1) is a 404, since that page really does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, QueryDict
from django.utils.translation import gettext

from fabula.accounts.models import STORY_SORTS
from fabula.conf.models import site_settings
from fabula.lib.numbers import whole_number
from fabula.stories.listing.cards import Card, make_cards
from fabula.stories.listing.counts import counted_once
from fabula.stories.listing.filters import PARAMETERS as FILTER_PARAMETERS
from fabula.stories.listing.filters import (
    FacetCounts,
    FilterState,
    Sidebar,
    apply_filters,
    count_facets,
    read_filters,
    sidebar,
)
from fabula.stories.models import Story
from fabula.stories.permissions import listed_stories

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

# The order of "recently updated" lists: the home page's, the recent page's, the API's.
RECENT_SORT = "updated"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The query parameters a page reads (`lib.serving.served` shows a page no others): a paginated
# list, and a list of stories with its orders and filters (`story_page`).
PAGE_PARAMETERS = ("page",)
LIST_PARAMETERS = ("sort", "page", *FILTER_PARAMETERS)
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
    """The page asked for: a number (0 or past the end: no such page), or 1 when the value is
    missing or not plain digits ("-1", "²" and 5,000 digits included)."""
    number = whole_number(raw)
    return 1 if number is None else number


def paginate(
    items, raw_page: str | None, per_page: int | None = None, *, count: int | None = None
) -> Page:
    """One page of `items`; a page past the end (or below 1) is a 404. `count`, when the caller
    has counted the items already, saves asking the database again."""
    paginator = Paginator(items, per_page or site_settings().items_per_page)
    if count is not None:
        paginator.count = count  # a cached_property: what it would have counted
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
        Link(gettext(label), url_with(query, sort=key, page=None), key == current)
        for key, (label, _) in SORTS.items()
    ]


def page_links(query: QueryDict, page: Page) -> list[Link]:
    """Previous, nearby pages, the first and the last, next; "…" stands for pages left out.
    None at all when everything fits on one page."""
    if page.paginator.num_pages <= 1:
        return []

    def to(number: int) -> str:
        return url_with(query, page=number if number > 1 else None)

    links = [Link(gettext("‹ Previous"), to(page.number - 1))] if page.has_previous() else []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if isinstance(number, int):
            links.append(Link(str(number), to(number), number == page.number))
        else:  # Paginator.ELLIPSIS (a lazy string)
            links.append(Link("…", ""))
    if page.has_next():
        links.append(Link(gettext("Next ›"), to(page.number + 1)))
    return links


@dataclass
class StoryPage:
    """One page of a story list, ready for `stories/includes/story_list.html`."""

    cards: list[Card]
    page: Page
    sort: str
    sorts: list[Link]
    pages: list[Link]
    sidebar: Sidebar | None = None
    # On a member's empty list: how many stories their blocklist keeps out of it.
    hidden_by_blocks: int = 0

    @property
    def total(self) -> int:
        return self.page.paginator.count


# A list's own rule, applied to the stories the reader may see in lists.
Selection = Callable[[QuerySet[Story]], QuerySet[Story]]


def everything(listed: QuerySet[Story]) -> QuerySet[Story]:
    return listed


def story_page(
    request,
    select: Selection,
    *,
    default_sort: str = "title",
    use_preference: bool = True,
    filters: bool = True,
) -> StoryPage:
    """Sort, paginate and prepare for display the list `select` makes of the stories this
    reader may see in lists (`permissions.listed_stories`).

    A member's preferred order applies to general lists; lists whose order is their point
    (recent stories, titles by letter) pass `use_preference=False`. Costs four queries whatever
    the page size: the count, the page, its authors, its tags; and with `filters` the filters
    of the address bar apply (`listing.filters`) and the sidebar's counts, which give the count
    too, take its place (three queries, `count_facets`). A guest's counts are kept until the
    content changes (`listing.counts`): then the page, its authors and its tags. A member's
    empty list costs one query more: how many stories their blocklist hides from it, which the
    page says.
    """
    user = request.user
    stories = select(listed_stories(user))
    preferred = user.default_sort if use_preference and user.is_authenticated else ""
    sort = choose_sort(request.GET.get("sort"), default_sort, preferred)
    state = read_filters(request.GET) if filters else None
    if state is not None:
        stories = apply_filters(stories, state)
    total, facets = counted_once(user, stories, "list", lambda: _counts(stories, state))
    page = paginate(
        order_stories(stories, sort).select_related("rating"), request.GET.get("page"), count=total
    )
    hidden = 0
    if not page.paginator.count and user.is_authenticated:
        unblocked = select(listed_stories(user, blocks=False))
        hidden = (apply_filters(unblocked, state) if state is not None else unblocked).count()
    return StoryPage(
        cards=make_cards(page.object_list),
        page=page,
        sort=sort,
        sorts=sort_links(request.GET, sort),
        pages=page_links(request.GET, page),
        sidebar=(
            sidebar(facets, state, request.GET)
            if state is not None and facets is not None
            else None
        ),
        hidden_by_blocks=hidden,
    )


def _counts(stories: QuerySet[Story], state: FilterState | None) -> tuple[int, FacetCounts | None]:
    """How many stories the list holds, and the sidebar's counts when it has one: then the
    total is theirs, which spares reading every story of the list once more (a fandom's first
    page at 100,000 stories counts 1,600 of them)."""
    if state is None:
        return stories.count(), None
    facets = count_facets(stories, state)
    return facets.stories, facets


def paged(query: QueryDict, rows) -> dict:
    """A plain paged list's context (authors, series): this page's rows and links to the rest."""
    page = paginate(rows, query.get("page"))
    return {"page": page, "pages": page_links(query, page)}
