"""The reads behind community panels and pages, called by name."""

import pytest
from django.contrib.auth.models import AnonymousUser

from fabula.community import actions, selectors
from fabula.stories.models import Status

pytestmark = pytest.mark.django_db


def test_a_members_favourites_leave_out_what_the_reader_may_not_see(
    make_story, author, reader, other_author
):
    public = make_story(author, "Public")
    draft = make_story(author, "Draft", status=Status.DRAFT)
    actions.favourite_add(user=reader, target=public)
    actions.favourite_add(user=reader, target=draft)
    actions.favourite_add(user=reader, target=other_author)
    seen = selectors.member_favourites(reader, AnonymousUser())
    assert [row.story for row in seen.stories] == [public]
    assert [row.author for row in seen.authors] == [other_author]
    assert seen.series == []
    own = selectors.member_favourites(reader, reader)
    assert {row.story for row in own.stories} == {public, draft}


def test_author_buttons_say_what_the_member_did(author, reader):
    assert selectors.author_buttons(reader, author) == {
        "follows": False,
        "favourite": False,
        "blocked": False,
    }
    actions.subscribe(user=reader, target=author)
    actions.block_add(user=reader, target=author)
    assert selectors.author_buttons(reader, author) == {
        "follows": True,
        "favourite": False,
        "blocked": True,
    }
