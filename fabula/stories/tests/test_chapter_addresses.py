"""A chapter's address names its id, so links made before a reorder still lead to the same
chapter; the position addresses of before and the "go to chapter" menu lead there too."""

from django.urls import reverse

from fabula.community import actions as community_actions
from fabula.notifications.models import Notification
from fabula.stories import actions
from fabula.stories.models import Chapter, Status


def _reverse_order(story) -> None:
    ids = list(story.chapters.order_by("position").values_list("pk", flat=True))
    actions.chapter_reorder(story=story, order=ids[::-1])


def _text_at(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_links_made_before_a_reorder_lead_to_the_same_chapter(
    client, make_story, author, reader, django_capture_on_commit_callbacks
):
    story = make_story(author, "Shuffled", chapters=2)
    community_actions.subscribe(user=reader, target=story)
    with django_capture_on_commit_callbacks(execute=True):
        third = actions.chapter_add(
            story=story, title="Third", body="<p>Text of chapter 3.</p>", status=Status.PUBLISHED
        )
    second = story.chapters.get(position=2)
    review = community_actions.review_post(chapter=second, user=reader, body="Loved the second.")
    community_actions.reading_save_position(user=reader, chapter=second, position=0.5)
    alert = Notification.objects.get(user=reader, kind="chapter")

    _reverse_order(story)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.position, third.position) == (2, 1)  # the middle one stays, the last leads

    # The review's link: the second chapter's text, with the review on it.
    page = _text_at(client, review.get_absolute_url())
    assert "Text of chapter 2." in page and "Loved the second." in page
    # The notification of the new chapter still opens it, now first in the story.
    assert "Text of chapter 3." in _text_at(client, alert.url)
    assert "Chapter 1 of 3" in _text_at(client, alert.url)
    # The history entry links the chapter the member was reading.
    client.force_login(reader)
    history = _text_at(client, reverse("community:history"))
    assert f'href="{second.get_absolute_url()}"' in history
    assert "Text of chapter 2." in _text_at(client, second.get_absolute_url())


def test_a_position_address_moves_for_good_to_the_chapter_now_there(client, make_story, author):
    story = make_story(author, "Old Links", chapters=3)
    _reverse_order(story)
    first_now = story.chapters.get(position=1)
    response = client.get(f"/stories/{story.pk}/chapters/1/")
    assert response.status_code == 301
    assert response["Location"] == first_now.get_absolute_url()
    assert "Text of chapter 3." in _text_at(client, response["Location"])


def test_a_position_address_of_no_readable_chapter_is_not_found(client, make_story, author):
    story = make_story(author, "Short", chapters=1)
    actions.chapter_add(story=story, title="Draft", body="<p>Secret.</p>", status=Status.DRAFT)
    assert client.get(f"/stories/{story.pk}/chapters/2/").status_code == 404  # a draft
    assert client.get(f"/stories/{story.pk}/chapters/9/").status_code == 404  # none
    hidden = make_story(author, "Hidden", status=Status.DRAFT)
    assert client.get(f"/stories/{hidden.pk}/chapters/1/").status_code == 404


def test_the_chapter_menu_goes_to_the_chosen_chapter_without_javascript(client, make_story, author):
    story = make_story(author, "Menu", chapters=3)
    page = _text_at(client, story.chapters.get(position=1).get_absolute_url())
    go = reverse("chapter-go", args=[story.pk])
    # A plain form: its action, a named menu and a Go button (JavaScript only hides the button).
    assert f'action="{go}"' in page and 'name="position"' in page and ">Go</button>" in page
    response = client.get(go, {"position": "3"})
    assert response.status_code == 302
    assert response["Location"] == story.chapters.get(position=3).get_absolute_url()


def test_the_chapter_menu_refuses_what_it_did_not_offer(client, make_story, author):
    story = make_story(author, "Menu", chapters=2)
    go = reverse("chapter-go", args=[story.pk])
    for bad in ("", "two", "1.5"):
        response = client.get(go, {"position": bad})
        assert response.status_code == 400 and b"Choose a chapter" in response.content
    assert client.get(go, {"position": "7"}).status_code == 404


def test_an_id_address_names_a_chapter_of_its_own_story_only(client, make_story, author):
    one = make_story(author, "One")
    two = make_story(author, "Two")
    stray = Chapter.objects.filter(story=two).first()
    assert stray is not None
    assert client.get(reverse("chapter", args=[one.pk, stray.pk])).status_code == 404
