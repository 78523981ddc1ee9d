"""The collections' pages: making a collection, adding works, the exchange's sign-up,
assignments, gift and reveal through the forms; refusals show a message and change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.collections import actions
from fabula.collections.models import Assignment, Collection, CollectionItem, Signup
from fabula.stories import actions as story_actions
from fabula.test import make_user


@pytest.fixture
def keeper(db):
    return make_user("Keeper")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_member_makes_a_challenge_with_prompts(client, keeper):
    client.force_login(keeper)
    response = client.post(
        reverse("collections:new"),
        {
            "title": "Drabble Week",
            "name": "drabble-week",
            "kind": "challenge",
            "openness": "open",
            "prompts": "Snow\nA lighthouse\n",
        },
    )
    collection = Collection.objects.get(name="drabble-week")
    assert response.status_code == 302
    assert list(collection.maintainers.all()) == [keeper]
    page = client.get(collection.get_absolute_url()).content.decode()
    assert "Snow" in page and "A lighthouse" in page


def test_an_author_adds_a_story_answering_a_prompt(client, make_story, author, keeper):
    collection = actions.collection_create(
        by=keeper, name="drabbles", title="Drabbles", kind="challenge", prompts=["Snow"]
    )
    story = make_story(author, "Snowbound")
    client.force_login(author)
    prompt = collection.prompts.get()
    client.post(
        reverse("collections:add", args=[collection.name]), {"story": story.pk, "prompt": prompt.pk}
    )
    item = CollectionItem.objects.get()
    assert item.approved and item.prompt == prompt
    assert "Snowbound" in client.get(collection.get_absolute_url()).content.decode()


def test_joining_a_closed_collection_is_refused_with_a_message(client, make_story, author, keeper):
    actions.collection_create(by=keeper, name="closed", title="Closed Shop", openness="closed")
    story = make_story(author, "Knocking")
    client.force_login(author)
    response = client.post(
        reverse("collections:story-add", args=[story.pk]), {"collection": "closed"}, follow=True
    )
    assert "closed: only its maintainers may invite" in _messages(response)
    assert not CollectionItem.objects.exists()


def test_a_non_maintainer_cannot_reveal(client, make_story, author, keeper, reader):
    collection = actions.collection_create(
        by=keeper, name="secret", title="Secret", unrevealed=True
    )
    client.force_login(reader)
    response = client.post(reverse("collections:reveal", args=[collection.name]))
    assert response.status_code == 403
    collection.refresh_from_db()
    assert collection.unrevealed


def test_a_sign_up_after_the_deadline_is_refused_with_a_message(client, archive, keeper, reader):
    collection = actions.collection_create(
        by=keeper,
        name="late",
        title="Late Swap",
        kind="exchange",
        signup_closes=timezone.now() - timedelta(hours=1),
    )
    client.force_login(reader)
    response = client.post(
        reverse("collections:signup", args=[collection.name]),
        {"offers": [archive.jim.pk], "requests": [archive.pam.pk]},
        follow=True,
    )
    assert "Sign-ups for Late Swap are closed" in _messages(response)
    assert not Signup.objects.exists()


def test_an_exchange_through_its_pages(client, archive, make_story, keeper):
    client.force_login(keeper)
    client.post(
        reverse("collections:new"),
        {
            "title": "Winter Swap",
            "name": "winter-swap",
            "kind": "exchange",
            "openness": "moderated",
            "unrevealed": "on",
            "anonymous": "on",
            "signup_closes": (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "deadline": (timezone.now() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    collection = Collection.objects.get(name="winter-swap")
    members = [make_user(name) for name in ("Ash", "Birch", "Cedar")]
    tags = [archive.jim, archive.pam, archive.fandom]
    for n, member in enumerate(members):
        client.force_login(member)
        client.post(
            reverse("collections:signup", args=[collection.name]),
            {"offers": [tags[n].pk], "requests": [tags[(n + 1) % 3].pk]},
        )
    assert Signup.objects.filter(collection=collection).count() == 3
    client.force_login(members[0])
    assert client.get(reverse("collections:assignments", args=[collection.name])).status_code == 403
    client.force_login(keeper)
    client.post(reverse("collections:assignments", args=[collection.name]))
    assert Assignment.objects.filter(collection=collection).count() == 3
    ash = members[0]
    gift = make_story(ash, "For a Friend")
    client.force_login(ash)
    page = client.get(reverse("collections:my-assignment", args=[collection.name]))
    recipient = Assignment.objects.get(giver=ash).recipient
    assert recipient.pen_name in page.content.decode()
    client.post(reverse("collections:my-assignment", args=[collection.name]), {"story": gift.pk})
    client.logout()
    assert "For a Friend" not in client.get(collection.get_absolute_url()).content.decode()
    assert client.get(reverse("story", args=[gift.pk])).status_code == 404
    client.force_login(keeper)
    assert "For a Friend" in client.get(collection.get_absolute_url()).content.decode()
    client.post(reverse("collections:reveal", args=[collection.name]), {"what": "all"})
    client.logout()
    page = client.get(reverse("story", args=[gift.pk])).content.decode()
    assert "For a Friend" in page and "Ash" in page


def test_a_story_answering_a_challenge_links_the_challenges_collection(client, make_story, author):
    carried = story_actions.challenge_create(title="Snow & Ice")
    plain = story_actions.challenge_create(title="A Plain Prompt")
    collection = actions.challenge_collection(challenge=carried)
    story = make_story(author, challenges=[carried, plain])
    page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert (
        f'<dt>Challenges</dt><dd>A Plain Prompt, <a href="{collection.get_absolute_url()}">'
        "Snow &amp; Ice</a></dd>"
    ) in page
