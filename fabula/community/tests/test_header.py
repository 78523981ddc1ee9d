"""The header every page shares: the search box, the notifications bell with its unread count
(no query on a guest's page), and the member menu, which works without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fabula.community import actions
from fabula.notifications.actions import notify
from fabula.notifications.models import Notification

pytestmark = pytest.mark.django_db

# Everything the member menu must lead to.
MEMBER_MENU: list[tuple[str, list[int]]] = [
    ("stories:mine", []),
    ("community:history", []),
    ("community:later-list", []),
    ("community:following", []),
    ("community:blocks", []),
    ("accounts:preferences", []),
]


def header(page: str) -> str:
    match = re.search(r'<header class="site-header">.*?</header>', page, re.S)
    assert match is not None
    return match.group()


def alert(user, text="Someone replied to a review of Quiet Harbour.") -> Notification:
    return notify([user], kind=Notification.Kind.REPLY, text=text, url="/", email=False)[0]


@pytest.mark.parametrize("name", ["home", "browse", "authors", "accounts:login", "search:help"])
def test_every_page_has_the_search_box(client, name):
    top = header(client.get(reverse(name)).content.decode())
    assert f'action="{reverse("search:results")}"' in top and 'type="search" name="q"' in top


def test_the_bell_shows_the_unread_count_and_the_menu_every_members_page(client, reader):
    client.force_login(reader)
    top = header(client.get(reverse("home")).content.decode())
    assert f'href="{reverse("community:notifications")}"' in top
    assert "unread-count" not in top
    alert(reader)
    alert(reader, "New chapter of Quiet Harbour: Low Tide.")
    top = header(client.get(reverse("browse")).content.decode())
    assert re.search(r'class="count unread-count">2<span class="visually-hidden"> unread', top)
    # A <details> menu: it opens with the keyboard and without scripts.
    menu = re.search(r'<details class="member-menu">.*?</details>', top, re.S)
    assert menu is not None and "<summary>" in menu.group()
    for name, args in [*MEMBER_MENU, ("community:favourites", [reader.pk])]:
        assert f'href="{reverse(name, args=args)}"' in menu.group(), name
    assert f'action="{reverse("accounts:logout")}"' in menu.group()
    client.post(reverse("community:notifications"))  # mark all as read
    assert "unread-count" not in header(client.get(reverse("home")).content.decode())


def test_the_bell_costs_a_guest_no_query(client, reader, django_assert_num_queries, settings):
    """The unread count is asked only on members' pages: a guest's page makes no query at all
    once the site settings are cached (and one member page makes exactly one for the bell)."""
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("search:help"))
    with django_assert_num_queries(0):
        assert client.get(reverse("search:help")).status_code == 200
    client.force_login(reader)
    client.get(reverse("search:help"))
    with django_assert_num_queries(2) as captured:  # the session's member, then the bell
        client.get(reverse("search:help"))
    assert "community_notification" in captured.captured_queries[-1]["sql"]


def test_notifications_do_not_say_new_twice(client, reader):
    alert(reader, "New chapter of Quiet Harbour: Low Tide.")
    client.force_login(reader)
    page = client.get(reverse("community:notifications")).content.decode()
    assert "New chapter of Quiet Harbour" in page
    assert not re.search(r"New\s*(</span>)?\s*(<a [^>]*>)?\s*New", page)


def test_marked_for_later_has_its_own_list(client, reader, make_story, author):
    kept, other = make_story(author, "Kept For Later"), make_story(author, "Read Already")
    actions.reading_mark_for_later(user=reader, story=kept, later=True)
    actions.reading_save_position(user=reader, chapter=other.chapters.first(), position=0.5)
    client.force_login(reader)
    page = client.get(reverse("community:later-list")).content.decode()
    assert "Kept For Later" in page and "Read Already" not in page
    assert "<h1>Marked for later</h1>" in page


def test_top_lists_and_stats_are_in_the_site_menu(client):
    nav = re.search(
        r'<nav class="wrap site-nav"[^>]*>.*?</nav>',
        client.get(reverse("home")).content.decode(),
        re.S,
    )
    assert nav is not None
    for name in ("community:toplists", "community:stats"):
        assert f'href="{reverse(name)}"' in nav.group(), name
