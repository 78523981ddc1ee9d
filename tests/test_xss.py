"""Hostile HTML through every text field an author, member or reader fills in.

Each payload of `xss_payloads.PAYLOADS` (over 240 of them) goes through the real forms: a story's
title, summary, notes and additional tags; a chapter's title, notes, text (as HTML, and the
Markdown payloads as Markdown) and end notes; a series' title and summary; a challenge's title
and summary; a member's pen name (joining, then co-authoring), real name and bio; a report's
reason and a moderator's reason for sending a story back. Then every page that shows them is
fetched and parsed: no script, event handler, `javascript:` or `data:` URL, plugin, SVG, style
sheet or CSS expression may come out. The browser test in `tests/browser/test_posting.py` shows
that none of them runs in chromium either.
"""

from __future__ import annotations

import unicodedata

import pytest
from django.test import Client
from django.urls import reverse

from fabula.accounts.models import User
from fabula.community.models import Favourite
from fabula.conf.markup import sanitize
from fabula.importers.load import load_dump
from fabula.moderation.models import Report
from fabula.stories.models import Challenge, CoauthorInvite, Series, Story
from fabula.stories.uploads import to_html
from fabula.test import chapter_url
from tests.hostile_imports import (
    AUTHOR,
    BAD_WEBSITES,
    READER,
    dump_pages,
    efiction_import,
    hostile_dump,
)
from tests.xss_payloads import MARKDOWN, PAYLOADS, problems_in

pytestmark = pytest.mark.django_db

CHUNK = 10
CHUNKS = [PAYLOADS[i : i + CHUNK] for i in range(0, len(PAYLOADS), CHUNK)]


def test_the_corpus_is_large_and_the_checker_can_fail():
    assert len(PAYLOADS) >= 200
    flagged = [p for p in PAYLOADS if problems_in(p, page=False)]
    assert len(flagged) >= 200  # the checker sees most payloads for what they are, raw


@pytest.mark.parametrize("payload", PAYLOADS + MARKDOWN)
def test_sanitiser_output_is_inert(payload):
    assert problems_in(sanitize(payload), page=False) == []
    assert problems_in(to_html(payload, "markdown"), page=False) == []


def _line(text: str, most: int) -> str:
    """A payload as a one-line field takes it: forms refuse control and invisible characters
    there (tests/test_control_characters.py), so they are left out, and the rest is kept."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))[:most]


def _clients(author, moderator):
    author_client, moderator_client, guest = Client(), Client(), Client()
    author_client.force_login(author)
    moderator_client.force_login(moderator)
    return author_client, moderator_client, guest


def _check(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = problems_in(response.content.decode())
    assert not found, f"{url}: {found}"


@pytest.mark.parametrize("chunk", range(len(CHUNKS)))
def test_payloads_through_every_field(chunk, archive, author, moderator):
    author.trusted = True
    author.save()
    author_client, moderator_client, guest = _clients(author, moderator)
    stories = []
    # Django's forms refuse a NUL character in any field; the imports take the raw payloads.
    typed = [payload.replace("\x00", "") for payload in CHUNKS[chunk]]
    for n, payload in enumerate(typed):
        response = author_client.post(
            reverse("stories:new"),
            {
                "title": _line(f"T{n} {payload}", 200),
                "summary": payload,
                "notes": payload,
                "rating": archive.general.pk,
                "tags_categories": [archive.fandom.pk],
                "freeform": _line(payload, 100),
                "chapter-title": _line(payload, 200),
                "chapter-notes": payload,
                "chapter-end_notes": payload,
                "chapter-text_format": "html",
                "chapter-body": f"<p>Words {n}.</p>{payload}",
                "publish": "1",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        story = Story.objects.order_by("-pk").first()
        stories.append(story)
        # A member joins with the payload as pen name and becomes the story's co-author, so
        # the name shows in every byline.
        member = Client(REMOTE_ADDR=f"10.0.{chunk}.{n}")
        pen_name = _line(f"{n} {payload}", 60)
        joined = member.post(
            reverse("accounts:register"),
            {
                "pen_name": pen_name,
                "email": f"m{n}@example.org",
                "password1": "a long passphrase",
                "password2": "a long passphrase",
                "age": "on",
            },
        )
        assert joined.status_code == 302, joined.content.decode()[:3000]
        author_client.post(
            reverse("stories:invite", args=[story.pk]), {"pen_name": " ".join(pen_name.split())}
        )
        invite = CoauthorInvite.objects.get(story=story)
        member.post(reverse("stories:invite-answer", args=[invite.pk, "accept"]))
        assert story.credits.count() == 2
        author_client.post(
            reverse("stories:series-new"),
            {"title": _line(f"S {payload}", 200), "summary": payload, "openness": "open"},
        )
        author_client.post(
            reverse("stories:challenge-new"),
            {"title": _line(f"C {payload}", 200), "summary": payload},
        )
        guest.post(  # each from an address of its own: a guest may send 3 reports an hour
            reverse("moderation:report", args=["story", story.pk]),
            {"reason": payload},
            REMOTE_ADDR=f"10.1.{chunk}.{n}",
        )
        for url in [
            reverse("story", args=[story.pk]),
            chapter_url(story.pk, 1),
            f"/fanfiction/viewstory.php?sid={story.pk}&action=printable&chapter=all",
            f"/fanfiction/viewstory.php?sid={story.pk}&index=1",
            *(
                reverse("browse-tag", args=[tag.kind.slug, tag.pk])
                for tag in story.tags.filter(kind__role="freeform").select_related("kind")
            ),
        ]:
            _check(guest, url)
        for url in [
            reverse("stories:edit", args=[story.pk]),
            reverse("stories:chapter-edit", args=[story.pk, story.chapters.get().pk]),
        ]:
            _check(author_client, url)
    # The bio and real name: the last payloads of the chunk, as a member would keep one.
    author_client.post(
        reverse("accounts:profile"),
        {
            "real_name": _line(typed[-1], 100),
            "email": author.email,
            "website": "",
            "bio": "".join(typed),
        },
    )
    series = Series.objects.order_by("-pk").first()
    for url in [
        reverse("home"),
        reverse("browse"),
        reverse("author", args=[author.pk]),
        reverse("authors"),
        reverse("series", args=[series.pk]),
        reverse("series-list"),
    ]:
        _check(guest, url)
    for url in [
        reverse("stories:mine"),
        reverse("stories:series-manage", args=[series.pk]),
        reverse("accounts:profile"),
    ]:
        _check(author_client, url)
    _check(moderator_client, reverse("moderation:reports"))
    # Reasons for sending stories back, shown to the author and in the audit log.
    for story, payload in zip(stories, typed, strict=True):
        moderator_client.post(
            reverse("moderation:story", args=[story.pk, "reject"]), {"reason": payload}
        )
        _check(author_client, reverse("stories:manage", args=[story.pk]))
    _check(moderator_client, reverse("moderation:log"))
    assert Story.objects.filter(moderation_note__in=typed).count() == len(typed)
    assert Challenge.objects.count() == len(typed)
    assert Report.objects.count() == len(typed)


def test_markdown_payloads_through_the_chapter_form(archive, author):
    author.trusted = True
    author.save()
    client = Client()
    client.force_login(author)
    for n, payload in enumerate(MARKDOWN):
        client.post(
            reverse("stories:new"),
            {
                "title": f"Markdown {n}",
                "rating": archive.general.pk,
                "tags_categories": [archive.fandom.pk],
                "chapter-text_format": "markdown",
                "chapter-body": f"Words {n}.\n\n{payload}",
                "publish": "1",
            },
        )
        story = Story.objects.order_by("-pk").first()
        assert story.title == f"Markdown {n}"
        _check(Client(), chapter_url(story.pk, 1))


def _website_refused(user: User, problems: list[str]) -> None:
    assert user.website == ""
    assert any("website" in problem and "not kept" in problem for problem in problems)


@pytest.mark.parametrize("chunk", range(len(CHUNKS)))
def test_payloads_through_load_dump(chunk, tmp_path):
    """A dump with the payloads in every text, and a script link as every website."""
    website = BAD_WEBSITES[chunk % len(BAD_WEBSITES)]
    report = load_dump(hostile_dump(tmp_path / "dump", "".join(CHUNKS[chunk]), website))
    _website_refused(User.objects.get(pk=AUTHOR), report.problems)
    assert Favourite.objects.filter(user_id=READER).count() == 3
    for url in dump_pages():
        _check(Client(), url)


@pytest.mark.parametrize("website", BAD_WEBSITES)
def test_payloads_through_efiction_import(website, tmp_path):
    """eFiction's favourite comments and members' websites and bios, as the probe sent them."""
    n = BAD_WEBSITES.index(website)
    payload = "".join(CHUNKS[n % len(CHUNKS)])
    report = efiction_import(tmp_path / "dump", payload, website)
    favourites = Favourite.objects.exclude(note="").select_related("user")
    assert favourites.count() >= 4
    for favourite in favourites:
        assert problems_in(favourite.note, page=False) == []
    for favourite in favourites.filter(user__is_active=True):  # a closed account has no page
        _check(Client(), reverse("community:favourites", args=[favourite.user_id]))
    _website_refused(favourites[0].user, report.problems)
    _check(Client(), reverse("author", args=[favourites[0].user_id]))
