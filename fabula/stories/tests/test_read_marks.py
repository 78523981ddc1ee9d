"""`read_marks_add`, the write behind the buffered read counts, called by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fabula.stories import actions
from fabula.stories.models import ReadMark

pytestmark = pytest.mark.django_db


def test_read_marks_add_counts_each_reader_once_a_day(make_story, author):
    story = make_story(author)
    today = timezone.localdate()
    marks = [(story.pk, "u1", today), (story.pk, "g2", today), (999999, "u1", today)]
    assert actions.read_marks_add(marks=marks) == 2  # the missing story counts nothing
    assert actions.read_marks_add(marks=marks[:1]) == 0  # the same reader, the same day
    story.refresh_from_db()
    assert story.read_count == 2


def test_read_marks_add_forgets_marks_older_than_yesterday(make_story, author):
    story = make_story(author)
    old = timezone.localdate() - timedelta(days=3)
    ReadMark.objects.create(story=story, reader="u9", day=old)
    actions.read_marks_add(marks=[(story.pk, "u1", timezone.localdate())])
    assert not ReadMark.objects.filter(day=old).exists()
