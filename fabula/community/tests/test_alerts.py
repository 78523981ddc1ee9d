"""Favourites, follows and alerts: who hears of what, on the page and by email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fabula.accounts import actions as account_actions
from fabula.community import actions
from fabula.community.models import Favourite
from fabula.lib.refusals import ActionRefused
from fabula.notifications.emails import send_digests
from fabula.notifications.models import Notification
from fabula.stories import actions as story_actions
from fabula.stories.models import Chapter, Status, Story


def add_chapter(story, title="Fresh"):
    return story_actions.chapter_add(story=story, title=title, body="<p>New words.</p>")


def choose_alerts(user, alerts: str) -> None:
    account_actions.preferences_update(
        user=user,
        age_consent=user.age_consent,
        theme=user.theme,
        text_size=user.text_size,
        default_sort=user.default_sort,
        alerts=alerts,
    )


def test_favourites_count_and_keep_a_sanitised_note(make_story, author, reader):
    story = make_story(author)
    favourite = actions.favourite_add(
        user=reader, target=story, note="<p>So good<script>x()</script></p>", public=False
    )
    assert favourite.note == "<p>So good</p>"
    actions.favourite_add(user=reader, target=story, note="Changed")  # an update, not a second one
    story.refresh_from_db()
    assert story.favourite_count == 1 and Favourite.objects.get().note == "<p>Changed</p>"
    actions.favourite_add(user=reader, target=author)
    assert actions.favourite_remove(user=reader, target=story)
    story.refresh_from_db()
    assert story.favourite_count == 0
    with pytest.raises(ActionRefused):
        # Not a target, on purpose: the action refuses it at run time too.
        actions.favourite_add(user=reader, target="a string")  # type: ignore[arg-type]


def test_the_favourites_page_hides_private_notes_from_others(client, make_story, author, reader):
    story = make_story(author, "Beloved")
    actions.favourite_add(user=reader, target=story, note="My secret note", public=False)
    actions.favourite_add(user=reader, target=author, note="Best writer", public=True)
    url = reverse("community:favourites", args=[reader.pk])
    page = client.get(url).content.decode()
    assert "Beloved" in page and "Best writer" in page and "My secret note" not in page
    client.force_login(reader)
    assert "My secret note" in client.get(url).content.decode()


def test_followers_hear_of_a_new_chapter_at_once(
    make_story, author, reader, other_author, django_capture_on_commit_callbacks
):
    story = make_story(author, "Followed")
    actions.subscribe(user=reader, target=story)
    actions.subscribe(user=other_author, target=author)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story)
    assert set(Notification.objects.values_list("user__pen_name", "kind")) == {
        ("Reader", "chapter"),
        ("Winter Fox", "chapter"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["reader@example.org", "winter.fox@example.org"]
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert "New chapter of Followed: Fresh." in message.body
    content, mimetype = message.alternatives[0]
    assert (
        mimetype == "text/html"
        and isinstance(content, str)
        and story.chapters.get(position=3).get_absolute_url() in content
    )


def test_unfollowed_and_unpublished_stories_are_quiet(
    make_story, author, reader, django_capture_on_commit_callbacks
):
    story = make_story(author, "Quiet")
    actions.subscribe(user=reader, target=story)
    actions.unsubscribe(user=reader, target=story)
    draft = make_story(author, "Draft", status="draft")
    actions.subscribe(user=reader, target=draft)
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story)
        add_chapter(draft)
    assert not Notification.objects.exists()


def test_daily_digest_sends_one_email_a_day(
    make_story, author, reader, django_capture_on_commit_callbacks
):
    choose_alerts(reader, "daily")
    story = make_story(author, "Digest")
    actions.favourite_add(user=reader, target=story)  # favourites alert too, as in eFiction
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story, "One")
        add_chapter(story, "Two")
    assert mail.outbox == []  # waiting for the digest
    with django_capture_on_commit_callbacks(execute=True):  # the digest is a job too
        call_command("send_digests")
    assert len(mail.outbox) == 1
    assert "One" in mail.outbox[0].body and "Two" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story, "Three")
    assert send_digests() == 0  # not again the same day
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=timezone.now() + timedelta(days=1)) == 1
    assert "Three" in mail.outbox[-1].body and "One" not in mail.outbox[-1].body


def test_alerts_off_means_the_page_only(
    make_story, author, reader, django_capture_on_commit_callbacks, client
):
    choose_alerts(reader, "off")
    story = make_story(author, "Silent")
    actions.subscribe(user=reader, target=story)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story)
    assert mail.outbox == [] and send_digests() == 0
    client.force_login(reader)
    page = client.get(reverse("community:notifications")).content.decode()
    assert "New chapter of Silent" in page and "unread" in page
    client.post(reverse("community:notifications"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_coauthor_invitation_notifies_and_emails_the_member(
    make_story, author, coauthor, django_capture_on_commit_callbacks
):
    story = make_story(author, "Shared Credit")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story_actions.coauthor_invite(story=story, user=coauthor, by=author)
    notification = Notification.objects.get(user=coauthor)
    assert notification.kind == "coauthor" and "Shared Credit" in notification.text
    assert notification.url == reverse("stories:mine")
    assert [m.to for m in mail.outbox] == [[coauthor.email]]
    assert "Accept or decline" in mail.outbox[0].body


def test_follow_and_favourite_buttons(client, make_story, author, reader):
    story = make_story(author)
    client.force_login(reader)
    assert client.post(reverse("community:follow", args=["story", story.pk])).status_code == 302
    assert client.post(reverse("community:follow", args=["author", author.pk])).status_code == 302
    assert reader.subscriptions.count() == 2
    client.post(
        reverse("community:favourite", args=["story", story.pk]), {"note": "Yes", "public": "on"}
    )
    assert reader.favourites.get().note == "<p>Yes</p>"
    assert client.post(reverse("community:follow", args=["planet", 1])).status_code == 404
    assert client.post(reverse("community:follow", args=["story", 999999])).status_code == 404
    page = client.get(reverse("community:following")).content.decode()
    assert story.title in page and author.pen_name in page


def test_the_following_page_leaves_out_stories_the_member_may_no_longer_see(
    client, make_story, author, reader
):
    kept = make_story(author, "Still Here")
    gone = make_story(author, "Taken Down")
    actions.subscribe(user=reader, target=kept)
    actions.subscribe(user=reader, target=gone)
    actions.subscribe(user=reader, target=author)
    Story.objects.filter(pk=gone.pk).update(status=Status.DRAFT)
    client.force_login(reader)
    page = client.get(reverse("community:following")).content.decode()
    assert "Still Here" in page and author.pen_name in page
    assert "Taken Down" not in page


def test_series_followers_hear_of_new_chapters(
    client, make_story, author, reader, django_capture_on_commit_callbacks, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    story = make_story(author, "In a Series")
    series = story_actions.series_create(owner=author, title="The Saga")
    story_actions.series_add(series=series, story=story)
    client.force_login(reader)
    url = reverse("series", args=[series.pk])
    assert "Follow this series" in client.get(url).content.decode()
    client.post(reverse("community:follow", args=["series", series.pk]), {"next": url})
    assert "Stop following" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story)
    assert Notification.objects.get(user=reader).kind == "chapter"


def test_a_scheduled_chapter_is_announced_once_its_time_comes(
    make_story, author, reader, django_capture_on_commit_callbacks
):
    story = make_story(author, "Scheduled")
    actions.subscribe(user=reader, target=story)
    soon = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = story_actions.chapter_add(
            story=story, title="Later", body="<p>Soon.</p>", release_at=soon
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert story_actions.release_due_chapters() == 0
    assert not Notification.objects.exists()  # not yet
    Chapter.objects.filter(pk=chapter.pk).update(release_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", "--once")  # one command releases the chapter and announces it
    assert Notification.objects.get(user=reader).text == "New chapter of Scheduled: Later."
    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", "--once")
    assert Notification.objects.count() == 1  # announced once


def test_a_chapter_validated_after_its_release_time_is_announced_once(
    make_story, author, reader, moderator, django_capture_on_commit_callbacks
):
    from fabula.moderation import actions as moderation_actions

    story = make_story(author, "Late Validation")
    actions.subscribe(user=reader, target=story)
    chapter = story_actions.chapter_add(
        story=story,
        title="Held",
        body="<p>Held.</p>",
        status="pending",
        release_at=timezone.now() + timedelta(hours=1),
    )
    Chapter.objects.filter(pk=chapter.pk).update(release_at=timezone.now() - timedelta(minutes=1))
    chapter.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.chapter_validate(chapter=chapter, by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        assert story_actions.release_due_chapters() == 1
    assert Notification.objects.filter(user=reader).count() == 1
