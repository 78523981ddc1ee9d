"""The interface in the reader's language, read in chromium as a reader sees it.

1. A browser set to German walks the site (home, a story, a chapter, a search, the post form,
   the account pages, errors): no text of the page, nor any label a screen reader reads, is one
   of the English catalogue's strings left untranslated. Text in the story's own language
   (marked with its `lang`) is the story's, not the interface's, and is not read.
2. The Arabic interface is mirrored: `dir="rtl"`, the site's name and the navigation's first link
   on the right; a screenshot is saved in `var/screenshots/`.
3. The footer's switcher changes a guest's language with no script.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from fabula.community import actions as community
from fabula.lib.catalogues import LOCALE_DIR
from fabula.stories import actions
from fabula.taxonomy.models import TagKind
from fabula.test import chapter_url
from tests.browser.closing import close_quietly

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}

# Every piece of the interface a reader meets: the text of each text node and the labels read
# aloud or shown in place of text, but not text inside an element whose `lang` is not the
# page's (a story's title, summary and chapters; the language names of the switcher).
PAGE_TEXTS = """() => {
  const pageLang = document.documentElement.lang;
  const foreign = (el) => {
    const marked = el.closest("[lang]");
    return marked !== null && marked !== document.documentElement && marked.lang !== pageLang;
  };
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest("script, style, template") || foreign(el)) continue;
    texts.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title], [alt]")) {
    if (foreign(el)) continue;
    for (const name of ["placeholder", "aria-label", "title", "alt"]) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts.map((t) => t.replace(/\\s+/g, " ").trim()).filter((t) => t);
}"""


def english_strings() -> tuple[set[str], list[str]]:
    """The English catalogue's strings that German does not write the same way: whole strings
    (a text node that is exactly one of them is untranslated) and, of those of three words or
    more, the ones to look for inside longer text."""
    po = polib.pofile(str(LOCALE_DIR / "de" / "LC_MESSAGES" / "django.po"))
    whole: set[str] = set()
    for entry in po:
        if entry.msgid_plural or "%(" in entry.msgid or "<" in entry.msgid:
            continue  # filled in at rendering: its English words are checked by the rest
        if entry.msgstr.strip() == entry.msgid.strip():
            continue  # the same in German: Kudos, Tags, Status…
        english = entry.msgid.replace("%%", "%").strip()
        if re.search(r"[A-Za-z]{2}", english):
            whole.add(english)
    inside = [s for s in whole if len(s.split()) >= 3]
    return whole, inside


def untranslated(texts: list[str]) -> list[str]:
    whole, inside = english_strings()
    found = [t for t in texts if t in whole or t.rstrip(".:") in whole]
    found += [f"…{s}…" for t in texts for s in inside if s in t and t not in whole]
    return found


@pytest.fixture
def shelf(make_story, author, reader, archive):
    """Stories, a chapter, a series and a review. The kinds of tags are named in German, as a
    German archive's administrator names them: they are the archive's content, not the
    interface's."""
    for kind, name in {"categories": "Kategorien", "characters": "Figuren"}.items():
        TagKind.objects.filter(slug=kind).update(name=name)
    TagKind.objects.filter(slug="warnings").update(name="Warnungen")
    story = make_story(author, "Beach Games", chapters=3, tags=[archive.fandom, archive.jim])
    make_story(author, "Another Story", tags=[archive.other_fandom, archive.humor])
    series = actions.series_create(owner=author, title="Summer Saga")
    actions.series_add(series=series, story=story)
    community.review_post(
        story=story, chapter=story.chapters.first(), user=reader, body="Lovely.", rating=8
    )
    return {"story": story}


def german_walk(shelf, author) -> list[tuple[str, str, str | None]]:
    story = shelf["story"]
    return [
        ("home", reverse("home"), None),
        ("story", reverse("story", args=[story.pk]), None),
        ("chapter", chapter_url(story, 1), None),
        ("chapter-2", chapter_url(story, 2), None),
        ("search", reverse("search:results") + "?q=word", None),
        ("search-nothing", reverse("search:results") + "?q=zebra", None),
        ("search-help", reverse("search:help"), None),
        ("browse", reverse("browse"), None),
        ("login", reverse("accounts:login"), None),
        ("join", reverse("accounts:register"), None),
        ("password-reset", reverse("accounts:password_reset"), None),
        ("not-found", "/no/such/page/", None),
        ("member-home", reverse("home"), "author"),
        ("post-form", reverse("stories:new"), "author"),
        ("my-stories", reverse("stories:mine"), "author"),
        ("preferences", reverse("accounts:preferences"), "author"),
        ("profile", reverse("accounts:profile"), "author"),
        ("password-change", reverse("accounts:password_change"), "author"),
        ("delete-account", reverse("account-delete"), "author"),
        ("logout-get-405", reverse("accounts:logout"), "author"),
    ]


def test_a_german_browser_meets_no_english_interface(
    browser, member_context, live_server, shelf, author, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    guest = browser.new_context(viewport=DESKTOP, locale="de-DE")
    member = member_context(author)
    member.set_extra_http_headers({"Accept-Language": "de-DE,de;q=0.9"})
    problems = {}
    for name, address, who in german_walk(shelf, author):
        page = (member if who else guest).new_page()
        page.goto(live_server.url + address)
        assert page.locator("html").get_attribute("lang") == "de", name
        if name == "post-form":  # its errors too: the form sent empty
            with page.expect_navigation():  # the answer, not the page sent from
                page.locator("main form[method=post] [type=submit]").last.click()
        english = untranslated(page.evaluate(PAGE_TEXTS))
        if english:
            problems[name] = english
        page.close()
    close_quietly(guest)
    assert not problems, f"English on German pages: {problems}"


def test_story_text_keeps_its_own_language_under_a_german_interface(
    browser, live_server, shelf, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + chapter_url(shelf["story"], 1))
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator(".chapter-text").get_attribute("lang") == "en"
    assert page.locator("h1").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Inhalt").first.is_visible()
    close_quietly(context)


def test_the_arabic_interface_is_mirrored(browser, live_server, shelf, settings):
    settings.PAGE_CACHE_SECONDS = 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    page = context.new_page()
    page.goto(live_server.url + reverse("home"))
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    page.screenshot(path=str(SCREENSHOTS / "arabic-home-1280.png"), full_page=True)
    middle = DESKTOP["width"] / 2
    site_name = page.locator(".site-name").bounding_box()
    links = page.locator(".site-nav a")
    first, last = links.first.bounding_box(), links.last.bounding_box()
    assert site_name and first and last
    # The row starts on the right: the site's name and the first link there, the last to the left.
    assert site_name["x"] > middle, site_name
    assert first["x"] > last["x"], (first, last)
    assert first["x"] + first["width"] > middle
    # The search box sits on the other side of the name: to its left.
    search = page.locator(".header-search").bounding_box()
    assert search and search["x"] < site_name["x"]
    page.goto(live_server.url + chapter_url(shelf["story"], 1))
    page.screenshot(path=str(SCREENSHOTS / "arabic-chapter-1280.png"), full_page=True)
    assert page.locator(".chapter-text").get_attribute("lang") == "en"
    close_quietly(context)


def test_the_footer_switcher_changes_a_guests_language_without_script(
    browser, live_server, shelf, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("search:results") + "?q=word")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#footer-language", "fr")
    with page.expect_navigation():
        page.locator(".language-switcher button").click()
    assert page.url.endswith(reverse("search:results") + "?q=word")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.goto(live_server.url + reverse("home"))
    assert page.locator("html").get_attribute("lang") == "fr"  # kept, in a cookie
    close_quietly(context)
