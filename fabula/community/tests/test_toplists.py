"""Top lists and statistics: right figures, computed once and then served from the cache."""

from django.urls import reverse

from fabula.community import actions


def test_top_lists_and_stats(
    client, make_story, author, other_author, reader, django_assert_max_num_queries
):
    long_story = make_story(author, "Long One", words_per_chapter=500)
    short = make_story(other_author, "Short One", words_per_chapter=10)
    make_story(author, "Hidden Draft", status="draft", words_per_chapter=5000)
    actions.kudos_give(story=short, user=reader)
    actions.favourite_add(user=reader, target=long_story)
    actions.favourite_add(user=reader, target=author)
    actions.review_post(story=short, user=reader, body="Nice")
    page = client.get(reverse("community:toplists")).content.decode()
    assert "Hidden Draft" not in page
    assert "Night Swept" in page and "Reader" in page
    with django_assert_max_num_queries(1):  # from the cache now (the session lookup at most)
        longest = client.get(reverse("community:toplist", args=["longest"])).content.decode()
    assert longest.index("Long One") < longest.index("Short One")
    assert "Most reviewed" not in longest
    assert client.get(reverse("community:toplist", args=["nonsense"])).status_code == 404
    stats = client.get(reverse("community:stats")).content.decode()
    assert "<dt>Stories</dt><dd>2</dd>" in stats and "<dt>Reviews</dt><dd>1</dd>" in stats
