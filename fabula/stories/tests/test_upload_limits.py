"""Limits checked before the work: a .docx that unpacks to too much, a file too large, a chapter
typed too long. Each is refused with the form and a message, and nothing is converted or saved.
"""

from __future__ import annotations

import random
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fabula.stories.models import Chapter, Story
from fabula.stories.tests.posting_support import docx_bytes, post_story
from fabula.stories.uploads import UnreadableUpload, read_upload, to_html
from fabula.test import set_site

pytestmark = pytest.mark.django_db

PARAGRAPH = "<w:p><w:r><w:t>All work and no play makes Jack a dull boy.</w:t></w:r></w:p>"
UNPACKS = "That Word document would unpack to"


def _varied(paragraphs: int, words: int) -> str:
    """Paragraphs of words that do not repeat much, so they pack as real text does."""
    pick = random.Random(17).choice
    vocabulary = ["".join(pick(string.ascii_lowercase) for _ in range(6)) for _ in range(5000)]
    return "".join(
        "<w:p><w:r><w:t>" + " ".join(pick(vocabulary) for _ in range(words)) + "</w:t></w:r></w:p>"
        for _ in range(paragraphs)
    )


BOMBS = {
    # 10 MB of XML in some 30 KB: what the probe sent.
    "large": (PARAGRAPH * (10 * 1024 * 1024 // len(PARAGRAPH)), UNPACKS),
    # Under the size limit, but packed 300:1: no word processor writes that.
    "dense": ("<w:p><w:r><w:t>" + "a" * (3 * 1024 * 1024) + "</w:t></w:r></w:p>", UNPACKS),
    # Small and honest-looking, but cut into paragraphs enough for minutes of conversion.
    "paragraphs": (_varied(25_000, 1), "paragraphs; a chapter has at most 20,000"),
    # More text than a chapter may have, found before the conversion, not after.
    "text": (_varied(600, 150), "characters of text; a chapter has at most 510,000"),
}


@pytest.fixture
def no_conversion(monkeypatch):
    """mammoth must not be reached: the refusal comes before the conversion."""
    import mammoth

    def converted(*args, **kwargs):
        raise AssertionError("mammoth was asked to convert a bomb")

    monkeypatch.setattr(mammoth, "convert_to_html", converted)


@pytest.mark.parametrize("bomb", BOMBS)
@pytest.mark.parametrize("button", ["publish", "preview"])
def test_a_docx_bomb_is_refused_before_conversion(
    author_client, archive, no_conversion, bomb, button
):
    body, message = BOMBS[bomb]
    data = docx_bytes(body)
    assert len(data) < 5 * 1024 * 1024  # an upload the size limit lets through
    upload = SimpleUploadedFile("bomb.docx", data)
    response = post_story(
        author_client,
        archive,
        **{"publish": None, button: "1", "chapter-body": "", "chapter-upload": upload},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Story.objects.count() == 0


def test_a_docx_within_the_limits_is_converted(author_client, archive):
    upload = SimpleUploadedFile("ch.docx", docx_bytes(PARAGRAPH * 2000))  # 150 KB of XML
    post_story(author_client, archive, **{"chapter-body": "", "chapter-upload": upload})
    assert Chapter.objects.get().body.count("<p>All work") == 2000


class _Unread(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("the file was read")


def test_a_file_too_large_is_refused_unread():
    upload = _Unread("huge.txt", b"")
    upload.size = 9 * 1024 * 1024
    with pytest.raises(UnreadableUpload, match=r"9\.0 MB; an uploaded chapter is at most 8 MB"):
        read_upload(upload)


@pytest.mark.parametrize("megabytes", [3, 10, 12])
def test_a_chapter_typed_too_long_gets_the_form_and_a_message(author_client, archive, megabytes):
    """Past Django's limit for a form (3, 10 MB) or for a whole request (12 MB: not read)."""
    response = post_story(
        author_client, archive, **{"chapter-body": "<p>" + "a" * (megabytes * 1024 * 1024)}
    )
    assert response.status_code == 303 and response["Location"] == reverse("stories:new")
    page = author_client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "more than this archive takes in one go" in text
    assert "a chapter has at most 510,000 characters" in text
    assert 'id="id_chapter-body"' in text  # the form, to try again
    assert Story.objects.count() == 0


def test_the_size_message_counts_what_the_limit_counts(author_client, archive):
    set_site(max_chapter_characters=1000)
    typed = "a" * 995  # under the limit as typed, over it as stored
    stored = to_html(typed, "markdown")
    assert len(typed) < 1000 < len(stored)
    response = post_story(
        author_client,
        archive,
        **{"chapter-body": typed, "chapter-text_format": "markdown"},
    )
    assert f"This chapter has {len(stored):,} characters" in response.content.decode()
    assert Story.objects.count() == 0
