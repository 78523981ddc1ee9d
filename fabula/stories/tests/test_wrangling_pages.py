"""The wranglers' pages: who may open them and use them (guest, reader, author, wrangler,
moderator, admin), and a refusal shown as a message."""

import pytest
from django.urls import reverse

from fabula.taxonomy import actions
from fabula.taxonomy.models import Tag
from fabula.test import make_user


@pytest.fixture
def loose(archive):
    [tag] = actions.freeform_tags(names=["Loose Ends"])
    return tag


def who(name, author, reader, moderator, admin_user):
    return {
        "guest": None,
        "reader": reader,
        "author": author,
        "wrangler": make_user("Wrangler", wrangler=True) if name == "wrangler" else None,
        "moderator": moderator,
        "admin": admin_user,
    }[name]


@pytest.mark.parametrize(
    "name, allowed",
    [
        ("guest", False),
        ("reader", False),
        ("author", False),
        ("wrangler", True),
        ("moderator", True),
        ("admin", True),
    ],
)
def test_only_wranglers_and_staff_wrangle(
    client, archive, loose, author, reader, moderator, admin_user, make_story, name, allowed
):
    make_story(author, "Ends", tags=[loose])
    member = who(name, author, reader, moderator, admin_user)
    if member is not None:
        client.force_login(member)
    pages = [reverse("stories:wrangling"), reverse("stories:wrangle-tag", args=[loose.pk])]
    post = reverse("stories:wrangle", args=[loose.pk, "canonical"])
    for url in pages:
        response = client.get(url)
        if allowed:
            assert response.status_code == 200 and "Loose Ends" in response.content.decode()
        elif member is None:
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 403
    response = client.post(post)
    assert response.status_code == (302 if allowed or member is None else 403)
    assert Tag.objects.get(pk=loose.pk).wrangled is allowed


def test_the_queue_lists_unwrangled_tags_and_a_refusal_is_a_message(
    client, archive, loose, admin_user
):
    client.force_login(admin_user)
    queue = client.get(reverse("stories:wrangling")).content.decode()
    assert "Loose Ends" in queue and ">Jim<" not in queue
    response = client.post(
        reverse("stories:wrangle", args=[loose.pk, "synonym"]),
        {"name": "Nothing Such"},
        follow=True,
    )
    assert "There is no tag “Nothing Such”" in response.content.decode()
    assert Tag.objects.get(pk=loose.pk).unwrangled
    response = client.post(
        reverse("stories:wrangle", args=[archive.pam.pk, "synonym"]), {"name": "jim"}, follow=True
    )
    assert "“Pam” is now a synonym of “Jim”." in response.content.decode()
    assert Tag.objects.get(pk=archive.pam.pk).synonym_of_id == archive.jim.pk
    client.post(reverse("stories:wrangle", args=[loose.pk, "canonical"]))
    assert list(client.get(reverse("stories:wrangling")).context["page"]) == []


def test_the_type_ahead_offers_canonical_tags_first(client, archive):
    """A synonym typed offers its canonical tag (once); unwrangled tags come after canonical."""
    kind = actions.kind_of_role(role="freeform", name="Tags")
    [loose, keeper] = actions.freeform_tags(names=["Keepsake", "Lighthouse Keeper"])
    actions.tag_make_canonical(tag=keeper, by=None)
    alias = Tag.objects.create(kind=kind, name="Keeper of Lights", synonym_of=keeper)
    answer = client.get(reverse("tag-suggest", args=[kind.slug]), {"q": "keep"}).json()["tags"]
    assert answer == [
        {"id": keeper.pk, "name": "Lighthouse Keeper", "canonical": True, "found_as": alias.name},
        {"id": loose.pk, "name": "Keepsake", "canonical": False, "found_as": None},
    ]
    assert client.get(reverse("tag-suggest", args=[kind.slug]), {"q": " "}).json() == {"tags": []}
    assert client.get(reverse("tag-suggest", args=["nope"]), {"q": "a"}).status_code == 404
