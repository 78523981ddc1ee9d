"""Readers answering and following, in a real browser.

1. A reader reviews a chapter, the author replies, and the reader gets the alert: on the
   notifications page and by email.
2. A reader leaves a chapter halfway; on another device (another browser context, logged in as
   the same member) the chapter opens at that place, and the home page offers to continue.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from fabula.community.models import Reading, Review
from fabula.stories import actions
from fabula.test import chapter_url

pytestmark = pytest.mark.browser

POSITION_OF_TEXT = """() => {
  const text = document.querySelector('.chapter-text');
  const top = text.getBoundingClientRect().top + window.scrollY;
  return (window.scrollY - top) / text.offsetHeight;
}"""


def test_review_reply_and_alert(member_context, live_server, make_story, author, reader):
    story = make_story(author, "Beach Games", chapters=2)
    page_url = live_server.url + chapter_url(story.pk, 1)
    mail.outbox.clear()

    as_reader = member_context(reader).new_page()
    as_reader.goto(page_url)
    as_reader.fill("#id_body", "The coals scene broke my heart.")
    as_reader.select_option("#id_rating", "10")
    as_reader.get_by_role("button", name="Post review").click()
    as_reader.wait_for_url("**#review-*")
    review = Review.objects.get()
    assert (
        as_reader.locator(f"#review-{review.pk}")
        .inner_text()
        .count("The coals scene broke my heart.")
        == 1
    )
    assert "★★★★★" in as_reader.locator(f"#review-{review.pk}").inner_text()

    as_author = member_context(author).new_page()
    as_author.goto(page_url)
    thread = as_author.locator(".review-thread", has=as_author.locator(f"#review-{review.pk}"))
    thread.locator("summary", has_text="Reply").click()
    thread.locator("textarea").fill("Thank you! Chapter three is coming.")
    thread.get_by_role("button", name="Post reply").click()
    as_author.wait_for_url("**#review-*")
    reply = Review.objects.get(parent=review)
    assert reply.by_author
    assert "Author" in as_author.locator(f"#review-{reply.pk} .author-reply").inner_text()

    as_reader.goto(live_server.url + reverse("community:notifications"))
    alert = as_reader.locator(".notification", has_text="replied to a review of Beach Games")
    assert alert.count() == 1 and "unread" in alert.get_attribute("class")
    alert.locator("a").click()
    as_reader.wait_for_url(f"**{chapter_url(story.pk, 1)}#review-{review.pk}")
    assert "Chapter three is coming." in as_reader.locator(f"#review-{reply.pk}").inner_text()
    as_reader.screenshot(path="/tmp/fabula-community-thread.png", full_page=True)

    to_reader = [m for m in mail.outbox if m.to == [reader.email]]
    assert len(to_reader) == 1 and "replied to a review of Beach Games" in to_reader[0].subject
    assert f"#review-{review.pk}" in to_reader[0].body
    to_author = [m for m in mail.outbox if m.to == [author.email]]
    assert len(to_author) == 1 and "Reader reviewed Beach Games" in to_author[0].body


def test_resume_reading_on_another_device(member_context, live_server, make_story, author, reader):
    story = make_story(author, "A Long Chapter", chapters=0)
    body = "".join(
        f"<p>Paragraph {n}. " + "Words that fill the page. " * 30 + "</p>" for n in range(80)
    )
    actions.chapter_add(story=story, title="The Long One", body=body)
    actions.chapter_add(story=story, title="The Next One", body="<p>After.</p>")
    url = live_server.url + chapter_url(story.pk, 1)

    laptop = member_context(reader).new_page()
    laptop.goto(url)
    with laptop.expect_response(
        lambda r: "/position/" in r.url and "position=0.5" in (r.request.post_data or "")
    ) as saved:
        laptop.evaluate("""() => {
          const text = document.querySelector('.chapter-text');
          const top = text.getBoundingClientRect().top + window.scrollY;
          window.scrollTo(0, top + text.offsetHeight * 0.5);
        }""")
    assert saved.value.status == 204
    reading = Reading.objects.get(user=reader)
    assert reading.chapter.position == 1 and reading.position == pytest.approx(0.5, abs=0.01)

    phone = member_context(reader).new_page()  # a second session: another device
    phone.goto(live_server.url + reverse("home"))
    phone.locator(".continue-reading").get_by_role("link", name="A Long Chapter").click()
    phone.wait_for_url(url)
    phone.wait_for_function("() => window.scrollY > 0")
    assert phone.evaluate(POSITION_OF_TEXT) == pytest.approx(0.5, abs=0.01)
    phone.screenshot(path="/tmp/fabula-community-resumed.png")
