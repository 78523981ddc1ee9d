"""Staff find and manage stories, chapters, series, challenges, reviews and members in the
admin: each list answers with its search and filters, and its decisions go through the
actions (audit log, counts, notifications)."""

import pytest
from django.urls import reverse

from fabula.audit.models import AuditEntry
from fabula.stories.models import Challenge, Series, Status

pytestmark = pytest.mark.django_db

# Each admin list, with a search and a filter of its own.
LISTS = {
    "stories_story": "status__exact=published&q=Beach",
    "stories_chapter": "status__exact=published&q=Beach",
    "stories_series": "openness__exact=closed&q=Saga",
    "stories_challenge": "q=Prompt",
    "community_review": "hidden__exact=0&q=great",
    "accounts_user": "level__exact=0&q=Writer",
}


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", LISTS)
def test_each_list_answers_with_search_and_filters(staff_client, make_story, author, model):
    story = make_story(author, "Beach Games")
    Series.objects.create(title="Summer Saga", owner=author)
    Challenge.objects.create(title="Prompt Week", owner=author)
    changelist = reverse(f"admin:{model}_changelist")
    page = staff_client.get(f"{changelist}?{LISTS[model]}")
    assert page.status_code == 200, page.content[:300]
    text = page.content.decode()
    assert 'id="searchbar"' in text and 'id="changelist-filter"' in text
    if model == "stories_story":
        assert "Beach Games" in text
        assert (
            staff_client.get(reverse("admin:stories_story_change", args=[story.pk])).status_code
            == 200
        )


def test_story_decisions_from_the_admin_go_through_the_actions(staff_client, make_story, author):
    story = make_story(author, "Waiting Story", status=Status.PENDING)
    changelist = reverse("admin:stories_story_changelist")
    for action in ("validate", "feature"):
        staff_client.post(changelist, {"action": action, "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.featured
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"validate", "feature"}
    assert author.notifications.filter(kind="validated").exists()
    staff_client.post(changelist, {"action": "hide", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Status.HIDDEN
    assert staff_client.get(reverse("admin:stories_story_add")).status_code == 403
