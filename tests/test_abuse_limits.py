"""Abuse limits (issue 17, Medium 10 and What-to-build 4): every write is limited per member or
per address, with a 429 page that says when to retry (and a Retry-After header), counted from
the one table in `lib/limits.py`; a changed User-Agent is the same guest for reads and kudos."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fabula.accounts.models import User
from fabula.community.models import Kudos, Review
from fabula.lib import limits
from fabula.lib.ratelimit import Limit
from fabula.moderation.models import Report
from fabula.stories.models import Story
from fabula.stories.reads import flush_reads
from fabula.test import PASSWORD, set_site

GUEST = "198.51.100.7"


@pytest.fixture(autouse=True)
def stopped_clock(clock):
    """No count window ends in the middle of a test (a minute's searches, say)."""


def guest(address: str = GUEST, agent: str = "Browser/1.0") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def assert_refused_with_when(response) -> None:
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 3600
    assert "try again in" in response.content.decode()


@dataclass
class Kind:
    """One kind of write: its limit, how to send one (n-th), and how many were made."""

    limit: Limit
    member: bool
    send: Callable[[Client, int], object]
    made: Callable[[], int]


@pytest.fixture
def kinds(make_story, author, reader) -> dict[str, Kind]:
    story = make_story(author, "Limited", chapters=1)
    set_site(anonymous_reviews=True)

    def review(client: Client, n: int):
        url = reverse("community:review-new", args=[story.pk])
        return client.post(url, {"name": "Guest", "body": f"Review {n}", "website": ""})

    def report(client: Client, n: int):
        url = reverse("moderation:report", args=["story", story.pk])
        return client.post(url, {"reason": f"Reason {n}"})

    def kudos(client: Client, n: int):
        # Kudos go once per story: each one on a story of its own.
        target = make_story(author, f"Kudos {n}", chapters=1)
        return client.post(reverse("community:kudos", args=[target.pk]))

    def register(client: Client, n: int):
        client.logout()
        return client.post(
            reverse("accounts:register"),
            {
                "pen_name": f"Joiner {n}",
                "email": f"joiner{n}@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "age": "on",
                "terms": "on",
            },
        )

    def search(client: Client, n: int):
        return client.get(reverse("search:results"), {"q": f"term{n}"})

    return {
        "guest review": Kind(limits.REVIEWS.guest, False, review, Review.objects.count),
        "member review": Kind(limits.REVIEWS.member, True, review, Review.objects.count),
        "guest report": Kind(limits.REPORTS.guest, False, report, Report.objects.count),
        "member report": Kind(limits.REPORTS.member, True, report, Report.objects.count),
        "guest kudos": Kind(limits.KUDOS.guest, False, kudos, Kudos.objects.count),
        "member kudos": Kind(limits.KUDOS.member, True, kudos, Kudos.objects.count),
        "registration": Kind(limits.REGISTRATIONS, False, register, User.objects.count),
        "guest search": Kind(limits.SEARCHES.guest, False, search, lambda: 0),
        "member search": Kind(limits.SEARCHES.member, True, search, lambda: 0),
    }


@pytest.mark.parametrize(
    "name",
    [
        "guest review",
        "member review",
        "guest report",
        "member report",
        "guest kudos",
        "member kudos",
        "registration",
        "guest search",
        "member search",
    ],
)
def test_each_write_is_limited_with_a_429_that_says_when(name, kinds, reader, settings):
    """60 guest reports in 0.7 s were all taken; now the limit's count goes through and the
    next is refused, and nothing of it is stored."""
    kind = kinds[name]
    client = guest()
    if kind.member:
        client.force_login(reader)
    before = kind.made()
    for n in range(kind.limit.allowed):
        assert kind.send(client, n).status_code in (200, 302), n
    made = kind.made()
    assert made == (before if "search" in name else before + kind.limit.allowed)
    assert_refused_with_when(kind.send(client, 999))
    assert kind.made() == made
    if not kind.member:  # another address is another guest
        assert kind.send(guest("192.0.2.99"), 1000).status_code in (200, 302)


def test_a_guest_search_served_from_the_cache_is_not_counted(client, author, make_story):
    make_story(author, "Cached")
    url = reverse("search:results")
    for _ in range(limits.SEARCHES.guest.allowed + 10):
        assert client.get(url, {"q": "cached"}).status_code == 200


def test_password_reset_mail_is_limited_per_address_and_per_mailbox(reader):
    """Thirty reset mails went out in a second."""
    url = reverse("accounts:password_reset")
    per_mailbox = limits.PASSWORD_RESET_MAILS.allowed
    for n in range(per_mailbox):  # from different addresses, to one mailbox
        response = guest(f"203.0.113.{n}").post(url, {"email": reader.email})
        assert response.status_code == 302
    assert_refused_with_when(guest("203.0.113.200").post(url, {"email": reader.email}))
    assert len(mail.outbox) == per_mailbox
    one = guest("203.0.113.201")
    for n in range(limits.PASSWORD_RESETS.allowed):  # from one address, to many mailboxes
        assert one.post(url, {"email": f"nobody{n}@example.org"}).status_code == 302
    assert_refused_with_when(one.post(url, {"email": "nobody-else@example.org"}))


def test_every_form_sent_counts_against_one_ceiling(db, settings):
    """Writes without a limit of their own (any POST) still have the WRITES ceiling."""
    settings.FABULA_LIMITS_SCALE = 0.1  # 6 forms for a guest, to keep the test short
    client = guest()
    for _ in range(limits.WRITES.guest.allowed):
        assert client.post(reverse("search:results")).status_code != 429
    assert_refused_with_when(client.post(reverse("search:results")))
    assert client.get(reverse("home")).status_code == 200  # reading goes on


def test_a_changed_user_agent_is_the_same_guest_for_reads_and_kudos(make_story, author):
    story = make_story(author, chapters=1)
    chapter = reverse("chapter", args=[story.pk, story.chapters.get().pk])
    for agent in ("Firefox/1", "Chrome/2", "curl/8", "Bot/9"):
        reader = guest(agent=agent)
        assert reader.get(chapter).status_code == 200
        reader.post(reverse("community:kudos", args=[story.pk]))
    guest("192.0.2.1").get(chapter)
    flush_reads()
    story = Story.objects.get(pk=story.pk)
    assert story.read_count == 2  # two addresses, not five agents
    assert story.kudos_count == 1 == Kudos.objects.filter(story=story).count()
