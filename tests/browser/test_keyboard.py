"""The site with a keyboard only, in chromium: join, post a story, read and change the text size,
filter a search, leave a review. No click and no fill: focus moves with Tab, text is typed,
boxes are ticked with Space, buttons pressed with Enter. Every element that takes the focus on
the way must show it (an outline or a box shadow, as computed); the chapter page announces the
chapter in a live region; a form's errors are tied to their fields (aria-describedby).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.community.models import Review
from fabula.stories.models import Story
from fabula.test import chapter_url
from tests.browser.closing import close_quietly

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}

# What shows the focus on the focused element: its outline or its box shadow. One exception: a
# date field's calendar button takes the focus inside the field's own (closed) shadow, where the
# field no longer matches :focus and chromium draws its own ring on the button, which neither the
# page's CSS nor getComputedStyle reaches.
FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const calendarButton = /^(date|datetime-local|time|month|week)$/.test(element.type) &&
    !element.matches(":focus");
  return {
    shown: outline || style.boxShadow !== "none" || calendarButton,
    what: element.outerHTML.slice(0, 80) + " outline " + style.outlineStyle + " " +
          style.outlineWidth + ", shadow " + style.boxShadow,
  };
}"""


def tab_to(page, target, *, most: int = 250, back: bool = False) -> None:
    """Presses Tab (Shift+Tab with back) until `target` (a locator) has the focus, checking that
    each element focused on the way shows it."""
    for _ in range(most):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focus = page.evaluate(FOCUS)
        assert focus["shown"], f"no visible focus on {focus['what']}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never took the focus in {most} presses of Tab")


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def press(page, target, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def error_of(page, field_id: str) -> str:
    """The text of the element(s) a field's aria-describedby names; the field must say it is
    invalid."""
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true", field_id
    described = field.get_attribute("aria-describedby") or ""
    assert f"{field_id}_error" in described.split(), (field_id, described)
    return page.locator(f"#{field_id}_error").inner_text()


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    close_quietly(context)


def test_join_with_the_keyboard_and_errors_tied_to_fields(keyboard_page, live_server):
    page = keyboard_page
    page.goto(live_server.url + reverse("accounts:register"))
    # Waiting for the answer, not for "load": the page asked from is loaded already, so a wait
    # for its load state could return before the form was even sent (it did, once in CI).
    with page.expect_navigation():
        press(page, page.get_by_role("button", name="Join", exact=True))
    assert "required" in error_of(page, "id_pen_name").lower()
    assert error_of(page, "id_email")

    page.locator("body").focus()  # from the top of the page again
    type_into(page, page.locator("#id_pen_name"), "Keys Only")
    type_into(page, page.locator("#id_email"), "keys@example.org")
    type_into(page, page.locator("#id_password1"), "tide pools at dawn")
    type_into(page, page.locator("#id_password2"), "tide pools at night")
    press(page, page.locator("#id_age"), "Space")
    assert page.locator("#id_age").is_checked()
    with page.expect_navigation():
        press(page, page.get_by_role("button", name="Join", exact=True))
    assert error_of(page, "id_password2") == "The two passwords differ."
    # What was typed stays, but the passwords must be typed again.
    assert page.locator("#id_pen_name").input_value() == "Keys Only"

    page.locator("body").focus()
    type_into(page, page.locator("#id_password1"), "tide pools at dawn")
    type_into(page, page.locator("#id_password2"), "tide pools at dawn")
    if not page.locator("#id_age").is_checked():
        press(page, page.locator("#id_age"), "Space")
    with page.expect_navigation():
        press(page, page.get_by_role("button", name="Join", exact=True))
    assert page.locator(".member-menu summary").inner_text() == "Keys Only"


def test_post_a_story_with_the_keyboard(member_context, live_server, archive, author):
    page = member_context(author).new_page()
    page.goto(live_server.url + reverse("stories:new"))
    type_into(page, page.locator("#id_title"), "Typed Tale")
    type_into(page, page.locator("#id_summary"), "Written without a mouse.")
    tab_to(page, page.locator("#id_rating"))
    page.keyboard.type("G")  # a menu's type-ahead: the first rating starting with G
    assert page.locator("#id_rating").input_value() == str(archive.general.pk)
    type_into(page, page.get_by_role("combobox", name="Find categories"), "jim and")
    page.keyboard.press("Enter")  # the first match is the active option
    type_into(page, page.get_by_role("combobox", name="Find characters"), "ji")
    page.keyboard.press("Enter")
    type_into(page, page.locator("#id_chapter-title"), "Keys")
    type_into(page, page.locator("#id_chapter-body"), "Every word of it typed.")
    with page.expect_navigation():
        press(page, page.get_by_role("button", name="Post the story"))
    story = Story.objects.get(title="Typed Tale")
    assert set(story.tags.all()) == {archive.subfandom, archive.jim}
    assert story.chapters.get().title == "Keys"


def test_read_and_change_the_text_size_with_the_keyboard(
    keyboard_page, live_server, make_story, author
):
    page = keyboard_page
    story = make_story(author, "Beach Games", chapters=3)
    page.goto(live_server.url + reverse("story", args=[story.pk]))
    with page.expect_navigation():
        press(page, page.get_by_role("link", name="Start reading"))
    text = page.locator(".chapter-text")
    normal = float(text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    press(page, page.get_by_role("button", name="Larger text"))
    page.keyboard.press("Enter")  # the button keeps the focus: a second step
    larger = float(text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert larger > normal * 1.15
    with page.expect_navigation():
        press(page, page.get_by_role("link", name="Next chapter"))
    assert page.url == live_server.url + chapter_url(story, 2)
    # Announced to screen readers once the page is ready (polled from here: the CSP refuses a
    # predicate evaluated in the page).
    status = page.get_by_role("status").filter(has_text="Chapter 2 of 3")
    for _ in range(50):
        if status.count():
            break
        page.wait_for_timeout(100)
    assert status.inner_text() == "Chapter 2 of 3: Chapter 2"
    assert float(
        page.locator(".chapter-text").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    ) == pytest.approx(larger)


def test_filter_a_search_with_the_keyboard(keyboard_page, live_server, make_story, author, archive):
    page = keyboard_page
    make_story(author, "Funny Chapter Story", tags=[archive.fandom, archive.humor])
    make_story(author, "Sad Chapter Story", tags=[archive.fandom, archive.angst])
    page.goto(live_server.url + reverse("search:results") + "?q=chapter")
    assert page.locator(".search-results .story-card").count() == 2
    press(page, page.get_by_role("checkbox", name="Include Humor"), "Space")
    with page.expect_navigation():
        press(page, page.get_by_role("button", name="Sort and filter"))
    assert f"tag={archive.humor.pk}" in page.url
    titles = page.locator(".search-results .story-card h3 a").all_inner_texts()
    assert titles == ["Funny Chapter Story"]


def test_leave_a_review_with_the_keyboard(member_context, live_server, make_story, author, reader):
    story = make_story(author, "Beach Games", chapters=1)
    page = member_context(reader).new_page()
    page.goto(live_server.url + chapter_url(story, 1))
    with page.expect_navigation():
        press(page, page.get_by_role("button", name="Post review"))
    assert error_of(page, "id_body")  # an empty review: refused, the error read with the box
    assert Review.objects.count() == 0
    page.locator("body").focus()
    type_into(page, page.locator("#id_body"), "Read it all with the keyboard.")
    with page.expect_navigation():
        press(page, page.get_by_role("button", name="Post review"))
    review = Review.objects.get()
    assert review.body.count("Read it all with the keyboard.") == 1
    assert page.url.endswith(f"#review-{review.pk}")
