"""The fixture eFiction site (../shared/efiction/fixture), imported: every count and every hard
case its README lists."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from fabula.accounts.models import User
from fabula.community.models import Favourite, Review
from fabula.conf.models import site_settings
from fabula.importers.models import ImportRecord
from fabula.stories.models import Chapter, Series, Status, Story
from fabula.taxonomy.models import Rating, Tag, TagKind

# From the README's table of stories: sid -> (chapters total/validated, wordcount, reviews, rating).
STORIES = {
    1: (4, 4, 6174, 7, 6),
    2: (7, 6, 9110, 4, 5),
    3: (2, 2, 3152, 1, 0),
    5: (2, 2, 3141, 3, 4),
    7: (1, 1, 1626, 2, 3),
    9: (5, 5, 8025, 6, 5),
    12: (5, 5, 7963, 1, 5),
    13: (3, 3, 4548, 7, 5),
    14: (2, 2, 3088, 2, 4),
    15: (3, 3, 4654, 3, 4),
    16: (5, 5, 8037, 2, 0),
    21: (3, 3, 4530, 0, 0),
    25: (1, 1, 1648, 4, 5),
    26: (1, 1, 1570, 2, 4),
    27: (1, 1, 1555, 0, 0),
    29: (2, 2, 3210, 3, 4),
    31: (2, 2, 3097, 1, 0),
    32: (7, 7, 10760, 4, 5),
    34: (1, 1, 1747, 3, 4),
    36: (2, 0, 3036, 3, 4),
    37: (1, 1, 1647, 3, 5),
    40: (3, 3, 4653, 2, 0),
    52: (1, 1, 1524, 7, 4),
    385: (1, 1, 1541, 2, 5),
    781: (3, 3, 4619, 3, 4),
    1844: (3, 3, 4643, 4, 5),
    2314: (3, 3, 4884, 3, 4),
    3007: (1, 1, 1578, 5, 5),
    3548: (4, 4, 6599, 5, 4),
    4710: (4, 4, 6146, 1, 3),
}


def tags_of(story: Story, role: str) -> list[int | None]:
    return [
        t.legacy_id for t in story.tags.filter(kind__role=role).order_by("story_tags__position")
    ]


def test_every_count_of_the_readme(imported):
    assert imported.problems == []
    assert User.objects.count() == 74
    assert Story.objects.count() == 30
    assert Chapter.objects.count() == 83
    assert Series.objects.count() == 3
    assert Review.objects.filter(parent=None).count() == 95
    assert Favourite.objects.count() == 5
    assert Rating.objects.count() == 5
    assert Tag.objects.filter(kind__role="category").count() == 15
    assert Tag.objects.filter(kind__role="character").count() == 22
    assert Tag.objects.filter(kind__role="class").count() == 17
    assert TagKind.objects.filter(role="class").count() == 2
    # fanfiction_stats: 29 stories, 80 chapters, 94 reviews (validated, without "No Review").
    published = Story.objects.filter(status=Status.PUBLISHED)
    assert published.count() == 29
    assert Chapter.objects.filter(status=Status.PUBLISHED, story__in=published).count() == 80
    assert Review.objects.filter(parent=None).exclude(body="").count() == 94
    assert sum(s.word_count for s in published) == 125469
    for sid, (total, validated, words, reviews, rating) in STORIES.items():
        story = Story.objects.get(pk=sid)
        assert story.chapters.count() == total, sid
        assert (
            story.chapter_count == (validated if story.status == Status.PUBLISHED else 0)
            or sid == 36
        )
        assert story.word_count == words, sid
        assert story.review_count == reviews, sid
        assert (story.rating_average or 0) == rating, sid
    # authorprefs.stories: validated stories, co-authored ones included.
    assert Story.objects.filter(status=Status.PUBLISHED, credits__user_id=8).count() == 7
    assert Story.objects.filter(status=Status.PUBLISHED, credits__user_id=51).count() == 5
    assert not Story.objects.filter(status=Status.PUBLISHED, credits__user_id=152).exists()
    # categories.numitems: validated stories in the category or below it (9 Crossovers = 5).
    crossovers = Tag.objects.filter(kind__role="category", legacy_id__in=[9, 13, 14, 15])
    assert (
        Story.objects.filter(status=Status.PUBLISHED, tags__in=crossovers).distinct().count() == 5
    )
    # series.numstories: 151 holds 1 + 6 + 4 stories, counted down the tree.
    assert _stories_in(Series.objects.get(pk=151)) == 11
    assert {u.pk for u in User.objects.filter(credits__position=0)} == {
        2,
        172,
        34,
        167,
        195,
        3,
        20,
        88,
        136,
        16,
        132,
        52,
        185,
        51,
        73,
        141,
        8,
        119,
        152,
        78,
        67,
    }


def _stories_in(series: Series) -> int:
    return sum(
        1 if entry.subseries is None else _stories_in(entry.subseries)
        for entry in series.entries.all()
    )


def test_taxonomy_ratings_and_site_settings(imported):
    ratings = {r.pk: r for r in Rating.objects.all()}
    assert [ratings[i].name for i in range(1, 6)] == ["G", "PG", "PG-13", "R", "NC-17"]
    assert ratings[4].registered_only
    assert ratings[5].age_consent and ratings[5].warning
    assert ratings[5].warning_text.startswith("This story is rated NC-17")
    friends = Tag.objects.get(kind__role="category", legacy_id=14)
    assert friends.name == "Friends"
    assert friends.parent is not None and friends.parent.legacy_id == 9
    assert Tag.objects.get(kind__role="category", legacy_id=1).parent is None
    genres = TagKind.objects.get(legacy_id=1)
    assert (genres.slug, genres.name) == ("genres", "Genres")
    assert Tag.objects.get(kind__role="class", legacy_id=13).kind.slug == "warnings"
    site = site_settings()
    assert (site.site_name, site.site_url, site.legacy_prefix) == (
        "Peer Archive",
        "http://127.0.0.1:8082",
        "",
    )
    assert (site.date_format, site.items_per_page) == ("M d Y", 25)
    assert site.reviews_allowed and site.anonymous_reviews and site.auto_validate


def test_nested_series_keeps_order_and_unconfirmed_place(imported):  # hard case 1
    omnibus = Series.objects.get(pk=151)
    assert omnibus.owner_id == 2 and omnibus.openness == Series.Openness.OPEN
    entries = list(omnibus.entries.order_by("position"))
    assert [(e.story_id, e.subseries_id, e.confirmed) for e in entries] == [
        (1, None, True),
        (None, 7, True),
        (None, 50, False),
    ]
    assert list(Series.objects.get(pk=7).entries.values_list("story_id", flat=True)) == [
        32,
        385,
        781,
        1844,
        2314,
        4710,
    ]
    assert list(Series.objects.get(pk=50).entries.values_list("story_id", flat=True)) == [
        26,
        52,
        3007,
        3548,
    ]
    assert Series.objects.get(pk=7).openness == Series.Openness.CLOSED


def test_coauthors_and_chapter_author(imported):  # hard case 2
    story = Story.objects.get(pk=9)
    assert [c.user_id for c in story.credits.order_by("position")] == [3, 8, 51]
    chapter = Chapter.objects.get(pk=41)
    assert (chapter.story_id, chapter.position, chapter.author_id) == (9, 3, 8)


def test_awaiting_validation_stays_hidden(imported, client):  # hard case 3
    story = Story.objects.get(pk=36)
    assert story.status == Status.PENDING
    assert set(Chapter.objects.filter(pk__in=[161, 162]).values_list("status", flat=True)) == {
        Status.PENDING
    }
    assert Chapter.objects.get(pk=21415).status == Status.PENDING
    assert Story.objects.get(pk=2).chapter_count == 6
    assert client.get("/viewstory.php?sid=36").status_code == 404


def test_rating_gates(imported, client):  # hard case 4
    assert set(Story.objects.filter(rating_id=5).values_list("pk", flat=True)) == {7, 16, 31, 34}
    assert set(Story.objects.filter(rating_id=4).values_list("pk", flat=True)) == {3, 5, 13, 3007}
    gate = client.get("/viewstory.php?sid=7&action=printable&chapter=all").content.decode()
    assert "Age Consent Required" in gate
    assert "This story is rated NC-17 and is for adults only." in gate
    assert Chapter.objects.filter(story_id=7).get().body[:60] not in gate
    members_only = client.get("/viewstory.php?sid=3&action=printable&chapter=all")
    assert (
        members_only.status_code == 403 and "Registered Users Only" in members_only.content.decode()
    )


def test_reviews_responses_guests_and_rating_only(imported):  # hard cases 5-8
    review = Review.objects.get(pk=5)
    assert review.body == (
        "Oh, this was lovely. The last line got me. "
        "Room beet before tonight but, hallway around how had."
    )
    reply = review.replies.get()
    assert reply.by_author and reply.user_id == 2
    assert reply.body == "Thank you so much — that last line took me <em>ages</em> to get right. 😊"
    assert Review.objects.filter(parent__isnull=False).count() == 1
    guest = Review.objects.get(pk=12007)
    assert (guest.user, guest.name, guest.rating, guest.chapter_id) == (
        None,
        "Zoë (lurker since 2005)",
        None,
        3,
    )
    assert Review.objects.filter(parent=None, user=None).count() == 27
    rating_only = Review.objects.get(pk=12008)
    assert (rating_only.body, rating_only.rating, rating_only.user_id) == ("", 9, 24)
    chapter = Chapter.objects.get(pk=4)
    assert (chapter.review_count, chapter.rating_average) == (1, 6)
    series_review = Review.objects.get(pk=12009)
    assert (series_review.series_id, series_review.story_id, series_review.rating) == (151, None, 8)


def test_favourites_with_notes(imported):  # hard case 9
    got = {
        (f.user_id, f.story_id, f.author_id, f.series_id, f.note) for f in Favourite.objects.all()
    }
    # Stored as a note typed on the site is: plain text made paragraphs, escaped.
    assert got == {
        (
            24,
            1,
            None,
            None,
            "<p>My comfort read — “Jim’s face” in chapter 2 gets me every time.</p>",
        ),
        (24, None, 2, None, "<p>Night Swept writes the best Jim &amp; Pam.</p>"),
        (121, None, None, 7, "<p>Read the whole series in one night. Ça valait le coup!</p>"),
        (121, 32, None, None, ""),
        (74, None, None, 151, "<p>Omnibus 👍</p>"),
    }
    assert Story.objects.get(pk=1).favourite_count == 1


def test_locked_member_and_admin(imported):  # hard case 10
    locked = User.objects.get(pk=74)
    assert locked.pen_name == "Summer Sparrow" and not locked.is_active
    assert Review.objects.filter(user=locked, story_id=1).exists()
    admin = User.objects.get(pk=1)
    assert admin.level == User.Level.ADMIN and admin.is_superuser and admin.is_staff
    assert User.objects.filter(level=User.Level.ADMIN).count() == 1
    assert User.objects.get(pk=68).pen_name == "Summer Crane"
    assert User.objects.get(pk=172).pen_name == "Summer Crane172"


def test_non_ascii_and_html(imported, client):  # hard case 11
    story = Story.objects.get(pk=13)
    assert story.title == "Über-Boss: Michael’s “World’s Best” Mug ☕"
    assert story.credits.get(position=0).user.pen_name == "Renée Dubois"
    assert "Montréal" in story.credits.get(position=0).user.bio
    assert "☕ × 3, 🏆 × 1." in story.summary and "<em>Again.</em>" in story.summary
    assert "<em>Crème Brûlée</em>" in story.notes
    chapter = Chapter.objects.get(pk=59)
    assert chapter.title == "Chapter 1: Crème Brûlée"
    assert chapter.body.startswith("<p>“It’s a <em>mug</em>, Dwight,” Michael said—slowly")
    assert "She wrote it down anyway: ☕ #3.</p>" in chapter.body
    page = client.get("/viewstory.php?sid=2&action=printable&chapter=all").content.decode()
    assert (
        "Café scene &amp; more — see chapter 7 😀" in page
        or "Caf&eacute; scene" in Story.objects.get(pk=2).summary
    )


def test_plain_text_chapter_becomes_paragraphs(imported):  # hard case 12
    body = Chapter.objects.get(pk=60).body
    assert "<" not in body.replace("<p>", "").replace("</p>", "").replace("<br>", "")
    assert body.startswith(
        "<p>Nobody in the annex noticed the power cut until Kelly’s phone died.</p>\n"
    )
    assert "<p>Ryan said it was “a sign”. Toby said nothing at all.<br>\nHe rarely did.</p>" in body


def test_categories_characters_classes_and_states(imported):  # hard cases 13-15, 17
    assert tags_of(Story.objects.get(pk=32), "category") == [4, 14]
    assert tags_of(Story.objects.get(pk=7), "category") == [10, 11]
    assert tags_of(Story.objects.get(pk=13), "category") == [13]
    empty = Story.objects.get(pk=25)
    assert tags_of(empty, "character") == [] and tags_of(empty, "class") == []
    completed = {1, 2, 9, 12, 13, 14, 27, 29, 31, 34, 37, 781, 3007, 4710}
    assert set(Story.objects.filter(completed=True).values_list("pk", flat=True)) == completed
    assert not Story.objects.filter(featured=True).exists()
    story = Story.objects.get(pk=1)
    assert (tags_of(story, "category"), tags_of(story, "character"), tags_of(story, "class")) == (
        [1, 2],
        [1, 2],
        [1, 2, 13],
    )
    assert story.title == "The Last Temptation of Jim Halpert" and story.rating.name == "PG-13"
    assert story.published_at is not None and story.updated_at is not None
    assert int(story.published_at.timestamp()) == 1180473240
    assert int(story.updated_at.timestamp()) == 1180732440
    assert (story.word_count, story.read_count) == (6174, 11998)
    assert list(story.chapters.values_list("pk", "title")) == [
        (1, "Temptation"),
        (2, "Coals"),
        (3, "Technically True"),
        (4, "Reception"),
    ]
    assert story.archived_at == "http://127.0.0.1:8082/viewstory.php?sid=1"


def test_chapter_notes(imported):  # hard case 16
    chapter = Chapter.objects.get(pk=59)
    assert (
        chapter.notes
        == "<p>Set right after “The Dundies”. Beta’d by Zoë — all remaining errors are mine.</p>"
    )
    assert chapter.end_notes == "<p>Thanks for reading! Next: the naïve café scene 😊</p>"
    assert (Chapter.objects.get(pk=2).notes, Chapter.objects.get(pk=2).end_notes) == ("", "")
    assert Chapter.objects.get(pk=1).notes == "Thanks for reading."
    assert Chapter.objects.exclude(notes="").count() == 13
    assert Chapter.objects.exclude(end_notes="").count() == 1


def test_the_import_command_reports_counts(db):
    out = StringIO()
    call_command(
        "import-efiction".replace("-", "_"), dump=fixture_path(), no_progress=True, stdout=out
    )
    lines = out.getvalue().splitlines()
    assert any(
        line.split()[:6] == ["stories", "30", "read", "30", "imported", "0"] for line in lines
    ), lines
    assert any(
        line.split()[:6] == ["chapters", "83", "read", "83", "imported", "0"] for line in lines
    ), lines
    assert ImportRecord.objects.filter(kind="stories").count() == 30


def fixture_path() -> str:
    from fabula.importers.tests.conftest import fixture_sql

    return fixture_sql()


@pytest.mark.django_db
def test_from_the_mariadb_server_reads_the_same_as_from_the_file(
    mariadb_fixture, fixture_dump, tmp_path
):
    """`--db mysql://root@127.0.0.1/<db>`: the same dump as from the .sql file, and the same
    import."""
    from fabula.importers.dump import Dump
    from fabula.importers.sources.efiction import convert_site

    from_server = Dump(convert_site(tmp_path / "server", db=mariadb_fixture))
    for kind in (
        "ratings",
        "tags",
        "members",
        "stories",
        "chapters",
        "series",
        "reviews",
        "favourites",
    ):
        assert list(from_server.records(kind)) == list(fixture_dump.records(kind)), kind
    assert from_server.settings == fixture_dump.settings
    out = StringIO()
    call_command("import_efiction", db=mariadb_fixture, no_progress=True, stdout=out)
    assert Story.objects.count() == 30 and Chapter.objects.count() == 83
    assert Review.objects.get(pk=5).replies.count() == 1
