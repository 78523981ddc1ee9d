"""Related works: a story inspired by, translating or remixing a story here (whose authors
approve the link before its page lists it) or a work elsewhere (http or https only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.lib.refusals import FieldRefused
from fabula.notifications.models import Notification
from fabula.stories import actions
from fabula.stories.models import Status, StoryRelation
from fabula.stories.tests.posting_support import newest_story, post_story, story_data
from fabula.test import set_site

pytestmark = pytest.mark.django_db


def test_a_translation_posted_by_address_waits_then_is_listed(
    client, archive, make_story, author, other_author
):
    set_site(site_url="https://fics.example.org")
    original = make_story(other_author, "The Original")
    author.trusted = True
    author.save()
    client.force_login(author)
    address = f"https://fics.example.org/stories/{original.pk}/chapter/1/"
    response = post_story(
        client, archive, title="La Traduction", relation_kind="translation", relation_to=address
    )
    assert response.status_code == 302
    derived = newest_story()
    relation = derived.relations.get()
    assert (relation.original, relation.answer) == (original, StoryRelation.Answer.WAITING)
    asked = Notification.objects.get(kind=Notification.Kind.RELATED)
    assert asked.user == other_author and "La Traduction" in asked.text

    # The derived story says what it is at once; the original lists it only once approved.
    derived_page = client.get(reverse("story", args=[derived.pk])).content.decode()
    assert "A translation of" in derived_page and "The Original" in derived_page
    assert "La Traduction" not in client.get(reverse("story", args=[original.pk])).content.decode()

    client.force_login(other_author)
    desk = client.get(reverse("stories:mine")).content.decode()
    assert "La Traduction" in desk
    answer = reverse("stories:relation-answer", args=[relation.pk, "approve"])
    assert answer in desk
    client.post(answer)
    client.logout()
    original_page = client.get(reverse("story", args=[original.pk])).content.decode()
    assert "Works related to this one" in original_page and "La Traduction" in original_page
    body = client.get(f"/api/v1/stories/{original.pk}").json()
    assert body["related_works"] == [
        {
            "kind": "translation",
            "story": {"id": derived.pk, "name": "La Traduction"},
            "url": None,
            "title": "La Traduction",
            "answer": "approved",
        }
    ]


def test_a_rejected_link_is_not_listed_on_the_original(client, make_story, author, other_author):
    original = make_story(other_author, "The Original")
    derived = make_story(author, "A Remix")
    relation = actions.relation_add(story=derived, kind="remix", to=str(original.pk), by=author)
    client.force_login(author)  # not the original's author: may not answer
    assert (
        client.post(reverse("stories:relation-answer", args=[relation.pk, "approve"])).status_code
        == 404
    )
    client.force_login(other_author)
    client.post(reverse("stories:relation-answer", args=[relation.pk, "reject"]), follow=True)
    relation.refresh_from_db()
    assert relation.answer == StoryRelation.Answer.REJECTED
    client.logout()
    assert "A Remix" not in client.get(reverse("story", args=[original.pk])).content.decode()


def test_a_link_between_ones_own_stories_needs_no_answer(make_story, author):
    original = make_story(author, "First")
    sequel = make_story(author, "Second")
    relation = actions.relation_add(story=sequel, kind="inspired", to=str(original.pk), by=author)
    assert relation.answer == StoryRelation.Answer.APPROVED
    assert not Notification.objects.filter(kind="related").exists()


def test_an_external_work(client, make_story, author):
    story = make_story(author)
    actions.relation_add(
        story=story,
        kind="inspired",
        to=" https://example.com/works/1 ",
        title="A Song",
        by=author,
    )
    page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert 'href="https://example.com/works/1"' in page and "A Song" in page


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("javascript:alert(1)", "a web address starting with http:// or https://"),
        ("data:text/html,<script>x</script>", "a web address starting with http:// or https://"),
        ("999999", "There is no story number 999999 here."),
    ],
)
def test_bad_relations_are_refused_beside_the_field_and_change_nothing(
    client, archive, make_story, author, to, message
):
    story = make_story(author)
    client.force_login(author)
    response = client.post(
        reverse("stories:edit", args=[story.pk]),
        {**story_data(archive, title="Changed"), "relation_kind": "inspired", "relation_to": to},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    story.refresh_from_db()
    assert story.title == "A Story" and not story.relations.exists()


def test_refused_at_once_a_story_one_may_not_see_itself_and_a_twice(
    make_story, author, other_author
):
    hidden = make_story(other_author, "Secret Draft", status=Status.DRAFT)
    story = make_story(author)
    with pytest.raises(FieldRefused, match="no story number"):  # a draft is as if missing
        actions.relation_add(story=story, kind="remix", to=str(hidden.pk), by=author)
    with pytest.raises(FieldRefused, match="itself"):
        actions.relation_add(story=story, kind="remix", to=str(story.pk), by=author)
    other = make_story(other_author, "Other")
    actions.relation_add(story=story, kind="remix", to=str(other.pk), by=author)
    with pytest.raises(FieldRefused, match="already related"):
        actions.relation_add(story=story, kind="inspired", to=f"/stories/{other.pk}/", by=author)
    with pytest.raises(FieldRefused, match="how the story is related"):
        actions.relation_add(story=story, kind="sequel", to=str(other.pk), by=author)
    assert story.relations.count() == 1


def test_a_related_work_the_reader_may_not_see_is_not_shown(
    client, make_story, author, other_author, archive
):
    original = make_story(other_author, "Public Original")
    secret = make_story(author, "Members Only Remix", rating=archive.members_only)
    actions.relation_add(story=secret, kind="remix", to=str(original.pk), by=author)
    actions.relation_answer(relation=secret.relations.get(), approve=True, by=other_author)
    assert (
        "Members Only Remix"
        not in client.get(reverse("story", args=[original.pk])).content.decode()
    )
    client.force_login(other_author)
    assert "Members Only Remix" in client.get(reverse("story", args=[original.pk])).content.decode()


def test_the_derived_story_hides_an_original_the_reader_may_not_see(
    client, make_story, author, other_author
):
    original = make_story(other_author, "Soon Hidden")
    derived = make_story(author, "Derived")
    actions.relation_add(story=derived, kind="inspired", to=str(original.pk), by=author)
    original.status = Status.HIDDEN
    original.save()
    page = client.get(reverse("story", args=[derived.pk])).content.decode()
    assert "Soon Hidden" not in page and "a story you cannot see" in page
    assert client.get(f"/api/v1/stories/{derived.pk}").json()["relations"][0]["story"] is None


def test_an_author_takes_a_relation_off(client, make_story, author):
    story = make_story(author)
    relation = actions.relation_add(
        story=story, kind="inspired", to="https://example.com/", by=author
    )
    client.force_login(author)
    manage = client.get(reverse("stories:manage", args=[story.pk])).content.decode()
    remove = reverse("stories:relation-remove", args=[story.pk, relation.pk])
    assert remove in manage
    client.post(remove)
    assert not story.relations.exists()
