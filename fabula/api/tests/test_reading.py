"""The read API: what a guest and a member get, pages and Link, ETag and 304, fields=,
gates, search, and errors as problem+json."""

from __future__ import annotations

import pytest

from fabula.api.tests.helpers import API, bearer
from fabula.stories import actions
from fabula.stories.models import Status
from fabula.test import set_site


def test_story_object_has_the_whole_header(client, archive, author, make_story):
    story = make_story(author, "Winter Light", tags=[archive.fandom, archive.jim, archive.angst])
    series = actions.series_create(owner=author, title="Seasons")
    actions.series_add_work(series=series, story=story, by=author)
    response = client.get(f"{API}/stories/{story.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Winter Light"
    signed = author.pseuds.get()  # the byline: the member, and the pseud the story is signed with
    assert data["authors"] == [
        {
            "id": author.pk,
            "name": "Night Swept",
            "pseud_id": signed.pk,
            "url": f"http://testserver/authors/{author.pk}/pseuds/{signed.pk}/",
        }
    ]
    kinds = {line["kind"]: [t["name"] for t in line["tags"]] for line in data["tags"]}
    assert kinds == {"categories": ["The Office"], "characters": ["Jim"], "genres": ["Angst"]}
    assert data["counts"]["chapters"] == 2
    assert [c["position"] for c in data["chapters"]] == [1, 2]
    assert data["gate"] is None
    assert data["series"] == [{"id": series.pk, "name": "Seasons"}]


def test_chapter_text_is_the_sanitised_html(client, author, make_story):
    story = make_story(author)
    data = client.get(f"{API}/stories/{story.pk}/chapters/2").json()
    assert data["body"].startswith("<p>Text of chapter 2.")
    assert data["author"]["name"] == "Night Swept"
    missing = client.get(f"{API}/stories/{story.pk}/chapters/3")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404


def test_an_age_gated_story_needs_consent_for_its_text(client, archive, author, make_story):
    story = make_story(author, rating=archive.adult)
    assert client.get(f"{API}/stories/{story.pk}").json()["gate"] == "age"
    refused = client.get(f"{API}/stories/{story.pk}/chapters/1")
    assert refused.status_code == 403
    assert "consent=true" in refused.json()["detail"]
    assert client.get(f"{API}/stories/{story.pk}/chapters/1?consent=true").status_code == 200


def test_members_only_story_is_refused_to_guests_and_shown_to_members(
    client, archive, author, reader, make_story
):
    story = make_story(author, rating=archive.members_only)
    assert client.get(f"{API}/stories/{story.pk}").status_code == 403
    assert client.get(f"{API}/stories/{story.pk}", **bearer(reader)).status_code == 200
    guest_list = client.get(f"{API}/stories").json()
    member_list = client.get(f"{API}/stories", **bearer(reader)).json()
    assert story.pk not in [s["id"] for s in guest_list["results"]]
    assert story.pk in [s["id"] for s in member_list["results"]]


def test_a_session_cookie_does_not_make_a_member(client, archive, author, reader, make_story):
    story = make_story(author, rating=archive.members_only)
    client.force_login(reader)
    assert client.get(f"{API}/stories/{story.pk}").status_code == 403


def test_pages_answer_link_headers(client, author, make_story):
    for n in range(5):
        make_story(author, f"Story {n}")
    first = client.get(f"{API}/stories?sort=title&per_page=2")
    data = first.json()
    assert (data["count"], data["page"], data["pages"]) == (5, 1, 3)
    assert [s["title"] for s in data["results"]] == ["Story 0", "Story 1"]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    assert 'rel="prev"' not in first["Link"]
    last = client.get(f"{API}/stories?sort=title&per_page=2&page=3")
    assert [s["title"] for s in last.json()["results"]] == ["Story 4"]
    assert 'rel="prev"' in last["Link"] and 'rel="next"' not in last["Link"]
    past = client.get(f"{API}/stories?per_page=2&page=4")
    assert past.status_code == 404


@pytest.mark.parametrize(
    "query", ["per_page=0", "per_page=101", "page=zero", "sort=sideways", "page=0"]
)
def test_bad_parameters_are_a_problem_that_says_which(client, author, make_story, query):
    make_story(author)
    response = client.get(f"{API}/stories?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert query.split("=")[0] in response.json()["detail"]


def test_etag_and_last_modified_answer_304(client, author, make_story):
    story = make_story(author)
    first = client.get(f"{API}/stories/{story.pk}")
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(f"{API}/stories/{story.pk}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    since = client.get(f"{API}/stories/{story.pk}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    actions.story_update(story=story, title="A New Title", rating=story.rating)
    changed = client.get(f"{API}/stories/{story.pk}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "A New Title"


def test_fields_trims_objects_and_list_items(client, author, make_story):
    story = make_story(author)
    assert client.get(f"{API}/stories/{story.pk}?fields=id,title").json() == {
        "id": story.pk,
        "title": "A Story",
    }
    page = client.get(f"{API}/stories?fields=id").json()
    assert page["results"] == [{"id": story.pk}]
    assert page["count"] == 1


def test_taxonomy_is_a_tree(client, archive):
    kinds = {kind["slug"]: kind for kind in client.get(f"{API}/taxonomy").json()}
    office = next(t for t in kinds["categories"]["tags"] if t["name"] == "The Office")
    assert [child["name"] for child in office["children"]] == ["Jim and Pam"]
    tag = client.get(f"{API}/tags/{archive.subfandom.pk}").json()
    assert tag["parent"] == {"id": archive.fandom.pk, "name": "The Office"}


def test_authors_and_series(client, author, make_story):
    story = make_story(author)
    authors = client.get(f"{API}/authors").json()["results"]
    assert [(a["pen_name"], a["story_count"]) for a in authors] == [("Night Swept", 1)]
    listed = client.get(f"{API}/authors/{author.pk}/stories").json()["results"]
    assert [s["id"] for s in listed] == [story.pk]


def test_search_uses_the_search_pages_language(
    client, author, make_story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the index follows the commit
        make_story(author, "Silver Moon")
        make_story(author, "Golden Sun")
    data = client.get(f"{API}/search", {"q": "title:silver"}).json()
    assert [hit["story"]["title"] for hit in data["results"]] == ["Silver Moon"]
    excluded = client.get(f"{API}/search", {"q": "word -silver"}).json()
    assert [hit["story"]["title"] for hit in excluded["results"]] == ["Golden Sun"]
    text = client.get(f"{API}/search", {"q": "text"}).json()
    assert "<mark>" in text["results"][0]["snippet"]


def test_search_says_when_its_count_is_a_lower_bound(
    client, author, make_story, django_capture_on_commit_callbacks, monkeypatch
):
    from fabula.search import results as search_results

    monkeypatch.setattr(search_results, "SCORED_MATCHES", 0)  # so these few matches are "many"
    monkeypatch.setattr(search_results, "READ_MATCHES", 1)
    with django_capture_on_commit_callbacks(execute=True):  # the index follows the commit
        make_story(author, "Silver Moon", chapters=1)
        make_story(author, "Golden Sun", chapters=1)
    broad = client.get(f"{API}/search", {"q": "text"}).json()
    assert (broad["count"], broad["count_complete"]) == (2, False)
    narrow = client.get(f"{API}/search", {"q": "title:silver"}).json()
    assert (narrow["count"], narrow["count_complete"]) == (1, True)


def test_a_bad_token_is_refused_not_read_as_a_guest(client, author, make_story):
    make_story(author)
    response = client.get(f"{API}/stories", HTTP_AUTHORIZATION="Bearer fabt_nope_nope")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_drafts_are_not_in_the_api_until_published(client, author, make_story):
    story = make_story(author, status=Status.DRAFT)
    assert client.get(f"{API}/stories/{story.pk}").status_code == 404
    assert client.get(f"{API}/stories/{story.pk}", **bearer(author)).status_code == 200
    set_site(auto_validate=True)
    actions.story_submit(story=story, by=author)
    assert client.get(f"{API}/stories/{story.pk}").status_code == 200
