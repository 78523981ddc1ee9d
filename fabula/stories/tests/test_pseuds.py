"""Pseuds (issue 14, item 4): a member signs each story credit and each review with one of their
pen names; bylines show it and lead to its page; the member manages them on one page, and bad
input (a taken name, the default deleted, another member's pseud) is refused, changing
nothing."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fabula.accounts.models import Pseud
from fabula.community import actions as community
from fabula.community.models import Review
from fabula.lib.refusals import ActionRefused, NotAllowed
from fabula.stories import actions
from fabula.stories.models import CoauthorInvite, Story, StoryAuthor
from fabula.stories.tests.posting_support import newest_story, post_story
from fabula.test import make_user


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return html.unescape(response.content.decode())


def _pseud_link(pseud: Pseud) -> str:
    return f'<a href="{reverse("pseud", args=[pseud.user_id, pseud.pk])}">{pseud.name}</a>'


def test_every_member_starts_with_one_default_pseud_named_as_their_pen_name(author, reader):
    for member in (author, reader):
        pseuds = list(member.pseuds.all())
        assert [(p.name, p.is_default) for p in pseuds] == [(member.pen_name, True)]


def test_a_pen_name_held_as_someone_elses_pseud_cannot_join(client, author, db):
    actions.pseud_add(user=author, name="Harbour Light")
    response = client.post(
        reverse("accounts:register"),
        {
            "pen_name": "harbour light",
            "email": "n@example.org",
            "password1": "a long enough passphrase 1",
            "password2": "a long enough passphrase 1",
        },
    )
    assert "is taken" in html.unescape(response.content.decode())
    assert not Pseud.objects.filter(user__pen_name__iexact="harbour light").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("night swept", "is taken"),  # the member's own pen name, their default pseud
        ("READER", "is taken"),  # another member's pen name, ignoring case
        ("   ", "needs a name"),
        ("x" * 61, "at most 60"),
        ("In\u200bvisible", "invisible"),
    ],
)
def test_a_bad_pseud_name_is_refused_and_nothing_changes(author, reader, name, message):
    before = list(Pseud.objects.values_list("pk", "name"))
    with pytest.raises(ActionRefused, match=message):
        actions.pseud_add(user=author, name=name)
    assert list(Pseud.objects.values_list("pk", "name")) == before


def test_story_bylines_show_the_pseud_and_lead_to_its_page(
    client, author, coauthor, make_story, archive
):
    pen = actions.pseud_add(user=author, name="Harbour Light")
    story = actions.story_create(
        authors=[pen, coauthor], title="Tidewater", rating=archive.general, status="published"
    )
    actions.chapter_add(story=story, title="One", body="<p>Waves.</p>", status="published")
    story.refresh_from_db()
    credit = story.credits.get(user=author)
    assert credit.pseud == pen
    chapter = story.chapters.get()
    co_default = coauthor.pseuds.get()
    for url in (
        reverse("story", args=[story.pk]),
        reverse("chapter", args=[story.pk, chapter.pk]),
        reverse("browse"),
        reverse("author", args=[author.pk]),  # the account's page: every pseud's work
    ):
        page = _page(client, url)
        assert _pseud_link(pen) in page, url
        assert _pseud_link(co_default) in page, url
        if "authors" not in url:  # (the account's page lists its pseuds, the default too)
            assert f">{author.pen_name}</a>" not in page.split("<main", 1)[-1], url


def test_a_pseuds_page_lists_only_its_work_and_the_account_page_all(
    client, author, make_story, archive
):
    pen = actions.pseud_add(user=author, name="Harbour Light")
    plain = make_story(author, "Signed Plainly")
    signed = make_story(author, "Signed Otherwise")
    actions.credit_sign(story=signed, user=author, pseud=pen)
    page = _page(client, pen.get_absolute_url())
    assert "Signed Otherwise" in page and "Signed Plainly" not in page
    assert f'A pseud of <a href="{author.get_absolute_url()}">{author.pen_name}</a>' in page
    default_page = _page(client, author.pseuds.get(is_default=True).get_absolute_url())
    assert "Signed Plainly" in default_page and "Signed Otherwise" not in default_page
    account = _page(client, reverse("author", args=[author.pk]))
    assert "Signed Plainly" in account and "Signed Otherwise" in account
    assert _pseud_link(pen) in account  # the pseuds' list
    # A pseud is found under its own member only.
    other = make_user("Other")
    _page(client, reverse("pseud", args=[other.pk, pen.pk]), status=404)
    assert plain.pk != signed.pk


def test_the_post_form_offers_a_choice_only_to_a_member_with_several_pseuds(
    client, author, archive
):
    client.force_login(author)
    assert 'name="pseud"' not in _page(client, reverse("stories:new"))
    pen = actions.pseud_add(user=author, name="Harbour Light")
    page = _page(client, reverse("stories:new"))
    select = re.search(r'<select name="pseud".*?</select>', page, re.S)
    assert select, "no pseud menu"
    default = author.pseuds.get(is_default=True)
    assert re.findall(r'<option value="(\d+)"[^>]*selected', select[0]) == [str(default.pk)]
    post_story(client, archive, pseud=str(pen.pk))
    assert newest_story().credits.get().pseud == pen


def test_signing_a_story_with_another_members_pseud_is_refused(
    client, author, other_author, archive
):
    actions.pseud_add(user=author, name="Harbour Light")
    theirs = other_author.pseuds.get()
    client.force_login(author)
    response = post_story(client, archive, pseud=str(theirs.pk))
    assert response.status_code == 200  # the form again, with the reason
    assert "Select a valid choice" in response.content.decode()
    assert not Story.objects.exists()
    with pytest.raises(NotAllowed):
        actions.story_post(
            by=author,
            title="Crafted",
            rating=archive.general,
            chapter_title="One",
            body="<p>Text.</p>",
            pseud=theirs,
        )
    assert not Story.objects.exists()


def test_a_coauthor_signs_with_their_own_pseud(author, coauthor, make_story):
    story = make_story(author)
    mine = actions.pseud_add(user=coauthor, name="Second Pen")
    invite = actions.coauthor_invite(story=story, user=coauthor, by=author)
    with pytest.raises(NotAllowed):
        actions.coauthor_accept(invite=invite, pseud=author.pseuds.get())
    assert not story.credits.filter(user=coauthor).exists()
    assert CoauthorInvite.objects.filter(pk=invite.pk).exists()
    actions.coauthor_accept(invite=invite, pseud=mine)
    assert story.credits.get(user=coauthor).pseud == mine
    with pytest.raises(NotAllowed):
        actions.credit_sign(story=story, user=coauthor, pseud=author.pseuds.get())
    assert story.credits.get(user=coauthor).pseud == mine


def test_the_pseuds_page_adds_renames_and_makes_default(client, author, make_story):
    client.force_login(author)
    page = _page(client, reverse("stories:pseuds"))
    assert author.pen_name in page and "Default" in page
    response = client.post(reverse("stories:pseud-add"), {"name": "  Harbour   Light "})
    assert response.status_code == 302
    pen = author.pseuds.get(name="Harbour Light")
    story = make_story(author)
    actions.credit_sign(story=story, user=author, pseud=pen)
    client.post(reverse("stories:pseud-rename", args=[pen.pk]), {"name": "Low Tide"})
    pen.refresh_from_db()
    assert pen.name == "Low Tide"
    assert _pseud_link(pen) in _page(client, reverse("story", args=[story.pk]))
    client.post(reverse("stories:pseud-default", args=[pen.pk]))
    assert author.pseuds.get(is_default=True) == pen
    assert author.pseuds.filter(is_default=True).count() == 1
    followed = client.get(reverse("stories:pseuds"))
    assert "New work is signed “Low Tide”" in html.unescape(followed.content.decode())


@pytest.mark.parametrize(
    ("what", "status", "message"),
    [
        ("taken name", 400, "is taken"),
        ("empty name", 400, "needs a name"),
        ("delete default", 400, "default pseud cannot be deleted"),
        ("delete with works", 400, "choose a pseud to move them to"),
        ("another's pseud", 403, "not one of yours"),
        ("move to another's pseud", 403, "not one of yours"),
    ],
)
def test_the_pseuds_page_refuses_bad_input_and_changes_nothing(
    client, author, other_author, make_story, what, status, message
):
    pen = actions.pseud_add(user=author, name="Harbour Light")
    story = make_story(author)
    actions.credit_sign(story=story, user=author, pseud=pen)
    default = author.pseuds.get(is_default=True)
    theirs = other_author.pseuds.get()
    client.force_login(author)
    url, data = {
        "taken name": (reverse("stories:pseud-add"), {"name": "winter fox"}),
        "empty name": (reverse("stories:pseud-rename", args=[pen.pk]), {"name": ""}),
        "delete default": (reverse("stories:pseud-delete", args=[default.pk]), {}),
        "delete with works": (reverse("stories:pseud-delete", args=[pen.pk]), {}),
        "another's pseud": (
            reverse("stories:pseud-rename", args=[theirs.pk]),
            {"name": "Stolen"},
        ),
        "move to another's pseud": (
            reverse("stories:pseud-delete", args=[pen.pk]),
            {"move_to": str(theirs.pk)},
        ),
    }[what]
    before = sorted(Pseud.objects.values_list("pk", "user_id", "name", "is_default"))
    credits = sorted(StoryAuthor.objects.values_list("pk", "pseud_id"))
    response = client.post(url, data)
    assert response.status_code == status
    assert message in html.unescape(response.content.decode())
    assert sorted(Pseud.objects.values_list("pk", "user_id", "name", "is_default")) == before
    assert sorted(StoryAuthor.objects.values_list("pk", "pseud_id")) == credits


def test_deleting_a_pseud_moves_its_works_and_reviews(client, author, reader, make_story):
    pen = actions.pseud_add(user=author, name="Harbour Light")
    story = make_story(author)
    actions.credit_sign(story=story, user=author, pseud=pen)
    reviewer_pen = actions.pseud_add(user=reader, name="Quiet Reader")
    review = community.review_post(story=story, user=reader, body="Lovely.", pseud=reviewer_pen)
    assert (review.pseud, review.name) == (reviewer_pen, "Quiet Reader")
    other = actions.pseud_add(user=author, name="Low Tide")
    client.force_login(author)
    response = client.post(
        reverse("stories:pseud-delete", args=[pen.pk]), {"move_to": str(other.pk)}
    )
    assert response.status_code == 302
    assert not Pseud.objects.filter(pk=pen.pk).exists()
    assert story.credits.get().pseud == other
    actions.pseud_delete(user=reader, pseud=reviewer_pen)  # no works: to the default
    review.refresh_from_db()
    assert review.pseud == reader.pseuds.get(is_default=True)


def test_a_review_is_signed_with_the_pseud_chosen(client, author, reader, make_story):
    story = make_story(author)
    client.force_login(reader)
    form_url = reverse("community:review-new", args=[story.pk])
    assert 'name="pseud"' not in _page(client, form_url)
    pen = actions.pseud_add(user=reader, name="Quiet Reader")
    assert 'name="pseud"' in _page(client, form_url)
    theirs = author.pseuds.get()
    response = client.post(form_url, {"body": "Crafted.", "pseud": str(theirs.pk)})
    assert response.status_code == 400
    assert not Review.objects.exists()
    client.post(form_url, {"body": "Lovely waves.", "pseud": str(pen.pk)})
    review = Review.objects.get()
    assert review.pseud == pen and review.user == reader
    assert _pseud_link(pen) in _page(client, reverse("story", args=[story.pk]))
    with pytest.raises(NotAllowed):
        community.review_reply(parent=review, user=reader, body="Also.", pseud=theirs)
    assert Review.objects.count() == 1


def test_a_story_list_costs_the_same_queries_whatever_the_pseuds(
    client, author, coauthor, make_story, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(3):
        pen = actions.pseud_add(user=author, name=f"Pen {n}")
        story = make_story(author, f"Story {n}", coauthors=[coauthor])
        actions.credit_sign(story=story, user=author, pseud=pen)
    client.get(reverse("browse"))  # warm the site's settings and kinds
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("browse"))
    with_three = len(three)  # now: the next request starts Django's query log again
    for n in range(3, 8):
        pen = actions.pseud_add(user=author, name=f"Pen {n}")
        story = make_story(author, f"Story {n}", coauthors=[coauthor])
        actions.credit_sign(story=story, user=author, pseud=pen)
    client.get(reverse("browse"))  # the list's counts, kept again after the change
    with django_assert_num_queries(with_three):
        page = _page(client, reverse("browse"))
    assert page.count("Pen ") >= 8


def test_feeds_opds_downloads_and_the_api_show_the_pseud(client, author, make_story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    pen = actions.pseud_add(user=author, name="Harbour Light")
    story = make_story(author, "Tidewater")
    actions.credit_sign(story=story, user=author, pseud=pen)
    atom = _page(client, reverse("feed-recent"))
    assert "<name>Harbour Light</name>" in atom and f"{pen.get_absolute_url()}</uri>" in atom
    assert "Harbour Light" in _page(client, reverse("opds-recent"))
    for kind in ("txt", "html", "epub"):
        response = client.get(reverse("download", args=[story.pk, kind]))
        assert response.status_code == 200, kind
        body = b"".join(response) if response.streaming else response.content
        if kind == "epub":
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                body = b"".join(book.read(name) for name in book.namelist())
        assert b"Harbour Light" in body and b"Night Swept" not in body, kind
    api = client.get(f"/api/v1/stories/{story.pk}").json()
    assert (api["authors"][0]["name"], api["authors"][0]["pseud_id"]) == ("Harbour Light", pen.pk)
    found = client.get(f"/api/v1/authors/{author.pk}/pseuds/{pen.pk}/stories").json()
    assert [s["id"] for s in found["results"]] == [story.pk]
    profile = client.get(f"/api/v1/authors/{author.pk}").json()
    assert [p["name"] for p in profile["pseuds"]] == ["Night Swept", "Harbour Light"]


def test_an_author_changes_the_pseud_a_story_is_signed_with(
    client, author, other_author, make_story
):
    story = make_story(author, "Tidewater")
    client.force_login(author)
    manage = reverse("stories:manage", args=[story.pk])
    assert 'name="pseud"' not in _page(client, manage)  # one pseud: nothing to choose
    pen = actions.pseud_add(user=author, name="Harbour Light")
    assert 'name="pseud"' in _page(client, manage)
    theirs = other_author.pseuds.get()
    for bad in (str(theirs.pk), "nonsense", ""):
        response = client.post(
            reverse("stories:sign", args=[story.pk]), {"pseud": bad}, follow=True
        )
        assert "one of your own pseuds" in html.unescape(response.content.decode()), bad
        assert story.credits.get().pseud == author.pseuds.get(is_default=True)
    client.post(reverse("stories:sign", args=[story.pk]), {"pseud": str(pen.pk)})
    assert story.credits.get().pseud == pen
    assert _pseud_link(pen) in _page(client, reverse("story", args=[story.pk]))


def test_accepting_an_invitation_chooses_the_coauthors_pseud(client, author, coauthor, make_story):
    story = make_story(author, "Tidewater")
    invite = actions.coauthor_invite(story=story, user=coauthor, by=author)
    mine = actions.pseud_add(user=coauthor, name="Second Pen")
    client.force_login(coauthor)
    page = _page(client, reverse("stories:mine"))
    assert f'<option value="{mine.pk}">Second Pen</option>' in page
    accept = reverse("stories:invite-answer", args=[invite.pk, "accept"])
    response = client.post(accept, {"pseud": str(author.pseuds.get().pk)}, follow=True)
    assert "one of your own pseuds" in html.unescape(response.content.decode())
    assert not story.credits.filter(user=coauthor).exists()
    client.post(accept, {"pseud": str(mine.pk)})
    assert story.credits.get(user=coauthor).pseud == mine
