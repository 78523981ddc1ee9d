"""Every write URL, tried by every kind of visitor: who may, who may not, and that a refusal
changes nothing.

Personas: a guest, a reader, the story's main author, its co-author, another author, a
moderator and an administrator. For each URL the table below says which personas may do it
(`ok`: a redirect after the change, and something in the database changed); the rest must be
refused (`login`: a guest is sent to log in; 403: seen but not allowed; 404: not even visible)
with the database exactly as it was. Each persona's try runs in a transaction rolled back
afterwards, so every persona meets the same archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fabula.accounts.models import User
from fabula.audit.models import AuditEntry
from fabula.community import actions as community_actions
from fabula.community.models import ReadingList, ReadingListEntry, Review
from fabula.moderation.models import Report
from fabula.stories import actions
from fabula.stories.models import (
    Challenge,
    Chapter,
    CoauthorInvite,
    Gift,
    Series,
    SeriesEntry,
    Status,
    Story,
    StoryAuthor,
    StoryRelation,
    StoryTag,
)
from fabula.test import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reader", "author", "coauthor", "other_author", "moderator", "admin"]
MEMBERS = PERSONAS[1:]
EDITORS = ["author", "coauthor", "moderator", "admin"]
MAIN = ["author", "moderator", "admin"]
STAFF = ["moderator", "admin"]
OWNER = ["author", "admin"]
WATCHED = [
    Story,
    Chapter,
    StoryAuthor,
    StoryTag,
    Series,
    SeriesEntry,
    CoauthorInvite,
    Challenge,
    Review,
    Report,
    AuditEntry,
    Gift,
    StoryRelation,
    ReadingList,
    ReadingListEntry,
]


@dataclass
class World:
    people: dict
    story: Story
    draft: Story
    pending: Story
    series: Series
    entry: SeriesEntry
    invite: CoauthorInvite
    review: Review
    report: Report
    target: User
    hidden: Story
    ids: dict = field(default_factory=dict)


@pytest.fixture
def world(archive, author, coauthor, other_author, reader, moderator, admin_user, make_story):
    people = {
        "reader": reader,
        "author": author,
        "coauthor": coauthor,
        "other_author": other_author,
        "moderator": moderator,
        "admin": admin_user,
    }
    story = make_story(author, "Matrix", chapters=2, coauthors=[coauthor])
    draft = make_story(author, "Drawer", chapters=1, status=Status.DRAFT, coauthors=[coauthor])
    pending = make_story(author, "Queue", chapters=1, status=Status.PENDING, coauthors=[coauthor])
    Chapter.objects.filter(story=pending).update(status=Status.PENDING)
    series = actions.series_create(owner=author, title="Closed series")
    inner = actions.series_create(owner=author, title="Inner series")
    entry = actions.series_add(series=series, story=story, confirmed=False)
    invite = actions.coauthor_invite(story=draft, user=other_author, by=author)
    review = Review.objects.create(story=story, user=reader, name="Reader", body="<p>Nice</p>")
    report = Report.objects.create(story=story, reason="Check this")
    target = make_user("Target Member")
    hidden = make_story(author, "Hidden", chapters=1, status=Status.HIDDEN)
    Story.objects.filter(pk=hidden.pk).update(status_before_hiding=Status.PUBLISHED)
    world = World(
        people, story, draft, pending, series, entry, invite, review, report, target, hidden
    )
    world.ids["inner"] = inner.pk
    # A gift to the reader; another author's story inspired by the story (waiting for its
    # authors); the reader's private reading list holding it.
    world.ids["gift"] = actions.gift_give(story=story, recipient=reader, by=author).pk
    derived = make_story(other_author, "Derived", chapters=1)
    world.ids["derived"] = derived.pk
    world.ids["relation"] = actions.relation_add(
        story=derived, kind="inspired", to=str(story.pk), by=other_author
    ).pk
    reading_list = community_actions.reading_list_create(owner=reader, name="Recs")
    world.ids["list"] = reading_list.pk
    world.ids["entry"] = community_actions.reading_list_add(
        reading_list=reading_list, story=story
    ).pk
    world.ids["ch1"], world.ids["ch2"] = story.chapters.order_by("position").values_list(
        "pk", flat=True
    )
    return world


def chapter_form(**extra):
    return {
        "title": "New",
        "text_format": "html",
        "body": "<p>Some new text.</p>",
        "notes": "",
        "end_notes": "",
        **extra,
    }


def story_form(archive):
    return {
        "title": "Changed",
        "summary": "",
        "notes": "",
        "rating": archive.general.pk,
        "tags_categories": [archive.fandom.pk],
    }


def new_story_form(archive):
    return {
        **story_form(archive),
        "chapter-title": "One",
        "chapter-text_format": "html",
        "chapter-body": "<p>Words.</p>",
        "publish": "1",
    }


# name -> (url builder, data builder, personas allowed, answer for the refused who are members)
def cases(w: World, archive) -> dict:
    s, ch1, ch2 = w.story.pk, w.ids["ch1"], w.ids["ch2"]
    later = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return {
        "story new": (reverse("stories:new"), new_story_form(archive), MEMBERS, 403),
        "story edit": (reverse("stories:edit", args=[s]), story_form(archive), EDITORS, 403),
        "story submit (draft)": (reverse("stories:submit", args=[w.draft.pk]), {}, EDITORS, 404),
        "story delete": (reverse("stories:delete", args=[s]), {}, MAIN, 403),
        "chapter new": (reverse("stories:chapter-new", args=[s]), chapter_form(), EDITORS, 403),
        "chapter edit": (
            reverse("stories:chapter-edit", args=[s, ch1]),
            chapter_form(),
            EDITORS,
            403,
        ),
        "chapter delete": (reverse("stories:chapter-delete", args=[s, ch2]), {}, EDITORS, 403),
        "chapter reorder": (
            reverse("stories:reorder", args=[s]),
            {f"chapter_{ch1}": 2, f"chapter_{ch2}": 1},
            EDITORS,
            403,
        ),
        "chapter schedule": (
            reverse("stories:chapter-schedule", args=[s, ch2]),
            {"release_at": later},
            EDITORS,
            403,
        ),
        "coauthor invite": (
            reverse("stories:invite", args=[s]),
            {"pen_name": "Target Member"},
            MAIN,
            403,
        ),
        "coauthor remove": (
            reverse("stories:coauthor-remove", args=[s, w.people["coauthor"].pk]),
            {},
            MAIN,
            403,
        ),
        "coauthor leaves": (reverse("stories:leave", args=[s]), {}, ["coauthor"], 403),
        "invite accept": (
            reverse("stories:invite-answer", args=[w.invite.pk, "accept"]),
            {},
            ["other_author"],
            404,
        ),
        "invite decline": (
            reverse("stories:invite-answer", args=[w.invite.pk, "decline"]),
            {},
            ["other_author"],
            404,
        ),
        "series new": (
            reverse("stories:series-new"),
            {"title": "S", "openness": "open"},
            MEMBERS,
            403,
        ),
        "series edit": (
            reverse("stories:series-manage", args=[w.series.pk]),
            {"title": "Renamed", "openness": "open"},
            OWNER,
            403,
        ),
        # An admin may add to any series, but only works of their own, and has none here: the
        # form refuses the author's series and nothing changes.
        "series add": (
            reverse("stories:series-add", args=[w.series.pk]),
            {"subseries": w.ids["inner"]},
            ["author"],
            {"admin": 302},
        ),
        "series confirm": (
            reverse("stories:series-entry", args=[w.series.pk, w.entry.pk, "confirm"]),
            {},
            OWNER,
            403,
        ),
        "series remove": (
            reverse("stories:series-entry", args=[w.series.pk, w.entry.pk, "remove"]),
            {},
            OWNER,
            403,
        ),
        "series delete": (reverse("stories:series-delete", args=[w.series.pk]), {}, OWNER, 403),
        "challenge new": (reverse("stories:challenge-new"), {"title": "Dare"}, MEMBERS, 403),
        # Anyone but the series' owner may review it (guests only with anonymous reviews on).
        "series review": (
            reverse("community:series-review-new", args=[w.series.pk]),
            {"body": "A good run."},
            [p for p in MEMBERS if p != "author"],
            403,
        ),
        "validate story": (
            reverse("moderation:story", args=[w.pending.pk, "validate"]),
            {},
            STAFF,
            403,
        ),
        "reject story": (
            reverse("moderation:story", args=[w.pending.pk, "reject"]),
            {"reason": "No"},
            STAFF,
            403,
        ),
        "hide story": (reverse("moderation:story", args=[s, "hide"]), {}, STAFF, 403),
        "hide chapter": (reverse("moderation:chapter", args=[ch1, "hide"]), {}, STAFF, 403),
        "hide review": (reverse("moderation:review", args=[w.review.pk, "hide"]), {}, STAFF, 403),
        "lock member": (reverse("moderation:member", args=[w.target.pk, "lock"]), {}, STAFF, 403),
        "ban member": (reverse("moderation:member", args=[w.target.pk, "ban"]), {}, STAFF, 403),
        "trust member": (reverse("moderation:member", args=[w.target.pk, "trust"]), {}, STAFF, 403),
        "unhide story": (reverse("moderation:story", args=[w.hidden.pk, "unhide"]), {}, STAFF, 403),
        "resolve report": (
            reverse("moderation:report-close", args=[w.report.pk, "resolve"]),
            {},
            STAFF,
            403,
        ),
        "report story": (
            reverse("moderation:report", args=["story", s]),
            {"reason": "Spam"},
            PERSONAS,
            403,
        ),
        "profile": (
            reverse("accounts:profile"),
            {"real_name": "X", "email": "x@example.org", "website": "", "bio": ""},
            MEMBERS,
            403,
        ),
        "preferences": (
            reverse("accounts:preferences"),
            {"theme": "dark", "text_size": "110", "default_sort": "", "alerts": "daily"},
            MEMBERS,
            403,
        ),
        "password change": (
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "another long passphrase",
                "new_password2": "another long passphrase",
            },
            MEMBERS,
            403,
        ),
        "account delete": (
            reverse("account-delete"),
            {"stories": "orphan", "password": PASSWORD},
            MEMBERS,
            403,
        ),
        "gift refuse": (
            reverse("stories:gift-refuse", args=[w.ids["gift"]]),
            {},
            ["reader"],
            404,
        ),
        "relation approve": (
            reverse("stories:relation-answer", args=[w.ids["relation"], "approve"]),
            {},
            ["author", "coauthor"],
            404,
        ),
        "relation remove": (
            reverse("stories:relation-remove", args=[w.ids["derived"], w.ids["relation"]]),
            {},
            ["other_author", "moderator", "admin"],
            403,
        ),
        "reading list new": (
            reverse("community:reading-lists-mine"),
            {"name": "Another list"},
            MEMBERS,
            403,
        ),
        # A list is for others' stories: the story's authors are told so (400), nothing made.
        "reading list add": (
            reverse("community:reading-list-add", args=[s]),
            {"new_list": "Fresh list"},
            ["reader", "other_author", "moderator", "admin"],
            400,
        ),
        "reading list edit": (
            reverse("community:reading-list-edit", args=[w.ids["list"]]),
            {"settings": "1", "name": "Renamed"},
            ["reader"],
            404,
        ),
        "reading list remove": (
            reverse("community:reading-list-remove", args=[w.ids["list"], w.ids["entry"]]),
            {},
            ["reader"],
            404,
        ),
        "reading list delete": (
            reverse("community:reading-list-delete", args=[w.ids["list"]]),
            {},
            ["reader"],
            404,
        ),
    }


def fingerprint() -> list:
    rows = [sorted(map(repr, model.objects.values_list())) for model in WATCHED]
    rows.append(
        sorted(
            map(
                repr,
                User.objects.values_list(
                    "pk",
                    "pen_name",
                    "password",
                    "email",
                    "real_name",
                    "bio",
                    "website",
                    "is_active",
                    "locked",
                    "trusted",
                    "theme",
                    "text_size",
                    "default_sort",
                    "age_consent",
                    "alerts",
                ),
            )
        )
    )
    return rows


CASE_NAMES = [
    "story new",
    "story edit",
    "story submit (draft)",
    "story delete",
    "chapter new",
    "chapter edit",
    "chapter delete",
    "chapter reorder",
    "chapter schedule",
    "coauthor invite",
    "coauthor remove",
    "coauthor leaves",
    "invite accept",
    "invite decline",
    "series new",
    "series edit",
    "series add",
    "series confirm",
    "series remove",
    "series delete",
    "challenge new",
    "series review",
    "validate story",
    "reject story",
    "hide story",
    "hide chapter",
    "hide review",
    "lock member",
    "ban member",
    "trust member",
    "unhide story",
    "resolve report",
    "report story",
    "profile",
    "preferences",
    "password change",
    "account delete",
    "gift refuse",
    "relation approve",
    "relation remove",
    "reading list new",
    "reading list add",
    "reading list edit",
    "reading list remove",
    "reading list delete",
]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_write_url(world, archive, name, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    url, data, allowed, refusal = cases(world, archive)[name]
    outcomes = {}
    for persona in PERSONAS:
        cache.clear()
        client = Client()
        if persona != "anonymous":
            client.force_login(world.people[persona])
        with transaction.atomic():
            before = fingerprint()
            response = client.post(url, data)
            changed = fingerprint() != before
            transaction.set_rollback(True)
        if persona in allowed:
            expected = (302, True)
        elif persona == "anonymous":
            expected = ("login", False)
        elif isinstance(refusal, dict):
            expected = (refusal.get(persona, 403), False)
        else:
            expected = (refusal, False)
        status = response.status_code
        if status == 302 and "/accounts/login/" in response["Location"]:
            status = "login"
        outcomes[persona] = ((status, changed), expected)
    wrong = {p: got for p, (got, expected) in outcomes.items() if got != expected}
    assert not wrong, f"{name}: got {wrong}, expected { ({p: outcomes[p][1] for p in wrong}) }"


def test_matrix_covers_every_case(world, archive):
    assert sorted(cases(world, archive)) == sorted(CASE_NAMES)
    assert len(CASE_NAMES) * len(PERSONAS) >= 200


@pytest.mark.parametrize("name", CASE_NAMES)
def test_write_url_needs_csrf(world, archive, name):
    url, data, allowed, _ = cases(world, archive)[name]
    client = Client(enforce_csrf_checks=True)
    persona = "admin" if "admin" in allowed else allowed[-1]
    if persona != "anonymous":
        client.force_login(world.people[persona])
    before = fingerprint()
    assert client.post(url, data).status_code == 403
    assert fingerprint() == before
