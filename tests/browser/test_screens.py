"""Every kind of page, looked at in chromium at a phone's width (390 px) and a desktop's
(1280 px), and the bell of a new member.

1. Each page type is saved as a screenshot in `var/screenshots/` (not committed; look at them
   after a run), and checked for what a phone must get right: nothing wider than the screen,
   and on lists the results first with the filters folded.
2. A member who just joined reviews a chapter; when the author replies, the count on the
   member's bell goes from nothing to 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from fabula.community import actions as community
from fabula.stories import actions
from fabula.test import chapter_url

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def shelf(make_story, author, reader, archive):
    """A small archive with something on every page: stories, a series, a review, alerts."""
    story = make_story(author, "Beach Games", chapters=3, tags=[archive.fandom, archive.jim])
    for n in range(4):
        make_story(author, f"Another Story {n}", tags=[archive.other_fandom, archive.humor])
    series = actions.series_create(owner=author, title="Summer Saga")
    actions.series_add(series=series, story=story)
    review = community.review_post(
        story=story, chapter=story.chapters.first(), user=reader, body="Lovely.", rating=8
    )
    community.review_reply(parent=review, user=author, body="Thank you!")
    return {"story": story, "series": series}


def page_types(shelf, archive, author):
    """(name, address, who looks) for each page type."""
    story = shelf["story"]
    return [
        ("home", reverse("home"), None),
        ("browse", reverse("browse"), None),
        ("browse-filtered", reverse("browse") + f"?tag={archive.humor.pk}", None),
        ("categories", reverse("browse-kind", args=["categories"]), None),
        ("tag", reverse("browse-tag", args=["categories", archive.fandom.pk]), None),
        ("rating", reverse("browse-rating", args=[archive.general.pk]), None),
        ("story", reverse("story", args=[story.pk]), None),
        ("chapter", chapter_url(story, 1), None),
        ("search", reverse("search:results") + "?q=words", None),
        ("authors", reverse("authors"), None),
        ("author", reverse("author", args=[author.pk]), None),
        ("series", reverse("series", args=[shelf["series"].pk]), None),
        ("top", reverse("community:toplists"), None),
        ("stats", reverse("community:stats"), None),
        ("login", reverse("accounts:login"), None),
        ("join", reverse("accounts:register"), None),
        ("not-found", "/no/such/page/", None),
        ("member-home", reverse("home"), "reader"),
        ("notifications", reverse("community:notifications"), "reader"),
        ("history", reverse("community:history"), "reader"),
        ("preferences", reverse("accounts:preferences"), "reader"),
        ("logout-get-405", reverse("accounts:logout"), "reader"),
        ("post-form", reverse("stories:new"), "author"),
        ("my-stories", reverse("stories:mine"), "author"),
        ("moderation", reverse("moderation:queue"), "moderator"),
    ]


def test_every_page_type_at_phone_and_desktop_width(
    browser, member_context, live_server, shelf, archive, author, reader, moderator, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    people = {"reader": reader, "author": author, "moderator": moderator}
    contexts = {}
    for width, viewport in (("390", PHONE), ("1280", DESKTOP)):
        contexts[(None, width)] = browser.new_context(viewport=viewport)
        for key, person in people.items():
            contexts[(key, width)] = member_context(person, viewport=viewport)
    for name, address, who in page_types(shelf, archive, author):
        for width in ("390", "1280"):
            page = contexts[(who, width)].new_page()
            page.goto(live_server.url + address)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
            assert page.evaluate(WIDER_THAN_THE_SCREEN) <= 0, (
                f"{name} at {width} px scrolls sideways"
            )
            if name.startswith("browse"):
                filters = page.locator("details.filter-panel")
                first = page.locator(".results .story-card").first.bounding_box()
                assert first is not None
                if width == "390":
                    assert filters.get_attribute("open") is None, "filters open on a phone"
                    assert first["y"] < PHONE["height"], "the first result is below the fold"
                else:
                    assert filters.get_attribute("open") is not None
            page.close()
    for context in [c for (who, _), c in contexts.items() if who is None]:
        context.close()


def test_checkboxes_and_buttons_are_big_enough_to_touch(browser, live_server, shelf, settings):
    settings.PAGE_CACHE_SECONDS = 0
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(live_server.url + reverse("browse"))
    for selector in ("details.filter-panel input[type=checkbox]", ".header-search button"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, selector


def test_a_new_member_sees_the_bell_count_rise_after_a_reply(
    browser, member_context, live_server, make_story, author, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    story = make_story(author, "Beach Games", chapters=1)
    chapter = live_server.url + chapter_url(story, 1)
    # Logged in before the browsing starts: the test's own writes (a session) must not meet
    # the live server's (in-memory SQLite locks whole tables).
    as_author = member_context(author).new_page()
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(live_server.url + reverse("accounts:register"))
    page.fill("#id_pen_name", "Fresh Reader")
    page.fill("#id_email", "fresh@example.org")
    page.fill("#id_password1", "tide pools at dawn")
    page.fill("#id_password2", "tide pools at dawn")
    page.check("#id_age")
    with page.expect_navigation():
        page.get_by_role("button", name="Join").click()
    page.goto(chapter)
    assert page.locator(".bell .unread-count").count() == 0
    page.fill("#id_body", "Please write more.")
    page.get_by_role("button", name="Post review").click()
    page.wait_for_url("**#review-*")
    review_anchor = page.url.rsplit("#", 1)[1]  # read from the page: no query beside the server's
    as_author.goto(chapter)
    thread = as_author.locator(".review-thread", has=as_author.locator(f"#{review_anchor}"))
    thread.locator("summary", has_text="Reply").click()
    thread.locator("textarea").fill("Soon, I promise.")
    thread.get_by_role("button", name="Post reply").click()
    as_author.wait_for_url("**#review-*")
    page.reload()
    bell = page.locator(".bell .unread-count")
    assert bell.inner_text().startswith("1")
    page.locator(".bell").click()
    page.wait_for_url("**" + reverse("community:notifications"))
    assert page.locator(".notification", has_text="replied to a review of Beach Games").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Mark all as read").click()
    assert page.locator(".bell .unread-count").count() == 0


# Controls that must look like one family: (selector on its page, page).
CONTROLS = [
    (".header-search input[type=search]", "browse"),
    (".header-search button", "browse"),
    ("details.filter-panel input[type=number]", "browse"),
    ("details.filter-panel input[type=date]", "browse"),
    ("details.filter-panel button[type=submit]", "browse"),
    (".reading-tools select", "chapter"),
]


def test_controls_share_one_look_and_the_kudos_pill_sits_in_line(
    browser, live_server, shelf, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    page = browser.new_context(viewport=DESKTOP).new_page()
    addresses = {
        "browse": reverse("browse"),
        "chapter": chapter_url(shelf["story"], 1),
        "story": reverse("story", args=[shelf["story"].pk]),
    }
    for selector, where in CONTROLS:
        page.goto(live_server.url + addresses[where])
        control = page.locator(selector).first
        style = control.evaluate(
            "e => { const s = getComputedStyle(e);"
            " return [s.borderTopLeftRadius, s.borderTopStyle, s.fontFamily]; }"
        )
        body_font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert style == ["6px", "solid", body_font], (selector, style)
    page.goto(live_server.url + addresses["story"])
    pill = page.locator(".kudos-count").bounding_box()
    button = page.locator(".community-buttons .button").first.bounding_box()
    assert pill is not None and button is not None
    assert abs((pill["y"] + pill["height"] / 2) - (button["y"] + button["height"] / 2)) <= 1
    assert abs(pill["height"] - button["height"]) <= 2
