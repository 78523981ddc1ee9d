"""The post and edit forms as an author meets them: a language menu with each language's own
name, the ratings explained beside their menu, tag fields grouped by fandom that work without
JavaScript (the type-ahead is tests/browser/test_posting.py), and nothing typed lost on an
error."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from fabula.stories.models import Story
from fabula.stories.tests.posting_support import newest_story, post_story, story_data


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def _form(client) -> str:
    response = client.get(reverse("stories:new"))
    assert response.status_code == 200
    return response.content.decode()


def _selected(page: str, name: str) -> list[str]:
    """The values chosen in the menu `name` of a page."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select[0])


def _checked(page: str, name: str) -> list[str]:
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="([^"]*)"[^>]*>', page)
    return [
        value for value in boxes if re.search(rf'name="{name}" value="{value}"[^>]*checked', page)
    ]


def test_the_language_menu_names_each_language_in_its_own_tongue(author_client, archive):
    page = _form(author_client)
    for label in ("Deutsch (German)", "français (French)", "日本語 (Japanese)", ">English<"):
        assert label in html.unescape(page), label
    assert _selected(page, "language") == ["en"]  # the default
    post_story(author_client, archive, language="fr")
    assert newest_story().language == "fr"


def test_an_unknown_language_is_refused_and_nothing_is_saved(author_client, archive):
    response = post_story(author_client, archive, language="klingon")
    assert response.status_code == 200
    assert "Choose a language from the list." in response.content.decode()
    assert not Story.objects.exists()


def test_editing_keeps_or_changes_the_language(author_client, author, archive, make_story):
    story = make_story(author, "Mein Buch", language="de")
    edit = reverse("stories:edit", args=[story.pk])
    assert _selected(author_client.get(edit).content.decode(), "language") == ["de"]
    data = {k: v for k, v in story_data(archive).items() if not k.startswith("chapter-")}
    author_client.post(edit, {**data, "language": "nl"})
    story.refresh_from_db()
    assert story.language == "nl"
    data.pop("language", None)
    author_client.post(edit, data)  # a form without the menu (an old page) keeps it
    story.refresh_from_db()
    assert story.language == "nl"


def test_the_ratings_are_explained_beside_their_menu(author_client, archive):
    archive.general.description = "Fit for every reader."
    archive.general.save()
    page = _form(author_client)
    assert 'aria-describedby="rating-help"' in page and 'id="rating-help"' in page
    help_list = page.split('id="rating-help"')[1].split("</dl>")[0]
    assert "<dt>G</dt><dd>Fit for every reader." in help_list
    assert "<dt>R</dt>" in help_list and "Members only." in help_list
    assert "Readers confirm their age." in help_list.split("<dt>NC-17</dt>")[1]


def test_tag_fields_are_checkboxes_grouped_by_fandom(author_client, archive):
    archive.jim.parent = archive.subfandom  # Jim belongs to "Jim and Pam", under The Office
    archive.jim.save()
    archive.pam.synonym_of = archive.jim  # a synonym is not offered: its canonical tag is
    archive.pam.save()
    page = _form(author_client)
    assert '<select name="tags_characters"' not in page  # no Ctrl-click multi-select
    characters = page.split('data-kind="characters"')[1].split("</div>")[0]
    assert "<legend>The Office</legend>" in characters
    assert re.search(rf'value="{archive.jim.pk}" id="[^"]+" data-group="The Office"', characters)
    assert f'value="{archive.pam.pk}"' not in characters
    categories = page.split('data-kind="categories"')[1].split("</div>")[0]
    # A sub-category sits with its fandom; fandoms in alphabetical order.
    office = categories.index("<legend>The Office</legend>")
    assert categories.index("<legend>Parks and Recreation</legend>") < office
    assert categories.index("The Office › Jim and Pam") > office
    assert "fabula/tag-picker.js" in page


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"title": ""}, "A story needs a title."),
        ({"chapter-body": ""}, "A chapter needs some text"),
        ({"tags_categories": None}, "Choose at least one of the categories."),
    ],
)
def test_the_form_keeps_everything_typed_on_an_error(author_client, archive, error, message):
    archive.category.required = True
    archive.category.save()
    typed = {
        "title": "Beach Games",
        "summary": "<p>Michael holds a contest.</p>",
        "notes": "Written for a friend.",
        "rating": archive.teen.pk,
        "language": "de",
        "tags_categories": [archive.fandom.pk, archive.other_fandom.pk],
        "tags_characters": [archive.jim.pk, archive.pam.pk],
        "tags_genres": [archive.humor.pk],
        "freeform": "slow burn, road trip",
        "completed": "on",
        "coauthors": "",
        "chapter-title": "The Contest",
        "chapter-text_format": "markdown",
        "chapter-body": "Everyone *walked* to the beach.",
        "chapter-notes": "Before: sand.",
        "chapter-end_notes": "After: sunburn.",
    }
    response = post_story(author_client, archive, **{**typed, **error})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and message in page
    assert not Story.objects.exists()
    kept = {**typed, **error}
    for name in ("title", "freeform", "chapter-title"):
        if kept[name]:
            assert f'name="{name}" value="{kept[name]}"' in page, name
    for name in ("summary", "notes", "chapter-body", "chapter-notes", "chapter-end_notes"):
        if kept[name]:
            assert re.search(rf'name="{name}"[^>]*>\n?{re.escape(kept[name])}</textarea>', page), (
                name
            )
    assert _selected(page, "rating") == [str(archive.teen.pk)]
    assert _selected(page, "language") == ["de"]
    assert _selected(page, "chapter-text_format") == ["markdown"]
    for name in ("tags_categories", "tags_characters", "tags_genres"):
        assert sorted(_checked(page, name)) == sorted(str(pk) for pk in kept[name] or []), name
    assert re.search(r'name="completed"[^>]*checked', page)
