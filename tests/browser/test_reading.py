"""Reading a story in a real browser, on a phone and on a desktop.

Drives Debian's chromium through Playwright against the live test server: open a story, start
reading, go to the next chapter, jump back with the chapter menu, change the text size (it is
remembered on the device), and check that nothing is wider than a phone's screen. Screenshots
go to /tmp/fabula-reading-*.png for a person to look at.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.stories import actions
from fabula.test import chapter_url

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

PARAGRAPHS = [
    "The Friday after the beach, nobody talked about the coals. Jim took the long way to the "
    "kitchen so he would not pass reception, and then felt ridiculous about it.",
    "Karen caught him at the copier and asked whether he wanted Thai or Mexican, and he said "
    "Thai because it was easier than having an opinion about anything at all that week.",
    "Outside, the parking lot shimmered. Somewhere a stapler clicked twice, then stopped, as if "
    "it too had thought better of saying something out loud.",
]


@pytest.fixture
def story(make_story, author, coauthor, archive):
    story = make_story(
        author,
        "The Last Temptation of a Very Long Title That Has To Wrap Somewhere",
        coauthors=[coauthor],
        chapters=0,
        rating=archive.teen,
        tags=[archive.subfandom, archive.jim, archive.pam, archive.angst, archive.violence],
        summary="<p>Jim comes back from Stamford with a girlfriend and a plan. Neither survives "
        "contact with Pam.</p>",
        notes="<p>Written for the end-of-season challenge. Spoilers through The Return.</p>",
    )
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS * 4)
    actions.chapter_add(
        story=story, title="Temptation", body=body, notes="<p>Thanks for reading.</p>"
    )
    actions.chapter_add(
        story=story,
        title="Coals",
        body=body.replace("Friday", "Monday"),
        end_notes="<p>More soon.</p>",
    )
    return story


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def text_size(page) -> float:
    return page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.chapter-text')).fontSize)"
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_read_a_two_chapter_story(browser, live_server, story, viewport):
    name = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport)
    address = lambda n: live_server.url + chapter_url(story.pk, n)  # noqa: E731

    page.goto(live_server.url + reverse("story", args=[story.pk]))
    assert page.locator("h1").inner_text().startswith("The Last Temptation")
    assert page.locator(".story-meta dt", has_text="Rated").count() == 1
    page.screenshot(path=f"/tmp/fabula-reading-{name}-index.png", full_page=True)
    assert no_horizontal_overflow(page)

    page.get_by_role("link", name="Start reading").click()
    page.wait_for_url(address(1))
    assert "Thanks for reading." in page.content()
    assert page.locator("#chapter-jump").is_visible()  # shown once the script runs
    page.screenshot(path=f"/tmp/fabula-reading-{name}-chapter1.png", full_page=False)
    assert no_horizontal_overflow(page)

    page.locator("a[rel=next]").click()
    page.wait_for_url(address(2))
    assert page.locator("h1").inner_text() == "Coals"
    assert "More soon." in page.content()
    page.screenshot(path=f"/tmp/fabula-reading-{name}-chapter2.png", full_page=True)
    assert no_horizontal_overflow(page)

    page.select_option("#chapter-jump", label="1. Temptation")
    page.wait_for_url(address(1))
    assert page.locator("h1").inner_text() == "Temptation"

    normal = text_size(page)
    page.get_by_role("button", name="Larger text").click()
    page.get_by_role("button", name="Larger text").click()
    larger = text_size(page)
    assert larger > normal * 1.15
    page.screenshot(path=f"/tmp/fabula-reading-{name}-larger.png", full_page=False)
    assert no_horizontal_overflow(page)
    # Remembered on this device: the next chapter opens at the same size.
    page.locator("a[rel=next]").click()
    page.wait_for_url(address(2))
    assert text_size(page) == pytest.approx(larger)
    page.get_by_role("button", name="Normal text size").click()
    assert text_size(page) == pytest.approx(normal)
    page.get_by_role("button", name="Smaller text").click()
    assert text_size(page) < normal

    page.goto(live_server.url + reverse("browse"))
    page.screenshot(path=f"/tmp/fabula-reading-{name}-browse.png", full_page=True)
    assert no_horizontal_overflow(page)
    page.close()


def test_age_gate_on_a_phone(browser, live_server, make_story, author, archive):
    story = make_story(author, "An Adult Story", rating=archive.adult)
    page = browser.new_page(viewport=PHONE)
    url = live_server.url + chapter_url(story.pk, 2)
    page.goto(url)
    assert page.locator("h1").inner_text() == "Age check"
    assert "This story is for adults only." in page.content()
    page.screenshot(path="/tmp/fabula-reading-phone-gate.png", full_page=True)
    assert no_horizontal_overflow(page)
    page.get_by_role("button", name="I am old enough: continue").click()
    page.wait_for_url(url)
    assert "Text of chapter 2" in page.locator(".chapter-text").inner_text()
    page.close()
