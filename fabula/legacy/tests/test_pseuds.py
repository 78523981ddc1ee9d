"""Pseuds leave the frozen eFiction pages as they were: a story signed with another pseud prints
its author's pen name in the printable view and the story index, byte for byte, and
`viewuser.php?uid=` still leads to the member's page (issue 14, item 4)."""

from __future__ import annotations

from django.core.cache import cache

from fabula.stories import actions

PAGES = (
    "/viewstory.php?action=printable&textsize=0&sid=1&chapter=all",
    "/viewstory.php?action=printable&textsize=0&sid=1&chapter=1",
    "/viewstory.php?sid=1&index=1",
)


def test_a_story_signed_with_a_pseud_keeps_its_legacy_markup(client, sid1, settings):
    settings.PAGE_CACHE_SECONDS = 0
    before = {url: client.get(url).content for url in PAGES}
    pen = actions.pseud_add(user=sid1.author, name="Harbour Light")
    actions.credit_sign(story=sid1.story, user=sid1.author, pseud=pen)
    cache.clear()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content == before[url], url
        assert b"Harbour Light" not in response.content
    # The member's old address leads to their account's page, which lists the pseud.
    response = client.get(f"/viewuser.php?uid={sid1.author.pk}", follow=True)
    assert response.status_code == 200
    assert "Harbour Light" in response.content.decode()
