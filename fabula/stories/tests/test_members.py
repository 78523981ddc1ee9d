"""A member leaves (`actions.account_delete`): their stories are deleted or pass to the Orphan
Account, shared stories go on under the other authors, and the account page asks first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.accounts.actions import ORPHAN_PEN_NAME
from fabula.accounts.models import User
from fabula.stories import actions
from fabula.stories.models import Series, Story
from fabula.test import PASSWORD

pytestmark = pytest.mark.django_db


def test_leaving_hands_round_robin_chapters_and_series_to_the_orphan_account(
    author, coauthor, make_story
):
    theirs = make_story(coauthor, "Round Robin")
    chapter = actions.chapter_add(story=theirs, title="Mine", body="<p>Words.</p>", author=author)
    series = actions.series_create(owner=author, title="A Series")
    shared = make_story(author, "Shared", coauthors=[coauthor])
    actions.account_delete(user=author, stories="delete")
    orphan = User.objects.get(pen_name=ORPHAN_PEN_NAME)
    chapter.refresh_from_db()
    assert chapter.author == orphan
    assert Series.objects.get(pk=series.pk).owner == orphan
    assert list(theirs.authors.all()) == [coauthor]
    assert list(shared.credits.values_list("user", "position")) == [(coauthor.pk, 0)]
    assert not User.objects.filter(pk=author.pk).exists()


def test_leaving_asks_what_becomes_of_the_stories(author, make_story):
    make_story(author, "Alone")
    with pytest.raises(ValueError):
        # Not a choice, on purpose: the action refuses it at run time too.
        actions.account_delete(user=author, stories="keep")  # type: ignore[arg-type]
    assert User.objects.filter(pk=author.pk).exists()
    assert Story.objects.filter(title="Alone").exists()


def test_delete_account_orphans_stories(
    client, author, coauthor, make_story, django_capture_on_commit_callbacks
):
    alone = make_story(author, "Alone")
    shared = make_story(author, "Shared", coauthors=[coauthor])
    client.force_login(author)
    response = client.post(reverse("account-delete"), {"stories": "orphan", "password": "wrong"})
    assert "That is not your password." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # as the real commit would
        client.post(reverse("account-delete"), {"stories": "orphan", "password": PASSWORD})
    assert not User.objects.filter(pk=author.pk).exists()
    orphan = User.objects.get(pen_name=ORPHAN_PEN_NAME)
    assert list(alone.authors.all()) == [orphan]
    assert list(shared.authors.all()) == [coauthor]
    assert set(alone.chapters.values_list("author", flat=True)) == {orphan.pk}
    assert set(shared.chapters.values_list("author", flat=True)) == {coauthor.pk}
    assert not orphan.has_usable_password()


def test_delete_account_deletes_own_stories(
    client, author, coauthor, make_story, django_capture_on_commit_callbacks
):
    make_story(author, "Alone")
    shared = make_story(author, "Shared", coauthors=[coauthor])
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):  # as the real commit would
        client.post(reverse("account-delete"), {"stories": "delete", "password": PASSWORD})
    assert list(Story.objects.values_list("title", flat=True)) == ["Shared"]
    assert list(shared.authors.all()) == [coauthor]
