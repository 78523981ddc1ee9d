"""Control characters are refused at the edge: every one-line field of the forms says so and
saves nothing; an import removes them and its report says so. (At the output, feeds and books
strip them from older data: fabula/formats/tests/test_control_characters.py.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fabula.accounts.models import User
from fabula.importers.dump import Dump, DumpWriter
from fabula.importers.load import load_dump
from fabula.stories.models import Challenge, Series, Story
from fabula.stories.tests.posting_support import story_data
from fabula.taxonomy.models import Tag

pytestmark = pytest.mark.django_db
MESSAGE = "invisible control character (U+0001)"


def _story(archive, field):
    return reverse("stories:new"), story_data(archive, **{field: "Bad\x01one"})


FORMS = {
    "story title": lambda archive: _story(archive, "title"),
    "additional tags": lambda archive: _story(archive, "freeform"),
    "chapter title": lambda archive: _story(archive, "chapter-title"),
    "co-authors": lambda archive: _story(archive, "coauthors"),
    "series title": lambda archive: (
        reverse("stories:series-new"),
        {"title": "Bad\x01one", "summary": "", "openness": "open"},
    ),
    "challenge title": lambda archive: (
        reverse("stories:challenge-new"),
        {"title": "Bad\x01one", "summary": ""},
    ),
    "profile real name": lambda archive: (
        reverse("accounts:profile"),
        {"real_name": "Bad\x01one", "email": "a@example.org", "website": "", "bio": ""},
    ),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_form_refuses_a_control_character(form, archive, author):
    client = Client()
    client.force_login(author)
    url, data = FORMS[form](archive)
    response = client.post(url, data)
    assert response.status_code == 200, form
    assert MESSAGE in response.content.decode(), form
    assert not Story.objects.exists() and not Series.objects.exists()
    assert not Challenge.objects.exists()
    assert not User.objects.filter(real_name__contains="\x01").exists()
    assert not Tag.objects.filter(name__contains="\x01").exists()


def test_joining_refuses_a_control_character_in_a_pen_name(db):
    response = Client().post(
        reverse("accounts:register"),
        {
            "pen_name": "Bad\x01one",
            "email": "bad@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert MESSAGE in response.content.decode()
    assert not User.objects.filter(email="bad@example.org").exists()


def test_an_import_removes_them_and_says_so(tmp_path, db):
    with DumpWriter(tmp_path, source="controls:") as writer:
        writer.add("ratings", {"id": 7, "name": "R\x01ated"})
        writer.add("members", {"id": 70, "pen_name": "Pen\x01name", "email": ""})
        writer.add(
            "stories",
            {"id": 70, "title": "Ti\x1btle", "summary": "<p>S\x01um</p>", "rating": 7}
            | {"authors": [70], "status": "published"},
        )
    report = load_dump(Dump(tmp_path))
    assert User.objects.get(pk=70).pen_name == "Penname"
    story = Story.objects.get(pk=70)
    assert (story.title, story.summary) == ("Title", "<p>Sum</p>")
    assert "stories 70: control characters removed from its title" in report.problems
    assert "members 70: control characters removed from its pen name" in report.problems
