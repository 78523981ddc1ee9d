"""A gift exchange end to end in chromium (issue 14, item 2): a maintainer makes an unrevealed,
anonymous exchange; three members sign up with offers and requests; the maintainer makes the
assignments; each member sees whom they write for and gives a story into the collection (one
through its story page's "Add to collection" first); a guest sees none of it; the maintainer
reveals; the guest sees the gifts and their authors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.collections.models import Assignment, Collection, CollectionItem, Signup
from fabula.test import make_user
from tests.browser.closing import close_quietly

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
WHEN = "%Y-%m-%dT%H:%M"


def test_a_gift_exchange_from_sign_up_to_reveal(
    browser, live_server, member_context, archive, make_story
):
    url = live_server.url
    keeper = make_user("Swap Keeper")
    members = [make_user(name) for name in ("Ash Tree", "Birch Bark", "Cedar Grove")]
    gifts = {m.pen_name: make_story(m, f"Gift from {m.pen_name.split()[0]}") for m in members}

    # The maintainer makes the exchange.
    maintainer = member_context(keeper).new_page()
    maintainer.goto(url + reverse("collections:list"))
    maintainer.get_by_role("link", name="New collection").click()
    maintainer.fill("#id_title", "Winter Swap")
    maintainer.fill("#id_name", "winter-swap")
    maintainer.fill("#id_summary", "Write for a friend.")
    maintainer.select_option("#id_kind", "exchange")
    maintainer.select_option("#id_openness", "moderated")
    maintainer.check("#id_unrevealed")
    maintainer.check("#id_anonymous")
    maintainer.fill("#id_signup_closes", (timezone.now() + timedelta(days=3)).strftime(WHEN))
    maintainer.fill("#id_deadline", (timezone.now() + timedelta(days=20)).strftime(WHEN))
    maintainer.get_by_role("button", name="Create").click()
    maintainer.wait_for_url(url + "/collections/winter-swap/")
    collection = Collection.objects.get(name="winter-swap")
    assert collection.unrevealed and collection.anonymous and collection.is_exchange

    # Three members sign up: each offers what the next one requests.
    choices = [("Jim", "Pam"), ("Pam", "The Office"), ("The Office", "Jim")]
    pages = {}
    for member, (offer, request) in zip(members, choices, strict=True):
        page = member_context(member).new_page()
        pages[member.pen_name] = page
        page.goto(url + collection.get_absolute_url())
        page.get_by_role("link", name="Sign up").click()
        page.locator("#id_offers").get_by_label(offer, exact=True).check()
        page.locator("#id_requests").get_by_label(request, exact=True).check()
        page.fill("#id_notes", f"Something with {request}, please.")
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(url + collection.get_absolute_url())
        assert "You are signed up." in page.content()
    assert Signup.objects.filter(collection=collection).count() == 3

    # The maintainer matches them.
    maintainer.goto(url + collection.get_absolute_url())
    maintainer.get_by_role("link", name="Sign-ups and assignments").click()
    maintainer.get_by_role("button", name="Make the assignments").click()
    assert "3 assignments made." in maintainer.content()
    assignments = {
        a.giver.pen_name: a for a in Assignment.objects.select_related("giver", "recipient")
    }
    assert {(g, a.recipient.pen_name) for g, a in assignments.items()} == {
        ("Ash Tree", "Cedar Grove"),
        ("Birch Bark", "Ash Tree"),
        ("Cedar Grove", "Birch Bark"),
    }
    assert all(a.overlap == 1 for a in assignments.values())

    # Ash puts the gift in from the story's own page first; then each gives it.
    ash = pages["Ash Tree"]
    ash.goto(url + reverse("stories:manage", args=[gifts["Ash Tree"].pk]))
    ash.fill("#id_collection", "winter-swap")
    ash.get_by_role("button", name="Add to collection").click()
    assert "Offered to Winter Swap" in ash.content()
    for name, page in pages.items():
        page.goto(url + collection.get_absolute_url())
        page.get_by_role("link", name="My assignment").click()
        recipient = assignments[name].recipient.pen_name
        assert f"You are writing for {recipient}." in page.locator(".assignment").inner_text()
        page.select_option("#id_story", str(gifts[name].pk))
        page.get_by_role("button", name="Give it").click()
        assert "Your gift is in the collection." in page.content()
    assert (
        CollectionItem.objects.filter(
            collection=collection, author_approved=True, collection_approved=True
        ).count()
        == 3
    )

    # A guest sees nothing of it: not in the collection, not in the lists, not at its address.
    guest_context = browser.new_context(viewport=DESKTOP)
    guest = guest_context.new_page()
    guest.goto(url + collection.get_absolute_url())
    assert "No works to show yet." in guest.content()
    for address in (reverse("recent"), reverse("browse")):
        guest.goto(url + address)
        assert "Gift from" not in guest.content()
    assert guest.goto(url + reverse("story", args=[gifts["Ash Tree"].pk])).status == 404

    # The maintainer sees the gifts, signed "Anonymous", and reveals.
    maintainer.goto(url + collection.get_absolute_url())
    works = maintainer.locator(".collection-works")
    assert works.locator(".story-card").count() == 3
    assert "Ash Tree" not in works.inner_text() and "Anonymous" in works.inner_text()
    maintainer.get_by_role("button", name="Reveal works and authors").click()
    assert "Revealed." in maintainer.content()

    # Now the guest reads them, with their authors.
    guest.goto(url + collection.get_absolute_url())
    cards = guest.locator(".collection-works").inner_text()
    for name, story in gifts.items():
        assert story.title in cards and name in cards
    guest.goto(url + reverse("recent"))
    assert "Gift from Ash" in guest.content()
    assert guest.goto(url + reverse("story", args=[gifts["Ash Tree"].pk])).status == 200
    close_quietly(guest_context)
