"""The tag type-ahead in a real browser (tag-suggest.js): typing in the post form's additional
tags, and in a wrangling form, offers the kind's canonical tags first, a synonym typed offering
its canonical tag."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from fabula.taxonomy import actions
from fabula.taxonomy.models import Tag
from fabula.test import make_user

pytestmark = pytest.mark.browser


def options(page, input_selector: str, seconds: float = 5.0) -> list[tuple[str, str]]:
    """The (value, label) of the input's datalist options, once the answer has come (polled
    from Python: the page's CSP refuses string predicates)."""
    deadline = time.monotonic() + seconds
    while True:
        list_id = page.get_attribute(input_selector, "list")
        found = page.locator(f"datalist#{list_id} option") if list_id else None
        if found is not None and found.count():
            return [(o.get_attribute("value"), o.get_attribute("label")) for o in found.all()]
        if time.monotonic() > deadline:
            return []
        time.sleep(0.05)


def test_typing_a_tag_offers_canonical_tags_first(browser, live_server, member_context, archive):
    kind = actions.kind_of_role(role="freeform", name="Tags")
    [loose, keeper] = actions.freeform_tags(names=["Keepsake", "Lighthouse Keeper"])
    actions.tag_make_canonical(tag=keeper, by=None)
    Tag.objects.create(kind=kind, name="Keeper of Lights", synonym_of=keeper)
    author = make_user("Lamp Writer")
    page = member_context(author).new_page()
    page.goto(live_server.url + reverse("stories:new"))
    page.fill("#id_freeform", "slow burn, keep")
    assert options(page, "#id_freeform") == [
        ("slow burn, Lighthouse Keeper", "Lighthouse Keeper (as Keeper of Lights)"),
        ("slow burn, Keepsake", "Keepsake (not wrangled)"),
    ]

    wrangler = make_user("Tag Wrangler", wrangler=True)
    page = member_context(wrangler).new_page()
    page.goto(live_server.url + reverse("stories:wrangle-tag", args=[loose.pk]))
    page.fill("#merge-name", "lighthouse")
    assert options(page, "#merge-name") == [("Lighthouse Keeper", "Lighthouse Keeper")]
    page.fill("#merge-name", "Lighthouse Keeper")  # as choosing the option does
    with page.expect_navigation():
        page.get_by_role("button", name="Merge", exact=True).click()
    assert "merged into “Lighthouse Keeper”" in page.content()
    assert Tag.objects.get(pk=loose.pk).synonym_of_id == keeper.pk
