"""A story's header is kept between its pages (`selectors.story_header`), and every write that
changes what it shows makes the pages show the change at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fabula.conf.models import site_settings
from fabula.stories import actions
from fabula.taxonomy import actions as taxonomy_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request builds its page


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_header_read_once_serves_the_storys_other_pages(
    client, make_story, author, uncached_pages
):
    other = make_story(author, title="Another", chapters=1)
    story = make_story(author, title="Kept Header", chapters=3)
    _queries(client, reverse("story", args=[other.pk]))  # what every page keeps (settings…)
    index = reverse("story", args=[story.pk])
    first = _queries(client, index)
    # Credits, tags, kinds, series and challenges are kept: the next page reads none of them.
    assert _queries(client, index) == first - 5
    page = client.get(reverse("story-full", args=[story.pk])).content.decode()
    assert author.pen_name in page and "Kept Header" in page


def test_a_renamed_tag_pseud_and_a_new_series_show_at_once(
    client, make_story, author, archive, uncached_pages
):
    story = make_story(author, title="Changing Header", chapters=2)
    index = reverse("story", args=[story.pk])
    prefix = site_settings().legacy_prefix
    printable = f"/{prefix}/viewstory.php?sid={story.pk}&action=printable&chapter=all"
    for address in (index, printable):
        assert "Jim" in client.get(address).content.decode()  # kept from here on

    taxonomy_actions.tag_rename(tag=archive.jim, name="James T.", by=author)
    pseud = author.pseuds.get()
    actions.pseud_rename(user=author, pseud=pseud, name="Newly Named")
    series = actions.series_create(owner=author, title="A Fresh Series")
    actions.series_add(series=series, story=story)

    for address in (index, printable):
        page = client.get(address).content.decode()
        assert "James T." in page and "A Fresh Series" in page
    assert "Newly Named" in client.get(index).content.decode()


def test_a_kind_renamed_in_the_admin_shows_at_once(
    client, make_story, author, archive, admin_user, uncached_pages
):
    story = make_story(author, title="Classy", chapters=1)
    index = reverse("story", args=[story.pk])
    kind = archive.angst.kind
    assert f"<dt>{kind.name}</dt>" in client.get(index).content.decode()  # kept from here on

    admin = type(client)()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("admin:taxonomy_tagkind_change", args=[kind.pk]),
        {
            "name": "Moods",
            "slug": kind.slug,
            "role": kind.role,
            "multiple": "on" if kind.multiple else "",
            "order": kind.order,
        },
    )
    assert response.status_code == 302

    assert "<dt>Moods</dt>" in client.get(index).content.decode()
