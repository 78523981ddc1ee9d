"""Reader comfort in chromium: a guest chooses the theme, the font of stories, the line width
and the text size from the Display menu (or the reading tools); the choices hold on the next
pages, live in the browser's local storage (no session, no cookie), and win over a member's
saved preference on that device. Printing a chapter or a whole story gives the text alone, black
on white, whatever the theme.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from fabula.test import chapter_url

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def style_of(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(
        "(element, prop) => getComputedStyle(element)[prop]", prop
    )


def stored(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage)"
        ".filter(key => key.startsWith('fabula:')).map(key => [key, localStorage[key]]))"
    )


def choose(page, group: str, label: str) -> None:
    menu = page.locator("details.display-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    page.get_by_role("group", name=group).get_by_role("radio", name=label).check()


@pytest.fixture
def story(make_story, author):
    return make_story(author, "Beach Games", chapters=2)


def test_a_guest_chooses_theme_font_width_and_size(browser, live_server, story, settings):
    settings.PAGE_CACHE_SECONDS = 60  # guests' pages come from the cache: the choices still hold
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    page = context.new_page()
    page.goto(live_server.url + chapter_url(story, 1))
    light = style_of(page, "body", "backgroundColor")
    serif = style_of(page, ".chapter-text", "fontFamily")
    assert "Georgia" in serif
    medium = float(style_of(page, ".chapter-text", "maxWidth").removesuffix("px"))

    choose(page, "Theme", "Dark")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    dark = style_of(page, "body", "backgroundColor")
    assert dark != light and dark == "rgb(22, 21, 20)"
    choose(page, "Font of stories", "Dyslexia-friendly")
    easy = style_of(page, ".chapter-text", "fontFamily")
    assert easy.startswith('"Atkinson Hyperlegible"') and "Verdana" in easy
    assert style_of(page, "body", "fontFamily") == easy  # the whole page, not the story alone
    assert float(style_of(page, ".chapter-text", "wordSpacing").removesuffix("px")) > 0
    choose(page, "Line width", "Narrow")
    narrow = float(style_of(page, ".chapter-text", "maxWidth").removesuffix("px"))
    assert narrow < medium
    page.keyboard.press("Escape")  # folds the menu
    assert page.locator("details.display-menu").get_attribute("open") is None
    normal = float(style_of(page, ".chapter-text", "fontSize").removesuffix("px"))
    page.get_by_role("button", name="Larger text").click()
    larger = float(style_of(page, ".chapter-text", "fontSize").removesuffix("px"))
    assert larger > normal

    assert stored(page) == {
        "fabula:theme": "dark",
        "fabula:font": "easy",
        "fabula:measure": "narrow",
        "fabula:text-scale": "1.1",
    }
    # Another page (served from the cache) shows them before anything is clicked, and the menu
    # says what is chosen.
    page.goto(live_server.url + chapter_url(story, 2))
    assert style_of(page, "body", "backgroundColor") == dark
    assert style_of(page, ".chapter-text", "fontFamily") == easy
    assert float(style_of(page, ".chapter-text", "maxWidth").removesuffix("px")) == narrow
    assert float(style_of(page, ".chapter-text", "fontSize").removesuffix("px")) == larger
    page.locator("details.display-menu summary").click()
    assert page.get_by_role("radio", name="Dark").is_checked()
    assert page.get_by_role("radio", name="Dyslexia-friendly").is_checked()
    assert page.get_by_role("radio", name="Narrow").is_checked()
    # Nothing of it went to the server: no session, no cookie.
    assert [c["name"] for c in context.cookies()] == []
    assert django_settings.SESSION_COOKIE_NAME not in {c["name"] for c in context.cookies()}

    choose(page, "Font of stories", "Sans-serif")
    assert "system-ui" in style_of(page, ".chapter-text", "fontFamily")
    choose(page, "Line width", "Wide")
    assert float(style_of(page, ".chapter-text", "maxWidth").removesuffix("px")) > medium
    choose(page, "Theme", "As the device")
    assert style_of(page, "body", "backgroundColor") == light
    context.close()


def test_the_device_choice_wins_over_the_members_preference(member_context, live_server, reader):
    reader.theme = "dark"
    reader.save()
    page = member_context(reader).new_page()
    page.goto(live_server.url + reverse("home"))
    assert page.locator("html").get_attribute("data-theme") == "dark"
    choose(page, "Theme", "Light")
    page.goto(live_server.url + reverse("browse"))
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert style_of(page, "body", "backgroundColor") == "rgb(253, 252, 249)"


def test_printing_gives_the_text_alone_black_on_white(browser, live_server, story):
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    for address in (chapter_url(story, 1), reverse("story-full", args=[story.pk])):
        page.goto(live_server.url + address)
        page.emulate_media(media="print")
        for hidden in (".site-header", ".site-footer", ".reading-tools", ".pager"):
            if page.locator(hidden).count():
                assert not page.locator(hidden).first.is_visible(), (address, hidden)
        assert page.locator(".chapter-text").first.is_visible()
        assert style_of(page, "body", "backgroundColor") == "rgb(255, 255, 255)"
        assert style_of(page, ".chapter-text", "color") == "rgb(0, 0, 0)"
        page.emulate_media(media="screen")
    # The whole story: each chapter starts a new sheet.
    page.emulate_media(media="print")
    assert style_of(page, ".full-chapter", "breakBefore") == "page"
    assert len(page.pdf()) > 1000  # chromium lays it out for paper
    context.close()


def test_unknown_stored_values_change_nothing(browser, live_server, story):
    """What local storage holds is anyone's to edit: display.js applies only the values it
    knows, and a text size only within its bounds."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    page = context.new_page()
    page.goto(live_server.url + chapter_url(story, 1))
    normal = style_of(page, ".chapter-text", "fontSize")
    page.evaluate(
        """() => {
          localStorage.setItem("fabula:theme", "x; background: red");
          localStorage.setItem("fabula:font", "comic");
          localStorage.setItem("fabula:measure", "9000");
          localStorage.setItem("fabula:text-scale", "40");
        }"""
    )
    page.reload()
    html = page.locator("html")
    assert html.get_attribute("data-theme") == "auto"
    assert html.get_attribute("data-font") is None and html.get_attribute("data-measure") is None
    assert style_of(page, ".chapter-text", "fontSize") == normal
    context.close()
