"""Every reader page renders real content; lists sort and paginate; bad ids give a 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.stories import actions
from fabula.stories.models import Status, Story
from fabula.test import chapter_url, quick_user, set_site, story_list_urls, warm_caches


def html(response) -> str:
    return response.content.decode()


def test_home_shows_welcome_featured_and_recent(client, make_story, author):
    set_site(welcome="<p>Welcome to the bullpen.</p>")
    make_story(author, "Featured Piece", featured=True)
    make_story(author, "Ordinary Piece")
    page = html(client.get(reverse("home")))
    assert "Welcome to the bullpen." in page
    featured, recent = page.split('id="featured-heading"')[1].split('id="recent-heading"')
    assert "Featured Piece" in featured and "Ordinary Piece" not in featured
    assert "Ordinary Piece" in recent and "Featured Piece" in recent


def test_story_card_shows_what_a_reader_chooses_by(client, make_story, author, coauthor, archive):
    make_story(
        author,
        "The Coals",
        coauthors=[coauthor],
        rating=archive.teen,
        completed=True,
        tags=[archive.fandom, archive.pam, archive.humor, archive.violence],
        summary="<p>Beach games, <em>again</em>.</p>",
        chapters=3,
        words_per_chapter=500,
        published_at=datetime(2007, 5, 29, 12, tzinfo=UTC),
    )
    page = html(client.get(reverse("browse")))
    for expected in [
        "The Coals",
        "Night Swept",
        "Midnight Owl",
        "PG-13",
        "The Office",
        "Pam",
        "Humor",
        "Violence",
        "Beach games, <em>again</em>.",
        "<dt>Chapters</dt> <dd>3</dd>",
        "<dt>Words</dt> <dd>1,500</dd>",
        "<dt>Completed</dt> <dd>Yes</dd>",
        '<span class="badge new">New</span>',
    ]:
        assert expected in page, expected
    # Tags are grouped under their kind's name.
    assert "<dt>Genres</dt> <dd><a" in page and "<dt>Warnings</dt> <dd><a" in page


def test_a_card_escapes_what_members_wrote_and_speaks_the_readers_language(
    client, make_story, author, archive
):
    make_story(author, 'Jim & "Pam" <script>alert(1)</script>')
    archive.jim.name = "Jim <b>Halpert</b>"
    archive.jim.save()
    page = html(client.get(reverse("browse")))
    assert "<script>alert(1)" not in page and "<b>Halpert" not in page
    assert "Jim &amp; &quot;Pam&quot; &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Jim &lt;b&gt;Halpert&lt;/b&gt;</a>" in page
    french = html(client.get(reverse("browse"), HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<span class="badge new">Nouveau</span>' in french
    assert "<dt>Chapitres</dt> <dd>2</dd>" in french


def test_a_kept_card_never_shows_what_changed_since(client, make_story, author, reader, archive):
    client.force_login(reader)  # members' pages are built each time: only the card is kept
    story = make_story(author, "First Title")
    assert "First Title" in html(client.get(reverse("browse")))
    Story.objects.filter(pk=story.pk).update(title="Second Title")
    author.pseuds.filter(is_default=True).update(name="Renamed Author")  # the byline's name
    archive.jim.name = "James"
    archive.jim.save()
    page = html(client.get(reverse("browse")))
    assert "Second Title" in page and "First Title" not in page
    assert "Renamed Author" in page and ">James<" in page


def test_new_badge_follows_the_new_story_days_setting(client, make_story, author):
    story = make_story(author, "Old News")
    Story.objects.filter(pk=story.pk).update(updated_at=timezone.now() - timedelta(days=10))
    assert "badge new" not in html(client.get(reverse("browse")))
    set_site(new_story_days=30)
    assert "badge new" in html(client.get(reverse("browse")))


def test_dates_use_the_site_date_format(client, make_story, author):
    when = datetime(2007, 6, 1, 12, tzinfo=UTC)
    story = make_story(author, "Dated", published_at=when)
    Story.objects.filter(pk=story.pk).update(updated_at=when)
    assert "June 01, 2007" in html(client.get(reverse("story", args=[story.pk])))
    set_site(date_format="Y-m-d")
    assert "2007-06-01" in html(client.get(reverse("browse")))


def test_story_index_shows_the_efiction_header_and_contents(
    client, make_story, author, coauthor, archive
):
    challenge = actions.challenge_create(title="End of Season")
    story = make_story(
        author,
        "The Last Temptation",
        coauthors=[coauthor],
        rating=archive.teen,
        tags=[archive.subfandom, archive.jim, archive.angst],
        notes="<p>Spoilers ahead.</p>",
        chapters=2,
        words_per_chapter=100,
        challenges=[challenge],
        read_count=1236,
        published_at=datetime(2007, 5, 29, 12, tzinfo=UTC),
    )
    series = actions.series_create(owner=author, title="Scranton Nights")
    actions.series_add(series=series, story=story)
    actions.chapter_add(
        story=story,
        title="Coda",
        body="<p>one two three</p>",
        notes="<p>Thanks for reading.</p>",
        author=coauthor,
    )
    page = html(client.get(reverse("story", args=[story.pk])))
    for label, value in [
        ("Rated", "PG-13"),
        ("Categories", "Jim and Pam"),
        ("Characters", "Jim"),
        ("Genres", "Angst"),
        ("Warnings", "None"),
        ("Challenges", "End of Season"),
        ("Series", "Scranton Nights"),
        ("Completed", "No"),
        # The stats line, as AO3's.
        ("Words", "203"),
        ("Chapters", "3/?"),
        ("Kudos", "0"),
        ("Favourites", "0"),
        ("Reviews", "0"),
        ("Hits", "1,236"),
        ("Published", "May 29, 2007"),
    ]:
        start = page.index(f"<dt>{label}</dt>")
        assert value in page[start : page.index("</dd>", start)], label
    assert "<dt>Updated</dt>" in page
    assert "Spoilers ahead." in page
    assert page.count('class="toc"') == 1 and "Coda" in page and "Thanks for reading." in page
    assert chapter_url(story.pk, 1) in page
    assert reverse("story-full", args=[story.pk]) in page
    signed = coauthor.pseuds.get()  # the byline leads to the pseud's page
    assert f'<a href="/authors/{coauthor.pk}/pseuds/{signed.pk}/">Midnight Owl</a>' in page


def test_the_story_header_escapes_what_members_wrote_and_links_each_tag(
    client, make_story, author, archive
):
    archive.jim.name = "Jim <b>Halpert</b>"
    archive.jim.save()
    challenge = actions.challenge_create(title="Prompts & <i>Co</i>")
    story = make_story(
        author, tags=[archive.fandom, archive.jim], challenges=[challenge], completed=True
    )
    series = actions.series_create(owner=author, title="Tom & Jerry")
    actions.series_add(series=series, story=story)
    for address in (reverse("story", args=[story.pk]), reverse("story-full", args=[story.pk])):
        page = html(client.get(address))
        assert "<b>Halpert" not in page and "<i>Co" not in page
        jim = reverse("browse-tag", args=["characters", archive.jim.pk])
        jim_link = f'<a href="{jim}">Jim &lt;b&gt;Halpert&lt;/b&gt;</a>'
        assert f"<dt>Characters</dt><dd>{jim_link}</dd>" in page
        assert "<dt>Challenges</dt><dd>Prompts &amp; &lt;i&gt;Co&lt;/i&gt;</dd>" in page
        series_link = f'<a href="{reverse("series", args=[series.pk])}">Tom &amp; Jerry</a>'
        assert f"<dt>Series</dt><dd>{series_link}</dd>" in page
        assert "<dt>Genres</dt><dd>None</dd>" in page  # a class kind the story has no tag of
        assert "<dt>Chapters</dt><dd>2/2</dd>" in page
    german = html(client.get(reverse("story", args=[story.pk]), HTTP_ACCEPT_LANGUAGE="de"))
    assert "<dt>Abgeschlossen</dt><dd>Ja</dd>" in german
    assert f'<dt>Figuren</dt><dd><a href="{jim}">' in german


def test_chapter_page_has_jump_menu_notes_and_neighbours(client, make_story, author, archive):
    story = make_story(author, "Three Acts", chapters=0, notes="<p>Story-wide note.</p>")
    for n in (1, 2, 3):
        actions.chapter_add(
            story=story,
            title=f"Act {n}",
            body=f"<p>Body of act {n}.</p>",
            notes=f"<p>Before act {n}.</p>",
            end_notes=f"<p>After act {n}.</p>",
        )
    first = html(client.get(chapter_url(story.pk, 1)))
    assert "Story-wide note." in first and "Before act 1." in first and "After act 1." in first
    assert "Body of act 1." in first and "Body of act 2." not in first
    assert 'rel="prev"' not in first
    assert f'rel="next" href="{chapter_url(story.pk, 2)}"' in first
    assert "data-chapter-jump" in first and first.split("<footer")[0].count("<option") == 3
    assert "data-text-size" in first and "reader.js" in first

    second = html(client.get(chapter_url(story.pk, 2)))
    assert "Story-wide note." not in second  # story notes on the first chapter only
    assert "Chapter 2 of 3" in second
    assert f'rel="prev" href="{chapter_url(story.pk, 1)}"' in second
    assert '<option value="2" selected>' in second

    last = html(client.get(chapter_url(story.pk, 3)))
    assert 'rel="next"' not in last


def test_chapter_menu_numbers_what_the_reader_sees_and_escapes_titles(
    client, make_story, author, archive
):
    story = make_story(author, "Menus", chapters=0)
    actions.chapter_add(story=story, title='<i>Act</i> & "one"', body="<p>One.</p>")
    actions.chapter_add(story=story, title="Draft", body="<p>Two.</p>", status=Status.DRAFT)
    actions.chapter_add(story=story, title="Act three", body="<p>Three.</p>")
    page = html(client.get(chapter_url(story.pk, 1)))
    menu = page.split("data-chapter-jump>")[1].split("</select>")[0]
    options = re.findall(r"<option[^>]*>[^<]*</option>", menu)
    assert options == [
        '<option value="1" selected>1. &lt;i&gt;Act&lt;/i&gt; &amp; &quot;one&quot;</option>',
        '<option value="3">2. Act three</option>',  # numbered as read; the draft is not shown
    ]


def test_story_contents_number_link_and_count_each_chapter(
    client, make_story, author, coauthor, archive
):
    story = make_story(author, "Contents", coauthors=[coauthor], chapters=0)
    first = actions.chapter_add(story=story, title="<b>One</b> & more", body="<p>word</p>")
    actions.chapter_add(story=story, title="Draft", body="<p>d</p>", status=Status.DRAFT)
    third = actions.chapter_add(
        story=story, title="Long", body="<p>" + "word " * 1234 + "</p>", author=coauthor
    )
    guest = html(client.get(reverse("story", args=[story.pk])))
    toc = guest.split('<ol class="toc">')[1].split("</ol>")[0]
    signed = author.pseuds.get()
    assert re.findall(r'<li value="(\d+)">\s*<a href="([^"]+)">([^<]*)</a>', toc) == [
        ("1", first.get_absolute_url(), "&lt;b&gt;One&lt;/b&gt; &amp; more"),
        ("2", third.get_absolute_url(), "Long"),
    ]
    assert f'by <a href="/authors/{author.pk}/pseuds/{signed.pk}/">Night Swept</a> · 1 word' in toc
    assert "Midnight Owl</a> · 1,234 words" in toc and "Draft" not in toc
    client.force_login(author)
    own = html(client.get(reverse("story", args=[story.pk])))
    own_toc = own.split('<ol class="toc">')[1].split("</ol>")[0]
    assert own_toc.count("<li ") == 3 and '<span class="badge status">Draft</span>' in own_toc
    german = html(client.get(reverse("story", args=[story.pk]), HTTP_ACCEPT_LANGUAGE="de"))
    assert "· 1.234 Wörter</span>" in german


def test_chapter_by_a_coauthor_names_them(client, make_story, author, coauthor):
    story = make_story(author, "Round Robin", chapters=1, coauthors=[coauthor])
    actions.chapter_add(story=story, title="Their turn", body="<p>Hi.</p>", author=coauthor)
    page = html(client.get(chapter_url(story.pk, 2)))
    assert "Midnight Owl" in page.split("chapter-count")[1].split("</p>")[0]


def test_whole_story_on_one_page(client, make_story, author):
    story = make_story(author, "All Of It", chapters=0, notes="<p>Read in one go.</p>")
    actions.chapter_add(story=story, title="Start", body="<p>The start.</p>", notes="<p>N1</p>")
    actions.chapter_add(story=story, title="End", body="<p>The end.</p>", end_notes="<p>E2</p>")
    page = html(client.get(reverse("story-full", args=[story.pk])))
    assert page.index("The start.") < page.index("The end.")
    for text in ["Read in one go.", "N1", "E2", "1. Start", "2. End", "<dt>Rated</dt>"]:
        assert text in page


def test_series_pages(client, make_story, author, other_author):
    first = make_story(author, "First Entry")
    second = make_story(other_author, "Second Entry")
    series = actions.series_create(owner=author, title="The Saga", summary="<p>All of it.</p>")
    sub = actions.series_create(owner=author, title="Side Stories")
    actions.series_add(series=series, story=second)
    actions.series_add(series=series, story=first)
    actions.series_add(series=series, subseries=sub)
    listing = html(client.get(reverse("series-list")))
    assert "The Saga" in listing and "2 stories" in listing and "Side Stories" in listing
    page = html(client.get(reverse("series", args=[series.pk])))
    assert "All of it." in page and "Night Swept" in page
    assert page.index("Second Entry") < page.index("First Entry") < page.index("Side Stories")


def test_titles_by_letter(client, make_story, author):
    for title in ["Apple Pie", "avocado", "Banana", "42 Reasons", "Élan"]:
        make_story(author, title)

    def titles(url):
        page = html(client.get(url))
        return [t for t in ["Apple Pie", "avocado", "Banana", "42 Reasons", "Élan"] if t in page]

    assert titles(reverse("titles")) == ["Apple Pie", "avocado", "Banana", "42 Reasons", "Élan"]
    assert titles(reverse("titles-letter", args=["a"])) == ["Apple Pie", "avocado"]
    assert titles(reverse("titles-letter", args=["B"])) == ["Banana"]
    assert titles(reverse("titles-letter", args=["other"])) == ["42 Reasons", "Élan"]
    assert titles("/titles/%23/") == ["42 Reasons", "Élan"]
    assert client.get(reverse("titles-letter", args=["ab"])).status_code == 404
    assert client.get(reverse("titles-letter", args=["1"])).status_code == 404


def _order(page: str, titles: list[str]) -> list[str]:
    return sorted((t for t in titles if f">{t}</a>" in page), key=lambda t: page.index(f">{t}</a>"))


def test_lists_sort_by_each_key(client, make_story, author):
    names = ["Bravo", "alpha", "Charlie"]
    stories = {
        name: make_story(author, name, words_per_chapter=10 * (i + 1))
        for i, name in enumerate(names)
    }
    now = timezone.now()
    for i, name in enumerate(["Charlie", "alpha", "Bravo"]):  # Charlie oldest
        Story.objects.filter(pk=stories[name].pk).update(
            updated_at=now - timedelta(days=3 - i),
            published_at=now - timedelta(days=i),
            read_count=i,
        )
    url = reverse("browse")
    assert _order(html(client.get(url)), names) == ["alpha", "Bravo", "Charlie"]  # title, any case
    assert _order(html(client.get(url + "?sort=title")), names) == ["alpha", "Bravo", "Charlie"]
    assert _order(html(client.get(url + "?sort=updated")), names) == ["Bravo", "alpha", "Charlie"]
    assert _order(html(client.get(url + "?sort=published")), names) == ["Charlie", "alpha", "Bravo"]
    assert _order(html(client.get(url + "?sort=words")), names) == ["Charlie", "alpha", "Bravo"]
    assert _order(html(client.get(url + "?sort=reads")), names) == ["Bravo", "alpha", "Charlie"]
    assert _order(html(client.get(url + "?sort=nonsense")), names) == ["alpha", "Bravo", "Charlie"]
    assert _order(html(client.get(reverse("recent"))), names) == ["Bravo", "alpha", "Charlie"]


def test_member_sort_preference_applies_to_general_lists(client, make_story, author, reader):
    make_story(author, "Aardvark", words_per_chapter=10)
    make_story(author, "Zebra", words_per_chapter=90)
    reader.default_sort = "words"
    reader.save()
    client.force_login(reader)
    assert _order(html(client.get(reverse("browse"))), ["Aardvark", "Zebra"]) == [
        "Zebra",
        "Aardvark",
    ]
    assert _order(html(client.get(reverse("titles"))), ["Aardvark", "Zebra"]) == [
        "Aardvark",
        "Zebra",
    ]


def test_pagination_and_bad_page_numbers(client, make_story, author):
    set_site(items_per_page=2)
    names = [f"Story {letter}" for letter in "ABCDE"]
    for name in names:
        make_story(author, name, chapters=1)
    url = reverse("browse")
    assert _order(html(client.get(url)), names) == ["Story A", "Story B"]
    second = html(client.get(url + "?page=2&sort=title"))
    assert _order(second, names) == ["Story C", "Story D"]
    assert "page 2 of 3" in second and 'aria-current="page">2<' in second
    assert "?sort=title&amp;page=3" in second  # page links keep the sort
    assert '<a href="?sort=title">‹ Previous</a>' in second
    assert '<a href="?sort=title&amp;page=3">Next ›</a>' in second
    assert _order(html(client.get(url + "?page=3")), names) == ["Story E"]
    assert _order(html(client.get(url + "?page=abc")), names) == ["Story A", "Story B"]
    assert client.get(url + "?page=4").status_code == 404
    assert client.get(url + "?page=0").status_code == 404
    # Not plain digits: the first page, as for "abc".
    assert _order(html(client.get(url + "?page=-1")), names) == ["Story A", "Story B"]
    # Sort links start again at page 1.
    assert "?sort=words" in second and "sort=words&amp;page" not in second


def test_empty_archive_pages_render(client, archive):
    for url in [
        reverse("home"),
        reverse("browse"),
        reverse("recent"),
        reverse("titles"),
        reverse("series-list"),
        reverse("authors"),
        reverse("ratings"),
        reverse("browse-kind", args=["categories"]),
        reverse("browse-kind", args=["genres"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "No stories" in html(client.get(reverse("browse")))


@pytest.mark.parametrize(
    "url",
    [
        "/stories/999999/",
        "/stories/999999/all/",
        "/stories/999999/chapters/1/",
        "/series/999999/",
        "/authors/999999/",
        "/ratings/999999/",
        "/browse/nonsense/",
        "/browse/categories/999999/",
        "/no/such/page/",
    ],
)
def test_unknown_ids_are_404_with_the_site_page(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in html(response)


def test_login_page_renders(client, db):
    page = html(client.get(reverse("accounts:login") + "?next=/stories/"))
    assert "Pen name" in page and 'name="password"' in page and 'value="/stories/"' in page


def test_member_text_size_preference_sets_the_reading_scale(client, make_story, author, reader):
    story = make_story(author)
    reader.text_size = 120
    reader.save()
    client.force_login(reader)
    page = html(client.get(chapter_url(story.pk, 1)))
    # display.js applies it (no style attribute: the CSP refuses those; the browser test
    # tests/browser/test_csp.py sees the scale applied).
    assert '<html lang="en" data-theme="auto" data-text-scale="1.2">' in page
    assert "/static/fabula/display.js" in page


def test_unknown_chapter_and_tag_of_another_kind_are_404(client, make_story, author, archive):
    story = make_story(author, chapters=2)
    assert client.get(chapter_url(story.pk, 3)).status_code == 404
    assert client.get(reverse("browse-tag", args=["genres", archive.fandom.pk])).status_code == 404


# Query-count guards: a list costs the same number of queries for 5 stories as for 30.

LIST_QUERY_LIMIT = 12  # 8 for a list, 3 for its filter sidebar (listing.filters.sidebar), and
# a tag page reads its branch a level of the tree at a time (listing.browsing.tag_branch)
BELL = 1  # a member's pages also count their unread notifications (the header's bell)


@pytest.mark.parametrize("as_member", [False, True], ids=["guest", "member"])
def test_list_queries_do_not_grow_with_the_number_of_stories(
    client,
    make_story,
    archive,
    author,
    reader,
    settings,
    django_assert_max_num_queries,
    as_member,
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the render, not the cache
    set_site(items_per_page=25)
    if as_member:
        client.force_login(reader)
    series = actions.series_create(owner=author, title="Everything")

    def add_stories(start, count):
        for n in range(start, start + count):
            writer = author if n % 2 else quick_user(f"Writer {n}")
            story = make_story(
                writer,
                f"Story {n:02d}",
                chapters=1,
                featured=n % 3 == 0,
                tags=[archive.subfandom, archive.jim, archive.pam, archive.angst],
            )
            actions.series_add(series=series, story=story)

    def measure():
        counts = {}
        for url in story_list_urls(archive, authors=[author], series=series):
            limit = LIST_QUERY_LIMIT + (BELL if as_member else 0)
            with django_assert_max_num_queries(limit) as context:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url] = len(context.captured_queries)
        return counts

    add_stories(0, 5)
    warm_caches()  # cached from here on, as on a running site
    few = measure()
    add_stories(5, 25)
    many = measure()
    assert many == few


def test_chapter_page_costs_a_handful_of_queries(
    client, make_story, author, reader, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    story = make_story(author, chapters=40)
    warm_caches()  # cached from here on, as on a running site
    url = chapter_url(story.pk, 20)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    client.force_login(reader)
    # Plus the session, the member and the credits with their members (`is_author`).
    with django_assert_max_num_queries(7 + BELL):
        assert client.get(url).status_code == 200
    # With its gifts and related works; the credits twice when the header is not kept yet
    # (for `is_author`, and the header's own copy: `selectors.story_header`).
    with django_assert_max_num_queries(12 + BELL):
        assert client.get(reverse("story", args=[story.pk])).status_code == 200
