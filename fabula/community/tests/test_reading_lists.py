"""Reading lists: a member's named, ordered lists of others' stories with a note each (AO3's
rec bookmarks), public or private, with a page, an Atom feed and an OPDS feed that show only
what the reader may see."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

from fabula.community import actions
from fabula.community.models import ReadingList, ReadingListEntry
from fabula.formats.actions import app_password_create
from fabula.formats.tests.atomcheck import check_atom, titles
from fabula.lib.refusals import ActionRefused, FieldRefused
from fabula.stories.models import Status

pytestmark = pytest.mark.django_db


def basic(name: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def _titles(reading_list) -> list[str]:
    return [
        entry.story.title
        for entry in reading_list.entries.select_related("story").order_by("position")
    ]


def test_a_member_makes_a_list_adds_from_the_story_page_and_reorders(
    client, make_story, author, reader
):
    first = make_story(author, "First Rec")
    second = make_story(author, "Second Rec")
    client.force_login(reader)
    response = client.post(
        reverse("community:reading-lists-mine"), {"name": " Comfort  reads ", "public": "on"}
    )
    reading_list = ReadingList.objects.get(owner=reader)
    assert response.status_code == 302 and reading_list.name == "Comfort reads"

    story_page = client.get(reverse("story", args=[first.pk])).content.decode()
    add = reverse("community:reading-list-add", args=[first.pk])
    assert add in story_page
    client.post(add, {"reading_list": reading_list.pk, "note": "Read it <b>twice</b>."})
    client.post(
        reverse("community:reading-list-add", args=[second.pk]),
        {"reading_list": reading_list.pk, "note": ""},
    )
    assert _titles(reading_list) == ["First Rec", "Second Rec"]

    first_entry, second_entry = reading_list.entries.order_by("position")
    client.post(
        reverse("community:reading-list-edit", args=[reading_list.pk]),
        {
            "arrange": "1",
            f"place_{first_entry.pk}": "2",
            f"place_{second_entry.pk}": "1",
            f"note_{first_entry.pk}": "Still the best.",
            f"note_{second_entry.pk}": "",
        },
    )
    assert _titles(reading_list) == ["Second Rec", "First Rec"]
    client.logout()
    page = client.get(reverse("community:reading-list", args=[reading_list.pk])).content.decode()
    assert page.index("Second Rec") < page.index("First Rec")
    assert "<p>Still the best.</p>" in page
    member_page = client.get(reverse("community:reading-lists", args=[reader.pk])).content.decode()
    assert "Comfort reads" in member_page


def test_rename_make_private_remove_and_delete(client, make_story, author, reader):
    story = make_story(author)
    reading_list = actions.reading_list_create(owner=reader, name="Recs", public=True)
    entry = actions.reading_list_add(reading_list=reading_list, story=story)
    client.force_login(reader)
    edit = reverse("community:reading-list-edit", args=[reading_list.pk])
    client.post(edit, {"settings": "1", "name": "Old Recs"})  # no "public": private now
    reading_list.refresh_from_db()
    assert (reading_list.name, reading_list.public) == ("Old Recs", False)
    client.post(reverse("community:reading-list-remove", args=[reading_list.pk, entry.pk]))
    assert not reading_list.entries.exists()
    client.post(reverse("community:reading-list-delete", args=[reading_list.pk]))
    assert not ReadingList.objects.filter(pk=reading_list.pk).exists()


def test_a_private_list_is_a_404_to_everyone_but_its_owner(
    client, make_story, author, reader, other_author
):
    story = make_story(author)
    private = actions.reading_list_create(owner=reader, name="Secret shelf")
    actions.reading_list_add(reading_list=private, story=story)
    urls = [
        reverse("community:reading-list", args=[private.pk]),
        reverse("feed-reading-list", args=[private.pk]),
        reverse("opds-reading-list", args=[private.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(other_author)
    for url in [*urls, reverse("community:reading-list-edit", args=[private.pk])]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("community:reading-list-remove", args=[private.pk, private.entries.get().pk])
    )
    assert response.status_code == 404 and private.entries.exists()
    assert (
        "Secret shelf"
        not in client.get(reverse("community:reading-lists", args=[reader.pk])).content.decode()
    )
    client.force_login(reader)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_note_is_sanitised(make_story, author, reader):
    story = make_story(author)
    reading_list = actions.reading_list_create(owner=reader, name="Recs", public=True)
    entry = actions.reading_list_add(
        reading_list=reading_list,
        story=story,
        note='<p onclick="steal()">Lovely<script>alert(1)</script></p><a href="javascript:x">y</a>',
    )
    assert "<script" not in entry.note and "onclick" not in entry.note
    assert "javascript:" not in entry.note and "Lovely" in entry.note


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "A reading list needs a name."),
        ({"name": "recs"}, "You already have a list named “recs”."),  # any case
        ({"name": "x" * 101}, "at most 100 characters"),
    ],
)
def test_bad_list_names_are_refused_and_change_nothing(client, reader, data, message):
    actions.reading_list_create(owner=reader, name="Recs")
    client.force_login(reader)
    response = client.post(reverse("community:reading-lists-mine"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(ReadingList.objects.values_list("name", flat=True)) == ["Recs"]


def test_bad_additions_are_refused_with_a_reason(client, make_story, author, reader):
    mine = make_story(reader, "My Own")
    theirs = make_story(author, "Theirs")
    draft = make_story(author, "A Draft", status=Status.DRAFT)
    reading_list = actions.reading_list_create(owner=reader, name="Recs")
    with pytest.raises(ActionRefused, match="for others' stories"):
        actions.reading_list_add(reading_list=reading_list, story=mine)
    actions.reading_list_add(reading_list=reading_list, story=theirs)
    client.force_login(reader)
    response = client.post(
        reverse("community:reading-list-add", args=[theirs.pk]),
        {"reading_list": reading_list.pk},
    )
    assert response.status_code == 400
    assert "already on “Recs”" in response.content.decode()
    # Naming a new list for a refused story makes no list.
    response = client.post(
        reverse("community:reading-list-add", args=[mine.pk]), {"new_list": "Fresh"}
    )
    assert "for others&#x27; stories" in response.content.decode()
    assert not ReadingList.objects.filter(name="Fresh").exists()
    # Nothing chosen at all; a story one may not see is a 404.
    response = client.post(reverse("community:reading-list-add", args=[theirs.pk]), {})
    assert "Choose one of your lists, or name a new one." in response.content.decode()
    assert (
        client.post(
            reverse("community:reading-list-add", args=[draft.pk]),
            {"reading_list": reading_list.pk},
        ).status_code
        == 404
    )
    assert _titles(reading_list) == ["Theirs"]
    with pytest.raises(FieldRefused):
        actions.reading_list_update(reading_list=reading_list, name=" ", public=True)


def test_a_stale_order_is_refused(make_story, author, reader):
    story = make_story(author)
    reading_list = actions.reading_list_create(owner=reader, name="Recs")
    entry = actions.reading_list_add(reading_list=reading_list, story=story, note="Kept")
    with pytest.raises(ActionRefused, match="reload"):
        actions.reading_list_arrange(reading_list=reading_list, order=[], notes={})
    entry.refresh_from_db()
    assert entry.note == "<p>Kept</p>"


def test_feeds_never_show_a_story_the_reader_may_not_see(
    client, make_story, archive, author, reader, other_author
):
    """A public list holding an open story, a members-only one, a draft, a hidden one and one
    kept for reading on the site: guests see the open one only; a member also the
    members-only one; the page shows what the reader may open."""
    stories = {
        "open": make_story(author, "Open Story"),
        "members": make_story(author, "Members Story", rating=archive.members_only),
        "draft": make_story(author, "Draft Story"),
        "hidden": make_story(author, "Hidden Story"),
        "site-only": make_story(author, "Site Only Story", reading_only=True),
    }
    reading_list = actions.reading_list_create(owner=other_author, name="Everything", public=True)
    for story in stories.values():
        actions.reading_list_add(reading_list=reading_list, story=story, note="A note")
    for key, status in (("draft", Status.DRAFT), ("hidden", Status.HIDDEN)):
        stories[key].status = status
        stories[key].save()
    atom = reverse("feed-reading-list", args=[reading_list.pk])
    opds_url = reverse("opds-reading-list", args=[reading_list.pk])
    page_url = reverse("community:reading-list", args=[reading_list.pk])

    def seen(url, **headers):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        return response

    for url in (atom, opds_url):
        feed = check_atom(seen(url).content)
        assert titles(feed) == ["Open Story"], url
        assert "A note" in seen(url).content.decode()
    page = seen(page_url).content.decode()
    assert "Open Story" in page and "Site Only Story" in page
    for hidden in ("Members Story", "Draft Story", "Hidden Story"):
        assert hidden not in page

    _, secret = app_password_create(user=reader, name="Reader app")
    for url in (atom, opds_url):
        assert sorted(titles(check_atom(seen(url, **basic("Reader", secret)).content))) == [
            "Members Story",
            "Open Story",
        ]
    client.force_login(reader)
    page = seen(page_url).content.decode()
    assert "Members Story" in page and "Draft Story" not in page and "Hidden Story" not in page


def test_a_list_made_private_leaves_the_guests_cache(client, make_story, author, reader, settings):
    settings.PAGE_CACHE_SECONDS = 300
    story = make_story(author, "Cached Rec")
    reading_list = actions.reading_list_create(owner=reader, name="Recs", public=True)
    actions.reading_list_add(reading_list=reading_list, story=story)
    atom = reverse("feed-reading-list", args=[reading_list.pk])
    assert "Cached Rec" in client.get(atom).content.decode()
    actions.reading_list_update(reading_list=reading_list, name="Recs", public=False)
    assert client.get(atom).status_code == 404


def test_removing_a_story_removes_its_entry(make_story, author, reader):
    from fabula.stories import actions as story_actions

    story = make_story(author)
    reading_list = actions.reading_list_create(owner=reader, name="Recs")
    actions.reading_list_add(reading_list=reading_list, story=story)
    story_actions.story_delete(story=story)
    assert not ReadingListEntry.objects.exists()


def test_the_api_lists_what_the_reader_may_see(client, make_story, archive, author, reader):
    open_story = make_story(author, "Open Story")
    members = make_story(author, "Members Story", rating=archive.members_only)
    public = actions.reading_list_create(owner=reader, name="Recs", public=True)
    for story in (members, open_story):
        actions.reading_list_add(reading_list=public, story=story, note="Yes.")
    body = client.get(f"/api/v1/lists/{public.pk}").json()
    assert (body["name"], body["owner"], body["public"]) == (
        "Recs",
        {"id": reader.pk, "name": "Reader"},
        True,
    )
    assert [(r["story"]["title"], r["note"]) for r in body["results"]] == [
        ("Open Story", "<p>Yes.</p>")
    ]
    private = actions.reading_list_create(owner=reader, name="Mine")
    assert client.get(f"/api/v1/lists/{private.pk}").status_code == 404
