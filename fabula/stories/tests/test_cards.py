"""Story cards' addresses: each route reversed once a list, each address as `reverse()` has it."""

import pytest
from django.urls import NoReverseMatch, reverse

from fabula.stories.listing.cards import Addresses, make_cards
from fabula.stories.models import Story


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("story", [1]),
        ("story", [0]),
        ("story", [7_310_000_000]),  # the stand-in itself
        ("story", [98_765_432_101]),
        ("browse-rating", [42]),
        ("pseud", [3, 17]),
        ("pseud", [17, 3]),
        ("browse-tag", ["characters", 5]),
        ("browse-tag", ["my_kind-2", 123_456]),
    ],
)
def test_an_address_is_what_reverse_makes(name, args):
    address = Addresses()
    address(name, *[9] * len(args))  # the route's shape made from other values
    assert address(name, *args) == reverse(name, args=args)


@pytest.mark.parametrize("args", [["two words", 5], ["ünïcode", 5], ["characters", -1]])
def test_a_value_to_be_quoted_or_refused_goes_through_reverse(args):
    address = Addresses()
    assert address("browse-tag", "characters", 1) == reverse("browse-tag", args=["characters", 1])
    with pytest.raises(NoReverseMatch):  # as reverse() itself refuses it
        address("browse-tag", *args)


@pytest.mark.django_db
def test_cards_link_their_story_rating_authors_and_tags(make_story, author, archive):
    story = make_story(author, title="Linked", tags=[archive.fandom, archive.jim])
    other = make_story(author, title="Also linked", tags=[archive.fandom, archive.angst])
    cards = make_cards(
        Story.objects.filter(pk__in=[story.pk, other.pk]).select_related("rating").order_by("pk")
    )
    for card, shown in zip(cards, [story, other], strict=True):
        assert card.url == reverse("story", args=[shown.pk])
        assert card.rating_url == reverse("browse-rating", args=[shown.rating_id])
        [byline] = card.authors
        assert byline.url == reverse("pseud", args=[author.pk, byline.pseud_id])
        tags = {tag.pk: tag.url for line in card.tag_lines for tag in line.tags}
        assert tags == {
            tag.pk: reverse("browse-tag", args=[tag.kind.slug, tag.pk]) for tag in shown.tags.all()
        }
        assert card.url in card.html and tags and all(url in card.html for url in tags.values())
