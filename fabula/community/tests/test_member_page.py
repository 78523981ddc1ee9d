"""The member's page links to their favourites and, for others, follow/favourite/hide buttons."""

from django.urls import reverse

from fabula.community import actions
from fabula.community.permissions import can_review
from fabula.stories import actions as story_actions


def test_member_page_buttons(client, make_story, author, reader, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("author", args=[author.pk])
    page = client.get(url).content.decode()
    assert reverse("community:favourites", args=[author.pk]) in page
    assert "Follow this author" not in page  # guests get no buttons
    client.force_login(reader)
    assert "Follow this author" in client.get(url).content.decode()
    client.post(reverse("community:follow", args=["author", author.pk]), {"next": url})
    client.post(reverse("community:favourite", args=["author", author.pk]), {"public": "on"})
    page = client.get(url).content.decode()
    assert "Stop following" in page and "★ Favourite author" in page


def test_own_page_shows_unread_notifications(client, make_story, author, coauthor, settings):
    settings.PAGE_CACHE_SECONDS = 0
    story = make_story(author)
    story_actions.coauthor_invite(story=story, user=coauthor, by=author)
    client.force_login(coauthor)
    page = client.get(reverse("author", args=[coauthor.pk])).content.decode()
    assert "Notifications (1 new)" in page and reverse("community:history") in page


def test_a_locked_member_reads_but_does_not_review(make_story, author, reader):
    story = make_story(author)
    reader.locked = True
    reader.save()
    assert not can_review(reader, story)
    actions.favourite_add(user=reader, target=story)  # following and favouriting still work
