"""The blocklist hides stories everywhere lists are built, for the member who made it."""

import pytest
from django.urls import reverse

from fabula.community import actions
from fabula.lib.refusals import ActionRefused
from fabula.stories.permissions import listed_stories
from fabula.taxonomy.models import Tag


@pytest.fixture
def stories(make_story, author, other_author, archive):
    return {
        "plain": make_story(author, "Plain Story", tags=[archive.fandom, archive.humor]),
        "violent": make_story(author, "Violent Story", tags=[archive.fandom, archive.violence]),
        "by_fox": make_story(other_author, "Fox Story", tags=[archive.other_fandom]),
        "sub": make_story(author, "Sub Story", tags=[archive.subfandom]),
    }


def titles(user):
    return set(listed_stories(user).values_list("title", flat=True))


def test_blocks_hide_stories_tags_authors_and_subtags(
    stories, reader, other_author, archive, moderator
):
    everything = titles(reader)
    actions.block_tag(user=reader, tag=archive.violence)
    assert titles(reader) == everything - {"Violent Story"}
    actions.block_add(user=reader, target=other_author)
    actions.block_add(user=reader, target=stories["plain"])
    assert titles(reader) == {"Sub Story"}
    actions.block_tag(user=reader, tag=archive.fandom)  # a fandom hides its sub-areas
    assert titles(reader) == set()
    assert titles(moderator) == everything  # only the member's own lists
    actions.block_remove(user=reader, target=archive.fandom)
    assert titles(reader) == {"Sub Story"}
    with pytest.raises(ActionRefused):
        actions.block_add(user=reader, target=reader)


def test_blocked_stories_leave_the_browse_pages(client, stories, reader, other_author, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(reader)
    assert "Fox Story" in client.get(reverse("browse")).content.decode()
    response = client.post(reverse("community:block", args=["author", other_author.pk]))
    assert response.status_code == 302
    assert "Fox Story" not in client.get(reverse("browse")).content.decode()
    assert "Fox Story" not in client.get(reverse("recent")).content.decode()
    assert "Fox Story" in client.get(reverse("story", args=[stories["by_fox"].pk])).content.decode()
    page = client.get(reverse("community:blocks")).content.decode()
    assert other_author.pen_name in page
    client.post(reverse("community:block", args=["author", other_author.pk]), {"stop": "1"})
    assert "Fox Story" in client.get(reverse("browse")).content.decode()
    assert client.post(reverse("community:block", args=["tag", 99999])).status_code == 404


def test_hide_a_tag_from_the_blocks_page_and_a_story_from_its_page(
    client, stories, reader, archive, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(reader)
    for hostile in ("x", "²", "9" * 5000):  # "²".isdigit() is true, int("²") raises
        assert client.post(reverse("community:blocks"), {"tag": hostile}).status_code == 404
    client.post(reverse("community:blocks"), {"tag": str(archive.violence.pk)})
    assert "Violent Story" not in client.get(reverse("browse")).content.decode()
    story_page = client.get(reverse("story", args=[stories["plain"].pk])).content.decode()
    assert "Hide from my lists" in story_page
    client.post(reverse("community:block", args=["story", stories["plain"].pk]))
    assert titles(reader) == {"Fox Story", "Sub Story"}


def test_a_list_emptied_by_the_blocklist_says_how_many_it_hid(
    client, stories, reader, other_author, archive, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(reader)
    actions.block_add(user=reader, target=other_author)
    page = client.get(reverse("browse-tag", args=["categories", archive.other_fandom.pk]))
    text = page.content.decode()
    assert page.context["listing"].hidden_by_blocks == 1
    assert "1 story hidden by" in text and f'href="{reverse("community:blocks")}"' in text
    assert "No stories here yet." not in text
    actions.block_tag(user=reader, tag=archive.fandom)
    assert (
        "3 stories hidden by"
        in client.get(
            reverse("author", args=[stories["plain"].credits.first().user_id])
        ).content.decode()
    )
    # A list that is empty without the blocklist says so plainly.
    empty = client.get(reverse("browse-rating", args=[archive.adult.pk])).content.decode()
    assert "No stories here yet." in empty and "hidden by" not in empty


def test_blocking_a_tag_hides_its_synonyms_too(make_story, author, reader, archive):
    jimbo = Tag.objects.create(kind=archive.character, name="Jimbo", synonym_of=archive.jim)
    make_story(author, "By Another Name", tags=[archive.other_fandom, jimbo])
    make_story(author, "Elsewhere", tags=[archive.other_fandom])
    actions.block_tag(user=reader, tag=archive.jim)
    assert titles(reader) == {"Elsewhere"}
