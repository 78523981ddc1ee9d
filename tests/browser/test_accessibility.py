"""axe-core over every page type, in Debian's chromium: light and dark themes, at a phone's width
(390 px) and a desktop's (1280 px). Any serious or critical violation fails the test, with the
rule, the page and the elements named.

axe-core is vendored (tests/browser/axe/, see its README) and evaluated into each page through
the DevTools protocol, which the site's Content-Security-Policy does not govern: the page itself
runs under its real policy, as a reader's does. Besides WCAG 2.0-2.2 A and AA, the best-practice
and experimental rules run too (label-content-name-mismatch is one); every page also has one h1.
Run with -s to see the counts by rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.collections import actions as collections
from fabula.community import actions as community
from fabula.moderation import actions as moderation
from fabula.news import actions as news
from fabula.stories import actions
from fabula.stories.models import Status
from fabula.test import chapter_url, set_site

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "axe" / "axe.min.js"
AXE_VERSION = "4.14.1"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
FAILING = ("serious", "critical")

# The rules that read colours: the only ones whose answer a theme can change (the page's markup
# and layout are the same in both themes).
THEME_RULES = ["color-contrast", "link-in-text-block"]
ALL_RULES = {
    "type": "tag",
    "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental",
    ],
}  # fmt: skip

# The page's violations as plain data (only serious and critical fail; the others are counted
# for the record).
RUN_AXE = """async (runOnly) => {
  const results = await axe.run(document, {resultTypes: ["violations"], runOnly});
  return results.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


@dataclass
class PageType:
    name: str
    address: str
    who: str | None = None  # None: a guest
    status: int = 200
    then: Callable | None = None  # what to do on the page before the scan (send a form…)


@pytest.fixture
def shelf(make_story, author, reader, moderator, archive):
    """A small archive with something on every page: stories in a series, reviews, a reading
    history, favourites, news, a site page, and work waiting for the moderators."""
    story = make_story(author, "Beach Games", chapters=3, tags=[archive.fandom, archive.jim])
    for n in range(3):
        make_story(author, f"Another Story {n}", tags=[archive.other_fandom, archive.humor])
    make_story(author, "Waiting Story", status=Status.PENDING, chapters=1)
    series = actions.series_create(owner=author, title="Summer Saga")
    actions.series_add(series=series, story=story)
    review = community.review_post(
        story=story, chapter=story.chapters.first(), user=reader, body="Lovely.", rating=8
    )
    community.review_reply(parent=review, user=author, body="Thank you!")
    community.favourite_add(user=reader, target=story, note="Read it twice.")
    community.reading_save_position(user=reader, chapter=story.chapters.first(), position=0.5)
    moderation.report_create(reason="Spam in the notes.", reporter=reader, story=story)
    post = news.post_save(
        title="Archive news",
        body="<p>Summer challenge opens.</p>",
        published_at=timezone.now() - timedelta(hours=1),
        by=moderator,
    )
    news.page_save(slug="about", title="About", body="<p>Who we are.</p>", by=moderator)
    set_site(welcome="<p>Welcome to the archive: browse, read, review.</p>")
    exchange = collections.collection_create(
        by=author,
        name="summer-swap",
        title="Summer Swap",
        kind="exchange",
        signup_closes=timezone.now() + timedelta(days=3),
        prompts=["A day at the beach"],
    )
    collections.collection_add_work(collection=exchange, story=story, by=author)
    collections.signup_create(
        collection=exchange, user=reader, offers=[archive.jim], requests=[archive.fandom]
    )
    collections.signup_create(
        collection=exchange, user=moderator, offers=[archive.fandom], requests=[archive.jim]
    )
    collections.assignments_make(collection=exchange, by=author)
    return {"story": story, "series": series, "post": post}


def rate_limited(settings):
    """A guest's searches past the (scaled-down) limit: the 429 page."""

    def then(page):
        settings.FABULA_LIMITS_SCALE = 0.0001  # every limit becomes one attempt
        page.goto(page.url.split("?")[0] + "?q=first")
        response = page.goto(page.url.split("?")[0] + "?q=second")
        assert response is not None and response.status == 429

    return then


def scraper_challenge(settings):
    """A guest over the page budget: the proof-of-work page (made too hard to finish during the
    scan)."""

    def then(page):
        settings.SCRAPER_PAGES_PER_MINUTE = 1
        settings.SCRAPER_DIFFICULTY = 40
        # The budget counts per wall-clock minute: a third page, should a minute have turned.
        statuses = [page.goto(page.url).status for _ in range(2)]
        if statuses[-1] != 429:
            statuses.append(page.goto(page.url).status)
        assert statuses[-1] == 429, statuses

    return then


def open_display_menu(page):
    page.locator("details.display-menu summary").click()
    assert page.get_by_role("radio", name="Dark").is_visible()


def send_empty(page):
    """Sends the page's main form empty: its errors are part of the page type."""
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state("load")


def page_types(shelf, archive, author, settings) -> list[PageType]:
    story, series = shelf["story"], shelf["series"]
    first = story.chapters.first()
    assert first is not None
    return [
        PageType("home", reverse("home")),
        PageType("member-home", reverse("home"), "reader"),
        PageType("display-menu", reverse("browse"), then=open_display_menu),
        PageType("story-index", reverse("story", args=[story.pk])),
        PageType("chapter", chapter_url(story, 1)),
        PageType("chapter-member", chapter_url(story, 2), "reader"),
        PageType("print-view", reverse("story-full", args=[story.pk])),
        PageType("search-results", reverse("search:results") + "?q=chapter"),
        PageType("search-help", reverse("search:help")),
        PageType("browse", reverse("browse")),
        PageType("browse-filtered", reverse("browse") + f"?tag={archive.humor.pk}"),
        PageType("recent", reverse("recent")),
        PageType("titles", reverse("titles")),
        PageType("categories", reverse("browse-kind", args=["categories"])),
        PageType("tag", reverse("browse-tag", args=["categories", archive.fandom.pk])),
        PageType("rating", reverse("browse-rating", args=[archive.general.pk])),
        PageType("authors", reverse("authors")),
        PageType("author", reverse("author", args=[author.pk])),
        PageType("series-list", reverse("series-list")),
        PageType("series", reverse("series", args=[series.pk])),
        PageType("collections", reverse("collections:list")),
        PageType("collection", reverse("collections:detail", args=["summer-swap"])),
        PageType(
            "collection-maintainer", reverse("collections:detail", args=["summer-swap"]), "author"
        ),
        PageType("collection-form", reverse("collections:new"), "author"),
        PageType("collection-form-errors", reverse("collections:new"), "author", then=send_empty),
        PageType("exchange-signup", reverse("collections:signup", args=["summer-swap"]), "reader"),
        PageType(
            "exchange-assignments",
            reverse("collections:assignments", args=["summer-swap"]),
            "author",
        ),
        PageType(
            "my-assignment", reverse("collections:my-assignment", args=["summer-swap"]), "reader"
        ),
        PageType("challenge-form", reverse("stories:challenge-new"), "author"),
        PageType("top-lists", reverse("community:toplists")),
        PageType("stats", reverse("community:stats")),
        PageType("login", reverse("accounts:login")),
        PageType("login-errors", reverse("accounts:login"), then=send_empty),
        PageType("register", reverse("accounts:register")),
        PageType("register-errors", reverse("accounts:register"), then=send_empty),
        PageType("password-reset", reverse("accounts:password_reset")),
        PageType("profile", reverse("accounts:profile"), "reader"),
        PageType("preferences", reverse("accounts:preferences"), "reader"),
        PageType("password-change", reverse("accounts:password_change"), "reader"),
        PageType("account-delete", reverse("account-delete"), "reader"),
        PageType("alerts-preferences", reverse("community:preferences"), "reader"),
        PageType("post-form", reverse("stories:new"), "author"),
        PageType("post-form-errors", reverse("stories:new"), "author", then=send_empty),
        PageType("my-stories", reverse("stories:mine"), "author"),
        PageType("manage-story", reverse("stories:manage", args=[story.pk]), "author"),
        PageType("chapter-form", reverse("stories:chapter-new", args=[story.pk]), "author"),
        PageType("review-form", reverse("community:review-new", args=[story.pk]), "reader"),
        PageType(
            "review-form-errors",
            reverse("community:review-new", args=[story.pk]),
            "reader",
            status=400,
            then=send_empty,
        ),
        PageType("story-reviews", reverse("community:story-reviews", args=[story.pk])),
        PageType("review-edit", reverse("community:review-edit", args=[_review(first)]), "reader"),
        PageType("favourites", reverse("community:favourites", args=[_reader(first)])),
        PageType("history", reverse("community:history"), "reader"),
        PageType("later", reverse("community:later-list"), "reader"),
        PageType("following", reverse("community:following"), "reader"),
        PageType("notifications", reverse("community:notifications"), "author"),
        PageType("blocks", reverse("community:blocks"), "reader"),
        PageType("saved-searches", reverse("search:saved"), "reader"),
        PageType("news", reverse("news:posts")),
        PageType("news-post", reverse("news:post", args=[shelf["post"].pk]), "reader"),
        PageType("site-page", reverse("news:page", args=["about"])),
        PageType("koreader-help", reverse("koreader-help")),
        PageType("moderation-queue", reverse("moderation:queue"), "moderator"),
        PageType("moderation-reports", reverse("moderation:reports"), "moderator"),
        PageType("moderation-log", reverse("moderation:log"), "moderator"),
        PageType("moderation-members", reverse("moderation:members"), "moderator"),
        PageType("not-found", "/no/such/page/", status=404),
        PageType(
            "refused-403",
            reverse("community:review-new", args=[story.pk]),
            "author",
            status=403,
        ),
        PageType("logout-get-405", reverse("accounts:logout"), "reader", status=405),
        # Last: they leave the guest over a limit.
        PageType("too-many", reverse("search:results"), status=429, then=rate_limited(settings)),
        PageType("scraper-challenge", reverse("recent"), then=scraper_challenge(settings)),
    ]


def _review(chapter) -> int:
    return chapter.reviews.filter(parent=None).values_list("pk", flat=True)[0]


def _reader(chapter) -> int:
    return chapter.reviews.filter(parent=None).values_list("user_id", flat=True)[0]


def scan(page, run_only) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE, run_only)


@pytest.mark.parametrize("width", ["390", "1280"])
def test_every_page_type_passes_axe_in_both_themes(
    browser, member_context, live_server, shelf, archive, author, reader, moderator, settings, width
):
    """Each page is loaded once per width (the layout, and what the scripts fold, depend on
    it) and scanned with every rule in the light theme, then again in the dark theme with the
    rules that read colours."""
    settings.PAGE_CACHE_SECONDS = 0
    viewport = PHONE if width == "390" else DESKTOP
    people = {"reader": reader, "author": author, "moderator": moderator}
    contexts = {None: browser.new_context(viewport=viewport)}
    for key, person in people.items():
        contexts[key] = member_context(person, viewport=viewport)
    found: list[tuple[str, str, dict]] = []
    not_one_h1: list[str] = []
    for kind in page_types(shelf, archive, author, settings):
        page = contexts[kind.who].new_page()
        page.emulate_media(color_scheme="light")
        response = page.goto(live_server.url + kind.address)
        if kind.then:
            kind.then(page)
        else:
            assert response is not None and response.status == kind.status, kind.name
        found += [("light", kind.name, v) for v in scan(page, ALL_RULES)]
        page.emulate_media(color_scheme="dark")
        found += [("dark", kind.name, v) for v in scan(page, THEME_RULES)]
        if page.locator("h1").count() != 1:
            not_one_h1.append(kind.name)
        page.close()
    contexts[None].close()

    pages: dict[str, list[str]] = {}
    nodes: Counter[str] = Counter()
    for theme, name, violation in found:
        key = f"{violation['rule']} ({violation['impact']}, {theme})"
        pages.setdefault(key, []).append(name)
        nodes[key] += len(violation["nodes"])
    print(f"\naxe-core {AXE_VERSION} at {width} px: rule (impact, theme): nodes, pages")
    for key in sorted(pages):
        print(f"  {key}: {nodes[key]} nodes on {', '.join(pages[key])}")
    failing = [
        f"{name} ({theme}): {v['rule']} ({v['impact']}) {v['help']}: {', '.join(v['nodes'][:4])}"
        for theme, name, v in found
        if v["impact"] in FAILING
    ]
    assert failing == [], "\n".join(failing)
    assert not_one_h1 == [], f"pages without exactly one h1: {not_one_h1}"
