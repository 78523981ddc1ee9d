"""Hostile values in every GET parameter the site reads: no answer is a 500.

Each hostile value (long digit strings past Python's 4,300-digit limit, digits of other scripts,
control characters, a 100 KB string, broken UTF-8) goes into every parameter of every page that
reads one: eFiction's old scripts, search, the browse filters, the listing pages, feeds and the
catalog, a member's and a moderator's pages. The test client raises what a view raises, so a
500 fails the test with its traceback; the status is checked as well.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HOSTILE = {
    "4301 digits": "1" * 4301,
    "20000 digits": "9" * 20_000,
    "digits past a database id": "9" * 20,
    "superscript two": "²",
    "arabic-indic digits": "٣٤",
    "fullwidth digits": "１２",
    "signed and spaced": " -1_0 ",
    "control characters": "1\x01\x1b\x7f",
    "a nul": "1\x00",
    "100 KB": "x" * 100_000,
    "markup": "<script>alert(1)</script>'\"%",
    "like wildcards": "%_%_" * 200,
}
RAW = {"broken utf-8": "%ff%fe%ed%a0%80"}  # sent as bytes, not as text

FILTERS = ["tag", "xtag", "rating", "complete", "chapters", "words_from", "words_to"]
FILTERS += ["updated_from", "updated_to", "lang", "page", "sort"]
# (page, the parameters it reads, parameters it needs to get that far)
PUBLIC = [
    ("/fanfiction/viewstory.php", ["sid", "chapter", "chapid", "action", "index"], {"sid": "1"}),
    ("/fanfiction/viewstory.php", ["warning", "ageconsent", "textsize"], {"sid": "1"}),
    ("/fanfiction/viewstory.php", ["chapter"], {"sid": "1", "action": "printable"}),
    ("/fanfiction/browse.php", ["type", "catid"], {"type": "categories"}),
    ("/fanfiction/browse.php", ["charid"], {"type": "characters"}),
    ("/fanfiction/browse.php", ["classid", "type_id"], {"type": "class", "type_id": "1"}),
    ("/fanfiction/browse.php", ["rid"], {"type": "ratings"}),
    ("/fanfiction/browse.php", ["let", "wordlow", "wordhigh", "complete"], {"type": "titles"}),
    ("/fanfiction/viewuser.php", ["uid"], {}),
    ("/fanfiction/viewseries.php", ["seriesid"], {}),
    ("/fanfiction/reviews.php", ["type", "item", "chapid"], {"type": "ST"}),
    ("/fanfiction/search.php", ["searchterm", "searchtype", "catid", "completed"], {}),
    ("/fanfiction/authors.php", ["let", "list"], {}),
    ("/fanfiction/index.php", ["x"], {}),
    ("/fanfiction/rss.php", ["x"], {}),
    ("/", ["page"], {}),
    ("/stories/", FILTERS, {}),
    ("/recent/", FILTERS, {}),
    ("/titles/", ["page", "sort"], {}),
    ("/browse/categories/{fandom}/", FILTERS, {}),
    ("/ratings/{general}/", FILTERS, {}),
    ("/search/", ["q", *FILTERS], {}),
    ("/series/", ["page"], {}),
    ("/authors/", ["page"], {}),
    ("/stories/{story}/reviews/", ["page"], {}),
    ("/stories/{story}/chapters/", ["position"], {}),
    ("/top/", ["page"], {}),
    ("/feeds/recent.atom", ["page"], {}),
    ("/opds/recent/", ["page"], {}),
    ("/opds/search/", ["q", "page"], {}),
]
MEMBER = [
    ("/me/history/", ["page"], {}),
    ("/me/notifications/", ["page"], {}),
    ("/manage/", ["page", "sort"], {}),
    ("/stories/{story}/reviews/new/", ["chapter"], {}),
]
MODERATOR = [
    ("/moderation/", ["page"], {}),
    ("/moderation/reports/", ["state", "page"], {}),
    ("/moderation/log/", ["page"], {}),
    ("/moderation/members/", ["q", "page"], {}),
]


def _clients(reader, moderator) -> list[tuple[Client, list]]:
    member, staff = Client(), Client()
    member.force_login(reader)
    staff.force_login(moderator)
    return [(Client(), PUBLIC), (member, MEMBER), (staff, MODERATOR)]


def _query(fixed: dict[str, str], name: str, value: str, raw: bool) -> str:
    parts = [f"{quote(k)}={quote(v)}" for k, v in fixed.items() if k != name]
    parts.append(f"{quote(name)}={value if raw else quote(value, safe='')}")
    return "&".join(parts)


@pytest.mark.parametrize("hostile", [*HOSTILE, *RAW])
def test_no_parameter_answers_500(hostile, archive, author, reader, moderator, make_story):
    story = make_story(author, "Fuzzed", tags=[archive.fandom, archive.jim])
    ids = {"story": story.pk, "fandom": archive.fandom.pk, "general": archive.general.pk}
    value, raw = (RAW[hostile], True) if hostile in RAW else (HOSTILE[hostile], False)
    asked = 0
    for client, pages in _clients(reader, moderator):
        for path, names, fixed in pages:
            for name in names:
                url = f"{path.format(**ids)}?{_query(fixed, name, value, raw)}"
                status = client.get(url).status_code
                assert status < 500, (url[:200], status)
                asked += 1
    assert asked > 100


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_100_kb_login_is_refused_plainly(field, db):
    data = {"username": "someone", "password": "something"} | {field: "x" * 100_000}
    response = Client().post("/accounts/login/", data)
    assert response.status_code in (200, 429)
    assert "do not match" in response.content.decode() or response.status_code == 429


def test_a_100_kb_co_author_list_is_refused_plainly(archive, author):
    """SQLite's LIKE gave up on a 100 KB pattern ("LIKE pattern too complex"): a 500."""
    from fabula.stories.models import Story
    from fabula.stories.tests.posting_support import story_data

    client = Client()
    client.force_login(author)
    for names in ("x" * 100_000, "x" * 1_000):  # past the field's limit; one name past 60
        response = client.post("/manage/post/", story_data(archive, coauthors=names))
        assert response.status_code == 200
        text = response.content.decode()
        assert "at most 2000 characters" in text or "No member has the pen name" in text
    assert not Story.objects.exists()
