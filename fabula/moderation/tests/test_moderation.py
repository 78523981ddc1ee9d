"""Staff at work: category-limited moderators, reports, hiding, locking, banning, the audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.audit.models import AuditEntry
from fabula.community.models import Review
from fabula.moderation.models import Report
from fabula.stories.models import Status
from fabula.test import PASSWORD, chapter_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(make_story, author, archive):
    return make_story(
        author, "Waiting", status=Status.PENDING, tags=[archive.subfandom, archive.jim]
    )


def test_moderator_limited_to_categories(client, moderator, pending, archive):
    moderator.moderated_categories.set([archive.other_fandom])
    client.force_login(moderator)
    assert "Waiting" not in client.get(reverse("moderation:queue")).content.decode()
    response = client.post(reverse("moderation:story", args=[pending.pk, "validate"]))
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    # A sub-category belongs to its parent category.
    moderator.moderated_categories.set([archive.fandom])
    assert "Waiting" in client.get(reverse("moderation:queue")).content.decode()
    client.post(reverse("moderation:story", args=[pending.pk, "validate"]))
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (moderator, "validate", pending.pk)


def test_hide_and_unhide_story(client, moderator, make_story, author):
    story = make_story(author, "Visible")
    client.force_login(moderator)
    client.post(reverse("moderation:story", args=[story.pk, "hide"]), {"reason": "Plagiarism"})
    story.refresh_from_db()
    assert story.status == Status.HIDDEN
    # Hidden from the public, and its author may no longer edit it.
    client.force_login(author)
    assert client.get(reverse("stories:edit", args=[story.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("story", args=[story.pk])).status_code == 404
    client.force_login(moderator)
    client.post(reverse("moderation:story", args=[story.pk, "unhide"]))
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "reason")) == [
        ("hide", "Plagiarism"),
        ("unhide", ""),
    ]


def test_hide_chapter_recounts(client, moderator, make_story, author):
    story = make_story(author, chapters=2)
    chapter = story.chapters.get(position=2)
    client.force_login(moderator)
    client.post(reverse("moderation:chapter", args=[chapter.pk, "hide"]))
    story.refresh_from_db()
    assert story.chapter_count == 1
    client.logout()
    assert client.get(chapter_url(story.pk, 2)).status_code == 404


def test_guest_reports_a_story_and_staff_resolve_it(client, moderator, make_story, author):
    story = make_story(author)
    url = reverse("moderation:report", args=["story", story.pk])
    response = client.post(url, {"reason": ""})
    assert "Say what is wrong" in response.content.decode()
    assert not Report.objects.exists()
    client.post(url, {"reason": "Copied from elsewhere"})
    report = Report.objects.get()
    assert report.story == story and report.reporter is None
    client.force_login(moderator)
    assert "Copied from elsewhere" in client.get(reverse("moderation:reports")).content.decode()
    client.post(reverse("moderation:report-close", args=[report.pk, "resolve"]))
    report.refresh_from_db()
    assert report.state == Report.State.RESOLVED and report.handled_by == moderator


def test_report_of_an_invisible_story_is_404(client, pending):
    response = client.post(
        reverse("moderation:report", args=["story", pending.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert client.get(reverse("moderation:report", args=["nonsense", 1])).status_code == 404


def test_report_and_hide_a_review(client, reader, moderator, make_story, author):
    story = make_story(author)
    review = Review.objects.create(story=story, user=reader, name="Reader", body="<p>Rude</p>")
    client.post(reverse("moderation:report", args=["review", review.pk]), {"reason": "Rude"})
    assert Report.objects.get().review == review
    client.force_login(moderator)
    client.post(reverse("moderation:review", args=[review.pk, "hide"]))
    review.refresh_from_db()
    assert review.hidden


def test_lock_stops_posting_ban_stops_login(client, moderator, author, archive):
    client.force_login(moderator)
    client.post(reverse("moderation:member", args=[author.pk, "lock"]), {"reason": "Spam"})
    client.force_login(author)
    assert client.get(reverse("stories:new")).status_code == 403
    client.force_login(moderator)
    client.post(reverse("moderation:member", args=[author.pk, "ban"]))
    client.logout()
    client.post(reverse("accounts:login"), {"username": author.pen_name, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "lock",
        "ban",
    ]


def test_moderator_cannot_ban_admin_or_moderator(client, moderator, admin_user, other_author):
    from fabula.accounts.models import User

    other_mod = User.objects.create_user(
        "Second Mod", "m2@example.org", PASSWORD, level=User.Level.MODERATOR
    )
    client.force_login(moderator)
    for target in (admin_user, other_mod, moderator):
        assert client.post(reverse("moderation:member", args=[target.pk, "ban"])).status_code == 403
        target.refresh_from_db()
        assert target.is_active
    client.force_login(admin_user)
    client.post(reverse("moderation:member", args=[other_mod.pk, "ban"]))
    other_mod.refresh_from_db()
    assert not other_mod.is_active


def test_staff_pages_refuse_members(client, reader):
    client.force_login(reader)
    for name in ("moderation:queue", "moderation:reports", "moderation:log", "moderation:members"):
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse("moderation:queue")).status_code == 302


def test_waiting_chapter_of_a_public_story(client, moderator, make_story, author):
    from fabula.stories import actions

    story = make_story(author, "Public", chapters=1)
    chapter = actions.chapter_post(story=story, by=author, title="Two", body="<p>More.</p>")
    assert chapter.status == Status.PENDING
    client.force_login(moderator)
    assert "Two" in client.get(reverse("moderation:queue")).content.decode()
    client.post(reverse("moderation:chapter", args=[chapter.pk, "reject"]), {"reason": "Typos"})
    chapter.refresh_from_db()
    story.refresh_from_db()
    assert chapter.status == Status.DRAFT and story.moderation_note == "Typos"
    Chapter = type(chapter)
    Chapter.objects.filter(pk=chapter.pk).update(status=Status.PENDING)
    client.post(reverse("moderation:chapter", args=[chapter.pk, "validate"]))
    story.refresh_from_db()
    assert story.chapter_count == 2
    client.logout()
    assert client.get(chapter_url(story.pk, 2)).status_code == 200


def test_unknown_verbs_and_ids_are_404(client, moderator, make_story, author):
    story = make_story(author)
    client.force_login(moderator)
    assert client.post(reverse("moderation:story", args=[story.pk, "explode"])).status_code == 404
    assert client.post(reverse("moderation:story", args=[999999, "hide"])).status_code == 404
    assert client.post(reverse("moderation:member", args=[999999, "ban"])).status_code == 404
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED


def test_story_page_links_to_the_report_form(client, make_story, author):
    story = make_story(author)
    page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert reverse("moderation:report", args=["story", story.pk]) in page


def test_staff_editing_an_authors_story_is_audited(client, moderator, make_story, author, archive):
    story = make_story(author, "Theirs")
    client.force_login(author)
    client.post(
        reverse("stories:edit", args=[story.pk]),
        {
            "title": "Theirs, by the author",
            "rating": archive.general.pk,
            "tags_categories": [archive.fandom.pk],
        },
    )
    assert not AuditEntry.objects.exists()
    client.force_login(moderator)
    client.post(
        reverse("stories:edit", args=[story.pk]),
        {
            "title": "Theirs, fixed by staff",
            "rating": archive.general.pk,
            "tags_categories": [archive.fandom.pk],
        },
    )
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (moderator, "edit story", story.pk)


def test_trusted_member_skips_the_queue(client, moderator, author, archive):
    from fabula.stories.tests.posting_support import newest_story, post_story

    client.force_login(moderator)
    client.post(reverse("moderation:member", args=[author.pk, "trust"]))
    author.refresh_from_db()
    assert author.trusted
    client.force_login(author)
    post_story(client, archive)
    assert newest_story().status == Status.PUBLISHED


def test_staff_hide_from_the_manage_page(client, moderator, make_story, author):
    story = make_story(author)
    client.force_login(moderator)
    page = client.get(reverse("stories:manage", args=[story.pk])).content.decode()
    assert "Hide the story (staff)" in page
    client.post(
        reverse("moderation:story", args=[story.pk, "hide"]),
        {"reason": "Check", "next": reverse("stories:manage", args=[story.pk])},
    )
    story.refresh_from_db()
    assert story.status == Status.HIDDEN
    page = client.get(reverse("stories:manage", args=[story.pk])).content.decode()
    assert "Unhide the story (staff)" in page


def test_a_button_goes_back_only_to_a_page_of_this_site(client, moderator, make_story, author):
    story = make_story(author)
    client.force_login(moderator)
    for elsewhere in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        response = client.post(
            reverse("moderation:story", args=[story.pk, "hide"]), {"next": elsewhere}
        )
        assert response.headers["Location"] == reverse("moderation:queue")
