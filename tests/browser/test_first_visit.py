"""A new archive as its first visitors meet it, in Debian's chromium: the administrator made by
`fabula setup` signs in to the archive's own name and checklist, and a reader searches a phrase
from the header box of the home page and lands on the chapter that holds it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from fabula.stories import actions
from fabula.taxonomy import defaults
from fabula.taxonomy.models import Rating, Tag, TagKind

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
ADMIN_PASSWORD = "Admin pass phrase 42"


def test_the_administrator_fabula_setup_made_signs_in_to_the_archive(
    browser, live_server, monkeypatch
):
    # What `fabula migrate` writes into a new database, then the set-up command.
    assert defaults.install(rating_model=Rating, kind_model=TagKind, tag_model=Tag)
    monkeypatch.setenv("FABULA_ADMIN_PASSWORD", ADMIN_PASSWORD)
    call_command(
        "setup",
        "--noinput",
        "--site-name=Lantern Archive",
        f"--address={live_server.url}",
        "--admin=Keeper",
        "--email=keeper@example.org",
    )
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(live_server.url + reverse("home"))
    assert "Lantern Archive" in page.title()
    page.get_by_role("link", name="Log in").first.click()
    page.fill("#id_username", "Keeper")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/")
    assert "Lantern Archive" in page.title()
    assert page.get_by_text("Getting started").is_visible()


def test_a_phrase_searched_from_the_home_pages_header_leads_to_its_chapter(
    browser, live_server, make_story, author
):
    story = make_story(author, "The Lighthouse Letters", chapters=1)
    chapter = actions.chapter_add(
        story=story,
        title="The Lamp Room",
        body="<p>Up the spiral stair the keeper polished brass until the lens sang.</p>",
    )
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(live_server.url + reverse("home"))
    box = page.get_by_role("searchbox").first
    box.fill('"polished brass until the lens"')
    box.press("Enter")
    page.wait_for_url("**/search/**")
    hit = page.locator(".snippet", has_text="polished brass").first
    assert hit.is_visible()
    hit.get_by_role("link", name=f"Chapter {chapter.position}").click()
    page.wait_for_url(live_server.url + chapter.get_absolute_url() + "*")
    assert page.get_by_text("the keeper polished brass").is_visible()
