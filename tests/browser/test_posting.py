"""Posting in a real browser.

1. A new member registers, posts a two-chapter story (it waits: a guest cannot see it), a
   moderator logs in and validates it (the author gets an email), and a guest reads both
   chapters.
2. An author reorders a story's chapters and schedules a third one for later.
3. None of the XSS corpus (`tests/xss_payloads.py`) runs in chromium, on any page that shows it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fabula.accounts.models import User
from fabula.community.models import Favourite
from fabula.importers.load import load_dump
from fabula.stories.models import Series, Status, Story
from fabula.test import PASSWORD, chapter_url
from tests.hostile_imports import BAD_WEBSITES, dump_pages, efiction_import, hostile_dump
from tests.xss_payloads import MARKDOWN, PAYLOADS

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def test_register_post_validate_read(browser, live_server, archive, moderator):
    url = live_server.url
    mail.outbox.clear()
    writer = browser.new_context(viewport=DESKTOP).new_page()
    writer.goto(url + reverse("home"))
    writer.get_by_role("link", name="Join").click()
    writer.fill("#id_pen_name", "Dwight Writes")
    writer.fill("#id_email", "dwight@example.org")
    writer.fill("#id_password1", "beets bears battlestar")
    writer.fill("#id_password2", "beets bears battlestar")
    writer.check("#id_age")
    writer.get_by_role("button", name="Join").click()
    writer.wait_for_url(url + reverse("stories:mine"))

    writer.get_by_role("link", name="Post a story").first.click()
    writer.fill("#id_title", "Schrute Farms")
    writer.fill("#id_summary", "<p>Agritourism, explained.</p>")
    writer.select_option("#id_rating", str(archive.general.pk))
    # The tag fields' type-ahead: type part of a name, choose from the list grouped by fandom,
    # with the keyboard (the first match is active) and with the mouse.
    find_characters = writer.get_by_role("combobox", name="Find characters")
    find_characters.fill("ji")
    assert writer.get_by_role("option", name="Jim").is_visible()
    assert writer.get_by_role("option", name="Pam").count() == 0
    find_characters.press("Enter")
    assert writer.get_by_role("button", name="Remove Jim").is_visible()
    assert writer.locator(f"#id_tags_characters input[value='{archive.jim.pk}']").is_checked()
    find_categories = writer.get_by_role("combobox", name="Find categories")
    find_categories.fill("offi")
    group = writer.get_by_role("group", name="The Office")
    group.get_by_role("option", name="The Office", exact=True).click()
    assert writer.get_by_role("button", name="Remove The Office").is_visible()
    assert find_categories.get_attribute("aria-expanded") == "false"
    writer.fill("#id_chapter-title", "Arrival")
    writer.fill("#id_chapter-body", "<p>The guests arrived at dawn, unannounced.</p>")
    writer.get_by_role("button", name="Preview").click()
    writer.screenshot(path="/tmp/fabula-posting-new-story.png", full_page=True)
    assert (
        writer.locator(".preview .chapter-text").inner_text()
        == "The guests arrived at dawn, unannounced."
    )
    assert Story.objects.count() == 0
    writer.get_by_role("button", name="Post the story").click()
    writer.wait_for_url("**/manage/stories/*/")
    assert "waits for a moderator" in writer.content()
    story = Story.objects.get()
    assert set(story.tags.all()) == {archive.fandom, archive.jim}  # chosen by type-ahead
    writer.get_by_role("link", name="Add a chapter").click()
    writer.fill("#id_title", "The Table Slap")
    writer.select_option("#id_text_format", "markdown")
    writer.fill("#id_body", "Mose *ran* to the barn.")
    writer.get_by_role("button", name="Save the chapter").click()
    writer.wait_for_url(url + reverse("stories:manage", args=[story.pk]))
    assert story.chapters.count() == 2
    assert set(story.chapters.values_list("status", flat=True)) == {Status.PENDING}

    guest = browser.new_context(viewport=DESKTOP).new_page()
    assert guest.goto(url + reverse("story", args=[story.pk])).status == 404
    guest.goto(url + reverse("browse"))
    assert "Schrute Farms" not in guest.content()

    staff = browser.new_context(viewport=DESKTOP).new_page()
    staff.goto(url + reverse("accounts:login"))
    staff.fill("#id_username", moderator.pen_name)
    staff.fill("#id_password", PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_role("link", name="Moderation").click()
    staff.get_by_role("button", name="Validate “Schrute Farms”").click()
    staff.wait_for_url(url + reverse("moderation:queue"))
    staff.screenshot(path="/tmp/fabula-posting-queue.png", full_page=True)
    assert "No story is waiting." in staff.content()
    assert any("Schrute Farms" in m.subject and m.to == ["dwight@example.org"] for m in mail.outbox)

    guest.goto(url + reverse("browse"))
    guest.get_by_role("link", name="Schrute Farms").click()
    guest.get_by_role("link", name="Start reading").click()
    assert "The guests arrived at dawn" in guest.locator(".chapter-text").inner_text()
    guest.locator("a[rel=next]").click()
    guest.wait_for_url(url + chapter_url(story.pk, 2))
    assert guest.locator(".chapter-text").inner_text().strip() == "Mose ran to the barn."
    assert guest.locator(".chapter-text em").inner_text() == "ran"


def test_reorder_and_schedule(member_context, live_server, make_story, author):
    url = live_server.url
    story = make_story(author, "Dinner Party", chapters=2)
    page = member_context(author).new_page()
    page.goto(url + reverse("story", args=[story.pk]))
    page.get_by_role("link", name="Edit this story").click()
    page.get_by_role("link", name="Reorder chapters").click()
    page.get_by_label("Chapter 1").fill("2")
    page.get_by_label("Chapter 2").fill("1")
    page.get_by_role("button", name="Save the order").click()
    page.wait_for_url(url + reverse("stories:manage", args=[story.pk]))
    assert page.locator(".manage-chapters a.chapter-title").all_inner_texts() == [
        "Chapter 2",
        "Chapter 1",
    ]

    author.trusted = True
    author.save()
    later = timezone.localtime(timezone.now() + timedelta(days=3))
    page.get_by_role("link", name="Add a chapter").click()
    page.fill("#id_title", "Snip Snap")
    page.fill("#id_body", "<p>Jan's candle business.</p>")
    page.fill("#id_release_at", later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the chapter").click()
    page.wait_for_url(url + reverse("stories:manage", args=[story.pk]))
    assert "scheduled for" in page.locator(".manage-chapters li").nth(2).inner_text()
    page.screenshot(path="/tmp/fabula-posting-manage.png", full_page=True)
    third = story.chapters.get(position=3)
    assert third.status == Status.PUBLISHED and third.release_at > timezone.now()

    guest_page = page.context.browser.new_context().new_page()
    guest_page.goto(url + reverse("story", args=[story.pk]))
    assert guest_page.locator("ol.toc li > a").all_inner_texts() == ["Chapter 2", "Chapter 1"]
    assert guest_page.goto(url + chapter_url(story.pk, 3)).status == 404
    guest_page.context.close()


def test_no_payload_runs(browser, live_server, archive, author, moderator):
    """Every payload, through the forms, on every page that shows it: chromium runs none."""
    author.trusted = True
    author.save()
    client = Client()
    client.force_login(author)
    # (Django's forms refuse a NUL in any field; the import test below sends them raw.)
    everything = "".join(PAYLOADS).replace("\x00", "")
    response = client.post(
        reverse("stories:new"),
        {
            "title": PAYLOADS[0],
            "summary": everything,
            "notes": everything,
            "rating": archive.general.pk,
            "tags_categories": [archive.fandom.pk],
            "chapter-title": PAYLOADS[14],
            "chapter-notes": everything,
            "chapter-end_notes": everything,
            "chapter-text_format": "html",
            "chapter-body": "<p>Opening words.</p>" + everything,
            "publish": "1",
        },
    )
    assert response.status_code == 302
    story = Story.objects.get()
    client.post(
        reverse("stories:chapter-new", args=[story.pk]),
        {
            "title": "Markdown",
            "text_format": "markdown",
            "body": "\n\n".join(MARKDOWN),
            "notes": "",
            "end_notes": "",
        },
    )
    client.post(
        reverse("accounts:profile"),
        {"real_name": PAYLOADS[1][:100], "email": author.email, "website": "", "bio": everything},
    )
    client.post(
        reverse("stories:series-new"),
        {"title": PAYLOADS[2], "summary": everything, "openness": "open"},
    )
    Client().post(reverse("moderation:report", args=["story", story.pk]), {"reason": everything})

    watch = _Watch(live_server)
    # The pages are read with the Content-Security-Policy off: this test is about the sanitiser,
    # which must hold on its own (the policy is a second wall, tested in test_csp.py).
    guest = watch.page(browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page())
    watch.prove(guest)
    series = Series.objects.get()
    for path in [
        reverse("story", args=[story.pk]),
        chapter_url(story.pk, 1),
        chapter_url(story.pk, 2),
        reverse("story-full", args=[story.pk]),
        reverse("author", args=[author.pk]),
        reverse("home"),
        reverse("series-list"),
        reverse("series", args=[series.pk]),
        f"/fanfiction/viewstory.php?sid={story.pk}&action=printable&chapter=all",
        f"/fanfiction/viewstory.php?sid={story.pk}&index=1",
    ]:
        watch.visit(guest, path)
    as_author = watch.page(_logged_in(browser, live_server, author))
    for path in [
        reverse("stories:manage", args=[story.pk]),
        reverse("stories:edit", args=[story.pk]),
        reverse("stories:mine"),
        reverse("accounts:profile"),
    ]:
        watch.visit(as_author, path)
    as_staff = watch.page(_logged_in(browser, live_server, moderator))
    watch.visit(as_staff, reverse("moderation:reports"))
    watch.nothing_ran()


def test_no_imported_payload_runs(browser, live_server, tmp_path):
    """Every payload through both import doors (a Fabula dump, an eFiction database): in
    favourite comments, bios, summaries, notes, chapters, reviews, the site's welcome and footer,
    with script links as websites; chromium runs none of it on the pages that show them."""
    everything = "".join(PAYLOADS)
    load_dump(hostile_dump(tmp_path / "dump", everything, BAD_WEBSITES[0]))
    efiction_import(tmp_path / "efiction", everything, BAD_WEBSITES[1])
    noted = Favourite.objects.exclude(note="").filter(user__is_active=True)
    assert noted.count() >= 6  # the dump's three and the eFiction fixture's
    watch = _Watch(live_server)
    # With the Content-Security-Policy off, as above: the sanitiser must hold on its own.
    guest = watch.page(browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page())
    watch.prove(guest)
    members = sorted({f.user_id for f in noted} | {f.author_id for f in noted if f.author_id})
    for path in [
        *dump_pages(),
        *(reverse("community:favourites", args=[pk]) for pk in members),
        *(reverse("author", args=[pk]) for pk in members),
        reverse("story", args=[1]),
        reverse("community:story-reviews", args=[1]),
    ]:
        watch.visit(guest, path)
    watch.nothing_ran()


class _Watch:
    """Pages with alert(), confirm(), prompt() and print() counted, every dialog kept, every
    request kept (nothing may load from evil.example), and no link with a script address."""

    def __init__(self, live_server):
        self.base = live_server.url
        self.ran: list[str] = []
        self.requests: list[str] = []

    def page(self, page):
        page.add_init_script(
            "for (const name of ['alert', 'confirm', 'prompt', 'print']) {"
            "  window[name] = () => { window.__xss = (window.__xss || 0) + 1; }; }"
        )
        page.on("dialog", lambda dialog: (self.ran.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: self.requests.append(request.url))
        return page

    def prove(self, page) -> None:
        """The watch works: unsanitised, a payload would run."""
        page.goto(self.base + reverse("home"))
        page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", PAYLOADS[14])
        # Wait for the payload to fire (an image error event: slower on a busy machine).
        page.wait_for_function("(window.__xss || 0) >= 1", timeout=10_000)
        assert page.evaluate("window.__xss || 0") == 1

    def visit(self, page, path: str) -> None:
        response = page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        page.mouse.move(200, 300)
        page.mouse.move(400, 500)
        page.wait_for_timeout(50)
        assert page.evaluate("window.__xss || 0") == 0, path
        script_links = page.evaluate(
            "[...document.querySelectorAll('a[href]')]"
            ".filter(a => /^(javascript|vbscript|data):/i.test(a.href)).length"
        )
        assert script_links == 0, path

    def nothing_ran(self) -> None:
        assert self.ran == []
        assert not [r for r in self.requests if "evil.example" in r]


def _logged_in(browser, live_server, user: User):
    from django.conf import settings

    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # as the guest's above
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()
