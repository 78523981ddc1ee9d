"""The Content-Security-Policy in chromium: the main pages, as a guest and as a member, raise no
`securitypolicyviolation` event and log no CSP error; a deliberate inline script on the same
page does (so the hook is known to listen)."""

from __future__ import annotations

import http.server
import threading

import pytest
from django.urls import reverse

from fabula.stories import actions
from fabula.test import chapter_url, free_port, set_site

pytestmark = pytest.mark.browser

# Registered before any page script: every violation the page raises is kept on window.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def story(make_story, author, archive):
    story = make_story(author, title="Lantern Light", chapters=0, tags=[archive.fandom])
    for title in ("One", "Two"):
        actions.chapter_add(story=story, title=title, body="<p>A lantern in the window.</p>")
    return story


def guest_pages(story) -> list[str]:
    return [
        reverse("home"),
        reverse("recent"),
        reverse("browse"),
        reverse("story", args=[story.pk]),
        chapter_url(story, 1),
        chapter_url(story, 2),
        reverse("story-full", args=[story.pk]),
        reverse("authors"),
        reverse("search:results") + "?q=lantern",
        reverse("accounts:login"),
        reverse("accounts:register"),
        f"/fanfiction/viewstory.php?action=printable&sid={story.pk}&chapter=all",
        "/admin/login/",
    ]


def member_pages(story) -> list[str]:
    return [
        chapter_url(story, 1),
        reverse("stories:mine"),
        reverse("stories:new"),
        reverse("accounts:preferences"),
    ]


def violations_on(page, url: str) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("load")
    return page.evaluate("window.__violations") + errors


def test_the_main_pages_raise_no_violation(browser, live_server, member_context, story, author):
    guest = browser.new_context()
    guest.add_init_script(LISTEN)
    page = guest.new_page()
    for path in guest_pages(story):
        assert violations_on(page, live_server.url + path) == [], path
    # The chapter menu and the display tools (reader.js, display.js, display-menu.js) ran: the
    # scripts were allowed.
    page.goto(live_server.url + chapter_url(story, 1))
    assert page.locator("[data-js-only]").first.is_visible()
    guest.close()

    author.text_size = 120
    author.save()
    member = member_context(author)
    member.add_init_script(LISTEN)
    page = member.new_page()
    for path in member_pages(story):
        assert violations_on(page, live_server.url + path) == [], path
    page.goto(live_server.url + chapter_url(story, 1))
    scale = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--text-scale').trim()"
    )
    assert scale == "1.2"  # the member's preference applies without a style attribute


def test_the_admin_raises_no_violation(browser, live_server, member_context, story, admin_user):
    set_site()  # the settings row, to open its change page
    staff = member_context(admin_user)
    staff.add_init_script(LISTEN)
    page = staff.new_page()
    for path in [
        "/admin/",
        "/admin/conf/sitesettings/1/change/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin_user.pk}/change/",
        "/admin/taxonomy/tag/",
    ]:
        assert violations_on(page, live_server.url + path) == [], path


def test_an_inline_script_is_refused_and_seen(browser, live_server, story):
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(live_server.url + reverse("story", args=[story.pk]))
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src")
    context.close()


def test_a_remote_image_in_a_chapter_is_never_fetched(browser, live_server, make_story, author):
    """An author's <img> pointing at another server would tell that server every reader's
    address; the policy's img-src 'self' keeps the browser from asking for it at all."""
    asked: list[str] = []

    class Watcher(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/gif")
            self.end_headers()

        def log_message(self, *args):
            pass

    port = free_port()
    watcher = http.server.ThreadingHTTPServer(("127.0.0.1", port), Watcher)
    threading.Thread(target=watcher.serve_forever, daemon=True).start()
    try:
        story = make_story(author, title="Far Lights", chapters=0)
        remote = f"http://127.0.0.1:{port}/pixel.gif"
        actions.chapter_add(story=story, title="One", body=f'<p>Look: <img src="{remote}"></p>')
        context = browser.new_context()
        context.add_init_script(LISTEN)
        page = context.new_page()
        found = violations_on(page, live_server.url + chapter_url(story, 1))
        assert remote in page.content()  # the sanitiser kept the image: the policy stops it
        assert any(remote in violation for violation in found), found
        assert asked == []
        context.close()
    finally:
        watcher.shutdown()
