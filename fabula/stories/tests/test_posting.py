"""Posting a story: the form, drafts, the validation queue, and bad input saving nothing."""

from __future__ import annotations

import codecs

import pytest
from django.core import mail
from django.urls import reverse

from fabula.stories.models import Chapter, Status, Story
from fabula.stories.tests.posting_support import docx_bytes, newest_story, post_story, story_data
from fabula.taxonomy.models import Tag, TagKind
from fabula.test import chapter_url, set_site

pytestmark = pytest.mark.django_db


def test_new_author_story_waits_for_validation_and_is_invisible(author_client, archive, client):
    response = post_story(author_client, archive)
    story = newest_story()
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:manage", args=[story.pk])
    assert story.status == Status.PENDING
    assert [st.tag_id for st in story.story_tags.all()] == [
        archive.fandom.pk,
        archive.jim.pk,
        archive.humor.pk,
    ]
    chapter = story.chapters.get()
    assert chapter.status == Status.PENDING and chapter.word_count == 5
    # Its author sees it; a guest sees nothing anywhere.
    assert author_client.get(reverse("story", args=[story.pk])).status_code == 200
    author_client.logout()
    for url in [reverse("story", args=[story.pk]), chapter_url(story.pk, 1)]:
        assert client.get(url).status_code == 404
    for url in [
        reverse("home"),
        reverse("browse"),
        reverse("recent"),
        reverse("author", args=[story.credits.get().user_id]),
        reverse("browse-tag", args=["categories", archive.fandom.pk]),
        f"/fanfiction/viewstory.php?sid={story.pk}",
    ]:
        page = client.get(url)
        assert "Beach Games" not in page.content.decode(), url


def test_trusted_author_publishes_at_once(author_client, author, archive):
    author.trusted = True
    author.save()
    post_story(author_client, archive)
    story = newest_story()
    assert story.status == Status.PUBLISHED
    assert story.chapter_count == 1 and story.word_count == 5


def test_auto_validate_publishes_at_once(author_client, archive):
    set_site(auto_validate=True)
    post_story(author_client, archive)
    assert newest_story().status == Status.PUBLISHED


def test_draft_stays_a_draft_until_posted(author_client, author, archive):
    author.trusted = True
    author.save()
    data = story_data(archive, publish=None, draft="1")
    author_client.post(reverse("stories:new"), data)
    story = newest_story()
    assert story.status == Status.DRAFT
    assert story.chapters.get().status == Status.DRAFT
    author_client.post(reverse("stories:submit", args=[story.pk]))
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.chapter_count == 1


def test_preview_saves_nothing(author_client, archive):
    response = author_client.post(
        reverse("stories:new"),
        story_data(
            archive,
            publish=None,
            preview="1",
            **{"chapter-body": "**Bold** move", "chapter-text_format": "markdown"},
        ),
    )
    assert response.status_code == 200
    assert "<strong>Bold</strong> move" in response.content.decode()
    assert Story.objects.count() == 0


def test_markdown_body(author_client, author, archive):
    post_story(
        author_client,
        archive,
        **{"chapter-text_format": "markdown", "chapter-body": "# Heading\n\nSome *words* here."},
    )
    body = newest_story().chapters.get().body
    assert "<h1>Heading</h1>" in body and "<em>words</em>" in body


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": "   "}, "A story needs a title."),
        ({"tags_categories": [999999]}, "is not one of the archive"),
        ({"rating": 999999}, "Choose one of the archive"),
        ({"chapter-body": ""}, "A chapter needs some text"),
        ({"chapter-body": "<script>alert(1)</script>"}, "A chapter needs some text"),
        ({"coauthors": "Nobody Here"}, "No member has the pen name"),
        ({"freeform": "fine, " + "x" * 101}, "is too long for a tag"),
        ({"freeform": ", ".join(f"tag {n}" for n in range(76))}, "At most 75 additional tags"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_saves_nothing(
    author_client, archive, overrides, message
):
    response = post_story(author_client, archive, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Michael holds a contest." in page  # what was typed is still there
    assert Story.objects.count() == 0 and Chapter.objects.count() == 0
    assert not Tag.objects.filter(kind__role=TagKind.Role.FREEFORM).exists()


def test_additional_tags_are_made_once_and_kept_on_edit(author_client, author, archive):
    post_story(author_client, archive, freeform=" slow burn, Road  Trip,slow BURN,, ")
    story = newest_story()
    names = sorted(
        story.tags.filter(kind__role=TagKind.Role.FREEFORM).values_list("name", flat=True)
    )
    assert names == ["Road Trip", "slow burn"]
    edit = reverse("stories:edit", args=[story.pk])
    form = author_client.get(edit).content.decode()
    assert "slow burn, Road Trip" in form or "Road Trip, slow burn" in form
    data = story_data(archive, freeform="road trip, Found Family")
    response = author_client.post(
        edit, {k: v for k, v in data.items() if not k.startswith("chapter-")}
    )
    assert response.status_code == 302
    names = sorted(
        story.tags.filter(kind__role=TagKind.Role.FREEFORM).values_list("name", flat=True)
    )
    assert names == ["Found Family", "Road Trip"]  # an existing tag is reused, whatever its case
    assert Tag.objects.filter(kind__role=TagKind.Role.FREEFORM).count() == 3


def test_chapter_over_the_size_limit(author_client, archive):
    set_site(max_chapter_characters=1000)
    response = post_story(author_client, archive, **{"chapter-body": "<p>" + "a" * 1200 + "</p>"})
    assert "the archive takes at most 1,000" in response.content.decode()
    assert Story.objects.count() == 0


def test_hostile_html_is_cleaned(author_client, archive):
    post_story(
        author_client,
        archive,
        summary='<p onclick="x()">Hi<script>bad()</script></p>',
        **{"chapter-body": '<p>Text <a href="javascript:alert(1)">link</a></p>'},
    )
    story = newest_story()
    assert story.summary == "<p>Hi</p>"
    assert "javascript" not in story.chapters.get().body


def test_upload_txt_html_and_not_text(author_client, archive):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("ch.txt", b"First line.\n\nSecond <para>.")
    post_story(author_client, archive, **{"chapter-body": "", "chapter-upload": text})
    assert newest_story().chapters.get().body == "<p>First line.</p>\n<p>Second &lt;para&gt;.</p>"

    binary = SimpleUploadedFile("ch.txt", b"\x89PNG\x00\x00\x00binary")
    response = post_story(author_client, archive, title="Second", **{"chapter-upload": binary})
    assert "not text" in response.content.decode()
    assert Story.objects.count() == 1

    wrong = SimpleUploadedFile("ch.pdf", b"%PDF-1.4")
    response = post_story(author_client, archive, title="Third", **{"chapter-upload": wrong})
    assert "Upload a .txt, .html or .docx file." in response.content.decode()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_upload_unicode_text_with_a_byte_order_mark(author_client, archive, encoding):
    """Notepad's "Unicode" is UTF-16 with a byte order mark: text, not a program."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "Première ligne — “quoted”.\n\nSecond paragraph."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    upload = SimpleUploadedFile("ch.txt", data)
    post_story(author_client, archive, **{"chapter-body": "", "chapter-upload": upload})
    body = newest_story().chapters.get().body
    assert body == "<p>Première ligne — “quoted”.</p>\n<p>Second paragraph.</p>"


def test_upload_docx(author_client, archive):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "ch.docx", docx_bytes("<w:p><w:r><w:t>From Word.</w:t></w:r></w:p>")
    )
    post_story(author_client, archive, **{"chapter-body": "", "chapter-upload": upload})
    assert newest_story().chapters.get().body == "<p>From Word.</p>"


def test_taken_pen_name_as_coauthor_is_invited_not_credited(
    author_client, archive, coauthor, client
):
    post_story(author_client, archive, coauthors="midnight owl")
    story = newest_story()
    assert list(story.authors.all()) != [coauthor] and story.credits.count() == 1
    invite = story.invites.get()
    assert invite.user == coauthor
    client.force_login(coauthor)
    client.post(reverse("stories:invite-answer", args=[invite.pk, "accept"]))
    assert [c.user for c in story.credits.order_by("position")][1] == coauthor
    assert not story.invites.exists()
    # A co-author may now edit the story.
    assert client.get(reverse("stories:edit", args=[story.pk])).status_code == 200


def test_validation_emails_the_author(
    author_client, archive, moderator, client, django_capture_on_commit_callbacks
):
    post_story(author_client, archive)
    story = newest_story()
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue"))
    assert "Beach Games" in queue.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:story", args=[story.pk, "validate"]))
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.chapter_count == 1
    assert len(mail.outbox) == 1 and "Beach Games" in mail.outbox[0].subject
    client.logout()
    assert client.get(chapter_url(story.pk, 1)).status_code == 200


def test_rejection_needs_a_reason_and_returns_a_draft(author_client, archive, moderator, client):
    post_story(author_client, archive)
    story = newest_story()
    client.force_login(moderator)
    client.post(reverse("moderation:story", args=[story.pk, "reject"]), {"reason": ""})
    story.refresh_from_db()
    assert story.status == Status.PENDING
    client.post(reverse("moderation:story", args=[story.pk, "reject"]), {"reason": "Tag it."})
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.moderation_note == "Tag it."
    page = author_client.get(reverse("stories:manage", args=[story.pk])).content.decode()
    assert "Tag it." in page


def test_pending_story_is_invisible_everywhere_until_validated(
    author_client, archive, author, moderator, client, django_capture_on_commit_callbacks
):
    """Lists, search, feeds, downloads, legacy URLs and counts: nothing shows the story until
    a moderator validates it; then every one of them does (so the test can fail)."""
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written
        post_story(author_client, archive, title="Zanzibar Nights")
    story = newest_story()
    author_client.logout()
    s, fandom = story.pk, archive.fandom.pk
    listing_urls = [
        reverse("home"),
        reverse("browse"),
        reverse("recent"),
        reverse("titles"),
        reverse("author", args=[author.pk]),
        reverse("browse-tag", args=["categories", fandom]),
        reverse("browse-rating", args=[archive.general.pk]),
        "/search/?q=Zanzibar",
        "/feeds/recent.atom",
        f"/feeds/tags/{fandom}.atom",
        f"/feeds/authors/{author.pk}.atom",
        "/opds/recent/",
        "/fanfiction/browse.php?type=recent",
        f"/fanfiction/viewuser.php?uid={author.pk}",
        "/fanfiction/index.php",
    ]
    story_urls = [
        reverse("story", args=[s]),
        chapter_url(s, 1),
        reverse("story-full", args=[s]),
        f"/feeds/stories/{s}.atom",
        f"/downloads/{s}/epub/",
        f"/fanfiction/viewstory.php?sid={s}&action=printable&chapter=all",
        f"/fanfiction/viewstory.php?sid={s}&index=1",
    ]

    def shown() -> dict:
        found = {}
        for url in listing_urls:
            response = client.get(url, follow=True)
            found[url] = "Zanzibar Nights" in response.content.decode()
        for url in story_urls:
            found[url] = client.get(url, follow=True).status_code == 200
        found["author list"] = author.pen_name in client.get(reverse("authors")).content.decode()
        return found

    before = shown()
    assert not any(before.values()), {url: seen for url, seen in before.items() if seen}
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:story", args=[s, "validate"]))
    client.logout()
    after = shown()
    assert all(after.values()), {url: seen for url, seen in after.items() if not seen}
